"""모델 파일과 캐시(16번 7, 압축 폭탄): 체크섬 없는 tarball 검사, 어디 있는 파일인지, 권한, 캐시 폴더, 끊긴 내려받기."""

import io
import os
import shutil
import subprocess
import tarfile
from dataclasses import replace

import pytest

from deeplab_lessons import __main__ as cli
from deeplab_lessons import downloads, pretrained
from deeplab_lessons.errors import DeepLabLessonsError, ModelFileError
from deeplab_lessons.pretrained import backends, files, registry

TFLITE = "mobilenetv2_voc_tflite"
XCEPTION = "xception_coco_voctrainaug"


def _register(monkeypatch, info):
    monkeypatch.setitem(registry.MODELS, info.name, info)


def _tarball(path, members):
    """``{이름: 바이트}`` 로 tar.gz를 만듭니다."""
    with tarfile.open(path, "w:gz") as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return path


@pytest.fixture(scope="module")
def tiny_graph_tarball(tmp_path_factory):
    from deeplab_lessons import load_tensorflow
    from deeplab_lessons.pretrained.export import export_frozen_graph_tarball

    tf = load_tensorflow()
    model = tf.keras.Sequential([tf.keras.Input((None, None, 3)), tf.keras.layers.Conv2D(21, 1)])
    return export_frozen_graph_tarball(model, tmp_path_factory.mktemp("graph") / "tiny.tar.gz")


# ---------------------------------------------------------------- 체크섬이 없는 Xception 항목

def test_unchecked_tarball_that_is_not_a_frozen_graph_is_not_cached(isolated, monkeypatch):
    assert registry.MODELS[XCEPTION].checksum is None       # 공개된 체크섬을 찾지 못한 항목
    bad = _tarball(isolated / "bad.tar.gz", {"deeplab/frozen_inference_graph.pb": b"not a graph" * 10})
    _register(monkeypatch, replace(registry.MODELS[XCEPTION], url=bad.as_uri()))
    with pytest.raises(ModelFileError, match="frozen graph가 손상되었습니다. 캐시에 두지 않았습니다"):
        pretrained.load_model(XCEPTION)
    assert list((isolated / "cache").iterdir()) == []
    html = isolated / "error_page.tar.gz"
    html.write_bytes(b"<html>503 Service Unavailable</html>")
    _register(monkeypatch, replace(registry.MODELS[XCEPTION], url=html.as_uri()))
    with pytest.raises(ModelFileError, match="tarball을 읽을 수 없습니다"):
        pretrained.load_model(XCEPTION)
    assert list((isolated / "cache").iterdir()) == []


def test_unchecked_tarball_with_a_real_graph_is_cached(isolated, monkeypatch, tiny_graph_tarball):
    _register(monkeypatch, replace(registry.MODELS[XCEPTION], url=tiny_graph_tarball.as_uri()))
    model = pretrained.load_model(XCEPTION)
    assert (isolated / "cache" / registry.MODELS[XCEPTION].filename).is_file()
    assert model.labels[15] == "person"


# ---------------------------------------------------------------- 체크섬 실패의 위치, 권한

def test_checksum_failure_names_the_full_path_and_the_place(tflite_path, isolated, monkeypatch):
    wrong = ("sha256", "0" * 64)
    _register(monkeypatch, replace(registry.MODELS[TFLITE], checksum=wrong))
    given = isolated / "given"
    given.mkdir()
    shutil.copy(tflite_path, given / tflite_path.name)
    with pytest.raises(ModelFileError) as error:
        pretrained.load_model(TFLITE, model_dir=given)
    assert str(given / tflite_path.name) in str(error.value) and "model_dir로 준 모델 폴더" in str(error.value)
    cache = isolated / "cache"
    cache.mkdir()
    shutil.copy(tflite_path, cache / tflite_path.name)
    with pytest.raises(ModelFileError) as error:
        pretrained.load_model(TFLITE)
    assert str(cache / tflite_path.name) in str(error.value) and "캐시 폴더" in str(error.value)


