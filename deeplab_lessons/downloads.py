"""큰 파일 내려받기: 끊기면 이어 받기(HTTP Range), 한 줄 진행 막대, 체크섬 확인, 다 받은 뒤에만 제 이름으로 옮기기.

받는 동안의 내용은 ``<파일 이름>.part`` 에 쌓입니다. 연결이 끊기거나 Ctrl-C로 멈추면 그 파일이 남고, 같은 명령을
다시 실행하면 남은 부분만 이어 받습니다. 크기와 체크섬이 맞아야 ``.part`` 를 제 이름으로 옮기고(같은 폴더 안의
``os.replace``: 원자적), 맞지 않으면 ``.part`` 를 지워 아무것도 남기지 않습니다. 표준 라이브러리만 씁니다.
"""

from __future__ import annotations

import hashlib
import http.client
import os
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from deeplab_lessons.errors import DownloadError, josa
from deeplab_lessons.progress import format_duration

#: 한 번에 읽는 크기(바이트).
CHUNK_BYTES = 1 << 20
_MIB = float(1 << 20)


@dataclass(frozen=True)
class RemoteFile:
    """내려받을 파일 하나의 기록(데이터): 공식 주소, 파일 이름, 바이트 수, ``(해시 알고리즘, 16진 값)``."""

    url: str
    file_name: str
    size_bytes: int | None
    checksum: tuple[str, str] | None


def file_digest(path: Path, algorithm: str) -> str:
    """파일의 해시(16진 문자열). 큰 파일도 1 MiB씩 읽습니다."""
    digest = hashlib.new(algorithm)
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(CHUNK_BYTES), b""):
            digest.update(block)
    return digest.hexdigest()


def manual_steps(remote: RemoteFile, folder: Path, url: str) -> str:
    """내려받기가 안 될 때 손으로 하는 방법(한국어 세 단계)."""
    return (f"손으로 하려면: (1) 브라우저나 다른 컴퓨터에서 {josa(url, '을')} 내려받고, (2) 그 파일을 "
            f"{josa(os.path.abspath(folder / remote.file_name), '로')} 두고, (3) 같은 명령을 다시 실행하세요. "
            "크기와 체크섬을 확인한 뒤 그 파일을 씁니다.")


def verify(path: Path, remote: RemoteFile) -> str | None:
    """받은 파일이 기록과 같은지: 같으면 ``None``, 다르면 무엇이 다른지 한국어 한 구절."""
    size = path.stat().st_size
    if remote.size_bytes is not None and size != remote.size_bytes:
        return f"크기 {size:,}바이트, 기록된 크기 {remote.size_bytes:,}바이트"
    if remote.checksum is not None:
        algorithm, expected = remote.checksum
        actual = file_digest(path, algorithm)
        if actual != expected:
            return f"{algorithm} 기대값 {expected}, 실제 {actual}"
    return None


def fetch(remote: RemoteFile, folder, *, url: str | None = None, timeout: float = 30.0, out=None) -> Path:
    """``remote`` 를 ``folder`` 에 내려받아(있으면 검사만) 그 경로를 돌려줍니다.

    Args:
        remote: 받을 파일의 기록.
        folder: 둘 폴더(있어야 함).
        url: 다른 주소(거울 서버나 시험용 서버). 없으면 ``remote.url``.
        timeout: 연결과 읽기 한 번의 제한(초).
        out: 진행 막대를 쓸 파일 객체(기본 ``sys.stderr``).

    Raises:
        DownloadError: 서버에 닿지 않을 때(손으로 하는 방법을 알려 줌), 받다가 끊겼을 때(받은 만큼은 ``.part`` 에
            남고 다시 실행하면 이어 받음), 다 받은 파일의 크기·체크섬이 다를 때(``.part`` 를 지움), 이미 있는
            파일이 기록과 다를 때.
    """
    folder = Path(folder)
    url = url or remote.url
    final = folder / remote.file_name
    if final.is_file():
        problem = verify(final, remote)
        if problem is None:
            return final
        raise DownloadError(f"이미 있는 {josa(final, '이')} 공식 파일과 다릅니다({problem}). 그 파일을 지우고 같은 "
                            f"명령을 "
                            "다시 실행하세요.")
    part = folder / (remote.file_name + ".part")
    _receive(url, part, remote, timeout, out if out is not None else sys.stderr)
    problem = verify(part, remote)
    if problem is not None:
        part.unlink()
        raise DownloadError(f"받은 파일이 공식 파일과 달라 지웠습니다({problem}). 아무것도 남기지 않았습니다. 주소 "
                            f"{josa(url, '이')} 맞는지 확인하고 다시 실행하세요.")
    os.replace(part, final)
    return final


