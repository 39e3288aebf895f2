"""표준 합성곱과 깊이별 분리 합성곱(depthwise separable convolution)의 가중치·곱셈-덧셈 수.

- 표준 k×k 합성곱: 가중치 ``k·k·C_in·C_out``, H×W 출력의 곱셈-덧셈 ``H·W·k·k·C_in·C_out``.
- 깊이별(depthwise) ``k·k·C_in`` + 점별(pointwise, 1×1) ``C_in·C_out``. 곱셈-덧셈도 같은 모양.
- 둘의 비: ``(k²·C_in + C_in·C_out) / (k²·C_in·C_out) = 1/C_out + 1/k²``.

식은 NumPy만 쓰고, 만든 Keras 모델을 세는 함수(층 훑기 :func:`leaf_layers`, 곱셈-덧셈, TF 프로파일러)는 TF를
필요할 때 불러옵니다. 시간 재기는 :mod:`deeplab_lessons.timing` 에 있습니다.
"""

from __future__ import annotations

from dataclasses import dataclass

from deeplab_lessons._tf import load_keras, load_tensorflow, quiet_native_stderr
from deeplab_lessons.errors import DeepLabLessonsError, check_choice, check_int


@dataclass(frozen=True)
class ConvCase:
    """비교할 합성곱 한 경우: 커널 k, 입력 채널, 출력 채널, 출력 높이·너비."""

    kernel: int
    in_channels: int
    out_channels: int
    height: int
    width: int

    def __post_init__(self):
        for name in ("kernel", "in_channels", "out_channels", "height", "width"):
            check_int(name, getattr(self, name))


def standard_params(case: ConvCase) -> int:
    """표준 합성곱의 가중치 수(편향 없음): ``k·k·C_in·C_out``."""
    return case.kernel ** 2 * case.in_channels * case.out_channels


def separable_params(case: ConvCase) -> int:
    """깊이별 분리 합성곱의 가중치 수(편향 없음): ``k·k·C_in + C_in·C_out``."""
    return case.kernel ** 2 * case.in_channels + case.in_channels * case.out_channels


def standard_macs(case: ConvCase) -> int:
    """표준 합성곱이 H×W 출력을 만드는 곱셈-덧셈 수."""
    return case.height * case.width * standard_params(case)


def separable_macs(case: ConvCase) -> int:
    """깊이별 분리 합성곱이 H×W 출력을 만드는 곱셈-덧셈 수."""
    return case.height * case.width * separable_params(case)


def separable_ratio(kernel: int, out_channels: int) -> float:
    """분리 합성곱 ÷ 표준 합성곱의 비용의 비 ``1/C_out + 1/k²``."""
    return 1 / check_int("out_channels", out_channels) + 1 / check_int("kernel", kernel) ** 2


#: ResNet-101의 블록: (병목 채널, 단위 수). 단위의 출력은 병목 채널의 4배.
RESNET101_BLOCKS = ((64, 3), (128, 4), (256, 23), (512, 3))


def resnet101_params(stem: str = "beta", bn_per_channel: int = 2) -> int:
    """편향 없는 ResNet-101 v1의 매개변수 수(식). BN은 채널마다 ``bn_per_channel`` 개(학습되는 γ, β면 2).

    첫 부분: ``beta`` 는 ``3·3·3·64 + 3·3·64·64 + 3·3·64·128``, ``original`` 은 ``7·7·3·64``.
    단위마다 ``C_in·b + 9·b·b + b·4b`` (+ 채널이 바뀌는 첫 단위는 투영 ``C_in·4b``) + BN.
    """
    check_choice("stem", stem, ("original", "beta"))
    bn = bn_per_channel
    if stem == "beta":
        total, depth = 27 * 64 + 9 * 64 * 64 + 9 * 64 * 128 + bn * (64 + 64 + 128), 128
    else:
        total, depth = 49 * 3 * 64 + bn * 64, 64
    for base, units in RESNET101_BLOCKS:
        for _ in range(units):
            total += depth * base + 9 * base * base + base * 4 * base + bn * 6 * base
            if depth != 4 * base:
                total += depth * 4 * base + bn * 4 * base
            depth = 4 * base
    return total


# ---------------------------------------------------------------- Keras 모델로 세기

def build_pair(case: ConvCase, rate: int = 1):
    """같은 경우의 표준 합성곱 모델과 분리 합성곱 모델(편향 없음, ``same`` 패딩)을 만듭니다."""
    keras = load_keras()
    shape = (case.height, case.width, case.in_channels)
    standard = keras.Sequential([keras.Input(shape), keras.layers.Conv2D(
        case.out_channels, case.kernel, padding="same", dilation_rate=rate, use_bias=False)])
    separable = keras.Sequential([keras.Input(shape), keras.layers.SeparableConv2D(
        case.out_channels, case.kernel, padding="same", dilation_rate=rate, use_bias=False)])
    return standard, separable


