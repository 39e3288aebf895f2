"""시험 시점 다듬기(test-time refinement): 여러 배율 입력과 좌우 뒤집기, 확률 평균, 선택한 DenseCRF, 경계 띠 정확도.

``SegmentationModel.segment(image, scales=…, flip=…, crf=…)`` 가 :func:`refined_segment` 를 부릅니다. 흐름은 위에서
아래로: 배율·뒤집기마다 모델 실행 → 원래 크기로 확대(:mod:`deeplab_lessons.logits`) → softmax 확률 평균 →
(``crf`` 면) :mod:`deeplab_lessons.crf` 의 평균장 추론 → arg-max.

DeepLab의 평가 코드(``research/deeplab/model.py`` 의 ``predict_labels_multi_scale``)는 배율마다(그리고 좌우로
뒤집은 영상마다) 로짓을 원래 크기로 쌍선형 확대한 뒤 **softmax 확률**로 바꿔 평균하고, 그 평균의 arg-max를
답으로 냅니다. 로짓이 아니라 확률을 평균합니다. 여기서도 그렇게 합니다.

배율 ``s`` 의 입력 한 변은 DeepLab의 ``scale_dimension``: ``int((변 − 1)·s + 1)`` 입니다(513 → 0.5배에 257).

- :func:`scale_flip_passes`: 배율·뒤집기 조합마다 한 번씩 모델을 돌린 결과(원래 크기의 로짓)와 걸린 시간.
- :func:`combine_passes`: 그중 고른 조합의 확률 평균.
- :func:`macs_factor`: 곱셈-덧셈이 한 배율 한 번의 몇 배인지(넓이 ∝ s², 뒤집기는 2배).
- :func:`trimap_counts`: 물체 경계 근처 띠(trimap, :func:`~deeplab_lessons.upsampling.boundary_band`) 안의
  화소 정확도. VOC 정답은 물체 윤곽에 폭 약 5화소의 무시 띠(255)가 있으므로, 띠는 대개 그 무시 띠의 양쪽입니다.
"""

from __future__ import annotations

import numbers
import time
from dataclasses import dataclass

import numpy as np
from PIL import Image

from deeplab_lessons._tf import load_keras, load_tensorflow
from deeplab_lessons.crf import CRFParams, default_params, mean_field_from_unary, unary_logits
from deeplab_lessons.errors import DeepLabLessonsError, RefinementError, josa
from deeplab_lessons.image_io import padded_batch
from deeplab_lessons.logits import add_resized_softmax, resize_logits, resize_logits_argmax, softmax
from deeplab_lessons.mobilenet import MIN_INPUT_SIZE
from deeplab_lessons.upsampling import boundary_band

#: DeepLab 논문·모델 동물원이 평가에 쓴 배율 ``[0.5:0.25:1.75]``.
DEEPLAB_SCALES = (0.5, 0.75, 1.0, 1.25, 1.5, 1.75)
#: 허용하는 가장 큰 배율(메모리: 513의 4배 = 2049 한 변).
MAX_SCALE = 4.0
#: 확률을 평균하고 CRF로 다듬는 작업 해상도의 상한(화소 수, 2 MP). 이보다 큰 사진은 가로세로 비를 지켜 이 넓이로
#: 줄인 곳에서 평균·CRF를 하고 마지막에 한 번만 원래 크기로 키웁니다. 그래서 24 MP 사진도 어느 방식이든 최대
#: 메모리가 약 2 GB 안입니다(``benchmarks/bench_refine_memory.py`` 가 잽니다). 2 MP 이하의 사진은 원래 크기에서
#: 하므로 결과가 줄이지 않은 계산과 같습니다.
MAX_WORK_PIXELS = 2_000_000


