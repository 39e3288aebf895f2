import numpy as np
import pytest
from PIL import Image

from deeplab_lessons import load_tensorflow, metrics
from deeplab_lessons.errors import DeepLabLessonsError, ModelFileError
from deeplab_lessons.pretrained import keras_rebuild, load_model
from deeplab_lessons.pretrained.export import export_frozen_graph_tarball
from deeplab_lessons.pretrained.seed import DeepLabModel


@pytest.fixture(scope="module")
def keras_513(tflite_path):
    return load_model("mobilenetv2_voc_keras", model_dir=tflite_path.parent)


@pytest.fixture(scope="module")
def rebuilt_257(tflite_path):
    return keras_rebuild.build_keras_model(tflite_path, 257)


def _inputs():
    """무작위 입력 둘과 실제 사진 셋(257×257로 늘려 −1–1로)."""
    import skimage.data
    from matplotlib import cbook

    rng = np.random.default_rng(0)
    batch = [rng.uniform(-1, 1, (257, 257, 3)), rng.normal(0, 0.5, (257, 257, 3)).clip(-1, 1)]
    photos = [np.asarray(Image.open(cbook.get_sample_data("grace_hopper.jpg", asfileobj=False))),
              skimage.data.chelsea(), skimage.data.astronaut()]
    batch += [np.asarray(Image.fromarray(p).resize((257, 257), Image.Resampling.BILINEAR)) / 127.5 - 1
              for p in photos]
    return [b.astype(np.float32) for b in batch]


def test_logits_equal_tflite(rebuilt_257, tflite_model):
    for x in _inputs():
        ours = rebuilt_257(x[None]).numpy()[0]
        theirs = tflite_model.backend.invoke(x[None])
        assert np.abs(ours - theirs).max() < 1e-4
        assert (ours.argmax(-1) == theirs.argmax(-1)).mean() >= 0.9999


def test_layer_names_and_rates_follow_the_file(rebuilt_257, tflite_path):
    layer = rebuilt_257.get_layer("MobilenetV2.expanded_conv_7.depthwise.Relu6")
    assert layer.dilation_rate == (2, 2)
    assert rebuilt_257.get_layer("MobilenetV2.expanded_conv_14.depthwise.Relu6").dilation_rate == (4, 4)
    rates = {row["name"]: row["rate"] for row in keras_rebuild.read_layer_table(tflite_path)}
    assert [rates[f"MobilenetV2/expanded_conv_{i}/depthwise"] for i in range(6, 17)] == [1] + [2] * 7 + [4] * 3
    table = keras_rebuild.read_layer_table(tflite_path)
    assert table[-1]["name"] == "logits/semantic" and table[-1]["output_stride"] == 8


def test_image_pooling_is_global_at_any_size(tflite_path):
    model = keras_rebuild.build_keras_model(tflite_path)
    pooled = model.get_layer("AvgPool2D.AvgPool")
    tf = load_tensorflow()
    probe = tf.keras.Model(model.input, pooled.output)
    x = np.zeros((1, 97, 65, 3), np.float32)
    base = probe(x).numpy()
    x[0, -1, -1] = 1.0
    assert probe(x).shape == (1, 1, 1, base.shape[-1]) and not np.allclose(probe(x).numpy(), base)
    assert model(np.zeros((1, 97, 65, 3), np.float32)).shape == (1, 97, 65, 21)


def test_seed_path_on_real_weights_matches_keras(keras_513, tmp_path, voc_root):
    tarball = export_frozen_graph_tarball(keras_513.backend.model, tmp_path / "mnv2_voc.tar.gz", pad_to=513)
    seed = DeepLabModel(tarball)
    for image_id in metrics.voc_image_ids(voc_root)[:4]:
        image, _ = metrics.read_voc_pair(voc_root, image_id)
        resized_seed, seg_seed = seed.run(Image.fromarray(image))
        resized_keras, seg_keras = keras_513.run(image)
        assert resized_seed.size == resized_keras.size and max(resized_seed.size) == 513
        assert (seg_seed == seg_keras).mean() >= 0.9999


def test_513_beats_257_on_voc_sample(keras_513, tflite_model, voc_root):
    at_513 = metrics.evaluate_voc(keras_513, voc_root)
    at_257 = metrics.evaluate_voc(tflite_model, voc_root)
    assert at_513.mean_iou > at_257.mean_iou + 0.1
    assert at_513.pixel_accuracy > at_257.pixel_accuracy


def test_bad_inputs(tflite_path, classifier_tflite):
    with pytest.raises(ModelFileError, match="기대한 것: MobileNetV2 DeepLab v3 TFLite"):
        keras_rebuild.build_keras_model(classifier_tflite)
    with pytest.raises(ValueError, match="input_size.*33 이상"):
        keras_rebuild.build_keras_model(tflite_path, 32)
    with pytest.raises(DeepLabLessonsError, match="input_size는 mobilenetv2_voc_keras와 .keras 파일에만"):
        load_model("mobilenetv2_voc_tflite", model_dir=tflite_path.parent, input_size=513)


