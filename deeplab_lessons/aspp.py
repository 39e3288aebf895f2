"""ASPP(아트러스 공간 피라미드 풀링)의 식: 출력 보폭별 팽창률, 매개변수 수, 특징 맵 위에서 유효한 탭.

Keras 층은 :mod:`deeplab_lessons.layers` 에 있습니다. 이 모듈은 NumPy만 쓰므로 TensorFlow 없이 불러집니다.
"""

from __future__ import annotations

import numpy as np

from deeplab_lessons.errors import bad_argument, check_choice, check_int

#: 출력 보폭별 v3 ASPP의 팽창률(논문: 출력 보폭 8에서는 16의 두 배).
V3_RATES = {16: (6, 12, 18), 8: (12, 24, 36)}
#: v2의 ASPP-L과 ASPP-S의 팽창률.
V2_RATES = {"L": (6, 12, 18, 24), "S": (2, 4, 8, 12)}
#: v3+ 머리의 채널: ASPP·디코더의 채널(공식 코드의 기본 256)과, 디코더가 저수준 특징을 줄이는 채널 48(v3+ 논문 4.1절).
#: 모델을 짓는 ``models``·``xception`` 과 TF 없이 세는 식이 함께 씁니다.
V3_PLUS_FILTERS = 256
DECODER_LOW_LEVEL_FILTERS = 48


def check_rates(rates, allow_empty: bool = False) -> tuple[int, ...]:
    """팽창률 목록이 양의 정수들인지 확인합니다(``allow_empty`` 면 빈 목록도 받음)."""
    rates = tuple(rates)
    if not rates and not allow_empty:
        raise bad_argument("rates", rates, "양의 정수 팽창률을 하나 이상 담아야 합니다",
                           "예: rates=(6, 12, 18)")
    return tuple(check_int("rates의 원소", r) for r in rates)


def aspp_rates(output_stride: int) -> tuple[int, ...]:
    """v3 ASPP의 팽창률: 출력 보폭 16이면 (6, 12, 18), 8이면 (12, 24, 36).

    Raises:
        DeepLabLessonsError: 출력 보폭이 8이나 16이 아닐 때.
    """
    return V3_RATES[check_choice("output_stride", output_stride, tuple(V3_RATES))]


# ---------------------------------------------------------------- 매개변수 식

def aspp_v2_params(in_channels: int, num_classes: int = 21, rates=V2_RATES["L"],
                   filters: int | None = 1024) -> int:
    """ASPPv2의 매개변수 수(편향 포함).

    VGG-16 버전(``filters`` 가 정수): 가지마다 ``9·C·F + F + F·F + F + F·K + K``.
    ResNet-101 버전(``filters=None``): 가지마다 ``9·C·K + K``.
    """
    c, k = in_channels, num_classes
    if filters is None:
        per_branch = 9 * c * k + k
    else:
        f = filters
        per_branch = (9 * c * f + f) + (f * f + f) + (f * k + k)
    return per_branch * len(check_rates(rates))


def aspp_v3_params(in_channels: int, filters: int = 256, rates=V3_RATES[16],
                   image_pooling: bool = True) -> int:
    """ASPPv3의 매개변수 수. 합성곱은 편향이 없고, 배치 정규화는 채널마다 4개(γ, β, 이동 평균, 이동 분산).

    ``1×1: C·F`` + ``3×3 가지마다: 9·C·F`` + ``풀링: C·F`` + ``투영: (가지 수·F)·F``
    + BN ``4F`` × (가지 수 + 1).
    """
    c, f = in_channels, filters
    branches = 1 + len(check_rates(rates, allow_empty=True)) + (1 if image_pooling else 0)
    convs = c * f + 9 * c * f * len(rates) + (c * f if image_pooling else 0) + branches * f * f
    return convs + 4 * f * (branches + 1)


# ---------------------------------------------------------------- 유효한 탭 세기 (v3 논문 그림 4)

def valid_weight_histogram(size: int, rate: int, kernel: int = 3) -> dict[int, float]:
    """``size×size`` 특징 맵에서 팽창률 ``rate`` 의 ``kernel×kernel`` 필터가 출력 칸마다 패딩이 아닌
    실제 화소에 닿는 가중치(탭)의 수를 세어, {유효한 탭 수: 그런 출력 칸의 몫(0–1)}로 돌려줍니다.

    팽창률이 특징 맵 크기에 가까워지면 거의 모든 칸에서 가운데 탭 하나만 유효해집니다. 그러면 3×3 필터는
    1×1 필터처럼 됩니다 — v3가 이미지 수준 풀링 가지를 더한 이유입니다.
    """
    size, rate = check_int("size", size), check_int("rate", rate)
    offsets = (np.arange(check_int("kernel", kernel)) - kernel // 2) * rate
    positions = np.arange(size)
    per_axis = ((positions[:, None] + offsets[None, :] >= 0)
                & (positions[:, None] + offsets[None, :] < size)).sum(axis=1)
    counts = np.outer(per_axis, per_axis).ravel()
    values, freq = np.unique(counts, return_counts=True)
    return {int(v): float(n) / counts.size for v, n in zip(values, freq, strict=True)}
