"""The batched steps of A and C written for numpy peers, each the way its users write it:
numpy by hand (forward and backward written out: the floor), HIPS autograd (``grad`` of a
loss function over a list of arrays) and MyGrad (tensors, ``loss.backward()``).

HIPS autograd imports as ``autograd``, like scalargrad's engine, so the peers live in a venv of
their own and this file imports nothing from scalargrad: the parent (``_fresh.py``) hands it
the workload as a .npz file (weights, X, y, the loss, the L2 factor, one learning rate per step).

    python bench/peers.py --setup            # make the peers' venv (pip, from PyPI)
    python bench/peers.py --where            # print the venv's python

The venv is ``~/.cache/scalargrad-bench/peers`` (set SCALARGRAD_BENCH_PEERS to move it).
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys

from _timing import emit, peak_of_one_step, steps_of, time_training

VENV = os.environ.get("SCALARGRAD_BENCH_PEERS",
                      os.path.join(os.path.expanduser("~"), ".cache", "scalargrad-bench", "peers"))
# the versions measured; numpy pinned to the main venv's, so the floor is the same numpy
PINS = {"autograd": "1.9.1", "scipy": "1.17.1", "mygrad": "2.5.0"}  # HIPS autograd's logsumexp needs scipy


def venv_python() -> str | None:
    """The peers' interpreter, or None when the venv has not been made."""
    exe = os.path.join(VENV, "bin", "python")
    return exe if os.path.exists(exe) else None


def setup(numpy_version: str) -> str:
    """Make the venv (``python -m venv``) and pip-install the peers into it; its python."""
    subprocess.run([sys.executable, "-m", "venv", VENV], check=True)
    exe = os.path.join(VENV, "bin", "python")
    subprocess.run([exe, "-m", "pip", "install", "-q", f"numpy=={numpy_version}",
                    *(f"{name}=={v}" for name, v in PINS.items())], check=True)
    return exe


def load(path: str):
    """(weights [(W (nin, nout), b)], X, y, loss name, alpha, learning rates) from the .npz.

    The .npz holds W as (nout, nin), PyTorch's and micrograd's layout; the numpy peers' users
    keep (nin, nout), so that a layer is ``h @ W + b`` without a transpose in the traced step."""
    import numpy as np

    f = np.load(path)
    n = int(f["layers"])
    weights = [(np.ascontiguousarray(f[f"W{i}"].T), f[f"b{i}"].copy()) for i in range(n)]
    return weights, f["X"], f["y"], str(f["loss"]), float(f["alpha"]), [float(v) for v in f["lrs"]]


# --- numpy by hand: the floor ------------------------------------------------------------

def engine_numpy(weights, X, y, loss, alpha, lrs):
    """Forward, backward and SGD written out in numpy (ReLU hidden layers, linear output)."""
    import numpy as np

    params = [(W.copy(), b.copy()) for W, b in weights]
    n = len(X)
    rows = np.arange(n)

    def step(k):
        acts, h = [X], X
        for i, (W, b) in enumerate(params):
            h = h @ W + b
            if i < len(params) - 1:
                h = np.maximum(h, 0.0)
            acts.append(h)
        if loss == "hinge":  # mean(relu(1 - y·s)) + α·Σp²
            s = h[:, 0]
            margin = 1.0 - y * s
            value = np.maximum(margin, 0.0).mean()
            dh = (-(y * (margin > 0)) / n)[:, None]
        else:  # cross-entropy: mean(logsumexp(z) - z_c)
            z = h - h.max(axis=1, keepdims=True)
            e = np.exp(z)
            total = e.sum(axis=1, keepdims=True)
            value = (np.log(total[:, 0]) - z[rows, y]).mean()
            dh = e / total
            dh[rows, y] -= 1.0
            dh /= n
        value += alpha * sum((W * W).sum() + (b * b).sum() for W, b in params)
        lr = lrs[k]
        for i in range(len(params) - 1, -1, -1):
            W, b = params[i]
            dW, db = acts[i].T @ dh, dh.sum(axis=0)
            if i > 0:
                dh = (dh @ W.T) * (acts[i] > 0)
            W -= lr * (dW + 2 * alpha * W)
            b -= lr * (db + 2 * alpha * b)
        return float(value)

    return step


