"""노트북마다 발표용 슬라이드 메타데이터(slide / subslide / fragment / skip / notes)를 규칙으로 붙입니다.

RISE(JupyterLab 안의 발표)와 `make slides`(정적 reveal.js 슬라이드)가 같은 메타데이터를 씁니다.
노트북을 고치거나 번호를 바꾼 뒤에는 다시 실행하면 됩니다(셀의 메타데이터만 바뀝니다)::

    python -m tools.slide_metadata            # notebooks/*.ipynb 에 적용
    python -m tools.slide_metadata --check    # 적용한 결과와 다른 노트북이 있으면 실패(테스트가 부름)

규칙(위에서부터 먼저 맞는 것):

1. 첫 셀(제목과 학습 목표)은 새 슬라이드.
2. ``## 준비`` 절(제목 셀부터 다음 ``##`` 제목 전까지: import, 글꼴, 시드)은 건너뜀(skip).
3. ``## `` 절 제목이 든 마크다운은 새 슬라이드, ``### `` 제목은 아래쪽 슬라이드(subslide).
4. 연습문제의 답 셀(``answer = None`` 으로 시작하는 코드)은 건너뜀. 문제 마크다운은 하나씩 나타남(fragment).
5. 글자 출력이 ``LONG_OUTPUT_LINES`` 줄보다 긴 코드 셀은 발표자 노트(notes)로: 화면에는 넘치고, 말로 풀 때 봅니다.
6. 그림을 내는 코드 셀은 제 슬라이드(subslide)에서 화면을 가득 채웁니다. 바로 앞이 짧은 제목 셀이면 함께 둡니다.
7. 지금 슬라이드가 이미 ``MIN_FILLED_LINES`` 줄을 넘게 찼고 더 넣으면 ``SLIDE_BUDGET_LINES`` 줄을 넘는
   셀은 새 subslide를 엽니다(한 슬라이드에 한 생각).
8. 코드 바로 뒤의 짧은 해설 마크다운은 fragment: 결과를 본 뒤에 해석이 나타납니다.
9. 나머지는 앞 슬라이드에 이어 붙음(``-``).

규칙이 맞지 않는 몇 셀은 ``OVERRIDES`` 에 노트북 이름(번호를 뺀 부분)과 셀 소스의 첫머리로 적습니다.
셀 번호를 쓰지 않으므로 셀을 더하거나 노트북 번호를 바꿔도 그대로 맞습니다.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK_DIR = ROOT / "notebooks"

SLIDE_TYPES = ("slide", "subslide", "fragment", "skip", "notes", "-")
LONG_OUTPUT_LINES = 16
SLIDE_BUDGET_LINES = 28
MIN_FILLED_LINES = 10
FIGURE_LINES = 14
SHORT_HEADING_LINES = 3
FRAGMENT_MAX_LINES = 4
SETUP_HEADING = "## 준비"
EXERCISE_ANSWER = re.compile(r"^\s*answer\s*=\s*None\b")
RISE_SETTINGS = {"scroll": True, "transition": "none", "enable_chalkboard": False}

# 규칙을 덮어쓸 셀: {노트북 이름(앞 번호와 .ipynb를 뺀 부분): {셀 소스의 첫머리: 슬라이드 종류}}
OVERRIDES: dict[str, dict[str, str]] = {
    # 21개 클래스 이름 목록(22줄)은 발표에서는 노트로
    "introduction": {"tables.table([\"번호\", \"클래스\"]": "notes"},
    # 슬라이더는 RISE에서 직접 움직여 보여 줄 셀: 제 슬라이드에
    "field_of_view": {"try:": "subslide"},
    # 공식 모델의 층 표(19줄)는 이 절의 핵심이라 노트가 아니라 제 슬라이드에 둡니다(scroll).
    "inside_pretrained": {"table = keras_rebuild.read_layer_table(": "subslide"},
}


class SlideMetadataError(Exception):
    """노트북이나 덮어쓰기 표가 규칙과 맞지 않을 때."""


def notebook_key(path: Path) -> str:
    """``04_aspp.ipynb`` → ``aspp``: 번호를 바꿔도 같은 덮어쓰기 표를 찾게 합니다."""
    return re.sub(r"^\d+_", "", path.stem)


def _source(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def _text_output_lines(cell: dict) -> int:
    lines = 0
    for output in cell.get("outputs", []):
        text = output.get("text") or output.get("data", {}).get("text/plain", "")
        if output.get("data", {}).keys() & {"image/png", "image/jpeg", "image/svg+xml"}:
            continue
        lines += len("".join(text).rstrip("\n").split("\n")) if text else 0
    return lines


def _has_figure(cell: dict) -> bool:
    return any(output.get("data", {}).keys() & {"image/png", "image/jpeg", "image/svg+xml"}
               for output in cell.get("outputs", []))


def _height(cell: dict) -> int:
    """슬라이드에서 차지할 대략의 줄 수(마크다운·코드 줄 + 글자 출력 줄 + 그림)."""
    height = len(_source(cell).strip().split("\n"))
    height += _text_output_lines(cell)
    if _has_figure(cell):
        height += FIGURE_LINES
    return height


def _heading_level(cell: dict) -> int:
    if cell["cell_type"] != "markdown":
        return 0
    match = re.match(r"^(#{1,6}) ", _source(cell).lstrip())
    return len(match.group(1)) if match else 0


def _has_section_heading(cell: dict) -> bool:
    """마크다운 셀 안 어디든 ``## `` 절 제목이 있는지(예: 해설 문단 뒤에 ``## 요약`` 이 이어지는 셀)."""
    return cell["cell_type"] == "markdown" and any(
        line.startswith("## ") for line in _source(cell).split("\n"))


