"""명령줄: ``python -m deeplab_lessons segment 영상 [--model 이름] [--out 결과.png] [--overlay]``.

색으로 나타낸 분할 마스크(그리고 원하면 겹쳐 보기)를 PNG로 저장하고, 나온 클래스와 화소 비율을 출력합니다.
모든 오류는 한국어 한 줄로 알리고 종료 코드 2로 끝납니다. Ctrl-C와 SIGTERM은 한국어 한 줄과 종료 코드 130(반쯤 쓴
파일과 이번에 만든 폴더는 지움; 끝난 프로세스가 남긴 ``.partial_<pid>_…`` 파일은 다음 실행이 지움). 결과 경로는
모델을 돌리기 전에 검사하고, 파일은 임시 파일에 다 쓴 뒤에만 제자리로 옮깁니다(:mod:`deeplab_lessons.safe_files`).
영상은 패키지의 읽기 함수(:func:`~deeplab_lessons.image_io.load_image`, EXIF 방향 반영) 하나로만 읽으므로 마스크와
겹쳐 보기가 늘 맞습니다.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import sys
from pathlib import Path

# 이 파일의 맨 위는 표준 라이브러리만 가져옵니다: 명령이 시작하자마자 Ctrl-C나 SIGTERM을 받아도 main()의 처리기가
# 한국어 한 줄로 끝내도록, 무거운 가져오기(NumPy, TensorFlow)는 모두 처리기를 건 뒤에 합니다.

DEFAULT_MODEL = "mobilenetv2_voc_tflite"

#: argparse가 내는 영어 문구의 한국어(Python 3.10–3.13의 메시지 id).
_ARGPARSE_KO = {
    "usage: ": "사용법: ",
    "positional arguments": "위치 인자",
    "options": "옵션",
    "optional arguments": "옵션",
    "show this help message and exit": "이 도움말을 보여 주고 끝냅니다",
    "the following arguments are required: %s": "다음 인자가 필요합니다: %s",
    "unrecognized arguments: %s": "알 수 없는 인자입니다: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "알 수 없는 값입니다: %(value)r (다음 중 하나: %(choices)s)",
    "argument %(argument_name)s: %(message)s": "인자 %(argument_name)s: %(message)s",
    "expected one argument": "값이 하나 필요합니다",
    "expected at most one argument": "값은 하나까지입니다",
    "expected at least one argument": "값이 하나 이상 필요합니다",
    "ambiguous option: %(option)s could match %(matches)s": "애매한 옵션입니다: %(option)s 는 %(matches)s 중 무엇인지 "
                                                            "모릅니다",
    "ignored explicit argument %r": "이 옵션은 값을 받지 않습니다: %r",
    "invalid %(type)s value: %(value)r": "%(type)s 값이 올바르지 않습니다: %(value)r",
    "not allowed with argument %s": "%s 와 함께 쓸 수 없습니다",
    "one of the arguments %s is required": "다음 인자 중 하나가 필요합니다: %s",
    "unexpected option string: %s": "예상하지 못한 옵션입니다: %s",
}


#: 도움말의 고정 문구(영어 → 한국어). 도움말 글을 다 만든 뒤 바꿉니다.
_HELP_HEADINGS = {"usage: ": "사용법: ", "positional arguments:": "위치 인자:", "optional arguments:": "옵션:",
                  "options:": "옵션:"}


def _template_pattern(template: str) -> re.Pattern:
    """``"unrecognized arguments: %s"`` 같은 argparse 문구 틀을 그 문구에 맞는 정규식으로(자리마다 이름 있는 묶음)."""
    pattern, index = "", 0
    for piece in re.split(r"(%\([a-z_]+\)[rsd]|%[rsd])", template):
        if re.fullmatch(r"%\([a-z_]+\)[rsd]|%[rsd]", piece):
            pattern += f"(?P<g{index}>.+?)"
            index += 1
        else:
            pattern += re.escape(piece)
    return re.compile(f"^{pattern}$", re.S)


_MESSAGE_PATTERNS = [(_template_pattern(english), korean) for english, korean in _ARGPARSE_KO.items()
                     if "%" in english or english.endswith("argument")]


def translate(message: str) -> str:
    """argparse의 영어 오류 문구를 한국어로(표에 없는 문구는 그대로). ``argument X: …`` 의 안쪽도 바꿉니다."""
    for pattern, korean in _MESSAGE_PATTERNS:
        match = pattern.match(message)
        if match:
            return _fill(korean, [translate(value) for value in match.groups()])
    return _ARGPARSE_KO.get(message, message)


def _fill(template: str, values: list[str]) -> str:
    """틀의 자리(``%s``, ``%(name)r``)를 차례로 ``values`` 로 채웁니다(값은 이미 글자로 바뀐 것)."""
    slots = iter(values)
    return re.sub(r"%\([a-z_]+\)[rsd]|%[rsd]", lambda _match: next(slots), template)


class _KoreanParser(argparse.ArgumentParser):
    """한국어 파서: 오류를 ``오류: …`` 한 줄(도움말 안내 포함)로 알리고 종료 코드 2로 끝납니다.

    argparse가 만든 영어 문구는 공개된 자리(``error`` 와 ``format_usage``·``format_help``)에서 바꿉니다.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, add_help=False, **kwargs)
        self.add_argument("-h", "--help", action="help", help="이 도움말을 보여 주고 끝냅니다")

    def format_usage(self) -> str:
        return _korean_help(super().format_usage())

    def format_help(self) -> str:
        return _korean_help(super().format_help())

    def error(self, message: str):
        self.exit(2, f"오류: {translate(message)} (도움말: {self.prog} --help)\n")


