"""`make browser-check`: 학습자가 브라우저에서 실제로 보는 것을 headless Chromium으로 확인합니다.

웹사이트(``build/site``)와 슬라이드(``build/slides``)를 이 컴퓨터 안(127.0.0.1)에서만 제공하고 모든 쪽과
모든 덱을 열며, ``make lab`` 과 같은 인자로 JupyterLab을 띄워 모든 노트북을 엽니다. 네트워크는 뽑힌
것처럼 막습니다(127.0.0.1 밖의 이름은 풀리지 않음). 다음 가운데 하나라도 있으면 실패합니다.

- 자바스크립트 콘솔 오류, 실패한 요청(4xx/5xx, 연결 실패), 127.0.0.1 밖으로 나가려던 요청
- 브라우저가 글꼴 파일을 거부함("Failed to decode downloaded font")
- 로드되지 않은 그림(naturalWidth 0)
- 그려지지 않은 수식(본문에 ``$$``, ``\\(``, ``\\[`` 가 남음)
- 한국어 글꼴 없이 그려진 한글: 한글 문장의 너비를 그 요소의 글꼴 목록, 우리 한글 글꼴, 없는 글꼴(대체
  글꼴)로 각각 재어, 대체 글꼴과 같거나 우리 글꼴과 다르면 실패
- JupyterLab에서 저장된 출력이 다 그려지지 않음, 저장된 위젯(3강의 팽창률 슬라이더)이 그려지지 않음
- 웹사이트 검색이 한국어 낱말을 찾지 못함

쪽마다 스크린숏을 ``build/browser-check/`` 에 저장합니다. 시스템의 한국어 글꼴은 fontconfig 설정으로
Chromium에게서 숨기므로, 한국어 글꼴이 설치된 기계에서도 "글꼴 없는 노트북"을 흉내 냅니다.
``--block-fonts`` 는 우리 글꼴 파일 요청을 막아, 이 검사가 실제로 실패할 수 있음을 보입니다.
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import http.server
import json
import os
import secrets
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from tools import web_assets
from tools.slide_metadata import notebook_key, notebooks

ROOT = web_assets.ROOT
OUT_DIR = web_assets.BUILD_DIR / "browser-check"
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")
CHROMIUM_ARGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    # 네트워크를 뽑은 것처럼: 127.0.0.1 밖의 모든 이름은 풀리지 않습니다.
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
)
PAGE_TIMEOUT_MS = 60_000
LAB_TIMEOUT_MS = 180_000
#: 잴 때까지 DOM이 바뀌지 않아야 하는 시간(밀리초).
SETTLE_QUIET_MS = 750
# 저장된 위젯이 반드시 그려져야 하는 노트북(번호를 뺀 이름): 위젯 모델 이름
REQUIRED_WIDGETS = {"field_of_view": "IntSliderModel"}
SEARCH_WORD = "아트러스"
# 한국어 글꼴을 Chromium에게서 숨기는 fontconfig 설정(시스템 설정을 읽은 뒤 한국어를 지원하는 글꼴을 거부)
FONTCONFIG = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <cachedir>{cache}</cachedir>
  <selectfont><rejectfont><pattern>
    <patelt name="lang"><string>ko</string></patelt>
  </pattern></rejectfont></selectfont>
</fontconfig>
"""


@dataclass
class Report:
    """검사한 쪽과 찾은 문제들."""

    problems: list[tuple[str, str]] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)

    def fail(self, where: str, what: str) -> None:
        self.problems.append((where, what))
        print(f"  실패 · {where}: {what}", flush=True)


# ---------------------------------------------------------------- 페이지 안에서 실행하는 자바스크립트

