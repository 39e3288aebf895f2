"""명령줄을 멈출 때(이슈 26, 3): Ctrl-C와 SIGTERM은 한국어 한 줄과 종료 코드 130, 반쯤 쓴 ``.partial`` 파일과
이번에 만든 폴더는 남지 않고, 끝난 프로세스가 남긴 임시 파일은 다음 실행이 지웁니다."""

import signal
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

from deeplab_lessons import __main__ as cli
from deeplab_lessons import pretrained, safe_files


@pytest.fixture
def photo(tmp_path):
    path = tmp_path / "photo.png"
    Image.fromarray(np.random.default_rng(0).integers(0, 255, (20, 16, 3), np.uint8)).save(path)
    return path


class _Model:
    name = "가짜 모델"

    def __init__(self, during_segment=None):
        self.during_segment = during_segment

    def segment(self, rgb):
        if self.during_segment:
            signal.raise_signal(self.during_segment)
        return np.zeros(rgb.shape[:2], np.uint8)


def _files(folder):
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_interrupt_during_segment_is_one_korean_line_and_exit_130(tmp_path, photo, capsys, monkeypatch, signum):
    monkeypatch.setattr(pretrained, "load_model", lambda *a, **k: _Model(signum))
    before = _files(tmp_path)
    code = cli.main(["segment", str(photo), "--out", str(tmp_path / "new" / "m.png")])
    err = capsys.readouterr().err
    assert code == cli.INTERRUPTED == 130
    assert err.count("\n") == 1 and err.startswith("중단했습니다") and "Traceback" not in err
    assert _files(tmp_path) == before
    assert signal.getsignal(signal.SIGTERM) is not cli._sigterm_as_interrupt     # 처리기를 되돌려 놓습니다.


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_interrupt_while_writing_leaves_no_partial_file_and_no_created_folder(tmp_path, photo, capsys,
                                                                              monkeypatch, signum):
    monkeypatch.setattr(pretrained, "load_model", lambda *a, **k: _Model())
    real_save = Image.Image.save

    def half_save(self, fp, *args, **kwargs):
        with open(fp, "wb") as handle:
            handle.write(b"\x89PNG half")
        signal.raise_signal(signum)
        return real_save(self, fp, *args, **kwargs)

    monkeypatch.setattr(Image.Image, "save", half_save)
    before = _files(tmp_path)
    code = cli.main(["segment", str(photo), "--out", str(tmp_path / "a" / "b" / "m.png"), "--overlay"])
    assert code == 130 and "중단했습니다" in capsys.readouterr().err
    assert _files(tmp_path) == before


def test_a_later_run_removes_stale_partials_of_finished_processes(tmp_path, photo, capsys, monkeypatch):
    finished = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                              text=True, check=True)
    dead_pid = int(finished.stdout)
    stale = tmp_path / f"{safe_files.PARTIAL_PREFIX}{dead_pid}_abc.png"
    stale.write_bytes(b"half")
    alive = tmp_path / f"{safe_files.PARTIAL_PREFIX}1_abc.png"       # 살아 있는 프로세스(1번)의 것은 그대로
    alive.write_bytes(b"other")
    unrelated = tmp_path / ".partial_notes.png"                       # 번호가 없는 남의 파일도 그대로
    unrelated.write_bytes(b"x")
    monkeypatch.setattr(pretrained, "load_model", lambda *a, **k: _Model())
    assert cli.main(["segment", str(photo), "--out", str(tmp_path / "m.png")]) == 0
    assert not stale.exists() and alive.exists() and unrelated.exists() and (tmp_path / "m.png").exists()


def test_real_sigterm_to_the_command_exits_130_with_one_line(tmp_path, photo):
    # 실제 프로세스에 SIGTERM: 파이썬의 기본 동작(조용히 죽기)이 아니라 Ctrl-C와 같은 처리.
    code = ("import os, signal, sys\n"
            "from deeplab_lessons import __main__ as cli, pretrained\n"
            "class M:\n"
            "    name = 'm'\n"
            "    def segment(self, rgb):\n"
            "        os.kill(os.getpid(), signal.SIGTERM)\n"
            "        import time; time.sleep(5)\n"
            "pretrained.load_model = lambda *a, **k: M()\n"
            f"sys.exit(cli.main(['segment', {str(photo)!r}, '--out', {str(tmp_path / 'm.png')!r}]))\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 130
    assert result.stderr.strip().count("\n") == 0 and result.stderr.startswith("중단했습니다")
    assert not (tmp_path / "m.png").exists()


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_interrupt_while_the_parser_is_built_is_one_korean_line(capsys, monkeypatch, signum):
    # 인자 해석기를 만드는 동안(학습 모듈을 가져오는 때)에도 처리기가 이미 걸려 있어야 합니다.
    real_parser = cli._parser

    def interrupted_parser():
        signal.raise_signal(signum)
        return real_parser()

    monkeypatch.setattr(cli, "_parser", interrupted_parser)
    assert cli.main(["models"]) == 130
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("중단했습니다") and "Traceback" not in err


def test_starting_the_command_imports_no_numpy_before_main_installs_the_handler():
    # 패키지와 명령 모듈을 가져오는 일은 가볍습니다: 그동안의 신호도 main()의 처리기가 받습니다.
    code = ("import sys\n"
            "import deeplab_lessons, deeplab_lessons.__main__\n"
            "print(sorted(m for m in ('numpy', 'tensorflow', 'PIL') if m in sys.modules))\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert result.stdout.strip() == "[]"
