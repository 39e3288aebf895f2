"""PASCAL VOC 2012의 21개 클래스 이름(영어·한국어)과 표준 색상표.

모든 강의가 이 한 곳의 정의를 씁니다. 마스크 값 0–20은 클래스, 255는 경계의 "무시(void)" 영역입니다.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from deeplab_lessons.errors import DeepLabLessonsError, ImageReadError, VocFolderError, josa
from deeplab_lessons.image_io import load_image

#: 클래스 번호 순서의 영어 이름(공식 데이터셋의 표기).
CLASS_NAMES = (
    "background", "aeroplane", "bicycle", "bird", "boat", "bottle", "bus", "car", "cat",
    "chair", "cow", "diningtable", "dog", "horse", "motorbike", "person", "pottedplant",
    "sheep", "sofa", "train", "tvmonitor",
)

#: 클래스 번호 순서의 한국어 이름.
CLASS_NAMES_KO = (
    "배경", "비행기", "자전거", "새", "보트", "병", "버스", "자동차", "고양이",
    "의자", "소", "식탁", "개", "말", "오토바이", "사람", "화분",
    "양", "소파", "기차", "TV/모니터",
)

NUM_CLASSES = len(CLASS_NAMES)
#: 정답 마스크에서 평가에 넣지 않는 경계 값.
IGNORE_LABEL = 255


def colormap(size: int = 256) -> np.ndarray:
    """PASCAL VOC 표준 색상표를 만듭니다.

    클래스 번호의 비트를 세 개씩 나눠 빨강·초록·파랑의 높은 비트부터 채우는, 공식 개발 도구의 방식입니다.

    Args:
        size: 색 개수(기본 256: 0–20 클래스와 255 무시 번호까지).

    Returns:
        ``(size, 3)`` uint8 배열. 예: 0 → 검정, 15(사람) → (192, 128, 128), 255 → (224, 224, 192).
    """
    cmap = np.zeros((size, 3), dtype=np.uint8)
    index = np.arange(size)
    for bit in range(7, -1, -1):
        for channel in range(3):
            cmap[:, channel] |= (((index >> channel) & 1) << bit).astype(np.uint8)
        index = index >> 3
    return cmap


def label_to_color(label_map: np.ndarray) -> np.ndarray:
    """클래스 번호 지도 ``(H, W)`` 를 색 이미지 ``(H, W, 3)`` uint8로 바꿉니다.

    Raises:
        DeepLabLessonsError: 2차원 정수 배열이 아니거나 0–255 밖의 값이 있을 때.
    """
    label_map = np.asarray(label_map)
    if label_map.ndim != 2 or not np.issubdtype(label_map.dtype, np.integer):
        raise DeepLabLessonsError(
            f"label_map은 (높이, 너비) 모양의 정수 배열이어야 합니다(받은 모양: {label_map.shape}, "
            f"자료형: {label_map.dtype}). 클래스 번호 지도를 넣으세요."
        )
    if label_map.size and (label_map.min() < 0 or label_map.max() > 255):
        raise DeepLabLessonsError(
            f"label_map의 값은 0–255 사이여야 합니다(받은 범위: {label_map.min()}–{label_map.max()})."
        )
    return colormap()[label_map]


def class_label(index: int, labels=None) -> str:
    """클래스 번호를 ``"사람 (person)"`` 처럼 한국어와 영어로 된 이름으로 돌려줍니다.

    ``labels`` (모델이 가진 클래스 이름들)를 주면 그 이름을 씁니다. 이름이 없는 번호는 ``"클래스 7"`` 입니다.
    """
    if labels is not None:
        return str(labels[index]) if 0 <= index < len(labels) else f"클래스 {index}"
    if index == IGNORE_LABEL:
        return "무시 (void)"
    if not 0 <= index < NUM_CLASSES:
        return f"클래스 {index}"
    return f"{CLASS_NAMES_KO[index]} ({CLASS_NAMES[index]})"


def class_shares(mask: np.ndarray) -> list[tuple[int, float]]:
    """마스크에 나온 클래스와 그 화소 비율(0–1), 비율이 큰 순서."""
    ids, counts = np.unique(np.asarray(mask), return_counts=True)
    order = np.argsort(-counts, kind="stable")
    return [(int(ids[i]), float(counts[i] / counts.sum())) for i in order]


def share_table(mask: np.ndarray, min_share: float = 0.005, labels=None) -> str:
    """``class_shares`` 를 한국어 표로 만듭니다(소수 첫째 자리 %).

    ``min_share`` (기본 0.5 %)보다 작은 조각은 싣지 않습니다. 몇 화소짜리 조각은 CPU에 따라 생기거나
    사라질 수 있어, 저장된 노트북 출력이 기계마다 같도록 하려는 것입니다. ``labels``: :func:`class_label`.
    """
    return "\n".join(f"  {class_label(class_id, labels):<22} {share:6.1%}"
                     for class_id, share in class_shares(mask) if share >= min_share)


# ---------------------------------------------------------------- VOCdevkit 폴더 읽기

#: 저장소에 든 PASCAL VOC 2012 표본(val 10장, train 147장; ``data/README.md``). 편집 가능 설치(``make lab``)의 경로.
SAMPLE_ROOT = Path(__file__).resolve().parents[1] / "data" / "voc2012_sample"
#: 전체 VOC를 흔히 두는 곳(``python -m deeplab_lessons data voc2012`` 의 기본 폴더가 첫째).
HOME_ROOTS = (Path("~/data/VOCdevkit/VOC2012"), Path("~/VOCdevkit/VOC2012"))


def has_split(folder, split: str = "val") -> bool:
    """``folder`` 에 ``ImageSets/Segmentation/<split>.txt`` 가 있는지."""
    return (Path(folder).expanduser() / "ImageSets" / "Segmentation" / f"{split}.txt").is_file()


def diagnose(folder, split: str = "val") -> str:
    """VOC2012 폴더로 쓸 수 없는 ``folder`` 에 무엇이 없는지 한국어 한두 문장(찾아본 절대 경로 포함)."""
    if str(folder).strip() == "":
        return "빈 문자열을 받았습니다. VOC2012 폴더의 경로를 주세요."
    root = Path(os.fspath(folder)).expanduser()
    where = os.path.abspath(root)
    if not os.path.exists(root):
        return f"{where} 폴더가 없습니다. 경로의 철자를 확인하세요."
    if not os.path.isdir(root):
        return f"{josa(where, '은')} 폴더가 아니라 파일입니다. VOC2012 폴더를 가리키세요."
    for inner in ("VOC2012", "VOCdevkit/VOC2012"):
        if has_split(root / inner, split):
            return (f"{where} 에는 ImageSets/Segmentation/{split}.txt 가 없습니다. 한 단계 위의 폴더입니다: "
                    f"그 안의 {josa(root / inner, '를')} 가리키세요.")
    lacks = [name for name in ("JPEGImages", "SegmentationClass") if not (root / name).is_dir()]
    lacks += [] if has_split(root, split) else [f"ImageSets/Segmentation/{split}.txt"]
    if not lacks:
        return f"{where} 에는 필요한 것이 다 있습니다."
    return (f"{where} 에는 {josa(', '.join(lacks), '이')} 없습니다. VOCdevkit 안의 VOC2012 폴더(JPEGImages, "
            "SegmentationClass, ImageSets/Segmentation 을 가진 폴더)를 가리키세요.")


def find_root(split: str = "val") -> Path | None:
    """쓸 VOC 폴더: ``$DEEPLAB_LESSONS_VOC_DIR`` → 저장소의 표본(:data:`SAMPLE_ROOT`) → :data:`HOME_ROOTS`.

    ``ImageSets/Segmentation/<split>.txt`` 가 있는 첫 폴더를 돌려주고, 어디에도 없으면 ``None`` 입니다.

    Raises:
        VocFolderError: 환경 변수가 정해져 있는데 그 폴더를 쓸 수 없을 때(무엇이 없는지 말합니다). 잘못 정한
            환경 변수를 말없이 건너뛰면 표본으로 평가하고도 전체 VOC로 평가했다고 믿게 되기 때문입니다.
    """
    chosen = os.environ.get("DEEPLAB_LESSONS_VOC_DIR")
    if chosen is not None:
        if has_split(chosen, split):
            return Path(chosen).expanduser()
        raise VocFolderError(f"환경 변수 DEEPLAB_LESSONS_VOC_DIR 의 폴더를 쓸 수 없습니다(값: {chosen!r}). "
                             f"{diagnose(chosen, split)} 저장소의 표본을 쓰려면 이 환경 변수를 지우세요.")
    for folder in (SAMPLE_ROOT, *HOME_ROOTS):
        if has_split(folder, split):
            return folder.expanduser()
    return None


def describe_root(root) -> str:
    """강의가 출력하는 한 줄: 어느 VOC 폴더의 무엇으로 평가하는지(저장소 표본이면 전체 VOC를 받는 명령도)."""
    root = Path(root)
    counts = {split: len(image_ids(root, split)) for split in ("train", "val") if has_split(root, split)}
    listed = ", ".join(f"{split} {count:,}장" for split, count in counts.items())
    if root.resolve() == SAMPLE_ROOT.resolve():
        return (f"VOC 폴더: 저장소의 PASCAL VOC 2012 표본({listed}). 전체 val 1,449장으로 평가하려면 "
                "python -m deeplab_lessons data voc2012 로 받고 그 명령이 알려 주는 환경 변수를 정하세요.")
    return f"VOC 폴더: DEEPLAB_LESSONS_VOC_DIR 또는 홈 폴더의 VOC2012({listed})."

def check_root(voc_root) -> Path:
    """VOCdevkit 배치 폴더(``VOC2012``)인지 확인하고 :class:`~pathlib.Path` 로 돌려줍니다(``~`` 는 홈 폴더).

    Raises:
        VocFolderError: ``None`` 이거나(``find_voc_root()`` 가 아무것도 못 찾음), 폴더가 없거나 폴더가 아닐 때.
    """
    if voc_root is None:
        raise VocFolderError(
            "VOC 폴더가 없습니다(받은 값: None). find_voc_root()가 None을 돌려주었다면 찾아본 곳 어디에도 "
            "ImageSets/Segmentation/val.txt가 없다는 뜻입니다. 환경 변수 DEEPLAB_LESSONS_VOC_DIR를 VOC2012 "
            "폴더로 정하거나, 그 폴더 경로를 직접 넣으세요.")
    try:
        root = Path(os.fspath(voc_root)).expanduser()
    except TypeError:
        raise VocFolderError(f"VOC 폴더 경로가 아닙니다(받은 값: {voc_root!r}, 자료형 {type(voc_root).__name__}). "
                             "VOC2012 폴더의 경로(문자열이나 Path)를 넣으세요.") from None
    if str(voc_root).strip() == "" or not os.path.isdir(root):
        raise VocFolderError(f"VOC 폴더를 쓸 수 없습니다(받은 값: {str(voc_root)!r}). {diagnose(voc_root)}")
    return root


def image_ids(voc_root, split: str = "val") -> list[str]:
    """``ImageSets/Segmentation/<split>.txt`` 에 적힌 영상 id들.

    Raises:
        VocFolderError: 폴더나 목록 파일이 없을 때, 목록이 비어 있을 때(전체 경로를 알려 줍니다).
    """
    root = check_root(voc_root)
    listing = root / "ImageSets" / "Segmentation" / f"{split}.txt"
    if not os.path.isfile(listing):
        raise VocFolderError(
            f"VOC 목록 파일이 없습니다: {listing}. {diagnose(voc_root, split)} split(받은 값: {split!r})은 "
            "ImageSets/Segmentation 안의 목록 이름(예: 'val', 'train')이어야 합니다.")
    ids = [line.strip() for line in listing.read_text(errors="replace").splitlines() if line.strip()]
    if not ids:
        raise VocFolderError(f"VOC 목록 파일이 비어 있습니다: {listing}. 평가할 영상 id를 한 줄에 하나씩 적으세요.")
    return ids


def read_pair(voc_root, image_id: str) -> tuple[np.ndarray, np.ndarray]:
    """VOC 영상 하나: ``(RGB 배열, 정답 마스크)``. 마스크는 팔레트(P)나 흑백(L) PNG의 색인(0–20, 255).

    Raises:
        VocFolderError: 영상이나 마스크가 없거나 잘렸을 때, 마스크가 RGB처럼 색인 영상이 아니거나 영상과 크기가
            다를 때(영상 id와 폴더를 알려 줍니다).
    """
    from PIL import Image


    root = check_root(voc_root)
    images, masks = root / "JPEGImages", root / "SegmentationClass"
    try:
        image = load_image(images / f"{image_id}.jpg")
    except ImageReadError as exc:
        raise VocFolderError(f"VOC 영상 {josa(image_id, '을')} 읽을 수 없습니다(폴더: {images}): {exc}") from None
    mask_path = masks / f"{image_id}.png"
    if not os.path.isfile(mask_path):
        raise VocFolderError(f"VOC 정답 마스크가 없습니다: 영상 id {image_id}, 폴더 {masks}. "
                             f"{image_id}.png 를 넣거나 목록에서 이 id를 빼세요.")
    try:
        with Image.open(mask_path) as mask:
            mode = mask.mode
            truth = np.asarray(mask)
    except (OSError, SyntaxError, ValueError, RuntimeError, EOFError, IndexError) as exc:
        raise VocFolderError(f"VOC 정답 마스크가 잘렸거나 손상되었습니다: 영상 id {image_id}, 폴더 {masks}. "
                             f"원래 파일로 바꾸세요. ({type(exc).__name__})") from None
    if mode not in ("P", "L"):
        raise VocFolderError(
            f"VOC 정답 마스크가 클래스 번호(팔레트 P 또는 흑백 L) 영상이 아니라 {mode} 영상입니다: 영상 id {image_id}, "
            f"폴더 {masks}. 색으로 저장된 마스크는 쓸 수 없습니다. SegmentationClass의 원래 팔레트 PNG를 쓰세요.")
    if truth.shape != image.shape[:2]:
        raise VocFolderError(
            f"VOC 정답 마스크의 크기({truth.shape[1]}×{truth.shape[0]})가 영상의 크기({image.shape[1]}×"
            f"{image.shape[0]})와 다릅니다: 영상 id {image_id}, 폴더 {masks}. 같은 영상의 원래 마스크를 쓰세요.")
    return image, truth
