"""MobileNetV2의 역잔차 블록(inverted residual block)과 폭 배율(width multiplier).

- 역잔차 블록: 1×1 확장(채널 ×t, BN, ReLU6) → 3×3 깊이별(BN, ReLU6) → 1×1 투영(BN, **활성화 없음** = 선형 병목).
  보폭이 1이고 입력·출력 채널이 같으면 입력을 더합니다(지름길, shortcut).
- 폭 배율 α: 모든 층의 채널 수에 α를 곱하고 반올림합니다. 반올림 규칙은 구현마다 다릅니다.

  * ``"keras"``: ``keras.applications.MobileNetV2`` 의 규칙. 어떤 α에서든 8의 배수로 반올림(10 % 넘게
    줄지 않게). 확장 채널은 ``t × 입력 채널`` 그대로.
  * ``"deeplab"``: DeepLab의 ``feature_extractor._mobilenet_v2`` 가 slim ``mobilenet_v2`` 에 넘기는 규칙.
    α = 1.0이면 8의 배수(``divisible_by=8, min_depth=8``), 그 밖에는 ``divisible_by=1, min_depth=1``, 곧
    가장 가까운 정수로 반올림(0.5는 올림; 10 % 규칙은 곱한 값이 5 미만일 때만 닿음). 확장 채널은 α와
    상관없이 ``t × 입력 채널`` 을 8의 배수로 반올림합니다(slim ``expand_input_by_factor(6)`` 의 기본값
    ``divisible_by=8``).

이 모듈은 층을 만드는 함수를 부를 때 TF와 Keras를 (조용히) 불러옵니다. 채널과 매개변수를 세는 함수는 TF 없이
돌고, 선형 병목 실험(:func:`relu_recoverable_share`)은 NumPy만 씁니다.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from deeplab_lessons._tf import load_keras
from deeplab_lessons.atrous import convert_strides_to_rates
from deeplab_lessons.errors import bad_argument, check_choice, check_int

#: MobileNetV2의 단계 설정(논문 표 2): (확장 배율 t, 출력 채널 c, 반복 n, 첫 보폭 s).
STAGES = ((1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2),
          (6, 96, 3, 1), (6, 160, 3, 2), (6, 320, 1, 1))
#: 첫 3×3 합성곱(보폭 2)의 채널 수(α = 1.0).
STEM_CHANNELS = 32
#: 채널 반올림 규칙.
ROUNDINGS = ("keras", "deeplab")
#: 출력 보폭 8·16·32.
OUTPUT_STRIDES = (8, 16, 32)
#: v3+ 디코더가 쓰는 저수준 특징의 보폭.
LOW_LEVEL_STRIDE = 4
#: 이 백본으로 지은 DeepLab의 가장 작은 입력 크기(한 변, 화소): 출력 보폭 8에서 특징 맵이 적어도 몇 칸은 되도록.
MIN_INPUT_SIZE = 33


def make_divisible(value: float, divisor: int = 8, min_value: int | None = None) -> int:
    """``value`` 를 ``divisor`` 의 배수로 반올림합니다(MobileNet의 규칙). 결과는 ``min_value`` (기본
    ``divisor``) 이상이고, 반올림으로 10 % 넘게 줄면 ``divisor`` 를 한 번 더합니다.

    ``divisor=1`` 이면 가장 가까운 정수(0.5는 올림)입니다.
    """
    min_value = divisor if min_value is None else min_value
    rounded = max(min_value, int(value + divisor / 2) // divisor * divisor)
    return rounded + divisor if rounded < 0.9 * value else rounded


def _check_alpha(alpha) -> float:
    if not isinstance(alpha, (int, float)) or isinstance(alpha, bool) or alpha <= 0:
        raise bad_argument("alpha", alpha, "0보다 큰 수여야 합니다",
                           "예: alpha=0.35 (작은 모델), 1.0 (원래 크기)")
    return float(alpha)


def scaled_channels(channels: int, alpha: float, rounding: str = "keras") -> int:
    """폭 배율 ``alpha`` 를 곱해 반올림한 채널 수(투영 층과 첫 합성곱에 쓰는 규칙).

    Raises:
        DeepLabLessonsError: ``alpha`` 가 양수가 아니거나 ``rounding`` 이 ``"keras"``/``"deeplab"`` 이 아닐 때.
    """
    alpha = _check_alpha(alpha)
    check_choice("rounding", rounding, ROUNDINGS)
    divisor = 8 if rounding == "keras" or alpha == 1.0 else 1
    return make_divisible(check_int("channels", channels) * alpha, divisor)


def expanded_channels(in_channels: int, expansion: int, rounding: str = "keras") -> int:
    """역잔차 블록의 확장 층 채널 수. ``"keras"`` 는 ``t·C_in`` 그대로, ``"deeplab"`` 은 8의 배수로 반올림.

    ``expansion`` 이 1이면 확장 층이 없고 입력 채널 수를 그대로 돌려줍니다.
    """
    in_channels, expansion = check_int("in_channels", in_channels), check_int("expansion", expansion)
    check_choice("rounding", rounding, ROUNDINGS)
    if expansion == 1:
        return in_channels
    return in_channels * expansion if rounding == "keras" else make_divisible(in_channels * expansion, 8)


@dataclass(frozen=True)
class BlockShape:
    """역잔차 블록 하나의 채널과 보폭: 입력, 확장, 출력 채널, 깊이별 합성곱의 보폭(출력 보폭 조정 전)."""

    in_channels: int
    expanded: int
    out_channels: int
    stride: int

    @property
    def residual(self) -> bool:
        """지름길(입력 더하기)이 있는지: 보폭 1이고 입력·출력 채널이 같을 때."""
        return self.stride == 1 and self.in_channels == self.out_channels


def block_shapes(alpha: float = 1.0, rounding: str = "keras",
                 max_repeats: int | None = None) -> tuple[int, list[BlockShape]]:
    """폭 배율 ``alpha`` 의 MobileNetV2 백본: ``(첫 합성곱의 채널, 블록 17개의 모양)``.

    ``max_repeats`` 를 주면 단계마다 블록을 그 수까지만 둡니다(얕은 버전: 1이면 블록 7개). 단계의 첫 블록이
    보폭을 맡으므로 보폭과 채널의 흐름은 그대로이고 깊이만 줄어듭니다(빠른 학습용).

    Raises:
        DeepLabLessonsError: ``max_repeats`` 가 1보다 작은 정수일 때.
    """
    if max_repeats is not None:
        check_int("max_repeats", max_repeats)
    stem = scaled_channels(STEM_CHANNELS, alpha, rounding)
    shapes, in_channels = [], stem
    for expansion, channels, repeats, first_stride in STAGES:
        out_channels = scaled_channels(channels, alpha, rounding)
        for i in range(min(repeats, max_repeats or repeats)):
            expanded = expanded_channels(in_channels, expansion, rounding)
            shapes.append(BlockShape(in_channels, expanded, out_channels, first_stride if i == 0 else 1))
            in_channels = out_channels
    return stem, shapes


def block_params(shape: BlockShape, kernel: int = 3, bn_per_channel: int = 4) -> int:
    """역잔차 블록 하나의 매개변수 수(합성곱은 편향 없음). BN은 채널마다 ``bn_per_channel`` 개
    (``count_params()`` 기준 4: γ, β, 이동 평균, 이동 분산. 학습되는 것만 세면 2).

    ``[C_in·E + BN·E]`` (확장, ``E ≠ C_in`` 일 때) ``+ k²·E + BN·E`` (깊이별) ``+ E·C_out + BN·C_out`` (투영).
    """
    c_in, e, c_out = shape.in_channels, shape.expanded, shape.out_channels
    expand = c_in * e + bn_per_channel * e if e != c_in else 0
    return expand + kernel * kernel * e + bn_per_channel * e + e * c_out + bn_per_channel * c_out


def backbone_params(alpha: float = 1.0, rounding: str = "keras", bn_per_channel: int = 4) -> int:
    """MobileNetV2 백본(첫 3×3 합성곱 + 블록 17개, 마지막 1280채널 1×1은 뺌)의 매개변수 수(식)."""
    stem, shapes = block_shapes(alpha, rounding)
    stem_params = 3 * 3 * 3 * stem + bn_per_channel * stem
    return stem_params + sum(block_params(s, bn_per_channel=bn_per_channel) for s in shapes)


def widths(alpha: float = 1.0, rounding: str = "keras") -> list[int]:
    """첫 합성곱과 블록 17개의 출력 채널 수(모두 18개). TFLite 파일의 층 표와 견주는 데 씁니다."""
    stem, shapes = block_shapes(alpha, rounding)
    return [stem] + [s.out_channels for s in shapes]


def widths_from_layer_table(rows) -> list[int]:
    """합성곱 층 표(``pretrained.keras_rebuild.read_layer_table`` 의 결과)에서 백본의 출력 채널을 읽습니다:
    첫 합성곱(``MobilenetV2/Conv``)과 블록마다의 투영 층(``.../project...``)의 출력 채널, 파일의 순서대로."""
    found = [row["out"] for row in rows
             if row["name"].startswith("MobilenetV2/") and (row["name"].endswith("/Conv")
                                                            or "/project" in row["name"])]
    if not found:
        raise bad_argument("rows", f"{len(list(rows))}개의 행",
                           "MobileNetV2의 층 이름(MobilenetV2/...)을 담아야 합니다",
                           "read_layer_table(공식 TFLite 파일)의 결과를 주세요")
    return found


# ---------------------------------------------------------------- 선형 병목: 논문 그림 1의 실험

def spiral(points: int = 400) -> np.ndarray:
    """2차원 나선 위의 점들 ``(points, 2)``. MobileNetV2 논문 그림 1이 쓰는 입력입니다."""
    t = np.linspace(0.5, 4 * np.pi, check_int("points", points))
    return np.stack([t * np.cos(t), t * np.sin(t)], axis=1) / (4 * np.pi)


def relu_recoverable_share(dims: int, points: np.ndarray | None = None, seed: int = 0) -> float:
    """2차원 점 ``x`` 를 무작위 행렬 ``T`` (``dims×2``)로 ``dims`` 차원에 올리고 ReLU를 거친 ``ReLU(Tx)`` 에서
    ``x`` 를 **정확히** 되살릴 수 있는 점의 비율(0–1).

    ReLU가 0으로 만든 좌표는 ``x`` 에 대해 아무것도 말해 주지 않습니다. 남은(양수인) 좌표의 행이 2차원을
    채우면(= 2개 이상) 그 행들로 연립방정식을 풀어 ``x`` 를 되살립니다. 차원이 낮으면 많은 점에서 정보가
    사라지고, 차원이 높으면 거의 모든 점이 살아남습니다 — 논문이 병목(낮은 차원)에 ReLU를 두지 않는 이유.
    """
    dims = check_int("dims", dims)
    x = spiral() if points is None else np.asarray(points, dtype=np.float64)
    t = np.random.default_rng(seed).standard_normal((dims, 2))
    y = np.maximum(x @ t.T, 0.0)
    recovered = 0
    for xi, yi in zip(x, y, strict=True):
        active = yi > 0
        if active.sum() < 2:
            continue
        estimate, *_ = np.linalg.lstsq(t[active], yi[active], rcond=None)
        recovered += bool(np.allclose(estimate, xi, atol=1e-9))
    return recovered / len(x)


# ---------------------------------------------------------------- Keras 층으로 짓기

def conv_bn(x, filters, kernel, stride=1, name="", activation="relu6"):
    """합성곱(편향 없음) → 배치 정규화 → 활성화(``None`` 이면 없음). 층 이름은 ``{name}_conv/_bn/_act``."""
    keras = load_keras()
    x = keras.layers.Conv2D(filters, kernel, strides=stride, padding="same", use_bias=False,
                            name=f"{name}_conv")(x)
    x = keras.layers.BatchNormalization(name=f"{name}_bn")(x)
    return keras.layers.Activation(activation, name=f"{name}_act")(x) if activation else x


def inverted_residual(x, expanded, filters, stride=1, rate=1, name="block"):
    """역잔차 블록: 1×1 확장(``expanded`` 채널) → 3×3 깊이별(보폭, 팽창률) → 1×1 선형 투영(``filters``).

    ``expanded`` 가 입력 채널과 같으면 확장 층을 두지 않습니다(첫 블록, t = 1). 보폭 1이고 입력·출력 채널이
    같으면 입력을 더합니다. 층 이름: ``{name}_expand_*``, ``{name}_depthwise``, ``{name}_project_*``, ``{name}_add``.
    """
    keras = load_keras()
    in_channels = x.shape[-1]
    h = x
    if expanded != in_channels:
        h = conv_bn(h, expanded, 1, name=f"{name}_expand")
    h = keras.layers.DepthwiseConv2D(3, strides=stride, dilation_rate=rate, padding="same",
                                     use_bias=False, name=f"{name}_depthwise")(h)
    h = keras.layers.BatchNormalization(name=f"{name}_depthwise_bn")(h)
    h = keras.layers.Activation("relu6", name=f"{name}_depthwise_act")(h)
    h = conv_bn(h, filters, 1, name=f"{name}_project", activation=None)
    if stride == 1 and in_channels == filters:
        h = keras.layers.Add(name=f"{name}_add")([x, h])
    return h


def atrous_plan(output_stride: int = 16, max_repeats: int | None = None) -> list[tuple[int, int]]:
    """블록마다의 ``(보폭, 팽창률)``: 출력 보폭에 닿은 뒤의 블록은 보폭을 1로 바꾸고 그 뒤 블록들의 팽창률을 키웁니다.

    :func:`deeplab_lessons.atrous.convert_strides_to_rates` 의 ``convention="layer"`` 입니다(블록의 보폭은 깊이별
    3×3 층 하나에 있으므로 블록 = 층). 바뀐 블록 자신은 이전 팽창률을 씁니다(DeepLab의 ``conv_blocks`` 규칙).
    첫 합성곱(보폭 2)은 목록에 없고 ``input_stride`` 로 셉니다.

    Raises:
        DeepLabLessonsError: ``output_stride`` 가 8, 16, 32가 아닐 때.
    """
    output_stride = check_choice("output_stride", output_stride, OUTPUT_STRIDES)
    _, shapes = block_shapes(1.0, "keras", max_repeats)
    return convert_strides_to_rates([shape.stride for shape in shapes], output_stride, convention="layer",
                                    input_stride=2)


def backbone(inputs, alpha: float = 1.0, output_stride: int = 16, rounding: str = "keras",
             max_repeats: int | None = None):
    """MobileNetV2 백본. ``(저수준 특징(보폭 4), 고수준 특징(보폭 output_stride), 블록별 (보폭, 팽창률))``.

    블록의 보폭과 팽창률은 :func:`atrous_plan` 이 정합니다.

    Raises:
        DeepLabLessonsError: ``output_stride`` 가 8, 16, 32가 아니거나 ``alpha`` 가 양수가 아니거나
            ``rounding`` 이 ``"keras"``/``"deeplab"`` 이 아닐 때.
    """
    plan = atrous_plan(output_stride, max_repeats)
    stem, shapes = block_shapes(alpha, rounding, max_repeats)
    x = conv_bn(inputs, stem, 3, stride=2, name="stem")
    current, low_level = 2, None
    for index, (shape, (stride, rate)) in enumerate(zip(shapes, plan, strict=True)):
        current *= stride
        if current > LOW_LEVEL_STRIDE and low_level is None:
            low_level = x            # 보폭 4의 마지막 특징(v3+ 디코더용)
        x = inverted_residual(x, shape.expanded, shape.out_channels, stride, rate, name=f"block{index}")
    return low_level, x, plan
