"""5강: DeepLab v3와 v3+ 전체 모델을 Keras로.

- 백본(backbone): MobileNetV2 (Sandler et al. 2018). 폭 배율 ``alpha`` 가 1.0이면 원래 크기(공식
  ``keras.applications.MobileNetV2`` 와 같은 층과 매개변수, 마지막 1280채널 1×1 층은 DeepLab처럼 뺌),
  0.35처럼 작게 하면 CPU에서 몇 초 만에 돌고 몇 분 만에 학습되는 모델이 됩니다.
- 출력 보폭(output stride) 8·16·32: 누적 보폭이 넘치는 블록의 보폭을 1로 바꾸고, 그 뒤 깊이별 합성곱의
  비율을 키웁니다(1강). 바뀐 블록 자신은 이전 비율을 씁니다(공식 구현의 규칙).
- 머리(head): v3의 ASPP(3강), 비율 없는 가벼운 머리(1×1 + 이미지 수준 풀링), 또는 없음(1×1 분류기만).
- v3+ 디코더: 보폭 4의 저수준 특징을 1×1로 48채널로 줄여, 4배로 키운 인코더 출력과 이어 붙이고,
  3×3 분리 합성곱 두 번 → 분류기 → 4배 업샘플링.
"""

from __future__ import annotations

from deeplab_lessons._tf import load_keras, load_tensorflow
from deeplab_lessons.errors import bad_argument, check_choice, check_int
from deeplab_lessons.layers import ASPPv3, aspp_rates, check_rates

keras = load_keras()

OUTPUT_STRIDES = (8, 16, 32)
#: MobileNetV2의 블록 설정: (확장 배율 t, 출력 채널 c, 반복 n, 첫 보폭 s).
MOBILENETV2_STAGES = ((1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2),
                      (6, 96, 3, 1), (6, 160, 3, 2), (6, 320, 1, 1))
#: v3+ 디코더가 쓰는 저수준 특징의 보폭.
LOW_LEVEL_STRIDE = 4


