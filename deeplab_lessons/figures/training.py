"""학습 강의의 그림: 합성 장면, 학습 곡선, 예측 격자.

각 함수는 pyplot 상태를 쓰지 않는 :class:`matplotlib.figure.Figure` 를 돌려줍니다."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

__all__ = ["synthetic_samples", "training_curves", "prediction_grid", "band_curves", "SYNTHETIC_COLORS"]

#: 합성 장면 클래스의 표시 색(배경, 작은 원, 큰 원, 가는 막대, 낮 사각형, 밤 사각형).
SYNTHETIC_COLORS = np.array([[40, 40, 40], [250, 200, 60], [200, 90, 30], [240, 240, 240], [60, 170, 90],
                             [150, 80, 200]], np.uint8)


def synthetic_samples(count: int = 4, size: int = 64) -> Figure:
    """합성 장면과 정답 마스크(클래스 색은 범례와 같음). 제목에 장면의 종류(낮·밤)를 적습니다."""
    from matplotlib.patches import Patch

    from deeplab_lessons import data

    images, masks = data.make_split("train", count, data.SceneSpec(size=size))
    fig = Figure(figsize=(10, 5.2))
    axes = fig.subplots(2, count)
    for i in range(count):
        axes[0, i].imshow(images[i])
        axes[1, i].imshow(SYNTHETIC_COLORS[masks[i]])
        axes[0, i].set_title(f"장면 {i} ({data.SCENE_KINDS[data.scene_kind(i)]})")
    for ax in axes.ravel():
        ax.axis("off")
    handles = [Patch(facecolor=SYNTHETIC_COLORS[i] / 255, edgecolor="gray", label=name)
               for i, name in enumerate(data.CLASS_NAMES)]
    fig.legend(handles=handles, loc="lower center", ncol=len(handles), frameon=False, fontsize=11)
    fig.suptitle("합성 장면(위)과 정답 마스크(아래)")
    return fig


def training_curves(history: dict) -> Figure:
    """에포크별 학습 손실과 검증 평균 IoU."""
    fig = Figure(figsize=(9, 3.4))
    loss_ax, iou_ax = fig.subplots(1, 2)
    epochs = np.arange(1, len(history["loss"]) + 1)
    loss_ax.plot(epochs, history["loss"], "o-")
    loss_ax.set_title("학습 손실")
    iou_ax.plot(epochs, history.get("val_miou", [np.nan] * len(epochs)), "o-", color="tab:green")
    iou_ax.set_title("검증 평균 IoU")
    iou_ax.set_ylim(0, 1)
    for ax in (loss_ax, iou_ax):
        ax.set_xlabel("에포크")
        ax.grid(alpha=0.3)
    return fig


def prediction_grid(images: np.ndarray, truth: np.ndarray, prediction: np.ndarray) -> Figure:
    """영상 | 정답 | 예측 | 오류(틀린 화소를 빨강으로)."""
    rows = len(images)
    fig = Figure(figsize=(9, 2.4 * rows))
    axes = np.atleast_2d(fig.subplots(rows, 4))
    for i in range(rows):
        error = np.where((truth[i] != prediction[i])[..., None], [230, 30, 30], [235, 235, 235]).astype(np.uint8)
        panels = (images[i], SYNTHETIC_COLORS[truth[i]], SYNTHETIC_COLORS[prediction[i]], error)
        for ax, panel, title in zip(axes[i], panels, ("영상", "정답", "예측", "오류 지도"), strict=True):
            ax.imshow(panel)
            ax.set_title(title if i == 0 else "")
            ax.axis("off")
    return fig


def band_curves(results) -> Figure:
    """구성마다 경계에서의 거리별 화소 정확도(경계 1·2·4화소 띠, 안쪽). 시드 평균, 막대는 최소–최대."""
    from deeplab_lessons.ablation import BAND_WIDTHS

    keys = [f"trimap_{w}" for w in BAND_WIDTHS] + ["interior_accuracy"]
    labels = [f"경계 {w}화소" for w in BAND_WIDTHS] + ["안쪽"]
    fig = Figure(figsize=(9, 4.2))
    ax = fig.subplots()
    x = np.arange(len(keys))
    for result in results:
        values = np.array([result.values(k) for k in keys])          # (지표, 시드)
        mean = values.mean(axis=1)
        ax.errorbar(x, mean, yerr=[mean - values.min(axis=1), values.max(axis=1) - mean], marker="o",
                    capsize=3, label=result.name)
    ax.set_xticks(x, labels)
    ax.set_ylabel("화소 정확도")
    ax.set_ylim(0, 1.02)
    ax.grid(alpha=0.3)
    ax.set_title("경계에서의 거리별 화소 정확도(시드 평균, 막대는 최소–최대)")
    ax.legend(fontsize=9, loc="lower right")
    return fig
