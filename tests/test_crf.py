"""DenseCRF: 퍼뮤토헤드럴 격자 필터와 평균장 추론을 정확한 O(N²) 계산과 비교합니다(TF 없이, 작은 영상)."""

import numpy as np
import pytest
from PIL import Image

from deeplab_lessons import crf, permutohedral
from deeplab_lessons.errors import DeepLabLessonsError

VOC_IMAGE = "2007_000033"


@pytest.fixture(scope="module")
def small(voc_root):
    """VOC 영상 하나를 48×36으로 줄인 것과, 그 위의 흐릿하고 잡음 섞인 세 클래스 확률."""
    rgb = np.asarray(Image.open(voc_root / "JPEGImages" / f"{VOC_IMAGE}.jpg").resize((48, 36)))
    rng = np.random.default_rng(0)
    brightness = rgb.mean(axis=2) / 255
    logits = np.stack([3 * brightness, 3 * (1 - brightness), np.full(brightness.shape, 1.0)], axis=-1)
    logits += rng.normal(0, 1.0, logits.shape)
    probabilities = np.exp(logits) / np.exp(logits).sum(axis=-1, keepdims=True)
    return rgb, probabilities.astype(np.float32)


SMALL_PARAMS = crf.CRFParams(bi_w=4, bi_xy_std=12, bi_rgb_std=10, pos_w=3, pos_xy_std=2, iterations=5)


@pytest.mark.parametrize("which", [0, 1])
def test_lattice_matches_brute_force(small, which):
    rgb, _ = small
    features = crf.crf_features(rgb, SMALL_PARAMS)[which]
    values = np.random.default_rng(1).random((len(features), 3))
    lattice = permutohedral.PermutohedralLattice(features)
    ones = np.ones((len(features), 1))
    fast = lattice.filter(values) / lattice.filter(ones)
    exact = permutohedral.brute_force_filter(features, values) / permutohedral.brute_force_filter(features, ones)
    error = np.abs(fast - exact)
    # 정규화한 필터(가중 평균)의 오차: 평균 0.01 미만, 최대 0.25 미만(측정값: 5차원 약 0.004/0.21,
    # 2차원 약 0.002/0.013). 격자가 근사이므로 0이 아닙니다.
    assert error.mean() < 0.01
    assert error.max() < 0.25
    assert lattice.vertices < len(features) * (features.shape[1] + 1)


def test_lattice_is_a_gaussian_of_std_one(small):
    """격자 필터가 가장 잘 맞는 정확한 가우시안의 표준 편차 배율이 1 근처(0.9–1.1 중 1.0이 최소 오차)."""
    rgb, _ = small
    features = crf.crf_features(rgb, SMALL_PARAMS)[0]
    values = np.random.default_rng(2).random((len(features), 2))
    lattice = permutohedral.PermutohedralLattice(features)
    fast = lattice.filter(values) / lattice.filter(np.ones((len(features), 1)))

    def error(c):
        exact = permutohedral.brute_force_filter(features * c, values)
        return np.abs(fast - exact / permutohedral.brute_force_filter(features * c, np.ones((len(features), 1)))).mean()

    assert error(1.0) < error(0.9) and error(1.0) < error(1.1)


def test_mean_field_fast_matches_exact(small):
    rgb, probabilities = small
    fast = crf.mean_field(rgb, probabilities, SMALL_PARAMS)
    exact = crf.mean_field(rgb, probabilities, SMALL_PARAMS, exact=True)
    assert np.abs(fast - exact).mean() < 0.01
    assert (fast.argmax(-1) == exact.argmax(-1)).mean() >= 0.98
    # CRF가 실제로 무언가를 바꿨는지(검사가 헛돌지 않도록)
    assert (exact.argmax(-1) != probabilities.argmax(-1)).mean() > 0.02


def test_zero_pairwise_weight_returns_unary_argmax(small):
    rgb, probabilities = small
    refined = crf.dense_crf(rgb, probabilities, bi_w=0, pos_w=0)
    assert np.array_equal(refined.argmax(-1), probabilities.argmax(-1))
    np.testing.assert_allclose(refined, probabilities, atol=1e-5)


def test_mean_field_lowers_the_energy(small):
    rgb, probabilities = small
    _, states = crf.mean_field(rgb, probabilities, SMALL_PARAMS, exact=True, history=True)
    energies = [crf.labelling_energy(rgb, probabilities, q.argmax(-1), SMALL_PARAMS) for q in states]
    assert energies[-1] < energies[0] * 0.9
    assert all(later <= earlier + 1e-6 for earlier, later in zip(energies, energies[1:], strict=False))


def test_grayscale_and_rgba_images_are_converted(small):
    rgb, probabilities = small
    gray = rgb.mean(axis=2).astype(np.uint8)
    rgba = np.concatenate([rgb, np.full(rgb.shape[:2] + (1,), 255, np.uint8)], axis=2)
    assert crf.dense_crf(gray, probabilities, iterations=2).shape == probabilities.shape
    np.testing.assert_array_equal(crf.dense_crf(rgba, probabilities, iterations=2),
                                  crf.dense_crf(rgb, probabilities, iterations=2))


def test_bad_inputs(small):
    rgb, probabilities = small
    with pytest.raises(DeepLabLessonsError, match="같은 높이·너비"):
        crf.dense_crf(rgb, probabilities[:-1])
    with pytest.raises(DeepLabLessonsError, match="softmax"):
        crf.dense_crf(rgb, np.log(probabilities))
    with pytest.raises(DeepLabLessonsError, match="알 수 없는 CRF 매개변수입니다: bi_std"):
        crf.dense_crf(rgb, probabilities, bi_std=3)
    with pytest.raises(DeepLabLessonsError, match="bi_rgb_std 값이 올바르지 않습니다"):
        crf.CRFParams(bi_rgb_std=0)
    with pytest.raises(DeepLabLessonsError, match="iterations"):
        crf.CRFParams(iterations=-1)


