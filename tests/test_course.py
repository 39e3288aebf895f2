from pathlib import Path

from deeplab_lessons import course

ROOT = Path(__file__).resolve().parents[1]


def test_lessons_are_numbered_in_order():
    assert [lesson.number for lesson in course.LESSONS] == list(range(len(course.LESSONS)))
    for lesson in course.LESSONS:
        assert lesson.notebook.startswith(f"{lesson.number:02d}_")


def test_readme_course_map_has_one_row_per_lesson_from_course_py():
    """README의 강좌 지도는 course.LESSONS 에서 만든 표와 행마다 같습니다(번호, 노트북, 모듈, 내용, 코드 연습문제)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for lesson in course.LESSONS:
        modules = ", ".join(f"`{m.strip()}`" for m in lesson.modules.split(","))
        row = (f"| {lesson.number} | [{lesson.notebook}](notebooks/{lesson.notebook}) | {modules} | "
               f"{lesson.what_you_see} | {course.exercise_title(lesson)} |")
        assert row in readme, f"README의 강좌 지도에 이 행이 없습니다: {row}"


def test_every_committed_notebook_is_in_the_course():
    known = {lesson.notebook for lesson in course.LESSONS}
    for path in (ROOT / "notebooks").glob("*.ipynb"):
        assert path.name in known


def test_status(tmp_path):
    (tmp_path / "02_atrous_convolution.ipynb").write_text("{}")
    status = dict((lesson.number, ready) for lesson, ready in course.lesson_status(tmp_path))
    assert status[2] and not status[3]
    assert "준비 중" in course.course_map_text(tmp_path)


def test_family_table_marks_paper_values_and_like_for_like_gains():
    text = course.family_table().text()
    assert "71.6 % *" in text and "89.0 % *" in text and "* 논문 값:" in text
    like = course.like_for_like_table()
    assert [row[-1] for row in like.rows] == ["2.1", "2.1"]     # 87.8 − 85.7, 89.0 − 86.9
    assert "논문 값" in like.text()


def test_pipeline_stages_name_real_modules_and_have_lessons():
    """정리 그림의 부분마다 모듈은 패키지에 있고, 그 모듈을 가르친 강의가 강좌 지도에 있습니다."""
    package = ROOT / "deeplab_lessons"
    for stage in course.PIPELINE:
        for module in stage.modules:
            path = package / module.replace(".", "/")
            assert path.with_suffix(".py").is_file() or (path / "__init__.py").is_file(), (stage.key, module)
        assert course.stage_lessons(stage), f"부분 {stage.key} 를 만든 강의가 없습니다"
    assert len({stage.key for stage in course.PIPELINE}) == len(course.PIPELINE)


def test_every_lesson_but_the_closing_one_built_a_part_of_the_picture():
    built = {lesson.number for stage in course.PIPELINE for lesson in course.stage_lessons(stage)}
    others = [lesson.number for lesson in course.LESSONS if lesson.slug != "closing"]
    assert sorted(built) == others


def test_stage_lessons_is_the_first_lesson_that_lists_each_module():
    atrous = next(stage for stage in course.PIPELINE if stage.key == "atrous")
    assert [lesson.slug for lesson in course.stage_lessons(atrous)] == ["atrous_convolution", "field_of_view"]
    lone = course.Stage("x", "x", ("course",))           # 과정 소개와 정리 강의가 함께 적은 모듈
    assert [lesson.number for lesson in course.stage_lessons(lone)] == [0]
    assert course.stage_lessons(course.Stage("y", "y", ("no_such_module",))) == ()
