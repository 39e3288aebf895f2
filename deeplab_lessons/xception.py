"""DeepLab v3+의 인코더 Xception-65와 그 위의 v3+ 전체 모델(공식 체크포인트의 층 이름 그대로).

공식 구현(tensorflow/models ``research/deeplab/core/xception.py`` 의 ``xception_65``)을 따릅니다.

- 입구 흐름(entry flow): 3×3 합성곱 32(보폭 2) → 3×3 합성곱 64 → 블록 세 개(128, 256, 728채널, 각 보폭 2,
  지름길은 보폭이 있는 1×1 합성곱).
- 가운데 흐름(middle flow): 728채널 단위 16개, 입력을 그대로 더하는 지름길, 보폭 1.
- 출구 흐름(exit flow): 728·1024·1024(보폭 2, 1×1 지름길), 1536·1536·2048(보폭 1, 지름길 없음).
- 단위(``xception_module``) 하나 = 3×3 분리 합성곱 세 개. 최대 풀링 대신 셋째 분리 합성곱이 보폭을 맡습니다.
  분리 합성곱은 깊이별 3×3 → BN → 점별 1×1 → BN 이고, ReLU의 자리는 블록마다 다릅니다(공식 코드의
  ``activation_fn_in_separable_conv``): 앞의 다섯 블록은 분리 합성곱 **앞에** ReLU 하나, 마지막 블록
  (``exit_flow/block2``)은 깊이별 BN 뒤와 점별 BN 뒤에 ReLU.
- 출력 보폭: 누적 보폭이 목표에 닿은 뒤의 단위는 보폭을 1로 바꾸고, 그 뒤 단위들의 팽창률을 보폭만큼 곱합니다
  (바뀐 단위 자신은 이전 팽창률). :func:`unit_plan` 이 단위마다의 (보폭, 팽창률)을 정합니다.

머리는 공식 ``model.py`` 의 Xception 설정입니다: ASPP(1×1 + 팽창률 6·12·18의 3×3 **분리** 합성곱 셋 + 이미지 수준 풀링,
각 256채널) → 1×1 투영 256, 디코더(보폭 4의 ``entry_flow/block2`` 특징을 1×1로 48채널, 3×3 분리 합성곱 256 두 번),
분류기 ``logits/semantic``.

층 이름: Keras는 이름에 ``/`` 를 받지 않으므로 체크포인트의 범위 이름에서 ``/`` 를 ``.`` 으로 바꾸고, 배치 정규화는
``{합성곱 이름}_bn`` 입니다. :func:`checkpoint_scope` 가 거꾸로 바꿉니다.

매개변수 식(:func:`params`)은 TensorFlow 없이 돌고, 모델을 만드는 함수만 TF와 Keras를 (조용히) 불러옵니다.
"""

from __future__ import annotations

from dataclasses import dataclass

from deeplab_lessons.aspp import DECODER_LOW_LEVEL_FILTERS as LOW_LEVEL_FILTERS
from deeplab_lessons.aspp import V3_PLUS_FILTERS as ASPP_FILTERS
from deeplab_lessons.aspp import V3_RATES
from deeplab_lessons.atrous import convert_strides_to_rates
from deeplab_lessons.errors import check_choice, check_int

