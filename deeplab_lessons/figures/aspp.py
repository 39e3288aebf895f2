"""ASPP 강의의 그림: 가지별 탭 위치, 유효한 탭 수.

각 함수는 pyplot 상태를 쓰지 않는 :class:`matplotlib.figure.Figure` 를 돌려줍니다."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from deeplab_lessons import atrous

__all__ = ["aspp_branches", "valid_taps"]


def aspp_branches(size: int = 33, rates=(6, 12, 18)) -> Figure:
    """v3 ASPP의 가지들이 특징 맵(513 입력, 출력 보폭 16이면 33×33) 위에서 보는 범위."""
    from matplotlib.patches import Rectangle

    fig = Figure(figsize=(8, 6.4))
    ax = fig.subplots()
    ax.imshow(np.full((size, size), 0.12), cmap="Greys", vmin=0, vmax=1)  # 옅은 회색 = 특징 맵
    center = size // 2
    colors = ("tab:blue", "tab:orange", "tab:green", "tab:red")
    extents = [(1, "1×1")] + [(atrous.effective_kernel_size(3, r), f"3×3, 팽창률 {r}") for r in rates]
    for (extent, label), color in zip(extents, colors, strict=False):
        half = extent / 2
        ax.add_patch(Rectangle((center - half, center - half), extent, extent, fill=False,
                               edgecolor=color, linewidth=2.5,
                               label=f"{label}: {extent}×{extent}"))
        if extent > 1:
            for dy in (-1, 0, 1):
                for dx in (-1, 0, 1):
                    step = (extent - 1) // 2
                    ax.plot(center + dx * step, center + dy * step, "o", color=color, markersize=6)
    ax.add_patch(Rectangle((-0.5, -0.5), size, size, fill=False, edgecolor="tab:purple",
                           linewidth=4, linestyle="--", label=f"이미지 수준 풀링: {size}×{size} 전체"))
    ax.set_xlim(-4, size + 3)
    ax.set_ylim(size + 3, -4)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=10, frameon=False)
    ax.set_title(f"ASPP의 다섯 가지가 {size}×{size} 특징 맵에서 보는 범위 (점: 3×3 탭)")
    return fig


def valid_taps(size: int = 65, max_rate: int = 64) -> Figure:
    """팽창률이 커질수록 3×3 필터의 아홉 탭이 모두 유효한 출력 칸은 줄고, 가운데 하나만 남습니다."""
    from deeplab_lessons import layers

    rates = np.arange(1, max_rate + 1)
    histograms = [layers.valid_weight_histogram(size, int(r)) for r in rates]
    fig = Figure(figsize=(9, 4.2))
    ax = fig.subplots()
    for count, label in ((9, "탭 9개 모두 유효"), (1, "가운데 탭 1개만 유효")):
        ax.plot(rates, [100 * h.get(count, 0.0) for h in histograms], linewidth=2.5, label=label)
    ax.set_xlabel("팽창률 r", fontsize=12)
    ax.set_ylabel("해당하는 출력 칸 (%)", fontsize=12)
    ax.set_title(f"{size}×{size} 특징 맵에서 3×3 필터의 유효한 탭 (DeepLab v3 그림 4)")
    ax.legend(frameon=False, fontsize=11)
    ax.grid(alpha=0.3)
    return fig
