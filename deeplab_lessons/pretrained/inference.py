"""모든 백엔드가 같이 쓰는 추론 경로.

영상(경로 | PIL | 배열) → :func:`~deeplab_lessons.image_io.load_image` (검사, EXIF, RGB) → 입력 크기로 줄이기 →
``backend.predict`` → 후처리(로짓이면 원래 크기로 쌍선형 확대 후 arg-max, 클래스 번호면 최근접 확대) → uint8 마스크.

줄이는 방법: frozen graph처럼 크기가 자유로운 모델은 원래 데모대로 긴 변을 입력 크기로(가로세로 비 유지).
입력이 257×257로 고정된 TFLite 모델은 ``segment`` 에서 TFLite Task Library를 쓰는 안드로이드 예제처럼
257×257로 늘립니다(가로세로 비 무시). 이 선택의 근거는 VOC 10장 표본의 입력 257에서 잰 것뿐입니다: 늘리기가
비를 지키고 남는 곳을 채우는 방법보다 평균 IoU가 12.3 %p 높았고(90 % 부트스트랩 구간 4.5–19.6 %p),
입력 513에서는 어느 쪽이 나은지 이 표본으로 가려지지 않습니다.
``run`` 은 원래 데모의 의미를 지키려고 어느 모델이든 비율을 지킵니다.
"""

from __future__ import annotations

import numpy as np
from PIL import Image

from deeplab_lessons import refine
from deeplab_lessons.errors import RefinementError
from deeplab_lessons.image_io import load_image
from deeplab_lessons.logits import resize_logits_argmax

#: ``SegmentationModel.segment`` 가 받는 인자(모르는 인자를 받으면 이 목록을 보여 줍니다).
SEGMENT_ARGUMENTS = ("image", "scales", "flip", "crf", "crf_params")


def resize_longer_side(rgb: np.ndarray, size: int) -> Image.Image:
    """긴 변이 ``size`` 가 되게 가로세로 비율을 지켜 줄입니다(원래 데모 코드와 같은 계산, LANCZOS)."""
    height, width = rgb.shape[:2]
    ratio = 1.0 * size / max(width, height)
    target = (max(1, int(ratio * width)), max(1, int(ratio * height)))
    return Image.fromarray(rgb).resize(target, Image.Resampling.LANCZOS)


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

    def prepare(self, rgb: np.ndarray) -> np.ndarray:
        """``segment`` 가 모델에 넣는 영상: 고정 입력이면 S×S로 늘리고(쌍선형), 아니면 긴 변을 S로."""
        if getattr(self.backend, "square_input", False):
            size = (self.INPUT_SIZE, self.INPUT_SIZE)
            return np.asarray(Image.fromarray(rgb).resize(size, Image.Resampling.BILINEAR))
        return np.asarray(resize_longer_side(rgb, self.INPUT_SIZE))

    def run(self, image):
        """원래 데모의 ``run``: 긴 변을 입력 크기로 줄인 영상과 그 크기의 분할 지도를 돌려줍니다.

        Returns:
            ``(resized_image, seg_map)``: PIL 영상과 ``(h, w)`` 정수 클래스 번호 배열.
        """
        resized = resize_longer_side(load_image(image), self.INPUT_SIZE)
        if hasattr(self.backend, "predict_labels"):
            return resized, self.backend.predict_labels(np.asarray(resized))
        output = self.backend.predict(np.asarray(resized))
        seg_map = output.argmax(axis=-1) if output.ndim == 3 else output
        return resized, seg_map

    def segment(self, image, scales=(1.0,), flip: bool = False, crf: bool = False, crf_params=None,
                **unknown) -> np.ndarray:
        """영상의 원래 크기 ``(H, W)`` uint8 클래스 번호 마스크(0–20).

        기본은 한 배율, 뒤집기 없음. ``scales`` (예: ``(0.5, 0.75, 1.0, 1.25, 1.5, 1.75)``)와 ``flip=True`` 는
        DeepLab 평가처럼 softmax 확률을 평균하고, ``crf=True`` 는 그 확률을 DenseCRF로 다듬습니다
        (:func:`deeplab_lessons.refine.refined_segment`, ``crf_params``: :class:`~deeplab_lessons.crf.CRFParams`).
        여러 배율은 크기가 자유로운 모델(``mobilenetv2_voc_keras``)만, 확률이 필요한 것은 로짓을 내는 모델만.

        Raises:
            ImageReadError: 영상을 읽을 수 없을 때.
            RefinementError: 배율이 올바르지 않거나 이 모델이 청한 다듬기를 할 수 없을 때, 모르는 키워드 인자
                (예: ``scale=``)를 줄 때.
        """
        if unknown:
            raise RefinementError(
                f"segment가 모르는 인자입니다: {', '.join(sorted(unknown))}. "
                f"쓸 수 있는 인자: {', '.join(SEGMENT_ARGUMENTS)}"
                " (예: segment(영상, scales=(0.5, 1.0, 1.5), flip=True, crf=True)).")
        scales = refine.check_scales(scales)   # 모든 길에서 같은 검사(지름길 전에: (True,)·(1+0j,)도 막음)
        rgb = load_image(image)
        if scales != (1.0,) or flip is not False or crf is not False or crf_params is not None:
            return refine.refined_segment(self, rgb, scales, flip, crf, crf_params)
        height, width = rgb.shape[:2]
        output = self.backend.predict(self.prepare(rgb))
        if output.ndim == 3:
            return resize_logits_argmax(output, height, width)
        labels = Image.fromarray(output.astype(np.uint8))
        return np.asarray(labels.resize((width, height), Image.Resampling.NEAREST))
