"""노트북 마크다운이 보여 주는 그림(``![..](..)``, ``<img src>``)이 모두 있고, ``make lab`` 이 여는 서버의 뿌리 안에
있는지 검사합니다. 서버의 뿌리는 Makefile 의 LAB_CONFIG 가 가리키는 JupyterLab 설정 파일에서 읽으므로
어긋날 수 없습니다.
학습자의 사본(workspace/)에서 열어도 같은 그림이 풀리는지도 봅니다."""

import json
import re
from pathlib import Path

import pytest
from tooling import ROOT, load_tool, makefile_variable
from traitlets.config import Config

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
MARKDOWN_IMAGE = re.compile(r"!\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
HTML_IMAGE = re.compile(r"<img\b[^>]*\bsrc\s*=\s*[\"']([^\"']+)[\"']", re.I)


def lab_config() -> Config:
    """make lab 이 쓰는 설정 파일을 JupyterLab처럼 실행해 설정 값을 얻습니다."""
    path = ROOT / makefile_variable("LAB_CONFIG")
    config = Config()
    code = compile(path.read_text(encoding="utf-8"), str(path), "exec")
    exec(code, {"get_config": lambda: config, "__file__": str(path)})
    return config


def image_references(notebook: Path) -> list[str]:
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    text = "\n".join("".join(cell["source"]) for cell in cells if cell["cell_type"] == "markdown")
    refs = MARKDOWN_IMAGE.findall(text) + HTML_IMAGE.findall(text)
    return [ref for ref in refs if not re.match(r"^(https?:|data:|attachment:)", ref)]


def test_makefile_starts_lab_with_the_config():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = makefile.split("\nlab:")[1].split("\n\n")[0]
    server_args = makefile.split("\nLAB_SERVER_ARGS = ")[1].split("\n")[0]
    # make lab 과 make browser-check 는 같은 LAB_SERVER_ARGS 로 JupyterLab을 띄웁니다.
    assert "$(LAB_SERVER_ARGS)" in recipe and "--notebook-dir" not in recipe
    assert "--config=$(LAB_CONFIG)" in server_args


def test_served_root_is_the_repository_and_news_is_off():
    config = lab_config()
    assert Path(config.ServerApp.root_dir) == ROOT
    assert config.LabApp.news_url is None
    overrides = json.loads((Path(config.LabApp.app_settings_dir) / "overrides.json").read_text(encoding="utf-8"))
    notification = overrides["@jupyterlab/apputils-extension:notification"]
    assert notification == {"fetchNews": "false", "checkForUpdates": False}
    assert config.LabApp.check_for_updates_class.endswith("NeverCheckForUpdate")
    assert config.LabApp.default_url.startswith("/lab/tree/")


def test_the_markdown_image_pattern_finds_both_forms():
    text = '![그림](../images/a.png) and <img width="50" src="../images/b.png"> and ![w](https://x/y.png)'
    found = MARKDOWN_IMAGE.findall(text) + HTML_IMAGE.findall(text)
    assert found == ["../images/a.png", "https://x/y.png", "../images/b.png"]


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.name)
def test_every_referenced_image_exists_inside_the_served_root(notebook):
    root = Path(lab_config().ServerApp.root_dir).resolve()
    workspace = load_tool("workspace").WORKSPACE
    for ref in image_references(notebook):
        for folder in (notebook.parent, workspace):   # 강의 원본에서 열 때와 학습자의 사본에서 열 때
            target = (folder / ref).resolve()
            assert target.is_file(), f"{notebook.name}: {ref} 가 {folder.name}/ 에서 열면 없습니다"
            assert target.is_relative_to(root), f"{notebook.name}: {ref} 는 서버의 뿌리({root}) 밖이라 보이지 않습니다"


def test_at_least_the_known_diagrams_are_checked():
    assert sum(len(image_references(nb)) for nb in NOTEBOOKS) >= 4