#: 지원하는 출력 보폭.
OUTPUT_STRIDES = (8, 16, 32)
#: 출력 보폭별 ASPP 3×3 가지의 팽창률: 8·16은 v3의 값(:data:`deeplab_lessons.aspp.V3_RATES`, 모델 동물원과 같음),
#: 32는 16의 절반.
ASPP_RATES = {**V3_RATES, 32: tuple(rate // 2 for rate in V3_RATES[16])}
#: 체크포인트에서 백본 층 이름 앞에 붙는 범위.
SCOPE = "xception_65"
#: 입구의 두 합성곱: (이름, 채널, 보폭). 둘 다 3×3, BN, ReLU.
ROOT = (("entry_flow/conv1_1", 32, 2), ("entry_flow/conv1_2", 64, 1))
#: 디코더가 쓰는 저수준 특징(보폭 4)의 층.
LOW_LEVEL_LAYER = "entry_flow/block2/unit_1/xception_module/separable_conv2_pointwise"


@dataclass(frozen=True)
class Block:
    """Xception 블록 하나: 범위 이름, 단위의 세 분리 합성곱 채널, 지름길(``conv``/``sum``/``none``), 단위 수,
    보폭(단위의 셋째 분리 합성곱), 분리 합성곱 안에 ReLU를 두는지(``activation_fn_in_separable_conv``)."""

    scope: str
    depths: tuple[int, int, int]
    shortcut: str
    units: int
    stride: int
    relu_inside: bool


#: Xception-65의 여섯 블록(공식 ``xception_65_factory``).
BLOCKS = (
    Block("entry_flow/block1", (128, 128, 128), "conv", 1, 2, False),
    Block("entry_flow/block2", (256, 256, 256), "conv", 1, 2, False),
    Block("entry_flow/block3", (728, 728, 728), "conv", 1, 2, False),
    Block("middle_flow/block1", (728, 728, 728), "sum", 16, 1, False),
    Block("exit_flow/block1", (728, 1024, 1024), "conv", 1, 2, False),
    Block("exit_flow/block2", (1536, 1536, 2048), "none", 1, 1, True),
)


@dataclass(frozen=True)
class UnitPlan:
    """단위 하나의 실제 보폭과 팽창률(출력 보폭 조정 뒤). ``scope`` 는 ``블록/unit_i``."""

    scope: str
    block: Block
    stride: int
    rate: int


def unit_plan(output_stride: int = 16) -> list[UnitPlan]:
    """단위마다의 (보폭, 팽창률). 입구의 보폭 2 합성곱 뒤 누적 보폭 2에서 시작합니다.

    누적 보폭이 이미 ``output_stride`` 에 닿았으면 그 단위는 보폭 1과 지금까지의 팽창률로 돌고, 그 뒤 단위들의
    팽창률은 원래 보폭만큼 곱해집니다(공식 ``stack_blocks_dense``): 강좌의 한 규칙
    :func:`deeplab_lessons.atrous.convert_strides_to_rates` 의 ``convention="layer"`` 입니다.

    Raises:
        DeepLabLessonsError: ``output_stride`` 가 8, 16, 32가 아닐 때.
    """
    target = check_choice("output_stride", output_stride, OUTPUT_STRIDES)
    units = [(block, index) for block in BLOCKS for index in range(block.units)]
    plan = convert_strides_to_rates([block.stride for block, _ in units], target, convention="layer",
                                    input_stride=ROOT[0][2])
    return [UnitPlan(f"{block.scope}/unit_{index + 1}", block, stride, rate)
            for (block, index), (stride, rate) in zip(units, plan, strict=True)]


# ---------------------------------------------------------------- 매개변수 식 (TF 없이)

def _bn(channels: int, bn_per_channel: int) -> int:
    return bn_per_channel * channels


def separable_params(in_channels: int, out_channels: int, bn_per_channel: int = 4) -> int:
    """3×3 분리 합성곱 하나(편향 없음, 깊이별 뒤와 점별 뒤에 BN): ``9·C_in + BN·C_in + C_in·C_out + BN·C_out``."""
    return 9 * in_channels + _bn(in_channels, bn_per_channel) + in_channels * out_channels + _bn(
        out_channels, bn_per_channel)


def unit_params(in_channels: int, block: Block, bn_per_channel: int = 4) -> int:
    """Xception 단위 하나: 분리 합성곱 세 개 + (``conv`` 지름길이면) 1×1 합성곱 ``C_in·C_out`` 과 BN."""
    total, channels = 0, in_channels
    for depth in block.depths:
        total += separable_params(channels, depth, bn_per_channel)
        channels = depth
    if block.shortcut == "conv":
        total += in_channels * block.depths[-1] + _bn(block.depths[-1], bn_per_channel)
    return total


def backbone_params(bn_per_channel: int = 4) -> int:
    """Xception-65 백본의 매개변수 수(식). BN은 채널마다 ``bn_per_channel`` 개(``count_params()`` 기준 4:
    γ, β, 이동 평균, 이동 분산. 학습되는 것만 세면 2).

    입구 ``3·3·3·32 + 3·3·32·64`` (+ BN) 와 단위마다 :func:`unit_params`.
    """
    total, channels = 0, 3
    for _, filters, _ in ROOT:
        total += 9 * channels * filters + _bn(filters, bn_per_channel)
        channels = filters
    for block in BLOCKS:
        for _ in range(block.units):
            total += unit_params(channels, block, bn_per_channel)
            channels = block.depths[-1]
    return total


def head_params(num_classes: int = 21, decoder: bool = True, bn_per_channel: int = 4) -> int:
    """v3+ 머리의 매개변수 수(식): ASPP(1×1, 분리 3×3 셋, 이미지 수준 풀링, 투영) + 디코더 + 분류기(편향 있음).

    ASPP: ``C·F`` (1×1) ``+ 3 × 분리(C→F)`` ``+ C·F`` (풀링) ``+ 5F·F`` (투영) + BN.
    디코더: ``C_low·48`` ``+ 분리(F+48 → F) + 분리(F → F)`` + BN. 분류기 ``C·K + K``.
    """
    c, f, low = BLOCKS[-1].depths[-1], ASPP_FILTERS, BLOCKS[1].depths[1]
    bn = bn_per_channel
    rates = len(ASPP_RATES[16])
    aspp = 2 * (c * f + _bn(f, bn)) + rates * separable_params(c, f, bn)
    aspp += (2 + rates) * f * f + _bn(f, bn)
    total, channels = aspp, f
    if decoder:
        total += low * LOW_LEVEL_FILTERS + _bn(LOW_LEVEL_FILTERS, bn)
        total += separable_params(f + LOW_LEVEL_FILTERS, f, bn) + separable_params(f, f, bn)
    num_classes = check_int("num_classes", num_classes)
    return total + channels * num_classes + num_classes


def params(num_classes: int = 21, decoder: bool = True, bn_per_channel: int = 4) -> int:
    """Xception-65 DeepLab v3+ 전체의 매개변수 수(식). :func:`deeplab_v3_plus` 의 ``count_params()`` 와 같습니다
    (``bn_per_channel=2`` 면 :func:`deeplab_lessons.counting.trainable_params` 와 같음)."""
    return backbone_params(bn_per_channel) + head_params(num_classes, decoder, bn_per_channel)


# ---------------------------------------------------------------- 층 이름

def keras_name(scope: str) -> str:
    """체크포인트의 범위 이름(``a/b/c``)을 Keras 층 이름(``a.b.c``)으로."""
    return scope.replace("/", ".")


def checkpoint_scope(layer_name: str) -> str:
    """Keras 층 이름을 공식 체크포인트의 변수 범위로 바꿉니다.

    ``.`` → ``/``, 끝의 ``_bn`` → ``/BatchNorm``, 백본 층에는 앞에 ``xception_65/``. 예:
    ``entry_flow.conv1_1_bn`` → ``xception_65/entry_flow/conv1_1/BatchNorm``, ``aspp1_depthwise`` → ``aspp1_depthwise``.
    (변수는 그 범위 아래의 ``weights``, ``depthwise_weights``, ``biases``, ``gamma``, ``beta``, ``moving_mean``,
    ``moving_variance`` 입니다.)
    """
    scope = layer_name.replace(".", "/")
    if scope.endswith("_bn"):
        scope = scope[: -len("_bn")] + "/BatchNorm"
    if scope.split("/")[0] in ("entry_flow", "middle_flow", "exit_flow"):
        scope = f"{SCOPE}/{scope}"
    return scope


# ---------------------------------------------------------------- Keras 층으로 짓기

def _conv_bn(x, filters, kernel, stride, scope, relu=True):
    """합성곱(편향 없음) → BN → (ReLU). 보폭 2의 3×3이면 공식 ``conv2d_same`` 처럼 앞뒤를 1칸씩 덧대고 ``valid`` 로.

    1×1 합성곱은 보폭이 있어도 덧대지 않습니다(0, 2, 4, … 번째 칸을 봄 — 공식 ``SAME`` 과 같음).
    """
    from deeplab_lessons._tf import load_keras

    keras = load_keras()
    name = keras_name(scope)
    padding = "same"
    if stride > 1 and kernel > 1:
        x = keras.layers.ZeroPadding2D((kernel - 1) // 2, name=f"{name}_pad")(x)
        padding = "valid"
    x = keras.layers.Conv2D(filters, kernel, strides=stride, padding=padding, use_bias=False, name=name)(x)
    x = keras.layers.BatchNormalization(epsilon=1e-3, name=f"{name}_bn")(x)
    return keras.layers.ReLU(name=f"{name}_relu")(x) if relu else x


def _separable(x, filters, stride, rate, scope, relu_inside):
    """Xception의 분리 합성곱 하나. ``relu_inside`` 가 거짓이면 ReLU → 깊이별 → BN → 점별 → BN,
    참이면 깊이별 → BN → ReLU → 점별 → BN → ReLU. 층 이름 ``{scope}_depthwise``, ``{scope}_pointwise`` (+ ``_bn``)."""
    from deeplab_lessons._tf import load_keras

    keras = load_keras()
    name = keras_name(scope)
    if not relu_inside:
        x = keras.layers.ReLU(name=f"{name}_preact")(x)
    padding = "same"
    if stride > 1:   # 공식 fixed_padding: 보폭이 있는 단위의 팽창률은 1이므로 앞뒤 1칸씩
        x = keras.layers.ZeroPadding2D(1, name=f"{name}_pad")(x)
        padding = "valid"
    x = keras.layers.DepthwiseConv2D(3, strides=stride, dilation_rate=rate, padding=padding, use_bias=False,
                                     name=f"{name}_depthwise")(x)
    x = keras.layers.BatchNormalization(epsilon=1e-3, name=f"{name}_depthwise_bn")(x)
    if relu_inside:
        x = keras.layers.ReLU(name=f"{name}_depthwise_relu")(x)
    x = keras.layers.Conv2D(filters, 1, use_bias=False, name=f"{name}_pointwise")(x)
    x = keras.layers.BatchNormalization(epsilon=1e-3, name=f"{name}_pointwise_bn")(x)
    if relu_inside:
        x = keras.layers.ReLU(name=f"{name}_pointwise_relu")(x)
    return x


def xception_unit(x, unit: UnitPlan, endpoints: dict | None = None):
    """Xception 단위(``xception_module``) 하나: 분리 합성곱 세 개(셋째가 보폭) + 지름길(1×1, 더하기, 없음).

    ``endpoints`` (사전)를 주면 분리 합성곱마다의 출력을 ``{범위}/separable_convi_pointwise`` 이름으로 담습니다.
    """
    from deeplab_lessons._tf import load_keras

    keras = load_keras()
    block, module = unit.block, f"{unit.scope}/xception_module"
    residual = x
    for i, depth in enumerate(block.depths):
        residual = _separable(residual, depth, unit.stride if i == 2 else 1, unit.rate,
                              f"{module}/separable_conv{i + 1}", block.relu_inside)
        if endpoints is not None:
            endpoints[f"{module}/separable_conv{i + 1}_pointwise"] = residual
    if block.shortcut == "none":
        return residual
    shortcut = x
    if block.shortcut == "conv":
        shortcut = _conv_bn(x, block.depths[-1], 1, unit.stride, f"{module}/shortcut", relu=False)
    return keras.layers.Add(name=f"{keras_name(module)}_add")([residual, shortcut])


def backbone(inputs, output_stride: int = 16):
    """Xception-65 백본. ``(저수준 특징(보폭 4, ``LOW_LEVEL_LAYER`` 의 출력), 마지막 특징(2048채널), 단위 계획)``.

    Raises:
        DeepLabLessonsError: ``output_stride`` 가 8, 16, 32가 아닐 때.
    """
    plan = unit_plan(output_stride)
    x = inputs
    for scope, filters, stride in ROOT:
        x = _conv_bn(x, filters, 3, stride, scope)
    endpoints = {}
    for unit in plan:
        x = xception_unit(x, unit, endpoints)
    return endpoints[LOW_LEVEL_LAYER], x, plan


def deeplab_v3_plus(num_classes: int = 21, input_shape=(None, None, 3), output_stride: int = 16,
                    decoder: bool = True, name: str | None = None):
    """Xception-65 DeepLab v3+ (모델 목록의 ``xception_coco_voctrainaug`` 와 같은 구조, 가중치는 무작위).

    ASPP: ``image_pooling`` (전체 평균 → 1×1 → 펼침), ``aspp0`` (1×1), ``aspp1``–``aspp3`` (3×3 분리 합성곱,
    팽창률 :data:`ASPP_RATES`), 이어 붙이기(공식 순서: 풀링이 먼저) → ``concat_projection`` (1×1)
    → 드롭아웃 0.1(학습 때만).
    디코더: ``decoder.feature_projection0`` (보폭 4 특징 → 48채널), 인코더 출력을 그 크기로 키워 이어 붙임,
    ``decoder.decoder_conv0``·``decoder.decoder_conv1`` (3×3 분리 합성곱 256, 깊이별 뒤에도 BN·ReLU).
    분류기 ``logits.semantic`` (1×1, 편향 있음) → 입력 크기로 쌍선형 업샘플링.

    Args:
        num_classes: 클래스 수.
        input_shape: ``(H, W, 3)``. ``None`` 이면 아무 크기나 받습니다(곱셈-덧셈을 셀 때는 정해야 함).
        output_stride: 8, 16, 32.
        decoder: v3+ 디코더를 붙일지(거짓이면 Xception-65 v3).

    Returns:
        입력 ``(N, H, W, 3)`` (0–255를 −1–1로 옮긴 값) → 로짓 ``(N, H, W, num_classes)`` 인 ``keras.Model``.

    Raises:
        DeepLabLessonsError: 인자가 허용 범위 밖일 때.
    """
    from deeplab_lessons._tf import load_keras
    from deeplab_lessons.models import ResizeLike, separable_conv_bn_relu

    keras = load_keras()
    num_classes = check_int("num_classes", num_classes)
    inputs = keras.Input(tuple(input_shape), name="image")
    low_level, features, _ = backbone(inputs, output_stride)
    pooled = keras.layers.GlobalAveragePooling2D(keepdims=True, name="image_pooling_mean")(features)
    pooled = _conv_bn(pooled, ASPP_FILTERS, 1, 1, "image_pooling")
    branches = [ResizeLike(name="image_pooling_resize")(pooled, features),
                _conv_bn(features, ASPP_FILTERS, 1, 1, "aspp0")]
    for i, rate in enumerate(ASPP_RATES[output_stride], start=1):
        branches.append(separable_conv_bn_relu(features, ASPP_FILTERS, rate, name=f"aspp{i}"))
    x = keras.layers.Concatenate(name="aspp_concat")(branches)
    x = _conv_bn(x, ASPP_FILTERS, 1, 1, "concat_projection")
    x = keras.layers.Dropout(0.1, name="concat_projection_dropout")(x)
    if decoder:
        low = _conv_bn(low_level, LOW_LEVEL_FILTERS, 1, 1, "decoder/feature_projection0")
        x = ResizeLike(name="decoder.upsample")(x, low)
        x = keras.layers.Concatenate(name="decoder.concat")([x, low])
        for i in (0, 1):
            x = separable_conv_bn_relu(x, ASPP_FILTERS, name=f"decoder.decoder_conv{i}")
    logits = keras.layers.Conv2D(num_classes, 1, name="logits.semantic")(x)
    logits = ResizeLike(name="upsample")(logits, inputs)
    default = "xception65_deeplab_v3_plus" if decoder else "xception65_deeplab_v3"
    return keras.Model(inputs, logits, name=name or default)
