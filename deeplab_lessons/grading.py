"""연습문제의 채점기: 문제의 모양(:class:`Exercise`, :class:`Case`, :class:`Mistake`)과 채점 규칙.

- **값 문제**: 답을 ``expected()`` 와 비교(``tolerance`` 안이면 정답). 흔한 실수의 값과 같으면 그 실수의 힌트.
- **코드 문제**: 학습자의 함수를 시드를 고정한 입력(``cases()``)으로 불러 기준 구현(``reference``)과 비교하고,
  처음 틀린 경우(입력, 기대한 값, 받은 값)를 보여 줍니다. 흔한 실수를 흉내 낸 함수와 같은 결과면 그 힌트.

이 모듈은 문제 목록을 모릅니다. 문제는 :mod:`deeplab_lessons.exercise_bank` 의 강의별 파일에 있고,
노트북이 부르는 :mod:`deeplab_lessons.exercises` 가 은행에서 문제를 찾아 여기서 채점합니다.
"""

from __future__ import annotations

import _thread
import inspect
import signal
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from deeplab_lessons.errors import josa

#: 이만큼 틀리면 풀이를 저절로 보여 줍니다.
MAX_TRIES = 3

#: 학습자의 함수를 한 번 부를 때 기다리는 최대 시간(초). 넘으면 멈추고 한국어로 알립니다.
CALL_TIME_LIMIT = 10.0

#: 코드 문제에서 아직 본문을 채우지 않은 함수(``None`` 을 돌려주거나 NotImplementedError)를 뜻하는 안내.
NOT_ANSWERED = "아직 답하지 않았습니다."


@dataclass(frozen=True)
class Mistake:
    """흔한 실수 하나: 그 실수를 하면 나오는 값(값 문제) 또는 그 실수를 구현한 함수(코드 문제)와 힌트."""

    hint: str
    value: object = None
    function: Callable | None = None


@dataclass(frozen=True)
class Case:
    """코드 문제의 시험 입력 하나(키워드 인자)와 사람이 읽을 설명."""

    kwargs: dict
    label: str = ""


@dataclass(frozen=True)
class Exercise:
    """연습문제 하나.

    Attributes:
        id: 강의 번호가 들어가지 않는 고정 이름(예: ``"atrous-1d"``). 강의 번호가 바뀌어도 그대로입니다.
        title: 한 줄 제목.
        prompt: 노트북에 적힌 문제 글(테스트가 노트북에 이 글이 있는지 봅니다).
        kind: ``"값"``, ``"코드"``, ``"토론"``.
        hint: 틀렸을 때 처음 보여 줄 일반 힌트(어느 식, 어느 절을 다시 볼지).
        solution: 풀이 글. 코드 문제는 ``model_answer`` 의 소스가 뒤에 붙습니다.
        expected: 값 문제의 정답을 계산하는 함수(인자 없음).
        tolerance: 값 문제에서 허용하는 차(0이면 정확히 같아야 함).
        reference: 코드 문제의 기준 구현(패키지의 함수).
        cases: 코드 문제의 시험 입력 목록을 만드는 함수(인자 없음, 시드 고정).
        model_answer: 코드 문제의 모범 답안(패키지 밖 코드 없이 NumPy만 쓴 풀이).
        also_accept: 코드 문제에서 기준 구현과 함께 정답으로 받는 다른 구현(같은 인자). 관례가 둘인 문제(예:
            전치 합성곱의 출력 길이)에서 어느 관례로 답해도 맞게 합니다.
        evidence: 토론 문제의 모범 답안이 기대는 숫자를 패키지로 다시 계산해 한 문장으로 돌려주는 함수(인자 없음).
            모범 답안은 숫자를 적지 않고 이 함수나 노트북의 출력을 가리킵니다(숫자가 바뀌어도 답이 틀리지
            않도록).
        mistakes: 흔한 실수와 그 힌트.
        lesson: 이 문제가 있는 강의의 노트북 이름(번호를 뺀 slug, 예: ``"atrous_convolution"``). 은행이
            문제가 든 파일 이름으로 채웁니다.
    """

    id: str
    title: str
    prompt: str
    kind: str
    hint: str
    solution: str
    expected: Callable[[], object] | None = None
    tolerance: float = 0.0
    reference: Callable | None = None
    cases: Callable[[], list[Case]] | None = None
    model_answer: Callable | None = None
    also_accept: Callable | None = None
    evidence: Callable[[], str] | None = None
    mistakes: tuple[Mistake, ...] = field(default_factory=tuple)
    lesson: str = ""



