"""DeepLab v2와 v3의 ASPP(아트러스 공간 피라미드 풀링)를 Keras 층으로.

- v2의 ASPP: 팽창률이 다른 가지들이 저마다 클래스 점수를 내고, 그 점수를 **더합니다**. 가지의 모양은
  백본에 따라 다릅니다(v2 논문 4절, 공개된 Caffe 설정).

  - VGG-16 버전(ASPP-L/ASPP-S): 가지마다 fc6(3×3, 팽창률 r, 1024채널) → fc7(1×1, 1024) → fc8(1×1, 클래스).
  - ResNet-101 버전: 가지마다 3×3 아트러스 합성곱 **하나**가 2048채널에서 바로 클래스 점수를 냅니다.

- v3의 ASPP: 1×1 가지 + 3×3 아트러스 가지 셋 + 이미지 수준 풀링 가지를 (각 256채널, 배치 정규화, ReLU)
  **이어 붙이고(concat)** 1×1로 투영합니다.

이 모듈은 불러올 때 TensorFlow와 Keras를 (조용히) 불러옵니다. 팽창률과 매개변수 수의 식은 TF 없이
:mod:`deeplab_lessons.aspp` 에 있고, 층 옆에서 읽히도록 여기서도 같은 이름으로 씁니다(``layers.aspp_rates`` 등).
"""

from __future__ import annotations

from deeplab_lessons._tf import load_keras
from deeplab_lessons.aspp import (  # noqa: F401 — 식은 aspp에 있고, 층 옆에서 읽히도록 같은 이름으로 씁니다.
    V2_RATES,
    V3_RATES,
    aspp_rates,
    aspp_v2_params,
    aspp_v3_params,
    check_rates,
    valid_weight_histogram,
)
from deeplab_lessons.errors import check_int

keras = load_keras()
ops = keras.ops

def conv_bn_relu(filters: int, kernel: int, rate: int = 1, name: str = "") -> keras.Sequential:
    """합성곱(편향 없음) → 배치 정규화 → ReLU. v3 ASPP의 가지 하나."""
    return keras.Sequential([
        keras.layers.Conv2D(filters, kernel, padding="same", dilation_rate=rate, use_bias=False,
                            name=f"{name}_conv"),
        keras.layers.BatchNormalization(name=f"{name}_bn"),
        keras.layers.ReLU(name=f"{name}_relu"),
    ], name=name)


@keras.saving.register_keras_serializable(package="deeplab_lessons")
class ASPPv2(keras.layers.Layer):
    """DeepLab v2의 ASPP: 팽창률마다 가지 하나, 가지들의 클래스 점수를 더함.

    Args:
        num_classes: 클래스 수(마지막 합성곱의 채널).
        rates: 가지들의 팽창률. ASPP-L ``(6, 12, 18, 24)``, ASPP-S ``(2, 4, 8, 12)``.
        filters: VGG-16 버전의 fc6·fc7 채널 수(논문 1024): 가지마다 fc6(3×3, 팽창률 r) → fc7(1×1)
            → fc8(1×1, 클래스). ``None`` 이면 ResNet-101 버전: 가지마다 3×3 아트러스 합성곱 하나가
            바로 클래스 점수를 냅니다.

    입력 ``(N, H, W, C)`` → 출력 ``(N, H, W, num_classes)``. 합성곱은 모두 편향이 있습니다.

    Raises:
        DeepLabLessonsError: 클래스 수·채널 수·팽창률이 1 이상의 정수가 아닐 때.
    """

    def __init__(self, num_classes: int = 21, rates=V2_RATES["L"], filters: int | None = 1024, **kwargs):
        super().__init__(**kwargs)
        self.num_classes = check_int("num_classes", num_classes)
        self.rates = check_rates(rates)
        self.filters = None if filters is None else check_int("filters", filters)
        self.branches = [self._branch(r) for r in self.rates]

    def _branch(self, rate: int) -> keras.Sequential:
        if self.filters is None:        # ResNet-101 판: 3×3 합성곱 하나가 곧 분류기
            convs = [keras.layers.Conv2D(self.num_classes, 3, padding="same", dilation_rate=rate,
                                         name=f"conv_r{rate}")]
        else:                           # VGG-16 판: fc6 → fc7 → fc8
            convs = [keras.layers.Conv2D(self.filters, 3, padding="same", dilation_rate=rate,
                                         activation="relu", name=f"fc6_r{rate}"),
                     keras.layers.Conv2D(self.filters, 1, activation="relu", name=f"fc7_r{rate}"),
                     keras.layers.Conv2D(self.num_classes, 1, name=f"fc8_r{rate}")]
        return keras.Sequential(convs, name=f"branch_r{rate}")

    def build(self, input_shape):
        for branch in self.branches:
            branch.build(input_shape)
        super().build(input_shape)

    def call(self, inputs):
        return ops.sum(ops.stack([branch(inputs) for branch in self.branches]), axis=0)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[:3]) + (self.num_classes,)

    def get_config(self):
        return {**super().get_config(), "num_classes": self.num_classes, "rates": self.rates,
                "filters": self.filters}


