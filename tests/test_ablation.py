import numpy as np
import pytest

from deeplab_lessons import ablation, training
from deeplab_lessons.errors import DeepLabLessonsError

TINY = training.TrainConfig(size=64, train_images=16, test_images=8, epochs=1, batch_size=8, aspp_filters=8)


def test_scores_separate_boundary_from_interior():
    """경계에서 한 화소 어긋난 예측: 경계 띠의 정확도는 떨어지고(좁은 띠일수록 더) 안쪽 정확도는 그대로 1."""
    truth = np.zeros((1, 16, 16), np.uint8)
    truth[0, 3:13, 3:13] = 2
    shifted = np.zeros_like(truth)
    shifted[0, 4:14, 3:13] = 2
    perfect = ablation.score(truth, truth)
    assert all(perfect[m] == 1.0 for m in ("mean_iou", "trimap_1", "trimap_4", "interior_accuracy"))
    off = ablation.score(truth, shifted)
    assert off["interior_accuracy"] == 1.0 and off["trimap_1"] < off["trimap_2"] < off["trimap_4"] < 1.0
    assert off["size_iou"] == off["per_class"][2] and np.isnan(off["context_iou"])


def test_step_effects_need_same_sign_and_mean_above_spread():
    def row(name, values):
        result = ablation.RowResult(name, 0, 0.0, seeds=[0, 1, 2])
        result.scores["mean_iou"] = list(values)
        return result

    rows = [row("a", [0.5, 0.6, 0.4]), row("b", [0.6, 0.7, 0.5]), row("c", [0.7, 0.6, 0.52]),
            row("d", [0.5, 0.5, 0.5]), row("e", [0.5002, 0.5003, 0.5002])]
    first, second, third, tiny = ablation.step_effects(rows)
    assert not tiny.measurable                  # 모두 양수이고 평균 > 표준편차지만 0.001보다 작음
    assert first.measurable and first.verdict == "좋아짐" and first.mean == pytest.approx(0.1)
    assert not second.measurable and second.verdict == "잴 수 있는 차 없음"     # 부호가 섞임
    assert third.measurable and third.verdict == "나빠짐"
    assert ablation.effect(rows, "b").differences == first.differences
    rows[1].seeds = [0, 1, 3]
    with pytest.raises(DeepLabLessonsError, match="시드"):
        ablation.step_effects(rows)


def test_run_ablation_scores_each_seed_and_reproduces_a_seed():
    results = ablation.run_ablation(["OS 32, 쌍선형 업샘플링"], TINY, seeds=(0, 1), verbose=False)
    again = ablation.run_ablation(["OS 32, 쌍선형 업샘플링"], TINY, seeds=(0,), verbose=False)
    first = results[0]
    assert first.seeds == [0, 1] and len(first.per_class) == 2 and first.params > 0 and first.gmacs > 0
    assert first.values("mean_iou")[0] == pytest.approx(again[0].values("mean_iou")[0], abs=1e-6)
    assert "±" in str(ablation.results_table(results))


def test_receptive_fields_do_not_depend_on_output_stride():
    fields = list(ablation.receptive_fields(training.TrainConfig()).values())
    assert fields[0] == fields[1] == fields[2] == 163
    assert fields[3] == fields[4] == 163 + 2 * 4 * 8 and fields[5] == fields[3] + 16
    shown = ablation.receptive_field_table(training.TrainConfig())
    assert [row[1] for row in shown.rows] == ["32", "16", "8", "8", "8", "8"] and shown.rows[0][2] == "2×2"


@pytest.mark.parametrize("call,match", [
    (lambda: ablation.run_ablation(["v4"], TINY, verbose=False), "구성 이름"),
    (lambda: ablation.run_ablation(["OS 16, 아트러스"], TINY, seeds=(1, 1), verbose=False), "seeds"),
    (lambda: ablation.run_ablation(["OS 16, 아트러스"], TINY, seeds=(), verbose=False), "seeds"),
    (lambda: ablation.score(np.zeros((1, 4, 4)), np.zeros((4, 4))), "prediction"),
    (lambda: ablation.boundary_band(np.zeros((4, 4)), 0), "width"),
    (lambda: ablation.RowResult("a", 0, 0.0).values("accuracy"), "metric"),
])
def test_bad_arguments(call, match):
    with pytest.raises(DeepLabLessonsError, match=match):
        call()


def test_compare_to_baseline_without_a_change_only_explains(capsys):
    assert ablation.compare_to_baseline([], training.V3_PLUS, None, TINY) is None
    assert "아직 바꾸지 않았습니다" in capsys.readouterr().out
    baseline = ablation.RowResult(training.V3_PLUS, 0, 0.0, seeds=[0])
    with pytest.raises(DeepLabLessonsError, match="모르는 열쇠"):
        ablation.compare_to_baseline([baseline], training.V3_PLUS, {"dropout": 0.5}, TINY)
    with pytest.raises(DeepLabLessonsError, match="name"):
        ablation.compare_to_baseline([baseline], "OS 8, 아트러스", {"decoder": True}, TINY)


def test_compare_to_baseline_trains_the_changed_row():
    baseline = ablation.run_ablation(["+ ASPP"], TINY, seeds=(0,), verbose=False)
    shown = ablation.compare_to_baseline(baseline, "+ ASPP", {"aspp_rates": (1, 2, 3)}, TINY)
    assert shown.headers == ("점수", "기준", "바꾼 구성", "짝지은 차", "판정") and len(shown.rows) == 5
    assert shown.rows[0][1] == ablation.spread(baseline[0].values("mean_iou"))


def test_paired_row_reports_spread_difference_and_verdict():
    row = ablation.paired_row("재현율", [0.5, 0.6, 0.7], [0.9, 0.95, 0.97])
    assert row[0] == "재현율" and row[1] == ablation.spread([0.5, 0.6, 0.7])
    assert row[3].startswith("+0.340 ± ") and row[4] == "좋아짐"
    assert ablation.paired_row("x", [0.5, 0.6], [0.6, 0.5])[4] == "잴 수 있는 차 없음"