# --- HIPS autograd: grad of a loss function over a list of arrays --------------------------

def engine_hips(weights, X, y, loss, alpha, lrs, scipy_logsumexp=True):
    """``scipy_logsumexp``: cross-entropy through ``autograd.scipy.special.logsumexp``, as
    autograd's own examples write it; else written out (max-shifted), which is ~4x cheaper
    than SciPy's general-purpose one on a (32, 10) array."""
    import autograd.numpy as anp
    from autograd import value_and_grad

    if scipy_logsumexp:
        from autograd.scipy.special import logsumexp
    else:
        def logsumexp(z, axis):
            m = anp.max(z, axis=axis, keepdims=True)
            return anp.log(anp.sum(anp.exp(z - m), axis=axis)) + anp.squeeze(m, axis=axis)

    n = len(X)

    def objective(params):
        h = X
        for i, (W, b) in enumerate(params):
            h = anp.dot(h, W) + b
            if i < len(params) - 1:
                h = anp.maximum(h, 0.0)
        if loss == "hinge":
            data_loss = anp.mean(anp.maximum(1.0 - y * h[:, 0], 0.0))
        else:
            data_loss = anp.mean(logsumexp(h, axis=1) - h[anp.arange(n), y])
        return data_loss + alpha * sum(anp.sum(W * W) + anp.sum(b * b) for W, b in params)

    loss_and_grad = value_and_grad(objective)
    state = [[(W.copy(), b.copy()) for W, b in weights]]

    def step(k):
        value, grads = loss_and_grad(state[0])
        state[0] = [(W - lrs[k] * gW, b - lrs[k] * gb) for (W, b), (gW, gb) in zip(state[0], grads)]
        return float(value)

    return step


# --- MyGrad: tensors and loss.backward() ---------------------------------------------------

def engine_mygrad(weights, X, y, loss, alpha, lrs):
    import mygrad as mg
    from mygrad.nnet.activations import relu
    from mygrad.nnet.losses import softmax_crossentropy

    params = [(mg.tensor(W), mg.tensor(b)) for W, b in weights]
    flat = [p for pair in params for p in pair]

    def step(k):
        h = X
        for i, (W, b) in enumerate(params):
            h = mg.matmul(h, W) + b
            if i < len(params) - 1:
                h = relu(h)
        if loss == "hinge":
            data_loss = mg.mean(relu(1.0 - y * h[:, 0]))
        else:
            data_loss = softmax_crossentropy(h, y)
        total = data_loss + alpha * sum(mg.sum(p ** 2) for p in flat)
        total.backward()
        for p in flat:
            p.data -= lrs[k] * p.grad
        return float(total.item())

    return step


ENGINES = {"numpy": engine_numpy, "hips": engine_hips, "mygrad": engine_mygrad,
           "hips-own-logsumexp": lambda *a: engine_hips(*a, scipy_logsumexp=False)}


def version(engine: str) -> str:
    """'autograd 1.9.1' etc.: the version that ran."""
    from importlib.metadata import version as v

    name = {"numpy": "numpy", "mygrad": "mygrad"}.get(engine, "autograd")
    return f"{name} {v(name)}"


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--setup", action="store_true", help="make the peers' venv and install the peers")
    ap.add_argument("--where", action="store_true", help="print the peers' python (or nothing)")
    ap.add_argument("--engine", choices=sorted(ENGINES))
    ap.add_argument("--data", help="the workload, a .npz written by _fresh.py")
    ap.add_argument("--steps", type=int, default=10)
    ap.add_argument("--round-seconds", type=float, default=0.3)
    ap.add_argument("--memory", action="store_true")
    args = ap.parse_args(argv)
    if args.setup:
        import numpy
        print(setup(numpy.__version__))
        return 0
    if args.where:
        print(venv_python() or "")
        return 0
    if not (args.engine and args.data):
        ap.error("--engine and --data are needed (or --setup / --where)")
    data = load(args.data)
    factory = ENGINES[args.engine]
    if args.memory:
        emit({"peak_bytes": peak_of_one_step(factory(*data))})
        return 0
    result = time_training(lambda: steps_of(factory(*data)), args.steps, args.round_seconds)
    result["version"] = version(args.engine)
    emit(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
