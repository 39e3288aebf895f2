"""강의 글의 낱말 검사: 용어집 밖의 동의어, 꾸밈(코드·수식·굵게) 뒤에 떨어진 조사, 패키지 메시지의 "은(는)".

무엇을 검사하는지(규칙):

1. **한 뜻에 한 낱말.** 강의 노트북(``notebooks/NN_*.ipynb``, :func:`tooling.lesson_notebooks`)의 markdown 셀
   (제목 줄 포함)에서 :data:`SYNONYMS` 의 낱말이 나오면 실패합니다. 코드 조각(```…```, ```…``), 수식(``$…$``),
   링크 주소는 읽지 않습니다. 낱말이 다른 뜻으로 쓰인 곳은 그 행의 예외 정규식이 덮습니다(예외는 적게, 까닭과 함께).
   용어집(``notebooks/GLOSSARY.md``)의 "다른 이름" 칸은 이 표의 왼쪽 낱말을 모아 둔 곳이라 검사하지 않습니다.
2. **조사는 붙여 씁니다.** 닫는 꾸밈 ``` ` ```, ``$``, ``**`` 바로 뒤에 공백(줄바꿈 하나까지)을 두고 조사
   (:data:`PARTICLES`)가 오면 실패합니다: ``"`x` 는"`` → ``"`x`는"``, ``"**용어** 를"`` → ``"**용어**를"``,
   ``"$n$ 은"`` → ``"$n$은"``. 조사 뒤에는 공백·문장 부호·줄 끝이 와야 합니다(``"`x` 가지"`` 는 조사가 아님).
   예외: 굵게의 안쪽이 문장 부호로 끝나면(``**…?**``) 붙이면 CommonMark가 굵게로 읽지 않으므로 띄어 둡니다. 안쪽이
   ``한국어 (English)`` 꼴이면 괄호를 굵게 밖으로 빼서
   붙입니다(``**로짓** (logits)을``) — 그래서 이 꼴은 예외가 아닙니다.
3. **굵게가 깨지지 않게.** ``**…)**`` 바로 뒤에 한글이 붙으면 굵게가 그려지지 않으므로 실패합니다.
   규칙 2·3은 강의 노트북과 ``README.md``, ``notebooks/README.md``, ``notebooks/GLOSSARY.md`` 에 적용합니다.
   규칙 1은 패키지(``deeplab_lessons/``)의 모든 문자열(메시지, 문제 은행의 글, docstring)에도 적용합니다.
4. **메시지의 조사는 받침에 맞춥니다.** 패키지(``deeplab_lessons/``)의 문자열에 ``은(는)``, ``이(가)``, ``을(를)``,
   ``(으)로`` 같은 틀 조사가 있거나, f-string의 ``{값}`` 바로 뒤(공백 하나까지)에 받침에 따라 바뀌는 조사가 오면
   실패합니다. 조사는 ``errors.josa(값, "은")`` 으로 고릅니다(docstring 같은 f-string이 아닌 글의 ``{…}`` 는 보지 않음).
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest
from tooling import lesson_notebooks

ROOT = Path(__file__).resolve().parents[1]
HANGUL = "\uac00-\ud7a3"

#: 규칙 1: (쓰지 않는 낱말의 정규식, 대신 쓰는 용어집 낱말, 예외 정규식 또는 None).
SYNONYMS = [
    (r"모델 동물원|(?<![가-힣])동물원", "모델 목록 (model zoo)", None),
    (r"스케일", "배율 / 여러 배율 (multi-scale)",
     r"다중 스케일 특징"),                  # v1의 MSc(multi-scale features): 여러 배율 추론과 다른 생각의 논문 이름
    (r"라벨|레이블", "클래스 번호 / 클래스 번호 지도 (label map) / 무시 번호 (ignore label)", None),
    (r"확장 배율|확장 비율", "확장 배수 (expansion factor)", None),
    (r"확대 배율|업샘플링 배율", "확대 배수 (upsampling factor)", None),
    (r"펼치기\s*\(\s*broadcast|펼쳐\s*맞추", "브로드캐스팅 (broadcasting)", None),
    (r"시험 장면", "시험 세트 (test set)", None),
    (rf"[0-9] ?점(?:[을이은과의도]|(?![{HANGUL}]))", "%p (퍼센트포인트)", None),
    (r"경계 지표", "경계 띠 정확도 (trimap accuracy)", None),
    (rf"(?<![{HANGUL}])(?:짓[고는습기다]|지어|지은|지을)", "만들다", None),
    (rf"(?<![{HANGUL}])판(?:은|이|을|의|과|들|으로|에서|마다)?(?![{HANGUL}])", "버전 / 구현", None),
    (r"v3\+?의 가운데", "머리 (head)", None),
    (r"입력 보폭", "팽창률 (rate)", None),
]

#: 규칙 2의 조사(긴 것부터).
PARTICLES = ("입니다|입니까|이라고|이라는|이라|이고|이며|이면|이나|이다|으로는|으로도|으로|에서는|에서도|에서|"
             "에는|에도|"
             "와는|과는|로는|로도|부터|까지|처럼|보다|마다|만큼|은|는|이|가|을|를|의|에|와|과|로|도|만|나|라|면")
MARKUP = re.compile(r"`[^`\n]+`|\$\$.+?\$\$|\$[^$\n]+\$|\*\*[^*\n]+?\*\*", re.S)
DETACHED = re.compile(rf"[ \t]*\n?[ \t]*(?<=\s)(?:{PARTICLES})(?=[\s.,;:!?)(·\]\"'…—–-]|$)")
BROKEN_BOLD = re.compile(rf"\*\*[^*\n]*[^\w\s*]\*\*[{HANGUL}]")
MARKDOWN_FILES = [ROOT / "README.md", ROOT / "notebooks" / "README.md", ROOT / "notebooks" / "GLOSSARY.md"]

#: 규칙 4: 받침에 따라 바뀌는 조사와 틀 조사.
VARIABLE_PARTICLE = re.compile(rf"^ ?(?:은|는|이|가|을|를|과|와|으로|로|이라|라)(?![{HANGUL}])")
TEMPLATE_PARTICLE = re.compile(r"은\(는\)|는\(은\)|이\(가\)|가\(이\)|을\(를\)|를\(을\)|와\(과\)|과\(와\)"
                               r"|\(으\)로|\(이\)라")


def markdown_cells(notebook: Path) -> list[tuple[int, str]]:
    """``notebook`` 의 markdown 셀: ``(셀 번호, 글)`` 의 목록."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    return [(i, "".join(c["source"])) for i, c in enumerate(cells) if c["cell_type"] == "markdown"]


