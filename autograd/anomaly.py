"""``detect_anomaly()``: stop at the first op whose value or gradient is NaN or infinite.

Inside the block every op checks its result, and ``backward()`` checks the gradients it
wrote. The first non-finite number raises ``AnomalyError`` naming the op, its operands
(labels and values) and the file and line of *your* code that made the node::

    with autograd.detect_anomaly():
        loss = model(x)          # AnomalyError here if an op returns nan or inf
        loss.backward()          # ... or here, naming the node whose grad became nan

Outside the block nothing is checked and nothing is recorded: entering it installs three
hooks (``hooks.py``: node made, before and after backward) and leaving it removes them.
"""
from __future__ import annotations

import contextlib
import linecache
import math
import os
import sys
import threading
import weakref

import numpy as np

from . import hooks
from .graph import topological_order
from .value import describe_operands

# Frames from these folders are library code: the "where" of a node is the first frame
# outside them (the user's notebook cell or script).
_LIBRARY_DIRS = tuple(
    os.path.dirname(os.path.abspath(p)) + os.sep
    for p in (__file__, contextlib.__file__)
) + (os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "nn") + os.sep,)


class AnomalyError(ArithmeticError):
    """A NaN or an infinity appeared while ``detect_anomaly()`` was active.

    Attributes: ``op`` (the op that produced it), ``node`` (the Value concerned) and
    ``where`` ("file:line: code" of the user's code that made that node, or "").
    """

    def __init__(self, message: str, op: str = "", node=None, where: str = ""):
        super().__init__(message)
        self.op, self.node, self.where = op, node, where


def is_finite(x) -> bool:
    """True if ``x`` (a float, or a numpy array of a batched Value) holds no NaN or inf."""
    if x.__class__ is float:
        return math.isfinite(x)
    return bool(np.all(np.isfinite(x)))


def _describe_number(x) -> str:
    if x.__class__ is float or np.ndim(x) == 0:
        return repr(float(x))
    arr = np.asarray(x, dtype=float)
    nan, inf = int(np.isnan(arr).sum()), int(np.isinf(arr).sum())
    return f"an array with {nan} nan and {inf} inf among its {arr.size} entries"


def creation_site(skip: int = 1) -> str:
    """"file:line: code" of the innermost caller frame outside the library, or ""."""
    frame = sys._getframe(skip)
    last = None
    while frame is not None:
        last = frame
        if not frame.f_code.co_filename.startswith(_LIBRARY_DIRS):
            break
        frame = frame.f_back
    if last is None:
        return ""
    filename, line = last.f_code.co_filename, last.f_lineno
    code = linecache.getline(filename, line).strip()
    return f"{filename}:{line}" + (f": {code}" if code else "")


# --- the checks, installed as hooks while detect_anomaly() is active -------------------

class _Active:
    """How many detect_anomaly() blocks are open (in all threads), and their hooks."""

    lock = threading.Lock()
    depth = 0
    handles: list = []


_sites: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # node -> creation site


def _check_node(out, op, parents) -> None:
    """Node hook: refuse a non-finite result, and remember where each node is made."""
    if op and not is_finite(out.data):  # op "": a leaf (e.g. Value.batch), not an op's result
        where = creation_site(2)
        raise AnomalyError(
            f"op {op!r} produced {_describe_number(out.data)} in the forward pass; "
            f"{describe_operands(op, parents)}\n  created at {where or '(unknown)'}\n"
            f"{_forward_hint(op, parents)}",
            op=op, node=out, where=where,
        )
    if parents:
        _sites[out] = creation_site(2)


def _forward_hint(op: str, parents) -> str:
    bad = [p for p in parents if not is_finite(p.data)]
    if bad:
        return ("Hint: an operand is already nan or inf: it was made outside detect_anomaly() or "
                "given as a leaf; check the data you feed in (Value(float('nan')) is allowed).")
    if op == "exp":
        return "Hint: e**x overflows a float for x > ~709; scale the input down, or use sigmoid/softplus."
    if op in ("*", "**", "/", "+", "-") or op.startswith("neuron"):
        return ("Hint: the result is beyond the float range (~1.8e308) or is inf - inf / 0 * inf: "
                "values grew too large; lower the learning rate or normalise the inputs.")
    return "Hint: check the operand values above against the op's domain."


