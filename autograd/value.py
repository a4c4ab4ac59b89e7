"""``Value``: a number that remembers the op that made it, and backprop over such graphs.

A node holds numbers and a tuple of parents, never a closure over itself, so a graph has
no reference cycles and is freed by reference counting as soon as it is dropped.
The math of every op lives in ``ops.py``; this file only wires ops to Python operators.
"""
from __future__ import annotations

import numpy as np

from . import batch, collector, fast, hooks, ops
from .grad_mode import FAST, is_grad_enabled
from .graph import local_step, zero_grad
from .language import tr
from .ops import SCALAR, DomainError


def _binary_op(rule, reflected: bool = False):
    """The operator method for a two-operand rule of ``ops``: ``a OP b`` as a recorded node
    (``reflected``: for ``number OP value``, e.g. ``__rmul__``). Made once per operator, so
    that each use is one call."""
    symbol = rule.symbol

    def apply(a, b):
        if a.__class__ is not Value:
            a = constant(a)
        if b.__class__ is float:  # constant(b) written out: y * 1.0001 is the hottest path
            c = _new(Value)
            c.data = b
            c.grad = 0.0
            c.label = c.op = ""
            c.parents = c.local_grads = ()
            b = c
        elif b.__class__ is not Value:
            b = constant(b)
        ad, bd = a.data, b.data
        try:
            if ad.__class__ is float and bd.__class__ is float:
                y, local = rule(SCALAR, ad, bd)
            else:
                y, local = batch.on_arrays(rule, a, b)
        except DomainError as e:
            raise DomainError(f"{e}; {describe_operands(symbol, (a, b))}") from None
        return make_node(y, symbol, (a, b), local)

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
                y, local = batch.on_arrays(rule, a, **params)
        except DomainError as e:
            raise DomainError(f"{e}; {describe_operands(symbol, (a,))}") from None
        return make_node(y, symbol, (a,), local)

    return _named(apply, rule)


def _named(method, rule):
    """``method`` with the op's name and its math (the rule's docstring) as its help."""
    method.__doc__ = rule.__doc__
    method.__name__ = rule.__name__.rstrip("_")
    method.__qualname__ = f"Value.{method.__name__}"
    return method


class Value:
    """A node of the computation graph.

    ``data``: the forward value (float);  ``grad``: d(output)/d(this node), filled by
    ``backward()``;  ``op``: the op that made it ("" for a leaf);  ``parents``: its
    operands, one entry per use (``a * a`` has two);  ``local_grads``: d(this)/d(parent)
    for each parent, in the same order (numbers, or a kernel: see ``function.py``).
    """

    __slots__ = ("data", "grad", "label", "op", "parents", "local_grads", "__weakref__")

    def __init__(self, data, label: str = "", _op=None):
        self.data = data if data.__class__ is float else batch.to_float(data)
        if label.__class__ is not str or _op is not None:
            batch.refuse_label(label, _op)  # micrograd's Value(data, (a, b), "+"): a clear error
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
        collector.pause()  # first, before anything is allocated: the GC must not scan the graph
        walked = None
        try:
            for hook in hooks.BEFORE_BACKWARD:  # the teaching guards, detect_anomaly()
                hook(self, grad)
            if self.data.__class__ is np.ndarray:
                grad = batch.seed(self, grad)
            with np.errstate(all="ignore"):  # every rule already returns inf or nan where the math does
                # The pass is graph.chain_rule(self, grad), the textbook loop. fast.backward is
                # the same pass made fast; tests/test_engine_perf_paths.py proves them equal.
                walked = fast.backward(self, grad)
        finally:
            collector.resume(walked)  # collector.py: the live graph parked where the GC leaves it be
        for hook in hooks.AFTER_BACKWARD:
            hook(self)

    def zero_grad(self) -> None:
        """Set ``grad = 0.0`` on every node of this graph, leaves included."""
        zero_grad(self)

    @classmethod
    def batch(cls, data, label: str = "") -> "Value":
        """A leaf holding one number per sample: a 1-D array of N floats (a copy of ``data``).

        Ops on it work sample by sample and give batched Values; a scalar Value used with
        it (a parameter) acts on every sample, and its grad is summed over the batch.
        ``.sum()`` / ``.mean()`` reduce a batch to one number (a scalar Value).
        """
        out = make_node(batch.to_array(data), "", (), ())
        out.label = label
        return out

    # --- micrograd's names: the lecture's code runs as written ---------------------------

    @property
    def _prev(self) -> tuple:
        """micrograd's name for the operands: each distinct parent once, in order."""
        return tuple(dict.fromkeys(self.parents))

    @property
    def _op(self) -> str:
        """micrograd's name for ``op``."""
        return self.op

    def _backward(self) -> None:
        """This node's own step of the chain rule: ``parent.grad += local * self.grad``."""
        local_step(self)

    # --- plumbing ---------------------------------------------------------------------

    def item(self) -> float:
        """The data as a Python float (PyTorch's name)."""
        if self.data.__class__ is np.ndarray:
            raise TypeError(f"item() of a batch of {self.data.size} values: reduce it first "
                            "(.mean() or .sum()), or read .data for the array")
        return self.data

    def __float__(self) -> float:
        """An error while recording (math.exp(v) would leave the graph); see ``batch.as_float``."""
        return batch.as_float(self)

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
    sum = _unary_op(ops.sum_)  # a batch to one scalar Value (a scalar stays as it is)
    mean = _unary_op(ops.mean)

    def leaky_relu(self, negative_slope: float = 0.01):
        return _leaky_relu(self, negative_slope=negative_slope)

    leaky_relu.__doc__ = ops.leaky_relu.__doc__


_leaky_relu = _unary_op(ops.leaky_relu)  # Value.leaky_relu passes on its negative_slope
_new = object.__new__


def make_node(data, op: str, parents: tuple, local_grads) -> Value:
    """A new Value made by ``op`` from ``parents`` (a leaf when ``op`` is ""), unchecked.

    ``local_grads``: d(data)/d(parent) per parent, or a kernel (``function.Kernel``).
    Outside ``no_grad()`` the node records its op and parents; hooks (``hooks.py``) see it.
    """
    out = _new(Value)
    out.data = data
    out.grad = 0.0
    out.label = ""
    if FAST.plain:  # recording in every thread, and no hook watches nodes: the usual case
        out.op = op
        out.parents = parents
        out.local_grads = local_grads
        return out
    if is_grad_enabled():
        out.op, out.parents, out.local_grads = op, parents, local_grads
        for hook in hooks.NODE_MADE:  # detect_anomaly()
            hook(out, op, parents)
    else:
        out.op, out.parents, out.local_grads = "", (), ()
    return out


def constant(x) -> Value:
    """A plain number used in an op becomes a leaf (as in micrograd), drawn by its value."""
    if x.__class__ is not float:
        if isinstance(x, Value):
            return x
        x = batch.to_float(x)
    out = _new(Value)
    out.data = x
    out.grad = 0.0
    out.label = out.op = ""
    out.parents = out.local_grads = ()
    return out


_node, _constant = make_node, constant  # the old names, still imported by nn/losses.py


def describe_operands(name: str, args) -> str:
    """'op tanh on a (label 'x') = 2.0, ...': how errors name an op's operands."""
    parts = []
    for i, a in enumerate(args):
        who = tr("label {label!r}", label=a.label) if a.label else tr("operand {i}", i=i + 1)
        if a.op:
            who += tr(", made by {op!r}", op=a.op)
        parts.append(f"{who} = {a.data!r}")
    return tr("op {name!r} on ", name=name) + ", ".join(parts)
