"""학습자의 데이터셋 읽기: 두 배치, 클래스 이름 파일, 흔한 마스크 실수마다 파일 이름을 담은 한국어 오류, 요약."""

import numpy as np
import pytest
from PIL import Image

from deeplab_lessons import datasets, voc
from deeplab_lessons.errors import DatasetError


def _palette_png(mask: np.ndarray, path):
    image = Image.fromarray(mask.astype(np.uint8), mode="P")
    image.putpalette(voc.colormap().ravel().tolist())
    image.save(path)


def _folder(tmp_path, masks: dict, classes=("배경", "고양이", "개"), size=(12, 8)):
    """폴더 배치: images/<이름>.jpg, masks/<이름>.png (마스크는 배열이나 PIL 영상)."""
    root = tmp_path / "mine"
    (root / "images").mkdir(parents=True)
    (root / "masks").mkdir()
    if classes is not None:
        (root / "classes.txt").write_text("\n".join(classes) + "\n", encoding="utf-8")
    for name, mask in masks.items():
        Image.new("RGB", size, (90, 120, 30)).save(root / "images" / f"{name}.jpg")
        if isinstance(mask, Image.Image):
            mask.save(root / "masks" / f"{name}.png")
        else:
            _palette_png(mask, root / "masks" / f"{name}.png")
    return root


def _mask(value=1, shape=(8, 12)):
    mask = np.zeros(shape, np.uint8)
    mask[2:6, 3:9] = value
    return mask


def test_folder_layout_with_class_file(tmp_path):
    root = _folder(tmp_path, {"a": _mask(1), "b": _mask(2)})
    dataset = datasets.open_dataset(root)
    assert dataset.layout == "folder" and dataset.class_names == ("배경", "고양이", "개")
    summary = datasets.check_dataset(dataset)
    assert summary.images == 2 and summary.pixels.tolist() == [2 * 96 - 48, 24, 24]
    assert summary.missing_classes == []
    rows = datasets.summary_rows(summary)
    assert rows[1][:3] == [1, "고양이", 1] and abs(sum(r[3] for r in rows) - 100) < 1e-9


def test_voc_layout_is_the_repository_sample():
    dataset = datasets.open_dataset(voc.SAMPLE_ROOT, "val")
    assert dataset.layout == "voc" and dataset.num_classes == 21 and len(dataset.pairs) == 10
    summary = datasets.check_dataset(dataset)
    assert summary.images == 10 and summary.ignored_pixels > 0
    assert "소 (cow)" not in summary.missing_classes and "cow" in summary.missing_classes


def test_classes_that_never_occur_are_listed(tmp_path):
    summary = datasets.check_dataset(datasets.open_dataset(_folder(tmp_path, {"a": _mask(1)})))
    assert summary.missing_classes == ["개"]


def test_rgb_colour_masks_are_converted_with_the_voc_palette(tmp_path):
    colours = voc.colormap()[_mask(2)]
    root = _folder(tmp_path, {"a": Image.fromarray(colours, "RGB")})
    summary = datasets.check_dataset(datasets.open_dataset(root))
    assert summary.converted_colour_masks == 1 and summary.pixels[2] == 24


def test_rgb_colours_that_match_no_class_are_listed(tmp_path):
    colours = voc.colormap()[_mask(2)]
    colours[0, :5] = (1, 2, 3)
    root = _folder(tmp_path, {"a": Image.fromarray(colours, "RGB")})
    with pytest.raises(DatasetError, match=r"a\.png: \(1, 2, 3\) 5화소.*색상표\(palette=\)"):
        datasets.check_dataset(datasets.open_dataset(root))


def test_a_given_palette_is_used(tmp_path):
    palette = np.array([[0, 0, 0], [255, 0, 0], [0, 0, 255]], np.uint8)
    root = _folder(tmp_path, {"a": Image.fromarray(palette[_mask(2)], "RGB")})
    summary = datasets.check_dataset(datasets.open_dataset(root), palette=palette)
    assert summary.pixels[2] == 24


def test_masks_saved_as_0_and_255(tmp_path):
    root = _folder(tmp_path, {"a": Image.fromarray(_mask(255), "L"), "b": Image.fromarray(_mask(255), "L")},
                   classes=("배경", "물체"))
    with pytest.raises(DatasetError, match="0과 255뿐입니다.*255는 '무시'.*mask // 255"):
        datasets.check_dataset(datasets.open_dataset(root))


