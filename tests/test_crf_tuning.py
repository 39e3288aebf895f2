"""DenseCRF 매개변수 탐색(crf_tuning): 작은 영상의 합성 확률로, TF 없이."""

import numpy as np
import pytest
from PIL import Image
from tooling import ROOT

from deeplab_lessons import crf, crf_tuning, metrics, refine
from deeplab_lessons.errors import DeepLabLessonsError

VOC_ROOT = ROOT / "data" / "voc2012_sample"


def _case(image_id, seed, size=(64, 48)):
    """VOC 영상·정답을 줄이고, 정답에서 만든 뭉툭하고 잡음 섞인 확률을 붙인 Case."""
    from deeplab_lessons import voc

    rgb, truth = voc.read_pair(VOC_ROOT, image_id)
    rgb = np.asarray(Image.fromarray(rgb).resize(size, Image.Resampling.BILINEAR))
    truth = np.asarray(Image.fromarray(truth).resize(size, Image.Resampling.NEAREST))
    labels = np.where(truth == 255, 0, truth)
    rng = np.random.default_rng(seed)
    logits = 2.5 * np.eye(21, dtype=np.float32)[labels] + rng.normal(0, 1.2, labels.shape + (21,)).astype(np.float32)
    return crf_tuning.Case(image_id, rgb, refine.softmax(logits), truth)


@pytest.fixture(scope="module")
def cases():
    return [_case("2007_000250", 0), _case("2007_000504", 1), _case("2007_000515", 2)]


BASE = crf.CRFParams(pos_xy_std=1.0, iterations=5)


def test_evaluate_matches_mean_field_by_hand(cases):
    setting = crf.CRFParams(bi_w=4, bi_xy_std=10, bi_rgb_std=8, pos_xy_std=1.0, iterations=5)
    trial, = crf_tuning.evaluate(cases, [setting])
    matrix, band = np.zeros((21, 21), np.int64), [0, 0]
    for case in cases:
        labels = crf.mean_field(case.rgb, case.probabilities, setting).argmax(-1)
        matrix += metrics.confusion_matrix(case.truth, labels)
        correct, total = refine.trimap_counts(case.truth, labels, crf_tuning.BAND_WIDTH)
        band = [band[0] + correct, band[1] + total]
    assert trial.miou == pytest.approx(metrics.mean_iou(matrix) * 100)
    assert trial.band_accuracy == pytest.approx(band[0] / band[1] * 100)
    # 검사가 헛돌지 않도록: CRF가 점수를 실제로 바꿨어야 합니다.
    assert trial.miou != pytest.approx(crf_tuning.baseline(cases).miou)


def test_factor_shrinks_position_stds_only(cases):
    """줄인 영상에서는 위치 표준 편차만 factor배: 원래 크기 단위 θα=20, θγ=2 → 0.5배 영상에서 10, 1."""
    case = cases[0]
    small = crf_tuning.Case("s", *crf_tuning.shrink(case.rgb, case.probabilities, case.truth, 0.5))
    assert small.rgb.shape == (24, 32, 3) and small.truth.shape == (24, 32)
    assert np.allclose(small.probabilities.sum(-1), 1, atol=1e-5)
    setting = crf.CRFParams(bi_w=4, bi_xy_std=20, bi_rgb_std=8, pos_xy_std=2.0, iterations=5)
    trial, = crf_tuning.evaluate([small], [setting], factor=0.5)
    by_hand = crf.mean_field(small.rgb, small.probabilities,
                             crf.CRFParams(bi_w=4, bi_xy_std=10, bi_rgb_std=8, pos_xy_std=1.0, iterations=5))
    assert trial.miou == pytest.approx(metrics.mean_iou(metrics.confusion_matrix(small.truth,
                                                                                 by_hand.argmax(-1))) * 100)
    assert trial.params == setting                           # 표에는 원래 크기 단위


def test_tune_is_coarse_then_fine_and_picks_the_best(cases, capsys):
    coarse = {"bi_w": (1.0, 6.0), "bi_xy_std": (8.0, 30.0), "bi_rgb_std": (5.0,)}
    result = crf_tuning.tune(cases, coarse, base=BASE, chunks=2)
    stages = [t.stage for t in result.trials]
    assert stages[:4] == ["거친 격자"] * 4 and set(stages[4:]) == {"좁힌 격자"}
    coarse_best = max(result.trials[:4], key=lambda t: (t.miou, t.band_accuracy)).params
    fine = crf_tuning.fine_grid(coarse_best)
    assert {t.params for t in result.trials[4:]} == set(fine) - {t.params for t in result.trials[:4]}
    assert len({t.params for t in result.trials}) == len(result.trials)          # 같은 설정을 두 번 재지 않음
    best = max(result.trials, key=lambda t: (t.miou, t.band_accuracy))
    assert result.best == best.params
    assert (result.best.pos_w, result.best.pos_xy_std, result.best.iterations) == (3.0, 1.0, 5)
    text = result.table(top=3).text()
    assert text.splitlines()[2].startswith("CRF 없음") and len(text.splitlines()) == 2 + 1 + 3
    printed = capsys.readouterr().out
    assert "[1/2] 거친 격자 설정 4개" in printed and "[2/2] 좁힌 격자" in printed


def test_fine_grid_moves_one_parameter_at_a_time():
    best = crf.CRFParams(bi_w=4, bi_xy_std=60, bi_rgb_std=5)
    fine = crf_tuning.fine_grid(best)
    assert [(p.bi_w, p.bi_xy_std, p.bi_rgb_std) for p in fine] == [
        (3.0, 60, 5), (5.0, 60, 5), (4, 40.0, 5), (4, 90.0, 5), (4, 60, 3.57), (4, 60, 7.0)]
    assert all((p.pos_w, p.pos_xy_std, p.iterations) == (3.0, 3.0, 10) for p in fine)


def test_bad_inputs(cases):
    with pytest.raises(DeepLabLessonsError, match="cases가 비었습니다"):
        crf_tuning.tune([])
    with pytest.raises(DeepLabLessonsError, match="모르는 이름: pos_w"):
        crf_tuning.tune(cases, {"pos_w": (1.0, 3.0)})
    with pytest.raises(DeepLabLessonsError, match="factor"):
        crf_tuning.tune(cases, factor=0)
