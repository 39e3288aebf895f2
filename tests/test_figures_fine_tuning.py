"""미세 조정 강의의 그림: 자르기(채운 부분은 흰색), 내 클래스의 혼동 행렬(행마다 비율), 가장 나쁜 영상(틀린 화소)."""

import numpy as np

from deeplab_lessons import voc
from deeplab_lessons.figures import fine_tuning as figures

NAMES = ("배경", "사람", "탈것")


def test_crop_examples_paint_ignore_white_and_list_every_class():
    mask = np.zeros((5, 5), np.uint8)
    mask[3:, :] = voc.IGNORE_LABEL
    fig = figures.crop_examples([(np.zeros((5, 5, 3), np.uint8), mask)] * 2, NAMES)
    shown = np.asarray(fig.axes[2].images[0].get_array())        # 아래 줄의 첫 칸: 첫 자르기의 마스크
    assert (shown[3:] == 255).all() and (shown[:3] == 0).all()
    assert [t.get_text() for t in fig.legends[0].get_texts()] == [*NAMES, "무시(255)"]


def test_class_confusion_normalises_rows():
    matrix = np.array([[8, 2, 0], [1, 3, 0], [0, 0, 0]])
    fig = figures.class_confusion(matrix, NAMES)
    shown = np.asarray(fig.axes[0].images[0].get_array())
    assert shown[0].tolist() == [0.8, 0.2, 0.0] and shown[1].tolist() == [0.25, 0.75, 0.0] and shown[2].sum() == 0
    assert [t.get_text() for t in fig.axes[0].get_xticklabels()] == list(NAMES)


def test_worst_images_mark_wrong_pixels_but_not_ignored_ones():
    truth = np.array([[0, 1], [voc.IGNORE_LABEL, 2]], np.uint8)
    prediction = np.array([[0, 2], [1, 2]], np.uint8)
    fig = figures.worst_images([("영상 하나", np.zeros((2, 2, 3), np.uint8), truth, prediction)], NAMES)
    error = np.asarray(fig.axes[3].images[0].get_array())
    assert error[0, 1].tolist() == [230, 30, 30] and error[1, 0].tolist() == [235, 235, 235]
    assert fig.axes[0].get_title() == "영상 하나"
