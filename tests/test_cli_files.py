"""명령줄의 파일 다루기(16번 1·5·9): 회전된 사진, 쓸 수 없는 --out, 권한, 한국어 argparse, 클래스 수가 다른 모델."""

import os
import stat
import subprocess
import sys
import tempfile

import numpy as np
import pytest
from PIL import Image

from deeplab_lessons import __main__ as cli


def _run(args, cwd, env_extra=None):
    env = {**os.environ, "DEEPLAB_LESSONS_CACHE_DIR": str(cwd / "cache"), **(env_extra or {})}
    return subprocess.run([sys.executable, "-m", "deeplab_lessons", *args], capture_output=True, text=True,
                          cwd=cwd, env=env, timeout=300)


def _main(capsys, *args):
    code = cli.main([str(a) for a in args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _files(folder):
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


@pytest.fixture
def photo(tmp_path):
    path = tmp_path / "photo.png"
    Image.fromarray(np.random.default_rng(0).integers(0, 255, (40, 30, 3), np.uint8)).save(path)
    return path


@pytest.fixture
def local_model(monkeypatch, tflite_path):
    monkeypatch.setenv("DEEPLAB_LESSONS_MODEL_DIR", str(tflite_path.parent))


# ---------------------------------------------------------------- 1. EXIF로 회전된 사진

def test_exif_rotated_photo_gives_aligned_mask_and_overlay(tmp_path, tflite_path):
    """저장은 가로 60×세로 30, EXIF 방향 6 → 보이는 대로 가로 30×세로 60. 마스크·겹쳐 보기 모두 보이는 크기."""
    exif = Image.Exif()
    exif[0x0112] = 6
    Image.new("RGB", (60, 30), (90, 120, 30)).save(tmp_path / "portrait.jpg", exif=exif)
    result = _run(["segment", "portrait.jpg", "--out", "m.png", "--overlay"], tmp_path,
                  {"DEEPLAB_LESSONS_MODEL_DIR": str(tflite_path.parent)})
    assert result.returncode == 0, result.stderr
    assert Image.open(tmp_path / "m.png").size == (30, 60)
    assert Image.open(tmp_path / "m_overlay.png").size == (30, 60)
    assert "30×60 화소" in result.stdout


# ---------------------------------------------------------------- 5. 쓸 수 없는 --out

def test_out_that_is_a_directory(tmp_path, photo, capsys, local_model, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "result.png").mkdir()
    before = _files(tmp_path)
    code, out, err = _main(capsys, "segment", photo, "--out", "result.png")
    assert code == 2 and err.startswith("오류: --out이 폴더입니다") and err.count("\n") == 1
    assert _files(tmp_path) == before and out == ""


def test_out_inside_a_file(tmp_path, photo, capsys, local_model):
    before = _files(tmp_path)
    code, _, err = _main(capsys, "segment", photo, "--out", photo / "sub" / "x.png")
    assert code == 2 and "폴더가 아닌 파일이 있습니다" in err and str(photo) in err
    assert _files(tmp_path) == before


def test_out_equal_to_the_input_image_is_refused(tmp_path, photo, capsys, local_model, monkeypatch):
    monkeypatch.chdir(tmp_path)
    original = photo.read_bytes()
    code, _, err = _main(capsys, "segment", "photo.png", "--out", "./photo.png")
    assert code == 2 and "입력 영상과 같은 파일" in err
    assert photo.read_bytes() == original


def test_out_in_a_read_only_folder(tmp_path, photo, capsys, local_model, monkeypatch):
    """이 기계의 테스트는 루트로 돌아 chmod 555 폴더에도 쓸 수 있습니다. 그래서 보통 사용자가 겪는 두 가지를
    흉내 냅니다: (1) os.access가 쓰기 불가라고 답함(사전 검사), (2) 쓰는 순간 EACCES(사전 검사를 지나친 경우)."""
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    real_access = os.access
    monkeypatch.setattr(cli.os, "access", lambda p, mode: False if str(p) == str(locked) else real_access(p, mode))
    code, _, err = _main(capsys, "segment", photo, "--out", locked / "x.png")
    assert code == 2 and "쓰기 권한이 없습니다" in err and str(locked) in err
    assert list(locked.iterdir()) == []
    monkeypatch.setattr(cli.os, "access", real_access)

    def deny(*args, **kwargs):
        raise PermissionError(13, "Permission denied", str(locked / "x.png"))

    monkeypatch.setattr(tempfile, "mkstemp", deny)
    code, _, err = _main(capsys, "segment", photo, "--out", locked / "new" / "x.png")
    assert code == 2 and err.startswith("오류: 결과 파일을 쓸 수 없습니다") and "쓰기 권한이 없습니다" in err
    assert list(locked.iterdir()) == []          # 새로 만든 폴더 new/도 지웠습니다.


def test_overlay_that_cannot_be_written_leaves_no_half_done_mask(tmp_path, photo, capsys, local_model):
    (tmp_path / "m_overlay.png").mkdir()
    before = _files(tmp_path)
    code, _, err = _main(capsys, "segment", photo, "--out", tmp_path / "m.png", "--overlay")
    assert code == 2 and "겹쳐 보기 파일(--overlay)이 폴더입니다" in err
    assert _files(tmp_path) == before


def test_failure_while_writing_the_second_file_removes_the_first(tmp_path):
    from deeplab_lessons import safe_files

    def broken(temp):
        raise OSError(28, "No space left on device", temp)

    good = lambda temp: open(temp, "wb").close()   # noqa: E731
    with pytest.raises(safe_files.OutputFileError, match="디스크 공간이 부족합니다"):
        safe_files.write_files({tmp_path / "a" / "one.png": good, tmp_path / "a" / "two.png": broken})
    assert list(tmp_path.iterdir()) == []


def test_written_files_respect_the_umask(tmp_path, photo, capsys, local_model):
    old = os.umask(0o022)
    try:
        code, _, err = _main(capsys, "segment", photo, "--out", tmp_path / "m.png", "--overlay")
        assert code == 0, err
        for name in ("m.png", "m_overlay.png"):
            assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o644
        os.umask(0o027)
        from deeplab_lessons import safe_files

        safe_files.write_files({tmp_path / "g.bin": lambda temp: open(temp, "wb").close()})
        assert stat.S_IMODE((tmp_path / "g.bin").stat().st_mode) == 0o640
    finally:
        os.umask(old)


def test_exports_respect_the_umask(tmp_path):
    from deeplab_lessons import load_tensorflow
    from deeplab_lessons.pretrained.export import export_frozen_graph_tarball, export_tflite

    tf = load_tensorflow()
    model = tf.keras.Sequential([tf.keras.Input((33, 33, 3)), tf.keras.layers.Conv2D(2, 1)])
    old = os.umask(0o022)
    try:
        for path in (export_tflite(model, tmp_path / "m.tflite"),
                     export_frozen_graph_tarball(model, tmp_path / "m.tar.gz")):
            assert stat.S_IMODE(path.stat().st_mode) == 0o644
    finally:
        os.umask(old)


# ---------------------------------------------------------------- 5. argparse도 한국어

def test_argparse_messages_and_help_are_korean(capsys):
    code, _, err = _main(capsys)
    assert code == 2 and err.startswith("오류: 다음 인자가 필요합니다: 명령") and err.count("\n") == 1
    code, _, err = _main(capsys, "segmnt")
    assert code == 2 and "알 수 없는 값입니다: 'segmnt'" in err
    code, _, err = _main(capsys, "segment")
    assert code == 2 and "다음 인자가 필요합니다: 영상" in err and "segment --help" in err
    code, _, err = _main(capsys, "segment", "a.png", "--bogus")
    assert code == 2 and "알 수 없는 인자입니다: --bogus" in err
    code, out, _ = _main(capsys, "segment", "--help")
    assert code == 0 and out.startswith("사용법: ") and "이 도움말을 보여 주고 끝냅니다" in out
    assert "usage" not in out and "show this help" not in out and "options" not in out


def test_argparse_translation_does_not_leak_into_other_parsers(capsys):
    import argparse

    cli.main(["--help"])
    capsys.readouterr()
    assert argparse.ArgumentParser(prog="x").format_usage().startswith("usage: ")


# ---------------------------------------------------------------- 9. 클래스 수가 다른 .tflite

@pytest.fixture(scope="module")
def many_class_tflite(tmp_path_factory):
    """VOC가 아닌 25클래스·5클래스 분할 모델(입력 [1, 33, 33, 3], 출력 [1, 33, 33, C])."""
    from deeplab_lessons import load_tensorflow
    from deeplab_lessons.pretrained.export import export_tflite

    tf = load_tensorflow()
    folder = tmp_path_factory.mktemp("custom")
    paths = {}
    for classes in (25, 5):
        model = tf.keras.Sequential([tf.keras.Input((33, 33, 3)), tf.keras.layers.Conv2D(
            classes, 1, bias_initializer=tf.keras.initializers.Constant(np.arange(classes, dtype=np.float32)))])
        paths[classes] = export_tflite(model, folder / f"custom{classes}.tflite")
    return paths


def test_more_than_21_classes_do_not_crash_and_are_labelled_by_number(tmp_path, photo, capsys,
                                                                      many_class_tflite):
    code, out, err = _main(capsys, "segment", photo, "--model", many_class_tflite[25], "--out", tmp_path / "m.png")
    assert code == 0, err
    assert "클래스 24" in out and "(" not in out.split("찾은 클래스와 화소 비율:")[1].split("저장함")[0]


def test_fewer_classes_are_not_given_voc_names(tmp_path, photo, capsys, many_class_tflite):
    from deeplab_lessons import pretrained

    model = pretrained.load_model(many_class_tflite[5])
    assert model.labels is None
    code, out, err = _main(capsys, "segment", photo, "--model", many_class_tflite[5], "--out", tmp_path / "m.png")
    assert code == 0, err
    assert "클래스 4" in out and "TV/모니터" not in out and "(tvmonitor)" not in out


def test_labels_come_from_the_registry_or_the_tflite_metadata(tflite_path):
    from deeplab_lessons import pretrained, voc

    assert pretrained.load_model("mobilenetv2_voc_tflite", model_dir=tflite_path.parent).labels == voc.CLASS_NAMES
    assert pretrained.load_model(tflite_path).labels == voc.CLASS_NAMES        # 같은 파일(체크섬)
    with_metadata = tflite_path.parent / "deeplabv3_with_metadata.tflite"
    if with_metadata.is_file():
        labels = pretrained.load_model(with_metadata).labels
        assert len(labels) == 21 and labels[15] == "person" and labels[20] == "tv"


# ---------------------------------------------------------------- 8. input_size

@pytest.mark.parametrize("bad", [0, False, True, 32, 2050, 10_000, 513.0, "513", -1])
def test_input_size_is_checked_at_both_ends(bad, tflite_path):
    from deeplab_lessons import pretrained
    from deeplab_lessons.errors import DeepLabLessonsError

    with pytest.raises(DeepLabLessonsError) as error:
        pretrained.load_model("mobilenetv2_voc_keras", model_dir=tflite_path.parent, input_size=bad)
    message = str(error.value)
    assert "33 이상 2049 이하의 정수" in message and f"받은 값: {bad!r}" in message
    example = int(message.split("예: input_size=")[1].split()[0].rstrip("."))
    assert 33 <= example <= 2049


def test_input_size_limits_in_range_are_accepted():
    from deeplab_lessons.pretrained import MAX_INPUT_SIZE, MIN_INPUT_SIZE, check_input_size

    assert (check_input_size(MIN_INPUT_SIZE), check_input_size(MAX_INPUT_SIZE)) == (33, 2049)


@pytest.mark.parametrize("given,expected", [("https://example.com/cat.jpg", "URL은 여기서 내려받지 않습니다"),
                                            ("", "영상 경로가 비어 있습니다")])
def test_cli_passes_the_image_argument_as_given(given, expected, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, _, err = _main(capsys, "segment", given)
    assert code == 2 and expected in err and list(tmp_path.iterdir()) == []


def test_out_that_is_a_hard_link_to_the_input_is_refused(tmp_path, photo, capsys, local_model):
    os.link(photo, tmp_path / "alias.png")
    original = photo.read_bytes()
    code, _, err = _main(capsys, "segment", photo, "--out", tmp_path / "alias.png")
    assert code == 2 and "입력 영상과 같은 파일" in err and photo.read_bytes() == original


def test_out_folder_without_png_suffix_is_called_a_folder(tmp_path, photo, capsys, local_model):
    (tmp_path / "results").mkdir()
    code, _, err = _main(capsys, "segment", photo, "--out", tmp_path / "results")
    assert code == 2 and "--out이 폴더입니다" in err


def test_argparse_messages_are_translated_without_patching_argparse():
    """번역은 파서의 공개 자리(error, format_help)에서 합니다: argparse 모듈의 이름은 그대로입니다."""
    import argparse
    import gettext

    from deeplab_lessons import __main__ as cli

    before = (argparse._, argparse.ngettext)
    assert cli.main(["segment"]) == 2
    assert (argparse._, argparse.ngettext) == before == (gettext.gettext, gettext.ngettext)
    assert cli.translate("argument --model-dir: expected one argument") == "인자 --model-dir: 값이 하나 필요합니다"
    assert cli.translate("unrecognized arguments: --x --y") == "알 수 없는 인자입니다: --x --y"
    assert cli.translate("a message argparse may add later") == "a message argparse may add later"
