"""DeepLab v3와 v3+ 전체 모델을 Keras로.

- 백본(backbone): MobileNetV2 (Sandler et al. 2018, :mod:`deeplab_lessons.mobilenet`). 폭 배율 ``alpha``
  가 1.0이면 원래 크기(공식 ``keras.applications.MobileNetV2`` 와 같은 층과 매개변수, 마지막 1280채널 1×1 층은
  DeepLab처럼 뺌), 0.35처럼 작게 하면 CPU에서 몇 초 만에 돌고 몇 분 만에 학습되는 모델이 됩니다.
- 출력 보폭(output stride) 8·16·32: 누적 보폭이 넘치는 블록의 보폭을 1로 바꾸고, 그 뒤 깊이별 합성곱의
  팽창률(rate)을 키웁니다. 바뀐 블록 자신은 이전 팽창률을 씁니다(공식 구현의 규칙).
- 머리(head): v3의 ASPP, 3×3 가지 없는 가벼운 머리(1×1 + 이미지 수준 풀링), 또는 없음(1×1 분류기만).
- v3+ 디코더: 보폭 4의 저수준 특징을 1×1로 48채널로 줄여, 4배로 키운 인코더 출력과 이어 붙이고,
  3×3 분리 합성곱(깊이별 뒤에도 BN·ReLU) 두 번 → 분류기 → 4배 업샘플링.
- 매개변수를 세기 위한 ResNet-101: ``keras.applications`` 버전(7×7 첫 합성곱, 합성곱에 편향)과 DeepLab의
  ``resnet_v1_101_beta`` (첫 7×7을 3×3 세 개 64·64·128로 바꿈, 합성곱에 편향 없음).
"""

from __future__ import annotations

from deeplab_lessons import mobilenet
from deeplab_lessons._tf import load_keras, load_tensorflow
from deeplab_lessons.aspp import DECODER_LOW_LEVEL_FILTERS  # noqa: F401 — 모델 옆에서도 같은 이름으로 읽힘
from deeplab_lessons.counting import (  # noqa: F401 — 매개변수 식은 counting에 있고, 모델 옆에서도 같은 이름으로 씁니다.
    RESNET101_BLOCKS,
    leaf_layers,
    resnet101_params,
)
from deeplab_lessons.errors import check_choice, check_int
from deeplab_lessons.layers import V3_RATES, ASPPv3, aspp_rates, check_rates

keras = load_keras()

OUTPUT_STRIDES = mobilenet.OUTPUT_STRIDES
#: MobileNetV2의 블록 설정: (확장 배율 t, 출력 채널 c, 반복 n, 첫 보폭 s). :mod:`mobilenet` 에 있습니다.
MOBILENETV2_STAGES = mobilenet.STAGES
#: v3+ 디코더가 쓰는 저수준 특징의 보폭.
LOW_LEVEL_STRIDE = mobilenet.LOW_LEVEL_STRIDE
make_divisible = mobilenet.make_divisible


@keras.saving.register_keras_serializable(package="deeplab_lessons")
class ResizeLike(keras.layers.Layer):
    """첫 입력을 두 번째 입력의 높이·너비로 쌍선형 크기 조절합니다(크기가 정해지지 않아도 동작)."""

    def call(self, features, reference):
        tf = load_tensorflow()
        return tf.image.resize(features, tf.shape(reference)[1:3], method="bilinear")

    def compute_output_shape(self, features_shape, reference_shape):
        return (features_shape[0], reference_shape[1], reference_shape[2], features_shape[-1])


def mobilenetv2_backbone(inputs, alpha: float = 1.0, output_stride: int = 16, rounding: str = "keras",
                         max_repeats: int | None = None):
    """MobileNetV2 백본(:func:`deeplab_lessons.mobilenet.backbone`).
    ``(저수준 특징(보폭 4), 고수준 특징(보폭 output_stride), 블록별 (보폭, 팽창률))``.

    Raises:
        DeepLabLessonsError: ``output_stride`` 가 8, 16, 32가 아니거나 ``alpha`` 가 양수가 아니거나
            ``rounding`` 이 ``"keras"``/``"deeplab"`` 이 아닐 때.
    """
    return mobilenet.backbone(inputs, alpha, output_stride, rounding, max_repeats)