# ---------------------------------------------------------------- 폭 배율, 출력 보폭 16, 배치 정규화 접기

def test_depth_multiplier_is_half_of_keras_mobilenetv2(tflite_path):
    tf = load_tensorflow()
    reference = tf.keras.applications.MobileNetV2(input_shape=(96, 96, 3), alpha=1.0, include_top=False,
                                                  weights=None)
    widths = [reference.get_layer("Conv1").filters, reference.get_layer("expanded_conv_project").filters]
    widths += [reference.get_layer(f"block_{i}_project").filters for i in range(1, 17)]
    assert tuple(widths) == keras_rebuild.MOBILENETV2_WIDTHS
    assert keras_rebuild.channel_widths(tflite_path) == [w // 2 for w in widths]
    assert keras_rebuild.depth_multiplier(tflite_path) == 0.5
    with pytest.raises(ModelFileError, match="한 배수가 아닙니다"):
        keras_rebuild.depth_multiplier(tflite_path, reference=(32,) * 18)


def test_stride_plan_8_is_the_file_and_16_moves_the_stride_back(tflite_path):
    graph = keras_rebuild.TFLiteGraph(tflite_path)
    file_options = {i: (o.StrideH(), o.DilationHFactor()) for i, (n, _, _, o) in enumerate(graph.operators())
                    if n in ("CONV_2D", "DEPTHWISE_CONV_2D")}
    assert keras_rebuild.stride_plan(graph, 8) == file_options
    rows = keras_rebuild.read_layer_table(tflite_path, output_stride=16)
    depthwise = {r["name"]: (r["stride"], r["rate"]) for r in rows if r["kind"] == "깊이별"}
    assert depthwise["MobilenetV2/expanded_conv_6/depthwise"] == (2, 1)
    assert [depthwise[f"MobilenetV2/expanded_conv_{i}/depthwise"][1] for i in range(7, 17)] == [1] * 7 + [2] * 3
    assert rows[-1]["output_stride"] == 16
    with pytest.raises(DeepLabLessonsError, match="output_stride.*8 또는 16"):
        keras_rebuild.stride_plan(graph, 32)


def test_profiler_multiply_adds_match_the_model_zoo_at_both_output_strides(tflite_path):
    from deeplab_lessons import counting

    zoo = {16: 0.88e9, 8: 2.84e9}   # model_zoo.md, mobilenetv2_dm05_coco_voc_trainaug / _trainval, 513×513
    for output_stride, published in zoo.items():
        model = keras_rebuild.build_keras_model(tflite_path, 513, output_stride=output_stride)
        macs = counting.profiler_flops(model) / 2
        assert abs(macs / published - 1) < 0.03, (output_stride, macs)
        feature = model.get_layer("logits.semantic.BiasAdd").output.shape[1]
        assert feature == (513 - 1) // output_stride + 1 and model.output.shape[1] == 513


def test_os16_model_has_the_same_weights_and_a_coarser_feature_map(tflite_path):
    os8 = keras_rebuild.build_keras_model(tflite_path, 129, output_stride=8)
    os16 = keras_rebuild.build_keras_model(tflite_path, 129, output_stride=16)
    for a, b in zip(os8.weights, os16.weights, strict=True):
        np.testing.assert_array_equal(a.numpy(), b.numpy())
    assert os8.get_layer("aspp0.Relu").output.shape[1:3] == (17, 17)
    assert os16.get_layer("aspp0.Relu").output.shape[1:3] == (9, 9)


@pytest.mark.parametrize("depthwise", [False, True])
def test_fold_batch_norm_gives_the_same_outputs(depthwise):
    keras = keras_rebuild.keras
    rng = np.random.default_rng(1)
    conv = (keras.layers.DepthwiseConv2D(3, padding="same", use_bias=False) if depthwise
            else keras.layers.Conv2D(5, 3, padding="same", use_bias=True))
    bn = keras.layers.BatchNormalization(epsilon=1e-3)
    x = rng.normal(size=(2, 9, 9, 4)).astype(np.float32)
    bn(conv(x))
    channels = 4 if depthwise else 5
    bn.set_weights([rng.uniform(0.5, 2, channels), rng.normal(size=channels), rng.normal(size=channels),
                    rng.uniform(0.1, 3, channels)])
    expected = bn(conv(x), training=False).numpy()
    kernel, bias = keras_rebuild.fold_keras_batch_norm(conv, bn)
    folded = (keras.layers.DepthwiseConv2D(3, padding="same") if depthwise
              else keras.layers.Conv2D(5, 3, padding="same"))
    folded.build(x.shape)
    folded.set_weights([kernel, bias])
    np.testing.assert_allclose(folded(x).numpy(), expected, atol=1e-4)
    assert bias.shape == (channels,) and kernel.shape == conv.get_weights()[0].shape
