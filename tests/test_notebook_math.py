"""수식 안의 한글: MathJax는 수식 글꼴로 글자를 그리므로 $…$ 안의 한글은 한국어 글꼴 없이(두부 상자나 대체 글꼴로)
보입니다(make browser-check가 9강에서 잡은 문제). 한글 설명은 수식 밖에 씁니다."""

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MATH = re.compile(r"\$\$.*?\$\$|\$[^$\n]+\$", re.S)
HANGUL = re.compile(r"[\uac00-\ud7a3]")


@pytest.mark.parametrize("path", sorted((ROOT / "notebooks").glob("*.ipynb")), ids=lambda p: p.name)
def test_no_hangul_inside_math(path):
    problems = []
    for index, cell in enumerate(json.loads(path.read_text(encoding="utf-8"))["cells"]):
        if cell["cell_type"] != "markdown":
            continue
        source = "".join(cell["source"])
        problems += [f"셀 {index}: {m.group(0)[:60]!r}" for m in MATH.finditer(source) if HANGUL.search(m.group(0))]
    assert not problems, f"{path.name}: 수식 안에 한글이 있습니다(수식 밖으로 옮기세요): {problems}"


def test_the_check_can_fail(tmp_path):
    assert HANGUL.search(MATH.search(r"에너지 $\text{단항 항}$").group(0))
