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

from deeplab_lessons import atrous, counting, metrics, mobilenet, upsampling
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


# ================================================================ 1강: 분류기에서 조밀한 예측기로

def conv_transpose1d_answer(x, w, stride):
    """입력 칸 a마다 도장 x[a]·w를 출력의 stride·a 자리부터 더합니다(valid 패딩).

    출력 길이는 (n − 1)·stride + max(k, stride)입니다(k < stride이면 도장이 덮지 못한 끝 칸도 0으로 둡니다).
    """
    n, k = len(x), len(w)
    y = np.zeros((n - 1) * stride + max(k, stride))
    for a in range(n):
        y[stride * a:stride * a + k] += x[a] * w
    return y


def _transposed_1d_reference(x, w, stride):
    """기준: 1강의 :func:`upsampling.conv_transpose2d` 를 높이 1, 채널 1로."""
    x, w = np.asarray(x, dtype=float), np.asarray(w, dtype=float)
    return upsampling.conv_transpose2d(x[None, :, None], w[None, :, None, None], stride, "valid")[0, :, 0]


def _transposed_1d_cases() -> list[Case]:
    rng = _rng(10)
    cases = [Case({"x": np.array([1.0, -1.0, 2.0]), "w": np.array([1.0, 2.0, 1.0]), "stride": 2}, "작은 예")]
    for _ in range(5):
        cases.append(Case({"x": rng.standard_normal(int(rng.integers(1, 7))).round(2),
                           "w": rng.standard_normal(int(rng.integers(2, 6))).round(2),
                           "stride": int(rng.integers(2, 5))}, "무작위"))
    cases.append(Case({"x": np.array([2.0, 3.0]), "w": np.array([1.0, -1.0]), "stride": 2},
                      "커널 = 보폭(도장이 겹치지 않음)"))
    cases.append(Case({"x": np.array([1.0, 2.0]), "w": np.array([3.0]), "stride": 3}, "커널이 보폭보다 짧음"))
    cases.append(Case({"x": np.array([1.0, 2.0, 3.0]), "w": np.array([1.0, 1.0]), "stride": 1}, "보폭 1"))
    return cases


def _tconv_no_stride(x, w, stride):
    return np.convolve(x, w)


def _tconv_trailing_zeros(x, w, stride):
    up = np.zeros(len(x) * stride)
    up[::stride] = x
    return np.convolve(up, w)


def _tconv_kernel_spacing(x, w, stride):
    y = np.zeros(len(x) * len(w))
    for a in range(len(x)):
        y[len(w) * a:len(w) * a + len(w)] += x[a] * w
    return y


def _tconv_no_max(x, w, stride):
    return _transposed_1d_reference(x, w, stride)[:(len(x) - 1) * stride + len(w)]


TRANSPOSED_1D = Exercise(
    id="transposed-1d", lesson=1, kind="코드",
    title="1차원 전치 합성곱을 처음부터",
    prompt="`conv_transpose1d(x, w, stride)`",
    hint="입력 칸 a마다 도장 x[a]·w를 출력의 stride·a 자리부터 찍고, 겹치는 곳은 더합니다(3절의 도장 그림). "
         "출력 길이는 (n − 1)·stride + k, 커널이 보폭보다 짧으면 n·stride입니다.",
    solution="길이 (n − 1)·s + max(k, s)의 0 배열을 만들고, a = 0 … n − 1마다 y[s·a : s·a + k] += x[a]·w. "
             "0을 끼운 입력(칸 사이에 s − 1개)과 w의 보통 합성곱(np.convolve, 'full')과도 같습니다.",
    reference=_transposed_1d_reference, cases=_transposed_1d_cases, model_answer=conv_transpose1d_answer,
    mistakes=(
        Mistake("보폭을 쓰지 않았습니다(도장 간격 1). 도장은 stride칸마다 찍습니다: y[stride·a + j] += x[a]·w[j].",
                function=_tconv_no_stride),
        Mistake("출력 끝에 0이 남습니다(off-by-one). 0을 끼울 때 마지막 입력 뒤에는 붙이지 않습니다: "
                "출력 길이는 (n − 1)·stride + k입니다.", function=_tconv_trailing_zeros),
        Mistake("도장 간격을 커널 길이로 했습니다. 도장 사이의 간격은 보폭(stride)이고, 커널이 더 길면 "
                "겹쳐 더해집니다.",
                function=_tconv_kernel_spacing),
        Mistake("커널이 보폭보다 짧을 때 길이가 모자랍니다. Keras의 규칙은 (n − 1)·stride + max(k, stride)입니다"
                "(도장이 덮지 못한 끝 칸도 0으로 둡니다).", function=_tconv_no_max),
    ),
)

TRANSPOSED_OUTPUT_SIZE = Exercise(
    id="transposed-output-size", lesson=1, kind="값",
    title="전치 합성곱의 출력 길이",
    prompt="21×21 점수 지도를 4×4 커널, 보폭 2, `valid` 패딩의 전치 합성곱으로 키우면 한 변의 기본 출력 길이는?",
    hint="valid의 기본 출력 길이는 (n − 1)·s + k입니다(3절의 출력 크기 식). 도장 21개가 2칸 간격으로 찍힙니다.",
    solution="(21 − 1)·2 + 4 = 44. 마지막 도장이 40번째 칸에서 시작해 커널 4칸을 덮습니다.",
    expected=lambda: upsampling.transposed_output_size(21, 4, 2, "valid"),
    mistakes=(
        Mistake("same 패딩의 식 n·s를 썼습니다. valid는 가장자리를 잘라내지 않으므로 (n − 1)·s + k입니다.", value=42),
        Mistake("커널 길이를 더하지 않았습니다. 마지막 도장도 k칸을 덮습니다: (n − 1)·s + k.", value=40),
        Mistake("0을 마지막 입력 뒤에도 끼웠습니다(off-by-one). (n − 1)·s + k입니다.", value=45),
    ),
)

