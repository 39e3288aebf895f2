"""수용 영역 강의의 그림: 격자 현상, 기울기로 본 수용 영역, 유효 수용 영역, 팽창률 탐색.

각 함수는 pyplot 상태를 쓰지 않는 :class:`matplotlib.figure.Figure` 를 돌려줍니다."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from deeplab_lessons import receptive_field

__all__ = ["gridding", "gradient_fields", "example_stacks", "effective_field", "rate_explorer"]


def gridding(rate_sets=((2, 2, 2), (1, 2, 3))) -> Figure:
    """2강: 같은 팽창률을 쌓으면 생기는 격자 현상(구멍)과, 팽창률을 섞으면 메워지는 모습."""
    fig = Figure(figsize=(9, 4.4))
    for ax, rates in zip(fig.subplots(1, len(rate_sets)), rate_sets, strict=True):
        pattern = receptive_field.sampled_positions(rates)
        image = ax.imshow(pattern, cmap="viridis")
        ax.set_title(f"팽창률 {rates}: 수용 영역 {pattern.shape[0]}×{pattern.shape[1]}\n"
                     f"실제로 보는 칸 {receptive_field.coverage(rates):.0%}")
        ax.set_xticks([])
        ax.set_yticks([])
        fig.colorbar(image, ax=ax, shrink=0.8, label="경로 수")
    fig.suptitle("맨 위 출력 한 칸이 보는 입력 칸 (0 = 구멍)")
    return fig


def gradient_fields(stacks=None) -> Figure:
    """2강: 몇 가지 작은 네트워크의 기울기 지도(경험적 수용 영역)와 식으로 구한 값."""
    if stacks is None:
        stacks = example_stacks()
    fig = Figure(figsize=(10, 3.2))
    for ax, (title, layers) in zip(fig.subplots(1, len(stacks)), stacks.items(), strict=True):
        measured, grad = receptive_field.empirical_receptive_field(layers)
        ax.imshow(np.log1p(grad), cmap="magma")
        ax.set_title(f"{title}\n식 {receptive_field.receptive_field(layers)}, 기울기 {measured}",
                     fontsize=10)
        ax.set_xticks([])
        ax.set_yticks([])
    fig.suptitle("가운데 출력 한 칸의 입력 기울기 (밝을수록 큼, 로그 눈금)", y=1.04)
    return fig


def example_stacks() -> dict:
    """2강에서 기울기로 재는 작은 네트워크들(이름 → 층 목록)."""
    spec = receptive_field.LayerSpec
    return {
        "3×3 세 층": receptive_field.conv_stack((1, 1, 1)),
        "팽창률 1, 2, 4, 8": receptive_field.conv_stack((1, 2, 4, 8)),
        "팽창률 2, 2, 2": receptive_field.conv_stack((2, 2, 2)),
        "보폭 2 두 번 + 팽창률 2": [spec(3, 2, 1, 1), spec(3, 1, 1, 1), spec(3, 2, 1, 1),
                             spec(3, 1, 2, 1)],
    }


def effective_field(depths=(2, 4, 8, 16)) -> Figure:
    """2강: 3×3 층을 깊이 쌓을 때 이론적 수용 영역과 유효 수용 영역(기울기 95 %)의 차이."""
    fig = Figure(figsize=(10, 3.6))
    axes = fig.subplots(1, len(depths) + 1, gridspec_kw={"width_ratios": [1] * len(depths) + [1.6]})
    theory, spread = [], []
    canvas = 2 * receptive_field.receptive_field(receptive_field.conv_stack((1,) * max(depths))) + 1
    for ax, depth in zip(axes[:-1], depths, strict=True):
        layers = receptive_field.conv_stack((1,) * depth)
        rf, grad = receptive_field.empirical_receptive_field(layers, input_size=canvas)
        theory.append(rf)
        spread.append(receptive_field.effective_spread(grad))
        ax.imshow(grad / grad.max(), cmap="magma")
        ax.set_title(f"{depth}층", fontsize=10)
        ax.set_xticks([])
        ax.set_yticks([])
    axes[-1].plot(depths, theory, "o-", label="이론적 수용 영역")
    axes[-1].plot(depths, spread, "s-", label="유효 수용 영역 (95 %)")
    axes[-1].set_xlabel("층 수")
    axes[-1].set_ylabel("한 변 (픽셀)")
    axes[-1].legend(fontsize=9, loc="upper left", frameon=False)
    fig.suptitle("깊어질수록 기울기는 가운데에 몰립니다 (가우스 모양)", y=1.02)
    return fig


def rate_explorer(rate: int, depth: int = 3) -> Figure:
    """2강 슬라이더용: 같은 팽창률 ``rate`` 를 ``depth`` 층 쌓았을 때 보는 입력 칸."""
    rates = (rate,) * depth
    pattern = receptive_field.sampled_positions(rates)
    fig = Figure(figsize=(4.5, 4.5))
    ax = fig.subplots()
    ax.imshow(pattern > 0, cmap="Greys")
    ax.set_title(f"팽창률 {rates}: 보는 칸 {receptive_field.coverage(rates):.0%}")
    ax.set_xticks([])
    ax.set_yticks([])
    return fig
