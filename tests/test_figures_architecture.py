from deeplab_lessons.figures import deeplab_v3_plus_diagram


def _texts(fig):
    return [text.get_text() for text in fig.axes[0].texts]


def test_aspp_label_lists_every_branch_in_one_box():
    texts = _texts(deeplab_v3_plus_diagram(16))
    (aspp,) = [t for t in texts if t.startswith("ASPP")]
    for part in ("1×1 합성곱", "팽창률 6", "팽창률 12", "팽창률 18", "이미지 수준 풀링"):
        assert part in aspp
    assert "|" not in aspp


def test_encoder_decoder_groups_and_the_v3_path():
    fig = deeplab_v3_plus_diagram(8)
    texts = _texts(fig)
    assert any(t.startswith("인코더") for t in texts) and any(t.startswith("디코더") for t in texts)
    assert "v3: ×16" not in texts and "v3: ×8" in texts      # 출력 보폭 8이면 v3는 ×8로 키웁니다
    assert any("팽창률 36" in t for t in texts) and any("65×65" in t for t in texts)
