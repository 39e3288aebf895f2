"""과정 소개(00_introduction.ipynb)의 연습문제."""

from __future__ import annotations

import numpy as np

from deeplab_lessons import metrics
from deeplab_lessons.exercise_bank._shared import same_padding_size, seeded_rng
from deeplab_lessons.grading import Case, Exercise, Mistake
from deeplab_lessons.voc import IGNORE_LABEL


def class_pixel_counts_reference(label_map, num_classes):
    """기준 구현: 혼동 행렬(정답 = 예측 = ``label_map``)의 대각선 = 클래스별 화소 수(255 제외)."""
    return np.diag(metrics.confusion_matrix(label_map, label_map, num_classes))


def class_pixel_counts_answer(label_map, num_classes):
    """클래스 0 … num_classes−1 마다 화소 수를 셉니다. 255(경계·무시)는 세지 않습니다."""
    counts = np.zeros(num_classes, dtype=np.int64)
    for class_id in range(num_classes):
        counts[class_id] = np.sum(label_map == class_id)
    return counts


def _class_pixel_cases() -> list[Case]:
    rng = seeded_rng(0)
    cases = [Case({"label_map": np.array([[0, 15], [15, 255]]), "num_classes": 21}, "255가 섞인 작은 지도")]
    for _ in range(4):
        num_classes = int(rng.integers(3, 8))
        label_map = rng.integers(0, num_classes - 1, size=(int(rng.integers(3, 7)), int(rng.integers(3, 7))))
        label_map[rng.random(label_map.shape) < 0.15] = IGNORE_LABEL
        cases.append(Case({"label_map": label_map, "num_classes": num_classes}, "무작위, 마지막 클래스는 없음"))
    cases.append(Case({"label_map": np.full((2, 3), IGNORE_LABEL), "num_classes": 4}, "모두 255"))
    return cases


CLASS_PIXELS = Exercise(
    id="class-pixels", kind="코드",
    title="클래스마다 화소 수 세기(255 제외)",
    prompt="`class_pixel_counts(label_map, num_classes)`",
    hint="결과는 길이 num_classes의 배열입니다: 지도에 없는 클래스는 0, 255(경계·무시) 화소는 어느 칸에도 "
         "넣지 않습니다. 1절의 `np.unique(label_map, return_counts=True)` 셀을 다시 보세요.",
    solution="클래스 번호마다 `label_map == 번호` 인 칸을 셉니다. np.bincount를 쓴다면 255를 먼저 빼고 "
             "minlength=num_classes를 주어야 길이가 맞습니다.",
    reference=class_pixel_counts_reference, cases=_class_pixel_cases, model_answer=class_pixel_counts_answer,
    mistakes=(
        Mistake("255(경계·무시) 화소까지 셌습니다. label_map != 255 인 화소만 세세요.",
                function=lambda label_map, num_classes: np.bincount(label_map.ravel())),
        Mistake("지도에 있는 클래스만 셌습니다. 없는 클래스도 0으로 넣어 길이를 num_classes로 맞추세요.",
                function=lambda label_map, num_classes: np.unique(label_map[label_map != 255],
                                                                 return_counts=True)[1]),
        Mistake("np.bincount는 가장 큰 번호까지만 칸을 만듭니다. minlength=num_classes를 주세요.",
                function=lambda label_map, num_classes: np.bincount(label_map[label_map != 255].ravel())),
    ),
)

LOGITS_SHAPE = Exercise(
    id="logits-shape", kind="값",
    title="분할 네트워크의 로짓 모양",
    prompt="769×769 영상을 Cityscapes의 19개 클래스로 분할하는 네트워크의 로짓 모양은?",
    hint="화소마다 클래스 수만큼의 점수가 있습니다: (높이, 너비, 클래스 수). 클래스 수는 VOC의 21이 아닙니다.",
    solution="화소 769×769개 각각에 클래스 19개의 점수가 있으므로 (769, 769, 19)입니다.",
    expected=lambda: (769, 769, 19),
    mistakes=(
        Mistake("클래스 수 축의 자리를 보세요. 이 강좌(Keras)는 채널을 마지막에 둡니다: (높이, 너비, 클래스 수).",
                value=(19, 769, 769)),
        Mistake("21은 PASCAL VOC의 클래스 수입니다. 이 문제는 Cityscapes(19개)입니다.", value=(769, 769, 21)),
        Mistake("그것은 arg-max 뒤의 클래스 번호 지도 모양입니다. 로짓은 클래스마다 점수가 있습니다.",
                value=(769, 769)),
    ),
)



POOLED_FEATURE_SIZE = Exercise(
    id="pooled-feature-size", kind="값",
    title="풀링을 모두 남긴 분류 네트워크의 특징 맵 크기",
    prompt="321×321 입력에 보폭 2, `same` 패딩 (padding)의 층을 다섯 번 쓰면(출력 보폭 32) "
           "마지막 특징 맵은 한 변이 몇 화소일까요? `same` 패딩은 한 변 n을 보폭 s로 나누고 **올림**합니다: "
           "출력 한 변 = ⌈n / s⌉(예: 7 → ⌈7 / 2⌉ = 4).",
    hint="`same` 패딩의 출력 길이는 ceil(n / s)입니다(올림). 한 번에 32로 나누지 말고 다섯 번 차례로 올림하세요. "
         "atrous_convolution 노트북의 `atrous.output_size`로도 확인할 수 있습니다.",
    solution="same 패딩은 매번 올림합니다: 321 → 161 → 81 → 41 → 21 → 11.",
    expected=lambda: same_padding_size(321, 32),
    mistakes=(Mistake("321 / 32 = 10.03을 내림했습니다. same 패딩은 단계마다 올림합니다(ceil).", value=10),),
)


GAIN_OF_ONE_IDEA = Exercise(
    id="v1-v2-gain", kind="토론",
    title="v1 → v2의 차는 ASPP의 효과인가",
    prompt="2절의 \"앞 버전과의 차\" 표에서 v1 → v2 의 차를 ASPP 하나의 효과라고 부를 수 있을까요?",
    hint="계보 표의 \"추가된 것\" 열과 \"조건\" 열을 v1과 v2 행에서 견주세요. 한 번에 하나만 바뀌었나요?",
    solution="부를 수 없습니다. v1 → v2 에서는 ASPP와 함께 백본(VGG-16 → ResNet-101), 사전 학습(COCO), 입력을 여러 "
             "배율로 넣는 MSC(multi-scale inputs)가 한꺼번에 바뀌었습니다(계보 표의 \"추가된 것\"과 \"조건\" 열). 표의 "
             "차는 이 모두를 합친 값이고, 논문 값끼리의 차라 이 강좌가 잰 것도 아닙니다. ASPP만의 효과를 보려면 "
             "나머지를 "
             "그대로 두고 머리만 바꾼 비교가 필요합니다. v2 논문은 같은 VGG-16에서 LargeFOV와 ASPP를 견주었고(v2 "
             "논문 표 3, "
             "두 머리는 aspp 노트북에서 직접 만들어 봅니다), train_mini_deeplab 노트북은 이 강좌의 작은 모델로 부품을 "
             "하나씩 바꿔 잽니다. 2절이 v3 "
             "→ v3+ 를 "
             "같은 사전 학습끼리 다시 견준 것도 같은 생각이고, 그래도 백본이 달라 디코더만의 효과는 아닙니다.",
)
