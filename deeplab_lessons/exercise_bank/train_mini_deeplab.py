"""작은 DeepLab 학습(10_train_mini_deeplab.ipynb)의 연습문제."""

from __future__ import annotations

import numpy as np

from deeplab_lessons import atrous, upsampling
from deeplab_lessons.exercise_bank._shared import seeded_rng
from deeplab_lessons.grading import Case, Exercise, Mistake
from deeplab_lessons.voc import IGNORE_LABEL

FEATURE_MAP_SIZE = Exercise(
    id="feature-map-size", kind="값",
    title="출력 보폭 16의 특징 맵 크기",
    prompt="200×200 장면을 출력 보폭 16으로 처리하면 특징 맵의 한 변은?",
    hint="보폭 2(same 패딩)를 네 번 거치고, 매번 올림합니다: ceil(n / 2).",
    solution="200 → 100 → 50 → 25 → 13 (= ceil(200 / 16)).",
    expected=lambda: atrous.output_size(200, 1, 16),
    mistakes=(Mistake("200 / 16 = 12.5를 내림했습니다. same 패딩은 올림합니다.", value=12),),
)


def _band_mask() -> np.ndarray:
    mask = np.zeros((6, 6), np.uint8)
    mask[2:4, 2:4] = 1
    return mask


BAND_PIXELS = Exercise(
    id="band-pixels", kind="값",
    title="경계 띠의 화소 수",
    prompt="아래 6×6 마스크에서 폭 2의 경계 띠는 몇 화소일까요?",
    hint="띠 = 경계 화소(위·아래·왼쪽·오른쪽 이웃 중에 다른 클래스가 있는 화소)와, 경계 화소에서 체스판 거리 "
         "width − 1 = 1 안(대각선 이웃 포함)에 있는 화소. 먼저 경계 화소를 표시한 뒤 한 칸씩 넓혀 세세요.",
    solution="경계 화소는 사각형 안 4화소와, 사각형의 네 변에 붙은 바깥 8화소로 12화소입니다(대각선 모서리는 "
             "다른 클래스와 변을 맞대지 않아 경계 화소가 아님). 이 12화소를 3×3으로 한 번 넓히면 가운데 4×4 블록 "
             "16화소를 둘러싼 한 겹과 합쳐져 6×6 가운데에서 가장자리 모서리 네 칸을 뺀 32화소가 됩니다. "
             "`upsampling.boundary_band(mask, 2).sum()`과 같습니다.",
    expected=lambda: int(upsampling.boundary_band(_band_mask(), 2).sum()),
    mistakes=(
        Mistake("그것은 폭 1의 띠(경계 화소만)입니다. 체스판 거리 1만큼 한 번 넓히세요.", value=12),
        Mistake("4-이웃(대각선 제외)으로 넓혔습니다. 시험 시점 다듬기와 같이 대각선 이웃도 거리 1(체스판 거리)"
                "입니다.", value=24),
        Mistake("한 번 더 넓혔습니다. 폭 w의 띠는 경계 화소에서 w − 1번 넓힙니다.", value=36),
    ),
)


def boundary_band_answer(mask, width):
    """경계 화소(4-이웃에 다른 클래스)에서 체스판 거리 width − 1 안의 화소를 True로."""
    height, width_px = mask.shape
    edge = np.zeros(mask.shape, bool)
    for y in range(height):
        for x in range(width_px):
            for yy, xx in ((y - 1, x), (y + 1, x), (y, x - 1), (y, x + 1)):
                if 0 <= yy < height and 0 <= xx < width_px and mask[yy, xx] != mask[y, x]:
                    edge[y, x] = True
    band = np.zeros(mask.shape, bool)
    for y, x in zip(*np.nonzero(edge), strict=True):
        band[max(0, y - width + 1):y + width, max(0, x - width + 1):x + width] = True
    return band


def _band_cases() -> list[Case]:
    rng = seeded_rng(8)
    cases = [Case({"mask": _band_mask(), "width": 1}, "2×2 사각형"),
             Case({"mask": _band_mask(), "width": 3}, "2×2 사각형, 폭 3"),
             Case({"mask": np.zeros((4, 5), np.uint8), "width": 2}, "한 클래스뿐(띠 없음)")]
    for _ in range(4):
        mask = np.zeros((int(rng.integers(6, 10)), int(rng.integers(6, 10))), np.uint8)
        for label in (1, 2):
            top, left = int(rng.integers(0, mask.shape[0] - 2)), int(rng.integers(0, mask.shape[1] - 2))
            mask[top:top + int(rng.integers(2, 5)), left:left + int(rng.integers(2, 5))] = label
        cases.append(Case({"mask": mask, "width": int(rng.integers(2, 4))}, "무작위 사각형 둘"))
    return cases


