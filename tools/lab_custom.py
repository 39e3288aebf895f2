"""`make lab` 이 JupyterLab에 한글 웹 글꼴을 주는 사용자 CSS(custom.css)를 만듭니다.

시스템에 한국어 글꼴이 없는 Linux 노트북에서도 JupyterLab의 마크다운·코드·출력의 한글이 네모(□)로 깨지지
않도록, 슬라이드·웹사이트와 같은 웹 글꼴(``web_assets.WEB_FONT_FAMILY``)을 JupyterLab 서버가 직접 줍니다.
JupyterLab은 ``--LabApp.custom_css=True`` 일 때 ``ServerApp.static_custom_path`` 폴더의 ``custom.css`` 와
그 옆 파일들을 ``/custom/…`` 주소로 제공합니다(Makefile의 ``LAB_SERVER_ARGS``).

    python -m tools.lab_custom build/lab-custom
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tools import web_assets

DEFAULT_DIR = web_assets.BUILD_DIR / "lab-custom"


def custom_css() -> str:
    """JupyterLab용 CSS: @font-face와, 글꼴 목록 변수.

    본문·화면 글꼴은 JupyterLab의 목록 맨 뒤에 우리 한글 글꼴을 덧붙입니다(라틴 문자는 시스템 UI 글꼴 그대로,
    한글은 목록의 다음인 우리 글꼴). 코드·출력은 우리 고정폭 글꼴(한글 = 라틴 두 칸)로 표의 줄이 맞습니다.
    테마가 ``:root`` 에 정한 변수보다 ``html body`` 가 가까워 이깁니다.
    """
    family = f'"{web_assets.WEB_FONT_FAMILY}"'
    return web_assets.font_css("fonts") + f"""
html body {{
  --jp-ui-font-family: system-ui, -apple-system, blinkmacsystemfont, "Segoe UI", helvetica, arial, sans-serif,
    {family};
  --jp-content-font-family: system-ui, -apple-system, blinkmacsystemfont, "Segoe UI", helvetica, arial,
    sans-serif, {family};
  --jp-code-font-family: {web_assets.MONO_STACK};
}}
"""


def write(folder: Path) -> Path:
    """``folder`` 에 ``custom.css`` 와 ``fonts/`` 를 쓰고 custom.css 경로를 돌려줍니다."""
    folder.mkdir(parents=True, exist_ok=True)
    web_assets.install_fonts(folder / "fonts")
    target = folder / "custom.css"
    target.write_text(custom_css(), encoding="utf-8")
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="JupyterLab에 한글 웹 글꼴을 주는 custom.css를 만듭니다.")
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT_DIR)
    args = parser.parse_args(argv)
    try:
        target = write(args.folder)
    except web_assets.WebAssetError as error:
        print(f"JupyterLab 글꼴 CSS를 만들지 못했습니다: {error}", file=sys.stderr)
        return 1
    print(f"JupyterLab 한글 글꼴 CSS: {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
