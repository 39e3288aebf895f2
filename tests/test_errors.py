import pytest

from deeplab_lessons.errors import DeepLabLessonsError, check_choice, check_int, check_odd


def test_error_family_is_value_error():
    assert issubclass(DeepLabLessonsError, ValueError)


@pytest.mark.parametrize("value", [0, -3, 1.5, 2.0, True, "2", None])
def test_check_int_rejects_with_korean_message(value):
    with pytest.raises(DeepLabLessonsError, match="rate 값이 올바르지 않습니다.*1 이상의 정수"):
        check_int("rate", value)


def test_check_int_accepts_numpy_integers():
    import numpy as np

    assert check_int("rate", np.int64(3)) == 3


def test_check_odd():
    assert check_odd("kernel", 5) == 5
    with pytest.raises(DeepLabLessonsError, match="홀수"):
        check_odd("kernel", 4)


def test_check_choice_lists_allowed_values():
    with pytest.raises(DeepLabLessonsError, match="'same', 'valid'"):
        check_choice("padding", "SAME", ("same", "valid"))
