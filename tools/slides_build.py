"""`make slides`: 노트북마다 정적 reveal.js 슬라이드 한 벌을 ``build/slides/`` 에 만듭니다.

저장된 출력을 그대로 씁니다(실행하지 않음). 슬라이드 나눔은 각 셀의 ``slideshow`` 메타데이터
(``tools/slide_metadata.py`` 가 붙임)를 따르고, reveal.js·MathJax·한글 글꼴은 ``build/slides/_static/`` 의
로컬 파일에서 읽으므로 네트워크 없이 열립니다. 덱은 저장소와 같은 모양(``build/slides/notebooks/``,
``build/slides/images/``)으로 두어 노트북의 ``../images/…`` 그림 링크가 그대로 맞습니다.

    python -m tools.slides_build [--out build/slides] [노트북 ...]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path

from tools import web_assets
from tools.slide_metadata import notebooks

ROOT = web_assets.ROOT
OUT_DIR = web_assets.BUILD_DIR / "slides"
TEMPLATE_DIR = web_assets.SITE_DIR
TEMPLATE_NAME = "slides-template"
# 교실 프로젝터(16:9)에 맞춘 슬라이드 크기(픽셀). reveal.js가 화면에 맞게 늘이고 줄입니다.
DECK_WIDTH, DECK_HEIGHT = "1280", "760"


def deck_css() -> str:
    """덱 공통 CSS: 한글 글꼴(@font-face), 글꼴 순서, 그림을 화면 높이에 맞추기, 긴 슬라이드 스크롤."""
    sans, mono = web_assets.SANS_STACK, web_assets.MONO_STACK
    return web_assets.font_css("fonts") + f"""
:root {{
  --jp-content-font-family: {sans};
  --jp-ui-font-family: {sans};
  --jp-code-font-family: {mono};
}}
/* reveal.js 테마(Source Sans Pro)보다 구체적인 선택자로 한글 글꼴을 씁니다. */
html body .reveal, html body .reveal h1, html body .reveal h2, html body .reveal h3, html body .reveal h4,
html body .reveal p, html body .reveal li, html body .reveal td, html body .reveal th, html body .reveal div {{
  font-family: {sans};
}}
html body .reveal pre, html body .reveal pre *, html body .reveal code, html body .reveal code * {{
  font-family: {mono};
}}
.reveal h1 {{ font-size: 1.6em; }}
.reveal h2 {{ font-size: 1.3em; }}
.reveal h3 {{ font-size: 1.1em; }}
.reveal .slides {{ text-align: left; }}
/* 한 슬라이드에 넘치는 내용은 그 안에서 스크롤합니다. */
.reveal .slides section {{ height: 100%; overflow-y: auto; }}
/* 그림은 슬라이드 폭을 채우되 화면 높이를 넘지 않게(비율 유지) 키웁니다: 프로젝터에서 읽히도록. */
.reveal .jp-OutputArea-output img, .reveal .jp-RenderedMarkdown img {{
  width: 100%; height: auto; max-height: 600px; object-fit: contain; object-position: left top;
}}
/* In [n]: 번호 칸은 발표 화면의 폭만 차지하므로 숨깁니다. */
.reveal .jp-InputPrompt, .reveal .jp-OutputPrompt {{ display: none; }}
"""


def build(paths: list[Path], out_dir: Path = OUT_DIR) -> list[Path]:
    """``paths`` 의 노트북마다 ``out_dir/<이름>.slides.html`` 을 만들고 그 경로들을 돌려줍니다."""
    from nbconvert import SlidesExporter
    from traitlets.config import Config

    deck_dir = out_dir / "notebooks"
    deck_dir.mkdir(parents=True, exist_ok=True)
    shutil.copytree(ROOT / "images", out_dir / "images", ignore=shutil.ignore_patterns("README.md"),
                    dirs_exist_ok=True)
    static = out_dir / "_static"
    web_assets.copy_assets(static)
    (static / "deck.css").write_text(deck_css(), encoding="utf-8")
    for name in ("mathjax-hub-shim.js", "favicon.svg"):
        shutil.copyfile(TEMPLATE_DIR / name, static / name)

    config = Config()
    config.SlidesExporter.reveal_theme = "white"
    config.SlidesExporter.reveal_transition = "none"
    config.SlidesExporter.reveal_number = "c/t"
    config.SlidesExporter.reveal_width = DECK_WIDTH
    config.SlidesExporter.reveal_height = DECK_HEIGHT
    config.SlidesExporter.reveal_url_prefix = "../_static/reveal.js"
    config.SlidesExporter.require_js_url = "../_static/require.js"
    config.SlidesExporter.widget_renderer_url = "../_static/html-manager/embed-amd.js"
    config.SlidesExporter.jupyter_widgets_base_url = "../_static/"
    config.SlidesExporter.extra_template_basedirs = [str(TEMPLATE_DIR)]
    config.SlidesExporter.template_name = TEMPLATE_NAME
    exporter = SlidesExporter(config=config)

    written = []
    for path in paths:
        body, _ = exporter.from_filename(str(path), resources={"deeplab_static": "../_static"})
        target = deck_dir / f"{path.stem}.slides.html"
        target.write_text(body, encoding="utf-8")
        written.append(target)
    (out_dir / "index.html").write_text(_index_page(written), encoding="utf-8")
    return written


def _index_page(decks: list[Path]) -> str:
    items = "\n".join(f'<li><a href="notebooks/{deck.name}">{deck.name.removesuffix(".slides.html")}</a></li>'
                      for deck in decks)
    return f"""<!DOCTYPE html>
<html lang="ko"><head><meta charset="utf-8"><title>deeplab-lessons 슬라이드</title>
<link rel="stylesheet" href="_static/deck.css">
<link rel="icon" href="_static/favicon.svg">
<style>body {{ font-family: {web_assets.SANS_STACK}; margin: 2em; }}</style></head>
<body><h1>deeplab-lessons 강의 슬라이드</h1>
<p>← → 로 넘기고, <kbd>S</kbd> 로 발표자 노트, <kbd>Esc</kbd> 로 전체 보기.</p>
<ul>
{items}
</ul></body></html>
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="노트북마다 정적 reveal.js 슬라이드를 만듭니다.")
    parser.add_argument("paths", nargs="*", type=Path, help="노트북(기본: notebooks/*.ipynb)")
    parser.add_argument("--out", type=Path, default=OUT_DIR, help="출력 폴더(기본: build/slides)")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    if args.out.exists():
        shutil.rmtree(args.out)
    try:
        decks = build(args.paths or notebooks(), args.out)
    except web_assets.WebAssetError as error:
        print(f"슬라이드를 만들지 못했습니다: {error}", file=sys.stderr)
        return 1
    print(f"슬라이드 {len(decks)}벌을 {args.out} 에 만들었습니다 ({time.perf_counter() - start:.0f}초).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
