"""영상 입력을 한 곳에서: 경로·PIL 영상·NumPy 배열을 받아 EXIF 방향을 반영한 RGB uint8 배열로.

영상에 관한 모든 검사와 한국어 오류는 여기에만 있습니다. 추론 백엔드는 검사된 배열만 받습니다.
흑백, RGBA, 팔레트, 16비트, CMYK 영상은 오류 없이 RGB로 바꿉니다.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from deeplab_lessons.errors import ImageReadError

#: 허용하는 가장 큰 영상(화소 수). Pillow의 기본 한도(약 8,900만)보다 크게, 메모리는 유한하게.
MAX_PIXELS = 200_000_000


def load_image(image) -> np.ndarray:
    """영상을 ``(H, W, 3)`` uint8 RGB 배열로 읽습니다.

    Args:
        image: 파일 경로(str 또는 Path), ``PIL.Image.Image``, 또는 ``(H, W)``/``(H, W, 3)``/``(H, W, 4)``
            uint8 배열.

    Raises:
        ImageReadError: 파일이 없거나 읽을 수 없을 때, 이미지 파일이 아닐 때, 파일이 잘렸을 때,
            배열의 모양·자료형이 맞지 않을 때.
    """
    if isinstance(image, (str, os.PathLike)):
        return _from_pil(_open(Path(image)), str(Path(image).name))
    if isinstance(image, Image.Image):
        return _from_pil(image, "PIL 영상")
    if isinstance(image, np.ndarray):
        return _from_array(image)
    raise ImageReadError(
        f"영상으로 쓸 수 없는 값입니다(받은 자료형: {type(image).__name__}). 파일 경로, PIL.Image, "
        "또는 (높이, 너비, 3) uint8 NumPy 배열을 넣으세요.")


def _open(path: Path) -> Image.Image:
    if not path.exists():
        raise ImageReadError(f"영상 파일이 없습니다: {path.name}. 경로를 확인하세요. (file not found)")
    if path.is_dir():
        raise ImageReadError(f"영상 파일이 아니라 폴더입니다: {path.name}. 영상 파일 경로를 넣으세요.")
    try:
        image = Image.open(path)
        image.load()
    except PermissionError:
        raise ImageReadError(f"영상 파일을 읽을 권한이 없습니다: {path.name}. 파일 권한을 확인하세요.") from None
    except UnidentifiedImageError:
        raise ImageReadError(
            f"이미지 파일이 아닙니다: {path.name}. JPEG, PNG 같은 영상 파일을 넣으세요. "
            "(cannot identify image file)") from None
    except Image.DecompressionBombError:
        raise ImageReadError(
            f"영상이 너무 큽니다: {path.name}. {MAX_PIXELS:,}화소 이하로 줄여서 넣으세요.") from None
    except (OSError, SyntaxError) as exc:
        raise ImageReadError(
            f"영상 파일이 잘렸거나 손상되었습니다: {path.name}. 파일을 다시 받거나 다른 영상을 쓰세요. "
            f"({exc})") from None
    return image


def _from_pil(image: Image.Image, label: str) -> np.ndarray:
    """EXIF 방향을 반영하고(보이는 그대로), 어떤 모드든 RGB uint8로 바꿉니다."""
    if image.width * image.height > MAX_PIXELS:
        raise ImageReadError(f"영상이 너무 큽니다({label}: {image.width}×{image.height}). "
                             f"{MAX_PIXELS:,}화소 이하로 줄여서 넣으세요.")
    try:
        image = ImageOps.exif_transpose(image)
    except (OSError, SyntaxError, ValueError) as exc:
        raise ImageReadError(f"영상({label})을 읽는 중 손상된 부분을 만났습니다: {exc}") from None
    if image.mode in ("I;16", "I;16B", "I;16L", "I", "F"):
        return _from_array(_wide_to_uint8(np.asarray(image)))
    return np.asarray(image.convert("RGB"))


def _wide_to_uint8(array: np.ndarray) -> np.ndarray:
    """16비트·32비트 정수나 실수 흑백 영상을 0–255로 바꿉니다(16비트는 ÷257, 그 밖은 최솟값–최댓값)."""
    if array.dtype == np.uint16 or array.dtype.str.endswith("u2"):
        return (array.astype(np.uint32) // 257).astype(np.uint8)
    array = array.astype(np.float64)
    low, high = float(array.min()), float(array.max())
    scaled = (array - low) / (high - low) * 255 if high > low else np.zeros_like(array)
    return scaled.round().astype(np.uint8)


def _from_array(array: np.ndarray) -> np.ndarray:
    if array.dtype == np.uint16:
        array = _wide_to_uint8(array)
    if array.dtype != np.uint8:
        raise ImageReadError(
            f"배열 영상은 uint8이어야 합니다(받은 자료형: {array.dtype}). 0–255 값의 uint8 배열로 바꿔 넣으세요. "
            "(예: (x * 255).astype(np.uint8))")
    if array.ndim == 2:
        array = np.stack([array] * 3, axis=-1)
    if array.ndim != 3 or array.shape[2] not in (3, 4) or array.shape[0] == 0 or array.shape[1] == 0:
        raise ImageReadError(
            f"배열 영상의 모양이 올바르지 않습니다(받은 모양: {array.shape}). (높이, 너비, 3) 모양이어야 합니다.")
    return np.ascontiguousarray(array[..., :3])
