"""오래 걸리는 셀의 진행 표시: 몇 번째 단계인지, 지금까지 걸린 시간, 남은 시간의 어림을 한국어 한 줄로.

노트북 셀이 몇 분 동안 아무것도 출력하지 않으면 멈춘 것처럼 보입니다. 학습처럼 단계 수를 미리 아는 작업은
:class:`Progress` 로 단계마다 한 줄을 쓰고, 한 단계 안의 작은 진척(에포크 번호 등)은 :meth:`Progress.note` 로
같은 줄에 이어 씁니다. TensorFlow를 불러오지 않으며 표준 라이브러리만 씁니다.
"""

from __future__ import annotations

import sys
import time

from deeplab_lessons.errors import check_int


def format_duration(seconds: float) -> str:
    """초를 ``"42초"``, ``"3분 5초"``, ``"1시간 2분"`` 처럼 한국어로 씁니다(가장 가까운 초로 반올림).

    음수는 0초로 봅니다(시계의 작은 흔들림).
    """
    total = max(0, round(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}시간 {minutes}분" if minutes else f"{hours}시간"
    if minutes:
        return f"{minutes}분 {secs}초" if secs else f"{minutes}분"
    return f"{secs}초"


class Progress:
    """단계 수 ``total`` 을 아는 작업의 진행을 단계마다 한 줄로 출력합니다.

    ``start(이름)`` 이 ``[2/6] 이름`` 으로 줄을 열고, ``note(글)`` 이 같은 줄에 이어 쓰고(예: 에포크 번호),
    ``done(결과)`` 가 결과와 함께 ``경과 …, 남은 시간 약 …`` 을 붙여 줄을 닫습니다. 남은 시간은 지금까지 끝난
    단계의 평균 시간 × 남은 단계 수입니다(단계마다 걸리는 시간이 비슷할 때 맞는 어림).

    ``clock`` (초를 돌려주는 함수)과 ``out`` (쓰기 가능한 파일 객체, 기본은 그때의 ``sys.stdout``)은 테스트용입니다.
    ``total`` 이 양의 정수가 아니면 :class:`~deeplab_lessons.errors.DeepLabLessonsError` 입니다.
    """

    def __init__(self, total: int, clock=time.perf_counter, out=None):
        self.total = check_int("total", total)
        self.finished = 0
        self._clock = clock
        self._out = out
        self._begin = clock()
        self._open = False

    def _write(self, text: str) -> None:
        out = self._out if self._out is not None else sys.stdout
        out.write(text)
        out.flush()

    def start(self, label: str) -> None:
        """다음 단계의 줄을 엽니다: ``[순번/전체] label``."""
        if self._open:
            self._write("\n")
        self._write(f"[{self.finished + 1}/{self.total}] {label}")
        self._open = True

    def note(self, text: str) -> None:
        """지금 줄에 ``text`` 를 이어 씁니다(줄을 바꾸지 않음)."""
        self._write(text)

    def done(self, result: str = "") -> None:
        """지금 단계를 끝내고 결과, 경과 시간, 남은 시간의 어림을 쓴 뒤 줄을 바꿉니다."""
        self.finished += 1
        elapsed = self._clock() - self._begin
        line = f" — {result}" if result else ""
        line += f" (경과 {format_duration(elapsed)}"
        remaining = self.total - self.finished
        if remaining > 0:
            line += f", 남은 시간 약 {format_duration(elapsed / self.finished * remaining)})"
        else:
            line += ", 끝)"
        self._write(line + "\n")
        self._open = False

    @property
    def elapsed(self) -> float:
        """처음부터 지금까지의 초."""
        return self._clock() - self._begin