def count_macs(model) -> int:
    """만든 Keras 모델의 합성곱·완전 연결 층을 훑어 곱셈-덧셈 수를 셉니다(출력 모양이 정해져 있어야 함).

    전치 합성곱(``Conv2DTranspose``)은 입력 칸마다 커널 전체를 찍으므로 입력 칸 수로 셉니다. 사용자 정의 층
    (예: ``layers.ASPPv3``) 안의 층까지 모두 셉니다.

    Raises:
        DeepLabLessonsError: 출력 모양에 정해지지 않은 크기(None)가 있을 때.
    """
    keras = load_keras()
    counted = (keras.layers.Conv2D, keras.layers.DepthwiseConv2D, keras.layers.SeparableConv2D,
               keras.layers.Conv2DTranspose, keras.layers.Dense)
    total = 0
    for layer in leaf_layers(model):
        if not isinstance(layer, counted):
            continue
        out_shape = tuple(layer.output.shape)
        if any(dim is None for dim in out_shape[1:]):
            raise DeepLabLessonsError(
                f"{layer.name} 층의 출력 모양 {out_shape}에 정해지지 않은 크기가 있습니다. "
                "keras.Input에 높이와 너비를 정해 모델을 지으세요.")
        in_channels = layer.input.shape[-1]
        positions = 1
        for dim in out_shape[1:-1]:
            positions *= dim
        kernel_area = 1
        for k in getattr(layer, "kernel_size", (1,)):
            kernel_area *= k
        if isinstance(layer, keras.layers.Conv2DTranspose):
            in_positions = 1
            for dim in layer.input.shape[1:-1]:
                in_positions *= dim
            total += in_positions * kernel_area * in_channels * out_shape[-1]
        elif isinstance(layer, keras.layers.SeparableConv2D):
            depth = in_channels * layer.depth_multiplier
            total += positions * (kernel_area * depth + depth * out_shape[-1])
        elif isinstance(layer, keras.layers.DepthwiseConv2D):
            total += positions * kernel_area * in_channels * layer.depth_multiplier
        elif isinstance(layer, keras.layers.Conv2D):
            total += positions * kernel_area * in_channels * out_shape[-1] // layer.groups
        else:
            total += positions * in_channels * out_shape[-1]
    return total


def trainable_params(model) -> int:
    """학습되는 매개변수 수. ``count_params()`` 와 달리 배치 정규화의 이동 평균·분산(채널마다 2개)을 빼며,
    논문들이 보고하는 매개변수 수는 대개 이쪽입니다."""
    total = 0
    for weight in model.trainable_weights:
        size = 1
        for dim in weight.shape:
            size *= int(dim)
        total += size
    return total


def profiler_flops(model) -> int:
    """TF 프로파일러가 센 부동소수점 연산 수(FLOP). 곱셈과 덧셈을 따로 세므로 약 2 × 곱셈-덧셈입니다.

    모델을 고정된 입력 모양의 그래프로 얼린 뒤 ``tf.compat.v1.profiler`` 로 셉니다.
    """
    tf = load_tensorflow()
    from tensorflow.python.framework.convert_to_constants import (
        convert_variables_to_constants_v2,
    )

    spec = tf.TensorSpec((1,) + tuple(model.input_shape[1:]), tf.float32)
    frozen = convert_variables_to_constants_v2(tf.function(model).get_concrete_function(spec))
    options = tf.compat.v1.profiler.ProfileOptionBuilder.float_operation()
    options["output"] = "none"
    with quiet_native_stderr():
        info = tf.compat.v1.profiler.profile(graph=frozen.graph, cmd="op", options=options)
    return int(info.total_float_ops)


def leaf_layers(layer) -> list:
    """``layer`` 안의 모든 층을 펼친 목록(중첩된 모델, ``Sequential``, 그리고 ASPP처럼 속성으로 층을 가진
    사용자 정의 층의 속까지). 같은 층은 한 번만 넣습니다. Keras의 공개 속성(``layers`` 와 층인 속성)만 봅니다."""
    keras = load_keras()
    found, seen = [], set()

    def visit(current):
        children = list(getattr(current, "layers", None) or [])
        for value in vars(current).values():
            values = value if isinstance(value, (list, tuple)) else [value]
            children += [v for v in values if isinstance(v, keras.layers.Layer)]
        for child in children:
            if id(child) in seen:
                continue
            seen.add(id(child))
            found.append(child)
            visit(child)

    visit(layer)
    return found
