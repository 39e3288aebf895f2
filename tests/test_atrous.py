import functools

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from deeplab_lessons import atrous, load_tensorflow
from deeplab_lessons.errors import DeepLabLessonsError

tf = load_tensorflow()
PROPERTY = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


@st.composite
def conv_case(draw, allow_stride=True):
    rate = draw(st.integers(1, 4))
    stride = draw(st.integers(1, 3)) if allow_stride else 1
    k = draw(st.integers(1, 4))
    padding = draw(st.sampled_from(atrous.PADDINGS))
    k_eff = k + (k - 1) * (rate - 1)
    low = k_eff if padding == "valid" else 1
    h, w = draw(st.integers(low, low + 12)), draw(st.integers(low, low + 12))
    c_in, c_out, n = draw(st.integers(1, 4)), draw(st.integers(1, 4)), draw(st.integers(1, 2))
    seed = draw(st.integers(0, 2**16))
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, h, w, c_in))
    kernel = rng.standard_normal((k, k, c_in, c_out))
    return x, kernel, rate, stride, padding


@PROPERTY
@given(conv_case())
def test_matches_tensorflow(case):
    """NumPy 구현 = TF. 보폭과 팽창률을 함께 쓰면 TF가 받지 않으므로 팽창 커널로 비교합니다."""
    x, kernel, rate, stride, padding = case
    ours = atrous.atrous_conv2d(x, kernel, rate=rate, stride=stride, padding=padding)
    theirs = tf.nn.conv2d(x, atrous.dilate_kernel(kernel, rate), strides=stride,
                          padding=padding.upper()).numpy()
    assert ours.shape == theirs.shape
    np.testing.assert_allclose(ours, theirs, atol=1e-5, rtol=0)


@PROPERTY
@given(conv_case(allow_stride=False))
def test_matches_tf_dilations_and_space_to_batch(case):
    x, kernel, rate, _, padding = case
    ours = atrous.atrous_conv2d(x, kernel, rate=rate, padding=padding)
    theirs = tf.nn.convolution(x, kernel, dilations=rate, padding=padding.upper()).numpy()
    np.testing.assert_allclose(ours, theirs, atol=1e-5, rtol=0)
    s2b = atrous.atrous_conv2d_space_to_batch(x, kernel, rate=rate, padding=padding)
    np.testing.assert_allclose(s2b, theirs, atol=1e-5, rtol=0)


def test_float32_matches_keras_conv2d():
    keras = tf.keras
    rng = np.random.default_rng(1)
    x = rng.standard_normal((1, 20, 20, 8)).astype(np.float32)
    layer = keras.layers.Conv2D(5, 3, dilation_rate=4, padding="same")
    expected = layer(x).numpy()
    kernel, bias = (v.numpy() for v in layer.weights)
    ours = atrous.atrous_conv2d(x, kernel, rate=4, bias=bias)
    assert np.abs(ours - expected).max() < 1e-5


@pytest.mark.parametrize("n,k,s,r,padding", [(65, 3, 1, 6, "same"), (65, 3, 1, 24, "valid"),
                                             (513, 3, 2, 1, "same"), (33, 7, 2, 1, "valid"),
                                             (10, 3, 3, 2, "valid")])
def test_output_size_matches_tf_shapes(n, k, s, r, padding):
    x = np.zeros((1, n, n, 1), np.float32)
    w = atrous.dilate_kernel(np.ones((k, k, 1, 1), np.float32), r)
    shape = tf.nn.conv2d(x, w, strides=s, padding=padding.upper()).shape
    assert shape[1] == atrous.output_size(n, k, s, r, padding)


def test_effective_kernel_size_and_costs():
    assert [atrous.effective_kernel_size(3, r) for r in (1, 2, 4, 8)] == [3, 5, 9, 17]
    costs = [atrous.conv_cost(3, 32, 32, r) for r in (1, 2, 4, 8)]
    assert len({(c["params"], c["macs_per_output"]) for c in costs}) == 1
    assert costs[0]["params"] == 3 * 3 * 32 * 32 + 32


