"""Reliability of nn: model files (huge numbers, folders, file modes, a killed save's temp
files), fit's input checks before any epoch, and an optimizer given a parameter twice."""
import json
import os
import signal
import stat
import subprocess
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pytest

import nn
from autograd import Value, guards
from nn.serialization import ModelFileError

ROOT = Path(__file__).resolve().parents[1]


def _model():
    return nn.MLP(2, [3, 1], seed=0)


# --- model files -------------------------------------------------------------------------------

def test_a_5000_digit_integer_weight_is_a_model_file_error(tmp_path):
    path = _model().save(tmp_path / "m.json")
    text = Path(path).read_text()
    doc = json.loads(text)
    name = next(iter(doc["parameters"]))
    Path(path).write_text(text.replace(json.dumps(doc["parameters"][name]), "7" * 5000, 1))
    model = nn.MLP(2, [3, 1], seed=1)
    before = model.state_dict()
    with pytest.raises(ModelFileError, match="corrupt"):
        model.load(path)
    assert model.state_dict() == before
    with pytest.raises(ModelFileError):
        nn.MLP.load(path)


def test_a_folder_as_the_path_is_a_model_file_error(tmp_path):
    model = _model()
    before = model.state_dict()
    with pytest.raises(ModelFileError, match="folder"):
        model.load(tmp_path)
    with pytest.raises(ModelFileError, match="folder"):
        nn.MLP.load(tmp_path)
    assert model.state_dict() == before
    with pytest.raises(ModelFileError, match="folder"):
        model.save(tmp_path)
    assert os.listdir(tmp_path) == []


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
@pytest.mark.parametrize("umask", [0o022, 0o077, 0o002])
def test_a_new_file_gets_the_umask_mode(tmp_path, umask):
    old = os.umask(umask)
    try:
        path = _model().save(tmp_path / "m.json")
    finally:
        os.umask(old)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o666 & ~umask


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
@pytest.mark.parametrize("mode", [0o644, 0o600, 0o640, 0o664])
def test_an_existing_file_keeps_its_mode(tmp_path, mode):
    path = tmp_path / "m.json"
    path.write_text("{}")
    path.chmod(mode)
    _model().save(path)
    assert stat.S_IMODE(os.stat(path).st_mode) == mode
    assert nn.MLP.load(path).state_dict() == _model().state_dict()


def test_a_missing_folder_is_created(tmp_path):
    path = _model().save(tmp_path / "runs" / "1" / "m.json")
    assert nn.MLP.load(path).state_dict() == _model().state_dict()


SLOW_SAVE = """
import os, sys, time
sys.path.insert(0, sys.argv[2])
import nn
real_fsync = os.fsync
def fsync(fd):  # the temp file is written: say so, then hang until killed
    print("writing", flush=True)
    time.sleep(60)
os.fsync = fsync
nn.MLP(2, [3, 1], seed=0).save(sys.argv[1])
"""


def _hidden(folder):
    return sorted(p.name for p in Path(folder).iterdir() if p.name.startswith("."))


@pytest.mark.skipif(os.name != "posix", reason="kill -9")
def test_the_next_save_removes_what_a_killed_save_left(tmp_path):
    path = tmp_path / "m.json"
    child = subprocess.Popen([sys.executable, "-c", SLOW_SAVE, str(path), str(ROOT)],
                             stdout=subprocess.PIPE, text=True)
    assert child.stdout.readline().strip() == "writing"
    child.send_signal(signal.SIGKILL)
    child.wait()
    child.stdout.close()
    left = _hidden(tmp_path)
    assert len(left) == 1 and not path.exists()  # the killed save left its temp file, no model
    _model().save(path)
    assert _hidden(tmp_path) == []
    assert nn.MLP.load(path).state_dict() == _model().state_dict()


@pytest.mark.skipif(os.name != "posix", reason="process ids")
def test_temp_files_of_live_saves_and_other_files_are_left_alone(tmp_path):
    from nn import serialization
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        host = serialization.HOST
        live = f".m.json.save-{sleeper.pid}@{host}.0123abcd.tmp"        # a save still running
        other_host = ".m.json.save-1@elsewhere.0123abcd.tmp"          # a save on another machine
        other_file = f".n.json.save-999999@{host}.0123abcd.tmp"        # another file's save
        stranger = ".tmp-abc123.json"                                  # not made by a save
        old_other_host = ".m.json.save-2@elsewhere.0123abcd.tmp"      # left over a day ago
        for name in (live, other_host, other_file, stranger, old_other_host):
            (tmp_path / name).write_text("{}")
        day_ago = time.time() - serialization.STALE_AFTER - 60
        os.utime(tmp_path / old_other_host, (day_ago, day_ago))
        _model().save(tmp_path / "m.json")
        assert _hidden(tmp_path) == sorted([live, other_host, other_file, stranger])
    finally:
        sleeper.kill()
        sleeper.wait()


# --- fit checks its inputs before the first epoch ----------------------------------------------

def _data(n=20, seed=0):
    X = np.random.default_rng(seed).normal(size=(n, 2))
    return X, (X[:, 0] > 0).astype(float)


