"""Workload A: micrograd's own demo, side by side in one run.

moons (100 points), MLP 2-16-16-1 with ReLU, hinge loss + 1e-4·Σp², full-batch SGD with
lr = 1 - 0.9·k/100. Every engine starts from the same weights and runs the same steps.

    .venv/bin/python bench/moons.py            # --steps 10 --repeats 5 (--steps 100: the whole demo)
"""
from __future__ import annotations

import sys

from _common import micrograd_nodes, nn_step, training_main, without_guards
from _models import ValueMLP, init_weights, micrograd_mlp, nn_mlp, torch_forward, torch_mlp

SIZES = [2, 16, 16, 1]
ALPHA = 1e-4


def lr_at(k: int) -> float:
    return 1.0 - 0.9 * k / 100


def dataset():
    from nn.data import make_moons, to_pm1

    X, y = make_moons(100, noise=0.1, seed=0)
    return X, to_pm1(y).astype(float)


# --- engines: each returns (step(k) -> loss, nodes() -> nodes in one step's graph) ----------

def scalar_demo(Value, model, params, X, y):
    """micrograd's demo loop verbatim, for micrograd's Value or scalargrad's."""
    rows, ys = X.tolist(), y.tolist()

    def loss():
        inputs = [list(map(Value, xrow)) for xrow in rows]
        scores = list(map(model, inputs))
        losses = [(1 + -yi * scorei).relu() for yi, scorei in zip(ys, scores)]
        data_loss = sum(losses) * (1.0 / len(losses))
        reg_loss = ALPHA * sum((p * p for p in params))
        return data_loss + reg_loss

    def step(k):
        total = loss()
        for p in params:
            p.grad = 0.0
        total.backward()
        lr = lr_at(k)
        for p in params:
            p.data -= lr * p.grad
        return float(total.data)

    return step, loss


def engine_micrograd(weights, X, y):
    from micrograd.engine import Value

    model, params = micrograd_mlp(weights)
    step, loss = scalar_demo(Value, model, params, X, y)
    return step, lambda: micrograd_nodes(loss())


def engine_value_ops(weights, X, y, paused=False):
    from autograd import Value, gc_paused, topological_order

    model = ValueMLP(weights)
    step, loss = scalar_demo(Value, model, model.parameters(), X, y)
    if paused:
        def step_paused(k, step=step):
            with gc_paused():
                return step(k)
        step = step_paused
    return step, lambda: len(topological_order(loss()))


def engine_nn(weights, X, y, fused=True):
    import nn
    from autograd import topological_order

    model = nn_mlp(weights, fused=fused)
    params = model.parameters()
    rows = X.tolist()

    def loss():
        scores = [model(row) for row in rows]
        return nn.hinge_loss(scores, y) + nn.l2_penalty(params, ALPHA)

    return nn_step(model, loss, lr_at), lambda: len(topological_order(loss()))


def engine_batched(weights, X, y):
    import nn
    from autograd import topological_order

    model = nn_mlp(weights, fused=True)
    params = model.parameters()

    def loss():  # model(X) with X of shape (100, 2): one graph for the whole batch
        return nn.hinge_loss(model(X), y) + nn.l2_penalty(params, ALPHA)

    return nn_step(model, loss, lr_at), lambda: len(topological_order(loss()))


def engine_torch(weights, X, y):
    import torch

    layers = torch_mlp(weights)
    params = [p for lin in layers for p in lin.parameters()]
    Xt, yt = torch.from_numpy(X), torch.from_numpy(y)

    def step(k):
        scores = torch_forward(layers, Xt)[:, 0]
        total = torch.relu(1 - yt * scores).mean() + ALPHA * sum((p * p).sum() for p in params)
        for p in params:
            p.grad = None
        total.backward()
        with torch.no_grad():
            for p in params:
                p -= lr_at(k) * p.grad
        return float(total.item())

    return step, lambda: None


ENGINES = {
    # name: (factory, kind)  kind "scalar": losses must equal micrograd's exactly
    "micrograd 0.1.0 (as released)": (engine_micrograd, "reference"),
    "Value ops, one node per op": (engine_value_ops, "scalar"),
    "Value ops, one node per op, gc_paused()": (lambda *a: engine_value_ops(*a, paused=True), "scalar"),
    "nn.MLP(fused=False)": (lambda *a: engine_nn(*a, fused=False), "scalar"),
    "nn.MLP default (fused neuron)": (engine_nn, "scalar"),
    "nn.MLP batched, model(X) on the (100, 2) array": (engine_batched, "batched"),
    "  the same, teaching guards off": (lambda *a: without_guards(engine_batched(*a)), "batched"),
    "PyTorch eager, float64": (engine_torch, "torch"),
}


def main(argv=None):
    X, y = dataset()
    return training_main(argv, __doc__, "A: micrograd's demo (moons 100, MLP 2-16-16-1 ReLU, hinge + 1e-4 L2, SGD)",
                         ENGINES, (init_weights(SIZES, seed=0), X, y), 10, __file__)


if __name__ == "__main__":
    sys.exit(main() and 0)
