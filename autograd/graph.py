"""Graph walks: topological order (iterative, so no recursion limit), the chain rule as the
textbook loop (what ``backward()`` computes, and viz replays), and zeroing grads."""
from __future__ import annotations

import numpy as np

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


def chain_rule(root, grad=1.0, into: dict | None = None):
    """The backward pass as the textbook writes it; what ``backward()`` computes.

        for node in reversed(topological_order(root)):
            for parent, local in zip(node.parents, node.local_grads):
                parent.grad += local * node.grad

    As ``backward()``: the grads of the nodes below ``root`` that have parents start at 0,
    leaves keep theirs (they accumulate). With ``into`` (a dict), the grads go to
    ``into[node]`` instead, starting from nothing, and no node is changed. Returns ``into``.
    """
    for _ in chain_rule_steps(root, grad, into):
        pass
    return into


def chain_rule_steps(root, grad=1.0, into: dict | None = None):
    """``chain_rule`` one node at a time: yields ``(node, g, uses)`` after each node's step,
    ``uses`` being ``(parent, local, contribution)`` per operand (viz's step-through)."""
    order = topological_order(root)
    if into is None:
        for node in order:
            if node.parents:
                node.grad = 0.0
        root.grad += grad
        get = None
    else:
        into[root] = grad
        get = into.get
    for node in reversed(order):
        if not node.parents:
            continue
        g = node.grad if get is None else get(node, 0.0)
        uses = []
        for parent, local in zip(node.parents, node.local_grads):  # a kernel lists them too
            c = contribution(parent, local, g)
            if get is None:
                parent.grad += c
            else:
                into[parent] = get(parent, 0.0) + c
            uses.append((parent, local, c))
        yield node, g, uses


def local_step(node) -> None:
    """One node's step of the chain rule (micrograd's ``_backward``):
    ``parent.grad += local * node.grad`` for each of its parents."""
    for parent, local in zip(node.parents, node.local_grads):
        parent.grad += contribution(parent, local, node.grad)


def contribution(parent, local, g):
    """What one use adds to ``parent.grad``: ``local * g``, summed over the samples of a
    batch when the parent is one number (a parameter used by every sample)."""
    c = local * g
    if c.__class__ is np.ndarray and parent.data.__class__ is not np.ndarray:
        return float(np.sum(c))
    return c


def zero_grad(*roots) -> None:
    """Set ``grad = 0.0`` on every node of the graphs below ``roots`` (leaves included)."""
    for root in roots:
        for node in topological_order(root):
            node.grad = 0.0
