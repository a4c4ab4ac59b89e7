"""``Value``: a number that remembers the op that made it, and backprop over such graphs.

A node holds numbers and a tuple of parents, never a closure over itself, so a graph has
no reference cycles and is freed by reference counting as soon as it is dropped.
The math of every op lives in ``ops.py``; this file only wires ops to Python operators.
"""
from __future__ import annotations

import numbers

import numpy as np

from . import grad_mode, guards, ops
from .graph import backward_order, gc_paused, zero_grad
from . import neuron_grads
from .neuron_grads import NeuronGrads
from .ops import ARRAY, SCALAR, DomainError, ZeroGrads

_REAL_HINT = "Value holds one real number (int, float, bool or a numpy scalar)"


def _to_float(data) -> float:
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
    if isinstance(data, Value):
        raise TypeError("Value(data) got a Value; use it directly, or Value(v.data) for a fresh leaf")
    raise TypeError(f"Value(data) got {type(data).__name__} {data!r:.60}; {_REAL_HINT}")


def _binary_op(rule, reflected: bool = False):
    """The operator method for a two-operand rule of ``ops``: ``a OP b`` as a recorded node
    (``reflected``: for ``number OP value``, e.g. ``__rmul__``). Made once per operator, so
    that each use is one call."""
    symbol = rule.symbol

    def apply(a, b):
        if a.__class__ is not Value:
            a = _constant(a)
        if b.__class__ is float:  # _constant(b) inlined: y * 1.0001 is the hottest path of all
            c = _new(Value)
            c.data = b
            c.grad = 0.0
            c.label = c.op = ""
            c.parents = c.local_grads = ()
            b = c
        elif b.__class__ is not Value:
            b = _constant(b)
        ad = a.data
        bd = b.data
        try:
            if ad.__class__ is float and bd.__class__ is float:
                y, local = rule(SCALAR, ad, bd)
            else:
                y, local = _on_arrays(rule, a, b)
        except DomainError as e:
            raise DomainError(f"{e}; {describe_operands(symbol, (a, b))}") from None
        return _node(y, symbol, (a, b), local)

    if reflected:
        def reflected_apply(self, other):
            return apply(other, self)
        return _named(reflected_apply, rule)
    return _named(apply, rule)


def _unary_op(rule):
    """The method for a one-operand rule of ``ops``: ``value.tanh()`` as a recorded node
    (``params`` go to the rule, e.g. leaky_relu's ``negative_slope``)."""
    symbol = rule.symbol

    def apply(a, **params):
        ad = a.data
        try:
            if ad.__class__ is float:
                y, local = rule(SCALAR, ad, **params) if params else rule(SCALAR, ad)
            else:
                y, local = _on_arrays(rule, a, **params)
        except DomainError as e:
            raise DomainError(f"{e}; {describe_operands(symbol, (a,))}") from None
        return _node(y, symbol, (a,), local)

    return _named(apply, rule)


def _named(method, rule):
    """``method`` with the op's name and its math (the rule's docstring) as its help."""
    method.__doc__ = rule.__doc__
    method.__name__ = rule.__name__.rstrip("_")
    method.__qualname__ = f"Value.{method.__name__}"
    return method


_leaky_relu = _unary_op(ops.leaky_relu)  # Value.leaky_relu passes on its negative_slope