def _override(overrides: dict[str, str], cell: dict) -> str | None:
    source = _source(cell).lstrip()
    hits = [kind for prefix, kind in overrides.items() if source.startswith(prefix)]
    return hits[0] if hits else None


def slide_types(cells: list[dict], overrides: dict[str, str] | None = None) -> list[str]:
    """셀 목록의 슬라이드 종류를 규칙(모듈 설명 참고)대로 정합니다.

    Args:
        cells: nbformat 4 셀(dict)의 목록.
        overrides: 셀 소스의 첫머리 → 슬라이드 종류. 모든 항목이 정확히 한 셀에 맞아야 합니다.

    Returns:
        셀마다 ``SLIDE_TYPES`` 중 하나.

    Raises:
        SlideMetadataError: 덮어쓰기 항목이 맞는 셀이 없거나 여럿이거나, 종류 이름이 틀렸을 때.
    """
    overrides = overrides or {}
    _check_overrides(cells, overrides)
    types: list[str] = []
    in_setup = False
    in_exercises = False
    budget = 0
    previous: dict | None = None
    for index, cell in enumerate(cells):
        level = _heading_level(cell)
        source = _source(cell)
        if level == 2:
            in_setup = source.lstrip().startswith(SETUP_HEADING)
        if _has_section_heading(cell):
            in_exercises = "## 연습문제" in source
        kind = _rule(index, cell, level, in_setup, in_exercises, budget, previous, types)
        forced = _override(overrides, cell)
        kind = forced or kind
        types.append(kind)
        if kind in ("slide", "subslide"):
            budget = _height(cell)
        elif kind in ("-", "fragment"):
            budget += _height(cell)
        if kind not in ("skip", "notes"):
            previous = cell
    return types


def _rule(index, cell, level, in_setup, in_exercises, budget, previous, types) -> str:
    if index == 0:
        return "slide"
    if in_setup:
        return "skip"
    if level == 2 or _has_section_heading(cell):
        return "slide"
    if level == 3:
        return "subslide"
    if cell["cell_type"] == "code" and EXERCISE_ANSWER.match(_source(cell)):
        return "skip"
    if cell["cell_type"] == "markdown" and in_exercises:
        return "fragment"
    if cell["cell_type"] == "code" and _text_output_lines(cell) > LONG_OUTPUT_LINES:
        return "notes"
    if cell["cell_type"] == "code" and _has_figure(cell):
        starts_here = types and types[-1] in ("slide", "subslide")
        short_heading = previous is not None and previous["cell_type"] == "markdown" and \
            len(_source(previous).strip().split("\n")) <= SHORT_HEADING_LINES
        return "-" if starts_here and short_heading else "subslide"
    if budget > MIN_FILLED_LINES and budget + _height(cell) > SLIDE_BUDGET_LINES:
        return "subslide"
    if cell["cell_type"] == "markdown" and previous is not None and previous["cell_type"] == "code" \
            and _height(cell) <= FRAGMENT_MAX_LINES:
        return "fragment"
    return "-"


def _check_overrides(cells: list[dict], overrides: dict[str, str]) -> None:
    for prefix, kind in overrides.items():
        if kind not in SLIDE_TYPES:
            raise SlideMetadataError(f"슬라이드 종류 {kind!r}는 없습니다. {SLIDE_TYPES} 중 하나를 쓰세요.")
        hits = sum(_source(cell).lstrip().startswith(prefix) for cell in cells)
        if hits != 1:
            raise SlideMetadataError(
                f"덮어쓰기 {prefix!r}에 맞는 셀이 {hits}개입니다(정확히 1개여야 함). "
                "노트북이 바뀌었으면 tools/slide_metadata.py의 OVERRIDES를 고치세요."
            )


def apply(notebook: dict, key: str) -> dict:
    """노트북(dict)의 셀 메타데이터 ``slideshow`` 와 노트북 메타데이터 ``rise`` 를 규칙대로 채운 사본."""
    result = json.loads(json.dumps(notebook))
    kinds = slide_types(result["cells"], OVERRIDES.get(key))
    for cell, kind in zip(result["cells"], kinds, strict=True):
        cell.setdefault("metadata", {})["slideshow"] = {"slide_type": kind}
    result["metadata"]["rise"] = dict(RISE_SETTINGS)
    return result


def dump(notebook: dict) -> str:
    """nbformat과 같은 JSON 모양(들여쓰기 1, 한글 그대로, 끝 줄바꿈)."""
    return json.dumps(notebook, indent=1, ensure_ascii=False) + "\n"


def notebooks(folder: Path = NOTEBOOK_DIR) -> list[Path]:
    """슬라이드 메타데이터를 붙일 노트북: 폴더의 모든 .ipynb(번호가 바뀌어도 되도록 이름을 고정하지 않음)."""
    return sorted(folder.glob("*.ipynb"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="노트북에 발표용 슬라이드 메타데이터를 붙입니다.")
    parser.add_argument("paths", nargs="*", type=Path, help="노트북 파일(기본: notebooks/*.ipynb)")
    parser.add_argument("--check", action="store_true", help="고치지 않고, 다른 노트북이 있으면 실패")
    args = parser.parse_args(argv)
    stale = []
    for path in args.paths or notebooks():
        text = path.read_text(encoding="utf-8")
        wanted = dump(apply(json.loads(text), notebook_key(path)))
        if wanted == text:
            continue
        stale.append(path)
        if not args.check:
            path.write_text(wanted, encoding="utf-8")
            print(f"고침: {path.name}")
    if args.check and stale:
        names = ", ".join(p.name for p in stale)
        print(f"슬라이드 메타데이터가 규칙과 다른 노트북: {names}\n"
              "  python -m tools.slide_metadata 로 다시 붙이세요.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
