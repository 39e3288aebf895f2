"""완전 연결 CRF(fully connected CRF, DenseCRF): DeepLab v1/v2가 네트워크 출력 뒤에 붙인 후처리.

화소 ``i`` 의 라벨 ``x_i`` 에 대한 에너지(Krähenbühl & Koltun 2011)::

    E(x) = Σ_i ψ_u(x_i) + Σ_{i,j} μ(x_i, x_j) · Σ_m w_m · k̃_m(f_i, f_j)

- 단항 항(unary term) ``ψ_u(x_i) = −log p_i(x_i)``: 네트워크가 준 확률.
- 쌍 항(pairwise term): 라벨이 다르면(``μ = [x_i ≠ x_j]``, Potts 모형) 두 화소가 "비슷한" 만큼 벌점.
  비슷함은 두 가우시안 커널의 합입니다.

  - 외형 커널(appearance kernel): 위치와 색이 함께 가까울수록 큼 — 특징 ``(x/θα, y/θα, r/θβ, g/θβ, b/θβ)``.
  - 평활 커널(smoothness kernel): 위치만 가까울수록 큼 — 특징 ``(x/θγ, y/θγ)``.

  ``k̃`` 는 화소마다 커널 합이 1이 되게 나눈 가우시안입니다(``k_ij / Σ_j' k_ij'``, 자기 자신 포함). 공개된
  DenseCRF 구현이 화소별로 이렇게 정규화하므로 DeepLab의 가중치(``w = 4, 3``)도 이 척도에서의 값입니다.

평균장 추론(mean-field inference)은 ``Q_i(l) ∝ exp(−ψ_u − 메시지)`` 를 반복합니다. 한 번의 반복 =
"필터링(filter) → 호환성 변환(compatibility transform) → 단항 더하기 → 정규화(softmax)". 필터링
``Σ_j k̃_ij Q_j(l)`` 를 그대로 하면 화소 쌍마다 한 번, ``O(N²)`` (500×375 영상이면 N² ≈ 3.5×10¹⁰)입니다.
특징 공간의 가우시안 필터이므로 고차원 격자에서 근사하면 ``O(N·d)`` 입니다: 여기서는 퍼뮤토헤드럴 격자
(permutohedral lattice, Adams 외 2010)를 NumPy로 구현합니다(:class:`PermutohedralLattice`).

검산용으로 정확한 O(N²) 버전(:func:`brute_force_filter`, :func:`mean_field` 의 ``exact=True``)도 있습니다.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from deeplab_lessons.errors import DeepLabLessonsError, check_int
from deeplab_lessons.logits import softmax as _softmax


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
        iterations: 평균장 반복 횟수(DeepLab 10).
    """

    bi_w: float = 4.0
    bi_xy_std: float = 121.0
    bi_rgb_std: float = 5.0
    pos_w: float = 3.0
    pos_xy_std: float = 3.0
    iterations: int = 10

    def __post_init__(self):
        for name in ("bi_w", "pos_w"):
            _check_real(name, getattr(self, name), allow_zero=True)
        for name in ("bi_xy_std", "bi_rgb_std", "pos_xy_std"):
            _check_real(name, getattr(self, name), allow_zero=False)
        check_int("iterations", self.iterations, minimum=0)


def _check_real(name: str, value, allow_zero: bool) -> None:
    bad = isinstance(value, bool) or not isinstance(value, numbers.Real) or not np.isfinite(value)
    if bad or value < 0 or (value == 0 and not allow_zero):
        expected = "0 이상의 유한한 수여야 합니다" if allow_zero else "0보다 큰 유한한 수여야 합니다"
        raise DeepLabLessonsError(f"{name} 값이 올바르지 않습니다(받은 값: {value!r}). {name}은(는) {expected}.")


# ---------------------------------------------------------------- 퍼뮤토헤드럴 격자

