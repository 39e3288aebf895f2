"""아트러스 합성곱(02_atrous_convolution.ipynb)의 연습문제."""

from __future__ import annotations

import numpy as np

from deeplab_lessons import atrous
from deeplab_lessons.exercise_bank._shared import same_padding_size, seeded_rng
from deeplab_lessons.grading import Case, Exercise, Mistake


def atrous_conv1d_answer(x, w, rate):
    """y[i] = Σ_k x[i + rate·k] · w[k] (valid: 커널이 신호 안에 다 들어가는 i만)."""
    k = len(w)
    k_eff = k + (k - 1) * (rate - 1)
    y = np.zeros(len(x) - k_eff + 1)
    for i in range(len(y)):
        for j in range(k):
            y[i] += x[i + rate * j] * w[j]
    return y


def _atrous_cases() -> list[Case]:
    rng = seeded_rng(1)
    cases = [Case({"x": np.arange(1.0, 11.0), "w": np.array([1.0, 0.0, -1.0]), "rate": 2}, "작은 예")]
    for _ in range(5):
        k, rate = int(rng.integers(2, 5)), int(rng.integers(2, 5))
        n = k + (k - 1) * (rate - 1) + int(rng.integers(0, 8))
        cases.append(Case({"x": rng.standard_normal(n).round(2), "w": rng.standard_normal(k).round(2),
                           "rate": rate}, "무작위"))
    cases.append(Case({"x": np.array([1.0, 2.0, 3.0, 4.0, 5.0]), "w": np.array([2.0, 3.0]), "rate": 4},
                      "유효 커널 = 신호 길이(출력 1칸)"))
    cases.append(Case({"x": np.array([1.0, -2.0, 3.0]), "w": np.array([5.0]), "rate": 3}, "커널 길이 1"))
    return cases


def _conv_rate_ignored(x, w, rate):
    return np.correlate(x, w, mode="valid")


def _conv_flipped(x, w, rate):
    dilated = np.zeros(atrous.effective_kernel_size(len(w), rate))
    dilated[::rate] = w
    return np.convolve(x, dilated, mode="valid")


def _conv_rate_as_stride(x, w, rate):
    k = len(w)
    return np.array([x[i:i + k] @ w for i in range(0, len(x) - k + 1, rate)])


def _conv_one_short(x, w, rate):
    return atrous.atrous_conv1d(x, w, rate)[:-1]


ATROUS_1D = Exercise(
    id="atrous-1d", kind="코드",
    title="1차원 아트러스 합성곱을 처음부터",
    prompt="`atrous_conv1d(x, w, rate)`",
    hint="y[i] = Σ_k x[i + rate·k] · w[k] 입니다(2절의 식). 출력 길이는 len(x) − k_eff + 1, "
         "k_eff = k + (k − 1)(rate − 1)입니다.",
    solution="출력 칸 i마다 커널 탭 k를 돌며 x[i + rate·k]·w[k]를 더합니다. 커널을 뒤집지 않고(상관), "
             "탭 사이를 rate칸씩 띄우며, 출력은 한 칸씩 옮깁니다(보폭 1).",
    reference=lambda x, w, rate: atrous.atrous_conv1d(x, w, rate),
    cases=_atrous_cases, model_answer=atrous_conv1d_answer,
    mistakes=(
        Mistake("팽창률을 쓰지 않았습니다(보통 합성곱). 탭 사이를 rate칸씩 띄우세요: x[i + rate·k].",
                function=_conv_rate_ignored),
        Mistake("팽창률과 보폭을 바꿔 썼습니다. 팽창률은 커널 탭 사이의 간격이고, 출력은 한 칸씩(보폭 1) 옮깁니다.",
                function=_conv_rate_as_stride),
        Mistake("커널을 뒤집었습니다(np.convolve). 딥러닝의 합성곱은 뒤집지 않는 상관입니다: Σ x[i + rate·k]·w[k].",
                function=_conv_flipped),
        Mistake("출력이 한 칸 짧습니다(off-by-one). valid의 출력 길이는 len(x) − k_eff + 1 입니다.",
                function=_conv_one_short),
    ),
)

