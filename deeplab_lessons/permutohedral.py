"""퍼뮤토헤드럴 격자(permutohedral lattice, Adams, Baek & Davis 2010): 고차원 가우시안 필터의 O(N·d) 근사.

DenseCRF(:mod:`deeplab_lessons.crf`)의 평균장 반복이 화소마다 ``Σ_j exp(−|f_i − f_j|²/2) Q_j`` 를 거르는 데 씁니다.
검산용으로 정확한 ``O(N²)`` 필터(:func:`brute_force_filter`)도 여기 있습니다. NumPy와 ``scipy.sparse`` 만 씁니다.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse

from deeplab_lessons.errors import DeepLabLessonsError, josa


class PermutohedralLattice:
    """특징 ``(N, d)`` 의 점들 위에서 가우시안 필터 ``Σ_j exp(−|f_i − f_j|²/2) v_j`` 를 근사하는 격자.

    세 단계(Adams, Baek & Davis 2010):

    1. 뿌리기(splat): 점마다 ``d+1`` 개 꼭짓점(점을 둘러싼 단체의 꼭짓점)에 무게중심 좌표만큼 값을 나눠 줍니다.
    2. 흐리기(blur): 격자의 ``d+1`` 방향마다 이웃 꼭짓점과 ``[1, 2, 1]`` 로 섞습니다.
    3. 모으기(slice): 점마다 같은 꼭짓점들에서 같은 무게로 값을 읽어 옵니다.

    격자는 특징으로 한 번 만들고(``__init__``), 값은 여러 번 거를 수 있습니다(:meth:`filter`). 세 단계가 모두
    값에 선형이므로 한 번 만든 희소 행렬(scipy.sparse)로 둡니다: 모으기 ``slice_matrix`` (점 × 꼭짓점, 행마다
    ``d+1`` 개), 뿌리기는 그 전치, 흐리기는 방향마다 ``blur_matrices[j]`` (꼭짓점 × 꼭짓점, 행마다 3개 이하).
    꼭짓점 수는 점 수보다 훨씬 적어(색 표준 편차 5, 위치 121이면 500×375 영상에서 수만 개) 빠릅니다.

    Raises:
        DeepLabLessonsError: 특징의 범위가 너무 넓어(표준 편차가 너무 작아) 꼭짓점 번호가 64비트 정수를 넘을 때.
    """

    def __init__(self, features: np.ndarray):
        features = np.asarray(features, np.float64)
        n, d = features.shape
        self.size, self.dim = n, d
        _check_range(features)
        # 점마다 따로인 계산이므로 점을 나눠 하면 임시 배열이 작아집니다(결과는 한 번에 한 것과 같음).
        parts = [self._points(features[start:start + _POINTS_PER_CHUNK])
                 for start in range(0, max(n, 1), _POINTS_PER_CHUNK)]
        weights, rem0, rank = (np.concatenate([part[k] for part in parts]) for k in range(3))
        del parts
        self.weights = weights                                                   # (N, d+1) float32
        self.offsets = self._vertex_numbers(rem0, rank).astype(np.int32)         # (N, d+1) 꼭짓점 번호
        del rem0, rank
        # 모으기: 점 i 의 행에 꼭짓점 offsets[i] 가 weights[i] 로(행마다 d+1개, 겹치지 않음). 뿌리기는 그 전치.
        # 행렬은 weights·offsets 를 복사하지 않고 같은 메모리를 씁니다(int32 번호: 꼭짓점은 N(d+1)개 이하).
        self.slice_matrix = sparse.csr_matrix(
            (self.weights.ravel(), self.offsets.ravel(), np.arange(0, n * (d + 1) + 1, d + 1, dtype=np.int32)),
            shape=(n, self.vertices))
        self.blur_matrices = [self._blur_matrix(j) for j in range(d + 1)]

    @classmethod
    def _points(cls, features: np.ndarray):
        """점 묶음 하나의 ``(무게중심 가중치 (n, d+1) float32, rem0의 앞 d개 좌표 (n, d) int64, rank (n, d+1))``."""
        n, d = features.shape
        rem0, rank, elevated = cls._enclosing_simplex(features)
        # 무게중심 좌표(d+1개, 합 1). 행마다 d − rank 는 서로 다른 칸이므로 겹치지 않고 씁니다.
        value = (elevated - rem0) / (d + 1)
        del elevated
        bary = np.zeros((n, d + 2))
        rows = np.arange(n)[:, None] * (d + 2)
        bary.ravel()[rows + d - rank] += value
        bary.ravel()[rows + d - rank + 1] -= value
        bary[:, 0] += 1.0 + bary[:, d + 1]
        return bary[:, :d + 1].astype(np.float32), rem0[:, :d].astype(np.int64), rank

    @staticmethod
    def _enclosing_simplex(features: np.ndarray):
        """특징을 d+1 차원 평면(좌표 합 = 0)으로 올리고, 가장 가까운 "나머지 0" 꼭짓점과 점이 든 단체(rank).

        Returns:
            ``(rem0 (N, d+1), rank (N, d+1) 정수, 올린 좌표 (N, d+1))``.
        """
        n, d = features.shape
        # 축마다의 배율은 격자 간격이 표준 편차 1에 맞도록.
        scale = np.sqrt(2.0 / 3.0) * (d + 1) / np.sqrt(np.arange(1, d + 1) * np.arange(2, d + 2))
        cf = features * scale
        elevated = np.concatenate([np.cumsum(cf[:, ::-1], axis=1)[:, ::-1], np.zeros((n, 1))], axis=1)
        elevated[:, 1:] -= np.arange(1, d + 1) * cf
        rounded = np.round(elevated / (d + 1))
        rem0 = rounded * (d + 1)
        diff = np.ascontiguousarray((elevated - rem0).T)                       # (d+1, N): 좌표마다 연속
        rank = np.zeros((d + 1, n), np.int64)
        for i in range(d + 1):
            for j in range(i + 1, d + 1):
                smaller = diff[i] < diff[j]
                rank[i] += smaller
                rank[j] += ~smaller
        rank = np.ascontiguousarray(rank.T) + rounded.sum(axis=1).astype(np.int64)[:, None]
        low, high = rank < 0, rank > d
        rank[low] += d + 1
        rem0[low] += d + 1
        rank[high] -= d + 1
        rem0[high] -= d + 1
        return rem0, rank, elevated

    def _vertex_numbers(self, rem0: np.ndarray, rank: np.ndarray) -> np.ndarray:
        """점마다 단체의 d+1 꼭짓점 번호 ``(N, d+1)`` (0 … vertices−1). ``self._codes`` 도 정합니다.

        꼭짓점의 정수 좌표(앞 d개로 충분: 합이 0)를 하나의 정수 코드로(혼합 진법) 만들어 번호를 매깁니다.
        나머지 r의 꼭짓점은 rem0 + r, 단 rank > d − r 인 좌표는 d+1을 뺍니다. 같은 단체(같은 rem0와 rank)에 든
        점들은 꼭짓점이 같으므로, 코드는 서로 다른 단체마다 한 번만 셉니다(점보다 훨씬 적음).
        """
        n, d = rem0.shape
        self._low = rem0.min(axis=0) - 2 * (d + 1)
        self._span = rem0.max(axis=0) + 2 * (d + 1) - self._low + 1
        codes_needed = int(np.prod([int(s) for s in self._span], dtype=object)) * (d + 1) ** d
        if codes_needed >= 2 ** 62:
            raise DeepLabLessonsError(
                f"격자가 너무 큽니다: 특징의 범위(표준 편차 단위, 축마다 {[int(s) for s in self._span]})가 넓어 "
                "꼭짓점 번호가 64비트 정수를 넘습니다. 위치·색 표준 편차(bi_xy_std, bi_rgb_std, pos_xy_std)를 "
                "키우거나 영상을 줄이세요.")
        self._radix = np.ones(d, np.int64)
        for k in range(d - 2, -1, -1):
            self._radix[k] = self._radix[k + 1] * self._span[k + 1]
        base = (rem0 - self._low) @ self._radix
        simplex_key = base * (d + 1) ** d + rank[:, :d] @ ((d + 1) ** np.arange(d, dtype=np.int64))
        keys, simplex = np.unique(simplex_key, return_inverse=True)
        first = np.empty(len(keys), np.int64)
        first[simplex] = np.arange(n)                                           # 단체마다 점 하나
        base, rank = base[first], rank[first, :d]
        codes = np.stack([base + r * self._radix.sum() - (d + 1) * ((rank > d - r) @ self._radix)
                          for r in range(d + 1)], axis=1)
        self._codes, inverse = np.unique(codes.ravel(), return_inverse=True)
        self.vertices = len(self._codes)
        offsets = inverse.reshape(len(keys), d + 1)[simplex.ravel()]
        # 번호를 코드 순서가 아니라 화소 순서(처음 닿는 화소)로 다시 매깁니다. 계산은 같고, 이웃 화소가 가까운
        # 번호의 꼭짓점을 쓰게 되어 뿌리기·모으기의 메모리 접근이 빨라집니다(500×375에서 약 25 %).
        first = np.empty(self.vertices, np.int64)
        flat = offsets.ravel()
        first[flat[::-1]] = np.arange(len(flat))[::-1]
        self._renumber = np.empty(self.vertices, np.int64)
        self._renumber[np.argsort(first)] = np.arange(self.vertices)
        return self._renumber[offsets]

    def _blur_matrix(self, j: int) -> sparse.csr_matrix:
        """방향 ``j`` 의 흐리기 ``v ← v + ½(v₊ + v₋)`` 를 행렬로(없는 이웃은 값 0으로 보고 뺌).

        이웃: 모든 좌표 −1, 단 ``j`` 번째만 +d (그리고 그 반대쪽). 코드도 같은 만큼 바뀝니다.
        """
        d, count = self.dim, self.vertices
        step = -np.ones(d, np.int64)
        if j < d:
            step[j] = d
        shift = int(step @ self._radix)
        rows, cols, vals = [np.arange(count)], [np.arange(count)], [np.ones(count, np.float32)]
        for sign in (1, -1):
            codes = self._codes + sign * shift
            index = np.minimum(np.searchsorted(self._codes, codes), count - 1)
            found = self._codes[index] == codes
            rows.append(np.flatnonzero(found))
            cols.append(index[found])
            vals.append(np.full(int(found.sum()), 0.5, np.float32))
        rows, cols = (self._renumber[np.concatenate(v)] for v in (rows, cols))
        return sparse.csr_matrix((np.concatenate(vals), (rows, cols)), shape=(count, count))

    def splat(self, values: np.ndarray) -> np.ndarray:
        """뿌리기: ``(N, C)`` 값 → ``(vertices, C)`` 꼭짓점 값(모으기 행렬의 전치 곱)."""
        return np.asarray(self.slice_matrix.T @ values, np.float32)

    def blur(self, grid: np.ndarray) -> np.ndarray:
        """흐리기: ``(vertices, C)`` 를 방향 0, 1, …, d 순서로 섞은 ``(vertices, C)``."""
        for matrix in self.blur_matrices:
            grid = matrix @ grid
        return grid

    def filter(self, values: np.ndarray) -> np.ndarray:
        """``(N, C)`` 값을 거른 ``(N, C)`` float32 (가우시안 합의 근사, 척도는 상수배까지)."""
        grid = self.blur(self.splat(np.asarray(values, np.float32)))
        return np.asarray(self.slice_matrix @ grid, np.float32)


#: 격자를 지을 때 단체를 한 번에 찾는 점의 수(임시 메모리의 상한: 5차원 특징이면 묶음마다 약 60 MB).
_POINTS_PER_CHUNK = 262_144

#: 격자 좌표(표준 편차 단위 × (d+1))가 이보다 크면 float64가 정수를 정확히 나타내지 못해 단체를 잘못 찾습니다.
_MAX_COORDINATE = 2.0 ** 40


def _check_range(features: np.ndarray) -> None:
    """격자를 만들기 전에 특징이 유한하고 격자 좌표가 정확한 정수 범위에 드는지 확인합니다(넘침 경고가 나기 전에).

    Raises:
        DeepLabLessonsError: 특징에 NaN·무한대가 있거나 너무 클 때(표준 편차가 너무 작을 때).
    """
    if features.size == 0:
        return
    largest = float(np.max(np.abs(features))) if np.all(np.isfinite(features)) else float("inf")
    if largest * (features.shape[1] + 1) >= _MAX_COORDINATE:
        raise DeepLabLessonsError(
            f"격자가 너무 큽니다: 특징 값(표준 편차 단위)이 최대 {josa(f'{largest:.3g}', '로')}, 격자 좌표가 정확히 "
            f"셀 수 있는 "
            f"범위({_MAX_COORDINATE:.3g})를 넘습니다. 위치·색 표준 편차(bi_xy_std, bi_rgb_std, pos_xy_std)를 "
            "키우세요(DeepLab의 값: 121, 5, 3).")


def brute_force_filter(features: np.ndarray, values: np.ndarray) -> np.ndarray:
    """정확한 가우시안 필터 ``Σ_j exp(−|f_i − f_j|²/2) v_j`` (``O(N²)``: 작은 영상의 검산용)."""
    features = np.asarray(features, np.float64)
    squared = (features ** 2).sum(axis=1)
    distance = squared[:, None] + squared[None, :] - 2 * features @ features.T
    return np.exp(-0.5 * np.maximum(distance, 0)) @ np.asarray(values, np.float64)
