"""DeepLab v3·v3+ 강의의 그림: 구조도.

각 함수는 pyplot 상태를 쓰지 않는 :class:`matplotlib.figure.Figure` 를 돌려줍니다."""

from __future__ import annotations

from matplotlib.figure import Figure

from deeplab_lessons import atrous

__all__ = ["deeplab_v3_plus_diagram"]

_ENCODER, _DECODER, _PLAIN = "#cfe2f3", "#fce5cd", "#eeeeee"


def deeplab_v3_plus_diagram(output_stride: int = 16) -> Figure:
    """DeepLab v3와 v3+의 구조도. 인코더(공통)와 v3+의 디코더를 묶어 보이고, 디코더 없이
    ×``output_stride`` 로 키우는 v3의 길도 그립니다.

    특징 맵 크기는 513×513 입력에서 계산합니다(``atrous.output_size``)."""
    from matplotlib.patches import FancyBboxPatch

    from deeplab_lessons import layers

    size = {s: atrous.output_size(513, 1, s) for s in (4, output_stride)}
    rates = layers.aspp_rates(output_stride)
    aspp_text = "ASPP\n" + "\n".join(["1×1 합성곱"] + [f"3×3, 팽창률 {r}" for r in rates] + ["이미지 수준 풀링"])
    top, middle, bottom = 4.45, 2.55, 1.15
    boxes = {  # 이름: (x, y, 글, 색)
        "image": (0.9, top, "입력 영상\n513×513×3", _PLAIN),
        "backbone": (3.1, top, f"백본 MobileNetV2\n(아트러스)\n출력 보폭 {output_stride}", _ENCODER),
        "aspp": (5.55, top, aspp_text, _ENCODER),
        "project": (7.95, top, f"이어 붙이기,\n1×1 투영 256\n{size[output_stride]}×{size[output_stride]}",
                    _ENCODER),
        "v3_out": (11.6, top, f"1×1 분류기,\n×{output_stride} 쌍선형 업샘플링\n513×513×21 (v3 출력)", _PLAIN),
        "low": (3.1, bottom, f"저수준 특징 (보폭 4)\n1×1 합성곱 48채널\n{size[4]}×{size[4]}", _DECODER),
        "up": (7.95, middle, f"×{output_stride // 4} 쌍선형 업샘플링", _DECODER),
        "concat": (7.95, bottom, f"이어 붙이기\n{size[4]}×{size[4]}×(256 + 48)", _DECODER),
        "sep": (10.5, bottom, "3×3 분리 합성곱\n256채널 × 2번\n(깊이별 뒤 BN·ReLU)", _DECODER),
        "out": (12.75, bottom, "1×1 분류기,\n×4 업샘플링\n513×513×21\n(v3+ 출력)", _PLAIN),
    }
    edges = [("image", "backbone"), ("backbone", "aspp"), ("aspp", "project"), ("project", "up"),
             ("up", "concat"), ("backbone", "low"), ("low", "concat"), ("concat", "sep"), ("sep", "out")]
    fig = Figure(figsize=(10, 5.4))
    ax = fig.subplots()
    groups = [((2.0, 3.3), 6.95, 2.5, _ENCODER, "인코더 (v3와 v3+에 공통)", "tab:blue"),
              ((1.85, 0.2), 9.8, 2.85, _DECODER, "디코더 (v3+에서 더함)", "tab:orange")]
    for (x, y), width, height, color, label, text_color in groups:
        ax.add_patch(FancyBboxPatch((x, y), width, height, boxstyle="round,pad=0.05,rounding_size=0.2",
                                    facecolor=color, alpha=0.35, edgecolor=text_color, linewidth=1.5))
        ax.text(x + 0.15, y + height - 0.12, label, fontsize=11, color=text_color, va="top", fontweight="bold")
    artists = {name: ax.text(x, y, text, ha="center", va="center", fontsize=9,
                             bbox={"boxstyle": "round,pad=0.4", "facecolor": color, "edgecolor": "gray"})
               for name, (x, y, text, color) in boxes.items()}
    for start, end in edges:
        _arrow(ax, artists, boxes, start, end, {"arrowstyle": "->", "color": "dimgray", "lw": 1.3})
    _arrow(ax, artists, boxes, "project", "v3_out",
           {"arrowstyle": "->", "color": "tab:gray", "lw": 1.8, "linestyle": "--"})
    ax.text(9.65, top + 0.12, f"v3: ×{output_stride}", ha="center", va="bottom", fontsize=10, color="tab:gray",
            fontweight="bold")
    ax.set_xlim(-0.2, 13.8)
    ax.set_ylim(0.0, 6.0)
    ax.axis("off")
    ax.set_title(f"DeepLab v3와 v3+ (출력 보폭 {output_stride}, 513×513 입력)", fontsize=12)
    return fig


def _arrow(ax, artists, boxes, start, end, style):
    """두 상자의 마주 보는 변을 잇는 화살표(가로 또는 세로)."""
    (x0, y0, *_), (x1, y1, *_) = boxes[start], boxes[end]
    if abs(y1 - y0) < 1e-9:   # 가로 화살표: 오른쪽 변 → 왼쪽 변
        tail, head = ((1, 0.5), (0, 0.5)) if x1 > x0 else ((0, 0.5), (1, 0.5))
    else:                     # 세로 화살표: 아래 변 → 위 변 (또는 반대)
        tail, head = ((0.5, 0), (0.5, 1)) if y1 < y0 else ((0.5, 1), (0.5, 0))
    # 상자 글자의 경계(글자 크기 비율 좌표)에 붙이고, 둥근 상자의 여백만큼 띄웁니다.
    ax.annotate("", xy=head, xycoords=artists[end], xytext=tail, textcoords=artists[start],
                arrowprops={**style, "shrinkA": 6, "shrinkB": 6})
