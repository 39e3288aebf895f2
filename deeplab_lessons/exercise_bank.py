"""연습문제 은행: 강의 순서대로 모든 연습문제(문제 글, 정답 계산, 힌트, 흔한 실수, 풀이).

문제 id에는 강의 번호를 넣지 않습니다(강의 번호가 바뀌어도 노트북의 ``exercises.check("id", ...)`` 가 그대로
동작하도록). 정답은 패키지의 기준 구현이 계산합니다. 기준 구현이 TensorFlow를 부르는 모듈(``layers``)에 있으면
함수 안에서 import 하므로, 0강처럼 TensorFlow가 필요 없는 강의에서 이 모듈을 불러도 가볍습니다.

이 모듈은 모듈 순서의 맨 뒤에 있습니다: :mod:`deeplab_lessons.exercises` 는 이 모듈을 처음 쓸 때만 불러옵니다.

코드 문제의 ``model_answer`` 는 학습자가 읽을 풀이이므로 NumPy만으로, 기준 구현과 따로 씁니다.
테스트(``tests/test_exercise_bank.py``)가 모범 답안이 채점을 통과하는지, 흔한 실수가 그 힌트를 받는지 봅니다.
"""

from __future__ import annotations

import numpy as np

from deeplab_lessons import atrous, metrics, training
from deeplab_lessons import receptive_field as rf
from deeplab_lessons.exercises import Case, Exercise, Mistake
from deeplab_lessons.voc import IGNORE_LABEL

SEED = 2024  # 무작위 시험 입력의 시드(채점 결과가 매번 같도록).


def _rng(offset: int) -> np.random.Generator:
    return np.random.default_rng(SEED + offset)


def _layers():
    """``layers`` 는 Keras를 불러오므로, 4강 문제를 채점할 때만 import 합니다."""
    from deeplab_lessons import layers

    return layers


# ================================================================ 0강: 과정 소개

def class_pixel_counts_reference(label_map, num_classes):
    """기준 구현: 혼동 행렬(정답 = 예측 = ``label_map``)의 대각선 = 클래스별 화소 수(255 제외)."""
    return np.diag(metrics.confusion_matrix(label_map, label_map, num_classes))


def class_pixel_counts_answer(label_map, num_classes):
    """클래스 0 … num_classes−1 마다 화소 수를 셉니다. 255(경계·무시)는 세지 않습니다."""
    counts = np.zeros(num_classes, dtype=np.int64)
    for class_id in range(num_classes):
        counts[class_id] = np.sum(label_map == class_id)
    return counts


def _class_pixel_cases() -> list[Case]:
    rng = _rng(0)
    cases = [Case({"label_map": np.array([[0, 15], [15, 255]]), "num_classes": 21}, "255가 섞인 작은 지도")]
    for _ in range(4):
        num_classes = int(rng.integers(3, 8))
        label_map = rng.integers(0, num_classes - 1, size=(int(rng.integers(3, 7)), int(rng.integers(3, 7))))
        label_map[rng.random(label_map.shape) < 0.15] = IGNORE_LABEL
        cases.append(Case({"label_map": label_map, "num_classes": num_classes}, "무작위, 마지막 클래스는 없음"))
    cases.append(Case({"label_map": np.full((2, 3), IGNORE_LABEL), "num_classes": 4}, "모두 255"))
    return cases


