"""그림 설정과 공통 그림 도우미. 노트북과 명령줄만 이 모듈을 가져다 씁니다.

:func:`setup` 한 번이면 matplotlib의 제목·축·범례에 한글이 깨지지 않고, 음수 눈금도 제대로 보입니다.
"""

from __future__ import annotations

import importlib.metadata
from pathlib import Path

import matplotlib
import numpy as np
from matplotlib import font_manager

from deeplab_lessons import voc
from deeplab_lessons.errors import DeepLabLessonsError

#: 시스템에 있으면 먼저 쓰는 한국어 글꼴(앞의 것이 우선).
SYSTEM_KOREAN_FONTS = (
    "NanumGothic", "Noto Sans CJK KR", "Noto Sans KR", "Malgun Gothic",
    "AppleGothic", "Apple SD Gothic Neo",
)
#: 한글이 없는 글리프(수학 기호 등)를 대신 그릴 글꼴.
FALLBACK_FONT = "DejaVu Sans"


def _bundled_font_files() -> list[Path]:
    """koreanize-matplotlib이 함께 설치한 NanumGothic 글꼴 파일 경로들.

    그 패키지를 import하지 않고(0.1.1은 Python 3.12+에서 import가 실패) 설치 기록만 읽습니다.
    """
    try:
        files = importlib.metadata.files("koreanize-matplotlib") or []
    except importlib.metadata.PackageNotFoundError:
        return []
    return [Path(f.locate()) for f in files if f.suffix == ".ttf" and Path(f.locate()).is_file()]


def korean_font(candidates: tuple[str, ...] = SYSTEM_KOREAN_FONTS) -> str:
    """쓸 한국어 글꼴 이름을 고릅니다: 시스템 글꼴이 있으면 그것, 없으면 함께 설치된 NanumGothic.

    Raises:
        DeepLabLessonsError: 한국어 글꼴을 하나도 찾지 못했을 때.
    """
    installed = {font.name for font in font_manager.fontManager.ttflist}
    for name in candidates:
        if name in installed:
            return name
    bundled = _bundled_font_files()
    for path in bundled:
        font_manager.fontManager.addfont(str(path))
    if bundled:
        return font_manager.FontProperties(fname=str(bundled[0])).get_name()
    raise DeepLabLessonsError(
        "한국어 글꼴을 찾지 못했습니다. `pip install koreanize-matplotlib` 로 NanumGothic 글꼴을 "
        "설치하거나, 시스템에 나눔고딕/Noto Sans CJK KR 글꼴을 설치하세요. (no Korean font found)"
    )


def setup(dpi: int = 100, candidates: tuple[str, ...] = SYSTEM_KOREAN_FONTS) -> str:
    """모든 노트북의 첫 셀에서 부르는 그림 설정. 고른 한국어 글꼴 이름을 돌려줍니다.

    - 한국어 글꼴을 기본으로, 그 글꼴에 없는 기호는 DejaVu Sans로 그립니다(글꼴 대체 목록).
    - ``axes.unicode_minus = False``: 음수 눈금의 빼기 기호가 네모로 깨지지 않게 합니다.
    """
    name = korean_font(candidates)
    matplotlib.rcParams["font.family"] = [name, FALLBACK_FONT]
    matplotlib.rcParams["axes.unicode_minus"] = False
    matplotlib.rcParams["figure.dpi"] = dpi
    matplotlib.rcParams["savefig.dpi"] = dpi
    matplotlib.rcParams["savefig.bbox"] = "tight"
    matplotlib.rcParams["image.interpolation"] = "nearest"
    matplotlib.rcParams["axes.titlesize"] = 12
    _show_figures_inline()
    return name


def _show_figures_inline() -> None:
    """IPython(주피터) 안이면, 셀이 돌려준 ``Figure`` 를 PNG 그림으로 보이게 합니다.

    그림 함수들은 pyplot을 쓰지 않으므로 인라인 백엔드가 저절로 켜지지 않습니다.
    """
    try:
        from IPython import get_ipython
        from matplotlib_inline.backend_inline import set_matplotlib_formats
    except ImportError:
        return
    if get_ipython() is not None:
        set_matplotlib_formats("png")


def show_label_map(ax, label_map: np.ndarray, title: str = "", annotate: bool = True) -> None:
    """클래스 번호 지도를 VOC 색으로 그리고, 작은 지도면 칸마다 번호를 적습니다."""
    label_map = np.asarray(label_map)
    ax.imshow(voc.label_to_color(label_map))
    if annotate and label_map.size <= 400:
        for (row, col), value in np.ndenumerate(label_map):
            ax.text(col, row, str(value), ha="center", va="center", fontsize=8, color="white")
    ax.set_title(title)
    ax.set_xticks([])
    ax.set_yticks([])


def class_legend(ax, class_ids, fontsize: int = 9, loc: str = "upper left") -> None:
    """주어진 클래스 번호들의 색 견본과 한국어(영어) 이름으로 범례를 그립니다."""
    from matplotlib.patches import Patch

    cmap = voc.colormap()
    handles = [Patch(facecolor=cmap[i] / 255, edgecolor="gray", label=voc.class_label(int(i)))
               for i in class_ids]
    ax.legend(handles=handles, fontsize=fontsize, loc=loc, frameon=False)
    ax.axis("off")


def overlay(rgb: np.ndarray, mask: np.ndarray, alpha: float = 0.6) -> np.ndarray:
    """영상 위에 클래스 색을 ``alpha`` 만큼 섞은 ``(H, W, 3)`` uint8 영상(배경 화소는 영상 그대로)."""
    color = voc.label_to_color(mask).astype(np.float32)
    blended = rgb.astype(np.float32) * (1 - alpha) + color * alpha
    keep = (np.asarray(mask) == 0)[..., None]
    return np.where(keep, rgb, blended).round().astype(np.uint8)
