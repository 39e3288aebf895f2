from deeplab_lessons import environment


def test_report_lists_versions_and_models(monkeypatch, tmp_path):
    monkeypatch.setenv("DEEPLAB_LESSONS_CACHE_DIR", str(tmp_path))
    monkeypatch.setenv("DEEPLAB_LESSONS_MODEL_DIR", str(tmp_path))
    (tmp_path / "deeplabv3_257_mv_gpu.tflite").write_bytes(b"x")
    text = environment.report()
    assert "tensorflow" in text and "numpy" in text
    assert "mobilenetv2_voc_tflite" in text
    assert environment.model_availability()["mobilenetv2_voc_tflite"] is True
    assert environment.model_availability()["xception_coco_voctrainaug"] is False
    assert str(tmp_path) not in text  # 기계마다 다른 경로는 싣지 않습니다.


def test_versions_have_python_and_tensorflow():
    versions = environment.package_versions()
    assert versions["python"].count(".") == 2
    assert versions["tensorflow"].startswith("2.")
    assert versions["keras"].startswith("3.")
