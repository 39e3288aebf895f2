import subprocess
import sys


def _run(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)


def test_import_package_does_not_import_tensorflow():
    result = _run("import sys, deeplab_lessons, deeplab_lessons.atrous, deeplab_lessons.voc, "
                  "deeplab_lessons.environment; print('tensorflow' in sys.modules)")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_load_tensorflow_is_silent():
    """TF의 C++ 시작 로그가 표준 오류에 나오지 않아야 nbval이 노트북 출력을 비교할 수 있습니다."""
    code = ("import deeplab_lessons as d; tf = d.load_tensorflow(); keras = d.load_keras(); "
            "x = keras.layers.Conv2D(2, 3, dilation_rate=2)(tf.ones([1, 9, 9, 1])); "
            "print(tuple(x.shape))")
    result = _run(code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "(1, 5, 5, 2)"
    assert result.stderr == ""
