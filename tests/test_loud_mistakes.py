"""A student's likely mistakes in training code are loud: each case here was silent (or
said the wrong thing) before."""
import math
import warnings

import numpy as np
import pytest

import nn
from autograd import Value


def _logit_data(seed=0, n=200):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 2))
    y = (X[:, 0] + 0.5 * X[:, 1] > 0.3).astype(float)
    return X, y


def test_fit_accuracy_thresholds_logits_at_zero():
    X, y = _logit_data()
    model = nn.MLP(2, [4, 1], activation="tanh", seed=1)
    hist = nn.fit(model, nn.binary_cross_entropy_with_logits, nn.optim.SGD(model.parameters(), lr=0.5),
                  (X, y), val=(X, y), epochs=3, metric="accuracy", progress=False)
    model.eval()
    logits = np.array([model(row.tolist()).data for row in X])
    true_acc = float(np.mean((logits > 0) == (y == 1)))
    assert hist.val_metric[-1] == pytest.approx(true_acc)
    # and the 0.5 cut would have given another number here (the case that was silently wrong)
    assert float(np.mean((logits > 0.5) == (y == 1))) != pytest.approx(true_acc)


def test_accuracy_warns_for_logits_without_threshold():
    with pytest.warns(UserWarning, match="threshold=0"):
        acc = nn.accuracy([-2.0, 0.3, 1.7], [0, 1, 1])
    assert acc == pytest.approx(2 / 3)  # it still does what it said: > 0.5
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert nn.accuracy([-2.0, 0.3, 1.7], [0, 1, 1], threshold=0) == 1.0
        assert nn.accuracy([0.1, 0.7, 0.9], [0, 1, 1]) == 1.0  # probabilities: no warning


def test_early_stopping_without_validation_data_is_an_error():
    X, y = _logit_data(n=20)
    model = nn.MLP(2, [1], seed=0)
    before = [p.data for p in model.parameters()]
    with pytest.raises(ValueError, match="val="):
        nn.fit(model, "mse", nn.optim.SGD(model.parameters(), lr=0.1), (X, y), epochs=3,
               early_stopping=2, progress=False)
    assert [p.data for p in model.parameters()] == before  # nothing trained


@pytest.mark.parametrize("batched", [False, True])
def test_cross_entropy_warns_for_probabilities(batched):
    probs = np.array([[0.7, 0.2, 0.1], [0.1, 0.1, 0.8]])
    targets = [0, 2]
    if batched:
        logits = [Value.batch(probs[:, j]) for j in range(3)]
    else:
        logits = [[Value(p) for p in row] for row in probs]
    with pytest.warns(UserWarning, match="probabilities"):
        nn.cross_entropy(logits, targets)


def test_cross_entropy_quiet_for_logits():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        nn.cross_entropy([[Value(2.0), Value(-1.0), Value(0.5)]], [0])
        nn.cross_entropy([[Value(0.2), Value(0.3), Value(0.1)]], [0])  # ≥ 0 but sums to 0.6


def test_rmse_loss_gradient_is_finite_at_zero_error():
    w = Value(2.0)
    loss = nn.rmse_loss([w * 1.5], [3.0])
    loss.backward()
    assert loss.data == 0.0
    assert math.isfinite(w.grad) and w.grad == 0.0
    # away from zero it is still sqrt(mse): d/dw |1.5w - 3| = 1.5 at w = 3
    w2 = Value(3.0)
    nn.rmse_loss([w2 * 1.5], [3.0]).backward()
    assert w2.grad == pytest.approx(1.5)


@pytest.mark.parametrize("loss", [nn.logistic_loss, nn.hinge_loss])
def test_pm1_losses_name_the_set(loss):
    with pytest.raises(ValueError) as e:
        loss([Value(0.3), Value(-0.2)], [0, 1])
    msg = str(e.value)
    assert "{-1, +1}" in msg and "got 0" in msg and "[-1.0, 1.0]" not in msg


def test_history_has_one_loss_per_step():
    X, y = _logit_data(n=24)
    model = nn.MLP(2, [1], seed=0)
    hist = nn.fit(model, "mse", nn.optim.SGD(model.parameters(), lr=0.01), (X, y), epochs=2,
                  batch_size=8, progress=False)
    assert hist.steps_per_epoch == [3, 3]
    assert len(hist.step_loss) == 6
    # the epoch's loss is the mean of its steps' losses (equal batch sizes)
    assert hist.train_loss[0] == pytest.approx(np.mean(hist.step_loss[:3]))
    assert len(set(hist.step_loss)) > 1