CLASS_PIXELS = Exercise(
    id="class-pixels", lesson=0, kind="코드",
    title="클래스마다 화소 수 세기(255 제외)",
    prompt="`class_pixel_counts(label_map, num_classes)`",
    hint="결과는 길이 num_classes의 배열입니다: 지도에 없는 클래스는 0, 255(경계·무시) 화소는 어느 칸에도 "
         "넣지 않습니다. 1절의 `np.unique(label_map, return_counts=True)` 셀을 다시 보세요.",
    solution="클래스 번호마다 `label_map == 번호` 인 칸을 셉니다. np.bincount를 쓴다면 255를 먼저 빼고 "
             "minlength=num_classes를 주어야 길이가 맞습니다.",
    reference=class_pixel_counts_reference, cases=_class_pixel_cases, model_answer=class_pixel_counts_answer,
    mistakes=(
        Mistake("255(경계·무시) 화소까지 셌습니다. label_map != 255 인 화소만 세세요.",
                function=lambda label_map, num_classes: np.bincount(label_map.ravel())),
        Mistake("지도에 있는 클래스만 셌습니다. 없는 클래스도 0으로 넣어 길이를 num_classes로 맞추세요.",
                function=lambda label_map, num_classes: np.unique(label_map[label_map != 255],
                                                                 return_counts=True)[1]),
        Mistake("np.bincount는 가장 큰 번호까지만 칸을 만듭니다. minlength=num_classes를 주세요.",
                function=lambda label_map, num_classes: np.bincount(label_map[label_map != 255].ravel())),
    ),
)

LOGITS_SHAPE = Exercise(
    id="logits-shape", lesson=0, kind="값",
    title="분할 네트워크의 로짓 모양",
    prompt="769×769 영상을 Cityscapes의 19개 클래스로 분할하는 네트워크의 로짓 모양은?",
    hint="화소마다 클래스 수만큼의 점수가 있습니다: (높이, 너비, 클래스 수). 클래스 수는 VOC의 21이 아닙니다.",
    solution="화소 769×769개 각각에 클래스 19개의 점수가 있으므로 (769, 769, 19)입니다.",
    expected=lambda: (769, 769, 19),
    mistakes=(
        Mistake("클래스 수 축의 자리를 보세요. 이 강좌(Keras)는 채널을 마지막에 둡니다: (높이, 너비, 클래스 수).",
                value=(19, 769, 769)),
        Mistake("21은 PASCAL VOC의 클래스 수입니다. 이 문제는 Cityscapes(19개)입니다.", value=(769, 769, 21)),
        Mistake("그것은 arg-max 뒤의 클래스 번호 지도 모양입니다. 로짓은 클래스마다 점수가 있습니다.",
                value=(769, 769)),
    ),
)


def _pooled_size() -> int:
    size = 321
    for _ in range(5):
        size = atrous.output_size(size, 3, stride=2, padding="same")
    return size


POOLED_FEATURE_SIZE = Exercise(
    id="pooled-feature-size", lesson=0, kind="값",
    title="풀링을 모두 남긴 분류 네트워크의 특징 맵 크기",
    prompt="321×321 입력에 보폭 2, `same` 패딩 (padding)의 층을 다섯 번 쓰면(출력 보폭 32) "
           "마지막 특징 맵은 한 변이 몇 화소일까요?",
    hint="`same` 패딩의 출력 길이는 ceil(n / s)입니다(올림). 한 번에 32로 나누지 말고 다섯 번 차례로 올림하세요. "
         "2강의 `atrous.output_size` 로도 확인할 수 있습니다.",
    solution="same 패딩은 매번 올림합니다: 321 → 161 → 81 → 41 → 21 → 11.",
    expected=_pooled_size,
    mistakes=(Mistake("321 / 32 = 10.03을 내림했습니다. same 패딩은 단계마다 올림합니다(ceil).", value=10),),
)


# ================================================================ 2강: 아트러스 합성곱

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
    rng = _rng(1)
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
    id="atrous-1d", lesson=2, kind="코드",
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
    id="atrous-output-size", lesson=2, kind="값",
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
    id="effective-kernel", lesson=2, kind="값",
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
    id="conv-params", lesson=2, kind="값",
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


def _os8_size() -> int:
    size = 769
    for _ in range(3):
        size = atrous.output_size(size, 3, stride=2, padding="same")
    return size


OS8_FEATURE_SIZE = Exercise(
    id="os8-feature-size", lesson=2, kind="값",
    title="출력 보폭 8의 특징 맵 크기",
    prompt="769×769 입력에서 보폭 2(`same` 패딩)를 세 번만 쓰면(출력 보폭 8) 특징 맵 한 변은?",
    hint="same 패딩은 단계마다 ceil(n / 2)입니다. `atrous.output_size` 를 세 번 이어 불러 보세요(7절).",
    solution="769 → 385 → 193 → 97.",
    expected=_os8_size,
    mistakes=(Mistake("769 / 8 = 96.1을 내림했습니다. same 패딩은 단계마다 올림합니다.", value=96),),
)


