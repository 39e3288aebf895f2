"""tools/ 의 스크립트(패키지가 아님)를 테스트에서 모듈로 불러옵니다."""

import importlib.util
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def load_tool(name: str):
    """``tools/<name>.py`` 를 모듈로 불러옵니다."""
    spec = importlib.util.spec_from_file_location(f"tools_{name}", ROOT / "tools" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def makefile_variable(name: str) -> str:
    """Makefile 의 ``NAME := 값`` 한 줄에서 값을 읽습니다."""
    match = re.search(rf"^{name}\s*:?=\s*(.+)$", (ROOT / "Makefile").read_text(encoding="utf-8"), re.M)
    assert match, f"Makefile에 {name} 변수가 없습니다"
    return match.group(1).strip()
