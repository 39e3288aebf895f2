import hashlib
import os
import shutil
import tarfile
from dataclasses import replace

import numpy as np
import pytest
from PIL import Image

from deeplab_lessons import load_tensorflow, pretrained
from deeplab_lessons import logits as logits_module
from deeplab_lessons.errors import DeepLabLessonsError, ImageReadError, ModelFileError, ModelNotFoundError
from deeplab_lessons.pretrained import files, registry
from deeplab_lessons.pretrained.export import export_frozen_graph_tarball
from deeplab_lessons.pretrained.seed import DeepLabModel

TFLITE = "mobilenetv2_voc_tflite"


def _register(monkeypatch, info):
    monkeypatch.setitem(registry.MODELS, info.name, info)


def _photo():
    import matplotlib.cbook as cbook

    return cbook.get_sample_data("grace_hopper.jpg", asfileobj=False)


# ---------------------------------------------------------------- TFLite 모델

def test_segment_real_photo(tflite_model):
    mask = tflite_model.segment(_photo())
    assert mask.shape == (600, 512) and mask.dtype == np.uint8
    classes, counts = np.unique(mask, return_counts=True)
    assert set(classes) <= {0, 15} and counts[list(classes).index(15)] > 0.4 * mask.size


def test_run_has_seed_semantics(tflite_model):
    resized, seg_map = tflite_model.run(Image.open(_photo()))
    assert resized.size == (219, 257) and seg_map.shape == (257, 219)   # 긴 변 257, 비율 유지


def test_segment_equals_tf_resize_then_argmax(tflite_model):
    tf = load_tensorflow()
    rgb = np.asarray(Image.open(_photo()).convert("RGB"))
    logits = tflite_model.backend.predict(tflite_model.prepare(rgb))
    assert logits.shape == (257, 257, 21)         # 고정 입력 모델은 257×257로 늘려 넣습니다.
    reference = tf.argmax(tf.image.resize(logits[None], (600, 512)), axis=-1)[0].numpy()
    assert (tflite_model.segment(rgb) == reference).mean() > 0.9999


@pytest.mark.parametrize("height,width", [(1, 1), (3, 700), (257, 257)])
def test_tiny_and_odd_images(tflite_model, height, width):
    assert tflite_model.segment(np.zeros((height, width, 3), np.uint8)).shape == (height, width)


def test_huge_image_with_bounded_memory(tflite_model):
    import tracemalloc

    image = np.full((8000, 10000, 3), 128, np.uint8)
    tracemalloc.start()
    mask = tflite_model.segment(image)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert mask.shape == (8000, 10000)
    # 영상 240 MB + 마스크 80 MB + 작업 메모리. 로짓을 한꺼번에 키웠다면 6.7 GB였습니다.
    assert peak < 1_200_000_000


def test_exif_rotated_mask_lines_up(tflite_model, tmp_path):
    image = Image.open(_photo()).convert("RGB").transpose(Image.Transpose.ROTATE_90)  # 가로로 눕힘
    exif = Image.Exif()
    exif[0x0112] = 6      # 보는 프로그램은 시계 방향으로 90° 돌려 다시 세워 보여 줍니다.
    path = tmp_path / "rotated.jpg"
    image.save(path, exif=exif, quality=95)
    mask = tflite_model.segment(path)
    assert mask.shape == (600, 512)
    upright = tflite_model.segment(_photo())
    assert (mask == upright).mean() > 0.97


def test_resize_logits_argmax_matches_tf_in_chunks(monkeypatch):
    tf = load_tensorflow()
    logits = np.random.default_rng(0).standard_normal((9, 7, 4)).astype(np.float32)
    monkeypatch.setattr(logits_module, "CHUNK_VALUES", 50)     # 여러 조각으로 나눠 계산하게 합니다.
    ours = logits_module.resize_logits_argmax(logits, 31, 23)
    reference = tf.argmax(tf.image.resize(logits[None], (31, 23)), axis=-1)[0].numpy()
    assert (ours == reference).mean() > 0.999


# ---------------------------------------------------------------- 파일 찾기와 내려받기

def test_no_network_when_found_locally(tflite_path, isolated, monkeypatch):
    monkeypatch.setattr(files, "_download", lambda *a: pytest.fail("네트워크를 쓰면 안 됩니다"))
    monkeypatch.setenv("DEEPLAB_LESSONS_MODEL_DIR", str(tflite_path.parent))
    assert pretrained.load_model(TFLITE).name == TFLITE


def test_missing_model_without_network(isolated, monkeypatch):
    info = replace(registry.MODELS[TFLITE], url=(isolated / "offline" / "x.tflite").as_uri())
    _register(monkeypatch, info)
    (isolated / "given").mkdir()          # 있는 폴더에 파일이 없을 때(없는 폴더는 test_missing_model_dir_is_an_error)
    with pytest.raises(ModelNotFoundError) as error:
        pretrained.load_model(TFLITE, model_dir=isolated / "given")
    message = str(error.value)
    assert "deeplabv3_257_mv_gpu.tflite" in message and "찾아본 곳" in message
    assert str(isolated / "given") in message and info.url in message and "DEEPLAB_LESSONS_MODEL_DIR" in message
    assert not any((isolated / "cache").rglob("*.tflite"))
    assert list((isolated / "cache").iterdir()) == []     # 반쯤 받은 파일이나 임시 폴더가 없습니다.


