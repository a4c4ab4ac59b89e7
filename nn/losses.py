"""Loss functions: ``loss(predictions, targets)`` -> the mean over the batch, as a Value.

Predictions are Values (or numbers), one per sample (``cross_entropy`` / ``nll_loss``:
one list of Values per sample); targets are numbers, in a list or numpy array. A single
prediction with a single target is a batch of one. Batched mode: a model given a 2-D
array returns batched Values (one Value holding every sample; for k outputs, k of them),
and each loss reduces such a batch to one Value with the same result.
"""
from __future__ import annotations

import math
import numbers

import numpy as np

from autograd import Value, batch_rows, constant, make_node, user_warnings
from autograd.ops import ARRAY, Op

from .softmax import batched_logits, logsumexp, logsumexp_rule


def _is_batch(v) -> bool:
    """True for a batched Value (its data holds one number per sample)."""
    return isinstance(v, Value) and v.data.__class__ is np.ndarray


def _batch(predictions, targets, name: str):
    """(predictions as Values, targets as floats), checked to be the same non-zero length.

    A batched prediction comes back as ``[prediction]`` with ``[targets as a batched Value]``
    (its floats in ``.data``), so the same per-sample formula runs once on the whole batch.
    """
    if _is_batch(predictions):
        ts = np.asarray(targets.data if isinstance(targets, Value) else targets, dtype=float).reshape(-1)
        if ts.size != predictions.data.size:
            raise ValueError(f"{name}: {predictions.data.size} predictions but {ts.size} targets; "
                             "give one target per prediction")
        return [predictions], [Value.batch(ts)]
    if isinstance(predictions, Value) or isinstance(predictions, numbers.Real):
        predictions = [predictions]
    if isinstance(targets, np.ndarray):
        targets = targets.reshape(-1).tolist()
    elif isinstance(targets, (Value, numbers.Real)):
        targets = [targets]
    preds = [p if isinstance(p, Value) else constant(p) for p in predictions]
    ts = [float(t.data if isinstance(t, Value) else t) for t in targets]
    if len(preds) != len(ts):
        raise ValueError(f"{name}: {len(preds)} predictions but {len(ts)} targets; give one target per prediction")
    if not preds:
        raise ValueError(f"{name}: empty batch (no predictions)")
    return preds, ts


def _mean(terms: list) -> Value:
    if len(terms) == 1 and _is_batch(terms[0]):
        return terms[0].mean()
    return sum(terms[1:], terms[0]) * (1.0 / len(terms))


def _floats(ts) -> list:
    """Targets as floats, from ``_batch``'s per-sample list or its one batched Value."""
    return ts[0].data.tolist() if ts and isinstance(ts[0], Value) else ts


def _check_pm1(ts, name):
    """ValueError unless every target is -1 or +1 (the labels of hinge and logistic loss)."""
    bad = sorted({t for t in _floats(ts) if t not in (-1.0, 1.0)})
    if bad:
        shown = ", ".join(_label_text(t) for t in bad[:5])
        raise ValueError(f"{name}: targets must be labels from the set {{-1, +1}}, got {shown}; "
                         "map 0/1 labels with nn.data.to_pm1(y)")


def _label_text(t: float) -> str:
    """A target as a student wrote it: 0.0 -> '0', 0.5 -> '0.5'."""
    return str(int(t)) if float(t).is_integer() else repr(t)


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
    """sqrt((1/N) Σ (ŷ_i - y_i)²)   (at a perfect fit the gradient is taken as 0, as |·|'(0) = 0)

    sqrt'(0) is infinite and mse's gradient there is 0, so ``mse.sqrt()`` would send
    inf × 0 = nan to every weight; at exactly zero error the loss is ``mse × 0`` instead
    (value 0, gradient 0: the point is a minimum)."""
    mse = mse_loss(predictions, targets)
    if mse.data == 0.0:
        return mse * 0.0
    return mse.sqrt()


# --- binary classification ----------------------------------------------------------------

