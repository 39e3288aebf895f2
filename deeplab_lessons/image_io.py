"""영상 입력을 한 곳에서: 경로·PIL 영상·NumPy 배열을 받아 EXIF 방향을 반영한 RGB uint8 배열로.

영상에 관한 모든 검사와 한국어 오류는 여기에만 있습니다. 추론 백엔드는 검사된 배열만 받습니다.
흑백, RGBA, 팔레트, 16비트, CMYK 영상은 오류 없이 RGB로 바꿉니다. 결과가 조용히 틀어질 입력(0–255 값만 든
16비트 영상, NaN이 든 실수 영상)은 바꾸지 않고 무엇을 하면 되는지 알려 줍니다.
"""

from __future__ import annotations

import os
import re
import stat
import struct
import warnings
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from deeplab_lessons.errors import ImageReadError, josa

#: 허용하는 가장 큰 영상(화소 수). Pillow가 압축 폭탄으로 보고 거부하는 경계(``2 × Image.MAX_IMAGE_PIXELS``,
#: 기본 89,478,485의 두 배)와 같은 수입니다. 이 아래의 큰 영상에 Pillow가 내는 영어 경고는 숨깁니다.
MAX_PIXELS = 2 * 89_478_485

#: Pillow가 파일을 해독하다 내는 예외들(손상·잘림·지원하지 않는 변형). 모두 "파일이 손상됨"으로 알립니다.
_DECODE_ERRORS = (OSError, SyntaxError, ValueError, RuntimeError, EOFError, struct.error, IndexError,
                  KeyError, TypeError, ZeroDivisionError)

#: HEIC(아이폰 사진) 파일의 ``ftyp`` 상자 주 브랜드(HEVC로 압축한 HEIF). AVIF도 쓰는 일반 브랜드 mif1은 뺍니다.
_HEIF_BRANDS = (b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx")


def load_image(image) -> np.ndarray:
    """영상을 ``(H, W, 3)`` uint8 RGB 배열로 읽습니다.

    Args:
        image: 파일 경로(str 또는 Path, ``~`` 는 홈 폴더), ``PIL.Image.Image``, 또는 ``(H, W)``/``(H, W, 3)``/
            ``(H, W, 4)`` uint8 배열(0–65535를 쓰는 uint16도 받습니다).

    Raises:
        ImageReadError: 파일이 없거나 읽을 수 없을 때(경로, 절대 경로, 작업 폴더를 알려 줍니다), URL이나 빈
            문자열일 때, 이미지 파일이 아닐 때, 파일이 잘렸을 때, 너무 클 때, PIL 영상이 이미 닫혔을 때,
            배열의 모양·자료형·값이 맞지 않을 때.
    """
    if isinstance(image, (str, os.PathLike)):
        path = _check_path(image)
        return _read_file(path, label=path.name)
    if isinstance(image, Image.Image):
        _load_pil(image)
        return _from_pil(image, "PIL 영상")
    if isinstance(image, np.ndarray):
        return _from_array(image)
    raise ImageReadError(
        f"영상으로 쓸 수 없는 값입니다(받은 자료형: {type(image).__name__}). 파일 경로, PIL.Image, "
        "또는 (높이, 너비, 3) uint8 NumPy 배열을 넣으세요.")


# ---------------------------------------------------------------- 경로

def _check_path(value) -> Path:
    """경로 문자열의 흔한 실수(빈 문자열, URL, 끝의 줄바꿈)를 알리고 ``~`` 를 펼친 :class:`Path`."""
    text = os.fspath(value)
    if isinstance(text, bytes):
        text = os.fsdecode(text)
    if not text.strip():
        raise ImageReadError(f"영상 경로가 비어 있습니다(받은 값: {text!r}). 영상 파일의 경로를 넣으세요.")
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]+:/", text.strip()):     # Path("https://x")는 "https:/x"가 됩니다.
        raise ImageReadError(
            f"URL은 여기서 내려받지 않습니다(받은 값: {text!r}) — 먼저 파일로 저장한 뒤 그 경로를 넣으세요.")
    path = Path(text).expanduser()
    if text != text.strip() and not os.path.exists(path) and os.path.exists(Path(text.strip()).expanduser()):
        raise ImageReadError(
            f"경로 앞뒤에 줄바꿈이나 공백이 붙어 있습니다(받은 값: {text!r}). 파일 목록을 읽었다면 "
            f".strip()으로 지우세요: {text.strip()!r}")
    return path


