"""8강 벤치마크: 다시 지은 Keras 모델(513, 고정 서명의 tf.function) vs TFLite(257) vs frozen graph tarball(513,
원래 데모의 ``DeepLabModel.run``)을 한 번의 실행에서 나란히 잽니다. 목표: Keras 513 ≤ frozen graph 513.

영상은 scikit-image의 astronaut(512×512). ``run`` 의 시간(입력 줄이기 + 추론)을 잽니다.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

from _timing import median_ms


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--model-dir", default=os.environ.get("DEEPLAB_LESSONS_MODEL_DIR"),
                        help="모델 파일 폴더(기본: DEEPLAB_LESSONS_MODEL_DIR, 없으면 캐시·내려받기)")
    args = parser.parse_args()

    import skimage.data

    from deeplab_lessons.pretrained import load_model
    from deeplab_lessons.pretrained.export import export_frozen_graph_tarball
    from deeplab_lessons.pretrained.seed import DeepLabModel

    photo = skimage.data.astronaut()
    keras_model = load_model("mobilenetv2_voc_keras", model_dir=args.model_dir, input_size=513)
    tflite = load_model("mobilenetv2_voc_tflite", model_dir=args.model_dir)
    with tempfile.TemporaryDirectory() as folder:
        tarball = export_frozen_graph_tarball(keras_model.backend.model, Path(folder) / "rebuilt.tar.gz", pad_to=513)
        frozen = DeepLabModel(tarball)
    rows = {
        "TFLite 257 (run)": median_ms(lambda: tflite.run(photo), args.repeats),
        "Keras 513 (run, tf.function)": median_ms(lambda: keras_model.run(photo), args.repeats),
        "frozen graph 513 (DeepLabModel.run)": median_ms(lambda: frozen.run(photo), args.repeats),
    }
    print(f"512×512 영상, {args.repeats}회의 중앙값")
    for name, ms in rows.items():
        print(f"{name:<38} {ms:8.1f} ms")
    keras_ms, frozen_ms = rows["Keras 513 (run, tf.function)"], rows["frozen graph 513 (DeepLabModel.run)"]
    print(f"Keras 513 ÷ TFLite 257 = {keras_ms / rows['TFLite 257 (run)']:.1f}")
    verdict = "달성" if keras_ms <= frozen_ms else "미달"
    print(f"Keras 513 ÷ frozen graph 513 = {keras_ms / frozen_ms:.2f} (목표 ≤ 1: {verdict})")
    traces = keras_model.backend._labels.experimental_get_tracing_count()
    print(f"tf.function 추적 횟수: {traces} (영상마다 다시 추적하지 않음)")


if __name__ == "__main__":
    main()
