# deeplab-lessons — 두 명령이면 됩니다: `make lab` (JupyterLab 시작), `make test` (모든 테스트).
# 가상환경은 .venv 한 곳에만 만들고, 시스템 전역에는 아무것도 등록하지 않습니다.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.deeplab-lessons-installed
NOTEBOOKS := $(sort $(wildcard notebooks/[0-9][0-9]_*.ipynb))
# JupyterLab 설정(서버의 뿌리 = 저장소 루트, 시작 폴더 = workspace/, 영어 소식 알림 끔). tests/test_notebook_images.py 가
# 이 변수로 설정 파일을 찾아, 노트북이 보여 주는 그림이 모두 서버의 뿌리 안에 있는지 검사합니다.
LAB_CONFIG := tools/jupyter_lab_config.py
# JupyterLab에 더 넘길 옵션 (예: make lab LAB_ARGS="--port 8890 --no-browser")
LAB_ARGS ?=
# 컨테이너·클라우드 기계처럼 관리자(root) 계정이면 JupyterLab이 시작을 거부하므로 명시적으로 허용합니다(알림 한 줄).
ifeq ($(shell id -u 2>/dev/null),0)
ROOT_ARGS := --allow-root
endif
PYTEST_ARGS ?=

# 노트북 출력이 실행할 때마다 같도록 해시 시드를 고정하고, 가상환경의 커널을 먼저 찾게 합니다.
export PYTHONHASHSEED := 0
export JUPYTER_PREFER_ENV_PATH := 1
export MPLBACKEND := Agg

# 개발 기계와 CI: 공식 모델 주소에 닿지 않으므로 저장소 옆 ../shared/models 의 같은 파일을 씁니다(학습자 기계에는
# 없고, 그때 모델은 처음 쓸 때 공식 주소에서 내려받아 캐시에 둡니다). 그 밖에 ../shared 의 것은 쓰지 않습니다:
# VOC 표본은 저장소의 data/voc2012_sample 에 있습니다(전체 VOC는 make voc2012).
ifneq ($(wildcard ../shared/models),)
export DEEPLAB_LESSONS_MODEL_DIR ?= $(abspath ../shared/models)
endif
# make voc2012 가 전체 VOC 2012를 둘 폴더(그 안에 VOC2012/ 가 생김)
VOC_FOLDER ?= ~/data/VOCdevkit

.PHONY: help venv lab workspace-refresh test unit notebooks execute figures lint clean slides site browser-check lab-prepare \
	voc2012

# ---- 발표 모드·강좌 웹사이트·브라우저 검사 (README의 "강의하기와 웹사이트") ----
# make lab 과 make browser-check 가 함께 쓰는 JupyterLab 실행 방법(한 곳에서 정합니다): 서버 설정은
# $(LAB_CONFIG) (저장소 루트를 보여 주고 workspace/ 를 엶, 소식 창 끔), 한글 웹 글꼴은 프로젝트 Jupyter 설정 폴더의
# custom/custom.css (make lab-prepare가 만들고, 글꼴은 커밋하지 않음).
JUPYTER_PROJECT_CONFIG ?= build/jupyter-config
LAB_ENV = env -u MPLBACKEND JUPYTER_CONFIG_DIR=$(abspath $(JUPYTER_PROJECT_CONFIG))
LAB_SERVER_ARGS = --config=$(LAB_CONFIG) --LabApp.custom_css=True
SITE_STAMP := $(VENV)/.deeplab-lessons-site-installed
# 예: make browser-check BROWSER_CHECK_ARGS=--block-fonts (우리 한글 글꼴을 막아 검사가 실패하는지 확인)
BROWSER_CHECK_ARGS ?=

help:
	@echo "make lab      JupyterLab을 시작합니다 (처음이면 .venv를 만들어 설치하고, 강의 노트북을 workspace/ 에 복사)"
	@echo "make workspace-refresh  workspace/ 의 사본을 바뀐 강의로 새로 고칩니다 (고친 사본은 먼저 백업)"
	@echo "make test     단위 테스트 + 모든 노트북을 nbval로 실행해 저장된 출력과 비교합니다"
	@echo "make unit     단위 테스트만"
	@echo "make execute  모든 노트북을 새 커널에서 처음부터 다시 실행해 출력을 저장합니다"
	@echo "make figures  images/ 의 그림을 패키지 함수로 다시 그립니다"
	@echo "make lint     ruff 검사"
	@echo "make voc2012  PASCAL VOC 2012 전체(약 1.9 GB)를 내려받아 분할에 필요한 것만 풉니다 (VOC_FOLDER=폴더)"
	@echo "make slides   노트북마다 정적 reveal.js 슬라이드를 build/slides/ 에 만듭니다"
	@echo "make site     강좌 웹사이트를 build/site/ 에 만듭니다"
	@echo "make browser-check  웹사이트·슬라이드·JupyterLab을 headless Chromium으로 검사합니다"

