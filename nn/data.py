"""Built-in toy datasets (made locally with numpy from a seed: no downloads), splitting,
and mini-batches.

Every ``make_*`` returns ``(X, y)``: X a float64 array of shape (n, d); y the class
labels 0, 1, ... as ints (``make_curve``: float targets). ``to_pm1`` maps 0/1 labels to
-1/+1 for the hinge, logistic and perceptron lessons. numpy arrays and Python lists are
accepted wherever data goes in.
"""
from __future__ import annotations

import math
import numbers
from typing import NamedTuple

import numpy as np


def _count(n) -> int:
    if isinstance(n, bool) or not isinstance(n, numbers.Integral) or n < 1:
        raise ValueError(f"n must be a positive whole number of samples, got {n!r}")
    return int(n)


def _noisy(X, noise, rng):
    return X + rng.normal(0.0, noise, X.shape) if noise else X


def make_moons(n: int = 100, noise: float = 0.1, seed=0):
    """Two interleaving half circles (class 0 on top, class 1 below), like scikit-learn's."""
    n = _count(n)
    rng = np.random.default_rng(seed)
    n0 = n // 2 + n % 2
    n1 = n - n0
    t0 = np.linspace(0, math.pi, n0)
    t1 = np.linspace(0, math.pi, n1)
    X = np.vstack([np.c_[np.cos(t0), np.sin(t0)], np.c_[1 - np.cos(t1), 0.5 - np.sin(t1)]])
    y = np.r_[np.zeros(n0, int), np.ones(n1, int)]
    return _shuffled(_noisy(X, noise, rng), y, rng)


def make_circles(n: int = 100, noise: float = 0.05, factor: float = 0.5, seed=0):
    """Two concentric circles: class 0 outside (radius 1), class 1 inside (radius ``factor``)."""
    n = _count(n)
    rng = np.random.default_rng(seed)
    n0 = n // 2 + n % 2
    n1 = n - n0
    t0 = np.linspace(0, 2 * math.pi, n0, endpoint=False)
    t1 = np.linspace(0, 2 * math.pi, n1, endpoint=False)
    X = np.vstack([np.c_[np.cos(t0), np.sin(t0)], factor * np.c_[np.cos(t1), np.sin(t1)]])
    y = np.r_[np.zeros(n0, int), np.ones(n1, int)]
    return _shuffled(_noisy(X, noise, rng), y, rng)


def make_blobs(n: int = 100, centers=3, std: float = 1.0, dims: int = 2, box=(-5.0, 5.0), seed=0):
    """Gaussian clusters: ``centers`` (a count, drawn in ``box``, or an array of points) of spread ``std``."""
    n = _count(n)
    rng = np.random.default_rng(seed)
    if isinstance(centers, numbers.Integral):
        centers = rng.uniform(box[0], box[1], size=(int(centers), dims))
    centers = np.asarray(centers, dtype=float)
    k = len(centers)
    y = np.arange(n) % k
    X = centers[y] + rng.normal(0.0, std, size=(n, centers.shape[1]))
    return _shuffled(X, y, rng)


def make_spirals(n: int = 100, classes: int = 2, noise: float = 0.1, turns: float = 1.0, seed=0):
    """``classes`` interleaved spiral arms around the origin (CS231n's spiral data)."""
    n = _count(n)
    rng = np.random.default_rng(seed)
    y = np.arange(n) % classes
    r = np.empty(n)
    for c in range(classes):
        idx = np.flatnonzero(y == c)
        r[idx] = np.linspace(0.05, 1.0, len(idx))
    angle = y * 2 * math.pi / classes + r * turns * 2 * math.pi + rng.normal(0.0, noise, n)
    X = np.c_[r * np.cos(angle), r * np.sin(angle)]
    return _shuffled(X, y, rng)


def make_xor(n: int = 4, noise: float = 0.0, seed=0):
    """XOR: points near the corners of the unit square, label = x1 XOR x2.

    The default (n=4, noise=0) is the truth table (0,0)→0, (0,1)→1, (1,0)→1, (1,1)→0.
    """
    n = _count(n)
    rng = np.random.default_rng(seed)
    corners = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    idx = np.arange(n) % 4
    X = _noisy(corners[idx], noise, rng)
    y = np.array([0, 1, 1, 0])[idx]
    return (X, y) if n == 4 and not noise else _shuffled(X, y, rng)