def _band_diamond(mask, width):
    band = upsampling.boundary_band(mask, 1)
    for _ in range(width - 1):
        grown = band.copy()
        grown[:-1] |= band[1:]
        grown[1:] |= band[:-1]
        grown[:, :-1] |= band[:, 1:]
        grown[:, 1:] |= band[:, :-1]
        band = grown
    return band


def _band_one_side(mask, width):
    return upsampling.boundary_band(mask, width) & (mask != 0)


BOUNDARY_BAND = Exercise(
    id="boundary-band", kind="코드",
    title="경계 띠 만들기",
    prompt="`boundary_band(mask, width)`",
    hint="먼저 경계 화소(위·아래·왼쪽·오른쪽 이웃 중에 다른 클래스가 있는 화소)를 찾고, 그 화소들을 체스판 거리 "
         "width − 1만큼(대각선 포함, 3×3으로 width − 1번) 넓히세요. 경계의 양쪽이 모두 띠에 들어갑니다. "
         "test_time_refinement 노트북의 경계 띠 정확도와 같은 띠입니다.",
    solution="경계 화소마다 그 둘레의 (2·width − 1)×(2·width − 1) 정사각형을 True로 칠합니다. "
             "(패키지의 `upsampling.boundary_band`는 같은 띠를 경계 화소에서 시작해 3×3 팽창을 width − 1번 해서 "
             "만듭니다.)",
    reference=lambda mask, width: upsampling.boundary_band(mask, width),
    cases=_band_cases, model_answer=boundary_band_answer,
    mistakes=(
        Mistake("4-이웃으로 넓혔습니다(대각선 한 칸 = 거리 2). 넓힐 때는 대각선 이웃도 거리 1(체스판 거리)입니다.",
                function=_band_diamond),
        Mistake("폭이 하나 어긋납니다(off-by-one). 폭 1은 경계 화소만, 폭 w는 경계 화소에서 w − 1번 넓힌 띠입니다.",
                function=lambda mask, width: upsampling.boundary_band(mask, width + 1)),
        Mistake("폭이 하나 어긋납니다(off-by-one). 폭 1은 경계 화소만, 폭 w는 경계 화소에서 w − 1번 넓힌 띠입니다.",
                function=lambda mask, width: upsampling.boundary_band(mask, width - 1) if width > 1
                else np.zeros(mask.shape, bool)),
        Mistake("경계의 한쪽(물체 안쪽)만 넣었습니다. 배경 쪽 화소도 다른 클래스와 맞닿으면 경계 화소입니다.",
                function=_band_one_side),
    ),
)


def masked_cross_entropy_answer(logits, labels):
    """logits (H, W, C), labels (H, W). 255가 아닌 화소의 −log softmax 평균(없으면 0.0)."""
    keep = labels != 255
    if not keep.any():
        return 0.0
    scores = logits[keep]                                   # (N, C)
    classes = labels[keep]                                  # (N,)
    shifted = scores - scores.max(axis=1, keepdims=True)    # 큰 로짓에서 exp가 넘치지 않게
    log_softmax = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return float(-log_softmax[np.arange(len(classes)), classes].mean())


def _ce_cases() -> list[Case]:
    rng = seeded_rng(9)
    cases = []
    for index in range(4):
        height, width, classes = int(rng.integers(2, 5)), int(rng.integers(2, 5)), int(rng.integers(2, 6))
        labels = rng.integers(0, classes, size=(height, width))
        labels[rng.random(labels.shape) < 0.3] = IGNORE_LABEL
        labels[0, 0] = 0
        logits = rng.standard_normal((height, width, classes)).round(2) * (1 + index)
        cases.append(Case({"logits": logits, "labels": labels}, "무작위, 255 섞임"))
    cases.append(Case({"logits": np.array([[[1000.0, 0.0], [0.0, 1000.0]]]), "labels": np.array([[1, 1]])},
                      "아주 큰 로짓(exp가 넘침)"))
    cases.append(Case({"logits": np.zeros((1, 2, 3)), "labels": np.array([[255, 255]])}, "모두 255"))
    return cases


def _ce_all_pixels(logits, labels):
    keep = labels != 255
    if not keep.any():
        return 0.0
    return masked_cross_entropy_answer(logits, labels) * keep.sum() / labels.size


