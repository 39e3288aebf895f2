"""시험 시점 다듬기(09_test_time_refinement.ipynb)의 연습문제."""

from __future__ import annotations

import numpy as np

from deeplab_lessons.exercise_bank._shared import seeded_rng
from deeplab_lessons.grading import Case, Exercise, Mistake


def average_probabilities_answer(logits, flipped):
    """logits (N, H, W, C): 실행마다 원래 크기로 키운 로짓. flipped (N,): 좌우로 뒤집은 영상에서 나왔는지.

    뒤집은 실행은 로짓을 다시 좌우로 뒤집어 화소를 맞추고, 실행마다 softmax 확률을 낸 뒤 평균합니다. (H, W, C).
    """
    total = np.zeros(logits.shape[1:])
    for one, was_flipped in zip(logits, flipped, strict=True):
        if was_flipped:
            one = one[:, ::-1]                                  # 너비 축을 되돌림
        shifted = np.exp(one - one.max(axis=-1, keepdims=True))
        total += shifted / shifted.sum(axis=-1, keepdims=True)  # 로짓이 아니라 확률을 더함
    return total / len(logits)


def _average_reference(logits, flipped):
    from deeplab_lessons import refine

    passes = [refine.Pass(1.0, bool(was_flipped), one[:, ::-1] if was_flipped else one, 0.0)
              for one, was_flipped in zip(logits, flipped, strict=True)]
    return refine.combine_passes(passes)


def _average_cases() -> list[Case]:
    rng = seeded_rng(15)
    cases = [Case({"logits": rng.standard_normal((2, 2, 3, 2)).round(2) * 3, "flipped": np.array([False, True])},
                  "뒤집지 않은 것과 뒤집은 것")]
    for _ in range(4):
        count = int(rng.integers(2, 5))
        shape = (count, int(rng.integers(2, 4)), int(rng.integers(2, 5)), int(rng.integers(2, 5)))
        flipped = rng.random(count) < 0.5
        flipped[0] = True
        cases.append(Case({"logits": (rng.standard_normal(shape) * 3).round(2), "flipped": flipped}, "무작위"))
    cases.append(Case({"logits": np.array([[[[0.0, 2.0], [1.0, 1.0]]]]), "flipped": np.array([False])},
                      "실행 하나"))
    return cases


def _average_logits(logits, flipped):
    aligned = np.stack([one[:, ::-1] if was_flipped else one for one, was_flipped in zip(logits, flipped, strict=True)])
    mean = aligned.mean(axis=0)
    shifted = np.exp(mean - mean.max(axis=-1, keepdims=True))
    return shifted / shifted.sum(axis=-1, keepdims=True)


def _average_no_flip_back(logits, flipped):
    return average_probabilities_answer(logits, np.zeros(len(flipped), bool))


def _average_vertical_flip(logits, flipped):
    return average_probabilities_answer(np.stack([one[::-1, ::-1] if was_flipped else one
                                                  for one, was_flipped in zip(logits, flipped, strict=True)]), flipped)


def _average_argmax(logits, flipped):
    return average_probabilities_answer(logits, flipped).argmax(axis=-1)


