"""모든 백엔드가 같이 쓰는 추론 경로.

영상(경로 | PIL | 배열) → :func:`~deeplab_lessons.image_io.load_image` (검사, EXIF, RGB) → 긴 변을 입력 크기로
(가로세로 비율 유지) → ``backend.predict`` → 후처리(로짓이면 원래 크기로 쌍선형 확대 후 arg-max, 클래스 번호면
최근접 확대) → uint8 마스크.
"""

from __future__ import annotations

import numpy as np
from PIL import Image

from deeplab_lessons.image_io import load_image

#: 로짓을 원래 크기로 키울 때 한 번에 만드는 값의 최대 개수(메모리 상한: float32로 약 64 MB).
CHUNK_VALUES = 16_000_000


def resize_longer_side(rgb: np.ndarray, size: int) -> Image.Image:
    """긴 변이 ``size`` 가 되게 가로세로 비율을 지켜 줄입니다(원래 데모 코드와 같은 계산, LANCZOS)."""
    height, width = rgb.shape[:2]
    ratio = 1.0 * size / max(width, height)
    target = (max(1, int(ratio * width)), max(1, int(ratio * height)))
    return Image.fromarray(rgb).resize(target, Image.Resampling.LANCZOS)


def _bilinear_weights(in_size: int, out_size: int):
    """``tf.image.resize(method='bilinear')`` (half-pixel centers)과 같은 1차원 보간 색인과 가중치."""
    src = (np.arange(out_size) + 0.5) * (in_size / out_size) - 0.5
    src = np.clip(src, 0, in_size - 1)
    low = np.floor(src).astype(np.int64)
    high = np.minimum(low + 1, in_size - 1)
    return low, high, (src - low).astype(np.float32)


def resize_logits_argmax(logits: np.ndarray, height: int, width: int) -> np.ndarray:
    """``(h, w, C)`` 로짓을 ``(height, width)`` 로 쌍선형 확대한 뒤 arg-max한 uint8 마스크.

    결과는 ``tf.image.resize`` 후 ``argmax`` 와 같지만, 출력 행을 나눠 계산하므로 10000×8000 영상에서도
    메모리가 :data:`CHUNK_VALUES` 개의 값 정도로 묶입니다.
    """
    logits = logits.astype(np.float32, copy=False)
    x_low, x_high, x_frac = _bilinear_weights(logits.shape[1], width)
    y_low, y_high, y_frac = _bilinear_weights(logits.shape[0], height)
    # 가로 방향을 먼저: 입력 행 × 출력 너비 × C (입력 행은 많아야 수백 개)
    wide = logits[:, x_low] * (1 - x_frac)[None, :, None] + logits[:, x_high] * x_frac[None, :, None]
    mask = np.empty((height, width), np.uint8)
    rows = max(1, CHUNK_VALUES // max(1, width * logits.shape[2]))
    for start in range(0, height, rows):
        stop = min(start + rows, height)
        frac = y_frac[start:stop, None, None]
        block = wide[y_low[start:stop]] * (1 - frac) + wide[y_high[start:stop]] * frac
        mask[start:stop] = block.argmax(axis=-1)
    return mask


class SegmentationModel:
    """사전 학습 모델 하나: ``segment(image)`` 와 ``run(image)``.

    Attributes:
        name: 모델 이름(등록부 이름이나 파일 이름).
        backend: :mod:`~deeplab_lessons.pretrained.backends` 의 백엔드.
        INPUT_SIZE: 긴 변을 맞추는 입력 크기(TFLite 257, frozen graph 513).
    """

    def __init__(self, backend, name: str):
        self.backend = backend
        self.name = name
        self.INPUT_SIZE = backend.input_size

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name} ({self.backend.kind}, 입력 {self.INPUT_SIZE})>"

    def run(self, image):
        """원래 데모의 ``run``: 긴 변을 입력 크기로 줄인 영상과 그 크기의 분할 지도를 돌려줍니다.

        Returns:
            ``(resized_image, seg_map)``: PIL 영상과 ``(h, w)`` 정수 클래스 번호 배열.
        """
        resized = resize_longer_side(load_image(image), self.INPUT_SIZE)
        output = self.backend.predict(np.asarray(resized))
        seg_map = output.argmax(axis=-1) if output.ndim == 3 else output
        return resized, seg_map

    def segment(self, image) -> np.ndarray:
        """영상의 원래 크기 ``(H, W)`` uint8 클래스 번호 마스크(0–20)."""
        rgb = load_image(image)
        height, width = rgb.shape[:2]
        output = self.backend.predict(np.asarray(resize_longer_side(rgb, self.INPUT_SIZE)))
        if output.ndim == 3:
            return resize_logits_argmax(output, height, width)
        labels = Image.fromarray(output.astype(np.uint8))
        return np.asarray(labels.resize((width, height), Image.Resampling.NEAREST))


def check_resized_size(answer, width: int, height: int, input_size: int) -> bool | None:
    """연습문제: ``run`` 이 줄인 영상의 (너비, 높이)."""
    from deeplab_lessons.exercises import grade

    ratio = 1.0 * input_size / max(width, height)
    expected = (max(1, int(ratio * width)), max(1, int(ratio * height)))
    answer = tuple(answer) if answer is not None else None
    return grade(answer, expected, f"비율 {input_size}/{max(width, height)} = {ratio:.4f}, "
                                   f"int({ratio:.4f}×{width}), int({ratio:.4f}×{height})")
