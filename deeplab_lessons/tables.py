"""표 하나를 만드는 한 가지 방법과, 논문 값에 붙이는 표시.

노트북의 모든 표는 :func:`table` 로 만듭니다. 돌려받은 :class:`Table` 을 셀의 마지막 줄에 두면
JupyterLab은 HTML 표로, 터미널·nbval은 화면 폭에 맞춰 줄을 맞춘 글자 표로 보여 줍니다.
한글은 화면에서 두 칸을 차지하므로 ``len`` 으로 칸을 채우면 줄이 어긋납니다: :func:`display_width` 가
실제 화면 폭을 셉니다.

논문이나 모델 목록(model zoo)에서 가져온 숫자는 :func:`published` 로 감싸 출처가 함께 보이게 합니다.
코드가 계산한 숫자와 섞이지 않게 하려는 것입니다.

    >>> print(table(["모델", "mIoU"], [["v3", 77.2]]).text())
    모델  mIoU
    ----  ----
    v3    77.2
"""

from __future__ import annotations

import html
import numbers
import unicodedata
from dataclasses import dataclass

from deeplab_lessons.errors import DeepLabLessonsError

__all__ = ["PaperValue", "Table", "display_width", "pad", "published", "table"]


def display_width(text: str) -> int:
    """문자열이 고정폭 글꼴의 화면에서 차지하는 칸 수(한글·전각 문자는 2칸, 결합 문자는 0칸)."""
    width = 0
    for char in str(text):
        if unicodedata.combining(char):
            continue
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return width


def pad(text: str, width: int, align: str = "<") -> str:
    """``text`` 를 화면 폭 ``width`` 칸이 되게 공백으로 채웁니다(``align``: ``<`` 왼쪽, ``>`` 오른쪽)."""
    gap = max(0, width - display_width(text))
    return text + " " * gap if align == "<" else " " * gap + text


@dataclass(frozen=True)
class PaperValue:
    """논문·모델 목록에서 가져온 숫자. 출력하면 ``75.32 % [논문 값: 출처]`` 처럼 출처가 붙습니다.

    ``float(값)`` 으로 숫자를 꺼내 계산에 쓸 수 있습니다(계산한 값과 비교할 때).
    """

    value: float
    source: str
    unit: str = ""

    def __float__(self) -> float:
        return float(self.value)

    def number(self) -> str:
        """출처 없이 숫자와 단위만."""
        return f"{self.value:g}{(' ' + self.unit) if self.unit else ''}"

    def __str__(self) -> str:
        return f"{self.number()} [논문 값: {self.source}]"


def published(value: float, source: str, unit: str = "") -> PaperValue:
    """논문·모델 목록의 숫자에 출처를 붙입니다.

    Args:
        value: 논문이 보고한 숫자.
        source: 출처(예: ``"DeepLab v3+ 논문 표 5"``, ``"model_zoo.md"``). 비워 둘 수 없습니다.
        unit: 단위(예: ``"%"``, ``"M"``).

    Raises:
        DeepLabLessonsError: 출처가 비어 있을 때.
    """
    if not str(source).strip():
        raise DeepLabLessonsError("published()에는 출처가 필요합니다(받은 값: 빈 문자열). "
                                  "논문 이름과 표 번호처럼 어디서 온 숫자인지 적어 주세요.")
    return PaperValue(float(value), str(source), unit)


def _cell_text(value, digits: int | None) -> str:
    if isinstance(value, PaperValue):
        if digits is not None:
            # 표의 다른 숫자와 같은 자리 수로(89.0이 89로 보이지 않게). 다만 논문 값은 반올림하지 않습니다:
            # 그 자리 수로 나타낼 수 없으면(70.19를 한 자리로) 값이 그대로 보일 때까지 자리를 늘립니다.
            places = next(d for d in range(digits, 12) if round(value.value, d) == value.value)
            return f"{value.value:.{places}f}{(' ' + value.unit) if value.unit else ''} *"
        return value.number() + " *"
    if isinstance(value, bool) or value is None:
        return {True: "예", False: "아니오", None: "—"}[value]
    if isinstance(value, numbers.Integral):
        return f"{int(value):,}"
    if isinstance(value, numbers.Real) and digits is not None:
        return f"{float(value):.{digits}f}"
    return str(value)


@dataclass(frozen=True)
class Table:
    """머리글과 행으로 된 표. 노트북에서는 HTML, 글자로는 줄을 맞춘 표로 보입니다."""

    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    aligns: tuple[str, ...]
    sources: tuple[str, ...] = ()

    def _footnote(self) -> str:
        return "* 논문 값: " + "; ".join(self.sources) if self.sources else ""

    def text(self) -> str:
        """화면 폭으로 줄을 맞춘 글자 표(머리글, 구분선, 행, 논문 값의 출처)."""
        widths = [max(display_width(r[i]) for r in (self.headers, *self.rows)) for i in range(len(self.headers))]
        def line(cells):
            return "  ".join(pad(c, w, a) for c, w, a in zip(cells, widths, self.aligns, strict=True)).rstrip()
        lines = [line(self.headers), line(["-" * w for w in widths]), *(line(r) for r in self.rows)]
        if self.sources:
            lines.append(self._footnote())
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.text()

    def __repr__(self) -> str:
        return self.text()

    def _repr_html_(self) -> str:
        def cell(tag, text, align):
            style = ' style="text-align:right"' if align == ">" else ' style="text-align:left"'
            return f"<{tag}{style}>{html.escape(text)}</{tag}>"
        head = "".join(cell("th", h, a) for h, a in zip(self.headers, self.aligns, strict=True))
        body = "".join("<tr>" + "".join(cell("td", c, a) for c, a in zip(r, self.aligns, strict=True)) + "</tr>"
                       for r in self.rows)
        foot = f"<p><small>{html.escape(self._footnote())}</small></p>" if self.sources else ""
        return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{foot}"


def table(headers, rows, digits: int | None = None) -> Table:
    """표를 만듭니다. 숫자 열은 오른쪽, 글자 열은 왼쪽으로 맞춥니다.

    Args:
        headers: 열 이름들.
        rows: 행들. 각 행의 칸 수는 ``headers`` 와 같아야 합니다. 칸은 글자, 정수(천 단위 쉼표),
            실수(``digits`` 자리로 반올림), :class:`PaperValue` (``*`` 표시, 출처는 표 아래에), ``None`` (—).
        digits: 실수를 보일 소수점 아래 자리 수. ``None`` 이면 ``str()`` 그대로.

    Raises:
        DeepLabLessonsError: 행의 칸 수가 머리글과 다를 때.
    """
    headers = tuple(str(h) for h in headers)
    raw_rows = [list(r) for r in rows]
    for index, row in enumerate(raw_rows):
        if len(row) != len(headers):
            raise DeepLabLessonsError(
                f"표의 {index + 1}번째 행은 칸이 {len(row)}개인데 머리글은 {len(headers)}개입니다"
                f"(받은 행: {row!r}). 행마다 머리글과 같은 수의 칸을 주세요.")
    numeric = [bool(raw_rows) and all(isinstance(r[i], (numbers.Real, PaperValue)) and not isinstance(r[i], bool)
                                      or r[i] is None for r in raw_rows) for i in range(len(headers))]
    aligns = tuple(">" if n else "<" for n in numeric)
    sources = tuple(dict.fromkeys(c.source for r in raw_rows for c in r if isinstance(c, PaperValue)))
    text_rows = tuple(tuple(_cell_text(c, digits) for c in r) for r in raw_rows)
    return Table(headers, text_rows, aligns, sources)
