"""여러 강의의 연습문제가 같이 쓰는 것: 시드를 고정한 난수와 same 패딩의 크기."""

from __future__ import annotations

import numpy as np

from deeplab_lessons import atrous

SEED = 2024  # 무작위 시험 입력의 시드(채점 결과가 매번 같도록).


def seeded_rng(offset: int) -> np.random.Generator:
    """문제마다 다른 ``offset`` 의 고정 시드 난수 생성기."""
    return np.random.default_rng(SEED + offset)


def same_padding_size(size: int, stride: int) -> int:
    """보폭 2의 same 패딩 층을 ``stride`` 가 될 때까지 거친 한 변(단계마다 올림)."""
    while stride > 1:
        size = atrous.output_size(size, 1, 2, padding="same")
        stride //= 2
    return size
