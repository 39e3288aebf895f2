import re
from pathlib import Path

import pytest

from deeplab_lessons import figures

ROOT = Path(__file__).resolve().parents[1]


def test_images_readme_lists_every_figure_and_its_function():
    readme = (ROOT / "images" / "README.md").read_text(encoding="utf-8")
    for name, draw in figures.FIGURES.items():
        assert re.search(rf"`{re.escape(name)}`.*`{draw.__name__}`", readme), name
        assert (ROOT / "images" / name).is_file(), f"images/{name}: make figures"


def test_no_stray_images():
    listed = set(figures.FIGURES)
    for path in (ROOT / "images").glob("*.png"):
        assert path.name in listed, f"{path.name}은(는) figures.FIGURES에 없습니다"


@pytest.mark.parametrize("name", ["00_segmentation_example.png", "03_gridding.png"])
def test_save_all_writes_png(tmp_path, name):
    (path,) = figures.save_all(tmp_path, names=[name])
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_example_label_map_has_person_and_dog():
    import numpy as np

    assert set(np.unique(figures.example_label_map())) == {0, 12, 15}
