"""DeepLab v3·v3+ 강의의 그림: 구조도.

각 함수는 pyplot 상태를 쓰지 않는 :class:`matplotlib.figure.Figure` 를 돌려줍니다."""

from __future__ import annotations

from matplotlib.figure import Figure

from deeplab_lessons import atrous

__all__ = ["deeplab_v3_plus_diagram"]


def deeplab_v3_plus_diagram(output_stride: int = 16) -> Figure:
    """5강: DeepLab v3+ 인코더-디코더의 구조도(특징 맵 크기는 513×513 입력 기준으로 계산)."""
    from deeplab_lessons import layers

    size = {s: atrous.output_size(513, 1, s) for s in (4, output_stride)}
    rates = ", ".join(str(r) for r in layers.aspp_rates(output_stride))
    boxes = {  # 이름: (x, y, 글, 색)
        "image": (0.6, 3.0, "입력 영상\n513×513×3", "#dddddd"),
        "backbone": (2.6, 3.0, f"백본 (MobileNetV2,\n아트러스, 출력 보폭 {output_stride})", "#cfe2f3"),
        "aspp": (5.0, 3.0, f"ASPP\n1×1 | 3×3 비율 {rates}\n| 이미지 수준 풀링", "#d9ead3"),
        "project": (7.4, 3.0, f"1×1 사영 256\n{size[output_stride]}×{size[output_stride]}", "#d9ead3"),
        "low": (2.6, 0.9, f"저수준 특징 (보폭 4)\n{size[4]}×{size[4]}, 1×1로 48채널", "#fce5cd"),
        "up1": (7.4, 1.9, f"×{output_stride // 4} 업샘플링", "#ffffff"),
        "concat": (7.4, 0.9, "이어 붙이기", "#fce5cd"),
        "sep": (9.6, 0.9, "3×3 분리 합성곱\n256 × 2", "#fce5cd"),
        "out": (9.6, 3.0, "1×1 분류기, ×4 업샘플링\n513×513×21", "#dddddd"),
    }
    edges = [("image", "backbone"), ("backbone", "aspp"), ("aspp", "project"), ("project", "up1"),
             ("up1", "concat"), ("backbone", "low"), ("low", "concat"), ("concat", "sep"), ("sep", "out")]
    fig = Figure(figsize=(10, 4.6))
    ax = fig.subplots()
    artists = {name: ax.text(x, y, text, ha="center", va="center", fontsize=9,
                             bbox={"boxstyle": "round,pad=0.5", "facecolor": color, "edgecolor": "gray"})
               for name, (x, y, text, color) in boxes.items()}
    for start, end in edges:
        (x0, y0, *_), (x1, y1, *_) = boxes[start], boxes[end]
        if abs(y1 - y0) < 1e-9:   # 가로 화살표: 오른쪽 변 → 왼쪽 변
            tail, head = ((1, 0.5), (0, 0.5)) if x1 > x0 else ((0, 0.5), (1, 0.5))
        else:                     # 세로 화살표: 아래 변 → 위 변 (또는 반대)
            tail, head = ((0.5, 0), (0.5, 1)) if y1 < y0 else ((0.5, 1), (0.5, 0))
        # 상자 글자의 경계(글자 크기 비율 좌표)에 붙이고, 둥근 상자의 여백만큼 띄웁니다.
        ax.annotate("", xy=head, xycoords=artists[end], xytext=tail, textcoords=artists[start],
                    arrowprops={"arrowstyle": "->", "shrinkA": 7, "shrinkB": 7, "color": "gray"})
    ax.text(4.5, 4.1, "인코더 (DeepLab v3)", fontsize=11, ha="center", color="tab:blue")
    ax.text(6.0, -0.1, "디코더 (v3+에서 추가)", fontsize=11, ha="center", color="tab:orange")
    ax.set_xlim(-0.4, 10.8)
    ax.set_ylim(-0.4, 4.4)
    ax.axis("off")
    return fig
