import io

import numpy as np
import pytest
from PIL import Image

from deeplab_lessons.errors import ImageReadError
from deeplab_lessons.image_io import load_image


def _save(tmp_path, image, name, **kwargs):
    path = tmp_path / name
    image.save(path, **kwargs)
    return path


def test_missing_directory_and_non_image(tmp_path):
    with pytest.raises(ImageReadError, match="영상 파일이 없습니다: nope.jpg"):
        load_image(tmp_path / "nope.jpg")
    with pytest.raises(ImageReadError, match="폴더입니다"):
        load_image(tmp_path)
    text = tmp_path / "notes.jpg"
    text.write_text("이것은 영상이 아닙니다")
    with pytest.raises(ImageReadError, match="이미지 파일이 아닙니다: notes.jpg"):
        load_image(text)


def test_truncated_jpeg(tmp_path):
    buffer = io.BytesIO()
    Image.fromarray(np.random.default_rng(0).integers(0, 255, (64, 64, 3), np.uint8)).save(buffer, "JPEG")
    path = tmp_path / "cut.jpg"
    path.write_bytes(buffer.getvalue()[: len(buffer.getvalue()) // 2])
    with pytest.raises(ImageReadError, match="잘렸거나 손상"):
        load_image(path)


@pytest.mark.parametrize("mode", ["L", "RGBA", "P", "CMYK", "1", "LA"])
def test_modes_are_converted_to_rgb(tmp_path, mode):
    image = Image.new("RGB", (7, 5), (10, 200, 30)).convert(mode)
    suffix = "jpg" if mode == "CMYK" else "png"
    rgb = load_image(_save(tmp_path, image, f"x.{suffix}"))
    assert rgb.shape == (5, 7, 3) and rgb.dtype == np.uint8
    assert load_image(image).shape == (5, 7, 3)


def test_16_bit_grayscale(tmp_path):
    array = np.array([[0, 65535], [32896, 257]], dtype=np.uint16)
    path = _save(tmp_path, Image.fromarray(array), "deep.png")
    rgb = load_image(path)
    assert rgb.shape == (2, 2, 3)
    assert rgb[0, 1, 0] == 255 and rgb[0, 0, 0] == 0 and rgb[1, 1, 0] == 1 and rgb[1, 0, 0] == 128
    assert load_image(array)[0, 1, 0] == 255


def test_exif_orientation_is_honoured(tmp_path):
    """저장은 가로 40×세로 20, EXIF 방향 6(시계 방향 90° 회전) → 보이는 대로 세로 40×가로 20."""
    image = Image.new("RGB", (40, 20), (255, 0, 0))
    image.paste((0, 0, 255), (0, 0, 10, 20))          # 저장된 영상의 왼쪽 끝이 파랑
    exif = Image.Exif()
    exif[0x0112] = 6
    rgb = load_image(_save(tmp_path, image, "rotated.jpg", exif=exif, quality=95))
    assert rgb.shape == (40, 20, 3)
    assert rgb[2, 10, 2] > 200 and rgb[-2, 10, 0] > 200   # 회전 뒤에는 파랑이 위쪽


def test_arrays():
    assert load_image(np.zeros((3, 4), np.uint8)).shape == (3, 4, 3)
    assert load_image(np.zeros((3, 4, 4), np.uint8)).shape == (3, 4, 3)
    with pytest.raises(ImageReadError, match="uint8이어야"):
        load_image(np.zeros((3, 4, 3), np.float32))
    with pytest.raises(ImageReadError, match="모양이 올바르지 않습니다"):
        load_image(np.zeros((3, 4, 5), np.uint8))
    with pytest.raises(ImageReadError, match="영상으로 쓸 수 없는 값"):
        load_image(42)


def test_unreadable_file(tmp_path, monkeypatch):
    """권한이 없는 파일(루트 계정에서는 chmod로 만들 수 없어 Image.open이 내는 오류를 흉내 냄)."""
    path = tmp_path / "secret.png"
    Image.new("RGB", (4, 4)).save(path)

    def deny(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Image, "open", deny)
    with pytest.raises(ImageReadError, match="읽을 권한이 없습니다: secret.png"):
        load_image(path)
