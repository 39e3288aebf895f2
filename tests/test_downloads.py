"""내려받기와 VOC 2012 명령: 127.0.0.1의 HTTP 서버(Range 지원)가 같은 배치의 작은 tarball을 줍니다.

다 받기, 중간에 끊긴 뒤 이어 받기, 체크섬이 틀리면 아무것도 남기지 않기, 서버에 닿지 않을 때의 한국어 안내.
"""

import hashlib
import http.server
import io
import tarfile
import threading
from contextlib import contextmanager
from dataclasses import replace

import numpy as np
import pytest
from PIL import Image

from deeplab_lessons import __main__ as cli
from deeplab_lessons import downloads, voc, voc_download
from deeplab_lessons.errors import DownloadError


def _png(mask: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    image = Image.fromarray(mask, mode="P")
    image.putpalette(voc.colormap().ravel().tolist())
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (12, 8), (10, 200, 30)).save(buffer, format="JPEG")
    return buffer.getvalue()


def small_voc_tar() -> bytes:
    """공식 tarball과 같은 배치: VOCdevkit/VOC2012/… 분할에 쓰지 않는 파일(Annotations, 목록 밖 영상)도 들어 있음."""
    files = {
        "ImageSets/Segmentation/train.txt": b"2007_000001\n2007_000002\n",
        "ImageSets/Segmentation/val.txt": b"2007_000003\n",
        "ImageSets/Segmentation/trainval.txt": b"2007_000001\n2007_000002\n2007_000003\n",
        "ImageSets/Main/train.txt": b"2007_000009\n",
        "Annotations/2007_000001.xml": b"<annotation/>",
        "JPEGImages/2007_000009.jpg": _jpeg(),
        "SegmentationObject/2007_000001.png": _png(np.ones((8, 12), np.uint8)),
    }
    for image_id in ("2007_000001", "2007_000002", "2007_000003"):
        files[f"JPEGImages/{image_id}.jpg"] = _jpeg()
        files[f"SegmentationClass/{image_id}.png"] = _png(np.full((8, 12), 15, np.uint8))
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as archive:
        for name, data in files.items():
            info = tarfile.TarInfo(f"VOCdevkit/VOC2012/{name}")
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


class _Handler(http.server.BaseHTTPRequestHandler):
    """``Range`` 를 지원하고, ``server.cut_after`` 바이트를 보낸 뒤 한 번 연결을 끊을 수 있는 처리기."""

    def do_GET(self):                                       # noqa: N802 (http.server의 이름)
        payload, server = self.server.payload, self.server
        server.requests.append(self.headers.get("Range"))
        start = 0
        if self.headers.get("Range"):
            start = int(self.headers["Range"].split("=")[1].split("-")[0])
            self.send_response(206)
            self.send_header("Content-Range", f"bytes {start}-{len(payload) - 1}/{len(payload)}")
        else:
            self.send_response(200)
        self.send_header("Content-Length", str(len(payload) - start))
        self.end_headers()
        body = payload[start:]
        if server.cut_after is not None:
            body, server.cut_after = body[:server.cut_after], None
            self.wfile.write(body)
            self.wfile.flush()
            self.close_connection = True
            return
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@contextmanager
def serve(payload: bytes, cut_after=None):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.payload, server.cut_after, server.requests = payload, cut_after, []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server, f"http://127.0.0.1:{server.server_address[1]}/VOCtrainval_11-May-2012.tar"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def payload():
    return small_voc_tar()


@pytest.fixture
def remote(monkeypatch, payload):
    """작은 tarball의 크기와 md5를 단 VOC 기록(공식 기록의 다른 칸은 그대로)."""
    record = replace(voc_download.VOC2012_TRAINVAL, size_bytes=len(payload),
                     checksum=("md5", hashlib.md5(payload).hexdigest()))
    monkeypatch.setattr(voc_download, "VOC2012_TRAINVAL", record)
    return record


