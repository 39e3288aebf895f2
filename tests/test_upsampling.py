import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from deeplab_lessons import data, load_keras, load_tensorflow, skip_connections, upsampling
from deeplab_lessons.errors import DeepLabLessonsError

tf = load_tensorflow()
PROPERTY = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def transposed_case(draw):
    """무작위 모양·보폭·패딩과, 그 설정에서 만들 수 있는 출력 크기 하나."""
    k_h, k_w = draw(st.integers(1, 5)), draw(st.integers(1, 5))
    stride = draw(st.integers(1, 4))
    padding = draw(st.sampled_from(upsampling.PADDINGS))
    h, w = draw(st.integers(1, 7)), draw(st.integers(1, 7))
    out_h = draw(st.sampled_from(list(upsampling.transposed_output_range(h, k_h, stride, padding))))
    out_w = draw(st.sampled_from(list(upsampling.transposed_output_range(w, k_w, stride, padding))))
    n, c_in, c_out = draw(st.integers(1, 2)), draw(st.integers(1, 3)), draw(st.integers(1, 3))
    rng = np.random.default_rng(draw(st.integers(0, 2**16)))
    x = rng.standard_normal((n, h, w, c_in))
    kernel = rng.standard_normal((k_h, k_w, c_out, c_in))
    return x, kernel, stride, padding, (out_h, out_w)


@PROPERTY
@given(transposed_case())
def test_matches_tf_conv2d_transpose(case):
    x, kernel, stride, padding, out = case
    ours = upsampling.conv_transpose2d(x, kernel, stride, padding, output_size=out)
    theirs = tf.nn.conv2d_transpose(x, kernel, (x.shape[0], *out, kernel.shape[2]), stride,
                                    padding.upper()).numpy()
    assert ours.shape == theirs.shape
    np.testing.assert_allclose(ours, theirs, atol=1e-9, rtol=0)


@PROPERTY
@given(transposed_case())
def test_zero_insertion_equals_transposed(case):
    x, kernel, stride, padding, out = case
    np.testing.assert_allclose(upsampling.conv_transpose2d_by_zero_insertion(x, kernel, stride, padding, out),
                               upsampling.conv_transpose2d(x, kernel, stride, padding, out), atol=1e-9, rtol=0)


@PROPERTY
@given(st.integers(1, 6), st.integers(1, 4), st.sampled_from(upsampling.PADDINGS), st.integers(1, 9))
def test_default_output_size_matches_keras(kernel_size, stride, padding, n):
    keras = load_keras()
    layer = keras.layers.Conv2DTranspose(1, kernel_size, strides=stride, padding=padding)
    actual = layer(np.zeros((1, n, n, 1), np.float32)).shape[1]
    expected = upsampling.transposed_output_size(n, kernel_size, stride, padding)
    assert expected == actual
    assert expected in upsampling.transposed_output_range(n, kernel_size, stride, padding)


def test_matches_keras_layer_with_bias():
    keras = load_keras()
    layer = keras.layers.Conv2DTranspose(4, 3, strides=2, padding="same")
    x = np.random.default_rng(0).standard_normal((2, 5, 6, 3)).astype(np.float32)
    expected = layer(x).numpy()
    kernel, bias = (v.numpy() for v in layer.weights)
    np.testing.assert_allclose(upsampling.conv_transpose2d(x, kernel, 2, "same", bias=bias), expected, atol=1e-5)


def test_unbatched_input_and_one_dimensional_example():
    y = upsampling.conv_transpose2d(np.array([1.0, 2.0, 3.0])[:, None, None][:, :, :],
                                    np.array([1.0, 0.5, 0.25])[:, None, None, None], 2)
    np.testing.assert_array_equal(y[:, 0, 0], [1, 0.5, 2.25, 1, 3.5, 1.5, 0.75])


@PROPERTY
@given(st.integers(2, 9), st.integers(1, 6), st.integers(1, 3), st.integers(0, 2**16))
def test_bilinear_transposed_equals_resize_in_the_interior(n, factor, channels, seed):
    x = np.random.default_rng(seed).uniform(0.5, 1.5, (1, n, n + 1, channels))
    ours = upsampling.bilinear_upsample(x, factor)
    resized = tf.image.resize(x, (n * factor, (n + 1) * factor), "bilinear").numpy()
    rows = upsampling.resize_agreement_slice(n, factor)
    cols = upsampling.resize_agreement_slice(n + 1, factor)
    np.testing.assert_allclose(ours[:, rows, cols], resized[:, rows, cols], atol=1e-6)
    if factor > 1:                                   # 바깥 줄은 모두 다름(0과 섞임)
        outside = [i for i in range(n * factor) if not rows.start <= i < rows.stop]
        assert all(np.abs(ours - resized)[:, i].max() > 1e-3 for i in outside)


