"""``Dropout``: randomly silence inputs while training, with inverted scaling.

In training mode each input is kept with probability 1 - p and then multiplied by
1 / (1 - p) (the notes' N / (N - N_out)), so the expected output equals the input and
nothing needs rescaling at test time. In eval mode it is the identity.
"""
from __future__ import annotations

import numbers

from autograd import Value

from . import init as initialise
from .module import Module


class Dropout(Module):
    """y_i = x_i · m_i / (1 - p) with m_i ~ Bernoulli(1 - p) in training; y = x in eval."""

    def __init__(self, p: float = 0.5, seed=None):
        if isinstance(p, bool) or not isinstance(p, numbers.Real) or not 0.0 <= p <= 1.0:
            raise ValueError(f"dropout probability p must be a number in [0, 1], got {p!r}")
        self.p = float(p)
        self._rng = initialise.rng(seed)

    def forward(self, x):
        """A list of Values (or one Value) like ``x``."""
        if isinstance(x, Value):
            return self._forward([x])[0]
        return self._forward(list(x))

    def _forward(self, xs: list) -> list:
        if not self.training or self.p == 0.0:
            return xs
        if self.p == 1.0:
            return [v * 0.0 for v in xs]
        scale = 1.0 / (1.0 - self.p)
        size = getattr(xs[0].data, "size", None) if isinstance(xs[0], Value) else None
        if size is not None:  # batched Values: a mask per sample, as a batch of factors
            keep = self._rng.random((len(xs), size)) >= self.p
            return [v * Value.batch(k * scale) for v, k in zip(xs, keep)]
        keep = self._rng.random(len(xs)) >= self.p
        return [v * (scale if k else 0.0) for v, k in zip(xs, keep.tolist())]

    def config(self) -> dict:
        return {"p": self.p}
