"""DenseCRF의 메시지: 정규화된 가우시안 커널과, 모든 커널의 메시지 합 ``Σ_m w_m · k̃_m Q``.

평균장 반복(:func:`deeplab_lessons.crf.mean_field`)이 반복마다 부르는 필터링 단계입니다. 커널 하나는 퍼뮤토헤드럴
격자(:mod:`deeplab_lessons.permutohedral`) 또는 검산용 정확한 행렬이고, :class:`Messages` 는 격자 커널들의
뿌리기·모으기를 희소 행렬 곱 한 번씩으로 합칩니다. 큰 사진에서 메모리가 묶이도록 격자의 배열을 옮겨 담으며
놓습니다(``release``).
"""

from __future__ import annotations

import numpy as np
from scipy import sparse

from deeplab_lessons.permutohedral import PermutohedralLattice


class Kernel:
    """가중치 ``w`` 의 정규화된 가우시안 커널 하나: ``w · Σ_j k_ij v_j / Σ_j k_ij``."""

    def __init__(self, features: np.ndarray, weight: float, exact: bool, lattice=None):
        self.weight = float(weight)
        if lattice is not None:                                  # 이미 지은 격자(정규화 ``norm`` 포함)를 다시 씀
            self.matrix, self.lattice, self.norm = None, lattice, lattice.norm
        elif exact:
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


class Messages:
    """모든 커널의 메시지 합 ``Σ_m w_m · k̃_m Q`` 를 한 번에 계산합니다(평균장 반복마다 한 번).

    격자 커널들의 꼭짓점을 한 줄로 이어 붙여, 뿌리기와 모으기를 커널 수와 상관없이 희소 행렬 곱 한 번씩으로
    합니다. 모으기 행렬의 행에는 ``w_m`` 과 정규화 ``1 / Σ_j k_ij`` 를 미리 곱해 둡니다(반복마다 곱하지 않음).
    정확한 커널(``exact=True``)은 행렬 곱을 그대로 더합니다.
    """

    def __init__(self, kernels: list[Kernel], release: bool = False):
        self.exact = [k for k in kernels if k.matrix is not None]
        lattice_kernels = [k for k in kernels if k.matrix is None]
        self.lattices = [k.lattice for k in lattice_kernels]
        if not self.lattices:
            return
        n = self.lattices[0].size
        starts = np.cumsum([0] + [lat.vertices for lat in self.lattices])
        columns = np.cumsum([0] + [lat.dim + 1 for lat in self.lattices])
        offsets = np.empty((n, columns[-1]), np.int32)          # 미리 잡은 배열에 격자마다 채움(임시 사본 없음)
        weights = np.empty((n, columns[-1]), np.float32)
        scaled = np.empty((n, columns[-1]), np.float32)
        spans = zip(columns[:-1], columns[1:], strict=True)
        for lat, kernel, start, (a, b) in zip(self.lattices, lattice_kernels, starts[:-1], spans, strict=True):
            offsets[:, a:b] = lat.offsets
            offsets[:, a:b] += start
            weights[:, a:b] = lat.weights
            np.multiply(lat.weights, (kernel.weight * kernel.norm).astype(np.float32), out=scaled[:, a:b])
            if release:
                release_gather(lat)
        indptr = np.arange(0, offsets.size + 1, columns[-1], dtype=np.int32)
        shape = (n, int(starts[-1]))
        indices = offsets.ravel()                                # 두 행렬이 같은 번호 배열을 씀
        self._splat = sparse.csr_matrix((weights.ravel(), indices, indptr), shape).T
        self._slice = sparse.csr_matrix((scaled.ravel(), indices, indptr), shape)
        self._blocks = [slice(a, b) for a, b in zip(starts[:-1], starts[1:], strict=True)]

    def __call__(self, q: np.ndarray) -> np.ndarray:
        total = None
        if self.lattices:
            grid = np.asarray(self._splat @ q, np.float32)
            grid = np.concatenate([lat.blur(grid[block]) for lat, block in zip(self.lattices, self._blocks,
                                                                               strict=True)])
            total = np.asarray(self._slice @ grid, np.float32)
        for kernel in self.exact:
            part = kernel.message(q)
            total = part if total is None else total + part
        return total if total is not None else np.zeros_like(q)


def release_gather(lattice: PermutohedralLattice) -> None:
    """격자의 모으기 행렬과 꼭짓점 번호·가중치를 놓습니다(메시지 행렬에 옮겨 담은 뒤; 흐리기는 그대로)."""
    lattice.slice_matrix = lattice.offsets = lattice.weights = None