ATROUS_OUTPUT_SIZE = Exercise(
    id="atrous-output-size", kind="값",
    title="팽창률과 보폭이 함께 있을 때의 출력 크기",
    prompt="129×129 특징 맵에 3×3, 보폭 2, 팽창률 6, `valid` 패딩의 합성곱을 하면 출력 한 변은 몇 화소일까요?",
    hint="valid: floor((n − k_eff) / s) + 1, 유효 커널 k_eff = k + (k − 1)(r − 1). 6절(출력 크기)의 표를 다시 보세요.",
    solution="k_eff = 3 + 2·5 = 13, floor((129 − 13) / 2) + 1 = 58 + 1 = 59.",
    expected=lambda: atrous.output_size(129, 3, stride=2, rate=6, padding="valid"),
    mistakes=(
        Mistake("마지막 + 1을 빠뜨렸습니다(off-by-one). 첫 위치도 출력 한 칸입니다: floor((n − k_eff)/s) + 1.",
                value=58),
        Mistake("커널 크기 3을 그대로 썼습니다. 팽창률 6이면 유효 커널은 3 + 2·5 = 13입니다.", value=64),
        Mistake("same 패딩의 식 ceil(n / s)를 썼습니다. valid는 가장자리를 덧대지 않습니다.", value=65),
        Mistake("보폭 2를 빠뜨렸습니다. (n − k_eff)를 보폭으로 나눈 뒤 + 1 합니다.", value=117),
        Mistake("팽창률과 보폭을 바꿔 썼습니다. 팽창률(6)은 유효 커널을, 보폭(2)은 나누는 수를 정합니다.", value=21),
    ),
)

EFFECTIVE_KERNEL = Exercise(
    id="effective-kernel", kind="값",
    title="유효 커널 크기",
    prompt="5×5 커널을 팽창률 4로 놓으면 유효 커널 크기(한 변)는?",
    hint="탭 사이마다 0이 (r − 1)개 끼어듭니다: k_eff = k + (k − 1)(r − 1).",
    solution="탭 5개 사이 간격 4곳에 0이 3개씩: 5 + 4·3 = 17.",
    expected=lambda: atrous.effective_kernel_size(5, 4),
    mistakes=(
        Mistake("k·r이 아닙니다. 끝의 탭 뒤에는 0이 붙지 않습니다: k + (k − 1)(r − 1).", value=20),
        Mistake("탭 사이에 끼는 0은 r개가 아니라 r − 1개입니다.", value=21),
    ),
)

CONV_PARAMS = Exercise(
    id="conv-params", kind="값",
    title="아트러스 합성곱 층의 매개변수 수",
    prompt="128채널 → 64채널, 5×5, 팽창률 7인 합성곱 층(편향 포함)의 매개변수 수는?",
    hint="매개변수 = k·k·C_in·C_out + C_out(편향). 팽창률은 매개변수 수를 바꾸지 않습니다(5절의 표).",
    solution="5·5·128·64 + 64 = 204,800 + 64 = 204,864. 팽창률 7은 탭의 위치만 바꿉니다.",
    expected=lambda: atrous.conv_cost(5, 128, 64, rate=7)["params"],
    mistakes=(
        Mistake("편향을 빠뜨렸습니다. 출력 채널마다 편향이 하나씩(+ C_out) 있습니다.", value=5 * 5 * 128 * 64),
        Mistake("유효 커널(29)로 셌습니다. 끼운 0은 학습하는 가중치가 아니므로 k = 5로 셉니다.",
                value=29 * 29 * 128 * 64 + 64),
        Mistake("편향은 출력 채널(64)마다 하나입니다. 입력 채널 수만큼이 아닙니다.", value=5 * 5 * 128 * 64 + 128),
    ),
)



