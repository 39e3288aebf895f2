"""완전 연결 CRF(fully connected CRF, DenseCRF): DeepLab v1/v2가 네트워크 출력 뒤에 붙인 후처리.

화소 ``i`` 의 클래스 ``x_i`` 에 대한 에너지(Krähenbühl & Koltun 2011)::

    E(x) = Σ_i ψ_u(x_i) + Σ_{i,j} μ(x_i, x_j) · Σ_m w_m · k̃_m(f_i, f_j)

- 단항 항(unary term) ``ψ_u(x_i) = −log p_i(x_i)``: 네트워크가 준 확률.
- 쌍 항(pairwise term): 클래스가 다르면(``μ = [x_i ≠ x_j]``, Potts 모형) 두 화소가 "비슷한" 만큼 벌점.
  비슷함은 두 가우시안 커널의 합입니다.

  - 외형 커널(appearance kernel): 위치와 색이 함께 가까울수록 큼 — 특징 ``(x/θα, y/θα, r/θβ, g/θβ, b/θβ)``.
  - 평활 커널(smoothness kernel): 위치만 가까울수록 큼 — 특징 ``(x/θγ, y/θγ)``.

  ``k̃`` 는 화소마다 커널 합이 1이 되게 나눈 가우시안입니다(``k_ij / Σ_j' k_ij'``, 자기 자신 포함). 공개된
  DenseCRF 구현이 화소별로 이렇게 정규화하므로 DeepLab의 가중치(``w = 4, 3``)도 이 척도에서의 값입니다.

평균장 추론(mean-field inference)은 ``Q_i(l) ∝ exp(−ψ_u − 메시지)`` 를 반복합니다. 한 번의 반복 =
"필터링(filter) → 호환성 변환(compatibility transform) → 단항 더하기 → 정규화(softmax)". 필터링
``Σ_j k̃_ij Q_j(l)`` 를 그대로 하면 화소 쌍마다 한 번, ``O(N²)`` (500×375 영상이면 N² ≈ 3.5×10¹⁰)입니다.
특징 공간의 가우시안 필터이므로 고차원 격자에서 근사하면 ``O(N·d)`` 입니다: 여기서는 퍼뮤토헤드럴 격자
(permutohedral lattice, Adams 외 2010)를 NumPy로 구현합니다(:mod:`deeplab_lessons.permutohedral`).

검산용으로 정확한 O(N²) 버전(:func:`deeplab_lessons.permutohedral.brute_force_filter`, :func:`mean_field` 의
``exact=True``)도 있습니다.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass

import numpy as np

from deeplab_lessons.crf_messages import Kernel, Messages
from deeplab_lessons.errors import DeepLabLessonsError, check_int, josa
from deeplab_lessons.logits import softmax as _softmax
from deeplab_lessons.permutohedral import PermutohedralLattice

#: 평균장 반복 횟수의 상한. DeepLab은 10번이고, 보통 5–10번이면 거의 수렴합니다. 큰 영상에서 한 번은 몇 초라
#: 이보다 많이 돌리는 것은 실수일 가능성이 큽니다.
MAX_ITERATIONS = 100


@dataclass(frozen=True)
class CRFParams:
    """DenseCRF 매개변수(DeepLab의 이름). 기본값은 DeepLab v1 DeepLab-CRF-LargeFOV의 VOC 설정.

    이 값들은 논문 본문에는 없고 저자들이 모델과 함께 공개한 설정에서 온 것입니다. 논문(v1 5절, v2 4.1.1절)은
    ``w2 = 3``, ``θγ = 3`` 을 고정하고 ``w1``, ``θα``, ``θβ`` 를 val 100장에서 교차 검증으로 골랐다고만 적습니다.

    Attributes:
        bi_w: 외형 커널 가중치 ``w1``.
        bi_xy_std: 외형 커널의 위치 표준 편차 ``θα`` (화소).
        bi_rgb_std: 외형 커널의 색 표준 편차 ``θβ`` (0–255 단위).
        pos_w: 평활 커널 가중치 ``w2``.
        pos_xy_std: 평활 커널의 위치 표준 편차 ``θγ`` (화소).
        iterations: 평균장 반복 횟수(DeepLab 10, 0 이상 :data:`MAX_ITERATIONS` 이하).
    """

    bi_w: float = 4.0
    bi_xy_std: float = 121.0
    bi_rgb_std: float = 5.0
    pos_w: float = 3.0
    pos_xy_std: float = 3.0
    iterations: int = 10

    @classmethod
    def v1_largefov(cls) -> CRFParams:
        """DeepLab v1 DeepLab-CRF-LargeFOV의 VOC 값(``w1 = 4``, ``θα = 121``, ``θβ = 5``, ``w2 = 3``, ``θγ = 3``, 10회).

        VGG-16 기반 네트워크에 맞춰 고른 값이고, ``CRFParams()`` 의 기본값과 같습니다.
        """
        return cls()

    def __post_init__(self):
        for name in ("bi_w", "pos_w"):
            _check_real(name, getattr(self, name), allow_zero=True)
        for name in ("bi_xy_std", "bi_rgb_std", "pos_xy_std"):
            _check_real(name, getattr(self, name), allow_zero=False)
        check_int("iterations", self.iterations, minimum=0)
        if self.iterations > MAX_ITERATIONS:
            raise DeepLabLessonsError(
                f"iterations 값이 너무 큽니다(받은 값: {self.iterations!r}). 평균장 반복은 {MAX_ITERATIONS}번까지입니다"
                "(DeepLab은 10번, 보통 5–10번이면 거의 수렴합니다). 예: iterations=10")

    @classmethod
    def with_overrides(cls, base: CRFParams, overrides) -> CRFParams:
        """``base`` 에서 ``overrides`` (이름 → 값의 dict)만 바꾼 값.

        Raises:
            DeepLabLessonsError: dict가 아니거나 모르는 이름이 있거나 값이 올바르지 않을 때(쓸 수 있는 이름을 보여 줌).
        """
        from dataclasses import fields, replace

        names = [f.name for f in fields(cls)]
        if not isinstance(overrides, dict) or not all(isinstance(key, str) for key in overrides):
            raise DeepLabLessonsError(
                f"CRF 매개변수는 CRFParams 또는 이름 → 값의 dict여야 합니다(받은 값: {overrides!r}). "
                "예: crf_params=CRFParams(bi_w=5) 또는 crf_params={'bi_w': 5}")
        unknown = sorted(set(overrides) - set(names))
        if unknown:
            raise DeepLabLessonsError(f"알 수 없는 CRF 매개변수입니다: {', '.join(unknown)}. 쓸 수 있는 이름: "
                                      f"{', '.join(names)}.")
        return replace(base, **overrides)


def _check_real(name: str, value, allow_zero: bool) -> None:
    bad = isinstance(value, bool) or not isinstance(value, numbers.Real) or not np.isfinite(value)
    if bad or value < 0 or (value == 0 and not allow_zero):
        expected = "0 이상의 유한한 수여야 합니다" if allow_zero else "0보다 큰 유한한 수여야 합니다"
        raise DeepLabLessonsError(f"{name} 값이 올바르지 않습니다(받은 값: {value!r}). {josa(name, '은')} {expected}.")


#: 강좌의 모델마다 평가하지 않는 영상에서 고른 CRF 매개변수(DeepLab이 모델마다 교차 검증으로 고른 것처럼).
#: 열쇠는 ``(모델 이름, 입력 크기)``: 입력 크기가 다르면 확률도 다르기 때문입니다.
#: ``mobilenetv2_voc_keras`` (입력 513)의 값은 test_time_refinement 노트북 4절이 VOC train 표본(15장, 0.4배)에서
#: ``crf_tuning.tune_course_model(model, voc_root)`` 로 고른 것이고, 그 셀이 결과가 이 값과 같은지 확인합니다.
#: 여기 없는 모델·크기는 v1 LargeFOV 값을 씁니다.
TUNED = {
    ("mobilenetv2_voc_keras", 513): CRFParams(bi_w=5.0, bi_xy_std=30.0, bi_rgb_std=8.4, pos_w=3.0, pos_xy_std=3.0,
                                              iterations=10),
}


def default_params(model) -> CRFParams:
    """``model.segment(..., crf=True)`` 에서 ``crf_params`` 를 주지 않았을 때의 값: :data:`TUNED` 에 있는
    ``(model.name, model.INPUT_SIZE)`` 면 그 값, 아니면 :meth:`CRFParams.v1_largefov`."""
    key = (getattr(model, "name", None), getattr(model, "INPUT_SIZE", None))
    return TUNED.get(key, CRFParams.v1_largefov())


# ---------------------------------------------------------------- 특징과 평균장 추론

def crf_features(rgb: np.ndarray, params: CRFParams):
    """``(H, W, 3)`` uint8 영상에서 두 커널의 특징 ``(외형 (N, 5), 평활 (N, 2))``. 좌표는 화소 단위.

    표준 편차가 너무 작아 나눗셈이 넘치면 값은 무한대가 되고, 격자를 만들기 전에 한국어 오류로 알립니다.
    """
    height, width = rgb.shape[:2]
    ys, xs = np.mgrid[0:height, 0:width]
    xy = np.stack([xs.ravel(), ys.ravel()], axis=1).astype(np.float64)
    colour = rgb.reshape(-1, 3).astype(np.float64)
    with np.errstate(over="ignore", divide="ignore"):
        appearance = np.concatenate([xy / params.bi_xy_std, colour / params.bi_rgb_std], axis=1)
        return appearance, xy / params.pos_xy_std


#: 메시지 합의 상한(가중치 합)이 이보다 작으면 softmax에서 화소별 최댓값을 빼지 않아도 float32가 넘치지 않습니다.
_SAFE_EXP_BOUND = 60.0


def unary_logits(probabilities: np.ndarray) -> np.ndarray:
    """``(H, W, C)`` 확률 → ``(N, C)`` float32 ``log p`` 에서 화소별 최댓값을 뺀 것(0 이하, 한 클래스는 0).

    :func:`mean_field_from_unary` 의 입력입니다. 큰 영상에서는 이것을 만든 뒤 확률을 놓으면 반복 동안의 메모리가
    확률 한 장(화소당 ``4·C`` 바이트)만큼 줄어듭니다.
    """
    classes = probabilities.shape[-1]
    log_p = np.log(np.clip(probabilities.reshape(-1, classes), 1e-8, 1.0)).astype(np.float32)
    log_p -= log_p.max(axis=1, keepdims=True)
    return log_p


def _iterate(log_p: np.ndarray, kernels: list[Kernel], iterations: int, history: bool, release: bool = False):
    """평균장 반복 ``iterations`` 번: ``(마지막 Q (N, C), [반복마다의 Q] 또는 None)``.

    ``release`` 면 메시지 행렬을 만든 뒤 격자의 모으기 행렬·꼭짓점 번호를 놓습니다(반복에는 흐리기만 쓰므로).
    격자를 다시 쓰지 않는 :func:`mean_field` 만 켭니다(큰 영상에서 화소당 약 150바이트를 덜 씀).

    softmax의 지수가 넘치지 않도록 빼는 값은 반복마다 찾지 않고 처음에 한 번 정합니다(:func:`unary_logits`):
    메시지는 0 이상 가중치 합 이하이므로 지수의 합이 1 이상이고, 가중치 합이 작으면(:data:`_SAFE_EXP_BOUND`)
    넘치지도 않습니다. 더 크면 반복마다 화소별 최댓값을 뺍니다.
    """
    messages = Messages(kernels, release)
    safe = sum(k.weight for k in kernels) < _SAFE_EXP_BOUND
    ones = np.ones(log_p.shape[1], np.float32)
    q = _softmax(log_p)
    states = [q.copy()] if history else None
    for _ in range(iterations):
        logits = messages(q)
        logits += log_p
        if not safe:
            logits -= logits.max(axis=1, keepdims=True)
        np.exp(logits, out=logits)
        logits *= (1.0 / (logits @ ones))[:, None]
        q = logits
        if history:
            states.append(q.copy())
    return q, states


def mean_field(rgb: np.ndarray, probabilities: np.ndarray, params: CRFParams | None = None,
               exact: bool = False, history: bool = False):
    """DenseCRF의 평균장 추론. 돌려주는 값은 다듬은 확률 ``(H, W, C)`` float32.

    반복마다: 두 커널로 ``Q`` 를 거르고(필터링), Potts 호환성으로 "다른 클래스면 벌점"을 "같은 클래스면
    보상"으로 바꿔(상수는 정규화에서 사라짐) 단항 ``log p`` 에 더한 뒤 softmax로 정규화합니다.

    Args:
        rgb: ``(H, W, 3)`` uint8 영상(검사된 배열).
        probabilities: ``(H, W, C)`` 클래스 확률(화소마다 합 1).
        params: :class:`CRFParams` (기본: DeepLab v1 LargeFOV).
        exact: ``True`` 면 O(N²) 정확한 필터(작은 영상에서만).
        history: ``True`` 면 ``(확률, [반복 0, 1, …의 Q])`` 를 돌려줍니다(에너지 그림·검사용).
    """
    return mean_field_from_unary(rgb, unary_logits(probabilities), params, exact, history)


def mean_field_from_unary(rgb: np.ndarray, log_p: np.ndarray, params: CRFParams | None = None,
                          exact: bool = False, history: bool = False):
    """:func:`mean_field` 와 같은 계산을 단항 ``log_p`` (:func:`unary_logits` 의 ``(H·W, C)``)에서 시작합니다.

    큰 사진을 다듬는 :func:`deeplab_lessons.refine.refined_segment` 가 확률을 먼저 놓을 수 있게 나눈 것입니다.
    돌려주는 값은 :func:`mean_field` 와 같습니다.
    """
    params = params or CRFParams()
    height, width = rgb.shape[:2]
    classes = log_p.shape[1]
    appearance, smoothness = crf_features(rgb, params)
    kernels = [Kernel(f, w, exact) for f, w in ((appearance, params.bi_w), (smoothness, params.pos_w)) if w > 0]
    del appearance, smoothness              # 격자를 지은 뒤에는 필요 없음(큰 영상에서 화소당 56바이트)
    q, states = _iterate(log_p, kernels, params.iterations, history, release=True)
    result = q.reshape(height, width, classes)
    return (result, [s.reshape(height, width, classes) for s in states]) if history else result


class PreparedImage:
    """영상 하나의 평균장 준비물. 매개변수를 바꿔 가며 여러 번 다듬을 때(:mod:`deeplab_lessons.crf_tuning`) 씁니다.

    단항(``log p``)은 한 번만 계산하고, 격자는 그 격자를 정하는 표준 편차(외형: ``θα``, ``θβ``, 평활: ``θγ``)가
    지난번과 같으면 다시 씁니다. 가중치 ``w1``, ``w2`` 와 반복 수는 격자와 상관없으므로 ``w1`` 만 바꾸는 설정은
    격자를 새로 짓지 않습니다. 결과는 :func:`mean_field` 와 같습니다.

    Args:
        rgb: ``(H, W, 3)`` uint8 영상.
        probabilities: ``(H, W, C)`` 클래스 확률.
    """

    def __init__(self, rgb: np.ndarray, probabilities: np.ndarray):
        self.rgb = np.asarray(rgb)
        self.shape = probabilities.shape
        self.log_p = unary_logits(probabilities)
        self._lattices = {}

    def _lattice(self, kind: str, key: tuple, features: np.ndarray) -> PermutohedralLattice:
        cached = self._lattices.get(kind)
        if cached is None or cached[0] != key:
            lattice = PermutohedralLattice(features)
            lattice.norm = 1.0 / (lattice.filter(np.ones((len(features), 1), np.float32)) + 1e-20)
            self._lattices[kind] = cached = (key, lattice)
        return cached[1]

    def refine(self, params: CRFParams) -> np.ndarray:
        """이 영상을 ``params`` 로 다듬은 확률 ``(H, W, C)`` float32 (= ``mean_field(rgb, probabilities, params)``)."""
        appearance, smoothness = crf_features(self.rgb, params)
        kernels = []
        for kind, key, features, weight in (("appearance", (params.bi_xy_std, params.bi_rgb_std), appearance,
                                             params.bi_w),
                                            ("smoothness", (params.pos_xy_std,), smoothness, params.pos_w)):
            if weight > 0:
                kernels.append(Kernel(features, weight, exact=False, lattice=self._lattice(kind, key, features)))
        q, _ = _iterate(self.log_p, kernels, params.iterations, history=False)
        return q.reshape(self.shape)


def labelling_energy(rgb: np.ndarray, probabilities: np.ndarray, labels: np.ndarray,
                     params: CRFParams | None = None) -> float:
    """클래스 번호 지도 하나의 CRF 에너지(정확한 O(N²) 계산, 작은 영상의 검사용).

    ``E = Σ_i −log p_i(x_i) + ½ Σ_m w_m Σ_{i,j} k̃_m(i, j) [x_i ≠ x_j]``.
    """
    params = params or CRFParams()
    classes = probabilities.shape[2]
    flat_p = probabilities.reshape(-1, classes)
    x = np.asarray(labels).ravel()
    unary = -np.log(np.clip(flat_p[np.arange(len(x)), x], 1e-8, 1.0)).sum()
    appearance, smoothness = crf_features(rgb, params)
    pairwise = 0.0
    for features, weight in ((appearance, params.bi_w), (smoothness, params.pos_w)):
        if weight > 0:
            kernel = Kernel(features, weight, exact=True)
            pairwise += 0.5 * weight * float((kernel.matrix * (x[:, None] != x[None, :])).sum())
    return float(unary + pairwise)


# ---------------------------------------------------------------- 공개 함수

def dense_crf(image, probabilities, params: CRFParams | None = None, **overrides) -> np.ndarray:
    """아무 확률 지도나 DenseCRF로 다듬습니다(DeepLab v1/v2의 후처리).

    Args:
        image: 영상(경로, PIL, ``(H, W)``/``(H, W, 3)``/``(H, W, 4)`` uint8 배열). 흑백·RGBA는 RGB로 바꿉니다.
        probabilities: ``(H, W, C)`` 클래스 확률(0–1, 화소마다 합 1). 로짓이면 softmax를 먼저 하세요.
        params: :class:`CRFParams`. 기본은 DeepLab v1 LargeFOV의 VOC 값.
        **overrides: ``params`` 의 일부만 바꿀 때(예: ``bi_w=0``, ``iterations=5``).

    Returns:
        다듬은 확률 ``(H, W, C)`` float32. 클래스 번호는 ``.argmax(axis=-1)``.

    Raises:
        DeepLabLessonsError: 영상을 읽을 수 없을 때, 확률의 모양이 영상과 다르거나 확률이 아닐 때, 매개변수가
            올바르지 않을 때.
    """
    from deeplab_lessons.image_io import load_image

    rgb = load_image(image)
    if isinstance(params, dict):           # dense_crf(params={...}): 이름 → 값이면 바꿀 값으로 받습니다.
        overrides = {**params, **overrides}
        params = None
    elif params is not None and not isinstance(params, CRFParams):
        raise DeepLabLessonsError(
            f"params는 CRFParams 또는 이름 → 값의 dict여야 합니다(받은 값: {params!r}). "
            "예: dense_crf(영상, 확률, CRFParams(bi_w=5)) 또는 dense_crf(영상, 확률, bi_w=5)")
    params = CRFParams.with_overrides(params or CRFParams(), overrides)
    probabilities = np.asarray(probabilities)
    if probabilities.ndim == 3 and probabilities.shape[:2] == rgb.shape[:2] and probabilities.shape[2] == 1:
        raise DeepLabLessonsError(
            f"probabilities의 클래스가 하나뿐입니다(받은 모양 {probabilities.shape}). CRF는 화소마다 클래스 사이에서 "
            "고르므로 클래스가 2개 이상 필요합니다. 배경/전경 확률 p 하나라면 np.stack([1 - p, p], axis=-1) 로 "
            "두 클래스를 만드세요.")
    if probabilities.ndim != 3 or probabilities.shape[:2] != rgb.shape[:2] or probabilities.shape[2] < 2:
        raise DeepLabLessonsError(
            f"probabilities는 영상과 같은 높이·너비의 (H, W, 클래스) 배열이어야 합니다(영상 {rgb.shape[:2]}, "
            f"받은 모양 {probabilities.shape}). 확률을 영상의 원래 크기로 키워서 넣으세요.")
    if not np.issubdtype(probabilities.dtype, np.floating):
        raise DeepLabLessonsError(f"probabilities는 실수 배열이어야 합니다(받은 자료형: {probabilities.dtype}).")
    bad = ~np.isfinite(probabilities)
    if bad.any():
        nan = int(np.isnan(probabilities).sum())
        raise DeepLabLessonsError(
            f"probabilities에 NaN {nan:,}개와 무한대 {int(bad.sum()) - nan:,}개가 있습니다"
            f"(모양 {probabilities.shape}). "
            "확률을 만든 계산(예: 0으로 나누기, log(0))을 확인하세요. 모든 값은 0–1의 유한한 수여야 합니다.")
    sums = probabilities.sum(axis=-1)
    if not np.all(np.isfinite(probabilities)) or probabilities.min() < 0 or np.abs(sums - 1).max() > 1e-3:
        raise DeepLabLessonsError(
            f"probabilities가 확률이 아닙니다(값 범위 {np.nanmin(probabilities):.3g}–{np.nanmax(probabilities):.3g}, "
            f"화소별 합 {np.nanmin(sums):.3g}–{np.nanmax(sums):.3g}). 값은 0 이상, 화소마다 합이 1이어야 합니다. "
            "로짓이면 deeplab_lessons.logits.softmax(logits)를 먼저 하세요.")
    return mean_field(rgb, probabilities.astype(np.float32), params)