def test_unreadable_model_file_is_permission_denied_not_damaged(tflite_path, isolated, monkeypatch):
    """루트 계정에서는 chmod 000도 읽히므로, open이 내는 PermissionError를 흉내 냅니다."""
    def deny(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(downloads, "open", deny, raising=False)   # 해시는 downloads.file_digest가 읽음
    with pytest.raises(ModelFileError) as error:
        pretrained.load_model(TFLITE, model_dir=tflite_path.parent)
    assert "권한이 없습니다(permission denied)" in str(error.value) and "손상된 것은 아닙니다" in str(error.value)


# ---------------------------------------------------------------- 캐시 폴더

def test_cache_dir_that_is_a_file(isolated, monkeypatch, tflite_path):
    (isolated / "cache").write_text("파일")
    _register(monkeypatch, replace(registry.MODELS[TFLITE], url=tflite_path.as_uri()))
    with pytest.raises(DeepLabLessonsError, match="캐시 경로가 폴더가 아니라 파일입니다.*DEEPLAB_LESSONS_CACHE_DIR"):
        pretrained.load_model(TFLITE)
    monkeypatch.setenv("DEEPLAB_LESSONS_CACHE_DIR", str(isolated / "cache" / "below"))
    with pytest.raises(DeepLabLessonsError, match="캐시 폴더를 만들 수 없습니다"):
        pretrained.load_model(TFLITE)


def test_read_only_cache_dir(isolated, monkeypatch, tflite_path):
    """루트는 읽기 전용 폴더에도 쓰므로, os.access가 쓰기 불가라고 답하는 보통 사용자의 경우를 흉내 냅니다."""
    (isolated / "cache").mkdir(mode=0o555)
    _register(monkeypatch, replace(registry.MODELS[TFLITE], url=tflite_path.as_uri()))
    monkeypatch.setattr(files.os, "access", lambda path, mode: False)
    with pytest.raises(DeepLabLessonsError, match="캐시 폴더에 쓸 권한이 없습니다"):
        pretrained.load_model(TFLITE)


# ---------------------------------------------------------------- 끊긴 내려받기

def _dead_pid() -> int:
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


def test_stale_partial_downloads_are_cleaned_on_the_next_download(tflite_path, isolated, monkeypatch):
    """SIGKILL로 끊긴 내려받기는 finally를 돌지 못해 임시 폴더를 남깁니다. 다음 내려받기가 지웁니다."""
    cache = isolated / "cache"
    stale = cache / f".downloading-{_dead_pid()}-abc"
    stale.mkdir(parents=True)
    (stale / "deeplabv3_257_mv_gpu.tflite.part").write_bytes(b"x" * 1000)
    running = cache / f".downloading-{os.getpid()}-def"         # 지금 살아 있는 프로세스의 것은 그대로
    running.mkdir()
    _register(monkeypatch, replace(registry.MODELS[TFLITE], url=tflite_path.as_uri()))
    pretrained.load_model(TFLITE)
    assert sorted(p.name for p in cache.iterdir()) == [running.name, tflite_path.name]


def test_killed_download_leaves_nothing_that_lingers(tflite_path, isolated, monkeypatch):
    """진짜로 SIGKILL: 내려받는 중에 프로세스를 죽인 뒤, 다음 실행이 남은 것을 치웁니다."""
    import signal
    import sys
    import textwrap

    script = textwrap.dedent(f"""
        import os, signal
        from dataclasses import replace
        from deeplab_lessons.pretrained import files, registry
        from deeplab_lessons._tf import load_keras
        keras = load_keras()
        def die(*args, **kwargs):
            open(os.path.join(kwargs["cache_dir"], "half.part"), "wb").write(b"x" * 100)
            os.kill(os.getpid(), signal.SIGKILL)
        keras.utils.get_file = die
        files.resolve(replace(registry.MODELS["{TFLITE}"], url="file:///nowhere"))
    """)
    result = subprocess.run([sys.executable, "-c", script], env={**os.environ}, capture_output=True, timeout=300)
    assert result.returncode == -signal.SIGKILL
    leftovers = list((isolated / "cache").glob(".downloading-*"))
    assert leftovers and (leftovers[0] / "half.part").is_file()
    _register(monkeypatch, replace(registry.MODELS[TFLITE], url=tflite_path.as_uri()))
    pretrained.load_model(TFLITE)
    assert [p.name for p in (isolated / "cache").iterdir()] == [tflite_path.name]


# ---------------------------------------------------------------- models 명령

def test_models_reports_a_broken_file_as_broken(isolated, capsys):
    cache = isolated / "cache"
    cache.mkdir()
    (cache / registry.MODELS[TFLITE].filename).write_bytes(b"half a download")
    assert cli.main(["models"]) == 0
    out = capsys.readouterr().out
    line = next(row for row in out.splitlines() if row.startswith(TFLITE + " "))
    assert "손상됨" in line and "있음" not in line


def test_models_reports_a_good_file_as_present(isolated, tflite_path, monkeypatch, capsys):
    monkeypatch.setenv("DEEPLAB_LESSONS_MODEL_DIR", str(tflite_path.parent))
    assert cli.main(["models"]) == 0
    line = next(r for r in capsys.readouterr().out.splitlines() if r.startswith(TFLITE + " "))
    assert "있음 (체크섬 확인)" in line


# ---------------------------------------------------------------- 압축 폭탄

def test_gzip_bomb_is_refused_before_it_is_inflated(tmp_path, monkeypatch):
    """한도를 작게 두고(실제 한도 1 GiB·4 GiB는 테스트에서 만들기엔 큼) 헤더의 크기만으로 거부하는지 봅니다."""
    monkeypatch.setattr(backends, "MAX_FROZEN_GRAPH_BYTES", 1 << 20)
    bomb = _tarball(tmp_path / "bomb.tar.gz", {"m/frozen_inference_graph.pb": bytes(3 << 20)})
    assert bomb.stat().st_size < 20_000                           # 20 kB가 풀면 3 MB
    reads = []
    real_extract = tarfile.TarFile.extractfile
    monkeypatch.setattr(tarfile.TarFile, "extractfile", lambda self, m: reads.append(m) or real_extract(self, m))
    with pytest.raises(ModelFileError, match="풀지 않습니다.*한도 1,048,576바이트"):
        backends.read_frozen_graph(bomb)
    assert reads == []
    monkeypatch.setattr(backends, "MAX_TARBALL_CONTENT_BYTES", 2 << 20)
    padded = _tarball(tmp_path / "padded.tar.gz", {"m/junk.bin": bytes(3 << 20),
                                                   "m/frozen_inference_graph.pb": b"x"})
    with pytest.raises(ModelFileError, match="풀지 않습니다.*junk.bin"):
        backends.read_frozen_graph(padded)


def test_real_limits_are_sane():
    assert backends.MAX_FROZEN_GRAPH_BYTES < 2 ** 31           # protobuf가 읽을 수 있는 크기 안
    assert backends.MAX_FROZEN_GRAPH_BYTES <= backends.MAX_TARBALL_CONTENT_BYTES


def test_unreadable_local_tflite_and_tarball_are_permission_denied(tmp_path, monkeypatch):
    """체크섬 없이 직접 준 파일도: TFLite 해석기나 tarfile이 '손상'이라 하기 전에 권한을 알립니다."""
    import builtins

    from deeplab_lessons.errors import ModelFileUnreadableError

    model = tmp_path / "mine.tflite"
    model.write_bytes(b"x" * 100)
    tarball = _tarball(tmp_path / "mine.tar.gz", {"m/frozen_inference_graph.pb": b"x"})
    real_open = builtins.open

    def deny(file, *args, **kwargs):
        if str(file) in (str(model), str(tarball)):
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", deny)
    for path in (model, tarball):
        with pytest.raises(ModelFileUnreadableError, match="권한이 없습니다.*손상된 것은 아닙니다"):
            pretrained.load_model(path)


def test_models_reports_an_unreadable_file(isolated, capsys, monkeypatch):
    cache = isolated / "cache"
    cache.mkdir()
    (cache / registry.MODELS[TFLITE].filename).write_bytes(b"x")

    def deny(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(downloads, "open", deny, raising=False)   # 해시는 downloads.file_digest가 읽음
    assert cli.main(["models"]) == 0
    line = next(r for r in capsys.readouterr().out.splitlines() if r.startswith(TFLITE + " "))
    assert "읽을 수 없음 (권한 없음)" in line


def test_local_copy_of_a_registered_tarball_gets_its_names(tmp_path, monkeypatch, tiny_graph_tarball):
    """frozen graph는 클래스 수를 알 수 없어도, 내용이 등록된 파일과 같으면(체크섬) 그 이름을 씁니다."""
    import hashlib

    name = registry.MODELS["mobilenetv2_coco_voctrainaug"].filename
    copy = tmp_path / name
    shutil.copy(tiny_graph_tarball, copy)
    digest = ("sha384", hashlib.sha384(copy.read_bytes()).hexdigest())
    assert pretrained.load_model(copy).labels is None                 # 체크섬이 다르면 이름을 모릅니다.
    _register(monkeypatch, replace(registry.MODELS["mobilenetv2_coco_voctrainaug"], checksum=digest))
    assert pretrained.load_model(copy).labels[15] == "person"
