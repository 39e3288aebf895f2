"""수용 영역·ASPP 강의 그림: 축 이름, 깊이 범위, 슬라이더의 한국어 대체 글자."""

import pytest

from deeplab_lessons.figures import field
from deeplab_lessons.figures.aspp import valid_taps


def test_effective_field_covers_the_table_depths_on_log_axes():
    fig = field.effective_field(depths=(2, 4, 8))
    plot = fig.axes[-1]
    assert plot.get_xscale() == "log" and plot.get_yscale() == "log"
    assert "층 수" in plot.get_xlabel() and "화소" in plot.get_ylabel()
    assert [ax.get_title().split("\n")[0] for ax in fig.axes[:-1]] == ["2층", "4층", "8층"]
    assert any("n^0." in text.get_text() for text in plot.get_legend().get_texts())


def test_valid_taps_axes_use_different_words():
    ax = valid_taps(size=17, max_rate=8).axes[0]
    assert ax.get_xlabel() == "팽창률 r" and "%" in ax.get_ylabel() and "비율" not in ax.get_ylabel()


def test_rate_explorer_title_names_rate_and_depth():
    assert field.rate_explorer(5, depth=1).axes[0].get_title().startswith("팽창률 5인 3×3 층 1개")


def test_rate_slider_shows_korean_text_where_widgets_cannot_render(monkeypatch):
    pytest.importorskip("ipywidgets")
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda *objs, **kw: shown.extend(objs) or _Handle())
    field.rate_slider(rate=2, depth=3)
    figure, controls = shown[0], shown[-1]
    assert figure.axes[0].get_title().startswith("팽창률 2인 3×3 층 3개")
    bundle = controls._repr_mimebundle_()
    assert bundle["text/plain"].startswith("[슬라이더") and "application/vnd.jupyter.widget-view+json" in bundle


class _Handle:
    def update(self, obj):
        pass