SCALE_FLIP_AVERAGE = Exercise(
    id="scale-flip-average", kind="코드",
    title="여러 배율·뒤집기의 확률 평균",
    prompt="`average_probabilities(logits, flipped)`",
    hint="DeepLab은 로짓이 아니라 softmax **확률**을 평균합니다. 뒤집은 영상에서 나온 로짓은 먼저 좌우(너비 축, "
         "배열의 축 1)로 다시 뒤집어 원래 영상과 화소를 맞춥니다(1절의 네 단계).",
    solution="실행마다: 뒤집은 것이면 one[:, ::-1], softmax(마지막 축, 최댓값을 빼고 exp), 더하기. 끝에 실행 수로 "
             "나눕니다. 결과는 화소마다 합이 1인 확률이고, arg-max는 그다음 일입니다. "
             "`refine.combine_passes` 와 같습니다.",
    reference=_average_reference, cases=_average_cases, model_answer=average_probabilities_answer,
    mistakes=(
        Mistake("뒤집은 실행의 로짓을 되돌리지 않았습니다. 좌우로 뒤집은 영상의 왼쪽 끝 화소는 "
                "원래 영상의 오른쪽 끝입니다.",
                function=_average_no_flip_back),
        Mistake("로짓을 평균한 뒤 softmax를 했습니다. DeepLab은 실행마다 softmax로 확률을 낸 뒤 확률을 평균합니다.",
                function=_average_logits),
        Mistake("위아래로도 뒤집었습니다. 좌우 뒤집기는 너비 축(축 1)만 되돌립니다: one[:, ::-1].",
                function=_average_vertical_flip),
        Mistake("arg-max까지 했습니다. 이 함수는 평균 확률 (H, W, C)를 돌려줍니다.", function=_average_argmax),
    ),
)


def _macs_factor_three() -> float:
    from deeplab_lessons import refine

    return round(refine.macs_factor((0.75, 1.0, 1.25), flip=True), 2)


MACS_FACTOR = Exercise(
    id="macs-factor", kind="값", tolerance=0.0051,
    title="여러 배율 + 뒤집기의 곱셈-덧셈 배수",
    prompt="배율 (0.75, 1.0, 1.25)에 좌우 뒤집기를 쓰면 곱셈-덧셈은 한 배율의 몇 배인가요? (소수 둘째 자리)",
    hint="배율 s의 입력은 넓이가 s²배이고, 뒤집기는 모든 실행을 두 번 합니다: (Σ s²) × 2 (2절의 식).",
    solution="(0.5625 + 1 + 1.5625) × 2 = 3.125 × 2 = 6.25.",
    expected=_macs_factor_three,
    mistakes=(
        Mistake("뒤집기를 빠뜨렸습니다. 뒤집은 영상도 한 번씩 더 돌리므로 × 2입니다.", value=3.125),
        Mistake("배율을 제곱하지 않았습니다. 곱셈-덧셈은 입력 넓이(s²)에 비례합니다.", value=6.0),
    ),
)

CRF_PAIR_COUNT = Exercise(
    id="crf-pair-count", kind="값",
    title="정확한 필터링의 화소 쌍",
    prompt="320×240 영상에서 정확한 필터링이 한 번에 다루는 화소 쌍의 수 $N^2$은?",
    hint="N = 높이 × 너비(화소 수)이고, 완전 연결 CRF의 필터링은 화소 i마다 모든 화소 j를 봅니다: N × N (3.3절).",
    solution="N = 320 · 240 = 76,800, N² = 5,898,240,000 (약 5.9 × 10⁹).",
    expected=lambda: (320 * 240) ** 2,
    mistakes=(
        Mistake("그것은 화소 수 N입니다. 쌍은 N × N입니다.", value=320 * 240),
        Mistake("순서 없는 쌍으로 반만 셌습니다. 필터링은 화소 i마다 모든 j의 합을 내므로 N²입니다.",
                value=(320 * 240) ** 2 // 2),
    ),
)


def _scaled_input_size() -> int:
    from deeplab_lessons import refine

    return refine.scaled_size(513, 0.6)


SCALED_INPUT_SIZE = Exercise(
    id="scaled-input-size", kind="값",
    title="배율을 곱한 입력 크기",
    prompt="입력 513인 모델에서 배율 0.6의 입력 한 변(DeepLab의 `int((513 − 1)·s + 1)`)은?",
    hint="DeepLab의 scale_dimension은 513·s가 아니라 (513 − 1)·s + 1을 내림합니다(1절).",
    solution="int(512 × 0.6 + 1) = int(308.2) = 308.",
    expected=_scaled_input_size,
    mistakes=(Mistake("513 × 0.6 = 307.8을 내림했습니다. DeepLab의 식은 int((513 − 1)·s + 1)입니다.", value=307),),
)
