"""학습자의 작업 폴더 workspace/ : 강의 노트북의 사본.

git이 추적하지 않으므로 실행·수정해도 `git pull` 과 부딪치지 않습니다.

    python -m tools.workspace prepare   # make lab 이 매번 부름: 없는 사본만 복사하고, 강의가 바뀐 사본을 알림
    python -m tools.workspace refresh   # make workspace-refresh: 강의가 바뀐 사본을 새 판으로(고친 사본은 먼저 백업)

workspace/ 는 저장소 루트에 있어, 노트북의 ``../images/...`` 가 원본(notebooks/)에서와 똑같이 풀립니다.
어느 판의 강의를 복사했는지는 workspace/.course-versions.json 에 파일마다 SHA-256으로 적어 둡니다. 그래야
"학습자가 고친 사본"과 "강의가 바뀐 사본"을 가를 수 있습니다. 학습자의 글은 어떤 경우에도 지우지 않습니다:
덮어쓰기 전에 workspace/backup-<시각>/ 으로 옮깁니다. 테스트: tests/test_workspace.py
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sys
import time
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent.parent
COURSE = REPOSITORY / "notebooks"
WORKSPACE = REPOSITORY / "workspace"
RECORD = ".course-versions.json"


def course_files(course: Path) -> list[Path]:
    """학습자에게 복사할 강의 파일: 노트북 전부와 노트북이 링크하는 문서(README.md 는 원본 폴더의 안내라 뺌)."""
    files = sorted(course.glob("*.ipynb")) + sorted(p for p in course.glob("*.md") if p.name != "README.md")
    return [p for p in files if p.is_file()]


def digest(path: Path) -> str:
    """파일 내용의 SHA-256 (16진수)."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _read_record(workspace: Path) -> dict:
    try:
        return json.loads((workspace / RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _write_record(workspace: Path, record: dict) -> None:
    tmp = workspace / (RECORD + ".tmp")
    tmp.write_text(json.dumps(record, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(tmp, workspace / RECORD)


def _copy(source: Path, target: Path) -> None:
    """임시 이름으로 복사한 뒤 이름을 바꿉니다(중간에 끊겨도 반쯤 쓴 노트북이 남지 않음)."""
    tmp = target.with_name(f".{target.name}.tmp")
    shutil.copyfile(source, tmp)
    os.replace(tmp, target)


def status(course: Path, workspace: Path) -> dict[str, list[str]]:
    """파일 이름을 네 묶음으로: ``missing`` (사본 없음), ``current`` (강의와 같음),
    ``course_changed`` (복사한 뒤 강의가 바뀜), ``edited`` (학습자가 고치거나 실행함, 강의는 그대로)."""
    record = _read_record(workspace)
    groups: dict[str, list[str]] = {"missing": [], "current": [], "course_changed": [], "edited": []}
    for source in course_files(course):
        copy = workspace / source.name
        if not copy.is_file():
            groups["missing"].append(source.name)
            continue
        course_now, copy_now = digest(source), digest(copy)
        copied_from = record.get(source.name)
        if course_now == copy_now:
            groups["current"].append(source.name)
        elif copied_from is not None and copied_from == course_now:
            groups["edited"].append(source.name)
        else:  # 기록이 없으면 강의가 바뀐 것으로 봅니다(refresh 가 사본을 백업하므로 잃는 것은 없음).
            groups["course_changed"].append(source.name)
    return groups


def prepare(course: Path = COURSE, workspace: Path = WORKSPACE, out=sys.stdout) -> dict[str, list[str]]:
    """없는 사본만 복사합니다(있는 사본은 절대 덮어쓰지 않음). 강의가 바뀐 사본이 있으면 알립니다."""
    workspace.mkdir(exist_ok=True)
    groups = status(course, workspace)
    record = _read_record(workspace)
    for name in groups["missing"]:
        _copy(course / name, workspace / name)
        record[name] = digest(course / name)
    for name in groups["current"]:
        record[name] = digest(course / name)
    _write_record(workspace, record)
    where = workspace.name + "/"
    if groups["missing"]:
        print(f"강의 파일 {len(groups['missing'])}개({', '.join(groups['missing'])})를 여러분의 작업 폴더 {where} 에 "
              "복사했습니다.", file=out)
    print(f"여러분의 노트북은 {where} 에 있습니다(git이 추적하지 않음). "
          f"강의 원본 {course.name}/ 은 고치지 마세요.", file=out)
    if groups["course_changed"]:
        print(f"강의가 바뀐 노트북이 있습니다: {', '.join(groups['course_changed'])}\n"
              f"  새 판으로 바꾸려면 make workspace-refresh (여러분이 고친 사본은 먼저 백업합니다).", file=out)
    return groups


def refresh(course: Path = COURSE, workspace: Path = WORKSPACE, out=sys.stdout,
            stamp: str | None = None) -> Path | None:
    """강의가 바뀌었거나 없는 사본을 강의의 새 판으로 바꿉니다. 학습자가 고친(강의 판과 다른) 사본은 먼저
    ``workspace/backup-<시각>/`` 으로 옮깁니다. 학습자가 고쳤지만 강의는 그대로인 사본은 건드리지 않습니다.
    백업 폴더(없으면 ``None``)를 돌려줍니다."""
    workspace.mkdir(exist_ok=True)
    groups = status(course, workspace)
    record = _read_record(workspace)
    backup = workspace / f"backup-{stamp or time.strftime('%Y%m%d-%H%M%S')}"
    backed_up = []
    for name in groups["course_changed"]:
        copy = workspace / name
        if record.get(name) != digest(copy):  # 학습자가 손댄 사본: 지우지 않고 옮겨 둡니다.
            backup.mkdir(exist_ok=True)
            os.replace(copy, backup / name)
            backed_up.append(name)
    for name in groups["course_changed"] + groups["missing"]:
        _copy(course / name, workspace / name)
        record[name] = digest(course / name)
    _write_record(workspace, record)
    updated = groups["course_changed"] + groups["missing"]
    print(f"새 판으로 바꾼 노트북 {len(updated)}개" + (f": {', '.join(updated)}" if updated else ""), file=out)
    if backed_up:
        print(f"여러분이 고친 사본 {len(backed_up)}개는 {workspace.name}/{backup.name}/ 으로 옮겨 두었습니다: "
              f"{', '.join(backed_up)}", file=out)
    if groups["edited"]:
        print(f"강의가 그대로라 손대지 않은 여러분의 노트북: {', '.join(groups['edited'])}\n"
              f"  처음 상태로 되돌리려면 그 파일을 지우고(또는 옮기고) make lab 을 다시 실행하세요.", file=out)
    return backup if backed_up else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="학습자의 작업 폴더 workspace/ 를 준비하거나 새 판으로 바꿉니다.")
    parser.add_argument("command", choices=["prepare", "refresh"], help="prepare: 없는 사본만 복사, refresh: 새 판으로")
    args = parser.parse_args(argv)
    (prepare if args.command == "prepare" else refresh)()
    return 0


if __name__ == "__main__":
    sys.exit(main())
