"""tools/slide_metadata.py: 슬라이드 종류를 정하는 규칙과, 모든 노트북이 그 규칙의 결과를 담고 있는지."""

import json
from pathlib import Path

import pytest

from tools import slide_metadata as sm

ROOT = Path(__file__).resolve().parents[1]


def md(text):
    return {"cell_type": "markdown", "metadata": {}, "source": text}


def code(text, lines=0, figure=False):
    outputs = []
    if lines:
        outputs.append({"output_type": "stream", "name": "stdout", "text": "줄\n" * lines})
    if figure:
        outputs.append({"output_type": "display_data", "data": {"image/png": "AAAA", "text/plain": "<Figure>"},
                        "metadata": {}})
    return {"cell_type": "code", "metadata": {}, "source": text, "outputs": outputs, "execution_count": 1}


LESSON = [
    md("# 2강. 제목\n\n학습 목표"),
    md("## 준비"),
    code("import numpy as np"),
    md("## 1. 첫 절\n\n설명"),
    code("x = 1\nprint(x)", lines=2),
    md("짧은 해설"),
    md("### 작은 절"),
    code("figures.draw()", figure=True),
    code("for i in range(30): print(i)", lines=30),
    md("## 요약\n\n- 하나\n\n## 연습문제\n\n1. 문제 하나"),
    code("answer = None\ncheck(answer)", lines=1),
    md("2. 문제 둘"),
    code("answer = None\ncheck(answer)", lines=1),
    md("## 참고 문헌\n\n- 논문"),
]


def test_rules_on_a_small_lesson():
    assert sm.slide_types(LESSON) == [
        "slide",      # 제목
        "skip", "skip",  # 준비 절
        "slide", "-", "fragment",  # 절, 코드, 코드 뒤 짧은 해설
        "subslide", "-",  # ### 제목과 바로 뒤의 그림(짧은 제목과 함께)
        "notes",      # 30줄 출력
        "slide", "skip", "fragment", "skip",  # 요약·연습문제: 답 셀은 건너뜀, 문제는 하나씩
        "slide",      # 참고 문헌
    ]


def test_figure_after_content_gets_its_own_slide():
    cells = [md("# 제목"), md("## 절\n\n" + "설명\n" * 6), code("draw()", figure=True)]
    assert sm.slide_types(cells)[2] == "subslide"


def test_full_slide_splits_before_next_cell():
    cells = [md("# 제목"), md("## 절"), code("a", lines=12), code("b", lines=12), code("c", lines=12)]
    assert sm.slide_types(cells)[2:] == ["-", "-", "subslide"]


def test_heading_inside_a_paragraph_cell_starts_a_slide():
    cells = [md("# 제목"), md("## 절"), code("a", lines=1), md("해설 문단\n\n## 요약\n\n- 요점")]
    assert sm.slide_types(cells)[3] == "slide"


def test_override_by_source_prefix():
    cells = [md("# 제목"), md("## 절"), code("table = read()", lines=30)]
    assert sm.slide_types(cells, {"table = read(": "subslide"})[2] == "subslide"


@pytest.mark.parametrize("overrides, message", [
    ({"없는 셀": "skip"}, "0개"),
    ({"# 제목": "없는 종류"}, "슬라이드 종류"),
])
def test_bad_override_is_reported(overrides, message):
    with pytest.raises(sm.SlideMetadataError, match=message):
        sm.slide_types([md("# 제목")], overrides)


def test_notebook_key_drops_the_number():
    assert sm.notebook_key(Path("notebooks/04_aspp.ipynb")) == "aspp"
    assert sm.notebook_key(Path("notebooks/01_fully_convolutional.ipynb")) == "fully_convolutional"


def test_apply_only_touches_metadata():
    nb = {"cells": [dict(cell) for cell in LESSON], "metadata": {"kernelspec": {"name": "python3"}},
          "nbformat": 4, "nbformat_minor": 5}
    result = sm.apply(nb, "lesson")
    assert result["metadata"]["rise"] == sm.RISE_SETTINGS
    assert result["metadata"]["kernelspec"] == {"name": "python3"}
    for before, after in zip(nb["cells"], result["cells"], strict=True):
        assert {k: v for k, v in after.items() if k != "metadata"} == {k: v for k, v in before.items()
                                                                         if k != "metadata"}
        assert after["metadata"]["slideshow"]["slide_type"] in sm.SLIDE_TYPES


def test_every_override_matches_a_notebook():
    keys = {sm.notebook_key(path) for path in sm.notebooks()}
    assert set(sm.OVERRIDES) <= keys


@pytest.mark.parametrize("path", sm.notebooks(), ids=lambda p: p.name)
def test_notebook_has_the_tools_slide_metadata(path):
    """노트북을 고친 뒤에는 `python -m tools.slide_metadata` 로 다시 붙입니다."""
    text = path.read_text(encoding="utf-8")
    assert sm.dump(sm.apply(json.loads(text), sm.notebook_key(path))) == text, (
        f"{path.name}의 슬라이드 메타데이터가 규칙과 다릅니다: python -m tools.slide_metadata 를 실행하세요")
