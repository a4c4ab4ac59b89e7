"""Losses, softmax and activations: against central differences always, PyTorch (float64) if installed."""
import math

import numpy as np
import pytest

import nn
from autograd import Value, gradcheck

P = [0.2, 0.9, 0.6, 0.35]           # predictions (probabilities where needed)
T = [0.0, 1.0, 0.5, 1.0]            # regression / probability targets
Y01 = [0, 1, 1, 0]
YPM = [-1, 1, 1, -1]
S = [0.3, -1.7, 2.2, -0.4]          # scores / logits

# name -> (loss on a list of Values, inputs, torch version on a float64 tensor)
CASES = {
    "mse_loss": (lambda v: nn.mse_loss(v, T), P, lambda t, F: F.mse_loss(t, _t(T))),
    "mae_loss": (lambda v: nn.mae_loss(v, T), P, lambda t, F: F.l1_loss(t, _t(T))),
    "rmse_loss": (lambda v: nn.rmse_loss(v, T), P, lambda t, F: F.mse_loss(t, _t(T)).sqrt()),
    "binary_cross_entropy": (lambda v: nn.binary_cross_entropy(v, T), P,
                             lambda t, F: F.binary_cross_entropy(t, _t(T))),
    "binary_cross_entropy_with_logits": (lambda v: nn.binary_cross_entropy_with_logits(v, Y01), S,
                                         lambda t, F: F.binary_cross_entropy_with_logits(t, _t(Y01))),
    "hinge_loss": (lambda v: nn.hinge_loss(v, YPM), S,
                   lambda t, F: (1 - _t(YPM) * t).clamp(min=0).mean()),
    "logistic_loss": (lambda v: nn.logistic_loss(v, YPM), S,
                      lambda t, F: F.softplus(-_t(YPM) * t).mean()),
    "cross_entropy": (lambda v: nn.cross_entropy([v[:2] + [v[2]], [v[3], v[0], v[2]]], [2, 0]), S,
                      lambda t, F: F.cross_entropy(_stack(t), _t([2, 0]).long())),
    "nll_loss": (lambda v: nn.nll_loss([v[:3], v[1:]], [1, 2]), S,
                 lambda t, F: F.nll_loss(__import__("torch").stack([t[:3], t[1:]]), _t([1, 2]).long())),
}


def _t(x):
    import torch

    return torch.tensor(x, dtype=torch.float64)


def _stack(t):
    import torch

    return torch.stack([t[:3], torch.stack([t[3], t[0], t[2]])])


@pytest.mark.parametrize("name", CASES)
def test_loss_gradcheck(name):
    f, x, _ = CASES[name]
    assert gradcheck(lambda *v: f(list(v)), x)


@pytest.mark.parametrize("name", CASES)
def test_loss_against_torch(name):
    torch = pytest.importorskip("torch")
    F = torch.nn.functional
    f, x, tf = CASES[name]
    vs = [Value(v) for v in x]
    out = f(vs)
    out.backward()
    t = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    ref = tf(t, F)
    ref.backward()
    assert out.data == pytest.approx(ref.item(), rel=1e-12, abs=1e-14)
    assert [v.grad for v in vs] == pytest.approx(t.grad.tolist(), rel=1e-10, abs=1e-14)


ACTS = {"sigmoid": "sigmoid", "tanh": "tanh", "relu": "relu", "leaky_relu": "leaky_relu",
        "identity": None, "step": None}


@pytest.mark.parametrize("name", list(ACTS))
def test_activation_against_torch_and_differences(name):
    fn = nn.ACTIVATIONS[name]
    xs = [-2.5, -0.3, 0.4, 3.0]
    for x in xs:
        assert gradcheck(lambda v: fn(v) * 1.0, [x])
    torch = pytest.importorskip("torch")
    t = torch.tensor(xs, dtype=torch.float64, requires_grad=True)
    ref = {"sigmoid": torch.sigmoid, "tanh": torch.tanh, "relu": torch.relu,
           "leaky_relu": torch.nn.functional.leaky_relu, "identity": lambda u: u * 1.0,
           "step": lambda u: torch.heaviside(u, torch.tensor(0.0, dtype=torch.float64)).detach() + 0 * u}[name](t)
    ref.sum().backward()
    vals = [fn(Value(x)) for x in xs]
    for v in vals:
        v.backward()
    assert [v.data for v in vals] == pytest.approx(ref.tolist(), rel=1e-12)
    assert [nn.activations.derivative(name, x) for x in xs] == pytest.approx(t.grad.tolist(), rel=1e-12)


