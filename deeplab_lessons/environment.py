"""실행 환경 점검: 파이썬과 주요 패키지 버전, 한국어 글꼴, 사전 학습 모델 파일이 있는지.

모델마다 등록부의 설명(예: "DeepLab v3, MobileNetV2 (폭 배율 0.5) …")을 함께 보여 줍니다."""

from __future__ import annotations

import importlib.metadata
import platform

from deeplab_lessons import course
from deeplab_lessons.errors import josa
from deeplab_lessons.pretrained import MODELS, find_model_file
from deeplab_lessons.tables import pad

#: 버전을 보여 줄 배포 이름(설치 이름).
PACKAGES = ("numpy", "tensorflow", "keras", "matplotlib", "pillow", "jupyterlab")


def package_versions() -> dict[str, str]:
    """:data:`PACKAGES` 의 설치된 버전. 설치되지 않았으면 ``"없음"``."""
    versions = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = "없음"
    return versions


def model_availability() -> dict[str, bool]:
    """등록된 모델마다 파일이 내려받지 않고도 있는지(모델 폴더·환경 변수·캐시)."""
    return {name: find_model_file(name) is not None for name in MODELS}


def missing_note(name: str) -> str:
    """모델 파일이 없을 때 무엇이 일어나는지 한 줄. 사전 학습 모델 강의(pretrained_inference)와 같은 말을 합니다.

    - TFLite 모델과 그 Keras 재구성(같은 파일): 그 강의의 ``load_model`` 이 처음 부를 때 공식 주소에서 내려받습니다.
    - frozen graph: 선택입니다. 그 강의는 ``download=False`` 로 있을 때만 함께 쓰고 내려받지 않습니다.

    강의 번호는 강좌 지도(:mod:`deeplab_lessons.course`)에서 읽습니다.
    """
    lesson = f"{course.lesson('pretrained_inference').number}강"
    if MODELS[name].kind == "frozen_graph":
        return f"없음 (선택: {josa(lesson, '은')} 있을 때만 씁니다. 받으려면 load_model('{name}'))"
    return f"없음 ({lesson}에서 처음 불러올 때 내려받습니다)"


def report() -> str:
    """환경 점검 결과를 사람이 읽는 한국어 글로 만듭니다(기계마다 다른 경로는 싣지 않습니다)."""
    lines = ["[패키지 버전]"]
    lines += [f"  {pad(name, 11)} {version}" for name, version in package_versions().items()]
    lines.append("[모델 파일] 찾는 순서: 모델 폴더 인자 → DEEPLAB_LESSONS_MODEL_DIR → 캐시")
    for name, found in model_availability().items():
        lines.append(f"  {pad(name, 30)} {'있음' if found else missing_note(name)}")
        lines.append(f"    {MODELS[name].description}")
    return "\n".join(lines)