def grade(exercise: Exercise, answer) -> tuple[bool | None, str]:
    """답이나 함수를 채점합니다: ``(정답이면 True·오답이면 False·아직 답하지 않았으면 None, 보여 줄 글)``.

    토론 문제는 채점하지 않습니다(``(None, 안내)``).
    """
    if exercise.kind == "토론":
        return None, (f"[{exercise.id}] 토론 문제라 채점하지 않습니다. 생각을 적어 본 뒤 "
                      f"exercises.solution({exercise.id!r}) 로 모범 답안과 비교하세요.")
    if exercise.kind == "코드":
        return _check_function(exercise, answer)
    return _check_value(exercise, answer)


def solution_text(exercise: Exercise) -> str:
    """출력하지 않고 풀이 글만 만듭니다."""
    label = "모범 답안" if exercise.kind == "토론" else "풀이"
    text = f"[{exercise.id}] {label}: {exercise.solution}"
    if exercise.expected is not None:
        text += f"\n정답: {_show(exercise.expected())}"
    if exercise.evidence is not None:
        text += f"\n근거(패키지로 다시 계산한 값): {exercise.evidence()}"
    if exercise.model_answer is not None:
        text += "\n\n" + inspect.getsource(exercise.model_answer)
    return text


# ---------------------------------------------------------------- 값 문제

def _same(answer, expected, tolerance: float) -> bool:
    if isinstance(expected, (tuple, list)) and not isinstance(answer, (tuple, list, np.ndarray)):
        return False
    try:
        answer_array = np.asarray(answer, dtype=float)
        expected_array = np.asarray(expected, dtype=float)
    except (TypeError, ValueError):
        return False
    if answer_array.shape != expected_array.shape:
        return False
    return bool(np.all(np.abs(answer_array - expected_array) <= tolerance))


def _check_value(exercise: Exercise, answer) -> tuple[bool | None, str]:
    if answer is None:
        return None, f"[{exercise.id}] {NOT_ANSWERED} answer = None 을 답으로 바꾸고 셀을 다시 실행하세요."
    expected = exercise.expected()
    if _same(answer, expected, exercise.tolerance):
        return True, ""
    for mistake in exercise.mistakes:
        if _same(answer, mistake.value, exercise.tolerance):
            return False, f"입력한 답 {_show(answer)}. 흔한 실수와 같은 답입니다 — 힌트: {mistake.hint}"
    if np.ndim(expected) == 0 and isinstance(answer, (list, tuple, np.ndarray)) and np.size(answer) == 1:
        inner = _show(np.ravel(answer)[0].item() if isinstance(answer, np.ndarray) else answer[0])
        return False, (f"입력한 답 {_show(answer)}. 답은 목록이나 배열이 아니라 숫자 하나입니다: "
                       f"괄호를 빼고 answer = {inner} 처럼 적으세요.")
    shown = _show(answer)
    if shown == _show(expected) and not isinstance(expected, (tuple, list, np.ndarray)):
        return False, (f"입력한 답 {answer!r}. 보이는 자리수로는 정답과 같지만 정답과의 차가 허용 차 "
                       f"{exercise.tolerance:g} 보다 큽니다. 답을 반올림하거나 식을 정확히 계산하세요. "
                       f"힌트: {exercise.hint}")
    return False, f"입력한 답 {shown}. 힌트: {exercise.hint}"


# ---------------------------------------------------------------- 코드 문제

def _check_function(exercise: Exercise, function) -> tuple[bool | None, str]:
    if function is None:
        return None, f"[{exercise.id}] {NOT_ANSWERED} 함수를 만들어 넘기세요."
    if not callable(function):
        return False, (f"함수를 넘겨야 합니다(받은 것: {type(function).__name__}). "
                       f"예: exercises.check({exercise.id!r}, 함수이름)")
    cases = exercise.cases()
    for index, case in enumerate(cases):
        expected = exercise.reference(**case.kwargs)
        problem = _signature_problem(exercise, function, case)
        if problem:
            return False, problem
        try:
            got = _call_with_limit(function, case)
        except NotImplementedError:
            return None, f"[{exercise.id}] {NOT_ANSWERED} 함수 본문을 채우고 셀을 다시 실행하세요."
        except _TimeLimit:
            return False, (f"함수가 {CALL_TIME_LIMIT:g}초 안에 끝나지 않아 멈췄습니다(끝나지 않는 반복문이 있는지 "
                           f"보세요: while 의 조건이 바뀌는지, 범위가 맞는지).\n  입력: {_show_kwargs(case)}")
        except SystemExit as error:
            return False, (f"함수가 프로그램을 끝내려 했습니다(SystemExit: {error.code!r}; sys.exit() 나 exit() 를 "
                           "불렀습니다). 함수는 끝내는 대신 값을 return 해야 합니다.\n"
                           f"  입력: {_show_kwargs(case)}")
        except _LearnerInterrupt:
            return False, ("함수 안에서 KeyboardInterrupt 가 일어났습니다(raise KeyboardInterrupt 같은 코드). "
                           f"함수는 값을 return 해야 합니다.\n  입력: {_show_kwargs(case)}")
        except Exception as error:  # noqa: BLE001 — 학습자의 어떤 오류든 한국어로 보여 줍니다.
            return False, _exception_message(function, error, case)
        if got is None and index == 0:
            return None, (f"[{exercise.id}] {NOT_ANSWERED} 함수가 None 을 돌려줍니다. "
                          "본문을 채우고 셀을 다시 실행하세요.")
        if not _same_output(got, expected) and not _also_accepted(exercise, case, got):
            return False, _failure_message(exercise, case, expected, got)
    return True, f"시험한 경우 {len(cases)}개가 모두 기준 구현과 같습니다."


