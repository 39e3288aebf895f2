"""강좌 지도: 강의 번호 → 노트북 → 패키지 모듈 → 무엇을 보게 되는지.

README의 강좌 지도와 introduction 노트북의 표가 이 한 곳의 자료에서 나옵니다.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from deeplab_lessons.errors import DeepLabLessonsError, josa
from deeplab_lessons.exercise_bank import BANK
from deeplab_lessons.tables import PaperValue, Table, published, table


@dataclass(frozen=True)
class Lesson:
    """강의 하나의 정보. ``exercise`` 는 그 강의의 코드 연습문제 id(:mod:`deeplab_lessons.exercise_bank`).

    ``modules`` 는 이 강의가 가르치는 패키지 모듈(쉼표로 구분)입니다. 테스트가 노트북의 import 문과 맞춰 봅니다:
    적힌 모듈은 모두 그 노트북이 가져오고, 노트북들이 가져오는 모듈은 모두 어느 강의엔가 적혀 있습니다.
    """

    number: int
    title: str
    notebook: str
    modules: str
    what_you_see: str
    exercise: str = ""

    @property
    def slug(self) -> str:
        """노트북 이름에서 번호와 확장자를 뺀 것(예: ``"atrous_convolution"``): 연습문제 은행의 파일 이름."""
        return Path(self.notebook).stem.split("_", 1)[1]


LESSONS = (
    Lesson(0, "과정 소개", "00_introduction.ipynb", "viz, voc, environment, tables, course",
           "시맨틱 분할의 뜻, DeepLab 계보, 실행 환경 점검", "class-pixels"),
    Lesson(1, "분류기에서 조밀한 예측기로", "01_fully_convolutional.ipynb",
           "fully_convolutional, upsampling, skip_connections, encoder_decoder",
           "완전 합성곱 네트워크, 전치 합성곱·쌍선형 업샘플링, 체커보드 현상, 건너뛰기 연결, U-Net 대 v3+ 디코더",
           "transposed-1d"),
    Lesson(2, "아트러스 합성곱", "02_atrous_convolution.ipynb", "atrous",
           "구멍 뚫린 커널, NumPy로 처음부터 구현하고 TF와 비교", "atrous-1d"),
    Lesson(3, "수용 영역", "03_field_of_view.ipynb", "receptive_field, gridding",
           "수용 영역을 식과 기울기로 두 번 재기, 유효 수용 영역의 지수, 격자 현상과 HDC", "rf-recurrence"),
    Lesson(4, "ASPP", "04_aspp.ipynb", "layers",
           "v2(VGG-16·ResNet-101 머리)·v3의 ASPP를 만들고 매개변수 세기", "aspp-count"),
    Lesson(5, "깊이별 분리 합성곱과 MobileNetV2", "05_depthwise_separable.ipynb", "counting, timing, mobilenet",
           "가중치·곱셈-덧셈 수와 실제 속도, 역잔차 블록과 폭 배율", "inverted-residual-params"),
    Lesson(6, "DeepLab v3와 v3+", "06_deeplab_v3_plus.ipynb", "models, xception",
           "인코더-디코더 전체 모델을 Keras로 만들고 발표된 매개변수 수와 비교, "
           "Xception-65 v3+와 모델 목록의 곱셈-덧셈",
           "decoder-sizes"),
    Lesson(7, "사전 학습 모델로 추론하기", "07_pretrained_inference.ipynb", "image_io, pretrained, metrics",
           "공식 모델(MobileNetV2, 폭 배율 0.5)로 실제 사진 분할, mIoU 평가, 전처리 비교", "mean-iou"),
    Lesson(8, "사전 학습 모델 들여다보기", "08_inside_pretrained.ipynb", "pretrained.keras_rebuild",
           "공식 가중치를 Keras로 다시 만들기, 폭 배율·팽창률 읽기, 출력 보폭 16 대 8, 배치 정규화 접기",
           "fold-batch-norm"),
    Lesson(9, "시험 시점 다듬기", "09_test_time_refinement.ipynb", "refine, crf, permutohedral, crf_tuning",
           "여러 배율·좌우 뒤집기 추론, 완전 연결 CRF(퍼뮤토헤드럴 격자), train 표본에서 고른 CRF 매개변수, "
           "VOC 표본에서 잰 효과와 비용",
           "scale-flip-average"),
    Lesson(10, "작은 DeepLab 직접 학습하기", "10_train_mini_deeplab.ipynb", "data, losses, training, ablation",
           "합성 장면, 손실 함수, CPU에서 학습, 여섯 구성 × 시드 3개의 구성 요소 비교, 내보내기", "masked-ce"),
    Lesson(11, "내 영상으로 미세 조정하기", "11_fine_tuning.ipynb",
           "datasets, relabel, augment, fine_tuning, pretrained.transfer",
           "VOC 표본으로 만든 네 클래스 과제, 마스크의 흔한 실수와 오류, "
           "공식 인코더 + 새 로짓 층 + v3+ 디코더의 미세 조정, 사전 학습 모델과 비교, TFLite 내보내기, "
           "명령줄과 tf.distribute", "remap-labels"),
    Lesson(12, "정리: DeepLab의 그림 한 장과 다음 걸음", "12_closing.ipynb", "course",
           "강의마다 더한 부품을 한 장의 파이프라인 그림으로, 강의를 가로지르는 점검 문제, "
           "논문·공식 코드·미세 조정 명령",
           "stride-rate-plan"),
)


@dataclass(frozen=True)
class Stage:
    """DeepLab 파이프라인의 한 부분(정리 그림의 상자 하나).

    ``modules`` 는 그 부분을 구현한 패키지 모듈입니다. 그 부분을 만든 강의는 :func:`stage_lessons` 가
    :data:`LESSONS` 의 ``modules`` 에서 찾으므로, 강의 번호는 여기에 다시 적지 않습니다.
    """

    key: str
    name: str
    modules: tuple[str, ...]


#: 입력에서 출력까지 DeepLab의 부분들(추론의 길 → 가중치와 학습). 정리 그림(``figures.lesson_pipeline``)이 씁니다.
PIPELINE = (
    Stage("input", "입력 영상\n정규화·채우기", ("image_io",)),
    Stage("fcn", "완전 합성곱 백본\n분류기를 조밀한 예측기로", ("fully_convolutional",)),
    Stage("atrous", "아트러스 합성곱\n출력 보폭·수용 영역", ("atrous", "receptive_field", "gridding")),
    Stage("separable", "깊이별 분리 합성곱\nMobileNetV2 백본", ("counting", "mobilenet")),
    Stage("aspp", "ASPP\n여러 팽창률 + 이미지 수준 풀링", ("layers",)),
    Stage("decoder", "v3+ 디코더\n저수준 특징 + 분리 합성곱", ("skip_connections", "encoder_decoder", "models")),
    Stage("logits", "로짓\n쌍선형 업샘플링", ("upsampling",)),
    Stage("refine", "시험 시점 다듬기\n여러 배율·뒤집기, DenseCRF", ("refine", "crf", "permutohedral", "crf_tuning")),
    Stage("output", "클래스 번호 지도", ("voc",)),
    Stage("evaluate", "평가\n평균 IoU·혼동 행렬", ("metrics",)),
    Stage("pretrained", "사전 학습 가중치\n공식 파일에서 Keras로", ("pretrained", "pretrained.keras_rebuild")),
    Stage("training", "학습과 미세 조정\n손실·학습 고리·내 데이터셋",
          ("data", "losses", "training", "ablation", "datasets", "fine_tuning", "pretrained.transfer")),
)


def stage_lessons(stage: Stage) -> tuple[Lesson, ...]:
    """``stage`` 를 만든 강의들(번호 순): 그 부분의 모듈마다, 그 모듈을 ``modules`` 에 처음 적은 강의.

    뒤 강의가 같은 모듈을 다시 적어도(예: 정리 강의) 그 부분을 "만든" 강의는 처음 가르친 강의입니다.
    아직 어느 강의에도 적히지 않은 모듈은 강의를 더하지 않습니다.
    """
    found = {}
    for module in stage.modules:
        for candidate in LESSONS:
            if module in {name.strip() for name in candidate.modules.split(",")}:
                found[candidate.number] = candidate
                break
    return tuple(found[number] for number in sorted(found))


def lesson(slug: str) -> Lesson:
    """노트북 이름(번호를 뺀 slug, 예: ``"atrous_convolution"``)의 강의.

    Raises:
        DeepLabLessonsError: 그런 강의가 없을 때.
    """
    for candidate in LESSONS:
        if candidate.slug == slug:
            return candidate
    raise DeepLabLessonsError(f"강의 {josa(repr(slug), '가')} 없습니다. 있는 강의: "
                              f"{', '.join(x.slug for x in LESSONS)}")


def lesson_status(notebook_dir: str | Path) -> list[tuple[Lesson, bool]]:
    """각 강의와, 그 노트북 파일이 ``notebook_dir`` 에 있는지(준비됨) 여부의 목록."""
    notebook_dir = Path(notebook_dir)
    return [(lesson, (notebook_dir / lesson.notebook).is_file()) for lesson in LESSONS]


def exercise_title(lesson: Lesson) -> str:
    """강의의 코드 연습문제 제목(없으면 "—")."""
    if not lesson.exercise:
        return "—"
    return BANK[lesson.exercise].title


def course_map(notebook_dir: str | Path) -> Table:
    """강좌 지도 표: 강, 노트북 파일, 준비 상태, 제목, 코드 연습문제."""
    rows = [[f"{lesson.number:02d}", lesson.notebook, "준비됨" if ready else "준비 중", lesson.title,
             exercise_title(lesson)]
            for lesson, ready in lesson_status(notebook_dir)]
    return table(["강", "노트북", "상태", "제목", "코드 연습문제"], rows)


def course_map_text(notebook_dir: str | Path) -> str:
    """:func:`course_map` 의 글자 표(터미널에서 print 용)."""
    return course_map(notebook_dir).text()


@dataclass(frozen=True)
class Version:
    """DeepLab 한 버전(version)의 요약. mIoU는 그 논문이 보고한 PASCAL VOC 2012 test 값(%)."""

    name: str
    year: int
    arxiv: str
    added: str
    voc_test_miou: float
    note: str

    def miou(self) -> PaperValue:
        """논문 값 표시가 붙은 mIoU."""
        return published(self.voc_test_miou, "각 버전의 논문(arXiv 열)이 보고한 VOC 2012 시험 세트 mIoU", "%")


DEEPLAB_FAMILY = (
    Version("DeepLab v1", 2014, "1412.7062",
            "pool4·pool5 보폭 1(풀링은 남김), 아트러스 합성곱, DenseCRF", 71.6,
            "VGG-16, LargeFOV + 다중 스케일 특징(MSc)"),
    Version("DeepLab v2", 2016, "1606.00915",
            "ASPP(팽창률이 다른 가지들의 점수 합), ResNet-101", 79.7,
            "COCO 사전 학습, 여러 배율 입력(MSC), DenseCRF"),
    Version("DeepLab v3", 2017, "1706.05587",
            "ASPP + 이미지 수준 풀링 + 배치 정규화, DenseCRF 없음", 85.7, "COCO 사전 학습"),
    Version("DeepLab v3+", 2018, "1802.02611",
            "디코더, 아트러스 분리 합성곱, Xception 백본", 89.0, "JFT-300M 사전 학습"),
)

#: 같은 사전 학습끼리의 v3 → v3+ 비교(VOC 2012 test mIoU, %): (사전 학습, v3, v3+).
#: v3 논문 표 7(85.7, JFT 86.9)과 v3+ 논문 표 6(87.8, JFT 89.0).
LIKE_FOR_LIKE = (
    ("ImageNet + COCO", 85.7, 87.8),
    ("ImageNet + COCO + JFT-300M", 86.9, 89.0),
)


def family_table() -> Table:
    """DeepLab 계보 표. mIoU 칸은 논문 값(``*``)이고 출처가 표 아래에 붙습니다."""
    rows = [[v.name, str(v.year), v.arxiv, v.miou(), v.added, v.note] for v in DEEPLAB_FAMILY]
    return table(["버전", "연도", "arXiv", "VOC test mIoU", "추가된 것", "조건"], rows, digits=1)


def like_for_like_table() -> Table:
    """사전 학습 데이터가 같은 조건에서 v3와 v3+의 논문 값, 그리고 그 차(논문 값끼리의 차)."""
    rows = []
    for pretraining, v3, v3_plus in LIKE_FOR_LIKE:
        rows.append([pretraining,
                     published(v3, "DeepLab v3 논문 표 7", "%"),
                     published(v3_plus, "DeepLab v3+ 논문 표 6", "%"),
                     round(v3_plus - v3, 1)])
    return table(["사전 학습", "v3", "v3+", "차 (%p)"], rows, digits=1)
