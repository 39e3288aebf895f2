"""용어집(``notebooks/GLOSSARY.md``)과 "처음 나올 때 `한국어 (English)`" 규칙을 검사합니다.

무엇을 세는지(일치 규칙):

1. 용어는 GLOSSARY.md 표의 행입니다. 첫 칸이 한국어 용어, 둘째 칸이 English입니다. English 끝의 괄호
   (약어, 예: ``output stride (OS)`` 의 ``(OS)``)는 노트북에서 생략해도 됩니다.
2. 노트북마다 markdown 셀만 순서대로 읽습니다. 제목 줄(``#`` 으로 시작), 코드 조각(```…```),
   수식(``$…$``), 그림의 대체 글자와 링크 주소(``![…](…)``, ``](…)``)는 읽지 않습니다.
3. 용어가 나온 곳(occurrence)은 한국어 용어와 글자가 같은 곳이되, 바로 앞 글자가 한글이 아닌 곳입니다
   ("전치 합성곱"의 "합성곱"은 나온 곳이지만 "저화소"의 "화소"는 아님).
4. 더 긴 용어나 "다른 이름" 칸의 한국어 이름 안에 들어 있는 곳은 세지 않습니다("깊이별 분리 합성곱" 안의
   "합성곱", "팽창 합성곱" 안의 "합성곱").
5. 뜻이 여럿인 낱말은 :data:`NOT_THE_TERM` 의 정규식에 맞는 곳을 세지 않습니다(예: "두 가지"의 가지는 가짓수).
6. 처음 나온 곳 바로 뒤에 (``**`` 와 공백을 건너뛰고) ``(`` 와 English가 와야 합니다. 괄호 안은 English로
   시작하면 됩니다(대소문자 무시, 예: ``(atrous spatial pyramid pooling, ASPP)``).

모든 강의 노트북(``notebooks/NN_*.ipynb``, :func:`tooling.lesson_notebooks`)이 규칙을 지켜야 하며,
실패 메시지가 어긴 곳(노트북, 셀, 용어)을 모두 보여 줍니다.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from tooling import lesson_notebooks

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK_DIR = ROOT / "notebooks"

#: 뜻이 여럿인 낱말: 이 정규식에 맞는 곳은 용어가 아닙니다.
NOT_THE_TERM = {
    "가지": r"(?:한|두|세|네|다섯|여섯|일곱|여덟|아홉|열|몇|여러|[0-9]+)\s*가지|가지(?:고|며|면|지|게|려)|가진|가집",
    "머리": r"머리(?:글|말)",
    "커널": r"(?:Jupyter|주피터|파이썬|IPython)\s*커널",
}

HANGUL = re.compile(r"[\uac00-\ud7a3]")


def parse_glossary(path: Path = NOTEBOOK_DIR / "GLOSSARY.md") -> list[dict]:
    """GLOSSARY.md 표의 행들: ``{"korean", "english", "other_korean"}`` (다른 이름 중 한글이 든 이름들)."""
    entries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("| ") or line.startswith("| 한국어") or line.startswith("|---"):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        assert len(cells) == 4, f"용어집의 행은 칸이 4개여야 합니다: {line}"
        korean, english, others, _ = cells
        other_korean = [re.sub(r"\s*\(.*?\)", "", name).strip() for name in _split_names(others)]
        entries.append({"korean": korean, "english": english,
                        "other_korean": [n for n in other_korean if HANGUL.search(n)]})
    return entries


def _split_names(text: str) -> list[str]:
    """쉼표로 나뉜 이름들(괄호 안의 쉼표는 나누지 않음)."""
    names, depth, current = [], 0, ""
    for char in text:
        depth += char == "("
        depth -= char == ")"
        if char == "," and depth == 0:
            names.append(current)
            current = ""
        else:
            current += char
    return [n.strip() for n in [*names, current] if n.strip()]


def readable_markdown(cell_source: str) -> str:
    """규칙 2: 제목 줄, 코드 조각, 수식, 그림·링크 주소를 공백으로 바꾼 markdown(길이는 그대로)."""
    def blank(match):
        return " " * len(match.group(0))
    text = re.sub(r"^#.*$", blank, cell_source, flags=re.M)
    text = re.sub(r"```.*?```", blank, text, flags=re.S)
    text = re.sub(r"`[^`]*`", blank, text)
    text = re.sub(r"\$\$.*?\$\$|\$[^$]*\$", blank, text, flags=re.S)
    text = re.sub(r"!\[[^\]]*\]\([^)]*\)", blank, text)
    return re.sub(r"\]\([^)]*\)", blank, text)


def _occurrences(text: str, word: str) -> list[tuple[int, int]]:
    spans = []
    for match in re.finditer(re.escape(word), text):
        start = match.start()
        if start > 0 and HANGUL.match(text[start - 1]):
            continue                                        # 규칙 3
        spans.append((start, match.end()))
    return spans


def first_use_violations(notebook: Path, glossary: list[dict]) -> list[str]:
    """규칙 1–6을 어긴 곳: ``"노트북 셀 N: 용어 → 뒤에 (English) 없음: …앞뒤 글…"`` 의 목록."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    parts = [(i, readable_markdown("".join(c["source"]))) for i, c in enumerate(cells)
             if c["cell_type"] == "markdown"]
    names = {e["korean"] for e in glossary} | {n for e in glossary for n in e["other_korean"]}
    problems = []
    for entry in glossary:
        term = entry["korean"]
        english = re.sub(r"\s*\([^)]*\)$", "", entry["english"]).lower()
        longer = [n for n in names if term in n and n != term]
        excluded = NOT_THE_TERM.get(term)
        for index, text in parts:
            covered = [span for n in longer for span in _occurrences(text, n)]
            if excluded:
                covered += [m.span() for m in re.finditer(excluded, text)]
            hits = [(s, e) for s, e in _occurrences(text, term)
                    if not any(cs <= s and e <= ce for cs, ce in covered)]
            if not hits:
                continue
            start, end = hits[0]
            after = re.match(r"(?:\*\*)?\s*\((.*?)\)", text[end:end + 120], flags=re.S)
            if not (after and after.group(1).strip().lower().startswith(english)):
                context = text[max(0, start - 15):end + 25].replace("\n", " ")
                problems.append(f"{notebook.name} 셀 {index}: '{term}' 뒤에 ({entry['english']}) 없음: "
                                f"…{context}…")
            break
    return problems


