"""시험 시점 다듬기 강의의 그림: 영상 | 예측 | CRF로 다듬은 예측 | 정답(경계 띠 표시), 평균장 반복.

각 함수는 pyplot 상태를 쓰지 않는 :class:`matplotlib.figure.Figure` 를 돌려줍니다."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from deeplab_lessons import voc

__all__ = ["refinement_comparison", "mean_field_iterations"]

#: 경계 띠의 테두리를 그리는 색.
BAND_COLOR = "#00e5ff"


def refinement_comparison(rows, band_width: int = 5) -> Figure:
    """행마다 영상 | 한 배율 예측 | CRF로 다듬은 예측 | 정답. 예측과 정답에는 경계 띠의 테두리(하늘색 선)를 겹칩니다.

    Args:
        rows: ``(제목, rgb, 예측, CRF 예측, 정답)`` 의 목록(2–3개). 마스크는 ``(H, W)`` 클래스 번호(정답은 255 포함).
        band_width: 띠 폭(화소, :func:`deeplab_lessons.upsampling.boundary_band`).
    """
    from deeplab_lessons.refine import trimap_accuracy
    from deeplab_lessons.upsampling import boundary_band

    fig = Figure(figsize=(10, 2.6 * len(rows) + 0.4), layout="constrained")
    axes = np.atleast_2d(fig.subplots(len(rows), 4))
    for ax_row, (title, rgb, prediction, refined, truth) in zip(axes, rows, strict=True):
        band = boundary_band(truth, band_width)
        panels = [(f"{title}: 영상", rgb),
                  (f"예측 (띠 정확도 {trimap_accuracy(truth, prediction, band_width):.0%})",
                   voc.label_to_color(prediction)),
                  (f"CRF 후 (띠 정확도 {trimap_accuracy(truth, refined, band_width):.0%})",
                   voc.label_to_color(refined)),
                  ("정답 (연한 색 = 무시)", voc.label_to_color(truth))]
        for index, (ax, (name, picture)) in enumerate(zip(ax_row, panels, strict=True)):
            ax.imshow(picture, interpolation="nearest")
            if index:
                ax.contour(band, levels=[0.5], colors=BAND_COLOR, linewidths=0.7)
            ax.set_title(name, fontsize=11)
            ax.axis("off")
    fig.suptitle(f"하늘색 선 사이: 정답 경계에서 {band_width}화소 안의 띠(경계 띠 정확도를 세는 곳)", fontsize=12)
    return fig


def mean_field_iterations(rgb: np.ndarray, states, class_id: int, steps=(0, 1, 2, 5, 10)) -> Figure:
    """평균장 반복에 따른 한 클래스의 확률 ``Q(class_id)`` (0 = 네트워크 확률 그대로)."""
    steps = [s for s in steps if s < len(states)]
    fig = Figure(figsize=(10, 2.6), layout="constrained")
    axes = fig.subplots(1, len(steps) + 1)
    axes[0].imshow(rgb)
    axes[0].set_title("영상")
    for ax, step in zip(axes[1:], steps, strict=True):
        image = ax.imshow(states[step][..., class_id], cmap="magma", vmin=0, vmax=1)
        ax.set_title(f"반복 {step}")
    for ax in axes:
        ax.axis("off")
    fig.colorbar(image, ax=axes[-1], shrink=0.8, label=f"Q({voc.CLASS_NAMES_KO[class_id]})")
    return fig