def check_scales(scales) -> tuple[float, ...]:
    """배율 목록을 검사해 float 튜플로 돌려줍니다.

    Raises:
        RefinementError: 비었거나, 수가 아니거나(참·거짓, 복소수 포함), 0 이하이거나, :data:`MAX_SCALE` 보다 클 때.
            ``Fraction(3, 4)`` 같은 유리수는 float로 받습니다.
    """
    if isinstance(scales, numbers.Real) and not isinstance(scales, (bool, np.bool_)):
        scales = (scales,)
    try:
        values = tuple(scales)
    except TypeError:
        raise RefinementError(f"scales는 배율의 목록이어야 합니다(받은 값: {scales!r}). "
                              "예: scales=(0.5, 1.0, 1.5)") from None
    if not values:
        raise RefinementError("scales가 비어 있습니다(받은 값: ()). 배율을 하나 이상 주세요. 한 배율이면 "
                              "scales=(1.0,), DeepLab 평가와 같게 하려면 scales=(0.5, 0.75, 1.0, 1.25, 1.5, 1.75).")
    for value in values:
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real) \
                or not np.isfinite(float(value)) or not 0 < float(value) <= MAX_SCALE:
            raise RefinementError(
                f"scales의 배율 {josa(repr(value), '이')} 올바르지 않습니다(받은 scales: {values!r}). 배율은 0보다 "
                f"크고 "
                f"{MAX_SCALE:g} 이하인 수여야 합니다. 예: scales=(0.5, 1.0, 1.5)")
    return tuple(float(v) for v in values)


def check_crf_params(model, crf_params, crf: bool) -> CRFParams | None:
    """``segment`` 의 ``crf_params`` 를 검사해 :class:`~deeplab_lessons.crf.CRFParams` 로(없으면 ``None``).

    dict는 이 모델의 기본값(:func:`~deeplab_lessons.crf.default_params`)에서 바꿀 값으로 받습니다
    (``dense_crf(..., bi_w=5)`` 처럼).

    Raises:
        RefinementError: ``crf=True`` 없이 ``crf_params`` 를 줄 때, CRFParams도 dict도 아닐 때, 이름이나 값이
            올바르지 않을 때.
    """
    if crf_params is None:
        return None
    if not crf:
        raise RefinementError(
            f"crf_params는 crf=True일 때만 씁니다(받은 crf: {crf!r}, crf_params: {crf_params!r}). CRF로 다듬으려면 "
            "crf=True를 함께 주고, 아니면 crf_params를 빼세요.")
    if isinstance(crf_params, CRFParams):
        return crf_params
    try:
        return CRFParams.with_overrides(default_params(model), crf_params)
    except DeepLabLessonsError as error:
        raise RefinementError(f"crf_params: {error}") from None


def scaled_size(size: int, scale: float) -> int:
    """DeepLab의 ``scale_dimension``: 한 변 ``size`` 를 배율 ``scale`` 로 바꾼 크기 ``int((size − 1)·s + 1)``."""
    return int((size - 1) * scale + 1)


# ---------------------------------------------------------------- 배율·뒤집기 추론

@dataclass
class Pass:
    """모델을 한 번 돌린 결과: 배율, 뒤집었는지, 원래 크기 ``(H, W, C)`` 로짓, 걸린 시간(초)."""

    scale: float
    flipped: bool
    logits: np.ndarray
    seconds: float


class _AnySizeRunner:
    """Keras 모델을 어떤 정사각형 크기로든 돌립니다(크기마다 한 번 추적하는 ``tf.function``)."""

    def __init__(self, backend):
        keras, tf = load_keras(), load_tensorflow()
        model = backend.model
        flexible = keras.models.clone_model(model, input_tensors=keras.Input((None, None, 3)))
        flexible.set_weights(model.get_weights())
        self._tf, self._model, self._calls = tf, flexible, {}

    def predict(self, rgb: np.ndarray, size: int) -> np.ndarray:
        """``(h, w, 3)`` uint8을 ``size×size`` 로 오른쪽·아래를 채워(0 = 127.5) 넣고 ``(h, w, C)`` 로짓."""
        if size not in self._calls:
            spec = [self._tf.TensorSpec([1, size, size, 3], self._tf.float32)]
            self._calls[size] = self._tf.function(lambda x: self._model(x, training=False), input_signature=spec)
        return self._calls[size](padded_batch(rgb, size)).numpy()[0, :rgb.shape[0], :rgb.shape[1]]


