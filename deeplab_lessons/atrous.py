"""아트러스 합성곱(atrous convolution)을 NumPy로 처음부터.

딥러닝의 "합성곱"은 커널을 뒤집지 않는 상호상관(cross-correlation)이며, TF/Keras와 같은 규칙을
씁니다. 배열 모양은 TF와 같습니다: 입력 ``(N, H, W, C_in)``, 커널 ``(k_h, k_w, C_in, C_out)``,
출력 ``(N, H', W', C_out)``.

팽창률(rate) r의 아트러스 합성곱은 커널 탭 사이에 r − 1칸씩 띄워 입력을 읽습니다:
``y[i] = Σ_k x[i + r·k] · w[k]``. 가중치 수와 출력 한 칸당 곱셈-덧셈 수는 r에 상관없이 같고,
커널이 덮는 폭(유효 커널 크기)만 ``k + (k − 1)(r − 1)`` 로 넓어집니다.
"""

from __future__ import annotations

import math

import numpy as np

from deeplab_lessons.errors import bad_argument, check_choice, check_float_array, check_int, josa

PADDINGS = ("same", "valid")
# 배열의 모양이 틀렸을 때 오류 메시지 끝에 붙이는 축 순서 안내
_LAYOUT = "입력은 (N, H, W, C), 커널은 (k_h, k_w, C_in, C_out) 순서입니다."


# ---------------------------------------------------------------- 크기 계산

def effective_kernel_size(kernel_size: int, rate: int = 1) -> int:
    """팽창률 ``rate`` 의 커널이 실제로 덮는 폭: ``k + (k − 1)(r − 1)`` (화소).

    Raises:
        DeepLabLessonsError: ``kernel_size`` 나 ``rate`` 가 1 이상의 정수가 아닐 때.
    """
    kernel_size = check_int("kernel_size", kernel_size)
    rate = check_int("rate", rate)
    return kernel_size + (kernel_size - 1) * (rate - 1)


def output_size(input_size: int, kernel_size: int, stride: int = 1, rate: int = 1,
                padding: str = "same") -> int:
    """한 축의 출력 길이(TF 규칙).

    - ``same``: ``ceil(n / s)`` — 0을 덧대어 커널이 가장자리 밖으로 나가도 됩니다.
    - ``valid``: ``floor((n − k_eff) / s) + 1`` — 커널이 입력 안에 완전히 들어갈 때만 출력합니다.

    Raises:
        DeepLabLessonsError: 인자가 잘못되었거나, ``valid`` 에서 유효 커널이 입력보다 클 때.
    """
    n = check_int("input_size", input_size)
    stride = check_int("stride", stride)
    k_eff = effective_kernel_size(kernel_size, rate)
    check_choice("padding", padding, PADDINGS)
    if padding == "same":
        return math.ceil(n / stride)
    if k_eff > n:
        raise bad_argument(
            "kernel_size와 rate", (kernel_size, rate),
            f"padding='valid'에서 유효 커널 크기 {josa(k_eff, '가')} 입력 길이 {n} 이하가 되게 해야 합니다",
            "rate나 kernel_size를 줄이거나 padding='same'을 쓰세요.")
    return (n - k_eff) // stride + 1


def same_padding(input_size: int, kernel_size: int, stride: int = 1,
                 rate: int = 1) -> tuple[int, int]:
    """``same`` 에서 한 축의 앞·뒤에 덧대는 0의 개수(TF 규칙: 홀수면 뒤쪽이 하나 더 많음)."""
    k_eff = effective_kernel_size(kernel_size, rate)
    out = math.ceil(input_size / stride)
    total = max((out - 1) * stride + k_eff - input_size, 0)
    return total // 2, total - total // 2