def _also_accepted(exercise: Exercise, case: Case, got) -> bool:
    """기준 구현과 다르지만 함께 받는 다른 구현(:attr:`Exercise.also_accept`)과 같으면 ``True``."""
    return exercise.also_accept is not None and _same_output(got, exercise.also_accept(**_copy(case.kwargs)))


def _signature_problem(exercise: Exercise, function, case: Case) -> str:
    """학습자 함수가 이 경우의 인자를 (틀의 순서대로 위치로, 또는 이름으로) 받을 수 있으면 ``""``, 아니면 안내 글."""
    try:
        signature = inspect.signature(function)
    except (TypeError, ValueError):        # 서명을 못 읽는 내장 함수: 불러 보고 오류로 알립니다.
        return ""
    values = list(_copy(case.kwargs).values())
    for bind in (lambda: signature.bind(*values), lambda: signature.bind(**case.kwargs)):
        try:
            bind()
            return ""
        except TypeError:
            continue
    needed = ", ".join(case.kwargs)
    return (f"함수가 인자 {len(case.kwargs)}개를 이 순서로 받아야 합니다: ({needed}). "
            f"넘긴 함수의 인자: {signature}. 문제의 틀 {exercise.prompt} 처럼 정의하세요.")


def _call_with_limit(function, case: Case):
    """학습자 함수를 틀의 순서대로 위치 인자로 부릅니다(안 되면 이름으로). :data:`CALL_TIME_LIMIT` 초가 지나면
    :class:`_TimeLimit`, 함수가 스스로 일으킨 KeyboardInterrupt 는 :class:`_LearnerInterrupt` 로 바꿉니다.

    진짜 Ctrl-C(SIGINT)는 그대로 KeyboardInterrupt 로 올려 보냅니다. 시간 제한은 주 스레드에서 부를 때만 겁니다
    (신호 처리기는 주 스레드에만 달 수 있습니다).
    """
    kwargs = _copy(case.kwargs)
    try:
        inspect.signature(function).bind(*kwargs.values())
        call = lambda: function(*kwargs.values())  # noqa: E731
    except (TypeError, ValueError):
        call = lambda: function(**kwargs)  # noqa: E731
    if threading.current_thread() is not threading.main_thread():
        return call()
    watch = _Watchdog(CALL_TIME_LIMIT)
    previous = signal.signal(signal.SIGINT, watch.on_sigint)
    try:
        with watch:
            return call()
    except KeyboardInterrupt as error:
        if watch.real_interrupt or isinstance(error, _TimeLimit):
            raise
        raise _LearnerInterrupt from error
    finally:
        signal.signal(signal.SIGINT, previous)


class _TimeLimit(KeyboardInterrupt):
    """시간 제한이 지나 멈춘 호출(학습자의 ``except Exception`` 에 잡히지 않도록 BaseException 계열)."""


class _LearnerInterrupt(Exception):
    """학습자의 코드가 스스로 일으킨 KeyboardInterrupt."""


