"""수용 영역(03_field_of_view.ipynb)의 연습문제."""

from __future__ import annotations

from deeplab_lessons import atrous, gridding
from deeplab_lessons import receptive_field as rf
from deeplab_lessons.exercise_bank._shared import seeded_rng
from deeplab_lessons.grading import Case, Exercise, Mistake


def receptive_field_answer(layers):
    """layers: (kernel, stride, rate) 튜플의 목록. 점화식 RF += (k_eff − 1)·j, 그 다음 j *= s."""
    field, jump = 1, 1
    for kernel, stride, rate in layers:
        k_eff = kernel + (kernel - 1) * (rate - 1)
        field += (k_eff - 1) * jump
        jump *= stride
    return field


def _rf_reference(layers):
    return rf.receptive_field([rf.LayerSpec(kernel, stride, rate) for kernel, stride, rate in layers])


def _rf_cases() -> list[Case]:
    rng = seeded_rng(2)
    cases = [Case({"layers": [(3, 1, 1), (3, 1, 2)]}, "팽창률만"),
             Case({"layers": [(3, 2, 1), (3, 1, 1)]}, "보폭 뒤의 층")]
    for _ in range(5):
        depth = int(rng.integers(2, 7))
        cases.append(Case({"layers": [(int(rng.choice([1, 3, 5, 7])), int(rng.integers(1, 3)),
                                       int(rng.integers(1, 5))) for _ in range(depth)]}, "무작위"))
    cases.append(Case({"layers": [(1, 1, 1)]}, "1×1 하나"))
    cases.append(Case({"layers": []}, "층이 없음(입력 화소 하나)"))
    return cases


def _rf_no_rate(layers):
    return _rf_reference([(k, s, 1) for k, s, _ in layers])


def _rf_no_jump(layers):
    return _rf_reference([(k, 1, r) for k, _, r in layers])


def _rf_jump_first(layers):
    field, jump = 1, 1
    for kernel, stride, rate in layers:
        jump *= stride
        field += (atrous.effective_kernel_size(kernel, rate) - 1) * jump
    return field


def _rf_sum_kernels(layers):
    return sum(atrous.effective_kernel_size(k, r) for k, _, r in layers)


RF_RECURRENCE = Exercise(
    id="rf-recurrence", kind="코드",
    title="수용 영역을 점화식으로",
    prompt="`receptive_field(layers)`",
    hint="1절의 점화식: RF = 1, j = 1에서 시작해 층마다 RF += (k_eff − 1)·j, 그 다음 j *= s. "
         "k_eff는 atrous_convolution 노트북의 유효 커널 k + (k − 1)(r − 1)입니다.",
    solution="수용 영역은 층마다 (k_eff − 1)·j만큼 넓어집니다. j(지금까지의 보폭 곱)는 그 층을 지난 뒤에 곱합니다: "
             "한 층의 보폭은 그 뒤 층들의 간격만 넓히기 때문입니다.",
    reference=_rf_reference, cases=_rf_cases, model_answer=receptive_field_answer,
    mistakes=(
        Mistake("팽창률을 쓰지 않았습니다. 커널 대신 유효 커널 k + (k − 1)(r − 1)을 쓰세요.", function=_rf_no_rate),
        Mistake("보폭을 쓰지 않았습니다. 앞 층들의 보폭 곱 j만큼 한 칸이 넓어집니다: RF += (k_eff − 1)·j.",
                function=_rf_no_jump),
        Mistake("j를 먼저 곱했습니다. 한 층의 보폭은 그 층 자신이 아니라 뒤 층들의 간격을 넓힙니다: "
                "RF를 더한 다음에 j *= s.", function=_rf_jump_first),
        Mistake("유효 커널을 그냥 더했습니다. 겹치는 한 칸을 빼야 합니다: 1에서 시작해 (k_eff − 1)·j씩.",
                function=_rf_sum_kernels),
    ),
)

RF_RATES_STACK = Exercise(
    id="rf-rates-stack", kind="값",
    title="팽창률을 키우며 쌓은 3×3 층의 수용 영역",
    prompt="3×3 층을 팽창률 1, 3, 5로 쌓으면 수용 영역은?",
    hint="보폭이 없으니 j = 1: RF = 1 + Σ (k_eff − 1). 유효 커널은 3, 7, 11입니다.",
    solution="1 + 2 + 6 + 10 = 19.",
    expected=lambda: rf.receptive_field(rf.conv_stack((1, 3, 5))),
    mistakes=(
        Mistake("팽창률을 쓰지 않았습니다. 팽창률 r의 3×3은 유효 커널 2r + 1입니다.", value=7),
        Mistake("유효 커널(3, 7, 11)을 그냥 더했습니다. 1에서 시작해 (k_eff − 1)씩 더합니다.", value=21),
    ),
)

