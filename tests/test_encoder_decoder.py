import numpy as np
import pytest

from deeplab_lessons import counting, encoder_decoder, fully_convolutional, load_keras, models
from deeplab_lessons.errors import DeepLabLessonsError

keras = load_keras()


# ---------------------------------------------------------------- 완전 합성곱

def test_convolutionize_keeps_outputs_and_slides_the_classifier():
    classifier = fully_convolutional.tiny_classifier(64, 5, widths=(4, 4, 8, 8, 8), hidden=16)
    fcn = fully_convolutional.convolutionize(classifier)
    rng = np.random.default_rng(0)
    x = rng.uniform(0, 1, (2, 64, 64, 3)).astype(np.float32)
    np.testing.assert_allclose(fcn(x).numpy()[:, 0, 0], classifier(x).numpy(), atol=1e-5)
    big = rng.uniform(0, 1, (1, 160, 128, 3)).astype(np.float32)
    scores = fcn(big).numpy()
    assert scores.shape == (1, 4, 3, 5) and fully_convolutional.total_stride(fcn) == 32
    window = big[:, 32 * 3:32 * 3 + 64, 32 * 2:32 * 2 + 64]
    np.testing.assert_allclose(scores[0, 3, 2], classifier(window).numpy()[0], atol=1e-5)
    assert fcn.count_params() == classifier.count_params()


def test_dense_as_conv_kernel_and_errors():
    kernel = np.arange(2 * 2 * 3 * 4).reshape(12, 4)
    conv = fully_convolutional.dense_as_conv_kernel(kernel, (2, 2, 3))
    assert conv.shape == (2, 2, 3, 4) and conv[1, 0, 2, 3] == kernel[(1 * 2 + 0) * 3 + 2, 3]
    with pytest.raises(DeepLabLessonsError, match="h·w·c"):
        fully_convolutional.dense_as_conv_kernel(kernel, (2, 2, 4))
    with pytest.raises(DeepLabLessonsError, match="32의 배수"):
        fully_convolutional.tiny_classifier(48)


def test_convolutionize_refuses_unknown_layers():
    model = keras.Sequential([keras.Input((8, 8, 3)), keras.layers.Conv2D(2, 3), keras.layers.GlobalAveragePooling2D()])
    with pytest.raises(DeepLabLessonsError, match="옮길 수 없습니다"):
        fully_convolutional.convolutionize(model)


# ---------------------------------------------------------------- U-Net과 v3+

def test_unet_runs_on_odd_sizes_and_skips_come_from_every_scale():
    model = encoder_decoder.unet(3, (None, None, 3), base=4, depth=3)
    assert model(np.zeros((1, 37, 45, 3), np.float32)).shape == (1, 37, 45, 3)
    fixed = encoder_decoder.unet(3, (65, 65, 3), base=4, depth=3)
    assert [s.stride for s in encoder_decoder.skip_sources(fixed)] == [4, 2, 1]
    assert [s.channels for s in encoder_decoder.skip_sources(fixed)] == [16, 8, 4]
    with pytest.raises(DeepLabLessonsError, match="입력 크기"):
        encoder_decoder.skip_sources(model)


def test_v3_plus_has_one_skip_at_stride_4_with_48_channels():
    model = models.deeplab_v3_plus(5, (65, 65, 3), alpha=0.35)
    (skip,) = encoder_decoder.skip_sources(model)
    assert (skip.stride, skip.channels, skip.height) == (4, 48, 17)


def test_macs_count_transposed_and_aspp_layers_and_agree_with_profiler():
    probe = keras.Sequential([keras.Input((8, 8, 6)), keras.layers.Conv2DTranspose(4, 2, strides=2, use_bias=False)])
    assert encoder_decoder.macs(probe) == 8 * 8 * 2 * 2 * 6 * 4 == counting.profiler_flops(probe) // 2
    v3 = models.deeplab_v3(5, (65, 65, 3), alpha=0.35)
    aspp_inside = [layer.name for layer in counting.leaf_layers(v3) if layer.name == "aspp_r6_conv"]
    assert aspp_inside == ["aspp_r6_conv"]
    assert encoder_decoder.macs(v3) == counting.count_macs(v3)  # count_macs가 ASPP 속까지 셉니다
    unet = encoder_decoder.unet(3, (64, 64, 3), base=4, depth=2)
    ratio = counting.profiler_flops(unet) / (2 * encoder_decoder.macs(unet))
    assert 1 <= ratio < 1.05              # 편향 더하기 등 곱셈-덧셈이 아닌 연산이 조금 더해짐


def test_largest_decoder_tensor():
    unet = encoder_decoder.unet(3, (33, 33, 3), base=4, depth=2)
    name, shape, elements = encoder_decoder.largest_decoder_tensor(unet)
    assert name == "dec0_concat" and shape == (33, 33, 8) and elements == 33 * 33 * 8
