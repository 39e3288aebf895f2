import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from deeplab_lessons import layers
from deeplab_lessons.errors import DeepLabLessonsError

keras = layers.keras


def _model(layer, channels):
    x = keras.Input((None, None, channels))
    return keras.Model(x, layer(x))


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(1, 48), st.integers(1, 64), st.lists(st.integers(1, 24), min_size=0, max_size=4),
       st.booleans())
def test_aspp_v3_params_formula(in_channels, filters, rates, pooling):
    model = _model(layers.ASPPv3(filters, rates, image_pooling=pooling), in_channels)
    assert model.count_params() == layers.aspp_v3_params(in_channels, filters, rates, pooling)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(1, 32), st.integers(1, 21), st.lists(st.integers(1, 24), min_size=1, max_size=4),
       st.integers(1, 64))
def test_aspp_v2_params_formula(in_channels, classes, rates, filters):
    model = _model(layers.ASPPv2(classes, rates, filters), in_channels)
    assert model.count_params() == layers.aspp_v2_params(in_channels, classes, rates, filters)


@pytest.mark.parametrize("output_stride,size", [(16, 33), (8, 65)])
def test_aspp_v3_output_shapes(output_stride, size):
    model = _model(layers.ASPPv3(32, layers.aspp_rates(output_stride)), 16)
    for shape in ((1, size, size, 16), (2, 17, 23, 16), (1, 129, 97, 16), (1, 1, 1, 16)):
        assert model(np.zeros(shape, np.float32)).shape == shape[:3] + (32,)


def test_image_pooling_is_global_for_any_size():
    pool = layers.ImagePooling(4)
    x = np.random.default_rng(0).standard_normal((1, 9, 7, 3)).astype(np.float32)
    y = pool(x).numpy()
    assert y.shape == (1, 9, 7, 4)
    assert np.allclose(y, y[:, :1, :1, :])           # 모든 칸이 같은 값
    x2 = x.copy()
    x2[0, 0, 0] += 100.0                              # 구석 한 칸만 바꿔도 모든 칸이 바뀝니다.
    assert not np.allclose(pool(x2).numpy()[0, -1, -1], y[0, -1, -1])


def test_aspp_v2_sums_branch_scores():
    aspp = layers.ASPPv2(3, rates=(1, 2), filters=4)
    x = np.random.default_rng(1).standard_normal((1, 8, 8, 2)).astype(np.float32)
    total = aspp(x).numpy()
    parts = sum(branch(x).numpy() for branch in aspp.branches)
    assert np.allclose(total, parts, atol=1e-5)


def test_aspp_rates():
    assert layers.aspp_rates(16) == (6, 12, 18) and layers.aspp_rates(8) == (12, 24, 36)
    with pytest.raises(DeepLabLessonsError, match="output_stride.*8, 16|output_stride.*16, 8"):
        layers.aspp_rates(32)


@pytest.mark.parametrize("kwargs,match", [({"filters": 0}, "filters"), ({"rates": (6, 0)}, "rates"),
                                          ({"rates": (6, 1.5)}, "rates")])
def test_bad_arguments(kwargs, match):
    with pytest.raises(DeepLabLessonsError, match=match):
        layers.ASPPv3(**kwargs)
    with pytest.raises(DeepLabLessonsError, match="rates"):
        layers.ASPPv2(rates=())


def test_aspp_lite_has_no_atrous_branch():
    model = _model(layers.ASPPv3(16, rates=()), 8)
    assert model.count_params() == layers.aspp_v3_params(8, 16, rates=())
    assert model(np.zeros((1, 5, 7, 8), np.float32)).shape == (1, 5, 7, 16)


def test_valid_weight_histogram():
    small = layers.valid_weight_histogram(65, 1)
    large = layers.valid_weight_histogram(65, 64)
    assert sum(small.values()) == pytest.approx(1.0)
    assert small[9] > 0.9 and large[1] > 0.9
    # 팽창률이 특징 맵보다 크면 모든 칸에서 가운데 탭 하나만 남습니다.
    assert layers.valid_weight_histogram(65, 65) == {1: 1.0}


def test_aspp_v2_heads_of_the_paper():
    """v2의 ResNet-101 머리: 3×3 (2048 → 21) 네 개 = 4·(9·2048·21 + 21); VGG-16 머리는 fc6–fc7–fc8."""
    resnet = _model(layers.aspp_v2_resnet101(), 2048)
    assert resnet.count_params() == layers.aspp_v2_params(2048, 21, filters=None) == 4 * (9 * 2048 * 21 + 21)
    assert resnet.count_params() == 1_548_372
    vgg = _model(layers.aspp_v2_vgg16(), 512)
    assert vgg.count_params() == layers.aspp_v2_params(512, 21, filters=1024) == 23_162_964
    assert all(len(branch.layers) == 1 for branch in layers.aspp_v2_resnet101().branches)
    assert 9.5 < layers.aspp_v3_params(2048) / resnet.count_params() < 10.5
