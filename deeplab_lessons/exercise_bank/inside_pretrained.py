"""사전 학습 모델 들여다보기(08_inside_pretrained.ipynb)의 연습문제."""

from __future__ import annotations

import numpy as np

from deeplab_lessons import receptive_field as rf
from deeplab_lessons.batch_norm import fold_batch_norm
from deeplab_lessons.exercise_bank._shared import same_padding_size, seeded_rng
from deeplab_lessons.grading import Case, Exercise, Mistake


def fold_batch_norm_answer(kernel, bias, gamma, beta, mean, variance, epsilon):
    """합성곱(kernel: (kh, kw, 입력, 출력), bias: (출력,)) 뒤의 배치 정규화를 접은 (가중치, 편향)."""
    scale = gamma / np.sqrt(variance + epsilon)        # 출력 채널마다 곱할 수 s = γ / √(σ² + ε)
    return kernel * scale, scale * (bias - mean) + beta


def _fold_reference(kernel, bias, gamma, beta, mean, variance, epsilon):
    return fold_batch_norm(kernel, bias, gamma, beta, mean, variance, epsilon)


def _fold_cases() -> list[Case]:
    rng = seeded_rng(14)
    cases = []
    for index in range(5):
        k, c_in, c_out = int(rng.choice([1, 3])), int(rng.integers(1, 4)), int(rng.integers(2, 5))
        cases.append(Case({
            "kernel": rng.standard_normal((k, k, c_in, c_out)).round(2),
            "bias": rng.standard_normal(c_out).round(2) if index != 3 else np.zeros(c_out),
            "gamma": rng.uniform(0.5, 2, c_out).round(2), "beta": rng.standard_normal(c_out).round(2),
            "mean": rng.standard_normal(c_out).round(2), "variance": rng.uniform(0.05, 2, c_out).round(2),
            "epsilon": 1e-3 if index % 2 == 0 else 1e-5},
            "편향 없는 합성곱(0)" if index == 3 else "무작위"))
    cases.append(Case({"kernel": np.ones((1, 1, 2, 2)), "bias": np.zeros(2), "gamma": np.ones(2),
                       "beta": np.zeros(2), "mean": np.zeros(2), "variance": np.ones(2) - 1e-3, "epsilon": 1e-3},
                      "아무것도 바꾸지 않는 배치 정규화"))
    return cases


def _fold_no_epsilon(kernel, bias, gamma, beta, mean, variance, epsilon):
    return fold_batch_norm_answer(kernel, bias, gamma, beta, mean, variance, 0.0)


def _fold_no_sqrt(kernel, bias, gamma, beta, mean, variance, epsilon):
    scale = gamma / (variance + epsilon)
    return kernel * scale, scale * (bias - mean) + beta


def _fold_mean_not_scaled(kernel, bias, gamma, beta, mean, variance, epsilon):
    scale = gamma / np.sqrt(variance + epsilon)
    return kernel * scale, scale * bias - mean + beta


def _fold_forget_conv_bias(kernel, bias, gamma, beta, mean, variance, epsilon):
    scale = gamma / np.sqrt(variance + epsilon)
    return kernel * scale, beta - scale * mean


def _fold_kernel_unscaled(kernel, bias, gamma, beta, mean, variance, epsilon):
    scale = gamma / np.sqrt(variance + epsilon)
    return kernel, scale * (bias - mean) + beta


FOLD_BATCH_NORM = Exercise(
    id="fold-batch-norm", kind="코드",
    title="배치 정규화를 합성곱에 접기",
    prompt="`fold_batch_norm(kernel, bias, gamma, beta, mean, variance, epsilon)`",
    hint="추론 때 배치 정규화는 γ·(z − μ)/√(σ² + ε) + β입니다. z = W*x + b를 넣고 정리하면, 출력 채널마다 "
         "s = γ/√(σ² + ε)를 곱한 가중치 s·W와 편향 s·(b − μ) + β가 나옵니다(4절).",
    solution="s = γ / √(σ² + ε)는 출력 채널마다 하나이고, 가중치의 마지막 축(출력)이 채널 축이므로 kernel * s로 "
             "곱하면 됩니다(NumPy가 마지막 축에 맞춰 늘립니다). 편향은 s·(b − μ) + β. "
             "`batch_norm.fold_batch_norm`과 같은 값입니다.",
    reference=_fold_reference, cases=_fold_cases, model_answer=fold_batch_norm_answer,
    mistakes=(
        Mistake("가중치에는 s를 곱하지 않았습니다. 배치 정규화는 합성곱 출력 전체에 s를 곱하므로 가중치도 s·W입니다.",
                function=_fold_kernel_unscaled),
        Mistake("ε을 빠뜨렸습니다. 나누는 수는 √(σ² + ε)입니다(Keras의 기본 ε = 1e-3).", function=_fold_no_epsilon),
        Mistake("제곱근을 빠뜨렸습니다. variance는 분산(σ²)이므로 표준 편차 √(σ² + ε)로 나눕니다.",
                function=_fold_no_sqrt),
        Mistake("이동 평균 μ에도 s를 곱해야 합니다: s·(b − μ) + β.", function=_fold_mean_not_scaled),
        Mistake("합성곱의 편향 b를 빠뜨렸습니다. 접힌 편향은 s·(b − μ) + β입니다.", function=_fold_forget_conv_bias),
    ),
)


