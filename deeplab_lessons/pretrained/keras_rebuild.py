"""7강: 공식 TFLite DeepLab v3 (MobileNetV2)을 보통의 Keras 모델로 다시 짓습니다.

TFLite 파일의 연산을 순서대로 읽어 같은 연산의 Keras 층을 만들고(층 이름 = 원래 텐서 이름, ``/`` 대신 ``.``),
가중치는 파일의 버퍼에서 가져옵니다. 보폭·비율·패딩·활성화도 파일의 연산 옵션에서 읽으므로, 손으로 적은 구조는
없습니다. 두 곳만 크기에 상관없게 바꿉니다.

- 이미지 수준 풀링: 257 입력에서 33×33 평균 풀링(= 특징 맵 전체) → 어떤 크기에서도 전역 평균.
- 쌍선형 크기 조절(``align_corners=True``): 고정 크기 → 입력 영상이나 특징 맵의 실제 크기.

그래서 같은 가중치로 257이 아닌 513 입력(원래 데모의 크기)에서도 돌릴 수 있습니다.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from deeplab_lessons._tf import load_keras, load_tensorflow
from deeplab_lessons.errors import ModelFileError, bad_argument, check_int

# 이 모듈은 Keras 층을 정의하므로 불러올 때 TF를 (조용히) 불러옵니다. load_model이 필요할 때만 불러옵니다.
keras = load_keras()

#: 다시 지을 수 있는 연산(TFLite 내장 연산 이름).
SUPPORTED_OPS = ("CONV_2D", "DEPTHWISE_CONV_2D", "ADD", "AVERAGE_POOL_2D", "RESIZE_BILINEAR", "CONCATENATION")
EXPECTED = ("MobileNetV2 DeepLab v3 TFLite (입력 [1, S, S, 3] float32, 출력 [1, S, S, 클래스], 연산 "
            + ", ".join(SUPPORTED_OPS) + ")")
#: 가장 작은 입력 크기: 출력 보폭 8에서 특징 맵이 적어도 몇 칸은 되도록.
MIN_INPUT_SIZE = 33
_ACTIVATIONS = {0: None, 1: "relu", 3: "relu6"}


def _layer_name(tensor_name: str) -> str:
    return tensor_name.replace("/", ".").replace(":", "_")


class TFLiteGraph:
    """``tflite`` 패키지로 읽은 그래프: 연산 목록, 텐서 이름·모양, 상수 버퍼."""

    def __init__(self, path: Path):
        import tflite

        data = Path(path).read_bytes()
        try:
            self.model = tflite.Model.GetRootAsModel(data, 0)
            self.graph = self.model.Subgraphs(0)
            self.graph.OperatorsLength()
        except Exception as exc:  # flatbuffer가 아닌 파일
            raise ModelFileError(
                f"TFLite 파일을 읽을 수 없습니다: {Path(path).name} ({exc}). 기대한 것: {EXPECTED}") from None
        self._tflite = tflite
        self._opnames = {v: k for k, v in vars(tflite.BuiltinOperator).items() if not k.startswith("_")}

    def tensor_name(self, index: int) -> str:
        return self.graph.Tensors(index).Name().decode()

    def shape(self, index: int) -> tuple[int, ...]:
        return tuple(int(v) for v in self.graph.Tensors(index).ShapeAsNumpy())

    def constant(self, index: int) -> np.ndarray:
        """상수 텐서(가중치·편향·크기)의 값."""
        tensor = self.graph.Tensors(index)
        raw = self.model.Buffers(tensor.Buffer()).DataAsNumpy()
        dtype = {0: np.float32, 2: np.int32}[tensor.Type()]
        return np.frombuffer(raw.tobytes(), dtype=dtype).reshape(self.shape(index))

    def operators(self):
        """``(연산 이름, 입력 색인들, 출력 색인들, 옵션)`` 을 파일의 순서대로."""
        t = self._tflite
        option_types = {"CONV_2D": t.Conv2DOptions, "DEPTHWISE_CONV_2D": t.DepthwiseConv2DOptions,
                        "AVERAGE_POOL_2D": t.Pool2DOptions, "RESIZE_BILINEAR": t.ResizeBilinearOptions,
                        "CONCATENATION": t.ConcatenationOptions, "ADD": t.AddOptions}
        for i in range(self.graph.OperatorsLength()):
            op = self.graph.Operators(i)
            code = self.model.OperatorCodes(op.OpcodeIndex())
            name = self._opnames.get(max(code.BuiltinCode(), code.DeprecatedBuiltinCode()), "알 수 없음")
            options = None
            if name in option_types and op.BuiltinOptions() is not None:
                options = option_types[name]()
                table = op.BuiltinOptions()
                options.Init(table.Bytes, table.Pos)
            yield name, [j for j in op.InputsAsNumpy() if j >= 0], list(op.OutputsAsNumpy()), options


def read_layer_table(path) -> list[dict]:
    """합성곱 층마다 이름, 종류, 커널, 보폭, 비율, 입력→출력 채널, 누적 출력 보폭(파일의 옵션에서 읽음)."""
    graph = TFLiteGraph(path)
    rows, stride_of = [], {graph.graph.Inputs(0): 1}
    for name, inputs, outputs, options in graph.operators():
        current = max((stride_of.get(i, 1) for i in inputs), default=1)
        if name in ("CONV_2D", "DEPTHWISE_CONV_2D"):
            weights = graph.shape(inputs[1])
            stride = options.StrideH()
            current *= stride
            depthwise = name == "DEPTHWISE_CONV_2D"
            rows.append({"name": graph.tensor_name(outputs[0]).rsplit("/", 1)[0],
                         "kind": "깊이별" if depthwise else "합성곱", "kernel": weights[1], "stride": stride,
                         "rate": options.DilationHFactor(), "in": weights[3],
                         "out": weights[3] if depthwise else weights[0], "output_stride": current})
        stride_of[outputs[0]] = current
    return rows


def build_keras_model(path, input_size: int | None = None):
    """TFLite DeepLab 파일에서 Keras 모델을 짓습니다. 입력 ``(N, H, W, 3)`` (−1–1) → 로짓 ``(N, H, W, 클래스)``.

    Args:
        path: ``.tflite`` 파일.
        input_size: 입력 한 변(정하면 정사각형 입력으로 고정). ``None`` 이면 어떤 크기든 받습니다.

    Raises:
        ModelFileError: 이 구조(MobileNetV2 DeepLab v3)의 TFLite가 아닐 때.
        DeepLabLessonsError: ``input_size`` 가 33보다 작을 때.
    """
    if input_size is not None:
        input_size = check_int("input_size", input_size)
        if input_size < MIN_INPUT_SIZE:
            raise bad_argument("input_size", input_size, f"{MIN_INPUT_SIZE} 이상이어야 합니다(출력 보폭 8의 특징 맵)",
                               "예: input_size=513")
    graph = TFLiteGraph(path)
    native_in = graph.shape(graph.graph.Inputs(0))
    if len(native_in) != 4 or native_in[3] != 3 or native_in[1] != native_in[2]:
        raise ModelFileError(f"{Path(path).name}: 입력 모양 {native_in}. 기대한 것: {EXPECTED}")
    image = keras.Input((input_size, input_size, 3), name="image")
    tensors = {graph.graph.Inputs(0): image}
    pooled_input = None
    for name, inputs, outputs, options in graph.operators():
        if name not in SUPPORTED_OPS:
            raise ModelFileError(f"{Path(path).name}: 지원하지 않는 연산 {name}. 기대한 것: {EXPECTED}")
        out_name = _layer_name(graph.tensor_name(outputs[0]))
        x = tensors[inputs[0]]
        if name in ("CONV_2D", "DEPTHWISE_CONV_2D"):
            y = _conv(graph, name, inputs, options, out_name)(x)
        elif name == "ADD":
            y = keras.layers.Add(name=out_name)([x, tensors[inputs[1]]])
        elif name == "CONCATENATION":
            y = keras.layers.Concatenate(axis=-1, name=out_name)([tensors[i] for i in inputs])
        elif name == "AVERAGE_POOL_2D":
            if options.FilterHeight() != graph.shape(inputs[0])[1]:
                raise ModelFileError(f"{Path(path).name}: 평균 풀링이 특징 맵 전체가 아닙니다. 기대한 것: {EXPECTED}")
            pooled_input = x
            y = GlobalMean(name=out_name)(x)
        else:   # RESIZE_BILINEAR: 고정 크기 → 입력 영상 또는 특징 맵의 실제 크기
            size = tuple(graph.constant(inputs[1]))
            reference = image if size == native_in[1:3] else pooled_input
            if reference is None or not options.AlignCorners():
                raise ModelFileError(f"{Path(path).name}: 예상하지 못한 크기 조절. 기대한 것: {EXPECTED}")
            y = ResizeAligned(name=out_name)(x, reference)
        tensors[outputs[0]] = y
    return keras.Model(image, tensors[graph.graph.Outputs(0)], name="deeplabv3_mnv2_voc")


def _conv(graph, name, inputs, options, layer_name):
    """TFLite 합성곱 하나를 같은 가중치의 Keras 층으로(배치 정규화는 이미 편향에 접혀 있음)."""
    weights = graph.constant(inputs[1])
    bias = graph.constant(inputs[2]) if len(inputs) > 2 else None
    common = {"strides": options.StrideH(), "dilation_rate": options.DilationHFactor(),
              "padding": "same" if options.Padding() == 0 else "valid",
              "activation": _ACTIVATIONS[options.FusedActivationFunction()], "use_bias": bias is not None,
              "name": layer_name}
    if name == "CONV_2D":          # TFLite [출력, kh, kw, 입력] → Keras [kh, kw, 입력, 출력]
        layer = keras.layers.Conv2D(weights.shape[0], weights.shape[1:3], **common)
        kernel = weights.transpose(1, 2, 3, 0)
    else:                          # TFLite [1, kh, kw, 채널] → Keras [kh, kw, 채널, 1]
        layer = keras.layers.DepthwiseConv2D(weights.shape[1:3], depth_multiplier=1, **common)
        kernel = weights[0][..., None]
    layer.build((None, None, None, kernel.shape[2]))
    layer.set_weights([kernel] + ([bias] if bias is not None else []))
    return layer


@keras.saving.register_keras_serializable(package="deeplab_lessons")
class GlobalMean(keras.layers.Layer):
    """특징 맵 전체의 평균(크기를 유지하는 1×1). 원래 파일의 33×33 평균 풀링을 어떤 크기에서도 전역으로."""

    def call(self, x):
        return keras.ops.mean(x, axis=(1, 2), keepdims=True)

    def compute_output_shape(self, input_shape):
        return (input_shape[0], 1, 1, input_shape[3])


@keras.saving.register_keras_serializable(package="deeplab_lessons")
class ResizeAligned(keras.layers.Layer):
    """``align_corners=True`` 쌍선형 크기 조절을 기준 텐서의 높이·너비로(원래 그래프와 같은 정렬)."""

    def call(self, features, reference):
        tf = load_tensorflow()
        size = tf.shape(reference)[1:3]
        return tf.raw_ops.ResizeBilinear(images=features, size=size, align_corners=True, half_pixel_centers=False)

    def compute_output_shape(self, features_shape, reference_shape):
        return (features_shape[0], reference_shape[1], reference_shape[2], features_shape[3])
