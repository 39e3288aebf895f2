"""영상 읽기의 가장자리: 닫힌 PIL 영상, 경로 실수, 조용히 틀어지는 배열, Pillow의 영어 오류·경고, FIFO, 파일 핸들."""

import gc
import os
import struct
import threading
import warnings
import zlib

import numpy as np
import pytest
from PIL import Image

from deeplab_lessons import image_io
from deeplab_lessons.errors import DeepLabLessonsError, ImageReadError
from deeplab_lessons.image_io import load_image


def _png(tmp_path, name="a.png", size=(6, 4)):
    path = tmp_path / name
    Image.new("RGB", size, (200, 10, 10)).save(path)
    return path


# ---------------------------------------------------------------- 2. 닫힌 PIL 영상

def test_pil_image_used_after_its_with_block(tmp_path):
    path = _png(tmp_path)
    with Image.open(path) as image:
        pass
    with pytest.raises(ImageReadError, match="이미 닫혀 있어.*다시 열거나.*경로를 그대로"):
        load_image(image)


def test_closed_pil_image_is_not_called_damaged(tmp_path):
    image = Image.open(_png(tmp_path))
    image.load()
    image.close()
    with pytest.raises(ImageReadError, match="이미 닫혀 있어") as error:
        load_image(image)
    assert "손상" not in str(error.value)


# ---------------------------------------------------------------- 3. 경로

def test_missing_file_names_the_path_the_absolute_path_and_the_working_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ImageReadError) as error:
        load_image("photos/cat.jpg")
    message = str(error.value)
    assert "'photos/cat.jpg'" in message
    assert str(tmp_path / "photos" / "cat.jpg") in message and f"작업 폴더: {tmp_path}" in message


