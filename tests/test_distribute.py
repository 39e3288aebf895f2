"""여러 장치로 미세 조정(tf.distribute): 이 기계의 CPU를 논리 장치 둘로 나눠 MirroredStrategy로 돌리면, 같은 전체
배치와 시드에서 처음 두 에포크의 손실이 장치 하나의 실행과 상대 오차 1e-4 안에서 같습니다.

허용 오차의 근거: 두 실행은 같은 자르기(난수는 (시드, 에포크)에서만 나옴), 같은 초기 가중치(시드), 같은 전체 배치를
봅니다. MirroredStrategy는 전체 배치를 장치마다 반씩 나눠 손실의 평균과 기울기를 구한 뒤 장치들의 평균을 냅니다.
장치마다 무시(255) 화소 수가 같으면 이것은 전체 배치의 평균과 같고, 다른 것은 float32 덧셈의 순서뿐입니다(단계마다
1e-7 상대 오차 정도). 그래서 이 테스트는 채우기(255)가 생기지 않게 배율을 1.0–2.0으로 둡니다. 장치마다 무시 화소 수가
다르면 장치의 평균을 같은 무게로 평균하므로 장치 하나의 실행과 조금 다릅니다(이 작은 자료에서 둘째 에포크에 약 5e-4).
새 층의 배치 정규화는 얼려 두므로(fine_tune_batch_norm=False, DeepLab의 기본) 장치마다 다른 배치 통계도 들어오지
않습니다. 논리 장치는 TF가 장치를 처음 만들기 전에만 나눌 수 있어 새 프로세스에서 돌립니다.
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
    import tensorflow as tf

    # 장치를 만들기 전에(패키지의 load_tensorflow가 장치를 초기화하기 전에) CPU를 논리 장치 둘로 나눕니다.
    cpu = tf.config.list_physical_devices("CPU")[0]
    tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 2)
    from deeplab_lessons import fine_tuning
    sys.path.insert(0, sys.argv[3])
    from test_fine_tuning import _tiny_set

    tmp = Path(sys.argv[1])
    train_set = _tiny_set(tmp, count=4)
    config = fine_tuning.FineTuneConfig(epochs=2, crop=49, batch=4, decoder=True, train="decoder",
                                        decoder_filters=8, learning_rate=0.02, min_scale=1.0, max_scale=2.0,
                                        fine_tune_batch_norm=False)
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
