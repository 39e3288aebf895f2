import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from deeplab_lessons import atrous, gridding
from deeplab_lessons import receptive_field as rf
from deeplab_lessons.errors import DeepLabLessonsError


def test_recurrence_by_hand():
    layers = [rf.LayerSpec(3), rf.LayerSpec(3, stride=2), rf.LayerSpec(3, rate=2)]
    rows = rf.receptive_field_table(layers)
    assert [r.receptive_field for r in rows] == [3, 5, 13]
    assert [r.output_stride for r in rows] == [1, 2, 2]
    assert rf.receptive_field([]) == 1


def test_known_networks():
    # Araujo et al., "Computing Receptive Fields of CNNs", Distill 2019, 표 1
    assert rf.receptive_field(rf.vgg16_layers()) == 212
    assert rf.receptive_field(rf.resnet50_layers()) == 483
    assert rf.receptive_field(rf.conv_stack((1, 2, 4, 8))) == 31


def test_deeplab_v1_parameter_counts_match_the_paper():
    """DeepLab 논문의 표: LargeFOV 20.5 M, fc6 7×7/r=4·4096채널 134.3 M."""
    assert rf.deeplab_v1_parameter_count((3, 12, 1024)) == 20_505_429
    assert rf.deeplab_v1_parameter_count((7, 4, 4096)) == 134_346_581


@st.composite
def small_stack(draw):
    count = draw(st.integers(1, 4))
    layers = []
    for _ in range(count):
        kernel = draw(st.sampled_from((1, 3, 5)))
        if draw(st.booleans()):
            layers.append(rf.LayerSpec(kernel, stride=draw(st.integers(1, 2)), filters=1))
        else:
            layers.append(rf.LayerSpec(kernel, rate=draw(st.integers(1, 3)), filters=1))
    return layers


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_stack())
def test_analytic_equals_gradient_extent(layers):
    measured, _ = rf.empirical_receptive_field(layers)
    assert measured == rf.receptive_field(layers)


def test_gradient_of_ones_network_counts_paths():
    layers = rf.conv_stack((2, 2, 2))
    size, grad = rf.empirical_receptive_field(layers)
    c, h = grad.shape[0] // 2, size // 2
    window = np.rint(grad[c - h:c + h + 1, c - h:c + h + 1]).astype(int)
    np.testing.assert_array_equal(window, gridding.sampled_positions((2, 2, 2)))


def test_gridding_coverage():
    assert gridding.sampled_positions((2, 2, 2)).shape == (13, 13)
    assert gridding.coverage((2, 2, 2)) == pytest.approx(49 / 169)
    assert gridding.coverage((1, 2, 3)) == 1.0


def test_effective_spread_is_smaller_than_theory_for_deep_stacks():
    layers = rf.conv_stack((1,) * 16)
    size, grad = rf.empirical_receptive_field(layers)
    assert size == 33
    assert rf.effective_spread(grad) < size / 2


def test_bad_arguments():
    with pytest.raises(DeepLabLessonsError, match="kernel.*홀수"):
        gridding.sampled_positions((2, 2), kernel=4)
    with pytest.raises(DeepLabLessonsError, match="rate 값이 올바르지 않습니다"):
        rf.conv_stack((1, 0))
    with pytest.raises(DeepLabLessonsError, match="stride와 rate"):
        rf.build_model([rf.LayerSpec(3, stride=2, rate=2, filters=1)])
    with pytest.raises(DeepLabLessonsError, match="weights"):
        rf.build_model(rf.conv_stack((1,)), weights="zeros")


def test_output_stride_conversion_keeps_receptive_field():
    layers = rf.resnet50_layers()
    for output_stride in (32, 16, 8):
        converted = rf.with_output_stride(layers, output_stride)
        rows = rf.receptive_field_table(converted)
        assert rows[-1].output_stride == output_stride
        assert rows[-1].receptive_field == 483
    assert max(layer.rate for layer in rf.with_output_stride(layers, 8)) == 4
    with pytest.raises(DeepLabLessonsError, match="output_stride"):
        rf.with_output_stride(layers, 12)


