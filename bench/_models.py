"""The same MLP in every engine the benchmarks compare, from one set of initial weights.

``init_weights`` draws micrograd's initialisation (w ~ U(-1, 1), b = 0) once; each
``*_mlp`` function loads those numbers into one engine's model. The scalar-graph loops
(``scalar_forward``) are written once and run with micrograd's ``Value`` or scalargrad's,
so both build the same graph, node for node, in the same order.
"""
from __future__ import annotations

import numpy as np

from _common import ROOT  # noqa: F401  (puts the project on sys.path)


def init_weights(sizes: list[int], seed: int = 0) -> list[tuple[np.ndarray, np.ndarray]]:
    """[(W (nout, nin), b (nout,)) per layer]: micrograd's init, w ~ U(-1, 1), b = 0."""
    rng = np.random.default_rng(seed)
    return [(rng.uniform(-1.0, 1.0, size=(nout, nin)), np.zeros(nout))
            for nin, nout in zip(sizes[:-1], sizes[1:])]


# --- scalar graphs: micrograd's nn.MLP, and the same structure over scalargrad Values ----

def micrograd_mlp(weights):
    """micrograd 0.1.0's own ``nn.MLP`` (as released), with the weights loaded."""
    from micrograd.nn import MLP

    sizes = [weights[0][0].shape[1]] + [W.shape[0] for W, _ in weights]
    model = MLP(sizes[0], sizes[1:])
    for layer, (W, b) in zip(model.layers, weights):
        for neuron, row, bias in zip(layer.neurons, W, b):
            for w, v in zip(neuron.w, row):
                w.data = float(v)
            neuron.b.data = float(bias)
    return model, model.parameters()


class ValueMLP:
    """micrograd's ``nn.MLP`` line for line, over scalargrad's ``Value`` (one node per op)."""

    def __init__(self, weights):
        from autograd import Value

        self.layers = [([([Value(float(v)) for v in row], Value(float(bias))) for row, bias in zip(W, b)],
                        i != len(weights) - 1) for i, (W, b) in enumerate(weights)]

    def __call__(self, x):
        for neurons, nonlin in self.layers:
            out = []
            for w, b in neurons:
                act = sum((wi * xi for wi, xi in zip(w, x)), b)
                out.append(act.relu() if nonlin else act)
            x = out[0] if len(out) == 1 else out
        return x

    def parameters(self):
        return [p for neurons, _ in self.layers for w, b in neurons for p in w + [b]]


def nn_mlp(weights, fused: bool = True):
    """scalargrad's ``nn.MLP`` (ReLU hidden layers, linear output), with the weights loaded."""
    import nn

    sizes = [weights[0][0].shape[1]] + [W.shape[0] for W, _ in weights]
    model = nn.MLP(sizes[0], sizes[1:], activation="relu", output_activation=None, fused=fused)
    for layer, (W, b) in zip(model.layers, weights):
        for neuron, row, bias in zip(layer.neurons, W, b):
            for w, v in zip(neuron.w, row):
                w.data = float(v)
            neuron.b.data = float(bias)
    return model


def torch_mlp(weights):
    """The same network in PyTorch (float64), as a list of Linear layers."""
    import torch

    layers = []
    for W, b in weights:
        lin = torch.nn.Linear(W.shape[1], W.shape[0], dtype=torch.float64)
        with torch.no_grad():
            lin.weight.copy_(torch.from_numpy(W))
            lin.bias.copy_(torch.from_numpy(b))
        layers.append(lin)
    return layers


def torch_forward(layers, X):
    import torch

    for i, lin in enumerate(layers):
        X = lin(X)
        if i != len(layers) - 1:
            X = torch.relu(X)
    return X