def prose(text: str) -> str:
    """규칙 1이 읽는 글: 코드 조각, 수식, 그림·링크 주소를 공백으로 바꾼 markdown(길이는 그대로)."""
    def blank(match):
        return " " * len(match.group(0))
    text = re.sub(r"```.*?```", blank, text, flags=re.S)
    text = re.sub(r"`[^`]*`", blank, text)
    text = re.sub(r"\$\$.*?\$\$|\$[^$\n]*\$", blank, text, flags=re.S)
    return re.sub(r"\]\([^)]*\)", blank, text)


def synonym_problems(where: str, text: str) -> list[str]:
    """규칙 1을 어긴 곳: ``"어디: '낱말' → 대신: …앞뒤 글…"``."""
    text = prose(text)
    problems = []
    for pattern, instead, exception in SYNONYMS:
        allowed = [m.span() for m in re.finditer(exception, text)] if exception else []
        for m in re.finditer(pattern, text):
            if any(s <= m.start() and m.end() <= e for s, e in allowed):
                continue
            context = text[max(0, m.start() - 20):m.end() + 20].replace("\n", " ")
            problems.append(f"{where}: '{m.group(0)}' → {instead}: …{context}…")
    return problems


def particle_problems(where: str, text: str) -> list[str]:
    """규칙 2·3을 어긴 곳(코드 블록 ```…``` 안은 보지 않음)."""
    problems = []
    for block in re.split(r"```.*?```", text, flags=re.S):
        for m in MARKUP.finditer(block):
            span = m.group(0)
            after = DETACHED.match(block, m.end())
            if not after or span.startswith("$$"):
                continue
            inner = span[2:-2] if span.startswith("**") else ""
            if inner and re.search(r"[^\w\s]$", inner) and not re.search(r" \([^()]*\)$", inner):
                continue                                    # 예외: 붙이면 굵게가 깨짐
            context = block[max(0, m.start() - 10):after.end() + 10].replace("\n", " ")
            problems.append(f"{where}: 조사가 떨어짐: …{context}…")
        for m in BROKEN_BOLD.finditer(block):
            problems.append(f"{where}: 굵게가 깨짐(닫는 ** 앞이 문장 부호, 뒤가 한글): …{m.group(0)}…")
    return problems


