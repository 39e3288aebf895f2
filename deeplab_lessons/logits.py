"""로짓(logits) 다루기: 확률로 바꾸기(softmax)와 원래 크기로 쌍선형 확대하기.

네트워크는 입력보다 작은 ``(h, w, C)`` 로짓을 냅니다. 그것을 영상의 원래 크기 ``(H, W)`` 로 키우는 방법은
``tf.image.resize(method='bilinear')`` (화소 중심 정렬, half-pixel centers)와 같게 한 곳에서 정합니다.

- :func:`softmax`: 마지막 축의 softmax.
- :func:`bilinear_weights`: 한 축의 보간 색인과 가중치.
- :func:`resize_logits`: ``(H, W, C)`` 로짓(확률을 평균하거나 CRF에 넣을 때).
- :func:`resize_logits_argmax`: 곧바로 ``(H, W)`` 마스크(빠르고 메모리가 묶인 길).
- :func:`add_resized_softmax`: 키운 로짓의 softmax를 합에 더하기(행을 나눠, 확률 평균의 메모리가 묶인 길).

NumPy만 씁니다.
"""

from __future__ import annotations

import numpy as np

#: 로짓을 원래 크기로 키울 때 한 번에 만드는 값의 최대 개수(float32로 약 16 MB; 묶음마다 임시 배열이 열 개쯤
#: 생기므로 작업 메모리는 약 160 MB).
CHUNK_VALUES = 4_000_000


def softmax(logits: np.ndarray) -> np.ndarray:
    """마지막 축의 softmax(float32). 모양은 그대로입니다."""
    shifted = np.asarray(logits, np.float32) - np.max(logits, axis=-1, keepdims=True)
    np.exp(shifted, out=shifted)
    shifted /= shifted.sum(axis=-1, keepdims=True)
    return shifted


def bilinear_weights(in_size: int, out_size: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``tf.image.resize(method='bilinear')`` (half-pixel centers)과 같은 1차원 보간.

    Returns:
        ``(아래 색인, 위 색인, 위쪽 가중치)``: 길이 ``out_size`` 의 int64, int64, float32 배열.
    """
    src = (np.arange(out_size) + 0.5) * (in_size / out_size) - 0.5
    src = np.clip(src, 0, in_size - 1)
    low = np.floor(src).astype(np.int64)
    high = np.minimum(low + 1, in_size - 1)
    return low, high, (src - low).astype(np.float32)


def resize_logits(logits: np.ndarray, height: int, width: int) -> np.ndarray:
    """``(h, w, C)`` 로짓을 ``(height, width, C)`` float32로 쌍선형 확대합니다(``tf.image.resize`` 와 같음).

    :func:`resize_logits_argmax` 와 같은 가중치·같은 계산 순서이므로, 결과의 arg-max는 그 함수의 마스크와 같습니다.
    """
    logits = np.asarray(logits, np.float32)
    x0, x1, wx = bilinear_weights(logits.shape[1], width)
    y0, y1, wy = bilinear_weights(logits.shape[0], height)
    wx, wy = wx[None, :, None], wy[:, None, None]
    top, bottom = logits[y0], logits[y1]
    upper = top[:, x0] * (1 - wx) + top[:, x1] * wx
    lower = bottom[:, x0] * (1 - wx) + bottom[:, x1] * wx
    return upper * (1 - wy) + lower * wy


def add_resized_softmax(total: np.ndarray | None, logits: np.ndarray, height: int, width: int) -> np.ndarray:
    """``softmax(resize_logits(logits, height, width))`` 를 ``total`` 에 더합니다(``None`` 이면 새 배열).

    출력 행을 나눠 계산하므로 임시 메모리가 :data:`CHUNK_VALUES` 개의 값 정도입니다. 화소마다의 계산은
    :func:`resize_logits` 와 :func:`softmax` 와 같은 식·같은 순서이므로 결과가 한꺼번에 계산한 것과 똑같습니다.

    Returns:
        ``(height, width, C)`` float32 합(``total`` 을 주면 그 배열 자체).
    """
    logits = np.asarray(logits, np.float32)
    classes = logits.shape[2]
    x0, x1, wx = bilinear_weights(logits.shape[1], width)
    y0, y1, wy = bilinear_weights(logits.shape[0], height)
    wx = wx[None, :, None]
    first = total is None
    if first:
        total = np.empty((height, width, classes), np.float32)
    rows = max(1, CHUNK_VALUES // max(1, width * classes))
    for start in range(0, height, rows):
        ys = slice(start, min(start + rows, height))
        top, bottom, w = logits[y0[ys]], logits[y1[ys]], wy[ys][:, None, None]
        upper = top[:, x0] * (1 - wx) + top[:, x1] * wx
        lower = bottom[:, x0] * (1 - wx) + bottom[:, x1] * wx
        probabilities = softmax(upper * (1 - w) + lower * w)
        if first:
            total[ys] = probabilities
        else:
            total[ys] += probabilities
    return total


def resize_logits_argmax(logits: np.ndarray, height: int, width: int) -> np.ndarray:
    """``(h, w, C)`` 로짓을 ``(height, width)`` 로 쌍선형 확대한 뒤 arg-max한 uint8 마스크.

    결과는 ``tf.image.resize`` 후 ``argmax`` 와 같습니다. 두 가지로 빠르고 메모리가 묶여 있습니다.

    - 쌍선형 값은 네 모서리 로짓의 볼록 결합(모든 클래스에 같은 가중치)이므로, 네 모서리의 arg-max가 같은 화소는
      보간하지 않아도 그 클래스입니다. 클래스 경계 근처의 화소만 C개 로짓을 보간합니다.
    - 출력 행을 나눠 계산하므로 10000×8000 영상에서도 작업 메모리가 :data:`CHUNK_VALUES` 개의 값 정도입니다.
    """
    logits = logits.astype(np.float32, copy=False)
    classes = logits.shape[2]
    x_low, x_high, x_frac = bilinear_weights(logits.shape[1], width)
    y_low, y_high, y_frac = bilinear_weights(logits.shape[0], height)
    labels = logits.argmax(axis=-1).astype(np.uint8)
    mask = np.empty((height, width), np.uint8)
    rows = max(1, CHUNK_VALUES // max(1, width * classes))
    for start in range(0, height, rows):
        ys = slice(start, min(start + rows, height))
        top, bottom = labels[y_low[ys]], labels[y_high[ys]]
        block = top[:, x_low]
        mixed = (block != top[:, x_high]) | (block != bottom[:, x_low]) | (block != bottom[:, x_high])
        r, c = np.nonzero(mixed)
        if r.size:
            y0, y1, wy = y_low[ys][r], y_high[ys][r], y_frac[ys][r, None]
            x0, x1, wx = x_low[c], x_high[c], x_frac[c, None]
            upper = logits[y0, x0] * (1 - wx) + logits[y0, x1] * wx
            lower = logits[y1, x0] * (1 - wx) + logits[y1, x1] * wx
            block[r, c] = (upper * (1 - wy) + lower * wy).argmax(axis=-1)
        mask[ys] = block
    return mask