def deeplab(num_classes: int = 21, input_shape=(None, None, 3), output_stride: int = 16,
            alpha: float = 1.0, head: str = "aspp", image_pooling: bool = True,
            aspp_filters: int = 256, decoder: bool = False, name: str | None = None,
            bn_momentum: float = 0.99, rounding: str = "keras", aspp_rates: tuple[int, ...] | None = None,
            max_repeats: int | None = None):
    """DeepLab 계열 모델 하나를 만듭니다. :func:`deeplab_v3` 와 :func:`deeplab_v3_plus` 가 이것을 부릅니다.

    Args:
        num_classes: 클래스 수.
        input_shape: ``(H, W, 3)``. ``None`` 이면 아무 크기나 받습니다(곱셈-덧셈을 셀 때는 정해야 함).
        output_stride: 8, 16, 32.
        alpha: MobileNetV2의 폭 배율(1.0 = 원래 크기).
        head: ``"aspp"`` (v3 ASPP, 팽창률은 출력 보폭에 맞춤), ``"lite"`` (1×1 + 이미지 수준 풀링),
            ``"none"`` (백본 특징에 바로 1×1 분류기).
        image_pooling: ASPP에 이미지 수준 풀링 가지를 둘지.
        aspp_filters: ASPP와 디코더의 채널 수(논문 256).
        decoder: v3+ 디코더를 붙일지.
        bn_momentum: 배치 정규화 이동 평균의 모멘텀. 몇 분짜리 짧은 학습에서는 0.9가 알맞습니다(0.99면 추론용
            통계가 학습을 늦게 따라옵니다).
        rounding: 폭 배율의 채널 반올림 규칙. ``"keras"`` (``keras.applications`` 와 같음) 또는 ``"deeplab"``
            (공식 DeepLab 체크포인트와 같음, :mod:`deeplab_lessons.mobilenet`).
        max_repeats: 백본의 단계마다 둘 블록 수의 상한(``None`` = MobileNetV2 그대로 17개, 1 = 7개의 얕은 버전).
        aspp_rates: ASPP 3×3 가지들의 팽창률. ``None`` 이면 논문 값(출력 보폭 16: 6·12·18, 8: 12·24·36,
            32: 16의 절반). 작은 영상에서는 특징 맵에 맞게 줄입니다(팽창률이 특징 맵만큼 크면 3×3이 1×1이 됨).

    Returns:
        입력 ``(N, H, W, 3)`` (0–255를 −1–1로 옮긴 값) → 로짓 ``(N, H, W, num_classes)`` 인 ``keras.Model``.

    Raises:
        DeepLabLessonsError: 인자가 허용 범위 밖일 때.
    """
    num_classes = check_int("num_classes", num_classes)
    aspp_filters = check_int("aspp_filters", aspp_filters)
    check_choice("head", head, ("aspp", "lite", "none"))
    inputs = keras.Input(tuple(input_shape), name="image")
    low_level, features, _ = mobilenetv2_backbone(inputs, alpha, output_stride, rounding, max_repeats)
    if head != "none":
        rates = ()
        if head == "aspp" and aspp_rates is not None:
            rates = tuple(aspp_rates)
        elif head == "aspp":   # 출력 보폭 32(비교 실험용)에서는 16의 팽창률을 반으로 합니다.
            rates = V3_RATES.get(output_stride, tuple(r // 2 for r in V3_RATES[16]))
        features = ASPPv3(aspp_filters, check_rates(rates, allow_empty=True), image_pooling,
                          name="aspp")(features)
    if decoder:
        features = v3_plus_decoder(features, low_level, aspp_filters)
    logits = keras.layers.Conv2D(num_classes, 1, name="logits")(features)
    logits = ResizeLike(name="upsample")(logits, inputs)
    default = "deeplab_v3_plus" if decoder else "deeplab_v3"
    model = keras.Model(inputs, logits, name=name or default)
    for layer in leaf_layers(model):
        if isinstance(layer, keras.layers.BatchNormalization):
            layer.momentum = bn_momentum
    return model


def separable_conv_bn_relu(x, filters, rate=1, name="sepconv"):
    """DeepLab 디코더(와 v3+ Xception)의 3×3 분리 합성곱: 깊이별 3×3(팽창률) → BN → ReLU → 점별 1×1 → BN → ReLU.

    Keras의 ``SeparableConv2D`` 는 깊이별과 점별 사이에 아무것도 두지 않지만, DeepLab의
    ``split_separable_conv2d`` (research/deeplab/core/utils.py)는 둘로 나눠 깊이별 단계 뒤에도 BN과 ReLU를
    둡니다(v3+ 논문 3.2절: Xception의 깊이별 3×3 뒤에 BN과 ReLU를 더함). 층 이름: ``{name}_depthwise``,
    ``{name}_depthwise_bn``, ``{name}_depthwise_relu``, ``{name}_pointwise``, ``{name}_pointwise_bn``,
    ``{name}_pointwise_relu``.
    """
    x = keras.layers.DepthwiseConv2D(3, padding="same", dilation_rate=rate, use_bias=False,
                                     name=f"{name}_depthwise")(x)
    x = keras.layers.BatchNormalization(name=f"{name}_depthwise_bn")(x)
    x = keras.layers.ReLU(name=f"{name}_depthwise_relu")(x)
    x = keras.layers.Conv2D(filters, 1, use_bias=False, name=f"{name}_pointwise")(x)
    x = keras.layers.BatchNormalization(name=f"{name}_pointwise_bn")(x)
    return keras.layers.ReLU(name=f"{name}_pointwise_relu")(x)


def v3_plus_decoder(features, low_level, filters, resize=None):
    """v3+ 디코더: 저수준 1×1(48) + 키운 인코더 출력 → 3×3 분리 합성곱(깊이별 뒤에도 BN·ReLU) 두 번.

    ``resize`` 는 인코더 출력을 저수준 특징의 크기로 키우는 층 클래스(기본 :class:`ResizeLike`; 사전 학습 가중치를
    미세 조정할 때는 원래 그래프와 같은 ``align_corners=True`` 의 층을 줍니다).
    """
    low = mobilenet.conv_bn(low_level, DECODER_LOW_LEVEL_FILTERS, 1, name="decoder_low_level", activation="relu")
    up = (resize or ResizeLike)(name="decoder_upsample")(features, low)
    x = keras.layers.Concatenate(name="decoder_concat")([up, low])
    for i in (1, 2):
        x = separable_conv_bn_relu(x, filters, name=f"decoder_sepconv{i}")
    return x


def deeplab_v3(num_classes: int = 21, input_shape=(None, None, 3), output_stride: int = 16,
               alpha: float = 1.0, **kwargs):
    """DeepLab v3: MobileNetV2 백본(아트러스) + ASPP + 쌍선형 업샘플링. 인자는 :func:`deeplab` 와 같습니다."""
    return deeplab(num_classes, input_shape, output_stride, alpha, decoder=False, **kwargs)


def deeplab_v3_plus(num_classes: int = 21, input_shape=(None, None, 3), output_stride: int = 16,
                    alpha: float = 1.0, **kwargs):
    """DeepLab v3+: v3 인코더 + 디코더(저수준 특징 48채널, 분리 합성곱 두 번, ×4 업샘플링)."""
    return deeplab(num_classes, input_shape, output_stride, alpha, decoder=True, **kwargs)


RESNET_STEMS = ("keras", "original", "beta")


def _resnet_stem(x, stem):
    """ResNet의 첫 부분(보폭 2 합성곱 + 3×3 최대 풀링 보폭 2). ``beta`` 는 3×3 세 개(64, 64, 128)."""
    if stem == "beta":
        for i, (filters, stride) in enumerate(((64, 2), (64, 1), (128, 1)), start=1):
            x = mobilenet.conv_bn(x, filters, 3, stride=stride, name=f"conv1_{i}", activation="relu")
    else:
        x = mobilenet.conv_bn(x, 64, 7, stride=2, name="conv1", activation="relu")
    return keras.layers.MaxPooling2D(3, strides=2, padding="same", name="pool1")(x)


def _bottleneck(x, base, stride, name):
    """ResNet v1 병목 단위: 1×1(base) → 3×3(base, 보폭) → 1×1(4·base), 채널이 다르면 1×1 투영 지름길."""
    depth = 4 * base
    shortcut = x
    if x.shape[-1] != depth:
        shortcut = mobilenet.conv_bn(x, depth, 1, stride=stride, name=f"{name}_shortcut", activation=None)
    h = mobilenet.conv_bn(x, base, 1, name=f"{name}_conv1", activation="relu")
    h = mobilenet.conv_bn(h, base, 3, stride=stride, name=f"{name}_conv2", activation="relu")
    h = mobilenet.conv_bn(h, depth, 1, name=f"{name}_conv3", activation=None)
    return keras.layers.ReLU(name=f"{name}_out")(keras.layers.Add(name=f"{name}_add")([shortcut, h]))


def resnet101_backbone(inputs, stem: str = "beta"):
    """편향 없는 합성곱 + BN의 ResNet-101 v1 (TF-slim/DeepLab 방식). ``stem`` 은 ``"original"`` (7×7 하나)
    또는 ``"beta"`` (3×3 세 개: 64, 64, 128 — DeepLab의 ``resnet_v1_101_beta``). 출력 보폭 32."""
    check_choice("stem", stem, ("original", "beta"))
    x = _resnet_stem(inputs, stem)
    for index, (base, units) in enumerate(RESNET101_BLOCKS, start=1):
        for unit in range(units):
            stride = 2 if unit == 0 and index > 1 else 1
            x = _bottleneck(x, base, stride, name=f"block{index}_unit{unit + 1}")
    return x


def resnet101_deeplab_v3(num_classes: int = 21, aspp_filters: int = 256, input_size: int = 65,
                         stem: str = "beta"):
    """ResNet-101 백본 + v3 ASPP + 분류기. **매개변수를 세기 위한** 모델(출력 보폭 32 그대로).

    보폭과 팽창률은 매개변수 수를 바꾸지 않으므로 출력 보폭은 조정하지 않습니다. 추론이나 학습에는
    :func:`deeplab_v3` 를 쓰세요.

    Args:
        stem: ``"beta"`` (DeepLab의 ``resnet_v1_101_beta``, 편향 없음), ``"original"`` (7×7, 편향 없음),
            ``"keras"`` (``keras.applications.ResNet101``, 7×7, 합성곱에 편향 있음).

    Raises:
        DeepLabLessonsError: ``stem`` 이 셋 중 하나가 아닐 때.
    """
    check_choice("stem", stem, RESNET_STEMS)
    shape = (check_int("input_size", input_size), input_size, 3)
    if stem == "keras":
        backbone = keras.applications.ResNet101(weights=None, include_top=False, input_shape=shape)
        inputs, features = backbone.input, backbone.output
    else:
        inputs = keras.Input(shape, name="image")
        features = resnet101_backbone(inputs, stem)
    features = ASPPv3(aspp_filters, aspp_rates(16), name="aspp")(features)
    logits = keras.layers.Conv2D(check_int("num_classes", num_classes), 1, name="logits")(features)
    return keras.Model(inputs, logits, name=f"resnet101_{stem}_deeplab_v3")
