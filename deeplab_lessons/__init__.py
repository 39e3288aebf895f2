"""deeplab-lessons: DeepLab 강좌 노트북이 함께 쓰는 도우미 패키지.

``import deeplab_lessons`` 는 TensorFlow를 불러오지 않습니다. NumPy만 쓰는 강의는 바로 시작되고,
TensorFlow가 필요한 모듈은 :func:`load_tensorflow` 로 필요할 때 불러옵니다.

모듈은 강의 순서를 따릅니다(앞 강의의 모듈만 가져다 씁니다):

- ``errors``: 패키지의 오류 계열과 인자 검사, ``exercises``: 연습문제 채점,
  ``progress``: 오래 걸리는 셀의 진행 표시(단계마다 한 줄, 경과·남은 시간)
- ``voc``: PASCAL VOC 클래스 이름(영어·한국어)과 색상표, ``course``: 강좌 지도
- ``fully_convolutional``, ``upsampling`` (1강: 분류기를 완전 합성곱으로, 전치 합성곱·쌍선형 업샘플링)
- ``atrous`` (2강), ``receptive_field`` (3강), ``layers`` (4강: ASPP), ``counting``·``mobilenet`` (5강),
  ``models`` (6강)
- ``encoder_decoder`` (1강의 U-Net 대 v3+ 디코더 비교: ``models`` 뒤에 있어야 하는 부분)
- ``image_io``, ``pretrained``, ``metrics`` (7–8강: 영상 입력, 사전 학습 모델, 평가)
- ``crf``, ``refine`` (9강: DenseCRF, 여러 배율·뒤집기와 경계 띠 정확도)
- ``data``, ``losses``, ``training``, ``ablation`` (10강: 합성 장면, 손실, 학습, 구성 요소 비교)
- ``exercise_bank``: 모든 강의의 연습문제(맨 뒤: 앞의 모듈을 모두 기준 구현으로 씀)
- ``environment``: 실행 환경 점검
- ``viz``, ``figures``: 그림 (노트북과 명령줄만 가져다 씁니다), ``__main__``: 명령줄
"""

import os as _os

# TensorFlow의 C++ 시작 로그가 노트북 출력에 섞이지 않도록, TF를 처음 불러오기 전에 설정합니다.
_os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
_os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

from deeplab_lessons._tf import load_keras, load_tensorflow  # noqa: E402
from deeplab_lessons.errors import DeepLabLessonsError  # noqa: E402

__version__ = "0.1.0"

__all__ = ["DeepLabLessonsError", "load_keras", "load_tensorflow", "__version__"]
