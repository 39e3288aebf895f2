import dataclasses

import pytest

from deeplab_lessons import course
from deeplab_lessons.errors import DeepLabLessonsError
from deeplab_lessons.figures import lesson_pipeline, lesson_tag


def _texts(fig):
    return [text.get_text() for text in fig.axes[0].texts]


def test_every_stage_is_a_box_with_the_lessons_from_the_course_map():
    texts = _texts(lesson_pipeline())
    for stage in course.PIPELINE:
        numbers = "·".join(str(lesson.number) for lesson in course.stage_lessons(stage))
        assert f"{stage.name}\n[{numbers}강]" in texts
    assert any(t.startswith("ASPP") and t.endswith(lesson_tag(course.PIPELINE[4])) for t in texts)


def test_renumbering_the_course_relabels_the_figure(monkeypatch):
    """번호는 강좌 지도에서만 옵니다: 강의 번호를 바꾸면 그림의 꼬리표가 따라 바뀝니다."""
    renumbered = tuple(dataclasses.replace(lesson, number=lesson.number + 20) for lesson in course.LESSONS)
    monkeypatch.setattr(course, "LESSONS", renumbered)
    aspp = next(stage for stage in course.PIPELINE if stage.key == "aspp")
    assert lesson_tag(aspp) == "[24강]"
    assert f"{aspp.name}\n[24강]" in _texts(lesson_pipeline())


def test_a_stage_without_a_lesson_or_a_place_is_a_korean_error(monkeypatch):
    orphan = course.Stage("orphan", "고아", ("no_such_module",))
    with pytest.raises(DeepLabLessonsError, match="가르친 강의가"):
        lesson_tag(orphan)
    monkeypatch.setattr(course, "PIPELINE", (*course.PIPELINE, orphan))
    with pytest.raises(DeepLabLessonsError, match="자리가 없는 부분: orphan"):
        lesson_pipeline()
