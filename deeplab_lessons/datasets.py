"""학습자가 저장한 그대로의 분할 데이터셋을 읽고, 학습 전에 모든 쌍을 검사합니다.

두 가지 배치를 압니다.

- **VOC**: ``JPEGImages/<id>.jpg``, ``SegmentationClass/<id>.png``, ``ImageSets/Segmentation/<split>.txt``
- **폴더**: ``images/<이름>.*`` 와 ``masks/<이름>.png`` (같은 이름끼리 짝)

마스크의 값은 클래스 번호 0…N−1이고 255는 "무시"입니다. 흔한 실수(색으로 저장한 마스크, 0/255로 저장한 두 클래스
마스크, N 이상의 값, 영상과 다른 크기, EXIF로 돌아간 사진)는 학습을 시작하기 전에 파일 이름과 고치는 방법을 담은
한국어 오류(:class:`~deeplab_lessons.errors.DatasetError`)가 됩니다. 색 마스크는 색상표(기본: VOC)로 번호로 바꿉니다.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image, UnidentifiedImageError

from deeplab_lessons import voc
from deeplab_lessons.errors import DatasetError, ImageReadError, josa
from deeplab_lessons.image_io import load_image

#: 폴더 배치에서 영상으로 보는 확장자.
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".bmp", ".tif", ".tiff", ".webp")
#: 한 오류 안에 적는 문제의 최대 개수(나머지는 개수만).
MAX_LISTED = 5
_ROTATING_ORIENTATIONS = (5, 6, 7, 8)          # EXIF 방향 중 가로·세로가 바뀌는 것


@dataclass(frozen=True)
class Pair:
    """영상 하나와 그 마스크의 경로."""

    image_id: str
    image: Path
    mask: Path


@dataclass(frozen=True)
class Dataset:
    """읽을 준비가 된 데이터셋: 배치(``"voc"`` 또는 ``"folder"``), 쌍들, 클래스 이름들."""

    root: Path
    layout: str
    split: str | None
    pairs: tuple[Pair, ...]
    class_names: tuple[str, ...]

    @property
    def num_classes(self) -> int:
        return len(self.class_names)


@dataclass
class Summary:
    """:func:`check_dataset` 의 결과: 영상 수, 클래스마다의 화소 수와 그 클래스가 나온 영상 수."""

    dataset: Dataset
    images: int = 0
    pixels: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    image_counts: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    ignored_pixels: int = 0
    converted_colour_masks: int = 0

    @property
    def missing_classes(self) -> list[str]:
        """한 번도 나오지 않은 클래스의 이름."""
        return [name for name, count in zip(self.dataset.class_names, self.pixels, strict=True) if count == 0]


# ---------------------------------------------------------------- 배치 알아보기

def open_dataset(root, split: str = "train", classes=None) -> Dataset:
    """``root`` 의 배치를 알아보고 쌍들을 모읍니다(파일은 아직 읽지 않음).

    Args:
        root: VOC 배치의 ``VOC2012`` 같은 폴더, 또는 ``images/`` 와 ``masks/`` 를 가진 폴더.
        split: VOC 배치에서 쓸 목록 이름(``ImageSets/Segmentation/<split>.txt``). 폴더 배치에서는 쓰지 않습니다.
        classes: 클래스 이름 파일(한 줄에 하나, 번호 순서)이나 이름들의 목록. 없으면 VOC 배치는 VOC의 21개 이름,
            폴더 배치는 ``root/classes.txt`` 가 있으면 그것, 없으면 오류입니다(몇 클래스인지 알아야 검사할 수 있음).

    Raises:
        DatasetError: 폴더가 없거나 두 배치 어느 것도 아닐 때, 짝이 없는 파일이 있을 때, 쌍이 하나도 없을 때,
            클래스 이름 파일을 읽을 수 없을 때.
    """
    root = _check_folder(root)
    if (root / "ImageSets" / "Segmentation").is_dir() or (root / "SegmentationClass").is_dir():
        layout, pairs = "voc", _voc_pairs(root, split)
        default = voc.CLASS_NAMES
    elif (root / "images").is_dir() and (root / "masks").is_dir():
        layout, pairs, split = "folder", _folder_pairs(root), None
        default = None
    else:
        raise DatasetError(
            f"데이터셋 배치를 알 수 없습니다: {os.path.abspath(root)}. VOC 배치(JPEGImages/, SegmentationClass/, "
            "ImageSets/Segmentation/<split>.txt)나 폴더 배치(images/ 와 masks/, 같은 이름끼리 짝)로 두세요.")
    if not pairs:
        raise DatasetError(f"데이터셋이 비어 있습니다: {os.path.abspath(root)} 에 영상·마스크 쌍이 없습니다.")
    names = _class_names(root, classes, default)
    return Dataset(root, layout, split, tuple(pairs), names)


def _check_folder(root) -> Path:
    if root is None or str(root).strip() == "":
        raise DatasetError(f"데이터셋 폴더를 주세요(받은 값: {root!r}).")
    path = Path(os.fspath(root)).expanduser()
    if not path.is_dir():
        what = "파일입니다" if path.exists() else "없습니다"
        raise DatasetError(f"데이터셋 폴더가 {what}: {os.path.abspath(path)}. 영상과 마스크가 든 폴더를 주세요.")
    return path


def _voc_pairs(root: Path, split: str) -> list[Pair]:
    listing = root / "ImageSets" / "Segmentation" / f"{split}.txt"
    if not listing.is_file():
        raise DatasetError(f"VOC 배치의 목록 파일이 없습니다: {listing}. 영상 id를 한 줄에 하나씩 적은 {split}.txt 를 "
                           "만들거나 다른 split을 고르세요.")
    pairs, missing = [], []
    for image_id in listing.read_text(errors="replace").split():
        image, mask = root / "JPEGImages" / f"{image_id}.jpg", root / "SegmentationClass" / f"{image_id}.png"
        missing += [str(p) for p in (image, mask) if not p.is_file()]
        pairs.append(Pair(image_id, image, mask))
    if missing:
        raise DatasetError(f"목록 {listing.name} 의 짝 파일이 {len(missing)}개 없습니다: {_listed(missing)}. 파일을 "
                           "넣거나 목록에서 그 id를 빼세요.")
    return pairs


def _folder_pairs(root: Path) -> list[Pair]:
    images = {p.stem: p for p in sorted((root / "images").iterdir()) if p.suffix.lower() in IMAGE_SUFFIXES}
    masks = {p.stem: p for p in sorted((root / "masks").iterdir()) if p.suffix.lower() == ".png"}
    lonely = [f"images/{images[s].name} (마스크 없음)" for s in images if s not in masks]
    lonely += [f"masks/{masks[s].name} (영상 없음)" for s in masks if s not in images]
    if lonely:
        raise DatasetError(f"짝이 없는 파일이 {len(lonely)}개 있습니다({os.path.abspath(root)}): {_listed(lonely)}. "
                           "영상과 마스크는 확장자를 뺀 이름이 같아야 합니다(예: images/cat1.jpg ↔ masks/cat1.png).")
    return [Pair(stem, images[stem], masks[stem]) for stem in images]


def read_class_names(path) -> tuple[str, ...]:
    """클래스 이름 파일: 한 줄에 하나, 번호 순서(빈 줄과 ``#`` 주석은 건너뜀).

    Raises:
        DatasetError: 파일이 없거나, 이름이 두 개 미만이거나, 같은 이름이 두 번 나올 때.
    """
    path = Path(os.fspath(path)).expanduser()
    if not path.is_file():
        raise DatasetError(f"클래스 이름 파일이 없습니다: {os.path.abspath(path)}. 한 줄에 클래스 이름 하나씩, 번호 "
                           "순서(0번은 보통 배경)로 적은 파일을 주세요.")
    lines = [line.split("#")[0].strip() for line in path.read_text(encoding="utf-8", errors="replace").splitlines()]
    return check_class_names([line for line in lines if line], str(path))


def _class_names(root: Path, classes, default) -> tuple[str, ...]:
    if classes is None and (root / "classes.txt").is_file():
        classes = root / "classes.txt"
    if classes is None:
        if default is None:
            raise DatasetError(f"클래스 이름이 필요합니다: {os.path.abspath(root)} 에 classes.txt 가 없습니다. 한 줄에 "
                               "이름 하나씩(0번부터) 적은 classes.txt 를 두거나 classes=[...] 로 주세요.")
        return tuple(default)
    if isinstance(classes, (str, os.PathLike)):
        return read_class_names(classes)
    return check_class_names([str(name) for name in classes], "classes")


def check_class_names(names: list[str], where: str) -> tuple[str, ...]:
    """클래스 이름 목록을 검사해 tuple로(2–255개, 겹치지 않음). ``where`` 는 오류에 적을 출처.

    Raises:
        DatasetError: 이름이 두 개 미만이거나 255개를 넘거나 겹칠 때.
    """
    if len(names) < 2:
        raise DatasetError(f"클래스가 두 개 이상 있어야 합니다({where}: {names}). 배경도 클래스 하나로 적으세요.")
    if len(names) > 255:
        raise DatasetError(f"클래스는 255개까지입니다({where}: {len(names)}개). 255는 '무시' 번호로 씁니다.")
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise DatasetError(f"같은 클래스 이름이 두 번 나옵니다({where}): {', '.join(repeated)}.")
    return tuple(names)


def _listed(items: list[str]) -> str:
    shown = ", ".join(items[:MAX_LISTED])
    return shown + (f" 외 {len(items) - MAX_LISTED}개" if len(items) > MAX_LISTED else "")


# ---------------------------------------------------------------- 마스크 읽기

def read_mask(path, num_classes: int, palette: np.ndarray | None = None) -> tuple[np.ndarray, bool]:
    """마스크 파일을 ``(H, W)`` uint8 클래스 번호로 읽습니다. 둘째 값은 색 마스크를 번호로 바꿨는지입니다.

    팔레트(P)·흑백(L)·이진(1) PNG는 값 그대로, RGB·RGBA는 ``palette`` (``(K, 3)`` uint8, 행 번호 = 클래스 번호;
    기본은 VOC 색상표)로 번호를 찾습니다. 255(무시)의 VOC 색 (224, 224, 192)도 알아봅니다.

    Raises:
        DatasetError: 읽을 수 없을 때, 색상표에 없는 색이 있을 때(그 색들과 화소 수), ``num_classes`` 이상이면서
            255가 아닌 값이 있을 때.
    """
    path = Path(path)
    try:
        with Image.open(path) as image:
            image.load()
            mode, array = image.mode, np.asarray(image)
    except (OSError, UnidentifiedImageError, SyntaxError, ValueError) as exc:
        raise DatasetError(f"마스크를 읽을 수 없습니다: {path} ({type(exc).__name__}). 원래 PNG 파일로 바꾸세요.") \
            from None
    converted = mode in ("RGB", "RGBA")
    if converted:
        mask = colours_to_labels(array[..., :3], num_classes, palette, str(path))
    elif mode in ("P", "L", "1"):
        mask = array.astype(np.uint8)
    else:
        raise DatasetError(f"마스크의 모드 {josa(mode, '는')} 쓸 수 없습니다: {path}. 클래스 번호를 담은 팔레트(P)나 "
                           f"흑백(L) "
                           "8비트 PNG로 저장하세요.")
    bad = sorted(int(v) for v in np.unique(mask) if num_classes <= v < voc.IGNORE_LABEL)
    if bad:
        raise DatasetError(f"마스크에 클래스 수({num_classes}개: 0–{num_classes - 1}) 밖의 값 {josa(bad, '이')} "
                           f"있습니다: "
                           f"{path}. 값은 0–{num_classes - 1} (무시할 화소만 255)이어야 합니다. 클래스 이름 파일에 "
                           "빠진 클래스가 있는지 확인하세요.")
    return mask, converted


def colours_to_labels(rgb: np.ndarray, num_classes: int, palette=None, where: str = "마스크") -> np.ndarray:
    """색 마스크 ``(H, W, 3)`` uint8을 색상표로 클래스 번호 ``(H, W)`` uint8로 바꿉니다.

    Raises:
        DatasetError: 색상표에 없는 색이 있을 때(가장 많은 색부터 다섯 개와 화소 수).
    """
    table = voc.colormap()[:num_classes] if palette is None else np.asarray(palette, np.uint8).reshape(-1, 3)
    codes = _colour_codes(rgb)
    known = {int(c): i for i, c in enumerate(_colour_codes(table[None])[0])}
    known.setdefault(int(_colour_codes(voc.colormap()[None, voc.IGNORE_LABEL:])[0, 0]), voc.IGNORE_LABEL)
    values, inverse, counts = np.unique(codes, return_inverse=True, return_counts=True)
    lookup = np.array([known.get(int(v), -1) for v in values])
    unknown = [(int(v), int(n)) for v, n, label in zip(values, counts, lookup, strict=True) if label < 0]
    if unknown:
        unknown.sort(key=lambda item: -item[1])
        listed = ", ".join(f"{_rgb(v)} {n:,}화소" for v, n in unknown[:MAX_LISTED])
        raise DatasetError(f"색 마스크에 색상표의 어느 클래스와도 맞지 않는 색이 {len(unknown)}가지 있습니다: {where}: "
                           f"{listed}. 색상표(palette=)를 주거나, 클래스 번호(0–{num_classes - 1})를 담은 팔레트·흑백 "
                           "PNG로 저장하세요. JPEG로 저장한 마스크는 압축 때문에 색이 번집니다.")
    return lookup[inverse].reshape(codes.shape).astype(np.uint8)


def _colour_codes(rgb: np.ndarray) -> np.ndarray:
    rgb = np.asarray(rgb, np.uint32)
    return (rgb[..., 0] << 16) | (rgb[..., 1] << 8) | rgb[..., 2]


def _rgb(code: int) -> str:
    return f"({code >> 16}, {(code >> 8) & 255}, {code & 255})"


# ---------------------------------------------------------------- 쌍 읽기와 데이터셋 검사

def read_pair(pair: Pair, num_classes: int, palette=None) -> tuple[np.ndarray, np.ndarray]:
    """쌍 하나: ``(RGB (H, W, 3) uint8, 마스크 (H, W) uint8)``. 영상은 EXIF 방향을 반영해 보이는 그대로 읽습니다.

    Raises:
        DatasetError: 영상을 읽을 수 없을 때, 마스크 문제(:func:`read_mask`), 크기가 다를 때(EXIF 회전 때문이면
            그렇다고 말합니다).
    """
    try:
        rgb = load_image(pair.image)
    except ImageReadError as exc:
        raise DatasetError(f"영상을 읽을 수 없습니다: {pair.image}: {exc}") from None
    mask, _ = read_mask(pair.mask, num_classes, palette)
    if mask.shape != rgb.shape[:2]:
        raise DatasetError(_size_message(pair, rgb.shape[:2], mask.shape))
    return rgb, mask


def _size_message(pair: Pair, image_shape, mask_shape) -> str:
    seen = f"{image_shape[1]}×{image_shape[0]}"
    text = (f"영상({seen})과 마스크({mask_shape[1]}×{mask_shape[0]})의 크기가 다릅니다: {pair.image.name} ↔ "
            f"{pair.mask}. ")
    with Image.open(pair.image) as raw:
        orientation = raw.getexif().get(0x0112, 1)
        stored = raw.size
    if orientation in _ROTATING_ORIENTATIONS and tuple(mask_shape[::-1]) == stored:
        return text + (f"사진에 EXIF 회전 정보(방향 {orientation})가 있어 보이는 방향({seen})으로 읽었는데, "
                       f"마스크는 회전 전의 저장된 방향({stored[0]}×{stored[1]})으로 만들어졌습니다. "
                       "사진을 회전을 반영해 다시 저장하거나(PIL.ImageOps.exif_transpose), 마스크를 보이는 방향으로 "
                       "다시 만드세요.")
    return text + "같은 영상에서 만든 마스크인지, 마스크를 줄이거나 자르지 않았는지 확인하세요."


def check_dataset(dataset: Dataset, palette=None) -> Summary:
    """모든 쌍을 읽어 검사하고 클래스마다 화소 수를 셉니다. 학습을 시작하기 전에 부릅니다.

    Raises:
        DatasetError: 쌍마다의 문제(:func:`read_pair`)를 모두 모아 한 번에(다섯 개까지 적고 나머지는 개수),
            모든 마스크가 0과 255뿐일 때("255는 무시"), 배경 말고는 어떤 클래스도 나오지 않을 때.
    """
    summary = Summary(dataset, pixels=np.zeros(dataset.num_classes, np.int64),
                      image_counts=np.zeros(dataset.num_classes, np.int64))
    problems, binary_255 = [], []
    for pair in dataset.pairs:
        try:
            _, mask = read_pair(pair, dataset.num_classes, palette)
            summary.converted_colour_masks += _is_colour(pair.mask)
        except DatasetError as exc:
            problems.append(str(exc))
            continue
        counts = np.bincount(mask.ravel(), minlength=256)
        summary.images += 1
        summary.pixels += counts[:dataset.num_classes]
        summary.image_counts += counts[:dataset.num_classes] > 0
        summary.ignored_pixels += int(counts[voc.IGNORE_LABEL])
        if counts[voc.IGNORE_LABEL] and counts[1:voc.IGNORE_LABEL].sum() == 0:
            binary_255.append(pair.mask.name)
    if problems:
        raise DatasetError(f"데이터셋의 {len(dataset.pairs)}쌍 중 {len(problems)}쌍에 문제가 있습니다. 학습 전에 "
                           "고치세요:\n- " + "\n- ".join(problems[:MAX_LISTED])
                           + (f"\n- 외 {len(problems) - MAX_LISTED}쌍" if len(problems) > MAX_LISTED else ""))
    if binary_255 and len(binary_255) == summary.images:
        raise DatasetError(f"모든 마스크가 0과 255뿐입니다(예: {_listed(binary_255)}). VOC에서 255는 '무시'라서 "
                           "이대로면 물체 화소를 하나도 배우지 않습니다. 물체를 1로 저장하려던 것이라면 마스크를 "
                           "mask // 255 로 바꿔 저장하세요.")
    if summary.pixels[1:].sum() == 0:
        raise DatasetError("어느 마스크에도 배경(0) 말고는 클래스가 없습니다. 이대로 학습하면 모델은 배경만 "
                           "예측합니다. 마스크에 물체의 클래스 번호가 들어 있는지 확인하세요.")
    return summary


def _is_colour(path: Path) -> bool:
    with Image.open(path) as image:
        return image.mode in ("RGB", "RGBA")


def summary_rows(summary: Summary) -> list[list]:
    """요약 표의 행: 번호, 이름, 나온 영상 수, 화소 비율(%, 무시 화소를 뺀 것 중)."""
    total = max(int(summary.pixels.sum()), 1)
    return [[index, name, int(summary.image_counts[index]), 100 * summary.pixels[index] / total]
            for index, name in enumerate(summary.dataset.class_names)]


__all__ = ["Dataset", "Pair", "Summary", "check_dataset", "colours_to_labels", "open_dataset", "read_class_names",
           "read_mask", "read_pair", "summary_rows"]