class PermutohedralLattice:
    """특징 ``(N, d)`` 의 점들 위에서 가우시안 필터 ``Σ_j exp(−|f_i − f_j|²/2) v_j`` 를 근사하는 격자.

    세 단계(Adams, Baek & Davis 2010):

    1. 뿌리기(splat): 점마다 ``d+1`` 개 꼭짓점(점을 둘러싼 단체의 꼭짓점)에 무게중심 좌표만큼 값을 나눠 줍니다.
    2. 흐리기(blur): 격자의 ``d+1`` 방향마다 이웃 꼭짓점과 ``[1, 2, 1]`` 로 섞습니다.
    3. 모으기(slice): 점마다 같은 꼭짓점들에서 같은 무게로 값을 읽어 옵니다.

    격자는 특징으로 한 번 만들고(``__init__``), 값은 여러 번 거를 수 있습니다(:meth:`filter`).
    꼭짓점 수는 점 수보다 훨씬 적어(색 표준 편차 5, 위치 121이면 500×375 영상에서 수만 개) 빠릅니다.
    """

    def __init__(self, features: np.ndarray):
        features = np.asarray(features, np.float64)
        n, d = features.shape
        self.size, self.dim = n, d
        # 1) 특징을 d+1 차원의 평면 (좌표 합 = 0)으로 올립니다. 축마다의 배율은 격자 간격이 표준 편차 1에 맞도록.
        scale = np.sqrt(2.0 / 3.0) * (d + 1) / np.sqrt(np.arange(1, d + 1) * np.arange(2, d + 2))
        cf = features * scale
        suffix = np.concatenate([np.cumsum(cf[:, ::-1], axis=1)[:, ::-1], np.zeros((n, 1))], axis=1)
        elevated = suffix.copy()
        elevated[:, 1:] -= np.arange(1, d + 1) * cf
        # 2) 가장 가까운 "나머지 0" 꼭짓점과, 점이 든 단체(좌표의 크기 순서 = rank).
        rounded = np.round(elevated / (d + 1))
        rem0 = rounded * (d + 1)
        diff = elevated - rem0
        rank = np.zeros((n, d + 1), np.int64)
        for i in range(d + 1):
            for j in range(i + 1, d + 1):
                smaller = diff[:, i] < diff[:, j]
                rank[:, i] += smaller
                rank[:, j] += ~smaller
        rank += rounded.sum(axis=1).astype(np.int64)[:, None]
        low, high = rank < 0, rank > d
        rank[low] += d + 1
        rem0[low] += d + 1
        rank[high] -= d + 1
        rem0[high] -= d + 1
        # 3) 무게중심 좌표(d+1개, 합 1). 행마다 d − rank 는 서로 다른 칸이므로 겹치지 않고 씁니다.
        value = (elevated - rem0) / (d + 1)
        bary = np.zeros((n, d + 2))
        rows = np.arange(n)[:, None] * (d + 2)
        bary.ravel()[rows + d - rank] += value
        minus = np.zeros((n, d + 2))
        minus.ravel()[rows + d - rank + 1] = value
        bary -= minus
        bary[:, 0] += 1.0 + bary[:, d + 1]
        self.weights = bary[:, :d + 1].astype(np.float32)                       # (N, d+1)
        # 4) 꼭짓점의 정수 좌표(앞 d개로 충분: 합이 0)를 하나의 정수 코드로(혼합 진법). 나머지 r의 꼭짓점은
        #    rem0 + r, 단 rank > d − r 인 좌표는 d+1을 뺍니다. 코드는 좌표에 선형이므로 좌표를 만들지 않고 셉니다.
        rem0 = rem0[:, :d].astype(np.int64)
        self._low = rem0.min(axis=0) - 2 * (d + 1)
        self._span = rem0.max(axis=0) + 2 * (d + 1) - self._low + 1
        self._radix = np.ones(d, np.int64)
        for k in range(d - 2, -1, -1):
            self._radix[k] = self._radix[k + 1] * self._span[k + 1]
        base = (rem0 - self._low) @ self._radix
        codes = np.stack([base + r * self._radix.sum() - (d + 1) * ((rank[:, :d] > d - r) @ self._radix)
                          for r in range(d + 1)], axis=1)
        self._codes, inverse = np.unique(codes.ravel(), return_inverse=True)
        self.vertices = len(self._codes)
        self.offsets = inverse.reshape(n, d + 1)                                # (N, d+1) 꼭짓점 번호
        self._neighbours = [self._neighbour_pair(j) for j in range(d + 1)]
        # 뿌리기와 모으기는 희소 행렬 곱 하나씩입니다: 뿌리기 S (꼭짓점 × 점), 모으기 Sᵀ.
        points = np.repeat(np.arange(n), d + 1)
        self._splat = sparse.csr_matrix((self.weights.ravel(), (self.offsets.ravel(), points)),
                                        shape=(self.vertices, n))
        self._slice = self._splat.T.tocsr()

    def _neighbour_pair(self, j: int):
        """방향 ``j`` 의 두 이웃 꼭짓점 번호(없으면 ``vertices``: 값 0인 가짜 꼭짓점).

        이웃: 모든 좌표 −1, 단 ``j`` 번째만 +d (그리고 그 반대쪽). 코드도 같은 만큼 바뀝니다.
        """
        d = self.dim
        step = -np.ones(d, np.int64)
        if j < d:
            step[j] = d
        shift = int(step @ self._radix)
        found = []
        for sign in (1, -1):
            codes = self._codes + sign * shift
            index = np.minimum(np.searchsorted(self._codes, codes), self.vertices - 1)
            found.append(np.where(self._codes[index] == codes, index, self.vertices))
        return found

    def filter(self, values: np.ndarray) -> np.ndarray:
        """``(N, C)`` 값을 거른 ``(N, C)`` float32 (가우시안 합의 근사, 척도는 상수배까지)."""
        values = np.asarray(values, np.float32)
        grid = np.zeros((self.vertices + 1, values.shape[1]), np.float32)   # 마지막 행: 없는 이웃(값 0)
        grid[:-1] = self._splat @ values
        for first, second in self._neighbours:
            grid[:-1] += 0.5 * (grid[first] + grid[second])
        return np.asarray(self._slice @ grid[:-1], np.float32)


