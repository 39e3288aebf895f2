"""패키지의 구조를 ARCHITECTURE.md 와 맞춰 봅니다: 층의 방향, 고리 없음, TF 없이 불러지기, 파일 크기.

층 목록은 ARCHITECTURE.md 의 ```layers 블록 한 곳에만 있습니다. 가져오기는 소스를 읽어(AST) 찾으므로 함수 안의
가져오기도 셉니다.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "deeplab_lessons"
DOC = ROOT / "ARCHITECTURE.md"
MAX_LINES = 400


def _block(name: str) -> str:
    match = re.search(rf"```{name}\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    assert match, f"ARCHITECTURE.md 에 ```{name} 블록이 없습니다"
    return match.group(1)


def _names(text: str) -> list[str]:
    return [name.strip() for name in text.replace("\n", ",").split(",") if name.strip()]


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {_module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def _layers() -> list[tuple[str, list[str]]]:
    layers = []
    for line in _block("layers").strip().splitlines():
        title, names = line.split(":", 1)
        layers.append((title.strip(), _names(names)))
    return layers


def _layer_of(module: str) -> int | None:
    short = module.removeprefix("deeplab_lessons.") if module != "deeplab_lessons" else module
    for index, (_title, names) in enumerate(_layers()):
        for name in names:
            if short == name or (name.endswith(".*") and short.startswith(name[:-1])):
                return index
    return None


def _resolve(name: str) -> str | None:
    """가져오는 이름을 패키지 모듈 이름으로(``…pretrained.load_model`` → ``deeplab_lessons.pretrained``)."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def _imports(path: Path) -> set[tuple[str, int]]:
    """``(가져오는 패키지 모듈, 줄 번호)``. 모듈 수준과 함수 안의 가져오기 모두."""
    module = _module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parent + ([base] if base else []))
            targets = [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        for target in targets:
            if target.startswith("deeplab_lessons"):
                resolved = _resolve(target)
                if resolved and resolved != module:
                    found.add((resolved, node.lineno))
    return found


GRAPH = {module: _imports(path) for module, path in MODULES.items()}


def test_every_module_has_a_declared_layer():
    missing = [module for module in MODULES if _layer_of(module) is None]
    assert not missing, f"ARCHITECTURE.md 의 층 목록에 없는 모듈: {missing}. 자리를 정해 적으세요."


def test_no_import_runs_up_the_layers():
    titles = [title for title, _ in _layers()]
    upward = []
    for module, edges in GRAPH.items():
        for target, line in sorted(edges):
            if _layer_of(target) > _layer_of(module):
                upward.append(f"{MODULES[module].relative_to(ROOT)}:{line} ({titles[_layer_of(module)]}) → "
                              f"{target} ({titles[_layer_of(target)]})")
    assert not upward, "아래층이 위층을 가져옵니다:\n" + "\n".join(upward)


def test_imports_have_no_cycles():
    edges = {module: {target for target, _ in targets} for module, targets in GRAPH.items()}
    state: dict[str, int] = {}
    stack: list[str] = []
    cycles = []

    def visit(module: str) -> None:
        state[module] = 1
        stack.append(module)
        for target in sorted(edges[module]):
            if state.get(target) == 1:
                cycles.append(stack[stack.index(target):] + [target])
            elif target not in state:
                visit(target)
        stack.pop()
        state[module] = 2

    for module in sorted(edges):
        if module not in state:
            visit(module)
    assert not cycles, "가져오기 고리: " + "; ".join(" → ".join(cycle) for cycle in cycles)


def test_the_checker_sees_function_level_and_package_imports():
    """검사기 자신의 검사: 함수 안의 가져오기와 ``from 패키지 import 모듈`` 을 놓치지 않습니다."""
    assert any(target == "deeplab_lessons.exercise_bank" for target, _ in GRAPH["deeplab_lessons.exercises"])
    assert any(target == "deeplab_lessons.refine" for target, _ in GRAPH["deeplab_lessons.pretrained.inference"])
    function_level = [target for target, _ in GRAPH["deeplab_lessons.pretrained"]]
    assert "deeplab_lessons.pretrained.backends" in function_level          # load_model 안의 가져오기
    assert _layer_of("deeplab_lessons.pretrained.files") == _layer_of("deeplab_lessons.refine")


TF_MODULES = {f"deeplab_lessons.{name}" for name in _names(_block("tf-modules"))}


def test_only_network_builders_import_tensorflow():
    """선언한 네트워크 모듈 말고는 모두 TF 없이 불러집니다(한 프로세스에서 모듈마다 새로 불러 봄)."""
    candidates = [module for module in MODULES if module not in TF_MODULES and not module.endswith("__main__")]
    code = ("import importlib, sys\n"
            "for name in sys.argv[1:]:\n"
            "    before = set(sys.modules)\n"
            "    importlib.import_module(name)\n"
            "    if 'tensorflow' in sys.modules:\n"
            "        print(name); break\n")
    result = subprocess.run([sys.executable, "-c", code, *candidates], capture_output=True, text=True, timeout=300,
                            cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", f"TF를 불러오는 모듈(ARCHITECTURE.md 의 목록 밖): {result.stdout.strip()}"


@pytest.mark.parametrize("module", sorted(TF_MODULES))
def test_declared_network_modules_exist(module):
    assert module in MODULES, f"ARCHITECTURE.md 의 tf-modules 에 없는 모듈 {module}"


def test_package_files_stay_small():
    allowed = {line.split(":", 1)[0].strip() for line in _block("large-files").strip().splitlines() if line.strip()}
    large = {str(path.relative_to(ROOT)): n for path in MODULES.values()
             if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    unexplained = {path: n for path, n in large.items() if path not in allowed}
    assert not unexplained, (f"{MAX_LINES}줄이 넘는 파일: {unexplained}. 나누거나 ARCHITECTURE.md 의 "
                             "large-files 에 이유와 함께 적으세요.")


def test_no_lesson_numbers_in_the_package():
    """강의 번호("3강")는 강좌 지도(course.py)만 압니다. 패키지의 글은 노트북 이름으로 가리킵니다."""
    found = [f"{path.relative_to(ROOT)}:{number}: {line.strip()[:60]}"
             for path in MODULES.values()
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if re.search(r"\d+(?:[–·]\d+)?강(?![가-힣])|\d+(?:[–·]\d+)?강[의은이에과:]", line)]
    assert not found, "패키지에 강의 번호가 있습니다:\n" + "\n".join(found)


PLUMBING = {"exercises", "figures", "viz", "tables", "progress", "errors"}


def _notebook_modules(notebook: Path) -> set[str]:
    """노트북의 코드 셀이 가져오는 패키지 모듈(``deeplab_lessons.`` 을 뗀 이름)."""
    import json

    found = set()
    for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]:
        if cell["cell_type"] != "code":
            continue
        source = "\n".join(line for line in "".join(cell["source"]).splitlines()
                           if not line.lstrip().startswith(("%", "!")))
        for node in ast.walk(ast.parse(source)):
            names = []
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("deeplab_lessons"):
                names = [f"{node.module}.{alias.name}" for alias in node.names]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names if alias.name.startswith("deeplab_lessons")]
            for name in names:
                resolved = _resolve(name)
                if resolved and resolved != "deeplab_lessons":
                    found.add(resolved.removeprefix("deeplab_lessons."))
    return found


def test_course_modules_match_the_notebooks_imports():
    from deeplab_lessons import course

    imported_anywhere, listed_anywhere = set(), set()
    for lesson in course.LESSONS:
        imported = _notebook_modules(ROOT / "notebooks" / lesson.notebook)
        listed = {name.strip() for name in lesson.modules.split(",")}
        assert listed <= imported, f"{lesson.notebook}: 강좌 지도에 적었지만 가져오지 않는 모듈 {listed - imported}"
        imported_anywhere |= imported
        listed_anywhere |= listed
    covered = {m for m in imported_anywhere
               if m in listed_anywhere or m.split(".")[0] in listed_anywhere or m.split(".")[0] in PLUMBING}
    assert imported_anywhere == covered, f"어느 강의에도 적히지 않은 모듈: {sorted(imported_anywhere - covered)}"


def test_exercise_bank_is_one_small_file_per_lesson():
    """문제 은행은 강의마다 파일 하나(이름 = 노트북 이름에서 번호를 뺀 것), 파일마다 300줄 이하."""
    from deeplab_lessons.exercise_bank import BANK

    bank = PACKAGE / "exercise_bank"
    files = {path.stem for path in bank.glob("*.py") if not path.stem.startswith("_")}
    slugs = {path.stem.split("_", 1)[1] for path in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")}
    assert files <= slugs, f"노트북이 없는 문제 파일: {files - slugs}"
    assert {exercise.lesson for exercise in BANK.values()} == files
    sizes = {name: len((bank / f"{name}.py").read_text(encoding="utf-8").splitlines()) for name in files}
    long = {name: n for name, n in sizes.items() if n > 300}
    assert not long, f"300줄이 넘는 문제 파일: {long}"
