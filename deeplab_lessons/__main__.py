"""명령줄: ``python -m deeplab_lessons segment 영상 [--model 이름] [--out 결과.png] [--overlay]``.

색으로 나타낸 분할 마스크(그리고 원하면 겹쳐 보기)를 PNG로 저장하고, 나온 클래스와 화소 비율을 출력합니다.
모든 오류는 한국어 한 줄로 알리고 종료 코드 2로 끝납니다. 파일은 임시 파일에 다 쓴 뒤에만 제자리로 옮깁니다.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from deeplab_lessons.errors import DeepLabLessonsError

DEFAULT_MODEL = "mobilenetv2_voc_tflite"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m deeplab_lessons",
                                     description="DeepLab 강좌 도구: 사전 학습 모델로 영상 분할")
    commands = parser.add_subparsers(dest="command", required=True, metavar="명령")
    segment = commands.add_parser("segment", help="영상 하나를 분할해 색 마스크 PNG로 저장합니다")
    segment.add_argument("image", help="영상 파일 경로")
    segment.add_argument("--model", default=DEFAULT_MODEL, help=f"모델 이름 또는 파일 (기본: {DEFAULT_MODEL})")
    segment.add_argument("--model-dir", default=None, help="모델 파일을 먼저 찾아볼 폴더")
    segment.add_argument("--out", default=None, help="저장할 PNG (기본: <영상 이름>_segmentation.png)")
    segment.add_argument("--overlay", action="store_true", help="영상에 겹친 그림도 <out>_overlay.png로 저장")
    commands.add_parser("models", help="등록된 모델과, 이 컴퓨터에 파일이 있는지 보여 줍니다")
    return parser


def _write_pngs(arrays: dict[Path, object]) -> None:
    """여러 PNG를 모두 임시 파일에 쓴 뒤에야 한꺼번에 제자리로 옮깁니다(하나라도 실패하면 아무것도 안 남김)."""
    from PIL import Image

    temps = {}
    try:
        for path, array in arrays.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temp = tempfile.mkstemp(prefix=".partial_", suffix=".png", dir=path.parent)
            os.close(handle)
            temps[path] = temp
            Image.fromarray(array).save(temp, format="PNG")
        for path, temp in temps.items():
            os.replace(temp, path)
    finally:
        for temp in temps.values():
            if os.path.exists(temp):
                os.remove(temp)


def _segment(args) -> None:
    from deeplab_lessons import image_io, pretrained, viz, voc

    image = Path(args.image)
    out = Path(args.out) if args.out else Path(f"{image.stem}_segmentation.png")
    if out.suffix.lower() != ".png":
        raise DeepLabLessonsError(f"--out은 .png 파일이어야 합니다(받은 값: {out.name}).")
    rgb = image_io.load_image(image)
    model = pretrained.load_model(args.model, model_dir=args.model_dir)
    mask = model.segment(rgb)
    outputs = {out: voc.label_to_color(mask)}
    if args.overlay:
        outputs[out.with_name(f"{out.stem}_overlay.png")] = viz.overlay(rgb, mask)
    _write_pngs(outputs)
    print(f"{image.name}: {rgb.shape[1]}×{rgb.shape[0]} 화소, 모델 {model.name}")
    print("찾은 클래스와 화소 비율:")
    print(voc.share_table(mask))
    for path in outputs:
        print(f"저장함: {path}")


def _models() -> None:
    from deeplab_lessons.pretrained import MODELS, find_model_file

    for name, info in MODELS.items():
        found = "있음" if find_model_file(name) else "없음 (처음 쓸 때 내려받습니다)"
        print(f"{name:<30} {info.kind:<13} 입력 {info.input_size:<4} {found}")


def main(argv=None) -> int:
    """명령줄 진입점. 성공하면 0, 패키지 오류면 2를 돌려줍니다."""
    args = _parser().parse_args(argv)
    try:
        if args.command == "segment":
            _segment(args)
        else:
            _models()
    except DeepLabLessonsError as exc:
        print(f"오류: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