def aspp_v2_vgg16(num_classes: int = 21, rates=V2_RATES["L"]) -> ASPPv2:
    """v2 논문의 VGG-16 머리(ASPP-L 기본): 가지마다 fc6(3×3, 1024) → fc7(1×1, 1024) → fc8, 점수 합."""
    return ASPPv2(num_classes, rates, filters=1024, name="aspp_v2_vgg16")


def aspp_v2_resnet101(num_classes: int = 21, rates=V2_RATES["L"]) -> ASPPv2:
    """v2 논문의 ResNet-101 머리: 팽창률 6·12·18·24의 3×3 합성곱 네 개(2048 → 클래스), 점수 합."""
    return ASPPv2(num_classes, rates, filters=None, name="aspp_v2_resnet101")


@keras.saving.register_keras_serializable(package="deeplab_lessons")
class ImagePooling(keras.layers.Layer):
    """이미지 수준 풀링: 특징 맵 전체의 평균 → 1×1 합성곱·BN·ReLU → 원래 크기로 펼침.

    크기가 정해지지 않은 입력에도 동작합니다(평균은 ``keras.ops.mean``, 펼치기는 ``broadcast_to``).
    1×1 특징을 쌍선형으로 키우면 모든 칸이 같은 값이므로, 펼치기와 쌍선형 업샘플링은 같습니다.
    """

    def __init__(self, filters: int = 256, **kwargs):
        super().__init__(**kwargs)
        self.filters = check_int("filters", filters)
        self.project = conv_bn_relu(self.filters, 1, name="pool_project")

    def build(self, input_shape):
        self.project.build((input_shape[0], 1, 1, input_shape[-1]))
        super().build(input_shape)

    def call(self, inputs, training=None):
        pooled = ops.mean(inputs, axis=(1, 2), keepdims=True)
        pooled = self.project(pooled, training=training)
        shape = ops.shape(inputs)
        return ops.broadcast_to(pooled, (shape[0], shape[1], shape[2], self.filters))

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[:3]) + (self.filters,)

    def get_config(self):
        return {**super().get_config(), "filters": self.filters}


@keras.saving.register_keras_serializable(package="deeplab_lessons")
class ASPPv3(keras.layers.Layer):
    """DeepLab v3의 ASPP: 1×1 + 3×3(팽창률들) + 이미지 수준 풀링 → 이어 붙이기 → 1×1 투영.

    Args:
        filters: 가지마다의 채널 수(논문 256).
        rates: 3×3 가지의 팽창률. 기본은 출력 보폭 16의 ``(6, 12, 18)`` (:func:`aspp_rates`).
        image_pooling: 이미지 수준 풀링 가지를 둘지.

    입력 ``(N, H, W, C)`` → 출력 ``(N, H, W, filters)``.
    """

    def __init__(self, filters: int = 256, rates=V3_RATES[16], image_pooling: bool = True, **kwargs):
        super().__init__(**kwargs)
        self.filters = check_int("filters", filters)
        # 빈 팽창률 목록은 MobileNetV2 DeepLab의 가벼운 머리(1×1 + 이미지 수준 풀링, "ASPP-lite")입니다.
        self.rates = check_rates(rates, allow_empty=True)
        self.image_pooling = bool(image_pooling)
        self.branches = [conv_bn_relu(self.filters, 1, name="aspp0")]
        self.branches += [conv_bn_relu(self.filters, 3, r, name=f"aspp_r{r}") for r in self.rates]
        if self.image_pooling:
            self.branches.append(ImagePooling(self.filters, name="image_pooling"))
        self.projection = conv_bn_relu(self.filters, 1, name="concat_projection")

    def build(self, input_shape):
        for branch in self.branches:
            branch.build(input_shape)
        self.projection.build(tuple(input_shape[:3]) + (self.filters * len(self.branches),))
        super().build(input_shape)

    def call(self, inputs, training=None):
        features = [branch(inputs, training=training) for branch in self.branches]
        return self.projection(ops.concatenate(features, axis=-1), training=training)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[:3]) + (self.filters,)

    def get_config(self):
        return {**super().get_config(), "filters": self.filters, "rates": self.rates,
                "image_pooling": self.image_pooling}
