"""학습자의 복제본에는 ``../shared`` 가 없습니다: 패키지·노트북·도구는 그 경로를 쓰지 않고, 테스트 중에 읽으면 실패."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GUARD = Path(__file__).resolve().parent / "guard"


def _run_guarded(tmp_path, code: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(GUARD), "DEEPLAB_LESSONS_FORBIDDEN_DIR": str(tmp_path / "shared"),
           "DEEPLAB_LESSONS_MODEL_DIR": str(tmp_path / "shared" / "models")}
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)


def test_guard_refuses_shared_but_allows_the_model_stand_in(tmp_path):
    for folder in ("voc_sample", "models"):
        (tmp_path / "shared" / folder).mkdir(parents=True)
        (tmp_path / "shared" / folder / "f.txt").write_text("x")
    allowed = _run_guarded(tmp_path, f"print(open({str(tmp_path / 'shared/models/f.txt')!r}).read())")
    assert allowed.returncode == 0 and allowed.stdout.strip() == "x", allowed.stderr
    for code in (f"open({str(tmp_path / 'shared/voc_sample/f.txt')!r})",
                 f"import os; os.listdir({str(tmp_path / 'shared/voc_sample')!r})",
                 f"import pathlib; list(pathlib.Path({str(tmp_path / 'shared')!r}).iterdir())"):
        refused = _run_guarded(tmp_path, code)
        assert refused.returncode != 0 and "../shared 를 읽으면 안 됩니다" in refused.stderr, code


def test_guard_is_active_here_and_in_kernels():
    assert str(GUARD) in os.environ["PYTHONPATH"].split(os.pathsep)
    assert os.environ["DEEPLAB_LESSONS_FORBIDDEN_DIR"].endswith("shared")


def _sources():
    for path in sorted((ROOT / "deeplab_lessons").rglob("*.py")):
        yield path, path.read_text(encoding="utf-8")
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        yield path, "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    for folder in ("tools", "benchmarks"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            yield path, path.read_text(encoding="utf-8")


def test_no_source_points_at_shared():
    offenders = [path.relative_to(ROOT).as_posix() for path, text in _sources()
                 if "../shared" in text or '"shared"' in text or "'shared'" in text]
    assert offenders == []