class Value:
    """A node of the computation graph.

    ``data``: the forward value (float);  ``grad``: d(output)/d(this node), filled by
    ``backward()``;  ``op``: the op that made it ("" for a leaf);  ``parents``: its
    operands, one entry per use (``a * a`` has two);  ``local_grads``: d(this)/d(parent)
    for each parent, in the same order.
    """

    __slots__ = ("data", "grad", "label", "op", "parents", "local_grads", "__weakref__")

    def __init__(self, data, label: str = ""):
        self.data = data if data.__class__ is float else _to_float(data)
        self.grad = 0.0
        self.label = label
        self.op = ""
        self.parents = ()
        self.local_grads = ()

    # --- the chain rule ---------------------------------------------------------------

    def backward(self, grad: float = 1.0) -> None:
        """Fill ``grad`` of every node below ``self`` with d(self)/d(node).

        One pass in reverse topological order: ``parent.grad += local * node.grad``, so a
        value used on several paths collects all of them. Intermediate grads are recomputed
        on every call; leaf grads accumulate across calls, as in PyTorch (call
        ``zero_grad()`` or the optimizer's ``zero_grad()`` between steps).
        """
        if guards.checks_backward:  # teaching guards (guards.py), before any grad is written
            guards.before_backward(self)
        if self.data.__class__ is np.ndarray:
            grad = _batch_seed(self, grad)
        # the pass makes no cycles: keep the cyclic GC off the graph; numpy's warnings are
        # off too, as every rule already returns inf or nan where the math does
        with gc_paused(), np.errstate(all="ignore"):
            order = backward_order(self)  # the nodes with parents; their grads set to 0.0
            self.grad += grad
            try:
                _backprop(order)
            finally:
                if neuron_grads.pending:  # fused neurons' weight grads: one product per layer
                    neuron_grads.flush()

    def zero_grad(self) -> None:
        """Set ``grad = 0.0`` on every node of this graph, leaves included."""
        zero_grad(self)

    # --- batched mode -----------------------------------------------------------------

    @classmethod
    def batch(cls, data, label: str = "") -> "Value":
        """A leaf holding one number per sample: a 1-D array of N floats (a copy of ``data``).

        Ops on it work sample by sample and give batched Values; a scalar Value used with
        it (a parameter) acts on every sample, and its grad is summed over the batch.
        ``.sum()`` / ``.mean()`` reduce a batch to one number (a scalar Value).
        """
        arr = np.array(data, dtype=np.float64) if _is_real_array(data) else None
        if arr is None or arr.ndim != 1 or arr.size == 0:
            raise TypeError(_batch_error(data))
        out = _node(arr, "", (), ())
        out.label = label
        return out

    sum = _unary_op(ops.sum_)  # a batch to one scalar Value (a scalar stays as it is)
    mean = _unary_op(ops.mean)

    # --- plumbing ---------------------------------------------------------------------

    def item(self) -> float:
        """The data as a Python float (PyTorch's name)."""
        if self.data.__class__ is np.ndarray:
            raise TypeError(f"item() of a batch of {self.data.size} values: reduce it first "
                            "(.mean() or .sum()), or read .data for the array")
        return self.data

    def __float__(self) -> float:
        return float(self.data)

    def __repr__(self) -> str:
        label = f", label={self.label!r}" if self.label else ""
        op = f", op={self.op!r}" if self.op else ""
        return f"Value(data={self.data!r}, grad={self.grad!r}{label}{op})"

    # --- operators: each a row of ops.OPS (help(Value.tanh) shows its math) ---------------

    __add__, __radd__ = _binary_op(ops.add), _binary_op(ops.add, reflected=True)
    __sub__, __rsub__ = _binary_op(ops.sub), _binary_op(ops.sub, reflected=True)
    __mul__, __rmul__ = _binary_op(ops.mul), _binary_op(ops.mul, reflected=True)
    __truediv__, __rtruediv__ = _binary_op(ops.div), _binary_op(ops.div, reflected=True)
    __pow__, __rpow__ = _binary_op(ops.pow), _binary_op(ops.pow, reflected=True)
    __neg__ = _unary_op(ops.neg)
    __abs__ = _unary_op(ops.abs_)
    exp = _unary_op(ops.exp)
    log = _unary_op(ops.log)
    sqrt = _unary_op(ops.sqrt)
    sin = _unary_op(ops.sin)
    cos = _unary_op(ops.cos)
    tanh = _unary_op(ops.tanh)
    sigmoid = _unary_op(ops.sigmoid)
    relu = _unary_op(ops.relu)
    step = _unary_op(ops.step)
    softplus = _unary_op(ops.softplus)

    def leaky_relu(self, negative_slope: float = 0.01):
        return _leaky_relu(self, negative_slope=negative_slope)

    leaky_relu.__doc__ = ops.leaky_relu.__doc__


