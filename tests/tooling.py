"""테스트들이 함께 쓰는 도우미: tools/ 의 모듈 불러오기, Makefile 변수 읽기,
강의 노트북 목록."""

import importlib
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: 강의는 00–10강, 11개입니다. 노트북을 찾는 glob 이 이보다 적게 찾으면 검사가 실패합니다.
LESSON_COUNT = 11


def load_tool(name: str):
    """``tools.<name>`` 모듈(저장소 폴더의 ``tools`` 패키지)."""
    return importlib.import_module(f"tools.{name}")


def makefile_variable(name: str) -> str:
    """Makefile 의 ``NAME := 값`` 한 줄에서 값을 읽습니다."""
    match = re.search(rf"^{name}\s*:?=\s*(.+)$", (ROOT / "Makefile").read_text(encoding="utf-8"), re.M)
    assert match, f"Makefile에 {name} 변수가 없습니다"
    return match.group(1).strip()


def lesson_notebooks(folder: Path = ROOT / "notebooks") -> list[Path]:
    """``folder`` 안의 ``NN_*.ipynb`` 강의 노트북들(번호 순). 기본은 저장소의 ``notebooks/``.

    글로브가 아무것도 찾지 못해 노트북마다 도는 테스트가 0개로 조용히 통과하는 일이 없도록,
    :data:`LESSON_COUNT` 개보다 적으면 ``AssertionError`` 를 냅니다(테스트 모으기 단계에서 실패합니다).
    """
    found = sorted(folder.glob("[0-9][0-9]_*.ipynb"))
    assert len(found) >= LESSON_COUNT, (
        f"{folder} 에서 강의 노트북(NN_*.ipynb)을 {len(found)}개 찾았습니다. {LESSON_COUNT}개 이상이어야 합니다: "
        f"{[p.name for p in found]}")
    return found
