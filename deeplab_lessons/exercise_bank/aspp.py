"""ASPP(04_aspp.ipynb)의 연습문제."""

from __future__ import annotations

from deeplab_lessons import aspp, atrous
from deeplab_lessons.exercise_bank._shared import seeded_rng
from deeplab_lessons.grading import Case, Exercise, Mistake


def aspp_branches_answer(output_stride):
    """v3 ASPP의 합성곱 가지 (커널, 팽창률) 목록. 출력 보폭 16에서 (6, 12, 18), 보폭에 반비례."""
    return [(1, 1)] + [(3, rate * 16 // output_stride) for rate in (6, 12, 18)]


def aspp_branches_reference(output_stride):
    """기준: 출력 보폭 16의 팽창률(``layers.V3_RATES[16]``)을 16 / 출력 보폭 배로."""
    return [(1, 1)] + [(3, rate * 16 // output_stride) for rate in aspp.V3_RATES[16]]


def _aspp_branch_cases() -> list[Case]:
    return [Case({"output_stride": stride}, "") for stride in (16, 8, 4, 32)]


ASPP_BRANCHES = Exercise(
    id="aspp-branches", kind="코드",
    title="출력 보폭에 맞는 v3 ASPP 가지 목록",
    prompt="`aspp_branches(output_stride)`",
    hint="출력 보폭 16에서 1×1 하나와 3×3 팽창률 (6, 12, 18)입니다. 출력 보폭을 반으로 줄이면 특징 맵 한 칸이 "
         "입력의 절반을 덮으므로, 같은 시야를 위해 팽창률은 두 배가 됩니다(3절).",
    solution="팽창률 = (6, 12, 18) × 16 / 출력 보폭. 1×1 가지는 팽창률이 없으므로 (1, 1)입니다. 출력 보폭 8이면 "
             "(12, 24, 36), 4면 (24, 48, 72), 32면 (3, 6, 9).",
    reference=aspp_branches_reference, cases=_aspp_branch_cases, model_answer=aspp_branches_answer,
    mistakes=(
        Mistake("팽창률을 출력 보폭에 비례하게 했습니다. 반대입니다: 출력 보폭이 작을수록(특징 맵이 촘촘할수록) "
                "팽창률이 커야 같은 시야를 봅니다.",
                function=lambda output_stride: [(1, 1)] + [(3, r * output_stride // 16) for r in (6, 12, 18)]),
        Mistake("팽창률을 출력 보폭에 맞춰 바꾸지 않았습니다. 16 / 출력 보폭 배를 하세요.",
                function=lambda output_stride: [(1, 1), (3, 6), (3, 12), (3, 18)]),
        Mistake("1×1 가지(커널 1, 팽창률 1)를 빠뜨렸습니다. 합성곱 가지는 모두 넷입니다.",
                function=lambda output_stride: [(3, r * 16 // output_stride) for r in (6, 12, 18)]),
    ),
)


def aspp_param_count_answer(in_channels, filters, num_rates):
    """v3 ASPP(이미지 수준 풀링 포함)의 count_params(): 합성곱은 편향 없음, BN은 채널마다 4개."""
    branches = 1 + num_rates + 1                           # 1×1, 3×3 num_rates개, 이미지 풀링
    convs = in_channels * filters                          # 1×1
    convs += num_rates * 3 * 3 * in_channels * filters     # 3×3 가지들
    convs += in_channels * filters                         # 이미지 풀링 뒤의 1×1
    convs += branches * filters * filters                  # 이어 붙인 뒤 1×1 투영
    batch_norm = 4 * filters * (branches + 1)              # γ, β, 이동 평균, 이동 분산 × (가지 + 투영)
    return convs + batch_norm


def aspp_param_count_reference(in_channels, filters, num_rates):
    """기준: :func:`deeplab_lessons.layers.aspp_v3_params` (팽창률 값은 개수만 중요)."""
    return aspp.aspp_v3_params(in_channels, filters, tuple(range(1, num_rates + 1)))


def _aspp_count_cases() -> list[Case]:
    rng = seeded_rng(3)
    cases = [Case({"in_channels": 96, "filters": 64, "num_rates": 2}, "작은 머리")]
    for _ in range(4):
        cases.append(Case({"in_channels": int(rng.integers(8, 600)), "filters": int(rng.integers(4, 300)),
                           "num_rates": int(rng.integers(1, 5))}, "무작위"))
    cases.append(Case({"in_channels": 5, "filters": 7, "num_rates": 0}, "3×3 가지 없음"))
    return cases


def _aspp_count_trainable_bn(in_channels, filters, num_rates):
    return aspp_param_count_reference(in_channels, filters, num_rates) - 2 * filters * (num_rates + 3)


def _aspp_count_with_bias(in_channels, filters, num_rates):
    return aspp_param_count_reference(in_channels, filters, num_rates) + filters * (num_rates + 3)


def _aspp_count_no_projection(in_channels, filters, num_rates):
    branches = num_rates + 2
    return aspp_param_count_reference(in_channels, filters, num_rates) - branches * filters ** 2 - 4 * filters


def _aspp_count_no_pooling(in_channels, filters, num_rates):
    return aspp.aspp_v3_params(in_channels, filters, tuple(range(1, num_rates + 1)), image_pooling=False)


ASPP_COUNT = Exercise(
    id="aspp-count", kind="코드",
    title="v3 ASPP 머리의 매개변수 세기",
    prompt="`aspp_param_count(in_channels, filters, num_rates)`",
    hint="가지: 1×1, 3×3 num_rates개, 이미지 수준 풀링 뒤의 1×1. 그 다음 (가지 수·F)→F 1×1 투영. 합성곱은 편향이 "
         "없고(바로 뒤가 배치 정규화), 배치 정규화는 채널마다 4개입니다. 3절의 식 셀을 다시 보세요.",
    solution="C·F(1×1) + n·9·C·F(3×3) + C·F(풀링) + (n + 2)·F·F(투영) + 4·F·(n + 3)(배치 정규화: 가지 n + 2개와 "
             "투영 하나). Keras의 count_params()는 학습하지 않는 이동 평균·이동 분산도 셉니다.",
    reference=aspp_param_count_reference, cases=_aspp_count_cases, model_answer=aspp_param_count_answer,
    mistakes=(
        Mistake("배치 정규화를 채널마다 2개(γ, β)로 셌습니다. count_params()는 이동 평균·이동 분산도 세므로 "
                "채널마다 4개입니다(그중 학습하는 것은 2개).", function=_aspp_count_trainable_bn),
        Mistake("합성곱에 편향을 더했습니다. 배치 정규화 바로 앞의 합성곱은 편향을 쓰지 않습니다(β가 대신합니다).",
                function=_aspp_count_with_bias),
        Mistake("이어 붙인 뒤의 1×1 투영((n + 2)·F → F)과 그 배치 정규화를 빠뜨렸습니다.",
                function=_aspp_count_no_projection),
        Mistake("이미지 수준 풀링 가지(C·F 1×1과 배치 정규화)를 빠뜨렸습니다. 투영의 입력도 그만큼 줄어듭니다.",
                function=_aspp_count_no_pooling),
    ),
)


def _aspp_v3_320() -> int:
    return aspp.aspp_v3_params(320)


ASPP_V3_PARAMS = Exercise(
    id="aspp-v3-params", kind="값",
    title="MobileNetV2 위의 v3 ASPP",
    prompt="입력이 320채널(MobileNetV2의 마지막 특징 맵)일 때 v3 ASPP(256채널, 팽창률 6·12·18, "
           "이미지 풀링 포함)의 매개변수 수는?",
    hint="위 코드 문제의 식에 C = 320, F = 256, 3×3 가지 3개를 넣으세요. 배치 정규화는 채널마다 4개입니다.",
    solution="1×1 320·256 = 81,920, 3×3 세 가지 3·9·320·256 = 2,211,840, 풀링 81,920, 투영 5·256·256 = 327,680, "
             "배치 정규화 4·256·6 = 6,144. 합 2,709,504 (= `layers.aspp_v3_params(320)`).",
    expected=_aspp_v3_320,
    mistakes=(
        Mistake("배치 정규화를 채널마다 2개로 셌습니다. count_params()는 이동 평균·분산도 셉니다.",
                value=320 * 256 * 29 + 5 * 256 * 256 + 2 * 256 * 6),
        Mistake("합성곱에 편향을 더했습니다. 배치 정규화 앞의 합성곱은 편향이 없습니다.",
                value=320 * 256 * 29 + 5 * 256 * 256 + 4 * 256 * 6 + 5 * 256),
    ),
)

CENTER_TAP_SHARE = Exercise(
    id="center-tap-share", kind="값", tolerance=0.0051,
    title="가운데 탭만 남는 출력 칸의 몫",
    prompt="33×33 특징 맵에서 팽창률 24의 3×3 필터가 가운데 탭만 유효한 출력 칸은 전체의 몇 분의 몇일까요?",
    hint="한 축에서 출력 칸 i의 바깥 탭 i ± 24가 0–32 안에 있는지 보세요. 두 축 모두에서 바깥 탭이 둘 다 "
         "밖이어야 가운데 탭만 남습니다(4절의 유효 탭 그림).",
    solution="한 축에서 i − 24 < 0 이고 i + 24 > 32인 칸은 i = 9 … 23의 15칸입니다. 두 축 모두 그래야 하므로 "
             "15² / 33² ≈ 0.21. `layers.valid_weight_histogram(33, 24)[1]`이 계산합니다.",
    expected=lambda: round(aspp.valid_weight_histogram(33, 24).get(1, 0.0), 2),
    mistakes=(Mistake("한 축만 셌습니다(15 / 33). 두 축 모두에서 바깥 탭이 밖이어야 합니다.", value=0.45),),
)

ASPP_V2_HEAD = Exercise(
    id="aspp-v2-head", kind="값",
    title="v2 ResNet-101 머리를 19클래스로",
    prompt="v2의 ResNet-101 버전 머리(팽창률 6·12·18·24, 입력 2048채널)를 19클래스(Cityscapes)로 만들면 매개변수 수는?",
    hint="가지마다 3×3 합성곱 하나(2048 → 클래스 수, 편향 포함), 가지는 넷입니다. 2절과 5절의 식을 다시 보세요.",
    solution="4 × (9·2048·19 + 19) = 4 × 350,227 = 1,400,908.",
    expected=lambda: aspp.aspp_v2_params(2048, 19, filters=None),
    mistakes=(
        Mistake("그것은 21클래스(VOC)의 값입니다. 클래스 수를 19로 바꿔 계산하세요.", value=1_548_372),
        Mistake("편향을 빠뜨렸습니다. 가지마다 클래스 수만큼의 편향이 있습니다.", value=4 * 9 * 2048 * 19),
        Mistake("가지 하나만 셌습니다. 팽창률 6·12·18·24의 네 가지입니다.", value=9 * 2048 * 19 + 19),
    ),
)


def _rate36_evidence() -> str:
    histogram = aspp.valid_weight_histogram(65, 36)
    common = max(histogram, key=histogram.get)
    return (f"65×65, 팽창률 36: 유효 커널 {atrous.effective_kernel_size(3, 36)}칸 폭. 탭 9개가 모두 유효한 출력 칸 "
            f"{histogram.get(9, 0.0):.1%}, 가운데 탭만 {histogram.get(1, 0.0):.1%}, 가장 흔한 경우는 탭 {common}개"
            f"({histogram[common]:.1%}).")


RATE36_DISCUSSION = Exercise(
    id="rate36-discussion", kind="토론",
    title="출력 보폭 8의 팽창률 36 가지",
    prompt="출력 보폭 8에서 v3는 팽창률을 (12, 24, 36)으로 두 배 합니다. 65×65 특징 맵에서 팽창률 36의 3×3 가지는 "
           "어떤 필터에 가까울까요? 4절의 표와 `layers.valid_weight_histogram(65, 36)`으로 답하고, 그래도 이미지 수준 "
           "풀링 가지가 필요한 까닭을 적어 보세요.",
    hint="한 축에서 출력 칸 i의 탭 i − 36, i, i + 36 가운데 0 … 64 안에 드는 것이 몇 개인지 세어 보세요. "
         "두 축을 곱하면 출력 칸마다의 유효한 탭 수가 됩니다.",
    solution="가운데 탭 하나만 남는 1×1은 아직 아니지만(그런 칸은 드묾), 아홉 탭이 모두 실제 화소에 닿는 칸은 하나도 "
             "없습니다. 유효 커널(73칸)이 특징 맵(65칸)보다 넓어, 한 축에서 바깥 탭 둘 중 하나는 늘 패딩에 떨어지기 "
             "때문입니다. 그래서 대부분의 칸에서 탭 4개, 곧 가운데와 36칸 떨어진 **한쪽** 이웃들만 봅니다(근거의 값). "
             "이 가지는 먼 문맥을 보긴 하지만 칸마다 다른 한쪽만 보는 성긴 필터입니다. 영상 전체의 요약을 모든 칸에 "
             "똑같이 "
             "주는 것은 이미지 수준 풀링 가지뿐이라(3절: 구석 한 칸을 바꾸면 모든 출력 칸이 바뀜), v3는 출력 보폭 "
             "8에서도 "
             "그 가지를 둡니다.",
    evidence=_rate36_evidence,
)