def test_format_table():
    text = rf.format_table(rf.conv_stack((1, 2))).text()
    assert "수용 영역" in text and text.splitlines()[-1].split()[-2] == "7"
    assert "14개 층 생략" in rf.format_table(rf.vgg16_layers(), last_only=4).text()


def test_hdc_recursion_by_hand():
    # 논문의 예: (1, 2, 5)는 M_3 = 5, M_2 = max(5 − 4, 5 − 6, 2) = 2 ≤ 3, (1, 2, 9)는 M_2 = 5 > 3.
    assert gridding.hdc_check((1, 2, 5)).max_distances == (2, 5) and gridding.hdc_check((1, 2, 5)).satisfied
    assert gridding.hdc_check((1, 2, 9)).max_distances == (5, 9) and not gridding.hdc_check((1, 2, 9)).satisfied
    # (2, 2, 2)는 M_2 = 2 ≤ 3이지만 공약수 2 때문에 조건을 어깁니다(짝수 칸만 봄).
    check = gridding.hdc_check((2, 2, 2))
    assert check.max_gap_ok and check.common_factor == 2 and not check.satisfied
    assert gridding.hdc_check((1,)).satisfied and not gridding.hdc_check((2,)).satisfied
    with pytest.raises(DeepLabLessonsError, match="rates"):
        gridding.hdc_check(())


@pytest.mark.parametrize("kernel", [3, 5])
def test_hdc_condition_against_coverage_on_all_small_triples(kernel):
    """1–12의 모든 팽창률 세 쌍에서 HDC 조건과 coverage()를 맞대 봅니다."""
    import itertools

    sufficient_misses, necessary_misses, first_rate_above_one_holes = [], [], []
    for rates in itertools.product(range(1, 13), repeat=3):
        check, full = gridding.hdc_check(rates, kernel), gridding.coverage(rates, kernel) == 1.0
        if check.common_factor > 1:
            assert not full, rates                       # 공약수가 있으면 언제나 구멍
        if rates[0] == 1 and check.satisfied and not full:
            sufficient_misses.append(rates)
        if rates[0] == 1 and full and not check.satisfied:
            necessary_misses.append(rates)
        if rates[0] > 1 and check.satisfied and not full:
            first_rate_above_one_holes.append(rates)
    assert sufficient_misses == []                       # 첫 팽창률 1: 조건을 지키면 구멍 없음
    assert necessary_misses                              # 필요조건은 아님
    assert kernel != 3 or (1, 3, 2) in necessary_misses
    assert kernel != 3 or (2, 2, 3) in first_rate_above_one_holes


def test_power_law_fit_and_conv_macs():
    exponent, coefficient = rf.power_law_fit([1, 4, 16], [3, 6, 12])
    assert exponent == pytest.approx(0.5) and coefficient == pytest.approx(3.0)
    with pytest.raises(DeepLabLessonsError, match="양수"):
        rf.power_law_fit([1, 2], [0, 1])
    layers = [rf.LayerSpec(3, 2, filters=8), rf.LayerSpec(2, 2), rf.LayerSpec(1, filters=4)]
    # 9×9 → 5×5 (3×3·3·8) → 풀링 3×3 → 1×1·8·4
    assert rf.conv_macs(layers, 9) == 25 * 9 * 3 * 8 + 9 * 8 * 4
    model = rf.build_model(layers, input_size=9)
    assert model.count_params() == 9 * 3 * 8 + 8 + 8 * 4 + 4


def test_output_stride_uses_the_layer_convention():
    """보폭 2의 층 다섯, 출력 보폭 8: 보폭을 잃은 층은 이전 팽창률, 그 뒤 층이 곱한 팽창률(DeepLab 코드의 규칙)."""
    layers = [rf.LayerSpec(3, 2, name=f"conv{i}") for i in range(5)]
    converted = [(layer.stride, layer.rate) for layer in rf.with_output_stride(layers, 8)]
    assert converted == [(2, 1), (2, 1), (2, 1), (1, 1), (1, 2)]
    assert converted == atrous.convert_strides_to_rates([2] * 5, 8, convention="layer")