def _runner(model) -> _AnySizeRunner:
    runner = getattr(model, "_any_size_runner", None)
    if runner is None:
        runner = _AnySizeRunner(model.backend)
        model._any_size_runner = runner
    return runner


def check_refinable(model, scales: tuple[float, ...], flip: bool, crf: bool) -> None:
    """이 모델로 이 배율·뒤집기·CRF를 할 수 있는지 확인합니다.

    Raises:
        RefinementError: 클래스 번호만 내는 모델(frozen graph)에 배율·뒤집기·CRF를 청할 때, 입력 크기가 고정된
            모델(TFLite)에 1.0 밖의 배율을 청할 때, 배율이 모델의 최소 입력보다 작은 입력을 만들 때.
    """
    kind = getattr(model.backend, "kind", "?")
    if kind == "frozen_graph":
        asked = ", ".join(n for n, on in (("scales", scales != (1.0,)), ("flip", flip), ("crf", crf)) if on) \
            or "클래스 확률"
        raise RefinementError(
            f"{model.name} 모델(frozen graph)은 클래스 번호만 돌려주므로 확률이 필요한 {josa(asked, '을')} 쓸 수 "
            "없습니다. 로짓을 내는 mobilenetv2_voc_keras (배율·뒤집기·CRF 모두) 또는 mobilenetv2_voc_tflite "
            "(뒤집기·CRF)를 쓰세요.")
    if scales != (1.0,) and kind != "keras":
        raise RefinementError(
            f"{model.name} 모델은 입력 크기가 {model.INPUT_SIZE}×{josa(model.INPUT_SIZE, '로')} 고정되어 여러 배율을 "
            f"넣을 수 "
            f"없습니다(받은 scales: {scales}). 어떤 크기든 받는 load_model(\"mobilenetv2_voc_keras\")를 쓰거나 "
            "scales=(1.0,)로 두세요.")
    for scale in scales:
        size = scaled_size(model.INPUT_SIZE, scale)
        if size < MIN_INPUT_SIZE:
            smallest = (MIN_INPUT_SIZE - 1) / (model.INPUT_SIZE - 1)
            raise RefinementError(
                f"배율 {josa(f'{scale:g}', '은')} 입력을 {size}×{josa(size, '로')} 줄여 모델의 최소 입력 "
                f"{MIN_INPUT_SIZE}보다 작습니다"
                f"(입력 크기 {model.INPUT_SIZE}). 배율을 {smallest:.3f} 이상으로 하세요.")


def scale_flip_passes(model, rgb: np.ndarray, scales=DEEPLAB_SCALES, flip: bool = True) -> list[Pass]:
    """배율마다(``flip`` 이면 좌우로 뒤집은 것도) 모델을 한 번씩 돌린 결과들.

    ``model.prepare`` 로 맞춘 영상(긴 변 = 입력 크기)을 배율만큼 쌍선형으로 줄이거나 키워, 한 변
    ``scaled_size(입력 크기, s)`` 의 정사각형에 채워 넣습니다. 뒤집은 결과의 로짓은 다시 뒤집어 둡니다.
    배율 1.0, 뒤집지 않은 조합은 ``segment`` 와 같은 길(``backend.predict``)로 돌립니다.

    Args:
        model: ``SegmentationModel`` (로짓을 내는 백엔드).
        rgb: ``(H, W, 3)`` uint8 (검사된 영상).
        scales: 배율들(:func:`check_scales`).
        flip: 좌우 뒤집기도 돌릴지.

    Returns:
        :class:`Pass` 목록. 로짓은 원래 크기 ``(H, W, C)``.
    """
    scales = check_scales(scales)
    check_refinable(model, scales, bool(flip), crf=False)
    height, width = rgb.shape[:2]
    prepared = model.prepare(rgb)
    passes = []
    for scale, flipped in _combinations(scales, flip):
        start = time.perf_counter()
        full = resize_logits(_pass_logits(model, prepared, scale, flipped), height, width)
        passes.append(Pass(scale, flipped, full, time.perf_counter() - start))
    return passes