def _check_seed(root, grad) -> None:
    """Before-backward hook: the starting gradient must be finite."""
    if not is_finite(grad):
        raise AnomalyError(f"backward(grad={grad!r}): the starting gradient itself is not finite",
                           op=root.op, node=root)


def check_grads(root) -> None:
    """Raise ``AnomalyError`` for the first node (root first) whose grad is not finite.

    The first such node in backward order got its grad from nodes whose own grads are
    finite, so the culprit is a consumer whose local derivative is nan or inf (or a sum
    that overflowed). The message names that op, its operands and where it was made.
    """
    order = topological_order(root)
    for node in reversed(order):
        if not is_finite(node.grad):
            break
    else:
        return
    who = _who(node)
    for consumer in order:
        for i, (parent, local) in enumerate(zip(consumer.parents, consumer.local_grads)):
            if parent is not node:
                continue
            contribution = local * consumer.grad
            if is_finite(contribution):
                continue
            where = _sites.get(consumer, "")
            raise AnomalyError(
                f"backward: the gradient of {who} became {_describe_number(node.grad)}. It came "
                f"from op {consumer.op!r} (value {_describe_number(consumer.data)}, grad "
                f"{_describe_number(consumer.grad)}): its local derivative d{consumer.op}/d(operand "
                f"{i + 1}) = {_describe_number(local)}, times its grad gives "
                f"{_describe_number(contribution)}; {describe_operands(consumer.op, consumer.parents)}"
                f"\n  created at {where or '(made outside detect_anomaly())'}\n"
                f"{_backward_hint(consumer.op, local, consumer.grad)}",
                op=consumer.op, node=consumer, where=where,
            )
    raise AnomalyError(
        f"backward: the gradient of {who} is {_describe_number(node.grad)}, but every "
        "contribution to it is finite: either their sum overflowed, or the grad was already "
        "non-finite before this backward() (leaf grads accumulate: call zero_grad() first).",
        op=node.op, node=node, where=_sites.get(node, ""),
    )


def _who(node) -> str:
    name = f"{node.label!r}" if node.label else "a node"
    kind = f"made by op {node.op!r}" if node.op else "a leaf"
    return f"{name} ({kind}, value {_describe_number(node.data)})"


def _backward_hint(op: str, local, grad) -> str:
    if not is_finite(local) and is_finite(grad):
        if op in ("sqrt", "**"):
            return ("Hint: sqrt and fractional powers have an infinite slope at 0; keep the operand "
                    "away from 0 (e.g. sqrt(x + 1e-12)).")
        if op in ("/", "log"):
            return "Hint: 1/x and log x have an infinite slope at 0; keep the operand away from 0."
        return "Hint: the op's derivative is not finite at this operand value."
    return "Hint: a finite local derivative times a non-finite or huge gradient (0 * inf is nan)."


class detect_anomaly(contextlib.ContextDecorator):
    """Check every op's value and every gradient for NaN/inf inside the block (PyTorch's name).

    Also usable as ``@detect_anomaly()`` on a function. Slower (each op records the file and
    line that made it): use it to find a bug, not for training runs. Blocks nest; the
    checks stay on until the last open block (in any thread) closes.
    """

    def __enter__(self):
        with _Active.lock:
            if _Active.depth == 0:
                _Active.handles = [hooks.node_made(_check_node), hooks.before_backward(_check_seed),
                                   hooks.after_backward(check_grads)]
            _Active.depth += 1
        return self

    def __exit__(self, *exc):
        with _Active.lock:
            _Active.depth -= 1
            if _Active.depth == 0:
                for handle in _Active.handles:
                    handle.remove()
                _Active.handles = []
                _sites.clear()
        return False


def is_anomaly_enabled() -> bool:
    """True inside ``detect_anomaly()``."""
    return _Active.depth > 0
