"""Fuzzing model files: truncated, tampered and hostile files are refused with a ModelFileError,
never hang, never run code, and a failed load leaves the model as it was. Saving is atomic:
a crash mid-write never leaves a half-written file in place of a good one."""
import contextlib
import json
import os
import pickle
import signal
import subprocess
import sys
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

nn = pytest.importorskip("nn")
serialization = pytest.importorskip("nn.serialization")
ModelFileError = serialization.ModelFileError

PROFILE = {"ci": dict(max_examples=100, derandomize=True), "large": dict(max_examples=5000)}[
    os.environ.get("SCALARGRAD_HYPOTHESIS", "ci")]
SETTINGS = settings(deadline=None, suppress_health_check=list(HealthCheck), database=None, **PROFILE)


@contextlib.contextmanager
def no_hang(seconds=20):
    def hung(signum, frame):
        raise AssertionError(f"no answer within {seconds} s: the loader hangs")
    old = signal.signal(signal.SIGALRM, hung)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    """(model, path, bytes) of a small saved MLP."""
    path = tmp_path_factory.mktemp("model") / "mlp.json"
    model = nn.MLP(2, [3, 1], seed=0)
    model.save(path)
    return model, path, path.read_bytes()


def load_both_ways(model, path):
    """Load into ``model`` and as a new model; each either works or raises ModelFileError,
    and a failed load into ``model`` leaves it exactly as it was."""
    before = model.state_dict()
    with no_hang():
        try:
            model.load(path)
        except ModelFileError as e:
            assert str(e).strip()
            assert model.state_dict() == before, "a failed load changed the model"
        else:
            model.load_state_dict(before)  # the tampered file happened to be valid: undo
        try:
            fresh = type(model).load(path)
        except ModelFileError:
            pass
        else:
            assert all(map(_finite, fresh.state_dict().values()))


def _finite(x) -> bool:
    return x - x == 0


# --- tampered files ---------------------------------------------------------------------------

HOSTILE_LITERALS = [b"NaN", b"Infinity", b"-Infinity", b"1e999", b"-1e999", b'"0.5"', b"null", b"true",
                    b"[]", b"{}", b'{"__class__": "os.system"}', b"\"\\ud800\"", b"0.5e", b"--1"]


@st.composite
def tampered(draw, data: bytes):
    kind = draw(st.sampled_from(["truncate", "flip", "insert", "delete", "literal"]))
    i = draw(st.integers(0, len(data) - 1))
    if kind == "truncate":
        return data[:i]
    if kind == "flip":
        return data[:i] + bytes([data[i] ^ draw(st.integers(1, 255))]) + data[i + 1:]
    if kind == "insert":
        return data[:i] + draw(st.binary(min_size=1, max_size=8)) + data[i:]
    if kind == "delete":
        return data[:i] + data[i + draw(st.integers(1, 40)):]
    # a number of the file replaced by a hostile literal
    starts = [k for k in range(1, len(data)) if data[k:k + 1] in b"-0123456789" and data[k - 1:k] in b" :["]
    k = starts[i % len(starts)]
    end = k
    while end < len(data) and data[end:end + 1] in b"-+.eE0123456789":
        end += 1
    return data[:k] + draw(st.sampled_from(HOSTILE_LITERALS)) + data[end:]


def test_the_untampered_file_loads(saved):
    model, path, data = saved
    fresh = nn.MLP.load(path)
    assert fresh.state_dict() == model.state_dict()


@SETTINGS
@given(st.data())
def test_tampered_files_are_refused_or_load_cleanly(saved, tmp_path_factory, data):
    model, _, original = saved
    path = tmp_path_factory.mktemp("tampered") / "m.json"
    path.write_bytes(data.draw(tampered(original)))
    load_both_ways(model, path)


