"""Workload C: a digits-sized classifier, side by side in one run.

A batch of 32 samples x 64 features (8x8 "digit" images made from 10 noisy class
prototypes; no download), MLP 64-32-10 with ReLU, softmax cross-entropy (stable:
logsumexp with the row maximum subtracted), SGD with lr = 0.1 on the same batch.

    .venv/bin/python bench/digits.py           # --steps 5 --repeats 5
"""
from __future__ import annotations

import sys

import _common  # noqa: F401  (first: it sets the thread counts before numpy loads)
import numpy as np
from _common import micrograd_nodes, micrograd_value, nn_step, training_main, without_guards
from _models import ValueMLP, init_weights, micrograd_mlp, nn_mlp, torch_forward, torch_mlp

SIZES = [64, 32, 10]
LR = 0.1
BATCH = 32


def dataset(n: int = BATCH, seed: int = 0):
    """(X (n, 64) in [0, 1], class indices (n,)): 10 prototypes plus noise, clipped."""
    rng = np.random.default_rng(seed)
    prototypes = rng.uniform(0.0, 1.0, size=(10, 64)) ** 2
    y = np.arange(n) % 10
    X = np.clip(prototypes[y] + rng.normal(0.0, 0.15, size=(n, 64)), 0.0, 1.0)
    return X, y


def scalar_cross_entropy(logits: list, c: int):
    """logsumexp(z) - z_c with the maximum subtracted, from +, -, exp, log only."""
    m = max(z.data for z in logits)
    return sum((z - m).exp() for z in logits).log() + m - logits[c]


def scalar_loop(model, params, X, y):
    """One code path for micrograd's Value and scalargrad's: per-sample graphs, mean loss."""
    rows, classes = X.tolist(), y.tolist()

    def loss():
        losses = [scalar_cross_entropy(model(row), c) for row, c in zip(rows, classes)]
        return sum(losses) * (1.0 / len(losses))

    def step(k):
        total = loss()
        for p in params:
            p.grad = 0.0
        total.backward()
        for p in params:
            p.data -= LR * p.grad
        return float(total.data)

    return step, loss


def engine_micrograd(weights, X, y):
    micrograd_value()  # adds exp and log to micrograd's Value
    model, params = micrograd_mlp(weights)
    step, loss = scalar_loop(model, params, X, y)
    return step, lambda: micrograd_nodes(loss())


def engine_value_ops(weights, X, y):
    from autograd import gc_paused, topological_order

    model = ValueMLP(weights)
    step, loss = scalar_loop(model, model.parameters(), X, y)

    def step_paused(k):
        with gc_paused():
            return step(k)

    return step_paused, lambda: len(topological_order(loss()))


def engine_nn(weights, X, y, fused=True):
    import nn
    from autograd import topological_order

    model = nn_mlp(weights, fused=fused)
    rows = X.tolist()

    def loss():
        return nn.cross_entropy([model(row) for row in rows], y)

    return nn_step(model, loss, lambda k: LR), lambda: len(topological_order(loss()))


def engine_batched(weights, X, y):
    import nn
    from autograd import topological_order

    model = nn_mlp(weights, fused=True)

    def loss():  # model(X) with X of shape (32, 64): ten batched logits
        return nn.cross_entropy(model(X), y)

    return nn_step(model, loss, lambda k: LR), lambda: len(topological_order(loss()))


def engine_torch(weights, X, y):
    import torch

    layers = torch_mlp(weights)
    params = [p for lin in layers for p in lin.parameters()]
    Xt, yt = torch.from_numpy(X), torch.from_numpy(y)

    def step(k):
        total = torch.nn.functional.cross_entropy(torch_forward(layers, Xt), yt)
        for p in params:
            p.grad = None
        total.backward()
        with torch.no_grad():
            for p in params:
                p -= LR * p.grad
        return float(total.item())

    return step, lambda: None


ENGINES = {
    "micrograd 0.1.0 (+ exp, log in its style)": (engine_micrograd, "reference"),
    "Value ops, one node per op, gc_paused()": (engine_value_ops, "scalar"),
    "nn.MLP(fused=False)": (lambda *a: engine_nn(*a, fused=False), "scalar"),
    "nn.MLP default (fused neuron)": (engine_nn, "scalar"),
    "nn.MLP batched, model(X) on the (32, 64) array": (engine_batched, "batched"),
    "  the same, teaching guards off": (lambda *a: without_guards(engine_batched(*a)), "batched"),
    "PyTorch eager, float64": (engine_torch, "torch"),
}


def main(argv=None):
    X, y = dataset()
    return training_main(argv, __doc__, "C: digits-sized classifier (batch 32 x 64, MLP 64-32-10 ReLU, "
                         "softmax cross-entropy, SGD)", ENGINES, (init_weights(SIZES, seed=0), X, y), 5, __file__)


if __name__ == "__main__":
    sys.exit(main() and 0)
