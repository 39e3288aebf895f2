"""테스트 공통 설정과 픽스처.

공식 TFLite 모델은 저장소 밖(../shared/models, 공식 주소에 닿지 않는 이 기계의 대역)에 있습니다. CI(``CI=true``)에서
없으면 실패하고, 학습자 기계에서 없으면 그 테스트를 건너뜁니다. VOC 표본은 저장소의 ``data/`` 에 있습니다.

테스트와 nbval의 노트북 커널이 ``../shared`` 의 다른 것을 읽으면 실패합니다(``tests/guard/sitecustomize.py``).
"""

import os
import runpy
from pathlib import Path

import pytest

os.environ.setdefault("MPLBACKEND", "Agg")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

ROOT = Path(__file__).resolve().parents[1]
TFLITE_FILE = "deeplabv3_257_mv_gpu.tflite"
SHARED = ROOT.parent / "shared"
GUARD = Path(__file__).resolve().parent / "guard"

if not os.environ.get("DEEPLAB_LESSONS_MODEL_DIR") and (SHARED / "models").is_dir():
    os.environ["DEEPLAB_LESSONS_MODEL_DIR"] = str(SHARED / "models")
os.environ["DEEPLAB_LESSONS_FORBIDDEN_DIR"] = str(SHARED)
os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(GUARD), os.environ.get("PYTHONPATH")]))
runpy.run_path(str(GUARD / "sitecustomize.py"))     # 이 프로세스에도 감시를 겁니다(커널은 PYTHONPATH로 불러옴).


def _missing(what: str):
    if os.environ.get("CI"):
        pytest.fail(f"CI에서는 {what}이(가) 있어야 합니다(../shared/models, .ci/run이 환경 변수를 설정).")
    pytest.skip(f"{what}이(가) 없습니다(DEEPLAB_LESSONS_MODEL_DIR).")


@pytest.fixture(scope="session")
def tflite_path() -> Path:
    """공식 TFLite 파일(``DEEPLAB_LESSONS_MODEL_DIR``, 없으면 ../shared/models)."""
    folder = os.environ.get("DEEPLAB_LESSONS_MODEL_DIR")
    if folder and (Path(folder) / TFLITE_FILE).is_file():
        return Path(folder) / TFLITE_FILE
    _missing("공식 TFLite 모델")


@pytest.fixture(scope="session")
def tflite_model(tflite_path):
    from deeplab_lessons.pretrained import load_model

    return load_model("mobilenetv2_voc_tflite", model_dir=tflite_path.parent)


@pytest.fixture(scope="session")
def voc_root() -> Path:
    """저장소에 든 PASCAL VOC 2012 표본(val 10장, train 147장; ``data/README.md``)."""
    from deeplab_lessons import voc

    return voc.SAMPLE_ROOT


@pytest.fixture
def isolated(monkeypatch, tmp_path):
    """모델 폴더 환경 변수를 지우고 캐시를 빈 임시 폴더로 둔 상태."""
    monkeypatch.delenv("DEEPLAB_LESSONS_MODEL_DIR", raising=False)
    monkeypatch.setenv("DEEPLAB_LESSONS_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path


@pytest.fixture
def classifier_tflite(tmp_path) -> Path:
    """DeepLab이 아닌 작은 분류기 .tflite(입력 [1, 10], 출력 [1, 3])."""
    from deeplab_lessons import load_tensorflow

    tf = load_tensorflow()
    model = tf.keras.Sequential([tf.keras.Input((10,)), tf.keras.layers.Dense(3)])
    path = tmp_path / "classifier.tflite"
    from deeplab_lessons.pretrained.export import export_tflite

    return export_tflite(model, path)
