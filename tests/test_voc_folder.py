"""조금 망가진 VOC 폴더에서 evaluate_voc (16번 6): 영상 id와 폴더를 말하는 한국어 오류, 예측 탓을 하지 않음."""

import re

import numpy as np
import pytest
from PIL import Image

from deeplab_lessons import metrics, voc
from deeplab_lessons.errors import DeepLabLessonsError, VocFolderError


class AllBackground:
    """어떤 영상이든 배경(0)으로 분할하는 가짜 모델."""

    def segment(self, image):
        from deeplab_lessons.image_io import load_image

        return np.zeros(load_image(image).shape[:2], np.uint8)


def _voc(tmp_path, ids=("a", "b")):
    root = tmp_path / "VOC2012"
    for folder in ("JPEGImages", "SegmentationClass", "ImageSets/Segmentation"):
        (root / folder).mkdir(parents=True)
    for image_id in ids:
        Image.new("RGB", (20, 16), (120, 60, 30)).save(root / "JPEGImages" / f"{image_id}.jpg")
        mask = np.zeros((16, 20), np.uint8)
        mask[4:10, 5:12] = 15
        mask[0] = 255
        palette = Image.fromarray(mask, mode="P")
        palette.putpalette(voc.colormap().ravel().tolist())
        palette.save(root / "SegmentationClass" / f"{image_id}.png")
    (root / "ImageSets" / "Segmentation" / "val.txt").write_text("\n".join(ids) + "\n")
    return root


def test_a_healthy_folder_evaluates(tmp_path):
    evaluation = metrics.evaluate_voc(AllBackground(), _voc(tmp_path))
    assert evaluation.images == 2 and 0 < evaluation.pixel_accuracy < 1


def test_missing_mask_names_the_image_and_the_folder(tmp_path):
    root = _voc(tmp_path)
    (root / "SegmentationClass" / "b.png").unlink()
    with pytest.raises(VocFolderError, match="정답 마스크가 없습니다: 영상 id b, 폴더 .*SegmentationClass"):
        metrics.evaluate_voc(AllBackground(), root)


def test_truncated_mask(tmp_path):
    root = _voc(tmp_path)
    path = root / "SegmentationClass" / "a.png"
    path.write_bytes(path.read_bytes()[:60])
    with pytest.raises(VocFolderError, match="잘렸거나 손상되었습니다: 영상 id a, 폴더"):
        metrics.evaluate_voc(AllBackground(), root)


def test_rgb_mask_is_not_blamed_on_the_prediction(tmp_path):
    root = _voc(tmp_path)
    path = root / "SegmentationClass" / "a.png"
    Image.open(path).convert("RGB").save(path)
    with pytest.raises(VocFolderError) as error:
        metrics.evaluate_voc(AllBackground(), root)
    message = str(error.value)
    assert "RGB 영상입니다: 영상 id a" in message and "SegmentationClass" in message and "예측" not in message


def test_wrong_size_mask(tmp_path):
    root = _voc(tmp_path)
    Image.new("P", (10, 8)).save(root / "SegmentationClass" / "b.png")
    with pytest.raises(VocFolderError, match=r"마스크의 크기\(10×8\)가 영상의 크기\(20×16\)와 다릅니다: 영상 id b") \
            as error:
        metrics.evaluate_voc(AllBackground(), root)
    assert "예측" not in str(error.value)


def test_mask_values_out_of_range_name_the_image(tmp_path):
    root = _voc(tmp_path)
    Image.fromarray(np.full((16, 20), 40, np.uint8), mode="L").save(root / "SegmentationClass" / "b.png")
    with pytest.raises(DeepLabLessonsError, match="VOC 영상 b .*정답에 0–20 밖의 클래스 번호"):
        metrics.evaluate_voc(AllBackground(), root)


def test_empty_listing_gives_no_nan_and_no_english_warning(tmp_path, recwarn):
    root = _voc(tmp_path)
    (root / "ImageSets" / "Segmentation" / "val.txt").write_text("\n  \n")
    with pytest.raises(VocFolderError, match="목록 파일이 비어 있습니다: .*val.txt"):
        metrics.evaluate_voc(AllBackground(), root)
    assert not recwarn.list


