"""Xception-65 DeepLab v3+: 단위 계획(보폭·팽창률), 출력 모양, 매개변수 식 = count_params(), 체크포인트 이름."""

import subprocess
import sys

import numpy as np
import pytest

from deeplab_lessons import xception
from deeplab_lessons.errors import DeepLabLessonsError

SIZE = 65
#: 65×65 입력에서 출력 보폭별 ASPP 특징 맵의 한 변(보폭 2의 층마다 ceil(n/2): 65 → 33 → 17 → 9 → 5 → 3).
FEATURE = {8: 9, 16: 5, 32: 3}


@pytest.fixture(scope="module")
def built():
    """출력 보폭마다 한 번씩만 짓습니다(Xception-65는 층이 400개가 넘어 짓는 데 몇 초 걸림)."""
    return {os_: xception.deeplab_v3_plus(input_shape=(SIZE, SIZE, 3), output_stride=os_)
            for os_ in xception.OUTPUT_STRIDES}


def test_closed_form_does_not_import_tensorflow():
    code = ("import sys; from deeplab_lessons import xception; "
            "print(xception.params(), xception.unit_plan(8)[-1].rate, 'tensorflow' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    params, rate, loaded = result.stdout.split()
    assert loaded == "False" and int(params) == xception.params() and rate == "4"


def test_unit_plan_follows_the_official_stride_rule():
    for os_ in xception.OUTPUT_STRIDES:
        plan = xception.unit_plan(os_)
        assert len(plan) == 21 and plan[-1].scope == "exit_flow/block2/unit_1"
        assert int(np.prod([u.stride for u in plan])) * 2 == os_
    by_scope = {os_: {u.scope: (u.stride, u.rate) for u in xception.unit_plan(os_)} for os_ in (8, 16, 32)}
    assert by_scope[32]["exit_flow/block1/unit_1"] == (2, 1) and by_scope[32]["exit_flow/block2/unit_1"] == (1, 1)
    # 보폭을 1로 바꾼 단위 자신은 이전 팽창률, 그 뒤 단위부터 팽창률 × 2
    assert by_scope[16]["exit_flow/block1/unit_1"] == (1, 1) and by_scope[16]["exit_flow/block2/unit_1"] == (1, 2)
    assert by_scope[8]["entry_flow/block3/unit_1"] == (1, 1)
    assert by_scope[8]["middle_flow/block1/unit_16"] == (1, 2)
    assert by_scope[8]["exit_flow/block1/unit_1"] == (1, 2) and by_scope[8]["exit_flow/block2/unit_1"] == (1, 4)


def test_bad_output_stride_is_a_clear_error():
    with pytest.raises(DeepLabLessonsError, match="output_stride"):
        xception.unit_plan(4)


@pytest.mark.parametrize("output_stride", xception.OUTPUT_STRIDES)
def test_output_shapes(built, output_stride):
    model = built[output_stride]
    logits = model(np.zeros((1, SIZE, SIZE, 3), np.float32))
    assert tuple(logits.shape) == (1, SIZE, SIZE, 21)
    feature = FEATURE[output_stride]
    assert tuple(model.get_layer("concat_projection").output.shape) == (None, feature, feature, 256)
    assert model.get_layer("exit_flow.block2.unit_1.xception_module.separable_conv3_pointwise").output.shape[-1] == 2048
    low = model.get_layer("decoder.feature_projection0").output.shape
    assert tuple(low) == (None, 17, 17, 48)          # 보폭 4: 65 → 33 → 17


@pytest.mark.parametrize("output_stride", xception.OUTPUT_STRIDES)
def test_count_params_equals_closed_form(built, output_stride):
    from deeplab_lessons import counting

    model = built[output_stride]
    assert model.count_params() == xception.params() == 41_258_213
    assert counting.trainable_params(model) == xception.params(bn_per_channel=2)


def test_decoder_share_of_the_closed_form(built):
    model = built[16]
    decoder = sum(layer.count_params() for layer in model.layers if layer.name.startswith("decoder."))
    assert decoder == xception.head_params(decoder=True) - xception.head_params(decoder=False)
    backbone = sum(layer.count_params() for layer in model.layers
                   if layer.name.split(".")[0] in ("entry_flow", "middle_flow", "exit_flow"))
    assert backbone == xception.backbone_params()


def test_atrous_rates_and_relu_placement(built):
    layer = built[16].get_layer
    module = "xception_module"
    assert layer("exit_flow.block2.unit_1.xception_module.separable_conv1_depthwise").dilation_rate == (2, 2)
    assert layer("exit_flow.block1.unit_1.xception_module.separable_conv3_depthwise").strides == (1, 1)
    assert built[32].get_layer(f"exit_flow.block1.unit_1.{module}.separable_conv3_depthwise").strides == (2, 2)
    assert built[8].get_layer(f"middle_flow.block1.unit_1.{module}.separable_conv1_depthwise").dilation_rate == (2, 2)
    assert layer("aspp3_depthwise").dilation_rate == (18, 18)
    assert built[8].get_layer("aspp3_depthwise").dilation_rate == (36, 36)
    names = {lyr.name for lyr in built[16].layers}
    # 앞의 다섯 블록: 분리 합성곱 앞에 ReLU 하나, 깊이별 뒤에는 BN만. 마지막 블록: 깊이별·점별 뒤에 ReLU.
    assert "entry_flow.block1.unit_1.xception_module.separable_conv1_preact" in names
    assert "entry_flow.block1.unit_1.xception_module.separable_conv1_depthwise_relu" not in names
    assert "exit_flow.block2.unit_1.xception_module.separable_conv1_depthwise_relu" in names
    assert "exit_flow.block2.unit_1.xception_module.separable_conv1_preact" not in names


def test_checkpoint_scopes_are_unique_and_official(built):
    model = built[16]
    scopes = [xception.checkpoint_scope(layer.name) for layer in model.layers if layer.weights]
    assert len(scopes) == len(set(scopes))
    for expected in (
        "xception_65/entry_flow/conv1_1", "xception_65/entry_flow/conv1_1/BatchNorm",
        "xception_65/" + xception.LOW_LEVEL_LAYER,
        "xception_65/entry_flow/block1/unit_1/xception_module/shortcut",
        "xception_65/middle_flow/block1/unit_16/xception_module/separable_conv3_pointwise/BatchNorm",
        "xception_65/exit_flow/block2/unit_1/xception_module/separable_conv3_depthwise",
        "image_pooling", "aspp0/BatchNorm", "aspp1_depthwise", "aspp3_pointwise/BatchNorm", "concat_projection",
        "decoder/feature_projection0", "decoder/decoder_conv0_depthwise", "decoder/decoder_conv1_pointwise",
        "logits/semantic",
    ):
        assert expected in scopes, expected
    depthwise = [s for s in scopes if s.endswith("_depthwise")]
    assert len(depthwise) == 3 * (5 + 16) + 3 + 2      # 단위 21개 × 3 + ASPP 3 + 디코더 2
    assert not any(s.startswith("xception_65/") and "shortcut" in s
                   for s in scopes if "middle_flow" in s or "exit_flow/block2" in s)