@SETTINGS
@given(st.binary(max_size=400))
def test_random_bytes_are_refused(saved, tmp_path_factory, raw):
    model, _, _ = saved
    path = tmp_path_factory.mktemp("random") / "m.json"
    path.write_bytes(raw)
    load_both_ways(model, path)


def variants(doc):
    """Hostile edits of a valid document, each a (name, document) pair."""
    params = doc["parameters"]
    first = next(iter(params))
    config = doc["config"]
    yield "no format tag", {k: v for k, v in doc.items() if k != "format"}
    yield "other format", {**doc, "format": "pickle"}
    yield "future version", {**doc, "version": 99}
    yield "class is code", {**doc, "class": "__import__('os').system('true')"}
    yield "unknown class", {**doc, "class": "Sequential2"}
    yield "parameters a list", {**doc, "parameters": list(params.values())}
    yield "parameter a string", {**doc, "parameters": {**params, first: "0.5"}}
    yield "parameter a bool", {**doc, "parameters": {**params, first: True}}
    yield "parameter nested", {**doc, "parameters": {**params, first: [0.5]}}
    yield "parameter missing", {**doc, "parameters": dict(list(params.items())[1:])}
    yield "parameter extra", {**doc, "parameters": {**params, "layers.9.w.0": 1.0}}
    yield "config unknown key", {**doc, "config": {**config, "evil": 1}}
    yield "config negative size", {**doc, "config": {**config, "sizes": [-3, 1]}}
    yield "config other shape", {**doc, "config": {**config, "sizes": [4, 1]}}
    yield "config activation is code", {**doc, "config": {**config, "activation": "__import__('os')"}}
    yield "top level a list", [doc]


def test_hostile_documents_are_refused(saved, tmp_path):
    model, _, original = saved
    doc = json.loads(original)
    for name, bad in variants(doc):
        path = tmp_path / "m.json"
        path.write_text(json.dumps(bad))
        before = model.state_dict()
        with pytest.raises(ModelFileError), no_hang():
            model.load(path)
            nn.MLP.load(path)  # (the first load already raised if the file was bad)
        assert model.state_dict() == before, name


def test_nan_and_inf_parameters_are_refused(saved, tmp_path):
    model, _, original = saved
    for literal in ("NaN", "Infinity", "-Infinity", "1e999"):
        path = tmp_path / "m.json"
        doc = json.loads(original)
        name = next(iter(doc["parameters"]))
        doc["parameters"][name] = "PLACEHOLDER"
        path.write_text(json.dumps(doc).replace('"PLACEHOLDER"', literal))
        with pytest.raises(ModelFileError, match="finite"):
            model.load(path)


def test_a_pickle_is_refused_and_never_run(saved, tmp_path):
    model, _, _ = saved
    sentinel = tmp_path / "ran"
    payload = pickle.dumps(_Evil(str(sentinel)))
    path = tmp_path / "m.json"
    path.write_bytes(payload)
    with pytest.raises(ModelFileError):
        model.load(path)
    assert not sentinel.exists()


class _Evil:
    def __init__(self, target):
        self.target = target

    def __reduce__(self):
        return (open, (self.target, "w"))


def test_missing_file_and_folder(saved, tmp_path):
    model, _, _ = saved
    with pytest.raises(ModelFileError, match="no model file"):
        model.load(tmp_path / "nope.json")
    with pytest.raises((ModelFileError, IsADirectoryError, PermissionError)):
        model.load(tmp_path)  # a folder: the OS's own error names it


# --- hostile shapes: deep nesting, huge numbers, a huge config, a config of the wrong type

def test_deeply_nested_json_is_a_model_file_error(saved, tmp_path):
    model, _, _ = saved
    path = tmp_path / "m.json"
    path.write_text("[" * 100_000 + "]" * 100_000)
    with pytest.raises(ModelFileError):
        model.load(path)