def test_glossary_rows_are_complete_and_unique():
    glossary = parse_glossary()
    koreans = [e["korean"] for e in glossary]
    assert len(koreans) == len(set(koreans)), "한국어 용어가 두 번 나옵니다"
    assert all(e["korean"] and e["english"] for e in glossary)
    rate = next(e for e in glossary if e["english"] == "rate")
    assert rate["korean"] == "팽창률"                        # 한 뜻에 한 낱말(비율은 팽창률로 쓰지 않음)
    assert len(glossary) >= 55


def test_matching_rules_on_a_small_example(tmp_path):
    """규칙이 실제로 어긴 곳을 잡는지(테스트가 실패할 수 있는지) 작은 노트북으로 확인합니다."""
    glossary = [{"korean": "합성곱", "english": "convolution", "other_korean": []},
                {"korean": "전치 합성곱", "english": "transposed convolution", "other_korean": []},
                {"korean": "가지", "english": "branch", "other_korean": []},
                {"korean": "출력 보폭", "english": "output stride (OS)", "other_korean": []}]
    def notebook(*sources):
        path = tmp_path / "x.ipynb"
        path.write_text(json.dumps({"cells": [{"cell_type": "markdown", "source": [s]} for s in sources]}))
        return path
    good = notebook("# 합성곱\n두 가지 **전치 합성곱** (transposed convolution)과 `합성곱`",
                    "**합성곱** (convolution)을 봅니다. 세 가지 (branch 아님) 가지 (branch)마다 "
                    "출력 보폭 (output stride)")
    assert first_use_violations(good, glossary) == []
    bad = notebook("합성곱을 보고 나중에 합성곱 (convolution), 가지가 (branch)")
    found = first_use_violations(bad, glossary)
    assert len(found) == 2 and "'합성곱'" in found[0] and "'가지'" in found[1]


@pytest.mark.parametrize("path", lesson_notebooks(), ids=lambda p: p.name)
def test_first_use_has_english_in_parentheses(path):
    problems = first_use_violations(path, parse_glossary())
    assert not problems, "처음 나올 때 `한국어 (English)` 가 아닌 곳:\n" + "\n".join(problems)