def _where(path: Path) -> str:
    """오류 메시지에 붙일 위치 설명: 받은 경로, 절대 경로, 작업 폴더."""
    return f"(받은 경로: {str(path)!r}, 절대 경로: {os.path.abspath(path)}, 작업 폴더: {os.getcwd()})"


def _check_regular_file(path: Path) -> None:
    """열기 전에 확인: 있고, 폴더나 FIFO·장치가 아닌 일반 파일인지(FIFO를 열면 멈춥니다)."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise ImageReadError(f"영상 파일이 없습니다: {path.name} {_where(path)}. 경로를 확인하세요. "
                             "(file not found)") from None
    except NotADirectoryError:
        raise ImageReadError(f"영상 경로의 중간에 폴더가 아닌 파일이 있습니다: {path} {_where(path)}. "
                             "경로를 확인하세요.") from None
    except PermissionError:
        raise ImageReadError(f"영상 파일이 든 폴더에 들어갈 권한이 없습니다: {path.parent} {_where(path)}. "
                             "폴더 권한(실행 권한 x)을 확인하거나 영상을 다른 폴더로 옮기세요.") from None
    if stat.S_ISDIR(info.st_mode):
        raise ImageReadError(f"영상 파일이 아니라 폴더입니다: {path.name} {_where(path)}. 영상 파일 경로를 넣으세요.")
    if not stat.S_ISREG(info.st_mode):
        raise ImageReadError(f"일반 파일이 아닙니다(FIFO, 소켓, 장치 등): {path.name} {_where(path)}. "
                             "디스크에 저장된 영상 파일을 넣으세요.")


def _read_file(path: Path, label: str) -> np.ndarray:
    """파일을 열어 RGB 배열로 읽고 곧바로 닫습니다(여러 프레임의 GIF·TIFF도 파일 핸들을 남기지 않음)."""
    _check_regular_file(path)
    try:
        with warnings.catch_warnings():
            _hide_pillow_warnings()
            with Image.open(path) as image:
                _check_size(image.width, image.height, label)
                image.load()
                return _from_pil(image, label)
    except PermissionError:
        raise ImageReadError(f"영상 파일을 읽을 권한이 없습니다: {label} {_where(path)}. 파일 권한을 확인하세요.") \
            from None
    except UnidentifiedImageError:
        if _is_heif(path):
            raise _heif_error(label) from None
        raise ImageReadError(
            f"이미지 파일이 아닙니다: {label}. JPEG, PNG 같은 영상 파일을 넣으세요. "
            "(cannot identify image file)") from None
    except Image.DecompressionBombError as exc:
        found = re.search(r"\((\d+) pixels\)", str(exc))
        size = f"{int(found.group(1)):,}화소" if found else "크기 알 수 없음"
        raise ImageReadError(f"영상이 너무 큽니다: {label} ({size}). {MAX_PIXELS:,}화소 이하로 줄여서 "
                             "넣으세요.") from None
    except ImageReadError:
        raise
    except _DECODE_ERRORS as exc:
        if _is_heif(path):     # HEIF를 안다고 나선 다른 플러그인(AVIF 등)이 풀지 못한 경우
            raise _heif_error(label) from None
        raise ImageReadError(
            f"영상 파일이 잘렸거나 손상되었습니다: {label}. 파일을 다시 받거나 다른 영상을 쓰세요. "
            f"({type(exc).__name__}: {exc})") from None


def _hide_pillow_warnings() -> None:
    """Pillow의 영어 경고(큰 영상의 DecompressionBombWarning, 잘린 TIFF의 UserWarning)를 숨깁니다.

    큰 영상은 :data:`MAX_PIXELS` 로, 잘린 파일은 한국어 오류로 따로 알립니다.
    """
    warnings.simplefilter("ignore", Image.DecompressionBombWarning)
    warnings.filterwarnings("ignore", category=UserWarning, module=r"PIL\.")


def _is_heif(path: Path) -> bool:
    """HEIC/HEIF 파일로 보이는지: 확장자, 또는 파일 앞의 ``ftyp`` 상자 브랜드."""
    if path.suffix.lower() in (".heic", ".heif"):
        return True
    try:
        with open(path, "rb") as handle:
            head = handle.read(12)
    except OSError:
        return False
    return head[4:8] == b"ftyp" and head[8:12] in _HEIF_BRANDS


def _heif_error(label: str) -> ImageReadError:
    return ImageReadError(
        f"HEIC/HEIF 영상(아이폰 사진)은 Pillow가 바로 읽지 못합니다: {label}. JPEG나 PNG로 바꿔 저장하거나(아이폰: "
        "설정 > 카메라 > 포맷 > 높은 호환성), pillow-heif를 설치하고 `import pillow_heif; "
        "pillow_heif.register_heif_opener()` 를 먼저 부르세요.")


# ---------------------------------------------------------------- PIL 영상

def _load_pil(image: Image.Image) -> None:
    """사용자가 넘긴 PIL 영상의 화소를 읽어 둡니다. 이미 닫힌 영상이면 무엇을 하면 되는지 알려 줍니다."""
    try:
        with warnings.catch_warnings():
            _hide_pillow_warnings()
            image.load()
    except (AssertionError, ValueError) as exc:
        if getattr(image, "fp", None) is None:
            raise ImageReadError(
                "PIL 영상이 이미 닫혀 있어 화소를 읽을 수 없습니다. `with Image.open(...) as image:` 블록이 "
                "끝나거나 image.close()를 부르면 파일이 닫힙니다. 블록 안에서 넘기거나, Image.open으로 다시 "
                "열거나, 파일 경로를 그대로 넘기세요.") from None
        raise ImageReadError(f"PIL 영상의 화소를 읽지 못했습니다: 영상이 손상되었습니다. "
                             f"({type(exc).__name__}: {exc})") from None
    except _DECODE_ERRORS as exc:
        raise ImageReadError(f"PIL 영상의 화소를 읽지 못했습니다: 파일이 잘렸거나 손상되었습니다. "
                             f"({type(exc).__name__}: {exc})") from None


def _check_size(width: int, height: int, label: str) -> None:
    if width == 0 or height == 0:
        raise ImageReadError(f"영상의 크기가 0입니다({label}: {width}×{height}). 화소가 있는 영상을 넣으세요.")
    if width * height > MAX_PIXELS:
        raise ImageReadError(f"영상이 너무 큽니다({label}: {width}×{height} = {width * height:,}화소). "
                             f"{MAX_PIXELS:,}화소 이하로 줄여서 넣으세요.")


def _from_pil(image: Image.Image, label: str) -> np.ndarray:
    """EXIF 방향을 반영하고(보이는 그대로), 어떤 모드든 RGB uint8로 바꿉니다."""
    _check_size(image.width, image.height, label)
    try:
        image = ImageOps.exif_transpose(image)
    except _DECODE_ERRORS as exc:
        raise ImageReadError(f"영상({label})을 읽는 중 손상된 부분을 만났습니다: {exc}") from None
    if image.mode in ("I;16", "I;16B", "I;16L", "I;16N", "I", "F"):
        return _from_array(_wide_to_uint8(np.asarray(image), label, image.mode))
    return np.asarray(image.convert("RGB"))


def _wide_to_uint8(array: np.ndarray, label: str, mode: str) -> np.ndarray:
    """16비트·32비트 정수나 실수 흑백 영상을 0–255로 바꿉니다(16비트는 ÷257, 그 밖은 최솟값–최댓값).

    Raises:
        ImageReadError: NaN·무한대가 있거나, 16비트인데 값이 모두 0–255일 때(8비트 값을 담은 영상으로 보임).
    """
    if np.issubdtype(array.dtype, np.floating):
        _check_finite(array, f"{label}(모드 {mode})")
    if mode.startswith("I;16"):
        _check_not_8bit_in_16bit(array, f"{label}(모드 {mode})")
        return (array.astype(np.uint32) // 257).astype(np.uint8)
    array = array.astype(np.float64)
    low, high = float(array.min()), float(array.max())
    scaled = (array - low) / (high - low) * 255 if high > low else np.zeros_like(array)
    return scaled.round().astype(np.uint8)


# ---------------------------------------------------------------- 배열

def _check_finite(array: np.ndarray, label: str) -> None:
    bad = int(np.count_nonzero(~np.isfinite(array)))
    if bad:
        raise ImageReadError(
            f"영상에 NaN이나 무한대 값이 {bad:,}개 있습니다({label}). 그대로 바꾸면 영상 전체가 검게 됩니다. "
            "np.nan_to_num(x, nan=0.0, posinf=..., neginf=...)으로 먼저 채우세요.")


def _check_not_8bit_in_16bit(array: np.ndarray, label: str) -> None:
    top = int(array.max()) if array.size else 0
    if 0 < top <= 255:
        raise ImageReadError(
            f"16비트 영상인데 값이 모두 0–255 안에 있습니다({label}, 최댓값 {top}). 16비트(0–65535)로 읽으면 "
            "거의 검은 영상이 됩니다. 8비트 값을 16비트에 담은 것이면 x.astype(np.uint8)로 바꿔 넣고, 정말 "
            "어두운 16비트 영상이면 (x // 257).astype(np.uint8)로 직접 바꿔 넣으세요.")


def _dtype_hint(array: np.ndarray) -> str:
    """값의 범위에 맞는 uint8 변환 방법(0–255 배열에 ×255를 권하지 않도록)."""
    if array.dtype == np.bool_:
        return "(x * 255).astype(np.uint8)  # 참/거짓을 흰색/검정으로"
    if not array.size:
        return "x.astype(np.uint8)"
    low, high = float(np.min(array)), float(np.max(array))
    if 0 <= low and high <= 1 and np.issubdtype(array.dtype, np.floating):
        return f"(x * 255).round().astype(np.uint8)  # 값 범위 {low:g}–{josa(f'{high:g}', '는')} 0–1 영상으로 보입니다"
    if -1 <= low < 0 and high <= 1:
        return (f"((x + 1) * 127.5).round().astype(np.uint8)  # 값 범위 {low:g}–{josa(f'{high:g}', '는')} "
                "−1–1 영상으로 보입니다")
    if 0 <= low and high <= 255:
        return f"np.round(x).astype(np.uint8)  # 값 범위 {low:g}–{josa(f'{high:g}', '가')} 이미 0–255입니다"
    return (f"((x - x.min()) / (x.max() - x.min()) * 255).round().astype(np.uint8)  "
            f"# 값 범위 {low:g}–{josa(f'{high:g}', '를')} 0–255로 늘리거나 줄입니다")


def _from_array(array: np.ndarray) -> np.ndarray:
    if np.issubdtype(array.dtype, np.floating):
        _check_finite(array, f"배열, 자료형 {array.dtype}")
    if array.dtype == np.uint16:
        _check_not_8bit_in_16bit(array, "uint16 배열")
        array = (array.astype(np.uint32) // 257).astype(np.uint8)
    if array.dtype != np.uint8:
        raise ImageReadError(
            f"배열 영상은 uint8이어야 합니다(받은 자료형: {array.dtype}). 0–255 값의 uint8 배열로 바꿔 넣으세요. "
            f"(예: {_dtype_hint(array)})")
    if array.ndim == 2:
        array = np.stack([array] * 3, axis=-1)
    if array.ndim != 3 or array.shape[2] not in (3, 4) or array.shape[0] == 0 or array.shape[1] == 0:
        raise ImageReadError(
            f"배열 영상의 모양이 올바르지 않습니다(받은 모양: {array.shape}). (높이, 너비, 3) 모양이어야 합니다.")
    _check_size(array.shape[1], array.shape[0], "배열")
    return np.ascontiguousarray(array[..., :3])


# ---------------------------------------------------------------- 모델 입력

def normalize(rgb):
    """uint8 영상 값(0–255)을 모델 입력의 −1–1로: ``x / 127.5 − 1`` (DeepLab과 MobileNetV2의 전처리).

    NumPy 배열이면 float32 배열을, TF float32 텐서면 텐서를 돌려줍니다(모양은 그대로).
    """
    return rgb / np.float32(127.5) - np.float32(1.0)


def padded_batch(rgb: np.ndarray, size: int) -> np.ndarray:
    """``(h, w, 3)`` uint8 영상을 −1–1로 바꿔 ``(1, size, size, 3)`` float32 배치의 왼쪽 위에 넣습니다.

    남는 오른쪽·아래는 0(= 회색 127.5)으로 채웁니다(공식 frozen graph와 TFLite 예제의 채우기). ``h, w ≤ size``.
    """
    batch = np.zeros((1, size, size, 3), np.float32)
    batch[0, :rgb.shape[0], :rgb.shape[1]] = normalize(rgb)
    return batch
