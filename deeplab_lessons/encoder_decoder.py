"""인코더-디코더 두 가지를 나란히: U-Net(모든 해상도의 건너뛰기 연결)과 DeepLab v3+의 디코더(보폭 4 하나).

- :func:`unet`: 작은 U-Net (Ronneberger et al. 2015). 단계마다 3×3 합성곱 두 번(강좌의
  :func:`deeplab_lessons.layers.conv_bn_relu`), 2×2 최대 풀링으로 줄이고, 2×2 보폭 2의 전치 합성곱으로
  키운 뒤 **같은 크기의 인코더 특징을 모두** 이어 붙입니다.
- DeepLab v3+는 :func:`deeplab_lessons.models.deeplab_v3_plus` 를 그대로 씁니다: 보폭 4의 저수준 특징
  **하나**를 1×1 합성곱으로 48채널로 줄여 이어 붙입니다.
- :func:`skip_sources`, :func:`macs`: 두 모델을 같은 잣대로 잽니다. ``macs`` 는 ASPP처럼 층을 속성으로
  가진 사용자 정의 층의 속과 전치 합성곱까지 셉니다.

강의 순서상 ``models`` 뒤에 있는 모듈입니다(``layers``, ``models``, ``counting`` 을 가져다 씁니다).
불러올 때 TensorFlow와 Keras를 (조용히) 불러옵니다.
"""

from __future__ import annotations

from dataclasses import dataclass

from deeplab_lessons._tf import load_keras, load_tensorflow
from deeplab_lessons.counting import count_macs
from deeplab_lessons.errors import DeepLabLessonsError, check_int
from deeplab_lessons.layers import conv_bn_relu

keras = load_keras()


@keras.saving.register_keras_serializable(package="deeplab_lessons")
class CropLike(keras.layers.Layer):
    """첫 입력의 높이·너비를 두 번째 입력에 맞춰 오른쪽·아래를 잘라냅니다(크기가 정해지지 않아도 동작).

    홀수 크기(예: 513 → 풀링 257 → 전치 합성곱 514)를 되돌릴 때 한 칸이 남습니다. 전치 합성곱은 길이
    257을 514로만 키울 수 있으므로(``upsampling.transposed_output_range``), U-Net은 잘라서 맞춥니다.
    """

    def call(self, features, reference):
        tf = load_tensorflow()
        shape = tf.shape(reference)
        return features[:, :shape[1], :shape[2], :]

    def compute_output_shape(self, features_shape, reference_shape):
        return (features_shape[0], reference_shape[1], reference_shape[2], features_shape[-1])


def _double_conv(x, filters: int, name: str):
    """3×3 합성곱·배치 정규화·ReLU 두 번(U-Net의 한 단계)."""
    x = conv_bn_relu(filters, 3, name=f"{name}_a")(x)
    return conv_bn_relu(filters, 3, name=f"{name}_b")(x)


def unet(num_classes: int = 21, input_shape=(None, None, 3), base: int = 16, depth: int = 4,
         name: str = "unet"):
    """작은 U-Net. 인코더 단계 ``d`` (보폭 ``2^d``)의 채널은 ``base·2^d``, 가장 깊은 곳은 보폭 ``2^depth``.

    Args:
        num_classes: 클래스 수.
        input_shape: ``(H, W, 3)``. ``None`` 이면 아무 크기나 받습니다(곱셈-덧셈을 셀 때는 정해야 함).
        base: 첫 단계의 채널 수(원 논문 64).
        depth: 풀링 횟수(원 논문 4).

    Returns:
        입력 ``(N, H, W, 3)`` → 로짓 ``(N, H, W, num_classes)`` 인 ``keras.Model``. 디코더의 층 이름은
        ``dec{d}_up``, ``dec{d}_crop``, ``dec{d}_concat``, ``dec{d}_a``, ``dec{d}_b`` 입니다(모두 ``dec`` 로 시작).

    Raises:
        DeepLabLessonsError: 인자가 1 이상의 정수가 아닐 때.
    """
    num_classes, base, depth = (check_int(n, v) for n, v in
                                (("num_classes", num_classes), ("base", base), ("depth", depth)))
    inputs = keras.Input(tuple(input_shape), name="image")
    x, skips = inputs, []
    for d in range(depth):
        x = _double_conv(x, base * 2 ** d, f"enc{d}")
        skips.append(x)
        x = keras.layers.MaxPool2D(2, padding="same", name=f"pool{d}")(x)
    x = _double_conv(x, base * 2 ** depth, "bottleneck")
    for d in reversed(range(depth)):
        x = keras.layers.Conv2DTranspose(base * 2 ** d, 2, strides=2, name=f"dec{d}_up")(x)
        x = CropLike(name=f"dec{d}_crop")(x, skips[d])
        x = keras.layers.Concatenate(name=f"dec{d}_concat")([skips[d], x])
        x = _double_conv(x, base * 2 ** d, f"dec{d}")
    logits = keras.layers.Conv2D(num_classes, 1, name="logits")(x)
    return keras.Model(inputs, logits, name=name)


# ---------------------------------------------------------------- 재기

@dataclass(frozen=True)
class SkipSource:
    """디코더가 이어 붙이는 인코더 특징 하나: 이어 붙이는 층, 보폭, 크기, 채널 수."""

    concat: str
    stride: int
    height: int
    width: int
    channels: int


def skip_sources(model) -> list[SkipSource]:
    """모델의 ``Concatenate`` 층마다, 디코더 쪽이 아닌(인코더에서 건너온) 입력의 보폭·크기·채널.

    건너온 특징은 층 이름으로 구별합니다: U-Net(``dec{d}_concat``)은 첫째 입력, v3+
    (``decoder_concat``)는 둘째 입력(1×1로 48채널로 줄인 저수준 특징)입니다.

    Raises:
        DeepLabLessonsError: 입력 크기가 정해지지 않은 모델일 때.
    """
    size = model.input_shape[1]
    if size is None:
        raise DeepLabLessonsError("skip_sources: 입력 크기가 정해진 모델이 필요합니다(받은 입력 모양: "
                                  f"{model.input_shape}). input_shape=(513, 513, 3)처럼 지으세요.")
    sources = []
    for layer in model.layers:
        if not isinstance(layer, keras.layers.Concatenate):
            continue
        shapes = [tuple(t.shape) for t in layer.input]
        _, h, w, c = shapes[1] if layer.name == "decoder_concat" else shapes[0]
        sources.append(SkipSource(layer.name, round(size / h), h, w, c))
    return sources


def macs(model) -> int:
    """모델 전체의 곱셈-덧셈 수(입력 크기가 정해진 모델).

    :func:`deeplab_lessons.counting.count_macs` 가 ASPP 가지의 속과 전치 합성곱까지 모두 셉니다.
    """
    return count_macs(model)


def largest_decoder_tensor(model, prefixes=("dec",)) -> tuple[str, tuple[int, ...], int]:
    """이름이 ``prefixes`` 로 시작하는 층(U-Net의 ``dec…``, v3+의 ``decoder_…``)의 출력 중 가장 큰 것:
    ``(층 이름, 모양, 원소 수)``."""
    best = ("", (), 0)
    for layer in model.layers:
        if layer.name.startswith(tuple(prefixes)):
            shape = tuple(layer.output.shape[1:])
            elements = 1
            for dim in shape:
                elements *= dim
            if elements > best[2]:
                best = (layer.name, shape, elements)
    return best
