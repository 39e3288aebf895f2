"""tools/workspace.py: 학습자의 사본을 만들고, 강의의 새 판으로 바꿀 때 학습자의 글을 잃지 않는지."""

import io
import json

from tooling import load_tool

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
    (mine / "a.ipynb").write_text("A1 + 학습자의 답")   # 고쳤고 강의도 바뀜: 백업 후 새 판
    (mine / "c.ipynb").write_text("C1 + 학습자의 답")   # 고쳤고 강의는 그대로: 손대지 않음
    course(tmp_path, a_ipynb="A2", b_ipynb="B2")       # b는 손대지 않았고 강의가 바뀜: 백업 없이 새 판
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
