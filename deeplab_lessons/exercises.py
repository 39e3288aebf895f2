"""연습문제: 노트북이 부르는 곳. 답이나 학습자가 쓴 함수를 채점하고, 틀리면 정답 대신 힌트를 한국어로 알려 줍니다.

노트북의 연습문제는 두 가지입니다.

- **값 문제**: ``answer = None`` 을 답으로 바꾸고 ``exercises.check("문제 id", answer)`` 를 실행합니다.
- **코드 문제**: 주어진 함수의 본문을 채우고 ``exercises.check("문제 id", 함수)`` 를 실행합니다. 채점기는 그
  함수를 무작위 입력과 가장자리 입력(시드 고정)으로 불러 패키지의 기준 구현과 비교하고, 처음 틀린 경우
  (입력, 기대한 값, 받은 값)를 보여 줍니다.

틀리면 먼저 힌트가 나옵니다(흔한 실수와 같은 답이면 그 실수에 맞춘 힌트). 풀이는 ``exercises.solution(id)`` 로
부르거나 :data:`~deeplab_lessons.grading.MAX_TRIES` 번 틀리면 나옵니다. 시도 횟수는 커널 세션 동안 문제 id마다
셉니다. 토론 문제(``kind="토론"``)는 채점하지 않고 ``exercises.solution(id)`` 로 모범 답안을 봅니다.

문제는 :mod:`deeplab_lessons.exercise_bank` (강의마다 파일 하나)에, 채점 규칙은 :mod:`deeplab_lessons.grading` 에
있습니다. 이 모듈은 둘을 잇기만 합니다.
"""

from __future__ import annotations

from deeplab_lessons.errors import DeepLabLessonsError, josa
from deeplab_lessons.exercise_bank import BANK
from deeplab_lessons.grading import MAX_TRIES, Exercise, grade, solution_text

_TRIES: dict[str, int] = {}


# ---------------------------------------------------------------- 공개 함수

def get(exercise_id: str) -> Exercise:
    """문제 은행에서 ``exercise_id`` 의 문제를 찾습니다.

    Raises:
        DeepLabLessonsError: 없는 id일 때(있는 id 목록을 보여 줍니다).
    """
    if exercise_id not in BANK:
        raise DeepLabLessonsError(
            f"연습문제 id {josa(repr(exercise_id), '가')} 없습니다. 있는 id: {', '.join(BANK)}")
    return BANK[exercise_id]


def check(exercise_id: str, answer) -> bool | None:
    """값 문제는 답을, 코드 문제는 학습자의 함수를 채점하고 결과를 출력합니다.

    Returns:
        정답이면 ``True``, 오답이면 ``False``, 아직 답하지 않았으면 ``None``.
    """
    exercise = get(exercise_id)
    correct, message = grade(exercise, answer)
    if correct is None:
        print(message)
        return None
    if correct:
        print(f"[{exercise.id}] 정답입니다! {message}".rstrip())
        return True
    tries = _TRIES[exercise.id] = _TRIES.get(exercise.id, 0) + 1
    print(f"[{exercise.id}] 오답입니다({tries}번째 시도). {message}")
    if tries >= MAX_TRIES:
        print(f"\n{MAX_TRIES}번 틀려서 풀이를 보여 줍니다.\n")
        solution(exercise.id)
    else:
        print(f"더 필요하면 exercises.hint({exercise.id!r}), 풀이는 exercises.solution({exercise.id!r}) "
              f"(또는 {MAX_TRIES}번 틀리면 나옵니다).")
    return False


def hint(exercise_id: str) -> None:
    """일반 힌트를 출력합니다(돌려주지 않으므로 노트북에 글이 두 번 나오지 않습니다)."""
    print(f"힌트: {get(exercise_id).hint}")


def solution(exercise_id: str) -> None:
    """풀이(코드 문제는 모범 답안 코드 포함)를 출력합니다. 글이 필요하면 :func:`grading.solution_text`."""
    print(solution_text(get(exercise_id)))


def ids(lesson: str | None = None) -> dict[str, list[str]]:
    """강의(노트북 이름에서 번호를 뺀 것) → 그 강의의 문제 id 목록. ``lesson`` 을 주면 그 강의만.

    Raises:
        DeepLabLessonsError: 없는 강의 이름일 때(있는 이름을 보여 줍니다).
    """
    by_lesson: dict[str, list[str]] = {}
    for exercise in BANK.values():
        by_lesson.setdefault(exercise.lesson, []).append(exercise.id)
    if lesson is None:
        return by_lesson
    if lesson not in by_lesson:
        raise DeepLabLessonsError(
            f"강의 이름 {lesson!r} 에는 연습문제가 없습니다. 있는 이름: {', '.join(by_lesson)}")
    return {lesson: by_lesson[lesson]}


def list_exercises(lesson: str | None = None) -> None:
    """강의마다 문제 id와 종류, 제목을 출력합니다(``exercises.list()`` 와 같음). 목록이 필요하면 :func:`ids`."""
    for name, exercise_ids in ids(lesson).items():
        print(f"{name}:")
        for exercise_id in exercise_ids:
            exercise = BANK[exercise_id]
            print(f"  {exercise_id}  ({exercise.kind}) {exercise.title}")


#: ``exercises.list()``: 노트북에서 부르기 쉬운 이름(모듈 밖에서만 씁니다. 안에서는 내장 list 를 가리지 않도록
#: 맨 끝에 둡니다).
list = list_exercises  # noqa: A001


def reset_tries() -> None:
    """모든 문제의 시도 횟수를 0으로 되돌립니다."""
    _TRIES.clear()


