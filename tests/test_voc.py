import numpy as np
import pytest

from deeplab_lessons import voc
from deeplab_lessons.errors import DeepLabLessonsError


def test_names_have_21_classes_in_both_languages():
    assert len(voc.CLASS_NAMES) == len(voc.CLASS_NAMES_KO) == voc.NUM_CLASSES == 21
    assert voc.CLASS_NAMES[15] == "person" and voc.CLASS_NAMES_KO[15] == "사람"


def test_colormap_matches_official_colours():
    cmap = voc.colormap()
    assert cmap.shape == (256, 3) and cmap.dtype == np.uint8
    assert tuple(cmap[0]) == (0, 0, 0)
    assert tuple(cmap[1]) == (128, 0, 0)
    assert tuple(cmap[15]) == (192, 128, 128)
    assert tuple(cmap[20]) == (0, 64, 128)
    assert tuple(cmap[255]) == (224, 224, 192)
    assert len({tuple(c) for c in cmap[:21]}) == 21


def test_label_to_color():
    mask = np.array([[0, 15], [255, 1]], dtype=np.uint8)
    color = voc.label_to_color(mask)
    assert color.shape == (2, 2, 3)
    assert tuple(color[0, 1]) == (192, 128, 128)


@pytest.mark.parametrize("bad", [np.zeros((2, 2, 3), int), np.zeros((2, 2)), np.full((2, 2), 300)])
def test_label_to_color_rejects_bad_maps(bad):
    with pytest.raises(DeepLabLessonsError, match="label_map"):
        voc.label_to_color(bad)


def test_class_label():
    assert voc.class_label(15) == "사람 (person)"
    assert voc.class_label(255) == "무시 (void)"


def test_shares_and_table():
    mask = np.zeros((100, 100), np.uint8)
    mask[:50] = 15
    mask[0, 0] = 8
    shares = voc.class_shares(mask)
    assert shares[0][0] in (0, 15) and abs(sum(s for _, s in shares) - 1) < 1e-12
    table = voc.share_table(mask)
    assert "사람 (person)" in table and "고양이" not in table
