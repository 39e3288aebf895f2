"""내려받을 필요 없는 합성 장면. 시드 하나로 영상과 정답 마스크가 똑같이 다시 만들어집니다.

클래스는 DeepLab의 부품마다 할 일이 생기도록 골랐습니다(크기는 64×64 장면 기준, 다른 크기는 비례).

- 0 배경: 줄무늬와 잡음이 섞인 무늬. 장면 가장자리의 색 테두리도 배경입니다.
- 1 작은 원, 2 큰 원: **색과 무늬가 똑같고 크기만 다릅니다**(지름 5–9화소 대 18–28화소). 원 안쪽 몇 화소만 봐서는
  구별할 수 없어 원 전체를 봐야 합니다 — 여러 크기의 물체(ASPP의 일).
- 3 가는 막대: 폭 2.5–4화소. 특징 맵 한 칸(출력 보폭 8이면 8화소)보다 가늘어, 해상도(작은 출력 보폭이나
  디코더)가 필요합니다.
- 4 낮 사각형, 5 밤 사각형: **똑같은 사각형**인데 장면의 종류로 클래스가 갈립니다. 장면의 종류는 물체에서 멀리 떨어진
  가장자리 테두리의 색(낮: 빨강, 밤: 파랑)으로만 알 수 있습니다 — 전역 문맥(이미지 수준 풀링의 일).
  사각형은 여러 크기이고 모서리가 날카롭습니다(경계: 디코더의 일).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from deeplab_lessons._tf import load_tensorflow
from deeplab_lessons.errors import bad_argument, check_int
from deeplab_lessons.image_io import normalize

CLASS_NAMES = ("배경", "작은 원", "큰 원", "가는 막대", "낮 사각형", "밤 사각형")
NUM_CLASSES = len(CLASS_NAMES)
#: 크기로만 갈리는 클래스(작은 원, 큰 원).
SIZE_CLASSES = (1, 2)
#: 가는 구조(가는 막대).
THIN_CLASSES = (3,)
#: 장면의 종류(전역 문맥)로만 갈리는 클래스(낮 사각형, 밤 사각형).
CONTEXT_CLASSES = (4, 5)
#: 장면의 종류: 0 낮, 1 밤. 테두리 색이 알려 줍니다.
SCENE_KINDS = ("낮", "밤")
#: 분할 기준 시드의 간격: 학습·검증·시험 장면이 겹치지 않게.
SPLIT_OFFSETS = {"train": 0, "val": 1_000_000, "test": 2_000_000}
DISC_COLOR = np.array([220, 170, 60], np.float32)
SQUARE_COLOR = np.array([80, 190, 110], np.float32)
BAR_COLOR = np.array([235, 235, 235], np.float32)
FRAME_COLORS = np.array([[235, 70, 70], [70, 70, 235]], np.float32)


@dataclass(frozen=True)
class SceneSpec:
    """장면의 크기(화소)와 물체 수, 테두리 폭(64×64 기준 화소)."""

    size: int = 64
    discs: int = 3
    bars: int = 2
    squares: int = 2
    frame: int = 3


def scene_kind(seed: int) -> int:
    """시드의 장면 종류(0 낮, 1 밤). :func:`generate_scene` 이 처음 뽑는 값과 같습니다."""
    return int(np.random.default_rng(check_int("seed", seed, minimum=0)).integers(2))


def generate_scene(seed: int, spec: SceneSpec = SceneSpec()) -> tuple[np.ndarray, np.ndarray]:
    """시드 하나로 ``(영상 (H, W, 3) uint8, 마스크 (H, W) uint8)`` 을 만듭니다. 같은 시드 = 같은 장면.

    물체는 테두리 안쪽에만 놓이고, 나중에 그린 것이 앞에 옵니다(마스크도 그대로 덮어씀).

    Raises:
        DeepLabLessonsError: ``seed`` 가 음수이거나 ``spec.size`` 가 32보다 작을 때.
    """
    rng = np.random.default_rng(check_int("seed", seed, minimum=0))
    kind = int(rng.integers(2))
    size = check_int("size", spec.size, minimum=32)
    scale = size / 64
    rows, cols = np.mgrid[0:size, 0:size].astype(np.float32)
    angle, period = rng.uniform(0, np.pi), rng.uniform(4, 9) * scale
    stripes = np.sin((np.cos(angle) * cols + np.sin(angle) * rows) * 2 * np.pi / period)
    image = rng.uniform(60, 120, 3).astype(np.float32) + 25 * stripes[..., None] + rng.normal(0, 12, (size, size, 3))
    mask = np.zeros((size, size), np.uint8)
    frame = max(1, round(spec.frame * scale))
    border = np.ones((size, size), bool)
    border[frame:-frame, frame:-frame] = False
    _paint(image, mask, border, FRAME_COLORS[kind], 0, rng)
    low, high = frame + 1, size - frame - 1          # 물체가 놓일 수 있는 안쪽 범위
    for _ in range(spec.squares):
        side = int(rng.integers(round(6 * scale), size // 3))
        top, left = rng.integers(low, high - side, 2)
        _paint(image, mask, (slice(top, top + side), slice(left, left + side)), SQUARE_COLOR,
               CONTEXT_CLASSES[kind], rng)
    _draw_discs(image, mask, spec.discs, scale, (low, high), rows, cols, rng)
    for _ in range(spec.bars):
        length, width = rng.uniform(size / 4, size / 2), rng.uniform(2.5, 4) * scale
        theta = rng.uniform(0, np.pi)
        cy, cx = rng.uniform(low + length / 2, high - length / 2, 2)
        along = (cols - cx) * np.cos(theta) + (rows - cy) * np.sin(theta)
        across = -(cols - cx) * np.sin(theta) + (rows - cy) * np.cos(theta)
        _paint(image, mask, (np.abs(along) <= length / 2) & (np.abs(across) <= width / 2), BAR_COLOR, 3, rng)
    return np.clip(image, 0, 255).astype(np.uint8), mask


def _draw_discs(image, mask, count, scale, bounds, rows, cols, rng):
    """작은 원과 큰 원(같은 색)을 겹치지 않게 그립니다(겹치면 두 원이 한 덩어리로 보여 크기를 알 수 없음)."""
    low, high = bounds
    taken = np.zeros(mask.shape, bool)
    for _ in range(count):
        large = rng.random() < 0.5
        for _attempt in range(20):
            radius = (rng.uniform(9, 14) if large else rng.uniform(2.5, 4.5)) * scale
            cy, cx = rng.uniform(low + radius, high - radius, 2)
            distance2 = (rows - cy) ** 2 + (cols - cx) ** 2
            inside = distance2 <= radius ** 2
            if not ((distance2 <= (radius + 2 * scale) ** 2) & taken).any():
                taken |= inside
                _paint(image, mask, inside, DISC_COLOR, 2 if large else 1, rng)
                break


def _paint(image, mask, where, color, label, rng):
    """영역을 색(조금의 무늬 잡음 포함)으로 칠하고 마스크에 클래스를 적습니다."""
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
    images, masks = _cached_split(split, check_int("count", count), spec)
    return images.copy(), masks.copy()


@functools.lru_cache(maxsize=8)
def _cached_split(split: str, count: int, spec: SceneSpec) -> tuple[np.ndarray, np.ndarray]:
    """같은 분할을 여러 모델이 쓰므로(비교) 한 번만 만들어 둡니다. 돌려주는 쪽에서 복사합니다."""
    scenes = [generate_scene(SPLIT_OFFSETS[split] + i, spec) for i in range(count)]
    return np.stack([s[0] for s in scenes]), np.stack([s[1] for s in scenes])


def class_shares(masks: np.ndarray) -> np.ndarray:
    """마스크들에서 클래스마다 화소의 몫 ``(NUM_CLASSES,)`` (합 1)."""
    counts = np.bincount(np.asarray(masks).ravel(), minlength=NUM_CLASSES)[:NUM_CLASSES]
    return counts / counts.sum()


def as_dataset(images: np.ndarray, masks: np.ndarray, batch_size: int = 32, shuffle: bool = False, seed: int = 0,
               class_weights=None):
    """``tf.data.Dataset`` 의 ``(영상, 마스크, 화소 가중치)`` 배치.

    영상은 −1–1 float32, 마스크는 정수 그대로, 가중치는 화소마다 ``class_weights[정답]`` (없으면 모두 1).
    가중치가 늘 있으므로 가중치를 바꿔도 학습 함수의 모양이 같습니다(다시 추적하지 않음). ``shuffle`` 이면
    ``seed`` 로 섞고(에포크마다 다른 순서, 시드가 같으면 같은 순서), 아니면 순서대로입니다.

    Raises:
        DeepLabLessonsError: ``class_weights`` 의 길이가 클래스 수와 다르거나 음수가 있을 때.
    """
    tf = load_tensorflow()
    weights = np.ones(NUM_CLASSES, np.float32) if class_weights is None else np.asarray(class_weights, np.float32)
    if weights.shape != (NUM_CLASSES,) or not np.all(np.isfinite(weights)) or weights.min() < 0:
        raise bad_argument("class_weights", class_weights, f"클래스 수({NUM_CLASSES})만큼의 0 이상인 수여야 합니다",
                           "예: training.median_frequency_weights(masks)")
    table = tf.constant(weights)
    dataset = tf.data.Dataset.from_tensor_slices((images, masks))
    if shuffle:
        dataset = dataset.shuffle(len(images), seed=check_int("seed", seed, minimum=0), reshuffle_each_iteration=True)
    dataset = dataset.map(lambda x, y: (normalize(tf.cast(x, tf.float32)), y,
                                        tf.gather(table, tf.cast(y, tf.int32))))
    return dataset.batch(check_int("batch_size", batch_size)).prefetch(2)
