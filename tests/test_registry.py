import pytest

from deeplab_lessons import pretrained
from deeplab_lessons.errors import DeepLabLessonsError

TFLITE = "mobilenetv2_voc_tflite"


def test_registry_has_the_seed_models_the_tflite_model_and_its_keras_rebuild():
    assert set(pretrained.MODELS) == {
        "mobilenetv2_coco_voctrainaug", "mobilenetv2_coco_voctrainval",
        "xception_coco_voctrainaug", "xception_coco_voctrainval", TFLITE, "mobilenetv2_voc_keras"}
    keras_entry = pretrained.get_model_info("mobilenetv2_voc_keras")
    assert keras_entry.filename == pretrained.get_model_info(TFLITE).filename and keras_entry.input_size == 513
    info = pretrained.get_model_info(TFLITE)
    assert info.url.endswith("/" + info.filename) and info.input_size == 257
    assert info.checksum[0] == "sha256"
    assert all(len(m.labels) == 21 and m.labels[15] == "person" for m in pretrained.MODELS.values())


def test_unknown_name_lists_valid_names():
    with pytest.raises(DeepLabLessonsError, match="알 수 없는 모델 이름.*mobilenetv2_voc_tflite"):
        pretrained.get_model_info("resnet")


def test_lookup_order_model_dir_then_env_then_cache(isolated, monkeypatch):
    tmp = isolated
    filename = pretrained.get_model_info(TFLITE).filename
    assert pretrained.find_model_file(TFLITE) is None
    for folder in ("given", "env", "cache"):
        (tmp / folder).mkdir()
        (tmp / folder / filename).write_bytes(b"x")
    monkeypatch.setenv("DEEPLAB_LESSONS_MODEL_DIR", str(tmp / "env"))
    assert pretrained.find_model_file(TFLITE, model_dir=tmp / "given") == tmp / "given" / filename
    assert pretrained.find_model_file(TFLITE) == tmp / "env" / filename
    monkeypatch.delenv("DEEPLAB_LESSONS_MODEL_DIR")
    assert pretrained.find_model_file(TFLITE) == tmp / "cache" / filename


def test_cache_dir_default_is_under_home(monkeypatch):
    monkeypatch.delenv("DEEPLAB_LESSONS_CACHE_DIR", raising=False)
    assert pretrained.cache_dir().name == "deeplab_lessons"


def test_dm05_aliases_and_descriptions():
    for alias, name in pretrained.ALIASES.items():
        assert "dm05" in alias and pretrained.get_model_info(alias) is pretrained.get_model_info(name)
    for name in (TFLITE, "mobilenetv2_voc_keras"):
        assert "MobileNetV2 (폭 배율 0.5)" in pretrained.get_model_info(name).description
    assert "폭 배율 1.0" in pretrained.get_model_info("mobilenetv2_coco_voctrainaug").description
    assert all(info.description for info in pretrained.MODELS.values())


def test_alias_loads_the_same_model(tflite_path):
    model = pretrained.load_model("mobilenetv2_dm05_voc_tflite", model_dir=tflite_path.parent)
    assert model.INPUT_SIZE == 257
