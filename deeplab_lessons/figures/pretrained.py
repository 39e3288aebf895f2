"""사전 학습 모델 강의의 그림: 분할 결과, 혼동 행렬, 마스크 비교.

각 함수는 pyplot 상태를 쓰지 않는 :class:`matplotlib.figure.Figure` 를 돌려줍니다."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from deeplab_lessons import viz, voc

__all__ = ["segmentation_result", "photo_segmentation", "confusion_matrix_figure", "truth_vs_prediction",
           "mask_comparison"]


def segmentation_result(rgb: np.ndarray, mask: np.ndarray, title: str = "") -> Figure:
    """공식 데모처럼 영상 | 색으로 나타낸 분할 | 겹쳐 보기 | 나온 클래스의 범례."""
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


def photo_segmentation(model, image, title: str = "") -> Figure:
    """pretrained_inference "내 사진으로 해 보기": 영상을 패키지의 읽기 함수로 **한 번** 읽고(EXIF 회전, RGB),
    그 배열을 분할해 :func:`segmentation_result` 로 보여 줍니다. 영상과 마스크가 같은 배열에서 나오므로 방향과
    크기가 늘 맞습니다.

    Args:
        model: ``segment(rgb)`` 를 가진 모델(:func:`~deeplab_lessons.pretrained.load_model`).
        image: 경로, PIL 영상, NumPy 배열(:func:`~deeplab_lessons.image_io.load_image` 가 받는 것).
        title: 그림 제목.

    Raises:
        DeepLabLessonsError: 영상을 읽을 수 없을 때(``load_image`` 의 한국어 오류).
    """
    from deeplab_lessons.image_io import load_image

    rgb = load_image(image)
    return segmentation_result(rgb, model.segment(rgb), title)


def truth_vs_prediction(rgb: np.ndarray, truth: np.ndarray, prediction: np.ndarray, title: str = "") -> Figure:
    """VOC 영상 하나의 영상 | 정답 | 예측 | 범례. 정답의 255(무시하는 경계 띠)는 흰색으로 그립니다.

    화소 정확도가 높아도 작은 물체 하나를 통째로 놓칠 수 있다는 것을 눈으로 보는 그림입니다.
    """
    fig = Figure(figsize=(10, 2.9), layout="constrained")
    axes = fig.subplots(1, 4, gridspec_kw={"width_ratios": [1, 1, 1, 0.8]})
    truth_color = voc.label_to_color(truth)
    truth_color[np.asarray(truth) == voc.IGNORE_LABEL] = 255
    panels = (("입력 영상", rgb), ("정답", truth_color), ("예측", voc.label_to_color(prediction)))
    for ax, (name, picture) in zip(axes[:3], panels, strict=True):
        ax.imshow(picture, interpolation="nearest")
        ax.set_title(name, fontsize=13)
        ax.axis("off")
    shown = sorted(({int(c) for c in np.unique(truth)} | {int(c) for c in np.unique(prediction)})
                   - {voc.IGNORE_LABEL})
    viz.class_legend(axes[3], shown, fontsize=10, loc="center left")
    if title:
        fig.suptitle(title, fontsize=13)
    return fig


def confusion_matrix_figure(matrix: np.ndarray, normalize: bool = True) -> Figure:
    """혼동 행렬(행: 정답, 열: 예측). 정답이나 예측에 나온 클래스만 보이고, 행마다 비율로 나눕니다."""
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


# ---------------------------------------------------------------- inside_pretrained

def mask_comparison(rgb: np.ndarray, masks: dict, title: str = "") -> Figure:
    """같은 영상의 마스크 여럿(예: 입력 크기 257, 321, 513)을 겹쳐 보기로 나란히."""
    fig = Figure(figsize=(10, 3.4))
    axes = fig.subplots(1, len(masks))
    for ax, (name, mask) in zip(np.atleast_1d(axes), masks.items(), strict=True):
        ax.imshow(viz.overlay(rgb, mask), interpolation="bilinear")
        ax.set_title(name)
        ax.axis("off")
    if title:
        fig.suptitle(title)
    return fig
