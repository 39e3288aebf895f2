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
             "`refine.combine_passes`와 같습니다.",
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


def mean_field_step_answer(rgb, probabilities, params):
    """평균장 한 번: Q = p 에서 시작해 필터링 → 호환성(같은 클래스 보상) → log p 더하기 → softmax. (H, W, C)."""
    height, width, classes = probabilities.shape
    ys, xs = np.mgrid[0:height, 0:width]
    xy = np.stack([xs.ravel(), ys.ravel()], axis=1).astype(float)           # (x, y) = (열, 행)
    colour = rgb.reshape(-1, 3).astype(float)
    appearance = np.concatenate([xy / params.bi_xy_std, colour / params.bi_rgb_std], axis=1)
    smoothness = xy / params.pos_xy_std
    p = probabilities.reshape(-1, classes).astype(float)
    q = p.copy()
    message = np.zeros_like(q)
    for features, weight in ((appearance, params.bi_w), (smoothness, params.pos_w)):
        d2 = ((features[:, None, :] - features[None, :, :]) ** 2).sum(axis=-1)
        kernel = np.exp(-d2 / 2)
        kernel /= kernel.sum(axis=1, keepdims=True)                         # 화소마다 합 1(자기 자신 포함)
        message += weight * (kernel @ q)                                    # 1. 필터링, 2. 같은 라벨 보상
    logits = np.log(np.clip(p, 1e-8, 1.0)) + message                        # 3. 단항 더하기
    q = np.exp(logits - logits.max(axis=1, keepdims=True))
    return (q / q.sum(axis=1, keepdims=True)).reshape(height, width, classes)   # 4. 정규화


def _step_reference(rgb, probabilities, params):
    import dataclasses

    from deeplab_lessons import crf

    return crf.mean_field(rgb, probabilities, dataclasses.replace(params, iterations=1), exact=True)


def _step_cases() -> list[Case]:
    from deeplab_lessons import crf

    rng = seeded_rng(16)
    cases = []
    for height, width, classes, pos_w in ((2, 3, 2, 3.0), (3, 4, 3, 3.0), (4, 4, 2, 0.0), (5, 3, 4, 1.0),
                                          (3, 5, 3, 3.0)):
        rgb = rng.integers(0, 256, (height, width, 3)).astype(np.uint8)
        probabilities = rng.dirichlet(np.ones(classes), (height, width)).astype(np.float32)
        params = crf.CRFParams(bi_w=float(rng.integers(2, 6)), bi_xy_std=2.0, bi_rgb_std=40.0, pos_w=pos_w,
                               pos_xy_std=1.0, iterations=1)
        label = "평활 커널 없음(pos_w = 0)" if pos_w == 0 else "무작위 작은 영상"
        cases.append(Case({"rgb": rgb, "probabilities": probabilities, "params": params}, label))
    return cases


def _step_variant(rgb, probabilities, params, normalise=True, sign=1.0, unary=True, self_pair=True):
    """흔한 실수를 흉내 낸 평균장 한 번(모범 답안과 같은 식에서 한 곳만 다름)."""
    height, width, classes = probabilities.shape
    ys, xs = np.mgrid[0:height, 0:width]
    xy = np.stack([xs.ravel(), ys.ravel()], axis=1).astype(float)
    appearance = np.concatenate([xy / params.bi_xy_std, rgb.reshape(-1, 3) / params.bi_rgb_std], axis=1)
    p = probabilities.reshape(-1, classes).astype(float)
    message = np.zeros_like(p)
    for features, weight in ((appearance, params.bi_w), (xy / params.pos_xy_std, params.pos_w)):
        kernel = np.exp(-((features[:, None, :] - features[None, :, :]) ** 2).sum(axis=-1) / 2)
        if not self_pair:
            np.fill_diagonal(kernel, 0.0)
        if normalise:
            kernel /= np.maximum(kernel.sum(axis=1, keepdims=True), 1e-300)
        message += weight * (kernel @ p)
    logits = sign * message + (np.log(np.clip(p, 1e-8, 1.0)) if unary else 0.0)
    q = np.exp(logits - logits.max(axis=1, keepdims=True))
    return (q / q.sum(axis=1, keepdims=True)).reshape(height, width, classes)


MEAN_FIELD_STEP = Exercise(
    id="mean-field-step", kind="코드",
    title="평균장 한 번(정확한 필터)",
    prompt="`mean_field_step(rgb, probabilities, params)`",
    hint="3.2절의 네 줄과 그 아래 셀의 손으로 쓴 평균장을 보세요. 특징은 외형 (x/θα, y/θα, r/θβ, g/θβ, b/θβ)와 "
         "평활 (x/θγ, y/θγ)이고, 커널 exp(−|f_i − f_j|² / 2)를 화소마다 합이 1이 되게 나눕니다(자기 자신 포함). "
         "메시지 w1·K1·Q + w2·K2·Q 를 log p 에 **더하고** softmax 합니다.",
    solution="Q = p 에서 시작합니다. 두 커널마다 (N, N) 가우시안 행렬을 만들어 행마다 합 1로 나누고, "
             "메시지 = bi_w·K1·Q + pos_w·K2·Q. Potts 모형의 '다른 클래스면 벌점'은 '같은 클래스면 보상'과 상수만 "
             "다르므로 메시지를 log p 에 더하고, 화소마다 softmax 합니다. 한 번의 반복이 O(N²)인 까닭이 (N, N) "
             "행렬입니다. "
             "`crf.mean_field(rgb, probabilities, params, exact=True)` (iterations=1)와 같습니다.",
    reference=_step_reference, cases=_step_cases, model_answer=mean_field_step_answer,
    mistakes=(
        Mistake("메시지를 log p 에서 뺐습니다. 같은 클래스의 이웃이 많을수록 그 클래스가 **더** 그럴듯해져야 하므로 "
                "메시지를 더합니다(호환성 변환).", function=lambda **kw: _step_variant(**kw, sign=-1.0)),
        Mistake("커널을 화소마다 합 1로 나누지 않았습니다. K[i] /= K[i].sum() 처럼 행마다 정규화하세요.",
                function=lambda **kw: _step_variant(**kw, normalise=False)),
        Mistake("단항 항 log p 를 빠뜨렸습니다. 새 Q는 softmax(log p + 메시지)입니다.",
                function=lambda **kw: _step_variant(**kw, unary=False)),
        Mistake("자기 자신(j = i)을 뺐습니다. 이 패키지의 커널은 자기 자신을 포함해 합 1로 나눕니다.",
                function=lambda **kw: _step_variant(**kw, self_pair=False)),
    ),
)


