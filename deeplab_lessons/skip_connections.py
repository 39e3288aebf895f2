"""FCN-32s/16s/8s의 건너뛰기 연결(skip connection)을 클래스 번호 지도로 잽니다.

완벽한 분류기가 출력 보폭 ``s`` 에서 낼 수 있는 가장 좋은 점수(:func:`ideal_scores`: 칸마다 클래스별 화소 비율)를
쌍선형으로 키우면, 그 출력 보폭의 오차 하한이 나옵니다. 더 촘촘한 층의 점수를 더하면(:func:`fcn_fuse`) 하한이
내려갑니다. NumPy만 씁니다.
"""

from __future__ import annotations

import numpy as np

from deeplab_lessons.errors import bad_argument, check_float_array, check_int, josa
from deeplab_lessons.upsampling import bilinear_upsample

# 점수 지도의 모양이 틀렸을 때 오류 메시지 끝에 붙이는 축 순서 안내
_LAYOUT = "점수 지도는 (H, W, 클래스) 순서입니다."


def one_hot(label_map, num_classes: int) -> np.ndarray:
    """클래스 번호 지도 ``(H, W)`` → ``(H, W, K)`` 의 0/1 배열.

    Raises:
        DeepLabLessonsError: 2차원 정수 배열이 아니거나 번호가 ``0 … K − 1`` 밖일 때.
    """
    labels = np.asarray(label_map)
    k = check_int("num_classes", num_classes)
    if labels.ndim != 2 or not np.issubdtype(labels.dtype, np.integer):
        raise bad_argument("label_map", f"모양 {labels.shape}, 형식 {labels.dtype}",
                           "(H, W) 모양의 정수 배열이어야 합니다")
    if labels.size and (labels.min() < 0 or labels.max() >= k):
        raise bad_argument("label_map의 클래스 번호", (int(labels.min()), int(labels.max())),
                           f"0 이상 num_classes({k}) 미만이어야 합니다")
    return (labels[..., None] == np.arange(k)).astype(np.float64)


def ideal_scores(label_map, num_classes: int, stride: int) -> np.ndarray:
    """출력 보폭 ``stride`` 에서 낼 수 있는 가장 좋은 점수 지도: ``s×s`` 칸마다 클래스별 화소 비율.

    완벽한 분류기가 그 칸 안의 화소를 모두 맞게 본다면 낼 점수(평균 풀링한 원-핫)입니다. 실제 네트워크는
    이보다 나쁠 수만 있으므로, 이것을 키워 얻는 오차는 그 출력 보폭의 **하한**입니다.

    Returns:
        ``(H/s, W/s, K)`` 배열.

    Raises:
        DeepLabLessonsError: 높이·너비가 ``stride`` 로 나누어떨어지지 않을 때.
    """
    onehot = one_hot(label_map, num_classes)
    s = check_int("stride", stride)
    h, w, k = onehot.shape
    if h % s or w % s:
        raise bad_argument("label_map의 크기", (h, w), f"stride {josa(s, '로')} 나누어떨어져야 합니다",
                           f"예: {s}의 배수 크기로 자르거나 만드세요.")
    return onehot.reshape(h // s, s, w // s, s, k).mean(axis=(1, 3))


def fcn_fuse(coarse_scores, skip_scores) -> np.ndarray:
    """FCN의 융합 한 단계: 거친 점수 지도를 2배로 키우고(쌍선형 전치 합성곱) 건너뛰기 점수를 더합니다.

    Args:
        coarse_scores: ``(h, w, K)`` 보폭 2s의 점수.
        skip_scores: ``(2h, 2w, K)`` 보폭 s의 단계에서 온 점수(FCN에서는 pool4·pool3 위의 1×1 분류기).

    Raises:
        DeepLabLessonsError: 모양이 ``(2h, 2w, K)`` 가 아닐 때.
    """
    coarse = check_float_array("coarse_scores", coarse_scores, 3, _LAYOUT)
    skip = check_float_array("skip_scores", skip_scores, 3, _LAYOUT)
    expected = (2 * coarse.shape[0], 2 * coarse.shape[1], coarse.shape[2])
    if skip.shape != expected:
        raise bad_argument("skip_scores의 모양", skip.shape,
                           f"거친 점수 {coarse.shape}의 두 배 크기, 같은 클래스 수인 {expected}여야 합니다")
    return bilinear_upsample(coarse, 2) + skip


def skip_scores(label_map, num_classes: int, stride: int) -> np.ndarray:
    """보폭 ``stride`` 의 건너뛰기 연결이 더해야 할 점수: 그 보폭의 이상적 점수 − 2배로 키운 보폭 ``2·stride`` 의 점수.

    FCN에서 pool4·pool3 위의 1×1 분류기가 학습하는 것이 이 차이(거친 지도가 놓친 세부)입니다.
    :func:`fcn_fuse` 에 넣으면 그 보폭의 이상적 점수가 나옵니다.
    """
    coarse = ideal_scores(label_map, num_classes, 2 * check_int("stride", stride))
    return ideal_scores(label_map, num_classes, stride) - bilinear_upsample(coarse, 2)


def predict_from_scores(scores, stride: int) -> np.ndarray:
    """점수 지도 ``(h, w, K)`` 를 쌍선형 전치 합성곱으로 ``stride`` 배 키워 화소마다 가장 높은 클래스 ``(H, W)``."""
    return bilinear_upsample(scores, stride).argmax(axis=-1)