def _ce_unstable(logits, labels):
    keep = labels != 255
    if not keep.any():
        return 0.0
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        probs = np.exp(logits[keep]) / np.exp(logits[keep]).sum(axis=1, keepdims=True)
        return float(-np.log(probs[np.arange(keep.sum()), labels[keep]]).mean())


def _ce_no_log(logits, labels):
    keep = labels != 255
    if not keep.any():
        return 0.0
    scores = logits[keep] - logits[keep].max(axis=1, keepdims=True)
    probs = np.exp(scores) / np.exp(scores).sum(axis=1, keepdims=True)
    return float(-probs[np.arange(keep.sum()), labels[keep]].mean())


def _ce_reference(logits, labels):
    from deeplab_lessons import losses

    return losses.masked_cross_entropy(logits, labels)


MASKED_CROSS_ENTROPY = Exercise(
    id="masked-ce", kind="코드",
    title="255를 무시하는 교차 엔트로피",
    prompt="`masked_cross_entropy(logits, labels)`",
    hint="화소마다 −log softmax(로짓)[정답 클래스]를 구해, 정답이 255가 아닌 화소들만 평균합니다(255 화소는 분자에도 "
         "분모에도 들어가지 않습니다). 큰 로짓에서 exp가 넘치지 않게 화소마다 최댓값을 빼고 계산하세요.",
    solution="keep = labels != 255로 화소를 고르고, 로짓에서 화소마다 최댓값을 뺀 뒤 log_softmax = s − log Σ exp(s). "
             "정답 클래스의 −log_softmax를 keep 화소에 대해 평균합니다. keep 화소가 없으면 0.0. "
             "Keras의 SparseCategoricalCrossentropy(from_logits=True, ignore_class=255)와 같은 값입니다.",
    reference=_ce_reference, cases=_ce_cases, model_answer=masked_cross_entropy_answer,
    mistakes=(
        Mistake("255 화소까지 분모에 넣어 평균했습니다. 무시할 화소는 평균하는 개수에서도 빼세요.",
                function=_ce_all_pixels),
        Mistake("큰 로짓에서 exp가 넘쳤습니다(inf / nan). 화소마다 로짓의 최댓값을 빼고 softmax를 계산하세요 "
                "(log-sum-exp).", function=_ce_unstable),
        Mistake("log를 빠뜨렸습니다. 교차 엔트로피는 정답 클래스 확률의 −log입니다.", function=_ce_no_log),
    ),
)

EXPERIMENT_CHANGE = Exercise(
    id="experiment-change", kind="토론",
    title="구성 하나를 바꿔 다시 재기",
    prompt="5절의 한 구성을 한 곳만 바꿔 다시 학습하고, 저장된 기준(5절의 결과)과 같은 시드끼리 견줘 보세요.",
    hint="한 번에 하나만 바꾸고(예: {\"image_pooling\": False}), 바꾸기 전에 무엇을 기대하는지 적으세요. 판정은 "
         "시드마다의 차가 모두 같은 부호이고 평균이 표준편차보다 클 때만 '좋아짐'·'나빠짐'입니다.",
    solution="무엇을 바꿨든 읽는 법은 같습니다. (1) 짝지은 차의 평균과 표준편차를 보고, 판정이 "
             "'잴 수 있는 차 없음'이면 결론을 내리지 않습니다. (2) 차가 있으면 원인을 1절의 표(수용 영역, "
             "특징 맵 크기)와 맞는 말로 씁니다. 예: v3+에서 이미지 수준 풀링을 빼도 문맥 클래스 IoU에 잴 수 있는 "
             "차가 없다면, 이 64×64 장면에서는 백본의 수용 영역이 이미 테두리까지 닿기 때문입니다(5절과 같은 이유). "
             "ASPP의 팽창률을 논문 값(12·24·36)으로 바꾸면 8×8 특징 맵에서 3×3 가지의 바깥 칸이 모두 패딩에 떨어져 "
             "1×1과 같아집니다. 클래스 가중치를 더하면 작은 원의 재현율은 오르지만, 6절의 저장된 실행에서는 "
             "다른 클래스를 작은 원으로 칠하는 화소(거짓 양성)도 늘어 작은 원의 IoU가 오르지 않았고 평균 IoU는 "
             "내려갔습니다. 6절의 표와 같은지 견줘 보세요. 시드 3개로는 큰 차만 보이니, "
             "작은 차를 보려면 FULL = True(시드 다섯)로 다시 재세요.",
)


#: id → 문제. 강의 순서(지금의 번호)대로.
