"""작은 DeepLab을 CPU에서 학습합니다.

학습은 ``model.fit`` (Adam, 코사인 감소 학습률, 로짓에 대한 화소별 softmax 교차 엔트로피)이고, 한국어 진행
표시를 씁니다. 같은 구조를 여러 시드로 학습할 때는 모델을 한 번만 만들고 추적(trace)한 뒤 가중치와 옵티마이저
상태만 그 시드의 초깃값으로 되돌립니다(:func:`reinitialize`): 이 작은 모델에서는 학습 함수를 추적하는 데
학습 자체만큼 시간이 들기 때문입니다(``benchmarks/bench_training.py`` 가 잽니다).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from deeplab_lessons import data, losses, metrics
from deeplab_lessons._tf import load_keras
from deeplab_lessons.errors import bad_argument, check_int
from deeplab_lessons.image_io import normalize
from deeplab_lessons.progress import Progress, format_duration


@dataclass(frozen=True)
class TrainConfig:
    """학습 설정(장면 크기는 화소, 나머지는 개수). 기본값은 train_mini_deeplab 의 구성 요소 비교 한 칸의 예산입니다.

    모델은 ``models.deeplab`` 을 작게: MobileNetV2 폭 배율 ``alpha``, 단계마다 블록 ``max_repeats`` 개
    (1이면 17개 대신 7개), ASPP·디코더 ``aspp_filters`` 채널, ASPP 팽창률 ``aspp_rates`` (출력 보폭 8의 8×8 특징
    맵에 맞춘 값: 논문의 12·24·36은 특징 맵보다 커서 3×3이 1×1이 됩니다).
    """

    size: int = 64
    train_images: int = 400
    test_images: int = 200
    epochs: int = 6
    batch_size: int = 16
    learning_rate: float = 8e-3
    alpha: float = 0.35
    aspp_filters: int = 32
    max_repeats: int = 1
    aspp_rates: tuple = (2, 3, 4)

    def __post_init__(self):
        for name in ("size", "train_images", "test_images", "epochs", "batch_size", "aspp_filters", "max_repeats"):
            check_int(name, getattr(self, name))
        if self.size % 32:
            raise bad_argument("size", self.size, "32(비교하는 가장 큰 출력 보폭)의 배수여야 합니다",
                               "예: size=64. 그래야 출력 보폭 8·16·32의 특징 맵이 모두 나누어떨어집니다.")
        if not (isinstance(self.learning_rate, (int, float)) and 0 < self.learning_rate < 1):
            raise bad_argument("learning_rate", self.learning_rate, "0과 1 사이의 수여야 합니다", "예: 4e-3")

    @property
    def spec(self) -> data.SceneSpec:
        return data.SceneSpec(size=self.size)

    @property
    def steps(self) -> int:
        """학습 단계(배치) 수: 에포크 × ⌈장면 수 / 배치⌉."""
        return self.epochs * -(-self.train_images // self.batch_size)


#: 비교할 구성(이름 → :func:`deeplab_lessons.models.deeplab` 의 인자). 위에서 아래로 한 번에 하나만 바꿉니다.
ABLATION = {
    "OS 32, 쌍선형 업샘플링": {"output_stride": 32, "head": "none"},
    "OS 16, 아트러스": {"output_stride": 16, "head": "none"},
    "OS 8, 아트러스": {"output_stride": 8, "head": "none"},
    "+ ASPP": {"output_stride": 8, "head": "aspp", "image_pooling": False},
    "+ 이미지 수준 풀링 (v3)": {"output_stride": 8, "head": "aspp", "image_pooling": True},
    "+ 디코더 (v3+)": {"output_stride": 8, "head": "aspp", "image_pooling": True, "decoder": True},
}
#: 완성된 작은 DeepLab v3+ 의 구성 이름.
V3_PLUS = "+ 디코더 (v3+)"


def architecture(name: str) -> dict:
    """:data:`ABLATION` 의 구성 인자. 없는 이름이면 한국어 오류로 고를 수 있는 이름을 알려 줍니다."""
    if name not in ABLATION:
        raise bad_argument("구성 이름", name, f"다음 중 하나여야 합니다: {', '.join(ABLATION)}")
    return dict(ABLATION[name])


def make_model(config: TrainConfig, seed: int = 0, **arch):
    """시드를 고정하고 모델을 만듭니다(컴파일 전). 같은 시드와 구성 = 같은 초기 가중치."""
    from deeplab_lessons import models

    keras = load_keras()
    keras.utils.set_random_seed(check_int("seed", seed, minimum=0))
    return models.deeplab(num_classes=data.NUM_CLASSES, input_shape=(config.size, config.size, 3),
                          alpha=config.alpha, aspp_filters=config.aspp_filters, bn_momentum=0.9,
                          max_repeats=config.max_repeats, aspp_rates=config.aspp_rates, **arch)


def build(config: TrainConfig, seed: int = 0, **arch):
    """모델을 만들고 컴파일합니다: Adam + 코사인 감소 학습률, 로짓에 대한 화소별 softmax 교차 엔트로피.

    손실은 화소 가중치(:func:`deeplab_lessons.data.as_dataset` 의 세 번째 값)로 가중 평균합니다. 가중치가 모두 1이면
    보통의 평균 교차 엔트로피와 같습니다(tests/test_training.py 가 확인).
    """
    keras = load_keras()
    model = make_model(config, seed, **arch)
    schedule = keras.optimizers.schedules.CosineDecay(config.learning_rate, config.steps)
    model.compile(optimizer=keras.optimizers.Adam(schedule),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    return model


def reinitialize(model, config: TrainConfig, seed: int, **arch) -> None:
    """이미 학습한 ``model`` 을 ``build(config, seed, **arch)`` 가 막 만든 상태로 되돌립니다.

    가중치(배치 정규화의 이동 평균 포함)는 같은 시드로 새로 만든 모델에서 복사하고, 옵티마이저의 상태
    (단계 수와 Adam의 두 모멘트)는 0으로 돌립니다. 학습 함수를 다시 추적하지 않아도 됩니다.
    """
    fresh = make_model(config, seed, **arch)
    model.set_weights(fresh.get_weights())
    for variable in model.optimizer.variables:
        variable.assign(np.zeros(variable.shape, variable.dtype))


def median_frequency_weights(masks: np.ndarray) -> np.ndarray:
    """합성 장면 마스크들의 클래스 가중치 ``(NUM_CLASSES,)``: :func:`deeplab_lessons.losses.median_frequency_weights`.

    Raises:
        DeepLabLessonsError: 마스크에 화소가 없을 때.
    """
    masks = np.asarray(masks)
    if masks.size == 0:
        raise bad_argument("masks", masks.shape, "화소가 하나 이상 있어야 합니다")
    return losses.median_frequency_weights(data.class_shares(masks))


def korean_progress(progress: Progress | None = None, validation=None):
    """학습 진행을 한국어로 보여 주는 Keras 콜백.

    ``progress`` 가 없으면 에포크마다 한 줄:
    ``에포크 3/6 — 손실 0.123, 검증 평균 IoU 0.812 (경과 41초, 남은 시간 약 41초)``.
    검증 평균 IoU는 ``validation = (영상, 마스크)`` 를 줄 때만, 에포크 끝마다 예측해 셉니다.
    ``progress`` (:class:`~deeplab_lessons.progress.Progress`)가 있으면 그 줄에 끝난 에포크 번호만 이어 씁니다
    (구성 요소 비교처럼 모델 여러 개를 학습할 때 모델마다 한 줄).
    """
    keras = load_keras()

    class KoreanProgress(keras.callbacks.Callback):
        def on_train_begin(self, logs=None):
            self.start = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
            logs = logs if logs is not None else {}
            if validation is not None:
                truth = validation[1]
                found = predict_masks(self.model, validation[0])
                logs["val_miou"] = metrics.evaluate(zip(truth, found, strict=True), data.NUM_CLASSES).mean_iou
            if progress is not None:
                progress.note(f" {epoch + 1}")
                return
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


def train(model, config: TrainConfig, seed: int = 0, validation: bool = False, verbose: bool = True,
          progress: Progress | None = None, class_weights=None):
    """합성 학습 장면으로 학습합니다. ``(history dict, 걸린 초)`` 를 돌려줍니다.

    장면 순서는 ``seed`` 로 섞습니다(에포크마다 다른 순서). ``class_weights`` 를 주면 손실에서 화소마다
    그 정답 클래스의 가중치를 곱합니다. ``validation`` 이면 에포크마다 검증 장면의 평균 IoU를 기록합니다
    (``history["val_miou"]``). ``verbose`` 이면 에포크마다 한 줄, ``progress`` 를 주면 그 줄에 에포크 번호만
    이어 씁니다(:func:`korean_progress`). 둘 다 아니면 아무것도 출력하지 않습니다.
    """
    images, masks = data.make_split("train", config.train_images, config.spec)
    held_out = data.make_split("val", max(1, config.test_images // 2), config.spec) if validation else None
    dataset = data.as_dataset(images, masks, config.batch_size, shuffle=True, seed=seed, class_weights=class_weights)
    callbacks = [korean_progress(progress, held_out)] if verbose or progress is not None or validation else []
    start = time.perf_counter()
    history = model.fit(dataset, epochs=config.epochs, verbose=0, shuffle=False, callbacks=callbacks)
    return history.history, time.perf_counter() - start


def predict_masks(model, images: np.ndarray, batch_size: int = 50) -> np.ndarray:
    """``(N, H, W, 3)`` uint8 영상의 예측 마스크 ``(N, H, W)`` uint8."""
    logits = model.predict(normalize(images.astype(np.float32)), batch_size=batch_size, verbose=0)
    return logits.argmax(axis=-1).astype(np.uint8)