# ================================================================ 3강: 수용 영역

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
    rng = _rng(2)
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
    id="rf-recurrence", lesson=3, kind="코드",
    title="수용 영역을 점화식으로",
    prompt="`receptive_field(layers)`",
    hint="1절의 점화식: RF = 1, j = 1에서 시작해 층마다 RF += (k_eff − 1)·j, 그 다음 j *= s. "
         "k_eff는 2강의 유효 커널 k + (k − 1)(r − 1)입니다.",
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
    id="rf-rates-stack", lesson=3, kind="값",
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
    id="rf-stem", lesson=3, kind="값",
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
    id="gridding-holes", lesson=3, kind="값",
    title="격자 현상: 보지 않는 칸 세기",
    prompt="3×3 층을 팽창률 3으로 두 번 쌓으면, 13×13 수용 영역 안에서 한 번도 보지 않는 칸은 몇 개일까요?",
    hint="한 축에서 보는 위치는 두 층의 탭 위치(−3, 0, 3)의 합입니다. 2차원은 두 축의 곱집합입니다(5절, 격자 현상).",
    solution="한 축에서 −6, −3, 0, 3, 6의 5칸만 봅니다. 2차원에서 5 × 5 = 25칸, 보지 않는 칸은 169 − 25 = 144.",
    expected=lambda: int((rf.sampled_positions((3, 3)) == 0).sum()),
    mistakes=(
        Mistake("그것은 보는 칸의 수입니다. 문제는 보지 않는 칸입니다.", value=25),
        Mistake("한 축만 셌습니다. 수용 영역은 13×13의 2차원입니다.", value=8),
    ),
)

HDC_M2 = Exercise(
    id="hdc-m2", lesson=3, kind="값",
    title="HDC의 최대 간격 M_2",
    prompt="3×3 층을 팽창률 (1, 2, 7)로 쌓을 때 HDC의 최대 간격 $M_2$ 는?",
    hint="M_n = r_n에서 시작해 M_i = max(M_{i+1} − 2r_i, M_{i+1} − 2(M_{i+1} − r_i), r_i)를 뒤에서 앞으로. "
         "5절의 HDC 조건 셀을 다시 보세요(`rf.hdc_check` 는 쓰지 말고).",
    solution="M_3 = 7. M_2 = max(7 − 4, 7 − 2·(7 − 2), 2) = max(3, −3, 2) = 3 ≤ 3이므로 첫 조건을 지킵니다.",
    expected=lambda: rf.hdc_check((1, 2, 7)).max_distances[0],
    mistakes=(Mistake("M_3 = r_3 = 7에서 멈췄습니다. 점화식으로 M_2까지 한 단계 더 내려가세요.", value=7),),
)

HDC_DISCUSSION = Exercise(
    id="hdc-discussion", lesson=3, kind="토론",
    title="(1, 2, 9)는 구멍이 생길까",
    prompt="팽창률 (1, 2, 9)는 구멍이 생길까요?",
    hint="`rf.coverage((1, 2, 9))` 와 `rf.hdc_check((1, 2, 9))` 의 M_2를 보세요.",
    solution="생깁니다: `rf.coverage((1, 2, 9))` 는 1보다 작습니다(보지 않는 칸이 있음). 점화식으로 "
             "M_2 = max(9 − 2·2, 9 − 2·(9 − 2), 2) = 5이고, 5 > 3(커널 크기)이라 HDC의 첫 조건을 어깁니다. "
             "팽창률들의 공약수는 1이라 둘째 조건은 지키므로, 구멍의 원인은 간격(M_2)입니다.",
)


# ================================================================ 4강: ASPP

