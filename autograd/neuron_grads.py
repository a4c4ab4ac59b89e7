"""The local grads of a fused neuron on one sample, kept as their factors.

A fused neuron y = act(z), z = Σ w_i·x_i + b, has 2n + 1 local grads: act'(z)·x_i (for
w_i), act'(z) (for b) and act'(z)·w_i (for x_i). A layer of nn builds its neurons on the
same inputs, so instead of a tuple of 2n + 1 numbers per neuron each keeps three factors:
the inputs it shares with the rest of its layer (``SharedInputs``), the data of its
weights, and d = act'(z). That is what makes the fused path fast:

- ``backward()`` adds gz = g·d to the bias and w_i·gz to each x_i, the products that
  micrograd's fine-grained graph computes (its mul nodes compute w_i·(d·g));
- the graph walk of ``backward()`` only looks at the inputs (the weights and the bias are
  leaves, checked when the layer builds the node), and at one layer's inputs once;
- the weights' share, Σ over samples of x_i·gz, waits until the end of ``backward()``:
  each sample only notes its gz, and ``flush`` adds G^T·X (one matrix product per layer)
  to the weights' grads. Only the order of that sum over the samples differs from adding
  the products one by one.

Indexing, ``len`` and iteration give the usual entries (w..., b, x... order), so code that
reads ``node.local_grads`` (viz, the guards) sees the same numbers as for a tuple.
"""
from __future__ import annotations

import numpy as np


class SharedInputs:
    """The inputs ``xs`` (Values, data ``xd``) that the neurons of one layer see for one
    sample. ``mark`` is the graph walk's note that it has visited them; ``layer`` lists the
    layer's neurons (tuples whose first entry is the neuron's (w..., b)), and ``gz`` is
    this backward pass's g·act'(z) of each of them (None outside a pass)."""

    __slots__ = ("xs", "xd", "mark", "layer", "gz")

    def __init__(self, xs: tuple, xd: list, layer: list):
        self.xs, self.xd, self.mark, self.layer, self.gz = xs, xd, None, layer, None


pending: list = []  # the SharedInputs whose gz the current backward pass has begun to fill


def flush() -> None:
    """Add each layer's Σ_samples gz·x (G^T·X) to its weights' grads; end of a backward pass."""
    layers: dict = {}
    for inputs in pending:
        layers.setdefault(id(inputs.layer), (inputs.layer, []))[1].append(inputs)
    pending.clear()
    for layer, groups in layers.values():
        X = np.array([inputs.xd for inputs in groups])  # (samples, inputs)
        if np.isfinite(X).all():
            G = np.array([inputs.gz for inputs in groups])  # (samples, neurons)
            with np.errstate(all="ignore"):
                grads = (G.T @ X).tolist()
            for neuron, row in zip(layer, grads):
                for p, v in zip(neuron[0], row):  # the weights: the first n of (w..., b)
                    p.grad += v
        else:  # an inf or nan input: one by one, so that a neuron that passed nothing
            for inputs in groups:  # back (gz = 0) does not turn 0·inf into nan
                for neuron, gz in zip(layer, inputs.gz):
                    if gz != 0.0:
                        for p, x in zip(neuron[0], inputs.xd):
                            p.grad += x * gz
        for inputs in groups:
            inputs.gz = None


class NeuronGrads:
    """d·x_i, d, d·w_i (parent order w..., b, x...) kept as ``inputs`` (``SharedInputs``),
    ``w`` (the weights' data) and ``d`` = act'(z). The neuron's weights and bias are leaves."""

    __slots__ = ("inputs", "w", "d", "index")

    def __init__(self, inputs: SharedInputs, w: list, d: float, index: int):
        self.inputs, self.w, self.d, self.index = inputs, w, d, index  # index: in inputs.layer

    def backprop(self, parents: tuple, g: float) -> None:
        """w_i.grad += x_i·gz (at ``flush``),  b.grad += gz,  x_i.grad += w_i·gz   (gz = g·act'(z))."""
        d = self.d
        if d == 0.0 and g - g == 0.0:
            return  # nothing flows back (g is finite, so no 0·inf = nan is lost)
        gz = g * d
        inputs = self.inputs
        gzs = inputs.gz
        if gzs is None:
            gzs = inputs.gz = [0.0] * len(inputs.layer)
            pending.append(inputs)
        gzs[self.index] += gz
        w = self.w
        parents[len(w)].grad += gz
        for x, wi in zip(inputs.xs, w):
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
