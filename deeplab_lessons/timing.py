"""시간 재기: 한 번 예열하고 여러 번 잰 중앙값. 모델 한 번 실행과 분리 합성곱의 두 단계.

기계의 속도는 두 배까지 다르므로 잰 시간은 같은 실행 안에서 나란히 잰 **비** 로 비교합니다. 중앙값은 가끔
끼어드는 다른 일(다른 프로그램, 쓰레기 수집)에 덜 흔들립니다.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass

from deeplab_lessons._tf import load_keras, load_tensorflow
from deeplab_lessons.counting import ConvCase
from deeplab_lessons.errors import check_int


def median_seconds(fn, repeats: int, warmup: bool = True) -> float:
    """``fn()`` 을 (``warmup`` 이면 한 번 예열한 뒤) ``repeats`` 번 잰 시간의 중앙값(초).

    Raises:
        DeepLabLessonsError: ``repeats`` 가 1 이상의 정수가 아닐 때.
    """
    repeats = check_int("repeats", repeats)
    if warmup:
        fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def median_time(model, repeats: int = 7, seed: int = 0) -> float:
    """모델 한 번 실행(배치 1)의 중앙값 시간(초). 한 번 예열하고 ``repeats`` 번 잽니다."""
    tf = load_tensorflow()
    x = tf.random.stateless_normal((1,) + tuple(model.input_shape[1:]), seed=(seed, 0))
    run = tf.function(model)
    return median_seconds(lambda: run(x).numpy(), repeats)


@dataclass(frozen=True)
class StageTiming:
    """분리 합성곱의 한 단계(깊이별 또는 점별)를 잰 결과: 곱셈-덧셈 수, 중앙값 시간(초), 초당 GFLOP."""

    name: str
    macs: int
    seconds: float

    @property
    def gflops(self) -> float:
        """달성한 초당 부동소수점 연산(10⁹ FLOP/s). 곱셈-덧셈 하나 = FLOP 2개."""
        return 2 * self.macs / self.seconds / 1e9


def time_separable_stages(case: ConvCase, repeats: int = 5, rounds: int = 5,
                          seed: int = 0) -> tuple[StageTiming, StageTiming]:
    """분리 합성곱의 깊이별 단계와 점별 단계를 **따로** 잽니다(배치 1, ``same`` 패딩, 편향 없음).

    두 단계를 번갈아 ``rounds`` 번 재고(한 번에 ``repeats`` 번 실행의 중앙값), 그 중앙값들의 중앙값을 씁니다.
    번갈아 재므로 기계의 부하가 바뀌어도 두 단계가 같은 조건에서 비교됩니다.

    Returns:
        ``(깊이별, 점별)`` 의 :class:`StageTiming`.
    """
    tf, keras = load_tensorflow(), load_keras()
    x = tf.random.stateless_normal((1, case.height, case.width, case.in_channels), seed=(seed, 0))
    depthwise = keras.layers.DepthwiseConv2D(case.kernel, padding="same", use_bias=False)
    pointwise = keras.layers.Conv2D(case.out_channels, 1, use_bias=False)
    stages = {"깊이별": (tf.function(depthwise), x), "점별": (tf.function(pointwise), depthwise(x))}
    for run, inputs in stages.values():
        run(inputs).numpy()                                  # 예열(그래프 추적)
    medians = {name: [] for name in stages}
    for _ in range(check_int("rounds", rounds)):
        for name, (run, inputs) in stages.items():
            medians[name].append(median_seconds(lambda r=run, i=inputs: r(i).numpy(), repeats, warmup=False))
    pixels = case.height * case.width
    macs = {"깊이별": pixels * case.kernel ** 2 * case.in_channels,
            "점별": pixels * case.in_channels * case.out_channels}
    depth, point = (StageTiming(name, macs[name], statistics.median(medians[name])) for name in stages)
    return depth, point
