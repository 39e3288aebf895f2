"""격자 현상(gridding)과 HDC: 팽창률을 쌓은 3×3 합성곱들이 입력의 어느 칸을 읽는지.

같은 팽창률(예: 2, 2, 2)을 쌓으면 출력 한 칸이 입력의 일부 칸만 읽고 그 사이를 건너뜁니다(격자 현상).
:func:`sampled_positions` 와 :func:`coverage` 가 읽는 칸을 세고, :func:`hdc_check` 가 HDC(Wang 외 2018)의 설계
조건을 봅니다.

NumPy만 씁니다.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from deeplab_lessons.atrous import effective_kernel_size
from deeplab_lessons.errors import bad_argument, check_int, check_odd


def sampled_positions(rates, kernel: int = 3) -> np.ndarray:
    """같은 보폭 1의 아트러스 층을 ``rates`` 로 쌓았을 때, 맨 위 한 칸이 입력의 어느 칸을 보는지.

    값은 그 입력 칸에서 출력 칸까지 가는 경로의 수이고, 0은 한 번도 보지 않는 칸(구멍)입니다.
    크기는 ``(RF, RF)`` 입니다.

    Raises:
        DeepLabLessonsError: ``kernel`` 이 홀수가 아니거나 팽창률이 1 이상의 정수가 아닐 때.
    """
    kernel = check_odd("kernel", kernel)
    profile = np.ones(1, dtype=np.int64)
    for rate in rates:
        profile = np.convolve(profile, _dilated_ones(kernel, check_int("rate", rate)))
    return np.outer(profile, profile)


def coverage(rates, kernel: int = 3) -> float:
    """:func:`sampled_positions` 에서 한 번이라도 보는 칸의 몫(0–1)."""
    pattern = sampled_positions(rates, kernel)
    return float((pattern > 0).mean())


@dataclass(frozen=True)
class HDCCheck:
    """:func:`hdc_check` 의 결과: Wang et al. (2018)의 HDC(hybrid dilated convolution) 설계 조건.

    Attributes:
        rates: 검사한 팽창률들(아래 층부터).
        max_distances: 논문의 M_i를 i = 2, …, n 순서로. M_i는 i번째 층에서 "보는" 두 칸 사이의 최대 간격.
        kernel: 커널 크기 K.
        common_factor: 팽창률들의 최대공약수(1보다 크면 그 배수 칸만 보게 됩니다).
    """

    rates: tuple[int, ...]
    max_distances: tuple[int, ...]
    kernel: int
    common_factor: int

    @property
    def max_gap_ok(self) -> bool:
        """M_2 ≤ K 인지(층이 하나뿐이면 팽창률이 1일 때만 참)."""
        if len(self.rates) == 1:
            return self.rates[0] == 1
        return self.max_distances[0] <= self.kernel

    @property
    def satisfied(self) -> bool:
        """논문의 두 조건(M_2 ≤ K, 공약수가 1보다 큰 팽창률 묶음이 아님)을 모두 만족하는지."""
        return self.max_gap_ok and self.common_factor == 1


def hdc_check(rates, kernel: int = 3) -> HDCCheck:
    """팽창률 묶음이 HDC(hybrid dilated convolution, Wang et al. 2018, arXiv:1702.08502)의 조건을 지키는지.

    논문의 점화식 ``M_i = max(M_{i+1} − 2r_i, M_{i+1} − 2(M_{i+1} − r_i), r_i)``, ``M_n = r_n`` 으로
    M_n부터 M_2까지 구하고, 설계 목표 ``M_2 ≤ K`` 와 "팽창률들에 1보다 큰 공약수가 없을 것"을 봅니다.

    이 조건은 첫 팽창률이 1일 때(논문의 예 (1, 2, 5)처럼) 구멍이 없다는 **충분조건** 입니다:
    조건을 만족하면 :func:`coverage` 가 1이지만, 만족하지 않아도 구멍이 없을 수 있습니다(예: (1, 3, 2)).
    첫 팽창률이 1보다 크면 조건을 만족해도 구멍이 생길 수 있습니다(예: (2, 2, 3)). 공약수가 1보다 크면
    언제나 구멍이 있습니다.

    Raises:
        DeepLabLessonsError: 팽창률이 없거나 1 이상의 정수가 아닐 때, ``kernel`` 이 홀수가 아닐 때.
    """
    kernel = check_odd("kernel", kernel)
    rates = tuple(check_int("rate", r) for r in rates)
    if not rates:
        raise bad_argument("rates", rates, "팽창률을 하나 이상 담아야 합니다", "예: rates=(1, 2, 5)")
    distance, distances = rates[-1], [rates[-1]]
    for rate in reversed(rates[1:-1]):
        distance = max(distance - 2 * rate, distance - 2 * (distance - rate), rate)
        distances.append(distance)
    return HDCCheck(rates, tuple(reversed(distances)) if len(rates) > 1 else (), kernel,
                    math.gcd(*rates))


def _dilated_ones(kernel: int, rate: int) -> np.ndarray:
    ones = np.zeros(effective_kernel_size(kernel, rate), dtype=np.int64)
    ones[::rate] = 1
    return ones
