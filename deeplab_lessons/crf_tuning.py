"""DenseCRF 매개변수를 평가에 쓰지 않는 영상에서 고르기: DeepLab v1(5절)·v2(4.1.1절)가 한 거친 → 좁힌 격자 탐색.

DeepLab은 평활 커널의 ``w2 = 3``, ``θγ = 3`` 을 고정하고 외형 커널의 ``w1``, ``θα``, ``θβ`` 만, 평가하지 않는
영상들의 평균 IoU로 골랐습니다(모델마다 따로). 여기서도 같습니다:

1. :func:`voc_cases`: 영상마다 모델을 한 번(한 배율) 돌려 softmax 확률을 저장합니다. 탐색하는 동안 모델은 다시
   돌지 않고, 설정 하나의 비용은 CRF뿐입니다(``θα``, ``θβ`` 가 같고 ``w1`` 만 다른 설정은 격자도 다시 씀:
   :class:`~deeplab_lessons.crf.PreparedImage`).
2. :func:`tune`: 거친 격자의 모든 조합을 재고, 가장 좋은 조합에서 한 번에 하나씩 양옆으로 옮긴 좁힌 격자를
   잽니다. 점수는 모든 영상을 합친 혼동 행렬의 평균 IoU, 옆에 경계 띠 정확도(5화소)를 함께 적습니다.

시간을 줄이는 변형(문서화한 차이): 영상을 ``factor`` 배로 줄여 잴 수 있습니다. 그때 위치 표준 편차(``θα``,
``θγ``)와 경계 띠 폭도 같은 배율로 줄여 CRF에 넣고, 표와 결과의 값은 원래 크기의 화소 단위로 적습니다.

TensorFlow를 직접 부르지 않습니다(모델은 :func:`voc_cases` 에 받은 것을 씁니다).
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass, replace

import numpy as np
from PIL import Image

from deeplab_lessons import crf, metrics
from deeplab_lessons.errors import DeepLabLessonsError
from deeplab_lessons.progress import Progress

#: 거친 격자(원래 크기의 화소 단위): 2 × 2 × 2 = 8개. v1 LargeFOV의 (4, 121, 5)를 둘러싸고 좁은 쪽으로 넓게.
COARSE_GRID = {"bi_w": (3.0, 5.0), "bi_xy_std": (30.0, 121.0), "bi_rgb_std": (3.0, 6.0)}
#: 좁힌 격자: 거친 격자에서 가장 좋은 값에서 한 번에 하나씩 양옆으로(더하기: 가중치, 곱하기: 표준 편차), 6개.
FINE_STEPS = {"bi_w": 1.0, "bi_xy_std": 1.5, "bi_rgb_std": 1.4}
#: 경계 띠 폭(원래 크기의 화소).
BAND_WIDTH = 5
#: test_time_refinement 노트북의 탐색(:func:`tune_course_model`): VOC train 표본의 열 장마다 한 장(147장 중 15장)을
#: 0.4배로 줄여서.
#: 노트북을 CI에서 몇 분 안에 돌리려는 크기입니다(좁은 표준 편차는 격자 꼭짓점이 많아 설정 하나가 더 비쌈).
#: 전체 147장·원래 크기로는 ``tune(voc_cases(model, root, voc.image_ids(root, "train")))``.
COURSE_STRIDE = 10
COURSE_FACTOR = 0.4


@dataclass
class Case:
    """탐색에 쓰는 영상 하나: 영상, 모델의 확률(한 배율), 정답. 모두 같은 (줄였다면 줄인) 크기."""

    image_id: str
    rgb: np.ndarray
    probabilities: np.ndarray
    truth: np.ndarray
    #: 줄이기 전 원래 크기에서 잰 화소별 최대 확률의 평균(모델이 이 영상을 얼마나 확신하는지).
    mean_top_probability: float = float("nan")

    def __post_init__(self):
        self.prepared = crf.PreparedImage(self.rgb, self.probabilities)


@dataclass(frozen=True)
class Trial:
    """설정 하나를 잰 결과. ``params`` 는 원래 크기의 화소 단위, 점수는 0–100 (%)."""

    stage: str
    params: crf.CRFParams
    miou: float
    band_accuracy: float


@dataclass
class TuningResult:
    """:func:`tune` 의 결과: 고른 매개변수, 잰 설정 모두(순서대로), CRF 없는 기준, 걸린 시간(초)."""

    best: crf.CRFParams
    trials: list[Trial]
    baseline: Trial
    seconds: float

    def table(self, top: int | None = None):
        """잰 설정의 표(평균 IoU 순). ``top`` 이면 위에서 그만큼만. 첫 줄은 CRF 없는 기준."""
        from deeplab_lessons.tables import table

        ranked = sorted(self.trials, key=lambda t: (-t.miou, -t.band_accuracy))[:top]
        rows = [["CRF 없음", None, None, None, self.baseline.miou, self.baseline.band_accuracy]]
        rows += [[t.stage, t.params.bi_w, t.params.bi_xy_std, t.params.bi_rgb_std, t.miou, t.band_accuracy]
                 for t in ranked]
        return table(["단계", "w1", "θα", "θβ", "평균 IoU (%)", "경계 띠 정확도 (%)"], rows, digits=2)


def shrink(rgb: np.ndarray, probabilities: np.ndarray, truth: np.ndarray, factor: float):
    """영상(쌍선형)·확률(쌍선형 후 다시 합 1)·정답(최근접)을 ``factor`` 배 크기로. ``factor == 1`` 이면 그대로."""
    if factor == 1.0:
        return rgb, probabilities, truth
    height, width = truth.shape
    size = (max(1, round(width * factor)), max(1, round(height * factor)))
    small_rgb = np.asarray(Image.fromarray(rgb).resize(size, Image.Resampling.BILINEAR))
    small_truth = np.asarray(Image.fromarray(truth).resize(size, Image.Resampling.NEAREST))
    channels = [np.asarray(Image.fromarray(probabilities[..., c]).resize(size, Image.Resampling.BILINEAR))
                for c in range(probabilities.shape[-1])]
    small_p = np.clip(np.stack(channels, axis=-1), 0, None)
    return small_rgb, (small_p / small_p.sum(axis=-1, keepdims=True)).astype(np.float32), small_truth


def voc_cases(model, voc_root, image_ids, factor: float = 1.0) -> list[Case]:
    """VOC 영상마다 ``model`` 을 한 번(배율 1.0, 뒤집기 없음) 돌려 확률을 저장한 :class:`Case` 목록.

    Args:
        model: 로짓을 내는 ``SegmentationModel`` (예: ``load_model("mobilenetv2_voc_keras")``).
        voc_root: VOC 폴더. image_ids: 영상 id들(평가에 쓰지 않는 split, 예: ``train``).
        factor: 0 < factor ≤ 1. 탐색을 빠르게 하려고 줄이는 배율.

    Raises:
        DeepLabLessonsError: ``factor`` 가 범위 밖일 때. VOC 폴더·영상 오류는 :func:`deeplab_lessons.voc.read_pair`.
    """
    from deeplab_lessons import refine, voc

    _check_factor(factor)
    cases = []
    for image_id in image_ids:
        rgb, truth = voc.read_pair(voc_root, image_id)
        probabilities = refine.softmax(refine.scale_flip_passes(model, rgb, (1.0,), flip=False)[0].logits)
        top = float(probabilities.max(axis=-1).mean())
        cases.append(Case(image_id, *shrink(rgb, probabilities, truth, factor), mean_top_probability=top))
    return cases


def course_train_ids(voc_root) -> list[str]:
    """test_time_refinement 노트북의 탐색에 쓰는 train 영상 id: ``train.txt`` 의 :data:`COURSE_STRIDE` 장마다 한 장."""
    from deeplab_lessons import voc

    return voc.image_ids(voc_root, "train")[::COURSE_STRIDE]


def tune_course_model(model, voc_root, cases: list[Case] | None = None) -> TuningResult:
    """test_time_refinement 노트북의 탐색 그대로: :func:`course_train_ids` 를 :data:`COURSE_FACTOR` 배로,
    :data:`COARSE_GRID` 에서.

    ``crf.TUNED["mobilenetv2_voc_keras"]`` 가 이 함수의 결과입니다(``load_model("mobilenetv2_voc_keras")``).
    ``cases`` 를 주면 모델을 다시 돌리지 않습니다(같은 영상·배율로 만든 것이어야 함).
    """
    if cases is None:
        cases = voc_cases(model, voc_root, course_train_ids(voc_root), COURSE_FACTOR)
    return tune(cases, COARSE_GRID, factor=COURSE_FACTOR)


def _check_factor(factor) -> None:
    if isinstance(factor, bool) or not isinstance(factor, (int, float)) or not 0 < factor <= 1:
        raise DeepLabLessonsError(f"factor는 0보다 크고 1 이하인 배율이어야 합니다(받은 값: {factor!r}). "
                                  "예: factor=0.5 (가로·세로 절반).")


def _scaled(params: crf.CRFParams, factor: float) -> crf.CRFParams:
    """원래 크기 단위의 매개변수를 ``factor`` 배로 줄인 영상에 맞게(위치 표준 편차만 ``factor`` 배)."""
    return replace(params, bi_xy_std=params.bi_xy_std * factor, pos_xy_std=params.pos_xy_std * factor)


def _score(matrix: np.ndarray, band: list[int]) -> tuple[float, float]:
    return metrics.mean_iou(matrix) * 100, band[0] / max(band[1], 1) * 100


def evaluate(cases: list[Case], settings: list[crf.CRFParams], factor: float = 1.0, stage: str = "",
             progress: Progress | None = None) -> list[Trial]:
    """설정마다 모든 영상을 다듬어 합친 평균 IoU와 경계 띠 정확도(:class:`Trial` 목록, ``settings`` 순서).

    영상 하나에서 모든 설정을 잰 뒤 다음 영상으로 갑니다(격자는 영상마다 ``θα``, ``θβ`` 가 바뀔 때만 새로 지음).
    ``progress`` 가 있으면 영상 묶음마다 한 단계씩 진행을 적습니다.
    """
    from deeplab_lessons import refine

    width = max(1, round(BAND_WIDTH * factor))
    order = sorted(range(len(settings)), key=lambda i: (settings[i].bi_xy_std, settings[i].bi_rgb_std))
    matrices = [np.zeros((21, 21), np.int64) for _ in settings]
    bands = [[0, 0] for _ in settings]
    chunks = np.array_split(np.arange(len(cases)), progress.total) if progress else [np.arange(len(cases))]
    for chunk in chunks:
        if progress:
            progress.start(f"{stage} 설정 {len(settings)}개 × 영상 {chunk[0] + 1}–{chunk[-1] + 1}")
        for index in chunk:
            case = cases[index]
            for i in order:
                labels = case.prepared.refine(_scaled(settings[i], factor)).argmax(-1)
                matrices[i] += metrics.confusion_matrix(case.truth, labels)
                correct, total = refine.trimap_counts(case.truth, labels, width)
                bands[i][0] += correct
                bands[i][1] += total
        if progress:
            best = max(range(len(settings)), key=lambda i: metrics.mean_iou(matrices[i]))
            progress.done(f"지금까지 가장 좋은 설정의 평균 IoU {_score(matrices[best], bands[best])[0]:.1f} %")
    return [Trial(stage, settings[i], *_score(matrices[i], bands[i])) for i in range(len(settings))]


def baseline(cases: list[Case], factor: float = 1.0) -> Trial:
    """CRF 없이(확률의 arg-max) 같은 영상들의 점수. ``params`` 는 자리만 채운 기본값."""
    from deeplab_lessons import refine

    width = max(1, round(BAND_WIDTH * factor))
    matrix, band = np.zeros((21, 21), np.int64), [0, 0]
    for case in cases:
        labels = case.probabilities.argmax(-1)
        matrix += metrics.confusion_matrix(case.truth, labels)
        correct, total = refine.trimap_counts(case.truth, labels, width)
        band[0] += correct
        band[1] += total
    return Trial("CRF 없음", crf.CRFParams(), *_score(matrix, band))


def grid(values: dict, base: crf.CRFParams) -> list[crf.CRFParams]:
    """``values`` (이름 → 값들)의 모든 조합. 나머지 매개변수는 ``base`` 의 것."""
    names = list(values)
    return [replace(base, **dict(zip(names, combo, strict=True))) for combo in itertools.product(*values.values())]


def fine_grid(best: crf.CRFParams) -> list[crf.CRFParams]:
    """``best`` 에서 한 번에 하나씩 양옆으로 옮긴 설정 6개: 가중치는 ±:data:`FINE_STEPS`, 표준 편차는 ÷·× 그 배율.

    세 축의 모든 조합(3³ − 1 = 26개) 대신 축마다 따로 봅니다(설정 수를 노트북 시간에 맞추려는 선택).
    """
    w, xy, rgb = best.bi_w, best.bi_xy_std, best.bi_rgb_std
    moves = {"bi_w": (w - FINE_STEPS["bi_w"], w + FINE_STEPS["bi_w"]),
             "bi_xy_std": tuple(round(v, 1) for v in (xy / FINE_STEPS["bi_xy_std"], xy * FINE_STEPS["bi_xy_std"])),
             "bi_rgb_std": tuple(round(v, 2) for v in (rgb / FINE_STEPS["bi_rgb_std"], rgb * FINE_STEPS["bi_rgb_std"]))}
    return [replace(best, **{name: value}) for name, values in moves.items() for value in values if value > 0]


def tune(cases: list[Case], coarse: dict | None = None, factor: float = 1.0, base: crf.CRFParams | None = None,
         chunks: int = 3) -> TuningResult:
    """거친 격자 → 좁힌 격자로 ``w1``, ``θα``, ``θβ`` 를 고릅니다(``w2``, ``θγ``, 반복 수는 ``base`` 의 것).

    기본 ``base`` 는 ``w2 = 3``, ``θγ = 3``, 10회(DeepLab이 고정한 값).

    Args:
        cases: :func:`voc_cases` 의 결과. **평가에 쓸 영상이 아니어야** 합니다(그 영상에 맞춰질 뿐이므로).
        coarse: 거친 격자(이름 → 값들, 원래 크기의 화소 단위). 기본 :data:`COARSE_GRID`.
        factor: ``cases`` 를 줄인 배율(:func:`voc_cases` 와 같은 값).
        base: 탐색하지 않는 매개변수. 기본 ``CRFParams()`` (v1 LargeFOV: ``w2 = 3``, ``θγ = 3``, 10회).
        chunks: 단계마다 진행을 몇 줄로 적을지.

    Returns:
        :class:`TuningResult`. ``best`` 는 좁힌 격자까지에서 평균 IoU가 가장 높은 설정(같으면 경계 띠 정확도).

    Raises:
        DeepLabLessonsError: ``cases`` 가 비었거나, 격자에 모르는 이름·빈 값 목록이 있을 때.
    """
    if not cases:
        raise DeepLabLessonsError("cases가 비었습니다. voc_cases(model, voc_root, ids)로 영상을 하나 이상 준비하세요.")
    _check_factor(factor)
    coarse = dict(coarse or COARSE_GRID)
    unknown = sorted(set(coarse) - set(COARSE_GRID))
    if unknown or not all(len(v) for v in coarse.values()):
        raise DeepLabLessonsError(f"격자는 {', '.join(COARSE_GRID)} 에서 고른 이름마다 값이 하나 이상이어야 "
                                  f"합니다(받은 이름: {', '.join(coarse) or '없음'}, 모르는 이름: "
                                  f"{', '.join(unknown) or '없음'}).")
    base = base or crf.CRFParams()
    start = time.perf_counter()
    chunks = min(chunks, len(cases))
    first = evaluate(cases, grid(coarse, base), factor, "거친 격자", Progress(chunks))
    best = _best(first)
    tried = {t.params for t in first}
    fine = [p for p in fine_grid(best.params) if p not in tried]
    second = evaluate(cases, fine, factor, "좁힌 격자", Progress(chunks)) if fine else []
    trials = first + second
    return TuningResult(_best(trials).params, trials, baseline(cases, factor), time.perf_counter() - start)


def _best(trials: list[Trial]) -> Trial:
    return max(trials, key=lambda t: (t.miou, t.band_accuracy))
