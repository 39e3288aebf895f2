"""DeepLab v3와 v3+(06_deeplab_v3_plus.ipynb)의 연습문제."""

from __future__ import annotations

import numpy as np

from deeplab_lessons.exercise_bank._shared import same_padding_size, seeded_rng
from deeplab_lessons.grading import Case, Exercise, Mistake


def decoder_sizes_reference(input_size, output_stride, aspp_filters):
    """기준: 보폭 2를 차례로 거친 크기(:func:`atrous.output_size`)와 이어 붙인 채널 수."""
    from deeplab_lessons.models import DECODER_LOW_LEVEL_FILTERS

    return (same_padding_size(input_size, output_stride), same_padding_size(input_size, 4),
            aspp_filters + DECODER_LOW_LEVEL_FILTERS)


def decoder_sizes_answer(input_size, output_stride, aspp_filters):
    """(ASPP 특징 맵 한 변, 저수준 특징 한 변, 디코더가 이어 붙인 채널 수)."""
    encoder = input_size
    for _ in range(int(np.log2(output_stride))):
        encoder = (encoder + 1) // 2                        # 보폭 2(same 패딩)마다 올림: ⌈n / 2⌉
    low_level = ((input_size + 1) // 2 + 1) // 2            # 저수준 특징은 늘 보폭 4: ⌈⌈n / 2⌉ / 2⌉
    return encoder, low_level, aspp_filters + 48            # 저수준 특징은 1×1로 48채널로 줄여 이어 붙임


def _decoder_cases() -> list[Case]:
    rng = seeded_rng(12)
    cases = [Case({"input_size": 513, "output_stride": 16, "aspp_filters": 256}, "deeplab_v3_plus 노트북의 설정"),
             Case({"input_size": 321, "output_stride": 8, "aspp_filters": 256}, "출력 보폭 8")]
    for _ in range(4):
        cases.append(Case({"input_size": int(rng.integers(65, 1025)), "output_stride": int(rng.choice([8, 16, 32])),
                           "aspp_filters": int(rng.choice([64, 128, 256]))}, "무작위"))
    cases.append(Case({"input_size": 256, "output_stride": 16, "aspp_filters": 64}, "나누어떨어지는 크기"))
    return cases


def _decoder_floor(input_size, output_stride, aspp_filters):
    return input_size // output_stride, input_size // 4, aspp_filters + 48


def _decoder_low_follows_stride(input_size, output_stride, aspp_filters):
    encoder, _, channels = decoder_sizes_reference(input_size, output_stride, aspp_filters)
    return encoder, same_padding_size(input_size, output_stride // 4), channels


def _decoder_raw_low_level(input_size, output_stride, aspp_filters):
    encoder, low, _ = decoder_sizes_reference(input_size, output_stride, aspp_filters)
    return encoder, low, aspp_filters + 24


def _decoder_no_low_level_channels(input_size, output_stride, aspp_filters):
    encoder, low, _ = decoder_sizes_reference(input_size, output_stride, aspp_filters)
    return encoder, low, aspp_filters


DECODER_SIZES = Exercise(
    id="decoder-sizes", kind="코드",
    title="v3+ 디코더가 만나는 특징 맵",
    prompt="`decoder_sizes(input_size, output_stride, aspp_filters)`",
    hint="보폭 2의 층(same 패딩)은 한 번마다 한 변을 ⌈n / 2⌉로 줄입니다. ASPP는 출력 보폭의 특징 맵을, 디코더는 "
         "늘 보폭 4의 저수준 특징을 씁니다. 저수준 특징은 1×1 합성곱으로 48채널로 줄인 뒤 ASPP 출력과 이어 붙입니다"
         "(1절의 구조, 4절의 표).",
    solution="ASPP 특징 맵: 보폭 2를 log₂(출력 보폭)번, 매번 올림(513, 16 → 33). 저수준 특징: 출력 보폭과 상관없이 "
             "보폭 4(513 → 129). 이어 붙인 채널: ASPP 출력 채널 + 48(256 + 48 = 304).",
    reference=decoder_sizes_reference, cases=_decoder_cases, model_answer=decoder_sizes_answer,
    mistakes=(
        Mistake("내림했습니다. same 패딩의 보폭 2는 단계마다 올림합니다: 513 → 257 → 129 → 65 → 33.",
                function=_decoder_floor),
        Mistake("저수준 특징의 보폭을 출력 보폭에 맞춰 바꿨습니다. 디코더는 출력 보폭과 상관없이 늘 보폭 4의 특징"
                "(블록 2의 출력)을 씁니다.", function=_decoder_low_follows_stride),
        Mistake("저수준 특징의 채널을 그대로(24) 셌습니다. 디코더는 그것을 1×1 합성곱으로 48채널로 줄여 이어 붙입니다.",
                function=_decoder_raw_low_level),
        Mistake("이어 붙인 채널에 저수준 특징(48채널)을 빠뜨렸습니다.", function=_decoder_no_low_level_channels),
    ),
)

ASPP_FEATURE_SIZE = Exercise(
    id="aspp-feature-size", kind="값",
    title="출력 보폭 8에서 ASPP가 보는 특징 맵",
    prompt="321×321 입력을 출력 보폭 8로 처리하면 ASPP가 보는 특징 맵의 한 변은?",
    hint="보폭 2(same 패딩)를 세 번, 매번 올림합니다: ⌈n / 2⌉.",
    solution="321 → 161 → 81 → 41.",
    expected=lambda: same_padding_size(321, 8),
    mistakes=(Mistake("321 / 8 = 40.1을 내림했습니다. same 패딩은 단계마다 올림합니다.", value=40),),
)

DECODER_UPSAMPLING = Exercise(
    id="decoder-upsampling", kind="값",
    title="디코더 앞의 업샘플링 배수",
    prompt="출력 보폭 8의 인코더 출력을 v3+ 디코더가 저수준 특징에 맞추려면 몇 배로 키워야 할까요?",
    hint="저수준 특징은 출력 보폭과 상관없이 보폭 4입니다. 출력 보폭 8의 특징을 보폭 4까지 키우면 몇 배일까요?",
    solution="8 / 4 = 2배. 출력 보폭 16이면 4배입니다(1절).",
    expected=lambda: 8 // 4,
    mistakes=(
        Mistake("원래 크기까지 키우는 배수입니다. 디코더는 먼저 저수준 특징(보폭 4)까지만 키웁니다.", value=8),
        Mistake("그것은 출력 보폭 16일 때의 배수입니다. 출력 보폭이 8이면 특징 맵이 이미 두 배 촘촘합니다.", value=4),
    ),
)


def _decoder_sepconv_params() -> int:
    from deeplab_lessons import models

    inputs = models.keras.Input((None, None, 256 + models.DECODER_LOW_LEVEL_FILTERS))
    outputs = models.separable_conv_bn_relu(inputs, 256, name="exercise_sepconv")
    return models.keras.Model(inputs, outputs).count_params()


DECODER_SEPCONV_PARAMS = Exercise(
    id="decoder-sepconv-params", kind="값",
    title="디코더의 첫 분리 합성곱",
    prompt="원래 크기 v3+ 디코더의 첫 3×3 분리 합성곱(256채널 출력, 깊이별 단계 뒤에도 배치 정규화)의 "
           "`count_params()`는?",
    hint="입력은 ASPP 출력 256채널과 저수준 특징 48채널을 이어 붙인 것입니다. 깊이별 9·C_in + BN, 점별 C_in·256 + BN, "
         "편향 없음, 배치 정규화는 채널마다 4개(depthwise_separable 노트북의 1절과 4절).",
    solution="C_in = 256 + 48 = 304. 깊이별 9·304 = 2,736 + BN 4·304 = 1,216, "
             "점별 304·256 = 77,824 + BN 4·256 = 1,024. 합 82,800.",
    expected=_decoder_sepconv_params,
    mistakes=(
        Mistake("입력 채널을 256으로 셌습니다. 디코더는 저수준 특징 48채널을 이어 붙인 304채널을 받습니다.",
                value=9 * 256 + 4 * 256 + 256 * 256 + 4 * 256),
        Mistake("깊이별 단계 뒤의 배치 정규화를 빠뜨렸습니다. DeepLab v3+의 분리 합성곱은 깊이별 뒤에도 "
                "BN과 ReLU를 둡니다(Keras의 SeparableConv2D와 다른 점).", value=9 * 304 + 304 * 256 + 4 * 256),
        Mistake("배치 정규화를 채널마다 2개로 셌습니다. count_params()는 이동 평균·이동 분산도 셉니다.",
                value=9 * 304 + 2 * 304 + 304 * 256 + 2 * 256),
        Mistake("표준 3×3 합성곱으로 셌습니다. 분리 합성곱은 깊이별(9·C_in) + 점별(C_in·C_out)입니다.",
                value=9 * 304 * 256 + 4 * 256),
    ),
)

TWO_ROADS_DISCUSSION = Exercise(
    id="two-roads-discussion", kind="토론",
    title="경계를 살리는 두 길: 출력 보폭 8과 디코더",
    prompt="경계를 살리는 길은 둘입니다: 출력 보폭 8의 v3, 그리고 출력 보폭 16에 디코더를 붙인 v3+. 5절의 표로 두 길의 "
           "계산을 견주고, 이 강의 숫자로는 말할 수 없는 것이 무엇인지 적어 보세요.",
    hint="5절 표에서 '출력 보폭 8' 행의 'v3 곱셈-덧셈'과 '출력 보폭 16' 행의 'v3+ 곱셈-덧셈'을 견주세요. 이 강의 "
         "모델은 "
         "학습한 가중치인가요?",
    solution="계산은 디코더 쪽이 쌉니다: 5절 표에서 출력 보폭 16 행의 'v3+ 곱셈-덧셈'이 출력 보폭 8 행의 'v3 "
             "곱셈-덧셈'보다 "
             "한참 작습니다. 출력 보폭 8은 뒤쪽 블록과 ASPP 전체를 네 배 넓은 특징 맵에서 돌리지만, 디코더는 보폭 4의 "
             "저수준 특징 위에서 얇은 분리 합성곱 두 번만 합니다. 매개변수는 출력 보폭을 바꿔도 그대로이고(5절의 "
             "assert), "
             "디코더는 조금 더합니다(4절). 말할 수 없는 것: 어느 길이 경계를 더 잘 살리는지, 평균 IoU가 얼마나 "
             "오르는지. "
             "이 강은 가중치를 학습하지 않고 구조와 계산만 셌습니다. 정확도는 학습한 모델로 재야 하고, "
             "train_mini_deeplab 노트북이 작은 "
             "모델로 "
             "출력 보폭과 디코더를 하나씩 바꿔 잽니다.",
)
