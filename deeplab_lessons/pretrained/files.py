"""모델 파일 찾기와 내려받기.

찾는 순서: 경로를 직접 준 경우 그 파일 → ``model_dir`` → ``$DEEPLAB_LESSONS_MODEL_DIR`` → 캐시 → 공식 주소에서 내려받기.
내려받기는 ``keras.utils.get_file`` (진행 막대, 재시도)을 임시 폴더에 대고 하고, 체크섬을 확인한 뒤에야 캐시로 옮깁니다.
그래서 실패하거나 중간에 끊긴 내려받기, 체크섬이 틀린 파일은 캐시에 남지 않습니다.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from pathlib import Path

from deeplab_lessons.errors import ModelFileError, ModelNotFoundError
from deeplab_lessons.pretrained.registry import ModelInfo, cache_dir, find_model_file, search_dirs


def file_digest(path: Path, algorithm: str) -> str:
    """파일의 해시(16진 문자열). 큰 파일도 1 MiB씩 읽습니다."""
    digest = hashlib.new(algorithm)
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def verify_checksum(path: Path, info: ModelInfo) -> None:
    """등록된 체크섬(있으면)과 파일이 같은지 확인합니다.

    Raises:
        ModelFileError: 체크섬이 다를 때(파일은 쓰지 않습니다).
    """
    if info.checksum is None:
        return
    algorithm, expected = info.checksum
    actual = file_digest(path, algorithm)
    if actual != expected:
        raise ModelFileError(
            f"모델 파일의 체크섬이 맞지 않아 쓰지 않습니다: {path.name} ({algorithm} 기대값 {expected[:16]}…, "
            f"실제 {actual[:16]}…). 파일이 손상되었거나 다른 파일입니다. 지우고 다시 내려받으세요: {info.url}")


def resolve(info: ModelInfo, model_dir=None, download: bool = True) -> Path:
    """등록된 모델의 파일 경로를 돌려줍니다. 로컬에 있으면 네트워크를 쓰지 않습니다.

    Raises:
        ModelNotFoundError: 어디에도 없고 내려받지도 못했을 때(찾아본 곳과 공식 주소를 알려 줍니다).
        ModelFileError: 찾은 파일이나 내려받은 파일의 체크섬이 다를 때.
    """
    local = find_model_file(info.name, model_dir)
    if local is not None:
        verify_checksum(local, info)
        return local
    if not download:
        raise _not_found(info, model_dir, reason="내려받기를 끈 상태입니다")
    return _download(info, model_dir)


def _download(info: ModelInfo, model_dir) -> Path:
    from deeplab_lessons._tf import load_keras

    keras = load_keras()
    target_dir = cache_dir()
    target_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="deeplab_lessons_", dir=target_dir) as temp:
        try:
            fetched = keras.utils.get_file(info.filename, origin=info.url, cache_dir=temp, cache_subdir=".")
        except Exception as exc:  # 네트워크 오류, HTTP 오류, 중단 등 — 임시 폴더째 지워집니다.
            raise _not_found(info, model_dir, reason=f"내려받기 실패: {type(exc).__name__}: {exc}") from None
        verify_checksum(Path(fetched), info)
        final = target_dir / info.filename
        shutil.move(fetched, final)   # 같은 파일 시스템 안이므로 원자적으로 옮겨집니다.
    return final


def _not_found(info: ModelInfo, model_dir, reason: str) -> ModelNotFoundError:
    places = [f"  - {d}" for d in search_dirs(model_dir)]
    return ModelNotFoundError(
        f"모델 파일 {info.filename} 을(를) 찾지 못했습니다({reason}).\n찾아본 곳:\n" + "\n".join(places)
        + f"\n공식 주소: {info.url}\n인터넷이 되는 곳에서 이 주소의 파일을 받아 위 폴더 중 하나(예: 환경 변수 "
        f"DEEPLAB_LESSONS_MODEL_DIR가 가리키는 폴더나 {cache_dir()})에 같은 이름으로 두세요.")


def local_file(path) -> Path:
    """사용자가 직접 준 모델 파일 경로를 확인합니다.

    Raises:
        ModelNotFoundError: 파일이 없을 때.
    """
    path = Path(os.fspath(path)).expanduser()
    if not path.is_file():
        raise ModelNotFoundError(f"모델 파일이 없습니다: {path}. 경로를 확인하세요.")
    return path
