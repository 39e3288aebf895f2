import numpy as np
from PIL import Image

from deeplab_lessons import figures, voc


def test_truth_vs_prediction_shows_void_in_white_and_every_class_in_the_legend():
    truth = np.zeros((6, 8), np.uint8)
    truth[2:4, 2:4] = 3
    truth[1, :] = voc.IGNORE_LABEL
    prediction = np.zeros((6, 8), np.uint8)
    prediction[0, 0] = 15
    rgb = np.full((6, 8, 3), 100, np.uint8)
    fig = figures.truth_vs_prediction(rgb, truth, prediction, "시험")
    shown_truth = fig.axes[1].images[0].get_array()
    assert (np.asarray(shown_truth[1]) == 255).all()
    legend = [t.get_text() for t in fig.axes[3].get_legend().get_texts()]
    assert legend == [voc.class_label(0), voc.class_label(3), voc.class_label(15)]
    assert [ax.get_title() for ax in fig.axes[:3]] == ["입력 영상", "정답", "예측"]


def _photo():
    import skimage.data

    return skimage.data.chelsea()     # 451×300


def test_photo_cell_path_with_exif_rotated_photo(tflite_model, tmp_path):
    """7강 "내 사진으로 해 보기" 셀이 부르는 그대로: figures.photo_segmentation(model, 경로)."""
    from deeplab_lessons import figures

    upright = _photo()                                        # 451×300 (가로)
    lying = Image.fromarray(upright).transpose(Image.Transpose.ROTATE_90)   # 300×451로 눕힘
    exif = Image.Exif()
    exif[0x0112] = 6                                          # 보는 프로그램은 시계 방향 90°로 다시 세움
    path = tmp_path / "portrait.jpg"
    lying.save(path, exif=exif, quality=95)
    fig = figures.photo_segmentation(tflite_model, path, "portrait.jpg")
    shown = [ax.images[0].get_array() for ax in fig.axes[:3]]
    assert all(picture.shape[:2] == (300, 451) for picture in shown)
    assert shown[0].shape[:2] == upright.shape[:2]
