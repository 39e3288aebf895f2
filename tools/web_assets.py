"""슬라이드와 강좌 웹사이트가 쓰는 자바스크립트·글꼴을 로컬 파일로 준비합니다(보는 동안 CDN에 가지 않게).

- 자바스크립트(reveal.js, MathJax 3, require.js, 위젯 관리자)는 ``site/package.json`` 과
  ``site/package-lock.json`` 의 고정된 판을 npm 레지스트리에서 설치할 때 한 번 받아(``build/npm``) 복사합니다.
- 한글 글꼴은 ``koreanize-matplotlib`` 이 설치한 NanumGothic(SIL OFL) 파일을 복사합니다. 글꼴 파일은
  저장소에 넣지 않습니다(한 굵기에 4.5 MB; 설치된 패키지에서 빌드할 때 가져오면 됩니다).
"""

from __future__ import annotations

import importlib.metadata
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SITE_DIR = ROOT / "site"
BUILD_DIR = ROOT / "build"
NPM_DIR = BUILD_DIR / "npm"

# 보통 굵기와 굵은 글씨만: 본문과 제목·**강조**에 쓰입니다.
FONT_FILES = ("NanumGothic.ttf", "NanumGothicBold.ttf")
FONT_FAMILY = "NanumGothic"

# npm 패키지 안에서 복사할 것: (패키지 안 경로, _static 안 경로)
JS_ASSETS = (
    ("reveal.js/dist", "reveal.js/dist"),
    ("reveal.js/plugin/notes", "reveal.js/plugin/notes"),
    ("mathjax/es5", "mathjax"),
    ("requirejs/require.js", "require.js"),
    ("@jupyter-widgets/html-manager/dist", "html-manager"),
)


class WebAssetError(RuntimeError):
    """필요한 도구나 파일이 없어 웹 자산을 준비하지 못할 때."""


def npm_modules() -> Path:
    """``build/npm/node_modules`` 를 (필요하면 ``npm ci`` 로) 준비해 돌려줍니다.

    Raises:
        WebAssetError: npm이 없거나 설치가 실패했을 때.
    """
    lock = SITE_DIR / "package-lock.json"
    modules = NPM_DIR / "node_modules"
    stamp = NPM_DIR / ".lock-copy.json"
    if stamp.is_file() and stamp.read_bytes() == lock.read_bytes() and modules.is_dir():
        return modules
    npm = shutil.which("npm")
    if npm is None:
        raise WebAssetError(
            "npm을 찾지 못했습니다. 슬라이드·웹사이트의 reveal.js와 MathJax를 npm 레지스트리에서 받습니다. "
            "Debian/Ubuntu: `sudo apt-get install npm`, macOS: `brew install node`."
        )
    NPM_DIR.mkdir(parents=True, exist_ok=True)
    for name in ("package.json", "package-lock.json"):
        shutil.copyfile(SITE_DIR / name, NPM_DIR / name)
    result = subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error"],
                            cwd=NPM_DIR, capture_output=True, text=True)
    if result.returncode != 0:
        raise WebAssetError(f"`npm ci` 가 실패했습니다(npm 레지스트리에 닿는지 확인하세요):\n{result.stderr}")
    shutil.copyfile(lock, stamp)
    return modules


def font_files() -> list[Path]:
    """설치된 ``koreanize-matplotlib`` 의 NanumGothic 글꼴 파일(``FONT_FILES`` 순서).

    Raises:
        WebAssetError: 패키지나 글꼴 파일이 없을 때.
    """
    try:
        files = importlib.metadata.files("koreanize-matplotlib") or []
    except importlib.metadata.PackageNotFoundError:
        files = []
    found = {Path(f).name: Path(f.locate()) for f in files if Path(f).name in FONT_FILES}
    missing = [name for name in FONT_FILES if name not in found or not found[name].is_file()]
    if missing:
        raise WebAssetError(
            f"한글 글꼴 파일 {missing}을 찾지 못했습니다. `pip install koreanize-matplotlib` 로 설치하세요."
        )
    return [found[name] for name in FONT_FILES]


def font_css(font_url: str) -> str:
    """NanumGothic을 ``font_url`` 폴더에서 불러오는 @font-face 규칙들."""
    rules = []
    for name, weight in zip(FONT_FILES, ("normal", "bold"), strict=True):
        rules.append(
            f"@font-face {{\n  font-family: \"{FONT_FAMILY}\";\n  font-weight: {weight};\n"
            f"  font-display: block;\n  src: url(\"{font_url}/{name}\") format(\"truetype\");\n}}\n"
        )
    return "\n".join(rules)


def copy_assets(static_dir: Path, with_js: bool = True) -> None:
    """``static_dir`` 에 글꼴(``fonts/``)과, ``with_js`` 면 자바스크립트 묶음을 복사합니다."""
    fonts = static_dir / "fonts"
    fonts.mkdir(parents=True, exist_ok=True)
    for path in font_files():
        shutil.copyfile(path, fonts / path.name)
    if not with_js:
        return
    modules = npm_modules()
    for source, target in JS_ASSETS:
        src, dst = modules / source, static_dir / target
        if src.is_dir():
            shutil.copytree(src, dst, dirs_exist_ok=True)
        else:
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, dst)