def conv_cost(kernel_size: int, in_channels: int, out_channels: int, rate: int = 1,
              use_bias: bool = True) -> dict[str, int]:
    """합성곱 한 층의 매개변수 수, 출력 한 칸당 곱셈-덧셈 수, 유효 커널 크기.

    ``rate`` 는 유효 커널 크기만 바꾸고 앞의 둘은 바꾸지 않는다는 것이 atrous_convolution 노트북의 요점입니다.
    """
    k = check_int("kernel_size", kernel_size)
    c_in = check_int("in_channels", in_channels)
    c_out = check_int("out_channels", out_channels)
    weights = k * k * c_in * c_out
    return {
        "params": weights + (c_out if use_bias else 0),
        "macs_per_output": weights,
        "effective_kernel": effective_kernel_size(k, rate),
    }


# ---------------------------------------------------------------- 1차원

def atrous_conv1d(signal, kernel, rate: int = 1) -> np.ndarray:
    """1차원 아트러스 합성곱(``valid``): ``y[i] = Σ_k x[i + r·k] · w[k]``.

    Args:
        signal: 길이 n의 1차원 배열.
        kernel: 길이 k의 1차원 배열.
        rate: 탭 간격 r(1이면 보통 합성곱).

    Returns:
        길이 ``n − k_eff + 1`` 의 배열.

    Raises:
        DeepLabLessonsError: 1차원 배열이 아니거나, 유효 커널이 신호보다 길 때.
    """
    x = _as_float_array("signal", signal, ndim=1)
    w = _as_float_array("kernel", kernel, ndim=1)
    k_eff = effective_kernel_size(len(w), rate)
    output_size(len(x), len(w), 1, rate, "valid")  # 길이 검사
    windows = np.lib.stride_tricks.sliding_window_view(x, k_eff)[:, ::rate]
    return windows @ w


def dilate_kernel(kernel, rate: int) -> np.ndarray:
    """커널 탭 사이에 0을 ``rate − 1`` 개씩 끼운(팽창시킨) 커널을 만듭니다.

    1차원 커널은 그 축을, 2차원 이상(``(k_h, k_w, ...)``)은 앞의 두 공간 축을 팽창시킵니다.
    이 커널로 하는 보통 합성곱(rate 1)은 원래 커널의 아트러스 합성곱과 같습니다.
    """
    w = np.asarray(kernel)
    rate = check_int("rate", rate)
    spatial = 1 if w.ndim == 1 else 2
    shape = list(w.shape)
    for axis in range(spatial):
        shape[axis] = effective_kernel_size(w.shape[axis], rate)
    out = np.zeros(shape, dtype=w.dtype)
    out[(slice(None, None, rate),) * spatial] = w
    return out


# ---------------------------------------------------------------- 2차원

def atrous_conv2d(inputs, kernel, rate: int = 1, stride: int = 1, padding: str = "same",
                  bias=None) -> np.ndarray:
    """2차원 아트러스 합성곱을 NumPy로 계산합니다(TF의 ``tf.nn.convolution`` 과 같은 규칙).

    화소마다 도는 파이썬 반복은 없습니다. 커널의 탭 ``(i, j)`` 마다(3×3이면 9번) 입력에서
    ``r·i, r·j`` 만큼 밀린 부분 격자를 한 번에 잘라 ``(C_in → C_out)`` 행렬곱을 더합니다.

    Args:
        inputs: ``(N, H, W, C_in)`` 또는 ``(H, W, C_in)`` 배열.
        kernel: ``(k_h, k_w, C_in, C_out)`` 배열.
        rate: 팽창률 r (1 이상의 정수).
        stride: 보폭 s (1 이상의 정수). TF와 달리 rate와 함께 써도 됩니다.
        padding: ``"same"`` 또는 ``"valid"``.
        bias: ``(C_out,)`` 편향(선택).

    Returns:
        ``(N, H', W', C_out)`` float 배열(입력이 3차원이면 ``(H', W', C_out)``).

    Raises:
        DeepLabLessonsError: 모양·채널 수가 맞지 않거나, 인자가 허용 범위 밖일 때.
    """
    x = _as_float_array("inputs", inputs, ndim=(3, 4))
    squeeze = x.ndim == 3
    if squeeze:
        x = x[None]
    w = _as_float_array("kernel", kernel, ndim=4)
    if w.shape[2] != x.shape[3]:
        raise bad_argument(
            "kernel의 입력 채널 수", w.shape[2],
            f"입력의 채널 수 {josa(x.shape[3], '와')} 같아야 합니다(kernel 모양: (k_h, k_w, C_in, C_out))")
    rate = check_int("rate", rate)
    stride = check_int("stride", stride)
    check_choice("padding", padding, PADDINGS)
    (kh, kw), (h, w_) = w.shape[:2], x.shape[1:3]
    out_h = output_size(h, kh, stride, rate, padding)
    out_w = output_size(w_, kw, stride, rate, padding)
    if padding == "same":
        pads = (same_padding(h, kh, stride, rate), same_padding(w_, kw, stride, rate))
        x = np.pad(x, ((0, 0), pads[0], pads[1], (0, 0)))
    out = np.zeros((x.shape[0], out_h, out_w, w.shape[3]), dtype=np.result_type(x, w))
    for i in range(kh):
        for j in range(kw):
            rows = slice(i * rate, i * rate + (out_h - 1) * stride + 1, stride)
            cols = slice(j * rate, j * rate + (out_w - 1) * stride + 1, stride)
            out += x[:, rows, cols, :] @ w[i, j]
    if bias is not None:
        out += _as_float_array("bias", bias, ndim=1)
    return out[0] if squeeze else out


