import numpy as np
import pytest

from deeplab_lessons import mobilenet
from deeplab_lessons.errors import DeepLabLessonsError

keras = mobilenet.load_keras()
TFLITE_WIDTHS = [16, 8, 12, 12, 16, 16, 16, 32, 32, 32, 32, 48, 48, 48, 80, 80, 80, 160]


@pytest.mark.parametrize("alpha", [1.0, 0.5, 0.35])
def test_backbone_matches_keras_applications(alpha):
    """Keras 규칙의 백본 = keras.applications.MobileNetV2(alpha) − 마지막 1×1(1280) 층, 식으로도 같음."""
    inputs = keras.Input((64, 64, 3))
    _, features, _ = mobilenet.backbone(inputs, alpha, output_stride=32)
    ours = keras.Model(inputs, features).count_params()
    reference = keras.applications.MobileNetV2(weights=None, include_top=False, alpha=alpha,
                                               input_shape=(64, 64, 3))
    last = features.shape[-1]
    assert ours == reference.count_params() - (last * 1280 + 4 * 1280)
    assert ours == mobilenet.backbone_params(alpha)


@pytest.mark.parametrize("in_channels,out_channels,expansion,stride",
                         [(16, 24, 6, 2), (24, 24, 6, 1), (32, 16, 1, 1), (12, 12, 6, 1)])
def test_block_params_formula_equals_keras(in_channels, out_channels, expansion, stride):
    inputs = keras.Input((8, 8, in_channels))
    expanded = mobilenet.expanded_channels(in_channels, expansion)
    outputs = mobilenet.inverted_residual(inputs, expanded, out_channels, stride, name="b")
    model = keras.Model(inputs, outputs)
    shape = mobilenet.BlockShape(in_channels, expanded, out_channels, stride)
    assert model.count_params() == mobilenet.block_params(shape)
    assert any(layer.name == "b_add" for layer in model.layers) == shape.residual


def test_deeplab_rounding_gives_the_tflite_widths_at_half_width():
    assert mobilenet.widths(0.5, "deeplab") == TFLITE_WIDTHS
    assert mobilenet.widths(0.5, "keras") != TFLITE_WIDTHS          # 24·0.5 = 12 → Keras는 16
    assert [w // 2 for w in mobilenet.widths(1.0, "deeplab")] == TFLITE_WIDTHS
    assert mobilenet.widths(1.0, "deeplab") == mobilenet.widths(1.0, "keras")


def test_rounding_rules():
    assert mobilenet.scaled_channels(24, 0.5, "keras") == 16
    assert mobilenet.scaled_channels(24, 0.5, "deeplab") == 12
    assert mobilenet.scaled_channels(16, 0.35, "deeplab") == 6        # 5.6 → 6
    assert mobilenet.scaled_channels(32, 0.35, "keras") == 16         # 11.2 → 8은 10 % 넘게 줄어 16
    assert mobilenet.expanded_channels(6, 6, "deeplab") == 40          # 36 → 8의 배수 40
    assert mobilenet.expanded_channels(6, 6, "keras") == 36
    assert mobilenet.expanded_channels(11, 1, "deeplab") == 11


def test_widths_from_the_official_tflite_file(tflite_path):
    from deeplab_lessons.pretrained import keras_rebuild

    rows = keras_rebuild.read_layer_table(tflite_path)
    assert mobilenet.widths_from_layer_table(rows) == TFLITE_WIDTHS


def test_relu_keeps_information_only_in_high_dimensions():
    shares = [mobilenet.relu_recoverable_share(n) for n in (2, 3, 5, 15, 30)]
    assert shares[0] < 0.5 and shares[-1] == 1.0
    assert shares == sorted(shares)


def test_relu_share_with_given_points():
    points = np.array([[1.0, 0.0], [0.0, 1.0], [-1.0, -1.0]])
    assert 0.0 <= mobilenet.relu_recoverable_share(30, points) <= 1.0


@pytest.mark.parametrize("call,match", [
    (lambda: mobilenet.scaled_channels(32, 0), "alpha"),
    (lambda: mobilenet.scaled_channels(32, 1.0, "torch"), "rounding"),
    (lambda: mobilenet.expanded_channels(0, 6), "in_channels"),
    (lambda: mobilenet.widths_from_layer_table([]), "rows"),
    (lambda: mobilenet.backbone(keras.Input((32, 32, 3)), 1.0, output_stride=4), "output_stride"),
])
def test_bad_arguments(call, match):
    with pytest.raises(DeepLabLessonsError, match=match):
        call()
