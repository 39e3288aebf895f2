"""강좌의 모든 그림. 강의 주제마다 모듈 하나(``intro``, ``fcn``, ``atrous``, ``field``, ``aspp``, ``separable``,
``architecture``, ``pretrained``, ``refine``, ``training``, ``fine_tuning``, ``pipeline``)에 그리는 함수가
있고, 여기서 모두 다시 내보냅니다.

``make figures`` (``python -m deeplab_lessons.figures``)가 :data:`FIGURES` 의 그림을 모두 ``images/`` 에
다시 저장합니다. 각 함수는 pyplot 상태를 쓰지 않는 :class:`matplotlib.figure.Figure` 를 돌려줍니다.
노트북에서는 셀의 마지막 줄에 부르면 그림이 한 번만 보입니다. 글꼴은 :func:`deeplab_lessons.viz.setup` 이 정합니다.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from deeplab_lessons import viz
from deeplab_lessons.figures.architecture import *  # noqa: F403
from deeplab_lessons.figures.architecture import deeplab_v3_plus_diagram
from deeplab_lessons.figures.aspp import *  # noqa: F403
from deeplab_lessons.figures.aspp import aspp_branches, valid_taps
from deeplab_lessons.figures.atrous import *  # noqa: F403
from deeplab_lessons.figures.atrous import atrous_1d, kernel_with_holes
from deeplab_lessons.figures.fcn import *  # noqa: F403
from deeplab_lessons.figures.fcn import checkerboard, segmentation_kinds, skip_connections, transposed_conv_stamps
from deeplab_lessons.figures.field import *  # noqa: F403
from deeplab_lessons.figures.field import effective_field, gradient_fields, gridding
from deeplab_lessons.figures.fine_tuning import *  # noqa: F403
from deeplab_lessons.figures.intro import *  # noqa: F403
from deeplab_lessons.figures.intro import segmentation_example
from deeplab_lessons.figures.pipeline import *  # noqa: F403
from deeplab_lessons.figures.pretrained import *  # noqa: F403
from deeplab_lessons.figures.refine import *  # noqa: F403
from deeplab_lessons.figures.separable import *  # noqa: F403
from deeplab_lessons.figures.separable import depthwise_separable
from deeplab_lessons.figures.training import *  # noqa: F403
from deeplab_lessons.figures.training import synthetic_samples

#: ``images/`` 의 파일 이름 → 그 그림을 그리는 함수.
FIGURES = {
    "00_segmentation_example.png": segmentation_example,
    "01_fcn_segmentation_kinds.png": segmentation_kinds,
    "01_fcn_transposed_conv.png": transposed_conv_stamps,
    "01_fcn_checkerboard.png": checkerboard,
    "01_fcn_skip_connections.png": skip_connections,
    "02_kernel_with_holes.png": kernel_with_holes,
    "02_atrous_1d.png": atrous_1d,
    "03_gridding.png": gridding,
    "03_gradient_fields.png": gradient_fields,
    "03_effective_field.png": effective_field,
    "04_aspp_branches.png": aspp_branches,
    "04_valid_taps.png": valid_taps,
    "05_depthwise_separable.png": depthwise_separable,
    "06_deeplab_v3_plus.png": deeplab_v3_plus_diagram,
    "10_synthetic_samples.png": synthetic_samples,
}


def save_all(out_dir: str | Path, names=None) -> list[Path]:
    """:data:`FIGURES` 의 그림(또는 ``names`` 만)을 ``out_dir`` 에 저장하고 경로 목록을 돌려줍니다.

    저장할 폴더는 부르는 쪽이 줍니다(설치된 패키지는 저장소의 ``images/`` 가 어디인지 모릅니다).
    """
    viz.setup()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    saved = []
    for name, draw in FIGURES.items():
        if names and name not in names:
            continue
        path = out_dir / name
        draw().savefig(path, metadata={"Software": None})
        saved.append(path)
    return saved


def main(argv=None) -> None:
    """명령줄: ``python -m deeplab_lessons.figures --out 폴더 [파일 이름 ...]`` (``make figures``: ``--out images``)."""
    parser = argparse.ArgumentParser(description="강좌의 그림을 주어진 폴더(저장소에서는 images/)에 다시 그립니다.")
    parser.add_argument("names", nargs="*", help="다시 그릴 파일 이름(없으면 전부)")
    parser.add_argument("--out", required=True, help="저장할 폴더(예: images)")
    args = parser.parse_args(argv)
    for path in save_all(args.out, args.names):
        print(f"저장함: {path.name}")
