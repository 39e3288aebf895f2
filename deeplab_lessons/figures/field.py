"""수용 영역 강의의 그림: 격자 현상, 기울기로 본 수용 영역, 유효 수용 영역, 팽창률 탐색.

각 함수는 pyplot 상태를 쓰지 않는 :class:`matplotlib.figure.Figure` 를 돌려줍니다."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from deeplab_lessons import gridding as gridding_module
from deeplab_lessons import receptive_field

__all__ = ["gridding", "gradient_fields", "example_stacks", "effective_field", "rate_explorer", "rate_slider"]


def gridding(rate_sets=((2, 2, 2), (1, 2, 3))) -> Figure:
    """같은 팽창률을 쌓으면 생기는 격자 현상(구멍)과, 팽창률을 섞으면 메워지는 모습."""
    fig = Figure(figsize=(9, 4.4))
    for ax, rates in zip(fig.subplots(1, len(rate_sets)), rate_sets, strict=True):
        pattern = gridding_module.sampled_positions(rates)
        image = ax.imshow(pattern, cmap="viridis")
        ax.set_title(f"팽창률 {rates}: 수용 영역 {pattern.shape[0]}×{pattern.shape[1]}\n"
                     f"실제로 보는 칸 {100 * gridding_module.coverage(rates):.0f} %")
        ax.set_xticks([])
        ax.set_yticks([])
        fig.colorbar(image, ax=ax, shrink=0.8, label="경로 수")
    fig.suptitle("맨 위 출력 한 칸이 보는 입력 칸 (0 = 구멍)")
    return fig


def gradient_fields(stacks=None) -> Figure:
    """몇 가지 작은 네트워크의 기울기 지도(경험적 수용 영역)와 식으로 구한 값."""
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
    """기울기로 재는 작은 네트워크들(이름 → 층 목록)."""
    spec = receptive_field.LayerSpec
    return {
        "3×3 세 층": receptive_field.conv_stack((1, 1, 1)),
        "팽창률 1, 2, 4, 8": receptive_field.conv_stack((1, 2, 4, 8)),
        "팽창률 2, 2, 2": receptive_field.conv_stack((2, 2, 2)),
        "보폭 2 두 번 + 팽창률 2": [spec(3, 2, 1, 1), spec(3, 1, 1, 1), spec(3, 2, 1, 1),
                             spec(3, 1, 2, 1)],
    }


def effective_field(depths=(2, 4, 8, 16, 32)) -> Figure:
    """3×3 층을 n개 쌓을 때의 기울기 지도(위)와, 이론적·유효 수용 영역의 폭을 로그–로그로(아래).

    위 칸은 각 깊이의 이론적 수용 영역만큼 잘라 보여 주고, 하늘색 사각형이 기울기의 95 %를 담는 정사각형
    (유효 수용 영역)입니다. 아래 칸의 점선은 유효 폭에 맞춘 거듭제곱 직선(직선의 경사가 곧 지수)입니다.
    """
    from matplotlib.patches import Rectangle

    fig = Figure(figsize=(10, 7), layout="constrained")
    grid = fig.add_gridspec(2, len(depths), height_ratios=[1, 1.5])
    theory, spread = [], []
    for column, depth in enumerate(depths):
        size, grad = receptive_field.empirical_receptive_field(receptive_field.conv_stack((1,) * depth))
        width = receptive_field.effective_spread(grad)
        theory.append(size)
        spread.append(width)
        center, half = grad.shape[0] // 2, size // 2
        crop = grad[center - half:center + half + 1, center - half:center + half + 1]
        ax = fig.add_subplot(grid[0, column])
        ax.imshow(crop / crop.max(), cmap="magma")
        corner = (size - width) / 2 - 0.5
        ax.add_patch(Rectangle((corner, corner), width, width, fill=False, edgecolor="cyan", linewidth=2))
        ax.set_title(f"{depth}층\n이론 {size}, 유효 {width}", fontsize=12)
        ax.set_xticks([])
        ax.set_yticks([])
    exponent, coefficient = receptive_field.power_law_fit(depths, spread)
    theory_exponent, _ = receptive_field.power_law_fit(depths, theory)
    ax = fig.add_subplot(grid[1, :])
    ax.loglog(depths, theory, "o-", base=2, linewidth=2, markersize=8,
              label=f"이론적 수용 영역 (지수 {theory_exponent:.2f})")
    ax.loglog(depths, spread, "s-", base=2, linewidth=2, markersize=8, label="유효 수용 영역 (기울기 95 %)")
    fitted = coefficient * np.asarray(depths, dtype=float) ** exponent
    ax.loglog(depths, fitted, "--", base=2, color="gray", label=f"맞춘 직선: 폭 ∝ n^{exponent:.2f}")
    ax.set_xticks(list(depths), [str(d) for d in depths])
    ax.set_yticks([4, 8, 16, 32, 64], ["4", "8", "16", "32", "64"])
    ax.set_xlabel("층 수 n (로그 눈금)", fontsize=12)
    ax.set_ylabel("한 변의 길이 (화소, 로그 눈금)", fontsize=12)
    ax.tick_params(labelsize=11)
    ax.grid(alpha=0.3, which="both")
    ax.legend(fontsize=11, loc="upper left", frameon=False)
    fig.suptitle("깊어질수록 기울기는 가운데에 몰립니다: 유효 폭은 약 √n, 이론 폭은 n에 비례", fontsize=13)
    return fig


def rate_explorer(rate: int, depth: int = 3) -> Figure:
    """슬라이더용: 같은 팽창률 ``rate`` 를 ``depth`` 층 쌓았을 때 보는 입력 칸."""
    rates = (rate,) * depth
    pattern = gridding_module.sampled_positions(rates)
    fig = Figure(figsize=(4.5, 4.5))
    ax = fig.subplots()
    ax.imshow(pattern > 0, cmap="Greys")
    ax.set_title(f"팽창률 {rate}인 3×3 층 {depth}개: 보는 칸 {100 * gridding_module.coverage(rates):.0f} %")
    ax.set_xticks([])
    ax.set_yticks([])
    return fig


def rate_slider(rate: int = 2, depth: int = 3):
    """팽창률과 층 수를 바꿔 보는 슬라이더(``ipywidgets`` 필요).

    먼저 처음 값의 정적 그림을 보여 주고(저장된 노트북에서도 보임), 그 아래 슬라이더를 둡니다. 슬라이더를
    움직이면 위 그림이 바뀝니다. 슬라이더가 그려지지 않는 곳(커널 없이 연 노트북, 웹 미리보기)에서는 슬라이더
    자리에 한국어 안내가 보입니다.

    Raises:
        ImportError: ``ipywidgets`` 가 없을 때(노트북은 이때 정적 그림만 보여 줍니다).
    """
    import ipywidgets as widgets
    from IPython.display import display

    handle = display(rate_explorer(rate, depth), display_id=True)

    def redraw(rate, depth):
        handle.update(rate_explorer(rate, depth))

    controls = widgets.interactive(
        redraw,
        rate=widgets.IntSlider(value=rate, min=1, max=6, description="팽창률"),
        depth=widgets.IntSlider(value=depth, min=1, max=5, description="층 수"))
    display(_WithKoreanFallback(controls))


class _WithKoreanFallback:
    """위젯을 보여 주되, 위젯을 그릴 수 없는 화면의 글자 대신 한국어 안내를 둡니다."""

    def __init__(self, widget):
        self.widget = widget

    def _repr_mimebundle_(self, **kwargs):
        bundle = self.widget._repr_mimebundle_(**kwargs)
        bundle["text/plain"] = ("[슬라이더: 커널을 실행한 JupyterLab에서 이 셀을 실행하면 나타납니다. "
                                "위 그림은 처음 값(팽창률 2, 3층)입니다.]")
        return bundle