#: 다른 명령(``python -m tools.workspace``)도 쓰는 한국어 파서.
KoreanParser = _KoreanParser


def _korean_help(text: str) -> str:
    for english, korean in _HELP_HEADINGS.items():
        text = re.sub(rf"(?m)^{re.escape(english)}", korean, text)
    return text


def _parser() -> argparse.ArgumentParser:
    parser = _KoreanParser(prog="python -m deeplab_lessons",
                           description="DeepLab 강좌 도구: 사전 학습 모델로 영상 분할")
    commands = parser.add_subparsers(dest="command", required=True, metavar="명령", title="명령",
                                     parser_class=_KoreanParser)
    segment = commands.add_parser("segment", help="영상 하나를 분할해 색 마스크 PNG로 저장합니다",
                                  description="영상 하나를 분할해 색 마스크 PNG로 저장합니다")
    segment.add_argument("image", metavar="영상", help="영상 파일 경로")
    segment.add_argument("--model", default=DEFAULT_MODEL, metavar="모델",
                         help=f"모델 이름 또는 파일 (기본: {DEFAULT_MODEL})")
    segment.add_argument("--model-dir", default=None, metavar="폴더", help="모델 파일을 먼저 찾아볼 폴더")
    segment.add_argument("--out", default=None, metavar="파일.png",
                         help="저장할 PNG (기본: <영상 이름>_segmentation.png)")
    segment.add_argument("--overlay", action="store_true", help="영상에 겹친 그림도 <out>_overlay.png로 저장")
    commands.add_parser("models", help="등록된 모델과, 이 컴퓨터에 쓸 수 있는 파일이 있는지 보여 줍니다",
                        description="등록된 모델과, 이 컴퓨터에 쓸 수 있는 파일이 있는지 보여 줍니다")
    data = commands.add_parser("data", help="데이터셋을 내려받습니다 (voc2012: PASCAL VOC 2012 전체, 약 1.9 GB)",
                               description="PASCAL VOC 2012 trainval을 내려받아(끊기면 같은 명령으로 이어 받기) "
                                           "분할에 필요한 것만 <폴더>/VOC2012 에 풉니다")
    data.add_argument("dataset", choices=["voc2012"], metavar="데이터셋", help="받을 데이터셋 (voc2012)")
    data.add_argument("folder", nargs="?", default=None, metavar="폴더",
                      help="둘 폴더 (기본: ~/data/VOCdevkit)")
    data.add_argument("--url", default=None, metavar="주소", help="공식 주소 대신 쓸 주소(거울 서버)")
    data.add_argument("--keep-tar", action="store_true", help="다 푼 뒤에도 내려받은 tarball을 지우지 않습니다")
    _finetune_parser(commands)
    evaluate = commands.add_parser("evaluate", help="모델을 데이터셋의 val에서 평가합니다(클래스별 IoU, 혼동 행렬)",
                                   description="모델을 데이터셋에서 평가합니다(클래스별 IoU와 평균 IoU)")
    evaluate.add_argument("model", metavar="모델", help="모델 이름이나 파일(.tflite, .keras)")
    evaluate.add_argument("data", metavar="데이터", help="데이터셋 폴더(VOC 배치 또는 images/·masks/)")
    evaluate.add_argument("--split", default="val", metavar="목록", help="VOC 배치에서 쓸 목록 (기본: val)")
    evaluate.add_argument("--classes", default=None, metavar="파일", help="클래스 이름 파일(한 줄에 하나)")
    evaluate.add_argument("--model-dir", default=None, metavar="폴더", help="모델 파일을 먼저 찾아볼 폴더")
    return parser


