"""Stress: a big graph's forward and backward stay within a memory budget per node, give the
right gradient, and all of it is freed when the graph is dropped (no cyclic GC needed).

CI builds 5·10^4 nodes; the recorded 10^6-node run (README, reliability section) is

    SCALARGRAD_STRESS_NODES=1000000 .venv/bin/python -m pytest tests/test_properties_memory.py
"""
import gc
import math
import os
import tracemalloc
import weakref

from autograd import Value, gc_paused, topological_order

NODES = int(os.environ.get("SCALARGRAD_STRESS_NODES", "50000"))
BUDGET = 400  # bytes per node, peak of forward + backward (measured: ~240)


def chain(steps):
    """y_{k+1} = tanh(w·y_k + 0.01): four Values per step (*, +, the constant 0.01, tanh)."""
    x, w = Value(0.5, label="x"), Value(0.9, label="w")
    y = x
    for _ in range(steps):
        y = (y * w + 0.01).tanh()
    return x, w, y


def expected_grads(steps):
    """dy/dx and dy/dw by forward-mode recurrence in plain floats (no graph)."""
    y, dx, dw, w = 0.5, 1.0, 0.0, 0.9
    for _ in range(steps):
        y_new = math.tanh(w * y + 0.01)
        slope = 1.0 - y_new * y_new
        dx, dw = slope * w * dx, slope * (y + w * dw)
        y = y_new
    return dx, dw


def test_big_graph_within_memory_budget_and_freed_after_use():
    steps = NODES // 4
    gc.collect()
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        with gc_paused():
            x, w, y = chain(steps)
            y.backward()
            order = topological_order(y)
            nodes = len(order)
            sample = [weakref.ref(n) for n in order[::100]]
            del order
            peak = tracemalloc.get_traced_memory()[1] - base
            dx, dw = expected_grads(steps)
            assert math.isclose(x.grad, dx, rel_tol=1e-9, abs_tol=1e-300)
            assert math.isclose(w.grad, dw, rel_tol=1e-9)
            del x, w, y
            left = tracemalloc.get_traced_memory()[0] - base  # with the cyclic GC still off
    finally:
        tracemalloc.stop()
    assert nodes >= NODES
    per_node = peak / nodes
    assert per_node < BUDGET, f"{per_node:.0f} bytes per node at peak (budget {BUDGET})"
    assert not any(r() for r in sample), "nodes outlived their graph"
    # what stays is CPython's free lists (a few thousand tuples and floats), not the graph
    assert left < 0.05 * peak, f"{left} bytes still held after the graph was dropped"
