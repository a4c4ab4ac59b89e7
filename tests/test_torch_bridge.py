"""model.to_torch() and nn.MLP.from_torch(): the same weights give the same outputs and the
same gradients in float64, both ways; what does not fit is refused with a reason."""
import sys

import numpy as np
import pytest

import nn

ARCHS = [  # (nin, sizes, activation, output_activation, fused)
    (1, [1], "relu", None, None),
    (2, [3, 1], "tanh", None, True),
    (3, [4, 4, 1], "relu", "sigmoid", False),
    (4, [5, 3], "sigmoid", "tanh", None),
    (2, [6, 5, 4, 2], "leaky_relu", None, True),
    (5, [2, 7], "tanh", "relu", False),
]


def _data(nin, nout, seed, n=7):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n, nin)), rng.normal(size=(n, nout))


def _ours(model, X, Y):
    """Outputs (n, nout) and {name: grad} of the mean squared error over the batch."""
    model.zero_grad()
    outs = [model(x.tolist()) for x in X]
    rows = [[o] if not isinstance(o, list) else o for o in outs]
    loss = sum((o - t) ** 2 for row, trow in zip(rows, Y) for o, t in zip(row, trow)) / Y.size
    loss.backward()
    return np.array([[o.data for o in row] for row in rows]), {n: p.grad for n, p in model.named_parameters()}


def _theirs(module, X, Y):
    torch = pytest.importorskip("torch")
    module.zero_grad()
    out = module(torch.tensor(X))
    loss = ((out - torch.tensor(Y)) ** 2).mean()
    loss.backward()
    return out.detach().numpy(), [p.grad.numpy() for p in module.parameters()]


def _grads_as_torch_layout(model, grads):
    """Our per-parameter grads arranged as torch's (weight (nout, nin), bias (nout,)) per layer."""
    arranged = []
    for i, layer in enumerate(model.layers):
        arranged.append(np.array([[grads[f"layers.{i}.neurons.{j}.w.{k}"] for k in range(layer.nin)]
                                  for j in range(layer.nout)]))
        arranged.append(np.array([grads[f"layers.{i}.neurons.{j}.b"] for j in range(layer.nout)]))
    return arranged


@pytest.mark.parametrize("arch", ARCHS, ids=[f"{a[0]}-{'-'.join(map(str, a[1]))}-{a[2]}-{a[3]}" for a in ARCHS])
def test_to_torch_gives_the_same_outputs_and_gradients(arch):
    torch = pytest.importorskip("torch")
    nin, sizes, act, out_act, fused = arch
    model = nn.MLP(nin, sizes, activation=act, output_activation=out_act, init="xavier", seed=3, fused=fused)
    module = model.to_torch()
    assert isinstance(module, torch.nn.Sequential)
    assert all(p.dtype == torch.float64 for p in module.parameters())
    X, Y = _data(nin, sizes[-1], seed=len(sizes))
    out, grads = _ours(model, X, Y)
    tout, tgrads = _theirs(module, X, Y)
    np.testing.assert_allclose(out, tout, rtol=1e-12, atol=1e-12)
    assert any(np.abs(g).max() > 1e-3 for g in tgrads), "a test with all-zero gradients proves nothing"
    for ours, theirs in zip(_grads_as_torch_layout(model, grads), tgrads, strict=True):
        np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("arch", ARCHS, ids=[f"{a[0]}-{'-'.join(map(str, a[1]))}-{a[2]}-{a[3]}" for a in ARCHS])
def test_from_torch_gives_the_same_outputs_and_gradients(arch):
    torch = pytest.importorskip("torch")
    nin, sizes, act, out_act, fused = arch
    names = {"relu": torch.nn.ReLU, "tanh": torch.nn.Tanh, "sigmoid": torch.nn.Sigmoid,
             "leaky_relu": torch.nn.LeakyReLU}
    torch.manual_seed(len(sizes))
    parts, dims = [], [nin] + sizes
    for i, (a, b) in enumerate(zip(dims, dims[1:])):
        parts.append(torch.nn.Linear(a, b, dtype=torch.float64))
        last = i == len(sizes) - 1
        if (out_act if last else act) is not None:
            parts.append(names[out_act if last else act]())
    module = torch.nn.Sequential(*parts)
    model = nn.MLP.from_torch(module, fused=fused)
    assert (model.nin, model.sizes, model.activation) == (nin, sizes, act if len(sizes) > 1 else "relu")
    assert model.output_activation == (out_act or "identity")
    X, Y = _data(nin, sizes[-1], seed=11)
    out, grads = _ours(model, X, Y)
    tout, tgrads = _theirs(module, X, Y)
    np.testing.assert_allclose(out, tout, rtol=1e-12, atol=1e-12)
    for ours, theirs in zip(_grads_as_torch_layout(model, grads), tgrads, strict=True):
        np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-12)


