"""벤치마크 스크립트들이 함께 쓰는 시간 재기: 패키지의 :func:`deeplab_lessons.timing.median_seconds` 를 밀리초로."""

from __future__ import annotations

from deeplab_lessons.timing import median_seconds


def median_ms(fn, repeats: int) -> float:
    """``fn()`` 을 한 번 예열하고 ``repeats`` 번 잰 시간의 중앙값(밀리초)."""
    return median_seconds(fn, repeats) * 1e3
