"""추론 백엔드: 텐서만 압니다. 사용자가 준 파일을 열거나 출력하지 않습니다.

- :class:`TFLiteBackend`: ``.tflite`` 모델(LiteRT, 없으면 ``tf.lite.Interpreter``). 입력 ``S×S`` float32 (−1–1),
  출력 ``S×S×클래스`` 로짓.
- :class:`FrozenGraphBackend`: 공식 frozen graph. 입력 ``ImageTensor:0`` uint8 ``[1, H, W, 3]``,
  출력 ``SemanticPredictions:0`` int64 ``[1, H, W]`` (클래스 번호).

둘 다 ``predict(rgb)`` 하나로 부릅니다. ``rgb`` 는 긴 변이 ``input_size`` 인 ``(h, w, 3)`` uint8이고,
돌려주는 값은 ``(h, w, 클래스)`` 로짓이거나 ``(h, w)`` 클래스 번호입니다.
"""

from __future__ import annotations

import tarfile
import warnings
import zlib
from pathlib import Path

import numpy as np

from deeplab_lessons._tf import load_tensorflow, quiet_native_stderr
from deeplab_lessons.errors import ModelFileError, ModelFileUnreadableError, josa
from deeplab_lessons.image_io import padded_batch

FROZEN_GRAPH_NAME = "frozen_inference_graph"
INPUT_TENSOR_NAME = "ImageTensor:0"
OUTPUT_TENSOR_NAME = "SemanticPredictions:0"


def _interpreter_class():
    """LiteRT의 Interpreter. LiteRT 휠이 없는 환경에서는 TF에 들어 있는 ``tf.lite.Interpreter``."""
    try:
        from ai_edge_litert.interpreter import Interpreter
    except ImportError:
        tf = load_tensorflow()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")   # TF 2.20+의 "LiteRT로 옮기세요" 안내
            return tf.lite.Interpreter
    return Interpreter


class TFLiteBackend:
    """``.tflite`` DeepLab 모델. 전처리: RGB, float32, ``x / 127.5 − 1``, 오른쪽·아래를 0(= 127.5)으로 채워 ``S×S``."""

    kind = "tflite"
    #: 입력이 S×S로 고정된 모델: ``segment`` 는 TFLite Task Library 안드로이드 예제처럼
    #: 영상을 S×S로 늘려(가로세로 비 무시) 넣습니다. 미세 조정이 내보낸 파일은 ``square_input=False`` 로 열어
    #: 학습·Keras처럼 긴 변을 맞추고 채웁니다(``pretrained.files.pads_input``).
    square_input = True

    def __init__(self, path: Path, num_threads: int = 2, square_input: bool = True):
        path = Path(path)
        self.square_input = bool(square_input)
        try:
            with quiet_native_stderr():
                self.interpreter = _interpreter_class()(model_path=str(path), num_threads=num_threads)
                self.interpreter.allocate_tensors()
        except (ValueError, RuntimeError) as exc:
            raise ModelFileError(
                f"TFLite 모델을 열 수 없습니다: {path.name}. 파일이 손상되었거나 .tflite 형식이 아닙니다. "
                f"지우고 다시 내려받으세요. ({exc})") from None
        self._input = self.interpreter.get_input_details()[0]
        self._output = self.interpreter.get_output_details()[0]
        shape, out_shape = tuple(self._input["shape"]), tuple(self._output["shape"])
        if len(shape) != 4 or shape[0] != 1 or shape[1] != shape[2] or shape[3] != 3 \
                or self._input["dtype"] != np.float32 or len(out_shape) != 4 or out_shape[1:3] != shape[1:3]:
            raise ModelFileError(
                f"DeepLab 분할 모델이 아닙니다: {path.name} (입력 {shape} {self._input['dtype'].__name__}, "
                f"출력 {out_shape}). 입력 [1, S, S, 3] float32, 출력 [1, S, S, 클래스]인 모델이어야 합니다.")
        self.input_size = int(shape[1])
        self.num_classes = int(out_shape[3])
        if self.num_classes > 256:
            raise ModelFileError(
                f"클래스가 {self.num_classes}개인 모델입니다: {path.name}. 마스크를 uint8(0–255)로 만들므로 클래스가 "
                "256개 이하인 모델만 쓸 수 있습니다.")
        self._warmed_up = False

    def invoke(self, batch: np.ndarray) -> np.ndarray:
        """전처리된 ``[1, S, S, 3]`` float32를 그대로 넣고 ``[S, S, 클래스]`` 로짓을 돌려줍니다(벤치마크의 바닥값)."""
        self.interpreter.set_tensor(self._input["index"], batch)
        if self._warmed_up:
            self.interpreter.invoke()
        else:
            with quiet_native_stderr():          # 첫 실행의 XNNPACK 안내 문구를 숨깁니다.
                self.interpreter.invoke()
            self._warmed_up = True
        return self.interpreter.get_tensor(self._output["index"])[0]

    def predict(self, rgb: np.ndarray) -> np.ndarray:
        height, width = rgb.shape[:2]
        return self.invoke(padded_batch(rgb, self.input_size))[:height, :width]


