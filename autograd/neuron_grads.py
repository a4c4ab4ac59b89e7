"""The local grads of a fused neuron on one sample, kept as their factors.

A fused neuron y = act(z), z = Σ w_i·x_i + b, has 2n + 1 local grads: act'(z)·x_i (for
w_i), act'(z) (for b) and act'(z)·w_i (for x_i). A layer of nn builds its neurons on the
same inputs, so instead of a tuple of 2n + 1 numbers per neuron each keeps three factors:
the inputs it shares with the rest of its layer (``SharedInputs``), the data of its
weights, and d = act'(z). That is what makes the fused path fast:

- ``backward()`` adds gz = g·d to the bias, x_i·gz to each w_i and w_i·gz to each x_i,
  the same products in the same order as micrograd's fine-grained graph
  (its mul nodes compute x_i·(d·g));
- the graph walk of ``backward()`` only looks at the inputs (the weights and the bias are
  leaves, checked when the layer builds the node), and at one layer's inputs once.

Indexing, ``len`` and iteration give the usual entries (w..., b, x... order), so code that
reads ``node.local_grads`` (viz, the guards) sees the same numbers as for a tuple.
"""
from __future__ import annotations


class SharedInputs:
    """The inputs ``xs`` (Values, data ``xd``) that the neurons of one layer see for one
    sample. ``mark`` is the graph walk's note that it has visited them."""

    __slots__ = ("xs", "xd", "mark")

    def __init__(self, xs: tuple, xd: list):
        self.xs, self.xd, self.mark = xs, xd, None


class NeuronGrads:
    """d·x_i, d, d·w_i (parent order w..., b, x...) kept as ``inputs`` (``SharedInputs``),
    ``w`` (the weights' data) and ``d`` = act'(z). The neuron's weights and bias are leaves."""

    __slots__ = ("inputs", "w", "d")

    def __init__(self, inputs: SharedInputs, w: list, d: float):
        self.inputs, self.w, self.d = inputs, w, d

    def backprop(self, parents: tuple, g: float) -> None:
        """w_i.grad += x_i·gz,  b.grad += gz,  x_i.grad += w_i·gz   (gz = g·act'(z))."""
        d = self.d
        if d == 0.0 and g - g == 0.0:
            return  # nothing flows back (g is finite, so no 0·inf = nan is lost)
        gz = g * d
        w = self.w
        for p, x in zip(parents, self.inputs.xd):  # the first n parents: the weights
            p.grad += x * gz
        parents[len(w)].grad += gz
        for x, wi in zip(self.inputs.xs, w):
            x.grad += wi * gz

    def __len__(self) -> int:
        return 2 * len(self.w) + 1

    def __getitem__(self, i):
        """Entry ``i`` (w..., b, x... order): d·x_i, d or d·w_i."""
        if i.__class__ is not int:
            return tuple(self)[i]
        n = len(self.w)
        if i < 0:
            i += 2 * n + 1
        if not 0 <= i <= 2 * n:
            raise IndexError("local grad index out of range")
        d = self.d
        if i < n:
            return d * self.inputs.xd[i]
        return d if i == n else d * self.w[i - n - 1]

    def __iter__(self):
        d = self.d
        yield from (d * x for x in self.inputs.xd)
        yield d
        yield from (d * w for w in self.w)

    def __eq__(self, other) -> bool:
        return tuple(self) == tuple(other) if isinstance(other, (tuple, NeuronGrads)) else NotImplemented

    __hash__ = None

    def __repr__(self) -> str:
        return f"NeuronGrads{tuple(self)!r}"
