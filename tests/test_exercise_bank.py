"""연습문제 은행: 문제마다 풀이가 채점을 통과하고, 흔한 실수는 (정답이 아니라) 그 실수의 힌트를 받는지.

노트북 쪽: 노트북이 부르는 id가 은행에 있고, 문제 글이 노트북에 적혀 있고, 저장된 출력이 '아직 답하지 않았습니다'
(토론 문제는 채점하지 않음)인지 봅니다.
"""

import json
import re
from pathlib import Path

import numpy as np
import pytest

from deeplab_lessons import course, exercises, grading, losses
from deeplab_lessons.exercise_bank import BANK

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
CODE = [e for e in BANK.values() if e.kind == "코드"]
VALUES = [e for e in BANK.values() if e.kind == "값"]
CALL = re.compile(r"""exercises\.check\(\s*["']([^"']+)["']""")


@pytest.fixture(autouse=True)
def fresh_tries():
    exercises.reset_tries()
    yield
    exercises.reset_tries()


def test_ids_are_stable_names_without_lesson_numbers():
    for exercise_id, exercise in BANK.items():
        assert exercise_id == exercise.id
        assert re.fullmatch(r"[a-z][a-z0-9]*(-[a-z0-9]+)*", exercise_id), exercise_id
        assert not re.match(r"\d", exercise_id)
        assert exercise.kind in ("값", "코드", "토론") and exercise.hint and exercise.solution


@pytest.mark.parametrize("exercise", CODE, ids=lambda e: e.id)
def test_model_answer_passes(capsys, exercise):
    assert exercises.check(exercise.id, exercise.model_answer) is True
    assert "정답입니다" in capsys.readouterr().out


@pytest.mark.parametrize("exercise", CODE, ids=lambda e: e.id)
def test_cases_include_more_than_one_and_are_deterministic(exercise):
    first, second = exercise.cases(), exercise.cases()
    assert len(first) >= 4
    for a, b in zip(first, second, strict=True):
        assert a.kwargs.keys() == b.kwargs.keys()
        for key in a.kwargs:
            assert np.array_equal(np.asarray(a.kwargs[key], dtype=object), np.asarray(b.kwargs[key], dtype=object))


@pytest.mark.parametrize(("exercise", "mistake"), [(e, m) for e in CODE for m in e.mistakes],
                         ids=lambda x: getattr(x, "id", None) or getattr(x, "hint", "")[:20])
def test_code_mistake_gets_its_hint_not_the_solution(capsys, exercise, mistake):
    assert exercises.check(exercise.id, mistake.function) is False
    out = capsys.readouterr().out
    assert mistake.hint in out, out
    assert "처음 틀린 경우" in out and "기대한 값" in out and "받은 값" in out
    assert exercise.solution not in out and exercise.model_answer.__name__ not in out


@pytest.mark.parametrize("exercise", VALUES, ids=lambda e: e.id)
def test_value_answer_passes_and_wrong_answers_get_hints(capsys, exercise):
    expected = exercise.expected()
    assert exercises.check(exercise.id, expected) is True
    capsys.readouterr()
    assert exercise.mistakes, "값 문제마다 흔한 실수가 적어도 하나"
    for mistake in exercise.mistakes:
        exercises.reset_tries()
        assert exercises.check(exercise.id, mistake.value) is False
        out = capsys.readouterr().out
        assert mistake.hint in out and exercise.solution not in out
    exercises.reset_tries()
    assert exercises.check(exercise.id, -12345) is False
    out = capsys.readouterr().out
    assert exercise.hint in out and exercise.solution not in out and "정답:" not in out


@pytest.mark.parametrize("exercise", CODE, ids=lambda e: e.id)
def test_raising_learner_function_gets_korean_message(capsys, exercise):
    def learner(**kwargs):
        raise ValueError("모양이 맞지 않습니다")

    assert exercises.check(exercise.id, learner) is False
    out = capsys.readouterr().out
    assert "함수를 부르다가 오류가 났습니다" in out and "ValueError: 모양이 맞지 않습니다" in out
    assert 'raise ValueError("모양이 맞지 않습니다")' in out and "Traceback" not in out


def test_masked_cross_entropy_matches_keras():
    from deeplab_lessons import load_keras

    keras = load_keras()
    rng = np.random.default_rng(0)
    logits = rng.standard_normal((2, 5, 4, 6)).astype(np.float32)
    labels = rng.integers(0, 6, (2, 5, 4))
    labels[rng.random(labels.shape) < 0.3] = 255
    keras_loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True, ignore_class=255)
    assert losses.masked_cross_entropy(logits, labels) == pytest.approx(float(keras_loss(labels, logits)), abs=1e-5)
    assert losses.masked_cross_entropy(logits, np.full(labels.shape, 255)) == 0.0


