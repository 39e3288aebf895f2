"""PASCAL VOC 2012 전체(train 1,464장 + val 1,449장)를 한 명령으로: 내려받고, 분할에 필요한 것만 풀기.

``python -m deeplab_lessons data voc2012 [폴더]`` 가 부릅니다. 공식 trainval tarball(약 1.9 GB)을
:func:`deeplab_lessons.downloads.fetch` 로 받고(이어 받기, 체크섬), 그 안에서 분할 목록
``ImageSets/Segmentation/*.txt`` 에 나온 영상의 ``JPEGImages/<id>.jpg`` 와 ``SegmentationClass/<id>.png`` 만
``<폴더>/VOC2012`` 로 풉니다. 풀기는 숨은 임시 폴더에 다 한 뒤 이름을 바꾸므로, 반쯤 푼 폴더가 ``VOC2012`` 로
보이는 일이 없습니다.
"""

from __future__ import annotations

import os
import shutil
import tarfile
from pathlib import Path

from deeplab_lessons.downloads import RemoteFile, fetch
from deeplab_lessons.errors import DownloadError, josa
from deeplab_lessons.safe_files import process_alive

#: 공식 VOC 2012 trainval tarball. 크기와 md5는 배포된 파일의 값(md5는 torchvision의 VOC 데이터셋이 쓰는 값과 같음).
VOC2012_TRAINVAL = RemoteFile(
    url="http://host.robots.ox.ac.uk/pascal/VOC/voc2012/VOCtrainval_11-May-2012.tar",
    file_name="VOCtrainval_11-May-2012.tar",
    size_bytes=1_999_639_040,
    checksum=("md5", "6cd6e144f989b92b3379bac3b3de84fd"),
)
#: 폴더를 주지 않았을 때 둘 곳.
DEFAULT_FOLDER = Path("~/data/VOCdevkit")
_PARTIAL = ".VOC2012.partial-"


def download_voc2012(folder=None, *, url: str | None = None, keep_tar: bool = False, out=None) -> Path:
    """VOC 2012를 ``folder`` (기본 ``~/data/VOCdevkit``)에 받아 풀고 ``<folder>/VOC2012`` 를 돌려줍니다.

    이미 풀려 있으면(``ImageSets/Segmentation/val.txt`` 가 있음) 아무것도 받지 않습니다. ``keep_tar`` 가 아니면
    다 푼 뒤 tarball을 지웁니다.

    Raises:
        DownloadError: 폴더를 만들 수 없을 때, 내려받기가 안 되거나 끊겼을 때(:func:`~deeplab_lessons.downloads.fetch`),
            tarball에 분할 데이터가 없을 때.
    """
    folder = Path(os.path.expanduser(folder if folder is not None else DEFAULT_FOLDER))
    target = folder / "VOC2012"
    if (target / "ImageSets" / "Segmentation" / "val.txt").is_file():
        return target
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DownloadError(f"VOC를 둘 폴더를 만들 수 없습니다: {os.path.abspath(folder)} ({exc.strerror or exc}). "
                            "쓸 수 있는 폴더를 주세요. 예: python -m deeplab_lessons data voc2012 ~/data") from None
    if not os.access(folder, os.W_OK | os.X_OK):
        raise DownloadError(f"VOC를 둘 폴더에 쓸 권한이 없습니다: {os.path.abspath(folder)}. 쓸 수 있는 폴더를 주세요.")
    _remove_stale(folder)
    tar_path = fetch(VOC2012_TRAINVAL, folder, url=url, out=out)
    extract_segmentation(tar_path, target)
    if not keep_tar:
        tar_path.unlink()
    return target


def extract_segmentation(tar_path, target) -> dict[str, int]:
    """tarball에서 분할 목록·마스크·그 영상만 ``target`` 으로 풀고 목록마다 영상 수를 돌려줍니다.

    Raises:
        DownloadError: tarball이 아니거나 읽다 잘렸을 때, ``ImageSets/Segmentation/val.txt`` 가 없을 때, 목록에
            나온 영상이나 마스크가 빠졌을 때. 실패하면 임시 폴더를 지우고 ``target`` 은 만들지 않습니다.
    """
    target = Path(target)
    temp = target.parent / f"{_PARTIAL}{os.getpid()}"
    shutil.rmtree(temp, ignore_errors=True)
    try:
        with tarfile.open(tar_path) as archive:
            counts = _extract(archive, temp)
        os.replace(temp, target)
    except (tarfile.TarError, EOFError, OSError) as exc:
        shutil.rmtree(temp, ignore_errors=True)
        raise DownloadError(f"VOC tarball을 풀 수 없습니다: {tar_path} ({type(exc).__name__}: {exc}). 파일을 지우고 "
                            "다시 받으세요.") from None
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise
    return counts


def _extract(archive: tarfile.TarFile, temp: Path) -> dict[str, int]:
    files = {member.name: member for member in archive.getmembers() if member.isfile()}
    listing = next((name for name in files if name.endswith("ImageSets/Segmentation/val.txt")), None)
    if listing is None:
        raise DownloadError("tarball에 ImageSets/Segmentation/val.txt 가 없습니다. VOC 2012 trainval tarball"
                            f"({VOC2012_TRAINVAL.file_name})이 맞는지 확인하세요.")
    prefix = listing[: -len("ImageSets/Segmentation/val.txt")]
    lists = {name: member for name, member in files.items()
             if name.startswith(prefix + "ImageSets/Segmentation/") and name.endswith(".txt")}
    counts, wanted = {}, dict(lists)
    for name, member in lists.items():
        ids = archive.extractfile(member).read().decode().split()
        counts[Path(name).stem] = len(ids)
        for image_id in ids:
            for folder, suffix in (("JPEGImages", ".jpg"), ("SegmentationClass", ".png")):
                key = f"{prefix}{folder}/{image_id}{suffix}"
                if key not in files:
                    raise DownloadError(f"tarball에 {josa(key, '가')} 없습니다(목록 {Path(name).name} 의 영상). 받은 "
                                        f"파일이 "
                                        "잘렸거나 다른 파일입니다. 지우고 다시 받으세요.")
                wanted[key] = files[key]
    for name, member in sorted(wanted.items()):
        path = temp / name[len(prefix):]
        path.parent.mkdir(parents=True, exist_ok=True)
        with archive.extractfile(member) as source, open(path, "wb") as sink:
            shutil.copyfileobj(source, sink)
    return counts


def _remove_stale(folder: Path) -> None:
    """끝난 프로세스가 남긴 ``.VOC2012.partial-<pid>`` 임시 폴더를 지웁니다."""
    for entry in folder.glob(_PARTIAL + "*"):
        try:
            pid = int(entry.name[len(_PARTIAL):])
        except ValueError:
            continue
        if pid == os.getpid() or not process_alive(pid):
            shutil.rmtree(entry, ignore_errors=True)


def env_line(target) -> str:
    """VOC로 평가하는 강의들이 이 폴더를 쓰게 하는 환경 변수 한 줄(macOS·Linux 셸)."""
    return f"export DEEPLAB_LESSONS_VOC_DIR={os.path.abspath(target)}"
