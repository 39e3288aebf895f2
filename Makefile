# deeplab-lessons — 두 명령이면 됩니다: `make lab` (JupyterLab 시작), `make test` (모든 테스트).
# 가상환경은 .venv 한 곳에만 만들고, 시스템 전역에는 아무것도 등록하지 않습니다.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.deeplab-lessons-installed
NOTEBOOKS := $(sort $(wildcard notebooks/[0-9][0-9]_*.ipynb))
# 루트 계정 등에서 필요한 JupyterLab 추가 옵션 (예: make lab LAB_ARGS=--allow-root)
LAB_ARGS ?=
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

.PHONY: help venv lab test unit notebooks execute figures lint clean

help:
	@echo "make lab      JupyterLab을 notebooks/ 에서 시작합니다 (처음이면 .venv를 만들고 설치)"
	@echo "make test     단위 테스트 + 모든 노트북을 nbval로 실행해 저장된 출력과 비교합니다"
	@echo "make unit     단위 테스트만"
	@echo "make execute  모든 노트북을 새 커널에서 처음부터 다시 실행해 출력을 저장합니다"
	@echo "make figures  images/ 의 그림을 패키지 함수로 다시 그립니다"
	@echo "make lint     ruff 검사"

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

venv: $(STAMP)

lab: $(STAMP)
	env -u MPLBACKEND $(BIN)/jupyter lab --notebook-dir=notebooks $(LAB_ARGS)

test: $(STAMP)
	$(BIN)/python -m pytest --nbval --nbval-current-env tests $(NOTEBOOKS) $(PYTEST_ARGS)

unit: $(STAMP)
	$(BIN)/python -m pytest tests $(PYTEST_ARGS)

notebooks: $(STAMP)
	$(BIN)/python -m pytest --nbval --nbval-current-env $(NOTEBOOKS) $(PYTEST_ARGS)

execute: $(STAMP)
	$(BIN)/jupyter nbconvert --to notebook --execute --inplace \
		--ExecutePreprocessor.timeout=1800 \
		--ExecutePreprocessor.record_timing=False \
		$(NOTEBOOKS)

figures: $(STAMP)
	$(BIN)/python -m deeplab_lessons.figures

lint: $(STAMP)
	$(BIN)/ruff check deeplab_lessons tests benchmarks

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
