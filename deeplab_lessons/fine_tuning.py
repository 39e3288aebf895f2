"""내 영상으로 DeepLab 미세 조정(fine-tuning): DeepLab처럼 늘린 자르기, 255 무시, poly 학습률, 에포크마다 체크포인트.

한 번의 실행은 폴더 하나(``RUN_DIR``)에 모입니다.

```
RUN_DIR/
  config.json            실행 설정(:class:`FineTuneConfig`)과 클래스 이름
  checkpoints/epoch-003/ 에포크가 끝날 때마다: model.keras(가중치 + 옵티마이저 상태) + state.json(에포크, 기록)
  history.json           에포크마다 손실과 검증 평균 IoU
  model.keras, model.tflite, classes.txt   다 배운 뒤 내보낸 모델(:func:`export`)
```

체크포인트는 숨은 임시 폴더에 다 쓴 뒤 이름을 바꿔 두므로, 학습이 Ctrl-C나 프로세스 종료로 끊겨도 반쯤 쓴
체크포인트는 ``epoch-NNN`` 으로 보이지 않습니다. ``resume=True`` 는 마지막으로 끝난 에포크에서 이어 갑니다(자르기의
난수는 ``(시드, 에포크)`` 에서만 정해지므로 이어 간 실행도 같은 자르기를 봅니다).
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from deeplab_lessons import augment, datasets, losses, metrics
from deeplab_lessons._tf import load_keras, load_tensorflow
from deeplab_lessons.errors import DeepLabLessonsError, check_choice, check_int, josa
from deeplab_lessons.image_io import normalize
from deeplab_lessons.progress import format_duration
from deeplab_lessons.safe_files import write_files

CHECKPOINTS = "checkpoints"
#: 인코더의 가중치를 가져오는 공식 모델(등록부 이름).
ENCODER_MODEL = "mobilenetv2_voc_tflite"
#: poly 학습률의 지수(DeepLab의 ``learning_power``).
POLY_POWER = 0.9
#: 클래스 가중치의 선택지: 없음, 또는 학습 데이터의 화소 수에서 낸 중앙값 빈도 균형.
CLASS_WEIGHTS = ("none", "median")
_PARTIAL = ".partial-"


@dataclass(frozen=True)
class FineTuneConfig:
    """미세 조정의 설정. 기본값은 ``python -m deeplab_lessons finetune`` 의 기본값입니다.

    학습률은 poly 일정(``lr × (1 − 단계/전체)^0.9``, DeepLab의 ``learning_policy=poly``)을 따르고, 옵티마이저는
    DeepLab처럼 모멘텀 0.9의 SGD입니다. ``crops_per_image`` 는 한 에포크에 영상마다 몇 번 자를지, ``min_scale``·
    ``max_scale`` 은 무작위 배율의 범위(DeepLab의 ``min_scale_factor``·``max_scale_factor``, 0.25 간격)입니다.

    학습률 0.1과 ``fine_tune_batch_norm=True`` 는 VOC train 표본 147장 × 2 에포크에서 잰 것입니다(아직 고르는 중):
    학습률 0.01·얼린 배치 정규화로는 검증 10장이 모두 배경(평균 IoU 0.054)이었고, 0.1·배우는 배치 정규화는 0.233,
    같은 설정 10 에포크는 0.471이었습니다.
    """

    epochs: int = 10
    crop: int = 321
    batch: int = 8
    crops_per_image: int = 1
    learning_rate: float = 0.1
    class_weights: str = "none"
    decoder: bool = True
    train: str = "decoder"
    fine_tune_batch_norm: bool = True
    decoder_filters: int = 128
    eval_size: int = 513
    min_scale: float = augment.MIN_SCALE
    max_scale: float = augment.MAX_SCALE
    seed: int = 0

    def __post_init__(self):
        for name in ("epochs", "crop", "batch", "crops_per_image", "decoder_filters", "eval_size"):
            check_int(name, getattr(self, name))
        check_choice("train", self.train, ("head", "decoder", "all"))
        check_choice("class_weights", self.class_weights, CLASS_WEIGHTS)
        augment.scale_choices(self.min_scale, self.max_scale)
        if not 0 < float(self.learning_rate) < 1:
            raise DeepLabLessonsError(f"learning_rate는 0과 1 사이여야 합니다(받은 값: {self.learning_rate}).")


def encoder_weights_file(model_dir=None):
    """인코더의 가중치가 든 공식 TFLite 파일의 경로(:data:`ENCODER_MODEL`, ``load_model`` 과 같은 순서로 찾거나 받음).

    Raises:
        DeepLabLessonsError: 파일을 찾지도 받지도 못할 때(찾아본 곳과 공식 주소를 알려 줌).
    """
    from deeplab_lessons.pretrained.files import resolve
    from deeplab_lessons.pretrained.registry import get_model_info

    return resolve(get_model_info(ENCODER_MODEL), model_dir)


def poly_learning_rate(base: float, step: int, total: int) -> float:
    """poly 일정의 학습률 ``base × (1 − step/total)^0.9`` (:func:`build` 의 Keras 일정과 같은 값)."""
    return float(base) * (1 - min(step, total) / total) ** POLY_POWER


def load_arrays(dataset: datasets.Dataset) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """데이터셋의 모든 쌍을 메모리로(검사는 :func:`deeplab_lessons.datasets.check_dataset` 이 먼저 합니다)."""
    pairs = [datasets.read_pair(pair, dataset.num_classes) for pair in dataset.pairs]
    return [p[0] for p in pairs], [p[1] for p in pairs]


def build(config: FineTuneConfig, tflite_path, num_classes: int, total_steps: int):
    """설정대로 모델을 만들고 컴파일합니다: 모멘텀 0.9의 SGD, ``total_steps`` 에서 0이 되는 poly 학습률,
    255를 무시하는 교차 엔트로피."""
    from deeplab_lessons.pretrained.transfer import finetune_model

    keras = load_keras()
    model = finetune_model(tflite_path, num_classes, decoder=config.decoder, train=config.train,
                           fine_tune_batch_norm=config.fine_tune_batch_norm, decoder_filters=config.decoder_filters)
    schedule = keras.optimizers.schedules.PolynomialDecay(
        float(config.learning_rate), decay_steps=max(1, total_steps), end_learning_rate=0.0, power=POLY_POWER)
    model.compile(optimizer=keras.optimizers.SGD(schedule, momentum=0.9),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True, ignore_class=augment.IGNORE_LABEL))
    return model


def steps_per_epoch(config: FineTuneConfig, images: int) -> int:
    """한 에포크의 단계 수(마지막 배치가 작아도 한 단계)."""
    return -(-images * config.crops_per_image // config.batch)


def fine_tune(train_set: datasets.Dataset, run_dir, config: FineTuneConfig, tflite_path=None, *, val_set=None,
              resume: bool = False, out=print, strategy=None):
    """``train_set`` 으로 미세 조정합니다. 다 배운 Keras 모델과 기록(dict의 list)을 돌려줍니다.

    Args:
        train_set: :func:`deeplab_lessons.datasets.open_dataset` 으로 연 학습 데이터셋(검사는 이 함수가 합니다).
        run_dir: 실행 폴더(없으면 만듦).
        config: 설정.
        tflite_path: 공식 TFLite 파일(인코더의 가중치). ``None`` 이면 ``load_model`` 과 같은 순서로 찾거나 내려받습니다.
        val_set: 에포크마다 평균 IoU를 잴 데이터셋(선택).
        resume: 마지막으로 끝난 체크포인트에서 이어 갈지.
        out: 진행 줄을 받는 함수(기본 ``print``).
        strategy: ``tf.distribute`` 전략(기본: 기본 전략 = 이 기계의 장치 하나).

    Raises:
        DeepLabLessonsError: 데이터셋 문제(:func:`~deeplab_lessons.datasets.check_dataset`), ``resume`` 인데
            체크포인트가 없거나 설정이 다를 때, 실행 폴더를 쓸 수 없을 때.
    """
    tf, keras = load_tensorflow(), load_keras()
    if tflite_path is None:
        tflite_path = encoder_weights_file()
    run_dir = Path(run_dir)
    summary = datasets.check_dataset(train_set)
    weights = pixel_weight_table(config, summary.pixels)
    if val_set is not None:
        datasets.check_dataset(val_set)
    images, masks = load_arrays(train_set)
    val = load_arrays(val_set) if val_set is not None else None
    keras.utils.set_random_seed(config.seed)
    strategy = strategy or tf.distribute.get_strategy()
    total = config.epochs * steps_per_epoch(config, len(images))
    start_epoch, history = 0, []
    with strategy.scope():
        if resume:
            model, start_epoch, history = _resume(run_dir, config)
        else:
            _prepare_run_dir(run_dir, config, train_set.class_names)
            model = build(config, tflite_path, train_set.num_classes, total)
    began = time.perf_counter()
    for epoch in range(start_epoch, config.epochs):
        x, y = augment.epoch_crops(images, masks, config.crop, config.seed, epoch, config.crops_per_image,
                                   augment.scale_choices(config.min_scale, config.max_scale))
        fit = model.fit(normalize(x), y, batch_size=config.batch,
                        sample_weight=None if weights is None else weights[y], epochs=epoch + 1,
                        initial_epoch=epoch, shuffle=False, verbose=0)
        record = {"epoch": epoch + 1, "loss": float(fit.history["loss"][-1])}
        if not np.isfinite(record["loss"]):
            raise DeepLabLessonsError(f"에포크 {epoch + 1}에서 손실이 {josa(record['loss'], '이')} 되었습니다(발산). "
                                      f"learning_rate(지금 {config.learning_rate})를 줄여 다시 시작하세요.")
        if val is not None:
            record["val_miou"] = evaluate_arrays(model, *val, train_set.num_classes, config.eval_size).mean_iou
        history.append(record)
        save_checkpoint(run_dir, model, epoch + 1, history)
        out(_progress_line(record, config.epochs, time.perf_counter() - began, epoch + 1 - start_epoch))
    _write_json(run_dir / "history.json", history)
    return model, history


def pixel_weight_table(config: FineTuneConfig, pixel_counts) -> np.ndarray | None:
    """화소의 정답 번호 → 손실 가중치의 표 ``(256,)`` float32 (255는 0), 또는 가중치를 쓰지 않으면 ``None``."""
    if config.class_weights == "none":
        return None
    table = np.zeros(256, np.float32)
    table[:len(pixel_counts)] = losses.median_frequency_weights(pixel_counts)
    return table


def _progress_line(record: dict, epochs: int, elapsed: float, done: int) -> str:
    line = f"에포크 {record['epoch']}/{epochs} — 손실 {record['loss']:.3f}"
    if "val_miou" in record:
        line += f", 검증 평균 IoU {record['val_miou']:.3f}"
    remaining = epochs - record["epoch"]
    line += f" (경과 {format_duration(elapsed)}"
    return line + (f", 남은 시간 약 {format_duration(elapsed / done * remaining)})" if remaining else ", 끝)")


def evaluate_arrays(model, images, masks, num_classes: int, eval_size: int) -> metrics.Evaluation:
    """영상마다 긴 변을 ``eval_size`` 로 맞춰(오른쪽·아래 채우기) 예측하고 한 혼동 행렬로 평가합니다."""
    return metrics.evaluate(zip(masks, predict_masks(model, images, eval_size), strict=True), num_classes)


def predict_masks(model, images, eval_size: int) -> list[np.ndarray]:
    """영상마다의 예측 마스크(원래 크기). 사전 학습 모델의 ``segment`` 와 같은 길(채우기, 잘라 내기)."""
    from deeplab_lessons.pretrained.backends import KerasBackend
    from deeplab_lessons.pretrained.inference import SegmentationModel

    segmenter = SegmentationModel(KerasBackend(model, eval_size), model.name)
    return [segmenter.segment(rgb) for rgb in images]


# ---------------------------------------------------------------- 실행 폴더와 체크포인트

def _prepare_run_dir(run_dir: Path, config: FineTuneConfig, class_names) -> None:
    if (run_dir / CHECKPOINTS).is_dir() and any(_complete(run_dir)):
        raise DeepLabLessonsError(f"실행 폴더에 이미 체크포인트가 있습니다: {run_dir}. 이어 가려면 --resume 을, 새로 "
                                  "시작하려면 다른 --out 폴더를 주세요.")
    try:
        (run_dir / CHECKPOINTS).mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DeepLabLessonsError(f"실행 폴더를 만들 수 없습니다: {run_dir} ({exc.strerror or exc}). 쓸 수 있는 폴더를 "
                                  "주세요.") from None
    _write_json(run_dir / "config.json", {"config": dataclasses.asdict(config), "classes": list(class_names)})


def _complete(run_dir: Path) -> list[Path]:
    """끝까지 쓴 체크포인트 폴더들(에포크 순서)."""
    folder = run_dir / CHECKPOINTS
    return sorted(p for p in folder.glob("epoch-*") if (p / "state.json").is_file()) if folder.is_dir() else []


def save_checkpoint(run_dir: Path, model, epoch: int, history: list[dict]) -> Path:
    """에포크 ``epoch`` 의 체크포인트를 원자적으로 씁니다(임시 폴더 → 이름 바꾸기). 옛 반쪽 폴더는 지웁니다."""
    folder = run_dir / CHECKPOINTS
    for stale in folder.glob(_PARTIAL + "*"):
        shutil.rmtree(stale, ignore_errors=True)
    temp = folder / f"{_PARTIAL}epoch-{epoch:03d}-{os.getpid()}"
    final = folder / f"epoch-{epoch:03d}"
    temp.mkdir(parents=True)
    try:
        model.save(temp / "model.keras")
        _write_json(temp / "state.json", {"epoch": epoch, "history": history})
        if final.exists():
            shutil.rmtree(final)
        os.replace(temp, final)
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise
    return final


def _resume(run_dir: Path, config: FineTuneConfig):
    keras = load_keras()
    saved = run_dir / "config.json"
    checkpoints = _complete(run_dir)
    if not saved.is_file() or not checkpoints:
        raise DeepLabLessonsError(f"이어 갈 체크포인트가 없습니다: {run_dir / CHECKPOINTS}. --resume 없이 새로 "
                                  "시작하세요.")
    before = json.loads(saved.read_text(encoding="utf-8"))["config"]
    changed = sorted(k for k, v in dataclasses.asdict(config).items() if before.get(k) != v)
    if changed:
        raise DeepLabLessonsError(f"이어 가는 실행의 설정이 처음과 다릅니다: {', '.join(changed)}. 처음과 같은 인자로 "
                                  "--resume 하거나, 새 --out 폴더에서 새로 시작하세요.")
    last = checkpoints[-1]
    state = json.loads((last / "state.json").read_text(encoding="utf-8"))
    model = keras.models.load_model(last / "model.keras")
    return model, int(state["epoch"]), list(state["history"])


def _write_json(path: Path, value) -> None:
    write_files({path: lambda temp: Path(temp).write_text(json.dumps(value, ensure_ascii=False, indent=1),
                                                          encoding="utf-8")})


def export(model, run_dir, class_names, input_size: int = 513) -> dict[str, Path]:
    """``model.keras`` 와 ``model.tflite`` (float32, 입력 ``input_size`` 고정), ``classes.txt``, 그리고
    ``preprocessing.txt`` (``pad``: ``load_model`` 이 TFLite에도 학습·Keras와 같은 채우기 전처리를 쓰게 함)를 씁니다.

    TFLite 파일만 휴대폰으로 옮긴다면 앱도 같은 전처리(긴 변을 ``input_size`` 로 줄이고 오른쪽·아래를 0으로 채우기,
    입력 ``x / 127.5 − 1``)를 해야 같은 마스크가 나옵니다. 영상을 ``S×S`` 로 늘려 넣으면 마스크가 달라집니다.
    """
    from deeplab_lessons.pretrained.export import export_tflite
    from deeplab_lessons.pretrained.files import PAD_INPUT, PREPROCESSING_SIDECAR

    keras = load_keras()
    run_dir = Path(run_dir)
    fixed = keras.Model.from_config(_fixed_size_config(model, input_size))
    fixed.set_weights(model.get_weights())
    paths = {"keras": run_dir / "model.keras", "tflite": run_dir / "model.tflite", "classes": run_dir / "classes.txt",
             "preprocessing": run_dir / PREPROCESSING_SIDECAR}
    write_files({paths["keras"]: model.save})
    export_tflite(fixed, paths["tflite"])
    write_files({paths["classes"]: lambda temp: Path(temp).write_text("\n".join(class_names) + "\n",
                                                                      encoding="utf-8"),
                 paths["preprocessing"]: lambda temp: Path(temp).write_text(PAD_INPUT + "\n", encoding="utf-8")})
    return paths


def _fixed_size_config(model, input_size: int) -> dict:
    config = model.get_config()
    for layer in config["layers"]:
        if layer["class_name"] == "InputLayer":
            layer["config"]["batch_shape"] = [1, input_size, input_size, 3]
    return config