def flatter_unary_runs() -> list[tuple[str, float, float, float, float]]:
    """색이 배경과 비슷한 작은 물체가 있는 16×16 영상에서 arg-max와 CRF는 같고 확신만 다른 두 확률:
    ``(이름, 최대 확률의 평균, CRF 앞 정확도, 뒤 정확도, 작은 물체가 남은 몫)`` 의 목록(몫은 모두 0–1)."""
    from deeplab_lessons import crf

    rng = seeded_rng(17)
    truth = np.zeros((16, 16), int)
    truth[:, 8:], truth[5:9, 3:6] = 1, 2
    colours = np.array([(200, 60, 60), (60, 200, 60), (190, 70, 70)], float)
    rgb = np.clip(colours[truth] + rng.normal(0, 8, (16, 16, 3)), 0, 255).astype(np.uint8)
    logits = np.eye(3)[truth] * 3 + rng.normal(0, 1, (16, 16, 3))
    params = crf.CRFParams(bi_w=4, bi_xy_std=4, bi_rgb_std=10, pos_w=3, pos_xy_std=1, iterations=5)
    runs = []
    for name, temperature in (("확신하는 확률", 1.0), ("흐린 확률(같은 arg-max)", 3.0)):
        scaled = np.exp(logits / temperature)
        probabilities = (scaled / scaled.sum(-1, keepdims=True)).astype(np.float32)
        refined = crf.mean_field(rgb, probabilities, params, exact=True).argmax(-1)
        runs.append((name, float(probabilities.max(-1).mean()), float((probabilities.argmax(-1) == truth).mean()),
                     float((refined == truth).mean()), float((refined[truth == 2] == 2).mean())))
    return runs


def _flatter_unary_evidence() -> str:
    return "; ".join(f"{name}: 최대 확률의 평균 {top:.2f}, CRF 앞 정확도 {before:.1%} → 뒤 {after:.1%}, "
                     f"작은 물체가 남은 몫 {kept:.0%}" for name, top, before, after, kept in flatter_unary_runs()) + "."


CRF_AFTER_AVERAGE = Exercise(
    id="crf-after-average", kind="토론",
    title="여러 배율 평균 뒤의 CRF가 해로웠던 까닭",
    prompt="5절에서 여러 배율 + 뒤집기 **뒤에** 붙인 CRF는 평균 IoU를 떨어뜨렸습니다(한 배율 뒤의 CRF보다 더 크게). "
           "이 강의 숫자로 왜 그랬는지 설명하고, 그 설명을 확인하려면 무엇을 재야 할지 적어 보세요.",
    hint="5절의 '화소별 최대 확률의 평균' 표와 3.1절의 에너지를 함께 보세요. 단항 항 −log p 가 약해지면 같은 "
         "가중치의 쌍 항은 어떻게 될까요? 두 CRF 값은 어떤 확률에 맞춰 고른 것인가요?",
    solution="CRF 매개변수는 여러 배율 평균이 아닌 확률에 맞춘 값입니다: v1 값은 VGG 기반 v1에 맞춘 것이고, 고른 값은 "
             "4절에서 한 배율 확률로 고른 것입니다. 그런데 5절의 '화소별 최대 확률의 평균' 표에서 여러 배율 + 뒤집기의 "
             "평균 확률은 한 배율보다 덜 확신합니다. 실행끼리 의견이 다른 화소에서 평균이 흐려지기 때문입니다. "
             "에너지에서 "
             "단항 항 −log p 가 약해지면 같은 가중치의 쌍 항이 상대적으로 세져, CRF가 클래스를 더 많이, 색이 비슷한 "
             "이웃 "
             "물체 쪽으로 바꿉니다(근거: 작은 합성 영상에서 같은 CRF가 흐린 확률의 작은 물체를 지움). 이것은 측정과 "
             "맞는 "
             "설명이지 이 강에서 증명한 것은 아닙니다. 확인하려면 한 번에 하나씩 바꿔 잽니다. (1) 한 배율 확률을 "
             "여러 배율 "
             "평균만큼 흐리게(온도를 올려) 만든 뒤 같은 CRF를 붙여 평균 IoU가 비슷하게 떨어지는지, (2) 여러 배율 "
             "평균의 "
             "확률로 CRF 매개변수를 다시 골라(4절의 방법, 평가하지 않는 영상에서) 해로움이 사라지는지. 10장이므로 "
             "5절의 "
             "부트스트랩 구간도 함께 봐야 합니다.",
    evidence=_flatter_unary_evidence,
)
