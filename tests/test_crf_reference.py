"""DenseCRF가 Krähenbühl의 C++ 코드(``pydensecrf2``)와 같은 라벨을 내는지(≥ 99.9 %). 그 패키지가 있을 때만.

``pip install -e '.[reference]'`` 로 설치합니다(소스에서 짓는 패키지라 C++ 컴파일러가 필요해 [dev]에 넣지 않음).
C++ 쪽 호출은 ``benchmarks/bench_crf.py`` 의 것 하나를 씁니다(벤치마크와 테스트가 같은 것을 비교하도록).
"""

import importlib.util

import numpy as np
import pytest
from PIL import Image
from tooling import ROOT

from deeplab_lessons import crf, voc

pytest.importorskip("pydensecrf.densecrf")

VOC_ROOT = ROOT / "data" / "voc2012_sample"


def _bench():
    spec = importlib.util.spec_from_file_location("bench_crf", ROOT / "benchmarks" / "bench_crf.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("params", [crf.CRFParams(), crf.CRFParams(bi_w=6, bi_xy_std=40, bi_rgb_std=3, pos_w=3,
                                                                    pos_xy_std=3, iterations=5)],
                         ids=["v1", "narrow"])
@pytest.mark.parametrize("image_id", ["2007_000033", "2009_003928"])
def test_labels_agree_with_cpp_reference(image_id, params):
    bench = _bench()
    rgb, truth = voc.read_pair(VOC_ROOT, image_id)
    probabilities = bench.blurry_probabilities(truth)
    ours = crf.mean_field(rgb, probabilities, params)
    reference = bench.reference_mean_field(rgb, probabilities, params)
    agree = float(np.mean(ours.argmax(-1) == reference.argmax(-1)))
    assert agree >= 0.999, f"{image_id}: 라벨 일치율 {agree:.4%}"
    # 검사가 헛돌지 않도록: CRF가 단항의 arg-max를 실제로 바꿨어야 합니다.
    assert np.mean(reference.argmax(-1) != probabilities.argmax(-1)) > 0.005


def test_reference_wrapper_sees_the_parameters():
    """C++ 쪽에 매개변수가 실제로 전달되는지: 가중치 0이면 단항의 arg-max 그대로."""
    bench = _bench()
    rgb, truth = voc.read_pair(VOC_ROOT, "2007_000033")
    rgb = np.asarray(Image.fromarray(rgb).resize((100, 75)))
    truth = np.asarray(Image.fromarray(truth).resize((100, 75), Image.Resampling.NEAREST))
    probabilities = bench.blurry_probabilities(truth)
    off = bench.reference_mean_field(rgb, probabilities, crf.CRFParams(bi_w=0, pos_w=0))
    assert np.array_equal(off.argmax(-1), probabilities.argmax(-1))