def make_curve(n: int = 100, noise: float = 0.1, fn="sin", seed=0):
    """1-D regression: x ~ U(0, 1), y = f(x) + noise; f = "sin" (sin 2πx), "cubic", or a callable."""
    n = _count(n)
    rng = np.random.default_rng(seed)
    f = {"sin": lambda x: np.sin(2 * math.pi * x),
         "cubic": lambda x: 8 * (x - 0.5) ** 3 + 0.2 * x}.get(fn, fn) if isinstance(fn, str) else fn
    if not callable(f):
        raise ValueError(f"unknown curve {fn!r}; use 'sin', 'cubic' or a function of x")
    x = np.sort(rng.uniform(0.0, 1.0, n))
    y = np.asarray(f(x), dtype=float) + (rng.normal(0.0, noise, n) if noise else 0.0)
    return x.reshape(-1, 1), y


def _shuffled(X, y, rng):
    order = rng.permutation(len(X))
    return X[order], y[order]


def to_pm1(y) -> np.ndarray:
    """0/1 labels as -1/+1 (for hinge_loss, logistic_loss, Perceptron)."""
    y = np.asarray(y)
    if not np.all(np.isin(y, (0, 1, -1))):
        raise ValueError(f"to_pm1 maps labels 0/1 to -1/+1; got labels {np.unique(y)[:6]}")
    return np.where(y > 0, 1, -1)


def as_arrays(X, y):
    """``X`` as a float64 array (n, d) and ``y`` as an array of n entries (lists accepted)."""
    X = np.asarray(X, dtype=float)
    if X.ndim == 1:
        X = X.reshape(-1, 1)
    if X.ndim != 2:
        raise ValueError(f"X must be a 2-D array of samples (n, features), got shape {X.shape}")
    y = np.asarray(y)
    if len(y) != len(X):
        raise ValueError(f"X has {len(X)} samples but y has {len(y)}")
    return X, y


class Split(NamedTuple):
    """(X, y) pairs of a train / validation / test split."""

    train: tuple
    val: tuple
    test: tuple


def train_val_test_split(X, y, val: float = 0.2, test: float = 0.2, seed=0) -> Split:
    """Shuffle once, then cut into train / val / test with the given fractions."""
    X, y = as_arrays(X, y)
    if not (0.0 <= val < 1.0 and 0.0 <= test < 1.0 and val + test < 1.0):
        raise ValueError(f"val and test are fractions with val + test < 1, got val={val}, test={test}")
    n = len(X)
    order = np.random.default_rng(seed).permutation(n)
    n_test = int(round(n * test))
    n_val = int(round(n * val))
    te, va, tr = order[:n_test], order[n_test:n_test + n_val], order[n_test + n_val:]
    if len(tr) == 0:
        raise ValueError("the split leaves no training samples")
    return Split((X[tr], y[tr]), (X[va], y[va]), (X[te], y[te]))


def batches(X, y, batch_size=None, shuffle: bool = True, seed=0):
    """Mini-batches (X_b, y_b) covering the data once: batch_size 1 = online, None or n = full batch."""
    yield from DataLoader(X, y, batch_size=batch_size, shuffle=shuffle, seed=seed)


class DataLoader:
    """Iterate over mini-batches; each pass (epoch) reshuffles when ``shuffle`` is on.

    PyTorch's defaults: ``batch_size=1`` (online), ``shuffle=False`` (in order).
    ``batch_size=None`` is one full batch (in PyTorch it means "no batching").
    ``len(loader)`` is the number of steps per epoch, ⌈n / batch_size⌉.
    """

    def __init__(self, X, y, batch_size=1, shuffle: bool = False, seed=0):
        self.X, self.y = as_arrays(X, y)
        n = len(self.X)
        if batch_size is None:
            batch_size = n
        if isinstance(batch_size, bool) or not isinstance(batch_size, numbers.Integral) or batch_size < 1:
            raise ValueError(f"batch_size must be a positive whole number (or None for full batch), got {batch_size!r}")
        self.batch_size = min(int(batch_size), n)
        self.shuffle = shuffle
        self._rng = np.random.default_rng(seed)

    def __len__(self) -> int:
        return -(-len(self.X) // self.batch_size)

    def __iter__(self):
        n = len(self.X)
        order = self._rng.permutation(n) if self.shuffle else np.arange(n)
        for start in range(0, n, self.batch_size):
            idx = order[start:start + self.batch_size]
            yield self.X[idx], self.y[idx]
