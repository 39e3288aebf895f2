"""Keras 분할 모델을 공식 배치의 frozen graph tarball로 내보냅니다.

tarball 안: ``<이름>/frozen_inference_graph.pb``. 그래프는 ``ImageTensor:0`` (uint8 ``[1, H, W, 3]``)을 받아
안에서 ``x / 127.5 − 1`` 로 바꾸고, 로짓의 arg-max를 ``SemanticPredictions:0`` (int64 ``[1, H, W]``)로 냅니다.
파일은 임시 파일에 다 쓴 뒤에만 제자리로 옮기므로(:func:`~deeplab_lessons.safe_files.write_files`, 권한은 umask를
따름), 실패하면 아무것도 남지 않습니다.
"""

from __future__ import annotations

import contextlib
import io
import tarfile
from pathlib import Path

from deeplab_lessons._tf import load_tensorflow, quiet_native_stderr
from deeplab_lessons.image_io import normalize
from deeplab_lessons.pretrained.backends import FROZEN_GRAPH_NAME
from deeplab_lessons.safe_files import write_files


def frozen_graph_bytes(model, pad_to: int | None = None) -> bytes:
    """``model`` (입력 −1–1 float, 출력 로짓)을 감싼 frozen graph의 직렬화된 바이트.

    ``pad_to`` 를 주면 공식 그래프처럼 그래프 안에서 영상의 오른쪽·아래를 평균값(127.5, 정규화하면 0)으로 채워
    ``pad_to × pad_to`` 로 만들고, 결과를 원래 크기로 잘라 냅니다(긴 변은 ``pad_to`` 이하여야 함).
    """
    tf = load_tensorflow()
    from tensorflow.python.framework.convert_to_constants import convert_variables_to_constants_v2

    @tf.function(input_signature=[tf.TensorSpec([1, None, None, 3], tf.uint8, name="ImageTensor")])
    def serve(image):
        x = normalize(tf.cast(image, tf.float32))
        height, width = tf.shape(x)[1], tf.shape(x)[2]
        if pad_to is not None:
            x = tf.pad(x, [[0, 0], [0, pad_to - height], [0, pad_to - width], [0, 0]])
        logits = model(x, training=False)[:, :height, :width]
        return tf.identity(tf.argmax(logits, axis=-1), name="SemanticPredictions")

    frozen = convert_variables_to_constants_v2(serve.get_concrete_function())
    return frozen.graph.as_graph_def().SerializeToString()


def export_frozen_graph_tarball(model, path, folder: str | None = None, pad_to: int | None = None) -> Path:
    """``model`` 을 공식 배치의 ``.tar.gz`` 로 저장하고 경로를 돌려줍니다(``pad_to``: :func:`frozen_graph_bytes`)."""
    path = Path(path)
    folder = folder or path.name.split(".")[0]
    data = frozen_graph_bytes(model, pad_to)
    def write(temp: str) -> None:
        with tarfile.open(temp, "w:gz") as archive:
            info = tarfile.TarInfo(f"{folder}/{FROZEN_GRAPH_NAME}.pb")
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))

    write_files({path: write})
    return path


def export_tflite(model, path) -> Path:
    """입력 크기가 정해진 Keras 모델(입력 −1–1, 출력 로짓)을 ``.tflite`` 로 저장합니다(float32, 임시 파일 후 옮김).

    저장한 파일은 :func:`deeplab_lessons.pretrained.load_model` 로 공식 TFLite 모델과 똑같이 불러옵니다.
    """
    tf = load_tensorflow()
    path = Path(path)
    # 변환기는 C++ 진행 메시지(표준 오류)와 임시 폴더 경로가 든 안내(print)를 냅니다. 둘 다 숨깁니다.
    with quiet_native_stderr(), contextlib.redirect_stdout(io.StringIO()):
        data = tf.lite.TFLiteConverter.from_keras_model(model).convert()
    write_files({path: lambda temp: Path(temp).write_bytes(data)})
    return path