def test_tilde_is_expanded(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    _png(tmp_path, "home.png")
    assert load_image("~/home.png").shape == (4, 6, 3)


@pytest.mark.parametrize("url", ["https://example.com/cat.jpg", "http://x/y.png", "file:///tmp/a.png"])
def test_urls_are_not_downloaded(url):
    with pytest.raises(ImageReadError, match="URL은 여기서 내려받지 않습니다.*먼저 파일로 저장"):
        load_image(url)


def test_trailing_newline_and_empty_string(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _png(tmp_path, "list.png")
    with pytest.raises(ImageReadError, match=r"줄바꿈이나 공백.*\.strip\(\)"):
        load_image("list.png\n")
    for empty in ("", "   "):
        with pytest.raises(ImageReadError, match="영상 경로가 비어 있습니다"):
            load_image(empty)


# ---------------------------------------------------------------- 4. 조용히 틀어지는 결과

def test_uint16_array_holding_8_bit_values_is_refused_with_the_right_hint():
    array = np.full((4, 4, 3), 200, np.uint16)
    with pytest.raises(ImageReadError, match=r"0–255 안에.*x\.astype\(np\.uint8\)"):
        load_image(array)
    assert load_image(np.full((2, 2), 65535, np.uint16))[0, 0, 0] == 255   # 진짜 16비트는 그대로 받습니다.


def test_pil_i16_image_converted_from_8_bit_data_is_refused(tmp_path):
    image = Image.fromarray(np.arange(256, dtype=np.uint8).reshape(16, 16)).convert("I;16")
    with pytest.raises(ImageReadError, match="16비트 영상인데 값이 모두 0–255"):
        load_image(image)
    path = tmp_path / "eight_in_sixteen.png"
    image.save(path)
    with pytest.raises(ImageReadError, match="16비트 영상인데"):
        load_image(path)


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_float_image_with_nan_or_inf_is_refused(bad):
    array = np.random.default_rng(0).random((8, 8)).astype(np.float32)
    array[3, 3] = bad
    with pytest.raises(ImageReadError, match="NaN이나 무한대 값이 1개"):
        load_image(Image.fromarray(array, mode="F"))
    with pytest.raises(ImageReadError, match="NaN이나 무한대"):
        load_image(np.stack([array] * 3, axis=-1))


def test_dtype_hint_fits_the_range_found():
    def message(array):
        with pytest.raises(ImageReadError) as error:
            load_image(array)
        return str(error.value)

    assert "x * 255" not in message(np.full((3, 3, 3), 200.0))
    assert "np.round(x).astype(np.uint8)" in message(np.full((3, 3, 3), 200.0))
    assert "(x * 255)" in message(np.full((3, 3, 3), 0.5))
    assert "(x + 1) * 127.5" in message(np.full((3, 3, 3), -0.5))
    assert "np.round(x).astype(np.uint8)" in message(np.full((3, 3, 3), 17, np.int64))
    assert "x.max() - x.min()" in message(np.full((3, 3, 3), 4000.0))


# ---------------------------------------------------------------- 10. Pillow의 오류와 경고

def _corrupt(data: bytes, keep: int) -> bytes:
    return data[:keep] + bytes(len(data) - keep)


@pytest.mark.parametrize("fmt,suffix", [("TIFF", "tif"), ("PPM", "ppm"), ("JPEG2000", "jp2"),
                                        ("AVIF", "avif"), ("PNG", "png"), ("GIF", "gif")])
def test_corrupt_files_of_many_formats_give_korean_errors(tmp_path, fmt, suffix):
    """헤더 뒤를 0으로 덮거나 자른 파일: 어떤 Pillow 예외든 한국어 ImageReadError 하나로."""
    rng = np.random.default_rng(1)
    path = tmp_path / f"x.{suffix}"
    try:
        Image.fromarray(rng.integers(0, 255, (40, 40, 3), np.uint8)).save(path, fmt)
    except (KeyError, OSError):
        pytest.skip(f"이 Pillow는 {fmt}를 쓰지 못합니다")
    data = path.read_bytes()
    for variant in (_corrupt(data, 40), data[:60], data[: len(data) // 2], data[:12] + b"\xff" * 200):
        path.write_bytes(variant)
        try:
            load_image(path)
        except ImageReadError:
            pass   # 한국어 오류면 됩니다. 그 밖의 예외는 테스트를 실패시킵니다.


def test_pillow_value_and_runtime_errors_become_korean(tmp_path, monkeypatch):
    path = _png(tmp_path, "tile.tif")
    for exc in (ValueError("tile cannot extend outside image"), RuntimeError("decoder error -2"),
                struct.error("unpack requires a buffer")):
        def broken(self, exc=exc):
            raise exc
        monkeypatch.setattr(Image.Image, "load", broken)
        with pytest.raises(ImageReadError, match="잘렸거나 손상되었습니다: tile.tif"):
            load_image(path)


def test_folder_without_search_permission(tmp_path, monkeypatch):
    """루트 계정에서는 chmod로 막을 수 없어, 폴더에 실행 권한이 없을 때 os.stat이 내는 오류를 흉내 냅니다."""
    path = _png(tmp_path, "locked.png")
    real_stat = os.stat

    def deny(target, *args, **kwargs):
        if os.fspath(target) == str(path):
            raise PermissionError(13, "Permission denied", str(path))
        return real_stat(target, *args, **kwargs)

    monkeypatch.setattr(image_io.os, "stat", deny)
    with pytest.raises(ImageReadError, match="폴더에 들어갈 권한이 없습니다"):
        load_image(path)


def test_zero_size_images():
    with pytest.raises(ImageReadError, match="크기가 0"):
        load_image(Image.new("RGB", (0, 5)))
    with pytest.raises(ImageReadError, match="모양이 올바르지 않습니다"):
        load_image(np.zeros((0, 5, 3), np.uint8))


def _png_header_only(path, width, height):
    """IHDR만 있고 화소가 없는 PNG(크기 검사용, 몇 바이트)."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IEND", b""))
    return path


def test_pixel_limit_is_one_number_with_pillow(tmp_path):
    assert image_io.MAX_PIXELS == 2 * Image.MAX_IMAGE_PIXELS    # Pillow가 거부하는 경계와 같은 수
    between = _png_header_only(tmp_path / "big.png", 10_000, 9_500)    # 9,500만: Pillow는 경고만
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ImageReadError, match="잘렸거나 손상"):      # 경고가 새지 않고, 화소가 없어 손상
            load_image(between)
    refused = _png_header_only(tmp_path / "huge.png", 19_000, 10_000)  # 1억 9천만: Pillow도 거부
    with pytest.raises(ImageReadError) as error:
        load_image(refused)
    assert f"{image_io.MAX_PIXELS:,}화소 이하" in str(error.value) and "190,000,000화소" in str(error.value)


def test_heic_gets_a_conversion_hint(tmp_path):
    path = tmp_path / "IMG_0001.HEIC"
    path.write_bytes(b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + bytes(100))
    with pytest.raises(ImageReadError, match="HEIC.*JPEG나 PNG로 바꿔.*pillow-heif"):
        load_image(path)
    renamed = tmp_path / "photo.jpg"
    renamed.write_bytes(path.read_bytes())
    with pytest.raises(ImageReadError, match="HEIC"):
        load_image(renamed)


@pytest.mark.parametrize("fmt", ["GIF", "TIFF"])
def test_multi_frame_files_do_not_leak_file_handles(tmp_path, fmt):
    frames = [Image.new("RGB", (8, 8), (i * 40, 0, 0)) for i in range(3)]
    path = tmp_path / f"frames.{fmt.lower()}"
    frames[0].save(path, fmt, save_all=True, append_images=frames[1:])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ResourceWarning)
        for _ in range(3):
            assert load_image(path).shape == (8, 8, 3)
        gc.collect()            # 닫히지 않은 파일은 여기서 "unclosed file" ResourceWarning을 냅니다.
    assert not [w for w in caught if issubclass(w.category, ResourceWarning)]


# ---------------------------------------------------------------- 그 밖: FIFO

def test_fifo_does_not_hang(tmp_path):
    fifo = tmp_path / "pipe.png"
    os.mkfifo(fifo)
    outcome = []
    worker = threading.Thread(target=lambda: outcome.append(_catch(load_image, fifo)), daemon=True)
    worker.start()
    worker.join(timeout=10)
    if worker.is_alive():                                   # 멈췄으면 쓰는 쪽을 열어 풀어 주고 실패시킵니다.
        with open(fifo, "wb"):
            pass
        worker.join(timeout=5)
        pytest.fail("FIFO를 열다가 멈췄습니다")
    assert isinstance(outcome[0], ImageReadError) and "일반 파일이 아닙니다" in str(outcome[0])


def _catch(function, *args):
    try:
        function(*args)
    except Exception as exc:    # 테스트가 예외의 종류를 확인합니다.
        return exc
    return None


def test_every_image_error_is_in_the_family():
    assert issubclass(ImageReadError, DeepLabLessonsError)


def test_url_given_as_a_path_object_is_still_recognised():
    from pathlib import Path

    with pytest.raises(ImageReadError, match="URL은 여기서 내려받지 않습니다"):
        load_image(Path("https://example.com/cat.jpg"))      # Path가 "https:/example.com/cat.jpg"로 줄입니다.
    with pytest.raises(ImageReadError, match="영상 파일이 없습니다"):
        load_image("C:/photos/cat.jpg")                        # 윈도 드라이브 문자는 URL이 아닙니다.
