"""tools/site_build.py: 목차(노트북 파일에서), README의 강좌 지도로 만드는 첫 페이지, 글꼴 CSS와 글꼴 파일
(tools/web_assets.py, JupyterLab의 tools/lab_custom.py, 슬라이드의 tools/slides_build.py 가 함께 씀)."""

import re
from pathlib import Path

import pytest

from tools import lab_custom, site_build, slides_build, web_assets

ROOT = Path(__file__).resolve().parents[1]


def touch(folder: Path, *names: str) -> None:
    for name in names:
        (folder / name).write_text("{}", encoding="utf-8")


def test_toc_follows_the_files_present(tmp_path):
    touch(tmp_path, "10_training.ipynb", "00_intro.ipynb", "02_b.ipynb", "09_test_time_refinement.ipynb", "GLOSSARY.md")
    assert site_build.toc_entries(tmp_path) == [
        "notebooks/00_intro", "notebooks/02_b", "notebooks/09_test_time_refinement", "notebooks/10_training",
        "notebooks/GLOSSARY"]


def test_toc_without_glossary(tmp_path):
    touch(tmp_path, "01_a.ipynb")
    assert site_build.toc_entries(tmp_path) == ["notebooks/01_a"]


def test_toc_of_this_repository_lists_every_notebook():
    entries = site_build.toc_entries(ROOT / "notebooks")
    notebooks = sorted((ROOT / "notebooks").glob("*.ipynb"))
    assert len(entries) == len(notebooks) + 1
    assert entries[-1] == "notebooks/GLOSSARY"


README = """# 강좌 제목

소개 문단.

## 설치

설치 방법은 첫 페이지에 넣지 않습니다.

## 강좌 지도

| 강 | 노트북 |
|---|---|
| 0 | [00_intro.ipynb](notebooks/00_intro.ipynb) |

## 필요한 것

- 이것도 넣지 않습니다.
"""


def test_landing_page_is_title_intro_and_course_map():
    page = site_build.landing_page(README, ["notebooks/00_intro"])
    assert page.startswith("# 강좌 제목\n\n소개 문단.")
    assert "[00_intro.ipynb](notebooks/00_intro.ipynb)" in page
    assert "설치 방법" not in page and "이것도" not in page
    assert "```{toctree}\n:hidden:\n:maxdepth: 1\n\nnotebooks/00_intro\n```" in page


def test_landing_page_from_this_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    page = site_build.landing_page(readme, site_build.toc_entries(ROOT / "notebooks"))
    assert site_build.COURSE_MAP_HEADING in page


@pytest.mark.parametrize("readme, message", [
    ("제목 없음\n\n## 강좌 지도\n", "첫 줄"),
    ("# 제목\n\n## 다른 절\n", "강좌 지도"),
])
def test_landing_page_errors(readme, message):
    with pytest.raises(site_build.SiteBuildError, match=message):
        site_build.landing_page(readme, [])


def test_font_css_names_our_family_and_files():
    css = web_assets.font_css("fonts")
    assert css.count("@font-face") == len(web_assets.WEB_FONTS) + len(web_assets.MONO_FILES) + 2
    for _, name, weight in web_assets.WEB_FONTS:
        assert f'url("fonts/{name}")' in css and f"font-weight: {weight}" in css
    for name, _ in web_assets.MONO_FILES:
        assert f'url("fonts/{name}")' in css
    assert f'url("fonts/{web_assets.MONO_HANGUL_FILE}")' in css
    korean = site_build.korean_css()
    assert f'"{web_assets.WEB_FONT_FAMILY}"' in korean and f'"{web_assets.MONO_HANGUL_FAMILY}"' in korean


def test_web_font_drops_vtt_tables_and_renames(tmp_path):
    """브라우저(OTS)가 거부하는 빈 TSI3 표를 빼고, OFL을 따라 이름을 바꿉니다."""
    from fontTools.ttLib import TTFont

    source = web_assets.font_files()[0]
    assert "TSI3" in TTFont(source)  # 원본에는 있어 Chromium이 거부합니다.
    target = tmp_path / "font.woff"
    web_assets.web_font(source, target)
    font = TTFont(target)
    assert font.flavor == "woff"
    assert not any(tag in font for tag in web_assets.DROPPED_TABLES)
    assert str(font["name"].getName(1, 3, 1, 0x409)) == web_assets.WEB_FONT_FAMILY
    assert font.getBestCmap()[ord("한")]


def test_mono_hangul_is_two_latin_cells_wide(tmp_path):
    """고정폭 한글 변형: 한글 한 자의 폭 = DejaVu Sans Mono 두 칸(tables.table의 화면 폭 규칙과 같음)."""
    from fontTools.ttLib import TTFont

    latin = web_assets._mpl_font(web_assets.MONO_FILES[0][0])
    target = tmp_path / "mono.woff"
    web_assets.mono_hangul_font(web_assets.font_files()[0], target, latin)
    mono, font = TTFont(latin), TTFont(target)
    cell = mono["hmtx"][mono.getBestCmap()[ord("a")]][0] / mono["head"].unitsPerEm
    cmap = font.getBestCmap()
    for char in "한글가힣ㄱ":
        assert font["hmtx"][cmap[ord(char)]][0] / font["head"].unitsPerEm == pytest.approx(2 * cell, abs=1e-3)
    assert str(font["name"].getName(1, 3, 1, 0x409)) == web_assets.MONO_HANGUL_FAMILY


def test_lab_and_slide_css_name_only_installed_fonts(tmp_path, monkeypatch):
    """JupyterLab의 custom.css와 슬라이드의 deck.css가 부르는 글꼴 파일을 install_fonts 가 모두 놓고,
    변환은 build/fonts 에 한 번만 합니다(두 번째 설치는 변환한 파일을 복사만 함)."""
    monkeypatch.setattr(web_assets, "BUILD_DIR", tmp_path / "build")
    lab_css = lab_custom.write(tmp_path / "lab").read_text(encoding="utf-8")
    cached = tmp_path / "build" / "fonts" / web_assets.MONO_HANGUL_FILE
    converted_at = cached.stat().st_mtime_ns
    web_assets.install_fonts(tmp_path / "slides" / "fonts")
    assert cached.stat().st_mtime_ns == converted_at
    for folder, css in ((tmp_path / "lab", lab_css), (tmp_path / "slides", slides_build.deck_css())):
        named = re.findall(r'url\("(fonts/[^"]+)"\)', css)
        assert len(named) == len(web_assets.WEB_FONTS) + len(web_assets.MONO_FILES) + 2
        assert [name for name in named if not (folder / name).is_file()] == []
        assert (folder / "fonts" / "FONT-LICENSE.txt").is_file() and (folder / "fonts" / "LICENSE_DEJAVU.txt").is_file()
