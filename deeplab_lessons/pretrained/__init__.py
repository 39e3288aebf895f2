"""사전 학습 DeepLab 모델: 등록부, 파일 찾기·내려받기, 백엔드, 원래 데모의 ``DeepLabModel``.

    model = load_model("mobilenetv2_voc_tflite")   # 모델 폴더 → 환경 변수 → 캐시 → 내려받기
    mask = model.segment("photo.jpg")              # 원래 크기의 (H, W) uint8 클래스 번호
    resized, seg_map = model.run("photo.jpg")      # 원래 데모의 run

파일을 찾는 순서: ``model_dir`` 인자 → 환경 변수 ``DEEPLAB_LESSONS_MODEL_DIR`` → 캐시 폴더
(``DEEPLAB_LESSONS_CACHE_DIR`` 또는 ``~/.cache/deeplab_lessons``) → 공식 주소에서 내려받기(체크섬 확인).
"""

from __future__ import annotations

import os
from pathlib import Path

from deeplab_lessons.mobilenet import MIN_INPUT_SIZE
from deeplab_lessons.pretrained.registry import (
    ALIASES,
    MODELS,
    ModelInfo,
    cache_dir,
    find_model_file,
    get_model_info,
    search_dirs,
)

__all__ = ["ALIASES", "MIN_INPUT_SIZE", "MODELS", "ModelInfo", "cache_dir", "find_model_file", "get_model_info",
           "load_model", "search_dirs"]

_SUFFIXES = {".tflite": "tflite", ".tar.gz": "frozen_graph", ".tgz": "frozen_graph", ".keras": "keras_file"}


def load_model(name_or_path, *, model_dir=None, download: bool = True, input_size: int | None = None):
    """등록된 이름이나 로컬 파일(``.tflite``, ``.tar.gz``, 미세 조정이 내보낸 ``.keras``)로 모델을 불러옵니다.

    Args:
        name_or_path: :data:`MODELS` 의 이름, 또는 모델 파일 경로.
        model_dir: 먼저 찾아볼 폴더.
        download: 어디에도 없을 때 공식 주소에서 내려받을지.
        input_size: ``mobilenetv2_voc_keras`` 와 ``.keras`` 파일의 입력 크기(기본 513, 33–2049:
            :func:`check_input_size`). 다른 모델은 입력 크기가 정해져 있습니다.

    Returns:
        ``segment(image)`` 와 ``run(image)`` 를 가진 모델. ``model.labels`` 는 클래스 번호 순서의 이름(등록부나
        ``.tflite`` 메타데이터에서 읽음)이거나, 이름을 모르면 ``None`` (번호로 보입니다).

    Raises:
        DeepLabLessonsError: 알 수 없는 이름(등록된 이름을 나열), 파일 없음(찾아본 곳과 공식 주소),
            손상된 파일, 없는 ``model_dir`` 폴더.
    """
    from deeplab_lessons.pretrained import files

    _check_model_dir(model_dir)

    kind = _kind_of_path(name_or_path)
    info = None
    if kind is None:
        info = get_model_info(name_or_path)
        path, kind, name = files.resolve(info, model_dir, download), info.kind, info.name
    else:
        path = files.local_file(name_or_path)
        name = path.name
    model = _build(kind, path, name, input_size)
    model.labels = files.model_labels(path, getattr(model.backend, "num_classes", None), info)
    return model


def _check_model_dir(model_dir) -> None:
    """``model_dir`` 를 줬다면 있는 폴더인지(없는 폴더를 조용히 건너뛰면 오타를 모릅니다).

    Raises:
        ModelNotFoundError: 없는 폴더이거나 폴더가 아닐 때.
    """
    import os

    from deeplab_lessons.errors import ModelNotFoundError

    if model_dir is None:
        return
    try:
        folder = os.path.abspath(os.path.expanduser(os.fspath(model_dir)))
    except TypeError:
        raise ModelNotFoundError(f"model_dir는 폴더 경로여야 합니다(받은 값: {model_dir!r}). "
                                 "예: model_dir=\"models\"") from None
    if not os.path.isdir(folder):
        what = "폴더가 아니라 파일입니다" if os.path.exists(folder) else "없는 폴더입니다"
        raise ModelNotFoundError(
            f"model_dir가 {what}(받은 값: {str(model_dir)!r}, 찾아본 곳: {folder}). 모델 파일이 든 폴더를 주거나, "
            "기본 위치(환경 변수 DEEPLAB_LESSONS_MODEL_DIR, 캐시)에서 찾게 하려면 model_dir를 빼세요.")


