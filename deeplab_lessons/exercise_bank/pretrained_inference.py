"""사전 학습 모델로 추론하기(07_pretrained_inference.ipynb)의 연습문제."""

from __future__ import annotations

import numpy as np

from deeplab_lessons import metrics
from deeplab_lessons.exercise_bank._shared import seeded_rng
from deeplab_lessons.grading import Case, Exercise, Mistake


def mean_iou_answer(matrix):
    """혼동 행렬(행 = 정답, 열 = 예측)에서 평균 IoU. 정답에도 예측에도 없는 클래스(합집합 0)는 빼고 평균합니다."""
    matrix = np.asarray(matrix, dtype=float)
    intersection = np.diag(matrix)
    union = matrix.sum(axis=0) + matrix.sum(axis=1) - intersection
    present = union > 0
    return float(np.mean(intersection[present] / union[present]))


def _miou_cases() -> list[Case]:
    rng = seeded_rng(13)
    bird = np.zeros((4, 4), np.int64)
    bird[0, 0], bird[3, 0] = 18, 2                          # 새(3) 2화소를 모두 배경으로, 클래스 1·2는 없음
    cases = [Case({"matrix": bird}, "새를 놓친 4×5 영상(클래스 1, 2는 없음)")]
    for _ in range(4):
        size = int(rng.integers(3, 7))
        matrix = rng.integers(0, 20, size=(size, size))
        absent = int(rng.integers(0, size))
        matrix[absent, :] = 0
        matrix[:, absent] = 0                               # 정답에도 예측에도 없는 클래스 하나
        cases.append(Case({"matrix": matrix}, "무작위, 없는 클래스 하나"))
    only_predicted = np.array([[5, 1, 0], [0, 3, 0], [0, 0, 0]])
    only_predicted[0, 2] = 2                                # 클래스 2: 예측에만 나옴(IoU 0)
    cases.append(Case({"matrix": only_predicted}, "예측에만 나온 클래스"))
    cases.append(Case({"matrix": np.diag([4, 0, 7])}, "모두 맞힘"))
    return cases


def _miou_absent_as_zero(matrix):
    matrix = np.asarray(matrix, dtype=float)
    intersection = np.diag(matrix)
    union = matrix.sum(axis=0) + matrix.sum(axis=1) - intersection
    return float(np.mean(np.where(union > 0, intersection / np.maximum(union, 1), 0.0)))


def _miou_no_subtract(matrix):
    matrix = np.asarray(matrix, dtype=float)
    union = matrix.sum(axis=0) + matrix.sum(axis=1)
    present = union > 0
    return float(np.mean(np.diag(matrix)[present] / union[present]))


def _miou_recall(matrix):
    matrix = np.asarray(matrix, dtype=float)
    rows = matrix.sum(axis=1)
    return float(np.mean(np.diag(matrix)[rows > 0] / rows[rows > 0]))


def _miou_truth_classes_only(matrix):
    matrix = np.asarray(matrix, dtype=float)
    keep = matrix.sum(axis=1) > 0
    intersection = np.diag(matrix)
    union = matrix.sum(axis=0) + matrix.sum(axis=1) - intersection
    return float(np.mean(intersection[keep] / union[keep]))


def _pixel_accuracy(matrix):
    matrix = np.asarray(matrix, dtype=float)
    return float(np.trace(matrix) / matrix.sum())


