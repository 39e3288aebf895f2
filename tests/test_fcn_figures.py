import numpy as np
import pytest

from deeplab_lessons import figures


def test_toy_panoptic_scene_counts():
    labels, instances = figures.toy_panoptic_scene()
    assert labels.shape == instances.shape == (40, 60)
    assert set(np.unique(labels)) == {0, 1, 2, 3}
    assert set(np.unique(instances[labels == 2])) == {1, 2}        # 맞닿은 두 사람
    assert not instances[labels < 2].any()                          # stuff에는 인스턴스 번호가 없음
    assert len({(c, i) for c, i in zip(labels.ravel(), instances.ravel(), strict=True)}) == 5


@pytest.mark.parametrize("name", [n for n in figures.FIGURES if n.startswith("fcn_")])
def test_fcn_figures_are_registered_and_draw(tmp_path, name):
    (path,) = figures.save_all(tmp_path, names=[name])
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
