"""9강(시험 시점 다듬기) 벤치마크: VOC 크기 영상 한 장(500×375)에서 한 배율, 여러 배율 + 뒤집기(DeepLab의 6배율 × 2),
DenseCRF(10회 반복)의 시간을 한 번의 실행에서 나란히 잽니다. 모델은 다시 지은 Keras 모델(입력 513).

목표: CRF ≤ 2초(조용한 2코어 기준). 기계가 공유되면 절대 시간 대신 한 배율 대비 비율을 보세요.
"""

from __future__ import annotations

import argparse
import os

from _timing import median_ms


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--model-dir", default=os.environ.get("DEEPLAB_LESSONS_MODEL_DIR"),
                        help="모델 파일 폴더(기본: DEEPLAB_LESSONS_MODEL_DIR, 없으면 캐시·내려받기)")
    parser.add_argument("--voc-dir", default=None, help="VOC2012 폴더(기본: find_voc_root, 저장소의 표본)")
    args = parser.parse_args()

    import numpy as np
    from PIL import Image

    from deeplab_lessons import crf, permutohedral, refine
    from deeplab_lessons.metrics import find_voc_root, read_voc_pair, voc_image_ids
    from deeplab_lessons.pretrained import load_model

    voc_dir = args.voc_dir or find_voc_root()
    image, _ = read_voc_pair(voc_dir, voc_image_ids(voc_dir)[0])
    rgb = np.asarray(Image.fromarray(image).resize((500, 375), Image.Resampling.BILINEAR))
    model = load_model("mobilenetv2_voc_keras", model_dir=args.model_dir)
    probabilities = refine.softmax(refine.scale_flip_passes(model, rgb, (1.0,), flip=False)[0].logits)
    lattice_features = crf.crf_features(rgb, crf.CRFParams())[0]
    rows = {
        "한 배율 segment": median_ms(lambda: model.segment(rgb), args.repeats),
        "6배율 + 뒤집기 segment": median_ms(
            lambda: model.segment(rgb, scales=refine.DEEPLAB_SCALES, flip=True), max(1, args.repeats // 2)),
        "DenseCRF 10회(격자 만들기 포함)": median_ms(lambda: crf.mean_field(rgb, probabilities), args.repeats),
        "  그중 5차원 격자 만들기": median_ms(lambda: permutohedral.PermutohedralLattice(lattice_features),
                                              args.repeats),
    }
    single = rows["한 배율 segment"]
    print(f"500×375 영상, 중앙값(반복 {args.repeats}회, 6배율은 {max(1, args.repeats // 2)}회)")
    for name, ms in rows.items():
        print(f"{name:<34} {ms:9.1f} ms   한 배율의 {ms / single:5.1f}배")
    print(f"곱셈-덧셈으로 본 6배율 + 뒤집기의 배수: {refine.macs_factor():.3f}")
    import time

    start = time.process_time()
    crf.mean_field(rgb, probabilities)
    crf_cpu = time.process_time() - start
    crf_s = rows["DenseCRF 10회(격자 만들기 포함)"] / 1e3
    print(f"CRF 벽시계 {crf_s:.2f} s, CPU 시간 {crf_cpu:.2f} s "
          "(한 코어만 씀: 기계가 붐비면 CPU 시간이 조용한 기계의 시간에 가까움)")
    print(f"목표 ≤ 2 s: {'달성' if min(crf_s, crf_cpu) <= 2 else '미달'}")


if __name__ == "__main__":
    main()
