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


def test_missing_models_say_what_lesson_06_does(monkeypatch, tmp_path):
    monkeypatch.setenv("DEEPLAB_LESSONS_CACHE_DIR", str(tmp_path))
    monkeypatch.setenv("DEEPLAB_LESSONS_MODEL_DIR", str(tmp_path))
    text = environment.report()
    assert "없음 (7강에서 처음 불러올 때 내려받습니다)" in text          # TFLite: 7강의 load_model이 내려받음
    assert "선택: 7강은 있을 때만 씁니다" in environment.missing_note("xception_coco_voctrainaug")
    assert "MobileNetV2 (폭 배율 0.5)" in text
