"""정리 강의(12_closing.ipynb)의 연습문제: 여러 강의를 가로지르는 점검."""

from __future__ import annotations

from deeplab_lessons import aspp, atrous, fine_tuning, receptive_field
from deeplab_lessons.exercise_bank._shared import seeded_rng
from deeplab_lessons.grading import Case, Exercise, Mistake


def stride_rate_plan_answer(strides, output_stride):
    """strides: 층마다 원래 보폭(1 또는 2). output_stride: 원하는 출력 보폭(누적 보폭 중 하나).

    층마다 (쓸 보폭, 쓸 팽창률)의 목록을 돌려줍니다(DeepLab 코드의 규칙).
    """
    current, rate, plan = 1, 1, []
    for stride in strides:
        if current * stride > output_stride:   # 이 층이 줄이면 출력 보폭을 넘습니다
            plan.append((1, rate))             # 이 층은 보폭 1, 팽창률은 지금까지의 값
            rate *= stride                     # 잃은 간격은 뒤의 층들이 팽창률로 되찾습니다
        else:
            current *= stride
            plan.append((stride, rate))
    return plan


def _plan_reference(strides, output_stride):
    return atrous.convert_strides_to_rates(strides, output_stride, convention="layer")


def _plan_cases() -> list[Case]:
    cases = [Case({"strides": (2, 2, 2, 2, 2), "output_stride": 8}, "ResNet처럼 다섯 번 줄이기, 출력 보폭 8"),
             Case({"strides": (2, 2, 2, 2, 2), "output_stride": 16}, "같은 보폭, 출력 보폭 16"),
             Case({"strides": (2, 1, 2, 2, 1, 2, 1), "output_stride": 8}, "보폭 1인 층이 섞인 백본, 출력 보폭 8"),
             Case({"strides": (2, 2, 2), "output_stride": 8}, "하나도 바꾸지 않음(출력 보폭 = 누적 보폭)"),
             Case({"strides": (2, 2, 2), "output_stride": 1}, "모두 보폭 1")]
    rng = seeded_rng(120)
    for _ in range(4):
        strides = tuple(int(s) for s in rng.choice([1, 2], size=int(rng.integers(4, 9)), p=[0.4, 0.6]))
        reachable = sorted({2 ** sum(1 for s in strides[:i] if s == 2) for i in range(len(strides) + 1)})
        cases.append(Case({"strides": strides, "output_stride": int(rng.choice(reachable))}, "무작위"))
    return cases


def _plan_stage(strides, output_stride):
    return atrous.convert_strides_to_rates(strides, output_stride, convention="stage")


def _plan_no_rate(strides, output_stride):
    return [(used, 1) for used, _ in stride_rate_plan_answer(strides, output_stride)]


def _plan_one_early(strides, output_stride):
    current, rate, plan = 1, 1, []
    for stride in strides:
        if current * stride >= output_stride and stride > 1:
            plan.append((1, rate))
            rate *= stride
        else:
            current *= stride
            plan.append((stride, rate))
    return plan