MEAN_IOU = Exercise(
    id="mean-iou", kind="코드",
    title="혼동 행렬에서 평균 IoU",
    prompt="`mean_iou(matrix)`",
    hint="행 = 정답, 열 = 예측. 클래스 c의 IoU = 교집합 / 합집합 = M[c, c] / (행 c의 합 + 열 c의 합 − M[c, c]). "
         "합집합이 0인 클래스(정답에도 예측에도 없음)는 평균에서 뺍니다(5절).",
    solution="교집합은 대각선, 합집합은 행 합 + 열 합 − 대각선. 합집합이 0보다 큰 클래스만 골라 IoU를 평균합니다. "
             "예측에만 나온 클래스는 IoU 0으로 평균에 들어갑니다. `metrics.mean_iou`와 같은 값입니다.",
    reference=lambda matrix: metrics.mean_iou(matrix), cases=_miou_cases, model_answer=mean_iou_answer,
    mistakes=(
        Mistake("정답에도 예측에도 없는 클래스를 IoU 0으로 평균에 넣었습니다. 합집합이 0인 클래스는 빼세요.",
                function=_miou_absent_as_zero),
        Mistake("합집합에서 교집합을 빼지 않았습니다. 행 합과 열 합은 대각선(교집합)을 두 번 셉니다.",
                function=_miou_no_subtract),
        Mistake("대각선을 행 합(정답 화소 수)으로만 나눴습니다(재현율). IoU의 분모에는 잘못 예측한 "
                "화소(열)도 들어갑니다.",
                function=_miou_recall),
        Mistake("정답에 있는 클래스만 평균했습니다. 예측에만 나온 클래스도 합집합이 0이 아니므로 "
                "IoU 0으로 들어갑니다.",
                function=_miou_truth_classes_only),
        Mistake("그것은 화소 정확도(대각선 합 / 전체)입니다. 평균 IoU는 클래스마다 IoU를 내고 평균합니다.",
                function=_pixel_accuracy),
    ),
)


def _run_resized_size() -> tuple[int, int]:
    from deeplab_lessons.pretrained import inference

    return inference.resize_longer_side(np.zeros((600, 800, 3), np.uint8), 513).size


RUN_RESIZED_SIZE = Exercise(
    id="run-resized-size", kind="값",
    title="`run`이 줄인 영상의 크기",
    prompt="800×600 영상을 고정 그래프 모델(입력 513)의 `run`에 넣으면 줄인 영상의 (너비, 높이)는?",
    hint="`run`은 긴 변을 입력 크기로 맞추고 가로세로 비율을 지킵니다. 비율 = 513 / 긴 변, 각 변은 "
         "int(비율 × 변)으로 내림합니다(4절).",
    solution="비율 513 / 800 = 0.64125. 너비 int(0.64125 × 800) = 513, 높이 int(0.64125 × 600) = int(384.75) = 384. "
             "답은 (513, 384).",
    expected=_run_resized_size,
    mistakes=(
        Mistake("높이를 반올림했습니다. 원래 데모 코드는 int()로 내림합니다: int(384.75) = 384.", value=(513, 385)),
        Mistake("(너비, 높이) 순서입니다. PIL의 크기는 너비가 먼저입니다.", value=(384, 513)),
        Mistake("`run`은 정사각형으로 늘리지 않고 비율을 지킵니다.", value=(513, 513)),
    ),
)

CLASS_IOU = Exercise(
    id="class-iou", kind="값", tolerance=0.0051,
    title="한 클래스의 IoU",
    prompt="정답 `[[0, 15, 15, 15], [0, 0, 15, 255]]`, 예측 `[[0, 15, 15, 0], [0, 15, 15, 15]]`에서 사람(15)의 "
           "IoU는? (소수 둘째 자리)",
    hint="255 화소는 정답에서도 예측에서도 세지 않습니다. 교집합 = 둘 다 15인 화소, 합집합 = 어느 한쪽이라도 15인 화소"
         "(5절).",
    solution="255 자리를 빼면 정답의 15는 4화소, 예측의 15는 4화소, 둘 다 15는 3화소. 3 / (4 + 4 − 3) = 0.6.",
    expected=lambda: round(float(metrics.iou_per_class(metrics.confusion_matrix(
        np.array([[0, 15, 15, 15], [0, 0, 15, 255]]), np.array([[0, 15, 15, 0], [0, 15, 15, 15]])))[15]), 2),
    mistakes=(
        Mistake("정답이 255인 화소의 예측까지 셌습니다. 255 자리는 평가에서 통째로 뺍니다.", value=0.5),
        Mistake("교집합을 정답 화소 수로만 나눴습니다. 분모는 합집합(정답 ∪ 예측)입니다.", value=0.75),
        Mistake("합집합에서 교집합을 빼지 않았습니다: 4 + 4 − 3.", value=0.38),
    ),
)

