"""미세 조정의 처리량: 학습 단계(순전파 + 역전파 + 갱신)의 장/초와, 같은 모델·같은 배치의 순전파만의 장/초, 그 비.

VOC train 표본(저장소)의 영상에서 명령 ``finetune`` 의 기본 설정(자르기 321, 배치 8, 디코더, train=decoder)으로
한 에포크 분량의 자르기를 만들어, 같은 프로세스에서 나란히 잽니다. 배울 층을 바꾸면(``--train``) 역전파가 어디까지
가는지가 달라집니다.

    .venv/bin/python benchmarks/bench_finetune.py [--train head|decoder|all] [--steps 10]
"""

from __future__ import annotations

import argparse
import os
import time


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model-dir", default=os.environ.get("DEEPLAB_LESSONS_MODEL_DIR"),
                        help="공식 TFLite 파일 폴더(기본: DEEPLAB_LESSONS_MODEL_DIR, 없으면 캐시·내려받기)")
    parser.add_argument("--train", default="decoder", choices=["head", "decoder", "all"])
    parser.add_argument("--steps", type=int, default=10, help="잴 학습 단계 수(첫 단계는 추적이라 빼고 잼)")
    args = parser.parse_args()

    from deeplab_lessons import augment, datasets, fine_tuning, load_tensorflow, voc
    from deeplab_lessons.image_io import normalize

    tf = load_tensorflow()
    config = fine_tuning.FineTuneConfig(train=args.train)
    train_set = datasets.open_dataset(voc.SAMPLE_ROOT, "train")
    images, masks = fine_tuning.load_arrays(train_set)
    x, y = augment.epoch_crops(images, masks, config.crop, config.seed, 0)
    x = normalize(x)
    tflite = fine_tuning.encoder_weights_file(args.model_dir)
    steps = args.steps * config.batch
    model = fine_tuning.build(config, tflite, train_set.num_classes, total_steps=args.steps + 1)
    batches = [(x[i:i + config.batch], y[i:i + config.batch]) for i in range(0, steps, config.batch)]
    model.train_on_batch(*batches[0])                      # 추적(첫 단계)
    start = time.perf_counter()
    for bx, by in batches:
        model.train_on_batch(bx, by)
    train_rate = steps / (time.perf_counter() - start)
    forward = tf.function(lambda batch: model(batch, training=False))
    forward(batches[0][0])
    start = time.perf_counter()
    for bx, _ in batches:
        forward(bx).numpy()
    forward_rate = steps / (time.perf_counter() - start)
    print(f"미세 조정 처리량 (자르기 {config.crop}, 배치 {config.batch}, train={args.train}, 디코더 {config.decoder}, "
          f"{args.steps}단계)")
    print(f"  학습 단계:   {train_rate:6.2f} 장/초")
    print(f"  순전파만:    {forward_rate:6.2f} 장/초")
    print(f"  학습 ÷ 순전파 시간 비: {forward_rate / train_rate:.2f} (역전파와 갱신이 순전파의 몇 배 드는지 + 1)")
    epoch = len(images) * config.crops_per_image / train_rate
    print(f"  이 속도면 {len(images)}장 × {config.epochs} 에포크 ≈ {epoch * config.epochs / 60:.1f}분(검증 제외)")


if __name__ == "__main__":
    main()