def aspp_branches_answer(output_stride):
    """v3 ASPP의 합성곱 가지 (커널, 팽창률) 목록. 출력 보폭 16에서 (6, 12, 18), 보폭에 반비례."""
    return [(1, 1)] + [(3, rate * 16 // output_stride) for rate in (6, 12, 18)]


def aspp_branches_reference(output_stride):
    """기준: 출력 보폭 16의 팽창률(``layers.V3_RATES[16]``)을 16 / 출력 보폭 배로."""
    return [(1, 1)] + [(3, rate * 16 // output_stride) for rate in _layers().V3_RATES[16]]


def _aspp_branch_cases() -> list[Case]:
    return [Case({"output_stride": stride}, "") for stride in (16, 8, 4, 32)]


ASPP_BRANCHES = Exercise(
    id="aspp-branches", lesson=4, kind="코드",
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
    return _layers().aspp_v3_params(in_channels, filters, tuple(range(1, num_rates + 1)))


def _aspp_count_cases() -> list[Case]:
    rng = _rng(3)
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
    return _layers().aspp_v3_params(in_channels, filters, tuple(range(1, num_rates + 1)), image_pooling=False)


ASPP_COUNT = Exercise(
    id="aspp-count", lesson=4, kind="코드",
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
    return _layers().aspp_v3_params(320)


ASPP_V3_PARAMS = Exercise(
    id="aspp-v3-params", lesson=4, kind="값",
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
    id="center-tap-share", lesson=4, kind="값", tolerance=0.0051,
    title="가운데 탭만 남는 출력 칸의 몫",
    prompt="33×33 특징 맵에서 팽창률 24의 3×3 필터가 가운데 탭만 유효한 출력 칸은 전체의 몇 분의 몇일까요?",
    hint="한 축에서 출력 칸 i의 바깥 탭 i ± 24가 0–32 안에 있는지 보세요. 두 축 모두에서 바깥 탭이 둘 다 "
         "밖이어야 가운데 탭만 남습니다(4절의 유효 탭 그림).",
    solution="한 축에서 i − 24 < 0 이고 i + 24 > 32인 칸은 i = 9 … 23의 15칸입니다. 두 축 모두 그래야 하므로 "
             "15² / 33² ≈ 0.21. `layers.valid_weight_histogram(33, 24)[1]` 이 계산합니다.",
    expected=lambda: round(_layers().valid_weight_histogram(33, 24).get(1, 0.0), 2),
    mistakes=(Mistake("한 축만 셌습니다(15 / 33). 두 축 모두에서 바깥 탭이 밖이어야 합니다.", value=0.45),),
)

ASPP_V2_HEAD = Exercise(
    id="aspp-v2-head", lesson=4, kind="값",
    title="v2 ResNet-101 머리를 19클래스로",
    prompt="v2의 ResNet-101 판 머리(팽창률 6·12·18·24, 입력 2048채널)를 19클래스(Cityscapes)로 만들면 매개변수 수는?",
    hint="가지마다 3×3 합성곱 하나(2048 → 클래스 수, 편향 포함), 가지는 넷입니다. 2절과 5절의 식을 다시 보세요.",
    solution="4 × (9·2048·19 + 19) = 4 × 350,227 = 1,400,908.",
    expected=lambda: _layers().aspp_v2_params(2048, 19, filters=None),
    mistakes=(
        Mistake("그것은 21클래스(VOC)의 값입니다. 클래스 수를 19로 바꿔 계산하세요.", value=1_548_372),
        Mistake("편향을 빠뜨렸습니다. 가지마다 클래스 수만큼의 편향이 있습니다.", value=4 * 9 * 2048 * 19),
        Mistake("가지 하나만 셌습니다. 팽창률 6·12·18·24의 네 가지입니다.", value=9 * 2048 * 19 + 19),
    ),
)


# ================================================================ 10강: 작은 DeepLab 학습

FEATURE_MAP_SIZE = Exercise(
    id="feature-map-size", lesson=10, kind="값",
    title="출력 보폭 16의 특징 맵 크기",
    prompt="200×200 장면을 출력 보폭 16으로 처리하면 특징 맵의 한 변은?",
    hint="보폭 2(same 패딩)를 네 번 거치고, 매번 올림합니다: ceil(n / 2).",
    solution="200 → 100 → 50 → 25 → 13 (= ceil(200 / 16)).",
    expected=lambda: atrous.output_size(200, 1, 16),
    mistakes=(Mistake("200 / 16 = 12.5를 내림했습니다. same 패딩은 올림합니다.", value=12),),
)


def _band_mask() -> np.ndarray:
    mask = np.zeros((6, 6), np.uint8)
    mask[2:4, 2:4] = 1
    return mask


BAND_PIXELS = Exercise(
    id="band-pixels", lesson=10, kind="값",
    title="경계 띠의 화소 수",
    prompt="아래 6×6 마스크에서 폭 2의 경계 띠는 몇 화소일까요?",
    hint="띠 = 자기와 다른 클래스의 화소가 4-이웃 거리(가로 칸 수 + 세로 칸 수) 2 이하에 있는 화소. "
         "가운데 2×2 사각형 안쪽 화소와, 사각형까지 4-이웃 거리가 1 또는 2인 바깥 화소를 세세요.",
    solution="사각형 안 4화소는 모두 띠입니다. 바깥에서 거리 1은 8화소, 거리 2는 12화소"
             "(변에서 두 칸 8, 모서리 대각 4). 4 + 8 + 12 = 24. `training.boundary_band(mask, 2).sum()` 과 같습니다.",
    expected=lambda: int(training.boundary_band(_band_mask(), 2).sum()),
    mistakes=(
        Mistake("그것은 폭 1의 띠입니다. 거리 2까지 넓히세요.", value=12),
        Mistake("8-이웃(대각선도 거리 1)으로 셌습니다. 거리는 가로 칸 수 + 세로 칸 수입니다.", value=36),
        Mistake("바깥 화소만 셌습니다. 사각형 안 화소도 다른 클래스까지 거리가 1이므로 띠입니다.", value=20),
    ),
)


def boundary_band_answer(mask, width):
    """다른 클래스 화소가 4-이웃 거리(|dy| + |dx|) width 이하에 있는 화소를 True로."""
    height, width_px = mask.shape
    band = np.zeros(mask.shape, bool)
    for y in range(height):
        for x in range(width_px):
            for dy in range(-width, width + 1):
                for dx in range(-width + abs(dy), width - abs(dy) + 1):
                    yy, xx = y + dy, x + dx
                    if 0 <= yy < height and 0 <= xx < width_px and mask[yy, xx] != mask[y, x]:
                        band[y, x] = True
    return band


def _band_cases() -> list[Case]:
    rng = _rng(8)
    cases = [Case({"mask": _band_mask(), "width": 1}, "2×2 사각형"),
             Case({"mask": np.zeros((4, 5), np.uint8), "width": 2}, "한 클래스뿐(띠 없음)")]
    for _ in range(4):
        mask = np.zeros((int(rng.integers(6, 10)), int(rng.integers(6, 10))), np.uint8)
        for label in (1, 2):
            top, left = int(rng.integers(0, mask.shape[0] - 2)), int(rng.integers(0, mask.shape[1] - 2))
            mask[top:top + int(rng.integers(2, 5)), left:left + int(rng.integers(2, 5))] = label
        cases.append(Case({"mask": mask, "width": int(rng.integers(1, 4))}, "무작위 사각형 둘"))
    return cases


def _band_chebyshev(mask, width):
    band = np.zeros(mask.shape, bool)
    padded = np.pad(mask.astype(int), width, constant_values=-1)
    for dy in range(-width, width + 1):
        for dx in range(-width, width + 1):
            shifted = padded[width + dy:width + dy + mask.shape[0], width + dx:width + dx + mask.shape[1]]
            band |= (shifted != -1) & (shifted != mask)
    return band


def _band_one_side(mask, width):
    return training.boundary_band(mask, width) & (mask != 0)


BOUNDARY_BAND = Exercise(
    id="boundary-band", lesson=10, kind="코드",
    title="경계 띠 만들기",
    prompt="`boundary_band(mask, width)`",
    hint="띠 = 자기와 다른 클래스의 화소가 4-이웃 거리(|dy| + |dx|) width 이하 안에 있는 화소입니다. 경계의 "
         "양쪽이 모두 띠에 들어가고, 대각선 한 칸은 거리 2입니다. 4절의 경계 지표 설명을 다시 보세요.",
    solution="화소마다 |dy| + |dx| ≤ width인 이웃을 모두 보고, 다른 클래스가 하나라도 있으면 True. "
             "(패키지의 `training.boundary_band` 는 같은 띠를 '클래스가 바뀌는 이웃 쌍의 양쪽'을 4-이웃으로 "
             "width − 1번 넓혀 빠르게 만듭니다.)",
    reference=lambda mask, width: training.boundary_band(mask, width),
    cases=_band_cases, model_answer=boundary_band_answer,
    mistakes=(
        Mistake("8-이웃(대각선 한 칸 = 거리 1)으로 셌습니다. 거리는 |dy| + |dx|입니다.", function=_band_chebyshev),
        Mistake("폭이 하나 어긋납니다(off-by-one). 거리 width 이하까지입니다(width = 1이면 바로 옆 화소).",
                function=lambda mask, width: training.boundary_band(mask, width + 1)),
        Mistake("폭이 하나 어긋납니다(off-by-one). 거리 width 이하까지입니다(width = 1이면 바로 옆 화소).",
                function=lambda mask, width: training.boundary_band(mask, width - 1) if width > 1
                else np.zeros(mask.shape, bool)),
        Mistake("경계의 한쪽(물체 안쪽)만 넣었습니다. 배경 쪽 화소도 다른 클래스가 가까우면 띠입니다.",
                function=_band_one_side),
    ),
)


def masked_cross_entropy_answer(logits, labels):
    """logits (H, W, C), labels (H, W). 255가 아닌 화소의 −log softmax 평균(없으면 0.0)."""
    keep = labels != 255
    if not keep.any():
        return 0.0
    scores = logits[keep]                                   # (N, C)
    classes = labels[keep]                                  # (N,)
    shifted = scores - scores.max(axis=1, keepdims=True)    # 큰 로짓에서 exp가 넘치지 않게
    log_softmax = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return float(-log_softmax[np.arange(len(classes)), classes].mean())


def _ce_cases() -> list[Case]:
    rng = _rng(9)
    cases = []
    for index in range(4):
        height, width, classes = int(rng.integers(2, 5)), int(rng.integers(2, 5)), int(rng.integers(2, 6))
        labels = rng.integers(0, classes, size=(height, width))
        labels[rng.random(labels.shape) < 0.3] = IGNORE_LABEL
        labels[0, 0] = 0
        logits = rng.standard_normal((height, width, classes)).round(2) * (1 + index)
        cases.append(Case({"logits": logits, "labels": labels}, "무작위, 255 섞임"))
    cases.append(Case({"logits": np.array([[[1000.0, 0.0], [0.0, 1000.0]]]), "labels": np.array([[1, 1]])},
                      "아주 큰 로짓(exp가 넘침)"))
    cases.append(Case({"logits": np.zeros((1, 2, 3)), "labels": np.array([[255, 255]])}, "모두 255"))
    return cases


def _ce_all_pixels(logits, labels):
    keep = labels != 255
    if not keep.any():
        return 0.0
    return masked_cross_entropy_answer(logits, labels) * keep.sum() / labels.size


def _ce_unstable(logits, labels):
    keep = labels != 255
    if not keep.any():
        return 0.0
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        probs = np.exp(logits[keep]) / np.exp(logits[keep]).sum(axis=1, keepdims=True)
        return float(-np.log(probs[np.arange(keep.sum()), labels[keep]]).mean())


def _ce_no_log(logits, labels):
    keep = labels != 255
    if not keep.any():
        return 0.0
    scores = logits[keep] - logits[keep].max(axis=1, keepdims=True)
    probs = np.exp(scores) / np.exp(scores).sum(axis=1, keepdims=True)
    return float(-probs[np.arange(keep.sum()), labels[keep]].mean())


def _ce_reference(logits, labels):
    from deeplab_lessons import losses

    return losses.masked_cross_entropy(logits, labels)


MASKED_CROSS_ENTROPY = Exercise(
    id="masked-ce", lesson=10, kind="코드",
    title="255를 무시하는 교차 엔트로피",
    prompt="`masked_cross_entropy(logits, labels)`",
    hint="화소마다 −log softmax(로짓)[정답 클래스]를 구해, 정답이 255가 아닌 화소들만 평균합니다(255 화소는 분자에도 "
         "분모에도 들어가지 않습니다). 큰 로짓에서 exp가 넘치지 않게 화소마다 최댓값을 빼고 계산하세요.",
    solution="keep = labels != 255로 화소를 고르고, 로짓에서 화소마다 최댓값을 뺀 뒤 log_softmax = s − log Σ exp(s). "
             "정답 클래스의 −log_softmax를 keep 화소에 대해 평균합니다. keep 화소가 없으면 0.0. "
             "Keras의 SparseCategoricalCrossentropy(from_logits=True, ignore_class=255)와 같은 값입니다.",
    reference=_ce_reference, cases=_ce_cases, model_answer=masked_cross_entropy_answer,
    mistakes=(
        Mistake("255 화소까지 분모에 넣어 평균했습니다. 무시할 화소는 평균하는 개수에서도 빼세요.",
                function=_ce_all_pixels),
        Mistake("큰 로짓에서 exp가 넘쳤습니다(inf / nan). 화소마다 로짓의 최댓값을 빼고 softmax를 계산하세요 "
                "(log-sum-exp).", function=_ce_unstable),
        Mistake("log를 빠뜨렸습니다. 교차 엔트로피는 정답 클래스 확률의 −log입니다.", function=_ce_no_log),
    ),
)

TRAIN_BUDGET_DISCUSSION = Exercise(
    id="train-budget-discussion", lesson=10, kind="토론",
    title="학습 예산을 반으로",
    prompt="예산을 반으로 줄이면 2절의 평균 IoU는 얼마나 떨어질까요?",
    hint="비교할 때는 예산 하나만 바꾸고, 차이를 시드에 따른 흔들림(4절의 ± 값)과 견주세요.",
    solution="에포크를 반으로 줄이면 학습률 일정(코사인)도 짧아져 손실이 덜 내려가고, 평균 IoU는 보통 떨어집니다. "
             "얼마나 떨어지는지는 이 기계에서 재 봐야 하며, 그 차가 시드를 바꿨을 때의 흔들림(± 값)보다 클 때만 "
             "'예산 때문'이라고 말할 수 있습니다. FULL = True 의 표에서 ASPP와 이미지 수준 풀링의 효과도 같은 "
             "기준(± 값보다 큰가)으로 읽습니다: 이 합성 장면은 큰 원이 영상의 큰 부분을 차지해, 출력 보폭 8의 "
             "백본만으로도 넓게 보므로 두 부품의 차가 작을 수 있습니다.",
)


#: id → 문제. 강의 순서(지금의 번호)대로.
BANK: dict[str, Exercise] = {exercise.id: exercise for exercise in (
    CLASS_PIXELS, LOGITS_SHAPE, POOLED_FEATURE_SIZE,
    ATROUS_1D, ATROUS_OUTPUT_SIZE, EFFECTIVE_KERNEL, CONV_PARAMS, OS8_FEATURE_SIZE,
    RF_RECURRENCE, RF_RATES_STACK, RF_STEM, GRIDDING_HOLES, HDC_M2, HDC_DISCUSSION,
    ASPP_BRANCHES, ASPP_COUNT, ASPP_V3_PARAMS, CENTER_TAP_SHARE, ASPP_V2_HEAD,
    FEATURE_MAP_SIZE, BAND_PIXELS, BOUNDARY_BAND, MASKED_CROSS_ENTROPY, TRAIN_BUDGET_DISCUSSION,
)}
