"""손실 함수의 NumPy 구현: 학습이 쓰는 Keras 손실이 화소마다 무엇을 계산하는지 보여 주는 기준 구현."""

from __future__ import annotations

import numpy as np

from deeplab_lessons.errors import DeepLabLessonsError, josa
from deeplab_lessons.voc import IGNORE_LABEL


def masked_cross_entropy(logits, labels, ignore_label: int = IGNORE_LABEL) -> float:
    """정답이 ``ignore_label`` 이 아닌 화소들의 교차 엔트로피 평균(자연로그).

    Keras의 ``SparseCategoricalCrossentropy(from_logits=True, ignore_class=255)`` 와 같은 값입니다.

    Args:
        logits: ``(..., C)`` 로짓(softmax 전 점수).
        labels: ``(...)`` 정답 클래스 번호(0 … C−1 또는 ``ignore_label``).
        ignore_label: 세지 않을 번호(VOC의 경계 255).

    Returns:
        평균 손실. 셀 화소가 하나도 없으면 0.0.

    Raises:
        DeepLabLessonsError: 모양이 맞지 않거나 범위 밖의 클래스 번호가 있을 때.
    """
    logits, labels = np.asarray(logits, np.float64), np.asarray(labels)
    if logits.shape[:-1] != labels.shape:
        raise DeepLabLessonsError(
            f"로짓의 모양 {logits.shape}에서 마지막 축(클래스)을 뺀 것이 정답의 모양 {josa(labels.shape, '과')} "
            f"같아야 합니다.")
    keep = labels != ignore_label
    if not keep.any():
        return 0.0
    scores, classes = logits[keep], labels[keep].astype(np.int64)
    if classes.min() < 0 or classes.max() >= scores.shape[-1]:
        raise DeepLabLessonsError(
            f"정답에 0–{scores.shape[-1] - 1} 밖의 클래스 번호가 있습니다(범위 {classes.min()}–{classes.max()}, "
            f"무시 번호 {ignore_label} 제외).")
    shifted = scores - scores.max(axis=1, keepdims=True)
    log_softmax = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return float(-log_softmax[np.arange(len(classes)), classes].mean())


def median_frequency_weights(pixel_counts) -> np.ndarray:
    """클래스 가중치: 중앙값 빈도 ÷ 클래스 빈도(Eigen & Fergus 2015의 중앙값 빈도 균형). 드문 클래스일수록 큽니다.

    Args:
        pixel_counts: 클래스마다의 화소 수(또는 비율) ``(C,)``. 0인 클래스(나오지 않은 클래스)의 가중치는 1.

    Raises:
        DeepLabLessonsError: 음수가 있거나, 화소가 하나도 없을 때.
    """
    counts = np.asarray(pixel_counts, np.float64)
    if counts.ndim != 1 or counts.size == 0 or not np.all(np.isfinite(counts)) or counts.min() < 0 \
            or counts.sum() == 0:
        raise DeepLabLessonsError(f"pixel_counts는 클래스마다의 0 이상인 화소 수여야 하고, 화소가 하나 이상 있어야 "
                                  f"합니다(받은 값: {pixel_counts}).")
    shares = counts / counts.sum()
    present = shares > 0
    weights = np.ones(counts.size)
    weights[present] = np.median(shares[present]) / shares[present]
    return weights
