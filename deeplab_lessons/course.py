"""강좌 지도: 강의 번호 → 노트북 → 패키지 모듈 → 무엇을 보게 되는지.

README의 강좌 지도와 0강의 표가 이 한 곳의 자료에서 나옵니다.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Lesson:
    """강의 하나의 정보."""

    number: int
    title: str
    notebook: str
    modules: str
    what_you_see: str


LESSONS = (
    Lesson(0, "과정 소개", "00_introduction.ipynb", "viz, voc, environment",
           "시맨틱 분할의 뜻, DeepLab 계보, 실행 환경 점검"),
    Lesson(1, "아트러스 합성곱", "01_atrous_convolution.ipynb", "atrous",
           "구멍 뚫린 커널, NumPy로 처음부터 구현하고 TF와 비교"),
    Lesson(2, "수용 영역", "02_field_of_view.ipynb", "receptive_field",
           "수용 영역을 식과 기울기로 두 번 재기, 격자 현상"),
    Lesson(3, "ASPP", "03_aspp.ipynb", "layers",
           "v2·v3의 ASPP를 만들고 매개변수 세기"),
    Lesson(4, "깊이별 분리 합성곱", "04_depthwise_separable.ipynb", "counting",
           "가중치·곱셈-덧셈 수와 실제 속도"),
    Lesson(5, "DeepLab v3와 v3+", "05_deeplab_v3_plus.ipynb", "models",
           "인코더-디코더 전체 모델을 Keras로 만들기"),
    Lesson(6, "사전 학습 모델로 추론하기", "06_pretrained_inference.ipynb", "pretrained, metrics",
           "공식 모델로 실제 사진 분할, mIoU 평가"),
    Lesson(7, "사전 학습 모델 들여다보기", "07_inside_pretrained.ipynb", "pretrained",
           "공식 가중치를 Keras로 재구성, 아트러스 비율 찾기"),
    Lesson(8, "작은 DeepLab 직접 학습하기", "08_train_mini_deeplab.ipynb", "data, training, models",
           "CPU에서 몇 분 학습하고 구성 요소별 효과 비교"),
)


def lesson_status(notebook_dir: str | Path) -> list[tuple[Lesson, bool]]:
    """각 강의와, 그 노트북 파일이 ``notebook_dir`` 에 있는지(준비됨) 여부의 목록."""
    notebook_dir = Path(notebook_dir)
    return [(lesson, (notebook_dir / lesson.notebook).is_file()) for lesson in LESSONS]


def course_map_text(notebook_dir: str | Path) -> str:
    """강좌 지도를 글자 표로 만듭니다(노트북에서 print 용)."""
    lines = []
    for lesson, ready in lesson_status(notebook_dir):
        mark = "준비됨" if ready else "준비 중"
        lines.append(f"{lesson.number:02d} | {lesson.notebook:<30} | {mark:<4} | {lesson.title}")
    return "\n".join(lines)


@dataclass(frozen=True)
class Version:
    """DeepLab 한 판(version)의 요약. mIoU는 논문이 보고한 PASCAL VOC 2012 test 값(%)."""

    name: str
    year: int
    arxiv: str
    added: str
    voc_test_miou: float
    note: str


DEEPLAB_FAMILY = (
    Version("DeepLab v1", 2014, "1412.7062",
            "아트러스 합성곱으로 출력 보폭 8, DenseCRF 후처리", 71.6, "VGG-16, 다중 스케일 + LargeFOV"),
    Version("DeepLab v2", 2016, "1606.00915",
            "ASPP(비율이 다른 가지들의 합), ResNet-101", 79.7, "COCO 사전 학습, DenseCRF"),
    Version("DeepLab v3", 2017, "1706.05587",
            "ASPP + 이미지 수준 풀링 + 배치 정규화, 다중 격자, DenseCRF 없음", 85.7, "COCO 사전 학습"),
    Version("DeepLab v3+", 2018, "1802.02611",
            "디코더 추가, 아트러스 분리 합성곱, Xception 백본", 89.0, "JFT-300M 사전 학습"),
)


def family_table() -> str:
    """DeepLab 계보를 글자 표로 만듭니다(0강에서 print)."""
    lines = [f"{'판':<12}{'연도':<6}{'arXiv':<12}{'VOC test mIoU':>14}  추가된 것 (비고)"]
    for v in DEEPLAB_FAMILY:
        lines.append(f"{v.name:<12}{v.year:<6}{v.arxiv:<12}{v.voc_test_miou:>13.1f}%  {v.added} ({v.note})")
    return "\n".join(lines)
