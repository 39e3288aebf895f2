"""분류기에서 조밀한 예측기로: 전치 합성곱(transposed convolution)과 업샘플링(upsampling)을 NumPy로.

완전 합성곱 네트워크(FCN)의 거친 점수 지도(입력의 1/32)를 입력 크기로 되돌리는 도구를 처음부터 만듭니다.

- :func:`conv_transpose2d`: 전치 합성곱. 배열 모양은 TF와 같습니다: 입력 ``(N, H, W, C_in)``,
  커널 ``(k_h, k_w, C_out, C_in)`` (``tf.nn.conv2d_transpose`` 와 ``keras.layers.Conv2DTranspose`` 의
  순서), 출력 ``(N, H', W', C_out)``. 같은 보폭·패딩의 보통 합성곱이 ``H'`` 를 ``H`` 로 줄이는 계산의
  "거꾸로"(기울기)입니다.
- :func:`conv_transpose2d_by_zero_insertion`: 같은 계산을 "입력 화소 사이에 0을 끼우고 보통 합성곱"으로.
- :func:`bilinear_kernel`, :func:`bilinear_upsample`: FCN이 쓴 고정 쌍선형 커널의 전치 합성곱.
- :func:`overlap_counts`, :func:`checkerboard_strength`, :func:`resize_then_convolve`: 체커보드 현상.
- :func:`boundary_band`: 물체 경계 근처의 띠(업샘플링이 틀리는 곳을 재는 자). FCN-32s/16s/8s의 건너뛰기 연결은
  :mod:`deeplab_lessons.skip_connections` 에 있습니다.

NumPy만 씁니다. 필요한 작은 합성곱도 스스로 계산합니다(아트러스 합성곱 모듈 없이 읽히도록).
"""

from __future__ import annotations

import numpy as np

from deeplab_lessons.errors import DeepLabLessonsError, bad_argument, check_choice, check_float_array, check_int, josa

PADDINGS = ("same", "valid")
# 배열의 모양이 틀렸을 때 오류 메시지 끝에 붙이는 축 순서 안내
_LAYOUT = "입력은 (N, H, W, C), 전치 합성곱 커널은 (k_h, k_w, C_out, C_in) 순서입니다."


# ---------------------------------------------------------------- 출력 크기

def transposed_output_size(input_size: int, kernel_size: int, stride: int,
                           padding: str = "valid") -> int:
    """전치 합성곱의 기본 출력 길이(한 축, Keras ``Conv2DTranspose`` 의 규칙).

    - ``same``: ``n·s``
    - ``valid``: ``(n − 1)·s + k`` (``k < s`` 이면 ``n·s``: 커널이 덮지 못한 칸도 0으로 채워 둡니다)

    Raises:
        DeepLabLessonsError: 인자가 1 이상의 정수가 아니거나 패딩이 ``same``/``valid`` 가 아닐 때.
    """
    n = check_int("input_size", input_size)
    k = check_int("kernel_size", kernel_size)
    s = check_int("stride", stride)
    check_choice("padding", padding, PADDINGS)
    if padding == "same":
        return n * s
    return (n - 1) * s + max(k, s)


def transposed_output_range(input_size: int, kernel_size: int, stride: int,
                            padding: str = "valid") -> range:
    """전치 합성곱이 만들 수 있는 출력 길이의 범위(한 축).

    같은 보폭·패딩의 보통 합성곱이 길이 ``m`` 을 ``n`` 으로 줄인다면, 전치 합성곱은 ``n`` 을 ``m`` 으로
    키울 수 있습니다. 보폭 ``s`` 의 합성곱은 ``s`` 개의 서로 다른 ``m`` 을 같은 ``n`` 으로 보내므로,
    전치 합성곱에는 ``output_size`` 로 그중 하나를 골라 줘야 합니다(``tf.nn.conv2d_transpose`` 의
    ``output_shape``).

    - ``same``: ``(n − 1)·s + 1`` … ``n·s``
    - ``valid``: ``(n − 1)·s + k`` … ``(n − 1)·s + k + s − 1``
    """
    n = check_int("input_size", input_size)
    k = check_int("kernel_size", kernel_size)
    s = check_int("stride", stride)
    check_choice("padding", padding, PADDINGS)
    low = (n - 1) * s + (1 if padding == "same" else k)
    return range(low, low + s)