STRIDE_RATE_PLAN = Exercise(
    id="stride-rate-plan", kind="코드",
    title="출력 보폭에 맞춘 보폭·팽창률 계획",
    prompt="`stride_rate_plan(strides, output_stride)`",
    hint="층을 앞에서부터 보며 누적 보폭을 곱합니다. 이 층의 보폭을 곱하면 output_stride를 넘을 때만 보폭을 1로 두고, "
         "그 층 자신은 지금까지의 팽창률을 씁니다. 잃은 보폭은 그다음 층부터 팽창률에 곱합니다.",
    solution="누적 보폭 current와 팽창률 rate를 1에서 시작합니다. current·s > output_stride면 (1, rate)를 적고 "
             "rate *= s, 아니면 current *= s 하고 (s, rate)를 적습니다. DeepLab 코드의 "
             "`layer_stride = 1; layer_rate = rate; rate *= stride`와 같고, 패키지의 "
             "`atrous.convert_strides_to_rates(strides, output_stride, convention=\"layer\")`입니다.",
    reference=_plan_reference, cases=_plan_cases, model_answer=stride_rate_plan_answer,
    mistakes=(
        Mistake("보폭을 잃은 층 자신에게 곱한 팽창률을 적었습니다(논문이 단계마다 적는 방식). 층마다 적을 때는 그 층은 "
                "지금까지의 팽창률을 쓰고, 곱한 팽창률은 그 뒤 층부터입니다.", function=_plan_stage),
        Mistake("보폭을 1로 바꾸기만 하고 팽창률을 곱하지 않았습니다. 그러면 뒤 층의 탭 간격이 좁아져 수용 영역이 "
                "줄어듭니다. 잃은 보폭만큼 뒤 층의 팽창률을 곱하세요.", function=_plan_no_rate),
        Mistake("누적 보폭이 output_stride와 같아지는 층에서 이미 멈췄습니다. 그 층까지는 원래 보폭을 쓰고, 곱하면 "
                "output_stride를 넘는 층부터 보폭을 1로 둡니다.", function=_plan_one_early),
    ),
)

def _aspp_reach_os8() -> int:
    return 2 * max(aspp.aspp_rates(8)) * 8


ASPP_REACH_OS8 = Exercise(
    id="aspp-reach-os8", kind="값",
    title="ASPP의 가장 넓은 가지가 영상에서 보는 폭",
    prompt="출력 보폭 8의 v3 ASPP에서 가장 큰 팽창률의 3×3 가지를 생각합니다. 바깥 두 탭 사이의 거리는 입력 영상에서 "
           "몇 화소일까요?",
    hint="출력 보폭 16의 팽창률 (6, 12, 18)을 출력 보폭 8에서는 두 배로 씁니다. 3×3의 바깥 두 탭은 특징 맵에서 "
         "팽창률의 두 배만큼 떨어져 있고, 특징 맵 한 칸은 입력의 출력 보폭만큼입니다.",
    solution="출력 보폭 8의 팽창률은 (12, 24, 36)이고, 가장 큰 36의 바깥 두 탭은 특징 맵에서 2 × 36 = 72칸, "
             "입력에서는 72 × 8 = 576화소 떨어져 있습니다. 출력 보폭 16에서도 2 × 18 × 16 = 576입니다: "
             "팽창률을 두 배로 하는 까닭이 영상에서 같은 폭을 보려는 것입니다. 513×513 입력보다 넓으므로 "
             "가장자리 밖의 탭은 패딩을 봅니다.",
    expected=_aspp_reach_os8,
    mistakes=(
        Mistake("특징 맵의 칸 수에서 멈췄습니다. 특징 맵 한 칸은 입력의 8화소입니다.", value=2 * 36),
        Mistake("가운데 탭에서 한쪽 탭까지만 쟀거나(36 × 8), 출력 보폭 16의 팽창률 18을 그대로 썼습니다(2 × 18 × 8). "
                "바깥 두 탭 사이는 팽창률의 두 배이고, 출력 보폭 8에서는 팽창률을 두 배로 씁니다.", value=36 * 8),
    ),
)


def _five_layers():
    return [receptive_field.LayerSpec(3, 2) for _ in range(5)]


def _converted_rf() -> int:
    return receptive_field.receptive_field(receptive_field.with_output_stride(_five_layers(), 8))


