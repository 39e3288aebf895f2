import os
import subprocess
import sys

import numpy as np
from PIL import Image


def _run(args, tmp_path, env_extra=None):
    env = {**os.environ, "DEEPLAB_LESSONS_CACHE_DIR": str(tmp_path / "cache"), **(env_extra or {})}
    return subprocess.run([sys.executable, "-m", "deeplab_lessons", *args], capture_output=True, text=True,
                          cwd=tmp_path, env=env, timeout=300)


def test_segment_writes_mask_and_overlay(tmp_path, tflite_path):
    import matplotlib.cbook as cbook

    photo = cbook.get_sample_data("grace_hopper.jpg", asfileobj=False)
    result = _run(["segment", photo, "--out", "out/hopper.png", "--overlay"], tmp_path,
                  {"DEEPLAB_LESSONS_MODEL_DIR": str(tflite_path.parent)})
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert "사람 (person)" in result.stdout and "찾은 클래스와 화소 비율" in result.stdout
    mask = np.asarray(Image.open(tmp_path / "out" / "hopper.png"))
    assert mask.shape == (600, 512, 3)
    assert (tmp_path / "out" / "hopper_overlay.png").is_file()


def test_errors_are_one_korean_line_and_nothing_written(tmp_path):
    result = _run(["segment", "missing.jpg", "--out", "x.png"], tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("오류: 영상 파일이 없습니다") and "Traceback" not in result.stderr
    bad = tmp_path / "fake.jpg"
    bad.write_text("텍스트")
    result = _run(["segment", "fake.jpg", "--model", "nope"], tmp_path)
    assert result.returncode == 2 and "이미지 파일이 아닙니다" in result.stderr
    Image.new("RGB", (8, 8)).save(tmp_path / "ok.png")
    result = _run(["segment", "ok.png", "--model", "nope", "--out", "y.png"], tmp_path)
    assert result.returncode == 2 and "알 수 없는 모델 이름" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fake.jpg", "ok.png"]


def test_models_listing(tmp_path, tflite_path):
    result = _run(["models"], tmp_path, {"DEEPLAB_LESSONS_MODEL_DIR": str(tflite_path.parent)})
    assert result.returncode == 0
    assert "mobilenetv2_voc_tflite" in result.stdout and "있음" in result.stdout