def test_full_download_keeps_only_segmentation(tmp_path, payload, remote):
    out = io.StringIO()
    with serve(payload) as (server, url):
        target = voc_download.download_voc2012(tmp_path, url=url, out=out)
    assert target == tmp_path / "VOC2012"
    assert sorted(p.relative_to(target).as_posix() for p in target.rglob("*") if p.is_file()) == [
        "ImageSets/Segmentation/train.txt", "ImageSets/Segmentation/trainval.txt", "ImageSets/Segmentation/val.txt",
        "JPEGImages/2007_000001.jpg", "JPEGImages/2007_000002.jpg", "JPEGImages/2007_000003.jpg",
        "SegmentationClass/2007_000001.png", "SegmentationClass/2007_000002.png",
        "SegmentationClass/2007_000003.png"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["VOC2012"]      # tarball, .part, 임시 폴더 없음
    assert "100.0 %" in out.getvalue() and "MiB/초" in out.getvalue()
    image, truth = voc.read_pair(target, "2007_000003")
    assert image.shape == (8, 12, 3) and set(np.unique(truth)) == {15}


def test_interrupted_download_resumes(tmp_path, payload, remote):
    with serve(payload, cut_after=len(payload) // 3) as (server, url):
        with pytest.raises(DownloadError, match="연결을 닫았습니다.*같은 명령을 다시 실행하면 이어서 받습니다"):
            voc_download.download_voc2012(tmp_path, url=url, out=io.StringIO())
        part = tmp_path / (remote.file_name + ".part")
        assert part.stat().st_size == len(payload) // 3
        assert not (tmp_path / "VOC2012").exists()
        target = voc_download.download_voc2012(tmp_path, url=url, out=io.StringIO(), keep_tar=True)
        assert server.requests == [None, f"bytes={len(payload) // 3}-"]
    assert (tmp_path / remote.file_name).read_bytes() == payload
    assert voc.image_ids(target, "train") == ["2007_000001", "2007_000002"]
    assert not part.exists()


def test_wrong_checksum_leaves_nothing(tmp_path, payload, monkeypatch):
    record = replace(voc_download.VOC2012_TRAINVAL, size_bytes=len(payload), checksum=("md5", "0" * 32))
    monkeypatch.setattr(voc_download, "VOC2012_TRAINVAL", record)
    with serve(payload) as (server, url):
        with pytest.raises(DownloadError, match="공식 파일과 달라 지웠습니다.*md5 기대값 0+, 실제 [0-9a-f]{32}"):
            voc_download.download_voc2012(tmp_path, url=url, out=io.StringIO())
    assert list(tmp_path.iterdir()) == []


def test_unreachable_host_explains_manual_steps(tmp_path, remote):
    with serve(b"") as (server, url):
        pass                                                    # 서버를 닫아 그 포트에 아무도 없게 함
    with pytest.raises(DownloadError, match="서버에 닿지 않습니다.*손으로 하려면: \\(1\\).*\\(3\\) 같은 명령을"):
        voc_download.download_voc2012(tmp_path, url=url, out=io.StringIO())
    assert list(tmp_path.iterdir()) == []


def test_a_tarball_placed_by_hand_is_used(tmp_path, payload, remote):
    (tmp_path / remote.file_name).write_bytes(payload)
    target = voc_download.download_voc2012(tmp_path, url="http://127.0.0.1:9/none", out=io.StringIO())
    assert voc.image_ids(target) == ["2007_000003"]
    assert not (tmp_path / remote.file_name).exists()


def test_a_tarball_without_segmentation_is_refused(tmp_path):
    tar_path = tmp_path / "other.tar"
    with tarfile.open(tar_path, "w") as archive:
        info = tarfile.TarInfo("VOCdevkit/VOC2012/Annotations/a.xml")
        archive.addfile(info, io.BytesIO(b""))
    with pytest.raises(DownloadError, match="ImageSets/Segmentation/val.txt 가 없습니다"):
        voc_download.extract_segmentation(tar_path, tmp_path / "VOC2012")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.tar"]


def test_command_prints_the_environment_line(tmp_path, payload, remote, capsys):
    with serve(payload) as (server, url):
        assert cli.main(["data", "voc2012", str(tmp_path), "--url", url]) == 0
    printed = capsys.readouterr().out
    assert "전체 val을 쓰게 하려면" in printed
    assert f"export DEEPLAB_LESSONS_VOC_DIR={tmp_path / 'VOC2012'}" in printed
    assert "train 2장, val 1장" in printed


def test_command_reports_errors_in_korean(tmp_path, remote, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert cli.main(["data", "voc2012", str(blocker / "inside")]) == 2
    assert "VOC를 둘 폴더를 만들 수 없습니다" in capsys.readouterr().err


def test_progress_bar_without_a_terminal_writes_tenths():
    out = io.StringIO()
    bar = downloads.ProgressBar(total=1000, start=0, out=out)
    for received in range(0, 1001, 50):
        bar.update(received)
    lines = out.getvalue().splitlines()
    assert len(lines) == 11 and lines[-1].startswith("[" + "#" * 24 + "] 100.0 %")