# 재기 전에 기다릴 것: DOM이 QUIET_MS 동안 바뀌지 않고(JupyterLab은 셀·목차·CSS 모듈을 차례로 넣음), 그 뒤에 시작된 글꼴
# 내려받기까지 끝남(document.fonts.ready는 그때까지 요청된 글꼴만 기다림). 부하가 큰 기계에서 화면을 다 그리기 전에
# 재면 스타일이 아직 붙지 않은 요소(font-family가 빈 값)를 "대체 글꼴"로 잘못 보기 때문입니다.
SETTLE_JS = """
async ([quietMs, maxMs]) => {
  const began = performance.now();
  await new Promise(resolve => {
    let timer;
    const finish = () => { observer.disconnect(); resolve(); };
    const observer = new MutationObserver(() => {
      clearTimeout(timer);
      timer = setTimeout(finish, performance.now() - began > maxMs ? 0 : quietMs);
    });
    observer.observe(document.body, {subtree: true, childList: true, characterData: true});
    timer = setTimeout(finish, quietMs);
  });
  await document.fonts.ready;
  await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  return performance.now() - began;
}
"""

# 한글 글자가 든 요소들(스크립트·스타일·입력창·SVG 밖): [요소, 글자] 목록. 아래 두 스크립트가 함께 씁니다.
HANGUL_ELEMENTS_JS = """
  const hangulElements = () => {
    const found = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    let node;
    while ((node = walker.nextNode())) {
      if (!/[\\uac00-\\ud7a3]/.test(node.nodeValue)) continue;
      const el = node.parentElement;
      if (!el || el.closest('script, style, noscript, textarea, title, svg')) continue;
      found.push([el, node.nodeValue]);
    }
    return found;
  };
"""

# 한글이 든 요소마다 계산된 font-family가 우리 글꼴 이름을 담았는지(스타일이 다 붙었는지). 기다리는 조건입니다.
HANGUL_STYLED_JS = "([families]) => {" + HANGUL_ELEMENTS_JS + """
  for (const [el] of hangulElements()) {
    const family = getComputedStyle(el).fontFamily;
    if (!families.some(f => family.includes(f))) return false;
  }
  return document.fonts.status === 'loaded';
}
"""

HANGUL_FONT_JS = "async ([families]) => {" + HANGUL_ELEMENTS_JS + """
  await document.fonts.ready;
  for (const family of families) {
    for (const weight of ['normal', 'bold']) {
      try { await document.fonts.load(`${weight} 40px "${family}"`, '가'); } catch (e) {}
    }
  }
  const sample = '한글글꼴확인가나다라마바사';  // 빈칸 없이: 빈칸은 고정폭 라틴 글꼴로 그려짐
  const ctx = document.createElement('canvas').getContext('2d');
  const width = (fam, weight) => { ctx.font = `${weight} 40px ${fam}`; return ctx.measureText(sample).width; };
  const loaded = [...document.fonts].filter(
    f => f.family.replace(/["']/g, '') === families[0] && f.status === 'loaded').length;
  const seen = new Map();
  for (const [el, text] of hangulElements()) {
    const style = getComputedStyle(el);
    const key = style.fontFamily + '|' + style.fontWeight;
    if (!seen.has(key)) seen.set(key, {family: style.fontFamily, weight: style.fontWeight,
                                       tag: el.tagName.toLowerCase(), text: text.trim().slice(0, 30)});
  }
  const results = [];
  for (const s of seen.values()) {
    const weight = Number(s.weight) >= 600 ? 'bold' : 'normal';
    const element = width(s.family, weight);
    const ours = families.map(f => width(`"${f}"`, weight));
    const nearest = ours.reduce((a, b) => Math.abs(a - element) <= Math.abs(b - element) ? a : b);
    results.push({...s, element, ours: nearest, fallback: width('"deeplab-no-such-font"', weight)});
  }
  return {loaded, results};
}
"""

RAW_MATH_JS = """
() => {
  const raw = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let node;
  while ((node = walker.nextNode())) {
    const el = node.parentElement;
    if (!el || el.closest('pre, code, script, style, textarea, .cm-editor, .CodeMirror, mjx-container, ' +
                          '.MathJax, .highlight, .jp-InputArea-editor')) continue;
    if (/\\$\\$|\\\\\\(|\\\\\\[|\\\\begin\\{/.test(node.nodeValue)) raw.push(node.nodeValue.trim().slice(0, 60));
  }
  return raw;
}
"""

