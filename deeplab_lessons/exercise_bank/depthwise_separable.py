"""깊이별 분리 합성곱과 MobileNetV2(05_depthwise_separable.ipynb)의 연습문제."""

from __future__ import annotations

from deeplab_lessons import counting, mobilenet
from deeplab_lessons.exercise_bank._shared import seeded_rng
from deeplab_lessons.grading import Case, Exercise, Mistake


def inverted_residual_params_answer(in_channels, out_channels, expansion):
    """MobileNetV2 역잔차 블록의 count_params(): 합성곱은 편향 없음, BN은 채널마다 4개(γ, β, 이동 평균, 이동 분산)."""
    expanded = in_channels * expansion
    params = 0
    if expansion != 1:                                      # 1×1 확장 + BN (확장 배율 1이면 이 층이 없음)
        params += in_channels * expanded + 4 * expanded
    params += 3 * 3 * expanded + 4 * expanded               # 3×3 깊이별(채널마다 필터 하나) + BN
    params += expanded * out_channels + 4 * out_channels    # 1×1 투영 + BN
    return params


def inverted_residual_params_reference(in_channels, out_channels, expansion):
    """기준: :func:`mobilenet.block_params` (Keras 규칙의 확장 채널)."""
    expanded = mobilenet.expanded_channels(in_channels, expansion, "keras")
    return mobilenet.block_params(mobilenet.BlockShape(in_channels, expanded, out_channels, 1))


def _inverted_residual_cases() -> list[Case]:
    rng = seeded_rng(11)
    cases = [Case({"in_channels": 32, "out_channels": 16, "expansion": 1}, "첫 블록(확장 배수 1)"),
             Case({"in_channels": 24, "out_channels": 24, "expansion": 6}, "지름길이 있는 블록")]
    for _ in range(4):
        cases.append(Case({"in_channels": int(rng.integers(8, 321)), "out_channels": int(rng.integers(8, 321)),
                           "expansion": int(rng.integers(1, 7))}, "무작위"))
    cases.append(Case({"in_channels": 1, "out_channels": 1, "expansion": 2}, "채널 하나"))
    return cases


def _ir_bn_two(in_channels, out_channels, expansion):
    expanded = mobilenet.expanded_channels(in_channels, expansion, "keras")
    return mobilenet.block_params(mobilenet.BlockShape(in_channels, expanded, out_channels, 1), bn_per_channel=2)


def _ir_no_bn(in_channels, out_channels, expansion):
    expanded = mobilenet.expanded_channels(in_channels, expansion, "keras")
    return mobilenet.block_params(mobilenet.BlockShape(in_channels, expanded, out_channels, 1), bn_per_channel=0)


def _ir_with_bias(in_channels, out_channels, expansion):
    expanded = in_channels * expansion
    bias = (expanded if expansion != 1 else 0) + expanded + out_channels
    return inverted_residual_params_reference(in_channels, out_channels, expansion) + bias


def _ir_full_depthwise(in_channels, out_channels, expansion):
    expanded = in_channels * expansion
    return inverted_residual_params_reference(in_channels, out_channels, expansion) + 9 * expanded * (expanded - 1)


def _ir_always_expand(in_channels, out_channels, expansion):
    extra = in_channels * in_channels + 4 * in_channels if expansion == 1 else 0
    return inverted_residual_params_reference(in_channels, out_channels, expansion) + extra


INVERTED_RESIDUAL_PARAMS = Exercise(
    id="inverted-residual-params", kind="코드",
    title="역잔차 블록의 매개변수 세기",
    prompt="`inverted_residual_params(in_channels, out_channels, expansion)`",
    hint="1×1 확장(C_in → E = t·C_in, t = 1이면 층이 없음), 3×3 깊이별(채널마다 3×3 필터 하나), 1×1 투영(E → C_out). "
         "합성곱마다 바로 뒤에 배치 정규화가 있고 편향은 없습니다. 5.1절의 식을 다시 보세요.",
    solution="E = t·C_in. [t ≠ 1이면 C_in·E + 4E] + 9E + 4E + E·C_out + 4·C_out. 배치 정규화는 count_params()가 "
             "γ, β, 이동 평균, 이동 분산의 네 개를 세고, 보폭은 매개변수 수를 바꾸지 않습니다.",
    reference=inverted_residual_params_reference, cases=_inverted_residual_cases,
    model_answer=inverted_residual_params_answer,
    mistakes=(
        Mistake("확장 배수 1이면 1×1 확장 층이 없습니다(블록 0). 그때는 깊이별 합성곱이 입력을 바로 받습니다.",
                function=_ir_always_expand),
        Mistake("배치 정규화를 채널마다 2개(γ, β)로 셌습니다. count_params()는 이동 평균·이동 분산도 세므로 4개입니다.",
                function=_ir_bn_two),
        Mistake("배치 정규화를 빠뜨렸습니다. 세 합성곱 뒤마다 배치 정규화가 있고, 채널마다 4개입니다.",
                function=_ir_no_bn),
        Mistake("합성곱에 편향을 더했습니다. 배치 정규화 바로 앞의 합성곱은 편향을 쓰지 않습니다(β가 대신합니다).",
                function=_ir_with_bias),
        Mistake("깊이별 합성곱을 보통 합성곱(9·E·E)으로 셌습니다. 깊이별은 채널마다 3×3 필터 하나라 9·E입니다.",
                function=_ir_full_depthwise),
    ),
)


