"""The math namespaces a rule of ``ops.py`` computes through: ``SCALAR`` for Python floats
(the math module: fast, no arrays) and ``ARRAY`` for batches (numpy), under the same names."""
from __future__ import annotations

import math

import numpy as np


class ScalarMath:
    """The subset of numpy's API the rules use, for Python floats (fast, no arrays)."""

    tanh = staticmethod(math.tanh)
    sqrt = staticmethod(math.sqrt)
    copysign = staticmethod(math.copysign)
    log = staticmethod(math.log)
    log1p = staticmethod(math.log1p)
    abs = staticmethod(abs)
    any = staticmethod(bool)

    @staticmethod
    def exp(x):
        try:
            return math.exp(x)
        except OverflowError:  # e**x beyond float range: inf, as numpy and PyTorch give
            return math.inf

    @staticmethod
    def sin(x):
        return math.sin(x) if math.isfinite(x) else math.nan  # math.sin(inf) raises

    @staticmethod
    def cos(x):
        return math.cos(x) if math.isfinite(x) else math.nan

    @staticmethod
    def power(x, y):
        try:
            return float(x**y)
        except (OverflowError, ZeroDivisionError):  # beyond float range, or 0 to a power < 0
            odd = float(y).is_integer() and y % 2 == 1
            return math.copysign(math.inf, x) if odd else math.inf

    @staticmethod
    def zeros_like(x):
        return 0.0

    @staticmethod
    def where(cond, a, b):
        return a if cond else b

    @staticmethod
    def non_integer(y):
        return not float(y).is_integer()

    # a float is a batch of one sample: the batch reductions leave it as it is
    @staticmethod
    def sum(x):
        return x

    mean = sum

    @staticmethod
    def size(x):
        return 1

    @staticmethod
    def full_like(x, fill):
        return fill


class ArrayMath:
    """numpy, plus the two helpers ScalarMath has under the same names."""

    def __getattr__(self, name):
        value = getattr(np, name)
        setattr(self, name, value)  # cached: later lookups skip __getattr__
        return value

    @staticmethod
    def where(cond, a, b):
        return np.where(cond, a, b)

    @staticmethod
    def non_integer(y):
        return np.asarray(y) != np.round(y)


SCALAR = ScalarMath()
ARRAY = ArrayMath()
