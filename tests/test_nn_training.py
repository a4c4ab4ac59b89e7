"""Training end to end: moons, XOR, regression, early stopping, dropout modes, model files."""
import json

import numpy as np
import pytest

import nn
from autograd import no_grad
from nn import data


def test_moons_reach_97_percent_training_accuracy():
    X, y = data.make_moons(100, noise=0.1, seed=0)
    y = data.to_pm1(y)
    model = nn.MLP(2, [16, 16, 1], seed=0)
    opt = nn.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    hist = nn.fit(model, nn.hinge_loss, opt, (X, y), epochs=60, metric="accuracy", l2=1e-4, progress=False)
    assert nn.accuracy(model.predict(X), y) >= 0.97
    assert hist.train_loss[-1] < hist.train_loss[0] and hist.metric_name == "accuracy"
    assert len(hist.train_loss) == len(hist.train_metric) == len(hist.lr) == 60 and hist.epochs[0] == 1


def test_xor_is_solved():
    X, y = data.make_xor()
    model = nn.MLP(2, [4, 1], activation="tanh", output_activation="sigmoid", seed=0)
    nn.fit(model, "bce", nn.optim.Adam(model.parameters(), lr=0.1), (X, y), epochs=200, progress=False)
    assert (np.where(model.predict(X) > 0.5, 1, 0) == y).all()


def test_regression_fit_reaches_stated_mse():
    X, y = data.make_curve(40, noise=0.05, seed=0)
    model = nn.MLP(1, [16, 1], activation="tanh", init="xavier", seed=0)
    hist = nn.fit(model, nn.mse_loss, nn.optim.Adam(model.parameters(), lr=0.03), (X.tolist(), y.tolist()),
                  epochs=300, metric="mse", progress=False)
    assert nn.mean_squared_error(model.predict(X), y) < 0.01  # noise variance is 0.0025
    assert hist.train_metric[-1] == pytest.approx(hist.train_loss[-1])


def test_early_stopping_stops_where_validation_says_and_restores_best():
    X, y = data.make_blobs(40, centers=[[-1, -1], [1, 1]], std=0.3, seed=0)
    y = data.to_pm1(y)
    model = nn.MLP(2, [4, 1], seed=0)
    opt = nn.optim.SGD(model.parameters(), lr=0.05)
    # validation labels are the opposite of training ones: validation loss gets worse as training works
    hist = nn.fit(model, nn.logistic_loss, opt, (X, y), val=(X, -y), epochs=50, early_stopping=3,
                  metric="accuracy", progress=False)
    best = int(np.argmin(hist.val_loss)) + 1
    assert hist.best_epoch == best
    assert hist.stopped_epoch == best + 3 == len(hist.val_loss) < 50
    with no_grad():
        restored = nn.logistic_loss([model(x) for x in X.tolist()], (-y).tolist()).data
    assert restored == pytest.approx(hist.val_loss[best - 1], rel=1e-12)
    assert len(hist.val_metric) == len(hist.val_loss)


def test_minibatch_steps_and_scheduler():
    X, y = data.make_moons(20, seed=1)
    model = nn.MLP(2, [3, 1], seed=0)
    opt = nn.optim.SGD(model.parameters(), lr=0.1)
    calls = []
    step = opt.step
    opt.step = lambda: (calls.append(1), step())
    sched = nn.optim.StepLR(opt, step_size=1, gamma=0.5)
    hist = nn.fit(model, "hinge", opt, (X, data.to_pm1(y)), epochs=3, batch_size=6, scheduler=sched, progress=False)
    assert len(calls) == 3 * 4  # ⌈20 / 6⌉ steps per epoch
    assert hist.lr == pytest.approx([0.1, 0.05, 0.025])


def test_dropout_active_in_training_only():
    model = nn.MLP(2, [64, 64, 1], dropout=0.5, seed=0)
    x = [0.4, -0.2]
    train_outs = {model(x).data for _ in range(5)}
    assert len(train_outs) > 1  # a new mask each call
    model.eval()
    assert len({model(x).data for _ in range(5)}) == 1
    no_dropout = nn.MLP(2, [64, 64, 1], seed=0)
    assert model(x).data == no_dropout(x).data