def _conv_case(kernel, in_channels, out_channels, height=1, width=1):
    return counting.ConvCase(kernel, in_channels, out_channels, height, width)


SEPARABLE_PARAMS = Exercise(
    id="separable-params", kind="값",
    title="분리 합성곱의 가중치 수",
    prompt="5×5, 96 → 160 분리 합성곱(편향 없음)의 가중치 수는?",
    hint="깊이별 단계는 입력 채널마다 k×k 필터 하나(k·k·C_in), 점별 단계는 1×1로 채널을 섞습니다(C_in·C_out). "
         "1절의 표를 다시 보세요.",
    solution="5·5·96 + 96·160 = 2,400 + 15,360 = 17,760.",
    expected=lambda: counting.separable_params(_conv_case(5, 96, 160)),
    mistakes=(
        Mistake("그것은 표준 합성곱(k·k·C_in·C_out)의 수입니다. 분리 합성곱은 깊이별 + 점별로 나눕니다.",
                value=5 * 5 * 96 * 160),
        Mistake("깊이별 단계를 출력 채널마다 셌습니다. 깊이별 단계는 입력 채널마다 필터 하나(k·k·C_in)입니다.",
                value=5 * 5 * 96 * 160 + 96 * 160),
        Mistake("편향 없음입니다. 가중치만 세세요.", value=5 * 5 * 96 + 96 * 160 + 160),
    ),
)

STANDARD_MACS = Exercise(
    id="standard-macs", kind="값",
    title="표준 합성곱의 곱셈-덧셈 수",
    prompt="129×129 출력에서 3×3, 304 → 256 표준 합성곱(v3+ 디코더의 크기)의 곱셈-덧셈 수는?",
    hint="출력 칸마다 가중치 하나당 곱셈-덧셈 한 번: H·W·k·k·C_in·C_out (1절의 표).",
    solution="129·129·3·3·304·256 = 16,641 × 700,416 = 11,655,622,656 (약 11.7 G).",
    expected=lambda: counting.standard_macs(_conv_case(3, 304, 256, 129, 129)),
    mistakes=(
        Mistake("가중치 수만 셌습니다. 출력 칸(H·W)마다 가중치를 한 번씩 곱합니다.", value=3 * 3 * 304 * 256),
        Mistake("곱셈과 덧셈을 따로 셌습니다(FLOP). 곱셈-덧셈은 둘을 한 번으로 셉니다.",
                value=2 * 129 * 129 * 3 * 3 * 304 * 256),
        Mistake("그것은 분리 합성곱의 값입니다. 표준 합성곱을 물었습니다.",
                value=129 * 129 * (3 * 3 * 304 + 304 * 256)),
    ),
)

SEPARABLE_SAVING = Exercise(
    id="separable-saving", kind="값", tolerance=0.051,
    title="분리 합성곱이 줄이는 배수",
    prompt="5×5 커널, 출력 64채널일 때 분리 합성곱은 표준 합성곱보다 곱셈-덧셈 수를 몇 배 줄일까요?",
    hint="분리 ÷ 표준의 비는 1/C_out + 1/k²입니다(1절). 몇 배 줄이는지는 그 역수입니다.",
    solution="1 / (1/64 + 1/25) = 1 / 0.0556 ≈ 18.0배. 시간은 3절에서 본 것처럼 이만큼 줄지 않습니다.",
    expected=lambda: round(1 / counting.separable_ratio(5, 64), 1),
    mistakes=(
        Mistake("1/C_out 항을 빠뜨렸습니다. 점별 단계도 비용이 듭니다: 1 / (1/C_out + 1/k²).", value=25.0),
        Mistake("그것은 비 자체(분리 ÷ 표준)입니다. 몇 배 줄이는지는 그 역수입니다.", value=0.06),
        Mistake("3×3 커널의 값입니다(1절의 표). 이 문제는 5×5입니다.", value=7.9),
    ),
)

KERAS_CHANNELS = Exercise(
    id="keras-channels", kind="값",
    title="폭 배율의 채널 반올림(Keras 규칙)",
    prompt="폭 배율 0.75에서 24채널 단계는 Keras 규칙으로 몇 채널이 될까요?",
    hint="Keras 규칙: 24 × 0.75 = 18을 가장 가까운 8의 배수로 반올림하고, 그 결과가 18의 90 %보다 작으면 8을 더합니다"
         "(5.3절).",
    solution="18 + 4 = 22를 8로 내림하면 16. 16 < 0.9 × 18 = 16.2이므로 8을 더해 24.",
    expected=lambda: mobilenet.scaled_channels(24, 0.75, "keras"),
    mistakes=(
        Mistake("'10 % 넘게 줄면 8을 더함' 규칙을 빠뜨렸습니다. 16은 18의 90 %(16.2)보다 작습니다.", value=16),
        Mistake("그것은 DeepLab 규칙(가장 가까운 정수)입니다. Keras는 어떤 폭 배율에서든 8의 배수로 반올림합니다.",
                value=18),
    ),
)

