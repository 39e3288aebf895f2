"""미세 조정 강의의 그림: 학습 전처리로 만든 자르기, 내 클래스의 혼동 행렬, 가장 나쁜 영상.

각 함수는 pyplot 상태를 쓰지 않는 :class:`matplotlib.figure.Figure` 를 돌려줍니다. 클래스 색은 VOC 색상표의
앞 번호들(0 검정, 1 빨강, 2 초록, 3 노랑 …), 255(무시)는 흰색입니다."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from deeplab_lessons import voc

__all__ = ["crop_examples", "class_confusion", "worst_images"]


def _colour(mask: np.ndarray) -> np.ndarray:
    picture = voc.label_to_color(mask)
    picture[np.asarray(mask) == voc.IGNORE_LABEL] = 255
    return picture


def _legend(fig: Figure, class_names) -> None:
    cmap = voc.colormap()
    handles = [Patch(facecolor=cmap[i] / 255, edgecolor="gray", label=name) for i, name in enumerate(class_names)]
    handles.append(Patch(facecolor="white", edgecolor="gray", label="무시(255)"))
    fig.legend(handles=handles, loc="lower center", ncol=len(handles), frameon=False)


def crop_examples(crops, class_names) -> Figure:
    """``[(영상 (c, c, 3), 마스크 (c, c)), …]`` 자르기들: 위는 영상, 아래는 마스크(채운 부분은 흰색 = 255)."""
    fig = Figure(figsize=(2.6 * len(crops), 5.6))
    axes = np.atleast_2d(fig.subplots(2, len(crops))).reshape(2, -1)
    for column, (rgb, mask) in enumerate(crops):
        axes[0, column].imshow(rgb)
        axes[1, column].imshow(_colour(mask), interpolation="nearest")
        for ax in axes[:, column]:
            ax.axis("off")
    _legend(fig, class_names)
    fig.subplots_adjust(bottom=0.1)
    return fig


def class_confusion(matrix: np.ndarray, class_names, title: str = "혼동 행렬") -> Figure:
    """혼동 행렬(행: 정답, 열: 예측)을 행마다 비율로 나눠, 칸마다 값을 적어 그립니다."""
    matrix = np.asarray(matrix, float)
    rows = matrix.sum(axis=1, keepdims=True)
    shown = np.divide(matrix, rows, out=np.zeros_like(matrix), where=rows > 0)
    fig = Figure(figsize=(5.2, 4.4), layout="constrained")
    ax = fig.subplots()
    image = ax.imshow(shown, cmap="Blues", vmin=0, vmax=1)
    for (i, j), value in np.ndenumerate(shown):
        ax.text(j, i, f"{value:.2f}", ha="center", va="center", color="white" if value > 0.6 else "black")
    ax.set_xticks(range(len(class_names)), class_names)
    ax.set_yticks(range(len(class_names)), class_names)
    ax.set_xlabel("예측")
    ax.set_ylabel("정답")
    fig.colorbar(image, ax=ax, label="정답 화소 중 비율")
    ax.set_title(title)
    return fig


def worst_images(rows, class_names) -> Figure:
    """``[(제목, 영상, 정답, 예측), …]`` 를 한 줄에 하나씩: 영상 | 정답 | 예측 | 틀린 화소(빨강)."""
    fig = Figure(figsize=(10, 2.6 * len(rows) + 0.5))
    axes = np.atleast_2d(fig.subplots(len(rows), 4))
    for row, (title, rgb, truth, prediction) in zip(axes, rows, strict=True):
        wrong = (truth != prediction) & (truth != voc.IGNORE_LABEL)
        error = np.where(wrong[..., None], [230, 30, 30], [235, 235, 235]).astype(np.uint8)
        panels = ((title, rgb), ("정답", _colour(truth)), ("예측", _colour(prediction)), ("틀린 화소", error))
        for ax, (name, picture) in zip(row, panels, strict=True):
            ax.imshow(picture, interpolation="nearest")
            ax.set_title(name, fontsize=10)
            ax.axis("off")
    _legend(fig, class_names)
    fig.subplots_adjust(bottom=0.12 / len(rows) + 0.02)
    return fig
