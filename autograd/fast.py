"""``graph.chain_rule`` made fast: what ``Value.backward`` runs.

The same sums in the same order as the textbook loop; the shortcuts, each of which
tests/test_engine_perf_paths.py checks against ``graph.chain_rule`` on random graphs:

- the walk lists only the nodes that have parents (leaves only receive gradient, and in
  micrograd-style graphs half of the nodes are constant leaves), and zeroes each node's
  grad as it reaches it, so no second pass is needed;
- "reached" is "grad is the 0.0 written by this walk": a float object made for the pass,
  so an identity test replaces a set of visited nodes;
- binary nodes (most of them) are unrolled;
- a node whose ``local_grads`` is a kernel (not a plain tuple: ``function.Kernel``) hands
  its step to the kernel, which may also tell the walk which parents to visit.

All that one pass keeps lives in its ``BackwardPass``; nothing is shared between passes.
"""
from __future__ import annotations

import numpy as np

_FINISH = object()  # stack marker: the node below it has all its parents in the order


class BackwardPass:
    """The state of one ``backward()``: ``mark`` (this pass's zero, see above) and the work
    kernels put off to the end of the pass (``defer``), run by ``finish``."""

    __slots__ = ("mark", "deferred")

    def __init__(self):
        self.mark = float(0)  # a new float object: no grad written before can be it
        self.deferred = {}

    def defer(self, key, make):
        """The deferred job stored under ``key`` in this pass (made by ``make()`` the first
        time); its ``finish()`` runs once at the end of the pass."""
        job = self.deferred.get(key)
        if job is None:
            job = self.deferred[key] = make()
        return job

    def finish(self) -> None:
        for job in self.deferred.values():
            job.finish()
        self.deferred.clear()


def backward(root, grad) -> int:
    """``graph.chain_rule(root, grad)``, fast; returns how many nodes with parents it walked."""
    state = BackwardPass()
    order = backward_order(root, state)  # the nodes with parents; their grads set to 0.0
    root.grad += grad
    try:
        backprop(order, state)
    finally:
        state.finish()
    return len(order)


def backward_order(root, state: BackwardPass | None = None) -> list:
    """The nodes below ``root`` that have parents, each after its parents; grads set to 0.0."""
    if not root.parents:
        return []
    if state is None:
        state = BackwardPass()
    zero = state.mark
    order = []
    finish = order.append
    stack = [root]
    push = stack.append
    pop = stack.pop
    while stack:
        node = pop()
        if node is _FINISH:
            finish(pop())
            continue
        if node.grad is zero:
            continue
        node.grad = zero
        push(node)
        push(_FINISH)
        parents = node.parents
        local = node.local_grads
        if local.__class__ is not tuple:  # a kernel: it may narrow the walk (nn's fused layer)
            parents = local.walk(parents, state)
        elif len(parents) == 2:  # unrolled: most nodes are binary
            a, b = parents
            if a.parents and a.grad is not zero:
                push(a)
            if b.parents and b.grad is not zero:
                push(b)
            continue
        for p in parents:
            if p.parents and p.grad is not zero:
                push(p)
    return order


def backprop(order: list, state: BackwardPass) -> None:
    """``parent.grad += local * node.grad`` for each node of ``order`` (parents first), last first."""
    for node in reversed(order):
        local_grads = node.local_grads
        if local_grads.__class__ is not tuple:  # a kernel back-propagates the node itself
            local_grads.backprop(node, state)
            continue
        g = node.grad
        if g.__class__ is not float:  # a batched node: its grad is an array
            _backprop_batched(node, g)
            continue
        parents = node.parents
        if len(parents) == 2:  # unrolled: most nodes are binary
            a, b = parents
            da, db = local_grads
            a.grad += da * g
            b.grad += db * g
        else:
            for parent, local in zip(parents, local_grads):
                parent.grad += local * g


def _backprop_batched(node, g) -> None:
    """``parent.grad += local * g`` for a node whose grad ``g`` is an array (one per sample);
    a scalar parent (a parameter) gets the contribution summed over the batch."""
    for parent, local in zip(node.parents, node.local_grads):
        contribution = local * g
        if parent.data.__class__ is not np.ndarray:
            contribution = float(np.sum(contribution))
        parent.grad += contribution