def _backprop(order: list) -> None:
    """``parent.grad += local * node.grad`` for each node of ``order`` (parents first), last first."""
    for node in reversed(order):
        g = node.grad
        if g.__class__ is not float:  # a batched node: its grad is an array
            _backprop_batched(node, g)
            continue
        parents = node.parents
        if len(parents) == 2:  # unrolled: most nodes are binary
            a, b = parents
            da, db = node.local_grads
            a.grad += da * g
            b.grad += db * g
        else:
            local_grads = node.local_grads
            if local_grads.__class__ is not tuple:
                if local_grads.__class__ is NeuronGrads:  # a fused neuron's factors
                    local_grads.backprop(parents, g)
                    continue
                if local_grads.__class__ is ZeroGrads and g - g == 0.0:
                    continue  # passes on nothing (g is finite, so no 0·inf = nan is lost)
            for parent, local in zip(parents, local_grads):
                parent.grad += local * g


def _node(data, op: str, parents: tuple, local_grads: tuple) -> Value:
    """A new Value made by ``op`` (or a leaf when ``op`` is ""), without re-checking data."""
    out = _new(Value)
    out.data = data
    out.grad = 0.0
    out.label = ""
    if grad_mode._enabled:
        out.op = op
        out.parents = parents
        out.local_grads = local_grads
    else:
        out.op = ""
        out.parents = out.local_grads = ()
    return out


def _constant(x) -> Value:
    """A plain number used in an op becomes a leaf (as in micrograd), drawn by its value."""
    if x.__class__ is not float:
        if isinstance(x, Value):
            return x
        x = _to_float(x)
    out = _new(Value)
    out.data = x
    out.grad = 0.0
    out.label = out.op = ""
    out.parents = out.local_grads = ()
    return out


_new = object.__new__


# --- batched mode: data that is a 1-D numpy array, one entry per sample -------------------

def _on_arrays(rule, *args, **params):
    """``rule`` applied with numpy to operands of which at least one is a batch.

    numpy's warnings are silenced: the rules already return inf or nan where the math
    does (as the float path does), and raise ``DomainError`` for inputs outside the domain.
    """
    if len(args) == 2 and args[0].data.__class__ is args[1].data.__class__ is np.ndarray \
            and args[0].data.size != args[1].data.size:
        sizes = sorted(a.data.size for a in args)
        raise ValueError(f"batch sizes differ ({sizes[0]} vs {sizes[1]}): "
                         f"{describe_operands(rule.symbol, args)}; every batched Value in "
                         "one graph must hold the same samples")
    with np.errstate(all="ignore"):
        return rule(ARRAY, *[a.data for a in args], **params)


def _backprop_batched(node, g) -> None:
    """``parent.grad += local * g`` for a node whose grad ``g`` is an array (one per sample).

    A scalar parent (a parameter, a constant) was used for every sample: it gets the
    contribution summed over the batch, so its grad stays one number. A node whose
    ``local_grads`` is not a tuple but an object with ``backprop(parents, g)`` (the batched
    fused neuron) does the same in bulk, with matrix products.
    """
    local_grads = node.local_grads
    if local_grads.__class__ is not tuple:
        local_grads.backprop(node.parents, g)
        return
    for parent, local in zip(node.parents, local_grads):
        contribution = local * g
        if parent.data.__class__ is not np.ndarray:
            contribution = float(np.sum(contribution))
        parent.grad += contribution


def _batch_seed(root, grad):
    """The starting grad of ``backward()`` on a batched root: one entry per sample."""
    n = root.data.size
    if np.ndim(grad) != 1 or np.size(grad) != n:
        raise ValueError(
            f"backward() on a batch of {n} values needs one gradient per sample: reduce the "
            "batch to one number first (loss.mean() or loss.sum()), or pass grad=array of "
            f"length {n}")
    return np.array(grad, dtype=np.float64)


def _is_real_array(data) -> bool:
    """True for an array-like of real numbers that numpy can hold as float64."""
    if isinstance(data, (Value, str, bytes)) or not hasattr(data, "__len__"):
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


def describe_operands(name: str, args) -> str:
    """'op tanh on a (label 'x') = 2.0, ...': how errors name an op's operands."""
    parts = []
    for i, a in enumerate(args):
        who = f"label {a.label!r}" if a.label else f"operand {i + 1}"
        if a.op:
            who += f", made by {a.op!r}"
        parts.append(f"{who} = {a.data!r}")
    return f"op {name!r} on " + ", ".join(parts)
