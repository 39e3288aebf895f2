import numpy as np
import pytest

from deeplab_lessons import metrics
from deeplab_lessons.errors import DeepLabLessonsError
from deeplab_lessons.pretrained import preprocess


def _photo():
    import skimage.data

    return skimage.data.chelsea()     # 451×300


def test_centre_square():
    rows, cols = preprocess.centre_square(300, 451)
    assert (rows.start, rows.stop, cols.start, cols.stop) == (0, 300, 75, 375)
    rows, cols = preprocess.centre_square(500, 394)
    assert (rows.stop - rows.start, cols.stop - cols.start) == (394, 394) and rows.start == 53


def test_prepare_shapes():
    rgb = _photo()
    assert preprocess.prepare(rgb, "stretch", 257).shape == (257, 257, 3)
    assert preprocess.prepare(rgb, "pad", 257).shape == (170, 257, 3)
    assert preprocess.prepare(rgb, "crop", 257).shape == (257, 257, 3)
    with pytest.raises(DeepLabLessonsError, match="method.*stretch"):
        preprocess.prepare(rgb, "squash", 257)
    with pytest.raises(DeepLabLessonsError, match="method"):
        preprocess.Preprocessed(object(), "squash")


def test_stretch_is_what_segment_does_for_the_tflite_model(tflite_model):
    rgb = _photo()
    stretched = preprocess.Preprocessed(tflite_model.backend, "stretch").segment(rgb)
    np.testing.assert_array_equal(stretched, tflite_model.segment(rgb))


def test_crop_predicts_only_the_centre_square(tflite_model):
    rgb = _photo()
    mask = preprocess.Preprocessed(tflite_model.backend, "crop").segment(rgb)
    assert mask.shape == rgb.shape[:2]
    assert (mask[:, :75] == preprocess.NOT_PREDICTED).all() and (mask[:, 375:] == preprocess.NOT_PREDICTED).all()
    assert (mask[:, 75:375] != preprocess.NOT_PREDICTED).all() and (mask[:, 75:375] == 8).mean() > 0.5
    centre = preprocess.Preprocessed(tflite_model.backend, "pad", centre_only=True).segment(rgb)
    assert ((centre == preprocess.NOT_PREDICTED) == (mask == preprocess.NOT_PREDICTED)).all()


def test_not_predicted_pixels_are_not_counted(voc_root):
    class Half:
        def segment(self, rgb):
            mask = np.zeros(rgb.shape[:2], np.uint8)
            mask[:, rgb.shape[1] // 2:] = preprocess.NOT_PREDICTED
            return mask

    matrices = metrics.voc_matrices(Half(), voc_root, limit=2)
    for image_id, matrix in matrices.items():
        _, truth = metrics.read_voc_pair(voc_root, image_id)
        left = truth[:, : truth.shape[1] // 2]
        assert matrix.sum() == (left != 255).sum()
        assert matrix[:, 1:].sum() == 0


def test_voc_matrices_agree_with_evaluate_voc_and_bootstrap(tflite_model, voc_root, capsys):
    matrices = metrics.voc_matrices(tflite_model, voc_root, label="늘리기 257")
    assert "[늘리기 257] 영상 10장 평가 중" in capsys.readouterr().out
    together = metrics.evaluate_voc(tflite_model, voc_root)
    summed = metrics.evaluate_matrices(matrices)
    assert summed.images == together.images == 10
    np.testing.assert_array_equal(summed.matrix, together.matrix)
    low, high = metrics.bootstrap_difference(matrices, matrices, samples=50)
    assert low == high == 0.0
    padded = metrics.voc_matrices(preprocess.Preprocessed(tflite_model.backend, "pad"), voc_root)
    first = metrics.bootstrap_difference(matrices, padded, samples=200, seed=3)
    assert first == metrics.bootstrap_difference(matrices, padded, samples=200, seed=3)
    assert first[0] < first[1]
    with pytest.raises(DeepLabLessonsError, match="영상 id가 다릅니다"):
        metrics.bootstrap_difference(matrices, dict(list(padded.items())[:3]))