def test_fit_is_quiet_unless_asked(capsys):
    X, y = data.make_xor()
    model = nn.MLP(2, [2, 1], seed=0)
    nn.fit(model, "mse", nn.optim.SGD(model.parameters(), lr=0.1), (X, y), epochs=2)
    assert capsys.readouterr().err == ""  # not a terminal: no progress bar
    nn.fit(model, "mse", nn.optim.SGD(model.parameters(), lr=0.1), (X, y), epochs=2, progress=True)
    assert "2/2" in capsys.readouterr().err


def test_save_load_identical_predictions(tmp_path):
    X, _ = data.make_moons(20, seed=0)
    model = nn.MLP(2, [5, 3], activation="tanh", output_activation="sigmoid", init="he", seed=4)
    path = model.save(tmp_path / "model.json")
    doc = json.loads(open(path).read())
    assert doc["format"] == "scalargrad-model" and doc["class"] == "MLP"
    assert doc["config"]["sizes"] == [5, 3] and "layers.0.neurons.4.w.1" in doc["parameters"]
    again = nn.MLP.load(path)
    assert isinstance(again, nn.MLP) and (again.predict(X) == model.predict(X)).all()
    same_shape = nn.MLP(2, [5, 3], activation="tanh", output_activation="sigmoid", seed=9)
    assert same_shape.load(path) is same_shape and (same_shape.predict(X) == model.predict(X)).all()
    assert isinstance(nn.Module.load(path), nn.MLP)
    assert [p.label for p in again.parameters()] == [n for n, _ in again.named_parameters()]


def _corruptions(good: str):
    doc = json.loads(good)
    nan = json.loads(good)
    nan["parameters"]["layers.0.neurons.0.b"] = "0.5"
    missing = json.loads(good)
    del missing["parameters"]["layers.1.neurons.0.w.2"]
    tag = dict(doc, format="other")
    return {
        "truncated": good[: len(good) // 2],
        "not json": "hello",
        "wrong tag": json.dumps(tag),
        "string value": json.dumps(nan),
        "missing parameter": json.dumps(missing),
        "other shape": json.dumps(dict(doc, config=dict(doc["config"], sizes=[2, 1]))),
        "empty": "",
    }


@pytest.mark.parametrize("case", ["truncated", "not json", "wrong tag", "string value", "missing parameter",
                                  "other shape", "empty"])
def test_corrupt_or_mismatched_files_are_refused(tmp_path, case):
    model = nn.MLP(2, [3, 1], seed=0)
    good = open(model.save(tmp_path / "m.json")).read()
    bad = tmp_path / "bad.json"
    bad.write_text(_corruptions(good)[case])
    target = nn.MLP(2, [3, 1], seed=1)
    before = target.state_dict()
    with pytest.raises(nn.ModelFileError):
        target.load(bad)
    assert target.state_dict() == before
    with pytest.raises(nn.ModelFileError):
        nn.MLP.load(bad)


def test_loading_into_another_shape_or_class_is_refused(tmp_path):
    path = nn.MLP(2, [3, 1], seed=0).save(tmp_path / "m.json")
    for other in (nn.MLP(2, [4, 1]), nn.MLP(2, [3, 1], activation="tanh"), nn.Layer(2, 3)):
        before = other.state_dict()
        with pytest.raises(nn.ModelFileError, match="MLP|config"):
            other.load(path)
        assert other.state_dict() == before
    with pytest.raises(nn.ModelFileError, match="no model file"):
        nn.MLP.load(tmp_path / "missing.json")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.json"]  # no temp files left behind


def test_files_of_other_modules(tmp_path):
    X, y = data.make_blobs(20, centers=[[-2, 0], [2, 0]], std=0.3, seed=0)
    p = nn.Perceptron(2)
    p.fit(X, data.to_pm1(y))
    again = nn.Perceptron.load(p.save(tmp_path / "p.json"))
    assert (again.predict(X) == p.predict(X)).all() and again.w[0].data == p.w[0].data
    seq = nn.Sequential(nn.Layer(2, 3, seed=0), nn.Residual(nn.Layer(3, 3, activation="tanh", seed=1)))
    path = seq.save(tmp_path / "s.json")
    other = nn.Sequential(nn.Layer(2, 3, seed=5), nn.Residual(nn.Layer(3, 3, activation="tanh", seed=6)))
    other.load(path)
    assert [v.data for v in other([0.5, 0.1])] == [v.data for v in seq([0.5, 0.1])]
    with pytest.raises(nn.ModelFileError, match="model.load"):
        nn.Sequential.load(path)  # no config: build the model, then load into it
