"""분류기에서 조밀한 예측기로(FCN) 강의의 그림: 분할의 세 종류, 전치 합성곱의 도장, 체커보드 현상,
FCN-32s/16s/8s의 예측.

각 함수는 pyplot 상태를 쓰지 않는 :class:`matplotlib.figure.Figure` 를 돌려줍니다."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from deeplab_lessons import skip_connections as fcn_skips
from deeplab_lessons import upsampling

__all__ = ["segmentation_kinds", "toy_panoptic_scene", "transposed_conv_stamps", "checkerboard",
           "skip_connections", "PANOPTIC_CLASSES"]

#: 장면의 클래스: (이름, 셀 수 있는 물체(thing)인지, 색).
PANOPTIC_CLASSES = (("하늘", False, (150, 200, 240)), ("잔디", False, (110, 170, 80)),
                    ("사람", True, (200, 60, 60)), ("개", True, (140, 90, 40)))
_INSTANCE_COLORS = np.array([[0, 0, 0], [230, 80, 80], [250, 170, 40], [160, 70, 200], [60, 160, 220]], np.uint8)


def toy_panoptic_scene() -> tuple[np.ndarray, np.ndarray]:
    """분할 세 종류를 비교할 작은 장면 ``(클래스 번호 지도, 인스턴스 번호 지도)``, 각각 ``(40, 60)``.

    클래스 0 하늘, 1 잔디(셀 수 없는 "stuff"), 2 사람, 3 개(셀 수 있는 "thing"). 두 사람은 맞닿아 있어
    클래스 번호 지도에서는 한 덩어리입니다. 인스턴스 번호는 물체마다 1, 2, 3이고 stuff 화소는 0입니다.
    """
    labels = np.zeros((40, 60), np.int64)
    instances = np.zeros((40, 60), np.int64)
    labels[22:, :] = 1                                   # 잔디
    for instance, (top, left, width) in enumerate(((10, 12, 7), (12, 19, 7)), start=1):
        labels[top:34, left:left + width] = 2            # 몸
        labels[top - 5:top, left + 2:left + width - 2] = 2  # 머리
        instances[top - 5:34, left:left + width][labels[top - 5:34, left:left + width] == 2] = instance
    labels[26:33, 38:52] = 3                              # 개의 몸
    labels[23:27, 48:54] = 3                              # 개의 머리
    instances[labels == 3] = 3
    return labels, instances


def segmentation_kinds() -> Figure:
    """시맨틱·인스턴스·파놉틱 분할을 같은 장면에서: 클래스만, 물체만 하나씩, 둘 다."""
    labels, instances = toy_panoptic_scene()
    class_colors = np.array([c for _, _, c in PANOPTIC_CLASSES], np.uint8)
    semantic = class_colors[labels]
    instance = _INSTANCE_COLORS[instances]
    panoptic = np.where((instances > 0)[..., None], instance, semantic)
    fig = Figure(figsize=(10, 3.4))
    titles = ("시맨틱 분할\n화소마다 클래스(두 사람이 한 덩어리)",
              "인스턴스 분할\n셀 수 있는 물체마다 번호(하늘·잔디 없음)",
              "파놉틱 분할\n모든 화소에 클래스, 물체에는 번호까지")
    for ax, image, title in zip(fig.subplots(1, 3), (semantic, instance, panoptic), titles, strict=True):
        ax.imshow(image)
        ax.set_title(title, fontsize=11)
        ax.set_xticks([])
        ax.set_yticks([])
    return fig


def transposed_conv_stamps(values=(1.0, 2.0, 3.0), kernel=(1.0, 0.5, 0.25), stride: int = 2) -> Figure:
    """1차원 전치 합성곱: 입력 한 칸이 커널을 자기 값만큼 키워 보폭 간격으로 찍고, 겹치는 곳은 더합니다."""
    x = np.asarray(values, float)
    w = np.asarray(kernel, float)
    k = len(w)
    length = upsampling.transposed_output_size(len(x), k, stride, "valid")
    stamps = np.zeros((len(x), length))
    for a, value in enumerate(x):
        stamps[a, a * stride:a * stride + k] = value * w
    total = upsampling.conv_transpose2d(x[None, :, None], w[None, :, None, None], stride, "valid")[0, :, 0]
    fig = Figure(figsize=(9, 3.6))
    ax = fig.subplots()
    grid = np.vstack([stamps, np.full((1, length), np.nan), total[None]])
    ax.imshow(grid, cmap="Oranges", vmin=0, vmax=np.nanmax(grid) * 1.2, aspect="auto")
    for (row, col), value in np.ndenumerate(grid):
        if np.isfinite(value):
            ax.text(col, row, f"{value:g}", ha="center", va="center", fontsize=10)
    ax.set_yticks(range(len(grid)))
    ax.set_yticklabels([f"x[{a}] = {v:g}의 도장" for a, v in enumerate(x)] + ["", "출력 = 도장의 합"])
    ax.set_xticks(range(length))
    ax.set_xlabel("출력 위치")
    kernel_text = ", ".join(f"{v:g}" for v in w)
    ax.set_title(f"1차원 전치 합성곱: 커널 ({kernel_text}), 보폭 {stride}, 입력 {len(x)}칸에서 출력 {length}칸")
    return fig


def checkerboard(input_size: int = 8) -> Figure:
    """모두 1인 입력을 키울 때 출력 칸마다 겹치는 도장의 수: 3×3 보폭 2(무늬), 4×4 보폭 2(고름),
    가장 가까운 이웃으로 키운 뒤 3×3 합성곱(고름)."""
    maps = [
        (upsampling.overlap_counts(input_size, 3, 2), "전치 합성곱 3×3, 보폭 2\n(3이 2로 나누어떨어지지 않음)"),
        (upsampling.overlap_counts(input_size, 4, 2), "전치 합성곱 4×4, 보폭 2\n(4가 2로 나누어떨어짐)"),
        (upsampling.resize_then_convolve(np.ones((input_size, input_size, 1)), 2,
                                         np.ones((3, 3, 1, 1)))[..., 0],
         "2배로 키운 뒤(최근접) 3×3 합성곱\n(Odena et al.의 처방)"),
    ]
    fig = Figure(figsize=(10, 3.9))
    for ax, (image, title) in zip(fig.subplots(1, 3), maps, strict=True):
        inner = image[4:-4, 4:-4]
        ax.imshow(inner, cmap="viridis", vmin=0, vmax=inner.max())
        strength = upsampling.checkerboard_strength(image, 4)
        ax.set_title(f"{title}\n안쪽 (최대 − 최소) ÷ 최대 = {strength:.2f}", fontsize=10)
        ax.set_xticks([])
        ax.set_yticks([])
    fig.suptitle("모두 1인 입력을 키운 결과(가장자리 4칸 제외): 칸마다 겹친 도장 수", y=1.03)
    return fig


def skip_connections(seed: int = 0, size: int = 256) -> Figure:
    """합성 장면 하나의 정답과, 보폭 32·16·8의 이상적 점수 지도를 키운 예측(FCN-32s, 16s, 8s의 상한)."""
    from deeplab_lessons import data
    from deeplab_lessons.figures.training import SYNTHETIC_COLORS

    image, labels = data.generate_scene(seed, data.SceneSpec(size=size))
    fig = Figure(figsize=(10, 3.2))
    axes = fig.subplots(1, 5)
    axes[0].imshow(image)
    axes[0].set_title("입력 영상")
    axes[1].imshow(SYNTHETIC_COLORS[labels])
    axes[1].set_title("정답")
    for ax, stride in zip(axes[2:], (32, 16, 8), strict=True):
        scores = fcn_skips.ideal_scores(labels, data.NUM_CLASSES, stride)
        prediction = fcn_skips.predict_from_scores(scores, stride)
        error = float((prediction != labels).mean() * 100)
        ax.imshow(SYNTHETIC_COLORS[prediction])
        ax.set_title(f"FCN-{stride}s\n틀린 화소 {error:.1f} %")
    for ax in axes:
        ax.set_xticks([])
        ax.set_yticks([])
    fig.suptitle("이상적 점수 지도를 쌍선형 전치 합성곱으로 키운 예측: "
                 "건너뛰기 연결로 보폭이 줄수록 가는 막대가 살아납니다",
                 fontsize=11, y=0.98)
    return fig
