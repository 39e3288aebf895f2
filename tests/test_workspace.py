"""tools/workspace.py: 학습자의 사본을 만들고, 강의의 새 버전으로 바꿀 때 학습자의 글을 잃지 않는지."""

import io
import json
import os
import subprocess
import sys

import pytest
from tooling import ROOT, load_tool

workspace = load_tool("workspace")


def course(tmp_path, **files):
    folder = tmp_path / "notebooks"
    folder.mkdir(exist_ok=True)
    for name, text in files.items():
        (folder / name.replace("_ipynb", ".ipynb").replace("_md", ".md")).write_text(text, encoding="utf-8")
    return folder


def test_prepare_copies_notebooks_and_glossary_but_not_the_readme(tmp_path):
    src = course(tmp_path, a_ipynb="A1", b_ipynb="B1", GLOSSARY_md="용어", README_md="안내")
    mine = tmp_path / "workspace"
    out = io.StringIO()
    workspace.prepare(src, mine, out)
    assert sorted(p.name for p in mine.iterdir()) == [".course-versions.json", "GLOSSARY.md", "a.ipynb", "b.ipynb"]
    assert "workspace/" in out.getvalue() and "복사했습니다" in out.getvalue()
    assert set(json.loads((mine / ".course-versions.json").read_text())) == {"GLOSSARY.md", "a.ipynb", "b.ipynb"}


def test_prepare_never_overwrites_and_tells_when_the_course_changed(tmp_path):
    src = course(tmp_path, a_ipynb="A1", b_ipynb="B1")
    mine = tmp_path / "workspace"
    workspace.prepare(src, mine, io.StringIO())
    (mine / "a.ipynb").write_text("A1 + 학습자의 답")
    course(tmp_path, b_ipynb="B2", c_ipynb="C1")
    out = io.StringIO()
    groups = workspace.prepare(src, mine, out)
    assert (mine / "a.ipynb").read_text() == "A1 + 학습자의 답" and (mine / "b.ipynb").read_text() == "B1"
    assert (mine / "c.ipynb").read_text() == "C1"
    assert groups["edited"] == ["a.ipynb"] and groups["course_changed"] == ["b.ipynb"]
    assert "b.ipynb" in out.getvalue() and "make workspace-refresh" in out.getvalue()


def test_refresh_backs_up_edited_copies_and_keeps_untouched_lessons(tmp_path):
    src = course(tmp_path, a_ipynb="A1", b_ipynb="B1", c_ipynb="C1")
    mine = tmp_path / "workspace"
    workspace.prepare(src, mine, io.StringIO())
    (mine / "a.ipynb").write_text("A1 + 학습자의 답")   # 고쳤고 강의도 바뀜: 백업 후 새 버전
    (mine / "c.ipynb").write_text("C1 + 학습자의 답")   # 고쳤고 강의는 그대로: 손대지 않음
    course(tmp_path, a_ipynb="A2", b_ipynb="B2")       # b는 손대지 않았고 강의가 바뀜: 백업 없이 새 버전
    out = io.StringIO()
    backup = workspace.refresh(src, mine, out, stamp="t")
    assert (mine / "a.ipynb").read_text() == "A2" and (mine / "b.ipynb").read_text() == "B2"
    assert (mine / "c.ipynb").read_text() == "C1 + 학습자의 답"
    assert backup == mine / "backup-t" and [p.name for p in backup.iterdir()] == ["a.ipynb"]
    assert (backup / "a.ipynb").read_text() == "A1 + 학습자의 답"
    assert "backup-t" in out.getvalue() and "c.ipynb" in out.getvalue()
    assert workspace.status(src, mine)["course_changed"] == []


def test_refresh_without_a_record_backs_up_every_differing_copy(tmp_path):
    src = course(tmp_path, a_ipynb="A2")
    mine = tmp_path / "workspace"
    mine.mkdir()
    (mine / "a.ipynb").write_text("A1 + 답")   # 기록 파일이 없으면 누가 바꿨는지 모르므로 백업합니다.
    backup = workspace.refresh(src, mine, io.StringIO(), stamp="t")
    assert (backup / "a.ipynb").read_text() == "A1 + 답" and (mine / "a.ipynb").read_text() == "A2"


def test_nothing_half_written_is_left(tmp_path):
    src = course(tmp_path, a_ipynb="A1")
    mine = tmp_path / "workspace"
    workspace.prepare(src, mine, io.StringIO())
    assert not [p for p in mine.iterdir() if p.name.endswith(".tmp")]


def test_the_real_workspace_is_git_ignored_and_sits_beside_notebooks():
    assert workspace.WORKSPACE.parent == workspace.COURSE.parent  # ../images/ 가 두 곳에서 같은 곳을 가리킴
    ignored = (workspace.REPOSITORY / ".gitignore").read_text(encoding="utf-8").split()
    assert f"{workspace.WORKSPACE.name}/" in ignored


# ---------------------------------------------------------------- 이슈 26, 4: 쓸 수 없는 작업 폴더와 깨진 기록


def _no_tmp(folder):
    return not [p for p in folder.rglob("*") if p.name.endswith(".tmp")]


@pytest.mark.skipif(os.geteuid() == 0, reason="root는 읽기 전용 폴더에도 씁니다")
def test_read_only_workspace_is_reported_and_prepare_still_succeeds(tmp_path):
    src = course(tmp_path, a_ipynb="A1")
    mine = tmp_path / "workspace"
    mine.mkdir()
    mine.chmod(0o555)
    try:
        out = io.StringIO()
        groups = workspace.prepare(src, mine, out)
        assert groups["missing"] == ["a.ipynb"]
        assert "쓸 수 없어 건너뜁니다" in out.getvalue() and "chmod u+w" in out.getvalue()
    finally:
        mine.chmod(0o755)
    assert list(mine.iterdir()) == []


