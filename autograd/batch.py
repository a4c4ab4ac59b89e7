"""Batched mode (a Value's data is a 1-D numpy array, one entry per sample) and the checks
of what a Value may be made from: the parts of ``value.py`` a first reading can skip."""
from __future__ import annotations

import numbers

import numpy as np

from .grad_mode import is_grad_enabled
from .xp import ARRAY

_REAL_HINT = "Value holds one real number (int, float, bool or a numpy scalar)"


def to_float(data) -> float:
    """``data`` as a Python float, or a TypeError that names what was given instead."""
    if data.__class__ is int:  # the common case, before the slower abstract-class check
        return float(data)
    if isinstance(data, (numbers.Real, np.bool_)) and not isinstance(data, np.ndarray):
        return float(data)
    if isinstance(data, np.ndarray):
        raise TypeError(
            f"Value(data) got a numpy array of shape {data.shape}; {_REAL_HINT}. "
            "For one number use arr.item(); for a batch use Value.batch(arr)."
        )
    if hasattr(data, "parents") and hasattr(data, "grad"):
        raise TypeError("Value(data) got a Value; use it directly, or Value(v.data) for a fresh leaf")
    raise TypeError(f"Value(data) got {type(data).__name__} {data!r:.60}; {_REAL_HINT}")


def refuse_label(label, op) -> None:
    """The TypeError for ``Value(data, label)`` with a label that is not a str.

    micrograd's ``Value(data, (a, b), "+")`` passes the operands and the op by position;
    here ops record those themselves, so the second argument is only a name."""
    if op is None and label is None:
        raise TypeError("Value(data, label): label must be a str (use \"\" for none), got None")
    given = f"{type(label).__name__} {label!r:.60}" + (f" and {op!r:.30}" if op is not None else "")
    raise TypeError(
        f"Value(data, label) takes one name (a str) after the number, got {given}. micrograd's "
        "Value(data, (a, b), '+') form is not needed: ops record their operands and op themselves "
        "(write a + b). To name a value: Value(3.0, label=\"a\").")


def as_float(v) -> float:
    """``float(v)``: allowed inside ``no_grad()`` only.

    Outside it ``v`` may be a parameter or a node of a graph, and a float made from it (e.g.
    by ``math.exp(v)``, which calls ``float(v)``) is cut off from the graph: no gradient would
    flow through it. So that is a TypeError naming the Value method to use; read ``v.data``
    (or ``v.item()``) for the number itself.
    """
    if is_grad_enabled():
        who = f"{v.label!r}" if v.label else (f"a value made by {v.op!r}" if v.op else "a Value")
        raise TypeError(
            f"float() of {who}: turning a Value into a float leaves the graph, so no gradient flows "
            "through the result (math.exp(v) leaves the graph; use v.exp(), and likewise v.tanh(), "
            "v.log(), ...). For the number itself read v.data (or v.item()); float(v) works inside "
            "`with autograd.no_grad():`.")
    if v.data.__class__ is np.ndarray:
        raise TypeError(f"float() of a batch of {v.data.size} values: reduce it first, or read .data")
    return float(v.data)


def on_arrays(rule, *args, **params):
    """``rule`` applied with numpy to Value operands of which at least one is a batch.

    numpy's warnings are silenced: the rules already return inf or nan where the math
    does (as the float path does), and raise ``DomainError`` for inputs outside the domain.
    """
    if len(args) == 2 and args[0].data.__class__ is args[1].data.__class__ is np.ndarray \
            and args[0].data.size != args[1].data.size:
        from .value import describe_operands

        sizes = sorted(a.data.size for a in args)
        raise ValueError(f"batch sizes differ ({sizes[0]} vs {sizes[1]}): "
                         f"{describe_operands(rule.symbol, args)}; every batched Value in "
                         "one graph must hold the same samples")
    with np.errstate(all="ignore"):
        return rule(ARRAY, *[a.data for a in args], **params)


def seed(root, grad):
    """The starting grad of ``backward()`` on a batched root: one entry per sample."""
    n = root.data.size
    if np.ndim(grad) != 1 or np.size(grad) != n:
        raise ValueError(
            f"backward() on a batch of {n} values needs one gradient per sample: reduce the "
            "batch to one number first (loss.mean() or loss.sum()), or pass grad=array of "
            f"length {n}")
    return np.array(grad, dtype=np.float64)


def to_array(data) -> np.ndarray:
    """``data`` as a fresh 1-D float64 array for ``Value.batch``, or a TypeError saying why not."""
    arr = np.array(data, dtype=np.float64) if _is_real_array(data) else None
    if arr is None or arr.ndim != 1 or arr.size == 0:
        raise TypeError(_batch_error(data))
    return arr


def batch_rows(M: np.ndarray) -> tuple:
    """One batched leaf per row of ``M``, a 2-D float64 array the caller made (its own copy):
    ``Value.batch`` without its checks and copies. Each leaf's data is a view of its row."""
    from .value import make_node

    return tuple([make_node(row, "", (), ()) for row in M])


def _is_real_array(data) -> bool:
    """True for an array-like of real numbers that numpy can hold as float64."""
    if isinstance(data, (str, bytes)) or not hasattr(data, "__len__") or hasattr(data, "parents"):
        return False
    try:
        return np.asarray(data).dtype.kind in "biuf"
    except (TypeError, ValueError):
        return False


def _batch_error(data) -> str:
    """Why ``Value.batch(data)`` was refused, and what to pass instead."""
    what = f"shape {np.shape(data)}" if _is_real_array(data) else f"{type(data).__name__} {data!r:.60}"
    return (f"Value.batch(data) takes a non-empty 1-D array of real numbers (one per sample), "
            f"got {what}. For a 2-D array X of shape (N, d) use one batch per column, "
            "[Value.batch(X[:, j]) for j in range(d)], or pass X to an nn model; "
            "for one number use Value(x).")
