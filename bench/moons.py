"""Workload A: micrograd's own demo, side by side in one run.

moons (100 points), MLP 2-16-16-1 with ReLU, hinge loss + 1e-4·Σp², full-batch SGD with
lr = 1 - 0.9·k/100. Every engine starts from the same weights and runs the same steps.

    .venv/bin/python bench/moons.py            # --steps 10 --rounds 3 (--steps 100: the whole demo)

Each run of each engine is a fresh process (``_fresh.py``); the per-sample paths run
unwrapped (as a student writes the loop), inside ``gc_paused()``, and in a notebook-like
process; the numpy peers run from ``peers.py`` in their own venv.
"""
from __future__ import annotations

import sys
from functools import partial

from _common import in_gc_paused, micrograd_nodes, nn_step, smoke, training_main, without_guards
from _fresh import PAUSED, Engine
from _models import ValueMLP, init_weights, micrograd_mlp, nn_mlp, torch_forward, torch_mlp

SIZES = [2, 16, 16, 1]
ALPHA = 1e-4


def lr_at(k: int) -> float:
    return 1.0 - 0.9 * k / 100


def dataset():
    from nn.data import make_moons, to_pm1

    X, y = make_moons(10 if smoke() else 100, noise=0.1, seed=0)
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
    from autograd import Value, topological_order

    model = ValueMLP(weights)
    step, loss = scalar_demo(Value, model, model.parameters(), X, y)
    return in_gc_paused(step) if paused else step, lambda: len(topological_order(loss()))


def engine_nn(weights, X, y, fused=True, paused=False):
    """nn.MLP per sample: ``model(row)`` for each row of floats, as the course writes it."""
    import nn
    from autograd import topological_order

    model = nn_mlp(weights, fused=fused)
    params = model.parameters()
    rows = X.tolist()

    def loss():
        scores = [model(row) for row in rows]
        return nn.hinge_loss(scores, y) + nn.l2_penalty(params, ALPHA)

    step = nn_step(model, loss, lr_at)
    return in_gc_paused(step) if paused else step, lambda: len(topological_order(loss()))


def engine_batched(weights, X, y, guards=True):
    """The batched step by hand, as a user writes it: model(X) on the (100, 2) array."""
    import nn
    from autograd import topological_order

    model = nn_mlp(weights, fused=True)
    params = model.parameters()

    def loss():  # one graph for the whole batch
        return nn.hinge_loss(model(X), y) + nn.l2_penalty(params, ALPHA)

    step = nn_step(model, loss, lr_at)
    return step if guards else without_guards(step), lambda: len(topological_order(loss()))


def engine_fit(weights, X, y):
    """The same training through ``nn.fit`` (full batch, no shuffling, the demo's schedule as
    ``LinearLR``); its losses are fit's per-epoch train losses, which leave out the L2 term."""
    import nn

    model = nn_mlp(weights, fused=True)
    opt = nn.optim.SGD(model.parameters(), lr=1.0)
    schedule = nn.optim.LinearLR(opt, start_factor=1.0, end_factor=0.1, total_iters=100)  # lr_at(k)

    def run(steps):
        history = nn.fit(model, nn.hinge_loss, opt, (X, y), epochs=steps, batch_size=None, l2=ALPHA,
                         scheduler=schedule, shuffle=False, progress=False)
        return history.train_loss

    return run, lambda: None


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


ENGINES = {
    # "engine | variant": Engine(factory, kind, gc, notebook); kind "scalar": micrograd's graph
    "micrograd 0.1.0, its demo's loop": Engine(engine_micrograd, "reference"),
    "micrograd 0.1.0, its demo's loop | notebook": Engine(engine_micrograd, "scalar", notebook=True),
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
    "nn batched step by hand, model(X) on the (100, 2) array": Engine(engine_batched, "batched"),
    "  the same, teaching guards off": Engine(partial(engine_batched, guards=False), "batched"),
    "nn.fit, full batch (batched mode)": Engine(engine_fit, "fit", "fit's own gc_paused()", whole_run=True),
    "numpy by hand (the floor)": Engine(None, "floor", peer="numpy"),
    "HIPS autograd, grad of a loss function": Engine(None, "peer", peer="hips"),
    "MyGrad, tensors and backward()": Engine(None, "peer", peer="mygrad"),
    "PyTorch eager, float64": Engine(engine_torch, "torch"),
}


def workload_data():
    """(weights, X, y): what every engine starts from."""
    X, y = dataset()
    return init_weights(SIZES, seed=0), X, y


def recipe(steps: int) -> dict:
    """The step, as numbers, for the numpy peers."""
    return {"loss": "hinge", "alpha": ALPHA, "lrs": [lr_at(k) for k in range(steps)]}


def main(argv=None):
    return training_main(argv, __doc__, "moons", "A: micrograd's demo (moons 100, MLP 2-16-16-1 ReLU, hinge + "
                         "1e-4 L2, SGD)", ENGINES, workload_data(), recipe, 10,
                         ["nn.fit's losses are its per-epoch train losses, which leave out the L2 term: hence their "
                          "difference from micrograd's (its weights follow the same steps)."])


if __name__ == "__main__":
    sys.exit(main() and 0)
