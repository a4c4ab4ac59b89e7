"""Modules: parameter names and labels, modes, state, init, Dropout, Residual, Perceptron."""
import math

import numpy as np
import pytest

import nn
from autograd import Value


def test_named_parameters_dotted_and_labels():
    model = nn.MLP(2, [3, 1], seed=0)
    names = [n for n, _ in model.named_parameters()]
    assert names[:3] == ["layers.0.neurons.0.w.0", "layers.0.neurons.0.w.1", "layers.0.neurons.0.b"]
    assert names[-1] == "layers.1.neurons.0.b"
    assert len(names) == len(set(names)) == 3 * 3 + 4
    assert all(p.label == n for n, p in model.named_parameters())
    assert model.parameters() == [p for _, p in model.named_parameters()]
    assert model([1.0, 2.0]).label == "layers.1.neurons.0"
    assert [n for n, _ in nn.Neuron(2).named_parameters()] == ["w.0", "w.1", "b"]


def test_outputs_single_value_or_list_and_inputs():
    m1 = nn.MLP(2, [4, 1], seed=0)
    m3 = nn.MLP(2, [4, 3], seed=0)
    assert isinstance(m1([1, 2]), Value)
    out = m3([1, 2])
    assert isinstance(out, list) and len(out) == 3
    same = m1(np.array([1.0, 2.0])).data
    assert m1([Value(1.0), 2]).data == same == m1((1, 2.0)).data
    with pytest.raises(ValueError, match="expects 2 inputs, got 3"):
        m1([1, 2, 3])
    with pytest.raises(ValueError, match="shape"):
        m1(np.ones((2, 3)))  # a batch (2-D) must have one column per input


def test_hidden_layer_of_width_one():
    model = nn.MLP(2, [1, 1, 3], activation="tanh", seed=1)
    out = model([0.5, -0.5])
    assert len(out) == 3
    sum(out).backward()
    assert model.layers[0].neurons[0].w[0].grad != 0.0
    assert isinstance(nn.Layer(2, 1)([1, 2]), Value)


def test_zero_grad_and_train_eval():
    model = nn.MLP(2, [3, 1], dropout=0.5, seed=0)
    model([1.0, 1.0]).backward()
    assert any(p.grad != 0 for p in model.parameters())
    model.zero_grad()
    assert all(p.grad == 0 for p in model.parameters())
    assert model.training and model.dropout.training
    assert model.eval() is model and not model.training and not model.dropout.training
    model.train()
    assert model.layers[1].neurons[0].training


def test_state_dict_roundtrip_and_refusals():
    a, b = nn.MLP(2, [3, 1], seed=0), nn.MLP(2, [3, 1], seed=1)
    b.load_state_dict(a.state_dict())
    assert b([0.3, 0.4]).data == a([0.3, 0.4]).data
    before = b.state_dict()
    bad = dict(a.state_dict())
    bad["layers.0.neurons.0.w.0"] = float("nan")
    with pytest.raises(ValueError, match="finite"):
        b.load_state_dict(bad)
    with pytest.raises(ValueError, match="missing 4"):
        b.load_state_dict(nn.MLP(2, [2, 1]).state_dict())
    assert b.state_dict() == before  # nothing half-updated


@pytest.mark.parametrize("init", ["uniform", "xavier", "he"])
def test_init_reproducible_and_scaled(init):
    a = nn.MLP(50, [40, 1], init=init, seed=7).state_dict()
    assert a == nn.MLP(50, [40, 1], init=init, seed=7).state_dict()
    assert a != nn.MLP(50, [40, 1], init=init, seed=8).state_dict()
    w = np.array([v for k, v in a.items() if k.startswith("layers.0") and ".w." in k])
    assert all(v == 0.0 for k, v in a.items() if k.endswith(".b"))
    expected_std = {"uniform": 1 / math.sqrt(3), "xavier": math.sqrt(2 / 90), "he": math.sqrt(2 / 50)}[init]
    assert w.std() == pytest.approx(expected_std, rel=0.1)
    with pytest.raises(ValueError, match="unknown init"):
        nn.MLP(2, [1], init="zeros")


