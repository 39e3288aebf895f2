"""결과 파일을 안전하게 쓰기: 임시 파일에 다 쓴 뒤에만 제자리로 옮기고, 권한은 보통 파일처럼(umask를 따름).

``tempfile.mkstemp`` 는 다른 사용자가 못 읽게 0600으로 만듭니다. 옮기기 전에 ``0666 & ~umask`` (보통 0644)로
바꿔, 이 패키지가 쓴 PNG·``.tflite``·tarball이 ``open`` 이나 ``cp`` 로 만든 파일과 같은 권한을 갖게 합니다.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from deeplab_lessons.errors import OutputFileError


def current_umask() -> int:
    """이 프로세스의 umask(예: 0o022)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


def default_file_mode() -> int:
    """새 파일이 받는 보통 권한: ``0o666 & ~umask`` (umask 022이면 0o644)."""
    return 0o666 & ~current_umask()


def write_files(writers: dict[Path, Callable[[str], None]]) -> list[Path]:
    """여러 파일을 모두 임시 파일에 쓴 뒤에야 한꺼번에 제자리로 옮깁니다.

    Args:
        writers: ``{최종 경로: 임시 파일 경로(str)를 받아 내용을 쓰는 함수}``.

    Returns:
        쓴 파일들의 경로.

    Raises:
        OutputFileError: 폴더를 만들거나 쓸 수 없을 때(하나라도 실패하면 임시 파일도, 새로 만든 폴더도
            남기지 않습니다).
    """
    temps: dict[Path, str] = {}
    created: list[Path] = []
    try:
        for path, write in writers.items():
            created += _make_parents(path.parent)
            remove_stale_partials(path.parent)
            handle, temp = tempfile.mkstemp(prefix=f"{PARTIAL_PREFIX}{os.getpid()}_", suffix=path.suffix,
                                            dir=path.parent)
            os.close(handle)
            temps[path] = temp
            write(temp)
            os.chmod(temp, default_file_mode())
        for path, temp in temps.items():
            os.replace(temp, path)
        return list(writers)
    except OSError as exc:
        _discard(temps, created)
        raise OutputFileError(
            f"결과 파일을 쓸 수 없습니다: {exc.filename or ', '.join(map(str, writers))} "
            f"({os_error_reason(exc)}). 쓸 수 "
            "있는 폴더의 파일 "
            "이름을 주세요. 아무 파일도 쓰지 않았습니다.") from None
    except BaseException:                  # Ctrl-C, SIGTERM(명령줄이 KeyboardInterrupt로 바꿈): 남기지 않습니다.
        _discard(temps, created)
        raise
    finally:
        for temp in temps.values():
            if os.path.exists(temp):
                os.remove(temp)


#: 반쯤 쓴 임시 파일의 이름 앞부분. 뒤에 쓰는 프로세스의 번호가 붙습니다: ``.partial_<pid>_…``.
PARTIAL_PREFIX = ".partial_"


def remove_stale_partials(folder: Path) -> list[Path]:
    """``folder`` 에서 이미 끝난 프로세스가 남긴 ``.partial_<pid>_…`` 파일을 지우고, 지운 파일들을 돌려줍니다.

    살아 있는 프로세스(이 프로세스 포함)의 임시 파일과, 번호가 붙지 않은 다른 이름의 파일은 건드리지 않습니다.
    """
    removed = []
    try:
        names = os.listdir(folder)
    except OSError:
        return removed
    for name in names:
        if not name.startswith(PARTIAL_PREFIX):
            continue
        pid = name[len(PARTIAL_PREFIX):].split("_", 1)[0]
        if not pid.isdigit() or int(pid) == os.getpid() or process_alive(int(pid)):
            continue
        try:
            os.remove(os.path.join(folder, name))
            removed.append(Path(folder) / name)
        except OSError:
            pass
    return removed


def _make_parents(folder: Path) -> list[Path]:
    """없는 상위 폴더들을 만들고, 새로 만든 것만 돌려줍니다(실패하면 지울 수 있도록)."""
    missing = []
    while not folder.exists():
        missing.append(folder)
        folder = folder.parent
    for directory in reversed(missing):
        directory.mkdir()
    return list(reversed(missing))


def _discard(temps: dict[Path, str], created: list[Path]) -> None:
    """실패했을 때: 임시 파일을 지우고, 이번에 새로 만든 (이제 빈) 폴더를 안쪽부터 지웁니다."""
    for temp in temps.values():
        if os.path.exists(temp):
            os.remove(temp)
    for directory in reversed(created):
        try:
            directory.rmdir()
        except OSError:
            pass


def os_error_reason(exc: OSError) -> str:
    """``OSError`` 의 까닭을 한국어 한 구절로(권한, 읽기 전용, 디스크, 폴더·파일 자리). 모르는 것은 영어 그대로."""
    import errno

    reasons = {errno.EACCES: "읽기·쓰기 권한이 없습니다", errno.EPERM: "권한이 없습니다",
               errno.EROFS: "읽기 전용 파일 시스템입니다", errno.ENOSPC: "디스크 공간이 부족합니다",
               errno.EISDIR: "같은 이름의 폴더가 있습니다", errno.ENOTDIR: "경로 중간에 폴더가 아닌 파일이 있습니다",
               errno.EEXIST: "같은 이름의 파일이 있습니다"}
    return reasons.get(exc.errno, f"{type(exc).__name__}: {exc.strerror or exc}")


def process_alive(pid: int) -> bool:
    """그 번호의 프로세스가 아직 살아 있는지(남은 임시 파일·폴더를 지워도 되는지 가릴 때)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
