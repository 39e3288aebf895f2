"""채점기(grading)가 학습자의 함수를 부르는 방식: 위치 인자, 시간 제한, SystemExit·KeyboardInterrupt,
자료형과 반올림, 한 원소 목록, 문제 목록(이슈 26, 6)."""

import sys
import threading

import numpy as np
import pytest

from deeplab_lessons import atrous, exercises, grading
from deeplab_lessons.errors import DeepLabLessonsError


@pytest.fixture(autouse=True)
def fresh_tries():
    exercises.reset_tries()
    yield
    exercises.reset_tries()


def test_correct_function_with_other_parameter_names_passes(capsys):
    def atrous_conv1d(signal, kernel, dilation):     # 틀과 다른 이름, 같은 순서
        return atrous.atrous_conv1d(signal, kernel, dilation)

    assert exercises.check("atrous-1d", atrous_conv1d) is True


def test_function_with_wrong_arity_is_told_the_names_it_needs(capsys):
    def atrous_conv1d(x, w):
        return x

    assert exercises.check("atrous-1d", atrous_conv1d) is False
    out = capsys.readouterr().out
    assert "(x, w, rate)" in out and "인자 3개" in out and "unexpected keyword" not in out


def test_keyword_only_function_still_works(capsys):
    def atrous_conv1d(**kwargs):
        return atrous.atrous_conv1d(kwargs["x"], kwargs["w"], kwargs["rate"])

    assert exercises.check("atrous-1d", atrous_conv1d) is True


def test_infinite_loop_is_stopped_with_a_korean_message(capsys, monkeypatch):
    monkeypatch.setattr(grading, "CALL_TIME_LIMIT", 0.3)

    def atrous_conv1d(x, w, rate):
        while True:
            pass

    assert exercises.check("atrous-1d", atrous_conv1d) is False
    out = capsys.readouterr().out
    assert "0.3초 안에 끝나지 않아" in out and "반복문" in out


def test_learner_catching_exception_does_not_swallow_the_time_limit(capsys, monkeypatch):
    monkeypatch.setattr(grading, "CALL_TIME_LIMIT", 0.3)

    def atrous_conv1d(x, w, rate):
        while True:
            try:
                sum(range(1000))
            except Exception:   # noqa: BLE001 — 학습자가 흔히 쓰는 넓은 except
                pass

    assert exercises.check("atrous-1d", atrous_conv1d) is False
    assert "끝나지 않아" in capsys.readouterr().out


def test_default_time_limit_is_about_ten_seconds():
    assert 5 <= grading.CALL_TIME_LIMIT <= 15


def test_time_limit_does_not_fire_after_a_fast_call(monkeypatch):
    monkeypatch.setattr(grading, "CALL_TIME_LIMIT", 0.2)
    exercise = exercises.get("atrous-1d")
    assert exercises.check("atrous-1d", exercise.model_answer) is True
    threading.Event().wait(0.4)      # 타이머가 남아 있으면 여기서 KeyboardInterrupt가 납니다.


def test_sys_exit_is_reported_not_propagated(capsys):
    def atrous_conv1d(x, w, rate):
        sys.exit(1)

    assert exercises.check("atrous-1d", atrous_conv1d) is False
    assert "SystemExit" in capsys.readouterr().out


def test_learner_keyboard_interrupt_is_reported(capsys):
    def atrous_conv1d(x, w, rate):
        raise KeyboardInterrupt

    assert exercises.check("atrous-1d", atrous_conv1d) is False
    assert "KeyboardInterrupt" in capsys.readouterr().out


def test_real_ctrl_c_still_stops_the_grader():
    import signal

    def atrous_conv1d(x, w, rate):
        signal.raise_signal(signal.SIGINT)      # 사용자가 누른 Ctrl-C와 같은 신호
        return x

    with pytest.raises(KeyboardInterrupt):
        exercises.check("atrous-1d", atrous_conv1d)


def test_float16_result_explains_the_dtype(capsys):
    def atrous_conv1d(x, w, rate):
        return atrous.atrous_conv1d(x, w, rate).astype(np.float16)

    assert exercises.check("atrous-1d", atrous_conv1d) is False
    out = capsys.readouterr().out
    assert "float16" in out and "float64" in out


def test_difference_below_the_printed_digits_is_shown(capsys):
    def atrous_conv1d(x, w, rate):
        return atrous.atrous_conv1d(x, w, rate) + 3e-5    # 소수 넷째 자리까지 보이는 출력에서는 같아 보임

    assert exercises.check("atrous-1d", atrous_conv1d) is False
    assert "가장 큰 차가 3e-05" in capsys.readouterr().out


def test_almost_right_value_shows_its_digits(capsys):
    expected = exercises.get("effective-kernel").expected()
    exercises.check("effective-kernel", expected + 1e-7)
    out = capsys.readouterr().out
    assert repr(expected + 1e-7) in out and "허용 차" in out


def test_one_element_list_gets_its_own_hint(capsys):
    expected = exercises.get("effective-kernel").expected()
    assert exercises.check("effective-kernel", [expected]) is False
    out = capsys.readouterr().out
    assert "숫자 하나" in out and f"answer = {expected}" in out


def test_list_prints_ids_per_lesson_and_ids_returns_them(capsys):
    assert exercises.list() is None
    out = capsys.readouterr().out
    assert "atrous_convolution:" in out and "  atrous-1d  (코드)" in out
    by_lesson = exercises.ids()
    assert "atrous-1d" in by_lesson["atrous_convolution"]
    assert sum(len(v) for v in by_lesson.values()) == len(exercises.BANK)
    assert exercises.ids("atrous_convolution") == {"atrous_convolution": by_lesson["atrous_convolution"]}
    with pytest.raises(DeepLabLessonsError, match="atrous_convolution"):
        exercises.ids("없는강의")


def test_cases_follow_the_template_order():
    # 위치 인자로 부르므로 경우의 인자 순서 = 모범 답안(노트북의 틀)의 인자 순서여야 합니다.
    import inspect
    for exercise in exercises.BANK.values():
        if exercise.kind == "코드":
            names = list(inspect.signature(exercise.model_answer).parameters)
            for case in exercise.cases():
                assert list(case.kwargs) == names, exercise.id