def _rate4_growth() -> int:
    stem = [rf.LayerSpec(1, 8)]                        # 출력 보폭 8에 닿은 상태(j = 8)만 흉내 냄
    return rf.receptive_field(stem + [rf.LayerSpec(3, 1, 4)] * 3) - rf.receptive_field(stem)


RATE4_GROWTH = Exercise(
    id="rate4-growth", kind="값",
    title="팽창률 4의 블록이 넓히는 수용 영역",
    prompt="블록 14–16의 깊이별 합성곱(3×3, 팽창률 4, 보폭 1)은 출력 보폭 8의 특징 맵 위에 있습니다. 이 세 층이 "
           "수용 영역을 모두 몇 화소 넓힐까요?",
    hint="field_of_view 노트북의 점화식: 층마다 RF += (k_eff − 1)·j. 유효 커널은 2절의 표에 있고, "
         "j는 그 층까지의 보폭 곱(출력 보폭)입니다.",
    solution="k_eff = 3 + 2·3 = 9, j = 8. 한 층이 (9 − 1)·8 = 64화소씩, 세 층이 192화소를 넓힙니다. 1×1 확장·투영은 "
             "넓히지 않습니다.",
    expected=_rate4_growth,
    mistakes=(
        Mistake("보폭 곱 j = 8을 빠뜨렸습니다. 특징 맵의 한 칸은 입력의 8화소입니다.", value=24),
        Mistake("한 층만 셌습니다. 블록 14, 15, 16의 세 층입니다.", value=64),
        Mistake("k_eff − 1이 아니라 k_eff를 곱했습니다. 점화식은 RF += (k_eff − 1)·j입니다.", value=216),
        Mistake("팽창률을 쓰지 않았습니다. 팽창률 4의 3×3은 유효 커널이 9입니다.", value=48),
    ),
)


def _aspp_sizes_385() -> tuple[int, int]:
    return same_padding_size(385, 8), same_padding_size(385, 16)


ASPP_SIZES_385 = Exercise(
    id="aspp-sizes-385", kind="값",
    title="입력 385에서 `aspp0`의 특징 맵",
    prompt="같은 가중치로 385 입력을 넣으면 `aspp0`가 보는 특징 맵의 한 변은 출력 보폭 8과 16에서 각각 얼마일까요? "
           "`(출력 보폭 8, 출력 보폭 16)`으로 적으세요.",
    hint="보폭 2(same 패딩)마다 ⌈n / 2⌉. 출력 보폭 8이면 세 번, 16이면 네 번입니다(deeplab_v3_plus 노트북의 5절).",
    solution="385 → 193 → 97 → 49 (출력 보폭 8) → 25 (출력 보폭 16). 답은 (49, 25).",
    expected=_aspp_sizes_385,
    mistakes=(
        Mistake("내림했습니다. same 패딩은 단계마다 올림합니다.", value=(48, 24)),
        Mistake("순서가 바뀌었습니다: (출력 보폭 8, 출력 보폭 16). 출력 보폭이 작을수록 특징 맵이 큽니다.",
                value=(25, 49)),
    ),
)

