import math

import numpy as np
import pytest

from deeplab_lessons import losses
from deeplab_lessons.errors import DeepLabLessonsError


def test_hand_cases():
    """같은 로짓이면 −log(1/C), 확실한 정답이면 0에 가깝고, 255 화소는 평균에서 빠집니다."""
    assert losses.masked_cross_entropy(np.zeros((2, 2, 4)), np.array([[0, 1], [2, 3]])) == pytest.approx(math.log(4))
    sure = np.array([[[20.0, 0.0], [0.0, 20.0]]])
    assert losses.masked_cross_entropy(sure, np.array([[0, 1]])) < 1e-8
    logits = np.array([[[0.0, math.log(3)], [5.0, -5.0]]])          # 첫 화소: p = (1/4, 3/4)
    assert losses.masked_cross_entropy(logits, np.array([[1, 255]])) == pytest.approx(-math.log(0.75))
    assert losses.masked_cross_entropy(logits, np.array([[255, 255]])) == 0.0


def test_large_logits_do_not_overflow():
    assert losses.masked_cross_entropy(np.array([[[1000.0, 0.0]]]), np.array([[1]])) == pytest.approx(1000.0)


def test_equals_keras_with_ignore_class():
    import keras

    rng = np.random.default_rng(1)
    logits = rng.normal(0, 3, (2, 5, 4, 6)).astype(np.float32)
    labels = rng.integers(0, 6, (2, 5, 4))
    labels[rng.random(labels.shape) < 0.3] = 255
    expected = keras.losses.SparseCategoricalCrossentropy(from_logits=True, ignore_class=255)(labels, logits)
    assert losses.masked_cross_entropy(logits, labels) == pytest.approx(float(expected), rel=1e-5)


@pytest.mark.parametrize("logits,labels,match", [
    (np.zeros((2, 3, 4)), np.zeros((3, 2), int), "모양"),
    (np.zeros((1, 2, 3)), np.array([[0, 3]]), "클래스 번호"),
    (np.zeros((1, 2, 3)), np.array([[0, -1]]), "클래스 번호"),
])
def test_bad_inputs(logits, labels, match):
    with pytest.raises(DeepLabLessonsError, match=match):
        losses.masked_cross_entropy(logits, labels)


def test_median_frequency_weights_from_pixel_counts():
    from deeplab_lessons import losses

    weights = losses.median_frequency_weights([600, 300, 100, 0])
    assert weights.tolist() == pytest.approx([0.5, 1.0, 3.0, 1.0])
    with pytest.raises(DeepLabLessonsError, match="pixel_counts"):
        losses.median_frequency_weights([0, 0])
    with pytest.raises(DeepLabLessonsError, match="pixel_counts"):
        losses.median_frequency_weights([1, -1])
