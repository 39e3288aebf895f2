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

# 개발 기계와 CI: 저장소 옆 ../shared 에 공식 모델과 VOC 표본이 있으면 씁니다(학습자 기계에는 없고,
# 그때 모델은 처음 쓸 때 공식 주소에서 내려받아 캐시에 둡니다. 6강의 평가는 VOC 폴더가 없으면 건너뜁니다).
ifneq ($(wildcard ../shared/models),)
export DEEPLAB_LESSONS_MODEL_DIR ?= $(abspath ../shared/models)
endif
ifneq ($(wildcard ../shared/voc_sample),)
export DEEPLAB_LESSONS_VOC_DIR ?= $(abspath ../shared/voc_sample)
endif

.PHONY: help venv lab workspace-refresh test unit notebooks execute figures lint clean

help:
	@echo "make lab      JupyterLab을 시작합니다 (처음이면 .venv를 만들어 설치하고, 강의 노트북을 workspace/ 에 복사)"
	@echo "make workspace-refresh  workspace/ 의 사본을 바뀐 강의로 새로 고칩니다 (고친 사본은 먼저 백업)"
	@echo "make test     단위 테스트 + 모든 노트북을 nbval로 실행해 저장된 출력과 비교합니다"
	@echo "make unit     단위 테스트만"
	@echo "make execute  모든 노트북을 새 커널에서 처음부터 다시 실행해 출력을 저장합니다"
	@echo "make figures  images/ 의 그림을 패키지 함수로 다시 그립니다"
	@echo "make lint     ruff 검사"

# 파이썬 버전(3.10–3.13)과 venv·ensurepip를 검사하고 .venv를 만듭니다. 반쯤 만든 .venv는 고쳐 만들고,
# 안 되면 무엇을 설치할지 한국어로 알립니다(tools/make_venv.py).
$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "[deeplab-lessons] 파이썬 '$(PYTHON)' 을(를) 찾을 수 없습니다. 파이썬 3.10–3.13을 설치하거나 골라 주세요. 예: make lab PYTHON=python3.12" >&2; exit 1; }
	@$(PYTHON) tools/make_venv.py $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

venv: $(STAMP)

# 여러분의 노트북은 workspace/ (git이 추적하지 않음)에 있고, 강의 원본 notebooks/ 는 그대로 둡니다.
lab: $(STAMP)
	@$(BIN)/python tools/workspace.py prepare
	@$(if $(ROOT_ARGS),echo "[deeplab-lessons] 관리자(root) 계정이라 --allow-root 로 시작합니다(컨테이너·클라우드 기계라면 괜찮습니다).")
	env -u MPLBACKEND $(BIN)/jupyter lab --config=$(LAB_CONFIG) $(ROOT_ARGS) $(LAB_ARGS)

workspace-refresh: $(STAMP)
	@$(BIN)/python tools/workspace.py refresh

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
	$(BIN)/python -m deeplab_lessons.figures

lint: $(STAMP)
	$(BIN)/ruff check deeplab_lessons tests benchmarks tools

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