def _combinations(scales: tuple[float, ...], flip: bool) -> list[tuple[float, bool]]:
    return [(scale, flipped) for scale in scales for flipped in ((False, True) if flip else (False,))]


def _pass_logits(model, prepared: np.ndarray, scale: float, flipped: bool) -> np.ndarray:
    """한 배율·뒤집기로 모델을 한 번 돌린 로짓(모델 해상도 ``(h, w, C)``, 뒤집었으면 다시 뒤집은 것)."""
    image = prepared[:, ::-1] if flipped else prepared
    if scale == 1.0:
        logits = model.backend.predict(np.ascontiguousarray(image))
    else:
        size = scaled_size(model.INPUT_SIZE, scale)
        h, w = (scaled_size(n, scale) for n in image.shape[:2])
        resized = np.asarray(Image.fromarray(np.ascontiguousarray(image)).resize((w, h), Image.Resampling.BILINEAR))
        logits = _runner(model).predict(resized, size)
    return logits[:, ::-1] if flipped else logits


def working_size(height: int, width: int, max_pixels: int | None = None) -> tuple[int, int]:
    """확률 평균·CRF의 작업 해상도 ``(h, w)``: 넓이가 ``max_pixels`` (기본 :data:`MAX_WORK_PIXELS`) 이하면 그대로,
    넘으면 비를 지켜 그 넓이 안으로 줄인 크기."""
    max_pixels = MAX_WORK_PIXELS if max_pixels is None else max_pixels
    if height * width <= max_pixels:
        return height, width
    ratio = (max_pixels / (height * width)) ** 0.5
    return max(1, int(height * ratio)), max(1, int(width * ratio))


def averaged_probabilities(model, rgb: np.ndarray, scales, flip: bool, size: tuple[int, int]) -> np.ndarray:
    """배율·뒤집기마다의 softmax 확률을 ``size = (h, w)`` 에서 평균한 ``(h, w, C)`` float32.

    :func:`combine_passes` 와 같은 계산·같은 순서이지만 한 번에 하나의 확률만 더해 가므로(결과 목록을 두지 않음)
    메모리는 작업 해상도의 확률 한 장과 행 묶음 하나 정도입니다(:func:`~deeplab_lessons.logits.add_resized_softmax`).
    ``size`` 가 원래 크기면 결과가 ``combine_passes`` 와 같습니다.
    """
    prepared = model.prepare(rgb)
    total, count = None, 0
    for scale, flipped in _combinations(scales, flip):
        total = add_resized_softmax(total, _pass_logits(model, prepared, scale, flipped), *size)
        count += 1
    total /= count
    return total


def combine_passes(passes: list[Pass], scales=None, flip: bool = True) -> np.ndarray:
    """고른 조합(``scales`` 의 배율, ``flip`` 이 거짓이면 뒤집지 않은 것만)의 softmax 확률 평균 ``(H, W, C)``."""
    chosen = [p for p in passes if (scales is None or p.scale in scales) and (flip or not p.flipped)]
    if not chosen:
        raise RefinementError(f"고른 조합이 없습니다(scales={scales}, flip={flip}). passes에 있는 배율을 고르세요.")
    total = softmax(chosen[0].logits)
    for p in chosen[1:]:
        total += softmax(p.logits)
    return total / len(chosen)