BROKEN_IMAGES_JS = """
() => [...document.images].filter(img => img.complete && img.naturalWidth === 0)
                          .map(img => (img.getAttribute('src') || '').slice(0, 80))
"""

IMAGES_SETTLED_JS = "() => [...document.images].every(img => img.complete)"

MATHJAX_DONE_JS = """
async () => {
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) { await MathJax.startup.promise; }
  return true;
}
"""


# ---------------------------------------------------------------- 도움 함수

def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def chromium_path() -> str:
    """Debian의 chromium 실행 파일 경로.

    Raises:
        SystemExit: 찾지 못했을 때(설치 방법을 한국어로 알림).
    """
    for candidate in (os.environ.get("CHROMIUM"), *CHROMIUM_CANDIDATES):
        if candidate and Path(candidate).is_file():
            return candidate
    raise SystemExit("Chromium을 찾지 못했습니다. Debian/Ubuntu: `sudo apt-get install chromium` "
                     "(다른 곳에 있으면 CHROMIUM=/경로/chromium 으로 알려 주세요).")


def hidden_korean_fonts_env(workdir: Path) -> dict[str, str]:
    """한국어 시스템 글꼴을 숨긴 fontconfig 환경 변수. 숨겨지지 않으면 SystemExit."""
    config = workdir / "fonts.conf"
    config.write_text(FONTCONFIG.format(cache=workdir / "fc-cache"), encoding="utf-8")
    env = {**os.environ, "FONTCONFIG_FILE": str(config)}
    if shutil.which("fc-list"):
        visible = subprocess.run(["fc-list", ":lang=ko", "family"], env=env, capture_output=True,
                                 text=True).stdout.strip()
        if visible:
            raise SystemExit(f"한국어 시스템 글꼴을 Chromium에게서 숨기지 못했습니다: {visible}")
    return env


