"""저장된 노트북 출력의 글자 표가 화면 폭으로 줄이 맞는지 검사합니다.

표를 알아보는 규칙: :func:`deeplab_lessons.tables.table` 이 찍는 모양 그대로,

- **구분선**: ``-`` 만으로 된 묶음 둘 이상이 공백 두 칸으로 나뉜 줄(예: ``----  ----``).
- 구분선 바로 위 줄이 머리글, 아래로 빈 줄이나 ``* 논문 값`` 줄이나 출력 끝까지가 행입니다.

줄이 맞는다는 것: 구분선의 묶음이 열의 자리(화면 칸 단위)를 정합니다. 머리글과 모든 행에서, 열 사이의 두 칸이
공백이고 마지막 열 끝을 넘는 글자가 없어야 합니다. 한글·전각 문자는 두 칸으로 셉니다
(:func:`deeplab_lessons.tables.display_width`). ``len`` 으로 칸을 채운 표는 한글이 든 줄에서 이 규칙을 어깁니다.

읽는 출력: stdout 스트림과 ``execute_result``·``display_data`` 의 ``text/plain``.

모든 강의 노트북(``notebooks/NN_*.ipynb``, :func:`tooling.lesson_notebooks`)을 검사합니다. 표를
``tables.table`` 이 아닌 다른 방법으로 찍으면 구분선이 없어 이 검사에 잡히지 않으므로, 모든 표는
``tables.table`` 로 만듭니다.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from tooling import LESSON_COUNT, lesson_notebooks

from deeplab_lessons.tables import display_width, table

RULE = re.compile(r"^-+(?:  -+)+$")


def _cells_by_column(line: str) -> str:
    """한 줄을 화면 칸 하나에 글자 하나가 오도록 펼칩니다(넓은 글자 뒤에 채움 글자 ``\\0``)."""
    return "".join(char + "\0" * (display_width(char) - 1) for char in line)


def misaligned_lines(text: str) -> list[str]:
    """``text`` 안의 모든 표에서 줄이 맞지 않는 줄들(머리글 포함)."""
    lines = text.splitlines()
    bad = []
    for index, line in enumerate(lines):
        if index == 0 or not RULE.match(line):
            continue
        groups = [m.span() for m in re.finditer(r"-+", line)]
        gaps = [(end, end + 2) for _, end in groups[:-1]]
        last_end = groups[-1][1]
        body = [lines[index - 1]]
        for row in lines[index + 1:]:
            if not row.strip() or row.startswith("* 논문 값"):
                break
            body.append(row)
        for row in body:
            cells = _cells_by_column(row)
            too_long = len(cells.rstrip()) > last_end
            gap_filled = any(cells[a:b].strip(" ") for a, b in gaps if a < len(cells))
            if too_long or gap_filled:
                bad.append(row)
    return bad


def notebook_tables_text(path: Path) -> list[tuple[int, str]]:
    """노트북 출력 중 표가 들어 있는 글자 출력들: ``(셀 번호, 글자)``."""
    found = []
    for index, cell in enumerate(json.loads(path.read_text(encoding="utf-8"))["cells"]):
        for output in cell.get("outputs", []):
            text = "".join(output.get("text", "")) + "".join(output.get("data", {}).get("text/plain", ""))
            if any(RULE.match(line) for line in text.splitlines()):
                found.append((index, text))
    return found


def test_rule_catches_len_padded_hangul():
    """``len`` 으로 채운 한글 표는 잡고, ``tables.table`` 의 표는 통과시킵니다(테스트가 실패할 수 있는지)."""
    good = table(["층", "수용 영역"], [["3×3 팽창률 2", 7], ["풀링", 212]]).text()
    assert misaligned_lines(good) == []
    header = f"{'층':<12}  {'수용 영역':>9}"
    bad = "\n".join([header, "-" * 12 + "  " + "-" * 9, f"{'3×3 팽창률 2':<12}  {7:>9}"])
    assert len(misaligned_lines(bad)) == 2


@pytest.mark.parametrize("path", lesson_notebooks(), ids=lambda p: p.name)
def test_text_tables_line_up_by_display_width(path):
    problems = [f"{path.name} 셀 {index}: {line!r}" for index, text in notebook_tables_text(path)
                for line in misaligned_lines(text)]
    assert not problems, "화면 폭으로 줄이 맞지 않는 표의 줄:\n" + "\n".join(problems)


def test_every_lesson_prints_tables():
    """강의 노트북마다 실제로 표를 찍는지(검사할 것이 없어 통과하는 일이 없게)."""
    for path in lesson_notebooks():
        assert notebook_tables_text(path), f"{path.name}에 tables.table 로 찍은 표가 없습니다"


def test_lesson_glob_fails_when_notebooks_are_missing(tmp_path):
    """노트북 목록의 글로브가 너무 적게 찾으면 실패하는지(노트북마다 도는 테스트가 0개로 통과하지 않게)."""
    for index in range(LESSON_COUNT - 1):
        (tmp_path / f"{index:02d}_lesson.ipynb").write_text("{}")
    (tmp_path / "lesson_without_number.ipynb").write_text("{}")
    with pytest.raises(AssertionError, match=f"{LESSON_COUNT - 1}개 찾았습니다"):
        lesson_notebooks(tmp_path)
    (tmp_path / f"{LESSON_COUNT - 1:02d}_lesson.ipynb").write_text("{}")
    assert [p.name for p in lesson_notebooks(tmp_path)][-1] == f"{LESSON_COUNT - 1:02d}_lesson.ipynb"
    assert len(lesson_notebooks()) >= LESSON_COUNT