def make_divisible(value: float, divisor: int = 8) -> int:
    """채널 수를 ``divisor`` 의 배수로 반올림합니다(10 % 넘게 줄지 않게). MobileNet의 규칙."""
    rounded = max(divisor, int(value + divisor / 2) // divisor * divisor)
    return rounded + divisor if rounded < 0.9 * value else rounded


@keras.saving.register_keras_serializable(package="deeplab_lessons")
class ResizeLike(keras.layers.Layer):
    """첫 입력을 두 번째 입력의 높이·너비로 쌍선형 크기 조절합니다(크기가 정해지지 않아도 동작)."""

    def call(self, features, reference):
        tf = load_tensorflow()
        return tf.image.resize(features, tf.shape(reference)[1:3], method="bilinear")

    def compute_output_shape(self, features_shape, reference_shape):
        return (features_shape[0], reference_shape[1], reference_shape[2], features_shape[-1])


def _conv_bn(x, filters, kernel, stride=1, name="", activation="relu6"):
    x = keras.layers.Conv2D(filters, kernel, strides=stride, padding="same", use_bias=False,
                            name=f"{name}_conv")(x)
    x = keras.layers.BatchNormalization(name=f"{name}_bn")(x)
    return keras.layers.Activation(activation, name=f"{name}_act")(x) if activation else x


def _inverted_residual(x, expansion, filters, stride, rate, name):
    """MobileNetV2의 역병목 블록: 1×1 확장 → 3×3 깊이별(비율) → 1×1 사영(선형), 가능하면 지름길."""
    in_channels = x.shape[-1]
    h = x
    if expansion != 1:
        h = _conv_bn(h, in_channels * expansion, 1, name=f"{name}_expand")
    h = keras.layers.DepthwiseConv2D(3, strides=stride, dilation_rate=rate, padding="same",
                                     use_bias=False, name=f"{name}_depthwise")(h)
    h = keras.layers.BatchNormalization(name=f"{name}_depthwise_bn")(h)
    h = keras.layers.Activation("relu6", name=f"{name}_depthwise_act")(h)
    h = _conv_bn(h, filters, 1, name=f"{name}_project", activation=None)
    if stride == 1 and in_channels == filters:
        h = keras.layers.Add(name=f"{name}_add")([x, h])
    return h


def mobilenetv2_backbone(inputs, alpha: float = 1.0, output_stride: int = 16):
    """MobileNetV2 백본. ``(저수준 특징(보폭 4), 고수준 특징(보폭 output_stride), 블록별 (보폭, 비율))``.

    Raises:
        DeepLabLessonsError: ``output_stride`` 가 8, 16, 32가 아니거나 ``alpha`` 가 양수가 아닐 때.
    """
    output_stride = check_choice("output_stride", output_stride, OUTPUT_STRIDES)
    if not isinstance(alpha, (int, float)) or isinstance(alpha, bool) or alpha <= 0:
        raise bad_argument("alpha", alpha, "0보다 큰 수여야 합니다",
                           "예: alpha=0.35 (작은 모델), 1.0 (원래 크기)")
    x = _conv_bn(inputs, make_divisible(32 * alpha), 3, stride=2, name="stem")
    current, rate, low_level, plan, block = 2, 1, None, [], 0
    for expansion, channels, repeats, first_stride in MOBILENETV2_STAGES:
        for i in range(repeats):
            stride = first_stride if i == 0 else 1
            layer_rate = rate
            if current * stride > output_stride:
                rate *= stride          # 보폭 대신 다음 블록들의 비율을 키웁니다.
                stride = 1
            else:
                current *= stride
            if current > LOW_LEVEL_STRIDE and low_level is None:
                low_level = x            # 보폭 4의 마지막 특징(v3+ 디코더용)
            x = _inverted_residual(x, expansion, make_divisible(channels * alpha), stride,
                                   layer_rate, name=f"block{block}")
            plan.append((stride, layer_rate))
            block += 1
    return low_level, x, plan


def deeplab(num_classes: int = 21, input_shape=(None, None, 3), output_stride: int = 16,
            alpha: float = 1.0, head: str = "aspp", image_pooling: bool = True,
            aspp_filters: int = 256, decoder: bool = False, name: str | None = None,
            bn_momentum: float = 0.99):
    """DeepLab 계열 모델 하나를 짓습니다. :func:`deeplab_v3` 와 :func:`deeplab_v3_plus` 가 이것을 부릅니다.

    Args:
        num_classes: 클래스 수.
        input_shape: ``(H, W, 3)``. ``None`` 이면 아무 크기나 받습니다(곱셈-덧셈을 셀 때는 정해야 함).
        output_stride: 8, 16, 32.
        alpha: MobileNetV2의 폭 배율(1.0 = 원래 크기).
        head: ``"aspp"`` (v3 ASPP, 비율은 출력 보폭에 맞춤), ``"lite"`` (1×1 + 이미지 수준 풀링),
            ``"none"`` (백본 특징에 바로 1×1 분류기).
        image_pooling: ASPP에 이미지 수준 풀링 가지를 둘지.
        aspp_filters: ASPP와 디코더의 채널 수(논문 256).
        decoder: v3+ 디코더를 붙일지.
        bn_momentum: 배치 정규화 이동 평균의 모멘텀. 몇 분짜리 짧은 학습에서는 0.9가 알맞습니다(0.99면 추론용
            통계가 학습을 늦게 따라옵니다).

    Returns:
        입력 ``(N, H, W, 3)`` (0–255를 −1–1로 옮긴 값) → 로짓 ``(N, H, W, num_classes)`` 인 ``keras.Model``.

    Raises:
        DeepLabLessonsError: 인자가 허용 범위 밖일 때.
    """
    num_classes = check_int("num_classes", num_classes)
    aspp_filters = check_int("aspp_filters", aspp_filters)
    check_choice("head", head, ("aspp", "lite", "none"))
    inputs = keras.Input(tuple(input_shape), name="image")
    low_level, features, _ = mobilenetv2_backbone(inputs, alpha, output_stride)
    if head != "none":
        rates = ()
        if head == "aspp":   # 출력 보폭 32(비교 실험용)에서는 16의 비율을 반으로 합니다.
            rates = aspp_rates(output_stride) if output_stride != 32 else tuple(
                r // 2 for r in aspp_rates(16))
        features = ASPPv3(aspp_filters, check_rates(rates, allow_empty=True), image_pooling,
                          name="aspp")(features)
    if decoder:
        features = _decoder(features, low_level, aspp_filters)
    logits = keras.layers.Conv2D(num_classes, 1, name="logits")(features)
    logits = ResizeLike(name="upsample")(logits, inputs)
    default = "deeplab_v3_plus" if decoder else "deeplab_v3"
    model = keras.Model(inputs, logits, name=name or default)
    for layer in _all_layers(model):
        if isinstance(layer, keras.layers.BatchNormalization):
            layer.momentum = bn_momentum
    return model


def _all_layers(layer):
    """중첩된 층(ASPP의 가지 등)까지 모두 돌려줍니다."""
    for child in getattr(layer, "layers", []) or []:
        yield child
        yield from _all_layers(child)
    for attribute in ("branches", "project", "projection"):
        value = getattr(layer, attribute, None)
        for child in value if isinstance(value, list) else [value] if value is not None else []:
            yield child
            yield from _all_layers(child)


def _decoder(features, low_level, filters):
    """v3+ 디코더: 저수준 1×1(48) + 키운 인코더 출력 → 3×3 분리 합성곱 두 번."""
    low = _conv_bn(low_level, 48, 1, name="decoder_low_level", activation="relu")
    up = ResizeLike(name="decoder_upsample")(features, low)
    x = keras.layers.Concatenate(name="decoder_concat")([up, low])
    for i in (1, 2):
        x = keras.layers.SeparableConv2D(filters, 3, padding="same", use_bias=False,
                                         name=f"decoder_sepconv{i}")(x)
        x = keras.layers.BatchNormalization(name=f"decoder_sepconv{i}_bn")(x)
        x = keras.layers.ReLU(name=f"decoder_sepconv{i}_relu")(x)
    return x


def deeplab_v3(num_classes: int = 21, input_shape=(None, None, 3), output_stride: int = 16,
               alpha: float = 1.0, **kwargs):
    """DeepLab v3: MobileNetV2 백본(아트러스) + ASPP + 쌍선형 업샘플링. 인자는 :func:`deeplab` 와 같습니다."""
    return deeplab(num_classes, input_shape, output_stride, alpha, decoder=False, **kwargs)


def deeplab_v3_plus(num_classes: int = 21, input_shape=(None, None, 3), output_stride: int = 16,
                    alpha: float = 1.0, **kwargs):
    """DeepLab v3+: v3 인코더 + 디코더(저수준 특징 48채널, 분리 합성곱 두 번, ×4 업샘플링)."""
    return deeplab(num_classes, input_shape, output_stride, alpha, decoder=True, **kwargs)


def resnet101_deeplab_v3(num_classes: int = 21, aspp_filters: int = 256, input_size: int = 65):
    """ResNet-101 백본(``keras.applications``, 가중치 없음) + v3 ASPP + 분류기. **매개변수를 세기 위한** 모델.

    보폭과 비율은 매개변수 수를 바꾸지 않으므로 원래 백본을 그대로 씁니다(출력 보폭 32). 추론이나 학습에는
    :func:`deeplab_v3` 를 쓰세요.
    """
    backbone = keras.applications.ResNet101(weights=None, include_top=False,
                                            input_shape=(input_size, input_size, 3))
    features = ASPPv3(aspp_filters, aspp_rates(16), name="aspp")(backbone.output)
    logits = keras.layers.Conv2D(check_int("num_classes", num_classes), 1, name="logits")(features)
    return keras.Model(backbone.input, logits, name="resnet101_deeplab_v3")


# ---------------------------------------------------------------- 연습문제

def check_feature_size(answer: int | None, input_size: int, output_stride: int) -> bool | None:
    """연습문제: ``input_size`` 입력의 마지막 특징 맵 한 변(same 패딩, 보폭 2를 거듭한 크기)."""
    from deeplab_lessons.atrous import output_size
    from deeplab_lessons.exercises import grade

    output_stride = check_choice("output_stride", output_stride, OUTPUT_STRIDES)
    expected = output_size(check_int("input_size", input_size), 1, output_stride)
    return grade(answer, expected, f"ceil({input_size} / {output_stride}) = {expected}")


def check_decoder_upsampling(answer: int | None, output_stride: int) -> bool | None:
    """연습문제: v3+ 디코더가 인코더 출력을 저수준 특징(보폭 4)에 맞추려고 키우는 배율."""
    from deeplab_lessons.exercises import grade

    output_stride = check_choice("output_stride", output_stride, OUTPUT_STRIDES)
    expected = output_stride // LOW_LEVEL_STRIDE
    return grade(answer, expected, f"{output_stride} / {LOW_LEVEL_STRIDE} = {expected}")


def check_decoder_params(answer: int | None, num_classes: int = 21, alpha: float = 1.0) -> bool | None:
    """연습문제: v3에 디코더를 붙이면 늘어나는 매개변수 수(``count_params()`` 기준)."""
    from deeplab_lessons.exercises import grade

    plus = deeplab_v3_plus(num_classes, alpha=alpha).count_params()
    plain = deeplab_v3(num_classes, alpha=alpha).count_params()
    return grade(answer, plus - plain,
                 f"{plus:,} − {plain:,} = {plus - plain:,} (1×1 48채널 + 분리 합성곱 두 번)")
