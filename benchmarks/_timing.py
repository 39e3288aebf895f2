"""벤치마크 스크립트들이 함께 쓰는 시간 재기: 한 번 예열한 뒤 여러 번 재서 중앙값."""

from __future__ import annotations

import statistics
import time


def median_ms(fn, repeats: int) -> float:
    """``fn()`` 을 한 번 예열하고 ``repeats`` 번 잰 시간의 중앙값(밀리초)."""
    fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1e3
