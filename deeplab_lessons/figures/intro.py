"""과정 소개의 그림: 시맨틱 분할 예제.

각 함수는 pyplot 상태를 쓰지 않는 :class:`matplotlib.figure.Figure` 를 돌려줍니다."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from deeplab_lessons import viz

__all__ = ["segmentation_example", "example_label_map", "example_photo"]


def segmentation_example() -> Figure:
    """작은 "사진"과 그 클래스 번호 지도(시맨틱 분할의 정답)를 나란히."""
    label_map = example_label_map()
    fig = Figure(figsize=(9, 3.6))
    ax_img, ax_map, ax_legend = fig.subplots(1, 3, gridspec_kw={"width_ratios": [1, 1, 0.7]})
    ax_img.imshow(example_photo(label_map))
    ax_img.set_title("입력 영상 (12×12 화소)")
    ax_img.set_xticks([])
    ax_img.set_yticks([])
    viz.show_label_map(ax_map, label_map, "클래스 번호 지도 (정답)")
    viz.class_legend(ax_legend, np.unique(label_map))
    return fig


def example_label_map() -> np.ndarray:
    """introduction 노트북의 12×12 예제 정답: 배경(0) 위에 사람(15)과 개(12)."""
    label_map = np.zeros((12, 12), dtype=np.uint8)
    label_map[2:10, 2:5] = 15   # 사람: 세로로 긴 직사각형
    label_map[1:3, 3] = 15      # 머리
    label_map[7:10, 6:11] = 12  # 개: 가로로 긴 직사각형
    label_map[6:8, 10] = 12     # 개의 머리
    return label_map


def example_photo(label_map: np.ndarray, seed: int = 0) -> np.ndarray:
    """클래스마다 다른 색에 잡음을 더한 가짜 "사진" ``(H, W, 3)`` uint8 (고정 시드)."""
    palette = {0: (120, 170, 110), 15: (200, 150, 120), 12: (110, 80, 50)}
    rng = np.random.default_rng(seed)
    photo = np.zeros(label_map.shape + (3,))
    for cls, color in palette.items():
        photo[label_map == cls] = color
    photo += rng.normal(0, 18, photo.shape)
    return np.clip(photo, 0, 255).astype(np.uint8)
