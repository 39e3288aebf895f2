"""분류기를 완전 합성곱 네트워크(fully convolutional network)로 바꾸기.

분류기의 완전 연결 층(``Dense``)은 "특징 맵 전체를 덮는 커널의 합성곱"과 같은 계산입니다. 가중치를
그대로 합성곱 커널로 옮기면 네트워크가 아무 크기의 입력을 받고, 영상 하나에 점수 하나 대신 **거친
점수 지도**를 냅니다(Long et al. 2015). 점수 지도의 한 칸은 원래 분류기를 입력의 한 창(window)에
적용한 결과이고, 창 사이의 간격이 네트워크의 전체 보폭(출력 보폭)입니다.

TensorFlow와 Keras는 함수를 부를 때 (조용히) 불러옵니다.
"""

from __future__ import annotations

import numpy as np

from deeplab_lessons._tf import load_keras
from deeplab_lessons.errors import DeepLabLessonsError, bad_argument, check_int

#: 작은 분류기의 합성곱 단계별 채널 수(단계마다 2×2, 보폭 2, ``valid``: 다섯 단계로 1/32).
TINY_WIDTHS = (8, 16, 32, 32, 64)


def tiny_classifier(input_size: int = 64, num_classes: int = 10, widths=TINY_WIDTHS, hidden: int = 64,
                    seed: int = 0):
    """작은 영상 분류기: ``2×2`` 보폭 2 합성곱 다섯 번(1/32) → 펼치기(Flatten) → ``Dense`` 두 번.

    모든 합성곱이 ``valid`` 이고 커널과 보폭이 같아(2×2, 보폭 2), 점수 지도의 한 칸이 원래 분류기를 입력의
    ``input_size×input_size`` 창 하나에 적용한 값과 **정확히** 같아집니다(0 덧대기가 섞이지 않음).

    Args:
        input_size: 분류기가 받는 정사각형 입력의 한 변(32의 배수).
        num_classes: 클래스 수.
        widths: 합성곱 단계별 채널 수.
        hidden: 첫 ``Dense`` 층의 단위 수.
        seed: 가중치 초기화 시드.

    Raises:
        DeepLabLessonsError: ``input_size`` 가 32의 배수가 아닐 때.
    """
    keras = load_keras()
    size = check_int("input_size", input_size)
    total_stride = 2 ** len(widths)
    if size % total_stride:
        raise bad_argument("input_size", size, f"{total_stride}의 배수여야 합니다",
                           f"예: input_size={2 * total_stride}")
    keras.utils.set_random_seed(check_int("seed", seed, minimum=0))
    layers = [keras.Input((size, size, 3), name="image")]
    for i, width in enumerate(widths):
        layers.append(keras.layers.Conv2D(check_int("widths의 원소", width), 2, strides=2, padding="valid",
                                          activation="relu", name=f"conv{i + 1}"))
    layers += [keras.layers.Flatten(name="flatten"),
               keras.layers.Dense(check_int("hidden", hidden), activation="relu", name="fc1"),
               keras.layers.Dense(check_int("num_classes", num_classes), name="fc2")]
    return keras.Sequential(layers, name="tiny_classifier")


def dense_as_conv_kernel(kernel, feature_shape) -> np.ndarray:
    """펼친 ``(h·w·c)`` 특징에 곱하던 ``Dense`` 가중치 ``(h·w·c, units)`` 를 ``(h, w, c, units)`` 합성곱 커널로.

    ``Flatten`` 은 ``(h, w, c)`` 를 행 우선(row-major)으로 펼치므로, 같은 순서로 모양만 바꾸면 됩니다.

    Raises:
        DeepLabLessonsError: 가중치의 입력 차원이 ``h·w·c`` 와 다를 때(특징 맵의 크기나 채널이 맞지 않음).
    """
    kernel = np.asarray(kernel)
    h, w, c = (check_int("feature_shape의 원소", d) for d in feature_shape)
    if kernel.ndim != 2 or kernel.shape[0] != h * w * c:
        raise bad_argument("Dense 가중치의 모양", kernel.shape,
                           f"(h·w·c, units) = ({h}·{w}·{c}, units) = ({h * w * c}, units)여야 합니다",
                           "특징 맵의 높이·너비·채널이 분류기를 만들 때와 같은지 확인하세요.")
    return kernel.reshape(h, w, c, kernel.shape[1])


def convolutionize(classifier):
    """합성곱 단계 + ``Flatten`` + ``Dense`` 들로 된 분류기를, 가중치를 그대로 옮긴 완전 합성곱 모델로 바꿉니다.

    - 합성곱 층: 같은 설정, 같은 가중치.
    - ``Flatten`` 바로 뒤의 ``Dense``: ``h×w`` 커널의 ``valid`` 합성곱(:func:`dense_as_conv_kernel`).
    - 그 뒤의 ``Dense``: 1×1 합성곱.

    Returns:
        입력 ``(N, H, W, 3)`` (아무 크기) → 점수 지도 ``(N, H', W', 클래스 수)`` 인 ``keras.Model``.

    Raises:
        DeepLabLessonsError: 분류기에 ``Flatten`` 이 없거나 지원하지 않는 층이 있을 때.
    """
    keras = load_keras()
    inputs = keras.Input((None, None, classifier.input_shape[-1]), name="image")
    x, flattened_shape = inputs, None
    for layer in classifier.layers:
        config = layer.get_config()
        if isinstance(layer, keras.layers.Conv2D):
            new = keras.layers.Conv2D.from_config(config)
            x = new(x)
            new.set_weights(layer.get_weights())
        elif isinstance(layer, keras.layers.Flatten):
            flattened_shape = tuple(layer.input.shape[1:])
        elif isinstance(layer, keras.layers.Dense) and flattened_shape is not None:
            kernel, bias = layer.get_weights()
            first = flattened_shape is not False
            size = flattened_shape[:2] if first else (1, 1)
            new = keras.layers.Conv2D(layer.units, size, activation=config["activation"], name=f"{layer.name}_conv")
            x = new(x)
            conv_kernel = dense_as_conv_kernel(kernel, flattened_shape) if first else kernel[None, None]
            new.set_weights([conv_kernel, bias])
            flattened_shape = False                      # 다음 Dense부터는 1×1 합성곱
        else:
            raise DeepLabLessonsError(
                f"convolutionize: {layer.name} ({type(layer).__name__}) 층은 옮길 수 없습니다. 합성곱 층, Flatten, "
                "그 뒤의 Dense 층으로 된 분류기를 주세요.")
    if flattened_shape is None:
        raise DeepLabLessonsError("convolutionize: 분류기에 Flatten 층이 없습니다(받은 층: "
                                  f"{[layer.name for layer in classifier.layers]}). 이미 완전 합성곱입니다.")
    return keras.Model(inputs, x, name=f"{classifier.name}_fully_convolutional")


def total_stride(model) -> int:
    """모델의 합성곱 층 보폭의 곱(= 점수 지도의 한 칸이 입력에서 건너뛰는 화소 수, 출력 보폭)."""
    keras = load_keras()
    stride = 1
    for layer in model.layers:
        if isinstance(layer, keras.layers.Conv2D):
            stride *= layer.strides[0]
    return stride
