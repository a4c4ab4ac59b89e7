"""The one extension door: ops written outside ``ops.py``, and kernels that back-propagate
a node in bulk. The engine calls both without knowing what they are.

**A student's op** (PyTorch's ``autograd.Function``, with micrograd's ``_backward``): forward
and backward side by side, the math in the docstring::

    class Cube(autograd.Function):
        \"\"\"y = x**3;  dy/dx = 3·x**2\"\"\"

        @staticmethod
        def forward(x):              # numbers in, a number out
            return x ** 3

        @staticmethod
        def backward(out, x):        # add d out/d x times out.grad into x.grad
            x.grad += 3 * x.data ** 2 * out.grad

    y = Cube.apply(a)                # a node of op "cube", in OPS, drawn and replayed by viz
    autograd.check_function(Cube)    # finite differences; names the likely mistake

**A kernel** (how nn's fused neuron and batched layer get in): ``make_node(data, op,
parents, local_grads)`` with ``local_grads`` a ``Kernel`` instead of a tuple of numbers.
``backward()`` hands the node's step to ``kernel.backprop(node, state)``; iterating the
kernel lists the local grads as numbers (what viz, the guards and ``graph.chain_rule`` read).
"""
from __future__ import annotations

import inspect
import math
import random

from .gradcheck import GradcheckError
from .graph import contribution
from .ops import OPS, register_op
from .value import Value, constant, make_node


class Kernel:
    """Local grads that back-propagate their node themselves.

    ``backprop(node, state)``: add each parent's share of ``node.grad`` to ``parent.grad``
    (``state``: the pass's ``fast.BackwardPass``; ``state.defer(key, make)`` puts work off to
    the end of the pass). ``walk(parents, state)``: the parents the backward walk should
    visit (all of them by default). Iterating gives d node/d parent per parent, in order.
    """

    __slots__ = ()

    def walk(self, parents: tuple, state) -> tuple:
        return parents

    def backprop(self, node, state) -> None:
        """The textbook step: ``parent.grad += local * node.grad``."""
        for parent, local in zip(node.parents, self):
            parent.grad += contribution(parent, local, node.grad)

    def __iter__(self):
        raise NotImplementedError(f"{type(self).__name__} must list its local grads (__iter__)")

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def __getitem__(self, i):
        return tuple(self)[i]


class _Probe:
    """What a ``Function.backward`` sees in place of a Value: ``data``, ``grad``, ``label``."""

    __slots__ = ("data", "grad", "label")

    def __init__(self, data, grad, label=""):
        self.data, self.grad, self.label = data, grad, label


def _run_backward(fn, y, xs, out_grad=1.0, start=0.0) -> list:
    """The grads ``fn.backward`` leaves on operands holding ``start``, given ``out.grad``."""
    probes = [_Probe(x, start) for x in xs]
    fn.backward(_Probe(y, out_grad), *probes)
    return [p.grad for p in probes]


class FunctionGrads(Kernel):
    """The local grads of a ``Function`` node: its backward, run on the real Values."""

    __slots__ = ("fn", "y", "xs")

    def __init__(self, fn, y, xs):
        self.fn, self.y, self.xs = fn, y, xs

    def backprop(self, node, state) -> None:
        self.fn.backward(node, *node.parents)  # the student's code, as micrograd runs it

    def __iter__(self):
        return iter(_run_backward(self.fn, self.y, self.xs))


class Function:
    """Base class of an op written as ``forward`` and ``backward`` (see the module's help).

    ``forward(*numbers) -> number``; ``backward(out, *operands)`` adds d out/d operand
    times ``out.grad`` into each ``operand.grad`` (``+=``: an operand used twice collects
    both). The docstring's first line states the math ("y = ...;  dy/dx = ..."). The op's
    name (its node's ``op`` string and its key in ``OPS``) is ``name``, else the class
    name in lower case. ``apply(*operands)`` makes the node (numbers become constants).
    """

    name = ""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        name = cls.name or cls.__name__.lower()
        if not (cls.__doc__ or "").strip():
            raise TypeError(f"{cls.__name__}: give the class a docstring stating its math, e.g. "
                            '"""y = x**3;  dy/dx = 3·x**2""" (viz and the docs show it)')
        old = OPS.get(name)
        if old is not None and not getattr(old.rule, "function", None):
            raise ValueError(f"{cls.__name__}: op {name!r} is a built-in op; set name = '...' to another one")
        arity = len(inspect.signature(cls.forward).parameters)

        def rule(xp, *xs):
            y = cls.forward(*xs)
            return y, tuple(_run_backward(cls, y, xs))

        rule.__doc__, rule.__name__, rule.function = cls.__doc__, name, cls
        cls.op = register_op(name, rule, arity)

    @staticmethod
    def forward(*xs):
        raise NotImplementedError

    @staticmethod
    def backward(out, *xs) -> None:
        raise NotImplementedError

    @classmethod
    def apply(cls, *operands) -> Value:
        """The node ``cls.forward`` of ``operands``, recorded with ``cls.backward`` as its step."""
        if len(operands) != cls.op.arity:
            raise TypeError(f"{cls.__name__}.apply takes {cls.op.arity} operands, got {len(operands)}")
        parents = tuple(constant(v) for v in operands)
        xs = tuple(p.data for p in parents)
        if any(x.__class__ is not float for x in xs):
            raise TypeError(f"{cls.__name__}.apply: a Function takes one-number Values, not batches")
        y = cls.forward(*xs)
        if isinstance(y, Value) or not isinstance(y, (int, float)):
            raise TypeError(f"{cls.__name__}.forward must return a number (work on the numbers it "
                            f"is given), got {type(y).__name__}")
        return make_node(float(y), cls.op.name, parents, FunctionGrads(cls, float(y), xs))


