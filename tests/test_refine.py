"""여러 배율·뒤집기 추론, 경계 지표, segment의 scales/flip/crf와 그 오류."""

import types

import numpy as np
import pytest
from PIL import Image

from deeplab_lessons import crf, refine
from deeplab_lessons.errors import DeepLabLessonsError, RefinementError
from deeplab_lessons.metrics import read_voc_pair
from deeplab_lessons.pretrained import load_model
from deeplab_lessons.pretrained.inference import SegmentationModel

LANDSCAPE = "2007_000033"   # 500×366: 긴 변이 너비라 입력 크기로 맞추면 오른쪽을 채우지 않습니다.


@pytest.fixture(scope="module")
def keras_129(tflite_path):
    """테스트를 빠르게: 입력 129의 Keras 재구성(배율 0.5 → 65)."""
    return load_model("mobilenetv2_voc_keras", model_dir=tflite_path.parent, input_size=129)


@pytest.fixture(scope="module")
def photo(voc_root):
    image, truth = read_voc_pair(voc_root, LANDSCAPE)
    small = (image.shape[1] // 3, image.shape[0] // 3)
    return np.asarray(Image.fromarray(image).resize(small, Image.Resampling.BILINEAR))


def test_single_scale_without_flip_equals_plain_segment(keras_129, photo):
    plain = keras_129.segment(photo)
    assert np.array_equal(keras_129.segment(photo, scales=[1.0]), plain)
    assert np.array_equal(keras_129.segment(photo, scales=(1.0,), flip=False), plain)


def test_flip_average_is_symmetric(keras_129, photo):
    mirrored = np.ascontiguousarray(photo[:, ::-1])
    both = refine.combine_passes(refine.scale_flip_passes(keras_129, photo, (1.0,), flip=True))
    both_mirrored = refine.combine_passes(refine.scale_flip_passes(keras_129, mirrored, (1.0,), flip=True))
    np.testing.assert_allclose(both_mirrored, both[:, ::-1], atol=1e-4)


def test_multi_scale_passes_and_average(keras_129, photo):
    passes = refine.scale_flip_passes(keras_129, photo, (0.5, 1.0, 1.5), flip=True)
    assert [(p.scale, p.flipped) for p in passes] == [(s, f) for s in (0.5, 1.0, 1.5) for f in (False, True)]
    assert all(p.logits.shape == photo.shape[:2] + (21,) for p in passes)
    average = refine.combine_passes(passes)
    np.testing.assert_allclose(average.sum(-1), 1, atol=1e-5)
    one = refine.combine_passes(passes, scales=(1.0,), flip=False)
    np.testing.assert_allclose(one, refine.softmax(passes[2].logits), atol=1e-6)
    mask = keras_129.segment(photo, scales=(0.5, 1.0, 1.5), flip=True)
    assert np.array_equal(mask, average.argmax(-1))
    # 배율이 달라 결과가 실제로 달라졌는지(평균이 헛돌지 않도록)
    assert not np.array_equal(mask, keras_129.segment(photo))


def test_crf_through_segment(keras_129, photo):
    mask = keras_129.segment(photo, crf=True, crf_params=crf.CRFParams(iterations=3))
    probabilities = refine.softmax(refine.scale_flip_passes(keras_129, photo, (1.0,), False)[0].logits)
    expected = crf.mean_field(photo, probabilities, crf.CRFParams(iterations=3)).argmax(-1)
    assert np.array_equal(mask, expected)


def test_tflite_flip_and_crf_work_but_not_scales(tflite_model, photo):
    gray = photo.mean(axis=2).astype(np.uint8)
    mask = tflite_model.segment(gray, flip=True, crf=True, crf_params=crf.CRFParams(iterations=2))
    assert mask.shape == gray.shape and mask.dtype == np.uint8
    with pytest.raises(RefinementError, match="257×257로 고정"):
        tflite_model.segment(photo, scales=(0.5, 1.0))


def test_bad_scales(keras_129, photo):
    with pytest.raises(RefinementError, match="비어 있습니다"):
        keras_129.segment(photo, scales=())
    with pytest.raises(RefinementError, match="배율 0이"):
        keras_129.segment(photo, scales=(0, 1.0))
    with pytest.raises(RefinementError, match="배율 -1.0이"):
        keras_129.segment(photo, scales=(-1.0,))
    with pytest.raises(RefinementError, match="최소 입력 33보다 작습니다"):
        keras_129.segment(photo, scales=(0.2, 1.0))
    with pytest.raises(RefinementError, match="True 또는 False"):
        keras_129.segment(photo, flip="yes")


def test_labels_only_backend_refuses_refinement(photo):
    backend = types.SimpleNamespace(kind="frozen_graph", input_size=513, square_input=False,
                                    predict=lambda rgb: np.zeros(rgb.shape[:2], np.int64))
    model = SegmentationModel(backend, "frozen.tar.gz")
    assert model.segment(photo).shape == photo.shape[:2]
    with pytest.raises(RefinementError, match="클래스 번호만 돌려주므로 확률이 필요한 crf"):
        model.segment(photo, crf=True)


def test_macs_factor():
    assert refine.macs_factor(refine.DEEPLAB_SCALES, flip=True) == pytest.approx(17.375)
    assert refine.macs_factor((1.0,), flip=False) == 1.0
    assert refine.scaled_size(513, 0.5) == 257 and refine.scaled_size(513, 1.75) == 897


def test_boundary_band_and_trimap():
    truth = np.zeros((20, 20), np.uint8)
    truth[5:15, 5:15] = 3
    band = refine.boundary_band(truth, width=2)
    # 경계 양쪽 화소(4, 5번째 줄)에서 한 화소씩 더 넓힌 띠: 3–6번째 줄
    assert band[3:7, 10].all() and not band[2, 10] and not band[7, 10] and not band[10, 10]
    prediction = truth.copy()
    prediction[5, 5:15] = 0                      # 윗변 한 줄(10화소)을 틀림
    correct, total = refine.trimap_counts(truth, prediction, width=2)
    assert total == band.sum() and correct == total - 10
    void = truth.copy()
    void[4:6, :] = 255                           # 무시 화소는 세지 않음
    assert refine.trimap_counts(void, void, width=2)[1] == (refine.boundary_band(void, 2) & (void != 255)).sum()
    with pytest.raises(DeepLabLessonsError, match="모양이 다릅니다"):
        refine.trimap_counts(truth, truth[:-1])


def test_figures_draw():
    from deeplab_lessons import figures

    rgb = np.zeros((20, 30, 3), np.uint8)
    truth = np.zeros((20, 30), np.uint8)
    truth[5:15, 10:20] = 15
    truth[5, 10:20] = 255
    fig = figures.refinement_comparison([("a", rgb, truth, truth, truth), ("b", rgb, truth, truth, truth)])
    assert len(fig.axes) == 8
    states = [np.full((20, 30, 21), 1 / 21, np.float32)] * 3
    assert len(figures.mean_field_iterations(rgb, states, 15).axes) >= 4


def test_crf_default_is_the_models_tuned_value_and_crf_params_overrides(keras_129, photo, monkeypatch):
    chosen = crf.CRFParams(bi_w=7, bi_xy_std=30, bi_rgb_std=4, iterations=2)
    monkeypatch.setitem(crf.TUNED, (keras_129.name, keras_129.INPUT_SIZE), chosen)
    probabilities = refine.softmax(refine.scale_flip_passes(keras_129, photo, (1.0,), False)[0].logits)
    assert np.array_equal(keras_129.segment(photo, crf=True),
                          crf.mean_field(photo, probabilities, chosen).argmax(-1))
    other = crf.CRFParams(iterations=1)
    assert np.array_equal(keras_129.segment(photo, crf=True, crf_params=other),
                          crf.mean_field(photo, probabilities, other).argmax(-1))
    monkeypatch.delitem(crf.TUNED, (keras_129.name, keras_129.INPUT_SIZE))
    assert crf.default_params(keras_129) == crf.CRFParams.v1_largefov()       # 고른 값이 없는 크기·모델은 v1
