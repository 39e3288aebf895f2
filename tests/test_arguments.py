"""학습자가 짐작해 넣는 인자(이슈 26, 2): segment·refined_segment·dense_crf·load_model의 한국어 오류와 dict 매개변수."""

from dataclasses import replace
from fractions import Fraction

import numpy as np
import pytest

from deeplab_lessons import crf, refine
from deeplab_lessons.errors import DeepLabLessonsError, ModelNotFoundError, RefinementError
from deeplab_lessons.pretrained import load_model


@pytest.fixture(scope="module")
def photo():
    return np.random.default_rng(0).integers(0, 255, (30, 40, 3), np.uint8)


@pytest.fixture(scope="module")
def probabilities():
    p = np.random.default_rng(1).random((30, 40, 3)).astype(np.float32)
    return p / p.sum(-1, keepdims=True)


# ---------------------------------------------------------------- crf_params

def test_dict_crf_params_are_overrides_of_the_model_default(tflite_model, photo):
    by_dict = tflite_model.segment(photo, crf=True, crf_params={"iterations": 2, "bi_w": 5.0})
    base = crf.default_params(tflite_model)
    by_class = tflite_model.segment(photo, crf=True, crf_params=replace(base, bi_w=5.0, iterations=2))
    assert np.array_equal(by_dict, by_class)


@pytest.mark.parametrize("bad", ["v1", 3, {"bi_ww": 5}, {"iterations": -1}])
def test_bad_crf_params_get_a_korean_error_naming_the_argument(tflite_model, photo, bad):
    with pytest.raises(RefinementError, match="crf_params") as error:
        tflite_model.segment(photo, crf=True, crf_params=bad)
    assert "AttributeError" not in str(error.value)


def test_unknown_crf_param_name_lists_the_valid_ones(tflite_model, photo):
    with pytest.raises(RefinementError, match="bi_xy_std") as error:
        tflite_model.segment(photo, crf=True, crf_params={"bi_ww": 5})
    assert "bi_ww" in str(error.value)


@pytest.mark.parametrize("params", [crf.CRFParams(), {"bi_w": 5}])
def test_crf_params_without_crf_true_is_an_error(tflite_model, photo, params):
    with pytest.raises(RefinementError, match="crf=True"):
        tflite_model.segment(photo, crf_params=params)


def test_dense_crf_takes_a_dict_as_params(photo, probabilities):
    by_dict = crf.dense_crf(photo, probabilities, params={"iterations": 2})
    assert np.array_equal(by_dict, crf.dense_crf(photo, probabilities, iterations=2))


def test_dense_crf_rejects_other_params_in_korean(photo, probabilities):
    with pytest.raises(DeepLabLessonsError, match="params는 CRFParams 또는"):
        crf.dense_crf(photo, probabilities, params="v1")


# ---------------------------------------------------------------- scales

@pytest.mark.parametrize("scales", [(True,), (1 + 0j,), True, (np.bool_(True),), [1.0, False]])
def test_bools_and_complex_scales_are_refused_on_every_path(tflite_model, photo, scales):
    with pytest.raises(RefinementError, match="scales"):
        tflite_model.segment(photo, scales=scales)
    with pytest.raises(RefinementError, match="scales"):
        refine.refined_segment(tflite_model, photo, scales=scales)


def test_fraction_scale_is_a_number():
    assert refine.check_scales((Fraction(3, 4), 1)) == (0.75, 1.0)
    assert refine.check_scales(Fraction(1, 1)) == (1.0,)


def test_fraction_one_takes_the_plain_path(tflite_model, photo):
    assert np.array_equal(tflite_model.segment(photo, scales=(Fraction(1, 1),)), tflite_model.segment(photo))


# ---------------------------------------------------------------- dense_crf

def test_iterations_have_a_documented_upper_bound(photo, probabilities):
    assert crf.MAX_ITERATIONS == 100 and "MAX_ITERATIONS" in crf.CRFParams.__doc__
    with pytest.raises(DeepLabLessonsError, match="iterations .*100번까지"):
        crf.dense_crf(photo, probabilities, iterations=10 ** 6)
    crf.CRFParams(iterations=crf.MAX_ITERATIONS)


def test_nan_probabilities_are_called_nan(photo, probabilities):
    broken = probabilities.copy()
    broken[3, 4, 0] = np.nan
    with pytest.raises(DeepLabLessonsError, match="NaN 1개"):
        crf.dense_crf(photo, broken)


def test_one_class_is_called_one_class_not_a_shape_mismatch(photo):
    with pytest.raises(DeepLabLessonsError, match="클래스가 하나뿐입니다") as error:
        crf.dense_crf(photo, np.ones((30, 40, 1), np.float32))
    assert "np.stack" in str(error.value)


@pytest.mark.parametrize("std", [1e-15, 1e-30, 1e-200, 5e-324])
def test_tiny_standard_deviations_are_refused_before_any_overflow(photo, probabilities, std):
    with np.errstate(all="raise"):          # 넘침 경고가 나면 FloatingPointError로 실패합니다.
        with pytest.raises(DeepLabLessonsError, match="격자가 너무 큽니다"):
            crf.dense_crf(photo, probabilities, bi_xy_std=std, iterations=1)


# ---------------------------------------------------------------- model_dir, 모르는 인자

def test_missing_model_dir_is_an_error(tmp_path):
    with pytest.raises(ModelNotFoundError, match="없는 폴더입니다"):
        load_model("mobilenetv2_voc_tflite", model_dir=tmp_path / "없는폴더")
    (tmp_path / "file").write_text("x")
    with pytest.raises(ModelNotFoundError, match="파일입니다"):
        load_model("mobilenetv2_voc_tflite", model_dir=tmp_path / "file")


def test_unknown_segment_keyword_lists_the_valid_ones(tflite_model, photo):
    with pytest.raises(RefinementError, match="scale") as error:
        tflite_model.segment(photo, scale=0.5)
    message = str(error.value)
    assert "segment가 모르는 인자" in message and "scales, flip, crf, crf_params" in message
