"""The op table: every differentiable operation of the engine, defined once.

Each entry gives the forward value and the local derivatives dy/d(operand) of one op.
The same rule serves scalar Values (Python floats, via ``xp = SCALAR``) and batched
Values (1-D numpy arrays, via ``xp = ARRAY``): a rule only calls functions through ``xp``
(see ``xp.py``). Tests, docs and ``viz`` iterate over ``OPS``; adding an op is one entry
here plus a line in ``value.py`` that names it as a method or operator. Ops defined
elsewhere (nn's layers, a student's ``Function``) join the same table through
``register_op``.

Room for higher-order gradients: because a rule computes its local derivatives only
through ``xp`` and arithmetic, the same rule run with a namespace whose functions take
and give Values would return the local derivatives as Values (a graph of the gradient).
That is a third namespace beside SCALAR and ARRAY, not a new table.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

from .xp import ARRAY, SCALAR  # noqa: F401  (the math namespaces a rule computes through; callers import them from here)


class DomainError(ValueError):
    """An op was given an operand outside its mathematical domain (e.g. log of -1)."""


@dataclass(frozen=True)
class Op:
    """One table entry: ``rule(xp, *operands) -> (value, (d value / d operand, ...))``."""

    name: str  # the node's ``op`` string, e.g. "*" or "tanh"
    rule: Callable
    arity: int

    @property
    def math(self) -> str:
        """The first docstring line: the op's formula and derivatives."""
        return (self.rule.__doc__ or "").strip().splitlines()[0]


OPS: dict[str, Op] = {}


def register_op(name: str, rule: Callable, arity: int = 1) -> Op:
    """Put ``rule`` in ``OPS`` under ``name`` (the op string of the nodes it makes).

    ``rule(xp, *operands) -> (value, local_grads)``, its docstring's first line its math
    ("y = ...;  dy/dx = ..."); ``arity``: the number of operands, -1 for any number.
    """
    if not isinstance(name, str) or not name:
        raise TypeError(f"an op's name must be a non-empty str, got {name!r}")
    if not (rule.__doc__ or "").strip():
        raise ValueError(f"op {name!r}: give the rule a docstring stating its math "
                         "(\"y = ...;  dy/dx = ...\"); tests, docs and viz read it")
    entry = OPS[name] = Op(name, rule, arity)
    rule.symbol = name  # the op string Value records for nodes made by this rule
    return entry


def op(name: str, arity: int = 1):
    """``@op(name)``: ``register_op`` as a decorator."""
    return lambda rule: register_op(name, rule, arity).rule


def _check(xp, bad, message):
    if xp.any(bad):
        raise DomainError(message)


# --- arithmetic -----------------------------------------------------------------------

@op("+", 2)
def add(xp, a, b):
    """y = a + b;  dy/da = 1, dy/db = 1"""
    return a + b, (1.0, 1.0)


@op("-", 2)
def sub(xp, a, b):
    """y = a - b;  dy/da = 1, dy/db = -1"""
    return a - b, (1.0, -1.0)


@op("*", 2)
def mul(xp, a, b):
    """y = a * b;  dy/da = b, dy/db = a"""
    return a * b, (b, a)


@op("/", 2)
def div(xp, a, b):
    """y = a / b;  dy/da = 1/b, dy/db = -a/b**2 = -y/b"""
    _check(xp, b == 0, "division by zero: the divisor (right operand of /) is 0")
    y = a / b
    return y, (1.0 / b, -y / b)


@op("**", 2)
def pow(xp, x, y):
    """z = x ** y;  dz/dx = y·x**(y-1), dz/dy = x**y · ln x   (dz/dy = 0 where x <= 0)

    For x < 0 the power is only defined at whole-number y, so z is not differentiable in y
    there: dz/dy is taken as 0 (PyTorch gives nan), so that a constant exponent, as in
    (pred - target)**2, never shows a nan gradient.
    """
    _check(xp, (x < 0) & xp.non_integer(y),
           "**: a negative base to a non-integer power has no real value "
           "(the base is negative and the exponent is not a whole number)")
    _check(xp, (x == 0) & (y < 0),
           "**: zero to a negative power divides by zero (the base is 0 and the exponent is < 0)")
    z = xp.power(x, y)
    dx = xp.where(y == 0, 0.0, y * xp.power(x, y - 1.0))
    dy = xp.where(x > 0, z * xp.log(xp.where(x > 0, x, 1.0)), 0.0)
    return z, (dx, dy)


