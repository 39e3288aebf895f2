import io

import pytest

from deeplab_lessons import ablation, training
from deeplab_lessons.errors import DeepLabLessonsError
from deeplab_lessons.progress import Progress, format_duration


@pytest.mark.parametrize(("seconds", "text"), [
    (0, "0초"), (41.6, "42초"), (60, "1분"), (185, "3분 5초"), (3600, "1시간"), (3725, "1시간 2분"), (-0.2, "0초"),
])
def test_format_duration(seconds, text):
    assert format_duration(seconds) == text


class FakeClock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


def test_progress_lines_elapsed_and_remaining():
    clock, out = FakeClock(), io.StringIO()
    progress = Progress(3, clock=clock, out=out)
    progress.start("가 · 시드 0: 에포크")
    progress.note(" 1")
    progress.note(" 2")
    clock.now += 30
    progress.done("평균 IoU 0.500")
    progress.start("나")
    clock.now += 90
    progress.done()
    progress.start("다")
    clock.now += 60
    progress.done("끝난 결과")
    assert out.getvalue().splitlines() == [
        "[1/3] 가 · 시드 0: 에포크 1 2 — 평균 IoU 0.500 (경과 30초, 남은 시간 약 1분)",
        "[2/3] 나 (경과 2분, 남은 시간 약 1분)",
        "[3/3] 다 — 끝난 결과 (경과 3분, 끝)",
    ]
    assert progress.finished == 3 and progress.elapsed == 180


def test_progress_start_closes_an_unfinished_line():
    out = io.StringIO()
    progress = Progress(2, clock=FakeClock(), out=out)
    progress.start("가")
    progress.start("나")
    assert out.getvalue() == "[1/2] 가\n[1/2] 나"


def test_progress_needs_a_positive_count():
    with pytest.raises(DeepLabLessonsError, match="total"):
        Progress(0)


TINY = training.TrainConfig(size=64, train_images=16, test_images=8, epochs=2, batch_size=8, aspp_filters=8)


def test_ablation_prints_one_line_per_model_with_epochs(capsys):
    results = ablation.run_ablation(["OS 32, 쌍선형 업샘플링"], TINY, seeds=(0, 1))
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("구성 1개 × 시드 2개 = 모델 2개를")
    assert lines[1].startswith("[1/2] OS 32, 쌍선형 업샘플링 · 시드 0: 에포크 1 2 — 평균 IoU ")
    assert "남은 시간 약" in lines[1]
    assert lines[2].startswith("[2/2] OS 32, 쌍선형 업샘플링 · 시드 1: 에포크 1 2 — ") and lines[2].endswith(", 끝)")
    assert len(lines) == 3 and len(results[0].values("mean_iou")) == 2


def test_training_prints_remaining_time_per_epoch(capsys):
    model = training.build(TINY, 0, **training.ABLATION["OS 32, 쌍선형 업샘플링"])
    training.train(model, TINY, validation=True)
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("에포크 1/2 — 손실 ") and "검증 평균 IoU" in lines[0] and "남은 시간 약" in lines[0]
    assert lines[1].startswith("에포크 2/2 — ") and "남은 시간" not in lines[1]