_LOG_FLOOR = -100.0  # ln p is clamped here (p <= e**-100, e.g. 0), as in PyTorch's binary_cross_entropy
_P_FLOOR = math.exp(_LOG_FLOOR)


def _log_prob(p: Value) -> Value:
    if _is_batch(p):  # sample by sample: ln p, or the constant floor (no gradient)
        ok = p.data > _P_FLOOR
        if ok.all():
            return p.log()
        return (p * Value.batch(ok) + Value.batch(~ok)).log() + Value.batch(np.where(ok, 0.0, _LOG_FLOOR))
    if p.data > _P_FLOOR:
        return p.log()
    return constant(_LOG_FLOOR)


def binary_cross_entropy(probabilities, targets) -> Value:
    """-(1/N) Σ [y_i ln p_i + (1 - y_i) ln(1 - p_i)]   (p: probabilities in [0, 1], y ∈ [0, 1])"""
    preds, ts = _batch(probabilities, targets, "binary_cross_entropy")
    bad = [x for p in preds for x in np.ravel(p.data).tolist() if not 0.0 <= x <= 1.0]
    if bad:
        raise ValueError(f"binary_cross_entropy takes probabilities in [0, 1], got {bad[:3]}; "
                         "for raw scores (logits) use binary_cross_entropy_with_logits")
    if any(not 0.0 <= t <= 1.0 for t in _floats(ts)):
        raise ValueError("binary_cross_entropy: targets must be in [0, 1] (class 0 or 1)")
    if _is_batch(preds[0]):  # a term with t = 0 or 1 is multiplied by 0 (finite: ln is clamped)
        p, t = preds[0], ts[0]
        return (-(t * _log_prob(p) + (1.0 - t) * _log_prob(1.0 - p))).mean()
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
    if any(not 0.0 <= t <= 1.0 for t in _floats(ts)):
        raise ValueError("binary_cross_entropy_with_logits: targets must be in [0, 1] (class 0 or 1)")
    return _mean([s.softplus() - t * s for s, t in zip(preds, ts)])


def hinge_loss(scores, targets) -> Value:
    """(1/N) Σ max(0, 1 - y_i·s_i)   (y ∈ {-1, +1}; micrograd's max-margin loss)"""
    preds, ts = _batch(scores, targets, "hinge_loss")
    _check_pm1(ts, "hinge_loss")
    return _mean([(1 + -t * s).relu() for s, t in zip(preds, ts)])


def logistic_loss(scores, targets) -> Value:
    """(1/N) Σ ln(1 + e^{-y_i·s_i})   (y ∈ {-1, +1}: the NLL of P(y|x) = σ(y·s))"""
    preds, ts = _batch(scores, targets, "logistic_loss")
    _check_pm1(ts, "logistic_loss")
    return _mean([(-t * s).softplus() for s, t in zip(preds, ts)])


# --- multiclass ----------------------------------------------------------------------------

def _onehot(logits: list, targets, name: str) -> np.ndarray:
    """For k batched logit Values: (k, N), row j 1.0 where class j is the target."""
    classes = np.asarray(targets.data if isinstance(targets, Value) else targets).reshape(-1)
    n, k = logits[0].data.size, len(logits)
    if classes.size != n:
        raise ValueError(f"{name}: {n} samples but {classes.size} targets")
    ok = (classes == np.round(classes)) & (classes >= 0) & (classes < k)
    if not ok.all():
        i = int(np.argmin(ok))
        raise ValueError(f"{name}: target {i} is {classes[i]!r}, but must be a class index 0..{k - 1}")
    return (classes == np.arange(k)[:, None]).astype(np.float64)


def cross_entropy_rule(xp, *z, onehot):
    """y = logsumexp(z) - Σ_j z_j·t_j  (t: the one-hot target);  dy/dz_j = softmax(z)_j - t_j

    For batched logits (``xp`` = ``ARRAY``); ``onehot``: (k, N), as ``_onehot`` gives.
    """
    lse, probabilities = logsumexp_rule(xp, *z)
    picked = (xp.array(z) * onehot).sum(axis=0)  # z_c: the other terms are 0 (nan for z = ±inf)
    return lse - picked, tuple(xp.array(probabilities) - onehot)


