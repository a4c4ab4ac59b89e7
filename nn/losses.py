"""Loss functions: ``loss(predictions, targets)`` -> the mean over the batch, as a Value.

Predictions are Values (or numbers), one per sample (``cross_entropy`` / ``nll_loss``:
one list of Values per sample); targets are numbers, in a list or numpy array. A single
prediction with a single target is a batch of one.
"""
from __future__ import annotations

import math
import numbers

import numpy as np

from autograd import Value
from autograd.value import _constant

from .softmax import logsumexp


def _batch(predictions, targets, name: str):
    """(predictions as Values, targets as floats), checked to be the same non-zero length."""
    if isinstance(predictions, Value) or isinstance(predictions, numbers.Real):
        predictions = [predictions]
    if isinstance(targets, np.ndarray):
        targets = targets.reshape(-1).tolist()
    elif isinstance(targets, (Value, numbers.Real)):
        targets = [targets]
    preds = [p if isinstance(p, Value) else _constant(p) for p in predictions]
    ts = [float(t.data if isinstance(t, Value) else t) for t in targets]
    if len(preds) != len(ts):
        raise ValueError(f"{name}: {len(preds)} predictions but {len(ts)} targets; give one target per prediction")
    if not preds:
        raise ValueError(f"{name}: empty batch (no predictions)")
    return preds, ts


def _mean(terms: list) -> Value:
    return sum(terms[1:], terms[0]) * (1.0 / len(terms))


def _check_labels(ts, allowed, name, hint):
    bad = sorted({t for t in ts if t not in allowed})
    if bad:
        raise ValueError(f"{name}: targets must be in {sorted(allowed)}, got {bad[:5]}; {hint}")


# --- regression -------------------------------------------------------------------------

def mse_loss(predictions, targets) -> Value:
    """(1/N) Σ (ŷ_i - y_i)²"""
    preds, ts = _batch(predictions, targets, "mse_loss")
    return _mean([(p - t) ** 2 for p, t in zip(preds, ts)])


def mae_loss(predictions, targets) -> Value:
    """(1/N) Σ |ŷ_i - y_i|   (|·|'(0) = 0)"""
    preds, ts = _batch(predictions, targets, "mae_loss")
    return _mean([abs(p - t) for p, t in zip(preds, ts)])


def rmse_loss(predictions, targets) -> Value:
    """sqrt((1/N) Σ (ŷ_i - y_i)²)   (its gradient is infinite at a perfect fit)"""
    return mse_loss(predictions, targets).sqrt()


# --- binary classification ----------------------------------------------------------------

_LOG_FLOOR = -100.0  # ln p is clamped here (p <= e**-100, e.g. 0), as in PyTorch's binary_cross_entropy
_P_FLOOR = math.exp(_LOG_FLOOR)


def _log_prob(p: Value) -> Value:
    if p.data > _P_FLOOR:
        return p.log()
    return _constant(_LOG_FLOOR)


def binary_cross_entropy(probabilities, targets) -> Value:
    """-(1/N) Σ [y_i ln p_i + (1 - y_i) ln(1 - p_i)]   (p: probabilities in [0, 1], y ∈ [0, 1])"""
    preds, ts = _batch(probabilities, targets, "binary_cross_entropy")
    bad = [p.data for p in preds if not 0.0 <= p.data <= 1.0]
    if bad:
        raise ValueError(f"binary_cross_entropy takes probabilities in [0, 1], got {bad[:3]}; "
                         "for raw scores (logits) use binary_cross_entropy_with_logits")
    if any(not 0.0 <= t <= 1.0 for t in ts):
        raise ValueError("binary_cross_entropy: targets must be in [0, 1] (class 0 or 1)")
    terms = []
    for p, t in zip(preds, ts):
        term = None
        if t != 0.0:
            term = t * _log_prob(p)
        if t != 1.0:
            neg = (1.0 - t) * _log_prob(1.0 - p)
            term = neg if term is None else term + neg
        terms.append(-term)
    return _mean(terms)


