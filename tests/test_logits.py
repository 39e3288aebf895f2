"""logits: 행을 나눈 확률 합(add_resized_softmax)이 한꺼번에 계산한 것과 같은지."""

import numpy as np


def test_add_resized_softmax_in_row_chunks_equals_the_whole_computation(monkeypatch):
    # 행을 나눠도(메모리 상한) 한꺼번에 계산한 softmax(resize_logits(...))와 비트 단위로 같습니다.
    from deeplab_lessons import logits as module

    rng = np.random.default_rng(5)
    small = rng.standard_normal((7, 9, 4)).astype(np.float32)
    whole = module.softmax(module.resize_logits(small, 31, 23))
    monkeypatch.setattr(module, "CHUNK_VALUES", 23 * 4 * 3)        # 세 행씩
    total = module.add_resized_softmax(None, small, 31, 23)
    assert np.array_equal(total, whole)
    module.add_resized_softmax(total, small, 31, 23)
    assert np.array_equal(total, whole + whole)
