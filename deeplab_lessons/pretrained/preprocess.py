"""같은 모델에 영상을 넣는 세 가지 방법을 한 가지씩만 바꿔 비교합니다.

- ``"stretch"`` (늘리기): 영상을 S×S로 늘립니다(가로세로 비율 무시). TFLite Task Library를 쓰는 안드로이드 예제가
  하는 일입니다(고정 입력 크기로 바꿈).
- ``"pad"`` (비율 유지 + 채우기): 긴 변을 S로 맞추고(비율 유지) 오른쪽·아래를 0(= 회색 127.5)으로 채웁니다.
  원래 데모와 공식 frozen graph가 하는 일입니다(긴 변 513).
- ``"crop"`` (가운데 자르기): 가운데 정사각형(짧은 변 길이)만 잘라 S×S로 줄입니다. 인터프리터를 직접 쓰는 예전
  안드로이드 예제가 하는 일입니다. 정사각형 밖의 화소는 예측하지 않습니다(:data:`NOT_PREDICTED`).

세 방법 모두 모델이 낸 로짓을 원래 크기(자르기는 잘라 낸 정사각형 크기)로 쌍선형 확대한 뒤 arg-max합니다
(:func:`~deeplab_lessons.logits.resize_logits_argmax`). 백엔드는 ``predict(rgb)`` 가 긴 변이 S 이하인
영상을 받아 S×S로 채워 넣고 로짓을 돌려주는 것(TFLite, Keras)이면 됩니다.
"""

from __future__ import annotations

import numpy as np
from PIL import Image

from deeplab_lessons.errors import bad_argument
from deeplab_lessons.logits import resize_logits_argmax
from deeplab_lessons.pretrained.inference import resize_longer_side

#: 방법 이름 → 한국어 이름.
METHODS = {"stretch": "늘리기", "pad": "비율 유지 + 채우기", "crop": "가운데 자르기"}
#: 예측하지 않은 화소의 값(평가에서 세지 않는 VOC의 "무시" 값과 같음).
NOT_PREDICTED = 255


def centre_square(height: int, width: int) -> tuple[slice, slice]:
    """``(높이, 너비)`` 영상의 가운데 정사각형(한 변 = 짧은 변)을 고르는 ``(행, 열)`` 조각."""
    side = min(height, width)
    top, left = (height - side) // 2, (width - side) // 2
    return slice(top, top + side), slice(left, left + side)


def prepare(rgb: np.ndarray, method: str, size: int) -> np.ndarray:
    """모델에 넣을 영상(uint8). ``stretch``·``crop`` 은 ``(S, S, 3)``, ``pad`` 는 긴 변이 S인 영상(채우기는 백엔드가).

    Raises:
        DeepLabLessonsError: 알 수 없는 방법일 때.
    """
    if method == "stretch":
        return np.asarray(Image.fromarray(rgb).resize((size, size), Image.Resampling.BILINEAR))
    if method == "pad":
        return np.asarray(resize_longer_side(rgb, size))
    if method == "crop":
        rows, cols = centre_square(*rgb.shape[:2])
        return np.asarray(Image.fromarray(rgb[rows, cols]).resize((size, size), Image.Resampling.BILINEAR))
    raise bad_argument("method", method, f"다음 중 하나여야 합니다: {', '.join(METHODS)}", 'method="stretch"')


def segment(backend, rgb: np.ndarray, method: str) -> np.ndarray:
    """``backend`` 로 ``rgb`` 를 ``method`` 대로 넣어 원래 크기 ``(H, W)`` uint8 마스크를 만듭니다.

    ``crop`` 이면 가운데 정사각형 밖은 :data:`NOT_PREDICTED` (255)입니다.
    """
    height, width = rgb.shape[:2]
    logits = backend.predict(prepare(rgb, method, backend.input_size))
    if method != "crop":
        return resize_logits_argmax(logits, height, width)
    rows, cols = centre_square(height, width)
    side = rows.stop - rows.start
    mask = np.full((height, width), NOT_PREDICTED, np.uint8)
    mask[rows, cols] = resize_logits_argmax(logits, side, side)
    return mask


def only_centre(mask: np.ndarray) -> np.ndarray:
    """마스크의 가운데 정사각형 밖을 :data:`NOT_PREDICTED` 로: 세 방법을 같은 화소에서 비교할 때."""
    out = np.full_like(mask, NOT_PREDICTED)
    rows, cols = centre_square(*mask.shape[:2])
    out[rows, cols] = mask[rows, cols]
    return out


class Preprocessed:
    """``segment(rgb)`` 를 가진 모델: 백엔드 하나에 넣는 방법 하나를 묶습니다(:mod:`~deeplab_lessons.metrics` 의
    평가 함수에 그대로 넘길 수 있음).

    Args:
        backend: ``predict`` 와 ``input_size`` 를 가진 백엔드(TFLite, Keras).
        method: :data:`METHODS` 의 이름.
        centre_only: 참이면 가운데 정사각형 밖을 예측하지 않은 것으로 둡니다(세 방법을 같은 화소에서 비교).
    """

    def __init__(self, backend, method: str, centre_only: bool = False):
        if method not in METHODS:
            raise bad_argument("method", method, f"다음 중 하나여야 합니다: {', '.join(METHODS)}",
                               'method="stretch"')
        self.backend, self.method, self.centre_only = backend, method, centre_only

    def __repr__(self) -> str:
        where = ", 가운데 정사각형만" if self.centre_only else ""
        return f"<Preprocessed {METHODS[self.method]} {self.backend.input_size}{where}>"

    def segment(self, rgb: np.ndarray) -> np.ndarray:
        mask = segment(self.backend, rgb, self.method)
        return only_centre(mask) if self.centre_only else mask
