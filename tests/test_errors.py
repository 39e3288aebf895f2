import pytest

from deeplab_lessons.errors import DeepLabLessonsError, check_choice, check_float_array, check_int, check_odd


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


def test_check_float_array_keeps_floats_and_converts_integers_and_bools():
    import numpy as np

    floats = np.ones((2, 3), np.float32)
    assert check_float_array("x", floats, 2) is floats
    integers = check_float_array("x", [[1, 2]], (2, 4))
    bools = check_float_array("x", np.array([[True, False]]), 2)
    assert integers.dtype == bools.dtype == np.float64
    assert integers.tolist() == [[1.0, 2.0]] and bools.tolist() == [[1.0, 0.0]]


def test_check_float_array_names_shape_dims_and_layout():
    import numpy as np

    with pytest.raises(DeepLabLessonsError, match=r"inputs의 모양이 올바르지 않습니다\(받은 모양: \(2, 2\)\)\. "
                                                  r"inputs은\(는\) 3차원 또는 4차원 배열이어야 합니다\. "
                                                  r"입력은 \(N, H, W, C\) 순서입니다\.$"):
        check_float_array("inputs", np.ones((2, 2)), (3, 4), "입력은 (N, H, W, C) 순서입니다.")


@pytest.mark.parametrize("value", [[["a"]], [[1j]]])
def test_check_float_array_rejects_text_and_complex(value):
    with pytest.raises(DeepLabLessonsError, match="kernel 값이 올바르지 않습니다.*실수 또는 정수 배열이어야"):
        check_float_array("kernel", value, 2)
