"""7강 벤치마크: TFLite 모델의 ``segment()`` 전체와 맨 interpreter ``invoke()`` 를 한 번의 실행에서 나란히 잽니다.

512×512 사진(scikit-image의 astronaut, 디코딩 제외): 입력 줄이기 + 추론 + 로짓을 512×512로 키우기 + arg-max.
바닥값은 전처리된 입력으로 부르는 ``invoke()`` 입니다. 목표: ``segment()`` ≤ 2.5 × 바닥값.
mediapipe를 불러올 수 있으면 같은 가중치(메타데이터 포함 파일)의 ``ImageSegmenter`` 와도 비교합니다(목표 ≤ 0.6×).
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

import numpy as np
from _timing import median_ms


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=50)
    parser.add_argument("--model-dir", default=os.environ.get("DEEPLAB_LESSONS_MODEL_DIR"),
                        help="모델 파일 폴더(기본: DEEPLAB_LESSONS_MODEL_DIR, 없으면 캐시·내려받기)")
    args = parser.parse_args()

    from PIL import Image

    from deeplab_lessons.image_io import normalize
    from deeplab_lessons.logits import resize_logits_argmax
    from deeplab_lessons.pretrained import load_model

    model = load_model("mobilenetv2_voc_tflite", model_dir=args.model_dir)
    try:
        import skimage.data

        photo = skimage.data.astronaut()
    except ImportError:   # mediapipe용 가상환경처럼 scikit-image가 없으면 matplotlib의 사진을 512×512로
        from matplotlib import cbook

        photo = np.asarray(Image.open(cbook.get_sample_data("grace_hopper.jpg", asfileobj=False))
                           .convert("RGB").resize((512, 512)))
    assert photo.shape == (512, 512, 3)
    backend = model.backend
    batch = normalize(model.prepare(photo)[None])
    logits = backend.invoke(batch)

    rows = {
        "invoke() (바닥값)": median_ms(lambda: backend.invoke(batch), args.repeats),
        "  입력 줄이기 (PIL, 512→257)": median_ms(lambda: model.prepare(photo), args.repeats),
        "  로짓 키우기 + arg-max": median_ms(lambda: resize_logits_argmax(logits, 512, 512), args.repeats),
        "segment() 전체": median_ms(lambda: model.segment(photo), args.repeats),
    }
    floor = rows["invoke() (바닥값)"]
    print(f"TFLite DeepLab v3, 512×512 사진, 스레드 2, {args.repeats}회의 중앙값")
    for name, ms in rows.items():
        print(f"{name:<30} {ms:7.2f} ms  ({ms / floor:4.2f} × 바닥값)")
    ratio = rows["segment() 전체"] / floor
    print(f"segment() ÷ invoke() = {ratio:.2f} (목표 ≤ 2.5: {'달성' if ratio <= 2.5 else '미달'})")
    if args.model_dir:
        _mediapipe(Path(args.model_dir), photo, rows["segment() 전체"], args.repeats, model)
    else:
        print("모델 폴더(--model-dir)가 없어 MediaPipe ImageSegmenter와의 비교는 건너뜁니다.")


def _mediapipe(model_dir: Path, photo: np.ndarray, ours_ms: float, repeats: int, model) -> None:
    try:
        import mediapipe as mp
        from mediapipe.tasks.python import vision
        from mediapipe.tasks.python.core.base_options import BaseOptions
    except ImportError:
        print("mediapipe가 없어 MediaPipe ImageSegmenter와의 비교는 건너뜁니다.")
        return
    options = vision.ImageSegmenterOptions(
        base_options=BaseOptions(model_asset_path=str(model_dir / "deeplabv3_with_metadata.tflite")),
        output_category_mask=True, output_confidence_masks=False)
    segmenter = vision.ImageSegmenter.create_from_options(options)
    image = mp.Image(image_format=mp.ImageFormat.SRGB, data=np.ascontiguousarray(photo))

    def run():
        return segmenter.segment(image).category_mask.numpy_view()

    theirs_ms = median_ms(run, repeats)
    agreement = (run().squeeze() == model.segment(photo)).mean()
    segmenter.close()
    print(f"MediaPipe ImageSegmenter (범주 마스크, 원래 크기) {theirs_ms:7.2f} ms")
    print(f"segment() ÷ MediaPipe = {ours_ms / theirs_ms:.2f} (목표 ≤ 0.6: "
          f"{'달성' if ours_ms / theirs_ms <= 0.6 else '미달'}), 두 마스크의 화소 일치 {agreement:.1%}")


if __name__ == "__main__":
    main()
