"""TensorFlow와 Keras를 조용히, 필요할 때 한 번만 불러옵니다.

TF 2.20 이후 버전은 ``TF_CPP_MIN_LOG_LEVEL`` 을 설정해도 로그 초기화 이전의 C++ 메시지
("All log messages before absl::InitializeLog() ...", oneDNN 안내 등)를 표준 오류(파일 디스크립터 2)에
직접 씁니다. 노트북은 표준 오류도 출력으로 저장하고 nbval은 그것까지 비교하므로, TF를 불러오고
장치를 초기화하는 동안만 디스크립터 2를 ``/dev/null`` 로 돌립니다. 그 뒤의 경고와 오류는 그대로 보입니다.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import sys
import warnings
from types import ModuleType

from deeplab_lessons.errors import DeepLabLessonsError

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
# oneDNN 최적화를 기본으로 끕니다. (1) TF 2.21의 oneDNN 합성곱 기울기 계산에서 힙 메모리 손상(segfault)이
# field_of_view 노트북의 테스트 중에 재현되었고, 끄면 사라졌습니다. (2) oneDNN은 CPU마다 계산 순서가 달라 결과가 조금씩
# 다릅니다. 강좌는 어느 CPU에서나 같은 숫자를 보여야 합니다. 켜려면 환경 변수를 1로 두세요.
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")


@contextlib.contextmanager
def quiet_native_stderr():
    """블록 안에서 C/C++ 코드가 표준 오류(디스크립터 2)에 쓰는 내용을 버립니다."""
    try:
        sys.stderr.flush()
    except (AttributeError, ValueError):
        pass
    saved = os.dup(2)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


def load_tensorflow() -> ModuleType:
    """``tensorflow`` 모듈을 시작 로그 없이 불러와 돌려줍니다(두 번째부터는 바로 돌려줌).

    Raises:
        DeepLabLessonsError: TensorFlow가 설치되어 있지 않을 때.
    """
    tf = sys.modules.get("tensorflow")
    if tf is not None and getattr(tf, "_deeplab_lessons_ready", False):
        return tf
    try:
        with quiet_native_stderr():
            tf = importlib.import_module("tensorflow")
            tf.config.list_logical_devices()  # 장치 초기화 메시지도 여기서 흘려보냅니다.
    except ImportError as exc:
        raise DeepLabLessonsError(
            "TensorFlow를 불러오지 못했습니다. 저장소 폴더에서 `make lab` 또는 "
            "`pip install -e .` 로 설치했는지 확인하세요. (import tensorflow failed: "
            f"{exc})"
        ) from exc
    tf.get_logger().setLevel("ERROR")
    tf._deeplab_lessons_ready = True
    return tf


def load_keras() -> ModuleType:
    """TensorFlow를 조용히 불러온 뒤 ``keras`` (Keras 3) 모듈을 돌려줍니다."""
    load_tensorflow()
    return importlib.import_module("keras")
