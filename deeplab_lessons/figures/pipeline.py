"""정리 강의의 그림: DeepLab 파이프라인 한 장, 부분마다 그것을 만든 강의.

부분과 모듈은 :data:`deeplab_lessons.course.PIPELINE`, 강의 번호는 :data:`deeplab_lessons.course.LESSONS` 에서
옵니다(여기에는 자리와 화살표만 있습니다). 함수는 pyplot 상태를 쓰지 않는 :class:`matplotlib.figure.Figure` 를
돌려줍니다."""

from __future__ import annotations

from matplotlib.figure import Figure

from deeplab_lessons import course
from deeplab_lessons.errors import DeepLabLessonsError, josa
from deeplab_lessons.figures.architecture import _arrow

__all__ = ["lesson_pipeline", "lesson_tag"]

_NETWORK, _AFTER, _WEIGHTS = "#cfe2f3", "#eeeeee", "#fce5cd"

#: 부분의 열쇠 → (x, y, 색). 위: 가중치가 오는 곳, 가운데: 인코더(왼쪽 → 오른쪽), 아래: 디코더부터 출력(오른쪽 → 왼쪽).
_LAYOUT = {
    "pretrained": (3.3, 5.5, _WEIGHTS), "training": (10.3, 5.5, _WEIGHTS),
    "input": (1.0, 3.6, _AFTER), "fcn": (3.3, 3.6, _NETWORK), "atrous": (5.65, 3.6, _NETWORK),
    "separable": (7.95, 3.6, _NETWORK), "aspp": (10.3, 3.6, _NETWORK),
    "decoder": (10.3, 1.6, _NETWORK), "logits": (7.95, 1.6, _NETWORK), "refine": (5.65, 1.6, _AFTER),
    "output": (3.3, 1.6, _AFTER), "evaluate": (1.0, 1.6, _AFTER),
}
_EDGES = [("input", "fcn"), ("fcn", "atrous"), ("atrous", "separable"), ("separable", "aspp"), ("aspp", "decoder"),
          ("decoder", "logits"), ("logits", "refine"), ("refine", "output"), ("output", "evaluate")]
_WEIGHT_EDGES = [("pretrained", "fcn"), ("training", "aspp")]


def lesson_tag(stage: course.Stage) -> str:
    """부분을 만든 강의의 꼬리표: :func:`course.stage_lessons` 의 번호들을 가운뎃점으로 잇고 대괄호와 "강"을 붙인 글.

    Raises:
        DeepLabLessonsError: 그 부분의 모듈을 가르친 강의가 강좌 지도에 없을 때.
    """
    lessons = course.stage_lessons(stage)
    if not lessons:
        raise DeepLabLessonsError(f"부분 {stage.key!r} 의 모듈 {josa(', '.join(stage.modules), '을')} 가르친 강의가 "
                                  "강좌 지도(course.LESSONS)에 없습니다. 그 강의의 modules 에 모듈을 적으세요.")
    return "[" + "·".join(str(lesson.number) for lesson in lessons) + "강]"


def lesson_pipeline() -> Figure:
    """DeepLab의 입력 → 백본(아트러스, 출력 보폭) → ASPP → 디코더 → 로짓·업샘플링 → 시험 시점 다듬기 → 출력과
    평가, 그리고 가중치가 오는 곳(사전 학습, 학습·미세 조정)을 한 장에 그리고, 상자마다 그 부분을 만든 강의를 붙입니다.

    Raises:
        DeepLabLessonsError: :data:`course.PIPELINE` 의 부분에 그림의 자리가 없거나 그 부분의 강의가 없을 때.
    """
    missing = [stage.key for stage in course.PIPELINE if stage.key not in _LAYOUT]
    if missing:
        raise DeepLabLessonsError(f"그림에 자리가 없는 부분: {', '.join(missing)}. figures.pipeline 의 _LAYOUT 에 "
                                  "(x, y, 색)을 더하세요.")
    boxes = {stage.key: (*_LAYOUT[stage.key][:2], f"{stage.name}\n{lesson_tag(stage)}", _LAYOUT[stage.key][2])
             for stage in course.PIPELINE}
    fig = Figure(figsize=(10.5, 5.6))
    ax = fig.subplots()
    artists = {key: ax.text(x, y, text, ha="center", va="center", fontsize=9, linespacing=1.35,
                            bbox={"boxstyle": "round,pad=0.45", "facecolor": color, "edgecolor": "gray"})
               for key, (x, y, text, color) in boxes.items()}
    for start, end in _EDGES:
        _arrow(ax, artists, boxes, start, end, {"arrowstyle": "->", "color": "dimgray", "lw": 1.4})
    for start, end in _WEIGHT_EDGES:
        _arrow(ax, artists, boxes, start, end, {"arrowstyle": "->", "color": "tab:orange", "lw": 1.6,
                                                "linestyle": "--"})
    ax.text(6.8, 5.5, "가중치가 오는 곳 (점선)\n파란 상자: 학습되는 네트워크", ha="center", va="center", fontsize=9,
            linespacing=1.35, color="tab:orange")
    ax.set_xlim(-0.2, 11.6)
    ax.set_ylim(0.6, 6.4)
    ax.axis("off")
    ax.set_title("DeepLab 한 장: 부분마다 그 부분을 만든 강의", fontsize=12)
    return fig
