"""배치 정규화 접기: 추론 때의 배치 정규화를 바로 앞 합성곱의 가중치와 편향에 합칩니다. NumPy만 씁니다."""

from __future__ import annotations

import numpy as np


def fold_batch_norm(kernel, bias, gamma, beta, mean, variance, epsilon: float = 1e-3):
    """합성곱 뒤의 배치 정규화를 합성곱 하나로 접습니다(추론 때만 성립: 이동 평균·분산이 상수일 때).

    ``BN(conv(x)) = γ·(W*x + b − μ)/√(σ²+ε) + β`` 이므로 출력 채널마다 ``s = γ/√(σ²+ε)`` 를 곱한
    ``W' = s·W``, ``b' = s·(b − μ) + β`` 인 합성곱과 같습니다. 채널마다 매개변수 4개(γ, β, μ, σ²)가
    편향 1개로 줄어듭니다.

    Args:
        kernel: Keras 합성곱 가중치 ``(kh, kw, 입력, 출력)`` (깊이별이면 ``(kh, kw, 채널, 1)``).
        bias: 합성곱 편향 ``(출력,)`` 또는 ``None`` (편향 없는 합성곱).
        gamma, beta, mean, variance: 배치 정규화의 ``(출력,)`` 값들. epsilon: 배치 정규화의 ε.

    Returns:
        ``(접힌 가중치, 접힌 편향)``.
    """
    kernel = np.asarray(kernel, np.float64)
    scale = np.asarray(gamma, np.float64) / np.sqrt(np.asarray(variance, np.float64) + epsilon)
    bias = np.zeros(scale.shape) if bias is None else np.asarray(bias, np.float64)
    if kernel.shape[-1] == 1 and kernel.shape[-2] == scale.shape[0] and scale.shape[0] != 1:
        folded = kernel * scale[:, None]          # 깊이별: 채널 축이 뒤에서 둘째
    else:
        folded = kernel * scale
    return folded.astype(np.float32), (scale * (bias - mean) + beta).astype(np.float32)
