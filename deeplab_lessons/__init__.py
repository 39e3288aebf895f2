"""deeplab-lessons: DeepLab 강좌 노트북이 함께 쓰는 도우미 패키지.

``import deeplab_lessons`` 는 TensorFlow도 NumPy도 불러오지 않습니다. NumPy만 쓰는 강의는 바로 시작되고,
TensorFlow가 필요한 모듈은 :func:`load_tensorflow` 로 필요할 때 불러옵니다. 아래의 세 이름도 처음 쓸 때
가져옵니다: 그래서 명령줄(``python -m deeplab_lessons``)은 시작하자마자 Ctrl-C 처리기를 걸 수 있습니다.

모듈 하나에 생각 하나이고, 가져오기는 한 방향으로만 갑니다: 기반(오류, 표, 진행 표시) → 개념(NumPy 식:
아트러스 합성곱, 업샘플링, 로짓, 영상 입력, VOC, 평가, 손실, DenseCRF) → 네트워크(Keras 모델과 세기) →
자료·사전 학습(합성 장면, 사전 학습 모델, 시험 시점 다듬기) → 학습 → 연습문제 → 보여 주기(그림, 강좌 지도,
환경 점검, 명령줄). 층마다 어느 모듈이 있는지는 저장소의 ARCHITECTURE.md 에 있고, 테스트가 그 방향을 지킵니다.
강의 순서는 노트북과 :mod:`deeplab_lessons.course` (강좌 지도)에 있습니다.
"""

import os as _os

# TensorFlow의 C++ 시작 로그가 노트북 출력에 섞이지 않도록, TF를 처음 불러오기 전에 설정합니다.
_os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
_os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

__version__ = "0.1.0"

__all__ = ["DeepLabLessonsError", "load_keras", "load_tensorflow", "__version__"]

#: 처음 쓸 때 가져오는 이름과 그 이름이 사는 모듈.
_LAZY = {"DeepLabLessonsError": "deeplab_lessons.errors", "load_keras": "deeplab_lessons._tf",
         "load_tensorflow": "deeplab_lessons._tf"}


def __getattr__(name: str):
    """``deeplab_lessons.load_tensorflow`` 처럼 위의 세 이름을 처음 쓸 때 그 모듈에서 가져옵니다(PEP 562)."""
    if name not in _LAZY:
        raise AttributeError(f"deeplab_lessons 패키지에 {name!r} 이라는 이름은 없습니다")
    import importlib

    value = getattr(importlib.import_module(_LAZY[name]), name)
    globals()[name] = value
    return value
