"""연습문제 틀(exercises.py): 아직 답 없음, 힌트 먼저, 시도 횟수, 학습자 함수의 예외."""

import pytest

from deeplab_lessons import exercises, grading
from deeplab_lessons.errors import DeepLabLessonsError


@pytest.fixture(autouse=True)
def fresh_tries():
    exercises.reset_tries()
    yield
    exercises.reset_tries()


def test_unknown_id_lists_the_known_ones():
    with pytest.raises(DeepLabLessonsError, match="atrous-1d"):
        exercises.check("없는-문제", 3)


def test_value_exercise_not_answered(capsys):
    assert exercises.check("effective-kernel", None) is None
    out = capsys.readouterr().out
    assert grading.NOT_ANSWERED in out and "17" not in out


@pytest.mark.parametrize("stub_body", ["none", "not_implemented"])
def test_code_exercise_stub_is_not_answered(capsys, stub_body):
    def atrous_conv1d(x, w, rate):
        if stub_body == "none":
            return None
        raise NotImplementedError

    assert exercises.check("atrous-1d", atrous_conv1d) is None
    assert grading.NOT_ANSWERED in capsys.readouterr().out
    assert exercises._TRIES.get("atrous-1d", 0) == 0   # 시도로 세지 않습니다.


def test_learner_exception_is_a_korean_message_not_a_traceback(capsys):
    def atrous_conv1d(x, w, rate):
        k_eff = len(w) + (len(w) - 1) * (rate - 1)
        return x[:k_eff] / undefined_scale  # noqa: F821 — 학습자의 실수를 흉내 냅니다.

    assert exercises.check("atrous-1d", atrous_conv1d) is False
    out = capsys.readouterr().out
    assert "함수를 부르다가 오류가 났습니다" in out
    assert "NameError: name 'undefined_scale' is not defined" in out
    assert "atrous_conv1d 함수" in out and "return x[:k_eff] / undefined_scale" in out
    assert "Traceback" not in out and "입력: x=" in out


def test_not_a_function(capsys):
    assert exercises.check("atrous-1d", 3) is False
    assert "함수를 넘겨야 합니다" in capsys.readouterr().out


def test_solution_appears_after_max_tries(capsys):
    for _ in range(exercises.MAX_TRIES - 1):
        exercises.check("effective-kernel", 99)
    out = capsys.readouterr().out
    assert "풀이:" not in out and "정답: 17" not in out
    exercises.check("effective-kernel", 99)
    out = capsys.readouterr().out
    assert f"{exercises.MAX_TRIES}번 틀려서" in out and "정답: 17" in out


def test_solution_and_hint_on_request_print_once_and_return_none(capsys):
    # 돌려주는 값이 있으면 노트북이 같은 글을 한 번 더 보여 줍니다(이슈 26, 6: 글은 한 번만).
    assert exercises.solution("atrous-1d") is None
    out = capsys.readouterr().out
    assert out.count("def atrous_conv1d_answer") == 1
    assert exercises.hint("atrous-1d") is None
    out = capsys.readouterr().out
    assert "k_eff" in out and out.count("힌트:") == 1


def test_discussion_is_not_graded(capsys):
    assert exercises.check("hdc-discussion", "구멍이 생깁니다") is None
    assert "토론 문제" in capsys.readouterr().out
    exercises.solution("hdc-discussion")
    assert "모범 답안" in capsys.readouterr().out


def test_also_accept_takes_either_transposed_convolution_length(capsys):
    """01강 1번: 교과서의 (n − 1)·s + k 도, Keras의 (n − 1)·s + max(k, s) 도 정답(이슈 23, 5)."""
    import numpy as np

    def keras_length(x, w, stride):
        y = np.zeros((len(x) - 1) * stride + max(len(w), stride))
        for a, value in enumerate(x):
            y[stride * a:stride * a + len(w)] += value * w
        return y

    def textbook_length(x, w, stride):
        return keras_length(x, w, stride)[:(len(x) - 1) * stride + len(w)]

    def one_short(x, w, stride):
        return textbook_length(x, w, stride)[:-1]

    assert exercises.check("transposed-1d", keras_length) is True
    assert exercises.check("transposed-1d", textbook_length) is True
    capsys.readouterr()
    assert exercises.check("transposed-1d", one_short) is False
    assert "처음 틀린 경우" in capsys.readouterr().out


def test_discussion_solution_shows_the_recomputed_evidence(capsys):
    from deeplab_lessons import aspp

    exercises.solution("rate36-discussion")
    out = capsys.readouterr().out
    assert out.count("근거(패키지로 다시 계산한 값)") == 1
    assert f"{aspp.valid_weight_histogram(65, 36)[4]:.1%}" in out
