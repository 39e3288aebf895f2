"""학습자의 작업 폴더 workspace/ : 강의 노트북의 사본.

git이 추적하지 않으므로 실행·수정해도 `git pull` 과 부딪치지 않습니다.

    python -m tools.workspace prepare   # make lab 이 매번 부름: 없는 사본만 복사하고, 강의가 바뀐 사본을 알림
    python -m tools.workspace refresh   # make workspace-refresh: 강의가 바뀐 사본을 새 버전으로(고친 사본은 먼저 백업)

workspace/ 는 저장소 루트에 있어, 노트북의 ``../images/...`` 가 원본(notebooks/)에서와 똑같이 풀립니다.
어느 버전의 강의를 복사했는지는 workspace/.course-versions.json 에 파일마다 SHA-256으로 적어 둡니다. 그래야
"학습자가 고친 사본"과 "강의가 바뀐 사본"을 가를 수 있습니다. 학습자의 글은 어떤 경우에도 지우지 않습니다:
덮어쓰기 전에 workspace/backup-<시각>/ 으로 옮깁니다. 테스트: tests/test_workspace.py
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import time
from pathlib import Path

from deeplab_lessons.safe_files import os_error_reason as why

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


def read_record(workspace: Path) -> tuple[dict, str | None]:
    """``(기록, 문제)``: 기록 파일이 없으면 ``({}, None)``, 읽을 수 없거나 깨졌으면 ``({}, 한국어 설명)``.

    깨진 기록은 믿지 않습니다(빈 기록으로 보고, 그 사실을 알립니다).
    """
    path = workspace / RECORD
    where = f"{workspace.name}/{RECORD}"
    if not os.path.lexists(path):
        return {}, None
    if path.is_dir():
        return {}, (f"기록 파일 {where} 이(가) 폴더입니다. 그 폴더를 다른 곳으로 옮기거나 지우세요"
                    "(그동안은 어느 사본을 고쳤는지 모른 채로 진행합니다).")
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        return {}, f"기록 파일 {where} 을(를) 읽을 수 없습니다({why(error)}). 권한을 고치거나 파일을 지우세요."
    except ValueError:
        record = None
    if not isinstance(record, dict) or not all(isinstance(v, str) for v in record.values()):
        return {}, (f"기록 파일 {where} 이(가) 깨져 있어 믿지 않습니다. make workspace-refresh 가 강의와 다른 사본을 "
                    "모두 백업한 뒤 새 기록을 만듭니다.")
    return record, None


def _write_record(workspace: Path, record: dict) -> None:
    """기록을 임시 파일에 다 쓴 뒤 제자리로(실패하면 임시 파일을 지우고 OSError)."""
    tmp = workspace / (RECORD + ".tmp")
    try:
        tmp.write_text(json.dumps(record, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        os.replace(tmp, workspace / RECORD)
    except BaseException:
        _remove_quietly(tmp)
        raise


def _copy(source: Path, target: Path) -> None:
    """임시 이름으로 복사한 뒤 이름을 바꿉니다(중간에 끊기거나 실패해도 반쯤 쓴 노트북도 임시 파일도 남지 않음)."""
    tmp = target.with_name(f".{target.name}.tmp")
    try:
        shutil.copyfile(source, tmp)
        os.replace(tmp, target)
    except BaseException:
        _remove_quietly(tmp)
        raise


def _remove_quietly(path: Path) -> None:
    try:
        if path.is_file() or path.is_symlink():
            path.unlink()
    except OSError:
        pass


def status(course: Path, workspace: Path, record: dict | None = None) -> dict[str, list[str]]:
    """파일 이름을 다섯 묶음으로: ``missing`` (사본 없음), ``current`` (강의와 같음),
    ``course_changed`` (복사한 뒤 강의가 바뀜), ``edited`` (학습자가 고치거나 실행함, 강의는 그대로),
    ``blocked`` (그 이름에 파일이 아닌 것이 있거나 읽을 수 없어 건드리지 않음)."""
    if record is None:
        record = read_record(workspace)[0]
    groups: dict[str, list[str]] = {"missing": [], "current": [], "course_changed": [], "edited": [], "blocked": []}
    for source in course_files(course):
        copy = workspace / source.name
        if not os.path.lexists(copy):
            groups["missing"].append(source.name)
            continue
        try:
            if not copy.is_file():
                raise IsADirectoryError
            course_now, copy_now = digest(source), digest(copy)
        except OSError:
            groups["blocked"].append(source.name)
            continue
        copied_from = record.get(source.name)
        if course_now == copy_now:
            groups["current"].append(source.name)
        elif copied_from is not None and copied_from == course_now:
            groups["edited"].append(source.name)
        else:  # 기록이 없으면 강의가 바뀐 것으로 봅니다(refresh 가 사본을 백업하므로 잃는 것은 없음).
            groups["course_changed"].append(source.name)
    return groups


def _open_workspace(workspace: Path, out) -> bool:
    """작업 폴더를 만들거나 확인합니다. 쓸 수 없으면 한국어로 알리고 ``False``."""
    try:
        workspace.mkdir(exist_ok=True)
        return True
    except FileExistsError:
        print(f"[workspace] {workspace.name} 이(가) 폴더가 아니라 파일입니다. 그 파일을 다른 이름으로 옮기면 다음 "
              "make lab 이 강의 사본을 만듭니다(이번에는 사본 없이 시작합니다).", file=out)
    except OSError as error:
        print(f"[workspace] 작업 폴더 {workspace.name}/ 을(를) 만들 수 없습니다({why(error)}). 저장소 폴더의 "
              "권한을 확인하세요(이번에는 사본 없이 시작합니다).", file=out)
    return False


def _copy_all(course: Path, workspace: Path, names: list[str], record: dict, out) -> list[str]:
    """``names`` 를 복사하고 기록을 고칩니다. 복사하지 못한 파일은 알리고 건너뜁니다. 복사한 이름들을 돌려줍니다."""
    done = []
    for name in names:
        try:
            _copy(course / name, workspace / name)
        except OSError as error:
            print(f"[workspace] {workspace.name}/{name} 을(를) 쓸 수 없어 건너뜁니다({why(error)}). "
                  f"{workspace.name}/ 의 권한을 고치거나(예: chmod u+w {workspace.name}) 그 이름의 것을 옮기세요.",
                  file=out)
            continue
        record[name] = digest(course / name)
        done.append(name)
    return done


def _save_record(workspace: Path, record: dict, out) -> None:
    try:
        _write_record(workspace, record)
    except OSError as error:
        print(f"[workspace] 기록 파일 {workspace.name}/{RECORD} 을(를) 쓸 수 없습니다({why(error)}). "
              "다음에 강의가 바뀌었는지 가리지 못할 수 있습니다.", file=out)


def _report_blocked(workspace: Path, groups: dict, out) -> None:
    if groups["blocked"]:
        print(f"[workspace] 이 이름에 파일이 아닌 것(폴더 등)이 있거나 읽을 수 없어 건드리지 않았습니다: "
              f"{', '.join(groups['blocked'])}. 그것을 {workspace.name}/ 밖으로 옮기면 다음 make lab 이 "
              "강의 사본을 만듭니다.", file=out)


def prepare(course: Path = COURSE, workspace: Path = WORKSPACE, out=sys.stdout) -> dict[str, list[str]]:
    """없는 사본만 복사합니다(있는 사본은 절대 덮어쓰지 않음). 강의가 바뀐 사본이 있으면 알립니다.

    무엇을 못 해도(쓸 수 없는 폴더, 사본 자리의 폴더, 깨진 기록) 알리기만 하고 예외를 내지 않습니다:
    ``make lab`` 은 서버를 시작할 수 있으면 시작합니다.
    """
    if not _open_workspace(workspace, out):
        return {}
    record, record_problem = read_record(workspace)
    groups = status(course, workspace, record)
    copied = _copy_all(course, workspace, groups["missing"], record, out)
    for name in groups["current"]:
        record[name] = digest(course / name)
    if record_problem:
        print(f"[workspace] {record_problem}", file=out)
    elif copied or groups["current"]:
        _save_record(workspace, record, out)
    where = workspace.name + "/"
    if copied:
        print(f"강의 파일 {len(copied)}개({', '.join(copied)})를 여러분의 작업 폴더 {where} 에 복사했습니다.", file=out)
    print(f"여러분의 노트북은 {where} 에 있습니다(git이 추적하지 않음). "
          f"강의 원본 {course.name}/ 은 고치지 마세요.", file=out)
    _report_blocked(workspace, groups, out)
    if groups["course_changed"] and record_problem:
        print(f"강의와 다른 사본: {', '.join(groups['course_changed'])} (기록을 믿을 수 없어 강의가 바뀐 것인지 "
              "여러분이 고친 것인지 모릅니다)\n  강의의 새 버전으로 바꾸려면 make workspace-refresh (다른 사본은 "
              "모두 먼저 백업합니다).", file=out)
    elif groups["course_changed"]:
        print(f"강의가 바뀐 노트북이 있습니다: {', '.join(groups['course_changed'])}\n"
              f"  새 버전으로 바꾸려면 make workspace-refresh (여러분이 고친 사본은 먼저 백업합니다).", file=out)
    return groups


def refresh(course: Path = COURSE, workspace: Path = WORKSPACE, out=sys.stdout,
            stamp: str | None = None) -> Path | None:
    """강의가 바뀌었거나 없는 사본을 강의의 새 버전으로 바꿉니다. 학습자가 고친(강의 버전과 다른) 사본은 먼저
    ``workspace/backup-<시각>/`` 으로 옮깁니다. 학습자가 고쳤지만 강의는 그대로인 사본은 건드리지 않습니다.
    백업 폴더(없으면 ``None``)를 돌려줍니다. 옮기거나 쓸 수 없는 사본은 알리고 건너뜁니다(그 사본은 그대로)."""
    if not _open_workspace(workspace, out):
        return None
    record, record_problem = read_record(workspace)
    if record_problem:
        print(f"[workspace] {record_problem}", file=out)
    groups = status(course, workspace, record)
    backup = workspace / f"backup-{stamp or time.strftime('%Y%m%d-%H%M%S')}"
    backed_up, replace = [], list(groups["missing"])
    for name in groups["course_changed"]:
        copy = workspace / name
        if record.get(name) != digest(copy):  # 학습자가 손댄 사본: 지우지 않고 옮겨 둡니다.
            try:
                backup.mkdir(exist_ok=True)
                os.replace(copy, backup / name)
            except OSError as error:
                print(f"[workspace] {workspace.name}/{name} 을(를) 백업할 수 없어 그대로 둡니다({why(error)}).",
                      file=out)
                continue
            backed_up.append(name)
        replace.append(name)
    updated = _copy_all(course, workspace, replace, record, out)
    for name in groups["current"]:
        record[name] = digest(course / name)
    if not (workspace / RECORD).is_dir():       # 깨진 기록은 이번에 확인한 것으로 새로 씁니다.
        _save_record(workspace, record, out)
    print(f"새 버전으로 바꾼 노트북 {len(updated)}개" + (f": {', '.join(updated)}" if updated else ""), file=out)
    if backed_up:
        print(f"여러분이 고친 사본 {len(backed_up)}개는 {workspace.name}/{backup.name}/ 으로 옮겨 두었습니다: "
              f"{', '.join(backed_up)}", file=out)
    _report_blocked(workspace, groups, out)
    if groups["edited"]:
        print(f"강의가 그대로라 손대지 않은 여러분의 노트북: {', '.join(groups['edited'])}\n"
              f"  처음 상태로 되돌리려면 그 파일을 지우고(또는 옮기고) make lab 을 다시 실행하세요.", file=out)
    return backup if backed_up else None


def main(argv: list[str] | None = None) -> int:
    from deeplab_lessons.__main__ import KoreanParser  # 명령줄과 같은 한국어 argparse(오류는 한 줄, 종료 코드 2)

    parser = KoreanParser(prog="python -m tools.workspace",
                          description="학습자의 작업 폴더 workspace/ 를 준비하거나 새 버전으로 바꿉니다.")
    parser.add_argument("command", choices=["prepare", "refresh"], metavar="명령",
                        help="prepare: 없는 사본만 복사, refresh: 새 버전으로")
    args = parser.parse_args(argv)
    (prepare if args.command == "prepare" else refresh)()
    return 0


if __name__ == "__main__":
    sys.exit(main())