def test_root_none_from_find_voc_root(monkeypatch, tmp_path):
    monkeypatch.delenv("DEEPLAB_LESSONS_VOC_DIR", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setattr(voc, "SAMPLE_ROOT", tmp_path / "no-sample")
    assert metrics.find_voc_root() is None
    with pytest.raises(VocFolderError, match="받은 값: None.*find_voc_root.*DEEPLAB_LESSONS_VOC_DIR"):
        metrics.evaluate_voc(AllBackground(), metrics.find_voc_root())


def test_missing_folder_and_missing_split(tmp_path):
    with pytest.raises(VocFolderError, match="nowhere 폴더가 없습니다"):
        metrics.evaluate_voc(AllBackground(), tmp_path / "nowhere")
    with pytest.raises(VocFolderError, match=r"목록 파일이 없습니다: .*trainval\.txt"):
        metrics.evaluate_voc(AllBackground(), _voc(tmp_path), split="trainval")


def test_missing_image_names_the_id(tmp_path):
    root = _voc(tmp_path)
    (root / "JPEGImages" / "a.jpg").unlink()
    with pytest.raises(VocFolderError, match="VOC 영상 a를 읽을 수 없습니다"):
        metrics.evaluate_voc(AllBackground(), root)


@pytest.mark.parametrize("not_a_model", ["mobilenetv2_voc_tflite", None, 42])
def test_model_argument_that_is_not_a_model(tmp_path, not_a_model):
    with pytest.raises(DeepLabLessonsError, match="segment\\(영상\\)을 가진 모델이어야.*load_model"):
        metrics.evaluate_voc(not_a_model, _voc(tmp_path))


def test_limit_zero_and_odd_roots(tmp_path, recwarn):
    root = _voc(tmp_path)
    with pytest.raises(DeepLabLessonsError, match="limit 값이 올바르지 않습니다"):
        metrics.evaluate_voc(AllBackground(), root, limit=0)
    assert metrics.evaluate_voc(AllBackground(), root, limit=1).images == 1
    with pytest.raises(VocFolderError, match="VOC 폴더 경로가 아닙니다"):
        metrics.evaluate_voc(AllBackground(), 3)
    with pytest.raises(VocFolderError, match="폴더가 아니라 파일입니다"):
        voc.check_root(root / "ImageSets" / "Segmentation" / "val.txt")
    assert not recwarn.list


def test_repository_sample_is_found_by_default(monkeypatch, tmp_path):
    monkeypatch.delenv("DEEPLAB_LESSONS_VOC_DIR", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert metrics.find_voc_root() == voc.SAMPLE_ROOT
    assert metrics.find_voc_root("train") == voc.SAMPLE_ROOT
    assert "저장소의 PASCAL VOC 2012 표본(train 147장, val 10장)" in voc.describe_root(voc.SAMPLE_ROOT)


def test_environment_variable_overrides_the_sample(monkeypatch, tmp_path):
    root = _voc(tmp_path)
    monkeypatch.setenv("DEEPLAB_LESSONS_VOC_DIR", str(root))
    assert metrics.find_voc_root() == root
    assert "val 2장" in voc.describe_root(root)
    with pytest.raises(VocFolderError, match="train.txt"):
        metrics.find_voc_root("train")


@pytest.mark.parametrize("where, expected", [
    ("VOCdevkit", "한 단계 위의 폴더입니다: 그 안의 .*VOCdevkit/VOC2012를 가리키세요"),
    ("", "한 단계 위의 폴더입니다: 그 안의 .*VOCdevkit/VOC2012를 가리키세요"),
    ("VOCdevkit/VOC2012/JPEGImages", "SegmentationClass, ImageSets/Segmentation/val.txt가 없습니다"),
    ("missing", "missing 폴더가 없습니다"),
])
def test_diagnose_says_what_the_folder_lacks(tmp_path, where, expected):
    devkit = tmp_path / "VOCdevkit"
    devkit.mkdir()
    _voc(devkit)
    assert re.search(expected, voc.diagnose(tmp_path / where if where else tmp_path))
    with pytest.raises(VocFolderError, match=expected):
        metrics.evaluate_voc(AllBackground(), tmp_path / where if where else tmp_path)


def test_empty_string_is_not_the_current_folder():
    assert voc.diagnose("") == "빈 문자열을 받았습니다. VOC2012 폴더의 경로를 주세요."
    with pytest.raises(VocFolderError, match="빈 문자열"):
        metrics.evaluate_voc(AllBackground(), "")