STEM_RF = Exercise(
    id="stem-rf", kind="값",
    title="처음 두 합성곱의 수용 영역",
    prompt="이 모델의 처음 두 합성곱(3×3 보폭 2, 그 뒤 3×3 깊이별 보폭 1)만의 수용 영역은?",
    hint="field_of_view 노트북의 점화식: RF = 1, j = 1에서 시작해 층마다 RF += (k − 1)·j, 그 다음 j *= s.",
    solution="첫 층: 1 + 2·1 = 3, j = 2. 둘째 층: 3 + 2·2 = 7.",
    expected=lambda: rf.receptive_field([rf.LayerSpec(3, 2), rf.LayerSpec(3, 1)]),
    mistakes=(
        Mistake("보폭을 쓰지 않았습니다. 첫 층의 보폭 2 때문에 둘째 층의 한 칸은 입력 2화소입니다.", value=5),
        Mistake("j를 먼저 곱했습니다. 한 층의 보폭은 그 뒤 층들의 간격만 넓힙니다.", value=9),
        Mistake("커널을 그냥 더했습니다. 겹치는 한 칸을 빼야 합니다: 1에서 시작해 (k − 1)·j씩.", value=6),
    ),
)


def _folded_depthwise_params() -> int:
    from deeplab_lessons import load_keras

    layer = load_keras().layers.DepthwiseConv2D(3, use_bias=True)
    layer.build((None, None, None, 64))
    return layer.count_params()


FOLDED_DEPTHWISE_PARAMS = Exercise(
    id="folded-depthwise-params", kind="값",
    title="접힌 깊이별 합성곱의 매개변수",
    prompt="64채널의 3×3 깊이별 합성곱(편향 없음) 뒤의 배치 정규화를 접으면, 접힌 층의 `count_params()`는?",
    hint="깊이별 합성곱은 채널마다 3×3 필터 하나입니다. 접으면 배치 정규화의 채널마다 4개(γ, β, μ, σ²)가 편향 1개가 "
         "됩니다(4절).",
    solution="가중치 9·64 = 576 + 접힌 편향 64 = 640. 접기 전(576 + 4·64 = 832)보다 3·64 = 192개 적습니다.",
    expected=_folded_depthwise_params,
    mistakes=(
        Mistake("접기 전의 수입니다(배치 정규화 채널마다 4개). 접으면 채널마다 편향 1개만 남습니다.", value=832),
        Mistake("접힌 편향을 빠뜨렸습니다. 접으면 채널마다 편향 s·(b − μ) + β가 생깁니다.", value=576),
        Mistake("깊이별 합성곱을 보통 합성곱(9·64·64)으로 셌습니다. 깊이별은 채널마다 필터 하나입니다.",
                value=9 * 64 * 64 + 64),
        Mistake("γ, β를 남겼습니다. 접으면 γ와 β도 가중치와 편향에 들어가 채널마다 편향 하나만 남습니다.", value=704),
    ),
)

PREPROCESSING_INTERACTION = Exercise(
    id="preprocessing-interaction", kind="토론",
    title="전처리의 효과는 입력 크기에 따라 다르다",
    prompt="5절의 표에서 전처리의 효과(늘리기 − 채우기)는 입력 크기마다 다릅니다. 입력 257에서 내린 결론(늘리기가 "
           "낫다)을 입력 513에도 쓸 수 있을까요? 비율 유지 + 채우기가 늘리기와 다른 두 가지 가운데 어느 쪽이 원인인지 "
           "가리려면 무엇을 재야 할까요?",
    hint="차와 구간 표의 '늘리기 − 채우기 (입력 257 고정)' 행과 '(입력 513 고정)' 행을 견주세요. 채우기가 늘리기와 "
         "다른 두 가지는 5절 첫머리에 있습니다.",
    solution="쓸 수 없습니다. 5절의 차와 구간 표에서 입력 257 고정의 '늘리기 − 채우기'는 구간이 0보다 위였지만, 입력 "
             "513 "
             "고정에서는 평균으로는 채우기가 앞서고 구간이 0을 품었습니다(셀의 assert). 전처리의 효과가 입력 크기에 "
             "따라 "
             "달라지므로(두 요인의 상호작용), 한 크기에서 잰 효과를 다른 크기로 옮길 수 없습니다. 채우기는 (1) "
             "물체를 더 "
             "작게 넣고 (2) 회색 띠를 이미지 수준 풀링의 평균에 섞습니다. 둘을 가리려면 하나만 바꾼 설정을 더합니다. "
             "예: "
             "채우되 이미지 수준 풀링이 채운 칸을 빼고 평균하게 하면(물체 크기는 같고 띠의 영향만 빠짐), 그 설정과 "
             "보통 "
             "채우기의 차가 (2)의 몫입니다. 남은 차는 (1) 쪽입니다. 10장에서는 구간이 넓으니 전체 val에서 재야 합니다.",
)