def _finetune_parser(commands) -> None:
    from deeplab_lessons import fine_tuning

    default = fine_tuning.FineTuneConfig()
    tune = commands.add_parser("finetune", help="내 영상과 마스크로 DeepLab을 미세 조정합니다",
                               description="공식 가중치의 DeepLab을 내 데이터셋으로 미세 조정하고 RUN_DIR에 "
                                           "model.tflite, model.keras, classes.txt, 기록, 체크포인트를 남깁니다")
    tune.add_argument("data", metavar="데이터", help="학습 데이터셋 폴더(VOC 배치 또는 images/·masks/)")
    tune.add_argument("--out", required=True, metavar="RUN_DIR", help="실행 폴더")
    tune.add_argument("--val", default=None, metavar="데이터", help="에포크마다 평가할 데이터셋(VOC 배치면 val 목록)")
    tune.add_argument("--classes", default=None, metavar="파일",
                      help="클래스 이름 파일(없으면 VOC 21개 또는 데이터 폴더의 classes.txt)")
    tune.add_argument("--split", default="train", metavar="목록", help="VOC 배치에서 학습할 목록 (기본: train)")
    numbers = {"epochs": (int, "에포크 수"), "crop": (int, "학습할 때 자르는 한 변(화소)"), "batch": (int, "배치 크기"),
               "seed": (int, "난수 시드"), "learning_rate": (float, "처음 학습률(poly 일정으로 0까지 줄어듦)")}
    for name, (kind, what) in numbers.items():
        tune.add_argument(f"--{name.replace('_', '-')}", type=kind, default=getattr(default, name), metavar="N",
                          help=f"{what} (기본: {getattr(default, name)})")
    tune.add_argument("--decoder", action=argparse.BooleanOptionalAction, default=default.decoder,
                      help="v3+ 디코더를 붙입니다 (기본: 붙임, --no-decoder 로 끔)")
    tune.add_argument("--train", choices=["head", "decoder", "all"], default=default.train,
                      help=f"무엇을 배울지 (기본: {default.train})")
    tune.add_argument("--fine-tune-batch-norm", action=argparse.BooleanOptionalAction,
                      default=default.fine_tune_batch_norm,
                      help="새 층의 배치 정규화가 통계를 배웁니다(DeepLab의 fine_tune_batch_norm, 기본: "
                           f"{'배움' if default.fine_tune_batch_norm else '얼림'}, "
                           "--no-fine-tune-batch-norm 으로 얼림)")
    tune.add_argument("--class-weights", choices=list(fine_tuning.CLASS_WEIGHTS), default=default.class_weights,
                      help="손실의 클래스 가중치: none(없음) 또는 median(중앙값 빈도 균형: 드문 클래스에 큰 가중치, "
                           f"기본: {default.class_weights})")
    tune.add_argument("--strategy", choices=["default", "mirrored"], default="default",
                      help="default: 장치 하나, mirrored: 이 기계의 모든 GPU에 나눠서(tf.distribute)")
    tune.add_argument("--resume", action="store_true", help="RUN_DIR의 마지막 체크포인트에서 이어 갑니다")
    tune.add_argument("--model-dir", default=None, metavar="폴더", help="공식 TFLite 파일을 먼저 찾아볼 폴더")


# ---------------------------------------------------------------- 결과 경로 검사

