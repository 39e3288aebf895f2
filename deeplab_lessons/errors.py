"""패키지의 오류 계열과 공개 함수 입구의 인자 검사.

모든 오류는 :class:`DeepLabLessonsError` (``ValueError`` 의 하위 클래스)이며, 메시지는 한국어로
무엇이 잘못되었는지, 받은 값, 어떻게 하면 되는지를 말합니다. 인자 검사는 공개 함수의 입구에서
한 번만 하고, 안쪽 함수는 입력을 믿습니다.
"""

from __future__ import annotations

import numbers
import re
from collections.abc import Iterable

import numpy as np


class DeepLabLessonsError(ValueError):
    """deeplab_lessons의 모든 오류가 물려받는 클래스(``ValueError`` 의 하위 클래스)."""


#: 조사 쌍: 받침이 있을 때, 없을 때. ``로`` 는 받침 ㄹ 뒤에서도 ``로`` 입니다.
_PARTICLES = {"은": ("은", "는"), "이": ("이", "가"), "을": ("을", "를"), "과": ("과", "와"),
              "으로": ("으로", "로"), "이라": ("이라", "라")}
_PARTICLES.update({after_vowel: pair for pair in list(_PARTICLES.values()) for after_vowel in pair[1:]})
#: 숫자를 한국어로 읽을 때의 끝소리: "" 받침 없음, "ㄹ", "받침" (그 밖의 받침). 0은 "영"·"십"·"백"….
_DIGIT_FINAL = {"0": "받침", "1": "ㄹ", "2": "", "3": "받침", "4": "", "5": "", "6": "받침", "7": "ㄹ", "8": "ㄹ",
                "9": ""}
#: 영문 대문자 약어를 글자 이름으로 읽을 때의 끝소리(엘, 엠, 엔, 알).
_LETTER_FINAL = {"L": "ㄹ", "M": "받침", "N": "받침", "R": "ㄹ"}


def _final_sound(word: str) -> str:
    """``word`` 를 소리 내어 읽을 때 마지막 글자의 받침: ``""`` (없음), ``"ㄹ"``, ``"받침"``.

    끝의 괄호 설명은 건너뜁니다(``"파일(--overlay)"`` 은 "파일"로 읽음; 괄호뿐이면 괄호 안을 읽음). 따옴표 같은
    기호도 건너뛰고 마지막 한글·숫자·영문자를 봅니다. 영문 소문자 낱말은 l로 끝나면 ㄹ, m·n·ng로 끝나거나 모음 하나
    (또는 둘) 뒤의 p·k·t·ck로 끝나면 받침(맵, 아웃), 그 밖에는 받침 없음으로 읽습니다
    (output_size → 사이즈, mask → 마스크).
    대문자 약어와 파일 확장자는 글자 이름으로 읽습니다(CRF → 에프, val.txt → 티).
    """
    text = word.rstrip()
    if text.endswith(")") and "(" in text:
        before = text[:text.rindex("(")].rstrip()
        text = before if before else text
    for index in range(len(text) - 1, -1, -1):
        char = text[index]
        if "\uac00" <= char <= "\ud7a3":
            final = (ord(char) - 0xAC00) % 28
            return "" if final == 0 else "ㄹ" if final == 8 else "받침"
        if char.isdigit() and char.isascii():
            return _DIGIT_FINAL[char]
        if char.isascii() and char.isalpha():
            run = re.search(r"[A-Za-z]+$", text[:index + 1]).group(0)
            extension = index + 1 - len(run) > 0 and text[index - len(run)] == "." and len(run) <= 4
            if char.isupper() or extension:
                return _LETTER_FINAL.get(char.upper(), "")
            lower = run.lower()
            if lower.endswith("l"):
                return "ㄹ"
            if lower.endswith(("m", "n", "ng")) or re.search(r"(?:^|[^aeiou])[aeiou]{1,2}(?:ck|[pkt])$", lower):
                return "받침"
            return ""
    return ""


def josa(word: object, particle: str) -> str:
    """``word`` 의 글자 뒤에 받침에 맞는 조사를 붙인 글: ``josa("output_size", "은")`` → ``"output_size는"``.

    ``particle`` 은 쌍의 어느 쪽이든 됩니다: 은/는, 이/가, 을/를, 과/와, 으로/로, 이라/라.
    숫자는 한국어로 읽은 소리로 고릅니다(``josa("6×6", "로")`` → ``"6×6으로"``, ``"257×257"`` → ``"257×257로"``).
    ``word`` 가 문자열이 아니면 ``str(word)`` 를 씁니다.

    Raises:
        DeepLabLessonsError: 모르는 조사일 때.
    """
    if particle not in _PARTICLES:
        raise bad_argument("particle", particle, f"다음 중 하나여야 합니다: {', '.join(_PARTICLES)}")
    text = str(word)
    with_final, without_final = _PARTICLES[particle]
    final = _final_sound(text)
    if final == "ㄹ" and with_final == "으로":
        return text + without_final
    return text + (with_final if final else without_final)


def bad_argument(name: str, value: object, expected: str, hint: str = "") -> DeepLabLessonsError:
    """인자 ``name`` 에 잘못된 ``value`` 가 들어왔을 때 던질 오류를 만듭니다.

    메시지 형식: ``<name> 값이 올바르지 않습니다(받은 값: <value>). <name>은/는 <expected>. <hint>``
    (조사는 :func:`josa` 가 ``name`` 의 받침에 맞춰 고릅니다.)
    """
    message = f"{name} 값이 올바르지 않습니다(받은 값: {value!r}). {josa(name, '은')} {expected}."
    if hint:
        message += f" {hint}"
    return DeepLabLessonsError(message)