@pytest.mark.parametrize("val, says", [
    ((np.zeros((5, 3)), np.zeros(5)), "val"),
    ((np.zeros((0, 2)), np.zeros(0)), "validation set is empty"),
    ((np.zeros((5, 2)), np.zeros(4)), "5 samples but y has 4"),
    ((np.zeros((5, 2)),), "val"),
])
@pytest.mark.parametrize("batched", [None, False])
def test_a_bad_validation_set_is_refused_before_any_epoch(val, says, batched):
    model = _model()
    opt = nn.optim.SGD(model.parameters(), lr=0.1)
    before = model.state_dict()
    with pytest.raises(ValueError, match=says):
        nn.fit(model, "mse", opt, _data(), val=val, epochs=3, progress=False, batched=batched)
    assert model.state_dict() == before


def test_an_empty_training_set_is_reported_as_such():
    model = _model()
    with pytest.raises(ValueError, match="training set is empty") as err:
        nn.fit(model, "mse", nn.optim.SGD(model.parameters(), lr=0.1), (np.zeros((0, 2)), np.zeros(0)),
               epochs=1, progress=False)
    assert "batch_size" not in str(err.value)


def test_a_training_set_with_the_wrong_number_of_features_is_refused_before_any_epoch():
    model = _model()
    before = model.state_dict()
    with pytest.raises(ValueError, match=r"training set \(train\) does not fit the model.*\(1, 3\)"):
        nn.fit(model, "mse", nn.optim.SGD(model.parameters(), lr=0.1), (np.zeros((4, 3)), np.zeros(4)),
               epochs=1, progress=False)
    assert model.state_dict() == before


@pytest.mark.parametrize("patience", [np.int64(2), np.int32(1), np.uint8(3), 2])
def test_early_stopping_accepts_numpy_integers(patience):
    model = _model()
    X, y = _data()
    h = nn.fit(model, "mse", nn.optim.SGD(model.parameters(), lr=0.1), (X, y), val=(X, y),
               epochs=np.int64(4), batch_size=np.int64(5), early_stopping=patience, progress=False)
    assert h.epochs == [1, 2, 3, 4] or h.stopped_epoch is not None


@pytest.mark.parametrize("patience", [True, 1.5, 0, -1, "2", np.float64(2.0)])
def test_early_stopping_refuses_what_is_not_a_count(patience):
    model = _model()
    with pytest.raises(ValueError, match="early_stopping"):
        nn.fit(model, "mse", nn.optim.SGD(model.parameters(), lr=0.1), _data(), val=_data(),
               early_stopping=patience, progress=False)


@pytest.mark.parametrize("loss, nout", [("cross_entropy", 2), ("bce_with_logits", 1), ("mse", 1)])
def test_bool_labels_train_the_same_batched_and_per_sample(loss, nout):
    """Bool labels are 0/1 in both modes (they used to be refused per sample by cross_entropy)."""
    X, y = _data()
    labels = y.astype(bool)
    results = []
    for batched in (None, False):
        model = nn.MLP(2, [3, nout], seed=0)
        h = nn.fit(model, loss, nn.optim.SGD(model.parameters(), lr=0.1), (X, labels), val=(X, labels),
                   epochs=2, batch_size=5, metric="accuracy", progress=False, batched=batched)
        ref = nn.MLP(2, [3, nout], seed=0)
        h_ref = nn.fit(ref, loss, nn.optim.SGD(ref.parameters(), lr=0.1), (X, y.astype(int)),
                       val=(X, y.astype(int)), epochs=2, batch_size=5, metric="accuracy",
                       progress=False, batched=batched)
        assert np.allclose(h.train_loss, h_ref.train_loss) and np.allclose(h.val_metric, h_ref.val_metric)
        results.append(h.train_loss)
    assert np.allclose(results[0], results[1], rtol=1e-9)


# --- an optimizer given the same parameter twice ---------------------------------------------

@pytest.mark.parametrize("make", [
    lambda ps, **kw: nn.optim.SGD(ps, lr=0.1, **kw),
    lambda ps, **kw: nn.optim.SGD(ps, lr=0.1, momentum=0.9, **kw),
    lambda ps, **kw: nn.optim.Adam(ps, lr=0.1, **kw),
])
def test_a_duplicated_parameter_warns_once_and_is_stepped_once(make):
    w = Value(1.0, label="w")
    b = Value(0.5, label="b")
    with pytest.warns(UserWarning, match=r"duplicate parameters.*'w'") as rec:
        opt = make([w, b, w])
    assert len(rec) == 1
    assert opt.params == [w, b]
    single = make([Value(1.0, label="w"), Value(0.5, label="b")])
    for _ in range(3):
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # no "not zeroed since the previous step()"
            for o, (x, y) in ((opt, (w, b)), (single, single.params)):
                o.zero_grad()
                ((x * x + y) * 2.0).backward()
                o.step()
    assert w.data == single.params[0].data and b.data == single.params[1].data


def test_a_model_and_its_parameters_twice_names_them():
    model = _model()
    with pytest.warns(UserWarning, match="duplicate parameters") as rec:
        opt = nn.optim.SGD(model.parameters() + model.parameters()[:5], lr=0.1)
    assert opt.params == model.parameters()
    message = str(rec[0].message)
    assert "'layers.0.neurons.0.w.0', 'layers.0.neurons.0.w.1', 'layers.0.neurons.0.b' and 2 more" in message
    assert "5 repeated among 18" in message


def test_the_not_zeroed_guard_still_fires_without_duplicates():
    w = Value(1.0, label="w")
    opt = nn.optim.SGD([w], lr=0.1)
    (w * w).backward()
    opt.step()
    (w * w).backward()
    with pytest.warns(guards.TeachingWarning, match="not zeroed"):
        opt.step()
