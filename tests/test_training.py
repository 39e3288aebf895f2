import numpy as np
import pytest

from deeplab_lessons import data, training
from deeplab_lessons.errors import DeepLabLessonsError
from deeplab_lessons.pretrained import load_model
from deeplab_lessons.pretrained.export import export_frozen_graph_tarball, export_tflite

TINY = training.TrainConfig(size=64, train_images=48, test_images=16, epochs=3, batch_size=16, aspp_filters=16)


def test_a_few_steps_lower_the_loss():
    model = training.build(TINY, 0, **training.architecture(training.V3_PLUS))
    history, seconds = training.train(model, TINY, verbose=False)
    assert history["loss"][-1] < history["loss"][0] and seconds > 0


def test_seeds_give_different_initial_weights_and_the_same_seed_repeats():
    arch = training.architecture("OS 16, 아트러스")
    first, again, other = (training.make_model(TINY, seed, **arch).get_weights() for seed in (0, 0, 1))
    assert all(np.array_equal(a, b) for a, b in zip(first, again, strict=True))
    kernels = [(a, b) for a, b in zip(first, other, strict=True) if a.ndim == 4]
    assert kernels and all(not np.array_equal(a, b) for a, b in kernels)


def _order(seed, epochs=2):
    """seed로 섞은 학습 장면의 순서(에포크마다): 마스크의 합으로 장면을 알아봅니다."""
    images, masks = data.make_split("train", 12, TINY.spec)
    dataset = data.as_dataset(images, masks, batch_size=12, shuffle=True, seed=seed)
    return [tuple(batch[1].numpy().reshape(12, -1).sum(axis=1)) for _ in range(epochs) for batch in dataset]


def test_seeds_give_different_data_orders_and_the_same_seed_repeats():
    a, b, c = _order(0), _order(0), _order(1)
    assert a == b and a != c
    assert a[0] != a[1]          # 에포크마다 다시 섞습니다.


def test_reinitialize_equals_a_fresh_build_and_resets_the_optimizer():
    arch = training.architecture("OS 32, 쌍선형 업샘플링")
    model = training.build(TINY, 0, **arch)
    training.train(model, TINY, seed=0, verbose=False)
    assert int(model.optimizer.iterations.numpy()) > 0
    training.reinitialize(model, TINY, 1, **arch)
    fresh = training.make_model(TINY, 1, **arch).get_weights()
    assert all(np.array_equal(a, b) for a, b in zip(model.get_weights(), fresh, strict=True))
    assert all(not np.any(v.numpy()) for v in model.optimizer.variables)


def test_class_weights_multiply_the_loss_per_pixel():
    """가중치가 모두 2이면 손실이 두 배, 한 클래스만 0이면 그 클래스 화소가 빠집니다."""
    import keras

    model = training.build(TINY, 0, **training.architecture("OS 32, 쌍선형 업샘플링"))
    images, masks = data.make_split("val", 4, TINY.spec)

    def loss(weights):
        x, y, w = next(iter(data.as_dataset(images, masks, 4, class_weights=weights)))
        return float(model.compute_loss(x=x, y=y, y_pred=model(x, training=False), sample_weight=w))

    ones = loss(None)
    assert loss(np.full(data.NUM_CLASSES, 2.0)) == pytest.approx(2 * ones, rel=1e-5)
    only_background = np.zeros(data.NUM_CLASSES)
    only_background[0] = 1
    logits = model(keras.ops.convert_to_tensor(images.astype(np.float32) / 127.5 - 1), training=False)
    per_pixel = keras.losses.sparse_categorical_crossentropy(masks, logits, from_logits=True).numpy()
    expected = (per_pixel * (masks == 0)).sum() / masks.size
    assert loss(only_background) == pytest.approx(expected, rel=1e-4)


def test_median_frequency_weights():
    masks = np.zeros((1, 10, 10), np.uint8)
    masks[0, :2] = 1          # 20 %
    masks[0, 2:3] = 2         # 10 %
    weights = training.median_frequency_weights(masks)
    shares = data.class_shares(masks)
    present = shares > 0
    assert np.allclose(weights[present] * shares[present], np.median(shares[present]))
    assert np.all(weights[~present] == 1) and weights[2] > weights[1] > weights[0]


def test_export_round_trip_equals_keras(tmp_path):
    model = training.build(TINY, 0, **training.architecture(training.V3_PLUS))
    images, _ = data.make_split("test", 4, TINY.spec)
    expected = training.predict_masks(model, images)
    tflite = load_model(export_tflite(model, tmp_path / "mini.tflite"))
    assert np.array_equal(np.stack([tflite.segment(image) for image in images]), expected)
    frozen = load_model(export_frozen_graph_tarball(model, tmp_path / "mini.tar.gz"))
    resized, seg_map = frozen.run(images[0])
    keras_map = model.predict(np.asarray(resized, np.float32)[None] / 127.5 - 1, verbose=0)[0].argmax(-1)
    assert (seg_map == keras_map).mean() > 0.9999
    assert not list(tmp_path.glob(".partial_*"))


@pytest.mark.parametrize("call,match", [
    (lambda: training.TrainConfig(size=100), "size.*32.*배수"),
    (lambda: training.TrainConfig(epochs=0), "epochs"),
    (lambda: training.TrainConfig(learning_rate=2), "learning_rate"),
    (lambda: training.architecture("v4"), "구성 이름.*OS 32"),
    (lambda: training.median_frequency_weights(np.zeros((0, 4), np.uint8)), "masks"),
    (lambda: data.as_dataset(np.zeros((1, 64, 64, 3), np.uint8), np.zeros((1, 64, 64), np.uint8),
                             class_weights=[1, 2]), "class_weights"),
])
def test_bad_arguments_get_korean_errors(call, match):
    with pytest.raises(DeepLabLessonsError, match=match):
        call()


def test_bad_model_arguments():
    from deeplab_lessons import models

    with pytest.raises(DeepLabLessonsError, match="num_classes"):
        models.deeplab(num_classes=0, alpha=0.35)
    with pytest.raises(DeepLabLessonsError, match="max_repeats"):
        models.deeplab(num_classes=2, alpha=0.35, max_repeats=0)