def _receive(url: str, part: Path, remote: RemoteFile, timeout: float, out) -> None:
    """``part`` 에 이어 씁니다. 기록된 크기만큼 이미 있으면 아무것도 받지 않습니다."""
    offset = part.stat().st_size if part.is_file() else 0
    total = remote.size_bytes
    if total is not None and offset > total:
        offset = 0                              # 기록보다 큰 .part는 다른 파일: 처음부터
    if total is not None and offset == total:
        return
    request = urllib.request.Request(url, headers={"Range": f"bytes={offset}-"} if offset else {})
    try:
        response = urllib.request.urlopen(request, timeout=timeout)
    except urllib.error.HTTPError as exc:
        if exc.code == 416 and offset:          # 서버가 "이미 끝까지 받았다"고 함
            return
        raise DownloadError(f"서버가 내려받기를 거절했습니다(HTTP {exc.code}): {url}. "
                            f"{manual_steps(remote, part.parent, url)}") from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise DownloadError(f"서버에 닿지 않습니다: {url} ({reason}). 인터넷 연결을 확인하세요. "
                            f"{manual_steps(remote, part.parent, url)}") from None
    with response:
        if offset and response.status != 206:   # 이어 받기를 지원하지 않는 서버: 처음부터
            offset = 0
        if total is None:
            length = response.headers.get("Content-Length")
            total = offset + int(length) if length and length.isdigit() else None
        _stream(response, part, offset, total, url, out)


def _stream(response, part: Path, offset: int, total: int | None, url: str, out) -> None:
    """응답을 ``part`` 에 이어 쓰며 진행 막대를 그립니다."""
    bar = ProgressBar(total, offset, out)
    received = offset
    try:
        with open(part, "ab" if offset else "wb") as handle:
            while block := response.read(CHUNK_BYTES):
                handle.write(block)
                received += len(block)
                bar.update(received)
    except (OSError, http.client.HTTPException) as exc:
        bar.close()
        raise DownloadError(
            f"내려받다가 끊겼습니다({type(exc).__name__}: {exc}). 받은 {received / _MIB:,.1f} MiB는 {part} 에 "
            "남아 있습니다. 같은 명령을 다시 실행하면 이어서 받습니다.") from None
    bar.close()
    if total is not None and received < total:
        raise DownloadError(
            f"서버가 파일을 다 보내기 전에 연결을 닫았습니다({received:,}/{total:,}바이트, 주소 {url}). 받은 만큼은 "
            f"{part} 에 남아 있습니다. 같은 명령을 다시 실행하면 이어서 받습니다.")


class ProgressBar:
    """한 줄 진행 막대: ``[#####-----] 40.0 % 763.2/1,907.0 MiB, 12.3 MiB/초, 남은 시간 약 1분 33초``.

    터미널이면 같은 줄을 ``\\r`` 로 고쳐 쓰고, 파일·노트북이면 10 %마다 한 줄씩 씁니다.
    """

    WIDTH = 24

    def __init__(self, total: int | None, start: int, out):
        self.total, self.start, self.out = total, start, out
        self.began = time.perf_counter()
        self.live = bool(getattr(out, "isatty", lambda: False)())
        self.last_tenth = -1
        self.last_draw = 0.0

    def line(self, received: int) -> str:
        """지금 상태의 한 줄."""
        elapsed = max(time.perf_counter() - self.began, 1e-9)
        speed = (received - self.start) / elapsed
        text = f"{received / _MIB:,.1f}"
        if self.total:
            share = received / self.total
            filled = int(self.WIDTH * share)
            text = f"[{'#' * filled}{'-' * (self.WIDTH - filled)}] {100 * share:5.1f} % {text}/{self.total / _MIB:,.1f}"
        text += f" MiB, {speed / _MIB:,.1f} MiB/초"
        if self.total and speed > 0:
            text += f", 남은 시간 약 {format_duration((self.total - received) / speed)}"
        return text

    def update(self, received: int) -> None:
        """받은 바이트 수가 늘었을 때."""
        now = time.perf_counter()
        if self.live:
            if now - self.last_draw >= 0.2 or received == self.total:
                self.out.write("\r" + self.line(received))
                self.out.flush()
                self.last_draw = now
            return
        tenth = int(10 * received / self.total) if self.total else int(received // (100 * _MIB))
        if tenth > self.last_tenth:
            self.out.write(self.line(received) + "\n")
            self.out.flush()
            self.last_tenth = tenth

    def close(self) -> None:
        """터미널이면 줄을 마칩니다."""
        if self.live:
            self.out.write("\n")
            self.out.flush()
