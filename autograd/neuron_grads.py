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

Batched mode (``InputGroup``, ``BatchedNeuronGrads``): a layer on batched inputs does the
same per layer instead of per sample: each neuron only notes its grad, and once the last
of them has, the layer adds W^T·G to the inputs' grads and G·X^T to the weights'.

Indexing, ``len`` and iteration give the usual entries (w..., b, x... order), so code that
reads ``node.local_grads`` (viz, the guards) sees the same numbers as for a tuple.
"""
from __future__ import annotations

from itertools import chain

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
        groups = layers.get(id(inputs.layer))
        if groups is None:
            groups = layers[id(inputs.layer)] = []
        groups.append(inputs)
    pending.clear()
    for groups in layers.values():
        layer = groups[0].layer
        X = _matrix([inputs.xd for inputs in groups])  # (samples, inputs)
        if np.isfinite(X).all():
            G = _matrix([inputs.gz for inputs in groups])  # (samples, neurons)
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


def _matrix(rows: list) -> np.ndarray:
    """Lists of floats of one length as the rows of a float64 matrix."""
    return np.fromiter(chain.from_iterable(rows), float, len(rows) * len(rows[0])).reshape(len(rows), -1)


class FactoredGrads:
    """Local grads d·x_i, d, d·w_i (parent order w..., b, x...) kept as their factors:
    ``d`` = act'(z), ``_x`` the inputs' data and ``_w`` the weights' data (given by each
    subclass). Indexing, ``len`` and iteration read like a tuple of 2n + 1 entries."""

    __slots__ = ()

    def __len__(self) -> int:
        return 2 * len(self._w) + 1

    def __getitem__(self, i):
        """Entry ``i`` (w..., b, x... order): d·x_i, d or d·w_i, computed when asked for."""
        if i.__class__ is not int:
            return tuple(self)[i]
        w = self._w
        n = len(w)
        if i < 0:
            i += 2 * n + 1
        if not 0 <= i <= 2 * n:
            raise IndexError("local grad index out of range")
        d = self.d
        if i < n:
            return d * self._x[i]
        return d if i == n else d * w[i - n - 1]

    def __iter__(self):
        d = self.d
        yield from (d * x for x in self._x)
        yield d
        yield from (d * w for w in self._w)

    def __eq__(self, other) -> bool:
        return tuple(self) == tuple(other) if isinstance(other, (tuple, FactoredGrads)) else NotImplemented

    __hash__ = None

    def __repr__(self) -> str:
        return f"{type(self).__name__}{tuple(self)!r}"


class NeuronGrads(FactoredGrads):
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

    @property
    def _x(self) -> list:
        return self.inputs.xd

    @property
    def _w(self) -> list:
        return self.w


# --- batched mode: a layer's neurons on batched inputs, backprop once per layer ------------

class InputGroup:
    """A layer of fused neurons on batched inputs: what backward needs from it, once.

    ``xs``: the inputs x_0..x_{n-1} that every neuron sees (batched Values), ``X`` (n, N)
    their data; ``W`` (nout, n) the weights the layer used, ``D`` act'(Z) ((nout, N), or
    1.0 for identity); ``neurons``: each neuron's (w..., b) Values; ``leaves``: True when
    all of those are leaves. In a backward pass each neuron only notes its grad g
    (``BatchedNeuronGrads.backprop``); once the last of the layer's neurons that the pass
    reaches has done so (the graph walk counts them in ``expected``), ``flush`` does the
    layer in matrix products, before any input is back-propagated (the inputs are parents
    of every neuron, so they come later in the pass).
    """

    __slots__ = ("xs", "X", "W", "D", "neurons", "leaves", "mark", "expected", "seen", "g", "done")

    def __init__(self, xs: tuple, X: np.ndarray, W: np.ndarray, D, neurons: list, leaves: bool):
        self.xs, self.X, self.W, self.D, self.neurons, self.leaves = xs, X, W, D, neurons, leaves
        self.mark = self.seen = self.g = None  # mark: the graph walk's note; seen: the pass's
        self.expected = self.done = 0

    def flush(self) -> None:
        """G = g·act'(Z) of the reached neurons: x.grad += (W^T·G)_i, and when the weights and
        biases are leaves, w.grad += G·X^T, b.grad += Σ_samples G."""
        g, self.g = self.g, None
        W, D = self.W, self.D
        reached = range(len(g))
        if self.done < len(g):  # some neurons are not below the root: leave them out
            reached = [i for i, gi in enumerate(g) if gi is not None]
            g = [g[i] for i in reached]
            W = W[reached]
            if D.__class__ is not float:
                D = D[reached]
        G = np.array(g)  # (reached, N)
        if D.__class__ is not float or D != 1.0:
            G *= D
        for x, row in zip(self.xs, W.T @ G):
            grad = x.grad
            if grad.__class__ is float and not grad:  # nothing yet: the row becomes the grad
                x.grad = row
            else:
                x.grad += row
        if self.leaves:
            neurons = self.neurons
            for i, row, total in zip(reached, (G @ self.X.T).tolist(), G.sum(axis=1).tolist()):
                wb = neurons[i]
                for p, v in zip(wb, row):  # the weights: the first n of (w..., b)
                    p.grad += v
                wb[-1].grad += total


class BatchedNeuronGrads(FactoredGrads):
    """Local grads of neuron ``index`` of a batched layer (``group``), kept as factors:
    act'(z) (``d``), the weights ``w`` and the inputs' matrix. ``backprop`` hands the
    neuron's grad to its layer; iterating gives the arrays d·x_i, d, d·w_i in parent order
    (w..., b, x...) like any other node."""

    __slots__ = ("group", "index")

    def __init__(self, group: InputGroup, index: int):
        self.group, self.index = group, index

    @property
    def w(self) -> np.ndarray:
        """The weights the neuron was computed with."""
        return self.group.W[self.index]

    @property
    def d(self):
        """act'(z), one per sample (1.0 for identity)."""
        D = self.group.D
        return D if D.__class__ is float else D[self.index]

    def backprop(self, parents: tuple, g) -> None:
        """w_i.grad += Σ_s x_i·gz,  b.grad += Σ_s gz,  x_i.grad += w_i·gz   (gz = g·act'(z)),
        the layer's neurons together (``InputGroup.flush``)."""
        group = self.group
        if group.seen is not group.mark:  # the first of the layer's neurons in this pass
            group.seen = group.mark
            group.g = [None] * len(group.neurons)
            group.done = 0
        group.g[self.index] = g
        if not group.leaves:  # weights or bias computed by other nodes: theirs now, one by one
            gz = g * self.d
            n = len(group.xs)
            for p, v in zip(parents[:n], (group.X @ gz).tolist()):
                p.grad += v
            parents[n].grad += float(gz.sum())
        group.done += 1
        if group.done == group.expected:
            group.flush()

    @property
    def _x(self) -> np.ndarray:
        return self.group.X

    @property
    def _w(self) -> list:
        return self.w.tolist()