def test_a_copy_replaced_by_a_folder_is_skipped_and_no_tmp_is_left(tmp_path):
    src = course(tmp_path, a_ipynb="A1", b_ipynb="B1")
    mine = tmp_path / "workspace"
    mine.mkdir()
    (mine / "a.ipynb").mkdir()
    out = io.StringIO()
    groups = workspace.prepare(src, mine, out)
    assert groups["blocked"] == ["a.ipynb"] and (mine / "b.ipynb").read_text() == "B1"
    assert "파일이 아닌 것(폴더 등)" in out.getvalue() and "a.ipynb" in out.getvalue()
    assert (mine / "a.ipynb").is_dir() and _no_tmp(mine)
    workspace.refresh(src, mine, io.StringIO(), stamp="t")
    assert (mine / "a.ipynb").is_dir() and _no_tmp(mine)


def test_failed_copy_leaves_no_tmp(tmp_path, monkeypatch):
    src = course(tmp_path, a_ipynb="A1")
    mine = tmp_path / "workspace"
    mine.mkdir()

    def failing_replace(source, target):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(workspace.os, "replace", failing_replace)
    out = io.StringIO()
    workspace.prepare(src, mine, out)
    assert "디스크 공간이 부족합니다" in out.getvalue() and _no_tmp(mine)


def test_record_that_is_a_folder_is_reported(tmp_path):
    src = course(tmp_path, a_ipynb="A1")
    mine = tmp_path / "workspace"
    (mine / workspace.RECORD).mkdir(parents=True)
    out = io.StringIO()
    workspace.prepare(src, mine, out)
    assert "폴더입니다" in out.getvalue() and (mine / "a.ipynb").read_text() == "A1" and _no_tmp(mine)
    out = io.StringIO()
    workspace.refresh(src, mine, out, stamp="t")
    assert "폴더입니다" in out.getvalue() and _no_tmp(mine)


def test_workspace_that_is_a_file_is_reported(tmp_path):
    src = course(tmp_path, a_ipynb="A1")
    mine = tmp_path / "workspace"
    mine.write_text("내 메모")
    out = io.StringIO()
    assert workspace.prepare(src, mine, out) == {}
    assert "폴더가 아니라 파일입니다" in out.getvalue() and mine.read_text() == "내 메모"
    assert workspace.refresh(src, mine, io.StringIO()) is None


@pytest.mark.parametrize("broken", ["{ 잘린", "[1, 2]", '{"a.ipynb": 3}'])
def test_corrupted_record_is_reported_not_trusted(tmp_path, broken):
    src = course(tmp_path, a_ipynb="A1")
    mine = tmp_path / "workspace"
    workspace.prepare(src, mine, io.StringIO())
    (mine / "a.ipynb").write_text("A1 + 학습자의 답")
    (mine / workspace.RECORD).write_text(broken)
    out = io.StringIO()
    workspace.prepare(src, mine, out)
    text = out.getvalue()
    assert "깨져 있어 믿지 않습니다" in text and "강의가 바뀐 노트북이 있습니다" not in text
    assert "여러분이 고친 것인지 모릅니다" in text
    assert (mine / workspace.RECORD).read_text() == broken        # 깨진 기록을 덮어써 감추지 않습니다.
    backup = workspace.refresh(src, mine, io.StringIO(), stamp="t")
    assert (backup / "a.ipynb").read_text() == "A1 + 학습자의 답"
    assert json.loads((mine / workspace.RECORD).read_text()) == {"a.ipynb": workspace.digest(src / "a.ipynb")}


def test_command_line_messages_are_korean(capsys):
    with pytest.raises(SystemExit) as stop:
        workspace.main(["tidy"])
    err = capsys.readouterr().err
    assert stop.value.code == 2 and "알 수 없는 값입니다" in err and "invalid choice" not in err
    with pytest.raises(SystemExit):
        workspace.main(["--help"])
    out = capsys.readouterr().out
    assert "사용법:" in out and "usage:" not in out


def test_prepare_command_exits_zero_when_the_workspace_is_a_file(tmp_path):
    # make lab 이 멈추지 않도록: 알리고 0으로 끝납니다(진짜 명령을 임시 저장소 복사본에서).
    code = ("import sys, pathlib\n"
            "from tools import workspace\n"
            f"workspace.WORKSPACE = pathlib.Path({str(tmp_path / 'workspace')!r})\n"
            "workspace.prepare.__defaults__ = (workspace.COURSE, workspace.WORKSPACE, sys.stdout)\n"
            "sys.exit(workspace.main(['prepare']))\n")
    (tmp_path / "workspace").write_text("파일")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert result.returncode == 0 and "Traceback" not in result.stderr
    assert "폴더가 아니라 파일입니다" in result.stdout


def test_unwritable_workspace_as_any_user_is_reported(tmp_path, monkeypatch):
    # root로 돌 때도 같은 길을 지나도록 쓰기를 권한 오류로 바꿉니다(읽기 전용 폴더가 내는 오류와 같은 errno).
    src = course(tmp_path, a_ipynb="A1")
    mine = tmp_path / "workspace"
    mine.mkdir()

    def denied(*args, **kwargs):
        raise PermissionError(13, "Permission denied", str(mine))

    monkeypatch.setattr(workspace.shutil, "copyfile", denied)
    monkeypatch.setattr(workspace.Path, "write_text", denied)
    out = io.StringIO()
    workspace.prepare(src, mine, out)
    text = out.getvalue()
    assert "a.ipynb 을(를) 쓸 수 없어 건너뜁니다(읽기·쓰기 권한이 없습니다)" in text
    assert list(mine.iterdir()) == []
