"""10강: 작은 DeepLab을 CPU에서 학습하고, 구성 요소별로 비교(ablation)합니다.

학습은 ``model.fit`` (Adam, 코사인 감소 학습률, 로짓에 대한 희소 교차 엔트로피)이고, 한국어 진행 표시를 씁니다.
평가는 :mod:`deeplab_lessons.metrics` 의 평균 IoU와, 물체 경계 근처 띠 안의 평균 IoU(경계 지표)입니다.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from deeplab_lessons import data, metrics
from deeplab_lessons._tf import load_keras
from deeplab_lessons.errors import bad_argument, check_int
from deeplab_lessons.progress import Progress, format_duration


@dataclass(frozen=True)
class TrainConfig:
    """학습 설정. 기본값은 2코어 CPU에서 전체 v3+가 3분 안에 평균 IoU 0.85를 넘도록 고른 값입니다."""

    size: int = 128
    train_images: int = 600
    test_images: int = 200
    epochs: int = 6
    batch_size: int = 16
    learning_rate: float = 3e-3
    alpha: float = 0.35
    aspp_filters: int = 32

    def __post_init__(self):
        for name in ("size", "train_images", "test_images", "epochs", "batch_size", "aspp_filters"):
            check_int(name, getattr(self, name))
        if self.size % 32:
            raise bad_argument("size", self.size, "32(비교하는 가장 큰 출력 보폭)의 배수여야 합니다",
                               "예: size=128. 그래야 출력 보폭 8·16·32의 특징 맵이 모두 나누어떨어집니다.")

    @property
    def spec(self) -> data.SceneSpec:
        return data.SceneSpec(size=self.size)


#: 비교할 구성(이름 → :func:`deeplab_lessons.models.deeplab` 의 인자). 위에서 아래로 부품을 하나씩 더합니다.
ABLATION = {
    "OS 32, 쌍선형 업샘플링": {"output_stride": 32, "head": "none"},
    "OS 16, 아트러스": {"output_stride": 16, "head": "none"},
    "OS 8, 아트러스": {"output_stride": 8, "head": "none"},
    "+ ASPP (OS 8)": {"output_stride": 8, "head": "aspp", "image_pooling": False},
    "+ 이미지 수준 풀링 (v3)": {"output_stride": 8, "head": "aspp", "image_pooling": True},
    "+ 디코더 (v3+)": {"output_stride": 8, "head": "aspp", "image_pooling": True, "decoder": True},
}
#: CI와 빠른 실행에 쓰는 세 줄: 기준, v3, v3+.
FAST_ROWS = ("OS 32, 쌍선형 업샘플링", "+ 이미지 수준 풀링 (v3)", "+ 디코더 (v3+)")


def build(config: TrainConfig, seed: int = 0, **architecture):
    """설정과 구성 인자로 모델을 짓고 컴파일합니다(시드 고정, 배치 정규화 모멘텀 0.9)."""
    from deeplab_lessons import models

    keras = load_keras()
    keras.utils.set_random_seed(check_int("seed", seed, minimum=0))
    model = models.deeplab(num_classes=data.NUM_CLASSES, input_shape=(config.size, config.size, 3),
                           alpha=config.alpha, aspp_filters=config.aspp_filters, bn_momentum=0.9, **architecture)
    steps = config.epochs * -(-config.train_images // config.batch_size)
    schedule = keras.optimizers.schedules.CosineDecay(config.learning_rate, steps)
    model.compile(optimizer=keras.optimizers.Adam(schedule),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=[keras.metrics.MeanIoU(data.NUM_CLASSES, sparse_y_pred=False, name="miou")])
    return model


def korean_progress(progress: Progress | None = None):
    """학습 진행을 한국어로 보여 주는 Keras 콜백.

    ``progress`` 가 없으면 에포크마다 한 줄:
    ``에포크 3/6 — 손실 0.123, 검증 평균 IoU 0.812 (경과 41초, 남은 시간 약 41초)``.
    ``progress`` (:class:`~deeplab_lessons.progress.Progress`)가 있으면 그 줄에 끝난 에포크 번호만 이어 씁니다
    (구성 요소 비교처럼 모델 여러 개를 학습할 때 모델마다 한 줄).
    """
    keras = load_keras()

    class KoreanProgress(keras.callbacks.Callback):
        def on_train_begin(self, logs=None):
            self.start = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
            if progress is not None:
                progress.note(f" {epoch + 1}")
                return
            logs = logs or {}
            epochs = self.params["epochs"]
            line = f"에포크 {epoch + 1}/{epochs} — 손실 {logs.get('loss', float('nan')):.3f}"
            if "val_miou" in logs:
                line += f", 검증 평균 IoU {logs['val_miou']:.3f}"
            elapsed = time.perf_counter() - self.start
            line += f" (경과 {format_duration(elapsed)}"
            if epoch + 1 < epochs:
                line += f", 남은 시간 약 {format_duration(elapsed / (epoch + 1) * (epochs - epoch - 1))}"
            print(line + ")", flush=True)

    return KoreanProgress()


def train(model, config: TrainConfig, seed: int = 0, validation: bool = True, verbose: bool = True,
          progress: Progress | None = None):
    """합성 학습 장면으로 학습합니다. ``(history dict, 걸린 초)`` 를 돌려줍니다.

    ``verbose`` 이면 에포크마다 한 줄을 출력하고, ``progress`` 를 주면 그 줄에 에포크 번호만 이어 씁니다
    (:func:`korean_progress`). 둘 다 아니면 아무것도 출력하지 않습니다.
    """
    train_images, train_masks = data.make_split("train", config.train_images, config.spec)
    fit_args = {}
    if validation:
        val_images, val_masks = data.make_split("val", max(1, config.test_images // 2), config.spec)
        fit_args["validation_data"] = data.as_dataset(val_images, val_masks, config.batch_size)
    start = time.perf_counter()
    history = model.fit(data.as_dataset(train_images, train_masks, config.batch_size, shuffle=True, seed=seed),
                        epochs=config.epochs, verbose=0, shuffle=False,  # 데이터셋이 이미 섞습니다.
                        callbacks=[korean_progress(progress)] if verbose or progress is not None else [],
                        **fit_args)
    return history.history, time.perf_counter() - start


def predict_masks(model, images: np.ndarray, batch_size: int = 32) -> np.ndarray:
    """``(N, H, W, 3)`` uint8 영상의 예측 마스크 ``(N, H, W)`` uint8."""
    logits = model.predict(images.astype(np.float32) / 127.5 - 1, batch_size=batch_size, verbose=0)
    return logits.argmax(axis=-1).astype(np.uint8)


def boundary_band(mask: np.ndarray, width: int = 2) -> np.ndarray:
    """정답 마스크에서 클래스가 바뀌는 곳으로부터 ``width`` 화소 안의 띠(bool)."""
    width = check_int("width", width)
    edge = np.zeros(mask.shape, bool)
    edge[:-1] |= mask[:-1] != mask[1:]
    edge[1:] |= mask[:-1] != mask[1:]
    edge[:, :-1] |= mask[:, :-1] != mask[:, 1:]
    edge[:, 1:] |= mask[:, :-1] != mask[:, 1:]
    band = edge.copy()
    for _ in range(width - 1):   # 한 화소씩 넓힙니다(4-이웃).
        grown = band.copy()
        grown[:-1] |= band[1:]
        grown[1:] |= band[:-1]
        grown[:, :-1] |= band[:, 1:]
        grown[:, 1:] |= band[:, :-1]
        band = grown
    return band


@dataclass
class Scores:
    """시험 장면의 점수: 평균 IoU, 클래스별 IoU, 크기로만 갈리는 두 클래스의 평균 IoU, 경계 띠 안의 평균 IoU."""

    mean_iou: float
    per_class: np.ndarray
    size_classes_iou: float
    boundary_iou: float


def score(truth: np.ndarray, prediction: np.ndarray, band_width: int = 2) -> Scores:
    """``(N, H, W)`` 정답과 예측을 평가합니다. 경계 지표는 띠 밖 화소를 무시 값(255)으로 바꿔 셉니다."""
    overall = metrics.evaluate(zip(truth, prediction, strict=True), num_classes=data.NUM_CLASSES)
    banded = np.where(np.stack([boundary_band(t, band_width) for t in truth]), truth, metrics.IGNORE_LABEL)
    boundary = metrics.evaluate(zip(banded, prediction, strict=True), num_classes=data.NUM_CLASSES)
    size_values = overall.per_class[list(data.SIZE_CLASSES)]
    size_values = size_values[~np.isnan(size_values)]
    size_iou = float(size_values.mean()) if size_values.size else float("nan")
    return Scores(overall.mean_iou, overall.per_class, size_iou, boundary.mean_iou)


@dataclass
class AblationResult:
    """구성 하나의 결과(시드마다의 값 목록)."""

    name: str
    params: int
    gmacs: float
    seconds: list = field(default_factory=list)
    mean_iou: list = field(default_factory=list)
    size_iou: list = field(default_factory=list)
    boundary_iou: list = field(default_factory=list)


def run_ablation(rows, config: TrainConfig, seeds=(0, 1), verbose: bool = True) -> list[AblationResult]:
    """``rows`` (:data:`ABLATION` 의 이름들)를 같은 예산(설정)으로 시드마다 학습하고 시험 장면에서 평가합니다.

    ``verbose`` 이면 학습할 모델 수를 먼저 알리고, 모델마다 한 줄(끝난 에포크 번호, 평균 IoU, 학습 시간,
    경과 시간과 남은 시간의 어림)을 출력합니다. 이 줄들은 기계마다 다르므로 노트북에서는 비교하지 않습니다.
    """
    from deeplab_lessons import counting

    seeds = tuple(seeds)
    test_images, test_masks = data.make_split("test", config.test_images, config.spec)
    progress = Progress(len(rows) * len(seeds)) if verbose else None
    if verbose:
        print(f"구성 {len(rows)}개 × 시드 {len(seeds)}개 = 모델 {progress.total}개를 "
              f"장면 {config.train_images}장 × {config.epochs} 에포크씩 학습합니다.", flush=True)
    results = []
    for name in rows:
        probe = build(config, 0, **ABLATION[name])
        result = AblationResult(name, probe.count_params(), counting.profiler_flops(probe) / 2 / 1e9)
        for seed in seeds:
            if progress is not None:
                progress.start(f"{name} · 시드 {seed}: 에포크")
            model = build(config, seed, **ABLATION[name])
            _, seconds = train(model, config, seed, validation=False, verbose=False, progress=progress)
            scores = score(test_masks, predict_masks(model, test_images))
            result.seconds.append(seconds)
            result.mean_iou.append(scores.mean_iou)
            result.size_iou.append(scores.size_classes_iou)
            result.boundary_iou.append(scores.boundary_iou)
            if progress is not None:
                progress.done(f"평균 IoU {scores.mean_iou:.3f}, 학습 {format_duration(seconds)}")
        results.append(result)
    return results


def ablation_table(results: list[AblationResult]):
    """결과를 한국어 표(:func:`deeplab_lessons.tables.table`)로: 평균 ± 시드 간 차이의 절반."""
    from deeplab_lessons.tables import table

    def cell(values, fmt="{:.3f}"):
        return f"{fmt.format(np.mean(values))} ± {fmt.format((max(values) - min(values)) / 2)}"

    rows = [[r.name, r.params, f"{r.gmacs:.2f} G", cell(r.seconds, "{:.0f}"), cell(r.mean_iou), cell(r.size_iou),
             cell(r.boundary_iou)] for r in results]
    return table(["구성", "매개변수", "곱셈-덧셈", "학습 시간(초)", "평균 IoU", "크기 클래스 IoU", "경계 IoU"], rows)


def check_band_pixels(answer: int | None, mask: np.ndarray, width: int = 1) -> bool | None:
    """연습문제: :func:`boundary_band` 의 화소 수."""
    from deeplab_lessons.exercises import grade

    expected = int(boundary_band(np.asarray(mask), width).sum())
    return grade(answer, expected, f"클래스가 바뀌는 이웃 쌍의 양쪽 화소를 모으고 {width - 1}번 넓힘: {expected}화소")