def brute_force_filter(features: np.ndarray, values: np.ndarray) -> np.ndarray:
    """정확한 가우시안 필터 ``Σ_j exp(−|f_i − f_j|²/2) v_j`` (``O(N²)``: 작은 영상의 검산용)."""
    features = np.asarray(features, np.float64)
    squared = (features ** 2).sum(axis=1)
    distance = squared[:, None] + squared[None, :] - 2 * features @ features.T
    return np.exp(-0.5 * np.maximum(distance, 0)) @ np.asarray(values, np.float64)


# ---------------------------------------------------------------- 특징과 평균장 추론

def crf_features(rgb: np.ndarray, params: CRFParams):
    """``(H, W, 3)`` uint8 영상에서 두 커널의 특징 ``(외형 (N, 5), 평활 (N, 2))``. 좌표는 화소 단위."""
    height, width = rgb.shape[:2]
    ys, xs = np.mgrid[0:height, 0:width]
    xy = np.stack([xs.ravel(), ys.ravel()], axis=1).astype(np.float64)
    colour = rgb.reshape(-1, 3).astype(np.float64)
    appearance = np.concatenate([xy / params.bi_xy_std, colour / params.bi_rgb_std], axis=1)
    return appearance, xy / params.pos_xy_std


class _Kernel:
    """가중치 ``w`` 의 정규화된 가우시안 커널 하나: ``w · Σ_j k_ij v_j / Σ_j k_ij``."""

    def __init__(self, features: np.ndarray, weight: float, exact: bool):
        self.weight = float(weight)
        if exact:
            squared = (features ** 2).sum(axis=1)
            distance = squared[:, None] + squared[None, :] - 2 * features @ features.T
            kernel = np.exp(-0.5 * np.maximum(distance, 0))
            self.matrix = (kernel / kernel.sum(axis=1, keepdims=True)).astype(np.float32)
            self.lattice = None
        else:
            self.matrix = None
            self.lattice = PermutohedralLattice(features)
            self.norm = 1.0 / (self.lattice.filter(np.ones((len(features), 1), np.float32)) + 1e-20)

    def message(self, q: np.ndarray) -> np.ndarray:
        if self.matrix is not None:
            return self.weight * (self.matrix @ q)
        return self.weight * self.norm * self.lattice.filter(q)