def test_aspp_branches_reference_matches_layers_rates():
    from deeplab_lessons import layers

    reference = BANK["aspp-branches"].reference
    for output_stride in (8, 16):
        assert [rate for _, rate in reference(output_stride)[1:]] == list(layers.aspp_rates(output_stride))


def _notebook_calls():
    for path in sorted(NOTEBOOKS.glob("*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        markdown = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
        for cell in cells:
            if cell["cell_type"] != "code":
                continue
            for exercise_id in CALL.findall("".join(cell["source"])):
                yield path.name, markdown, cell, exercise_id


def test_notebook_exercises_exist_are_described_and_unanswered():
    calls = list(_notebook_calls())
    assert len(calls) >= 15
    for name, markdown, cell, exercise_id in calls:
        assert exercise_id in BANK, f"{name}: 없는 id {exercise_id}"
        exercise = BANK[exercise_id]
        assert exercise.prompt in markdown, f"{name}: {exercise_id}의 문제 글이 노트북에 없습니다"
        output = "".join("".join(o.get("text", "")) for o in cell.get("outputs", []))
        wanted = "토론 문제" if exercise.kind == "토론" else grading.NOT_ANSWERED
        assert wanted in output, f"{name}: {exercise_id}의 저장된 출력 {output!r}"


def test_course_map_names_a_coding_exercise_per_lesson():
    named = [lesson for lesson in course.LESSONS if lesson.exercise]
    assert named == list(course.LESSONS), "강의마다 코드 연습문제가 하나씩 있어야 합니다"
    for lesson in named:
        exercise = BANK[lesson.exercise]
        assert exercise.kind == "코드" and exercise.lesson == lesson.slug


def test_bank_import_does_not_load_tensorflow():
    import subprocess
    import sys

    code = ("import sys; from deeplab_lessons import exercises; exercises.check('class-pixels', None); "
            "print('tensorflow' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip().splitlines()[-1] == "False"


def test_decoder_sizes_reference_matches_the_built_model():
    from deeplab_lessons import models

    reference = BANK["decoder-sizes"].reference
    for size, output_stride, filters in ((129, 16, 64), (97, 8, 32)):
        model = models.deeplab_v3_plus(5, (size, size, 3), output_stride=output_stride, alpha=0.35,
                                       aspp_filters=filters)
        built = (model.get_layer("aspp").output.shape[1], model.get_layer("decoder_low_level_conv").output.shape[1],
                 model.get_layer("decoder_concat").output.shape[-1])
        assert reference(size, output_stride, filters) == built


def test_unet_deepest_skip_matches_the_built_model():
    from deeplab_lessons import encoder_decoder

    model = encoder_decoder.unet(2, (513, 513, 3), base=16, depth=5)
    deepest = max(encoder_decoder.skip_sources(model), key=lambda skip: skip.stride)
    assert BANK["unet-deepest-skip"].expected() == (deepest.channels, deepest.height)


def test_band_width_discussion_answer_holds():
    """토론 문제의 모범 답안(띠를 넓히면 FCN-32s의 '띠 밖' 오차와 '띠 안' 오차가 모두 줄어듦)을 잽니다."""
    from deeplab_lessons import data, skip_connections, upsampling

    rates = {}
    for width in (4, 8):
        outside, inside = [], []
        for seed in range(4):
            _, truth = data.generate_scene(seed, data.SceneSpec(size=256))
            band = upsampling.boundary_band(truth, width)
            scores = skip_connections.ideal_scores(truth, data.NUM_CLASSES, 32)
            wrong = skip_connections.predict_from_scores(scores, 32) != truth
            outside.append(wrong[~band].mean())
            inside.append(wrong[band].mean())
        rates[width] = (np.mean(outside), np.mean(inside))
    assert rates[8][0] < rates[4][0] and rates[8][1] < rates[4][1]


def test_array_tuple_answers_are_compared_item_by_item(capsys):
    exercise = BANK["fold-batch-norm"]
    case = exercise.cases()[0].kwargs
    kernel, bias = exercise.model_answer(**case)
    assert exercises.check("fold-batch-norm", lambda **kwargs: list(exercise.model_answer(**kwargs))) is True
    capsys.readouterr()
    assert exercises.check("fold-batch-norm", lambda **kwargs: kernel.sum()) is False
    assert "모양이 다릅니다" in capsys.readouterr().out
    assert bias.shape == (kernel.shape[-1],)
