"""큰 사진의 최대 메모리: 6000×4000(24 MP) 사진 한 장을 방식마다(한 배율, 뒤집기, CRF, 6배율 + 뒤집기, 6배율 +
뒤집기 + CRF) 새 자식 프로세스에서 분할하고, 그 프로세스의 최대 상주 메모리(``resource.getrusage`` 의
``ru_maxrss``)를 출력합니다. 자식마다 따로 재므로 한 방식의 메모리가 다음 방식에 섞이지 않습니다.

목표: 어느 방식이든 ≤ 약 2 GB (``refine.MAX_WORK_PIXELS`` 로 작업 해상도를 묶기 때문). 시간은 참고용입니다(공유 기계).
리눅스·macOS에서만 돕니다(``resource`` 모듈). 무겁습니다: 2코어에서 모두 합쳐 몇 분 걸립니다.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys

MODES = {
    "한 배율(기본)": ("mobilenetv2_voc_tflite", {}),
    "뒤집기": ("mobilenetv2_voc_tflite", {"flip": True}),
    "CRF": ("mobilenetv2_voc_tflite", {"crf": True}),
    "6배율 + 뒤집기 (Keras 513)": ("mobilenetv2_voc_keras", {"scales": "DEEPLAB", "flip": True}),
    "6배율 + 뒤집기 + CRF (Keras 513)": ("mobilenetv2_voc_keras", {"scales": "DEEPLAB", "flip": True, "crf": True}),
}

_CHILD = r"""
import json, resource, sys, time
import numpy as np
from PIL import Image
from deeplab_lessons import refine, voc
from deeplab_lessons.metrics import read_voc_pair, voc_image_ids
from deeplab_lessons.pretrained import load_model

model_name, options, width, height, model_dir = json.loads(sys.argv[1])
if options.get("scales") == "DEEPLAB":
    options["scales"] = refine.DEEPLAB_SCALES
root = voc.SAMPLE_ROOT
image, _ = read_voc_pair(root, voc_image_ids(root)[0])
rgb = np.asarray(Image.fromarray(image).resize((width, height), Image.Resampling.BILINEAR))
model = load_model(model_name, model_dir=model_dir)
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.perf_counter()
mask = model.segment(rgb, **options)
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
scale = 1 if sys.platform == "darwin" else 1024          # 리눅스는 KiB, macOS는 바이트
print("RESULT " + json.dumps({"peak": peak * scale, "before": before * scale, "seconds": seconds,
                              "shape": list(mask.shape)}))
"""


def measure(model: str, options: dict, width: int, height: int, model_dir) -> dict:
    """자식 프로세스 하나에서 한 방식을 돌리고 ``{"peak": 바이트, "before": 바이트, "seconds": 초, "shape"}``."""
    argument = json.dumps([model, options, width, height, model_dir])
    result = subprocess.run([sys.executable, "-c", _CHILD, argument], capture_output=True, text=True, check=False)
    lines = [line for line in result.stdout.splitlines() if line.startswith("RESULT ")]
    if result.returncode != 0 or not lines:
        return {"error": (result.stderr.strip().splitlines() or [f"종료 코드 {result.returncode}"])[-1]}
    return json.loads(lines[-1][len("RESULT "):])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--width", type=int, default=6000)
    parser.add_argument("--height", type=int, default=4000)
    parser.add_argument("--only", default=None, help="이 글자가 든 방식만(예: CRF)")
    parser.add_argument("--model-dir", default=os.environ.get("DEEPLAB_LESSONS_MODEL_DIR"))
    args = parser.parse_args()

    from deeplab_lessons import refine
    from deeplab_lessons.tables import table

    print(f"사진 {args.width}×{args.height} ({args.width * args.height / 1e6:.0f} MP), 작업 해상도 상한 "
          f"{refine.MAX_WORK_PIXELS / 1e6:g} MP. 방식마다 새 프로세스에서 잽니다.")
    rows = []
    for name, (model, options) in MODES.items():
        if args.only and args.only not in name:
            continue
        got = measure(model, options, args.width, args.height, args.model_dir)
        if "error" in got:
            rows.append([name, model, "실패", "", got["error"][:60]])
        else:
            rows.append([name, model, got["peak"] / 2 ** 30, got["before"] / 2 ** 30, f"{got['seconds']:.0f}"])
        print(f"  {name}: {rows[-1][2:]}", flush=True)
    headers = ["방식", "모델", "최대 메모리 (GiB)", "모델을 불러온 뒤 (GiB)", "분할 시간 (초)"]
    print(table(headers, rows, digits=2).text())


if __name__ == "__main__":
    main()
