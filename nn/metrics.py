"""Metrics: numbers for people, kept apart from losses (no graph, no gradients).

Each takes predictions (Values, floats, lists of them per sample, or numpy arrays) and
targets, and returns a float.
"""
from __future__ import annotations

import numpy as np

from autograd import Value, user_warnings


def to_numpy(predictions) -> np.ndarray:
    """Predictions as floats: shape (n,) for one output per sample, (n, k) for k outputs."""
    if isinstance(predictions, Value):  # one sample, or a batched Value (one entry per sample)
        return np.array(predictions.data, dtype=float).reshape(-1)
    if (isinstance(predictions, (list, tuple)) and predictions
            and all(isinstance(v, Value) and v.data.__class__ is np.ndarray for v in predictions)):
        return np.stack([v.data for v in predictions], axis=1)  # k batched outputs: (n, k)
    if isinstance(predictions, np.ndarray):
        return predictions.astype(float)
    rows = [[v.data if isinstance(v, Value) else float(v) for v in p] if isinstance(p, (list, tuple, np.ndarray))
            else (p.data if isinstance(p, Value) else float(p)) for p in predictions]
    return np.array(rows, dtype=float)


def _pair(predictions, targets):
    p = to_numpy(predictions)
    t = np.asarray(targets, dtype=float).reshape(-1)
    if len(p) != len(t):
        raise ValueError(f"{len(p)} predictions but {len(t)} targets")
    if len(t) == 0:
        raise ValueError("no predictions to score")
    return p, t


def predicted_classes(predictions, targets=None, threshold: float | None = None) -> np.ndarray:
    """Class labels from outputs: argmax for several outputs per sample; for one output,
    ±1 by sign when the targets are ±1, else 1 if output > threshold (default 0.5: probabilities)."""
    p = to_numpy(predictions)
    if p.ndim == 2 and p.shape[1] > 1:
        return p.argmax(axis=1)
    p = p.reshape(-1)
    t = None if targets is None else np.asarray(targets, dtype=float).reshape(-1)
    if t is not None and np.any(t == -1):
        return np.where(p > (0.0 if threshold is None else threshold), 1, -1)
    return np.where(p > (0.5 if threshold is None else threshold), 1, 0)


def accuracy(predictions, targets, threshold: float | None = None) -> float:
    """Fraction of samples whose predicted class equals the target (see ``predicted_classes``).

    How one output per sample is turned into a class: with ±1 targets, by its sign (> 0 is
    +1); with 0/1 targets, output > ``threshold``, 0.5 by default (probabilities). For
    logits with 0/1 targets pass ``threshold=0`` (``fit`` does, for
    ``binary_cross_entropy_with_logits``). Outputs outside [0, 1] with 0/1 targets and no
    threshold given get a warning: they look like logits, which 0.5 would misclassify.
    """
    p, t = _pair(predictions, targets)
    one_output = p.ndim == 1 or p.shape[1] == 1
    if (threshold is None and one_output and not np.any(t == -1)
            and np.any((p < 0.0) | (p > 1.0)) and np.all((t == 0) | (t == 1))):
        user_warnings.warn(
            "accuracy: 0/1 targets and outputs outside [0, 1] (logits?), thresholded at 0.5 as "
            "probabilities; for logits pass threshold=0, for probabilities threshold=0.5 "
            "(either one silences this warning)", UserWarning)
    return float(np.mean(predicted_classes(p, t, threshold) == t))


def mean_squared_error(predictions, targets) -> float:
    """(1/N) Σ (ŷ - y)²"""
    p, t = _pair(predictions, targets)
    return float(np.mean((p.reshape(-1) - t) ** 2))


def mean_absolute_error(predictions, targets) -> float:
    """(1/N) Σ |ŷ - y|"""
    p, t = _pair(predictions, targets)
    return float(np.mean(np.abs(p.reshape(-1) - t)))


def root_mean_squared_error(predictions, targets) -> float:
    """sqrt((1/N) Σ (ŷ - y)²)"""
    return float(np.sqrt(mean_squared_error(predictions, targets)))


def r2_score(predictions, targets) -> float:
    """1 - Σ (ŷ - y)² / Σ (y - ȳ)²: 1 is a perfect fit, 0 is as good as predicting the mean."""
    p, t = _pair(predictions, targets)
    total = float(np.sum((t - t.mean()) ** 2))
    if total == 0.0:
        raise ValueError("r2_score is undefined when all targets are equal")
    return 1.0 - float(np.sum((p.reshape(-1) - t) ** 2)) / total


METRICS = {
    "accuracy": accuracy,
    "mse": mean_squared_error,
    "mae": mean_absolute_error,
    "rmse": root_mean_squared_error,
    "r2": r2_score,
}
