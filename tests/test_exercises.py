from deeplab_lessons.exercises import grade


def test_grade(capsys):
    assert grade(3, 3, "이유")
    assert not grade(4, 3, "이유")
    out = capsys.readouterr().out
    assert "정답입니다! 3" in out and "입력한 답은 4, 정답은 3" in out
