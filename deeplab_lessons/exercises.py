"""연습문제 채점 도우미: 답을 받아 정답/오답과 그 이유를 한국어로 알려 줍니다."""

from __future__ import annotations


def grade(answer: object, expected: object, reason: str) -> bool:
    """``answer`` 가 ``expected`` 와 같은지 채점하고 결과를 출력합니다.

    Args:
        answer: 학습자의 답.
        expected: 코드가 계산한 정답.
        reason: 정답이 왜 그런지(식이나 계산 과정).

    Returns:
        정답이면 ``True``.
    """
    correct = answer == expected
    if correct:
        print(f"정답입니다! {expected} — {reason}")
    else:
        print(f"오답입니다. 입력한 답은 {answer!r}, 정답은 {expected}입니다. 이유: {reason}")
    return bool(correct)