def _widget_needs(path: Path) -> tuple[int, set[str]]:
    """노트북에 저장된 위젯 보기 출력의 개수와 위젯 상태의 모델 이름들."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    views = sum("application/vnd.jupyter.widget-view+json" in output.get("data", {})
                for cell in nb["cells"] for output in cell.get("outputs", []))
    state = nb["metadata"].get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {})
    models = {model.get("model_name", "") for model in state.get("state", {}).values()}
    return views, models


def _cells_with_outputs(path: Path) -> int:
    nb = json.loads(path.read_text(encoding="utf-8"))
    return sum(1 for cell in nb["cells"] if cell["cell_type"] == "code" and cell.get("outputs"))


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - 부모 클래스의 이름
        pass


def serve(folder: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    """``folder`` 를 127.0.0.1의 빈 포트에서 제공합니다. (서버, 기본 URL)"""
    handler = functools.partial(QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


# ---------------------------------------------------------------- 한 쪽 검사

class PageChecker:
    """브라우저 한 개로 쪽을 열고 공통 항목(콘솔, 요청, 그림, 수식, 한글 글꼴)을 검사합니다."""

    def __init__(self, context, report: Report, shots: Path, block_fonts: bool):
        self.context = context
        self.report = report
        self.shots = shots
        self.block_fonts = block_fonts

    def open(self, where: str, url: str):
        page = self.context.new_page()
        page.set_default_timeout(PAGE_TIMEOUT_MS)
        errors: list[str] = []
        if self.block_fonts:
            page.route("**/deeplab-hangul-*.woff", lambda route: route.abort())
        page.on("console", lambda msg: self._console(errors, msg))
        page.on("pageerror", lambda exc: errors.append(f"자바스크립트 예외: {exc}"))
        # ERR_ABORTED는 페이지가 스스로 취소한 요청입니다(JupyterLab은 그림 주소를 /files/… 로 바꾸며 첫 요청을 취소).
        page.on("requestfailed", lambda req: "ERR_ABORTED" not in (req.failure or "") and errors.append(
            f"요청 실패: {req.url[:120]} ({req.failure})"))
        page.on("response", lambda res: res.status >= 400 and self._response(where, errors, res))
        page.on("request", lambda req: self._outside(errors, req.url))
        page.goto(url, wait_until="load")
        return page, errors

    @staticmethod
    def _response(where: str, errors: list[str], response) -> None:
        # jupyter_server는 부하가 클 때 막 시작하는 커널의 상태를 묻는 요청에 500을 돌려주고(last_activity 없음),
        # JupyterLab은 곧 다시 묻습니다. 출력·위젯 검사가 실제 결과를 보므로 이것만은 참고로 적습니다.
        if where.startswith("JupyterLab") and response.status >= 500 and "/api/kernels" in response.url:
            print(f"  참고 · {where}: 커널 시작 중의 일시적 서버 오류 {response.status} {response.url[:80]}",
                  flush=True)
            return
        errors.append(f"요청 실패: {response.url[:120]} (HTTP {response.status})")

    @staticmethod
    def _console(errors: list[str], msg) -> None:
        # "Failed to load resource"는 위의 요청 실패(주소와 함께 기록됨)를 콘솔이 한 번 더 알리는 것입니다.
        if msg.type == "error" and msg.text.startswith("Failed to load resource"):
            return
        if msg.type == "error":
            errors.append(f"콘솔 오류: {msg.text[:200]}")
        elif "Failed to decode downloaded font" in msg.text or "OTS parsing error" in msg.text:
            errors.append(f"브라우저가 글꼴을 거부함: {msg.text[:200]}")

    @staticmethod
    def _outside(errors: list[str], url: str) -> None:
        if not url.startswith(("http://127.0.0.1", "data:", "blob:", "about:")):
            errors.append(f"로컬 밖으로 나가는 요청(오프라인에서 깨짐): {url[:120]}")

    def common(self, where: str, page, errors: list[str], shot: str) -> None:
        """그림, 수식, 한글 글꼴을 검사하고 스크린숏을 찍은 뒤 모인 오류를 보고합니다."""
        try:
            page.wait_for_function(IMAGES_SETTLED_JS, timeout=PAGE_TIMEOUT_MS)
        except Exception:
            self.report.fail(where, "그림이 제한 시간 안에 다 로드되지 않았습니다")
        for src in page.evaluate(BROKEN_IMAGES_JS):
            self.report.fail(where, f"그림이 로드되지 않음(naturalWidth 0): {src}")
        page.evaluate(MATHJAX_DONE_JS)
        try:
            page.wait_for_function(f"() => ({RAW_MATH_JS})().length === 0", timeout=30_000)
        except Exception:
            for text in page.evaluate(RAW_MATH_JS):
                self.report.fail(where, f"수식이 그려지지 않고 글자로 남음: {text!r}")
        self._hangul(where, page)
        page.screenshot(path=str(self.shots / f"{shot}.png"))
        for error in dict.fromkeys(errors):
            self.report.fail(where, error)
        self.report.checked.append(where)

    def _hangul(self, where: str, page) -> None:
        families = [web_assets.WEB_FONT_FAMILY, web_assets.MONO_HANGUL_FAMILY]
        page.evaluate(SETTLE_JS, [SETTLE_QUIET_MS, PAGE_TIMEOUT_MS])
        try:
            # 스타일이 다 붙을 때까지 기다립니다. 끝내 붙지 않으면 아래의 측정이 무엇이 틀렸는지 보고합니다.
            page.wait_for_function(HANGUL_STYLED_JS, arg=[families], timeout=PAGE_TIMEOUT_MS)
        except Exception:
            pass
        found = page.evaluate(HANGUL_FONT_JS, [families])
        if found["results"] and not found["loaded"]:
            self.report.fail(where, f"한글 웹 글꼴({web_assets.WEB_FONT_FAMILY})이 로드되지 않았습니다")
        for item in found["results"]:
            label = f"<{item['tag']}> {item['text']!r} (font-family: {item['family']})"
            if abs(item["element"] - item["fallback"]) < 0.5:
                self.report.fail(where, f"한글이 한국어 글꼴 없이 대체 글꼴로 그려짐: {label}")
            elif abs(item["element"] - item["ours"]) >= 0.5:
                self.report.fail(where, f"한글이 우리 한글 글꼴이 아닌 글꼴로 그려짐: {label}")


# ---------------------------------------------------------------- 웹사이트, 슬라이드, JupyterLab

def check_site(checker: PageChecker, site: Path, base: str) -> None:
    pages = sorted(p for p in site.glob("**/*.html") if "_static" not in p.parts)
    if not pages:
        checker.report.fail("웹사이트", f"{site} 에 HTML이 없습니다. 먼저 `make site` 를 실행하세요")
    for path in pages:
        relative = path.relative_to(site).as_posix()
        where = f"웹사이트 {relative}"
        page, errors = checker.open(where, f"{base}/{relative}")
        _widgets(checker, where, page, site_notebook(path))
        if relative == "search.html":
            _search(checker, page, base)
        checker.common(where, page, errors, "site-" + relative.replace("/", "-").removesuffix(".html"))
        page.close()


def site_notebook(page: Path) -> Path | None:
    candidate = ROOT / "notebooks" / (page.stem + ".ipynb")
    return candidate if candidate.is_file() else None


def _search(checker: PageChecker, page, base: str) -> None:
    where = f"웹사이트 검색 {SEARCH_WORD!r}"
    page.goto(f"{base}/search.html?q={SEARCH_WORD}", wait_until="load")
    try:
        page.wait_for_selector("#search-results ul.search li", timeout=PAGE_TIMEOUT_MS)
    except Exception:
        checker.report.fail(where, "검색 결과가 없습니다(한국어 검색이 동작하지 않음)")


def _widgets(checker: PageChecker, where: str, page, notebook: Path | None) -> None:
    """저장된 위젯 보기가 그려졌는지. 3강(field_of_view)은 위젯 상태가 아예 없어도 실패."""
    if notebook is None:
        return
    views, models = _widget_needs(notebook)
    required = REQUIRED_WIDGETS.get(notebook_key(notebook))
    if required and required not in models:
        checker.report.fail(where, f"노트북에 저장된 위젯 상태에 {required}(팽창률 슬라이더)가 없습니다 "
                                   "(위젯 상태를 저장해 커밋하세요)")
        return
    if views == 0:
        return
    selector = ".widget-slider, .widget-hslider" if "IntSliderModel" in models else ".jupyter-widgets"
    try:
        page.wait_for_selector(selector, state="attached", timeout=LAB_TIMEOUT_MS)
    except Exception:
        checker.report.fail(where, f"저장된 위젯이 그려지지 않았습니다({selector} 없음). JupyterLab이라면 노트북이 "
                                   "신뢰되지 않아 글자로만 보였을 수 있습니다(make lab 은 jupyter trust 를 실행)")
    for text in page.locator("text=Error displaying widget").all_inner_texts()[:3]:
        checker.report.fail(where, f"위젯 오류: {text[:120]}")


def check_slides(checker: PageChecker, slides: Path, base: str) -> None:
    decks = sorted(slides.glob("notebooks/*.slides.html"))
    if not decks:
        checker.report.fail("슬라이드", f"{slides} 에 덱이 없습니다. 먼저 `make slides` 를 실행하세요")
    if (slides / "index.html").is_file():
        page, errors = checker.open("슬라이드 index.html", f"{base}/index.html")
        checker.common("슬라이드 index.html", page, errors, "slides-index")
        page.close()
    for deck in decks:
        where = f"슬라이드 {deck.name}"
        page, errors = checker.open(where, f"{base}/notebooks/{deck.name}")
        try:
            page.wait_for_function("() => document.body.dataset.deckReady === 'yes'", timeout=PAGE_TIMEOUT_MS)
        except Exception:
            checker.report.fail(where, "reveal.js가 시작되지 않았습니다")
        stem = deck.name.removesuffix(".slides.html")
        _widgets(checker, where, page, site_notebook(Path(stem + ".html")))
        checker.common(where, page, errors, f"slides-{stem}")
        page.close()


@dataclass
class LabServer:
    process: subprocess.Popen
    base: str
    token: str
    log: Path

    def api(self, path: str, method: str = "GET") -> tuple[int, bytes]:
        request = urllib.request.Request(f"{self.base}{path}", method=method,
                                         headers={"Authorization": f"token {self.token}"})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, b""


def start_lab(lab_args: str, workdir: Path) -> LabServer:
    """``make lab`` 과 같은 인자로 JupyterLab을 127.0.0.1에서 띄웁니다(설정·작업 공간은 임시 폴더).

    Raises:
        SystemExit: 제한 시간 안에 뜨지 않을 때(로그 끝부분과 함께).
    """
    port, token = _free_port(), secrets.token_hex(16)
    jupyter = Path(sys.executable).with_name("jupyter")
    command = [str(jupyter), "lab", "--no-browser", "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}",
               "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}", *shlex.split(lab_args)]
    if hasattr(os, "geteuid") and os.geteuid() == 0 and "--allow-root" not in command:
        command.append("--allow-root")
    settings = workdir / "lab-settings"
    # 검사용 사용자 설정(임시 폴더): 창 모드를 꺼 화면 밖 셀의 출력도 DOM에 그려지게 합니다.
    tracker = settings / "@jupyterlab" / "notebook-extension" / "tracker.jupyterlab-settings"
    tracker.parent.mkdir(parents=True, exist_ok=True)
    tracker.write_text(json.dumps({"windowingMode": "none"}), encoding="utf-8")
    env = {**os.environ, "JUPYTERLAB_SETTINGS_DIR": str(settings),
           "JUPYTERLAB_WORKSPACES_DIR": str(workdir / "lab-workspaces")}
    env.pop("MPLBACKEND", None)
    log = workdir / "jupyterlab.log"
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
    server = LabServer(process, f"http://127.0.0.1:{port}", token, log)
    deadline = time.monotonic() + LAB_TIMEOUT_MS / 1000
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            if server.api("/api/status")[0] == 200:
                return server
        except OSError:
            pass
        time.sleep(0.5)
    process.terminate()
    tail = log.read_text(encoding="utf-8", errors="replace")[-2000:]
    raise SystemExit(f"JupyterLab이 뜨지 않았습니다({' '.join(command[1:])}):\n{tail}")


def check_lab(checker: PageChecker, lab_args: str, workdir: Path) -> None:
    paths = notebooks()
    before = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in paths}
    server = start_lab(lab_args, workdir)
    try:
        prefix = "notebooks/" if server.api("/api/contents/notebooks")[0] == 200 else ""
        for path in paths:
            _check_lab_notebook(checker, server, prefix, path)
    finally:
        server.process.terminate()
        try:
            server.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.process.kill()
    for path in paths:
        if hashlib.sha256(path.read_bytes()).hexdigest() != before[path]:
            checker.report.fail(f"JupyterLab {path.name}", "노트북을 열었을 뿐인데 파일이 바뀌었습니다")


def _check_lab_notebook(checker: PageChecker, server: LabServer, prefix: str, path: Path) -> None:
    where = f"JupyterLab {path.name}"
    # ?reset: 앞에서 연 노트북들을 다시 열지 않도록 작업 공간을 비웁니다.
    page, errors = checker.open(where, f"{server.base}/lab/tree/{prefix}{path.name}?reset&token={server.token}")
    expected = _cells_with_outputs(path)
    try:
        page.wait_for_selector(".jp-NotebookPanel .jp-Notebook .jp-Cell", timeout=LAB_TIMEOUT_MS)
        page.wait_for_function(
            "(n) => document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell "
            ".jp-OutputArea-output').length > 0 && [...document.querySelectorAll("
            "'.jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell')].filter(c => c.querySelector("
            "'.jp-OutputArea-output')).length >= n", arg=expected, timeout=LAB_TIMEOUT_MS)
    except Exception as error:
        rendered = page.evaluate("() => [...document.querySelectorAll('.jp-CodeCell')]"
                                 ".filter(c => c.querySelector('.jp-OutputArea-output')).length")
        checker.report.fail(where, f"저장된 출력이 다 그려지지 않았습니다: 출력 있는 셀 {expected}개 중 {rendered}개 "
                                   f"({str(error).splitlines()[0][:120]})")
    _widgets(checker, where, page, path)
    checker.common(where, page, errors, f"lab-{path.stem}")
    page.close()
    status, body = server.api("/api/sessions")
    for session in json.loads(body or b"[]") if status == 200 else []:
        server.api(f"/api/sessions/{session['id']}", method="DELETE")


# ---------------------------------------------------------------- 실행

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="웹사이트·슬라이드·JupyterLab을 headless Chromium으로 검사합니다.")
    parser.add_argument("--site", type=Path, default=web_assets.BUILD_DIR / "site")
    parser.add_argument("--slides", type=Path, default=web_assets.BUILD_DIR / "slides")
    parser.add_argument("--lab-args", default=os.environ.get("LAB_SERVER_ARGS"),
                        help="make lab 이 jupyter lab 에 주는 인자(Makefile의 LAB_SERVER_ARGS)")
    parser.add_argument("--out", type=Path, default=OUT_DIR, help="스크린숏 폴더")
    parser.add_argument("--parts", default="site,slides,lab", help="검사할 것(쉼표로): site, slides, lab")
    parser.add_argument("--block-fonts", action="store_true",
                        help="우리 한글 글꼴 요청을 막아 검사가 실패하는지 봅니다(검사의 검사)")
    args = parser.parse_args(argv)
    parts = set(args.parts.split(","))
    if "lab" in parts and args.lab_args is None:
        raise SystemExit("--lab-args(또는 LAB_SERVER_ARGS)가 없습니다. `make browser-check` 로 실행하세요.")
    from playwright.sync_api import sync_playwright

    if args.out.exists():
        shutil.rmtree(args.out)
    args.out.mkdir(parents=True)
    report = Report()
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="deeplab-browser-check-") as tmp:
        workdir = Path(tmp)
        os.environ.update(hidden_korean_fonts_env(workdir))
        with sync_playwright() as playwright:
            context = playwright.chromium.launch_persistent_context(
                str(workdir / "chromium-profile"), executable_path=chromium_path(), headless=True,
                args=list(CHROMIUM_ARGS), viewport={"width": 1280, "height": 800}, locale="ko-KR")
            checker = PageChecker(context, report, args.out, args.block_fonts)
            servers = []
            if "site" in parts:
                print("웹사이트를 엽니다 …", flush=True)
                server, base = serve(args.site)
                servers.append(server)
                check_site(checker, args.site, base)
            if "slides" in parts:
                print("슬라이드를 엽니다 …", flush=True)
                server, base = serve(args.slides)
                servers.append(server)
                check_slides(checker, args.slides, base)
            if "lab" in parts:
                print(f"JupyterLab을 띄워 노트북을 엽니다(jupyter lab {args.lab_args}) …", flush=True)
                check_lab(checker, args.lab_args, workdir)
            context.close()
            for server in servers:
                server.shutdown()
    seconds = time.perf_counter() - start
    print(f"\n{len(report.checked)}쪽을 검사했습니다({seconds:.0f}초). 스크린숏: {args.out}")
    if report.problems:
        print(f"브라우저 검사 실패: 문제 {len(report.problems)}개", file=sys.stderr)
        for where, what in report.problems:
            print(f"  - {where}: {what}", file=sys.stderr)
        return 1
    print("브라우저 검사 통과: 콘솔 오류·실패한 요청·깨진 그림·날 수식·글꼴 없는 한글 없음")
    return 0


if __name__ == "__main__":
    sys.exit(main())
