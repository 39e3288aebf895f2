import numpy as np
import pytest

from deeplab_lessons import data
from deeplab_lessons.errors import DeepLabLessonsError


def test_deterministic_per_seed():
    a, b, c = data.generate_scene(7), data.generate_scene(7), data.generate_scene(8)
    assert np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])
    assert not np.array_equal(a[0], c[0])


def test_masks_match_the_drawn_objects():
    """각 클래스 화소의 평균 색이 그 물체의 색과 같고, 작은 원과 큰 원은 색이 같습니다."""
    images, masks = data.make_split("train", 40)
    colors = {label: images[masks == label].reshape(-1, 3).mean(axis=0) for label in range(1, 5)}
    assert np.abs(colors[1] - data.DISC_COLOR).max() < 6 and np.abs(colors[2] - data.DISC_COLOR).max() < 6
    assert np.abs(colors[3] - data.BAR_COLOR).max() < 12 and np.abs(colors[4] - data.SQUARE_COLOR).max() < 6
    assert set(np.unique(masks)) == set(range(data.NUM_CLASSES))


def test_small_and_large_discs_differ_by_size():
    from scipy import ndimage

    _, masks = data.make_split("train", 30)
    areas = {1: [], 2: []}
    for mask in masks:
        for label in (1, 2):
            components, count = ndimage.label(mask == label)
            areas[label] += list(np.bincount(components.ravel())[1:])
    # 크기 구간: 반지름 2.5–4.5 (넓이 ≤ 약 64) vs 9–14 (넓이 ≥ 약 100, 다른 물체에 가려지지 않으면)
    assert np.median(areas[1]) < 70 < np.median(areas[2])


def test_splits_are_disjoint_and_scaled():
    train, _ = data.make_split("train", 3)
    test, _ = data.make_split("test", 3)
    assert not any(np.array_equal(a, b) for a in train for b in test)
    big, _ = data.make_split("train", 1, data.SceneSpec(size=128))
    assert big.shape == (1, 128, 128, 3)


def test_dataset():
    images, masks = data.make_split("val", 5)
    x, y = next(iter(data.as_dataset(images, masks, batch_size=4)))
    assert x.shape == (4, 64, 64, 3) and float(x.numpy().min()) >= -1 and y.dtype.name == "uint8"


@pytest.mark.parametrize("call,match", [
    (lambda: data.make_split("training", 3), "split"),
    (lambda: data.make_split("train", 0), "count"),
    (lambda: data.generate_scene(0, data.SceneSpec(size=8)), "size"),
    (lambda: data.generate_scene(-1), "seed"),
])
def test_bad_arguments(call, match):
    with pytest.raises(DeepLabLessonsError, match=match):
        call()
