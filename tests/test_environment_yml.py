"""environment.yml (conda)과 pyproject.toml (pip)의 패키지 목록이 어긋나지 않는지 검사합니다."""

import importlib.metadata
import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
_SPLIT = re.compile(r"^([A-Za-z0-9_.\-]+)\s*(.*)$")


def _parse(spec: str) -> tuple[str, str]:
    name, version = _SPLIT.match(spec.strip()).groups()
    return name.lower().replace("_", "-"), version.replace(" ", "")


def _pyproject() -> dict[str, str]:
    """설치된 패키지의 메타데이터(= pyproject.toml의 dependencies와 선택 의존성). [reference]는 뺍니다: C++ 컴파일러로
    소스에서 짓는 비교 기준(pydensecrf2)이라 CI만 설치하고, 학습자의 conda 환경에는 넣지 않습니다."""
    specs = importlib.metadata.requires("deeplab-lessons")
    return dict(_parse(s.split(";")[0]) for s in specs if 'extra == "reference"' not in s)


def _environment() -> dict[str, str]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    specs = []
    for item in env["dependencies"]:
        if isinstance(item, dict):
            specs += [s for s in item["pip"] if not s.startswith("-")]
        elif not item.startswith(("python", "pip")):
            specs.append(item)
    return dict(_parse(s.split(";")[0]) for s in specs)


def test_same_packages_and_versions():
    assert _environment() == _pyproject()


def test_same_python_range():
    requires_python = importlib.metadata.metadata("deeplab-lessons")["Requires-Python"]
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    conda_python = next(d for d in env["dependencies"] if str(d).startswith("python"))
    assert sorted(conda_python[len("python"):].split(",")) == sorted(requires_python.split(","))
