"""Workload C: a digits-sized classifier, side by side in one run.

A batch of 32 samples x 64 features (8x8 "digit" images made from 10 noisy class
prototypes; no download), MLP 64-32-10 with ReLU, softmax cross-entropy (stable:
logsumexp with the row maximum subtracted), SGD with lr = 0.1 on the same batch.

    .venv/bin/python bench/digits.py           # --steps 5 --rounds 3

The rows are those of A (``moons.py``), plus micrograd fed raw floats: the graph the earlier
version of this benchmark built for it, larger than its demo's idiom builds.
"""
from __future__ import annotations

import sys
from functools import partial

import _common  # noqa: F401  (first: it sets the thread counts before numpy loads)
import numpy as np
from _common import (in_gc_paused, micrograd_nodes, micrograd_value, nn_step, smoke, training_main,
                     without_guards)
from _fresh import PAUSED, Engine
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


def scalar_loop(Value, model, params, X, y, raw_floats=False):
    """One code path for micrograd's Value and scalargrad's: per-sample graphs, mean loss. The
    inputs go through ``Value`` once per step, as micrograd's demo feeds its model
    (``inputs = [list(map(Value, xrow)) for xrow in Xb]``); ``raw_floats`` passes the floats
    instead, and every ``w * x`` then wraps its x in a node of its own."""
    rows, classes = X.tolist(), y.tolist()

    def loss():
        inputs = rows if raw_floats else [list(map(Value, row)) for row in rows]
        losses = [scalar_cross_entropy(model(x), c) for x, c in zip(inputs, classes)]
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


def engine_micrograd(weights, X, y, raw_floats=False):
    Value = micrograd_value()  # micrograd's Value with exp and log added in its style
    model, params = micrograd_mlp(weights)
    step, loss = scalar_loop(Value, model, params, X, y, raw_floats)
    return step, lambda: micrograd_nodes(loss())


def engine_value_ops(weights, X, y, paused=False):
    from autograd import Value, topological_order

    model = ValueMLP(weights)
    step, loss = scalar_loop(Value, model, model.parameters(), X, y)
    return in_gc_paused(step) if paused else step, lambda: len(topological_order(loss()))


def engine_nn(weights, X, y, fused=True, paused=False):
    """nn.MLP per sample: ``model(row)`` for each row of floats, as the course writes it."""
    import nn
    from autograd import topological_order

    model = nn_mlp(weights, fused=fused)
    rows = X.tolist()

    def loss():
        return nn.cross_entropy([model(row) for row in rows], y)

    step = nn_step(model, loss, lambda k: LR)
    return in_gc_paused(step) if paused else step, lambda: len(topological_order(loss()))


def engine_batched(weights, X, y, guards=True):
    """The batched step by hand, as a user writes it: model(X) on the (32, 64) array."""
    import nn
    from autograd import topological_order

    model = nn_mlp(weights, fused=True)

    def loss():  # ten batched logits
        return nn.cross_entropy(model(X), y)

    step = nn_step(model, loss, lambda k: LR)
    return step if guards else without_guards(step), lambda: len(topological_order(loss()))


def engine_fit(weights, X, y):
    """The same training through ``nn.fit`` (full batch, no shuffling)."""
    import nn

    model = nn_mlp(weights, fused=True)
    opt = nn.optim.SGD(model.parameters(), lr=LR)

    def run(steps):
        history = nn.fit(model, nn.cross_entropy, opt, (X, y), epochs=steps, batch_size=None,
                         shuffle=False, progress=False)
        return history.train_loss

    return run, lambda: None


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


ENGINES = {
    # "engine | variant": Engine(factory, kind, gc, notebook); kind "scalar": micrograd's graph
    "micrograd 0.1.0 (+ exp, log in its style), its demo's loop": Engine(engine_micrograd, "reference"),
    "micrograd 0.1.0 (+ exp, log in its style), its demo's loop | notebook": Engine(engine_micrograd, "scalar",
                                                                                   notebook=True),
    "micrograd 0.1.0 (+ exp, log), fed raw floats (bigger graph)": Engine(partial(engine_micrograd,
                                                                                   raw_floats=True), "scalar"),
    "Value ops, one node per op": Engine(engine_value_ops, "scalar"),
    "Value ops, one node per op | paused": Engine(partial(engine_value_ops, paused=True), "scalar", PAUSED),
    "Value ops, one node per op | notebook": Engine(engine_value_ops, "scalar", notebook=True),
    "nn.MLP(fused=False), model(x) per sample": Engine(partial(engine_nn, fused=False), "scalar"),
    "nn.MLP(fused=False), model(x) per sample | paused": Engine(partial(engine_nn, fused=False, paused=True),
                                                               "scalar", PAUSED),
    "nn.MLP default (fused neuron), model(x) per sample": Engine(engine_nn, "scalar"),
    "nn.MLP default (fused neuron), model(x) per sample | paused": Engine(partial(engine_nn, paused=True),
                                                                         "scalar", PAUSED),
    "nn.MLP default (fused neuron), model(x) per sample | notebook": Engine(engine_nn, "scalar", notebook=True),
    "nn batched step by hand, model(X) on the (32, 64) array": Engine(engine_batched, "batched"),
    "  the same, teaching guards off": Engine(partial(engine_batched, guards=False), "batched"),
    "nn.fit, full batch (batched mode)": Engine(engine_fit, "fit", "fit's own gc_paused()", whole_run=True),
    "numpy by hand (the floor)": Engine(None, "floor", peer="numpy"),
    "HIPS autograd, grad of a loss function": Engine(None, "peer", peer="hips"),
    "  the same, logsumexp written out (not SciPy's)": Engine(None, "peer", peer="hips-own-logsumexp"),
    "MyGrad, tensors and backward()": Engine(None, "peer", peer="mygrad"),
    "PyTorch eager, float64": Engine(engine_torch, "torch"),
}


def workload_data():
    """(weights, X, y): what every engine starts from."""
    X, y = dataset(4 if smoke() else BATCH)
    return init_weights(SIZES, seed=0), X, y


def recipe(steps: int) -> dict:
    """The step, as numbers, for the numpy peers."""
    return {"loss": "cross_entropy", "alpha": 0.0, "lrs": [LR] * steps}


def main(argv=None):
    return training_main(argv, __doc__, "digits", "C: digits-sized classifier (batch 32 x 64, MLP 64-32-10 ReLU, "
                         "softmax cross-entropy, SGD)", ENGINES, workload_data(), recipe, 5)


if __name__ == "__main__":
    sys.exit(main() and 0)
