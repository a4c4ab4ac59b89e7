"""Graph walks: topological order (iterative, so no recursion limit), zeroing grads, and
pausing the cyclic garbage collector while big graphs are built or walked."""
from __future__ import annotations

import contextlib
import gc

from .neuron_grads import BatchedNeuronGrads, NeuronGrads

_FINISH = object()  # stack marker: the node below it has all its parents in the order


def topological_order(root) -> list:
    """Every node reachable from ``root``, each after all of its parents; ``root`` last.

    Iterative depth-first search (a chain of 10**6 ops needs no recursion); the order is
    the same on every run for the same graph.
    """
    order = []
    visited = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if node is _FINISH:
            order.append(stack.pop())
            continue
        if node in visited:
            continue
        visited.add(node)
        stack.append(node)
        stack.append(_FINISH)
        for p in node.parents:
            if p not in visited:
                if p.parents:
                    stack.append(p)
                else:  # a leaf is finished as soon as it is reached
                    visited.add(p)
                    order.append(p)
    return order


def backward_order(root) -> list:
    """The nodes below ``root`` that have parents, each after its parents; grads set to 0.0.

    What ``backward()`` walks: leaves are left out (they only receive gradient, and in
    micrograd-style graphs half of the nodes are constant leaves) and every node listed
    gets ``grad = 0.0`` as it is reached, so that no second pass is needed.
    """
    if not root.parents:
        return []
    # "reached" is "grad is zero": the 0.0 written is a float object made for this walk,
    # so an identity test replaces a set of visited nodes (no object made before can be it)
    zero = float(0)
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
        if len(parents) == 2:  # unrolled: most nodes are binary
            a, b = parents
            if a.parents and a.grad is not zero:
                push(a)
            if b.parents and b.grad is not zero:
                push(b)
            continue
        kind = node.local_grads.__class__
        if kind is NeuronGrads:                        # a fused neuron of nn: its weights and
            inputs = node.local_grads.inputs           # bias are leaves, and its layer's other
            if inputs.mark is zero:                    # neurons share its inputs: look at them
                continue                               # once per layer
            inputs.mark = zero
            parents = inputs.xs
        elif kind is BatchedNeuronGrads:  # a neuron of a batched layer: count the layer's
            group = node.local_grads.group  # neurons in this walk (backward handles the layer
            if group.mark is zero:          # once all of them have their grad); with leaf
                group.expected += 1         # weights and biases, look at the shared inputs
                if group.leaves:            # once per layer, like above
                    continue
            else:
                group.mark = zero
                group.expected = 1
                if group.leaves:
                    parents = group.xs
        for p in parents:
            if p.parents and p.grad is not zero:
                push(p)
    return order


def zero_grad(*roots) -> None:
    """Set ``grad = 0.0`` on every node of the graphs below ``roots`` (leaves included)."""
    for root in roots:
        for node in topological_order(root):
            node.grad = 0.0


class gc_paused(contextlib.ContextDecorator):
    """Switch Python's cyclic garbage collector off inside the block, back on after.

    Graphs of Values hold no reference cycles (reference counting frees them), but the
    cyclic collector still rescans every live node again and again while a big graph is
    built: for a graph of 10**6 nodes that costs more than building it.

    A class, not a generator: a generator's exit allocates objects right after the
    collector is back on, which starts a collection over the graph still alive. This exit
    allocates none, so a graph dropped right after the block (a training step that
    returns) is freed by reference counting before the collector can scan it.
    """

    def __enter__(self) -> None:
        self._was_on = gc.isenabled()
        gc.disable()

    def __exit__(self, *exc) -> bool:
        if self._was_on:
            gc.enable()
        return False

    def _recreate_cm(self):  # as a decorator: a fresh state for every (possibly nested) call
        return type(self)()