def check_int(name: str, value: object, minimum: int = 1) -> int:
    """``value`` 가 ``minimum`` 이상의 정수인지 확인하고 ``int`` 로 돌려줍니다.

    ``True``/``False`` 와 ``2.0`` 같은 실수는 받지 않습니다.

    Raises:
        DeepLabLessonsError: 정수가 아니거나 ``minimum`` 보다 작을 때.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise bad_argument(name, value, f"{minimum} 이상의 정수여야 합니다", f"예: {name}={minimum + 1}")
    if value < minimum:
        raise bad_argument(name, value, f"{minimum} 이상의 정수여야 합니다", f"예: {name}={minimum + 1}")
    return int(value)


def check_odd(name: str, value: object) -> int:
    """``value`` 가 1 이상의 홀수 정수인지 확인합니다(가운데 칸이 있어야 하는 커널 크기).

    Raises:
        DeepLabLessonsError: 홀수 양의 정수가 아닐 때.
    """
    value = check_int(name, value, 1)
    if value % 2 == 0:
        raise bad_argument(name, value, "가운데 칸이 있도록 홀수(1, 3, 5, ...)여야 합니다",
                           f"예: {name}={value + 1}")
    return value


def check_choice(name: str, value: object, choices: Iterable[object]) -> object:
    """``value`` 가 ``choices`` 중 하나인지 확인합니다.

    Raises:
        DeepLabLessonsError: 허용된 값이 아닐 때(허용된 값을 모두 나열합니다).
    """
    choices = tuple(choices)
    if value not in choices:
        listed = ", ".join(repr(c) for c in choices)
        raise bad_argument(name, value, f"다음 중 하나여야 합니다: {listed}")
    return value


def check_float_array(name: str, value: object, ndim: int | tuple[int, ...], layout: str = "") -> np.ndarray:
    """``value`` 를 NumPy 배열로 바꾸고 차원 수가 ``ndim`` (정수 하나 또는 정수 튜플) 중 하나인지 확인합니다.

    실수 배열은 그대로, 정수·bool 배열은 float64로 바꿔 돌려줍니다. ``layout`` 은 모양이 틀렸을 때
    메시지 끝에 붙일 축 순서 안내입니다(예: ``"입력은 (N, H, W, C) 순서입니다."``).

    Raises:
        DeepLabLessonsError: 차원 수가 다르거나, 숫자가 아니거나 복소수인 배열일 때.
    """
    array = np.asarray(value)
    allowed = (ndim,) if isinstance(ndim, int) else tuple(ndim)
    if array.ndim not in allowed:
        dims = " 또는 ".join(f"{d}차원" for d in allowed)
        message = (f"{name}의 모양이 올바르지 않습니다(받은 모양: {array.shape}). "
                   f"{josa(name, '은')} {dims} 배열이어야 합니다.")
        raise DeepLabLessonsError(f"{message} {layout}" if layout else message)
    if np.issubdtype(array.dtype, np.floating):
        return array
    is_real_number = np.issubdtype(array.dtype, np.number) and not np.issubdtype(array.dtype, np.complexfloating)
    if array.dtype != bool and not is_real_number:
        raise bad_argument(name, array.dtype, "실수 또는 정수 배열이어야 합니다")
    return array.astype(np.float64)


class ImageReadError(DeepLabLessonsError):
    """영상을 열거나 읽을 수 없을 때(없는 파일, 이미지가 아닌 파일, 잘린 파일, 지원하지 않는 배열)."""


class ModelNotFoundError(DeepLabLessonsError, FileNotFoundError):
    """모델 파일을 어디서도 찾지 못했고 내려받지도 못했을 때."""


class ModelFileError(DeepLabLessonsError):
    """모델 파일이 손상되었거나(체크섬 불일치, 깨진 .tflite, frozen graph가 없는 tarball) 형식이 다를 때."""


class ModelFileUnreadableError(ModelFileError):
    """모델 파일을 읽을 권한이 없을 때(파일은 멀쩡할 수 있으므로 "손상"이라 하지 않습니다)."""


class OutputFileError(DeepLabLessonsError):
    """결과 파일을 쓸 수 없을 때(폴더인 경로, 파일 아래의 경로, 쓰기 권한 없음, 입력 영상과 같은 파일)."""


class ModelCacheError(DeepLabLessonsError):
    """모델 캐시 폴더를 만들거나 쓸 수 없을 때(파일인 경로, 읽기 전용, 권한 없음)."""


class VocFolderError(DeepLabLessonsError):
    """VOC 폴더가 평가에 맞지 않을 때(없는 폴더, 빈 목록, 없거나 잘린 정답 마스크, RGB·크기가 다른 마스크)."""


class RefinementError(DeepLabLessonsError):
    """여러 배율·뒤집기·CRF를 이 모델이나 이 값으로는 할 수 없을 때."""


class DownloadError(DeepLabLessonsError):
    """내려받기가 닿지 않았거나, 끊겼거나, 받은 파일의 크기·체크섬이 맞지 않을 때(어떻게 할지 함께 알려 줍니다)."""


class DatasetError(DeepLabLessonsError):
    """학습자의 데이터셋(영상·마스크 폴더)에 문제가 있을 때: 파일 이름과 고치는 방법을 함께 알려 줍니다."""
