"""Batched mode for nn's fused neurons: a layer on batched inputs is one matrix product,
forward (Z = W·X + b) and backward (W^T·G to the inputs, G·X^T to the weights).

Each neuron's node keeps its local grads as factors shared with its layer
(``BatchedNeuronGrads``, a kernel of ``autograd.function``); the backward walk counts the
layer's neurons it reaches, and once the last of them has its grad, ``InputGroup.flush``
does the layer in matrix products. The state of one backward pass is kept under that
pass's mark (``state.mark``), never in this module.
"""
from __future__ import annotations

import numpy as np

from autograd import DomainError, is_grad_enabled, make_node
from autograd.xp import ARRAY

from .fused import OP_OF_RULE, FactoredGrads


def stacked(xd: list):
    """The batches ``xd`` as the rows of one (n, N) matrix; None unless they are all batches
    of one size."""
    shape = getattr(xd[0], "shape", None)
    for d in xd:
        if d.__class__ is not np.ndarray or d.shape != shape:
            return None
    return np.array(xd)


def batched_layer(neurons: list, xs: tuple, xd: list, params=None):
    """One fused node per neuron on batched inputs ``xs`` (data ``xd``), the whole layer at
    once: Z = W·X + b is one matrix product and the activation one call on Z.

    ``neurons``: tuples (w..., b as a tuple of Values; weight data; bias data; activation
    rule; label; whether w and b are leaves). Returns None when the inputs are not batches
    of one size, a Value appears twice among them, or the weights are not plain numbers:
    the general path then builds the nodes one by one. The nodes share one ``InputGroup``,
    so backward handles the layer in matrix products too.
    """
    if len(set(map(id, xs))) != len(xs):
        return None
    X = stacked(xd)
    if X is None:
        return None
    rule = neurons[0][3]
    try:
        W = np.array([n[1] for n in neurons], dtype=np.float64)
        b = np.array([n[2] for n in neurons], dtype=np.float64)
    except (TypeError, ValueError):
        return None
    if W.ndim != 2 or b.ndim != 1 or any(n[3] is not rule for n in neurons):
        return None
    with np.errstate(all="ignore"):
        Z = W @ X
        Z += b[:, None]
        try:
            Y, (D,) = (Z, (1.0,)) if rule is None else rule(ARRAY, Z, **(params or {}))
        except DomainError:
            return None  # the general path names the neuron and its operands
    record = is_grad_enabled()
    if record:
        group = InputGroup(xs, X, W, D, [n[0] for n in neurons], all(n[5] for n in neurons))
    out = []
    op = OP_OF_RULE[rule]
    for i, (wb, _, _, _, label, _) in enumerate(neurons):
        node = make_node(Y[i], op, wb + xs, BatchedNeuronGrads(group, i) if record else ())
        node.label = label
        out.append(node)
    return out


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

    def walk(self, parents: tuple, state) -> tuple:
        """Count the layer's neurons this walk reaches (backward handles the layer once all
        of them have their grad); with leaf weights and biases, visit the shared inputs once."""
        group = self.group
        if group.mark is state.mark:
            group.expected += 1
            if group.leaves:
                return ()
        else:
            group.mark = state.mark
            group.expected = 1
            if group.leaves:
                return group.xs
        return parents

    def backprop(self, node, state) -> None:
        """w_i.grad += Σ_s x_i·gz,  b.grad += Σ_s gz,  x_i.grad += w_i·gz   (gz = g·act'(z)),
        the layer's neurons together (``InputGroup.flush``)."""
        group = self.group
        parents, g = node.parents, node.grad
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
