"""연습문제 은행: 문제마다 풀이가 채점을 통과하고, 흔한 실수는 (정답이 아니라) 그 실수의 힌트를 받는지.

노트북 쪽: 노트북이 부르는 id가 은행에 있고, 문제 글이 노트북에 적혀 있고, 저장된 출력이 '아직 답하지 않았습니다'
(토론 문제는 채점하지 않음)인지 봅니다.
"""

import json
import re
from pathlib import Path

import numpy as np
import pytest
from tooling import lesson_notebooks

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


# ---------------------------------------------------------------- 이슈 23, 5: 가르치는 연습문제

LESSON_NOTEBOOKS = lesson_notebooks(NOTEBOOKS)          # 강좌 지도의 모든 강의(정리 강의까지)


def test_every_lesson_of_the_course_map_is_checked():
    assert [p.name for p in LESSON_NOTEBOOKS] == [lesson.notebook for lesson in course.LESSONS]
DISCUSSIONS = [e for e in BANK.values() if e.kind == "토론"]


def _exercise_section(path):
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    start = next(i for i, c in enumerate(cells)
                 if c["cell_type"] == "markdown" and "".join(c["source"]).startswith("## 연습문제"))
    return cells[start:]


@pytest.mark.parametrize("path", LESSON_NOTEBOOKS, ids=lambda p: p.name[:2])
def test_preface_says_how_to_ask_for_a_hint_and_the_notebook_shows_it(path):
    section = _exercise_section(path)
    preface = "".join(section[0]["source"])
    assert 'exercises.hint("문제 id")' in preface and 'exercises.solution("문제 id")' in preface
    assert "풀기 전에" in preface and "토론 문제" in preface
    slug = path.stem.split("_", 1)[1]
    demos = [c for c in section if c["cell_type"] == "code" and "exercises.hint(" in "".join(c["source"])]
    assert len(demos) == 1, "힌트를 부르는 셀은 한 번"
    (exercise_id,) = re.findall(r"""exercises\.hint\(\s*["']([^"']+)["']""", "".join(demos[0]["source"]))
    assert BANK[exercise_id].lesson == slug
    output = "".join("".join(o.get("text", "")) for o in demos[0]["outputs"])
    assert output == f"힌트: {BANK[exercise_id].hint}\n"


@pytest.mark.parametrize("path", LESSON_NOTEBOOKS, ids=lambda p: p.name[:2])
def test_each_lesson_has_a_discussion_question_in_its_notebook(path):
    slug = path.stem.split("_", 1)[1]
    code = [c for c in _exercise_section(path) if c["cell_type"] == "code"]
    asked = set(CALL.findall("\n".join("".join(c["source"]) for c in code)))
    assert {e.id for e in DISCUSSIONS if e.lesson == slug} & asked, f"{path.name}: 토론 문제가 없습니다"


@pytest.mark.parametrize("exercise", [e for e in DISCUSSIONS if e.evidence], ids=lambda e: e.id)
def test_discussion_evidence_is_computed_and_shown_with_the_answer(exercise):
    evidence = exercise.evidence()
    assert evidence and evidence in grading.solution_text(exercise)
    assert exercise.expected is None and exercise.reference is None     # 토론 문제는 채점하지 않음


def test_rate36_discussion_answer_holds():
    """팽창률 36, 65×65: 아홉 탭이 모두 유효한 칸은 없고, 가장 흔한 것은 탭 4개(과반), 가운데 탭만은 드묾."""
    from deeplab_lessons import aspp, atrous

    histogram = aspp.valid_weight_histogram(65, 36)
    assert histogram.get(9, 0.0) == 0 and max(histogram, key=histogram.get) == 4 and histogram[4] > 0.5
    assert histogram[1] < 0.05 and atrous.effective_kernel_size(3, 36) == 73 > 65


def test_os_trade_discussion_answer_holds():
    from deeplab_lessons import atrous
    from deeplab_lessons.exercise_bank.atrous_convolution import _relative_cost

    (side16, cost16), (side8, cost8) = _relative_cost(16), _relative_cost(8)
    assert (side16, side8) == (33, 65) and cost8 > 2 * cost16
    assert len({atrous.conv_cost(3, 32, 32, rate=r)["params"] for r in (1, 2, 4, 8)}) == 1


def test_v1_v2_discussion_names_what_changed_together():
    from deeplab_lessons import course

    v1, v2 = course.DEEPLAB_FAMILY[:2]
    assert "ASPP" in v2.added and "ResNet-101" in v2.added and "VGG-16" in v1.note
    assert "COCO" in v2.note and "MSC" in v2.note


def test_crf_after_average_evidence_supports_the_answer():
    """같은 arg-max·같은 CRF에서 흐린 확률은 CRF 뒤 정확도가 낮고 작은 물체를 더 지웁니다."""
    from deeplab_lessons.exercise_bank.test_time_refinement import flatter_unary_runs

    (_, sure_top, sure_before, sure_after, sure_kept), (_, flat_top, flat_before, flat_after, flat_kept) = \
        flatter_unary_runs()
    assert flat_top < sure_top and flat_before == sure_before
    assert flat_after < sure_before < sure_after and flat_kept < sure_kept


def test_two_roads_discussion_answer_holds():
    """출력 보폭 16의 v3+ 가 출력 보폭 8의 v3 보다 곱셈-덧셈이 적고, 출력 보폭은 매개변수를 바꾸지 않습니다."""
    from deeplab_lessons import encoder_decoder, models

    built = {(os_, dec): models.deeplab(input_shape=(129, 129, 3), output_stride=os_, decoder=dec)
             for os_, dec in ((16, True), (8, False), (16, False))}
    assert encoder_decoder.macs(built[16, True]) < encoder_decoder.macs(built[8, False]) / 2
    assert built[8, False].count_params() == built[16, False].count_params()


def test_prompts_carry_the_facts_they_need():
    """문제를 푸는 데 필요한 사실이 문제 글에 있습니다(이슈 23, 5: 05-6, 01-6, 00-3, 03-5)."""
    from deeplab_lessons import gridding, mobilenet

    shortcut = BANK["shortcut-count"].prompt
    assert all(f"({c}, {n}, {s})" in shortcut for _, c, n, s in mobilenet.STAGES) and "나머지 블록은 보폭 1" in shortcut
    assert "16·2^d" in BANK["unet-deepest-skip"].prompt and "바로 앞" in BANK["unet-deepest-skip"].prompt
    assert "⌈n / s⌉" in BANK["pooled-feature-size"].prompt
    worked = gridding.hdc_check((1, 2, 5)).max_distances[0]
    assert f"= {worked}$" in BANK["hdc-m2"].prompt and "(1, 2, 5)" in BANK["hdc-m2"].prompt


def test_mean_field_step_reference_is_one_iteration_of_the_package():
    from deeplab_lessons import crf

    case = BANK["mean-field-step"].cases()[1].kwargs
    two = crf.mean_field(case["rgb"], case["probabilities"], crf.CRFParams(**{
        **case["params"].__dict__, "iterations": 2}), exact=True)
    one = BANK["mean-field-step"].reference(**case)
    assert not np.allclose(one, two) and np.allclose(one.sum(-1), 1, atol=1e-5)