#: Keras로 다시 지은 모델에 줄 수 있는 입력 크기의 한도(한 변, 픽셀).
#: 최소는 :data:`~deeplab_lessons.mobilenet.MIN_INPUT_SIZE` (출력 보폭 8의 특징 맵). 최댓값은 메모리: 영상 한 장을
#: 추론할 때 늘어난 최대 메모리(RSS)를 재면 513에서
#: 0.12 GB, 1025에서 0.43 GB로 입력 화소 하나에 약 400바이트입니다. 2049(= 4 × 512 + 1)이면 약 1.7 GB가 더 들고,
#: 한 단계 위인 4097이면 약 6.7 GB로 학습자의 노트북 메모리를 넘기 쉽습니다.
MAX_INPUT_SIZE = 2049


def check_input_size(value) -> int:
    """``input_size`` 가 :data:`MIN_INPUT_SIZE` –:data:`MAX_INPUT_SIZE` 의 정수인지 확인합니다.

    Raises:
        DeepLabLessonsError: 정수가 아니거나(``True``/``False``, ``0.5`` 포함) 범위 밖일 때.
    """
    import numbers

    from deeplab_lessons.errors import bad_argument

    expected = f"{MIN_INPUT_SIZE} 이상 {MAX_INPUT_SIZE} 이하의 정수여야 합니다"
    why = (f"{MIN_INPUT_SIZE}보다 작으면 출력 보폭 8의 특징 맵이 너무 작고, {MAX_INPUT_SIZE}보다 크면 추론에 메모리가 "
           "입력 화소당 약 400바이트(4097이면 약 6.7 GB) 들어 노트북 메모리를 넘기 쉽습니다. 예: input_size=513")
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) \
            or not MIN_INPUT_SIZE <= value <= MAX_INPUT_SIZE:
        raise bad_argument("input_size", value, expected, why)
    return int(value)


def _build(kind: str, path: Path, name: str, input_size):
    """종류에 맞는 백엔드로 모델을 만듭니다."""
    from deeplab_lessons.pretrained.backends import TFLiteBackend
    from deeplab_lessons.pretrained.inference import SegmentationModel
    from deeplab_lessons.pretrained.seed import DeepLabModel

    if input_size is not None and kind not in ("keras_rebuild", "keras_file"):
        from deeplab_lessons.errors import DeepLabLessonsError

        raise DeepLabLessonsError(
            f"input_size는 mobilenetv2_voc_keras와 .keras 파일에만 줄 수 있습니다(받은 모델: {name}). "
            "다른 모델은 입력 크기가 정해져 있습니다.")
    if kind == "tflite":
        from deeplab_lessons.pretrained.files import pads_input

        return SegmentationModel(TFLiteBackend(path, square_input=not pads_input(path)), name)
    if kind == "keras_rebuild":
        from deeplab_lessons.pretrained.backends import KerasBackend
        from deeplab_lessons.pretrained.keras_rebuild import build_keras_model

        size = get_model_info(name).input_size if input_size is None else check_input_size(input_size)
        return SegmentationModel(KerasBackend(build_keras_model(path, size), size), name)
    if kind == "keras_file":
        from deeplab_lessons._tf import load_keras
        from deeplab_lessons.pretrained.backends import KerasBackend

        size = 513 if input_size is None else check_input_size(input_size)
        return SegmentationModel(KerasBackend(_read_keras_file(load_keras(), path), size), name)
    return DeepLabModel(path)


def _read_keras_file(keras, path: Path):
    """미세 조정이 내보낸 ``.keras`` 파일. 읽을 수 없으면 한국어 오류(파일과 할 일)."""
    from deeplab_lessons.errors import ModelFileError
    from deeplab_lessons.pretrained import keras_rebuild  # noqa: F401  (ResizeAligned 등 등록된 층을 불러 둠)

    try:
        return keras.models.load_model(path, compile=False)
    except (OSError, ValueError, TypeError, KeyError) as exc:
        raise ModelFileError(f"Keras 모델 파일을 읽을 수 없습니다: {path} ({type(exc).__name__}). 미세 조정이 내보낸 "
                             "model.keras 인지 확인하세요.") from None


def _kind_of_path(value) -> str | None:
    """값이 모델 파일 경로처럼 보이면 그 종류, 아니면 ``None`` (등록된 이름으로 봅니다)."""
    if not isinstance(value, (str, os.PathLike)):
        return None
    text = os.fspath(value)
    if text in MODELS or text in ALIASES:
        return None
    for suffix, kind in _SUFFIXES.items():
        if text.lower().endswith(suffix):
            return kind
    if Path(text).suffix or os.sep in text:
        from deeplab_lessons.errors import DeepLabLessonsError

        raise DeepLabLessonsError(
            f"모델 파일 형식을 알 수 없습니다: {Path(text).name}. .tflite, .tar.gz, .keras 파일이거나, 등록된 이름"
            f"({', '.join(MODELS)}) 중 하나여야 합니다.")
    return None