def message_problems(path: Path, root: Path = ROOT) -> list[str]:
    """규칙 4를 어긴 곳: 패키지 파일 ``path`` 의 문자열(``root`` 는 메시지에 적을 경로의 기준)."""
    relative = path.relative_to(root).as_posix()
    problems = []
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            for m in TEMPLATE_PARTICLE.finditer(node.value):
                problems.append(f"{relative}:{node.lineno}: 틀 조사 '{m.group(0)}': …{node.value[m.start():][:12]}…")
        if isinstance(node, ast.JoinedStr):
            for value, following in zip(node.values, node.values[1:], strict=False):
                if (isinstance(value, ast.FormattedValue) and isinstance(following, ast.Constant)
                        and VARIABLE_PARTICLE.match(following.value)):
                    problems.append(f"{relative}:{node.lineno}: {{{ast.unparse(value.value)}}} 뒤의 조사 "
                                    f"'{following.value[:4]}' → errors.josa(값, …)")
    return problems


@pytest.mark.parametrize("path", lesson_notebooks(), ids=lambda p: p.name)
def test_one_word_per_idea(path):
    problems = [p for i, text in markdown_cells(path) for p in synonym_problems(f"{path.name} 셀 {i}", text)]
    assert not problems, "용어집 밖의 동의어:\n" + "\n".join(problems)


@pytest.mark.parametrize("path", [*lesson_notebooks(), *MARKDOWN_FILES], ids=lambda p: p.name)
def test_particles_attached_after_markup(path):
    if path.suffix == ".ipynb":
        texts = [(f"{path.name} 셀 {i}", text) for i, text in markdown_cells(path)]
    else:
        texts = [(path.name, path.read_text(encoding="utf-8"))]
    problems = [p for where, text in texts for p in particle_problems(where, text)]
    assert not problems, "꾸밈 뒤의 조사:\n" + "\n".join(problems)


def test_package_messages_choose_particles_by_final_sound():
    problems = [p for path in sorted((ROOT / "deeplab_lessons").rglob("*.py")) for p in message_problems(path)]
    assert not problems, "메시지의 조사:\n" + "\n".join(problems)


def package_synonym_problems(path: Path, root: Path = ROOT) -> list[str]:
    """규칙 1을 패키지 파일 ``path`` 의 모든 문자열(메시지·문제 은행·docstring)에 적용한 결과."""
    relative = path.relative_to(root).as_posix()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [problem for node in ast.walk(tree) if isinstance(node, ast.Constant) and isinstance(node.value, str)
            for problem in synonym_problems(f"{relative}:{node.lineno}", node.value)]


def test_package_text_uses_glossary_words():
    """학습자가 읽는 패키지의 글(오류 메시지, 문제 은행의 문제·힌트·풀이, docstring)도 한 뜻에 한 낱말."""
    problems = [p for path in sorted((ROOT / "deeplab_lessons").rglob("*.py")) for p in package_synonym_problems(path)]
    assert not problems, "패키지 글의 용어집 밖 동의어:\n" + "\n".join(problems)


def test_rules_on_small_examples(tmp_path):
    """규칙이 실제로 어긴 곳을 잡고(테스트가 실패할 수 있음), 예외와 바른 글은 통과시키는지."""
    assert synonym_problems("x", "모델 동물원의 값") and synonym_problems("x", "동물원의 값")
    assert synonym_problems("x", "한 스케일") and not synonym_problems("x", "v1의 다중 스케일 특징(MSc)")
    assert synonym_problems("x", "+2.1점") and not synonym_problems("x", "5차원 점마다, 꼭짓점 수")
    assert synonym_problems("x", "모델을 짓고") and not synonym_problems("x", "짝지어 봅니다")
    assert synonym_problems("x", "NumPy 판은") and not synonym_problems("x", "체스판 거리, 판단")
    assert not synonym_problems("x", "`모델 동물원` 과 $스케일$")          # 코드와 수식은 읽지 않음
    for bad in ["`x` 는 a", "**용어** 를 쓰고", "$n$ 은", "`x`\n  입니다.", "**로짓 (logits)** 을"]:
        assert particle_problems("x", bad), bad
    for good in ["`x`는 a", "**용어**를", "$n$은", "`x` 가지", "**로짓** (logits)을", "**정말?** 는",
                 "```\n`a` 는\n```"]:
        assert not particle_problems("x", good), good
    assert particle_problems("x", "**로짓 (logits)**을")                   # 굵게가 깨짐
    module = tmp_path / "m.py"
    module.write_text('def f(name, n):\n'
                      '    return f"{name}은(는) 틀림, {n}로 줄임, {n} 가 없음, {josa(n, \'로\')} 됨"\n',
                      encoding="utf-8")
    found = message_problems(module, root=tmp_path)
    assert len(found) == 4, found                                      # 은(는)은 두 규칙 모두에 걸림
    (module.parent / "w.py").write_text('"""모델을 짓고 라벨을 셉니다."""\nX = "모델 목록의 값"\n', encoding="utf-8")
    assert len(package_synonym_problems(module.parent / "w.py", root=tmp_path)) == 2
