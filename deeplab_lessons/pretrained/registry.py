"""사전 학습 모델 등록부. 한 항목은 자료일 뿐입니다: 이름, 공식 주소, 파일 이름, 체크섬, 종류, 입력 크기."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from deeplab_lessons import voc
from deeplab_lessons.errors import DeepLabLessonsError

_TF_MODELS = "http://download.tensorflow.org/models/"


@dataclass(frozen=True)
class ModelInfo:
    """등록된 모델 하나.

    Attributes:
        name: 강좌에서 부르는 이름(예: ``mobilenetv2_voc_tflite``).
        url: 공식 내려받기 주소.
        filename: 공식 파일 이름(캐시와 모델 폴더에서 이 이름으로 찾습니다).
        kind: ``"frozen_graph"`` (tar.gz 안의 frozen_inference_graph.pb) 또는 ``"tflite"``.
        input_size: 모델 입력의 긴 변 길이(픽셀).
        checksum: ``(알고리즘, 16진 문자열)`` 공개된 체크섬. 없으면 ``None``.
        size_bytes: 공개된 파일 크기(바이트). 모르면 ``None``.
        labels: 출력 클래스 번호 순서의 이름(모두 PASCAL VOC 2012의 21개 클래스).
        description: 어떤 모델인지 한 줄(백본과 폭 배율, 학습 자료, 형식).
    """

    name: str
    url: str
    filename: str
    kind: str
    input_size: int
    checksum: tuple[str, str] | None = None
    size_bytes: int | None = None
    labels: tuple[str, ...] = voc.CLASS_NAMES
    description: str = ""


# 어느 dm05 체크포인트(train_aug 또는 trainval)에서 변환했는지는 공식 문서에 없습니다(inside_pretrained 에서 다룸).
_TFLITE_DESCRIPTION = "DeepLab v3, MobileNetV2 (폭 배율 0.5), 출력 보폭 8, 공식 TFLite (입력 257×257 고정)"

MODELS: dict[str, ModelInfo] = {
    info.name: info
    for info in (
        ModelInfo(
            "mobilenetv2_coco_voctrainaug",
            _TF_MODELS + "deeplabv3_mnv2_pascal_train_aug_2018_01_29.tar.gz",
            "deeplabv3_mnv2_pascal_train_aug_2018_01_29.tar.gz", "frozen_graph", 513,
            ("sha384", "d3f2b27bb00c485ca45d68731f7198a23926cb865dd010fc444bcad9158e33413cd60da"
                       "2588a9be3ff1e8c9b4557362b"),
            23_882_985,
            description="DeepLab v3, MobileNetV2 (폭 배율 1.0), COCO → VOC train_aug, 고정 그래프 (원래 데모)",
        ),
        ModelInfo(
            "mobilenetv2_coco_voctrainval",
            _TF_MODELS + "deeplabv3_mnv2_pascal_trainval_2018_01_29.tar.gz",
            "deeplabv3_mnv2_pascal_trainval_2018_01_29.tar.gz", "frozen_graph", 513,
            ("md5", "4020e71ab31636648101b000cca3b6b4"),
            description="DeepLab v3, MobileNetV2 (폭 배율 1.0), COCO → VOC train_aug + trainval, 고정 그래프",
        ),
        # Xception 두 파일은 체크섬이 공개되지 않았고, 모델 동물원은 크기도 "439MB"로 반올림해서만 적습니다.
        # 그래서 내려받은 뒤 tarball 안의 frozen graph를 실제로 읽어 본 뒤에만 캐시에 둡니다(files._check_frozen_graph).
        ModelInfo(
            "xception_coco_voctrainaug",
            _TF_MODELS + "deeplabv3_pascal_train_aug_2018_01_04.tar.gz",
            "deeplabv3_pascal_train_aug_2018_01_04.tar.gz", "frozen_graph", 513,
            description="DeepLab v3+, Xception-65, COCO → VOC train_aug, 고정 그래프",
        ),
        ModelInfo(
            "xception_coco_voctrainval",
            _TF_MODELS + "deeplabv3_pascal_trainval_2018_01_04.tar.gz",
            "deeplabv3_pascal_trainval_2018_01_04.tar.gz", "frozen_graph", 513,
            description="DeepLab v3+, Xception-65, COCO → VOC train_aug + trainval, 고정 그래프",
        ),
        ModelInfo(
            "mobilenetv2_voc_tflite",
            "https://storage.googleapis.com/download.tensorflow.org/models/tflite/gpu/"
            "deeplabv3_257_mv_gpu.tflite",
            "deeplabv3_257_mv_gpu.tflite", "tflite", 257,
            ("sha256", "68a539782c2c6a72f8aac3724600124a85ed977162b44e84cbae5db717c933c6"),
            description=_TFLITE_DESCRIPTION,
        ),
        # inside_pretrained: 같은 TFLite 파일의 가중치로 다시 지은 Keras 모델. 크기가 자유로워 원래 데모처럼
        # 513에서 돕니다.
        ModelInfo(
            "mobilenetv2_voc_keras",
            "https://storage.googleapis.com/download.tensorflow.org/models/tflite/gpu/"
            "deeplabv3_257_mv_gpu.tflite",
            "deeplabv3_257_mv_gpu.tflite", "keras_rebuild", 513,
            ("sha256", "68a539782c2c6a72f8aac3724600124a85ed977162b44e84cbae5db717c933c6"),
            description="위 TFLite와 같은 가중치의 MobileNetV2 (폭 배율 0.5), Keras로 다시 만듦(입력 기본 513)",
        ),
    )
}

#: 다른 이름 → 등록된 이름. 폭 배율을 이름에 드러낸 ``dm05`` 이름으로도 부를 수 있습니다.
ALIASES: dict[str, str] = {
    "mobilenetv2_dm05_voc_tflite": "mobilenetv2_voc_tflite",
    "mobilenetv2_dm05_voc_keras": "mobilenetv2_voc_keras",
}


def get_model_info(name: str) -> ModelInfo:
    """등록된 모델 이름(또는 :data:`ALIASES` 의 다른 이름)으로 :class:`ModelInfo` 를 찾습니다.

    Raises:
        DeepLabLessonsError: 등록되지 않은 이름일 때(등록된 이름을 모두 나열합니다).
    """
    try:
        return MODELS[ALIASES.get(name, name)]
    except (KeyError, TypeError):
        names = ", ".join(MODELS)
        raise DeepLabLessonsError(
            f"알 수 없는 모델 이름입니다(받은 값: {name!r}). 다음 중 하나를 쓰세요: {names}."
        ) from None


def cache_dir() -> Path:
    """내려받은 모델을 두는 캐시 폴더: ``$DEEPLAB_LESSONS_CACHE_DIR`` 또는 ``~/.cache/deeplab_lessons``."""
    configured = os.environ.get("DEEPLAB_LESSONS_CACHE_DIR")
    if configured:
        return Path(configured).expanduser()
    return Path.home() / ".cache" / "deeplab_lessons"


def search_dirs(model_dir: str | os.PathLike | None = None) -> list[Path]:
    """모델 파일을 찾아볼 폴더들(찾는 순서대로): ``model_dir`` → 환경 변수 → 캐시."""
    dirs = []
    if model_dir is not None:
        dirs.append(Path(model_dir).expanduser())
    env_dir = os.environ.get("DEEPLAB_LESSONS_MODEL_DIR")
    if env_dir:
        dirs.append(Path(env_dir).expanduser())
    dirs.append(cache_dir())
    return dirs


def find_model_file(name: str, model_dir: str | os.PathLike | None = None) -> Path | None:
    """등록된 모델의 파일을 내려받지 않고 찾습니다. 없으면 ``None``.

    Raises:
        DeepLabLessonsError: 등록되지 않은 이름일 때.
    """
    info = get_model_info(name)
    for folder in search_dirs(model_dir):
        candidate = folder / info.filename
        if candidate.is_file():
            return candidate
    return None
