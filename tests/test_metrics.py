import numpy as np
import pytest

from deeplab_lessons import metrics
from deeplab_lessons.errors import DeepLabLessonsError


def test_hand_computed_case():
    truth = np.array([[0, 0, 1], [1, 2, 255]])
    prediction = np.array([[0, 1, 1], [1, 2, 0]])
    matrix = metrics.confusion_matrix(truth, prediction, num_classes=3)
    np.testing.assert_array_equal(matrix, [[1, 1, 0], [0, 2, 0], [0, 0, 1]])
    # 클래스 0: 1/2, 클래스 1: 2/3, 클래스 2: 1/1
    np.testing.assert_allclose(metrics.iou_per_class(matrix), [0.5, 2 / 3, 1.0])
    assert metrics.mean_iou(matrix) == pytest.approx((0.5 + 2 / 3 + 1) / 3)
    assert metrics.pixel_accuracy(matrix) == pytest.approx(4 / 5)


def test_absent_classes_are_not_averaged():
    matrix = metrics.confusion_matrix(np.array([0, 0]), np.array([0, 0]), num_classes=21)
    assert np.isnan(metrics.iou_per_class(matrix)[5])
    assert metrics.mean_iou(matrix) == 1.0


def test_matches_keras_mean_iou():
    from deeplab_lessons import load_keras

    keras = load_keras()
    rng = np.random.default_rng(0)
    truth, prediction = rng.integers(0, 5, (2, 16, 16)), rng.integers(0, 5, (2, 16, 16))
    ours = metrics.evaluate(zip(truth, prediction, strict=True), num_classes=5).mean_iou
    reference = keras.metrics.MeanIoU(num_classes=5)
    reference.update_state(truth, prediction)
    assert ours == pytest.approx(float(reference.result()), abs=1e-6)


def test_errors():
    with pytest.raises(DeepLabLessonsError, match="모양이 다릅니다"):
        metrics.confusion_matrix(np.zeros((2, 2)), np.zeros((3, 2)))
    with pytest.raises(DeepLabLessonsError, match="0–2 밖의 클래스"):
        metrics.confusion_matrix(np.array([0, 3]), np.array([0, 1]), num_classes=3)
    with pytest.raises(DeepLabLessonsError, match="VOC 폴더를 쓸 수 없습니다.*nonexistent 폴더가 없습니다"):
        metrics.voc_image_ids("/nonexistent")


def test_find_voc_root(monkeypatch, tmp_path):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("DEEPLAB_LESSONS_VOC_DIR", str(tmp_path / "voc"))
    with pytest.raises(DeepLabLessonsError, match="DEEPLAB_LESSONS_VOC_DIR.*폴더가 없습니다.*환경 변수를 지우세요"):
        metrics.find_voc_root()
    (tmp_path / "voc" / "ImageSets" / "Segmentation").mkdir(parents=True)
    (tmp_path / "voc" / "ImageSets" / "Segmentation" / "val.txt").write_text("a\nb\n")
    assert metrics.find_voc_root() == tmp_path / "voc"
    assert metrics.voc_image_ids(tmp_path / "voc") == ["a", "b"]


# ---------------------------------------------------------------- 평가할 영상 수(이슈 26, 5)

def _voc_with(tmp_path, count):
    from PIL import Image

    root = tmp_path / "VOC2012"
    (root / "ImageSets" / "Segmentation").mkdir(parents=True)
    for folder in ("JPEGImages", "SegmentationClass"):
        (root / folder).mkdir()
    ids = [f"2007_{i:06d}" for i in range(count)]
    (root / "ImageSets" / "Segmentation" / "val.txt").write_text("\n".join(ids) + "\n")
    for image_id in ids[:1]:
        Image.new("RGB", (4, 4)).save(root / "JPEGImages" / f"{image_id}.jpg")
        Image.new("P", (4, 4)).save(root / "SegmentationClass" / f"{image_id}.png")
    return root, ids


def test_evaluation_ids_default_to_the_sample_and_say_so_for_the_full_set(tmp_path, capsys):
    root, ids = _voc_with(tmp_path, 1449)
    assert metrics.evaluation_ids(root) == ids[:metrics.SAMPLE_IMAGES]
    out = capsys.readouterr().out
    assert "1,449장 중 앞 10장만" in out and "limit=None" in out
    assert metrics.evaluation_ids(root, limit=None) == ids
    assert "1,449장을 모두 평가합니다" in capsys.readouterr().out


def test_evaluation_ids_of_the_sample_print_nothing(capsys):
    from deeplab_lessons import voc

    assert len(metrics.evaluation_ids(voc.SAMPLE_ROOT)) == metrics.SAMPLE_IMAGES
    assert capsys.readouterr().out == ""


def test_progress_line_estimates_the_remaining_time():
    assert metrics.progress_line(3, 1449, "2007_000033", 27.0) == \
        "[3/1,449] 2007_000033 끝 (경과 27초, 남은 시간 약 3시간 36분)"
    assert metrics.progress_line(10, 10, "x", 90.0) == "[10/10] x 끝 (경과 1분 30초)"


def test_matrices_by_image_sum_to_one_evaluation():
    truths = [np.array([[0, 1], [1, 255]]), np.array([[2, 2], [0, 0]])]
    predictions = [np.array([[0, 1], [0, 0]]), np.array([[2, 1], [0, 0]])]
    matrices = metrics.matrices_by_image(["a", "b"], truths, predictions, 3)
    assert sorted(matrices) == ["a", "b"] and matrices["a"].sum() == 3
    together = metrics.evaluate(zip(truths, predictions, strict=True), 3)
    assert np.array_equal(metrics.evaluate_matrices(matrices).matrix, together.matrix)
