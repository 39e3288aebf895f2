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

from deeplab_lessons.pretrained.registry import (
    ALIASES,
    MODELS,
    ModelInfo,
    cache_dir,
    find_model_file,
    get_model_info,
    search_dirs,
)

__all__ = ["ALIASES", "MODELS", "ModelInfo", "cache_dir", "find_model_file", "get_model_info", "load_model",
           "search_dirs"]

_SUFFIXES = {".tflite": "tflite", ".tar.gz": "frozen_graph", ".tgz": "frozen_graph"}


def load_model(name_or_path, *, model_dir=None, download: bool = True, input_size: int | None = None):
    """등록된 이름이나 로컬 파일(``.tflite``, ``.tar.gz``)로 모델을 불러옵니다.

    Args:
        name_or_path: :data:`MODELS` 의 이름, 또는 모델 파일 경로.
        model_dir: 먼저 찾아볼 폴더.
        download: 어디에도 없을 때 공식 주소에서 내려받을지.
        input_size: ``mobilenetv2_voc_keras`` 의 입력 크기(기본 513, 33 이상). 다른 모델은 입력 크기가 정해져 있습니다.

    Returns:
        ``segment(image)`` 와 ``run(image)`` 를 가진 모델.

    Raises:
        DeepLabLessonsError: 알 수 없는 이름(등록된 이름을 나열), 파일 없음(찾아본 곳과 공식 주소),
            손상된 파일.
    """
    from deeplab_lessons.pretrained import files
    from deeplab_lessons.pretrained.backends import TFLiteBackend
    from deeplab_lessons.pretrained.inference import SegmentationModel
    from deeplab_lessons.pretrained.seed import DeepLabModel

    kind = _kind_of_path(name_or_path)
    if kind is None:
        info = get_model_info(name_or_path)
        path, kind, name = files.resolve(info, model_dir, download), info.kind, info.name
    else:
        path = files.local_file(name_or_path)
        name = path.name
    if input_size is not None and kind != "keras_rebuild":
        from deeplab_lessons.errors import DeepLabLessonsError

        raise DeepLabLessonsError(
            f"input_size는 mobilenetv2_voc_keras에만 줄 수 있습니다(받은 모델: {name}). "
            "다른 모델은 입력 크기가 정해져 있습니다.")
    if kind == "tflite":
        return SegmentationModel(TFLiteBackend(path), name)
    if kind == "keras_rebuild":
        from deeplab_lessons.pretrained.backends import KerasBackend
        from deeplab_lessons.pretrained.keras_rebuild import build_keras_model

        size = input_size or get_model_info(name).input_size
        return SegmentationModel(KerasBackend(build_keras_model(path, size), size), name)
    return DeepLabModel(path)


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
            f"모델 파일 형식을 알 수 없습니다: {Path(text).name}. .tflite 또는 .tar.gz 파일이거나, 등록된 이름"
            f"({', '.join(MODELS)}) 중 하나여야 합니다.")
    return None