def test_values_at_or_above_the_number_of_classes(tmp_path):
    root = _folder(tmp_path, {"a": _mask(1), "b": _mask(7)})
    with pytest.raises(DatasetError, match=r"(?s)1쌍에 문제.*클래스 수\(3개: 0–2\) 밖의 값 \[7\].*b\.png"):
        datasets.check_dataset(datasets.open_dataset(root))


def test_image_and_mask_of_different_sizes(tmp_path):
    root = _folder(tmp_path, {"a": _mask(1, shape=(6, 12))})
    with pytest.raises(DatasetError, match=r"영상\(12×8\)과 마스크\(12×6\)의 크기가 다릅니다: a\.jpg"):
        datasets.check_dataset(datasets.open_dataset(root))


def test_exif_rotated_photo_against_its_mask(tmp_path):
    root = _folder(tmp_path, {"a": _mask(1)})
    photo = Image.new("RGB", (12, 8), (90, 120, 30))
    exif = photo.getexif()
    exif[0x0112] = 6                                         # 90° 돌려 보이기: 보이는 크기 8×12
    photo.save(root / "images" / "a.jpg", exif=exif)
    with pytest.raises(DatasetError, match="EXIF 회전 정보\\(방향 6\\).*회전 전의 저장된 방향\\(12×8\\)"):
        datasets.check_dataset(datasets.open_dataset(root))


def test_missing_partner_files(tmp_path):
    root = _folder(tmp_path, {"a": _mask(1), "b": _mask(1)})
    (root / "masks" / "b.png").unlink()
    Image.new("RGB", (12, 8)).save(root / "masks" / "c.png")
    with pytest.raises(DatasetError, match=r"짝이 없는 파일이 2개.*images/b\.jpg \(마스크 없음\).*masks/c\.png"):
        datasets.open_dataset(root)


def test_missing_voc_partner(tmp_path):
    root = tmp_path / "VOC2012"
    for folder in ("JPEGImages", "SegmentationClass", "ImageSets/Segmentation"):
        (root / folder).mkdir(parents=True)
    (root / "ImageSets/Segmentation/train.txt").write_text("x\n")
    with pytest.raises(DatasetError, match="짝 파일이 2개 없습니다.*x.jpg.*목록에서 그 id를 빼세요"):
        datasets.open_dataset(root)


def test_empty_set_and_unknown_layout(tmp_path):
    with pytest.raises(DatasetError, match="비어 있습니다"):
        datasets.open_dataset(_folder(tmp_path, {}))
    (tmp_path / "other").mkdir()
    with pytest.raises(DatasetError, match="배치를 알 수 없습니다"):
        datasets.open_dataset(tmp_path / "other")
    with pytest.raises(DatasetError, match="폴더가 없습니다"):
        datasets.open_dataset(tmp_path / "nowhere")


def test_unreadable_files(tmp_path):
    root = _folder(tmp_path, {"a": _mask(1), "b": _mask(1)})
    (root / "images" / "a.jpg").write_bytes(b"not a jpeg")
    (root / "masks" / "b.png").write_bytes(b"not a png")
    expected = r"(?s)2쌍에 문제.*영상을 읽을 수 없습니다: .*a\.jpg.*마스크를 읽을 수 없습니다: .*b\.png"
    with pytest.raises(DatasetError, match=expected):
        datasets.check_dataset(datasets.open_dataset(root))


def test_class_files(tmp_path):
    root = _folder(tmp_path, {"a": _mask(1)}, classes=None)
    with pytest.raises(DatasetError, match="classes.txt 가 없습니다"):
        datasets.open_dataset(root)
    names = tmp_path / "names.txt"
    names.write_text("# 번호 순서\nbackground\ncat  # 고양이\n\ndog\n", encoding="utf-8")
    assert datasets.open_dataset(root, classes=names).class_names == ("background", "cat", "dog")
    names.write_text("background\ncat\ncat\n", encoding="utf-8")
    with pytest.raises(DatasetError, match="같은 클래스 이름이 두 번.*cat"):
        datasets.read_class_names(names)
    with pytest.raises(DatasetError, match="두 개 이상"):
        datasets.open_dataset(root, classes=["배경"])


def test_only_background_is_refused(tmp_path):
    root = _folder(tmp_path, {"a": np.zeros((8, 12), np.uint8)})
    with pytest.raises(DatasetError, match="배경만 예측"):
        datasets.check_dataset(datasets.open_dataset(root))