def _pad_before(output_size: int, input_size: int, kernel_size: int, stride: int, padding: str) -> int:
    """보통 합성곱(출력 길이 → 입력 길이)이 앞쪽에 덧대는 0의 수(TF 규칙: 홀수면 뒤쪽이 하나 더 많음)."""
    if padding == "valid":
        return 0
    total = max((input_size - 1) * stride + kernel_size - output_size, 0)
    return total // 2


# ---------------------------------------------------------------- 전치 합성곱

def conv_transpose2d(inputs, kernel, stride: int, padding: str = "valid", output_size=None,
                     bias=None) -> np.ndarray:
    """2차원 전치 합성곱을 NumPy로 계산합니다(``tf.nn.conv2d_transpose`` 와 같은 규칙).

    입력 화소 하나가 커널 전체(``k×k``)에 자기 값을 곱해 출력에 "도장 찍듯" 더합니다. 도장 사이의 간격이
    보폭 ``s`` 이고, 겹치는 곳은 더해집니다. 화소마다 도는 반복은 없습니다: 커널의 탭 ``(i, j)`` 마다
    입력 전체를 ``(C_in → C_out)`` 행렬곱으로 한 번에 옮겨, 출력 격자의 ``(i + s·a, j + s·b)`` 칸들에
    더합니다(3×3이면 반복 9번). 마지막으로 ``same`` 패딩이면 보통 합성곱이 덧댔을 만큼 가장자리를 잘라냅니다.

    Args:
        inputs: ``(N, H, W, C_in)`` 또는 ``(H, W, C_in)`` 배열.
        kernel: ``(k_h, k_w, C_out, C_in)`` 배열(TF의 전치 합성곱 커널 순서).
        stride: 보폭 s (1 이상의 정수, 두 축에 같게).
        padding: ``"same"`` 또는 ``"valid"``.
        output_size: 출력 ``(H', W')`` 또는 정수 하나(두 축에 같게). ``None`` 이면
            :func:`transposed_output_size` 의 기본값.
        bias: ``(C_out,)`` 편향(선택).

    Returns:
        ``(N, H', W', C_out)`` float 배열(입력이 3차원이면 ``(H', W', C_out)``).

    Raises:
        DeepLabLessonsError: 모양이나 채널 수가 맞지 않거나, 보폭이 1보다 작거나, 이 보폭·커널·패딩으로
            만들 수 없는 출력 크기를 요청했을 때.
    """
    x, w, squeeze = _check_transposed_arguments(inputs, kernel)
    stride = check_int("stride", stride)
    check_choice("padding", padding, PADDINGS)
    (kh, kw), (n, h, w_in) = w.shape[:2], x.shape[:3]
    out_h, out_w = _output_sizes(output_size, (h, w_in), (kh, kw), stride, padding)
    pad_h = _pad_before(out_h, h, kh, stride, padding)
    pad_w = _pad_before(out_w, w_in, kw, stride, padding)
    canvas = np.zeros((n, max(pad_h + out_h, (h - 1) * stride + kh),
                       max(pad_w + out_w, (w_in - 1) * stride + kw), w.shape[2]),
                      dtype=np.result_type(x, w))
    for i in range(kh):
        for j in range(kw):
            rows = slice(i, i + (h - 1) * stride + 1, stride)
            cols = slice(j, j + (w_in - 1) * stride + 1, stride)
            canvas[:, rows, cols, :] += x @ w[i, j].T     # (C_in) → (C_out): 탭 하나의 도장
    out = canvas[:, pad_h:pad_h + out_h, pad_w:pad_w + out_w, :]
    if bias is not None:
        out = out + _as_float_array("bias", bias, ndim=1)
    return out[0] if squeeze else out