def atrous_conv2d_space_to_batch(inputs, kernel, rate: int, padding: str = "same") -> np.ndarray:
    """보폭 1의 아트러스 합성곱을 "공간 → 배치(space-to-batch)" 방법으로 계산합니다.

    입력을 r×r개의 위상(phase)으로 나눠 ``x[a::r, b::r]`` 을 배치 축에 쌓으면, 각 부분 영상에서는
    팽창률 r의 탭이 이웃한 화소가 됩니다. 그래서 보통 합성곱(rate 1, ``valid``)을 한 번 하고 결과를
    다시 끼워 맞추면(batch → space) 아트러스 합성곱과 같습니다. ``tf.nn.atrous_conv2d`` 가 쓰는 방법입니다.

    Args와 Returns는 :func:`atrous_conv2d` 와 같습니다(``stride`` 는 1로 고정).
    """
    x = _as_float_array("inputs", inputs, ndim=4)
    w = _as_float_array("kernel", kernel, ndim=4)
    rate = check_int("rate", rate)
    check_choice("padding", padding, PADDINGS)
    kh, kw = w.shape[:2]
    n, h, w_, c = x.shape
    out_h = output_size(h, kh, 1, rate, padding)
    out_w = output_size(w_, kw, 1, rate, padding)
    if padding == "same":
        pads = (same_padding(h, kh, 1, rate), same_padding(w_, kw, 1, rate))
        x = np.pad(x, ((0, 0), pads[0], pads[1], (0, 0)))
    # 높이·너비를 rate의 배수로 맞춥니다(끝에 0을 덧댐).
    hp, wp = -(-x.shape[1] // rate) * rate, -(-x.shape[2] // rate) * rate
    x = np.pad(x, ((0, 0), (0, hp - x.shape[1]), (0, wp - x.shape[2]), (0, 0)))
    # (N, hp/r, r, wp/r, r, C) → (r, r, N, hp/r, wp/r, C) → 배치 r·r·N
    batch = x.reshape(n, hp // rate, rate, wp // rate, rate, c).transpose(2, 4, 0, 1, 3, 5)
    batch = batch.reshape(rate * rate * n, hp // rate, wp // rate, c)
    y = atrous_conv2d(batch, w, rate=1, padding="valid")
    # 배치 → 공간: (r, r, N, h', w', C_out) → (N, h', r, w', r, C_out)
    y = y.reshape(rate, rate, n, *y.shape[1:]).transpose(2, 3, 0, 4, 1, 5)
    y = y.reshape(n, y.shape[1] * rate, y.shape[3] * rate, -1)
    return y[:, :out_h, :out_w, :]


# ---------------------------------------------------------------- 출력 보폭

#: 보폭을 팽창률로 바꾸는 두 관례(:func:`convert_strides_to_rates`).
CONVENTIONS = ("layer", "stage")


def convert_strides_to_rates(strides, output_stride: int, *, convention: str,
                             input_stride: int = 1) -> list[tuple[int, int]]:
    """원래 보폭들을, 원하는 출력 보폭(output stride)에 맞춘 ``(보폭, 팽창률)`` 로 바꿉니다(DeepLab의 규칙).

    누적 보폭이 ``output_stride`` 에 닿은 뒤에는 해상도를 줄이던 보폭을 1로 두고, 잃은 간격을 팽창률에 곱합니다.
    규칙은 하나이고, 목록의 한 칸이 무엇인지에 따라 **그 칸에 적는 팽창률** 만 다릅니다.

    - ``convention="layer"``: 한 칸 = 층 하나. 보폭이 1로 바뀐 층 자신은 지금까지의 팽창률을 쓰고, 그 **뒤의 층들**
      이 보폭만큼 곱한 팽창률을 씁니다. DeepLab 코드(``resnet_utils.stack_blocks_dense``, ``xception.py``,
      ``mobilenet`` 의 ``conv_blocks``)가 층마다 하는 일입니다: ``layer_stride = 1; layer_rate = rate;
      rate *= stride``.
    - ``convention="stage"``: 한 칸 = 입구에서 해상도를 줄이는 단계(ResNet의 conv3_x–conv5_x처럼). 적는 팽창률은
      그 단계의 층들이 입구 뒤에서 쓰는 값이므로, 보폭이 1로 바뀐 단계부터 곱한 팽창률입니다. 논문이 블록마다
      적는 값("출력 보폭 16이면 block4의 팽창률 2", DeepLab v3)과 같습니다.

    두 관례는 같은 네트워크를 다르게 적을 뿐입니다: 보폭 ``(2, 2, 2, 2, 2)``, 출력 보폭 8이면 ``"layer"`` 는 뒤의
    두 칸이 ``(1, 1), (1, 2)`` (그 뒤 층들은 4), ``"stage"`` 는 ``(1, 2), (1, 4)`` 입니다.

    Args:
        strides: 칸마다 원래 보폭(예: ResNet의 다섯 단계 ``(2, 2, 2, 2, 2)``, 누적 32).
        output_stride: 원하는 출력 보폭(누적 보폭 중 하나, 예: 8, 16, 32).
        convention: ``"layer"`` 또는 ``"stage"`` (위 설명).
        input_stride: 목록 앞에서 이미 쌓인 보폭(예: 목록에 없는 첫 합성곱의 보폭 2).

    Returns:
        칸마다 ``(보폭, 팽창률)`` 목록. 팽창률은 칸의 원래 팽창률에 곱할 배수입니다.

    Raises:
        DeepLabLessonsError: ``output_stride`` 가 누적 보폭으로 만들 수 없는 값이거나 ``convention`` 이
            ``"layer"``/``"stage"`` 가 아닐 때.
    """
    convention = check_choice("convention", convention, CONVENTIONS)
    strides = [check_int("strides의 원소", s) for s in strides]
    output_stride = check_int("output_stride", output_stride)
    current = check_int("input_stride", input_stride)
    reachable = [current * math.prod(strides[:i]) for i in range(len(strides) + 1)]
    if output_stride not in reachable:
        raise bad_argument("output_stride", output_stride,
                           f"누적 보폭 중 하나여야 합니다: {sorted(set(reachable))}")
    rate, result = 1, []
    for s in strides:
        if current * s > output_stride:
            result.append((1, rate * s if convention == "stage" else rate))
            rate *= s
        else:
            current *= s
            result.append((s, rate))
    return result


# ---------------------------------------------------------------- 내부 도우미

def _as_float_array(name: str, value, ndim) -> np.ndarray:
    """:func:`~deeplab_lessons.errors.check_float_array` 에 이 모듈의 축 순서 안내를 붙여 부릅니다."""
    return check_float_array(name, value, ndim, _LAYOUT)