def _check_output(path: Path, image: Path, option: str) -> None:
    """모델을 돌리기 전에 결과 경로를 검사합니다(폴더, 파일 아래, 쓰기 권한, 입력 영상과 같은 파일).

    Raises:
        OutputFileError: 쓸 수 없는 경로일 때.
    """
    from deeplab_lessons.errors import OutputFileError, josa

    if os.path.isdir(path):
        raise OutputFileError(f"{josa(option, '이')} 폴더입니다(받은 값: {str(path)!r}). 폴더 안의 파일 이름까지 "
                              f"주세요. "
                              f"예: {option} {path / '결과.png'}")
    if path.suffix.lower() != ".png":
        raise OutputFileError(f"{josa(option, '은')} .png 파일이어야 합니다(받은 값: {str(path)!r}). 예: {option} "
                              f"결과.png")
    if os.path.realpath(path) == os.path.realpath(image) or _same_file(path, image):
        raise OutputFileError(f"{josa(option, '이')} 입력 영상과 같은 파일입니다(받은 값: {str(path)!r}). 영상을 "
                              f"덮어쓰지 "
                              "않도록 다른 이름을 주세요.")
    folder = path.parent
    while not os.path.exists(folder):
        folder = folder.parent
    if not os.path.isdir(folder):
        raise OutputFileError(f"{option}의 경로 중간에 폴더가 아닌 파일이 있습니다: {folder} (받은 값: "
                              f"{str(path)!r}). 있는 폴더 안의 경로를 주세요.")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputFileError(f"{josa(option, '을')} 쓸 폴더에 쓰기 권한이 없습니다: {os.path.abspath(folder)} (받은 "
                              f"값: "
                              f"{str(path)!r}). 쓸 수 있는 폴더를 주세요.")


def _same_file(one: Path, other: Path) -> bool:
    """하드 링크처럼 이름이 달라도 같은 파일인지."""
    try:
        return os.path.samefile(one, other)
    except OSError:
        return False


def _segment(args) -> None:
    from PIL import Image

    from deeplab_lessons import image_io, pretrained, safe_files, viz, voc

    image = Path(args.image).expanduser()
    out = Path(args.out).expanduser() if args.out else Path(f"{image.stem}_segmentation.png")
    targets = {out: "--out"}
    if args.overlay:
        targets[out.with_name(f"{out.stem}_overlay.png")] = "겹쳐 보기 파일(--overlay)"
    rgb = image_io.load_image(args.image)     # 문자열 그대로: URL·빈 문자열·끝의 줄바꿈을 알아봅니다.
    for path, option in targets.items():
        _check_output(path, image, option)
    model = pretrained.load_model(args.model, model_dir=args.model_dir)
    mask = model.segment(rgb)
    labels = getattr(model, "labels", voc.CLASS_NAMES)
    # 이름을 모르는 모델(labels None)은 VOC 이름을 빌리지 않고 "클래스 7"처럼 번호로 보입니다.
    table = voc.share_table(mask, labels=None if labels == voc.CLASS_NAMES else (labels or ()))
    arrays = [voc.label_to_color(mask)] + ([viz.overlay(rgb, mask)] if args.overlay else [])
    writers = {path: (lambda temp, array=array: Image.fromarray(array).save(temp, format="PNG"))
               for path, array in zip(targets, arrays, strict=True)}
    safe_files.write_files(writers)
    print(f"{image.name}: {rgb.shape[1]}×{rgb.shape[0]} 화소, 모델 {model.name}")
    print("찾은 클래스와 화소 비율:")
    print(table)
    for path in targets:
        print(f"저장함: {path}")


def _models() -> None:
    from deeplab_lessons.pretrained import MODELS
    from deeplab_lessons.pretrained.files import file_status
    from deeplab_lessons.tables import table

    rows = [[name, info.kind, info.input_size, file_status(info)] for name, info in MODELS.items()]
    print(table(["이름", "종류", "입력", "파일"], rows).text())


def _data(args) -> None:
    from deeplab_lessons import voc, voc_download

    target = voc_download.download_voc2012(args.folder, url=args.url, keep_tar=args.keep_tar)
    counts = {split: len(voc.image_ids(target, split)) for split in ("train", "val") if voc.has_split(target, split)}
    print(f"VOC 2012 분할 데이터: {target} ({', '.join(f'{k} {v:,}장' for k, v in counts.items())})")
    print("VOC로 평가하는 강의들이 전체 val을 쓰게 하려면, JupyterLab을 시작하기 전에 이 한 줄을 실행하세요:")
    print(voc_download.env_line(target))