# 파이썬 버전(3.10–3.13)과 venv·ensurepip를 검사하고 .venv를 만듭니다. 반쯤 만든 .venv는 고쳐 만들고,
# 안 되면 무엇을 설치할지 한국어로 알립니다(tools/make_venv.py).
$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "[deeplab-lessons] 파이썬 '$(PYTHON)' 을(를) 찾을 수 없습니다. 파이썬 3.10–3.13을 설치하거나 골라 주세요. 예: make lab PYTHON=python3.12" >&2; exit 1; }
	@$(PYTHON) -m tools.make_venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

venv: $(STAMP)

# 여러분의 노트북은 workspace/ (git이 추적하지 않음)에 있고, 강의 원본 notebooks/ 는 그대로 둡니다.
lab: $(STAMP) lab-prepare
	@$(BIN)/python -m tools.workspace prepare
	@$(if $(ROOT_ARGS),echo "[deeplab-lessons] 관리자(root) 계정이라 --allow-root 로 시작합니다(컨테이너·클라우드 기계라면 괜찮습니다).")
	$(LAB_ENV) $(BIN)/jupyter lab $(LAB_SERVER_ARGS) $(ROOT_ARGS) $(LAB_ARGS)

workspace-refresh: $(STAMP)
	@$(BIN)/python -m tools.workspace refresh

# JupyterLab이 한글 웹 글꼴을 주는 custom.css를 만들고, 강좌 노트북을 신뢰합니다(신뢰하지 않은 노트북은
# 저장된 위젯 — 3강의 팽창률 슬라이더 — 을 그리지 않고 글자로만 보여 줍니다. workspace/ 의 사본도 내용이 같으면 신뢰됨).
lab-prepare: $(STAMP)
	@$(BIN)/python -m tools.lab_custom $(JUPYTER_PROJECT_CONFIG)/custom
	@$(BIN)/jupyter trust $(NOTEBOOKS) > /dev/null

test: $(STAMP)
	$(BIN)/python -m pytest --nbval --nbval-current-env tests $(NOTEBOOKS) $(PYTEST_ARGS)

unit: $(STAMP)
	$(BIN)/python -m pytest tests $(PYTEST_ARGS)

notebooks: $(STAMP)
	$(BIN)/python -m pytest --nbval --nbval-current-env $(NOTEBOOKS) $(PYTEST_ARGS)

execute: $(STAMP)
	$(BIN)/jupyter nbconvert --to notebook --execute --inplace \
		--ExecutePreprocessor.timeout=2400 \
		--ExecutePreprocessor.record_timing=False \
		$(NOTEBOOKS)

figures: $(STAMP)
	$(BIN)/python -m deeplab_lessons.figures --out images

# 전체 VOC 2012: 내려받기(끊기면 다시 실행해 이어 받기), 체크섬 확인, 분할 데이터만 풀기. 끝에 7–9강이 쓰게 하는
# 환경 변수 한 줄을 알려 줍니다.
voc2012: $(STAMP)
	$(BIN)/python -m deeplab_lessons data voc2012 $(VOC_FOLDER)

lint: $(STAMP)
	$(BIN)/ruff check deeplab_lessons tests benchmarks tools

# 슬라이드·웹사이트·브라우저 검사에 필요한 것([site]: Sphinx, myst-nb, furo, playwright)
$(SITE_STAMP): pyproject.toml $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,site]'
	@touch $@

slides: $(SITE_STAMP)
	$(BIN)/python -m tools.slides_build

site: $(SITE_STAMP)
	$(BIN)/python -m tools.site_build

# 웹사이트와 슬라이드를 새로 만들고, make lab 과 같은 방법으로 JupyterLab을 띄워 headless Chromium으로 엽니다.
browser-check: slides site lab-prepare
	$(LAB_ENV) $(BIN)/python -m tools.browser_check --lab-args "$(LAB_SERVER_ARGS)" $(BROWSER_CHECK_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis build