class FunctionCheckError(GradcheckError):
    """``check_function`` found a backward that disagrees with finite differences."""


def check_function(fn, points=None, domain=(0.5, 2.0), trials: int = 5, seed: int = 0,
                   eps: float = 1e-6, atol: float = 1e-5, rtol: float = 1e-3,
                   raise_exception: bool = True) -> bool:
    """Test ``fn.backward`` (a ``Function``) against central differences of ``fn.forward``.

    At ``points`` (tuples of operand values; default ``trials`` random ones in ``domain``)
    it runs backward with ``out.grad = 1.7`` on operands whose grads already hold 0.3, and
    compares what was added with 1.7 · (f(x + eps) - f(x - eps)) / (2 eps). A mismatch
    raises ``FunctionCheckError`` naming the likely mistake: a flipped sign, a forgotten
    ``* out.grad``, ``=`` instead of ``+=``, or the derivative of another operand.
    Returns True (False instead of raising with ``raise_exception=False``).
    """
    names = list(inspect.signature(fn.backward).parameters)[1:]
    n = fn.op.arity
    rng = random.Random(seed)
    points = points or [tuple(rng.uniform(*domain) for _ in range(n)) for _ in range(trials)]
    g, start = 1.7, 0.3
    for xs in points:
        xs = tuple(float(x) for x in xs)
        y = fn.forward(*xs)
        numeric = [(fn.forward(*_shift(xs, i, eps)) - fn.forward(*_shift(xs, i, -eps))) / (2 * eps)
                   for i in range(n)]
        final = _run_backward(fn, y, xs, g, start)
        added = [f - start for f in final]
        want = [g * d for d in numeric]
        if _close(added, want, atol, rtol):
            continue
        if not raise_exception:
            return False
        at = ", ".join(f"{a} = {x:.6g}" for a, x in zip(names, xs))
        rows = "\n".join(f"  {a}.grad: added {got:.6g}, expected {w:.6g} = out.grad · {d:.6g}"
                         for a, got, w, d in zip(names, added, want, numeric))
        raise FunctionCheckError(f"{fn.__name__}.backward is wrong at {at} (out.grad = {g}, "
                                 f"each grad held {start} before):\n{rows}\n"
                                 f"Hint: {_diagnose(names, final, added, want, numeric, start, atol, rtol)}")
    return True


def _diagnose(names, final, added, want, numeric, start, atol, rtol) -> str:
    """The mistake that best explains what backward added."""
    if _close(final, want, atol, rtol) or _close(final, numeric, atol, rtol):
        return ("'=' instead of '+=': backward replaced the grad its operand already had (the "
                "other paths' share) instead of adding to it. Write x.grad += ..., so that a "
                "value used in several places collects all of them.")
    if _close(added, numeric, atol, rtol):
        return ("you forgot the upstream gradient: multiply the local derivative by out.grad "
                "(chain rule: d L/d x = d out/d x · d L/d out): x.grad += (local derivative) * out.grad.")
    if _close(added, [-w for w in want], atol, rtol):
        return "the sign is flipped: every grad added has the opposite sign of the true one."
    for i, got in enumerate(added):
        for j, w in enumerate(want):
            if i != j and _close([got], [w], atol, rtol) and not _close([got], [want[i]], atol, rtol):
                return (f"derivative with respect to the wrong operand: what you add to "
                        f"{names[i]}.grad is d out/d {names[j]}; the grad of {names[i]} needs "
                        f"d out/d {names[i]} (the other operand's factor swaps in a product).")
    if any(a == 0.0 and w != 0.0 for a, w in zip(added, want)):
        missing = [a for a, got, w in zip(names, added, want) if got == 0.0 and w != 0.0]
        return f"backward added nothing to {', '.join(x + '.grad' for x in missing)}."
    return "the local derivative itself is wrong: check it against the math in the docstring."


def _shift(xs, i, h):
    return tuple(x + h if k == i else x for k, x in enumerate(xs))


def _close(got, want, atol, rtol) -> bool:
    return all(math.isfinite(a) and abs(a - b) <= atol + rtol * abs(b) for a, b in zip(got, want))
