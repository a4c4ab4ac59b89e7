"""The engine's fast paths give the same answers as the textbook loop they shortcut.

``backward()`` runs ``autograd/fast.py``: it walks only the nodes that have parents
(``backward_order``), unrolls binary nodes, hands kernel nodes (nn's fused neuron on one
sample, its batched layer, nn's dead-neuron ``ZeroGrads``, a student's ``Function``) to
their kernels, and pauses the cyclic GC; none of that may change a gradient.
The reference is ``autograd.graph.chain_rule``, the loop a student reads.
"""
import gc
import math
import random
import weakref

import pytest

from autograd import Value, gc_paused, topological_order
from autograd import chain_rule, make_node
from autograd.fast import backward_order
from nn.fused import ZeroGrads, zeros


def random_graph(seed: int, n_leaves: int = 6, n_ops: int = 60):
    """A random DAG of +, -, *, tanh, relu, sigmoid over a few leaves (shared subexpressions)."""
    rng = random.Random(seed)
    leaves = [Value(rng.uniform(-2, 2), label=f"x{i}") for i in range(n_leaves)]
    pool = list(leaves)
    for _ in range(n_ops):
        a, b = rng.choice(pool), rng.choice(pool)
        kind = rng.randrange(6)
        if kind == 0:
            v = a + b
        elif kind == 1:
            v = a - b * 0.5
        elif kind == 2:
            v = (a * b).tanh()
        elif kind == 3:
            v = a.relu() + 0.1
        elif kind == 4:
            v = a.sigmoid() * b
        else:
            v = a * rng.uniform(-1, 1)
        pool.append(v)
    root = sum(pool[-10:], Value(0.0))
    return leaves, root


def reference_grads(root) -> dict:
    """d root / d node for every node, by the textbook loop (``graph.chain_rule``)."""
    grads = chain_rule(root, 1.0, into={})
    return {id(n): grads.get(n, 0.0) for n in topological_order(root)}


@pytest.mark.parametrize("seed", range(8))
def test_backward_matches_the_textbook_loop(seed):
    leaves, root = random_graph(seed)
    ref = reference_grads(root)
    root.backward()
    for node in topological_order(root):
        assert node.grad == pytest.approx(ref[id(node)], rel=1e-12, abs=1e-12)


@pytest.mark.parametrize("seed", range(4))
def test_backward_order_is_topological_and_holds_every_interior_node(seed):
    _, root = random_graph(seed)
    order = backward_order(root)
    interior = [n for n in topological_order(root) if n.parents]
    assert {id(n) for n in order} == {id(n) for n in interior} and len(order) == len(interior)
    position = {id(n): i for i, n in enumerate(order)}
    for node in order:
        for p in node.parents:
            if p.parents:
                assert position[id(p)] < position[id(node)]
    assert order[-1] is root and all(n.grad == 0.0 for n in order)


def test_backward_order_of_a_leaf_is_empty_and_leaf_grads_accumulate():
    x = Value(2.0)
    assert backward_order(x) == []
    x.backward()
    x.backward(2.5)
    assert x.grad == 3.5


def test_intermediate_grads_are_recomputed_on_every_backward():
    x = Value(1.5)
    y = x * x
    z = y * 3.0
    z.backward()
    z.backward()
    assert y.grad == 3.0 and x.grad == 2 * (3.0 * 2 * 1.5)


def _zero_local_node(a, b):
    return make_node(a.data * b.data, "custom", (a, b, a), zeros(3))


def test_zero_grads_is_a_tuple_of_zeros_shared_per_length():
    z = zeros(4)
    assert isinstance(z, ZeroGrads) and z == (0.0,) * 4 and zeros(4) is z


def test_a_node_with_zero_grads_passes_nothing_on():
    a, b = Value(1.0), Value(2.0)
    dead = _zero_local_node(a, b)
    root = dead * 3.0 + a * b
    root.backward()
    assert (a.grad, b.grad) == (2.0, 1.0)  # only a*b contributes


def test_zero_grads_still_propagate_nan_from_an_infinite_grad():
    """0 · inf = nan, as in micrograd and PyTorch: the skip must not hide it."""
    a, b = Value(1.0), Value(2.0)
    dead = _zero_local_node(a, b)
    dead.backward(math.inf)
    assert math.isnan(a.grad) and math.isnan(b.grad)


