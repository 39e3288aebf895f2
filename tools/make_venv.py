# -*- coding: utf-8 -*-
"""`make lab` / `make venv` 의 첫 단계: 파이썬을 검사하고 .venv 를 만듭니다(실패하면 한국어로 무엇을 할지 알림).

    python3 -m tools.make_venv .venv

1. 파이썬 버전이 3.10–3.13 인지 봅니다(pyproject.toml 의 requires-python 과 같은 범위).
2. venv·ensurepip 모듈이 있는지 봅니다(Debian/Ubuntu는 python3-venv 패키지에 따로 들어 있음).
3. 반쯤 만들어진 .venv (예: python3-venv 없이 `python3 -m venv` 를 실행해 pip가 빠진 것)를 찾으면 지우고 다시 만듭니다.
4. .venv 를 만든 뒤 그 안의 pip가 도는지 확인합니다. 안 되면 만든 것을 지우고(반쯤 만든 것을 남기지 않음) 알립니다.

pyproject.toml 이 요구하는 버전보다 오래된 파이썬에서도 이 안내가 나오도록, 이 파일은 표준 라이브러리만 쓰고
파이썬 2.7에서도 읽히는 문법만 씁니다(f-문자열 대신 str.format, pyproject.toml 에서 ruff의 UP 규칙을 이 파일만 끔).
테스트: tests/test_make_venv.py
"""

import os
import shutil
import subprocess
import sys

SUPPORTED = ((3, 10), (3, 13))  # 가장 낮은 버전과 가장 높은 버전(둘 다 포함)
PICK_ANOTHER = (
    "다른 파이썬을 쓰려면 make 에 알려 주세요. 예: make lab PYTHON=python3.12\n"
    "(이미 만든 .venv 를 다른 파이썬으로 바꾸려면 먼저 make clean)"
)
INSTALL_VENV = (
    "Debian/Ubuntu 라면 venv 패키지를 설치하세요: sudo apt install python3-venv\n"
    "(파이썬 버전별 패키지일 수도 있습니다. 예: sudo apt install python3.12-venv)"
)


def version_problem(version_info):
    """``version_info`` (예: ``(3, 9, 1)``)가 지원 범위 밖이면 한국어 안내문, 안이면 ``None``."""
    low, high = SUPPORTED
    major_minor = tuple(version_info[:2])
    if low <= major_minor <= high:
        return None
    given = ".".join(str(part) for part in version_info[:3])
    return (
        "파이썬 {given} 은(는) 이 강좌가 지원하지 않는 버전입니다. 파이썬 {low}–{high} 이 필요합니다"
        "(TensorFlow가 휠을 내는 범위).\n{pick}"
    ).format(given=given, low="{}.{}".format(*low), high="{}.{}".format(*high), pick=PICK_ANOTHER)


def modules_problem():
    """venv 와 ensurepip 모듈을 불러올 수 없으면 한국어 안내문, 되면 ``None``."""
    missing = []
    for name in ("venv", "ensurepip"):
        try:
            __import__(name)
        except ImportError:
            missing.append(name)
    if not missing:
        return None
    return "이 파이썬({exe})에는 가상환경을 만드는 모듈({names})이 없습니다.\n{install}\n{pick}".format(
        exe=sys.executable, names=", ".join(missing), install=INSTALL_VENV, pick=PICK_ANOTHER)


def venv_python(venv_dir):
    """가상환경 안의 파이썬 실행 파일 경로(Windows는 Scripts\\python.exe)."""
    if os.name == "nt":
        return os.path.join(venv_dir, "Scripts", "python.exe")
    return os.path.join(venv_dir, "bin", "python")


def venv_state(venv_dir):
    """``venv_dir`` 의 상태: ``"missing"`` (없음), ``"ok"`` (파이썬과 pip가 돎),
    ``"half-made"`` (가상환경 표시 파일 pyvenv.cfg 는 있는데 파이썬이나 pip가 안 돎),
    ``"foreign"`` (가상환경이 아닌 무언가가 그 이름으로 있음: 건드리지 않습니다)."""
    if not os.path.lexists(venv_dir):
        return "missing"
    if not os.path.isfile(os.path.join(venv_dir, "pyvenv.cfg")):
        return "foreign"
    python = venv_python(venv_dir)
    if not os.path.isfile(python):
        return "half-made"
    try:
        result = subprocess.run([python, "-m", "pip", "--version"], stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, timeout=120)
    except (OSError, subprocess.SubprocessError):
        return "half-made"
    return "ok" if result.returncode == 0 else "half-made"


def create_venv(venv_dir):
    """``python -m venv venv_dir`` 를 실행합니다. ``(성공 여부, 그 명령이 낸 글)`` 을 돌려줍니다."""
    result = subprocess.run([sys.executable, "-m", "venv", venv_dir], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, universal_newlines=True)
    return result.returncode == 0, result.stdout


def say(text):
    """안내문을 표준 오류에 씁니다(make 의 명령 출력과 구별되게 앞에 표시를 붙임)."""
    for line in text.splitlines():
        sys.stderr.write("[deeplab-lessons] " + line + "\n")
    sys.stderr.flush()


def main(argv=None, version_info=None, create=create_venv):
    """검사하고 필요하면 .venv 를 만듭니다. 종료 코드(0 = 준비됨, 1 = 사람이 할 일이 있음)를 돌려줍니다.

    ``version_info`` 와 ``create`` 는 테스트가 가짜 버전·가짜 생성 함수를 넣을 때 씁니다.
    """
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 1:
        say("사용법: python3 -m tools.make_venv <가상환경 폴더>   (예: .venv)")
        return 2
    venv_dir = argv[0]
    problem = version_problem(sys.version_info if version_info is None else version_info)
    if problem is None:
        problem = modules_problem()
    if problem is not None:
        say(problem)
        return 1

    state = venv_state(venv_dir)
    if state == "ok":
        return 0
    if state == "foreign":
        say("'{0}' 가 이미 있는데 가상환경이 아닙니다(pyvenv.cfg 없음). 지우지 않았습니다.\n"
            "그 폴더를 옮기거나, 다른 폴더를 쓰세요. 예: make lab VENV=.venv-lessons".format(venv_dir))
        return 1
    if state == "half-made":
        say("'{0}' 가 반쯤 만들어져 있어(pip가 없거나 파이썬이 돌지 않음) 지우고 다시 만듭니다.".format(venv_dir))
        shutil.rmtree(venv_dir)

    say("'{0}' 에 가상환경을 만듭니다(파이썬 {1}.{2}: {3}).".format(
        venv_dir, sys.version_info[0], sys.version_info[1], sys.executable))
    created, output = create(venv_dir)
    if created and venv_state(venv_dir) == "ok":
        return 0
    if os.path.isfile(os.path.join(venv_dir, "pyvenv.cfg")):
        shutil.rmtree(venv_dir)  # 반쯤 만든 것을 남기지 않습니다.
    say("가상환경을 만들지 못했습니다(pip가 설치되지 않음). 반쯤 만든 '{0}' 는 지웠습니다.\n{1}\n{2}".format(
        venv_dir, INSTALL_VENV, PICK_ANOTHER))
    if output.strip():
        say("venv 가 남긴 원래 메시지(영어):\n" + output.strip())
    return 1


if __name__ == "__main__":
    sys.exit(main())