def mean_field(rgb: np.ndarray, probabilities: np.ndarray, params: CRFParams | None = None,
               exact: bool = False, history: bool = False):
    """DenseCRF의 평균장 추론. 돌려주는 값은 다듬은 확률 ``(H, W, C)`` float32.

    반복마다: 두 커널로 ``Q`` 를 거르고(필터링), Potts 호환성으로 "다른 라벨이면 벌점"을 "같은 라벨이면
    보상"으로 바꿔(상수는 정규화에서 사라짐) 단항 ``log p`` 에 더한 뒤 softmax로 정규화합니다.

    Args:
        rgb: ``(H, W, 3)`` uint8 영상(검사된 배열).
        probabilities: ``(H, W, C)`` 클래스 확률(화소마다 합 1).
        params: :class:`CRFParams` (기본: DeepLab v1 LargeFOV).
        exact: ``True`` 면 O(N²) 정확한 필터(작은 영상에서만).
        history: ``True`` 면 ``(확률, [반복 0, 1, …의 Q])`` 를 돌려줍니다(에너지 그림·검사용).
    """
    params = params or CRFParams()
    height, width, classes = probabilities.shape
    unary = -np.log(np.clip(probabilities.reshape(-1, classes), 1e-8, 1.0)).astype(np.float32)
    appearance, smoothness = crf_features(rgb, params)
    kernels = [_Kernel(f, w, exact) for f, w in ((appearance, params.bi_w), (smoothness, params.pos_w)) if w > 0]
    q = _softmax(-unary.copy())
    states = [q.copy()] if history else None
    for _ in range(params.iterations):
        logits = -unary
        for kernel in kernels:
            logits = logits + kernel.message(q)
        q = _softmax(logits)
        if history:
            states.append(q.copy())
    result = q.reshape(height, width, classes)
    return (result, [s.reshape(height, width, classes) for s in states]) if history else result


def labelling_energy(rgb: np.ndarray, probabilities: np.ndarray, labels: np.ndarray,
                     params: CRFParams | None = None) -> float:
    """라벨 지도 하나의 CRF 에너지(정확한 O(N²) 계산, 작은 영상의 검사용).

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
            kernel = _Kernel(features, weight, exact=True)
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
        다듬은 확률 ``(H, W, C)`` float32. 라벨은 ``.argmax(axis=-1)``.

    Raises:
        DeepLabLessonsError: 영상을 읽을 수 없을 때, 확률의 모양이 영상과 다르거나 확률이 아닐 때, 매개변수가
            올바르지 않을 때.
    """
    from dataclasses import fields, replace

    from deeplab_lessons.image_io import load_image

    rgb = load_image(image)
    names = {f.name for f in fields(CRFParams)}
    unknown = sorted(set(overrides) - names)
    if unknown:
        raise DeepLabLessonsError(f"알 수 없는 CRF 매개변수입니다: {', '.join(unknown)}. 쓸 수 있는 이름: "
                                  f"{', '.join(sorted(names))}.")
    params = replace(params or CRFParams(), **overrides)
    probabilities = np.asarray(probabilities)
    if probabilities.ndim != 3 or probabilities.shape[:2] != rgb.shape[:2] or probabilities.shape[2] < 2:
        raise DeepLabLessonsError(
            f"probabilities는 영상과 같은 높이·너비의 (H, W, 클래스) 배열이어야 합니다(영상 {rgb.shape[:2]}, "
            f"받은 모양 {probabilities.shape}). 확률을 영상의 원래 크기로 키워서 넣으세요.")
    if not np.issubdtype(probabilities.dtype, np.floating):
        raise DeepLabLessonsError(f"probabilities는 실수 배열이어야 합니다(받은 자료형: {probabilities.dtype}).")
    sums = probabilities.sum(axis=-1)
    if not np.all(np.isfinite(probabilities)) or probabilities.min() < 0 or np.abs(sums - 1).max() > 1e-3:
        raise DeepLabLessonsError(
            f"probabilities가 확률이 아닙니다(값 범위 {np.nanmin(probabilities):.3g}–{np.nanmax(probabilities):.3g}, "
            f"화소별 합 {np.nanmin(sums):.3g}–{np.nanmax(sums):.3g}). 값은 0 이상, 화소마다 합이 1이어야 합니다. "
            "로짓이면 deeplab_lessons.refine.softmax(logits)를 먼저 하세요.")
    return mean_field(rgb, probabilities.astype(np.float32), params)
