"""사전 학습 모델 강의의 그림: 분할 결과, 혼동 행렬, 마스크 비교.

각 함수는 pyplot 상태를 쓰지 않는 :class:`matplotlib.figure.Figure` 를 돌려줍니다."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from deeplab_lessons import viz, voc

__all__ = ["segmentation_result", "confusion_matrix_figure", "mask_comparison"]


def segmentation_result(rgb: np.ndarray, mask: np.ndarray, title: str = "") -> Figure:
    """6강: 공식 데모처럼 영상 | 색으로 나타낸 분할 | 겹쳐 보기 | 나온 클래스의 범례."""
    fig = Figure(figsize=(10, 3.0))
    axes = fig.subplots(1, 4, gridspec_kw={"width_ratios": [1, 1, 1, 0.8]})
    panels = (("입력 영상", rgb), ("분할 결과", voc.label_to_color(mask)),
              ("겹쳐 보기", viz.overlay(rgb, mask)))
    for ax, (name, picture) in zip(axes[:3], panels, strict=True):
        ax.imshow(picture, interpolation="bilinear")
        ax.set_title(name)
        ax.axis("off")
    viz.class_legend(axes[3], [class_id for class_id, _ in voc.class_shares(mask)], loc="center left")
    if title:
        fig.suptitle(title)
    return fig


def confusion_matrix_figure(matrix: np.ndarray, normalize: bool = True) -> Figure:
    """6강: 혼동 행렬(행: 정답, 열: 예측). 정답이나 예측에 나온 클래스만 보이고, 행마다 비율로 나눕니다."""
    present = np.flatnonzero((matrix.sum(axis=0) + matrix.sum(axis=1)) > 0)
    shown = matrix[np.ix_(present, present)].astype(float)
    if normalize:
        rows = shown.sum(axis=1, keepdims=True)
        shown = np.divide(shown, rows, out=np.zeros_like(shown), where=rows > 0)
    names = [voc.CLASS_NAMES_KO[i] for i in present]
    fig = Figure(figsize=(8, 6.5))
    ax = fig.subplots()
    image = ax.imshow(shown, cmap="Blues", vmin=0, vmax=1 if normalize else None)
    ax.set_xticks(range(len(names)), names, rotation=60, ha="right")
    ax.set_yticks(range(len(names)), names)
    ax.set_xlabel("예측")
    ax.set_ylabel("정답")
    fig.colorbar(image, ax=ax, label="정답 화소 중 비율" if normalize else "화소 수")
    ax.set_title("혼동 행렬")
    return fig


# ---------------------------------------------------------------- 7강

def mask_comparison(rgb: np.ndarray, masks: dict, title: str = "") -> Figure:
    """7강: 같은 영상의 마스크 여럿(예: 입력 크기 257, 321, 513)을 겹쳐 보기로 나란히."""
    fig = Figure(figsize=(10, 3.4))
    axes = fig.subplots(1, len(masks))
    for ax, (name, mask) in zip(np.atleast_1d(axes), masks.items(), strict=True):
        ax.imshow(viz.overlay(rgb, mask), interpolation="bilinear")
        ax.set_title(name)
        ax.axis("off")
    if title:
        fig.suptitle(title)
    return fig
