"""깊이별 분리 합성곱 강의의 그림.

각 함수는 pyplot 상태를 쓰지 않는 :class:`matplotlib.figure.Figure` 를 돌려줍니다."""

from __future__ import annotations

from matplotlib.figure import Figure

__all__ = ["depthwise_separable"]


def depthwise_separable(kernel: int = 3, in_channels: int = 4, out_channels: int = 6) -> Figure:
    """표준 합성곱과 깊이별 → 점별 합성곱의 계산을 채널 색으로 나란히."""
    from matplotlib.patches import FancyArrowPatch, Rectangle

    from deeplab_lessons import counting

    case = counting.ConvCase(kernel, in_channels, out_channels, 1, 1)
    palette = [f"C{i}" for i in range(max(in_channels, out_channels))]
    fig = Figure(figsize=(10, 5))
    axes = fig.subplots(2, 1)

    def stack(ax, x, n, colors, label, width=0.8):
        for i in range(n):
            ax.add_patch(Rectangle((x + 0.12 * i, 0.12 * i), width, width, facecolor=colors[i],
                                   edgecolor="black", alpha=0.85))
        ax.text(x + 0.5, -0.45, label, ha="center", va="top", fontsize=10)

    def arrow(ax, x0, x1, text):
        ax.add_patch(FancyArrowPatch((x0, 0.6), (x1, 0.6), arrowstyle="->", mutation_scale=15))
        ax.text((x0 + x1) / 2, 1.35, text, ha="center", fontsize=9)

    top, bottom = axes
    stack(top, 0, in_channels, palette, f"입력 ({in_channels}채널)")
    arrow(top, 1.6, 4.2, f"{out_channels}개 필터, 각 {kernel}×{kernel}×{in_channels}")
    stack(top, 4.6, out_channels, ["gray"] * out_channels, f"출력 ({out_channels}채널)")
    top.set_title(f"표준 합성곱: 가중치 {counting.standard_params(case)}개 "
                  f"({kernel}·{kernel}·{in_channels}·{out_channels})")

    stack(bottom, 0, in_channels, palette, f"입력 ({in_channels}채널)")
    arrow(bottom, 1.6, 3.4, f"깊이별: 채널마다 {kernel}×{kernel} 하나")
    stack(bottom, 3.8, in_channels, palette, "채널별 결과")
    arrow(bottom, 5.4, 7.4, f"점별: {out_channels}개 1×1×{in_channels}")
    stack(bottom, 7.8, out_channels, ["gray"] * out_channels, f"출력 ({out_channels}채널)")
    bottom.set_title(f"깊이별 분리 합성곱: 가중치 {counting.separable_params(case)}개 "
                     f"({kernel}·{kernel}·{in_channels} + {in_channels}·{out_channels})")
    for ax in axes:
        ax.set_xlim(-0.5, 10)
        ax.set_ylim(-1.2, 1.8)
        ax.set_aspect("equal")
        ax.axis("off")
    return fig
