"""내 클래스로 바꾸기: 옛 클래스 번호를 새 번호로(예: VOC 21개 → 배경/사람/탈것/동물), 그 데이터셋을 폴더 배치로 쓰기.

255(무시)는 언제나 그대로 둡니다. 경계의 애매한 화소를 배경으로 바꾸면 "배경"이라고 가르치게 되기 때문입니다.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import numpy as np
from PIL import Image

from deeplab_lessons import voc
from deeplab_lessons.datasets import Dataset, check_class_names, open_dataset, read_mask
from deeplab_lessons.errors import DatasetError, josa


def remap_labels(mask: np.ndarray, mapping) -> np.ndarray:
    """클래스 번호를 새 번호로 바꿉니다(예: VOC 21개 → 배경/사람/탈것/동물). 255(무시)는 그대로 둡니다.

    Args:
        mask: ``(H, W)`` 정수 마스크.
        mapping: 옛 번호마다의 새 번호(길이 = 옛 클래스 수인 시퀀스).

    Raises:
        DatasetError: ``mapping`` 보다 큰 옛 번호가 마스크에 있을 때, 새 번호가 0–254 밖일 때.
    """
    table = np.full(256, voc.IGNORE_LABEL, np.uint8)
    mapping = np.asarray(mapping)
    if mapping.ndim != 1 or mapping.size == 0 or mapping.min() < 0 or mapping.max() >= voc.IGNORE_LABEL:
        raise DatasetError(f"mapping은 옛 번호마다 새 번호(0–254)를 적은 1차원 목록이어야 합니다(받은 값: {mapping}).")
    table[:mapping.size] = mapping
    mask = np.asarray(mask)
    stray = sorted(int(v) for v in np.unique(mask) if mapping.size <= v < voc.IGNORE_LABEL)
    if stray:
        raise DatasetError(f"mapping({mapping.size}개)에 없는 옛 번호 {josa(stray, '이')} 마스크에 있습니다. "
                           "모든 옛 번호의 새 번호를 적으세요.")
    return table[mask.astype(np.uint8)]


def group_mapping(old_names, groups: dict) -> tuple[np.ndarray, tuple[str, ...]]:
    """옛 클래스를 새 클래스로 모으는 표: ``groups`` 는 새 이름 → 옛 이름들(첫 새 이름이 0번). 어느 무리에도 없는
    옛 클래스는 0번(보통 배경)으로 갑니다. ``(mapping (옛 클래스 수,) int, 새 이름들)`` 을 돌려줍니다.

    Raises:
        DatasetError: 옛 이름에 없는 이름이 있을 때, 한 옛 클래스가 두 무리에 있을 때.
    """
    old = list(old_names)
    mapping = np.zeros(len(old), np.int64)
    seen: dict[str, str] = {}
    for new_index, (new_name, members) in enumerate(groups.items()):
        for member in members:
            if member not in old:
                raise DatasetError(f"옛 클래스 이름 {josa(repr(member), '이')} 없습니다({new_name}). "
                                   f"있는 이름: {', '.join(old)}")
            if member in seen:
                raise DatasetError(f"옛 클래스 {josa(repr(member), '이')} 두 무리({seen[member]}, {new_name})에 "
                                   "있습니다.")
            seen[member] = new_name
            mapping[old.index(member)] = new_index
    return mapping, tuple(groups)


def save_mask(path, mask: np.ndarray) -> None:
    """``(H, W)`` uint8 클래스 번호를 VOC 색상표의 팔레트 PNG로 씁니다(값은 번호 그대로, 보기에는 VOC 색)."""
    image = Image.fromarray(np.asarray(mask, np.uint8), mode="P")
    image.putpalette(voc.colormap().ravel().tolist())
    image.save(path, format="PNG")


def remap_dataset(dataset: Dataset, out_root, mapping, class_names) -> Dataset:
    """데이터셋의 클래스를 바꿔(:func:`remap_labels`) 폴더 배치(``images/``, ``masks/``, ``classes.txt``)로 씁니다.

    영상 파일은 다시 압축하지 않고 그대로 복사합니다. 숨은 임시 폴더에 다 쓴 뒤 이름을 바꾸므로, 중간에 끊겨도
    ``out_root`` 에 반쯤 쓴 데이터셋이 남지 않습니다.

    Args:
        dataset: 원래 데이터셋(:func:`open_dataset`).
        out_root: 새 데이터셋 폴더(아직 없어야 함).
        mapping: 옛 번호마다의 새 번호(길이 = 옛 클래스 수).
        class_names: 새 클래스 이름들(번호 순서, 길이 = 새 클래스 수).

    Raises:
        DatasetError: ``out_root`` 가 이미 있을 때, 이름 수가 새 번호와 맞지 않을 때, 쌍을 읽을 수 없을 때.
    """
    out_root = Path(out_root)
    names = check_class_names(list(class_names), "class_names")
    mapping = np.asarray(mapping)
    if mapping.size != dataset.num_classes or mapping.max(initial=0) >= len(names):
        raise DatasetError(f"mapping은 옛 클래스 {dataset.num_classes}개마다 새 번호(0–{len(names) - 1})를 하나씩 "
                           f"적어야 합니다(받은 길이 {mapping.size}, 가장 큰 새 번호 {mapping.max(initial=0)}).")
    if out_root.exists():
        raise DatasetError(f"새 데이터셋 폴더가 이미 있습니다: {out_root}. 없는 폴더 이름을 주세요.")
    temp = out_root.parent / f".{out_root.name}.partial-{os.getpid()}"
    try:
        for sub in ("images", "masks"):
            (temp / sub).mkdir(parents=True)
        for pair in dataset.pairs:
            mask, _ = read_mask(pair.mask, dataset.num_classes)
            shutil.copyfile(pair.image, temp / "images" / f"{pair.image_id}{pair.image.suffix.lower()}")
            save_mask(temp / "masks" / f"{pair.image_id}.png", remap_labels(mask, mapping))
        (temp / "classes.txt").write_text("\n".join(names) + "\n", encoding="utf-8")
        os.replace(temp, out_root)
    finally:
        shutil.rmtree(temp, ignore_errors=True)
    return open_dataset(out_root)


__all__ = ["group_mapping", "remap_dataset", "remap_labels", "save_mask"]
