"""DeepLab이 학습할 때 쓰는 데이터 늘리기(augmentation): 무작위 배율 → 채우고 무작위로 자르기 → 좌우 뒤집기.

공식 코드(``input_preprocess.preprocess_image_and_label``)의 순서를 따릅니다.

1. 영상과 마스크를 같은 배율 ``s`` 로 바꿉니다. ``s`` 는 0.5–2.0에서 0.25 간격(DeepLab의 기본
   ``min_scale_factor=0.5``, ``max_scale_factor=2.0``, ``scale_factor_step_size=0.25``)으로 고릅니다.
   영상은 쌍선형, 마스크는 가장 가까운 화소로(번호를 섞지 않도록).
2. 자를 크기보다 작으면 오른쪽·아래를 채웁니다: 영상은 평균 화소(127.5, 정규화하면 0), 마스크는 255(무시).
3. ``crop × crop`` 을 무작위 위치에서 자릅니다.
4. 절반의 확률로 좌우를 뒤집습니다.

NumPy와 Pillow만 씁니다. 같은 ``numpy.random.Generator`` 상태면 같은 결과입니다.
"""

from __future__ import annotations

import numpy as np
from PIL import Image

from deeplab_lessons.errors import DeepLabLessonsError, check_int

#: DeepLab 학습의 기본 배율 범위와 간격.
MIN_SCALE, MAX_SCALE, SCALE_STEP = 0.5, 2.0, 0.25
#: 채우는 값: 영상은 평균 화소(정규화 ``x / 127.5 − 1`` 뒤 0), 마스크는 무시 번호.
MEAN_PIXEL, IGNORE_LABEL = 127.5, 255


def scale_choices(low: float = MIN_SCALE, high: float = MAX_SCALE, step: float = SCALE_STEP) -> np.ndarray:
    """고를 수 있는 배율들(예: 0.5, 0.75, …, 2.0)."""
    if not 0 < low <= high or step <= 0:
        raise DeepLabLessonsError(f"배율 범위가 올바르지 않습니다(low={low}, high={high}, step={step}). "
                                  "0 < low ≤ high, step > 0 이어야 합니다. 예: 0.5, 2.0, 0.25")
    return np.round(np.arange(low, high + step / 2, step), 6)


def rescale(rgb: np.ndarray, mask: np.ndarray, scale: float) -> tuple[np.ndarray, np.ndarray]:
    """영상(쌍선형)과 마스크(가장 가까운 화소)를 같은 배율로. 한 변이 1화소보다 작아지지 않습니다."""
    height, width = mask.shape
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    image = Image.fromarray(rgb).resize(size, Image.Resampling.BILINEAR)
    labels = Image.fromarray(mask).resize(size, Image.Resampling.NEAREST)
    return np.asarray(image), np.asarray(labels)


def pad_to(rgb: np.ndarray, mask: np.ndarray, crop: int) -> tuple[np.ndarray, np.ndarray]:
    """두 변이 ``crop`` 이상이 되도록 오른쪽·아래를 채웁니다(영상은 평균 화소를 반올림한 128, 마스크는 255)."""
    height, width = mask.shape
    pad_h, pad_w = max(0, crop - height), max(0, crop - width)
    if not (pad_h or pad_w):
        return rgb, mask
    rgb = np.pad(rgb, ((0, pad_h), (0, pad_w), (0, 0)), constant_values=round(MEAN_PIXEL))
    mask = np.pad(mask, ((0, pad_h), (0, pad_w)), constant_values=IGNORE_LABEL)
    return rgb, mask


def random_crop_pair(rgb, mask, crop: int, rng: np.random.Generator, scales=None):
    """DeepLab의 학습 전처리 한 번: 배율 → 채우기 → ``crop × crop`` 자르기 → 좌우 뒤집기.

    Args:
        rgb: ``(H, W, 3)`` uint8 영상.
        mask: ``(H, W)`` uint8 마스크(0…N−1, 255 무시).
        crop: 잘라 낼 한 변(화소).
        rng: 난수 생성기(``numpy.random.default_rng(시드)``).
        scales: 고를 배율들(기본 :func:`scale_choices`). ``(1.0,)`` 이면 배율을 바꾸지 않습니다.

    Returns:
        ``(crop, crop, 3)`` uint8 영상과 ``(crop, crop)`` uint8 마스크.

    Raises:
        DeepLabLessonsError: 모양이 맞지 않거나 ``crop`` 이 양의 정수가 아닐 때.
    """
    crop = check_int("crop", crop)
    rgb, mask = np.asarray(rgb), np.asarray(mask)
    if rgb.ndim != 3 or rgb.shape[2] != 3 or mask.shape != rgb.shape[:2]:
        raise DeepLabLessonsError(f"영상 (H, W, 3)과 마스크 (H, W)의 모양이 맞아야 합니다(받은 모양: {rgb.shape}, "
                                  f"{mask.shape}).")
    scales = scale_choices() if scales is None else np.asarray(scales, float)
    scale = float(rng.choice(scales))
    if scale != 1.0:
        rgb, mask = rescale(rgb, mask, scale)
    rgb, mask = pad_to(rgb, mask, crop)
    top = int(rng.integers(0, mask.shape[0] - crop + 1))
    left = int(rng.integers(0, mask.shape[1] - crop + 1))
    rgb, mask = rgb[top:top + crop, left:left + crop], mask[top:top + crop, left:left + crop]
    if rng.random() < 0.5:
        rgb, mask = rgb[:, ::-1], mask[:, ::-1]
    return np.ascontiguousarray(rgb), np.ascontiguousarray(mask)


def epoch_crops(images, masks, crop: int, seed: int, epoch: int, per_image: int = 1, scales=None):
    """한 에포크의 학습 배열: 영상마다 ``per_image`` 번 잘라 ``(M, crop, crop, 3)`` uint8과 ``(M, crop, crop)`` uint8.

    난수는 ``(seed, epoch)`` 에서만 정해집니다. 그래서 중간에 멈췄다가 그 에포크부터 다시 시작해도 같은 자르기가
    나오고, 순서도 에포크마다 ``seed`` 로 섞입니다.
    """
    per_image = check_int("per_image", per_image)
    rng = np.random.default_rng([seed, epoch])
    pairs = [random_crop_pair(rgb, mask, crop, rng, scales)
             for rgb, mask in zip(images, masks, strict=True) for _ in range(per_image)]
    order = rng.permutation(len(pairs))
    return (np.stack([pairs[i][0] for i in order]), np.stack([pairs[i][1] for i in order]))
