import io
import warnings

import matplotlib
import pytest
from matplotlib.figure import Figure

from deeplab_lessons import viz


def _render(title: str) -> None:
    fig = Figure()
    ax = fig.subplots()
    ax.plot([-2, -1, 0, 1], [1, -1, 1, -1], label="범례 (legend)")
    ax.set_title(title)
    ax.set_xlabel("가로축")
    ax.legend()
    fig.savefig(io.BytesIO(), format="png")


def test_hangul_renders_without_missing_glyph_warnings():
    viz.setup()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _render("한글 제목: 아트러스 합성곱 −1")
    assert matplotlib.rcParams["axes.unicode_minus"] is False


def test_bundled_font_is_used_when_no_system_font(monkeypatch):
    """시스템 한글 글꼴이 없는 기계: koreanize-matplotlib이 설치한 NanumGothic을 씁니다."""
    name = viz.setup(candidates=("No Such Font For Test",))
    assert name == "NanumGothic"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _render("시스템 글꼴 없이 그린 한글")


def test_missing_font_gives_korean_error(monkeypatch):
    monkeypatch.setattr(viz, "_bundled_font_files", lambda: [])
    with pytest.raises(viz.DeepLabLessonsError, match="한국어 글꼴을 찾지 못했습니다"):
        viz.korean_font(("No Such Font For Test",))


def test_bundled_font_files_found_without_importing_koreanize():
    import sys

    files = viz._bundled_font_files()
    assert any(f.name == "NanumGothic.ttf" for f in files)
    assert "koreanize_matplotlib" not in sys.modules
