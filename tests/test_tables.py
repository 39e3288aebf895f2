import pytest

from deeplab_lessons import tables
from deeplab_lessons.errors import DeepLabLessonsError


def test_display_width_counts_hangul_as_two():
    assert tables.display_width("abc") == 3
    assert tables.display_width("수용 영역") == 9
    assert tables.display_width("×") == 1


def test_text_table_columns_line_up_by_display_width():
    t = tables.table(["구성", "매개변수", "mIoU"], [["출력 보폭 16", 1234567, 0.71234], ["v3+", 12, 0.5]], digits=3)
    lines = t.text().splitlines()
    # 마지막 열이 숫자(오른쪽 맞춤)이므로 줄을 맞췄다면 모든 줄의 화면 폭이 같습니다.
    assert len({tables.display_width(line) for line in lines}) == 1
    assert "0.712" in lines[2]


def test_paper_values_are_marked_with_source():
    value = tables.published(75.32, "model_zoo.md", "%")
    assert str(value) == "75.32 % [논문 값: model_zoo.md]"
    assert float(value) == pytest.approx(75.32)
    t = tables.table(["모델", "mIoU"], [["dm05", value]])
    assert "75.32 % *" in t.text() and "* 논문 값: model_zoo.md" in t.text()
    assert "논문 값" in t._repr_html_()


def test_bad_rows_and_empty_source_raise_korean_errors():
    with pytest.raises(DeepLabLessonsError, match="칸이 1개"):
        tables.table(["a", "b"], [[1]])
    with pytest.raises(DeepLabLessonsError, match="출처"):
        tables.published(1.0, " ")


def test_html_escapes_text():
    assert "&lt;b&gt;" in tables.table(["x"], [["<b>"]])._repr_html_()


def test_paper_values_are_never_rounded_in_tables():
    rows = [["a", tables.published(70.19, "zoo", "%")], ["b", tables.published(89.0, "v3+")]]
    t = tables.table(["모델", "mIoU"], rows, digits=1)
    assert "70.19 % *" in t.text() and "89.0 *" in t.text()
