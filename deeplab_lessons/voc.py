"""PASCAL VOC 2012의 21개 클래스 이름(영어·한국어)과 표준 색상표.

모든 강의가 이 한 곳의 정의를 씁니다. 마스크 값 0–20은 클래스, 255는 경계의 "무시(void)" 영역입니다.
"""

from __future__ import annotations

import numpy as np

from deeplab_lessons.errors import DeepLabLessonsError

#: 클래스 번호 순서의 영어 이름(공식 데이터셋의 표기).
CLASS_NAMES = (
    "background", "aeroplane", "bicycle", "bird", "boat", "bottle", "bus", "car", "cat",
    "chair", "cow", "diningtable", "dog", "horse", "motorbike", "person", "pottedplant",
    "sheep", "sofa", "train", "tvmonitor",
)

#: 클래스 번호 순서의 한국어 이름.
CLASS_NAMES_KO = (
    "배경", "비행기", "자전거", "새", "보트", "병", "버스", "자동차", "고양이",
    "의자", "소", "식탁", "개", "말", "오토바이", "사람", "화분",
    "양", "소파", "기차", "TV/모니터",
)

NUM_CLASSES = len(CLASS_NAMES)
#: 정답 마스크에서 평가에 넣지 않는 경계 값.
IGNORE_LABEL = 255


def colormap(size: int = 256) -> np.ndarray:
    """PASCAL VOC 표준 색상표를 만듭니다.

    클래스 번호의 비트를 세 개씩 나눠 빨강·초록·파랑의 높은 비트부터 채우는, 공식 개발 도구의 방식입니다.

    Args:
        size: 색 개수(기본 256: 0–20 클래스와 255 무시 값까지).

    Returns:
        ``(size, 3)`` uint8 배열. 예: 0 → 검정, 15(사람) → (192, 128, 128), 255 → (224, 224, 192).
    """
    cmap = np.zeros((size, 3), dtype=np.uint8)
    index = np.arange(size)
    for bit in range(7, -1, -1):
        for channel in range(3):
            cmap[:, channel] |= (((index >> channel) & 1) << bit).astype(np.uint8)
        index = index >> 3
    return cmap


def label_to_color(label_map: np.ndarray) -> np.ndarray:
    """클래스 번호 지도 ``(H, W)`` 를 색 이미지 ``(H, W, 3)`` uint8로 바꿉니다.

    Raises:
        DeepLabLessonsError: 2차원 정수 배열이 아니거나 0–255 밖의 값이 있을 때.
    """
    label_map = np.asarray(label_map)
    if label_map.ndim != 2 or not np.issubdtype(label_map.dtype, np.integer):
        raise DeepLabLessonsError(
            f"label_map은 (높이, 너비) 모양의 정수 배열이어야 합니다(받은 모양: {label_map.shape}, "
            f"자료형: {label_map.dtype}). 클래스 번호 지도를 넣으세요."
        )
    if label_map.size and (label_map.min() < 0 or label_map.max() > 255):
        raise DeepLabLessonsError(
            f"label_map의 값은 0–255 사이여야 합니다(받은 범위: {label_map.min()}–{label_map.max()})."
        )
    return colormap()[label_map]


def class_label(index: int) -> str:
    """클래스 번호를 ``"사람 (person)"`` 처럼 한국어와 영어로 된 이름으로 돌려줍니다."""
    if index == IGNORE_LABEL:
        return "무시 (void)"
    return f"{CLASS_NAMES_KO[index]} ({CLASS_NAMES[index]})"


def class_shares(mask: np.ndarray) -> list[tuple[int, float]]:
    """마스크에 나온 클래스와 그 화소 비율(0–1), 비율이 큰 순서."""
    ids, counts = np.unique(np.asarray(mask), return_counts=True)
    order = np.argsort(-counts, kind="stable")
    return [(int(ids[i]), float(counts[i] / counts.sum())) for i in order]


def share_table(mask: np.ndarray, min_share: float = 0.005) -> str:
    """``class_shares`` 를 한국어 표로 만듭니다(소수 첫째 자리 %).

    ``min_share`` (기본 0.5 %)보다 작은 조각은 싣지 않습니다. 몇 화소짜리 조각은 CPU에 따라 생기거나
    사라질 수 있어, 저장된 노트북 출력이 기계마다 같도록 하려는 것입니다.
    """
    return "\n".join(f"  {class_label(class_id):<22} {share:6.1%}"
                     for class_id, share in class_shares(mask) if share >= min_share)
