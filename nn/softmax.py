"""``softmax``, ``log_softmax`` and ``logsumexp`` over a list of logit Values, numerically stable.

The largest logit m is subtracted first (as a plain number: softmax does not change when
all logits shift), so e**(z - m) <= 1 never overflows: logits of 1000 work.
"""
from __future__ import annotations

import numpy as np

from autograd import Value, constant, make_node, register_op
from autograd.xp import ARRAY


def _values(logits) -> list:
    xs = [v if isinstance(v, Value) else constant(v) for v in logits]
    if not xs:
        raise ValueError("softmax needs at least one logit")
    return xs


def _max(xs: list):
    """max_j z_j as a number; for batched logits, a constant batch of each sample's maximum."""
    data = [v.data for v in xs]
    if any(d.__class__ is np.ndarray for d in data):
        return Value.batch(np.max(np.broadcast_arrays(*data), axis=0))
    return max(data)


def logsumexp_rule(xp, *z):
    """y = m + ln Σ_j e**(z_j - m)  (m = max_j z_j);  dy/dz_j = e**(z_j - m) / Σ_k e**(z_k - m) = softmax(z)_j

    For batched logits (``xp`` = ``ARRAY``, each z_j a 1-D array, one entry per sample).
    """
    Z = xp.array(z)  # (k, N)
    m = Z.max(axis=0)
    E = xp.exp(Z - m)
    total = E.sum(axis=0)  # e_0 + e_1 + ... in that order, like the graph of logsumexp()
    return xp.log(total) + m, tuple(E / total)


LOGSUMEXP = register_op("logsumexp", logsumexp_rule, arity=-1)  # variadic (one operand per logit)


def batched_logits(xs: list) -> bool:
    """True when every logit holds a batch, all of one size (the one-node path of logsumexp)."""
    shape = getattr(xs[0].data, "shape", None)
    return all(v.data.__class__ is np.ndarray and v.data.shape == shape for v in xs)


def logsumexp(logits) -> Value:
    """ln Σ_j e**(z_j) = m + ln Σ_j e**(z_j - m),  m = max_j z_j.

    Logits of one sample build the graph of -, exp, +, log (what a diagram shows); batched
    logits make one node of op "logsumexp" whose local grads are the softmax.
    """
    xs = _values(logits)
    if batched_logits(xs):
        with np.errstate(all="ignore"):
            y, local = logsumexp_rule(ARRAY, *[v.data for v in xs])
        return make_node(y, "logsumexp", tuple(xs), local)
    m = _max(xs)
    return sum(((v - m).exp() for v in xs[1:]), (xs[0] - m).exp()).log() + m


def log_softmax(logits) -> list:
    """ln softmax(z)_i = z_i - logsumexp(z)."""
    xs = _values(logits)
    lse = logsumexp(xs)
    return [v - lse for v in xs]


def softmax(logits) -> list:
    """softmax(z)_i = e**(z_i - m) / Σ_j e**(z_j - m): probabilities that sum to 1."""
    xs = _values(logits)
    m = _max(xs)
    exps = [(v - m).exp() for v in xs]
    total = sum(exps[1:], exps[0])
    return [e / total for e in exps]
