"""연습문제 채점 도우미: 답을 받아 정답/오답과 그 이유를 한국어로 알려 줍니다.

노트북의 연습문제 셀은 ``answer = None`` 으로 시작합니다. 답을 적기 전에는 정답을 보여 주지 않고
답을 적으라고만 안내합니다.
"""

from __future__ import annotations

import numpy as np


def grade(answer: object, expected: object, reason: str) -> bool | None:
    """``answer`` 가 ``expected`` 와 같은지 채점하고 결과를 출력합니다.

    Args:
        answer: 학습자의 답. ``None`` 이면 아직 답하지 않은 것으로 봅니다.
        expected: 코드가 계산한 정답.
        reason: 정답이 왜 그런지(식이나 계산 과정). 답을 적은 뒤에만 보여 줍니다.

    Returns:
        정답이면 ``True``, 오답이면 ``False``, 아직 답이 없으면 ``None``.
    """
    if answer is None:
        print("아직 답이 없습니다. answer = None 을 답으로 바꾸고 셀을 다시 실행하세요.")
        return None
    answer_array, expected_array = np.asarray(answer), np.asarray(expected)
    correct = answer_array.shape == expected_array.shape and bool(np.all(answer_array == expected_array))
    if correct:
        print(f"정답입니다! {expected} — {reason}")
    else:
        print(f"오답입니다. 입력한 답은 {answer!r}, 정답은 {expected}입니다. 이유: {reason}")
    return correct


def check_class_pixels(answer: int | None, label_map, class_id: int) -> bool | None:
    """0강 연습문제: 클래스 번호 지도에서 ``class_id`` 인 화소의 수."""
    label_map = np.asarray(label_map)
    expected = int((label_map == class_id).sum())
    return grade(answer, expected, f"(label_map == {class_id}).sum() = {expected}")


def check_logits_shape(answer, height: int, width: int, num_classes: int) -> bool | None:
    """0강 연습문제: 분할 네트워크가 내는 로짓(logits)의 모양 ``(H, W, 클래스 수)``."""
    expected = (height, width, num_classes)
    answer = tuple(answer) if answer is not None else None
    return grade(answer, expected, "화소마다 클래스 수만큼의 점수가 있습니다")
