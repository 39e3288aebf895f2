"""구성 요소 비교(ablation) — 기준에서 한 번에 하나씩 바꾼 여섯 구성을 같은 예산, 여러 시드로 학습해 비교합니다.

점수는 평균 IoU와 클래스 묶음(크기·가는 구조·전역 문맥)별 IoU, 그리고 디코더를 전체 정확도와 떼어 보려는
경계 띠 정확도: 경계에서 ``w`` 화소 안(트라이맵, trimap)의 화소 정확도와, 경계에서 먼 안쪽의 화소 정확도입니다
(fully_convolutional·test_time_refinement 노트북과 같은 띠: :func:`deeplab_lessons.upsampling.boundary_band`).
한 단계의 효과는 같은 시드끼리의 차(짝지은 차)로 재고, 시드마다의 차가 모두 같은 부호이고 평균이
표준편차보다 클 때만(그리고 0.001 이상일 때만) "잴 수 있는 효과"로 봅니다(:func:`step_effects`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from deeplab_lessons import counting, data, metrics, mobilenet, training
from deeplab_lessons.errors import bad_argument, check_int
from deeplab_lessons.progress import Progress, format_duration
from deeplab_lessons.receptive_field import LayerSpec, receptive_field
from deeplab_lessons.tables import table
from deeplab_lessons.upsampling import boundary_band

#: 이보다 작은 평균 차는 표(소수 셋째 자리)에 0으로 보이므로 효과로 치지 않습니다.
SMALLEST_EFFECT = 0.001
#: 경계 띠 정확도의 띠 폭(화소).
BAND_WIDTHS = (1, 2, 4)
#: 점수 이름 → 표의 열 이름.
METRICS = {
    "mean_iou": "평균 IoU",
    "size_iou": "크기 클래스 IoU",
    "thin_iou": "가는 막대 IoU",
    "context_iou": "문맥 클래스 IoU",
    "trimap_1": "경계 1화소 정확도",
    "trimap_2": "경계 2화소 정확도",
    "trimap_4": "경계 4화소 정확도",
    "interior_accuracy": "안쪽 정확도",
}


def receptive_fields(config: training.TrainConfig) -> dict[str, int]:
    """구성마다 해석적 수용 영역(화소, field_of_view 노트북의 점화식).

    백본은 첫 3×3(보폭 2)과 블록마다의 깊이별 3×3(:func:`deeplab_lessons.mobilenet.atrous_plan` 의 보폭·팽창률)으로
    셉니다(1×1은 수용 영역을 넓히지 않음). ASPP는 가장 큰 팽창률의 3×3을, 디코더는 보폭 4에서 3×3 두 번을
    더합니다. 이미지 수준 풀링의 가지는 영상 전체를 보지만 여기에는 넣지 않습니다(:func:`receptive_field_table`).
    """
    fields = {}
    for name, arch in training.ABLATION.items():
        stride = arch["output_stride"]
        layers = [LayerSpec(3, 2)] + [LayerSpec(3, s, r) for s, r in mobilenet.atrous_plan(stride, config.max_repeats)]
        size = receptive_field(layers)
        if arch.get("head") == "aspp":
            size += 2 * max(config.aspp_rates) * stride
        if arch.get("decoder"):
            size += 2 * 2 * mobilenet.LOW_LEVEL_STRIDE
        fields[name] = size
    return fields


def receptive_field_table(config: training.TrainConfig):
    """구성마다 출력 보폭, 특징 맵 크기, 해석적 수용 영역, 이미지 수준 풀링, 장면 크기를 나란히 보이는 표."""
    rows = []
    for name, size in receptive_fields(config).items():
        arch = training.ABLATION[name]
        stride = arch["output_stride"]
        pooled = "영상 전체" if arch.get("head") == "aspp" and arch.get("image_pooling") else "—"
        rows.append([name, stride, f"{config.size // stride}×{config.size // stride}", size, pooled, config.size])
    return table(["구성", "출력 보폭", "특징 맵", "수용 영역(화소)", "이미지 수준 풀링", "장면(화소)"], rows)


def _mean_of(per_class: np.ndarray, classes) -> float:
    values = per_class[list(classes)]
    values = values[~np.isnan(values)]
    return float(values.mean()) if values.size else float("nan")


def score(truth: np.ndarray, prediction: np.ndarray) -> dict[str, float]:
    """``(N, H, W)`` 정답과 예측의 점수(:data:`METRICS` 의 이름 → 값).

    경계 ``w`` 화소 정확도는 띠 밖 화소를, 안쪽 정확도는 가장 넓은 띠(:data:`BAND_WIDTHS` 의 마지막) 안 화소를
    무시 번호(255)로 바꿔 센 화소 정확도입니다. 두 지표의 차가 경계에서만 잃는 정확도입니다. ``per_class`` 는
    클래스마다의 IoU, ``per_class_recall`` 은 클래스마다의 재현율(정답 화소 중 맞힌 몫) 배열입니다.
    """
    truth, prediction = np.asarray(truth), np.asarray(prediction)
    if truth.shape != prediction.shape or truth.ndim != 3:
        raise bad_argument("prediction", prediction.shape,
                           f"정답과 같은 (N, H, W) 모양이어야 합니다(정답 {truth.shape})")

    def evaluate(target):
        return metrics.evaluate(zip(target, prediction, strict=True), data.NUM_CLASSES)

    overall = evaluate(truth)
    matrix = overall.matrix
    with np.errstate(invalid="ignore", divide="ignore"):
        recall = np.diag(matrix) / matrix.sum(axis=1)
    scores = {"per_class": overall.per_class, "per_class_recall": recall, "mean_iou": overall.mean_iou,
              "size_iou": _mean_of(overall.per_class, data.SIZE_CLASSES),
              "thin_iou": _mean_of(overall.per_class, data.THIN_CLASSES),
              "context_iou": _mean_of(overall.per_class, data.CONTEXT_CLASSES)}
    band = None
    for width in BAND_WIDTHS:
        band = np.stack([boundary_band(t, width) for t in truth])
        scores[f"trimap_{width}"] = evaluate(np.where(band, truth, metrics.IGNORE_LABEL)).pixel_accuracy
    scores["interior_accuracy"] = evaluate(np.where(band, metrics.IGNORE_LABEL, truth)).pixel_accuracy
    return scores


@dataclass
class RowResult:
    """구성 하나의 결과: 매개변수 수, 곱셈-덧셈(G, 장면 한 장), 시드마다의 학습 시간(초)과 점수."""

    name: str
    params: int
    gmacs: float
    seeds: list = field(default_factory=list)
    seconds: list = field(default_factory=list)
    scores: dict = field(default_factory=lambda: {name: [] for name in METRICS})
    per_class: list = field(default_factory=list)
    per_class_recall: list = field(default_factory=list)

    def class_values(self, label: int, recall: bool = False) -> np.ndarray:
        """시드 순서대로 클래스 ``label`` 의 IoU(``recall`` 이면 재현율)."""
        return np.array([values[label] for values in (self.per_class_recall if recall else self.per_class)], float)

    def values(self, metric: str) -> np.ndarray:
        """시드 순서대로의 점수 배열."""
        if metric not in self.scores:
            raise bad_argument("metric", metric, f"다음 중 하나여야 합니다: {', '.join(METRICS)}")
        return np.array(self.scores[metric], float)


def run_ablation(rows, config: training.TrainConfig, seeds=(0, 1, 2), verbose: bool = True,
                 class_weights=None) -> list[RowResult]:
    """``rows`` (:data:`deeplab_lessons.training.ABLATION` 의 이름들)를 같은 예산으로 시드마다 학습·평가합니다.

    구성마다 모델을 한 번 만들고, 둘째 시드부터는 :func:`deeplab_lessons.training.reinitialize` 로 그 시드의
    초기 상태로 되돌려 다시 학습합니다(같은 시드 = 같은 초기 가중치와 장면 순서). ``verbose`` 이면 학습할
    모델 수를 먼저 알리고 모델마다 한 줄(끝난 에포크, 평균 IoU, 학습 시간, 경과·남은 시간)을 씁니다.
    ``class_weights`` 는 :func:`deeplab_lessons.training.train` 에 그대로 갑니다.

    Raises:
        DeepLabLessonsError: 없는 구성 이름, 빈 시드 목록, 같은 시드가 두 번일 때.
    """
    return run_rows({name: training.architecture(name) for name in rows}, config, seeds, verbose, class_weights)


def run_rows(arches: dict, config: training.TrainConfig, seeds=(0, 1, 2), verbose: bool = True,
             class_weights=None) -> list[RowResult]:
    """:func:`run_ablation` 과 같되 구성을 ``{이름: models.deeplab 인자}`` 로 직접 줍니다(연습문제의 바꾼 구성)."""
    seeds = [check_int("seed", s, minimum=0) for s in seeds]
    if not arches or not seeds or len(set(seeds)) != len(seeds):
        raise bad_argument("seeds", seeds, "구성과 시드가 하나 이상이고 시드는 서로 달라야 합니다",
                           "예: seeds=(0, 1, 2)")
    test_images, test_masks = data.make_split("test", config.test_images, config.spec)
    progress = Progress(len(arches) * len(seeds)) if verbose else None
    if verbose:
        print(f"구성 {len(arches)}개 × 시드 {len(seeds)}개 = 모델 {progress.total}개를 "
              f"장면 {config.train_images}장 × {config.epochs} 에포크씩 학습합니다.", flush=True)
    results = []
    for name, arch in arches.items():
        model = training.build(config, seeds[0], **arch)
        result = RowResult(name, model.count_params(), counting.profiler_flops(model) / 2 / 1e9)
        for i, seed in enumerate(seeds):
            if i:
                training.reinitialize(model, config, seed, **arch)
            if progress is not None:
                progress.start(f"{name} · 시드 {seed}: 에포크")
            _, seconds = training.train(model, config, seed, verbose=False, progress=progress,
                                        class_weights=class_weights)
            scores = score(test_masks, training.predict_masks(model, test_images))
            result.seeds.append(seed)
            result.seconds.append(seconds)
            result.per_class.append(scores.pop("per_class"))
            result.per_class_recall.append(scores.pop("per_class_recall"))
            for metric, value in scores.items():
                result.scores[metric].append(value)
            if progress is not None:
                progress.done(f"평균 IoU {scores['mean_iou']:.3f}, 학습 {format_duration(seconds)}")
        results.append(result)
    return results


def compare_to_baseline(results: list[RowResult], name: str, change: dict | None, config: training.TrainConfig):
    """연습문제: 구성 ``name`` 을 ``change`` 만큼 바꿔 같은 예산·시드로 학습하고, 저장된 기준(``results``)과 같은
    시드끼리 견준 표를 돌려줍니다. ``change`` 가 ``None`` 이면 안내만 출력합니다.

    ``change`` 의 열쇠는 ``models.deeplab`` 의 인자(예: ``image_pooling``),
    :class:`~deeplab_lessons.training.TrainConfig` 의 필드(예: ``aspp_rates``), 또는 ``class_weights`` 입니다.

    Raises:
        DeepLabLessonsError: ``change`` 가 사전이 아니거나 모르는 열쇠가 있을 때, ``name`` 이 결과에 없을 때.
    """
    import dataclasses


    if change is None:
        print("아직 바꾸지 않았습니다. CHANGE = {\"image_pooling\": False} 처럼 한 곳만 바꾼 사전을 넣고 "
              "다시 실행하세요.")
        return None
    baseline = {r.name: r for r in results}.get(name)
    if baseline is None:
        raise bad_argument("name", name, "results에 있는 구성 이름이어야 합니다",
                           f"가능한 이름: {', '.join(r.name for r in results)}")
    if not isinstance(change, dict) or not change:
        raise bad_argument("change", change, "바꿀 것을 하나 이상 담은 사전이어야 합니다",
                           "예: {\"image_pooling\": False}")
    arch, fields = training.architecture(name), {f.name for f in dataclasses.fields(config)}
    known = {"output_stride", "head", "image_pooling", "decoder", "class_weights"} | fields
    unknown = sorted(set(change) - known)
    if unknown:
        raise bad_argument("change", unknown, "모르는 열쇠입니다", f"쓸 수 있는 열쇠: {', '.join(sorted(known))}")
    changed_config = dataclasses.replace(config, **{k: v for k, v in change.items() if k in fields})
    arch.update({k: v for k, v in change.items() if k not in fields and k != "class_weights"})
    label = f"{name} + {', '.join(f'{k}={v!r}' for k, v in change.items() if k != 'class_weights')}"
    if "class_weights" in change:
        label = f"{name} + 클래스 가중치"
    new = run_rows({label: arch}, changed_config, baseline.seeds, class_weights=change.get("class_weights"))[0]
    rows = [paired_row(METRICS[metric], baseline.values(metric), new.values(metric))
            for metric in ("mean_iou", "size_iou", "thin_iou", "context_iou", "trimap_1")]
    return table(["점수", "기준", "바꾼 구성", "짝지은 차", "판정"], rows)


def paired_row(label: str, before, after) -> list[str]:
    """같은 시드 순서의 두 점수 배열로 표의 한 줄: ``[label, 앞 spread, 뒤 spread, 짝지은 차, 판정]``.

    판정은 :class:`StepEffect` 의 규칙(모든 시드 같은 부호, 평균 > 표준편차, 0.001 이상)입니다.
    """
    before, after = np.asarray(before, float), np.asarray(after, float)
    step = StepEffect(label, label, tuple(after - before))
    return [label, spread(before), spread(after), f"{step.mean:+.3f} ± {step.std:.3f}", step.verdict]


def spread(values) -> str:
    """``평균 ± 표준편차 (최소–최대)`` 를 소수 셋째 자리까지. 표준편차는 표본 표준편차(n − 1)."""
    values = np.asarray(values, float)
    std = values.std(ddof=1) if len(values) > 1 else 0.0
    return f"{values.mean():.3f} ± {std:.3f} ({values.min():.3f}–{values.max():.3f})"


@dataclass(frozen=True)
class StepEffect:
    """한 단계(바로 위 구성 → 이 구성)의 짝지은 차: 시드마다의 차, 평균, 표준편차, 잴 수 있는지."""

    name: str
    metric: str
    differences: tuple

    @property
    def mean(self) -> float:
        return float(np.mean(self.differences))

    @property
    def std(self) -> float:
        return float(np.std(self.differences, ddof=1)) if len(self.differences) > 1 else float("inf")

    @property
    def measurable(self) -> bool:
        """모든 시드의 차가 같은 부호이고, 평균의 크기가 표준편차보다 크며 표의 자릿수(:data:`SMALLEST_EFFECT`)
        이상인지."""
        d = np.asarray(self.differences)
        same_sign = bool((d > 0).all() or (d < 0).all())
        return same_sign and abs(self.mean) > self.std and abs(self.mean) >= SMALLEST_EFFECT

    @property
    def verdict(self) -> str:
        if not self.measurable:
            return "잴 수 있는 차 없음"
        return "좋아짐" if self.mean > 0 else "나빠짐"


def step_effects(results: list[RowResult], metric: str = "mean_iou") -> list[StepEffect]:
    """이웃한 구성의 짝지은 차(아래 − 위)를 시드별로. 두 구성의 시드 목록이 같아야 합니다.

    Raises:
        DeepLabLessonsError: 시드 목록이 다르거나 ``metric`` 이 없는 이름일 때.
    """
    effects = []
    for above, below in zip(results, results[1:], strict=False):
        if above.seeds != below.seeds:
            raise bad_argument("results", f"{above.seeds} 대 {below.seeds}", "이웃한 구성의 시드 목록이 같아야 합니다")
        effects.append(StepEffect(below.name, metric, tuple(below.values(metric) - above.values(metric))))
    return effects


def effect(results: list[RowResult], name: str, metric: str = "mean_iou") -> StepEffect:
    """구성 ``name`` 을 더한 단계의 효과(:func:`step_effects` 에서 하나)."""
    for item in step_effects(results, metric):
        if item.name == name:
            return item
    raise bad_argument("name", name, "첫 구성이 아닌, 결과에 있는 구성 이름이어야 합니다",
                       f"가능한 이름: {', '.join(r.name for r in results[1:])}")


def results_table(results: list[RowResult], metrics_shown=("mean_iou", "size_iou", "thin_iou", "context_iou")):
    """구성마다 매개변수, 곱셈-덧셈, 학습 시간, 점수(평균 ± 표준편차 (최소–최대))의 표."""
    headers = ["구성", "매개변수", "곱셈-덧셈", "학습 시간(초)"] + [METRICS[m] for m in metrics_shown]
    rows = [[r.name, r.params, f"{r.gmacs:.3f} G", f"{np.mean(r.seconds):.0f}"]
            + [spread(r.values(m)) for m in metrics_shown] for r in results]
    return table(headers, rows)


def effects_table(results: list[RowResult], metrics_shown=("mean_iou", "size_iou", "thin_iou", "context_iou")):
    """단계마다 짝지은 차의 ``평균 ± 표준편차`` 와 판정(잴 수 있는 차만 좋아짐/나빠짐)의 표."""
    rows = []
    for i in range(1, len(results)):
        row = [results[i].name]
        for metric in metrics_shown:
            item = step_effects(results, metric)[i - 1]
            mark = f" {item.verdict}" if item.measurable else ""
            row.append(f"{item.mean:+.3f} ± {item.std:.3f}{mark}")
        rows.append(row)
    return table(["바꾼 것"] + [f"Δ {METRICS[m]}" for m in metrics_shown], rows)