class _Watchdog:
    """``seconds`` 뒤에 주 스레드에 SIGINT를 흉내 내어(``_thread.interrupt_main``) 호출을 멈춥니다."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.fired = False
        self.real_interrupt = False
        self._active = False
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._fire)
        self._timer.daemon = True

    def __enter__(self):
        self._active = True
        self._timer.start()
        return self

    def __exit__(self, *exc_info):
        with self._lock:
            self._active = False
        self._timer.cancel()
        return False

    def _fire(self):
        with self._lock:
            if self._active:
                self.fired = True
                _thread.interrupt_main()

    def on_sigint(self, signum, frame):
        if self.fired:
            raise _TimeLimit
        self.real_interrupt = True
        raise KeyboardInterrupt


def _same_output(got, expected) -> bool:
    if _is_array_tuple(expected):          # 여러 배열을 돌려주는 문제(예: 접힌 가중치와 편향): 하나씩 비교
        return (isinstance(got, (tuple, list)) and len(got) == len(expected)
                and all(_same_output(g, e) for g, e in zip(got, expected, strict=True)))
    try:
        got_array = np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        return False
    expected_array = np.asarray(expected, dtype=float)
    if got_array.shape != expected_array.shape:
        return False
    return bool(np.allclose(got_array, expected_array, rtol=1e-5, atol=1e-6, equal_nan=True))


def _failure_message(exercise: Exercise, case: Case, expected, got) -> str:
    lines = ["처음 틀린 경우:", f"  입력: {_show_kwargs(case)}", f"  기대한 값: {_show(expected)}",
             f"  받은 값:   {_show(got)}"]
    got_shape, expected_shape = _shape(got), _shape(expected)
    if got_shape != expected_shape:
        lines.append(f"  모양이 다릅니다: 기대 {expected_shape}, 받은 {got_shape}.")
    else:
        lines.extend(_hidden_difference(expected, got))
    for mistake in exercise.mistakes:
        try:
            wrong = mistake.function(**_copy(case.kwargs))
        except Exception:  # noqa: BLE001 — 실수 흉내가 이 입력에서 안 돌면 그 실수가 아닙니다.
            continue
        if _same_output(got, wrong):
            lines.append(f"흔한 실수와 같은 결과입니다 — 힌트: {mistake.hint}")
            return "\n".join(lines)
    lines.append(f"힌트: {exercise.hint}")
    return "\n".join(lines)


def _hidden_difference(expected, got) -> list[str]:
    """모양은 같은데 틀린 값의 설명 줄들: 보이는 자리수로 같아 보이면 가장 큰 차, 자료형이 float64보다 작으면 그 말."""
    lines = []
    if _show(got) == _show(expected):
        try:
            gap = np.max(np.abs(np.asarray(got, dtype=float) - np.asarray(expected, dtype=float)))
        except (TypeError, ValueError):
            return []
        lines.append(f"  보이는 자리수로는 같지만 가장 큰 차가 {float(gap):.3g} 입니다(허용: 상대 1e-05, 절대 1e-06).")
    got_dtype = getattr(got, "dtype", None)
    if got_dtype is not None and np.dtype(got_dtype).kind == "f" and np.dtype(got_dtype).itemsize < 8:
        digits = np.finfo(got_dtype).precision
        lines.append(f"  받은 값의 자료형이 {josa(got_dtype, '이라')} 유효 숫자가 약 {digits}자리뿐입니다. "
                     "float64 로 계산하세요(예: np.asarray(x, dtype=np.float64)).")
    return lines


def _is_array_tuple(value) -> bool:
    return isinstance(value, tuple) and any(isinstance(item, np.ndarray) for item in value)


def _shape(value):
    """배열이면 모양, 배열 여러 개의 튜플이면 모양들의 튜플(모양이 제각각이어도)."""
    if _is_array_tuple(value):
        return tuple(_shape(item) for item in value)
    try:
        return np.shape(value)
    except ValueError:                     # 모양이 제각각인 목록
        return ("모양이 제각각인 목록", len(value))


def _exception_message(function, error: Exception, case: Case) -> str:
    where = ""
    code_file = getattr(getattr(function, "__code__", None), "co_filename", None)
    frames = [frame for frame in traceback.extract_tb(error.__traceback__) if frame.filename == code_file]
    if frames:
        frame = frames[-1]
        line = f": {frame.line.strip()}" if frame.line else ""
        where = f"\n  위치: {frame.name} 함수, 셀의 {frame.lineno}번째 줄{line}"
    return (f"함수를 부르다가 오류가 났습니다.\n  오류: {type(error).__name__}: {error}{where}\n"
            f"  입력: {_show_kwargs(case)}\n"
            "오류 메시지와 줄을 보고 고친 뒤 셀을 다시 실행하세요.")


def _copy(kwargs: dict) -> dict:
    """학습자 함수가 입력을 바꿔도 다음 비교가 흔들리지 않게 배열은 복사해 넘깁니다."""
    return {key: value.copy() if isinstance(value, np.ndarray) else value for key, value in kwargs.items()}


def _show_kwargs(case: Case) -> str:
    shown = ", ".join(f"{key}={_show(value)}" for key, value in case.kwargs.items())
    return f"{shown}  ({case.label})" if case.label else shown


def _show(value) -> str:
    if _is_array_tuple(value) or (isinstance(value, (tuple, list)) and any(isinstance(v, np.ndarray) for v in value)):
        return "(" + ", ".join(_show(item) for item in value) + ")"
    if isinstance(value, np.ndarray):
        if value.size > 64:
            return f"모양 {value.shape}의 배열"
        with np.printoptions(precision=4, suppress=True):
            return np.array2string(value, separator=", ").replace("\n", "\n    ")
    if isinstance(value, float):
        return f"{value:.6g}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return repr(value)
