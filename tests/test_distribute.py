"""여러 장치로 미세 조정(tf.distribute): 이 기계의 CPU를 논리 장치 둘로 나눠 MirroredStrategy로 돌리면, 같은 전체
배치와 시드에서 처음 두 에포크의 손실이 장치 하나의 실행과 상대 오차 1e-4 안에서 같습니다.

허용 오차의 근거: 두 실행은 같은 자르기(난수는 (시드, 에포크)에서만 나옴), 같은 초기 가중치(시드), 같은 전체 배치를
봅니다. MirroredStrategy는 전체 배치를 장치마다 반씩 나눠 기울기를 구한 뒤 더하므로(all-reduce), 다른 것은 float32
덧셈의 순서뿐입니다. 그 차는 단계마다 1e-7 상대 오차 정도이고 두 에포크(4단계) 동안 1e-5 아래에 머뭅니다. 새 층의 배치
정규화는 얼려 두므로(fine_tune_batch_norm=False, DeepLab의 기본) 장치마다 다른 배치 통계도 들어오지 않습니다.
논리 장치는 TF가 장치를 처음 만들기 전에만 나눌 수 있어 새 프로세스에서 돌립니다.
"""

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

SCRIPT = textwrap.dedent("""
    import json, sys
    from pathlib import Path
    import numpy as np
    from deeplab_lessons import load_tensorflow, datasets, fine_tuning
    sys.path.insert(0, sys.argv[3])
    from test_fine_tuning import _tiny_set

    tf = load_tensorflow()
    cpu = tf.config.list_physical_devices("CPU")[0]
    tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 2)
    tmp = Path(sys.argv[1])
    train_set = _tiny_set(tmp, count=4)
    config = fine_tuning.FineTuneConfig(epochs=2, crop=49, batch=4, decoder=True, train="decoder",
                                        decoder_filters=8, learning_rate=0.02)
    losses = {}
    for name, strategy in (("one", None), ("mirrored", tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"]))):
        _, history = fine_tuning.fine_tune(train_set, tmp / name, config, sys.argv[2], out=lambda line: None,
                                           strategy=strategy)
        losses[name] = [h["loss"] for h in history]
    print(json.dumps(losses))
""")


def test_mirrored_strategy_matches_one_device(tmp_path, tflite_path):
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", "PYTHONWARNINGS": "ignore"}
    tests = Path(__file__).resolve().parent
    done = subprocess.run([sys.executable, "-c", SCRIPT, str(tmp_path), str(tflite_path), str(tests)],
                          capture_output=True, text=True, timeout=600, env=env)
    assert done.returncode == 0, done.stderr[-3000:]
    losses = json.loads(done.stdout.strip().splitlines()[-1])
    assert len(losses["one"]) == len(losses["mirrored"]) == 2
    for one, mirrored in zip(losses["one"], losses["mirrored"], strict=True):
        assert abs(one - mirrored) <= 1e-4 * abs(one), losses
