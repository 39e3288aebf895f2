"""미세 조정: 공식 가중치의 인코더 + 새 로짓 층(+ 디코더), 배울 층 고르기, 체크포인트와 이어 가기, 내보내기.

작은 영상(80×60)과 작은 자르기(65)로 빠르게 돕니다.
"""

import numpy as np
import pytest
from PIL import Image

from deeplab_lessons import datasets, fine_tuning, voc
from deeplab_lessons.errors import DeepLabLessonsError


def _tiny_set(tmp_path, count=4):
    root = tmp_path / "tiny"
    (root / "images").mkdir(parents=True)
    (root / "masks").mkdir()
    (root / "classes.txt").write_text("배경\n네모\n", encoding="utf-8")
    rng = np.random.default_rng(0)
    for i in range(count):
        rgb = rng.integers(0, 60, (60, 80, 3), dtype=np.uint8)
        mask = np.zeros((60, 80), np.uint8)
        top, left = int(rng.integers(5, 25)), int(rng.integers(5, 40))
        rgb[top:top + 25, left:left + 30] = (220, 40, 40)
        mask[top:top + 25, left:left + 30] = 1
        Image.fromarray(rgb).save(root / "images" / f"{i}.png")
        palette = Image.fromarray(mask, "P")
        palette.putpalette(voc.colormap().ravel().tolist())
        palette.save(root / "masks" / f"{i}.png")
    return datasets.open_dataset(root)


CONFIG = fine_tuning.FineTuneConfig(epochs=2, crop=49, batch=2, decoder=True, train="decoder", decoder_filters=8,
                                    eval_size=81, learning_rate=0.02)


def test_model_replaces_the_last_layer_and_trains_what_is_asked(tflite_path):
    from deeplab_lessons.pretrained import transfer

    head = transfer.finetune_model(tflite_path, 4, train="head", input_size=65)
    assert head.output_shape == (None, 65, 65, 4)
    assert [w.name for w in head.trainable_weights] == ["kernel", "bias"]
    with_decoder = transfer.finetune_model(tflite_path, 4, decoder=True, train="decoder", decoder_filters=16)
    names = {layer.name for layer in with_decoder.layers if layer.trainable and layer.weights}
    assert "logits_new" in names and any(n.startswith("decoder_") for n in names)
    assert not any(n.startswith("MobilenetV2") for n in names)
    # 몇백 단계의 미세 조정에서도 추론용 평균·분산이 학습 때의 통계를 따라가도록(Keras 기본 0.99보다 빠르게)
    norms = [layer for layer in with_decoder.layers if layer.name.startswith("decoder_") and "bn" in layer.name]
    assert norms and all(layer.momentum == transfer.NEW_BN_MOMENTUM < 0.99 for layer in norms)
    everything = transfer.finetune_model(tflite_path, 4, train="all")
    assert transfer.trainable_count(everything) > 600_000
    with pytest.raises(DeepLabLessonsError, match="decoder=True 를 주거나"):
        transfer.finetune_model(tflite_path, 4, train="decoder")


def test_fine_tune_checkpoints_resume_and_export(tmp_path, tflite_path):
    train_set = _tiny_set(tmp_path, count=2)
    lines = []
    model, history = fine_tuning.fine_tune(train_set, tmp_path / "run", CONFIG, tflite_path, val_set=train_set,
                                           out=lines.append)
    assert [h["epoch"] for h in history] == [1, 2] and all(np.isfinite(h["loss"]) for h in history)
    assert "검증 평균 IoU" in lines[-1] and lines[-1].endswith(", 끝)")
    assert sorted(p.name for p in (tmp_path / "run" / "checkpoints").iterdir()) == ["epoch-001", "epoch-002"]

    class Stop(Exception):
        pass

    def stop_after_first(line):
        raise Stop(line)

    with pytest.raises(Stop):
        fine_tuning.fine_tune(train_set, tmp_path / "again", CONFIG, tflite_path, out=stop_after_first)
    assert sorted(p.name for p in (tmp_path / "again" / "checkpoints").iterdir()) == ["epoch-001"]
    with pytest.raises(DeepLabLessonsError, match="이미 체크포인트가 있습니다"):
        fine_tuning.fine_tune(train_set, tmp_path / "again", CONFIG, tflite_path)
    resumed, resumed_history = fine_tuning.fine_tune(train_set, tmp_path / "again", CONFIG, tflite_path,
                                                     resume=True, out=lines.append)
    assert [h["epoch"] for h in resumed_history] == [1, 2]
    # 이어 간 실행은 끊기지 않은 첫 실행과 같은 자르기·같은 옵티마이저 상태로 둘째 에포크를 돕니다(검증은 학습에
    # 난수를 쓰지 않음).
    assert resumed_history[1]["loss"] == pytest.approx(history[1]["loss"], rel=1e-4)
    other = fine_tuning.FineTuneConfig(**{**CONFIG.__dict__, "crop": 97})
    with pytest.raises(DeepLabLessonsError, match="설정이 처음과 다릅니다: crop"):
        fine_tuning.fine_tune(train_set, tmp_path / "again", other, tflite_path, resume=True)

    paths = fine_tuning.export(model, tmp_path / "run", train_set.class_names, input_size=81)
    from deeplab_lessons.pretrained import load_model

    tflite = load_model(paths["tflite"])
    assert not tflite.backend.square_input and (tmp_path / "run" / "preprocessing.txt").read_text() == "pad\n"
    images, _masks = fine_tuning.load_arrays(train_set)
    keras_masks = fine_tuning.predict_masks(model, images, 81)
    agreement = np.mean([np.mean(tflite.segment(rgb) == mask) for rgb, mask in zip(images, keras_masks, strict=True)])
    assert agreement >= 0.999


def test_class_weights_table_is_median_frequency_and_ignores_255():
    assert fine_tuning.pixel_weight_table(CONFIG, [600, 300, 100]) is None
    weighted = fine_tuning.FineTuneConfig(**{**CONFIG.__dict__, "class_weights": "median"})
    table = fine_tuning.pixel_weight_table(weighted, [600, 300, 100])
    assert table.shape == (256,) and table[:3].tolist() == pytest.approx([0.5, 1.0, 3.0])
    assert table[voc.IGNORE_LABEL] == 0
    with pytest.raises(DeepLabLessonsError, match="class_weights"):
        fine_tuning.FineTuneConfig(class_weights="balanced")


def test_fine_tune_with_class_weights_runs(tmp_path, tflite_path):
    train_set = _tiny_set(tmp_path, count=2)
    config = fine_tuning.FineTuneConfig(**{**CONFIG.__dict__, "epochs": 1, "class_weights": "median"})
    _, history = fine_tuning.fine_tune(train_set, tmp_path / "run", config, tflite_path, out=lambda line: None)
    assert np.isfinite(history[0]["loss"])


def test_poly_learning_rate_is_the_keras_schedule_that_build_uses():
    from deeplab_lessons import load_keras

    schedule = load_keras().optimizers.schedules.PolynomialDecay(0.1, 190, 0.0, power=fine_tuning.POLY_POWER)
    for step in (0, 1, 95, 189, 190):
        # Keras의 일정은 float32로 계산하므로 상대 오차 1e-5까지
        assert fine_tuning.poly_learning_rate(0.1, step, 190) == pytest.approx(float(schedule(step)), rel=1e-5)