def test_prepared_image_reuses_lattices_and_matches_mean_field(small):
    rgb, probabilities = small
    prepared = crf.PreparedImage(rgb, probabilities)
    first = prepared.refine(SMALL_PARAMS)
    lattice = prepared._lattices["appearance"][1]
    heavier = crf.CRFParams(bi_w=8, bi_xy_std=12, bi_rgb_std=10, pos_w=3, pos_xy_std=2, iterations=5)
    second = prepared.refine(heavier)
    assert prepared._lattices["appearance"][1] is lattice                # w1만 바뀌면 격자를 다시 씀
    np.testing.assert_array_equal(first, crf.mean_field(rgb, probabilities, SMALL_PARAMS))
    np.testing.assert_array_equal(second, crf.mean_field(rgb, probabilities, heavier))
    prepared.refine(crf.CRFParams(bi_w=8, bi_xy_std=6, bi_rgb_std=10, pos_w=3, pos_xy_std=2, iterations=5))
    assert prepared._lattices["appearance"][1] is not lattice            # θα가 바뀌면 새로 지음


def test_large_weights_fall_back_to_the_per_pixel_maximum(small):
    """가중치 합이 커서 지수가 넘칠 수 있으면 반복마다 최댓값을 빼므로 nan 없이 정확한 필터와 같은 답."""
    rgb, probabilities = small
    params = crf.CRFParams(bi_w=70, bi_xy_std=12, bi_rgb_std=10, pos_w=30, pos_xy_std=2, iterations=3)
    fast = crf.mean_field(rgb, probabilities, params)
    assert np.all(np.isfinite(fast)) and np.allclose(fast.sum(-1), 1, atol=1e-4)
    exact = crf.mean_field(rgb, probabilities, params, exact=True)
    assert (fast.argmax(-1) == exact.argmax(-1)).mean() >= 0.95


def test_defaults_are_tuned_for_the_course_model_and_v1_by_name():
    class Model:
        def __init__(self, name, size=513):
            self.name, self.INPUT_SIZE = name, size

    assert crf.CRFParams.v1_largefov() == crf.CRFParams(bi_w=4, bi_xy_std=121, bi_rgb_std=5, pos_w=3, pos_xy_std=3)
    tuned = crf.default_params(Model("mobilenetv2_voc_keras"))
    assert tuned == crf.TUNED[("mobilenetv2_voc_keras", 513)] and tuned != crf.CRFParams.v1_largefov()
    assert (tuned.pos_w, tuned.pos_xy_std, tuned.iterations) == (3.0, 3.0, 10)      # DeepLab이 고정한 값
    assert crf.default_params(Model("mobilenetv2_voc_tflite", 257)) == crf.CRFParams.v1_largefov()
    assert crf.default_params(Model("mobilenetv2_voc_keras", 129)) == crf.CRFParams.v1_largefov()


def test_lattice_built_in_chunks_of_points_is_the_same(monkeypatch):
    # 큰 영상의 메모리를 줄이려고 단체 찾기를 점 묶음마다 합니다(이슈 26, 1). 결과는 한 번에 한 것과 같아야 합니다.
    from deeplab_lessons import permutohedral

    features = np.random.default_rng(4).standard_normal((1000, 5)) * 3
    whole = permutohedral.PermutohedralLattice(features)
    monkeypatch.setattr(permutohedral, "_POINTS_PER_CHUNK", 97)
    chunked = permutohedral.PermutohedralLattice(features)
    assert np.array_equal(whole.weights, chunked.weights) and np.array_equal(whole.offsets, chunked.offsets)
    values = np.random.default_rng(5).random((1000, 3)).astype(np.float32)
    assert np.array_equal(whole.filter(values), chunked.filter(values))


def _smooth_scene(height=600, width=800, classes=21):
    """격자가 실제 사진처럼 작게 나오는 매끈한 영상과, 8배 블록으로 키운 확률(화소마다 합 1)."""
    ys, xs = np.mgrid[0:height, 0:width]
    rgb = np.stack([xs * 255 // width, ys * 255 // height, ((xs // 100 + ys // 100) % 2) * 200], -1).astype(np.uint8)
    logits = np.random.default_rng(0).normal(size=(height // 8 + 1, width // 8 + 1, classes)).astype(np.float32) * 3
    small = np.exp(logits) / np.exp(logits).sum(-1, keepdims=True)
    return rgb, np.repeat(np.repeat(small, 8, 0), 8, 1)[:height, :width].copy()


def test_mean_field_memory_per_pixel_is_bounded():
    # 큰 사진(2 MP 작업 해상도)의 CRF가 약 2 GB 안에 들도록: 메시지 행렬을 격자마다 미리 잡은 배열에 채우고
    # (임시 사본 없음) 꼭짓점 번호는 int32. 예전 코드는 이 장면에서 화소당 약 490바이트였습니다.
    import tracemalloc

    rgb, probabilities = _smooth_scene()
    tracemalloc.start()
    crf.mean_field(rgb, probabilities)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak / probabilities.shape[0] / probabilities.shape[1] < 440


def test_mean_field_from_unary_is_mean_field():
    rgb, probabilities = _smooth_scene(120, 160, 5)
    expected = crf.mean_field(rgb, probabilities)
    assert np.array_equal(crf.mean_field_from_unary(rgb, crf.unary_logits(probabilities)), expected)
