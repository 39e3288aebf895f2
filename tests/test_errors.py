import pytest

from deeplab_lessons.errors import DeepLabLessonsError, check_choice, check_float_array, check_int, check_odd, josa


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
                                                  r"inputs는 3차원 또는 4차원 배열이어야 합니다\. "
                                                  r"입력은 \(N, H, W, C\) 순서입니다\.$"):
        check_float_array("inputs", np.ones((2, 2)), (3, 4), "입력은 (N, H, W, C) 순서입니다.")


@pytest.mark.parametrize("value", [[["a"]], [[1j]]])
def test_check_float_array_rejects_text_and_complex(value):
    with pytest.raises(DeepLabLessonsError, match="kernel 값이 올바르지 않습니다.*실수 또는 정수 배열이어야"):
        check_float_array("kernel", value, 2)


@pytest.mark.parametrize("word, particle, expected", [
    ("output_size", "은", "output_size는"),      # 사이즈: 받침 없음
    ("kernel", "이", "kernel이"),                # 커널: 받침 ㄹ
    ("6×6", "로", "6×6으로"),                    # 육: 받침 ㄱ
    ("257×257", "로", "257×257로"),              # 칠: 받침 ㄹ 뒤의 "로"
    ("0.01", "은", "0.01은"),                    # 일
    ("10", "가", "10이"),                        # 십
    ("0.5", "을", "0.5를"),                      # 오
    ("모델", "으로", "모델로"),
    ("영상", "와", "영상과"),
    ("바다", "과", "바다와"),
    ("CRF", "이", "CRF가"),                      # 에프
    ("URL", "을", "URL을"),                      # 엘
    ("'abc'", "이라", "'abc'라"),                # 따옴표는 건너뜀
    ((4, 4), "과", "(4, 4)와"),                  # 문자열이 아니면 str()
    ("--out", "이", "--out이"),                  # 아웃
    ("label_map", "을", "label_map을"),          # 맵
    ("mask", "이", "mask가"),                    # 마스크
    ("겹쳐 보기 파일(--overlay)", "이", "겹쳐 보기 파일(--overlay)이"),  # 괄호 앞의 낱말
    ("result.png", "은", "result.png는"),        # 확장자는 글자 이름(지)
    ("val.txt", "가", "val.txt가"),
])
def test_josa_follows_the_final_sound(word, particle, expected):
    assert josa(word, particle) == expected


def test_josa_rejects_unknown_particles_and_messages_use_it():
    with pytest.raises(DeepLabLessonsError, match="particle"):
        josa("x", "의")
    with pytest.raises(DeepLabLessonsError, match=r"output_size는 1 이상의 정수"):
        check_int("output_size", "a")
