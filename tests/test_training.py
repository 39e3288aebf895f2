import numpy as np
import pytest

from deeplab_lessons import data, training
from deeplab_lessons.errors import DeepLabLessonsError
from deeplab_lessons.pretrained import load_model
from deeplab_lessons.pretrained.export import export_frozen_graph_tarball, export_tflite

TINY = training.TrainConfig(size=64, train_images=48, test_images=16, epochs=3, batch_size=16,
                            learning_rate=3e-3, alpha=0.35, aspp_filters=16)


def test_a_few_steps_lower_the_loss():
    model = training.build(TINY, 0, **training.ABLATION["+ 디코더 (v3+)"])
    history, seconds = training.train(model, TINY, validation=False, verbose=False)
    assert history["loss"][-1] < history["loss"][0] and seconds > 0


def test_boundary_band_and_scores():
    mask = np.zeros((8, 8), np.uint8)
    mask[2:6, 2:6] = 4
    band = training.boundary_band(mask, width=1)
    assert band[2, 3] and band[1, 3] and not band[4, 4] and not band[0, 0]
    assert training.boundary_band(mask, width=2)[0, 3]
    perfect = training.score(mask[None], mask[None])
    assert perfect.mean_iou == 1.0 and perfect.boundary_iou == 1.0
    wrong = training.score(mask[None], np.zeros_like(mask)[None])
    assert wrong.boundary_iou < 1.0


def test_export_round_trip_equals_keras(tmp_path):
    model = training.build(TINY, 0, **training.ABLATION["+ 디코더 (v3+)"])
    images, _ = data.make_split("test", 4, TINY.spec)
    expected = training.predict_masks(model, images)
    tflite = load_model(export_tflite(model, tmp_path / "mini.tflite"))
    assert np.array_equal(np.stack([tflite.segment(image) for image in images]), expected)
    frozen = load_model(export_frozen_graph_tarball(model, tmp_path / "mini.tar.gz"))
    resized, seg_map = frozen.run(images[0])
    keras_map = model.predict(np.asarray(resized, np.float32)[None] / 127.5 - 1, verbose=0)[0].argmax(-1)
    assert (seg_map == keras_map).mean() > 0.9999
    assert not list(tmp_path.glob(".partial_*"))


def test_bad_config():
    with pytest.raises(DeepLabLessonsError, match="size.*32.*배수"):
        training.TrainConfig(size=100)
    with pytest.raises(DeepLabLessonsError, match="epochs"):
        training.TrainConfig(epochs=0)
    from deeplab_lessons import models

    with pytest.raises(DeepLabLessonsError, match="num_classes"):
        models.deeplab(num_classes=0, alpha=0.35)


def test_band_checker(capsys):
    mask = np.zeros((6, 6), np.uint8)
    mask[2:4, 2:4] = 1
    assert training.check_band_pixels(12, mask, width=1)
    assert "정답입니다" in capsys.readouterr().out