RF_STEM = Exercise(
    id="rf-stem", kind="값",
    title="보폭 뒤의 아트러스 층",
    prompt="7×7 보폭 2 합성곱, 3×3 보폭 2 풀링, 그 뒤 3×3 팽창률 2 층 두 개(보폭 1)의 수용 영역은?",
    hint="j는 보폭 2를 두 번 지나 4가 됩니다. 팽창률 2의 3×3은 유효 커널 5입니다: RF += (5 − 1)·4를 두 번.",
    solution="1 → 7(j=2) → 11(j=4) → 27 → 43.",
    expected=lambda: rf.receptive_field([rf.LayerSpec(7, 2), rf.LayerSpec(3, 2),
                                         rf.LayerSpec(3, rate=2), rf.LayerSpec(3, rate=2)]),
    mistakes=(
        Mistake("팽창률 2를 쓰지 않았습니다. 유효 커널은 5입니다.", value=27),
        Mistake("보폭을 쓰지 않았습니다. 보폭 2를 두 번 지나면 한 칸이 입력 4칸입니다(j = 4).", value=19),
    ),
)

GRIDDING_HOLES = Exercise(
    id="gridding-holes", kind="값",
    title="격자 현상: 보지 않는 칸 세기",
    prompt="3×3 층을 팽창률 3으로 두 번 쌓으면, 13×13 수용 영역 안에서 한 번도 보지 않는 칸은 몇 개일까요?",
    hint="한 축에서 보는 위치는 두 층의 탭 위치(−3, 0, 3)의 합입니다. 2차원은 두 축의 곱집합입니다(5절, 격자 현상).",
    solution="한 축에서 −6, −3, 0, 3, 6의 5칸만 봅니다. 2차원에서 5 × 5 = 25칸, 보지 않는 칸은 169 − 25 = 144.",
    expected=lambda: int((gridding.sampled_positions((3, 3)) == 0).sum()),
    mistakes=(
        Mistake("그것은 보는 칸의 수입니다. 문제는 보지 않는 칸입니다.", value=25),
        Mistake("한 축만 셌습니다. 수용 영역은 13×13의 2차원입니다.", value=8),
    ),
)

HDC_M2 = Exercise(
    id="hdc-m2", kind="값",
    title="HDC의 최대 간격 M_2",
    prompt="3×3 층을 팽창률 (1, 2, 7)로 쌓을 때 HDC의 최대 간격 $M_2$는? 5절의 점화식은 마지막 층에서 "
           "시작해 앞으로 갑니다. 논문의 예 (1, 2, 5)라면 $M_3 = r_3 = 5$, "
           "$M_2 = \\max(5 - 2 \\cdot 2,\\; 5 - 2(5 - 2),\\; 2) = \\max(1, -1, 2) = 2$이고, $2 \\le 3$이라 첫 "
           "조건을 지킵니다.",
    hint="M_n = r_n에서 시작해 M_i = max(M_{i+1} − 2r_i, M_{i+1} − 2(M_{i+1} − r_i), r_i)를 뒤에서 앞으로. "
         "5절의 HDC 조건 셀을 다시 보세요(`gridding.hdc_check`는 쓰지 말고).",
    solution="M_3 = 7. M_2 = max(7 − 4, 7 − 2·(7 − 2), 2) = max(3, −3, 2) = 3 ≤ 3이므로 첫 조건을 지킵니다.",
    expected=lambda: gridding.hdc_check((1, 2, 7)).max_distances[0],
    mistakes=(Mistake("M_3 = r_3 = 7에서 멈췄습니다. 점화식으로 M_2까지 한 단계 더 내려가세요.", value=7),),
)

HDC_DISCUSSION = Exercise(
    id="hdc-discussion", kind="토론",
    title="(1, 2, 9)는 구멍이 생길까",
    prompt="팽창률 (1, 2, 9)는 구멍이 생길까요?",
    hint="`gridding.coverage((1, 2, 9))`와 `gridding.hdc_check((1, 2, 9))`의 M_2를 보세요.",
    solution="생깁니다: `gridding.coverage((1, 2, 9))`는 1보다 작습니다(보지 않는 칸이 있음). 점화식으로 "
             "M_2 = max(9 − 2·2, 9 − 2·(9 − 2), 2) = 5이고, 5 > 3(커널 크기)이라 HDC의 첫 조건을 어깁니다. "
             "팽창률들의 공약수는 1이라 둘째 조건은 지키므로, 구멍의 원인은 간격(M_2)입니다.",
)