@op("neg")
def neg(xp, x):
    """y = -x;  dy/dx = -1"""
    return -x, (-1.0,)


@op("abs")
def abs_(xp, x):
    """y = |x|;  dy/dx = sign(x)  (abs'(0) = 0)"""
    return xp.abs(x), (xp.where(x > 0, 1.0, xp.where(x < 0, -1.0, 0.0)),)


# --- elementary functions -------------------------------------------------------------

@op("exp")
def exp(xp, x):
    """y = e**x;  dy/dx = e**x = y"""
    y = xp.exp(x)
    return y, (y,)


@op("log")
def log(xp, x):
    """y = ln x;  dy/dx = 1/x   (x > 0)"""
    _check(xp, x <= 0, "log: the operand must be > 0 (the natural log of a number <= 0 is undefined)")
    return xp.log(x), (1.0 / x,)


@op("sqrt")
def sqrt(xp, x):
    """y = sqrt(x);  dy/dx = 1 / (2 sqrt(x))   (x >= 0; inf at 0)"""
    _check(xp, x < 0, "sqrt: the operand must be >= 0 (the square root of a negative number is not real)")
    y = xp.sqrt(x)
    at_zero = y == 0
    return y, (xp.where(at_zero, xp.copysign(math.inf, y), 0.5 / xp.where(at_zero, 1.0, y)),)


@op("sin")
def sin(xp, x):
    """y = sin x;  dy/dx = cos x"""
    return xp.sin(x), (xp.cos(x),)


@op("cos")
def cos(xp, x):
    """y = cos x;  dy/dx = -sin x"""
    return xp.cos(x), (-xp.sin(x),)


# --- activations ----------------------------------------------------------------------

@op("tanh")
def tanh(xp, x):
    """y = tanh x;  dy/dx = 1 - y**2"""
    y = xp.tanh(x)
    return y, (1.0 - y * y,)


@op("sigmoid")
def sigmoid(xp, x):
    """y = σ(x) = 1 / (1 + e**-x);  dy/dx = y (1 - y)  (computed without overflow)"""
    e = xp.exp(-xp.abs(x))  # in (0, 1]: never overflows
    y = xp.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
    return y, (y * (1.0 - y),)


_ONE, _ZERO = (1.0,), (0.0,)


@op("relu")
def relu(xp, x):
    """y = max(0, x);  dy/dx = 1 if x > 0 else 0   (relu'(0) = 0; a nan passes through)"""
    if xp is SCALAR:  # one float: the same values without the two where() calls
        return (x, _ONE) if x > 0 else ((0.0, _ZERO) if x <= 0 else (x, _ONE))
    off = x <= 0
    return xp.where(off, 0.0, x), (xp.where(off, 0.0, 1.0),)


@op("leaky_relu")
def leaky_relu(xp, x, negative_slope=0.01):
    """y = x if x > 0 else a·x;  dy/dx = 1 if x > 0 else a   (a = negative_slope = 0.01)"""
    pos = x > 0
    return xp.where(pos, x, negative_slope * x), (xp.where(pos, 1.0, negative_slope),)


@op("step")
def step(xp, x):
    """y = 1 if x > 0 else 0 (Heaviside);  dy/dx = 0   (no gradient flows: why it can't be trained by backprop)"""
    return xp.where(x > 0, 1.0, 0.0), (xp.zeros_like(x),)


@op("softplus")
def softplus(xp, x):
    """y = ln(1 + e**x);  dy/dx = σ(x)   (computed without overflow)"""
    e = xp.exp(-xp.abs(x))
    y = xp.where(x > 0, x, 0.0) + xp.log1p(e)
    return y, (xp.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e)),)


# --- batch reductions: a batched Value (one entry per sample) to one number -------------

@op("sum")
def sum_(xp, x):
    """y = Σᵢ xᵢ over the samples of a batch;  dy/dxᵢ = 1"""
    return float(xp.sum(x)), (xp.full_like(x, 1.0),)


@op("mean")
def mean(xp, x):
    """y = (1/N) Σᵢ xᵢ over the N samples of a batch;  dy/dxᵢ = 1/N"""
    return float(xp.mean(x)), (xp.full_like(x, 1.0 / xp.size(x)),)
