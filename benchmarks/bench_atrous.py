"""2강 벤치마크: NumPy 아트러스 합성곱과 tf.nn.convolution의 시간을 한 번의 실행에서 나란히 잽니다.

입력 1×128×128×32, 3×3 커널, 출력 32채널, 비율 1, 2, 4, same 패딩. 각 방법을 번갈아 여러 번 돌려
중앙값을 비교하고 비율(NumPy ÷ TF)을 출력합니다. 목표: 10배 이내.
"""

from __future__ import annotations

import argparse
import os

from _timing import median_ms


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--threads", type=int, default=2, help="NumPy(BLAS)의 스레드 수")
    parser.add_argument("--onednn", action="store_true", help="TF의 oneDNN 최적화를 켭니다")
    args = parser.parse_args()
    os.environ["TF_ENABLE_ONEDNN_OPTS"] = "1" if args.onednn else "0"
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = str(args.threads)

    import numpy as np

    import deeplab_lessons
    from deeplab_lessons import atrous

    # TF는 불러올 때 장치를 초기화하므로 스레드 수를 나중에 바꿀 수 없습니다. 코어 수만큼 씁니다.
    tf = deeplab_lessons.load_tensorflow()

    rng = np.random.default_rng(0)
    x = rng.standard_normal((1, 128, 128, 32)).astype(np.float32)
    w = (rng.standard_normal((3, 3, 32, 32)) / np.sqrt(288)).astype(np.float32)
    x_tf, w_tf = tf.constant(x), tf.constant(w)

    print(f"입력 {x.shape}, 커널 {w.shape}, BLAS 스레드 {args.threads}, CPU 코어 {os.cpu_count()}, "
          f"oneDNN {'켬' if args.onednn else '끔'}, 반복 {args.repeats}회의 중앙값")
    print(f"{'비율':>4} {'NumPy (ms)':>11} {'TF (ms)':>9} {'NumPy ÷ TF':>11}")
    worst = 0.0
    for rate in (1, 2, 4):
        ours = median_ms(lambda r=rate: atrous.atrous_conv2d(x, w, rate=r), args.repeats) / 1e3
        theirs = median_ms(
            lambda r=rate: tf.nn.convolution(x_tf, w_tf, dilations=r, padding="SAME").numpy(),
            args.repeats) / 1e3
        worst = max(worst, ours / theirs)
        print(f"{rate:>4} {ours * 1e3:>11.2f} {theirs * 1e3:>9.2f} {ours / theirs:>10.1f}×")
    verdict = "달성" if worst <= 10 else "미달"
    print(f"가장 느린 비율: {worst:.1f}× (목표 10× 이내: {verdict})")


if __name__ == "__main__":
    main()
