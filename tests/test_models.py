import numpy as np
import pytest

from deeplab_lessons import counting, layers, models
from deeplab_lessons.errors import DeepLabLessonsError

keras = models.keras


def test_full_mobilenetv2_backbone_matches_keras_applications():
    """alpha 1.0의 백본 = keras.applications.MobileNetV2 − 마지막 1×1(1280) 층."""
    inputs = keras.Input((96, 96, 3))
    _, features, _ = models.mobilenetv2_backbone(inputs, 1.0, output_stride=32)
    ours = keras.Model(inputs, features).count_params()
    reference = keras.applications.MobileNetV2(weights=None, include_top=False, input_shape=(96, 96, 3))
    assert ours == reference.count_params() - (320 * 1280 + 4 * 1280)


def test_output_stride_8_dilations_match_the_official_model():
    """공식 TFLite 모델: 블록 7–13의 깊이별 합성곱은 비율 2, 14–16은 비율 4."""
    _, _, plan = models.mobilenetv2_backbone(keras.Input((None, None, 3)), 1.0, output_stride=8)
    rates = [rate for _, rate in plan]
    assert rates[7:14] == [2] * 7 and rates[14:] == [4] * 3 and set(rates[:7]) == {1}


def test_published_parameter_counts():
    """MobileNetV2 논문 표 7: DeepLabv3 MNV2 머리 없음 2.11 M, ASPP 4.52 M (학습되는 매개변수)."""
    assert round(counting.trainable_params(models.deeplab_v3(head="lite")) / 1e6, 2) == 2.11
    assert round(counting.trainable_params(models.deeplab_v3(head="aspp")) / 1e6, 2) == 4.52


@pytest.mark.parametrize("builder", [models.deeplab_v3, models.deeplab_v3_plus])
@pytest.mark.parametrize("output_stride", [8, 16])
def test_output_shapes_for_odd_sizes(builder, output_stride):
    model = builder(num_classes=3, output_stride=output_stride, alpha=0.35, aspp_filters=16)
    for shape in ((1, 65, 65, 3), (2, 129, 97, 3), (1, 33, 47, 3)):
        assert model(np.zeros(shape, np.float32)).shape == shape[:3] + (3,)


def test_decoder_uses_low_level_features_and_separable_convs():
    model = models.deeplab_v3_plus(num_classes=2, alpha=0.35, aspp_filters=16,
                                   input_shape=(65, 65, 3))
    low = model.get_layer("decoder_low_level_conv")
    assert low.filters == 48 and low.output.shape[1:3] == (17, 17)
    depthwise = model.get_layer("decoder_sepconv2_depthwise")
    assert isinstance(depthwise, keras.layers.DepthwiseConv2D)
    # DeepLab의 split_separable_conv2d: 깊이별 뒤에 BN과 ReLU가 오고 그다음 점별 1×1.
    following = [model.get_layer(f"decoder_sepconv2_{n}") for n in ("depthwise_bn", "depthwise_relu", "pointwise")]
    assert isinstance(following[0], keras.layers.BatchNormalization)
    assert isinstance(following[1], keras.layers.ReLU)
    assert following[2].kernel_size == (1, 1) and following[2].input is following[1].output
    plain = models.deeplab_v3(num_classes=2, alpha=0.35, aspp_filters=16)
    assert model.count_params() > plain.count_params()


def test_head_options():
    sizes = {head: models.deeplab_v3(num_classes=2, alpha=0.35, head=head, aspp_filters=16).count_params()
             for head in ("none", "lite", "aspp")}
    assert sizes["none"] < sizes["lite"] < sizes["aspp"]
    assert models.deeplab_v3(2, alpha=0.35, output_stride=32, aspp_filters=16)(
        np.zeros((1, 64, 64, 3), np.float32)).shape == (1, 64, 64, 2)


@pytest.mark.parametrize("kwargs,match", [
    ({"output_stride": 4}, "output_stride"), ({"num_classes": 0}, "num_classes"),
    ({"alpha": 0}, "alpha"), ({"head": "big"}, "head"), ({"aspp_filters": -1}, "aspp_filters")])