def test_download_verifies_checksum_and_caches(tflite_path, isolated, monkeypatch):
    digest = hashlib.sha256(tflite_path.read_bytes()).hexdigest()
    _register(monkeypatch, replace(registry.MODELS[TFLITE], url=tflite_path.as_uri(), checksum=("sha256", digest)))
    model = pretrained.load_model(TFLITE)
    assert (isolated / "cache" / "deeplabv3_257_mv_gpu.tflite").is_file()
    assert model.segment(np.zeros((8, 8, 3), np.uint8)).shape == (8, 8)
    monkeypatch.setattr(files, "_download", lambda *a: pytest.fail("두 번째에는 캐시를 써야 합니다"))
    pretrained.load_model(TFLITE)


def test_checksum_mismatch_is_rejected_and_not_cached(tflite_path, isolated, monkeypatch):
    _register(monkeypatch, replace(registry.MODELS[TFLITE], url=tflite_path.as_uri(), checksum=("sha256", "0" * 64)))
    with pytest.raises(ModelFileError, match="체크섬이 맞지 않아"):
        pretrained.load_model(TFLITE)
    assert list((isolated / "cache").iterdir()) == []
    local = isolated / "given"
    local.mkdir()
    shutil.copy(tflite_path, local / "deeplabv3_257_mv_gpu.tflite")
    with pytest.raises(ModelFileError, match="체크섬"):
        pretrained.load_model(TFLITE, model_dir=local)


def test_unknown_name_and_unknown_file_type(isolated):
    with pytest.raises(DeepLabLessonsError, match="알 수 없는 모델 이름.*xception_coco_voctrainaug"):
        pretrained.load_model("deeplab_resnet")
    with pytest.raises(DeepLabLessonsError, match="형식을 알 수 없습니다"):
        pretrained.load_model(isolated / "model.onnx")
    with pytest.raises(ModelNotFoundError, match="모델 파일이 없습니다"):
        pretrained.load_model(isolated / "missing.tflite")


def test_bad_image_path_through_the_model(tflite_model, tmp_path):
    with pytest.raises(ImageReadError, match="영상 파일이 없습니다"):
        tflite_model.segment(tmp_path / "missing.png")


# ---------------------------------------------------------------- 손상된 모델 파일

def test_corrupt_tflite(tmp_path):
    path = tmp_path / "broken.tflite"
    path.write_bytes(os.urandom(300))
    with pytest.raises(ModelFileError, match="TFLite 모델을 열 수 없습니다: broken.tflite"):
        pretrained.load_model(path)


def test_tflite_that_is_not_deeplab(classifier_tflite):
    with pytest.raises(ModelFileError, match="DeepLab 분할 모델이 아닙니다"):
        pretrained.load_model(classifier_tflite)


def test_corrupt_and_empty_tarballs(tmp_path):
    garbage = tmp_path / "garbage.tar.gz"
    garbage.write_bytes(os.urandom(500))
    with pytest.raises(ModelFileError, match="tarball을 읽을 수 없습니다"):
        DeepLabModel(garbage)
    empty = tmp_path / "empty.tar.gz"
    (tmp_path / "readme.txt").write_text("x")
    with tarfile.open(empty, "w:gz") as archive:
        archive.add(tmp_path / "readme.txt", arcname="model/readme.txt")
    with pytest.raises(ModelFileError, match="frozen_inference_graph.pb 가 없습니다.*model/readme.txt"):
        pretrained.load_model(empty)


# ---------------------------------------------------------------- frozen graph tarball (테스트가 만든 것)

@pytest.fixture(scope="module")
def keras_and_tarball(tmp_path_factory):
    from deeplab_lessons import models

    model = models.deeplab_v3(num_classes=21, alpha=0.35, aspp_filters=16)
    path = export_frozen_graph_tarball(model, tmp_path_factory.mktemp("graph") / "tiny_model.tar.gz")
    return model, path


def test_tarball_has_official_layout(keras_and_tarball):
    _, path = keras_and_tarball
    with tarfile.open(path) as archive:
        assert archive.getnames() == ["tiny_model/frozen_inference_graph.pb"]
    assert not list(path.parent.glob(".partial_*"))


def test_seed_class_runs_the_tarball_like_keras(keras_and_tarball):
    model, path = keras_and_tarball
    seed = DeepLabModel(path)
    assert (seed.INPUT_TENSOR_NAME, seed.OUTPUT_TENSOR_NAME, seed.INPUT_SIZE) == (
        "ImageTensor:0", "SemanticPredictions:0", 513)
    image = Image.fromarray(np.random.default_rng(0).integers(0, 255, (300, 400, 3), np.uint8))
    resized, seg_map = seed.run(image)
    assert resized.size == (513, 384) and seg_map.shape == (384, 513)
    expected = model(np.asarray(resized, np.float32)[None] / 127.5 - 1).numpy()[0].argmax(-1)
    assert (seg_map == expected).mean() > 0.999
    via_loader = pretrained.load_model(path)
    assert np.array_equal(via_loader.run(image)[1], seg_map)
    assert via_loader.segment(image).shape == (300, 400)


def test_voc_sample_accuracy(tflite_model, voc_root):
    """VOC 2012 val 10장 표본: 257×257로 늘려 넣기로 평균 IoU 0.5 안팎, 화소 정확도 0.9 안팎."""
    from deeplab_lessons import metrics

    evaluation = metrics.evaluate_voc(tflite_model, voc_root)
    assert evaluation.images == 10
    assert evaluation.mean_iou > 0.45 and evaluation.pixel_accuracy > 0.85