def _finetune(args) -> None:
    from deeplab_lessons import datasets, fine_tuning, tables
    from deeplab_lessons._tf import load_tensorflow

    config = fine_tuning.FineTuneConfig(epochs=args.epochs, crop=args.crop, batch=args.batch, seed=args.seed,
                                        learning_rate=args.learning_rate, decoder=args.decoder, train=args.train,
                                        fine_tune_batch_norm=args.fine_tune_batch_norm,
                                        class_weights=args.class_weights)
    train_set = datasets.open_dataset(args.data, args.split, args.classes)
    val_set = datasets.open_dataset(args.val, "val", args.classes) if args.val else None
    summary = datasets.check_dataset(train_set)
    print(f"학습 데이터: {train_set.root} ({train_set.layout} 배치, 영상 {summary.images}장, 클래스 "
          f"{train_set.num_classes}개)")
    print(tables.table(["번호", "클래스", "나온 영상", "화소 (%)"], datasets.summary_rows(summary), digits=1).text())
    if summary.missing_classes:
        print(f"한 번도 나오지 않은 클래스: {', '.join(summary.missing_classes)} (이 클래스는 배우지 못합니다)")
    tflite = fine_tuning.encoder_weights_file(args.model_dir)
    tf = load_tensorflow()
    strategy = tf.distribute.MirroredStrategy() if args.strategy == "mirrored" else None
    model, _ = fine_tuning.fine_tune(train_set, args.out, config, tflite, val_set=val_set, resume=args.resume,
                                     strategy=strategy)
    paths = fine_tuning.export(model, args.out, train_set.class_names)
    for path in paths.values():
        print(f"저장함: {path}")


def _evaluate(args) -> None:
    from deeplab_lessons import datasets, metrics, pretrained, tables

    model = pretrained.load_model(args.model, model_dir=args.model_dir)
    names = args.classes or getattr(model, "labels", None)
    dataset = datasets.open_dataset(args.data, args.split, names)
    datasets.check_dataset(dataset)
    pairs = (datasets.read_pair(pair, dataset.num_classes) for pair in dataset.pairs)
    result = metrics.evaluate(((mask, model.segment(rgb)) for rgb, mask in pairs), dataset.num_classes)
    print(f"{model.name}: {dataset.root}의 영상 {result.images}장, 평균 IoU {result.mean_iou * 100:.1f} %, "
          f"화소 정확도 {result.pixel_accuracy * 100:.1f} %")
    rows = [[i, name, result.per_class[i] * 100] for i, name in enumerate(dataset.class_names)]
    print(tables.table(["번호", "클래스", "IoU (%)"], rows, digits=1).text())


#: Ctrl-C(SIGINT)나 SIGTERM으로 멈췄을 때의 종료 코드(셸의 관례: 128 + SIGINT 번호 2).
INTERRUPTED = 130


def _sigterm_as_interrupt(signum, frame):
    """SIGTERM을 Ctrl-C처럼: KeyboardInterrupt를 일으켜 임시 파일과 새로 만든 폴더를 치우고 끝나게 합니다."""
    raise KeyboardInterrupt


def main(argv=None) -> int:
    """명령줄 진입점. 성공하면 0, 잘못된 인자나 패키지 오류면 2, Ctrl-C나 SIGTERM으로 멈추면 130을 돌려줍니다.

    신호 처리기는 인자 해석기를 만들기 전에 겁니다(해석기를 만들 때 학습 모듈을 가져오므로 그동안에도 멈출 수 있음).
    """
    previous = signal.signal(signal.SIGTERM, _sigterm_as_interrupt)
    try:
        try:
            args = _parser().parse_args(argv)
        except SystemExit as stop:
            return int(stop.code or 0)
        return _run(args)
    except KeyboardInterrupt:
        print("중단했습니다: 반쯤 쓴 파일과 이번에 만든 폴더는 지웠습니다. 같은 명령을 다시 실행하면 처음부터 합니다.",
              file=sys.stderr)
        return INTERRUPTED
    finally:
        signal.signal(signal.SIGTERM, previous)


def _run(args) -> int:
    from deeplab_lessons.errors import DeepLabLessonsError

    try:
        if args.command == "segment":
            _segment(args)
        elif args.command == "data":
            _data(args)
        elif args.command == "finetune":
            _finetune(args)
        elif args.command == "evaluate":
            _evaluate(args)
        else:
            _models()
    except DeepLabLessonsError as exc:
        print(f"오류: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