def refined_segment(model, rgb: np.ndarray, scales=(1.0,), flip: bool = False, crf: bool = False,
                    crf_params: CRFParams | dict | None = None) -> np.ndarray:
    """``model.segment(image, scales=…, flip=…, crf=…)`` 의 본체: 원래 크기 ``(H, W)`` uint8 마스크.

    배율·뒤집기의 softmax 확률을 평균하고(:func:`combine_passes`), ``crf`` 면 그 확률을 DenseCRF로 다듬은
    뒤(:func:`deeplab_lessons.crf.mean_field`) arg-max합니다. 조합이 하나(배율 1.0, 뒤집기 없음)이고 CRF가 없으면
    로짓의 arg-max = ``segment(image)``. ``crf_params`` 가 없으면 :func:`deeplab_lessons.crf.default_params`
    (이 모델에 고른 값, 없으면 v1 LargeFOV). dict면 그 기본값에서 바꿀 값(:func:`check_crf_params`).

    Raises:
        RefinementError: 값이 올바르지 않거나(``crf=True`` 없는 ``crf_params`` 포함) 모델이 이 조합을 할 수
            없을 때(:func:`check_refinable`).
    """
    for name, value in (("flip", flip), ("crf", crf)):
        if not isinstance(value, (bool, np.bool_)):
            raise RefinementError(f"{josa(name, '은')} True 또는 False여야 합니다(받은 값: {value!r}).")
    scales = check_scales(scales)
    crf_params = check_crf_params(model, crf_params, bool(crf))
    check_refinable(model, scales, bool(flip), bool(crf))
    height, width = rgb.shape[:2]
    if not crf and len(_combinations(scales, bool(flip))) == 1:
        logits = _pass_logits(model, model.prepare(rgb), scales[0], bool(flip))
        return resize_logits_argmax(logits, height, width)
    size = working_size(height, width)
    if size != (height, width):
        print(f"알림: 사진이 {width}×{height}({height * width / 1e6:.1f} MP)로 커서 "
              f"{'확률 평균과 CRF를' if crf else '확률 평균을'} {size[1]}×{size[0]}(최대 {MAX_WORK_PIXELS / 1e6:g} MP, "
              "refine.MAX_WORK_PIXELS)에서 하고 마지막에 한 번 원래 크기로 키웁니다(메모리를 약 2 GB 안으로).")
    probabilities = averaged_probabilities(model, rgb, scales, bool(flip), size)
    if crf:
        small = rgb if size == (height, width) else np.asarray(
            Image.fromarray(rgb).resize((size[1], size[0]), Image.Resampling.BILINEAR))
        log_p = unary_logits(probabilities)
        del probabilities                   # 반복 동안 확률 한 장만큼 덜 씀(큰 사진에서 약 160 MB)
        probabilities = mean_field_from_unary(small, log_p, crf_params or default_params(model))
        del log_p
    if size == (height, width):
        return probabilities.argmax(axis=-1).astype(np.uint8)
    return resize_logits_argmax(probabilities, height, width)


def passes_seconds(passes: list[Pass], scales=None, flip: bool = True) -> float:
    """:func:`combine_passes` 와 같은 조합의 모델 실행 시간 합(초)."""
    return sum(p.seconds for p in passes if (scales is None or p.scale in scales) and (flip or not p.flipped))


def macs_factor(scales=DEEPLAB_SCALES, flip: bool = True) -> float:
    """여러 배율·뒤집기의 곱셈-덧셈이 배율 1.0 한 번의 몇 배인지: ``Σ s² × (뒤집기면 2)``.

    합성곱의 곱셈-덧셈은 출력 화소 수, 곧 입력 넓이에 비례하므로 배율 ``s`` 의 입력은 ``s²`` 배입니다.
    """
    scales = check_scales(scales)
    return sum(s * s for s in scales) * (2 if flip else 1)


# ---------------------------------------------------------------- 경계 띠 정확도

def trimap_counts(truth: np.ndarray, prediction: np.ndarray, width: int = 5) -> tuple[int, int]:
    """경계 띠 안에서 (맞은 화소 수, 센 화소 수). 무시 번호(255) 화소는 세지 않습니다.

    Raises:
        DeepLabLessonsError: 두 마스크의 모양이 다를 때.
    """
    truth, prediction = np.asarray(truth), np.asarray(prediction)
    if truth.shape != prediction.shape:
        raise DeepLabLessonsError(f"정답과 예측의 모양이 다릅니다(정답 {truth.shape}, 예측 {prediction.shape}).")
    band = boundary_band(truth, width) & (truth != 255)
    return int((truth[band] == prediction[band]).sum()), int(band.sum())


def trimap_accuracy(truth: np.ndarray, prediction: np.ndarray, width: int = 5) -> float:
    """경계 띠(``width`` 화소) 안의 화소 정확도(0–1). 띠가 비면 ``nan``."""
    correct, total = trimap_counts(truth, prediction, width)
    return correct / total if total else float("nan")
