"""10강: 내려받을 필요 없는 합성 장면. 시드 하나로 영상과 정답 마스크가 똑같이 다시 만들어집니다.

클래스는 DeepLab의 부품이 각각 필요해지도록 골랐습니다.

- 0 배경: 줄무늬와 잡음이 섞인 무늬.
- 1 작은 원, 2 큰 원: **색과 무늬가 똑같고 크기만 다릅니다.** 원 안쪽 한 화소만 봐서는 구별할 수 없어, 원의 가장자리까지
  보는 넓은 수용 영역(아트러스 합성곱, ASPP, 이미지 수준 풀링)이 필요합니다.
- 3 가는 막대: 폭 2–3화소. 출력 보폭이 크면 사라지므로 디코더나 작은 출력 보폭이 필요합니다.
- 4 사각형: 여러 크기(여러 스케일), 날카로운 모서리(경계).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from deeplab_lessons.errors import bad_argument, check_int

CLASS_NAMES = ("배경", "작은 원", "큰 원", "가는 막대", "사각형")
NUM_CLASSES = len(CLASS_NAMES)
#: 크기·문맥에 따라 갈리는 클래스(작은 원, 큰 원).
SIZE_CLASSES = (1, 2)
#: 분할 기준 시드의 간격: 학습·검증·시험 장면이 겹치지 않게.
SPLIT_OFFSETS = {"train": 0, "val": 1_000_000, "test": 2_000_000}
DISC_COLOR = np.array([220, 170, 60], np.float32)
SQUARE_COLOR = np.array([70, 150, 220], np.float32)
BAR_COLOR = np.array([235, 235, 235], np.float32)


@dataclass(frozen=True)
class SceneSpec:
    """장면의 크기와 물체 수."""

    size: int = 64
    discs: int = 3
    bars: int = 2
    squares: int = 1


def generate_scene(seed: int, spec: SceneSpec = SceneSpec()) -> tuple[np.ndarray, np.ndarray]:
    """시드 하나로 ``(영상 (H, W, 3) uint8, 마스크 (H, W) uint8)`` 을 만듭니다. 같은 시드 = 같은 장면.

    물체는 나중에 그린 것이 앞에 옵니다(마스크도 그대로 덮어씀).
    """
    size = check_int("size", spec.size, minimum=16)
    scale = size / 64        # 물체의 크기는 영상 크기에 비례(64×64 기준으로 적은 값)
    rng = np.random.default_rng(check_int("seed", seed, minimum=0))
    rows, cols = np.mgrid[0:size, 0:size].astype(np.float32)
    angle, period = rng.uniform(0, np.pi), rng.uniform(4, 9)
    stripes = np.sin((np.cos(angle) * cols + np.sin(angle) * rows) * 2 * np.pi / period)
    base = rng.uniform(60, 120, 3).astype(np.float32)
    image = base + 25 * stripes[..., None] + rng.normal(0, 12, (size, size, 3))
    mask = np.zeros((size, size), np.uint8)
    for _ in range(spec.squares):
        side = rng.integers(round(6 * scale), size // 3)
        top, left = rng.integers(0, size - side, 2)
        _paint(image, mask, (slice(top, top + side), slice(left, left + side)), SQUARE_COLOR, 4, rng)
    discs = np.zeros((size, size), bool)
    for _ in range(spec.discs):
        large = rng.random() < 0.5
        for _attempt in range(20):   # 원끼리는 겹치지 않게(같은 색이라 겹치면 작은 원이 보이지 않음)
            radius = (rng.uniform(9, 14) if large else rng.uniform(2.5, 4.5)) * scale
            cy, cx = rng.uniform(radius, size - radius, 2)
            inside = (rows - cy) ** 2 + (cols - cx) ** 2 <= radius ** 2
            margin = (rows - cy) ** 2 + (cols - cx) ** 2 <= (radius + 2 * scale) ** 2
            if not (margin & discs).any():
                discs |= inside
                _paint(image, mask, inside, DISC_COLOR, 2 if large else 1, rng)
                break
    for _ in range(spec.bars):
        length, width = rng.integers(size // 4, size // 2), rng.uniform(2, 3.5) * scale
        theta = rng.uniform(0, np.pi)
        cy, cx = rng.uniform(length / 2, size - length / 2, 2)
        along = (cols - cx) * np.cos(theta) + (rows - cy) * np.sin(theta)
        across = -(cols - cx) * np.sin(theta) + (rows - cy) * np.cos(theta)
        inside = (np.abs(along) <= length / 2) & (np.abs(across) <= width / 2)
        _paint(image, mask, inside, BAR_COLOR, 3, rng)
    return np.clip(image, 0, 255).astype(np.uint8), mask


def _paint(image, mask, where, color, label, rng):
    """영역을 물체 색(조금의 무늬 잡음 포함)으로 칠하고 마스크에 클래스를 적습니다."""
    region = image[where]
    image[where] = color + rng.normal(0, 10, region.shape)
    mask[where] = label


def make_split(split: str, count: int, spec: SceneSpec = SceneSpec()) -> tuple[np.ndarray, np.ndarray]:
    """``split`` (train/val/test)의 장면 ``count`` 개: ``(영상 (N, H, W, 3) uint8, 마스크 (N, H, W) uint8)``.

    Raises:
        DeepLabLessonsError: 알 수 없는 split이거나 count가 1보다 작을 때.
    """
    if split not in SPLIT_OFFSETS:
        raise bad_argument("split", split, f"다음 중 하나여야 합니다: {', '.join(SPLIT_OFFSETS)}")
    count = check_int("count", count)
    scenes = [generate_scene(SPLIT_OFFSETS[split] + i, spec) for i in range(count)]
    return np.stack([s[0] for s in scenes]), np.stack([s[1] for s in scenes])


def as_dataset(images: np.ndarray, masks: np.ndarray, batch_size: int = 32, shuffle: bool = False, seed: int = 0):
    """``tf.data.Dataset``: 영상을 −1–1 float32로, 마스크는 정수 그대로. ``shuffle`` 이면 시드로 섞습니다."""
    from deeplab_lessons._tf import load_tensorflow

    tf = load_tensorflow()
    dataset = tf.data.Dataset.from_tensor_slices((images, masks))
    if shuffle:
        dataset = dataset.shuffle(len(images), seed=seed, reshuffle_each_iteration=True)
    dataset = dataset.map(lambda x, y: (tf.cast(x, tf.float32) / 127.5 - 1.0, y))
    return dataset.batch(check_int("batch_size", batch_size)).prefetch(2)