PIXEL_ACCURACY = Exercise(
    id="pixel-accuracy", kind="값", tolerance=0.0051,
    title="화소 정확도(255 제외)",
    prompt="정답 `[[1, 1], [0, 255]]`, 예측 `[[1, 0], [0, 0]]`의 화소 정확도는? (255는 세지 않음, 소수 둘째 자리)",
    hint="화소 정확도 = 맞은 화소 / 센 화소. 정답이 255인 화소는 분자에도 분모에도 넣지 않습니다.",
    solution="센 화소 3개 가운데 맞은 것 2개: 2 / 3 ≈ 0.67.",
    expected=lambda: round(metrics.pixel_accuracy(metrics.confusion_matrix(
        np.array([[1, 1], [0, 255]]), np.array([[1, 0], [0, 0]]))), 2),
    mistakes=(Mistake("255 화소까지 분모에 넣었습니다. 무시할 화소는 세지 않습니다.", value=0.5),),
)


def _bird_mean_iou() -> float:
    truth = np.zeros((4, 5), np.uint8)
    truth[1, 1:3] = 3
    return round(metrics.mean_iou(metrics.confusion_matrix(truth, np.zeros((4, 5), np.uint8))), 2)


MISSED_CLASS_MIOU = Exercise(
    id="missed-class-miou", kind="값", tolerance=0.0051,
    title="물체를 놓친 영상의 평균 IoU",
    prompt="4×5 영상에서 정답은 새(3) 2화소, 나머지 18화소는 배경입니다. 모델이 모두 배경으로 예측하면 화소 정확도는 "
           "0.9입니다. 평균 IoU는? (소수 둘째 자리)",
    hint="평균은 정답이나 예측에 나온 클래스(배경과 새)의 IoU로 냅니다. 놓친 새의 IoU는 0입니다.",
    solution="배경 IoU = 18 / 20 = 0.9, 새 IoU = 0 / 2 = 0. 평균 (0.9 + 0) / 2 = 0.45. "
             "화소 정확도(0.9)는 새를 놓친 것을 거의 드러내지 않습니다.",
    expected=_bird_mean_iou,
    mistakes=(
        Mistake("배경만 평균했습니다. 정답에 나온 새도 IoU 0으로 평균에 들어갑니다.", value=0.9),
        Mistake("영상에 없는 클래스(1, 2)까지 IoU 0으로 넣었습니다. 정답에도 예측에도 없는 클래스는 뺍니다.",
                value=0.23),
    ),
)

ZOO_GAP_DISCUSSION = Exercise(
    id="zoo-gap-discussion", kind="토론",
    title="10장의 평균 IoU와 모델 목록의 값",
    prompt="5절에서 잰 10장의 평균 IoU와 6절 끝 표의 `mobilenetv2_dm05_coco_voc_trainaug` (val) 행을 견주면, 그 차를 "
           "이 파일의 품질 차로 읽을 수 있을까요? 두 숫자를 만든 조건 가운데 다른 것을 모두 적어 보세요.",
    hint="영상 수, 입력 크기, 전처리, 출력 보폭을 하나씩 견주세요. 5절의 클래스별 IoU 표에서 IoU가 0인 클래스는 "
         "영상 몇 장에 나오나요?",
    solution="읽을 수 없습니다. 다른 것이 여럿입니다. (1) 영상 수: 10장 대 val 1,449장. 클래스마다 한두 장에만 나와, "
             "5절의 클래스별 표에서 IoU가 0인 클래스(작은 물체를 통째로 놓친 영상 한 장)가 평균을 크게 끌어내립니다. "
             "(2) 입력 크기: 이 TFLite 파일은 257 입력이고, DeepLab의 평가는 영상을 줄이지 않고 513×513에 채워 "
             "넣습니다(VOC 영상은 긴 변이 500 이하). (3) 전처리: `segment`는 늘리기이고, 6절에서 이 10장의 "
             "늘리기와 채우기의 차가 컸습니다. "
             "(4) 출력 보폭: 그 행은 출력 보폭 16에서 평가했고, 이 파일은 8입니다(inside_pretrained 노트북). 조건을 "
             "하나씩 맞춰 가며 재야 "
             "견줄 수 있고, inside_pretrained 노트북 5절이 입력 크기와 전처리를 그렇게 나눠 잽니다. 마지막에는 전체 "
             "val로 평가해야 합니다.",
)
