"""Sphinx 설정: `make site` 가 build/site-src/ 에 이 파일과 노트북·그림을 모아 build/site/ 로 만듭니다.

노트북은 실행하지 않고 저장된 출력을 씁니다(myst-nb, nb_execution_mode = "off").
MathJax, require.js, 위젯 관리자, 한글 글꼴은 모두 _static/ 의 로컬 파일입니다(tools/site_build.py가 복사).
"""

project = "deeplab-lessons"
author = "deeplab-lessons"
copyright = "deeplab-lessons"
language = "ko"

extensions = ["myst_nb"]
nb_execution_mode = "off"
# 긴 출력을 접지 않고, stderr도 그대로 보여 줍니다(노트북에서 보이는 그대로).
nb_output_stderr = "show"
nb_merge_streams = True
myst_enable_extensions = ["dollarmath", "amsmath"]
myst_heading_anchors = 3
source_suffix = {".md": "myst-nb", ".ipynb": "myst-nb"}
exclude_patterns = ["_build", "**.ipynb_checkpoints"]
# 사이트에 없는 저장소 파일(deeplab_lessons/*.py 등)로 가는 링크는 경고만 하고 넘어갑니다.
suppress_warnings = ["myst.xref_missing", "myst.header", "misc.highlighting_failure", "mystnb.unknown_mime_type"]

html_theme = "furo"
html_title = "deeplab-lessons: 직접 실행하며 배우는 DeepLab"
html_static_path = ["_static"]
html_css_files = ["korean.css"]
# MathJax 3 뒤에 실행: 위젯 관리자가 부르는 MathJax 2의 MathJax.Hub.Queue 를 MathJax 3으로 잇습니다.
html_js_files = [("mathjax-hub-shim.js", {"defer": "defer"})]
html_favicon = "_static/favicon.svg"
html_permalinks_icon = "#"
html_show_sourcelink = False
html_copy_source = False
# 한글 글꼴과 글꼴 목록은 tools/site_build.py가 만드는 _static/korean.css 에 있습니다.

# MathJax 3을 CDN이 아니라 _static/mathjax 에서(상대 경로는 _static 기준)
mathjax_path = "mathjax/tex-chtml.js"
# 3강의 슬라이더 같은 위젯: 저장된 위젯 상태를 로컬 require.js + 위젯 관리자로 그립니다.
nb_ipywidgets_js = {
    "require.js": {},
    "html-manager/embed-amd.js": {},
}