def test_huge_integer_parameter_is_a_model_file_error(saved, tmp_path):
    model, _, original = saved
    doc = json.loads(original)
    doc["parameters"] = {k: 10 ** 400 for k in doc["parameters"]}
    path = tmp_path / "m.json"
    path.write_text(json.dumps(doc))
    with pytest.raises(ModelFileError):
        model.load(path)


def test_huge_config_is_refused_before_building(saved, tmp_path, monkeypatch):
    module = pytest.importorskip("nn.module")
    _, _, original = saved
    doc = json.loads(original)
    doc["config"]["sizes"] = [10 ** 4, 10 ** 4, 1]
    path = tmp_path / "m.json"
    path.write_text(json.dumps(doc))

    class Spy(nn.MLP):  # stands in for MLP: building it is the failure
        def __init__(self, *args, **kwargs):
            raise AssertionError(f"a model was built from the unchecked config {kwargs}")

    module.REGISTRY.pop("Spy", None)  # defining a Module subclass registers it
    monkeypatch.setitem(module.REGISTRY, "MLP", Spy)
    with pytest.raises(ModelFileError):
        nn.MLP.load(path)


def test_config_not_a_dict_is_a_model_file_error(saved, tmp_path):
    model, _, original = saved
    doc = json.loads(original)
    doc["config"] = "MLP(2, [3, 1])"
    path = tmp_path / "m.json"
    path.write_text(json.dumps(doc))
    with pytest.raises(ModelFileError):
        model.load(path)


# --- atomic save ------------------------------------------------------------------------------

@pytest.mark.parametrize("fail_in", ["replace", "fsync", "write"])
def test_a_failed_save_leaves_the_old_file_and_no_temp_file(tmp_path, monkeypatch, fail_in):
    path = tmp_path / "model.json"
    old = nn.MLP(2, [3, 1], seed=0)
    old.save(path)
    good = path.read_bytes()

    def crash(*args, **kwargs):
        raise OSError(28, "No space left on device")

    if fail_in == "write":
        monkeypatch.setattr(serialization.json, "dumps", lambda *a, **k: "{\"half\": ")
        monkeypatch.setattr(serialization.os, "fsync", crash)
    else:
        monkeypatch.setattr(serialization.os, fail_in, crash)
    with pytest.raises(OSError):
        nn.MLP(2, [3, 1], seed=1).save(path)
    monkeypatch.undo()
    assert path.read_bytes() == good
    assert os.listdir(tmp_path) == ["model.json"]
    assert nn.MLP.load(path).state_dict() == old.state_dict()


def test_saving_non_finite_parameters_is_refused_and_keeps_the_old_file(tmp_path):
    path = tmp_path / "model.json"
    model = nn.MLP(2, [3, 1], seed=0)
    model.save(path)
    good = path.read_bytes()
    next(iter(model.parameters())).data = float("nan")
    with pytest.raises(ValueError, match="non-finite|diverged"):
        model.save(path)
    assert path.read_bytes() == good


WRITER = """
import sys, nn
a, b = nn.MLP(4, [32, 32, 1], seed=1), nn.MLP(4, [32, 32, 1], seed=2)
print("ready", flush=True)
while True:
    a.save(sys.argv[1])
    b.save(sys.argv[1])
"""


def test_killing_the_process_mid_save_never_leaves_a_broken_file(tmp_path):
    path = tmp_path / "model.json"
    a, b = nn.MLP(4, [32, 32, 1], seed=1), nn.MLP(4, [32, 32, 1], seed=2)
    a.save(path)
    states = [a.state_dict(), b.state_dict()]
    for delay in (0.05, 0.11, 0.17, 0.23, 0.31):
        proc = subprocess.Popen([sys.executable, "-c", WRITER, str(path)], stdout=subprocess.PIPE,
                                cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
        assert proc.stdout.readline().strip() == b"ready"
        time.sleep(delay)
        proc.kill()  # SIGKILL: no cleanup runs, as in a power cut
        proc.wait()
        proc.stdout.close()
        assert nn.MLP.load(path).state_dict() in states
