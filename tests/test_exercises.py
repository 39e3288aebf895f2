import numpy as np

from deeplab_lessons import exercises
from deeplab_lessons.exercises import grade


def test_grade(capsys):
    assert grade(3, 3, "이유")
    assert grade(4, 3, "이유") is False
    assert grade(None, 3, "이유") is None
    out = capsys.readouterr().out
    assert "정답입니다! 3" in out and "입력한 답은 4, 정답은 3" in out
    last = out.strip().splitlines()[-1]
    assert "아직 답이 없습니다" in last and "3" not in last  # 답이 없을 때는 정답을 보이지 않음


def test_lesson0_checkers(capsys):
    label_map = np.array([[0, 15], [15, 12]])
    assert exercises.check_class_pixels(2, label_map, 15)
    assert exercises.check_logits_shape([513, 513, 21], 513, 513, 21)
    assert exercises.check_logits_shape((513, 513), 513, 513, 21) is False
