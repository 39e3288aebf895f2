"""강좌의 모든 그림을 그리는 함수들. ``make figures`` (``python -m deeplab_lessons.figures``)가
:data:`FIGURES` 의 그림을 모두 ``images/`` 에 다시 저장합니다.

각 함수는 pyplot 상태를 쓰지 않는 :class:`matplotlib.figure.Figure` 를 돌려줍니다. 노트북에서는 셀의
마지막 줄에 부르면 그림이 한 번만 보입니다. 글꼴은 :func:`deeplab_lessons.viz.setup` 이 정합니다.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
from matplotlib.figure import Figure

from deeplab_lessons import atrous, receptive_field, viz, voc

IMAGES_DIR = Path(__file__).resolve().parents[1] / "images"


# ---------------------------------------------------------------- 0강

def segmentation_example() -> Figure:
    """0강: 작은 "사진"과 그 클래스 번호 지도(시맨틱 분할의 정답)를 나란히."""
    label_map = example_label_map()
    fig = Figure(figsize=(9, 3.6))
    ax_img, ax_map, ax_legend = fig.subplots(1, 3, gridspec_kw={"width_ratios": [1, 1, 0.7]})
    ax_img.imshow(example_photo(label_map))
    ax_img.set_title("입력 영상 (12×12 화소)")
    ax_img.set_xticks([])
    ax_img.set_yticks([])
    viz.show_label_map(ax_map, label_map, "클래스 번호 지도 (정답)")
    viz.class_legend(ax_legend, np.unique(label_map))
    return fig


def example_label_map() -> np.ndarray:
    """0강의 12×12 예제 정답: 배경(0) 위에 사람(15)과 개(12)."""
    label_map = np.zeros((12, 12), dtype=np.uint8)
    label_map[2:10, 2:5] = 15   # 사람: 세로로 긴 직사각형
    label_map[1:3, 3] = 15      # 머리
    label_map[7:10, 6:11] = 12  # 개: 가로로 긴 직사각형
    label_map[6:8, 10] = 12     # 개의 머리
    return label_map


def example_photo(label_map: np.ndarray, seed: int = 0) -> np.ndarray:
    """클래스마다 다른 색에 잡음을 더한 가짜 "사진" ``(H, W, 3)`` uint8 (고정 시드)."""
    palette = {0: (120, 170, 110), 15: (200, 150, 120), 12: (110, 80, 50)}
    rng = np.random.default_rng(seed)
    photo = np.zeros(label_map.shape + (3,))
    for cls, color in palette.items():
        photo[label_map == cls] = color
    photo += rng.normal(0, 18, photo.shape)
    return np.clip(photo, 0, 255).astype(np.uint8)


# ---------------------------------------------------------------- 1강

def kernel_with_holes(kernel_size: int = 3, rates=(1, 2, 3)) -> Figure:
    """1강: 같은 3×3 커널(가중치 9개)을 비율 r = 1, 2, 3으로 놓았을 때 입력에서 읽는 칸."""
    size = atrous.effective_kernel_size(kernel_size, max(rates)) + 2
    fig = Figure(figsize=(9, 3.6))
    for ax, rate in zip(fig.subplots(1, len(rates)), rates, strict=True):
        k_eff = atrous.effective_kernel_size(kernel_size, rate)
        start = (size - k_eff) // 2
        grid = np.zeros((size, size))
        grid[start:start + k_eff, start:start + k_eff] = 0.25   # 커널이 덮는 범위
        taps = slice(start, start + k_eff, rate)
        grid[taps, taps] = 1.0                                   # 실제로 곱하는 칸
        ax.imshow(grid, cmap="Blues", vmin=0, vmax=1)
        ax.set_xticks(np.arange(-0.5, size), minor=True)
        ax.set_yticks(np.arange(-0.5, size), minor=True)
        ax.grid(which="minor", color="gray", linewidth=0.5)
        ax.tick_params(which="both", length=0, labelbottom=False, labelleft=False)
        ax.set_title(f"비율 r = {rate}\n유효 크기 {k_eff}×{k_eff}, 가중치 {kernel_size ** 2}개")
    fig.suptitle("구멍 뚫린 커널: 진한 칸만 곱하고, 옅은 칸은 건너뜁니다", y=1.02)
    return fig


def atrous_1d(signal_length: int = 16, rate: int = 2) -> Figure:
    """1강: 1차원 아트러스 합성곱에서 출력 한 칸이 읽는 입력 위치(커널 3탭)."""
    fig = Figure(figsize=(9, 2.6))
    ax = fig.subplots()
    positions = np.arange(signal_length)
    ax.scatter(positions, np.zeros(signal_length), s=120, color="lightgray", label="입력 x")
    for i, (r, color) in enumerate(((1, "tab:blue"), (rate, "tab:orange"))):
        taps = 4 + r * np.arange(3)
        ax.scatter(taps, np.zeros(3) + 0.5 * (i + 1), s=120, color=color,
                   label=f"r = {r}: y[4] = x[4]·w0 + x[{4 + r}]·w1 + x[{4 + 2 * r}]·w2")
        for t in taps:
            ax.plot([t, t], [0, 0.5 * (i + 1)], color=color, linewidth=1)
    ax.set_xticks(positions)
    ax.set_yticks([])
    ax.set_ylim(-0.3, 1.6)
    ax.set_xlabel("입력 위치 i")
    ax.legend(loc="upper right", fontsize=9, frameon=False)
    ax.set_title("1차원 아트러스 합성곱: 탭 사이 간격이 r")
    return fig


# ---------------------------------------------------------------- 2강

def gridding(rate_sets=((2, 2, 2), (1, 2, 3))) -> Figure:
    """2강: 같은 비율을 쌓으면 생기는 격자 현상(구멍)과, 비율을 섞으면 메워지는 모습."""
    fig = Figure(figsize=(9, 4.4))
    for ax, rates in zip(fig.subplots(1, len(rate_sets)), rate_sets, strict=True):
        pattern = receptive_field.sampled_positions(rates)
        image = ax.imshow(pattern, cmap="viridis")
        ax.set_title(f"비율 {rates}: 수용 영역 {pattern.shape[0]}×{pattern.shape[1]}\n"
                     f"실제로 보는 칸 {receptive_field.coverage(rates):.0%}")
        ax.set_xticks([])
        ax.set_yticks([])
        fig.colorbar(image, ax=ax, shrink=0.8, label="경로 수")
    fig.suptitle("맨 위 출력 한 칸이 보는 입력 칸 (0 = 구멍)")
    return fig


def gradient_fields(stacks=None) -> Figure:
    """2강: 몇 가지 작은 네트워크의 기울기 지도(경험적 수용 영역)와 식으로 구한 값."""
    if stacks is None:
        stacks = example_stacks()
    fig = Figure(figsize=(10, 3.2))
    for ax, (title, layers) in zip(fig.subplots(1, len(stacks)), stacks.items(), strict=True):
        measured, grad = receptive_field.empirical_receptive_field(layers)
        ax.imshow(np.log1p(grad), cmap="magma")
        ax.set_title(f"{title}\n식 {receptive_field.receptive_field(layers)}, 기울기 {measured}",
                     fontsize=10)
        ax.set_xticks([])
        ax.set_yticks([])
    fig.suptitle("가운데 출력 한 칸의 입력 기울기 (밝을수록 큼, 로그 눈금)", y=1.04)
    return fig


def example_stacks() -> dict:
    """2강에서 기울기로 재는 작은 네트워크들(이름 → 층 목록)."""
    spec = receptive_field.LayerSpec
    return {
        "3×3 세 층": receptive_field.conv_stack((1, 1, 1)),
        "비율 1, 2, 4, 8": receptive_field.conv_stack((1, 2, 4, 8)),
        "비율 2, 2, 2": receptive_field.conv_stack((2, 2, 2)),
        "보폭 2 두 번 + 비율 2": [spec(3, 2, 1, 1), spec(3, 1, 1, 1), spec(3, 2, 1, 1),
                             spec(3, 1, 2, 1)],
    }


def effective_field(depths=(2, 4, 8, 16)) -> Figure:
    """2강: 3×3 층을 깊이 쌓을 때 이론적 수용 영역과 유효 수용 영역(기울기 95 %)의 차이."""
    fig = Figure(figsize=(10, 3.6))
    axes = fig.subplots(1, len(depths) + 1, gridspec_kw={"width_ratios": [1] * len(depths) + [1.6]})
    theory, spread = [], []
    canvas = 2 * receptive_field.receptive_field(receptive_field.conv_stack((1,) * max(depths))) + 1
    for ax, depth in zip(axes[:-1], depths, strict=True):
        layers = receptive_field.conv_stack((1,) * depth)
        rf, grad = receptive_field.empirical_receptive_field(layers, input_size=canvas)
        theory.append(rf)
        spread.append(receptive_field.effective_spread(grad))
        ax.imshow(grad / grad.max(), cmap="magma")
        ax.set_title(f"{depth}층", fontsize=10)
        ax.set_xticks([])
        ax.set_yticks([])
    axes[-1].plot(depths, theory, "o-", label="이론적 수용 영역")
    axes[-1].plot(depths, spread, "s-", label="유효 수용 영역 (95 %)")
    axes[-1].set_xlabel("층 수")
    axes[-1].set_ylabel("한 변 (픽셀)")
    axes[-1].legend(fontsize=9, loc="upper left", frameon=False)
    fig.suptitle("깊어질수록 기울기는 가운데에 몰립니다 (가우스 모양)", y=1.02)
    return fig


def rate_explorer(rate: int, depth: int = 3) -> Figure:
    """2강 슬라이더용: 같은 비율 ``rate`` 를 ``depth`` 층 쌓았을 때 보는 입력 칸."""
    rates = (rate,) * depth
    pattern = receptive_field.sampled_positions(rates)
    fig = Figure(figsize=(4.5, 4.5))
    ax = fig.subplots()
    ax.imshow(pattern > 0, cmap="Greys")
    ax.set_title(f"비율 {rates}: 보는 칸 {receptive_field.coverage(rates):.0%}")
    ax.set_xticks([])
    ax.set_yticks([])
    return fig


# ---------------------------------------------------------------- 3강

def aspp_branches(size: int = 33, rates=(6, 12, 18)) -> Figure:
    """3강: v3 ASPP의 가지들이 특징 맵(513 입력, 출력 보폭 16이면 33×33) 위에서 보는 범위."""
    from matplotlib.patches import Rectangle

    fig = Figure(figsize=(8, 6.4))
    ax = fig.subplots()
    ax.imshow(np.full((size, size), 0.12), cmap="Greys", vmin=0, vmax=1)  # 옅은 회색 = 특징 맵
    center = size // 2
    colors = ("tab:blue", "tab:orange", "tab:green", "tab:red")
    extents = [(1, "1×1")] + [(atrous.effective_kernel_size(3, r), f"3×3, 비율 {r}") for r in rates]
    for (extent, label), color in zip(extents, colors, strict=False):
        half = extent / 2
        ax.add_patch(Rectangle((center - half, center - half), extent, extent, fill=False,
                               edgecolor=color, linewidth=2.5,
                               label=f"{label}: {extent}×{extent}"))
        if extent > 1:
            for dy in (-1, 0, 1):
                for dx in (-1, 0, 1):
                    step = (extent - 1) // 2
                    ax.plot(center + dx * step, center + dy * step, "o", color=color, markersize=6)
    ax.add_patch(Rectangle((-0.5, -0.5), size, size, fill=False, edgecolor="tab:purple",
                           linewidth=4, linestyle="--", label=f"이미지 수준 풀링: {size}×{size} 전체"))
    ax.set_xlim(-4, size + 3)
    ax.set_ylim(size + 3, -4)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=10, frameon=False)
    ax.set_title(f"ASPP의 다섯 가지가 {size}×{size} 특징 맵에서 보는 범위 (점: 3×3 탭)")
    return fig


def valid_taps(size: int = 65, max_rate: int = 64) -> Figure:
    """3강: 비율이 커질수록 3×3 필터의 아홉 탭이 모두 유효한 출력 칸은 줄고, 가운데 하나만 남습니다."""
    from deeplab_lessons import layers

    rates = np.arange(1, max_rate + 1)
    histograms = [layers.valid_weight_histogram(size, int(r)) for r in rates]
    fig = Figure(figsize=(8, 3.8))
    ax = fig.subplots()
    for count, label in ((9, "탭 9개 모두 유효"), (1, "가운데 탭 1개만 유효")):
        ax.plot(rates, [h.get(count, 0.0) for h in histograms], linewidth=2, label=label)
    ax.set_xlabel("비율 r")
    ax.set_ylabel("출력 칸의 비율")
    ax.set_title(f"{size}×{size} 특징 맵에서 3×3 필터의 유효한 탭 (DeepLab v3 그림 4)")
    ax.legend(frameon=False)
    ax.grid(alpha=0.3)
    return fig


# ---------------------------------------------------------------- 4강

def depthwise_separable(kernel: int = 3, in_channels: int = 4, out_channels: int = 6) -> Figure:
    """4강: 표준 합성곱과 깊이별 → 점별 합성곱의 계산을 채널 색으로 나란히."""
    from matplotlib.patches import FancyArrowPatch, Rectangle

    from deeplab_lessons import counting

    case = counting.ConvCase(kernel, in_channels, out_channels, 1, 1)
    palette = [f"C{i}" for i in range(max(in_channels, out_channels))]
    fig = Figure(figsize=(10, 5))
    axes = fig.subplots(2, 1)

    def stack(ax, x, n, colors, label, width=0.8):
        for i in range(n):
            ax.add_patch(Rectangle((x + 0.12 * i, 0.12 * i), width, width, facecolor=colors[i],
                                   edgecolor="black", alpha=0.85))
        ax.text(x + 0.5, -0.45, label, ha="center", va="top", fontsize=10)

    def arrow(ax, x0, x1, text):
        ax.add_patch(FancyArrowPatch((x0, 0.6), (x1, 0.6), arrowstyle="->", mutation_scale=15))
        ax.text((x0 + x1) / 2, 1.35, text, ha="center", fontsize=9)

    top, bottom = axes
    stack(top, 0, in_channels, palette, f"입력 ({in_channels}채널)")
    arrow(top, 1.6, 4.2, f"{out_channels}개 필터, 각 {kernel}×{kernel}×{in_channels}")
    stack(top, 4.6, out_channels, ["gray"] * out_channels, f"출력 ({out_channels}채널)")
    top.set_title(f"표준 합성곱: 가중치 {counting.standard_params(case)}개 "
                  f"({kernel}·{kernel}·{in_channels}·{out_channels})")

    stack(bottom, 0, in_channels, palette, f"입력 ({in_channels}채널)")
    arrow(bottom, 1.6, 3.4, f"깊이별: 채널마다 {kernel}×{kernel} 하나")
    stack(bottom, 3.8, in_channels, palette, "채널별 결과")
    arrow(bottom, 5.4, 7.4, f"점별: {out_channels}개 1×1×{in_channels}")
    stack(bottom, 7.8, out_channels, ["gray"] * out_channels, f"출력 ({out_channels}채널)")
    bottom.set_title(f"깊이별 분리 합성곱: 가중치 {counting.separable_params(case)}개 "
                     f"({kernel}·{kernel}·{in_channels} + {in_channels}·{out_channels})")
    for ax in axes:
        ax.set_xlim(-0.5, 10)
        ax.set_ylim(-1.2, 1.8)
        ax.set_aspect("equal")
        ax.axis("off")
    return fig


# ---------------------------------------------------------------- 5강

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


# ---------------------------------------------------------------- 6강

def segmentation_result(rgb: np.ndarray, mask: np.ndarray, title: str = "") -> Figure:
    """6강: 공식 데모처럼 영상 | 색으로 나타낸 분할 | 겹쳐 보기 | 나온 클래스의 범례."""
    fig = Figure(figsize=(10, 3.0))
    axes = fig.subplots(1, 4, gridspec_kw={"width_ratios": [1, 1, 1, 0.8]})
    panels = (("입력 영상", rgb), ("분할 결과", voc.label_to_color(mask)),
              ("겹쳐 보기", viz.overlay(rgb, mask)))
    for ax, (name, picture) in zip(axes[:3], panels, strict=True):
        ax.imshow(picture, interpolation="bilinear")
        ax.set_title(name)
        ax.axis("off")
    viz.class_legend(axes[3], [class_id for class_id, _ in voc.class_shares(mask)], loc="center left")
    if title:
        fig.suptitle(title)
    return fig


def confusion_matrix_figure(matrix: np.ndarray, normalize: bool = True) -> Figure:
    """6강: 혼동 행렬(행: 정답, 열: 예측). 정답이나 예측에 나온 클래스만 보이고, 행마다 비율로 나눕니다."""
    present = np.flatnonzero((matrix.sum(axis=0) + matrix.sum(axis=1)) > 0)
    shown = matrix[np.ix_(present, present)].astype(float)
    if normalize:
        rows = shown.sum(axis=1, keepdims=True)
        shown = np.divide(shown, rows, out=np.zeros_like(shown), where=rows > 0)
    names = [voc.CLASS_NAMES_KO[i] for i in present]
    fig = Figure(figsize=(8, 6.5))
    ax = fig.subplots()
    image = ax.imshow(shown, cmap="Blues", vmin=0, vmax=1 if normalize else None)
    ax.set_xticks(range(len(names)), names, rotation=60, ha="right")
    ax.set_yticks(range(len(names)), names)
    ax.set_xlabel("예측")
    ax.set_ylabel("정답")
    fig.colorbar(image, ax=ax, label="정답 화소 중 비율" if normalize else "화소 수")
    ax.set_title("혼동 행렬")
    return fig


# ---------------------------------------------------------------- 7강

def mask_comparison(rgb: np.ndarray, masks: dict, title: str = "") -> Figure:
    """7강: 같은 영상의 마스크 여럿(예: 입력 크기 257, 321, 513)을 겹쳐 보기로 나란히."""
    fig = Figure(figsize=(10, 3.4))
    axes = fig.subplots(1, len(masks))
    for ax, (name, mask) in zip(np.atleast_1d(axes), masks.items(), strict=True):
        ax.imshow(viz.overlay(rgb, mask), interpolation="bilinear")
        ax.set_title(name)
        ax.axis("off")
    if title:
        fig.suptitle(title)
    return fig


# ---------------------------------------------------------------- 8강

SYNTHETIC_COLORS = np.array([[40, 40, 40], [250, 200, 60], [200, 90, 30], [240, 240, 240], [70, 150, 230]], np.uint8)


def synthetic_samples(count: int = 4, size: int = 128) -> Figure:
    """8강: 합성 장면과 정답 마스크(클래스 색은 범례와 같음)."""
    from matplotlib.patches import Patch

    from deeplab_lessons import data

    images, masks = data.make_split("train", count, data.SceneSpec(size=size))
    fig = Figure(figsize=(10, 5.2))
    axes = fig.subplots(2, count)
    for i in range(count):
        axes[0, i].imshow(images[i])
        axes[1, i].imshow(SYNTHETIC_COLORS[masks[i]])
        axes[0, i].set_title(f"장면 {i}")
    for ax in axes.ravel():
        ax.axis("off")
    handles = [Patch(facecolor=SYNTHETIC_COLORS[i] / 255, edgecolor="gray", label=name)
               for i, name in enumerate(data.CLASS_NAMES)]
    fig.legend(handles=handles, loc="lower center", ncol=len(handles), frameon=False)
    fig.suptitle("합성 장면(위)과 정답 마스크(아래)")
    return fig


def training_curves(history: dict) -> Figure:
    """8강: 에포크별 학습 손실과 검증 평균 IoU."""
    fig = Figure(figsize=(9, 3.4))
    loss_ax, iou_ax = fig.subplots(1, 2)
    epochs = np.arange(1, len(history["loss"]) + 1)
    loss_ax.plot(epochs, history["loss"], "o-")
    loss_ax.set_title("학습 손실")
    iou_ax.plot(epochs, history.get("val_miou", [np.nan] * len(epochs)), "o-", color="tab:green")
    iou_ax.set_title("검증 평균 IoU")
    iou_ax.set_ylim(0, 1)
    for ax in (loss_ax, iou_ax):
        ax.set_xlabel("에포크")
        ax.grid(alpha=0.3)
    return fig


def prediction_grid(images: np.ndarray, truth: np.ndarray, prediction: np.ndarray) -> Figure:
    """8강: 영상 | 정답 | 예측 | 오류(틀린 화소를 빨강으로)."""
    rows = len(images)
    fig = Figure(figsize=(9, 2.4 * rows))
    axes = np.atleast_2d(fig.subplots(rows, 4))
    for i in range(rows):
        error = np.where((truth[i] != prediction[i])[..., None], [230, 30, 30], [235, 235, 235]).astype(np.uint8)
        panels = (images[i], SYNTHETIC_COLORS[truth[i]], SYNTHETIC_COLORS[prediction[i]], error)
        for ax, panel, title in zip(axes[i], panels, ("영상", "정답", "예측", "오류 지도"), strict=True):
            ax.imshow(panel)
            ax.set_title(title if i == 0 else "")
            ax.axis("off")
    return fig


#: ``images/`` 의 파일 이름 → 그 그림을 그리는 함수.
FIGURES = {
    "00_segmentation_example.png": segmentation_example,
    "01_kernel_with_holes.png": kernel_with_holes,
    "01_atrous_1d.png": atrous_1d,
    "02_gridding.png": gridding,
    "02_gradient_fields.png": gradient_fields,
    "02_effective_field.png": effective_field,
    "03_aspp_branches.png": aspp_branches,
    "03_valid_taps.png": valid_taps,
    "04_depthwise_separable.png": depthwise_separable,
    "05_deeplab_v3_plus.png": deeplab_v3_plus_diagram,
    "08_synthetic_samples.png": synthetic_samples,
}


def save_all(out_dir: str | Path = IMAGES_DIR, names=None) -> list[Path]:
    """:data:`FIGURES` 의 그림(또는 ``names`` 만)을 ``out_dir`` 에 저장하고 경로 목록을 돌려줍니다."""
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
    """명령줄: ``python -m deeplab_lessons.figures [--out 폴더] [파일 이름 ...]``."""
    parser = argparse.ArgumentParser(description="강좌의 그림을 images/ 에 다시 그립니다.")
    parser.add_argument("names", nargs="*", help="다시 그릴 파일 이름(없으면 전부)")
    parser.add_argument("--out", default=str(IMAGES_DIR), help="저장할 폴더")
    args = parser.parse_args(argv)
    for path in save_all(args.out, args.names):
        print(f"저장함: {path.name}")


if __name__ == "__main__":
    main()