#: MobileNetV2 논문 표 2의 일곱 단계를 문제 글로: (출력 채널, 블록 수, 첫 블록의 보폭).
STAGE_TEXT = ", ".join(f"({channels}, {repeats}, {stride})" for _, channels, repeats, stride in mobilenet.STAGES)

SHORTCUT_COUNT = Exercise(
    id="shortcut-count", kind="값",
    title="지름길이 있는 블록 세기",
    prompt="MobileNetV2(폭 배율 1.0)의 역잔차 블록 17개 가운데 지름길 연결이 있는 블록은 몇 개일까요? 블록들은 "
           "첫 합성곱(32채널) 뒤에 일곱 단계로 놓입니다(MobileNetV2 논문 표 2). 단계마다 (출력 채널, 블록 수, 첫 "
           "블록의 보폭)은 " + STAGE_TEXT + "이고, 단계 안의 나머지 블록은 보폭 1입니다.",
    hint="지름길은 보폭 1이고 입력·출력 채널이 같을 때만 있습니다(5.1절). 일곱 단계의 블록 수는 1, 2, 3, 4, 3, 3, 1개"
         "(5.5절 표에서 같은 채널이 이어지는 블록들)이고, 단계의 첫 블록은 채널이 바뀌거나 보폭이 2입니다.",
    solution="단계마다 첫 블록을 뺀 나머지에만 있습니다: 0 + 1 + 2 + 3 + 2 + 2 + 0 = 10. "
             "`sum(s.residual for s in mobilenet.block_shapes()[1])`로 확인할 수 있습니다.",
    expected=lambda: sum(shape.residual for shape in mobilenet.block_shapes()[1]),
    mistakes=(
        Mistake("보폭만 봤습니다. 보폭 1이어도 단계의 첫 블록은 채널이 바뀌어(예: 64 → 96) 입력을 더할 수 없습니다.",
                value=13),
        Mistake("그것은 지름길이 없는 블록의 수입니다.", value=7),
    ),
)


def _intensity_evidence() -> str:
    pixels, channels = 33 * 33, 728                 # 3절의 경우 (나) 728 → 728, 33×33
    values = 2 * pixels * channels                  # 입력 + 출력 값
    depthwise = pixels * 9 * channels / (values + 9 * channels)
    pointwise = pixels * channels ** 2 / (values + channels ** 2)
    standard = counting.standard_macs(counting.ConvCase(3, channels, channels, 33, 33)) / (
        values + 9 * channels ** 2)
    return (f"728 → 728, 33×33에서 값 하나당 곱셈-덧셈: 깊이별 3×3 {depthwise:.1f}, 점별 1×1 {pointwise:.1f}, "
            f"표준 3×3 {standard:.1f}.")


MACS_ARE_NOT_TIME = Exercise(
    id="macs-not-time", kind="토론",
    title="곱셈-덧셈 수로 속도를 견주면",
    prompt="3절에서 분리 합성곱은 곱셈-덧셈을 크게 줄였지만 실제 시간은 그만큼 줄지 않았습니다. 곱셈-덧셈 수만 보고 "
           "두 모델의 속도를 견주면 어떤 잘못을 하게 될까요? 3절의 단계별 표와 연산 강도로 설명해 보세요.",
    hint="단계별 표의 '곱셈-덧셈 몫'과 '시간 몫' 열, 'GFLOP/s' 열을 깊이별 단계와 점별 단계에서 견주고, 연산 강도 "
         "표(값 하나당 곱셈-덧셈)를 보세요.",
    solution="깊이별 단계를 곱셈-덧셈의 몫만큼만 비싸다고 여기게 됩니다. 3절의 단계별 표에서 깊이별 단계는 '시간 몫'이 "
             "'곱셈-덧셈 몫'보다 크고, 달성 GFLOP/s가 점별 단계보다 낮았습니다(셀의 assert가 여러분의 기계에서도 "
             "확인합니다). 깊이별 합성곱은 값 하나를 읽어 곱셈-덧셈을 k² = 9번만 하므로(근거의 연산 강도) 값을 옮기는 "
             "속도가 한계가 되기 쉽습니다. 그래서 곱셈-덧셈이 같아도 깊이별 합성곱이 많은 모델이 더 느릴 수 있고, "
             "곱셈-덧셈의 비는 속도 향상의 예측값이 아닙니다. 속도는 목표 기계에서 직접 재야 "
             "합니다. 다만 우리가 잰 것은 달성 GFLOP/s까지이고 메모리 대역폭 자체는 재지 않았으므로, 연산 강도는 "
             "측정과 "
             "맞는 설명으로 적습니다.",
    evidence=_intensity_evidence,
)
