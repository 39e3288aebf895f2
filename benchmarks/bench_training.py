"""10강 벤치마크: 작은 DeepLab v3+ 학습의 처리량과, 같은 기계의 최고 속도에 대한 비.

한 번의 실행에서 다음을 출력합니다(다른 일을 하지 않는 기계에서 돌리세요).

1. 같은 프로세스에서 큰 float32 행렬 곱(2048×2048)으로 잰 이 기계의 최고 속도(GFLOP/s).
2. 10강 3절의 주 학습(장면 1,000장 × 8 에포크)의 처리량(장/초)과 달성한 GFLOP/s, 그리고 1에 대한 비.
   학습 한 장의 연산은 순전파 곱셈-덧셈 × 2(FLOP) × 3(역전파는 순전파의 약 두 배라는 흔한 어림)으로 셉니다.
3. 학습 함수를 처음 추적하는 데 든 시간(모델마다 한 번; 10강의 비교가 시드마다 다시 짓지 않는 이유).
4. 목표: 주 학습 90초 이내, 시험 장면 평균 IoU 0.85 이상.
"""

from __future__ import annotations

import time

from _timing import median_ms


def matmul_peak(size: int = 2048, repeats: int = 10) -> float:
    """큰 float32 행렬 곱의 GFLOP/s(예열 뒤 ``repeats`` 번 잰 시간의 중앙값으로)."""
    from deeplab_lessons._tf import load_tensorflow

    tf = load_tensorflow()
    a = tf.random.normal((size, size))
    b = tf.random.normal((size, size))
    matmul = tf.function(lambda: tf.matmul(a, b))
    return 2 * size ** 3 / (median_ms(lambda: matmul().numpy(), repeats) / 1e3) / 1e9


def main() -> None:
    from deeplab_lessons import ablation, counting, data, training

    peak = matmul_peak()
    config = training.TrainConfig(train_images=1000, epochs=8)
    model = training.build(config, seed=0, **training.architecture(training.V3_PLUS))
    flops_per_image = 3 * counting.profiler_flops(model)          # 순전파 FLOP × 3
    images, masks = data.make_split("train", config.batch_size * 2, config.spec)
    start = time.perf_counter()
    model.fit(data.as_dataset(images, masks, config.batch_size).take(1), verbose=0, shuffle=False)
    first_step = time.perf_counter() - start
    training.reinitialize(model, config, 0, **training.architecture(training.V3_PLUS))
    _, seconds = training.train(model, config, seed=0, verbose=False)
    throughput = config.train_images * config.epochs / seconds
    achieved = throughput * flops_per_image / 1e9
    test_images, test_masks = data.make_split("test", config.test_images, config.spec)
    miou = ablation.score(test_masks, training.predict_masks(model, test_images))["mean_iou"]
    print(f"행렬 곱 최고 속도: {peak:.1f} GFLOP/s")
    print(f"주 학습 처리량: {throughput:.0f} 장/초, 달성 {achieved:.1f} GFLOP/s "
          f"(한 장 {flops_per_image / 1e9:.3f} GFLOP) = 최고 속도의 {achieved / peak:.1%}")
    print(f"학습 함수의 첫 추적과 첫 단계: {first_step:.1f}초")
    print(f"주 학습 {seconds:.0f}초 (목표 ≤ 90초: {'달성' if seconds <= 90 else '미달'}), "
          f"시험 평균 IoU {miou:.3f} (목표 ≥ 0.85: {'달성' if miou >= 0.85 else '미달'})")


if __name__ == "__main__":
    main()