CROSS_ENTROPY = Op("cross_entropy", cross_entropy_rule, arity=-1)  # variadic (one operand per logit)
cross_entropy_rule.symbol = "cross_entropy"


def _picked(rows: list, onehot: list) -> Value:
    """Σ_j z_j·[c = j]: each sample's entry of its target class."""
    return sum((z * t for z, t in zip(rows[1:], onehot[1:])), rows[0] * onehot[0])


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


def _warn_if_probabilities(rows, name: str) -> None:
    """Warn when every row is ≥ 0 and sums to 1: probabilities passed where logits belong."""
    if rows.ndim != 2 or rows.shape[1] < 2 or rows.shape[0] == 0 or not np.isfinite(rows).all():
        return
    if (rows >= 0).all() and np.allclose(rows.sum(axis=1), 1.0, rtol=0, atol=1e-6):
        user_warnings.warn(
            f"{name} takes logits (raw scores), but every row of these is ≥ 0 and sums to 1: "
            "they look like probabilities. softmax is applied inside the loss, so pass the "
            "scores from before softmax (as PyTorch's cross_entropy expects); for log-probabilities "
            "use nll_loss", UserWarning)


def cross_entropy(logits, targets) -> Value:
    """(1/N) Σ -ln softmax(z_i)[c_i] = (1/N) Σ [logsumexp(z_i) - z_i[c_i]]   (z: logits, c: class index)

    Warns when the rows look like probabilities (all ≥ 0, each summing to 1): softmax is
    applied here, so softmax outputs would be squashed twice."""
    if isinstance(logits, (list, tuple)) and logits and _is_batch(logits[0]):
        _warn_if_probabilities(np.stack([np.broadcast_to(np.asarray(v.data if isinstance(v, Value) else v, float),
                                                         np.shape(logits[0].data)) for v in logits], axis=1),
                               "cross_entropy")
        onehot = _onehot(logits, targets, "cross_entropy")
        zs = [v if isinstance(v, Value) else constant(v) for v in logits]
        if not batched_logits(zs):  # some logits are one number for every sample
            return (logsumexp(zs) - _picked(zs, list(batch_rows(onehot)))).mean()
        with np.errstate(all="ignore"):  # one node per sample's loss: logsumexp(z) - z_c
            y, local = cross_entropy_rule(ARRAY, *[v.data for v in zs], onehot=onehot)
        return make_node(y, "cross_entropy", tuple(zs), local).mean()
    pairs = _classes(logits, targets, "cross_entropy")
    if len({len(row) for row, _ in pairs}) == 1:
        _warn_if_probabilities(np.array([[float(z.data if isinstance(z, Value) else z) for z in row]
                                         for row, _ in pairs]), "cross_entropy")
    terms = []
    for row, c in pairs:
        z = row[c] if isinstance(row[c], Value) else constant(row[c])
        terms.append(logsumexp(row) - z)
    return _mean(terms)


def nll_loss(log_probs, targets) -> Value:
    """(1/N) Σ -log_probs_i[c_i]   (log_probs: e.g. the output of log_softmax)"""
    if isinstance(log_probs, (list, tuple)) and log_probs and _is_batch(log_probs[0]):
        onehot = list(batch_rows(_onehot(log_probs, targets, "nll_loss")))
        return (-_picked(list(log_probs), onehot)).mean()
    pairs = _classes(log_probs, targets, "nll_loss")
    return _mean([-(row[c] if isinstance(row[c], Value) else constant(row[c])) for row, c in pairs])


LOSSES = {
    "mse": mse_loss, "mae": mae_loss, "rmse": rmse_loss,
    "bce": binary_cross_entropy, "bce_with_logits": binary_cross_entropy_with_logits,
    "cross_entropy": cross_entropy, "nll": nll_loss, "hinge": hinge_loss, "logistic": logistic_loss,
}

__all__ = [f.__name__ for f in LOSSES.values()]
