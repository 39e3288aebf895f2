"""DeepLab의 학습 전처리: 배율(0.5–2.0, 0.25 간격), 평균 화소·255로 채우기, 무작위 자르기, 좌우 뒤집기."""

import numpy as np
import pytest

from deeplab_lessons import augment
from deeplab_lessons.errors import DeepLabLessonsError


def _pair(height=40, width=60):
    rgb = np.zeros((height, width, 3), np.uint8)
    rgb[..., 0] = np.arange(width, dtype=np.uint8)[None, :]
    mask = np.zeros((height, width), np.uint8)
    mask[:, width // 2:] = 1
    return rgb, mask


def test_scale_choices_are_deeplabs():
    assert augment.scale_choices().tolist() == [0.5, 0.75, 1.0, 1.25, 1.5, 1.75, 2.0]
    with pytest.raises(DeepLabLessonsError, match="배율 범위"):
        augment.scale_choices(2.0, 1.0)


def test_padding_uses_the_mean_pixel_and_ignore():
    rgb, mask = augment.pad_to(*_pair(10, 12), crop=16)
    assert rgb.shape == (16, 16, 3) and mask.shape == (16, 16)
    assert (rgb[10:, :, :] == 128).all() and (rgb[:, 12:, :] == 128).all()
    assert (mask[10:, :] == 255).all() and (mask[:, 12:] == 255).all() and (mask[:10, :12] != 255).all()


def test_rescale_keeps_labels_unmixed():
    rgb, mask = augment.rescale(*_pair(), 1.75)
    assert mask.shape == (70, 105) and rgb.shape == (70, 105, 3)
    assert set(np.unique(mask)) == {0, 1}


def test_crop_is_seeded_and_flips_half_the_time():
    rgb, mask = _pair()
    one = augment.random_crop_pair(rgb, mask, 32, np.random.default_rng(3))
    two = augment.random_crop_pair(rgb, mask, 32, np.random.default_rng(3))
    assert all(np.array_equal(a, b) for a, b in zip(one, two, strict=True))
    flips = 0
    for seed in range(200):
        image, labels = augment.random_crop_pair(rgb, mask, 32, np.random.default_rng(seed), scales=(1.0,))
        assert image.shape == (32, 32, 3) and labels.shape == (32, 32)
        flips += int(image[0, 0, 0]) > int(image[0, -1, 0])      # 원래는 오른쪽으로 갈수록 밝음
    assert 70 < flips < 130


def test_crop_bigger_than_the_image_is_padded_with_ignore():
    rgb, mask = _pair(20, 30)
    image, labels = augment.random_crop_pair(rgb, mask, 64, np.random.default_rng(0), scales=(1.0,))
    assert (labels == 255).sum() == 64 * 64 - 20 * 30


def test_epoch_crops_depend_only_on_seed_and_epoch():
    pairs = [_pair(), _pair(50, 45)]
    images, masks = [p[0] for p in pairs], [p[1] for p in pairs]
    a = augment.epoch_crops(images, masks, 24, seed=1, epoch=2, per_image=3)
    b = augment.epoch_crops(images, masks, 24, seed=1, epoch=2, per_image=3)
    c = augment.epoch_crops(images, masks, 24, seed=1, epoch=3, per_image=3)
    assert a[0].shape == (6, 24, 24, 3) and a[1].shape == (6, 24, 24)
    assert np.array_equal(a[0], b[0]) and not np.array_equal(a[0], c[0])


def test_bad_shapes():
    with pytest.raises(DeepLabLessonsError, match="모양이 맞아야"):
        augment.random_crop_pair(np.zeros((4, 4, 3), np.uint8), np.zeros((5, 4), np.uint8), 4,
                                 np.random.default_rng(0))
