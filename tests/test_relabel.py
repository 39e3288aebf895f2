"""내 클래스로 바꾸기: 번호 표, 255를 그대로 두기, 폴더 배치로 쓰기(반쯤 쓴 폴더를 남기지 않음)."""

import numpy as np
import pytest
from test_datasets import _folder, _mask

from deeplab_lessons import datasets, relabel, voc
from deeplab_lessons.errors import DatasetError


def test_remap_labels_keeps_ignore():
    mask = np.array([[0, 15, 7], [255, 12, 3]], np.uint8)
    mapping = [0] * 21
    mapping[15], mapping[7], mapping[12], mapping[3] = 1, 2, 3, 3
    assert relabel.remap_labels(mask, mapping).tolist() == [[0, 1, 2], [255, 3, 3]]
    with pytest.raises(DatasetError, match=r"없는 옛 번호 \[12, 15\]"):
        relabel.remap_labels(mask, [0] * 10)
    with pytest.raises(DatasetError, match="0–254"):
        relabel.remap_labels(mask, [300] * 21)


def test_group_mapping_collects_old_classes_and_sends_the_rest_to_zero():
    mapping, names = relabel.group_mapping(voc.CLASS_NAMES, {"배경": ["background"], "사람": ["person"],
                                                              "동물": ["cat", "dog"]})
    assert names == ("배경", "사람", "동물")
    assert mapping[voc.CLASS_NAMES.index("person")] == 1
    assert mapping[voc.CLASS_NAMES.index("dog")] == mapping[voc.CLASS_NAMES.index("cat")] == 2
    assert mapping[voc.CLASS_NAMES.index("chair")] == 0 and mapping.shape == (21,)
    with pytest.raises(DatasetError, match="'kitten'"):
        relabel.group_mapping(voc.CLASS_NAMES, {"배경": ["background"], "동물": ["kitten"]})
    with pytest.raises(DatasetError, match="두 무리"):
        relabel.group_mapping(voc.CLASS_NAMES, {"배경": ["background"], "a": ["cat"], "b": ["cat"]})


def test_remap_dataset_writes_a_folder_layout_and_keeps_ignore(tmp_path):
    mask = _mask(2)
    mask[0, 0] = voc.IGNORE_LABEL
    source = datasets.open_dataset(_folder(tmp_path, {"a": mask, "b": _mask(1)}))
    remapped = relabel.remap_dataset(source, tmp_path / "two", [0, 1, 1], ["배경", "동물"])
    assert remapped.layout == "folder" and remapped.class_names == ("배경", "동물")
    rgb, new_mask = datasets.read_pair(remapped.pairs[0], 2)
    assert new_mask[0, 0] == voc.IGNORE_LABEL and set(np.unique(new_mask)) == {0, 1, voc.IGNORE_LABEL}
    assert (tmp_path / "two" / "images" / "a.jpg").read_bytes() == (tmp_path / "mine" / "images" / "a.jpg").read_bytes()
    with pytest.raises(DatasetError, match="이미 있습니다"):
        relabel.remap_dataset(source, tmp_path / "two", [0, 1, 1], ["배경", "동물"])
    with pytest.raises(DatasetError, match="mapping"):
        relabel.remap_dataset(source, tmp_path / "three", [0, 1], ["배경", "동물"])
    assert not (tmp_path / "three").exists() and not list(tmp_path.glob(".three*"))


def test_remap_dataset_leaves_nothing_when_a_mask_is_bad(tmp_path):
    source = datasets.open_dataset(_folder(tmp_path, {"a": _mask(1), "b": _mask(7)}))
    with pytest.raises(DatasetError, match="클래스 수"):
        relabel.remap_dataset(source, tmp_path / "out", [0, 1, 1], ["배경", "물체"])
    assert not (tmp_path / "out").exists() and not list(tmp_path.glob(".out*"))
