"""분할 평가: 혼동 행렬, 클래스별 IoU, 평균 IoU(mIoU), 화소 정확도, 그리고 PASCAL VOC 폴더 평가.

정답 마스크의 255(경계의 "무시" 영역)는 세지 않습니다. 평균 IoU는 정답이나 예측에 한 번이라도 나온
클래스(합집합이 0이 아닌 클래스)만 평균하며, ``keras.metrics.MeanIoU`` 와 같은 값입니다.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from deeplab_lessons import voc
from deeplab_lessons.errors import DeepLabLessonsError, check_int
from deeplab_lessons.voc import IGNORE_LABEL, NUM_CLASSES


def confusion_matrix(truth, prediction, num_classes: int = NUM_CLASSES,
                     ignore_label: int = IGNORE_LABEL) -> np.ndarray:
    """``[정답 클래스, 예측 클래스]`` 화소 수의 ``(C, C)`` int64 행렬. ``ignore_label`` 화소는 뺍니다.

    Raises:
        DeepLabLessonsError: 두 마스크의 모양이 다르거나, 범위 밖의 클래스 번호가 있을 때.
    """
    num_classes = check_int("num_classes", num_classes)
    truth, prediction = np.asarray(truth), np.asarray(prediction)
    if truth.shape != prediction.shape:
        raise DeepLabLessonsError(
            f"정답과 예측의 모양이 다릅니다(정답 {truth.shape}, 예측 {prediction.shape}). 예측을 원래 크기로 "
            "만드세요(model.segment는 원래 크기를 돌려줍니다).")
    keep = truth != ignore_label
    truth, prediction = truth[keep].astype(np.int64), prediction[keep].astype(np.int64)
    for name, values in (("정답", truth), ("예측", prediction)):
        if values.size and (values.min() < 0 or values.max() >= num_classes):
            raise DeepLabLessonsError(
                f"{name}에 0–{num_classes - 1} 밖의 클래스 번호가 있습니다(범위 {values.min()}–{values.max()}).")
    counts = np.bincount(truth * num_classes + prediction, minlength=num_classes ** 2)
    return counts.reshape(num_classes, num_classes)


def iou_per_class(matrix: np.ndarray) -> np.ndarray:
    """클래스별 IoU = 교집합 / 합집합. 합집합이 0인 클래스는 ``nan``."""
    matrix = np.asarray(matrix, dtype=np.float64)
    intersection = np.diag(matrix)
    union = matrix.sum(axis=0) + matrix.sum(axis=1) - intersection
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(union > 0, intersection / union, np.nan)


def mean_iou(matrix: np.ndarray) -> float:
    """합집합이 0이 아닌 클래스들의 IoU 평균(0–1)."""
    return float(np.nanmean(iou_per_class(matrix)))


def pixel_accuracy(matrix: np.ndarray) -> float:
    """맞게 분류한 화소의 비율(0–1), 무시 영역 제외."""
    matrix = np.asarray(matrix)
    total = matrix.sum()
    return float(np.trace(matrix) / total) if total else float("nan")


@dataclass
class Evaluation:
    """평가 결과: 영상 수, 혼동 행렬, 평균 IoU, 화소 정확도, 클래스별 IoU."""

    images: int
    matrix: np.ndarray
    mean_iou: float
    pixel_accuracy: float
    per_class: np.ndarray


def evaluate(pairs, num_classes: int = NUM_CLASSES) -> Evaluation:
    """``(정답, 예측)`` 마스크 쌍들을 모아 하나의 혼동 행렬로 평가합니다(영상별 평균이 아님)."""
    matrix = np.zeros((num_classes, num_classes), np.int64)
    count = 0
    for truth, prediction in pairs:
        matrix += confusion_matrix(truth, prediction, num_classes)
        count += 1
    return Evaluation(count, matrix, mean_iou(matrix), pixel_accuracy(matrix), iou_per_class(matrix))


def find_voc_root(split: str = "val") -> Path | None:
    """평가에 쓸 VOC 폴더: ``$DEEPLAB_LESSONS_VOC_DIR`` → 저장소의 표본 → ``~/data/VOCdevkit/VOC2012`` →
    ``~/VOCdevkit/VOC2012`` (:func:`deeplab_lessons.voc.find_root`).

    Raises:
        DeepLabLessonsError: 환경 변수의 폴더를 쓸 수 없을 때(무엇이 없는지 말합니다).
    """
    from deeplab_lessons import voc

    return voc.find_root(split)


def voc_image_ids(voc_root, split: str = "val") -> list[str]:
    """VOCdevkit 배치 폴더(``VOC2012``)의 ``ImageSets/Segmentation/<split>.txt`` 에 적힌 영상 id들.

    Raises:
        DeepLabLessonsError: 폴더나 목록 파일이 없거나 목록이 비었을 때(:func:`deeplab_lessons.voc.image_ids`).
    """
    return voc.image_ids(voc_root, split)


#: 평가하는 영상 수의 기본값: 저장소의 VOC 표본(val 10장)과 같은 수.
SAMPLE_IMAGES = 10


def evaluation_ids(voc_root, split: str = "val", limit: int | None = SAMPLE_IMAGES) -> list[str]:
    """평가할 영상 id: 목록의 앞 ``limit`` 장(``None`` 이면 전부). 기본은 표본의 수(:data:`SAMPLE_IMAGES`).

    목록이 ``limit`` 보다 길면(전체 VOC val 1,449장처럼) 몇 장 중 몇 장을 쓰는지와 전부 쓰는 방법을, ``limit`` 이
    ``None`` 이고 표본보다 많으면 오래 걸린다는 것과 진행 줄(:func:`progress_line`)이 남은 시간을 어림한다는 것을
    한 줄로 알립니다. 표본을 그대로 쓰면 아무것도 출력하지 않습니다.

    Raises:
        DeepLabLessonsError: ``limit`` 이 1 이상의 정수나 ``None`` 이 아닐 때, VOC 폴더에 문제가 있을 때.
    """
    if limit is not None:
        limit = check_int("limit", limit)
    ids = voc_image_ids(voc_root, split)
    if limit is not None and len(ids) > limit:
        print(f"알림: {split} 목록 {len(ids):,}장 중 앞 {limit:,}장만 평가합니다. 전부 평가하려면 limit=None "
              "(영상마다 진행 줄에 남은 시간의 어림이 나옵니다).")
        return ids[:limit]
    if len(ids) > SAMPLE_IMAGES:
        print(f"알림: {split} 목록 {len(ids):,}장을 모두 평가합니다. 표본 {SAMPLE_IMAGES}장보다 훨씬 오래 걸리니 첫 "
              "장이 끝난 뒤 진행 줄의 남은 시간을 보세요(멈추려면 커널 중단).")
    return ids


def progress_line(number: int, total: int, image_id: str, elapsed: float) -> str:
    """평가 고리의 진행 한 줄: ``[3/1,449] 2007_000033 끝 (경과 27초, 남은 시간 약 3시간 36분)``.

    남은 시간은 지금까지의 영상당 평균 × 남은 장 수입니다(영상마다 걸리는 시간이 비슷할 때 맞는 어림).
    """
    from deeplab_lessons.progress import format_duration

    line = f"[{number:,}/{total:,}] {image_id} 끝 (경과 {format_duration(elapsed)}"
    if number < total:
        line += f", 남은 시간 약 {format_duration(elapsed / number * (total - number))}"
    return line + ")"


def read_voc_pair(voc_root, image_id: str):
    """VOC 영상 하나: ``(RGB 배열, 정답 마스크)``. 마스크는 팔레트 PNG의 색인(0–20, 255).

    Raises:
        DeepLabLessonsError: 영상·마스크가 없거나 잘렸을 때, 마스크가 RGB이거나 크기가 다를 때(영상 id와 폴더).
    """
    return voc.read_pair(voc_root, image_id)


def evaluate_voc(model, voc_root, split: str = "val", limit: int | None = None) -> Evaluation:
    """``model.segment`` 를 VOC 폴더의 ``split`` 영상에 돌려 평가합니다(10장 표본이든 전체 1,449장이든).

    Raises:
        DeepLabLessonsError: ``model`` 이 ``segment`` 를 가진 모델이 아닐 때, ``limit`` 이 1 이상의 정수가
            아닐 때, VOC 폴더에 문제가 있을 때(영상 id와 폴더를 알려 줍니다).
    """
    if not callable(getattr(model, "segment", None)):
        raise DeepLabLessonsError(
            f"model은 segment(영상)을 가진 모델이어야 합니다(받은 값: {model!r}, 자료형 {type(model).__name__}). "
            "예: model = pretrained.load_model('mobilenetv2_voc_tflite') 로 불러 넣으세요.")
    if limit is not None:
        limit = check_int("limit", limit)
    ids = voc_image_ids(voc_root, split)[:limit]
    matrix = np.zeros((NUM_CLASSES, NUM_CLASSES), np.int64)
    for image_id in ids:
        image, truth = read_voc_pair(voc_root, image_id)
        try:
            matrix += confusion_matrix(truth, model.segment(image))
        except DeepLabLessonsError as exc:
            raise DeepLabLessonsError(f"VOC 영상 {image_id} (폴더 {voc_root}): {exc}") from None
    return Evaluation(len(ids), matrix, mean_iou(matrix), pixel_accuracy(matrix), iou_per_class(matrix))


# ---------------------------------------------------------------- 영상별 혼동 행렬: 표본이 얼마나 믿을 만한가

def voc_matrices(model, voc_root, split: str = "val", limit: int | None = None,
                 label: str | None = None) -> dict[str, np.ndarray]:
    """``model.segment`` 를 VOC 영상마다 돌려 영상 id → 혼동 행렬 ``(21, 21)`` 을 돌려줍니다.

    예측이 255인 화소(:data:`~deeplab_lessons.voc.IGNORE_LABEL`, 예: 가운데만 자른 입력의 바깥)는 "예측하지 않음"
    으로 보고 세지 않습니다. ``label`` 을 주면 시작할 때 ``[label] 영상 10장 평가 중…`` 을 출력합니다(진행 표시).
    모아서 평가하려면 :func:`evaluate_matrices`.
    """
    ids = voc_image_ids(voc_root, split)[:limit]
    matrices = {}
    if label:
        print(f"[{label}] 영상 {len(ids)}장 평가 중…", flush=True)
    for image_id in ids:
        image, truth = read_voc_pair(voc_root, image_id)
        prediction = np.asarray(model.segment(image))
        truth = np.where(prediction == IGNORE_LABEL, IGNORE_LABEL, truth)
        matrices[image_id] = confusion_matrix(truth, np.where(prediction == IGNORE_LABEL, 0, prediction))
    return matrices


def matrices_by_image(ids, truths, predictions, num_classes: int = NUM_CLASSES) -> dict[str, np.ndarray]:
    """영상 id → 그 영상의 혼동 행렬 ``(C, C)`` (:func:`evaluate_matrices`, :func:`bootstrap_difference` 가 받는 꼴)."""
    return {image_id: confusion_matrix(truth, prediction, num_classes)
            for image_id, truth, prediction in zip(ids, truths, predictions, strict=True)}


def evaluate_matrices(matrices) -> Evaluation:
    """영상별 혼동 행렬(사전의 값이나 목록)을 더해 :class:`Evaluation` 으로(:func:`evaluate` 와 같은 값)."""
    stack = list(matrices.values()) if isinstance(matrices, dict) else list(matrices)
    matrix = np.sum(stack, axis=0)
    return Evaluation(len(stack), matrix, mean_iou(matrix), pixel_accuracy(matrix), iou_per_class(matrix))


def bootstrap_difference(matrices_a: dict, matrices_b: dict, samples: int = 2000, seed: int = 0,
                         level: float = 0.9) -> tuple[float, float]:
    """두 설정의 평균 IoU 차(A − B)의 부트스트랩 구간 ``(아래, 위)`` (0–1 단위).

    같은 영상 id를 복원 추출로 다시 뽑아(두 설정에 같은 표본) 차를 ``samples`` 번 계산하고, 가운데 ``level`` 을
    담는 구간을 돌려줍니다. 구간이 0을 품으면 이 표본으로는 어느 쪽이 나은지 말할 수 없습니다. 영상이 적을수록
    구간이 넓고, 영상 사이의 차이만 반영합니다(표본 밖의 영상이 어떤지는 모름).

    Raises:
        DeepLabLessonsError: 두 사전의 영상 id가 다를 때.
    """
    if set(matrices_a) != set(matrices_b):
        raise DeepLabLessonsError("두 평가의 영상 id가 다릅니다. 같은 VOC 폴더와 split으로 만든 결과를 주세요.")
    ids = sorted(matrices_a)
    a = np.stack([matrices_a[i] for i in ids])
    b = np.stack([matrices_b[i] for i in ids])
    rng = np.random.default_rng(check_int("seed", seed, 0))
    differences = []
    for _ in range(check_int("samples", samples)):
        pick = rng.integers(0, len(ids), len(ids))
        differences.append(mean_iou(a[pick].sum(axis=0)) - mean_iou(b[pick].sum(axis=0)))
    tail = (1 - level) / 2 * 100
    low, high = np.percentile(differences, [tail, 100 - tail])
    return float(low), float(high)