def binary_cross_entropy_with_logits(logits, targets) -> Value:
    """(1/N) Σ [ln(1 + e^{s_i}) - y_i·s_i] = BCE(σ(s), y), without overflow for any s."""
    preds, ts = _batch(logits, targets, "binary_cross_entropy_with_logits")
    if any(not 0.0 <= t <= 1.0 for t in ts):
        raise ValueError("binary_cross_entropy_with_logits: targets must be in [0, 1] (class 0 or 1)")
    return _mean([s.softplus() - t * s for s, t in zip(preds, ts)])


def hinge_loss(scores, targets) -> Value:
    """(1/N) Σ max(0, 1 - y_i·s_i)   (y ∈ {-1, +1}; micrograd's max-margin loss)"""
    preds, ts = _batch(scores, targets, "hinge_loss")
    _check_labels(ts, {-1.0, 1.0}, "hinge_loss", "map 0/1 labels with nn.data.to_pm1(y)")
    return _mean([(1 + -t * s).relu() for s, t in zip(preds, ts)])


def logistic_loss(scores, targets) -> Value:
    """(1/N) Σ ln(1 + e^{-y_i·s_i})   (y ∈ {-1, +1}: the NLL of P(y|x) = σ(y·s))"""
    preds, ts = _batch(scores, targets, "logistic_loss")
    _check_labels(ts, {-1.0, 1.0}, "logistic_loss", "map 0/1 labels with nn.data.to_pm1(y)")
    return _mean([(-t * s).softplus() for s, t in zip(preds, ts)])


# --- multiclass ----------------------------------------------------------------------------

def _classes(rows, targets, name: str):
    if isinstance(targets, np.ndarray):
        targets = targets.reshape(-1).tolist()
    elif isinstance(targets, numbers.Integral):
        targets = [targets]
    if rows and isinstance(rows[0], (Value, numbers.Real)):
        rows = [rows]  # one sample
    if len(rows) != len(targets):
        raise ValueError(f"{name}: {len(rows)} samples but {len(targets)} targets")
    if not rows:
        raise ValueError(f"{name}: empty batch")
    out = []
    for i, (row, c) in enumerate(zip(rows, targets)):
        if isinstance(c, float) and c.is_integer():
            c = int(c)
        if isinstance(c, bool) or not isinstance(c, numbers.Integral) or not 0 <= c < len(row):
            raise ValueError(f"{name}: target {i} is {c!r}, but must be a class index 0..{len(row) - 1}")
        out.append((list(row), int(c)))
    return out


def cross_entropy(logits, targets) -> Value:
    """(1/N) Σ -ln softmax(z_i)[c_i] = (1/N) Σ [logsumexp(z_i) - z_i[c_i]]   (z: logits, c: class index)"""
    pairs = _classes(logits, targets, "cross_entropy")
    terms = []
    for row, c in pairs:
        z = row[c] if isinstance(row[c], Value) else _constant(row[c])
        terms.append(logsumexp(row) - z)
    return _mean(terms)


def nll_loss(log_probs, targets) -> Value:
    """(1/N) Σ -log_probs_i[c_i]   (log_probs: e.g. the output of log_softmax)"""
    pairs = _classes(log_probs, targets, "nll_loss")
    return _mean([-(row[c] if isinstance(row[c], Value) else _constant(row[c])) for row, c in pairs])


LOSSES = {
    "mse": mse_loss, "mae": mae_loss, "rmse": rmse_loss,
    "bce": binary_cross_entropy, "bce_with_logits": binary_cross_entropy_with_logits,
    "cross_entropy": cross_entropy, "nll": nll_loss, "hinge": hinge_loss, "logistic": logistic_loss,
}

__all__ = [f.__name__ for f in LOSSES.values()]