CONVERTED_RF = Exercise(
    id="converted-rf", kind="값",
    title="보폭을 팽창률로 바꾼 뒤의 수용 영역",
    prompt="보폭 2인 3×3 합성곱 다섯 층(출력 보폭 32)을 코드 문제 1의 규칙으로 출력 보폭 8로 바꿉니다. 바꾼 "
           "네트워크의 수용 영역은 몇 화소일까요?",
    hint="먼저 코드 문제 1의 규칙으로 층마다 (보폭, 팽창률)을 정합니다. 그다음 층마다 유효 커널 "
         "k_eff = k + (k − 1)(r − 1)로 RF += (k_eff − 1)·j, j *= s 를 이어 계산합니다(RF = 1, j = 1에서 시작).",
    solution="계획은 (2, 1), (2, 1), (2, 1), (1, 1), (1, 2)입니다. RF는 3, 7, 15, 31(j = 8), 63(k_eff = 5, "
             "4 × 8 = 32를 더함). 바꾸기 전의 다섯 층도 3, 7, 15, 31, 63이므로, 잃은 보폭을 팽창률로 되찾으면 "
             "수용 영역은 그대로이고 특징 맵만 네 배 커집니다.",
    expected=_converted_rf,
    mistakes=(
        Mistake("보폭만 1로 바꾸고 팽창률을 곱하지 않은 네트워크의 값입니다. 마지막 층은 팽창률 2입니다.", value=47),
        Mistake("보폭을 잃은 층 자신에게도 곱한 팽창률(단계마다 적는 방식)을 쓴 값입니다. 층마다 적는 규칙에서는 "
                "네 번째 층이 팽창률 1, 다섯 번째 층이 2입니다.", value=111),
    ),
)


def _poly_rate() -> float:
    return round(fine_tuning.poly_learning_rate(0.007, 1500, 2000), 5)


POLY_LEARNING_RATE = Exercise(
    id="poly-learning-rate", kind="값", tolerance=0.0000051,
    title="poly 학습률",
    prompt="DeepLab은 학습률을 poly 일정 `lr × (1 − 단계 / 전체 단계) ** 0.9`로 줄입니다. 처음 학습률 0.007, "
           "전체 2,000 단계에서 1,500 단계째의 학습률은? (소수 다섯째 자리)",
    hint="1 − 1500 / 2000 = 0.25를 0.9제곱해 처음 학습률에 곱합니다(공식 코드의 `utils/train_utils.py`와 같은 식).",
    solution="0.007 × 0.25 ** 0.9 = 0.007 × 0.2872 = 0.00201. 끝(2,000 단계)에서 0이 됩니다.",
    expected=_poly_rate,
    mistakes=(
        Mistake("0.9제곱을 빠뜨렸습니다(직선으로 줄이기). poly 일정은 (1 − 단계/전체)의 0.9제곱입니다.",
                value=round(0.007 * 0.25, 5)),
        Mistake("1 − 단계/전체 대신 단계/전체를 썼습니다. 학습률은 처음에 크고 끝으로 갈수록 0에 가까워집니다.",
                value=round(0.007 * 0.75 ** 0.9, 5)),
    ),
)

GAIN_ATTRIBUTION = Exercise(
    id="gain-attribution", kind="토론",
    title="버전 사이의 차를 부품으로 나눌 수 있나",
    prompt="2절의 표에서 v1에서 v3+까지 VOC test mIoU의 차(논문 값끼리)를 1절 그림의 부품들로 나눠 "
           "\"ASPP가 몇 %p, 디코더가 몇 %p\" 라고 말할 수 있을까요? "
           "말할 수 없다면, 한 부품의 효과는 어떻게 재야 할까요?",
    hint="표의 \"조건\" 칸을 보세요. 버전이 바뀔 때 부품 하나만 바뀌었나요? 백본, 사전 학습 데이터, 여러 배율 추론, "
         "DenseCRF는 어떤가요?",
    solution="나눌 수 없습니다. 버전마다 부품과 함께 백본(VGG-16 → ResNet-101 → Xception), 사전 학습 데이터(COCO, "
             "JFT-300M), 여러 배율 입력, DenseCRF의 유무가 함께 바뀌었으므로, 차는 이 모든 것이 섞인 값입니다. "
             "사전 학습을 맞춘 v3 → v3+ 비교에도 백본의 차이가 남아 있습니다(과정 소개의 2절). 한 부품의 효과를 "
             "재려면 나머지를 모두 고정하고 그 부품 하나만 바꿔, 같은 예산과 여러 시드로 짝지어 견줘야 합니다. "
             "작은 DeepLab 학습 강의의 구성 요소 비교가 그렇게 했고, 그래도 결론은 그 장면과 예산 안에서만 말했습니다.",
)
