"""tools/make_venv.py: 설치 전에 파이썬을 검사하고, 반쯤 만든 .venv 를 고치고, 한국어로 알리는지."""

import subprocess
import sys
import venv

import pytest
from tooling import ROOT, load_tool

make_venv = load_tool("make_venv")


@pytest.mark.parametrize("version", [(3, 10, 0), (3, 11, 7), (3, 13, 2)])
def test_supported_versions_pass(version):
    assert make_venv.version_problem(version) is None


@pytest.mark.parametrize("version", [(3, 9, 18), (3, 14, 0), (2, 7, 18)])
def test_other_versions_are_explained_in_korean(version):
    message = make_venv.version_problem(version)
    assert ".".join(map(str, version)) in message and "3.10–3.13" in message
    assert "make lab PYTHON=python3.12" in message


def test_too_old_python_stops_before_creating_anything(tmp_path, capsys):
    created = []
    code = make_venv.main([str(tmp_path / ".venv")], version_info=(3, 9, 1), create=created.append)
    assert code == 1 and created == [] and not (tmp_path / ".venv").exists()
    assert "파이썬 3.9.1 은(는) 이 강좌가 지원하지 않는 버전입니다" in capsys.readouterr().err


def half_made(path):
    """Debian/Ubuntu에서 python3-venv 없이 만든 것과 같은 .venv: 파이썬은 있는데 pip가 없음."""
    venv.create(path, with_pip=False, symlinks=True)
    return path


def test_states(tmp_path):
    assert make_venv.venv_state(str(tmp_path / "nothing")) == "missing"
    assert make_venv.venv_state(str(half_made(tmp_path / "half"))) == "half-made"
    (tmp_path / "mine").mkdir()
    assert make_venv.venv_state(str(tmp_path / "mine")) == "foreign"


def test_half_made_venv_is_removed_and_made_again(tmp_path, capsys, monkeypatch):
    target = half_made(tmp_path / ".venv")
    calls = []

    def fake_create(path):  # 진짜 pip 설치는 느리므로 가짜로: 반쯤 만든 것을 먼저 지웠는지 봅니다.
        assert not target.exists()
        calls.append(path)
        venv.create(path, with_pip=False, symlinks=True)
        return True, ""

    real_state = make_venv.venv_state
    monkeypatch.setattr(make_venv, "venv_state", lambda path: "ok" if calls else real_state(path))
    assert make_venv.main([str(target)], create=fake_create) == 0
    assert calls == [str(target)]
    assert "반쯤 만들어져 있어" in capsys.readouterr().err


def test_failed_creation_leaves_nothing_and_says_what_to_install(tmp_path, capsys):
    target = tmp_path / ".venv"

    def debian_without_python3_venv(path):
        venv.create(path, with_pip=False, symlinks=True)
        return False, "The virtual environment was not created successfully because ensurepip is not available."

    assert make_venv.main([str(target)], create=debian_without_python3_venv) == 1
    assert not target.exists()
    err = capsys.readouterr().err
    assert "sudo apt install python3-venv" in err and "make lab PYTHON=python3.12" in err and "ensurepip" in err


def test_foreign_folder_is_never_deleted(tmp_path, capsys):
    target = tmp_path / ".venv"
    target.mkdir()
    (target / "notes.txt").write_text("learner's file")
    assert make_venv.main([str(target)], create=lambda path: pytest.fail("만들면 안 됨")) == 1
    assert (target / "notes.txt").exists() and "지우지 않았습니다" in capsys.readouterr().err


def test_script_runs_as_a_command_and_reports_half_made(tmp_path):
    """명령으로 실행: 반쯤 만든 .venv 를 찾아 알립니다(다시 만드는 것은 진짜 venv 가 하므로 결과 코드는 상황 따라)."""
    target = half_made(tmp_path / ".venv")
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "make_venv.py"), str(target)],
                            capture_output=True, text=True, timeout=600)
    assert "반쯤 만들어져 있어" in result.stderr
    if result.returncode == 0:
        assert make_venv.venv_state(str(target)) == "ok"
    else:
        assert not target.exists() and "python3-venv" in result.stderr


def test_script_parses_on_old_pythons():
    """설치 전에 옛 파이썬으로 실행되어도 문법 오류 대신 한국어 안내가 나오도록: 3.4 문법(f-문자열 없음)으로 읽힘."""
    import ast

    source = (ROOT / "tools" / "make_venv.py").read_text(encoding="utf-8")
    ast.parse(source, feature_version=(3, 4))
    assert source.startswith("# -*- coding: utf-8 -*-")  # 파이썬 2가 한글 문자열을 읽으려면 필요