OS8_FEATURE_SIZE = Exercise(
    id="os8-feature-size", kind="값",
    title="출력 보폭 8의 특징 맵 크기",
    prompt="769×769 입력에서 보폭 2(`same` 패딩)를 세 번만 쓰면(출력 보폭 8) 특징 맵 한 변은?",
    hint="same 패딩은 단계마다 ceil(n / 2)입니다. `atrous.output_size`를 세 번 이어 불러 보세요(7절).",
    solution="769 → 385 → 193 → 97.",
    expected=lambda: same_padding_size(769, 8),
    mistakes=(Mistake("769 / 8 = 96.1을 내림했습니다. same 패딩은 단계마다 올림합니다.", value=96),),
)


def _relative_cost(output_stride: int, size: int = 513) -> tuple[int, float]:
    """7절의 가정(원래 네트워크는 다섯 단계의 계산량이 같음)에서 ``(마지막 특징 맵의 한 변, 상대 계산량)``."""
    native = (2, 2, 2, 2, 2)
    sizes = {}
    for os_ in (32, output_stride):
        n, sizes[os_] = size, []
        for stride, _ in atrous.convert_strides_to_rates(native, os_, convention="stage"):
            n = atrous.output_size(n, 3, stride, 1, "same")
            sizes[os_].append(n)
    ratio = sum((a / b) ** 2 for a, b in zip(sizes[output_stride], sizes[32], strict=True)) / len(native)
    return sizes[output_stride][-1], ratio


def _os_trade_evidence() -> str:
    (side16, cost16), (side8, cost8) = _relative_cost(16), _relative_cost(8)
    params = {atrous.conv_cost(3, 32, 32, rate=r)["params"] for r in (1, 2, 4, 8)}
    return (f"3×3, 32 → 32 층의 매개변수는 팽창률 1·2·4·8에서 모두 {params.pop():,}개. 513 입력의 마지막 특징 맵 "
            f"{side16}×{side16} → {side8}×{side8}, 7절 가정의 상대 계산량 {cost16:.2f} → {cost8:.2f}"
            f"(출력 보폭 8이 16의 {cost8 / cost16:.1f}배).")


OS_TRADE_DISCUSSION = Exercise(
    id="os-trade-discussion", kind="토론",
    title="출력 보폭 16으로 학습한 가중치를 8로",
    prompt="DeepLab v3는 출력 보폭 16으로 학습한 가중치를 출력 보폭 8로 평가하기도 합니다. 5절과 7절의 표로, "
           "왜 같은 가중치를 그대로 쓸 수 있고 그 대가는 무엇인지 설명해 보세요.",
    hint="5절의 표에서 팽창률을 바꿔도 그대로인 열을, 7절의 표에서 출력 보폭 16과 8의 두 행을 견주세요.",
    solution="그대로 쓸 수 있는 까닭: 팽창률은 가중치의 개수와 모양을 바꾸지 않습니다(5절: count_params()가 팽창률과 "
             "상관없이 같음). 출력 보폭 16 → 8은 한 단계의 보폭 2를 1로 바꾸고 그 뒤 층들의 팽창률을 두 배로 하는 "
             "계획이라(7절), 층마다 입력에서 보는 간격도 학습 때와 같게 유지됩니다. 그래서 학습한 가중치를 바꾸지 않고 "
             "넣을 수 있습니다. 대가는 계산입니다: 특징 맵이 커진 단계의 계산이 화소 수만큼 늘어납니다(7절 표의 상대 "
             "계산량, 근거의 값). 정확도가 실제로 오르는지는 이 강에서 재지 않았습니다. inside_pretrained 노트북에서 "
             "같은 가중치를 출력 "
             "보폭 "
             "16으로 바꿔 계산을 다시 셉니다.",
    evidence=_os_trade_evidence,
)