def test_bad_arguments(kwargs, match):
    with pytest.raises(DeepLabLessonsError, match=match):
        models.deeplab_v3(**{"alpha": 0.35, **kwargs})


def test_resnet101_beta_matches_the_published_count():
    """MobileNetV2 논문 표 7의 ResNet-101 DeepLabv3 58.16 M = resnet_v1_101_beta + ASPP + 분류기 (0.05 % 안)."""
    model = models.resnet101_deeplab_v3(stem="beta")
    trainable = counting.trainable_params(model)
    assert abs(trainable / 58.16e6 - 1) < 0.0005
    head = layers.aspp_v3_params(2048) - 2 * 256 * 6 + 256 * 21 + 21   # ASPP(학습되는 것만) + 분류기
    assert trainable == models.resnet101_params("beta") + head


def test_resnet101_stems_differ_by_the_stem_and_the_biases():
    """keras.applications 판 − 편향 없는 7×7 판 = 합성곱 편향 수; beta − 7×7 = 첫 부분과 block1 입구의 차이."""
    keras_model = models.resnet101_deeplab_v3(stem="keras")
    original = models.resnet101_deeplab_v3(stem="original")
    biases = sum(layer.filters for layer in keras_model.layers
                 if isinstance(layer, keras.layers.Conv2D) and layer.use_bias and layer.name != "logits")
    assert counting.trainable_params(keras_model) - counting.trainable_params(original) == biases
    assert models.resnet101_params("beta") - models.resnet101_params("original") == 123_776


def test_resnet_bad_stem():
    with pytest.raises(DeepLabLessonsError, match="stem"):
        models.resnet101_deeplab_v3(stem="deep")


def test_bn_momentum_reaches_every_batch_norm_layer():
    """ASPP의 가지처럼 중첩된 층 안의 배치 정규화까지 모두 모멘텀이 바뀌어야 합니다(빠지면 짧은 학습이 망가짐)."""
    model = models.deeplab_v3_plus(num_classes=3, alpha=0.35, aspp_filters=8, bn_momentum=0.9)
    found = [layer for layer in counting.leaf_layers(model) if isinstance(layer, keras.layers.BatchNormalization)]
    moving_means = [w for w in model.weights if "moving_mean" in w.path]
    assert len(found) == len(moving_means) > 0
    assert {layer.momentum for layer in found} == {0.9}


def test_decoder_params_by_formula():
    """디코더 = 1×1(C_low→48) + BN, 분리 합성곱 두 번(깊이별 9·C + BN 4·C, 점별 C·F + BN 4·F)."""
    filters = 16
    plus = models.deeplab_v3_plus(num_classes=2, alpha=0.35, aspp_filters=filters)
    plain = models.deeplab_v3(num_classes=2, alpha=0.35, aspp_filters=filters)
    low = plus.get_layer("decoder_low_level_conv").input.shape[-1]
    expected = low * 48 + 4 * 48
    for c in (filters + 48, filters):
        expected += 9 * c + 4 * c + c * filters + 4 * filters
    assert plus.count_params() - plain.count_params() == expected


def test_deeplab_rounding_reaches_the_backbone():
    model = models.deeplab_v3(num_classes=2, alpha=0.5, aspp_filters=8, rounding="deeplab")
    assert model.get_layer("block0_project_conv").filters == 8
    assert model.get_layer("block1_project_conv").filters == 12


def test_deeplab_rounding_has_the_official_tflite_kernel_count(tflite_path):
    """공식 TFLite 파일(폭 배율 0.5, 가벼운 머리)의 합성곱 가중치 수 = 우리 모델(DeepLab 반올림)의 합성곱 가중치 수."""
    from deeplab_lessons.pretrained import keras_rebuild

    rows = keras_rebuild.read_layer_table(tflite_path)
    in_file = sum(r["kernel"] ** 2 * r["in"] * (1 if r["kind"] == "깊이별" else r["out"]) for r in rows)
    model = models.deeplab_v3(21, alpha=0.5, head="lite", rounding="deeplab")
    ours = sum(int(np.prod(layer.kernel.shape)) for layer in counting.leaf_layers(model)
               if isinstance(layer, (keras.layers.Conv2D, keras.layers.DepthwiseConv2D)))
    assert ours == in_file == 679_680
