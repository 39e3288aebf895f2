"""테스트 중에 ``../shared`` 를 읽지 못하게 하는 감시(audit hook). 학습자의 복제본에는 ``../shared`` 가 없습니다.

``tests/conftest.py`` 가 이 폴더를 ``PYTHONPATH`` 앞에 두므로, pytest 프로세스뿐 아니라 nbval이 띄우는 노트북
커널도 시작할 때 이 파일을 불러옵니다. ``DEEPLAB_LESSONS_FORBIDDEN_DIR`` (``../shared`` 의 절대 경로) 아래의 파일을
열거나 폴더를 나열하면 ``PermissionError`` 가 납니다. 단 하나의 예외는 공식 모델의 대역
``DEEPLAB_LESSONS_MODEL_DIR`` 입니다(공식 주소에 닿지 않는 이 기계에서만 쓰는 것).
"""

import os
import sys


def _install() -> None:
    forbidden = os.environ.get("DEEPLAB_LESSONS_FORBIDDEN_DIR")
    if not forbidden:
        return
    forbidden = os.path.realpath(forbidden)
    allowed = os.environ.get("DEEPLAB_LESSONS_MODEL_DIR")
    allowed = os.path.realpath(allowed) if allowed else None

    def inside(path: str, folder: str) -> bool:
        return path == folder or path.startswith(folder + os.sep)

    def hook(event: str, args: tuple) -> None:
        if event not in ("open", "os.listdir", "os.scandir") or not args:
            return
        target = args[0]
        if isinstance(target, int) or target is None:
            return
        try:
            path = os.path.realpath(os.fsdecode(target))
        except (TypeError, ValueError):
            return
        if inside(path, forbidden) and not (allowed and inside(path, allowed)):
            raise PermissionError(f"테스트는 ../shared 를 읽으면 안 됩니다(학습자 기계에는 없음): {path}. "
                                  "저장소의 data/ 에 있는 것을 쓰세요.")

    sys.addaudithook(hook)


_install()
