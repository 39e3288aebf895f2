"""수용 영역(receptive field)을 식으로 한 번, 기울기로 한 번 잽니다.

식(해석적 수용 영역): 층 l의 유효 커널 ``k_eff = k + (k − 1)(r − 1)``, 입력 위에서 이웃한 출력 사이의
거리(누적 보폭) ``j`` 에 대해 ::

    RF_l = RF_{l−1} + (k_eff − 1) · j_{l−1},    j_l = j_{l−1} · s_l,    RF_0 = 1, j_0 = 1

기울기(경험적 수용 영역): 출력 가운데 한 칸을 입력으로 미분하면, 0이 아닌 곳이 그 칸이 보는 입력입니다.
가중치가 모두 양수이고 활성화가 선형이면 0이 아닌 범위의 폭이 식의 값과 정확히 같습니다.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from deeplab_lessons._tf import load_keras, load_tensorflow
from deeplab_lessons.atrous import convert_strides_to_rates, effective_kernel_size
from deeplab_lessons.errors import bad_argument, check_choice, check_int
from deeplab_lessons.tables import Table, table


@dataclass(frozen=True)
class LayerSpec:
    """합성곱 또는 풀링 층 하나의 모양.

    Attributes:
        kernel: 커널 크기 k (정사각형).
        stride: 보폭 s.
        rate: 팽창률 r.
        filters: 출력 채널 수. 0이면 풀링 층(채널 수 유지).
        name: 표에 보일 이름.
    """

    kernel: int
    stride: int = 1
    rate: int = 1
    filters: int = 0
    name: str = ""

    def __post_init__(self):
        check_int("kernel", self.kernel)
        check_int("stride", self.stride)
        check_int("rate", self.rate)
        check_int("filters", self.filters, minimum=0)


@dataclass(frozen=True)
class FieldRow:
    """:func:`receptive_field_table` 의 한 줄: 층을 지난 뒤의 값들."""

    name: str
    kernel: int
    stride: int
    rate: int
    effective_kernel: int
    receptive_field: int
    output_stride: int


def receptive_field_table(layers) -> list[FieldRow]:
    """층마다 유효 커널, 누적 수용 영역, 누적 출력 보폭을 계산합니다(위 점화식)."""
    rf, jump, rows = 1, 1, []
    for index, layer in enumerate(layers):
        k_eff = effective_kernel_size(layer.kernel, layer.rate)
        rf += (k_eff - 1) * jump
        jump *= layer.stride
        rows.append(FieldRow(layer.name or f"층 {index + 1}", layer.kernel, layer.stride,
                             layer.rate, k_eff, rf, jump))
    return rows


def receptive_field(layers) -> int:
    """층 목록 전체의 해석적 수용 영역(한 변의 화소 수)."""
    rows = receptive_field_table(layers)
    return rows[-1].receptive_field if rows else 1


def format_table(layers, last_only: int | None = None) -> Table:
    """:func:`receptive_field_table` 을 표(:func:`deeplab_lessons.tables.table`)로 만듭니다.

    ``last_only`` 면 마지막 그만큼의 층만 보이고, 맨 위 한 줄이 생략한 층 수를 알려 줍니다(숫자 칸은 —).
    """
    rows = receptive_field_table(layers)
    shown = rows if last_only is None else rows[-last_only:]
    body = []
    if len(shown) < len(rows):
        body.append([f"(앞의 {len(rows) - len(shown)}개 층 생략)"] + [None] * 6)
    body += [[r.name, r.kernel, r.stride, r.rate, r.effective_kernel, r.receptive_field, r.output_stride]
             for r in shown]
    return table(["층", "커널", "보폭", "팽창률", "유효 커널", "수용 영역", "출력 보폭"], body)


def with_output_stride(layers, output_stride: int) -> list[LayerSpec]:
    """누적 보폭이 ``output_stride`` 에 닿은 뒤의 층은 보폭을 1로 바꾸고, 그 **뒤** 층들의 팽창률에 보폭을 곱합니다.

    :func:`deeplab_lessons.atrous.convert_strides_to_rates` 의 ``convention="layer"`` (DeepLab 코드의 층마다 규칙)를
    층 목록에 적용한 것입니다. 층의 원래 팽창률(예: DeepLab v1의 fc6)에 그 배수를 곱합니다. 보폭을 가진 층의 커널이
    1이면(ResNet 원 논문의 1×1) 수용 영역은 정확히 그대로입니다.

    Raises:
        DeepLabLessonsError: ``output_stride`` 가 누적 보폭으로 만들 수 없는 값일 때.
    """
    plan = convert_strides_to_rates([layer.stride for layer in layers], output_stride, convention="layer")
    return [LayerSpec(layer.kernel, stride, layer.rate * multiplier, layer.filters, layer.name)
            for layer, (stride, multiplier) in zip(layers, plan, strict=True)]


def conv_stack(rates, kernel: int = 3) -> list[LayerSpec]:
    """보폭 1의 ``kernel×kernel`` 합성곱을 주어진 팽창률들로 쌓은 층 목록."""
    return [LayerSpec(kernel, 1, check_int("rate", r), 1, f"{kernel}×{kernel} r={r}") for r in rates]


# ---------------------------------------------------------------- 실제 네트워크의 층 목록

def vgg16_layers(deeplab_v1: bool = False, fc6: tuple[int, int, int] = (3, 12, 1024),
                 num_classes: int = 21) -> list[LayerSpec]:
    """VGG-16의 층 목록.

    Args:
        deeplab_v1: ``False`` 면 원래 VGG-16의 합성곱 부분(2×2/2 풀링 다섯 번, pool5까지).
            ``True`` 면 DeepLab v1: 3×3 풀링, pool4·pool5의 보폭 1, conv5의 팽창률 2(출력 보폭 8),
            그 위에 fc6(커널, 팽창률, 채널) → fc7(1×1) → fc8(1×1, 클래스 수).
        fc6: DeepLab v1의 fc6 ``(커널, 팽창률, 채널)``. LargeFOV는 ``(3, 12, 1024)``,
            DeepLab-7×7은 ``(7, 4, 4096)``.
        num_classes: fc8의 출력 채널 수.
    """
    blocks = ((64, 2), (128, 2), (256, 3), (512, 3), (512, 3))
    layers = []
    for b, (channels, count) in enumerate(blocks, start=1):
        rate = 2 if (deeplab_v1 and b == 5) else 1
        layers += [LayerSpec(3, 1, rate, channels, f"conv{b}_{i}") for i in range(1, count + 1)]
        if deeplab_v1:
            layers.append(LayerSpec(3, 2 if b <= 3 else 1, 1, 0, f"pool{b}"))
        else:
            layers.append(LayerSpec(2, 2, 1, 0, f"pool{b}"))
    if deeplab_v1:
        k, r, c = fc6
        layers += [LayerSpec(k, 1, r, c, "fc6"), LayerSpec(1, 1, 1, c, "fc7"),
                   LayerSpec(1, 1, 1, num_classes, "fc8")]
    return layers


def resnet50_layers() -> list[LayerSpec]:
    """ResNet-50(He et al. 2016, 원 논문 구성)의 주 경로 층 목록.

    각 병목(bottleneck) 단위는 1×1 → 3×3 → 1×1이며, conv3_x–conv5_x의 첫 단위는 첫 1×1이 보폭 2입니다.
    지름길(shortcut)은 수용 영역을 넓히지 않으므로 주 경로만 셉니다.
    """
    layers = [LayerSpec(7, 2, 1, 64, "conv1"), LayerSpec(3, 2, 1, 0, "pool1")]
    for stage, (units, width) in enumerate(((3, 64), (4, 128), (6, 256), (3, 512)), start=2):
        for unit in range(1, units + 1):
            stride = 2 if (stage > 2 and unit == 1) else 1
            prefix = f"conv{stage}_{unit}"
            layers += [LayerSpec(1, stride, 1, width, f"{prefix}a"),
                       LayerSpec(3, 1, 1, width, f"{prefix}b"),
                       LayerSpec(1, 1, 1, width * 4, f"{prefix}c")]
    return layers


# ---------------------------------------------------------------- Keras로 짓기

def build_model(layers, input_channels: int = 3, weights: str = "random", seed: int = 0,
                input_size: int | None = None):
    """층 목록을 Keras 모델로 만듭니다(합성곱은 ``same`` 패딩, 풀링은 최대 풀링).

    Args:
        layers: :class:`LayerSpec` 목록.
        input_channels: 입력 채널 수.
        weights: ``"random"`` (Keras 기본 초기화, ReLU) 또는 ``"ones"`` (가중치 1, 편향 0, 선형 —
            기울기의 0이 아닌 범위가 수용 영역과 정확히 같아지는 설정).
        seed: 무작위 초기화의 시드.
        input_size: 입력 한 변의 크기. ``None`` 이면 아무 크기나 받습니다.

    Raises:
        DeepLabLessonsError: 한 층에 보폭과 팽창률이 모두 1보다 클 때(Keras ``Conv2D`` 가 지원하지 않음).
    """
    keras = load_keras()
    check_choice("weights", weights, ("random", "ones"))
    keras.utils.set_random_seed(seed)
    ones = weights == "ones"
    x = inputs = keras.Input((input_size, input_size, input_channels))
    used = set()
    for i, layer in enumerate(layers):
        name = _keras_name(layer.name, i, used)
        if layer.stride > 1 and layer.rate > 1:
            raise bad_argument(f"{name}의 stride와 rate", (layer.stride, layer.rate),
                               "둘 중 하나만 1보다 클 수 있습니다(Keras Conv2D의 제약)")
        if layer.filters == 0:
            pool = keras.layers.AveragePooling2D if ones else keras.layers.MaxPooling2D
            x = pool(layer.kernel, layer.stride, padding="same", name=name)(x)
            continue
        x = keras.layers.Conv2D(
            layer.filters, layer.kernel, strides=layer.stride, dilation_rate=layer.rate,
            padding="same", activation=None if ones else "relu", use_bias=not ones,
            kernel_initializer="ones" if ones else "glorot_uniform", name=name)(x)
    return keras.Model(inputs, x)


def _keras_name(name: str, index: int, used: set) -> str:
    """Keras 층 이름: 표시 이름이 영문 식별자이고 겹치지 않으면 그대로, 아니면 ``layer<번호>``."""
    if not (name.isascii() and name.isidentifier()) or name in used:
        name = f"layer{index + 1}"
    used.add(name)
    return name


def conv_macs(layers, input_size: int, input_channels: int = 3) -> int:
    """층 목록(``same`` 패딩)에 ``input_size×input_size`` 입력을 넣을 때 합성곱 층들의 곱셈-덧셈 수.

    합성곱 한 층은 ``출력 화소 수 × k² × C_in × C_out`` 입니다(팽창률은 곱셈-덧셈 수를 바꾸지 않습니다).
    풀링 층은 크기만 줄이고 세지 않습니다.

    Raises:
        DeepLabLessonsError: ``input_size`` 나 ``input_channels`` 가 1 이상의 정수가 아닐 때.
    """
    size, channels = check_int("input_size", input_size), check_int("input_channels", input_channels)
    total = 0
    for layer in layers:
        size = -(-size // layer.stride)
        if layer.filters:
            total += size * size * layer.kernel ** 2 * channels * layer.filters
            channels = layer.filters
    return total


def deeplab_v1_parameter_count(fc6: tuple[int, int, int]) -> int:
    """DeepLab v1(VGG-16, 출력 보폭 8)을 Keras로 만들어 ``count_params()`` 로 센 매개변수 수."""
    return build_model(vgg16_layers(deeplab_v1=True, fc6=fc6)).count_params()


# ---------------------------------------------------------------- 기울기로 재기

def input_gradient(model, input_size: int, samples: int = 1, seed: int = 0) -> np.ndarray:
    """출력 가운데 칸(모든 채널의 합)을 입력으로 미분한 기울기의 절댓값 지도 ``(H, W)``.

    ``samples`` 개의 무작위 입력에 대한 평균입니다(선형 모델이면 입력에 상관없이 같습니다).

    Raises:
        DeepLabLessonsError: ``input_size`` 가 1 이상의 정수가 아닐 때.
    """
    tf = load_tensorflow()
    input_size = check_int("input_size", input_size)
    channels = model.input_shape[-1]
    rng = np.random.default_rng(seed)
    total = np.zeros((input_size, input_size))
    for _ in range(check_int("samples", samples)):
        x = tf.constant(rng.standard_normal((1, input_size, input_size, channels)), tf.float32)
        # 가중치에 대한 기울기는 필요 없으므로 입력만 지켜봅니다(계산도 절반으로 줄어듭니다).
        with tf.GradientTape(watch_accessed_variables=False) as tape:
            tape.watch(x)
            y = model(x)
            center = y[0, y.shape[1] // 2, y.shape[2] // 2, :]
            target = tf.reduce_sum(center)
        grad = tape.gradient(target, x)[0].numpy()
        total += np.abs(grad).sum(axis=-1)
    return total / samples


def nonzero_extent(grad_map: np.ndarray, threshold: float = 0.0) -> tuple[int, int]:
    """기울기 지도에서 ``threshold`` 보다 큰 칸을 모두 담는 가장 작은 사각형의 (높이, 너비)."""
    rows = np.flatnonzero((grad_map > threshold).any(axis=1))
    cols = np.flatnonzero((grad_map > threshold).any(axis=0))
    if rows.size == 0:
        return 0, 0
    return int(rows[-1] - rows[0] + 1), int(cols[-1] - cols[0] + 1)


def empirical_receptive_field(layers, input_size: int | None = None) -> tuple[int, np.ndarray]:
    """가중치 1인 선형 모델을 만들어 기울기로 잰 수용 영역(한 변)과 기울기 지도를 돌려줍니다.

    입력은 수용 영역이 가장자리에 닿지 않을 만큼 크게 잡습니다(기본: 해석적 값의 두 배 + 누적 보폭).
    """
    analytic = receptive_field(layers)
    if input_size is None:
        total_stride = receptive_field_table(layers)[-1].output_stride if layers else 1
        input_size = 2 * analytic + 2 * total_stride + 1
    model = build_model(layers, input_channels=1, weights="ones", input_size=input_size)
    grad = input_gradient(model, input_size)
    height, width = nonzero_extent(grad)
    if height != width:
        raise AssertionError(f"기울기 범위가 정사각형이 아닙니다: {height}×{width}")
    return height, grad


def effective_spread(grad_map: np.ndarray, mass: float = 0.95) -> int:
    """기울기 크기의 ``mass`` (기본 95 %)를 담는, 가운데에 놓인 가장 작은 정사각형의 한 변.

    Luo et al. (2016)의 유효 수용 영역(effective receptive field)을 한 숫자로 나타낸 값입니다.
    """
    total = grad_map.sum()
    if total == 0:
        return 0
    # 가운데는 기울기의 무게중심(같은 값이 여럿이어도 한가운데를 고릅니다).
    rows, cols = np.indices(grad_map.shape)
    cy = int(round(float((rows * grad_map).sum() / total)))
    cx = int(round(float((cols * grad_map).sum() / total)))
    for half in range(max(grad_map.shape)):
        window = grad_map[max(cy - half, 0):cy + half + 1, max(cx - half, 0):cx + half + 1]
        if window.sum() >= mass * total:
            return 2 * half + 1
    return max(grad_map.shape)


def power_law_fit(depths, widths) -> tuple[float, float]:
    """``width ≈ c · depth ** p`` 를 로그–로그 눈금의 최소제곱 직선으로 맞춰 ``(p, c)`` 를 돌려줍니다.

    Luo et al. (2016)에 따르면 유효 수용 영역의 폭은 깊이의 제곱근(p ≈ 0.5)으로, 이론적 수용 영역은
    깊이에 비례(p ≈ 1)해 자랍니다.

    Raises:
        DeepLabLessonsError: 점이 두 개보다 적거나, 길이가 다르거나, 양수가 아닌 값이 있을 때.
    """
    x, y = np.asarray(depths, dtype=float), np.asarray(widths, dtype=float)
    if x.shape != y.shape or x.ndim != 1 or x.size < 2:
        raise bad_argument("depths와 widths", (list(x), list(y)),
                           "길이가 같은 1차원 목록이고 점이 둘 이상이어야 합니다")
    if (x <= 0).any() or (y <= 0).any():
        raise bad_argument("depths와 widths", (list(x), list(y)), "로그를 취하므로 모두 양수여야 합니다")
    slope, intercept = np.polyfit(np.log(x), np.log(y), 1)
    return float(slope), float(np.exp(intercept))
