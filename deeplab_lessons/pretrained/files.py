"""모델 파일 찾기와 내려받기.

찾는 순서: 경로를 직접 준 경우 그 파일 → ``model_dir`` → ``$DEEPLAB_LESSONS_MODEL_DIR`` → 캐시 → 공식 주소에서 내려받기.
내려받기는 ``keras.utils.get_file`` (진행 막대, 재시도)을 캐시 안의 임시 폴더에 대고 하고, 검사(체크섬, 체크섬이
없으면 tarball 안의 frozen graph를 실제로 읽어 봄)를 통과한 뒤에야 캐시로 옮깁니다. 그래서 실패한 내려받기나
틀린 파일은 캐시에 남지 않습니다. 프로세스가 SIGKILL·SIGTERM으로 끊겨 임시 폴더가 남으면, 다음 내려받기가
주인 프로세스가 끝난 임시 폴더를 지웁니다.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
import zipfile
from pathlib import Path

from deeplab_lessons import downloads
from deeplab_lessons._tf import load_keras, load_tensorflow
from deeplab_lessons.errors import ModelCacheError, ModelFileError, ModelFileUnreadableError, ModelNotFoundError, josa
from deeplab_lessons.pretrained.backends import INPUT_TENSOR_NAME, OUTPUT_TENSOR_NAME, read_frozen_graph
from deeplab_lessons.pretrained.registry import MODELS, ModelInfo, cache_dir, find_model_file, search_dirs
from deeplab_lessons.safe_files import default_file_mode, process_alive

#: 내려받는 중인 임시 폴더의 이름: ``.downloading-<pid>-<무작위>``.
_TEMP_PREFIX = ".downloading-"
#: 주인 프로세스가 살아 있어도 이보다 오래된 임시 폴더는 끊긴 것으로 봅니다(다른 컴퓨터가 같은 캐시를 쓸 때).
STALE_SECONDS = 24 * 3600


def file_digest(path: Path, algorithm: str) -> str:
    """파일의 해시(16진 문자열). 큰 파일도 1 MiB씩 읽습니다.

    Raises:
        ModelFileError: 파일을 읽을 권한이 없을 때.
    """
    try:
        return downloads.file_digest(path, algorithm)
    except PermissionError:
        raise ModelFileUnreadableError(
            f"모델 파일을 읽을 권한이 없습니다(permission denied): {os.path.abspath(path)}. 파일이 손상된 것은 "
            "아닙니다. 파일 권한을 확인하세요(예: chmod a+r).") from None


def _place(path: Path, model_dir=None) -> str:
    """파일이 있는 곳의 설명: 모델 폴더(인자·환경 변수)인지 캐시인지."""
    folder = Path(path).parent.resolve()
    if folder == cache_dir().resolve():
        return f"캐시 폴더 {cache_dir()}"
    if model_dir is not None and folder == Path(model_dir).expanduser().resolve():
        return f"model_dir로 준 모델 폴더 {folder}"
    if os.environ.get("DEEPLAB_LESSONS_MODEL_DIR") and \
            folder == Path(os.environ["DEEPLAB_LESSONS_MODEL_DIR"]).expanduser().resolve():
        return f"DEEPLAB_LESSONS_MODEL_DIR의 모델 폴더 {folder}"
    return f"폴더 {folder}"


def verify_checksum(path: Path, info: ModelInfo, model_dir=None) -> None:
    """등록된 크기와 체크섬(있으면)이 파일과 같은지 확인합니다.

    Raises:
        ModelFileError: 크기나 체크섬이 다를 때(전체 경로와, 모델 폴더인지 캐시인지 알려 줍니다), 읽을 권한이 없을 때.
    """
    path = Path(path)
    where = f"{os.path.abspath(path)} ({_place(path, model_dir)}에 있음)"
    if info.size_bytes is not None and path.stat().st_size != info.size_bytes:
        raise ModelFileError(
            f"모델 파일의 크기가 맞지 않아 쓰지 않습니다: {where}. 크기 {path.stat().st_size:,}바이트, 공개된 크기 "
            f"{info.size_bytes:,}바이트. 내려받다 끊겼거나 다른 파일입니다. 이 파일을 지우고 다시 내려받으세요: "
            f"{info.url}")
    if info.checksum is None:
        return
    algorithm, expected = info.checksum
    actual = file_digest(path, algorithm)
    if actual != expected:
        raise ModelFileError(
            f"모델 파일의 체크섬이 맞지 않아 쓰지 않습니다: {where}. {algorithm} 기대값 {expected[:16]}…, "
            f"실제 {actual[:16]}…. 파일이 손상되었거나 다른 파일입니다. 이 파일을 지우고 다시 내려받으세요: {info.url}")


def resolve(info: ModelInfo, model_dir=None, download: bool = True) -> Path:
    """등록된 모델의 파일 경로를 돌려줍니다. 로컬에 있으면 네트워크를 쓰지 않습니다.

    Raises:
        ModelNotFoundError: 어디에도 없고 내려받지도 못했을 때(찾아본 곳과 공식 주소를 알려 줍니다).
        ModelFileError: 찾은 파일이나 내려받은 파일의 크기·체크섬이 다르거나, 읽을 권한이 없을 때.
        ModelCacheError: 캐시 폴더를 만들거나 쓸 수 없을 때.
    """
    local = find_model_file(info.name, model_dir)
    if local is not None:
        verify_checksum(local, info, model_dir)
        return local
    if not download:
        raise _not_found(info, model_dir, reason="내려받기를 끈 상태입니다")
    return _download(info, model_dir)


def file_status(info: ModelInfo, model_dir=None) -> str:
    """``models`` 명령이 보여 주는 파일 상태: 있음(검사 통과) / 손상됨 / 읽을 수 없음 / 없음."""
    local = find_model_file(info.name, model_dir)
    if local is None:
        return "없음 (처음 쓸 때 내려받습니다)"
    try:
        verify_checksum(local, info, model_dir)
    except ModelFileUnreadableError:
        return f"읽을 수 없음 (권한 없음): {local}"
    except ModelFileError:
        return f"손상됨 (크기·체크섬 불일치, 지우고 다시 받으세요): {local}"
    return "있음" + (" (체크섬 확인)" if info.checksum else "")


def prepare_cache_dir() -> Path:
    """캐시 폴더를 만들고 쓸 수 있는지 확인합니다.

    Raises:
        ModelCacheError: 경로가 파일이거나, 만들 수 없거나, 쓸 수 없을 때(읽기 전용 포함).
    """
    target = cache_dir()
    hint = "환경 변수 DEEPLAB_LESSONS_CACHE_DIR를 쓸 수 있는 폴더로 바꾸세요"
    if os.path.exists(target) and not os.path.isdir(target):
        raise ModelCacheError(f"모델 캐시 경로가 폴더가 아니라 파일입니다: {target}. 그 파일을 옮기거나 {hint}.")
    try:
        target.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise ModelCacheError(f"모델 캐시 폴더를 만들 수 없습니다: {target} (경로 중간에 파일이 있습니다). "
                              f"{hint}.") from None
    except OSError as exc:
        raise ModelCacheError(f"모델 캐시 폴더를 만들 수 없습니다: {target} ({exc.strerror}). {hint}.") from None
    if not os.access(target, os.W_OK | os.X_OK):
        raise ModelCacheError(f"모델 캐시 폴더에 쓸 권한이 없습니다(읽기 전용): {target}. {hint}.")
    return target


def clean_stale_downloads(folder: Path) -> list[Path]:
    """끊긴 내려받기가 남긴 임시 폴더를 지우고 지운 것을 돌려줍니다.

    주인 프로세스(이름의 pid)가 이미 끝났거나, :data:`STALE_SECONDS` 보다 오래된 것만 지웁니다. 같은 캐시에서
    지금 내려받는 다른 프로세스의 임시 폴더는 건드리지 않습니다.
    """
    removed = []
    for entry in folder.glob(_TEMP_PREFIX + "*"):
        try:
            pid = int(entry.name[len(_TEMP_PREFIX):].split("-")[0])
            old = time.time() - entry.stat().st_mtime > STALE_SECONDS
        except (ValueError, OSError):
            continue
        if old or not process_alive(pid):
            shutil.rmtree(entry, ignore_errors=True)
            removed.append(entry)
    return removed


def _download(info: ModelInfo, model_dir) -> Path:
    target_dir = prepare_cache_dir()
    clean_stale_downloads(target_dir)
    keras = load_keras()
    try:
        temp = tempfile.mkdtemp(prefix=f"{_TEMP_PREFIX}{os.getpid()}-", dir=target_dir)
    except OSError as exc:
        raise ModelCacheError(f"모델 캐시 폴더에 쓸 수 없습니다: {target_dir} ({exc.strerror}). 환경 변수 "
                              "DEEPLAB_LESSONS_CACHE_DIR를 쓸 수 있는 폴더로 바꾸세요.") from None
    try:
        try:
            fetched = Path(keras.utils.get_file(info.filename, origin=info.url, cache_dir=temp, cache_subdir="."))
        except Exception as exc:  # 네트워크 오류, HTTP 오류, 중단 등 — 임시 폴더째 지워집니다.
            raise _not_found(info, model_dir, reason=f"내려받기 실패: {type(exc).__name__}: {exc}") from None
        verify_checksum(fetched, info)
        if info.checksum is None and info.kind == "frozen_graph":
            _check_frozen_graph(fetched, info)
        os.chmod(fetched, _default_mode())
        final = target_dir / info.filename
        os.replace(fetched, final)   # 같은 파일 시스템 안이므로 원자적으로 옮겨집니다.
    finally:
        shutil.rmtree(temp, ignore_errors=True)
    return final


def _default_mode() -> int:
    return default_file_mode()


def _check_frozen_graph(path: Path, info: ModelInfo) -> None:
    """체크섬이 공개되지 않은 tarball: 캐시에 두기 전에 frozen graph를 읽고 입출력 텐서가 있는지 확인합니다.

    Raises:
        ModelFileError: tarball이 손상되었거나, frozen graph가 없거나 읽을 수 없을 때.
    """
    data = read_frozen_graph(path)
    graph_def = load_tensorflow().compat.v1.GraphDef()
    try:
        graph_def.ParseFromString(data)
    except Exception:  # protobuf DecodeError
        raise ModelFileError(f"내려받은 {info.filename} 안의 frozen graph가 손상되었습니다. 캐시에 두지 않았습니다. "
                             f"다시 내려받으세요: {info.url}") from None
    names = {node.name for node in graph_def.node}
    missing = [t for t in (INPUT_TENSOR_NAME, OUTPUT_TENSOR_NAME) if t.split(":")[0] not in names]
    if missing:
        raise ModelFileError(f"내려받은 {josa(info.filename, '은')} DeepLab frozen graph가 "
                             f"아닙니다({', '.join(missing)} "
                             f"없음). 캐시에 두지 않았습니다. 주소를 확인하세요: {info.url}")


def _not_found(info: ModelInfo, model_dir, reason: str) -> ModelNotFoundError:
    places = [f"  - {d}" for d in search_dirs(model_dir)]
    return ModelNotFoundError(
        f"모델 파일 {josa(info.filename, '을')} 찾지 못했습니다({reason}).\n찾아본 곳:\n" + "\n".join(places)
        + f"\n공식 주소: {info.url}\n인터넷이 되는 곳에서 이 주소의 파일을 받아 위 폴더 중 하나(예: 환경 변수 "
        f"DEEPLAB_LESSONS_MODEL_DIR가 가리키는 폴더나 {cache_dir()})에 같은 이름으로 두세요.")


def local_file(path) -> Path:
    """사용자가 직접 준 모델 파일 경로를 확인합니다(``~`` 는 홈 폴더).

    Raises:
        ModelNotFoundError: 파일이 없거나 일반 파일이 아닐 때(받은 경로와 절대 경로를 알려 줍니다).
        ModelFileUnreadableError: 읽을 권한이 없을 때.
    """
    path = Path(os.fspath(path)).expanduser()
    if not os.path.isfile(path):
        what = "일반 파일이 아닙니다(폴더, FIFO 등)" if os.path.exists(path) else "없습니다"
        raise ModelNotFoundError(f"모델 파일이 {what}: {path} (절대 경로: {os.path.abspath(path)}). "
                                 "경로를 확인하세요.")
    try:                    # 권한이 없는 파일을 TFLite 해석기나 tarfile이 "손상됨"이라 하기 전에
        with open(path, "rb"):
            pass
    except PermissionError:
        raise ModelFileUnreadableError(
            f"모델 파일을 읽을 권한이 없습니다(permission denied): {os.path.abspath(path)}. 파일이 손상된 것은 "
            "아닙니다. 파일 권한을 확인하세요(예: chmod a+r).") from None
    return path


def model_labels(path: Path, num_classes: int | None, info: ModelInfo | None = None) -> tuple[str, ...] | None:
    """모델의 클래스 이름들(번호 순서). 이름을 모르면 ``None`` (번호로 보입니다).

    ``num_classes`` 는 모델에서 읽은 클래스 수(frozen graph처럼 알 수 없으면 ``None``).

    순서: 등록부 항목의 이름(클래스 수가 맞을 때) → ``.tflite`` 메타데이터에 든 이름 목록(``labelmap.txt`` 등,
    줄 수가 클래스 수와 같을 때) → 모델 파일 옆의 ``classes.txt`` (미세 조정이 내보낸 것, 줄 수가 클래스 수와 같을
    때) → 내용이 등록된 파일과 같으면(체크섬) 그 항목의 이름.
    """
    if info is not None and (num_classes is None or num_classes == len(info.labels)):
        return info.labels
    if num_classes is not None:
        for names in (_metadata_labels(path), _sidecar_labels(path)):
            if names is not None and len(names) == num_classes:
                return names
    for entry in MODELS.values():
        if entry.filename == Path(path).name and entry.checksum \
                and (num_classes is None or len(entry.labels) == num_classes):
            try:
                if file_digest(path, entry.checksum[0]) == entry.checksum[1]:
                    return entry.labels
            except ModelFileError:
                return None
    return None


#: 미세 조정이 내보낸 TFLite 옆에 두는 전처리 표시 파일. 내용 ``pad`` 는 "학습·Keras처럼 긴 변을 입력 크기에 맞추고
#: 오른쪽·아래를 채워 넣는다"는 뜻입니다. 없으면 공식 TFLite처럼 영상을 S×S로 늘려 넣습니다(안드로이드 예제의 방식).
PREPROCESSING_SIDECAR = "preprocessing.txt"
PAD_INPUT = "pad"


def pads_input(path) -> bool:
    """모델 파일 옆에 :data:`PREPROCESSING_SIDECAR` 가 있고 그 내용이 ``pad`` 인지."""
    try:
        return Path(path).with_name(PREPROCESSING_SIDECAR).read_text(encoding="utf-8").strip() == PAD_INPUT
    except (OSError, UnicodeDecodeError):
        return False


def _sidecar_labels(path: Path) -> tuple[str, ...] | None:
    """모델 파일 옆의 ``classes.txt`` (한 줄에 이름 하나). 없거나 읽을 수 없으면 ``None``."""
    sidecar = Path(path).with_name("classes.txt")
    try:
        lines = sidecar.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    return tuple(line.strip() for line in lines if line.strip())


def _metadata_labels(path: Path) -> tuple[str, ...] | None:
    """TFLite 메타데이터가 붙은 파일은 끝에 zip으로 이름 목록(.txt)을 담습니다. 없으면 ``None``."""
    try:
        with zipfile.ZipFile(path) as archive:
            texts = [n for n in archive.namelist() if n.lower().endswith(".txt")]
            if len(texts) != 1:
                return None
            lines = archive.read(texts[0]).decode("utf-8").splitlines()
    except (zipfile.BadZipFile, OSError, UnicodeDecodeError, KeyError):
        return None
    return tuple(line.strip() for line in lines if line.strip())