class FrozenGraphBackend:
    """공식 frozen graph를 TF 2에서: ``tf.compat.v1.GraphDef`` + ``wrap_function(...).prune(...)`` (Session 없음)."""

    kind = "frozen_graph"
    square_input = False
    #: 출력이 클래스 번호뿐이라 그래프에서 클래스 수를 알 수 없습니다.
    num_classes = None

    def __init__(self, graph_bytes: bytes, input_size: int = 513, label: str = "frozen graph"):
        tf = load_tensorflow()
        graph_def = tf.compat.v1.GraphDef()
        try:
            graph_def.ParseFromString(graph_bytes)
        except Exception as exc:  # protobuf DecodeError
            raise ModelFileError(f"frozen graph를 읽을 수 없습니다({label}): 파일이 손상되었습니다. ({exc})") from None
        wrapped = tf.compat.v1.wrap_function(
            lambda: tf.compat.v1.import_graph_def(graph_def, name=""), [])
        try:
            feeds = wrapped.graph.as_graph_element(INPUT_TENSOR_NAME)
            fetches = wrapped.graph.as_graph_element(OUTPUT_TENSOR_NAME)
        except (KeyError, ValueError):
            raise ModelFileError(
                f"DeepLab frozen graph가 아닙니다({label}): {josa(INPUT_TENSOR_NAME, '와')} {OUTPUT_TENSOR_NAME} "
                f"텐서가 "
                "있어야 합니다.") from None
        self._run = wrapped.prune(feeds, fetches)
        self.input_size = int(input_size)

    def predict(self, rgb: np.ndarray) -> np.ndarray:
        return self._run(load_tensorflow().constant(rgb[None]))[0].numpy()


#: frozen graph로 읽는 가장 큰 크기(바이트, 1 GiB). protobuf는 2 GiB 넘는 메시지를 읽지 못하고, 가장 큰 공식 VOC
#: tarball(Xception)도 그래프와 체크포인트를 합쳐 압축한 크기가 439MB(모델 동물원)이며 가중치는 거의 압축되지
#: 않습니다. 이 크기 위는 압축 폭탄(작은 tar.gz가 풀면 수 GB)으로 보고 풀기 전에 거부합니다.
MAX_FROZEN_GRAPH_BYTES = 1 << 30
#: frozen graph를 찾으며 풀어 지나가도 되는 tarball 내용의 최대 크기(바이트, 4 GiB). 공식 tarball의 내용보다 넉넉히
#: 크고, 넘으면 풀기를 멈춥니다.
MAX_TARBALL_CONTENT_BYTES = 4 << 30


