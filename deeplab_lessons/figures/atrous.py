"""아트러스 합성곱 강의의 그림: 구멍 뚫린 커널, 1차원 아트러스 합성곱.

각 함수는 pyplot 상태를 쓰지 않는 :class:`matplotlib.figure.Figure` 를 돌려줍니다."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from deeplab_lessons import atrous

__all__ = ["kernel_with_holes", "atrous_1d"]


def kernel_with_holes(kernel_size: int = 3, rates=(1, 2, 3)) -> Figure:
    """같은 3×3 커널(가중치 9개)을 팽창률 r = 1, 2, 3으로 놓았을 때 입력에서 읽는 칸."""
    size = atrous.effective_kernel_size(kernel_size, max(rates)) + 2
    fig = Figure(figsize=(9, 3.6))
    for ax, rate in zip(fig.subplots(1, len(rates)), rates, strict=True):
        k_eff = atrous.effective_kernel_size(kernel_size, rate)
        start = (size - k_eff) // 2
        grid = np.zeros((size, size))
        grid[start:start + k_eff, start:start + k_eff] = 0.25   # 커널이 덮는 범위
        taps = slice(start, start + k_eff, rate)
        grid[taps, taps] = 1.0                                   # 실제로 곱하는 칸
        ax.imshow(grid, cmap="Blues", vmin=0, vmax=1)
        ax.set_xticks(np.arange(-0.5, size), minor=True)
        ax.set_yticks(np.arange(-0.5, size), minor=True)
        ax.grid(which="minor", color="gray", linewidth=0.5)
        ax.tick_params(which="both", length=0, labelbottom=False, labelleft=False)
        ax.set_title(f"팽창률 r = {rate}\n유효 크기 {k_eff}×{k_eff}, 가중치 {kernel_size ** 2}개")
    fig.suptitle("구멍 뚫린 커널: 진한 칸만 곱하고, 옅은 칸은 건너뜁니다", y=1.02)
    return fig


def atrous_1d(signal_length: int = 16, rate: int = 2) -> Figure:
    """1차원 아트러스 합성곱에서 출력 한 칸이 읽는 입력 위치(커널 3탭)."""
    fig = Figure(figsize=(9, 2.6))
    ax = fig.subplots()
    positions = np.arange(signal_length)
    ax.scatter(positions, np.zeros(signal_length), s=120, color="lightgray", label="입력 x")
    for i, (r, color) in enumerate(((1, "tab:blue"), (rate, "tab:orange"))):
        taps = 4 + r * np.arange(3)
        ax.scatter(taps, np.zeros(3) + 0.5 * (i + 1), s=120, color=color,
                   label=f"r = {r}: y[4] = x[4]·w0 + x[{4 + r}]·w1 + x[{4 + 2 * r}]·w2")
        for t in taps:
            ax.plot([t, t], [0, 0.5 * (i + 1)], color=color, linewidth=1)
    ax.set_xticks(positions)
    ax.set_yticks([])
    ax.set_ylim(-0.3, 1.6)
    ax.set_xlabel("입력 위치 i")
    ax.legend(loc="upper right", fontsize=9, frameon=False)
    ax.set_title("1차원 아트러스 합성곱: 탭 사이 간격이 r")
    return fig
