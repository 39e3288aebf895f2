"""10강 벤치마크: 작은 DeepLab v3+를 기본 설정(128×128 장면 600장, 6 에포크)으로 학습하는 시간과 시험 평균 IoU.

목표: 2코어 CPU에서 학습 3분(180초) 이내, 시험 장면 평균 IoU 0.85 이상. 다른 일을 하지 않는 기계에서 돌리세요.
"""

from __future__ import annotations


def main() -> None:
    from deeplab_lessons import data, training

    config = training.TrainConfig()
    model = training.build(config, seed=0, **training.ABLATION["+ 디코더 (v3+)"])
    _, seconds = training.train(model, config, seed=0, validation=False, verbose=False)
    images, masks = data.make_split("test", config.test_images, config.spec)
    scores = training.score(masks, training.predict_masks(model, images))
    print(f"학습 {seconds:.0f}초 (목표 ≤ 180초: {'달성' if seconds <= 180 else '미달'}), "
          f"시험 평균 IoU {scores.mean_iou:.3f} (목표 ≥ 0.85: {'달성' if scores.mean_iou >= 0.85 else '미달'})")


if __name__ == "__main__":
    main()
