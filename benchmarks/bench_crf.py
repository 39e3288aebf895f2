"""DenseCRF 벤치마크: 우리 NumPy 구현과 Krähenbühl의 C++ 코드(``pydensecrf2``)를 한 번의 실행에서 나란히.

같은 영상(VOC val 첫 장을 500×375로), 같은 단항(21클래스), 같은 매개변수(v1 LargeFOV, 10회 반복)로
"격자 만들기 + 평균장 10회" 전체를 번갈아 재고, 중앙값의 비(우리 ÷ C++)와 초당 반복 수를 출력합니다.
두 구현 모두 한 스레드입니다(OMP_NUM_THREADS=1 등을 이 스크립트가 정합니다). 라벨 일치율도 함께 출력합니다.

목표: 비 ≤ 1.0. ``pydensecrf2`` 가 없으면 우리 시간만 출력합니다(``pip install pydensecrf2``).
단항은 모델 없이 만듭니다: 정답 마스크를 1/8로 줄였다 쌍선형으로 키운 로짓에 잡음을 더한 것(출력 보폭 8의
네트워크처럼 경계가 뭉툭함). 모델 실행 시간은 ``bench_refine.py`` 가 잽니다.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")


def blurry_probabilities(truth, classes: int = 21, seed: int = 0):
    """정답 마스크 ``(H, W)`` 에서 만든 뭉툭하고 잡음 섞인 확률 ``(H, W, classes)`` float32."""
    import numpy as np
    from PIL import Image

    height, width = truth.shape
    labels = np.where(truth == 255, 0, truth).astype(np.int64)
    rng = np.random.default_rng(seed)
    small = np.eye(classes, dtype=np.float32)[labels][::8, ::8] * 4 + rng.normal(0, 1, (
        (height + 7) // 8, (width + 7) // 8, classes)).astype(np.float32)
    logits = np.stack([np.asarray(Image.fromarray(small[..., c]).resize((width, height), Image.Resampling.BILINEAR))
                       for c in range(classes)], axis=-1)
    logits -= logits.max(axis=-1, keepdims=True)
    probabilities = np.exp(logits)
    return (probabilities / probabilities.sum(axis=-1, keepdims=True)).astype(np.float32)


def reference_mean_field(rgb, probabilities, params):
    """같은 일을 하는 C++ 코드(``pydensecrf2``, NIPS 2011의 화소별 정규화 NORMALIZE_AFTER). 확률 ``(H, W, C)``."""
    import numpy as np
    import pydensecrf.densecrf as dcrf

    height, width, classes = probabilities.shape
    model = dcrf.DenseCRF2D(width, height, classes)
    unary = -np.log(np.clip(probabilities.reshape(-1, classes), 1e-8, 1.0))
    model.setUnaryEnergy(np.ascontiguousarray(unary.T, np.float32))
    if params.pos_w > 0:
        model.addPairwiseGaussian(sxy=params.pos_xy_std, compat=params.pos_w, normalization=dcrf.NORMALIZE_AFTER)
    if params.bi_w > 0:
        model.addPairwiseBilateral(sxy=params.bi_xy_std, srgb=params.bi_rgb_std, rgbim=np.array(rgb, np.uint8),
                                   compat=params.bi_w, normalization=dcrf.NORMALIZE_AFTER)
    return np.array(model.inference(params.iterations), np.float32).T.reshape(height, width, classes)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--voc-dir", default=str(Path(__file__).resolve().parents[1] / "data" / "voc2012_sample"))
    args = parser.parse_args()

    import numpy as np
    from PIL import Image

    from deeplab_lessons import crf, voc

    image, truth = voc.read_pair(args.voc_dir, voc.image_ids(args.voc_dir, "val")[0])
    rgb = np.asarray(Image.fromarray(image).resize((500, 375), Image.Resampling.BILINEAR))
    truth = np.asarray(Image.fromarray(truth).resize((500, 375), Image.Resampling.NEAREST))
    probabilities = blurry_probabilities(truth)
    params = crf.CRFParams()
    try:
        import pydensecrf.densecrf  # noqa: F401
        have_reference = True
    except ImportError:
        have_reference = False
    runs = {"우리 (NumPy + scipy.sparse)": lambda: crf.mean_field(rgb, probabilities, params)}
    if have_reference:
        runs["C++ (pydensecrf2)"] = lambda: reference_mean_field(rgb, probabilities, params)
    times = {name: [] for name in runs}
    for fn in runs.values():
        fn()                                                         # 예열
    for _ in range(args.repeats):                                    # 번갈아 재서 기계의 부하 변화를 나눠 가짐
        for name, fn in runs.items():
            start = time.process_time()
            fn()
            times[name].append(time.process_time() - start)
    print(f"500×375, 21클래스, 격자 만들기 + 평균장 {params.iterations}회, 한 스레드, CPU 시간의 중앙값"
          f"(번갈아 {args.repeats}회)")
    medians = {name: statistics.median(t) for name, t in times.items()}
    for name, seconds in medians.items():
        print(f"{name:<28} {seconds * 1e3:8.1f} ms   초당 반복 {params.iterations / seconds:6.1f}회")
    if have_reference:
        ours, reference = medians.values()
        ratios = [a / b for a, b in zip(*times.values(), strict=True)]
        print(f"비(우리 ÷ C++): {ours / reference:.2f}  (번갈아 잰 쌍마다의 비: "
              f"{min(ratios):.2f}–{max(ratios):.2f})  목표 ≤ 1.0: {'달성' if ours <= reference else '미달'}")
        agree = float(np.mean(runs["우리 (NumPy + scipy.sparse)"]().argmax(-1)
                              == reference_mean_field(rgb, probabilities, params).argmax(-1)))
        print(f"라벨 일치율: {agree:.4%} (목표 ≥ 99.9 %)")
    else:
        print("pydensecrf2가 없어 C++와의 비는 재지 않았습니다(pip install pydensecrf2).")


if __name__ == "__main__":
    main()
