"""전치 합성곱 벤치마크: 탭마다 한 번 도는 NumPy 판, 0을 끼운 입력의 보통 합성곱, ``tf.nn.conv2d_transpose`` 의
시간을 한 번의 실행에서 나란히 잽니다.

입력 1×64×64×32, 출력 32채널, 보폭 2, ``same`` 패딩, 커널 3×3과 4×4. 각 방법을 번갈아 여러 번 돌려 중앙값을
비교하고 비(NumPy ÷ TF)를 출력합니다. 0을 끼우는 방법은 0과의 곱까지 하므로 탭마다의 판보다 느려야 합니다.
"""

from __future__ import annotations

import argparse
import os

from _timing import median_ms

OUT_SHAPE = (1, 128, 128, 32)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--threads", type=int, default=2, help="NumPy(BLAS)의 스레드 수")
    args = parser.parse_args()
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = str(args.threads)

    import numpy as np

    import deeplab_lessons
    from deeplab_lessons import tables, upsampling

    tf = deeplab_lessons.load_tensorflow()
    rng = np.random.default_rng(0)
    x = rng.standard_normal((1, 64, 64, 32)).astype(np.float32)
    print(f"입력 {x.shape}, 출력 32채널, 보폭 2, same, BLAS 스레드 {args.threads}, 반복 {args.repeats}회의 중앙값")
    rows = []
    for k in (3, 4):
        w = (rng.standard_normal((k, k, 32, 32)) / np.sqrt(k * k * 32)).astype(np.float32)
        taps = median_ms(lambda w=w: upsampling.conv_transpose2d(x, w, 2, "same"), args.repeats)
        zeros = median_ms(lambda w=w: upsampling.conv_transpose2d_by_zero_insertion(x, w, 2, "same"), args.repeats)
        theirs = median_ms(lambda w=w: tf.nn.conv2d_transpose(x, w, OUT_SHAPE, 2, "SAME").numpy(), args.repeats)
        rows.append([f"{k}×{k}", taps, zeros, theirs, taps / theirs, zeros / taps])
    print(tables.table(["커널", "탭마다 (ms)", "0 끼우기 (ms)", "TF (ms)", "탭마다 ÷ TF", "0 끼우기 ÷ 탭마다"],
                       rows, digits=1))

if __name__ == "__main__":
    main()