def zero_insert(inputs, stride: int) -> np.ndarray:
    """화소 사이에 0을 ``stride − 1`` 개씩 끼웁니다: 길이 ``n`` → ``(n − 1)·s + 1`` (높이·너비 축).

    Args:
        inputs: ``(N, H, W, C)`` 또는 ``(H, W, C)`` 배열.

    Raises:
        DeepLabLessonsError: 배열이 3·4차원이 아니거나 보폭이 1보다 작을 때.
    """
    x = _as_float_array("inputs", inputs, ndim=(3, 4))
    stride = check_int("stride", stride)
    squeeze = x.ndim == 3
    if squeeze:
        x = x[None]
    n, h, w, c = x.shape
    out = np.zeros((n, (h - 1) * stride + 1, (w - 1) * stride + 1, c), dtype=x.dtype)
    out[:, ::stride, ::stride, :] = x
    return out[0] if squeeze else out


def zero_insertion_plan(input_size: int, kernel_size: int, stride: int, padding: str = "valid",
                        output_size: int | None = None) -> tuple[int, int]:
    """전치 합성곱을 "0 끼우기 + 보통 합성곱"으로 할 때, 0을 끼운 입력의 앞·뒤에 덧댈 0의 수(한 축).

    앞쪽은 ``k − 1 − p`` (``p``: 보통 합성곱이 앞에 덧대던 수), 뒤쪽은 출력 길이가 맞도록 정합니다.
    """
    n, k = check_int("input_size", input_size), check_int("kernel_size", kernel_size)
    s = check_int("stride", stride)
    m = output_size if output_size is not None else transposed_output_size(n, k, s, padding)
    _check_output_length("output_size", m, n, k, s, padding)
    p = _pad_before(m, n, k, s, padding)
    before = k - 1 - p
    return before, m + k - 1 - before - ((n - 1) * s + 1)


def conv_transpose2d_by_zero_insertion(inputs, kernel, stride: int, padding: str = "valid",
                                       output_size=None) -> np.ndarray:
    """전치 합성곱 = 0을 끼운 입력에 (공간으로 뒤집고 채널 축을 바꾼) 커널로 하는 **보폭 1의 보통 합성곱**.

    인자와 돌려주는 값은 :func:`conv_transpose2d` 와 같습니다(편향 없음). 0과의 곱까지 계산하므로
    ``s²`` 배쯤 낭비지만, 전치 합성곱이 "학습되는 업샘플링 + 합성곱"이라는 것을 보여 줍니다.
    """
    x, w, squeeze = _check_transposed_arguments(inputs, kernel)
    stride = check_int("stride", stride)
    check_choice("padding", padding, PADDINGS)
    (kh, kw), (h, w_in) = w.shape[:2], x.shape[1:3]
    out_h, out_w = _output_sizes(output_size, (h, w_in), (kh, kw), stride, padding)
    pads_h = zero_insertion_plan(h, kh, stride, padding, out_h)
    pads_w = zero_insertion_plan(w_in, kw, stride, padding, out_w)
    z = np.pad(zero_insert(x, stride), ((0, 0), pads_h, pads_w, (0, 0)))
    flipped = w[::-1, ::-1].transpose(0, 1, 3, 2)        # (k_h, k_w, C_in, C_out)
    out = _correlate_valid(z, flipped)
    return out[0] if squeeze else out


