"""저장소에 든 VOC 2012 표본: 체크섬 목록이 파일과 맞고, id 목록이 README와 맞으며, train과 val이 겹치지 않음."""

import hashlib
from pathlib import Path

from deeplab_lessons import voc

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "voc2012_sample"


def _manifest() -> dict[str, str]:
    lines = (SAMPLE / "SHA256SUMS").read_text().splitlines()
    return {name: digest for digest, name in (line.split(maxsplit=1) for line in lines)}


def test_package_finds_this_folder():
    assert voc.SAMPLE_ROOT.resolve() == SAMPLE.resolve()


def test_manifest_lists_every_file_with_its_sha256():
    manifest = _manifest()
    present = {p.relative_to(SAMPLE).as_posix() for p in SAMPLE.rglob("*") if p.is_file()} - {"SHA256SUMS"}
    assert set(manifest) == present
    for name, digest in manifest.items():
        assert hashlib.sha256((SAMPLE / name).read_bytes()).hexdigest() == digest, name


def test_splits_are_complete_and_disjoint():
    train, val = voc.image_ids(SAMPLE, "train"), voc.image_ids(SAMPLE, "val")
    assert (len(train), len(val)) == (147, 10)
    assert not set(train) & set(val)
    for image_id in train + val:
        assert (SAMPLE / "JPEGImages" / f"{image_id}.jpg").is_file()
        assert (SAMPLE / "SegmentationClass" / f"{image_id}.png").is_file()
    jpegs = {p.stem for p in (SAMPLE / "JPEGImages").iterdir()}
    assert jpegs == set(train) | set(val)


def test_readme_names_the_val_ids_and_the_counts():
    readme = (ROOT / "data" / "README.md").read_text()
    assert " ".join(voc.image_ids(SAMPLE, "val")) in " ".join(readme.split())
    assert "val** 분할의 10장" in readme and "train** 분할의 147장" in readme
    assert "Everingham" in readme and "Flickr" in readme