def test_softmax_stable_and_against_torch():
    logits = [Value(1000.0), Value(999.0), Value(-1000.0)]
    probs = nn.softmax(logits)
    assert sum(p.data for p in probs) == pytest.approx(1.0)
    assert probs[0].data == pytest.approx(1 / (1 + math.exp(-1)))
    logp = nn.log_softmax(logits)
    assert logp[2].data == pytest.approx(-2000.0 - math.log(1 + math.exp(-1)))
    assert math.isfinite(nn.cross_entropy([logits], [2]).data)
    assert gradcheck(lambda a, b, c: nn.softmax([a, b, c])[1], [1000.0, 999.5, 998.0])
    assert gradcheck(lambda a, b, c: nn.log_softmax([a, b, c])[0], [3.0, -1.0, 0.5])
    torch = pytest.importorskip("torch")
    x = [0.5, -1.2, 1000.0, 3.3]
    t = torch.tensor(x, dtype=torch.float64)
    assert [p.data for p in nn.softmax(x)] == pytest.approx(torch.softmax(t, 0).tolist(), rel=1e-12, abs=1e-300)
    assert [p.data for p in nn.log_softmax(x)] == pytest.approx(torch.log_softmax(t, 0).tolist(), rel=1e-12)


def test_bce_at_certain_probabilities_and_bad_input():
    assert nn.binary_cross_entropy([Value(1.0), Value(0.0)], [1, 0]).data == 0.0
    assert nn.binary_cross_entropy([Value(0.0)], [1]).data == pytest.approx(100.0)  # clamp as PyTorch
    with pytest.raises(ValueError, match="with_logits"):
        nn.binary_cross_entropy([Value(2.0)], [1])
    with pytest.raises(ValueError, match="to_pm1"):
        nn.hinge_loss([Value(0.5)], [0])
    with pytest.raises(ValueError, match="class index"):
        nn.cross_entropy([[Value(1.0), Value(2.0)]], [2])
    with pytest.raises(ValueError, match="2 predictions but 1 targets"):
        nn.mse_loss([1.0, 2.0], [1.0])
    assert nn.mse_loss(Value(3.0), 1.0).data == 4.0
    assert nn.mse_loss([1.0, 2.0], np.array([1.0, 4.0])).data == 2.0


def test_l2_penalty_and_metrics():
    ps = [Value(1.0), Value(-2.0)]
    pen = nn.l2_penalty(ps, 0.1)
    pen.backward()
    assert pen.data == pytest.approx(0.5) and [p.grad for p in ps] == pytest.approx([0.2, -0.4])
    assert nn.accuracy([Value(0.3), Value(-1.0), Value(2.0)], [1, -1, -1]) == pytest.approx(2 / 3)
    assert nn.accuracy([0.3, 0.6], [1, 1]) == 0.5  # 0/1 targets: probabilities, threshold 0.5
    assert nn.accuracy([0.3, -0.1], [1, 0], threshold=0.0) == 1.0  # logits
    assert nn.accuracy([0.7, 0.2], [1, 0]) == 1.0
    assert nn.accuracy([[0.1, 0.9], [2.0, 1.0]], [1, 1]) == 0.5
    y = np.array([1.0, 2.0, 3.0])
    p = np.array([1.5, 2.0, 2.0])
    assert nn.mean_squared_error(p, y) == pytest.approx(np.mean((p - y) ** 2))
    assert nn.mean_absolute_error(p, y) == pytest.approx(0.5)
    assert nn.root_mean_squared_error(p, y) == pytest.approx(math.sqrt(1.25 / 3))
    assert nn.r2_score(y, y) == 1.0
