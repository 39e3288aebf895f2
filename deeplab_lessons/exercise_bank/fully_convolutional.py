"""분류기에서 조밀한 예측기로(01_fully_convolutional.ipynb)의 연습문제."""

from __future__ import annotations

import numpy as np

from deeplab_lessons import atrous, upsampling
from deeplab_lessons.exercise_bank._shared import seeded_rng
from deeplab_lessons.grading import Case, Exercise, Mistake


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
    """기준: :func:`upsampling.conv_transpose2d` 를 높이 1, 채널 1로."""
    x, w = np.asarray(x, dtype=float), np.asarray(w, dtype=float)
    return upsampling.conv_transpose2d(x[None, :, None], w[None, :, None, None], stride, "valid")[0, :, 0]


def _transposed_1d_cases() -> list[Case]:
    rng = seeded_rng(10)
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


def _transposed_1d_textbook(x, w, stride):
    """교과서의 길이 (n − 1)·s + k: Keras의 결과에서 k < s 일 때 끝에 붙는 0 s − k개를 뺀 것."""
    return _transposed_1d_reference(x, w, stride)[:(len(x) - 1) * stride + len(w)]


TRANSPOSED_1D = Exercise(
    id="transposed-1d", kind="코드",
    title="1차원 전치 합성곱을 처음부터",
    prompt="`conv_transpose1d(x, w, stride)`",
    hint="입력 칸 a마다 도장 x[a]·w를 출력의 stride·a 자리부터 찍고, 겹치는 곳은 더합니다(3절의 도장 그림). "
         "출력 길이는 (n − 1)·stride + k입니다(커널이 보폭보다 짧을 때 Keras처럼 (n − 1)·stride + max(k, stride)로 "
         "끝에 0을 두어도 정답으로 받습니다).",
    solution="길이 (n − 1)·s + max(k, s)의 0 배열을 만들고, a = 0 … n − 1마다 y[s·a : s·a + k] += x[a]·w. "
             "0을 끼운 입력(칸 사이에 s − 1개)과 w의 보통 합성곱(np.convolve, 'full')과도 같습니다. "
             "길이의 관례는 둘입니다: 교과서(Dumoulin & Visin)의 (n − 1)·s + k와, 커널이 보폭보다 짧으면 도장이 덮지 "
             "못한 끝 칸까지 0으로 두는 Keras·TF의 (n − 1)·s + max(k, s). k ≥ s 이면 둘이 같고, 채점기는 둘 다 "
             "받습니다.",
    reference=_transposed_1d_reference, cases=_transposed_1d_cases, model_answer=conv_transpose1d_answer,
    also_accept=_transposed_1d_textbook,
    mistakes=(
        Mistake("보폭을 쓰지 않았습니다(도장 간격 1). 도장은 stride칸마다 찍습니다: y[stride·a + j] += x[a]·w[j].",
                function=_tconv_no_stride),
        Mistake("출력 끝에 0이 남습니다(off-by-one). 0을 끼울 때 마지막 입력 뒤에는 붙이지 않습니다: "
                "출력 길이는 (n − 1)·stride + k입니다.", function=_tconv_trailing_zeros),
        Mistake("도장 간격을 커널 길이로 했습니다. 도장 사이의 간격은 보폭(stride)이고, 커널이 더 길면 "
                "겹쳐 더해집니다.",
                function=_tconv_kernel_spacing),
    ),
)

TRANSPOSED_OUTPUT_SIZE = Exercise(
    id="transposed-output-size", kind="값",
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
    id="bilinear-kernel-size", kind="값",
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
    id="overlap-pattern", kind="값",
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
    id="score-map-size", kind="값",
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
    id="unet-deepest-skip", kind="값",
    title="U-Net의 가장 깊은 건너뛰기 연결",
    prompt="기본 채널 16, 풀링 5번의 U-Net에 513×513 영상을 넣으면, 가장 깊은 건너뛰기 연결이 디코더로 가져오는 "
           "특징은 몇 채널이고 한 변이 몇 화소일까요? `(채널, 한 변)`으로 적으세요. 이 U-Net은 "
           "`encoder_decoder.unet`과 같은 규칙으로 "
           "만듭니다: 인코더 단계 d(0부터)의 채널은 16·2^d(풀링할 때마다 두 배), 건너뛰기 특징은 각 풀링 **바로 "
           "앞**에서 "
           "가져오고, 풀링은 `same` 패딩이라 한 변이 ⌈n / 2⌉가 됩니다.",
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
    id="band-width-discussion", kind="토론",
    title="경계 띠를 넓히면",
    prompt="6절의 `fcn_errors`에서 경계 띠의 폭을 4에서 8로 넓히면, FCN-32s의 \"띠 밖에서\" 오차는 어떻게 변할까요?",
    hint="FCN-32s의 틀린 화소가 어디에 몰려 있는지(경계 띠에서 %와 띠 밖에서 %)를 보세요.",
    solution="줄어듭니다. 이상적인 점수를 32배로 키운 예측은 클래스가 바뀌는 곳 근처에서만 틀리므로, 틀린 화소 "
             "대부분이 경계 가까이에 있습니다. 띠를 넓히면 그 가운데 경계에서 4–8화소 떨어진 틀린 화소들이 띠 안으로 "
             "들어가 띠 밖의 오차율이 작아집니다. 띠의 넓이는 커지고, 띠 안의 오차율도 (맞은 화소가 더 많이 섞여) "
             "작아집니다. 전체 틀린 화소 %는 그대로입니다: 띠는 화소를 나눌 뿐입니다. "
             "`fcn_errors(seed, band_width=8)`로 바꿔 실행해 확인하세요.",
)
