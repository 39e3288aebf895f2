# deeplab-lessons의 JupyterLab 설정. `make lab` 이 `jupyter lab --config=tools/jupyter_lab_config.py` 로 읽습니다
# (conda라면 README의 같은 명령). 사용자 홈의 ~/.jupyter 에는 아무것도 쓰지 않고, 그곳의 설정도 그대로 둡니다.
# 이 파일은 JupyterLab이 시작할 때 실행하는 파이썬 코드이며 `c` 는 JupyterLab이 넘겨 주는 설정 객체입니다.
from pathlib import Path

# 저장소 루트를 서버의 뿌리로 삼습니다. 노트북 마크다운의 ![..](../images/...) 그림이 서버 안에 있어야 보이고,
# 7강처럼 images/ 에 사진을 두라는 안내도 브라우저에서 그 폴더에 닿아야 따를 수 있습니다
# (tests/test_notebook_images.py 가 모든 그림이 이 뿌리 안에 있는지 검사합니다).
REPOSITORY = Path(__file__).resolve().parent.parent
# 학습자의 노트북 사본이 있는 폴더(git이 추적하지 않음, tools/workspace.py 가 만듭니다). 없으면 강의 원본 폴더를 엽니다.
WORKSPACE = REPOSITORY / "workspace"
START_FOLDER = WORKSPACE if WORKSPACE.is_dir() else REPOSITORY / "notebooks"

c = get_config()  # noqa: F821 (JupyterLab이 설정 파일을 실행할 때 넣어 주는 함수)
c.ServerApp.root_dir = str(REPOSITORY)
c.LabApp.default_url = "/lab/tree/" + START_FOLDER.relative_to(REPOSITORY).as_posix()

# 한국어 강좌에 영어 팝업이 뜨지 않게: JupyterLab 소식(news)을 받을지 묻는 알림("Would you like to get notified
# about official Jupyter news?")과 새 버전 알림을 끕니다. 묻는 것은 브라우저 쪽 설정 fetchNews 의 기본값("none")이므로,
# 그 기본값을 이 저장소의 jupyterlab-settings/overrides.json 에서 "false" 로 바꿉니다(설정 기본값 덮어쓰기).
# 사용자가 설정 편집기에서 바꾼 값은 여전히 그 위에 적용됩니다. 서버도 소식을 가져오지 않습니다(news_url = None).
c.LabApp.app_settings_dir = str(REPOSITORY / "tools" / "jupyterlab-settings")
c.LabApp.news_url = None
c.LabApp.check_for_updates_class = "jupyterlab.handlers.announcements.NeverCheckForUpdate"