def read_frozen_graph(tarball: Path) -> bytes:
    """tarball 안의 ``frozen_inference_graph.pb`` 를 디스크에 풀지 않고 읽습니다.

    그래프는 :data:`MAX_FROZEN_GRAPH_BYTES` 까지만, 찾는 동안 지나가는 내용은 :data:`MAX_TARBALL_CONTENT_BYTES`
    까지만 풉니다(압축 폭탄이 메모리와 시간을 다 쓰지 않도록).

    Raises:
        ModelFileError: tarball이 손상되었거나, frozen graph가 없거나, 크기 한도를 넘을 때.
    """
    tarball = Path(tarball)
    try:
        with tarfile.open(tarball) as archive:
            names, member = [], None
            for entry in archive:
                names.append(entry.name)
                if entry.offset_data + entry.size > MAX_TARBALL_CONTENT_BYTES:
                    raise _too_big(tarball, entry.name, entry.offset_data + entry.size, MAX_TARBALL_CONTENT_BYTES)
                if Path(entry.name).name == FROZEN_GRAPH_NAME + ".pb" and entry.isfile():
                    member = entry
                    break
            if member is None:
                shown = ", ".join(names[:5]) + (" …" if len(names) > 5 else "")
                raise ModelFileError(
                    f"{tarball.name} 안에 {FROZEN_GRAPH_NAME}.pb 가 없습니다(들어 있는 것: {shown or '없음'}). "
                    "공식 DeepLab 모델 tarball인지 확인하세요.")
            if member.size > MAX_FROZEN_GRAPH_BYTES:
                raise _too_big(tarball, member.name, member.size, MAX_FROZEN_GRAPH_BYTES)
            return archive.extractfile(member).read(MAX_FROZEN_GRAPH_BYTES)
    except PermissionError:
        raise _unreadable(tarball) from None
    except (tarfile.TarError, EOFError, zlib.error, OSError) as exc:
        raise ModelFileError(
            f"모델 tarball을 읽을 수 없습니다: {tarball.name}. 파일이 손상되었거나 내려받다 끊겼습니다. 지우고 "
            f"다시 내려받으세요. ({type(exc).__name__})") from None


def _unreadable(path: Path) -> ModelFileUnreadableError:
    return ModelFileUnreadableError(
        f"모델 파일을 읽을 권한이 없습니다(permission denied): {Path(path).absolute()}. 파일이 손상된 것은 아닙니다. "
        "파일 권한을 확인하세요(예: chmod a+r).")


def _too_big(tarball: Path, name: str, size: int, limit: int) -> ModelFileError:
    return ModelFileError(
        f"모델 tarball을 풀지 않습니다: {tarball.name} 안의 {name} 까지 풀면 {size:,}바이트로 한도 {limit:,}바이트를 "
        "넘습니다(압축 폭탄이거나 DeepLab 모델이 아닙니다). 공식 주소에서 받은 tarball을 쓰세요.")


class KerasBackend:
    """Keras 분할 모델(입력 −1–1, 출력 로짓). 공식 frozen graph처럼 오른쪽·아래를 0(= 127.5)으로 채워 ``S×S`` 로 넣고
    잘라 냅니다. 입력 모양이 늘 ``[1, S, S, 3]`` 이므로 ``tf.function`` 은 한 번만 추적합니다."""

    kind = "keras"
    square_input = False

    def __init__(self, model, input_size: int):
        tf = load_tensorflow()
        self.model = model
        self.input_size = int(input_size)
        self.num_classes = int(model.output_shape[-1])
        signature = [tf.TensorSpec([1, self.input_size, self.input_size, 3], tf.float32)]
        self._call = tf.function(lambda x: model(x, training=False), input_signature=signature)
        # run()은 클래스 번호만 필요하므로 arg-max까지 그래프 안에서 합니다(로짓 22 MB를 꺼내지 않음).
        self._labels = tf.function(lambda x: tf.argmax(model(x, training=False), axis=-1),
                                   input_signature=signature)

    def _batch(self, rgb: np.ndarray) -> np.ndarray:
        return padded_batch(rgb, self.input_size)

    def predict(self, rgb: np.ndarray) -> np.ndarray:
        return self._call(self._batch(rgb)).numpy()[0, :rgb.shape[0], :rgb.shape[1]]

    def predict_labels(self, rgb: np.ndarray) -> np.ndarray:
        """``(h, w)`` int64 클래스 번호(그래프 안에서 arg-max)."""
        return self._labels(self._batch(rgb)).numpy()[0, :rgb.shape[0], :rgb.shape[1]]