def test_dropout_inverted_scaling_and_eval_identity():
    d = nn.Dropout(0.25, seed=0)
    xs = [Value(1.0) for _ in range(4000)]
    out = d(xs)
    kept = [o.data for o in out if o.data != 0.0]
    assert kept and all(v == pytest.approx(1 / 0.75) for v in kept)
    assert len(kept) / 4000 == pytest.approx(0.75, abs=0.03)
    assert sum(o.data for o in out) / 4000 == pytest.approx(1.0, abs=0.04)
    d.eval()
    assert d(xs) == xs
    model = nn.MLP(2, [32, 1], dropout=0.5, seed=0).eval()
    assert model([0.2, 0.3]).data == model([0.2, 0.3]).data
    with pytest.raises(ValueError):
        nn.Dropout(1.5)


def test_residual_adds_skip_and_helps_gradients():
    def first_grad(skip):
        layers = [nn.Layer(2, 2, activation="sigmoid", seed=i) for i in range(12)]
        blocks = [nn.Residual(layer) if skip else layer for layer in layers]
        model = nn.Sequential(*blocks)
        out = model([0.5, -0.5])
        sum(out).backward()
        return abs(model.parameters()[0].grad), model

    g_plain, _ = first_grad(False)
    g_skip, model = first_grad(True)
    assert g_skip > 100 * g_plain
    assert model.parameters()[0].label == "layers.0.block.neurons.0.w.0"
    block = nn.Layer(2, 2, activation="tanh", seed=0)
    x = [0.3, 0.6]
    y = nn.Residual(block)(x)
    assert [v.data for v in y] == pytest.approx([a + b.data for a, b in zip(x, block(x))])
    with pytest.raises(ValueError, match="as many outputs"):
        nn.Residual(nn.Layer(2, 3))([1, 2])


def test_perceptron_rule_separates_and_records_history():
    X, y = nn.data.make_blobs(60, centers=[[-2, -2], [2, 2]], std=0.5, seed=0)
    y = nn.data.to_pm1(y)
    p = nn.Perceptron(2)
    mistakes = p.fit(X, y, epochs=20)
    assert mistakes[-1] == 0 and mistakes[0] > 0
    assert (p.predict(X) == y).all()
    assert len(p.history) == sum(mistakes) + 1 and (p.history[0] == 0).all()
    # each update is w <- w + y x on a sample it got wrong (sign(w·x) != y)
    Xt = np.hstack([X, np.ones((len(X), 1))])
    for before, after in zip(p.history, p.history[1:]):
        step = after - before
        i = next(i for i in range(len(X)) if np.allclose(step, y[i] * Xt[i]))
        assert y[i] * (before @ Xt[i]) <= 0
    assert p(X[0]).data == pytest.approx(p.history[-1] @ Xt[0])
    with pytest.raises(ValueError, match="to_pm1"):
        p.fit(X, (y > 0).astype(int))


def test_activations_by_name_and_derivatives():
    for name, fn in nn.ACTIVATIONS.items():
        v = fn(Value(0.3))
        assert isinstance(v, Value)
        assert nn.activations.derivative(name, 0.3) == pytest.approx(
            (nn.activations.value(name, 0.3 + 1e-6) - nn.activations.value(name, 0.3 - 1e-6)) / 2e-6, abs=1e-6)
    assert nn.activations.derivative("step", 2.0) == 0.0
    assert nn.activations.derivative("relu", np.array([-1.0, 2.0])).tolist() == [0.0, 1.0]
    assert nn.sigmoid(0.0).data == 0.5 and nn.identity(Value(2.0)).data == 2.0
    with pytest.raises(ValueError, match="unknown activation"):
        nn.Neuron(2, activation="swish")