def test_conv1d_by_hand():
    x = np.arange(10.0)
    w = np.array([1.0, 0.0, -1.0])
    np.testing.assert_allclose(atrous.atrous_conv1d(x, w, rate=1), -2 * np.ones(8))
    np.testing.assert_allclose(atrous.atrous_conv1d(x, w, rate=3), -6 * np.ones(4))
    # rate 1 = np.correlate
    np.testing.assert_allclose(atrous.atrous_conv1d(x, w), np.correlate(x, w, mode="valid"))


def test_dilate_kernel():
    np.testing.assert_array_equal(atrous.dilate_kernel(np.array([1, 2, 3]), 3),
                                  [1, 0, 0, 2, 0, 0, 3])
    assert atrous.dilate_kernel(np.ones((3, 3, 2, 4)), 2).shape == (5, 5, 2, 4)


def test_convert_strides_to_rates():
    stage = functools.partial(atrous.convert_strides_to_rates, convention="stage")
    assert stage((2, 2, 2, 2, 2), 32) == [(2, 1)] * 5
    assert stage((2, 2, 2, 2, 2), 16)[-1] == (1, 2)
    assert stage((2, 2, 2, 2, 2), 8)[-2:] == [(1, 2), (1, 4)]
    with pytest.raises(DeepLabLessonsError, match="convention"):
        atrous.convert_strides_to_rates((2, 2), 2, convention="paper")


def test_the_two_conventions_write_one_rule():
    """층마다(DeepLab 코드)는 보폭을 잃은 층이 이전 팽창률을 쓰고, 단계마다(논문)는 그 단계부터 곱한 값을 적습니다."""
    layer = atrous.convert_strides_to_rates((2, 2, 2, 2, 2), 8, convention="layer")
    stage = atrous.convert_strides_to_rates((2, 2, 2, 2, 2), 8, convention="stage")
    assert layer == [(2, 1), (2, 1), (2, 1), (1, 1), (1, 2)]
    assert stage == [(2, 1), (2, 1), (2, 1), (1, 2), (1, 4)]
    assert [s for s, _ in layer] == [s for s, _ in stage]
    assert [r for _, r in layer][1:] == [r for _, r in stage][:-1]       # 같은 팽창률이 한 칸 늦게 적힙니다
    # 목록 앞의 보폭(예: 목록에 없는 첫 합성곱)도 셉니다.
    assert atrous.convert_strides_to_rates((1, 2, 2), 4, convention="layer", input_stride=2) == [(1, 1), (2, 1), (1, 1)]
    with pytest.raises(DeepLabLessonsError, match="output_stride"):
        atrous.convert_strides_to_rates((2, 2, 2), 12, convention="stage")


@pytest.mark.parametrize("kwargs,message", [
    ({"rate": 0}, "rate 값이 올바르지 않습니다"),
    ({"rate": 1.5}, "rate 값이 올바르지 않습니다"),
    ({"stride": 0}, "stride 값이 올바르지 않습니다"),
    ({"padding": "SAME"}, "padding 값이 올바르지 않습니다.*'same', 'valid'"),
    ({"rate": 5, "padding": "valid"}, "유효 커널 크기 11이 입력 길이 8 이하"),
])
def test_bad_arguments_raise_korean_errors(kwargs, message):
    x, w = np.ones((1, 8, 8, 2)), np.ones((3, 3, 2, 1))
    with pytest.raises(DeepLabLessonsError, match=message):
        atrous.atrous_conv2d(x, w, **kwargs)


def test_channel_mismatch_and_bad_shapes():
    with pytest.raises(DeepLabLessonsError, match="입력 채널 수.*3과 같아야"):
        atrous.atrous_conv2d(np.ones((1, 8, 8, 3)), np.ones((3, 3, 2, 1)))
    with pytest.raises(DeepLabLessonsError, match="모양이 올바르지 않습니다"):
        atrous.atrous_conv2d(np.ones((8, 8)), np.ones((3, 3, 1, 1)))
    with pytest.raises(DeepLabLessonsError, match="실수 또는 정수"):
        atrous.atrous_conv2d(np.full((1, 4, 4, 1), "a"), np.ones((3, 3, 1, 1)))
    with pytest.raises(DeepLabLessonsError, match="유효 커널"):
        atrous.atrous_conv1d(np.ones(4), np.ones(3), rate=2)
