import numpy as np
import pytest

from deeplab_lessons import data
from deeplab_lessons.errors import DeepLabLessonsError


def test_deterministic_per_seed():
    a, b, c = data.generate_scene(7), data.generate_scene(7), data.generate_scene(8)
    assert np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])
    assert not np.array_equal(a[0], c[0])


def test_masks_match_the_drawn_objects():
    """각 클래스 화소의 평균 색이 그 물체의 색과 같고, 크기 쌍과 문맥 쌍은 각각 색이 같습니다."""
    images, masks = data.make_split("train", 60)
    colors = {label: images[masks == label].reshape(-1, 3).mean(axis=0) for label in range(1, data.NUM_CLASSES)}
    for label, color in ((1, data.DISC_COLOR), (2, data.DISC_COLOR), (3, data.BAR_COLOR),
                         (4, data.SQUARE_COLOR), (5, data.SQUARE_COLOR)):
        assert np.abs(colors[label] - color).max() < 12, label
    assert set(np.unique(masks)) == set(range(data.NUM_CLASSES))


def test_square_class_follows_the_scene_kind_and_the_frame_color():
    """사각형의 클래스는 장면 종류(낮 4, 밤 5)와 언제나 맞고, 장면 종류는 테두리 색으로만 드러납니다."""
    images, masks = data.make_split("train", 40)
    for seed, (image, mask) in enumerate(zip(images, masks, strict=True)):
        kind = data.scene_kind(seed)
        assert not (mask == data.CONTEXT_CLASSES[1 - kind]).any()
        assert (mask == data.CONTEXT_CLASSES[kind]).any()
        frame = image[0].reshape(-1, 3).mean(axis=0)
        assert np.abs(frame - data.FRAME_COLORS[kind]).max() < 12 and (mask[0] == 0).all()
    kinds = [data.scene_kind(i) for i in range(40)]
    assert 10 < sum(kinds) < 30


def test_small_and_large_discs_differ_by_size():
    from scipy import ndimage

    _, masks = data.make_split("train", 40)
    areas = {1: [], 2: []}
    for mask in masks:
        for label in (1, 2):
            components, _ = ndimage.label(mask == label)
            areas[label] += list(np.bincount(components.ravel())[1:])
    # 반지름 2.5–4.5 (넓이 ≤ 약 64) 대 9–14 (넓이 ≥ 약 250, 다른 물체에 가려지지 않으면)
    assert np.median(areas[1]) < 70 < 150 < np.median(areas[2])


def test_splits_are_disjoint_cached_and_scaled():
    train, _ = data.make_split("train", 3)
    test, _ = data.make_split("test", 3)
    assert not any(np.array_equal(a, b) for a in train for b in test)
    train[0, 0, 0] = 0                       # 돌려받은 배열을 바꿔도 저장된 분할은 그대로입니다.
    assert np.array_equal(data.make_split("train", 3)[0][1:], train[1:])
    assert data.make_split("train", 3)[0][0, 0, 0].tolist() == data.generate_scene(0)[0][0, 0].tolist()
    big, _ = data.make_split("train", 1, data.SceneSpec(size=128))
    assert big.shape == (1, 128, 128, 3)


def test_class_shares():
    masks = np.array([[[0, 0], [1, 5]]], np.uint8)
    assert np.allclose(data.class_shares(masks), [0.5, 0.25, 0, 0, 0, 0.25])


def test_dataset_yields_images_masks_and_pixel_weights():
    images, masks = data.make_split("val", 5)
    x, y, w = next(iter(data.as_dataset(images, masks, batch_size=4)))
    assert x.shape == (4, 64, 64, 3) and float(x.numpy().min()) >= -1 and y.dtype.name == "uint8"
    assert np.all(w.numpy() == 1)
    weights = np.arange(1, data.NUM_CLASSES + 1, dtype=np.float32)
    _, y, w = next(iter(data.as_dataset(images, masks, batch_size=4, class_weights=weights)))
    assert np.array_equal(w.numpy(), weights[y.numpy()])


@pytest.mark.parametrize("call,match", [
    (lambda: data.make_split("training", 3), "split"),
    (lambda: data.make_split("train", 0), "count"),
    (lambda: data.generate_scene(0, data.SceneSpec(size=8)), "size"),
    (lambda: data.generate_scene(-1), "seed"),
    (lambda: data.scene_kind(-1), "seed"),
    (lambda: data.as_dataset(np.zeros((1, 64, 64, 3)), np.zeros((1, 64, 64)), class_weights=[-1] * 6),
     "class_weights"),
])
def test_bad_arguments(call, match):
    with pytest.raises(DeepLabLessonsError, match=match):
        call()
