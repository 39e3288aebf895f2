"""내 영상으로 미세 조정(fine_tuning.ipynb)의 연습문제."""

from __future__ import annotations

import numpy as np

from deeplab_lessons import augment, fine_tuning, relabel
from deeplab_lessons.exercise_bank._shared import seeded_rng
from deeplab_lessons.grading import Case, Exercise, Mistake
from deeplab_lessons.voc import IGNORE_LABEL


def remap_answer(mask, mapping):
    """mask (H, W) 정수, mapping (옛 클래스 수,). 옛 번호 k를 mapping[k]로, 255는 255 그대로."""
    mapping = np.asarray(mapping)
    out = np.full(mask.shape, 255, np.uint8)
    keep = mask != 255
    out[keep] = mapping[mask[keep]]
    return out


def _remap_cases() -> list[Case]:
    rng = seeded_rng(11)
    cases = []
    for index in range(4):
        mask = rng.integers(0, 21, size=(int(rng.integers(3, 7)), int(rng.integers(3, 7)))).astype(np.uint8)
        mask[rng.random(mask.shape) < 0.2] = IGNORE_LABEL
        mapping = rng.integers(0, 4, size=21)
        cases.append(Case({"mask": mask, "mapping": mapping}, f"21클래스 → 네 클래스, 255 섞임 ({index + 1})"))
    cases.append(Case({"mask": np.full((2, 3), IGNORE_LABEL, np.uint8), "mapping": np.arange(21) % 4}, "모두 255"))
    cases.append(Case({"mask": np.array([[0, 1], [2, 1]], np.uint8), "mapping": np.array([0, 2, 1])},
                      "세 클래스의 번호 바꾸기"))
    return cases


def _remap_ignore_to_background(mask, mapping):
    out = relabel.remap_labels(mask, mapping)
    out[mask == IGNORE_LABEL] = 0
    return out


REMAP_LABELS = Exercise(
    id="remap-labels", kind="코드",
    title="클래스 번호 바꾸기(255는 그대로)",
    prompt="`remap(mask, mapping)`",
    hint="mapping[k]가 옛 번호 k의 새 번호입니다. NumPy의 팬시 인덱싱 mapping[mask]는 255에서 범위를 벗어나므로, "
         "255인 화소를 먼저 골라 두고 나머지 화소만 바꾸세요. 255는 '무시'이므로 새 마스크에서도 255입니다.",
    solution="255가 아닌 화소(keep = mask != 255)만 mapping[mask[keep]]로 바꾸고, 나머지는 255로 둡니다. "
             "패키지의 `relabel.remap_labels`는 같은 일을 256칸 찾아보기 표(255 → 255) 하나로 합니다.",
    reference=lambda mask, mapping: relabel.remap_labels(mask, mapping),
    cases=_remap_cases, model_answer=remap_answer,
    mistakes=(Mistake("255(무시)를 배경 0으로 바꿨습니다. 그러면 경계의 애매한 화소를 '배경'이라고 가르치게 됩니다. "
                      "255는 그대로 두세요.", function=_remap_ignore_to_background),),
)

POLY_LEARNING_RATE = Exercise(
    id="poly-halfway", kind="값",
    title="poly 학습률",
    prompt="기본 학습률 0.1, 모두 190단계인 학습에서 95단계째의 학습률은(소수 넷째 자리까지)?",
    hint="poly 일정은 lr × (1 − 단계/전체)^0.9 입니다(DeepLab의 learning_power 0.9).",
    solution="0.1 × (1 − 95/190)^0.9 = 0.1 × 0.5^0.9 ≈ 0.0536. 선형으로 줄면 0.05이지만, 지수 0.9 때문에 조금 "
             "더 높게 머뭅니다.",
    expected=lambda: fine_tuning.poly_learning_rate(0.1, 95, 190),
    tolerance=5e-5,
    mistakes=(Mistake("선형으로 줄인 값(0.1 × 0.5)입니다. 지수 0.9를 곱하세요.", value=0.05),),
)

PADDED_CROP = Exercise(
    id="padded-crop-ignore", kind="값",
    title="채운 자르기에서 무시되는 화소",
    prompt="200×150 영상을 배율 1.0 그대로 321×321로 자르면, 마스크에서 255(채운 부분)가 되는 화소는 몇 개일까요?",
    hint="영상이 자르기보다 작으면 오른쪽·아래를 채웁니다(영상은 평균 색, 마스크는 255). 자른 영역 321×321에서 "
         "원래 영상이 차지하는 부분을 빼세요.",
    solution="321 × 321 − 200 × 150 = 103,041 − 30,000 = 73,041. 이 화소는 손실에서 빠지므로, 작은 영상을 큰 자르기로 "
             "학습하면 한 자르기에서 배우는 화소가 그만큼 줄어듭니다.",
    expected=lambda: int((augment.pad_to(np.zeros((150, 200, 3), np.uint8), np.zeros((150, 200), np.uint8),
                                         321)[1] == IGNORE_LABEL).sum()),
    mistakes=(Mistake("영상의 화소 수입니다. 채운(무시되는) 부분을 세세요.", value=30000),),
)

FEWER_IMAGES = Exercise(
    id="why-pretrained-wins", kind="토론",
    title="사전 학습 모델이 더 나은 까닭",
    prompt="6절의 두 모델의 차이를 무엇으로 설명할 수 있고, 이 노트북의 측정으로 확인되는 것은 어디까지일까요?",
    hint="두 모델이 본 학습 데이터(영상 수, 단계 수)와 학습한 층을 적어 보세요. 이 노트북이 잰 것(7절의 한 변수 "
         "비교)과 재지 않은 것(영상 수를 바꾼 실행)을 나누세요.",
    solution="사전 학습 모델은 같은 인코더로 VOC train_aug 10,582장(모델 목록의 설명)에서 수만 단계 학습했고, 여기의 "
             "미세 조정은 147장에서 몇 에포크뿐이며 새 로짓 층과 디코더는 처음부터 배웁니다. 그러니 '데이터와 학습이 "
             "적다'가 가장 그럴듯한 설명이지만, 이 노트북은 영상 수를 바꿔 재지 않았으므로 그것은 가설입니다. 잰 것은 "
             "7절의 비교(같은 예산에서 디코더를 둔 것과 새 로짓 층만 배운 것)와 검증 10장의 구간입니다. 10장의 "
             "구간이 넓어 작은 차는 판단할 수 없습니다.",
)
