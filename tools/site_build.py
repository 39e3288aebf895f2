"""`make site`: 강좌 전체를 정적 HTML 웹사이트로 만듭니다(Sphinx + myst-nb, 노트북은 실행하지 않음).

``build/site-src/`` 에 원본을 모읍니다: ``site/conf.py``, README의 강좌 지도로 만든 첫 페이지(``index.md``),
노트북과 용어집(``notebooks/``), 그림(``images/``), 로컬 자바스크립트·글꼴(``_static/``). 그다음
``sphinx-build`` 가 ``build/site/`` 에 씁니다. 목차는 그때 있는 노트북 파일에서 만들므로 노트북 번호를
바꿔도 이 파일을 고칠 필요가 없습니다.

    python -m tools.site_build [--out build/site]
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

from tools import web_assets

ROOT = web_assets.ROOT
SRC_DIR = web_assets.BUILD_DIR / "site-src"
OUT_DIR = web_assets.BUILD_DIR / "site"
COURSE_MAP_HEADING = "## 강좌 지도"
GLOSSARY = "GLOSSARY.md"


class SiteBuildError(RuntimeError):
    """README나 노트북이 웹사이트를 만들 수 있는 모양이 아닐 때."""


def lesson_notebooks(notebook_dir: Path) -> list[Path]:
    """목차에 넣을 노트북: 번호가 붙은 것(번호 순) 다음에 번호 없는 것(이름 순)."""
    numbered = sorted(notebook_dir.glob("[0-9]*.ipynb"))
    others = sorted(p for p in notebook_dir.glob("*.ipynb") if p not in numbered)
    return numbered + others


def toc_entries(notebook_dir: Path) -> list[str]:
    """첫 페이지의 목차(toctree) 항목: 노트북들, 그리고 용어집이 있으면 맨 뒤에."""
    entries = [f"notebooks/{path.stem}" for path in lesson_notebooks(notebook_dir)]
    if (notebook_dir / GLOSSARY).is_file():
        entries.append(f"notebooks/{Path(GLOSSARY).stem}")
    return entries


def landing_page(readme: str, entries: list[str]) -> str:
    """README의 제목·첫 문단과 ``## 강좌 지도`` 절로 첫 페이지(MyST 마크다운)를 만듭니다.

    Raises:
        SiteBuildError: README에 제목이나 강좌 지도 절이 없을 때.
    """
    lines = readme.split("\n")
    if not lines or not lines[0].startswith("# "):
        raise SiteBuildError("README.md의 첫 줄이 `# 제목` 이 아닙니다.")
    sections = [i for i, line in enumerate(lines) if line.startswith("## ")]
    starts = [i for i in sections if lines[i].strip() == COURSE_MAP_HEADING]
    if not starts:
        raise SiteBuildError(f"README.md에 `{COURSE_MAP_HEADING}` 절이 없습니다. 첫 페이지를 만들 수 없습니다.")
    start = starts[0]
    end = next((i for i in sections if i > start), len(lines))
    intro = lines[:sections[0]] if sections else lines[:1]
    toctree = "\n".join(["```{toctree}", ":hidden:", ":maxdepth: 1", "", *entries, "```"])
    return "\n".join([*intro, *lines[start:end], "", toctree, ""])


def korean_css() -> str:
    """한글 웹 글꼴(@font-face)과 furo 테마의 글꼴 목록(본문·제목·고정폭)."""
    return web_assets.font_css("fonts") + f"""
html body {{
  --font-stack: {web_assets.SANS_STACK};
  --font-stack--headings: {web_assets.SANS_STACK};
  --font-stack--monospace: {web_assets.MONO_STACK};
}}
"""


def stage(src_dir: Path = SRC_DIR) -> Path:
    """``src_dir`` 에 Sphinx 원본을 새로 모읍니다(이전 것은 지움)."""
    if src_dir.exists():
        shutil.rmtree(src_dir)
    notebook_dir = ROOT / "notebooks"
    (src_dir / "notebooks").mkdir(parents=True)
    for path in lesson_notebooks(notebook_dir):
        shutil.copyfile(path, src_dir / "notebooks" / path.name)
    if (notebook_dir / GLOSSARY).is_file():
        shutil.copyfile(notebook_dir / GLOSSARY, src_dir / "notebooks" / GLOSSARY)
    shutil.copytree(ROOT / "images", src_dir / "images", ignore=shutil.ignore_patterns("README.md"))
    shutil.copyfile(web_assets.SITE_DIR / "conf.py", src_dir / "conf.py")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    (src_dir / "index.md").write_text(landing_page(readme, toc_entries(notebook_dir)), encoding="utf-8")
    static = src_dir / "_static"
    web_assets.copy_assets(static)
    (static / "korean.css").write_text(korean_css(), encoding="utf-8")
    for name in ("mathjax-hub-shim.js", "favicon.svg"):
        shutil.copyfile(web_assets.SITE_DIR / name, static / name)
    return src_dir


def build(out_dir: Path = OUT_DIR, jobs: str = "2") -> Path:
    """원본을 모으고 ``sphinx-build`` 로 ``out_dir`` 에 사이트를 만듭니다.

    Raises:
        SiteBuildError: sphinx-build가 실패했을 때(그 출력을 담아).
    """
    src_dir = stage()
    if out_dir.exists():
        shutil.rmtree(out_dir)
    command = [sys.executable, "-m", "sphinx", "-b", "html", "-q", "-j", jobs, "-d", str(src_dir / ".doctrees"),
               str(src_dir), str(out_dir)]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise SiteBuildError(f"sphinx-build가 실패했습니다:\n{result.stdout}\n{result.stderr}")
    warnings = [line for line in result.stderr.splitlines() if "WARNING" in line or "ERROR" in line]
    for line in warnings:
        print(re.sub(re.escape(str(src_dir)) + "/?", "", line), file=sys.stderr)
    return out_dir


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="강좌 웹사이트를 만듭니다(노트북은 실행하지 않음).")
    parser.add_argument("--out", type=Path, default=OUT_DIR, help="출력 폴더(기본: build/site)")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    try:
        out = build(args.out)
    except (SiteBuildError, web_assets.WebAssetError) as error:
        print(f"웹사이트를 만들지 못했습니다: {error}", file=sys.stderr)
        return 1
    pages = len(list(out.glob("**/*.html"))) - len(list(out.glob("_static/**/*.html")))
    print(f"웹사이트를 {out} 에 만들었습니다: HTML {pages}쪽 ({time.perf_counter() - start:.0f}초). "
          f"첫 페이지: {out / 'index.html'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
