"""공식 TFLite DeepLab v3 (MobileNetV2 (폭 배율 0.5))을 보통의 Keras 모델로 다시 만듭니다.

TFLite 파일의 연산을 순서대로 읽어 같은 연산의 Keras 층을 만들고(층 이름 = 원래 텐서 이름, ``/`` 대신 ``.``),
가중치는 파일의 버퍼에서 가져옵니다. 보폭·팽창률·패딩·활성화도 파일의 연산 옵션에서 읽으므로, 손으로 적은 구조는
없습니다. 파일의 채널 폭은 MobileNetV2의 정확히 절반이라(:func:`depth_multiplier`) 이 파일은 폭 배율
(depth multiplier) 0.5인 모델입니다. 두 곳만 크기에 상관없게 바꿉니다.

- 이미지 수준 풀링: 257 입력에서 33×33 평균 풀링(= 특징 맵 전체) → 어떤 크기에서도 전역 평균.
- 쌍선형 크기 조절(``align_corners=True``): 고정 크기 → 입력 영상이나 특징 맵의 실제 크기.

그래서 같은 가중치로 257이 아닌 513 입력(원래 데모의 크기)에서도 돌릴 수 있습니다. 또 DeepLab이 평가할 때처럼
같은 가중치의 보폭과 팽창률만 바꿔 출력 보폭 16으로도 만들 수 있습니다(:func:`stride_plan`).

배치 정규화는 파일 안에서 이미 합성곱에 접혀 있습니다. 접는 계산은 :func:`fold_batch_norm` 입니다.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from deeplab_lessons import mobilenet
from deeplab_lessons._tf import load_keras, load_tensorflow
from deeplab_lessons.atrous import convert_strides_to_rates
from deeplab_lessons.batch_norm import fold_batch_norm
from deeplab_lessons.errors import ModelFileError, bad_argument, check_int, josa
from deeplab_lessons.mobilenet import MIN_INPUT_SIZE

# 이 모듈은 Keras 층을 정의하므로 불러올 때 TF를 (조용히) 불러옵니다. load_model이 필요할 때만 불러옵니다.
keras = load_keras()

#: 다시 지을 수 있는 연산(TFLite 내장 연산 이름).
SUPPORTED_OPS = ("CONV_2D", "DEPTHWISE_CONV_2D", "ADD", "AVERAGE_POOL_2D", "RESIZE_BILINEAR", "CONCATENATION")
EXPECTED = ("MobileNetV2 DeepLab v3 TFLite (입력 [1, S, S, 3] float32, 출력 [1, S, S, 클래스], 연산 "
            + ", ".join(SUPPORTED_OPS) + ")")
#: 다시 지을 수 있는 출력 보폭. 8은 파일 그대로, 16은 DeepLab이 평가하던 또 하나의 설정입니다.
OUTPUT_STRIDES = (8, 16)
#: MobileNetV2 (폭 배율 1.0)의 첫 합성곱과 병목 블록 17개의 출력 채널: :data:`deeplab_lessons.mobilenet.STAGES`
#: (논문 표 2)에서 펼칩니다. 테스트와 inside_pretrained 가 ``keras.applications.MobileNetV2`` 로 확인합니다.
MOBILENETV2_WIDTHS = (mobilenet.STEM_CHANNELS,) + tuple(c for _t, c, n, _s in mobilenet.STAGES for _ in range(n))
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


def read_layer_table(path, output_stride: int = 8) -> list[dict]:
    """합성곱 층마다 이름, 종류, 커널, 보폭, 팽창률(``rate``), 입력→출력 채널, 누적 출력 보폭.

    ``output_stride=8`` 이면 파일의 옵션 그대로, 16이면 :func:`stride_plan` 으로 바꾼 보폭·팽창률입니다.
    """
    graph = TFLiteGraph(path)
    plan = stride_plan(graph, output_stride)
    rows, stride_of = [], {graph.graph.Inputs(0): 1}
    for index, (name, inputs, outputs, _options) in enumerate(graph.operators()):
        current = max((stride_of.get(i, 1) for i in inputs), default=1)
        if name in ("CONV_2D", "DEPTHWISE_CONV_2D"):
            weights = graph.shape(inputs[1])
            stride, rate = plan[index]
            current *= stride
            depthwise = name == "DEPTHWISE_CONV_2D"
            rows.append({"name": graph.tensor_name(outputs[0]).rsplit("/", 1)[0],
                         "kind": "깊이별" if depthwise else "합성곱", "kernel": weights[1], "stride": stride,
                         "rate": rate, "in": weights[3],
                         "out": weights[3] if depthwise else weights[0], "output_stride": current})
        stride_of[outputs[0]] = current
    return rows


def stride_plan(graph: TFLiteGraph, output_stride: int = 8) -> dict[int, tuple[int, int]]:
    """합성곱 연산 번호 → 출력 보폭 ``output_stride`` 에서의 ``(보폭, 팽창률)``.

    DeepLab(slim MobileNetV2)의 규칙을 따릅니다. 먼저 파일(출력 보폭 8)에서 원래 MobileNetV2의 보폭을 되찾습니다:
    다음 3×3 층의 팽창률이 이 층의 팽창률보다 크면, 이 층의 보폭 2가 팽창률로 바뀐 것입니다. 그다음 3×3 층들에
    :func:`deeplab_lessons.atrous.convert_strides_to_rates` 의 ``convention="layer"`` 를 적용합니다(누적 보폭이
    ``output_stride`` 에 닿은 뒤의 보폭은 1로 두고, 뒤따르는 층의 팽창률에 곱함). 1×1 층은 팽창률 1 그대로. 8이면
    파일 그대로입니다.

    Raises:
        DeepLabLessonsError: ``output_stride`` 가 8이나 16이 아닐 때.
    """
    if output_stride not in OUTPUT_STRIDES:
        raise bad_argument("output_stride", output_stride, "8 또는 16이어야 합니다(이 파일의 머리는 ASPP 3×3 "
                           "가지가 없어 두 값 모두 같은 가중치로 돕니다)", "예: output_stride=16")
    convs = [(index, options.StrideH(), options.DilationHFactor(), graph.shape(inputs[1])[1])
             for index, (name, inputs, _outputs, options) in enumerate(graph.operators())
             if name in ("CONV_2D", "DEPTHWISE_CONV_2D")]
    spatial = [c for c in convs if c[3] > 1]
    nominal = {index: stride for index, stride, _rate, _kernel in convs}
    for (index, stride, rate, _k), (_n, _s, next_rate, _nk) in zip(spatial, spatial[1:], strict=False):
        nominal[index] = stride * (next_rate // rate)
    plan = {index: (nominal[index], 1) for index, _stride, _rate, kernel in convs if kernel == 1}
    # 3×3 층이 없는 파일(DeepLab이 아닌 모델)은 계획이 필요 없습니다: 짓는 단계가 한국어 오류로 알립니다.
    layer_plan = convert_strides_to_rates([nominal[c[0]] for c in spatial], output_stride,
                                          convention="layer") if spatial else []
    plan.update({c[0]: step for c, step in zip(spatial, layer_plan, strict=True)})
    return dict(sorted(plan.items()))


def channel_widths(path) -> list[int]:
    """첫 합성곱과 병목 블록마다(사영 합성곱)의 출력 채널 수, 파일에서 읽은 것(블록 순서대로 18개)."""
    rows = read_layer_table(path)
    first = rows[0]["out"]
    return [first] + [row["out"] for row in rows
                      if row["name"].startswith("MobilenetV2/expanded_conv") and "/project" in row["name"]]


def depth_multiplier(path, reference=MOBILENETV2_WIDTHS) -> float:
    """파일의 채널 폭 ÷ MobileNetV2 (폭 배율 1.0)의 채널 폭. 모든 층에서 같은 값일 때만 그 값을 돌려줍니다.

    Raises:
        ModelFileError: 층마다 비가 다르거나 층 수가 다를 때(MobileNetV2가 아닌 파일).
    """
    widths = channel_widths(path)
    ratios = {width / ref for width, ref in zip(widths, reference, strict=False)}
    if len(widths) != len(reference) or len(ratios) != 1:
        raise ModelFileError(f"{Path(path).name}: 채널 폭 {josa(widths, '가')} MobileNetV2 {list(reference)} 의 한 "
                             f"배수가 "
                             f"아닙니다. 기대한 것: {EXPECTED}")
    return ratios.pop()


def fold_keras_batch_norm(conv, batch_norm) -> tuple[np.ndarray, np.ndarray]:
    """만든 Keras ``Conv2D``/``DepthwiseConv2D`` 와 그 뒤의 ``BatchNormalization`` 을 :func:`fold_batch_norm` 으로."""
    weights = conv.get_weights()
    gamma, beta, mean, variance = batch_norm.get_weights()
    return fold_batch_norm(weights[0], weights[1] if len(weights) > 1 else None, gamma, beta, mean, variance,
                           batch_norm.epsilon)


def build_keras_model(path, input_size: int | None = None, output_stride: int = 8):
    """TFLite DeepLab 파일에서 Keras 모델을 만듭니다. 입력 ``(N, H, W, 3)`` (−1–1) → 로짓 ``(N, H, W, 클래스)``.

    Args:
        path: ``.tflite`` 파일.
        input_size: 입력 한 변(정하면 정사각형 입력으로 고정). ``None`` 이면 어떤 크기든 받습니다.
        output_stride: 8(파일 그대로) 또는 16(같은 가중치, 보폭·팽창률만 :func:`stride_plan` 대로).

    Raises:
        ModelFileError: 이 구조(MobileNetV2 DeepLab v3)의 TFLite가 아닐 때.
        DeepLabLessonsError: ``input_size`` 가 33보다 작거나 ``output_stride`` 가 8·16이 아닐 때.
    """
    if input_size is not None:
        input_size = check_int("input_size", input_size)
        if input_size < MIN_INPUT_SIZE:
            raise bad_argument("input_size", input_size, f"{MIN_INPUT_SIZE} 이상이어야 합니다(출력 보폭 8의 특징 맵)",
                               "예: input_size=513")
    graph = TFLiteGraph(path)
    plan = stride_plan(graph, output_stride)
    native_in = graph.shape(graph.graph.Inputs(0))
    if len(native_in) != 4 or native_in[3] != 3 or native_in[1] != native_in[2]:
        raise ModelFileError(f"{Path(path).name}: 입력 모양 {native_in}. 기대한 것: {EXPECTED}")
    image = keras.Input((input_size, input_size, 3), name="image")
    tensors = {graph.graph.Inputs(0): image}
    pooled_input = None
    for index, (name, inputs, outputs, options) in enumerate(graph.operators()):
        if name not in SUPPORTED_OPS:
            raise ModelFileError(f"{Path(path).name}: 지원하지 않는 연산 {name}. 기대한 것: {EXPECTED}")
        out_name = _layer_name(graph.tensor_name(outputs[0]))
        x = tensors[inputs[0]]
        if name in ("CONV_2D", "DEPTHWISE_CONV_2D"):
            y = _conv(graph, name, inputs, options, out_name, *plan[index])(x)
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
    suffix = "" if output_stride == 8 else f"_os{output_stride}"
    return keras.Model(image, tensors[graph.graph.Outputs(0)], name="deeplabv3_mnv2_dm05_voc" + suffix)


def _conv(graph, name, inputs, options, layer_name, stride, rate):
    """TFLite 합성곱 하나를 같은 가중치의 Keras 층으로(배치 정규화는 이미 편향에 접혀 있음)."""
    weights = graph.constant(inputs[1])
    bias = graph.constant(inputs[2]) if len(inputs) > 2 else None
    common = {"strides": stride, "dilation_rate": rate,
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