def test_round_trip_keeps_every_weight_to_the_bit():
    pytest.importorskip("torch")
    model = nn.MLP(3, [4, 2], activation="tanh", dropout=0.25, seed=5).eval()
    back = nn.MLP.from_torch(model.to_torch())
    assert back.state_dict() == model.state_dict()
    assert back.config() == model.config()
    assert back.training is False


def test_dropout_and_mode_cross_over():
    torch = pytest.importorskip("torch")
    model = nn.MLP(2, [3, 3, 1], dropout=0.5, seed=0)
    module = model.to_torch()
    kinds = [type(m).__name__ for m in module]
    assert kinds == ["Linear", "ReLU", "Dropout", "Linear", "ReLU", "Dropout", "Linear"]
    assert module[2].p == 0.5 and module.training
    assert model.eval().to_torch().training is False
    assert model.to_torch(dtype=torch.float32)[0].weight.dtype == torch.float32


def test_layer_neuron_and_sequential_convert():
    torch = pytest.importorskip("torch")
    X = np.random.default_rng(0).normal(size=(5, 3))
    for model in (nn.Layer(3, 2, activation="sigmoid", seed=1), nn.Neuron(3, activation="tanh", seed=2),
                  nn.Sequential(nn.Layer(3, 4, activation="tanh", seed=3), nn.Layer(4, 2, activation=None, seed=4))):
        module = model.to_torch()
        ours = np.array([[o.data for o in (out if isinstance(out, list) else [out])]
                         for out in (model(x.tolist()) for x in X)])
        theirs = module(torch.tensor(X)).detach().numpy()
        np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-12)


def test_what_has_no_torch_counterpart_is_refused_with_a_reason():
    torch = pytest.importorskip("torch")
    with pytest.raises(ValueError, match="'step' activation, which has no torch.nn module"):
        nn.MLP(2, [1], output_activation="step", seed=0).to_torch()
    with pytest.raises(TypeError, match="Residual has no torch.nn counterpart"):
        nn.Residual(nn.Layer(2, 2, seed=0)).to_torch()
    with pytest.raises(TypeError, match="Perceptron has no torch.nn counterpart"):
        nn.Perceptron(2).to_torch()
    L = torch.nn.Linear
    bad = {
        "one activation for all its hidden layers":
            torch.nn.Sequential(L(2, 3), torch.nn.ReLU(), L(3, 3), torch.nn.Tanh(), L(3, 1)),
        "bias=False": torch.nn.Sequential(L(2, 3, bias=False)),
        "start with a Linear": torch.nn.Sequential(torch.nn.ReLU(), L(2, 1)),
        "slope 0.01": torch.nn.Sequential(L(2, 2), torch.nn.LeakyReLU(0.2), L(2, 1)),
        r"Conv1d\) does not fit": torch.nn.Sequential(L(2, 2), torch.nn.Conv1d(1, 1, 1)),
        "Dropout after the last": torch.nn.Sequential(L(2, 2), torch.nn.Dropout(0.1)),
        "two activations|does not fit": torch.nn.Sequential(L(2, 2), torch.nn.ReLU(), torch.nn.Tanh()),
    }
    for why, module in bad.items():
        with pytest.raises(ValueError, match=why):
            nn.MLP.from_torch(module)
    with pytest.raises(TypeError, match="takes a torch.nn.Sequential"):
        nn.MLP.from_torch(torch.nn.ReLU())


def test_without_torch_the_error_says_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "torch", None)  # `import torch` now fails as if absent
    model = nn.MLP(2, [1], seed=0)
    with pytest.raises(ImportError, match=r"to_torch\(\) needs PyTorch.*pip install torch==2\.13\.0"):
        model.to_torch()
    with pytest.raises(ImportError, match=r"from_torch\(\) needs PyTorch.*download\.pytorch\.org/whl/cpu"):
        nn.MLP.from_torch(object())


def test_from_torch_leaves_the_users_random_numbers_alone():
    import random

    torch = pytest.importorskip("torch")
    random.seed(7)
    expected = random.random()
    random.seed(7)
    nn.MLP.from_torch(torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.Tanh(), torch.nn.Linear(3, 1)))
    assert random.random() == expected
