"""큰 사진의 다듬기(이슈 26, 1): 작업 해상도가 묶여 있고, 2 MP 이하의 결과는 예전 계산과 같습니다.

24 MP에서 잰 최대 메모리는 단위 테스트가 아니라 ``benchmarks/bench_refine_memory.py`` 가 잽니다(무거움)."""

import numpy as np
import pytest

from deeplab_lessons import crf, refine
from deeplab_lessons.pretrained import load_model


@pytest.fixture(scope="module")
def keras_129(tflite_path):
    return load_model("mobilenetv2_voc_keras", model_dir=tflite_path.parent, input_size=129)


@pytest.fixture(scope="module")
def photo():
    rng = np.random.default_rng(3)
    base = rng.integers(0, 255, (6, 8, 3), np.uint8)
    return np.kron(base, np.ones((9, 10, 1), np.uint8)) + rng.integers(0, 20, (54, 80, 3), np.uint8)


def _old_refined(model, rgb, scales, flip, crf_on, params=None):
    """고치기 전의 계산: 배율·뒤집기마다 원래 크기 로짓 → 확률 평균 → (CRF) → arg-max."""
    passes = refine.scale_flip_passes(model, rgb, scales, flip)
    if not crf_on and len(passes) == 1:
        return passes[0].logits.argmax(-1).astype(np.uint8)
    probabilities = refine.combine_passes(passes)
    if crf_on:
        probabilities = crf.mean_field(rgb, probabilities, params or crf.default_params(model))
    return probabilities.argmax(-1).astype(np.uint8)


@pytest.mark.parametrize("scales, flip, crf_on", [((1.0,), True, False), ((0.5, 1.0, 1.5), True, False),
                                                  ((1.0,), False, True), ((0.75, 1.25), True, True)])
def test_photos_up_to_the_cap_give_the_same_mask_as_before(keras_129, photo, scales, flip, crf_on):
    params = crf.CRFParams(iterations=3) if crf_on else None
    new = refine.refined_segment(keras_129, photo, scales, flip, crf_on, params)
    assert np.array_equal(new, _old_refined(keras_129, photo, scales, flip, crf_on, params))


def test_average_matches_combine_passes_bit_for_bit(keras_129, photo):
    passes = refine.scale_flip_passes(keras_129, photo, (0.5, 1.0), True)
    averaged = refine.averaged_probabilities(keras_129, photo, (0.5, 1.0), True, photo.shape[:2])
    assert np.array_equal(averaged, refine.combine_passes(passes))


def test_two_megapixels_are_within_the_cap():
    assert refine.working_size(1200, 1600) == (1200, 1600)            # 1.92 MP: 그대로(결과가 예전과 같음)
    assert refine.MAX_WORK_PIXELS >= 2_000_000
    h, w = refine.working_size(4000, 6000)
    assert h * w <= refine.MAX_WORK_PIXELS and abs(w / h - 1.5) < 0.01


@pytest.mark.parametrize("crf_on", [False, True])
def test_big_photo_is_averaged_and_refined_at_the_bounded_size(keras_129, photo, monkeypatch, capsys, crf_on):
    monkeypatch.setattr(refine, "MAX_WORK_PIXELS", 1000)
    seen = {}
    real_average, real_mean_field = refine.averaged_probabilities, refine.mean_field_from_unary

    def spy_average(model, rgb, scales, flip, size):
        seen["average"] = size
        return real_average(model, rgb, scales, flip, size)

    def spy_mean_field(rgb, log_p, params):
        seen["crf"] = rgb.shape[:2], log_p.shape[0]
        return real_mean_field(rgb, log_p, params)

    monkeypatch.setattr(refine, "averaged_probabilities", spy_average)
    monkeypatch.setattr(refine, "mean_field_from_unary", spy_mean_field)
    mask = refine.refined_segment(keras_129, photo, (0.5, 1.0), True, crf_on,
                                  crf.CRFParams(iterations=2) if crf_on else None)
    h, w = seen["average"]
    assert h * w <= 1000 and mask.shape == photo.shape[:2] and mask.dtype == np.uint8
    if crf_on:
        assert seen["crf"] == ((h, w), h * w)
    out = capsys.readouterr().out
    assert out.startswith("알림:") and f"{w}×{h}" in out and "MAX_WORK_PIXELS" in out
    assert ("CRF" in out) == crf_on
    # 줄인 곳의 결과를 한 번 키운 마스크는 원래 크기에서 한 결과와 거의 같습니다.
    full = _old_refined(keras_129, photo, (0.5, 1.0), True, False) if not crf_on else None
    if full is not None:
        assert (mask == full).mean() > 0.9


def test_flip_only_keeps_no_full_size_logits_list(tflite_model, photo, monkeypatch):
    # 큰 사진에서 flip=True 가 원래 크기 로짓 목록(scale_flip_passes)을 만들지 않는지.
    monkeypatch.setattr(refine, "scale_flip_passes", lambda *a, **k: pytest.fail("원래 크기 로짓 목록을 만듦"))
    monkeypatch.setattr(refine, "combine_passes", lambda *a, **k: pytest.fail("원래 크기 로짓 목록을 평균함"))
    mask = tflite_model.segment(photo, flip=True)
    assert mask.shape == photo.shape[:2]
