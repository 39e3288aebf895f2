import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from deeplab_lessons import counting, timing
from deeplab_lessons.errors import DeepLabLessonsError


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from((1, 3, 5)), st.integers(1, 64), st.integers(1, 64), st.integers(1, 9),
       st.integers(1, 9))
def test_formulas_match_keras(kernel, c_in, c_out, height, width):
    case = counting.ConvCase(kernel, c_in, c_out, height, width)
    standard, separable = counting.build_pair(case)
    assert standard.count_params() == counting.standard_params(case)
    assert separable.count_params() == counting.separable_params(case)
    assert counting.count_macs(standard) == counting.standard_macs(case)
    assert counting.count_macs(separable) == counting.separable_macs(case)


def test_profiler_counts_two_flops_per_multiply_add():
    case = counting.ConvCase(3, 16, 24, 9, 9)
    standard, separable = counting.build_pair(case)
    assert counting.profiler_flops(standard) == 2 * counting.standard_macs(case)
    assert counting.profiler_flops(separable) == 2 * counting.separable_macs(case)


def test_ratio():
    case = counting.ConvCase(3, 256, 256, 65, 65)
    ratio = counting.separable_macs(case) / counting.standard_macs(case)
    assert ratio == pytest.approx(counting.separable_ratio(3, 256))
    assert counting.separable_ratio(3, 256) == pytest.approx(1 / 256 + 1 / 9)


def test_separable_equals_depthwise_then_pointwise():
    import numpy as np

    keras = counting.load_keras()
    rng = np.random.default_rng(0)
    x = rng.standard_normal((1, 17, 17, 6)).astype(np.float32)
    separable = keras.layers.SeparableConv2D(5, 3, dilation_rate=3, padding="same", use_bias=False)
    y = separable(x).numpy()
    depthwise_kernel, pointwise_kernel = (v.numpy() for v in separable.weights)
    depthwise = keras.layers.DepthwiseConv2D(3, dilation_rate=3, padding="same", use_bias=False)
    pointwise = keras.layers.Conv2D(5, 1, use_bias=False)
    depthwise.build(x.shape)
    pointwise.build((1, 17, 17, 6))
    depthwise.set_weights([depthwise_kernel])
    pointwise.set_weights([pointwise_kernel])
    assert np.abs(pointwise(depthwise(x)).numpy() - y).max() < 1e-5


def test_bad_arguments():
    with pytest.raises(DeepLabLessonsError, match="out_channels"):
        counting.ConvCase(3, 8, 0, 4, 4)
    keras = counting.load_keras()
    dynamic = keras.Sequential([keras.Input((None, None, 3)), keras.layers.Conv2D(4, 3)])
    with pytest.raises(DeepLabLessonsError, match="정해지지 않은 크기"):
        counting.count_macs(dynamic)


def test_stage_timing_counts_the_multiply_adds_of_each_stage():
    case = counting.ConvCase(3, 8, 16, 9, 9)
    depthwise, pointwise = timing.time_separable_stages(case, repeats=1, rounds=1)
    assert depthwise.macs + pointwise.macs == counting.separable_macs(case)
    assert (depthwise.macs, pointwise.macs) == (9 * 9 * 9 * 8, 9 * 9 * 8 * 16)
    assert depthwise.seconds > 0 and pointwise.gflops == pytest.approx(2 * pointwise.macs / pointwise.seconds / 1e9)


def test_count_macs_counts_transposed_convolution_per_input_cell():
    keras = counting.load_keras()
    model = keras.Sequential([keras.Input((5, 7, 3)), keras.layers.Conv2DTranspose(4, 3, strides=2, use_bias=False)])
    # 입력 칸 5·7개마다 3×3 커널 전체(3 → 4 채널)를 찍습니다.
    assert counting.count_macs(model) == 5 * 7 * 9 * 3 * 4


def test_count_macs_looks_inside_custom_layers():
    from deeplab_lessons import layers

    keras = counting.load_keras()
    inputs = keras.Input((17, 17, 32))
    model = keras.Model(inputs, layers.ASPPv3(16, (6, 12, 18))(inputs))
    cells = 17 * 17
    expected = (cells * 32 * 16            # 1×1 가지
                + 3 * cells * 9 * 32 * 16  # 3×3 가지 셋
                + 32 * 16                  # 이미지 수준 풀링 가지(1×1 칸 하나)
                + cells * 5 * 16 * 16)     # 이어 붙인 뒤 1×1 투영
    assert counting.count_macs(model) == expected


def test_median_seconds_warms_up_once_and_takes_the_median():
    calls = []
    seconds = timing.median_seconds(lambda: calls.append(1), repeats=3)
    assert len(calls) == 4 and seconds >= 0
    timing.median_seconds(lambda: calls.append(1), repeats=2, warmup=False)
    assert len(calls) == 6
    with pytest.raises(DeepLabLessonsError, match="repeats"):
        timing.median_seconds(lambda: None, repeats=0)


def test_leaf_layers_finds_every_layer_keras_itself_finds():
    """공개 속성만 보는 층 훑기가 Keras 내부의 펼치기와 같은 층을 모두 찾습니다(ASPP 가지의 속까지)."""
    from deeplab_lessons import models

    model = models.deeplab_v3_plus(input_shape=(65, 65, 3))
    ours = {id(layer) for layer in counting.leaf_layers(model)}
    theirs = {id(layer) for layer in model._flatten_layers(include_self=False, recursive=True)}
    assert theirs <= ours
    extra = [layer for layer in counting.leaf_layers(model) if id(layer) not in theirs]
    # 더 찾은 것은 Sequential 속의 감싸개 모델뿐이고, 그 안의 층은 이미 다 찾았습니다.
    assert all(isinstance(layer, counting.load_keras().Model) for layer in extra)
    assert all({id(inner) for inner in layer.layers} <= ours for layer in extra)
