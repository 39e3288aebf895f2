"""사전 학습 가중치에서 시작하는 미세 조정(fine-tuning) 모델: 내 클래스 수의 새 로짓 층과, 고를 수 있는 v3+ 디코더.

인코더(MobileNetV2 + 이미지 수준 풀링 + ``aspp0`` + ``concat_projection``)는 공식 TFLite 파일의 가중치를 그대로
Keras로 다시 만든 것(:func:`~deeplab_lessons.pretrained.keras_rebuild.build_keras_model`)입니다. 옛 21클래스 로짓 층
``logits/semantic`` 은 버리고 새 1×1 합성곱을 둡니다. DeepLab의 ``initialize_last_layer=False`` 와 같습니다.

- ``decoder=True``: 저수준 특징(``expanded_conv_2`` 의 깊이별 출력, 출력 보폭 4; DeepLab이 MobileNetV2에서 쓰는
  ``layer_4/depthwise_output``)에 v3+ 디코더(:func:`deeplab_lessons.models.v3_plus_decoder`)를 붙입니다.
- ``train``: 무엇을 배우나. ``"head"`` 는 새 로짓 층만, ``"decoder"`` 는 디코더와 로짓 층, ``"all"`` 은 인코더까지.
- ``fine_tune_batch_norm``: 새 층의 배치 정규화가 통계(평균·분산)를 배우는지(DeepLab의 같은 이름의 설정).
  인코더에는 배치 정규화가 없습니다: TFLite 파일 안에서 이미 합성곱에 접혀 있어, ``"all"`` 이면 접힌 가중치와
  편향이 배웁니다.
"""

from __future__ import annotations

from deeplab_lessons import models
from deeplab_lessons._tf import load_keras
from deeplab_lessons.errors import DeepLabLessonsError, check_choice, check_int
from deeplab_lessons.pretrained.keras_rebuild import ResizeAligned, build_keras_model

keras = load_keras()

#: 인코더의 출력(로짓 층 바로 앞, 256채널)과 디코더가 쓰는 저수준 특징의 층 이름.
ENCODER_OUTPUT = "concat_projection.Relu"
LOW_LEVEL = "MobilenetV2.expanded_conv_2.depthwise.Relu6"
#: 무엇을 배울지의 선택지.
TRAIN_CHOICES = ("head", "decoder", "all")
#: 새로 만든 층의 이름 앞부분(배울 층을 고를 때 씁니다).
NEW_PREFIXES = ("decoder_", "logits_new")
#: 새 층의 배치 정규화가 이동 평균을 따라가는 빠르기(Keras의 기본은 0.99). 미세 조정은 몇백 단계뿐이라, 0.99면
#: 추론에 쓰는 평균·분산이 처음 값(0과 1) 근처에 머물러 학습 때(배치 통계)와 다른 값을 냅니다.
NEW_BN_MOMENTUM = 0.9


def finetune_model(tflite_path, num_classes: int, *, decoder: bool = False, train: str = "head",
                   fine_tune_batch_norm: bool = False, decoder_filters: int = 128, input_size: int | None = None):
    """미세 조정할 Keras 모델: 입력 ``(N, H, W, 3)`` (−1–1) → 로짓 ``(N, H, W, num_classes)``.

    Args:
        tflite_path: 공식 MobileNetV2 DeepLab v3 ``.tflite`` 파일.
        num_classes: 내 데이터셋의 클래스 수(배경 포함, 2 이상).
        decoder: v3+ 디코더를 붙일지.
        train: ``"head"`` / ``"decoder"`` / ``"all"`` (위 설명).
        fine_tune_batch_norm: 새 층의 배치 정규화가 통계를 배우는지.
        decoder_filters: 디코더의 분리 합성곱 채널(DeepLab은 256; CPU에서는 128이 약 절반의 계산).
        input_size: 입력 한 변(정하면 정사각형으로 고정; 학습할 때의 자르기 크기). ``None`` 이면 어떤 크기든.

    Raises:
        DeepLabLessonsError: ``train`` 이 선택지 밖이거나, 디코더 없이 ``"decoder"`` 를 골랐거나, 클래스 수가 2
            미만일 때.
    """
    num_classes = check_int("num_classes", num_classes, minimum=2)
    train = check_choice("train", train, TRAIN_CHOICES)
    if train == "decoder" and not decoder:
        raise DeepLabLessonsError("train='decoder' 는 디코더가 있을 때만 고를 수 있습니다(받은 값: decoder=False). "
                                  "decoder=True 를 주거나 train='head' 또는 'all' 을 고르세요.")
    base = build_keras_model(tflite_path, input_size=input_size)
    features = base.get_layer(ENCODER_OUTPUT).output
    if decoder:
        low = base.get_layer(LOW_LEVEL).output
        filters = check_int("decoder_filters", decoder_filters)
        features = models.v3_plus_decoder(features, low, filters, resize=ResizeAligned)
    logits = keras.layers.Conv2D(num_classes, 1, name="logits_new")(features)
    logits = ResizeAligned(name="logits_new_upsample")(logits, base.input)
    model = keras.Model(base.input, logits, name=f"deeplabv3{'_plus' if decoder else ''}_finetune_{num_classes}")
    for layer in model.layers:
        if layer.name.startswith(NEW_PREFIXES) and isinstance(layer, keras.layers.BatchNormalization):
            layer.momentum = NEW_BN_MOMENTUM
    set_trainable(model, train, fine_tune_batch_norm)
    return model


def set_trainable(model, train: str, fine_tune_batch_norm: bool = False) -> None:
    """``train`` 에 따라 층마다 ``trainable`` 을 정합니다. 얼린 배치 정규화는 Keras 3에서 추론 모드로 돕니다."""
    train = check_choice("train", train, TRAIN_CHOICES)
    for layer in model.layers:
        new = layer.name.startswith(NEW_PREFIXES)
        if layer.name.startswith("logits_new"):
            layer.trainable = True
        elif new:
            layer.trainable = train in ("decoder", "all")
        else:
            layer.trainable = train == "all"
        if isinstance(layer, keras.layers.BatchNormalization) and not fine_tune_batch_norm:
            layer.trainable = False


def trainable_count(model) -> int:
    """배우는 매개변수의 수."""
    return int(sum(int(w.numpy().size) for w in model.trainable_weights))
