"""연습문제 은행: 강의마다 파일 하나(파일 이름 = 노트북 이름에서 번호를 뺀 것, 예: ``atrous_convolution.py``).

파일마다 그 강의의 :class:`~deeplab_lessons.grading.Exercise` 들을 모듈 변수로 둡니다. :data:`BANK` 는 이 폴더의
파일을 읽어 만듭니다(손으로 적은 목록이 없습니다). 새 강의의 문제는 새 파일 하나로 더합니다.

문제 id에는 강의 번호를 넣지 않습니다(강의 번호가 바뀌어도 노트북의 ``exercises.check("id", ...)`` 가 그대로
동작하도록). 정답은 패키지의 기준 구현이 계산합니다. 기준 구현이 TensorFlow를 불러오는 모듈(``layers``,
``models``)에 있으면 함수 안에서 import 하므로, TensorFlow가 필요 없는 강의에서 은행을 불러도 가볍습니다.

코드 문제의 ``model_answer`` 는 학습자가 읽을 풀이이므로 NumPy만으로, 기준 구현과 따로 씁니다.
"""

from __future__ import annotations

import dataclasses
import importlib
import pkgutil

from deeplab_lessons.errors import josa
from deeplab_lessons.grading import Exercise


def _lesson_modules():
    """이 폴더의 강의 파일들(``_`` 로 시작하는 도우미 파일은 빼고), 이름 순."""
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda info: info.name):
        if not info.name.startswith("_"):
            yield importlib.import_module(f"{__name__}.{info.name}")


def _collect() -> dict[str, Exercise]:
    bank: dict[str, Exercise] = {}
    for module in _lesson_modules():
        slug = module.__name__.rsplit(".", 1)[1]
        for value in vars(module).values():
            if isinstance(value, Exercise):
                if value.id in bank:
                    raise RuntimeError(f"연습문제 id {josa(repr(value.id), '가')} 두 번 있습니다({slug}).")
                bank[value.id] = dataclasses.replace(value, lesson=slug)
    return bank


#: 문제 id → 문제. 강의 파일 이름 순, 파일 안에서는 정의한 순서.
BANK: dict[str, Exercise] = _collect()