def _correlate_valid(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """보폭 1, ``valid`` 의 보통 합성곱(상호상관). x ``(N, H, W, C_in)``, w ``(k_h, k_w, C_in, C_out)``."""
    kh, kw = w.shape[:2]
    out_h, out_w = x.shape[1] - kh + 1, x.shape[2] - kw + 1
    out = np.zeros((x.shape[0], out_h, out_w, w.shape[3]), dtype=np.result_type(x, w))
    for i in range(kh):
        for j in range(kw):
            out += x[:, i:i + out_h, j:j + out_w, :] @ w[i, j]
    return out


# ---------------------------------------------------------------- 쌍선형 업샘플링

def bilinear_profile(factor: int) -> np.ndarray:
    """쌍선형 커널의 한 축 값(길이 ``k = 2·f − f mod 2``): 가운데 ``c`` 에서의 거리에 따라 ``1 − |i − c| / f``.

    가운데 ``c = f − 1`` (k가 홀수) 또는 ``f − 0.5`` (짝수). 보폭 ``f`` 로 찍으면 한 출력 칸에 겹치는 값들의
    합이 1입니다(두 이웃 화소 사이의 선형 보간).

    Raises:
        DeepLabLessonsError: ``factor`` 가 1 이상의 정수가 아닐 때.
    """
    f = check_int("factor", factor)
    size = 2 * f - f % 2
    center = f - 1 if size % 2 == 1 else f - 0.5
    return 1 - np.abs(np.arange(size) - center) / f


def bilinear_kernel(factor: int) -> np.ndarray:
    """FCN이 전치 합성곱의 초깃값(그리고 고정값)으로 쓴 쌍선형 커널 ``(k, k)``, ``k = 2·f − f mod 2``.

    두 축의 :func:`bilinear_profile` 의 곱 ``(1 − |i − c| / f)·(1 − |j − c| / f)`` 입니다.

    Raises:
        DeepLabLessonsError: ``factor`` 가 1 이상의 정수가 아닐 때.
    """
    profile = bilinear_profile(factor)
    return np.outer(profile, profile)


def bilinear_upsample_kernel(factor: int, channels: int) -> np.ndarray:
    """채널마다 따로 쌍선형으로 키우는 전치 합성곱 커널 ``(k, k, C, C)`` (채널 사이는 0)."""
    channels = check_int("channels", channels)
    base = bilinear_kernel(factor)
    kernel = np.zeros(base.shape + (channels, channels))
    for c in range(channels):
        kernel[:, :, c, c] = base
    return kernel


def bilinear_upsample(inputs, factor: int) -> np.ndarray:
    """쌍선형 커널의 전치 합성곱(보폭 ``f``, ``same``)으로 높이·너비를 ``f`` 배로 키웁니다.

    안쪽에서는 ``tf.image.resize(..., "bilinear")`` (반 화소 정렬)와 같고, 가장자리 ``f/2`` 칸쯤은
    다릅니다: 영상 밖을 0으로 보기 때문입니다(:func:`resize_agreement_slice`).

    Args:
        inputs: ``(N, H, W, C)`` 또는 ``(H, W, C)`` 배열.

    Returns:
        ``(N, f·H, f·W, C)`` (입력이 3차원이면 ``(f·H, f·W, C)``).
    """
    x = _as_float_array("inputs", inputs, ndim=(3, 4))
    f = check_int("factor", factor)
    if f == 1:
        return x.copy()
    return conv_transpose2d(x, bilinear_upsample_kernel(f, x.shape[-1]), f, "same")


def resize_agreement_slice(input_size: int, factor: int) -> slice:
    """:func:`bilinear_upsample` 가 ``tf.image.resize`` (쌍선형, 반 화소 정렬)와 같은 출력 칸의 범위(한 축).

    출력 칸 ``j`` 의 중심은 입력 좌표 ``(j + 0.5)/f − 0.5`` 에 놓입니다. 그 좌표가 ``0`` 과 ``n − 1``
    사이일 때(양쪽 이웃 화소가 모두 영상 안) 두 방법이 같고, 바깥에서는 크기 조절이 가장자리 화소를
    그대로 쓰는 반면 전치 합성곱은 0과 섞습니다.
    """
    n, f = check_int("input_size", input_size), check_int("factor", factor)
    first = f // 2
    last = (n - 1) * f + (f - 1) // 2
    return slice(first, last + 1)


# ---------------------------------------------------------------- 체커보드 현상

def overlap_counts(input_size: int, kernel_size: int, stride: int) -> np.ndarray:
    """모두 1인 ``n×n`` 입력에 모두 1인 ``k×k`` 커널로 전치 합성곱(``valid``)을 하면, 출력 칸마다 몇 개의
    도장이 겹치는지가 나옵니다. ``(H', W')`` 정수 배열.

    ``k`` 가 ``s`` 로 나누어떨어지지 않으면 안쪽에서도 겹침 수가 칸마다 달라 체커보드 무늬가 됩니다.
    """
    n = check_int("input_size", input_size)
    k, s = check_int("kernel_size", kernel_size), check_int("stride", stride)
    ones = np.ones((1, n, n, 1))
    counts = conv_transpose2d(ones, np.ones((k, k, 1, 1)), s, "valid")[0, ..., 0]
    return np.rint(counts).astype(int)


def checkerboard_strength(image, margin: int) -> float:
    """가장자리 ``margin`` 칸을 뺀 안쪽에서 ``(최댓값 − 최솟값) / 최댓값``. 0이면 고르고, 1에 가까우면 무늬가 강함.

    Raises:
        DeepLabLessonsError: 2차원 배열이 아니거나, 여백을 빼고 남는 칸이 없거나, 안쪽이 모두 0일 때.
    """
    image = _as_float_array("image", image, ndim=2)
    margin = check_int("margin", margin, minimum=0)
    inner = image[margin:image.shape[0] - margin, margin:image.shape[1] - margin]
    if inner.size == 0:
        raise bad_argument("margin", margin, f"영상 크기 {image.shape}의 절반보다 작아야 합니다")
    peak = inner.max()
    if peak <= 0:
        raise DeepLabLessonsError("checkerboard_strength: 안쪽 값이 모두 0 이하입니다(받은 최댓값: "
                                  f"{peak}). 양수 값의 영상(예: 겹침 수)을 주세요.")
    return float((peak - inner.min()) / peak)


def nearest_upsample(inputs, factor: int) -> np.ndarray:
    """가장 가까운 이웃(nearest neighbour) 업샘플링: 화소를 ``f×f`` 로 복제합니다. ``(…, H, W, C)`` → ``f·H, f·W``."""
    x = _as_float_array("inputs", inputs, ndim=(3, 4))
    f = check_int("factor", factor)
    return np.repeat(np.repeat(x, f, axis=-3), f, axis=-2)


def resize_then_convolve(inputs, factor: int, kernel) -> np.ndarray:
    """체커보드 현상의 처방(Odena et al. 2016): 먼저 크기를 키우고(가장 가까운 이웃) 보폭 1의 ``same``
    합성곱을 합니다. 커널 ``(k, k, C_in, C_out)`` 는 보통 합성곱의 순서이고 ``k`` 는 홀수여야 합니다.

    Raises:
        DeepLabLessonsError: 커널이 4차원이 아니거나, 크기가 짝수이거나, 입력 채널 수가 맞지 않을 때.
    """
    x = nearest_upsample(inputs, factor)
    squeeze = x.ndim == 3
    if squeeze:
        x = x[None]
    w = _as_float_array("kernel", kernel, ndim=4)
    if w.shape[0] % 2 == 0 or w.shape[1] % 2 == 0:
        raise bad_argument("kernel의 크기", w.shape[:2], "가운데 칸이 있도록 홀수여야 합니다",
                           "예: 3×3 커널")
    if w.shape[2] != x.shape[-1]:
        raise bad_argument("kernel의 입력 채널 수", w.shape[2], f"입력의 채널 수 {josa(x.shape[-1], '와')} 같아야 "
                           "합니다(kernel 모양: (k_h, k_w, C_in, C_out))")
    ph, pw = w.shape[0] // 2, w.shape[1] // 2
    out = _correlate_valid(np.pad(x, ((0, 0), (ph, ph), (pw, pw), (0, 0))), w)
    return out[0] if squeeze else out


# ---------------------------------------------------------------- 경계 띠

def boundary_band(label_map, width: int = 5) -> np.ndarray:
    """클래스가 바뀌는 곳에서 ``width`` 화소 안의 띠. ``(H, W)`` bool 배열.

    먼저 위·아래·왼쪽·오른쪽 이웃 중에 다른 번호(무시 번호 255 포함)가 있는 **경계 화소** 를 찾고, 그 화소들을
    3×3으로 ``width − 1`` 번 넓힙니다(경계 화소에서 체스판 거리 ``width − 1`` 안). 폭 1은 경계 화소만입니다.
    FCN의 오차, 시험 시점 다듬기의 경계 띠 정확도, 학습한 모델의 경계 띠 정확도가 모두 이 띠를 씁니다.

    Raises:
        DeepLabLessonsError: ``width`` 가 1 이상의 정수가 아닐 때.
    """
    width = check_int("width", width, minimum=1)
    labels = np.asarray(label_map)
    edge = np.zeros(labels.shape, bool)
    vertical, horizontal = labels[:-1] != labels[1:], labels[:, :-1] != labels[:, 1:]
    edge[:-1] |= vertical
    edge[1:] |= vertical
    edge[:, :-1] |= horizontal
    edge[:, 1:] |= horizontal
    band = edge
    for _ in range(width - 1):         # 3×3 팽창 한 번 = 체스판 거리 1만큼 넓힘
        grown = band.copy()
        grown[:-1] |= band[1:]
        grown[1:] |= band[:-1]
        band = grown.copy()
        band[:, :-1] |= grown[:, 1:]
        band[:, 1:] |= grown[:, :-1]
    return band


# ---------------------------------------------------------------- 내부 도우미

def _check_transposed_arguments(inputs, kernel):
    x = _as_float_array("inputs", inputs, ndim=(3, 4))
    squeeze = x.ndim == 3
    if squeeze:
        x = x[None]
    w = _as_float_array("kernel", kernel, ndim=4)
    if w.shape[3] != x.shape[3]:
        raise bad_argument(
            "kernel의 입력 채널 수(마지막 축)", w.shape[3],
            f"입력의 채널 수 {josa(x.shape[3], '와')} 같아야 합니다. 전치 합성곱의 커널 모양은 "
            "(k_h, k_w, C_out, C_in)입니다(보통 합성곱과 채널 축의 순서가 반대)")
    return x, w, squeeze


def _output_sizes(output_size, input_hw, kernel_hw, stride, padding):
    if output_size is None:
        return tuple(transposed_output_size(n, k, stride, padding) for n, k in zip(input_hw, kernel_hw, strict=True))
    sizes = (output_size, output_size) if isinstance(output_size, (int, np.integer)) else tuple(output_size)
    if len(sizes) != 2:
        raise bad_argument("output_size", output_size, "정수 하나 또는 (높이, 너비)여야 합니다")
    for size, n, k in zip(sizes, input_hw, kernel_hw, strict=True):
        _check_output_length("output_size", size, n, k, stride, padding)
    return tuple(int(s) for s in sizes)


def _check_output_length(name, size, n, k, stride, padding) -> None:
    """이 보폭·커널·패딩의 전치 합성곱이 길이 ``n`` 에서 ``size`` 를 만들 수 있는지 확인합니다."""
    check_int(name, size)
    allowed = transposed_output_range(n, k, stride, padding)
    if size not in allowed:
        raise bad_argument(
            name, size,
            f"입력 길이 {n}, 커널 {k}, 보폭 {stride}, padding='{padding}'에서는 "
            f"{allowed.start}–{allowed.stop - 1} 사이여야 합니다(같은 설정의 보통 합성곱이 그 길이들을 "
            f"{josa(n, '로')} 줄입니다)",
            "output_size를 그 범위에서 고르거나 보폭·패딩을 바꾸세요.")


def _as_float_array(name: str, value, ndim) -> np.ndarray:
    """:func:`~deeplab_lessons.errors.check_float_array` 에 이 모듈의 축 순서 안내를 붙여 부릅니다."""
    return check_float_array(name, value, ndim, _LAYOUT)

