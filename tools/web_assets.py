"""슬라이드와 강좌 웹사이트가 쓰는 자바스크립트·글꼴을 로컬 파일로 준비합니다(보는 동안 CDN에 가지 않게).

- 자바스크립트(reveal.js, MathJax 3, require.js, 위젯 관리자)는 ``site/package.json`` 과
  ``site/package-lock.json`` 의 고정된 판을 npm 레지스트리에서 설치할 때 한 번 받아(``build/npm``) 복사합니다.
- 한글 글꼴은 ``koreanize-matplotlib`` 이 설치한 NanumGothic(SIL OFL 1.1)에서 빌드할 때 만듭니다. 원본 .ttf는
  Chromium의 글꼴 검사기(OTS)가 거부합니다("TSI3: zero-length table": 힌팅 도구 VTT의 원본 표가 비어 있음).
  그래서 fontTools(matplotlib의 의존성)로 그 표들(TSI*)만 빼고 WOFF로 싸서 씁니다. 고친 글꼴은 OFL의
  "예약된 글꼴 이름(Reserved Font Name)" 조항을 따라 이름을 ``WEB_FONT_FAMILY`` 로 바꾸고, OFL 전문과 출처를
  ``FONT-LICENSE.txt`` 로 함께 둡니다. 글꼴 파일은 저장소에 넣지 않습니다(굵기마다 2.4 MB, 설치된 패키지에서
  만들면 됩니다).
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

# 보통 굵기와 굵은 글씨만: 본문과 제목·**강조**에 쓰입니다. (원본 파일, 웹 글꼴 파일, CSS font-weight)
FONT_FILES = ("NanumGothic.ttf", "NanumGothicBold.ttf")
WEB_FONTS = (("NanumGothic.ttf", "deeplab-hangul-regular.woff", "normal"),
             ("NanumGothicBold.ttf", "deeplab-hangul-bold.woff", "bold"))
WEB_FONT_FAMILY = "DeepLab Lessons Hangul"
# 고정폭(코드, 출력)용: 라틴 문자는 matplotlib이 함께 설치하는 DejaVu Sans Mono(그대로), 한글은 NanumGothic의
# 한글 글자 폭을 라틴 두 칸으로 맞춘 변형. tables.table()이 화면 폭(한글 = 두 칸)으로 맞춘 표가 <pre>에서 줄이 맞습니다.
MONO_FAMILY = "DeepLab Lessons Mono"
MONO_HANGUL_FAMILY = "DeepLab Lessons Hangul Mono"
MONO_FILES = (("DejaVuSansMono.ttf", "normal"), ("DejaVuSansMono-Bold.ttf", "bold"))
MONO_HANGUL_FILE = "deeplab-hangul-mono.woff"
HANGUL_RANGES = ((0x1100, 0x11FF), (0x3130, 0x318F), (0xAC00, 0xD7A3))
# 본문·제목과 고정폭 글꼴 목록: 앞 글꼴에 없는 한글은 다음 글꼴(우리 한글 글꼴)로 그립니다.
SANS_STACK = f'"{WEB_FONT_FAMILY}", sans-serif'
MONO_STACK = f'"{MONO_FAMILY}", "{MONO_HANGUL_FAMILY}", monospace, "{WEB_FONT_FAMILY}"'
# 고친 글꼴에서 뺄 표: VTT(Visual TrueType)의 원본 표. 화면에 그리는 데는 쓰이지 않습니다.
DROPPED_TABLES = ("TSI0", "TSI1", "TSI2", "TSI3", "TSI5")



def ofl_text() -> str:
    """SIL OFL 1.1 전문: matplotlib이 STIX 글꼴과 함께 설치하는 라이선스 파일에서(npm 없이 make lab 에서도)."""
    import matplotlib

    return (Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "LICENSE_STIX").read_text(encoding="utf-8")

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


def _face(family: str, weight: str, url: str, kind: str) -> str:
    return (f"@font-face {{\n  font-family: \"{family}\";\n  font-weight: {weight};\n"
            f"  font-display: block;\n  src: url(\"{url}\") format(\"{kind}\");\n}}\n")


def font_css(font_url: str) -> str:
    """우리 글꼴들(본문 한글, 고정폭 라틴, 고정폭 한글)을 ``font_url`` 폴더에서 불러오는 @font-face 규칙들."""
    rules = [_face(WEB_FONT_FAMILY, weight, f"{font_url}/{name}", "woff") for _, name, weight in WEB_FONTS]
    rules += [_face(MONO_FAMILY, weight, f"{font_url}/{name}", "truetype") for name, weight in MONO_FILES]
    rules += [_face(MONO_HANGUL_FAMILY, weight, f"{font_url}/{MONO_HANGUL_FILE}", "woff")
              for weight in ("normal", "bold")]
    return "\n".join(rules)


def _mpl_font(name: str) -> Path:
    import matplotlib

    return Path(matplotlib.get_data_path()) / "fonts" / "ttf" / name


def mono_hangul_font(source: Path, target: Path, latin_mono: Path) -> None:
    """한글 글자의 폭을 ``latin_mono`` 의 두 칸으로 맞추고(글자는 가운데로) 이름을 바꾼 WOFF를 씁니다."""
    from fontTools.ttLib import TTFont

    mono = TTFont(latin_mono)
    cell = mono["hmtx"][mono.getBestCmap()[ord("a")]][0] / mono["head"].unitsPerEm
    font = TTFont(source)
    for tag in DROPPED_TABLES:
        if tag in font:
            del font[tag]
    advance = round(2 * cell * font["head"].unitsPerEm)
    glyf, hmtx = font["glyf"], font["hmtx"]
    names = {name for code, name in font.getBestCmap().items()
             if any(low <= code <= high for low, high in HANGUL_RANGES)}
    for name in sorted(names):
        width, _ = hmtx[name]
        shift = (advance - width) // 2
        glyph = glyf[name]
        if glyph.isComposite():
            for component in glyph.components:
                if component.glyphName not in names:
                    component.x += shift
        elif glyph.numberOfContours > 0:
            glyph.coordinates.translate((shift, 0))
        glyph.recalcBounds(glyf)
        hmtx[name] = (advance, getattr(glyph, "xMin", 0))
    _rename(font, MONO_HANGUL_FAMILY)
    _save_woff(font, target)


def _rename(font, family: str) -> None:
    style = str(font["name"].getName(2, 3, 1, 0x409) or "Regular")
    postscript = family.replace(" ", "") + "-" + style.replace(" ", "")
    for record in font["name"].names:
        if record.nameID in (1, 16):
            record.string = family
        elif record.nameID == 4:
            record.string = f"{family} {style}"
        elif record.nameID in (3, 6):
            record.string = postscript


def _save_woff(font, target: Path) -> None:
    font.flavor = "woff"
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".part")
    font.save(partial)
    partial.replace(target)


def web_font(source: Path, target: Path) -> None:
    """NanumGothic .ttf를 브라우저가 받아들이는 WOFF로: VTT 원본 표를 빼고 이름을 바꿉니다."""
    from fontTools.ttLib import TTFont

    font = TTFont(source)
    for tag in DROPPED_TABLES:
        if tag in font:
            del font[tag]
    _rename(font, WEB_FONT_FAMILY)
    _save_woff(font, target)


def font_license(license_text: str, copyright_notice: str) -> str:
    """고친 글꼴과 함께 두는 알림: 원본의 저작권 표시, 바꾼 것, 그리고 SIL OFL 1.1 전문."""
    body = license_text[license_text.index("SIL OPEN FONT LICENSE Version 1.1"):]
    return (
        f"{WEB_FONT_FAMILY} (deeplab-hangul-*.woff)\n\n"
        f"Derived from NanumGothic (PyPI package koreanize-matplotlib): {copyright_notice}\n"
        "NanumGothic is distributed under the SIL Open Font License, Version 1.1.\n\n"
        "Modified by deeplab-lessons at build time: the empty VTT source tables (TSI0-TSI5) were removed so that\n"
        "browsers accept the font, the font was renamed (no Reserved Font Name is used for this modified\n"
        "version), and it is wrapped as WOFF.\n\n"
        + body
    )


def write_fonts(fonts_dir: Path) -> None:
    """``fonts_dir`` 에 웹 글꼴들과 ``FONT-LICENSE.txt`` 를 씁니다(이미 있으면 다시 만들지 않음)."""
    sources = {path.name: path for path in font_files()}
    for original, name, _ in WEB_FONTS:
        if not (fonts_dir / name).is_file():
            web_font(sources[original], fonts_dir / name)
    if not (fonts_dir / MONO_HANGUL_FILE).is_file():
        mono_hangul_font(sources[WEB_FONTS[0][0]], fonts_dir / MONO_HANGUL_FILE, _mpl_font(MONO_FILES[0][0]))
    for name, _ in MONO_FILES:  # DejaVu Sans Mono는 고치지 않고 그대로 복사합니다(라이선스 파일과 함께).
        shutil.copyfile(_mpl_font(name), fonts_dir / name)
    shutil.copyfile(_mpl_font("LICENSE_DEJAVU"), fonts_dir / "LICENSE_DEJAVU.txt")
    from fontTools.ttLib import TTFont

    ofl = ofl_text()
    notice = str(TTFont(sources[WEB_FONTS[0][0]])["name"].getName(0, 3, 1, 0x409))
    (fonts_dir / "FONT-LICENSE.txt").write_text(font_license(ofl, notice), encoding="utf-8")


def install_fonts(fonts_dir: Path) -> None:
    """``fonts_dir`` 에 :func:`font_css` 가 부르는 글꼴 파일 전부와 라이선스 파일을 둡니다.

    슬라이드·웹사이트(:func:`copy_assets`)와 JupyterLab(``tools/lab_custom.py``)이 함께 씁니다. 글꼴 변환은
    ``build/fonts`` 에 한 번만 하고(이미 있으면 다시 만들지 않음) 거기서 복사합니다.

    Raises:
        WebAssetError: 한글 글꼴 파일을 찾지 못했을 때(:func:`font_files`).
    """
    cache = BUILD_DIR / "fonts"
    write_fonts(cache)
    shutil.copytree(cache, fonts_dir, dirs_exist_ok=True)


def copy_assets(static_dir: Path, with_js: bool = True) -> None:
    """``static_dir`` 에 글꼴(``fonts/``)과, ``with_js`` 면 자바스크립트 묶음을 복사합니다."""
    install_fonts(static_dir / "fonts")
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