BILINEAR_KERNEL_SIZE = Exercise(
    id="bilinear-kernel-size", lesson=1, kind="값",
    title="쌍선형 커널의 크기",
    prompt="6배로 키우는 쌍선형 커널의 한 변은?",
    hint="배율 f의 쌍선형 커널은 한 변이 2f − f mod 2입니다(4절). 짝수 배율이면 f mod 2 = 0입니다.",
    solution="2·6 − 0 = 12. 출력 칸마다 이웃한 두 입력의 도장이 겹쳐야 하므로 커널은 배율의 약 두 배입니다.",
    expected=lambda: upsampling.bilinear_kernel(6).shape[0],
    mistakes=(
        Mistake("홀수 배율에서만 한 칸을 뺍니다: 2f − f mod 2. 6은 짝수입니다.", value=11),
        Mistake("커널은 배율만 한 것이 아니라 약 두 배입니다. 출력 칸마다 이웃한 두 도장이 겹쳐야 선형 보간이 됩니다.",
                value=6),
    ),
)


def _overlap_values() -> tuple[int, ...]:
    kernel, stride = 7, 3
    row = upsampling.overlap_counts(kernel + 3 * stride, kernel, stride)[0]     # 첫 줄 = 한 축의 겹침 수 × 1
    return tuple(sorted({int(v) for v in row[kernel:kernel + stride] // row[0]}))


OVERLAP_PATTERN = Exercise(
    id="overlap-pattern", lesson=1, kind="값",
    title="1차원 전치 합성곱의 겹침 수",
    prompt="모두 1인 1차원 입력을 모두 1인 커널(길이 7), 보폭 3으로 전치 합성곱하면, 안쪽 출력 칸들이 갖는 "
           "겹침 수는? 나오는 값을 작은 것부터 모두 적으세요(예: `(1, 2)`).",
    hint="안쪽 칸 하나를 덮는 도장의 수는 k를 s로 나눈 몫이거나 몫 + 1입니다(5절의 체커보드 표).",
    solution="7 = 3·2 + 1이므로 한 주기(3칸) 가운데 한 칸은 도장 3개, 두 칸은 2개가 겹칩니다: (2, 3). "
             "k가 s로 나누어떨어지지 않아 체커보드 무늬가 생깁니다.",
    expected=_overlap_values,
    mistakes=(
        Mistake("가장자리 칸까지 셌습니다. 양 끝의 k칸을 뺀 안쪽만 보세요.", value=(1, 2, 3)),
        Mistake("나머지 칸을 잊었습니다. 7을 3으로 나누면 나머지가 1이라, 한 주기 가운데 한 칸에는 도장이 하나 더 "
                "겹칩니다.", value=(2,)),
    ),
)

SCORE_MAP_SIZE = Exercise(
    id="score-map-size", lesson=1, kind="값",
    title="완전 합성곱 네트워크의 점수 지도 크기",
    prompt="2절의 완전 합성곱 네트워크(창 64, 보폭 32)에 321×321 영상을 넣으면 점수 지도의 한 변은?",
    hint="점수 지도의 칸 하나는 64×64 창 하나입니다. 창이 영상 안에 다 들어가는 위치만 셉니다: ⌊(n − 64) / 32⌋ + 1 "
         "(2절의 valid 출력 크기 식).",
    solution="⌊(321 − 64) / 32⌋ + 1 = ⌊8.03⌋ + 1 = 9.",
    expected=lambda: atrous.output_size(321, 64, 32, padding="valid"),
    mistakes=(
        Mistake("마지막 + 1을 빠뜨렸습니다(off-by-one). 첫 창의 위치도 점수 지도의 한 칸입니다.", value=8),
        Mistake("321을 그냥 32로 나눴습니다. 창(64)이 영상 안에 다 들어가야 하므로 먼저 64를 빼고 나눈 뒤 "
                "1을 더합니다.",
                value=10),
        Mistake("same 패딩처럼 올림했습니다. 이 네트워크는 valid라 창이 다 들어가는 위치만 셉니다.", value=11),
    ),
)


def _deepest_unet_skip() -> tuple[int, int]:
    base, depth, size = 16, 5, 513
    for _ in range(depth - 1):                     # 가장 깊은 건너뛰기는 마지막 풀링 바로 앞(풀링 depth − 1번 뒤)
        size = atrous.output_size(size, 2, 2, padding="same")
    return base * 2 ** (depth - 1), size


UNET_DEEPEST_SKIP = Exercise(
    id="unet-deepest-skip", lesson=1, kind="값",
    title="U-Net의 가장 깊은 건너뛰기 연결",
    prompt="기본 채널 16, 풀링 5번의 U-Net에 513×513 영상을 넣으면, 가장 깊은 건너뛰기 연결이 디코더로 가져오는 "
           "특징은 몇 채널이고 한 변이 몇 화소일까요? `(채널, 한 변)` 으로 적으세요.",
    hint="인코더 단계 d(0부터)의 채널은 16·2^d이고, 건너뛰기 특징은 그 단계의 풀링 **앞**에서 가져옵니다. 풀링은 "
         "same 패딩이라 한 번마다 ⌈n / 2⌉입니다(7절의 표는 풀링 4번의 U-Net).",
    solution="풀링 5번이면 단계 0 … 4의 특징 다섯 개가 건너갑니다. 가장 깊은 것은 단계 4: 16·2⁴ = 256채널, "
             "풀링 네 번 뒤라 513 → 257 → 129 → 65 → 33. 답은 (256, 33). 단계 5(512채널, 17×17)는 "
             "바닥(병목)이라 건너가지 않습니다.",
    expected=_deepest_unet_skip,
    mistakes=(
        Mistake("그것은 바닥(병목) 단계입니다. 건너뛰기 특징은 풀링 앞에서 가져오므로 가장 깊은 것은 "
                "풀링 네 번 뒤입니다.",
                value=(512, 17)),
        Mistake("풀링은 same 패딩이라 올림합니다: 513 → 257 → 129 → 65 → 33.", value=(256, 32)),
        Mistake("그것은 7절 표의 U-Net(풀링 4번)의 값입니다. 풀링이 5번이면 한 단계 더 깊습니다.", value=(128, 65)),
    ),
)

BAND_WIDTH_DISCUSSION = Exercise(
    id="band-width-discussion", lesson=1, kind="토론",
    title="경계 띠를 넓히면",
    prompt="6절의 `fcn_errors` 에서 경계 띠의 폭을 4에서 8로 넓히면, FCN-32s의 \"띠 밖에서\" 오차는 어떻게 변할까요?",
    hint="FCN-32s의 틀린 화소가 어디에 몰려 있는지(경계 띠에서 %와 띠 밖에서 %)를 보세요.",
    solution="줄어듭니다. 이상적인 점수를 32배로 키운 예측은 클래스가 바뀌는 곳 근처에서만 틀리므로, 틀린 화소 "
             "대부분이 경계 가까이에 있습니다. 띠를 넓히면 그 가운데 경계에서 4–8화소 떨어진 틀린 화소들이 띠 안으로 "
             "들어가 띠 밖의 오차율이 작아집니다. 띠의 넓이는 커지고, 띠 안의 오차율도 (맞은 화소가 더 많이 섞여) "
             "작아집니다. 전체 틀린 화소 %는 그대로입니다: 띠는 화소를 나눌 뿐입니다. `fcn_errors(seed, band_width=8)` "
             "로 바꿔 실행해 확인하세요.",
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


# ================================================================ 5강: 깊이별 분리 합성곱과 MobileNetV2

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
    rng = _rng(11)
    cases = [Case({"in_channels": 32, "out_channels": 16, "expansion": 1}, "첫 블록(확장 배율 1)"),
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
    id="inverted-residual-params", lesson=5, kind="코드",
    title="역잔차 블록의 매개변수 세기",
    prompt="`inverted_residual_params(in_channels, out_channels, expansion)`",
    hint="1×1 확장(C_in → E = t·C_in, t = 1이면 층이 없음), 3×3 깊이별(채널마다 3×3 필터 하나), 1×1 투영(E → C_out). "
         "합성곱마다 바로 뒤에 배치 정규화가 있고 편향은 없습니다. 5.1절의 식을 다시 보세요.",
    solution="E = t·C_in. [t ≠ 1이면 C_in·E + 4E] + 9E + 4E + E·C_out + 4·C_out. 배치 정규화는 count_params()가 "
             "γ, β, 이동 평균, 이동 분산의 네 개를 세고, 보폭은 매개변수 수를 바꾸지 않습니다.",
    reference=inverted_residual_params_reference, cases=_inverted_residual_cases,
    model_answer=inverted_residual_params_answer,
    mistakes=(
        Mistake("확장 배율 1이면 1×1 확장 층이 없습니다(블록 0). 그때는 깊이별 합성곱이 입력을 바로 받습니다.",
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
    id="separable-params", lesson=5, kind="값",
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
    id="standard-macs", lesson=5, kind="값",
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
    id="separable-saving", lesson=5, kind="값", tolerance=0.051,
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
    id="keras-channels", lesson=5, kind="값",
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

SHORTCUT_COUNT = Exercise(
    id="shortcut-count", lesson=5, kind="값",
    title="지름길이 있는 블록 세기",
    prompt="MobileNetV2(폭 배율 1.0)의 역잔차 블록 17개 가운데 지름길 연결이 있는 블록은 몇 개일까요?",
    hint="지름길은 보폭 1이고 입력·출력 채널이 같을 때만 있습니다(5.1절). 일곱 단계의 블록 수는 1, 2, 3, 4, 3, 3, 1개"
         "(5.5절 표에서 같은 채널이 이어지는 블록들)이고, 단계의 첫 블록은 채널이 바뀌거나 보폭이 2입니다.",
    solution="단계마다 첫 블록을 뺀 나머지에만 있습니다: 0 + 1 + 2 + 3 + 2 + 2 + 0 = 10. "
             "`sum(s.residual for s in mobilenet.block_shapes()[1])` 로 확인할 수 있습니다.",
    expected=lambda: sum(shape.residual for shape in mobilenet.block_shapes()[1]),
    mistakes=(
        Mistake("보폭만 봤습니다. 보폭 1이어도 단계의 첫 블록은 채널이 바뀌어(예: 64 → 96) 입력을 더할 수 없습니다.",
                value=13),
        Mistake("그것은 지름길이 없는 블록의 수입니다.", value=7),
    ),
)


# ================================================================ 6강: DeepLab v3와 v3+

#: v3+ 디코더가 저수준 특징을 1×1 합성곱으로 줄이는 채널 수(``models._decoder``, v3+ 논문 4.1절).
DECODER_LOW_LEVEL_FILTERS = 48


def _same_padding_size(size: int, stride: int) -> int:
    """보폭 2의 same 패딩 층을 ``stride`` 가 될 때까지 거친 한 변(단계마다 올림)."""
    while stride > 1:
        size = atrous.output_size(size, 1, 2, padding="same")
        stride //= 2
    return size


def decoder_sizes_reference(input_size, output_stride, aspp_filters):
    """기준: 보폭 2를 차례로 거친 크기(2강의 :func:`atrous.output_size`)와 이어 붙인 채널 수."""
    return (_same_padding_size(input_size, output_stride), _same_padding_size(input_size, 4),
            aspp_filters + DECODER_LOW_LEVEL_FILTERS)


def decoder_sizes_answer(input_size, output_stride, aspp_filters):
    """(ASPP 특징 맵 한 변, 저수준 특징 한 변, 디코더가 이어 붙인 채널 수)."""
    encoder = input_size
    for _ in range(int(np.log2(output_stride))):
        encoder = (encoder + 1) // 2                        # 보폭 2(same 패딩)마다 올림: ⌈n / 2⌉
    low_level = ((input_size + 1) // 2 + 1) // 2            # 저수준 특징은 늘 보폭 4: ⌈⌈n / 2⌉ / 2⌉
    return encoder, low_level, aspp_filters + 48            # 저수준 특징은 1×1로 48채널로 줄여 이어 붙임


def _decoder_cases() -> list[Case]:
    rng = _rng(12)
    cases = [Case({"input_size": 513, "output_stride": 16, "aspp_filters": 256}, "6강의 설정"),
             Case({"input_size": 321, "output_stride": 8, "aspp_filters": 256}, "출력 보폭 8")]
    for _ in range(4):
        cases.append(Case({"input_size": int(rng.integers(65, 1025)), "output_stride": int(rng.choice([8, 16, 32])),
                           "aspp_filters": int(rng.choice([64, 128, 256]))}, "무작위"))
    cases.append(Case({"input_size": 256, "output_stride": 16, "aspp_filters": 64}, "나누어떨어지는 크기"))
    return cases


def _decoder_floor(input_size, output_stride, aspp_filters):
    return input_size // output_stride, input_size // 4, aspp_filters + 48


def _decoder_low_follows_stride(input_size, output_stride, aspp_filters):
    encoder, _, channels = decoder_sizes_reference(input_size, output_stride, aspp_filters)
    return encoder, _same_padding_size(input_size, output_stride // 4), channels


def _decoder_raw_low_level(input_size, output_stride, aspp_filters):
    encoder, low, _ = decoder_sizes_reference(input_size, output_stride, aspp_filters)
    return encoder, low, aspp_filters + 24


def _decoder_no_low_level_channels(input_size, output_stride, aspp_filters):
    encoder, low, _ = decoder_sizes_reference(input_size, output_stride, aspp_filters)
    return encoder, low, aspp_filters


DECODER_SIZES = Exercise(
    id="decoder-sizes", lesson=6, kind="코드",
    title="v3+ 디코더가 만나는 특징 맵",
    prompt="`decoder_sizes(input_size, output_stride, aspp_filters)`",
    hint="보폭 2의 층(same 패딩)은 한 번마다 한 변을 ⌈n / 2⌉로 줄입니다. ASPP는 출력 보폭의 특징 맵을, 디코더는 "
         "늘 보폭 4의 저수준 특징을 씁니다. 저수준 특징은 1×1 합성곱으로 48채널로 줄인 뒤 ASPP 출력과 이어 붙입니다"
         "(1절의 구조, 4절의 표).",
    solution="ASPP 특징 맵: 보폭 2를 log₂(출력 보폭)번, 매번 올림(513, 16 → 33). 저수준 특징: 출력 보폭과 상관없이 "
             "보폭 4(513 → 129). 이어 붙인 채널: ASPP 출력 채널 + 48(256 + 48 = 304).",
    reference=decoder_sizes_reference, cases=_decoder_cases, model_answer=decoder_sizes_answer,
    mistakes=(
        Mistake("내림했습니다. same 패딩의 보폭 2는 단계마다 올림합니다: 513 → 257 → 129 → 65 → 33.",
                function=_decoder_floor),
        Mistake("저수준 특징의 보폭을 출력 보폭에 맞춰 바꿨습니다. 디코더는 출력 보폭과 상관없이 늘 보폭 4의 특징"
                "(블록 2의 출력)을 씁니다.", function=_decoder_low_follows_stride),
        Mistake("저수준 특징의 채널을 그대로(24) 셌습니다. 디코더는 그것을 1×1 합성곱으로 48채널로 줄여 이어 붙입니다.",
                function=_decoder_raw_low_level),
        Mistake("이어 붙인 채널에 저수준 특징(48채널)을 빠뜨렸습니다.", function=_decoder_no_low_level_channels),
    ),
)

ASPP_FEATURE_SIZE = Exercise(
    id="aspp-feature-size", lesson=6, kind="값",
    title="출력 보폭 8에서 ASPP가 보는 특징 맵",
    prompt="321×321 입력을 출력 보폭 8로 처리하면 ASPP가 보는 특징 맵의 한 변은?",
    hint="보폭 2(same 패딩)를 세 번, 매번 올림합니다: ⌈n / 2⌉.",
    solution="321 → 161 → 81 → 41.",
    expected=lambda: _same_padding_size(321, 8),
    mistakes=(Mistake("321 / 8 = 40.1을 내림했습니다. same 패딩은 단계마다 올림합니다.", value=40),),
)

DECODER_UPSAMPLING = Exercise(
    id="decoder-upsampling", lesson=6, kind="값",
    title="디코더 앞의 업샘플링 배수",
    prompt="출력 보폭 8의 인코더 출력을 v3+ 디코더가 저수준 특징에 맞추려면 몇 배로 키워야 할까요?",
    hint="저수준 특징은 출력 보폭과 상관없이 보폭 4입니다. 출력 보폭 8의 특징을 보폭 4까지 키우면 몇 배일까요?",
    solution="8 / 4 = 2배. 출력 보폭 16이면 4배입니다(1절).",
    expected=lambda: 8 // 4,
    mistakes=(
        Mistake("원래 크기까지 키우는 배수입니다. 디코더는 먼저 저수준 특징(보폭 4)까지만 키웁니다.", value=8),
        Mistake("그것은 출력 보폭 16일 때의 배수입니다. 출력 보폭이 8이면 특징 맵이 이미 두 배 촘촘합니다.", value=4),
    ),
)


def _decoder_sepconv_params() -> int:
    from deeplab_lessons import models

    inputs = models.keras.Input((None, None, 256 + DECODER_LOW_LEVEL_FILTERS))
    outputs = models.separable_conv_bn_relu(inputs, 256, name="exercise_sepconv")
    return models.keras.Model(inputs, outputs).count_params()


DECODER_SEPCONV_PARAMS = Exercise(
    id="decoder-sepconv-params", lesson=6, kind="값",
    title="디코더의 첫 분리 합성곱",
    prompt="원래 크기 v3+ 디코더의 첫 3×3 분리 합성곱(256채널 출력, 깊이별 단계 뒤에도 배치 정규화)의 "
           "`count_params()` 는?",
    hint="입력은 ASPP 출력 256채널과 저수준 특징 48채널을 이어 붙인 것입니다. 깊이별 9·C_in + BN, 점별 C_in·256 + BN, "
         "편향 없음, 배치 정규화는 채널마다 4개(5강 1절과 4절).",
    solution="C_in = 256 + 48 = 304. 깊이별 9·304 = 2,736 + BN 4·304 = 1,216, "
             "점별 304·256 = 77,824 + BN 4·256 = 1,024. 합 82,800.",
    expected=_decoder_sepconv_params,
    mistakes=(
        Mistake("입력 채널을 256으로 셌습니다. 디코더는 저수준 특징 48채널을 이어 붙인 304채널을 받습니다.",
                value=9 * 256 + 4 * 256 + 256 * 256 + 4 * 256),
        Mistake("깊이별 단계 뒤의 배치 정규화를 빠뜨렸습니다. DeepLab v3+의 분리 합성곱은 깊이별 뒤에도 "
                "BN과 ReLU를 둡니다(Keras의 SeparableConv2D와 다른 점).", value=9 * 304 + 304 * 256 + 4 * 256),
        Mistake("배치 정규화를 채널마다 2개로 셌습니다. count_params()는 이동 평균·이동 분산도 셉니다.",
                value=9 * 304 + 2 * 304 + 304 * 256 + 2 * 256),
        Mistake("표준 3×3 합성곱으로 셌습니다. 분리 합성곱은 깊이별(9·C_in) + 점별(C_in·C_out)입니다.",
                value=9 * 304 * 256 + 4 * 256),
    ),
)


# ================================================================ 7강: 사전 학습 모델로 추론하기

def mean_iou_answer(matrix):
    """혼동 행렬(행 = 정답, 열 = 예측)에서 평균 IoU. 정답에도 예측에도 없는 클래스(합집합 0)는 빼고 평균합니다."""
    matrix = np.asarray(matrix, dtype=float)
    intersection = np.diag(matrix)
    union = matrix.sum(axis=0) + matrix.sum(axis=1) - intersection
    present = union > 0
    return float(np.mean(intersection[present] / union[present]))


def _miou_cases() -> list[Case]:
    rng = _rng(13)
    bird = np.zeros((4, 4), np.int64)
    bird[0, 0], bird[3, 0] = 18, 2                          # 새(3) 2화소를 모두 배경으로, 클래스 1·2는 없음
    cases = [Case({"matrix": bird}, "새를 놓친 4×5 영상(클래스 1, 2는 없음)")]
    for _ in range(4):
        size = int(rng.integers(3, 7))
        matrix = rng.integers(0, 20, size=(size, size))
        absent = int(rng.integers(0, size))
        matrix[absent, :] = 0
        matrix[:, absent] = 0                               # 정답에도 예측에도 없는 클래스 하나
        cases.append(Case({"matrix": matrix}, "무작위, 없는 클래스 하나"))
    only_predicted = np.array([[5, 1, 0], [0, 3, 0], [0, 0, 0]])
    only_predicted[0, 2] = 2                                # 클래스 2: 예측에만 나옴(IoU 0)
    cases.append(Case({"matrix": only_predicted}, "예측에만 나온 클래스"))
    cases.append(Case({"matrix": np.diag([4, 0, 7])}, "모두 맞힘"))
    return cases


def _miou_absent_as_zero(matrix):
    matrix = np.asarray(matrix, dtype=float)
    intersection = np.diag(matrix)
    union = matrix.sum(axis=0) + matrix.sum(axis=1) - intersection
    return float(np.mean(np.where(union > 0, intersection / np.maximum(union, 1), 0.0)))


def _miou_no_subtract(matrix):
    matrix = np.asarray(matrix, dtype=float)
    union = matrix.sum(axis=0) + matrix.sum(axis=1)
    present = union > 0
    return float(np.mean(np.diag(matrix)[present] / union[present]))


def _miou_recall(matrix):
    matrix = np.asarray(matrix, dtype=float)
    rows = matrix.sum(axis=1)
    return float(np.mean(np.diag(matrix)[rows > 0] / rows[rows > 0]))


def _miou_truth_classes_only(matrix):
    matrix = np.asarray(matrix, dtype=float)
    keep = matrix.sum(axis=1) > 0
    intersection = np.diag(matrix)
    union = matrix.sum(axis=0) + matrix.sum(axis=1) - intersection
    return float(np.mean(intersection[keep] / union[keep]))


def _pixel_accuracy(matrix):
    matrix = np.asarray(matrix, dtype=float)
    return float(np.trace(matrix) / matrix.sum())


MEAN_IOU = Exercise(
    id="mean-iou", lesson=7, kind="코드",
    title="혼동 행렬에서 평균 IoU",
    prompt="`mean_iou(matrix)`",
    hint="행 = 정답, 열 = 예측. 클래스 c의 IoU = 교집합 / 합집합 = M[c, c] / (행 c의 합 + 열 c의 합 − M[c, c]). "
         "합집합이 0인 클래스(정답에도 예측에도 없음)는 평균에서 뺍니다(5절).",
    solution="교집합은 대각선, 합집합은 행 합 + 열 합 − 대각선. 합집합이 0보다 큰 클래스만 골라 IoU를 평균합니다. "
             "예측에만 나온 클래스는 IoU 0으로 평균에 들어갑니다. `metrics.mean_iou` 와 같은 값입니다.",
    reference=lambda matrix: metrics.mean_iou(matrix), cases=_miou_cases, model_answer=mean_iou_answer,
    mistakes=(
        Mistake("정답에도 예측에도 없는 클래스를 IoU 0으로 평균에 넣었습니다. 합집합이 0인 클래스는 빼세요.",
                function=_miou_absent_as_zero),
        Mistake("합집합에서 교집합을 빼지 않았습니다. 행 합과 열 합은 대각선(교집합)을 두 번 셉니다.",
                function=_miou_no_subtract),
        Mistake("대각선을 행 합(정답 화소 수)으로만 나눴습니다(재현율). IoU의 분모에는 잘못 예측한 "
                "화소(열)도 들어갑니다.",
                function=_miou_recall),
        Mistake("정답에 있는 클래스만 평균했습니다. 예측에만 나온 클래스도 합집합이 0이 아니므로 "
                "IoU 0으로 들어갑니다.",
                function=_miou_truth_classes_only),
        Mistake("그것은 화소 정확도(대각선 합 / 전체)입니다. 평균 IoU는 클래스마다 IoU를 내고 평균합니다.",
                function=_pixel_accuracy),
    ),
)


def _run_resized_size() -> tuple[int, int]:
    from deeplab_lessons.pretrained import inference

    return inference.resize_longer_side(np.zeros((600, 800, 3), np.uint8), 513).size


RUN_RESIZED_SIZE = Exercise(
    id="run-resized-size", lesson=7, kind="값",
    title="`run` 이 줄인 영상의 크기",
    prompt="800×600 영상을 고정 그래프 모델(입력 513)의 `run` 에 넣으면 줄인 영상의 (너비, 높이)는?",
    hint="`run` 은 긴 변을 입력 크기로 맞추고 가로세로 비율을 지킵니다. 비율 = 513 / 긴 변, 각 변은 "
         "int(비율 × 변)으로 내림합니다(4절).",
    solution="비율 513 / 800 = 0.64125. 너비 int(0.64125 × 800) = 513, 높이 int(0.64125 × 600) = int(384.75) = 384. "
             "답은 (513, 384).",
    expected=_run_resized_size,
    mistakes=(
        Mistake("높이를 반올림했습니다. 원래 데모 코드는 int()로 내림합니다: int(384.75) = 384.", value=(513, 385)),
        Mistake("(너비, 높이) 순서입니다. PIL의 크기는 너비가 먼저입니다.", value=(384, 513)),
        Mistake("`run` 은 정사각형으로 늘리지 않고 비율을 지킵니다.", value=(513, 513)),
    ),
)

CLASS_IOU = Exercise(
    id="class-iou", lesson=7, kind="값", tolerance=0.0051,
    title="한 클래스의 IoU",
    prompt="정답 `[[0, 15, 15, 15], [0, 0, 15, 255]]`, 예측 `[[0, 15, 15, 0], [0, 15, 15, 15]]` 에서 사람(15)의 "
           "IoU는? (소수 둘째 자리)",
    hint="255 화소는 정답에서도 예측에서도 세지 않습니다. 교집합 = 둘 다 15인 화소, 합집합 = 어느 한쪽이라도 15인 화소"
         "(5절).",
    solution="255 자리를 빼면 정답의 15는 4화소, 예측의 15는 4화소, 둘 다 15는 3화소. 3 / (4 + 4 − 3) = 0.6.",
    expected=lambda: round(float(metrics.iou_per_class(metrics.confusion_matrix(
        np.array([[0, 15, 15, 15], [0, 0, 15, 255]]), np.array([[0, 15, 15, 0], [0, 15, 15, 15]])))[15]), 2),
    mistakes=(
        Mistake("정답이 255인 화소의 예측까지 셌습니다. 255 자리는 평가에서 통째로 뺍니다.", value=0.5),
        Mistake("교집합을 정답 화소 수로만 나눴습니다. 분모는 합집합(정답 ∪ 예측)입니다.", value=0.75),
        Mistake("합집합에서 교집합을 빼지 않았습니다: 4 + 4 − 3.", value=0.38),
    ),
)

PIXEL_ACCURACY = Exercise(
    id="pixel-accuracy", lesson=7, kind="값", tolerance=0.0051,
    title="화소 정확도(255 제외)",
    prompt="정답 `[[1, 1], [0, 255]]`, 예측 `[[1, 0], [0, 0]]` 의 화소 정확도는? (255는 세지 않음, 소수 둘째 자리)",
    hint="화소 정확도 = 맞은 화소 / 센 화소. 정답이 255인 화소는 분자에도 분모에도 넣지 않습니다.",
    solution="센 화소 3개 가운데 맞은 것 2개: 2 / 3 ≈ 0.67.",
    expected=lambda: round(metrics.pixel_accuracy(metrics.confusion_matrix(
        np.array([[1, 1], [0, 255]]), np.array([[1, 0], [0, 0]]))), 2),
    mistakes=(Mistake("255 화소까지 분모에 넣었습니다. 무시할 화소는 세지 않습니다.", value=0.5),),
)


def _bird_mean_iou() -> float:
    truth = np.zeros((4, 5), np.uint8)
    truth[1, 1:3] = 3
    return round(metrics.mean_iou(metrics.confusion_matrix(truth, np.zeros((4, 5), np.uint8))), 2)


MISSED_CLASS_MIOU = Exercise(
    id="missed-class-miou", lesson=7, kind="값", tolerance=0.0051,
    title="물체를 놓친 영상의 평균 IoU",
    prompt="4×5 영상에서 정답은 새(3) 2화소, 나머지 18화소는 배경입니다. 모델이 모두 배경으로 예측하면 화소 정확도는 "
           "0.9입니다. 평균 IoU는? (소수 둘째 자리)",
    hint="평균은 정답이나 예측에 나온 클래스(배경과 새)의 IoU로 냅니다. 놓친 새의 IoU는 0입니다.",
    solution="배경 IoU = 18 / 20 = 0.9, 새 IoU = 0 / 2 = 0. 평균 (0.9 + 0) / 2 = 0.45. "
             "화소 정확도(0.9)는 새를 놓친 것을 거의 드러내지 않습니다.",
    expected=_bird_mean_iou,
    mistakes=(
        Mistake("배경만 평균했습니다. 정답에 나온 새도 IoU 0으로 평균에 들어갑니다.", value=0.9),
        Mistake("영상에 없는 클래스(1, 2)까지 IoU 0으로 넣었습니다. 정답에도 예측에도 없는 클래스는 뺍니다.",
                value=0.23),
    ),
)


# ================================================================ 8강: 사전 학습 모델 들여다보기

def fold_batch_norm_answer(kernel, bias, gamma, beta, mean, variance, epsilon):
    """합성곱(kernel: (kh, kw, 입력, 출력), bias: (출력,)) 뒤의 배치 정규화를 접은 (가중치, 편향)."""
    scale = gamma / np.sqrt(variance + epsilon)        # 출력 채널마다 곱할 수 s = γ / √(σ² + ε)
    return kernel * scale, scale * (bias - mean) + beta


def _fold_reference(kernel, bias, gamma, beta, mean, variance, epsilon):
    from deeplab_lessons.pretrained import keras_rebuild

    return keras_rebuild.fold_batch_norm(kernel, bias, gamma, beta, mean, variance, epsilon)


def _fold_cases() -> list[Case]:
    rng = _rng(14)
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
    id="fold-batch-norm", lesson=8, kind="코드",
    title="배치 정규화를 합성곱에 접기",
    prompt="`fold_batch_norm(kernel, bias, gamma, beta, mean, variance, epsilon)`",
    hint="추론 때 배치 정규화는 γ·(z − μ)/√(σ² + ε) + β입니다. z = W*x + b를 넣고 정리하면, 출력 채널마다 "
         "s = γ/√(σ² + ε)를 곱한 가중치 s·W와 편향 s·(b − μ) + β가 나옵니다(4절).",
    solution="s = γ / √(σ² + ε)는 출력 채널마다 하나이고, 가중치의 마지막 축(출력)이 채널 축이므로 kernel * s로 "
             "곱하면 됩니다(NumPy가 마지막 축에 맞춰 늘립니다). 편향은 s·(b − μ) + β. "
             "`keras_rebuild.fold_batch_norm` 과 같은 값입니다.",
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
    id="rate4-growth", lesson=8, kind="값",
    title="팽창률 4의 블록이 넓히는 수용 영역",
    prompt="블록 14–16의 깊이별 합성곱(3×3, 팽창률 4, 보폭 1)은 출력 보폭 8의 특징 맵 위에 있습니다. 이 세 층이 "
           "수용 영역을 모두 몇 화소 넓힐까요?",
    hint="3강의 점화식: 층마다 RF += (k_eff − 1)·j. 유효 커널은 2절의 표에 있고, "
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
    return _same_padding_size(385, 8), _same_padding_size(385, 16)


ASPP_SIZES_385 = Exercise(
    id="aspp-sizes-385", lesson=8, kind="값",
    title="입력 385에서 `aspp0` 의 특징 맵",
    prompt="같은 가중치로 385 입력을 넣으면 `aspp0` 가 보는 특징 맵의 한 변은 출력 보폭 8과 16에서 각각 얼마일까요? "
           "`(출력 보폭 8, 출력 보폭 16)` 으로 적으세요.",
    hint="보폭 2(same 패딩)마다 ⌈n / 2⌉. 출력 보폭 8이면 세 번, 16이면 네 번입니다(6강 5절).",
    solution="385 → 193 → 97 → 49 (출력 보폭 8) → 25 (출력 보폭 16). 답은 (49, 25).",
    expected=_aspp_sizes_385,
    mistakes=(
        Mistake("내림했습니다. same 패딩은 단계마다 올림합니다.", value=(48, 24)),
        Mistake("순서가 바뀌었습니다: (출력 보폭 8, 출력 보폭 16). 출력 보폭이 작을수록 특징 맵이 큽니다.",
                value=(25, 49)),
    ),
)

STEM_RF = Exercise(
    id="stem-rf", lesson=8, kind="값",
    title="처음 두 합성곱의 수용 영역",
    prompt="이 모델의 처음 두 합성곱(3×3 보폭 2, 그 뒤 3×3 깊이별 보폭 1)만의 수용 영역은?",
    hint="3강의 점화식: RF = 1, j = 1에서 시작해 층마다 RF += (k − 1)·j, 그 다음 j *= s.",
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
    id="folded-depthwise-params", lesson=8, kind="값",
    title="접힌 깊이별 합성곱의 매개변수",
    prompt="64채널의 3×3 깊이별 합성곱(편향 없음) 뒤의 배치 정규화를 접으면, 접힌 층의 `count_params()` 는?",
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


# ================================================================ 9강: 시험 시점 다듬기

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
    rng = _rng(15)
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
    id="scale-flip-average", lesson=9, kind="코드",
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
    id="macs-factor", lesson=9, kind="값", tolerance=0.0051,
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
    id="crf-pair-count", lesson=9, kind="값",
    title="정확한 필터링의 화소 쌍",
    prompt="320×240 영상에서 정확한 필터링이 한 번에 다루는 화소 쌍의 수 $N^2$ 은?",
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
    id="scaled-input-size", lesson=9, kind="값",
    title="배율을 곱한 입력 크기",
    prompt="입력 513인 모델에서 배율 0.6의 입력 한 변(DeepLab의 `int((513 − 1)·s + 1)`)은?",
    hint="DeepLab의 scale_dimension은 513·s가 아니라 (513 − 1)·s + 1을 내림합니다(1절).",
    solution="int(512 × 0.6 + 1) = int(308.2) = 308.",
    expected=_scaled_input_size,
    mistakes=(Mistake("513 × 0.6 = 307.8을 내림했습니다. DeepLab의 식은 int((513 − 1)·s + 1)입니다.", value=307),),
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
    hint="띠 = 경계 화소(위·아래·왼쪽·오른쪽 이웃 중에 다른 클래스가 있는 화소)와, 경계 화소에서 체스판 거리 "
         "width − 1 = 1 안(대각선 이웃 포함)에 있는 화소. 먼저 경계 화소를 표시한 뒤 한 칸씩 넓혀 세세요.",
    solution="경계 화소는 사각형 안 4화소와, 사각형의 네 변에 붙은 바깥 8화소로 12화소입니다(대각선 모서리는 "
             "다른 클래스와 변을 맞대지 않아 경계 화소가 아님). 이 12화소를 3×3으로 한 번 넓히면 가운데 4×4 블록 "
             "16화소를 둘러싼 한 겹과 합쳐져 6×6 가운데에서 가장자리 모서리 네 칸을 뺀 32화소가 됩니다. "
             "`upsampling.boundary_band(mask, 2).sum()` 과 같습니다.",
    expected=lambda: int(upsampling.boundary_band(_band_mask(), 2).sum()),
    mistakes=(
        Mistake("그것은 폭 1의 띠(경계 화소만)입니다. 체스판 거리 1만큼 한 번 넓히세요.", value=12),
        Mistake("4-이웃(대각선 제외)으로 넓혔습니다. 9강과 같이 대각선 이웃도 거리 1(체스판 거리)입니다.", value=24),
        Mistake("한 번 더 넓혔습니다. 폭 w의 띠는 경계 화소에서 w − 1번 넓힙니다.", value=36),
    ),
)


def boundary_band_answer(mask, width):
    """경계 화소(4-이웃에 다른 클래스)에서 체스판 거리 width − 1 안의 화소를 True로."""
    height, width_px = mask.shape
    edge = np.zeros(mask.shape, bool)
    for y in range(height):
        for x in range(width_px):
            for yy, xx in ((y - 1, x), (y + 1, x), (y, x - 1), (y, x + 1)):
                if 0 <= yy < height and 0 <= xx < width_px and mask[yy, xx] != mask[y, x]:
                    edge[y, x] = True
    band = np.zeros(mask.shape, bool)
    for y, x in zip(*np.nonzero(edge), strict=True):
        band[max(0, y - width + 1):y + width, max(0, x - width + 1):x + width] = True
    return band


def _band_cases() -> list[Case]:
    rng = _rng(8)
    cases = [Case({"mask": _band_mask(), "width": 1}, "2×2 사각형"),
             Case({"mask": _band_mask(), "width": 3}, "2×2 사각형, 폭 3"),
             Case({"mask": np.zeros((4, 5), np.uint8), "width": 2}, "한 클래스뿐(띠 없음)")]
    for _ in range(4):
        mask = np.zeros((int(rng.integers(6, 10)), int(rng.integers(6, 10))), np.uint8)
        for label in (1, 2):
            top, left = int(rng.integers(0, mask.shape[0] - 2)), int(rng.integers(0, mask.shape[1] - 2))
            mask[top:top + int(rng.integers(2, 5)), left:left + int(rng.integers(2, 5))] = label
        cases.append(Case({"mask": mask, "width": int(rng.integers(2, 4))}, "무작위 사각형 둘"))
    return cases


def _band_diamond(mask, width):
    band = upsampling.boundary_band(mask, 1)
    for _ in range(width - 1):
        grown = band.copy()
        grown[:-1] |= band[1:]
        grown[1:] |= band[:-1]
        grown[:, :-1] |= band[:, 1:]
        grown[:, 1:] |= band[:, :-1]
        band = grown
    return band


def _band_one_side(mask, width):
    return upsampling.boundary_band(mask, width) & (mask != 0)


BOUNDARY_BAND = Exercise(
    id="boundary-band", lesson=10, kind="코드",
    title="경계 띠 만들기",
    prompt="`boundary_band(mask, width)`",
    hint="먼저 경계 화소(위·아래·왼쪽·오른쪽 이웃 중에 다른 클래스가 있는 화소)를 찾고, 그 화소들을 체스판 거리 "
         "width − 1만큼(대각선 포함, 3×3으로 width − 1번) 넓히세요. 경계의 양쪽이 모두 띠에 들어갑니다. "
         "9강의 경계 띠 정확도와 같은 띠입니다.",
    solution="경계 화소마다 그 둘레의 (2·width − 1)×(2·width − 1) 정사각형을 True로 칠합니다. "
             "(패키지의 `upsampling.boundary_band` 는 같은 띠를 경계 화소에서 시작해 3×3 팽창을 width − 1번 해서 "
             "만듭니다.)",
    reference=lambda mask, width: upsampling.boundary_band(mask, width),
    cases=_band_cases, model_answer=boundary_band_answer,
    mistakes=(
        Mistake("4-이웃으로 넓혔습니다(대각선 한 칸 = 거리 2). 넓힐 때는 대각선 이웃도 거리 1(체스판 거리)입니다.",
                function=_band_diamond),
        Mistake("폭이 하나 어긋납니다(off-by-one). 폭 1은 경계 화소만, 폭 w는 경계 화소에서 w − 1번 넓힌 띠입니다.",
                function=lambda mask, width: upsampling.boundary_band(mask, width + 1)),
        Mistake("폭이 하나 어긋납니다(off-by-one). 폭 1은 경계 화소만, 폭 w는 경계 화소에서 w − 1번 넓힌 띠입니다.",
                function=lambda mask, width: upsampling.boundary_band(mask, width - 1) if width > 1
                else np.zeros(mask.shape, bool)),
        Mistake("경계의 한쪽(물체 안쪽)만 넣었습니다. 배경 쪽 화소도 다른 클래스와 맞닿으면 경계 화소입니다.",
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

EXPERIMENT_CHANGE = Exercise(
    id="experiment-change", lesson=10, kind="토론",
    title="구성 하나를 바꿔 다시 재기",
    prompt="5절의 한 구성을 한 곳만 바꿔 다시 학습하고, 저장된 기준(5절의 결과)과 같은 시드끼리 견줘 보세요.",
    hint="한 번에 하나만 바꾸고(예: {\"image_pooling\": False}), 바꾸기 전에 무엇을 기대하는지 적으세요. 판정은 "
         "시드마다의 차가 모두 같은 부호이고 평균이 표준편차보다 클 때만 '좋아짐'·'나빠짐'입니다.",
    solution="무엇을 바꿨든 읽는 법은 같습니다. (1) 짝지은 차의 평균과 표준편차를 보고, 판정이 "
             "'잴 수 있는 차 없음'이면 결론을 내리지 않습니다. (2) 차가 있으면 원인을 1절의 표(수용 영역, "
             "특징 맵 크기)와 맞는 말로 씁니다. 예: v3+에서 이미지 수준 풀링을 빼도 문맥 클래스 IoU에 잴 수 있는 "
             "차가 없다면, 이 64×64 장면에서는 백본의 수용 영역이 이미 테두리까지 닿기 때문입니다(5절과 같은 이유). "
             "ASPP의 팽창률을 논문 값(12·24·36)으로 바꾸면 8×8 특징 맵에서 3×3 가지의 바깥 칸이 모두 패딩에 떨어져 "
             "1×1과 같아집니다(4강). 클래스 가중치를 더하면 작은 원의 IoU는 오르기 쉽고, 다른 클래스를 작은 원으로 "
             "칠하는 화소가 늘어 평균 IoU는 그만큼 오르지 않을 수 있습니다(6절). 시드 3개로는 큰 차만 보이니, "
             "작은 차를 보려면 FULL = True(시드 다섯)로 다시 재세요.",
)


#: id → 문제. 강의 순서(지금의 번호)대로.
BANK: dict[str, Exercise] = {exercise.id: exercise for exercise in (
    CLASS_PIXELS, LOGITS_SHAPE, POOLED_FEATURE_SIZE,
    TRANSPOSED_1D, TRANSPOSED_OUTPUT_SIZE, BILINEAR_KERNEL_SIZE, OVERLAP_PATTERN, SCORE_MAP_SIZE, UNET_DEEPEST_SKIP,
    BAND_WIDTH_DISCUSSION,
    ATROUS_1D, ATROUS_OUTPUT_SIZE, EFFECTIVE_KERNEL, CONV_PARAMS, OS8_FEATURE_SIZE,
    RF_RECURRENCE, RF_RATES_STACK, RF_STEM, GRIDDING_HOLES, HDC_M2, HDC_DISCUSSION,
    ASPP_BRANCHES, ASPP_COUNT, ASPP_V3_PARAMS, CENTER_TAP_SHARE, ASPP_V2_HEAD,
    INVERTED_RESIDUAL_PARAMS, SEPARABLE_PARAMS, STANDARD_MACS, SEPARABLE_SAVING, KERAS_CHANNELS, SHORTCUT_COUNT,
    DECODER_SIZES, ASPP_FEATURE_SIZE, DECODER_UPSAMPLING, DECODER_SEPCONV_PARAMS,
    MEAN_IOU, RUN_RESIZED_SIZE, CLASS_IOU, PIXEL_ACCURACY, MISSED_CLASS_MIOU,
    FOLD_BATCH_NORM, RATE4_GROWTH, ASPP_SIZES_385, STEM_RF, FOLDED_DEPTHWISE_PARAMS,
    SCALE_FLIP_AVERAGE, MACS_FACTOR, CRF_PAIR_COUNT, SCALED_INPUT_SIZE,
    FEATURE_MAP_SIZE, BAND_PIXELS, BOUNDARY_BAND, MASKED_CROSS_ENTROPY, EXPERIMENT_CHANGE,
)}