def test_bilinear_kernel_shape_and_partition_of_unity():
    for factor in range(1, 9):
        profile = upsampling.bilinear_profile(factor)
        assert len(profile) == 2 * factor - factor % 2
        assert upsampling.bilinear_kernel(factor).shape == (len(profile),) * 2
        padded = np.concatenate([profile, np.zeros((-len(profile)) % factor)])
        np.testing.assert_allclose(padded.reshape(-1, factor).sum(axis=0), 1.0)


def test_checkerboard_only_when_kernel_not_divisible_by_stride():
    for k in range(1, 8):
        for s in range(1, 5):
            counts = upsampling.overlap_counts(12, k, s)
            strength = upsampling.checkerboard_strength(counts, k)
            assert (strength == 0) == (k % s == 0), (k, s)
    assert upsampling.checkerboard_strength(upsampling.overlap_counts(12, 3, 2), 3) == 0.75


def test_resize_then_convolve_keeps_a_constant_constant():
    kernel = np.random.default_rng(1).uniform(0.5, 1.5, (3, 3, 1, 2))
    out = upsampling.resize_then_convolve(np.ones((6, 6, 1)), 2, kernel)
    assert out.shape == (12, 12, 2)
    np.testing.assert_allclose(out[1:-1, 1:-1], np.broadcast_to(kernel.sum(axis=(0, 1, 2)), (10, 10, 2)))


def test_fcn_fusion_recovers_the_finer_ideal_scores_and_reduces_error():
    _, labels = data.generate_scene(3, data.SceneSpec(size=128))
    k = data.NUM_CLASSES
    s32 = skip_connections.ideal_scores(labels, k, 32)
    f16 = skip_connections.fcn_fuse(s32, skip_connections.skip_scores(labels, k, 16))
    np.testing.assert_allclose(f16, skip_connections.ideal_scores(labels, k, 16), atol=1e-12)
    errors = [(skip_connections.predict_from_scores(skip_connections.ideal_scores(labels, k, s), s) != labels).mean()
              for s in (32, 16, 8, 1)]
    assert errors[0] > errors[1] > errors[2] and errors[3] == 0


def test_boundary_band():
    labels = np.zeros((6, 6), int)
    labels[:, 3:] = 1
    band = upsampling.boundary_band(labels, 1)
    assert band[:, 2:4].all() and not band[:, :2].any() and not band[:, 4:].any()
    assert not upsampling.boundary_band(np.zeros((4, 4), int), 2).any()


@pytest.mark.parametrize("call, fragment", [
    (lambda: upsampling.conv_transpose2d(np.ones((1, 3, 3, 2)), np.ones((3, 3, 1, 4)), 2), "채널"),
    (lambda: upsampling.conv_transpose2d(np.ones((1, 3, 3, 1)), np.ones((3, 3, 1, 1)), 0), "stride"),
    (lambda: upsampling.conv_transpose2d(np.ones((1, 17, 17, 1)), np.ones((3, 3, 1, 1)), 2, "same",
                                         output_size=35), "33–34"),
    (lambda: upsampling.conv_transpose2d(np.ones((3, 3)), np.ones((3, 3, 1, 1)), 2), "모양"),
    (lambda: upsampling.conv_transpose2d(np.ones((1, 3, 3, 1)), np.ones((3, 3, 1, 1)), 2, "full"), "padding"),
    (lambda: upsampling.bilinear_kernel(0), "factor"),
    (lambda: upsampling.resize_then_convolve(np.ones((3, 3, 1)), 2, np.ones((2, 2, 1, 1))), "홀수"),
    (lambda: upsampling.resize_then_convolve(np.ones((3, 3, 2)), 2, np.ones((3, 3, 1, 1))), "채널"),
    (lambda: skip_connections.ideal_scores(np.zeros((30, 32), int), 2, 16), "나누어떨어져"),
    (lambda: skip_connections.ideal_scores(np.full((32, 32), 5), 2, 16), "클래스 번호"),
    (lambda: skip_connections.fcn_fuse(np.zeros((2, 2, 3)), np.zeros((4, 4, 2))), "skip_scores"),
    (lambda: upsampling.checkerboard_strength(np.ones((4, 4)), 2), "margin"),
])
def test_korean_errors(call, fragment):
    with pytest.raises(DeepLabLessonsError, match=fragment):
        call()


def test_numpy_only_modules_do_not_import_tensorflow():
    """업샘플링과 완전 합성곱 모듈은 불러오기만으로는 TensorFlow를 불러오지 않습니다(함수를 부를 때만)."""
    import subprocess
    import sys

    code = ("import sys, deeplab_lessons.upsampling, deeplab_lessons.fully_convolutional, "
            "deeplab_lessons.figures.fcn; print('tensorflow' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"