def test_chain_of_a_hundred_thousand_ops():
    x = Value(1.0)
    y = x
    with gc_paused():
        for _ in range(100_000):
            y = y * 1.00001 + 0.0
    y.backward()
    assert x.grad == pytest.approx(1.00001 ** 100_000, rel=1e-9)


def test_dropped_graph_is_freed_by_reference_counting_with_the_gc_off():
    with gc_paused():
        x = Value(0.5)
        y = x
        for _ in range(1000):
            y = (y * 1.001).tanh() + 0.1
        y.backward()
        refs = [weakref.ref(y), weakref.ref(y.parents[0])]
        del y
        assert all(r() is None for r in refs)


def test_gc_paused_restores_the_previous_state():
    gc.disable()
    try:
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()
    with gc_paused():
        Value(1.0).backward()
    assert gc.isenabled()


# --- kernels on random graphs: nn's fused and batched neurons against the textbook loop ----

def _random_model_graph(seed: int, batched: bool):
    import numpy as np

    import nn

    rng = np.random.default_rng(seed)
    acts = ["relu", "tanh", "sigmoid", "leaky_relu", None]
    model = nn.MLP(3, [int(rng.integers(2, 6)), int(rng.integers(1, 4)), 1],
                   activation=acts[seed % len(acts)], output_activation=acts[(seed + 1) % len(acts)],
                   seed=seed)
    X = rng.normal(size=(7, 3))
    if batched:
        out = model(X)
        root = (out * out).mean() + out.sum() * 0.1
    else:
        outs = [model(x) for x in X.tolist()]
        shared = outs[0] * outs[1]  # an output used twice, and a product between samples
        root = sum(outs[2:], shared + outs[0].tanh())
    return model, root


@pytest.mark.parametrize("batched", [False, True])
@pytest.mark.parametrize("seed", range(6))
def test_fused_and_batched_kernels_match_the_textbook_loop(seed, batched):
    import numpy as np

    model, root = _random_model_graph(seed, batched)
    ref = chain_rule(root, 1.0, into={})
    model.zero_grad()
    root.backward()
    for p in model.parameters():
        assert p.grad == pytest.approx(ref.get(p, 0.0), rel=1e-9, abs=1e-12)
    for node in topological_order(root):
        if node.parents:
            assert np.allclose(node.grad, ref.get(node, 0.0), rtol=1e-9, atol=1e-12)


def test_chain_rule_writes_grads_like_backward_and_leaves_accumulate():
    x = Value(0.3, label="x")
    y = (x * x).tanh() * x + x
    y.backward()
    first = x.grad
    y.grad = 5.0  # anything: chain_rule recomputes the inner grads, as backward() does
    chain_rule(y)
    assert x.grad == pytest.approx(2 * first, rel=1e-15)


# --- the engine a student reads ------------------------------------------------------------

ROOT = __import__("pathlib").Path(__file__).resolve().parent.parent
STUDENT_FILES = ("autograd/value.py", "autograd/ops.py", "autograd/graph.py")


def test_the_files_a_student_reads_are_short_and_know_no_neurons():
    import re

    texts = {name: (ROOT / name).read_text(encoding="utf-8") for name in STUDENT_FILES}
    assert sum(t.count("\n") for t in texts.values()) <= 600
    for name, text in texts.items():
        for word in ("neuron", "fused", "sys.modules"):
            assert not re.search(re.escape(word), text, re.I), f"{word!r} in {name}"


def test_nn_and_viz_import_no_private_name_of_the_engine():
    import re

    pattern = re.compile(r"from autograd(\.\w+)* import ([^\n]*)|autograd(\.\w+)*\._\w")
    bad = []
    for folder in ("nn", "viz"):
        for path in sorted((ROOT / folder).glob("*.py")):
            rel = f"{folder}/{path.name}"
            for m in pattern.finditer(path.read_text(encoding="utf-8")):
                names = re.sub(r"\s+as\s+\w+", "", m.group(2) or "")  # "x as _y": x is what counts
                if (m.group(0).startswith("autograd") or re.search(r"(^|[\s,(])_\w", names)
                        or re.search(r"autograd\.\w*\._|from autograd\.(value|fused|graph)\b", m.group(0))):
                    bad.append(f"{rel}: {m.group(0)}")
    assert bad == []
