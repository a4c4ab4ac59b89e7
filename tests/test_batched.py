"""Batched mode of the engine: a Value holding one number per sample gives, for every op,
the same values and gradients as running each sample through the scalar graph."""
import gc
import math
import warnings
import weakref

import numpy as np
import pytest

from autograd import OPS, DomainError, Value, gc_paused, gradcheck, no_grad
from test_ops import DOMAINS

# Per op: a batch of operand tuples inside the op's domain (kinks avoided): the scalar
# tests' points, plus one more sample where a batch of two would be too small.
POINTS = {
    **DOMAINS,
    "abs": DOMAINS["abs"] + [(0.3,)],
    "relu": DOMAINS["relu"] + [(0.0,)],
    "sum": [(1.5,), (-2.0,), (0.25,)],
    "mean": [(1.5,), (-2.0,), (0.25,)],
}
REDUCTIONS = {"sum", "mean"}
BINARY = {"+": lambda a, b: a + b, "-": lambda a, b: a - b, "*": lambda a, b: a * b,
          "/": lambda a, b: a / b, "**": lambda a, b: a ** b}


def apply(name, *args):
    if name in BINARY:
        return BINARY[name](*args)
    if name == "neg":
        return -args[0]
    if name == "abs":
        return abs(args[0])
    return getattr(args[0], name)()


def test_every_op_has_batched_points():
    variadic = {name for name, op in OPS.items() if op.arity == -1}  # tests/test_nn_fused.py
    assert sorted(OPS.keys() - POINTS.keys() - variadic) == []


def scalar_reference(name, points, batched_mask):
    """Run each sample alone: its value, and d(Σ outputs)/d(operand) per operand.

    Operands marked False in ``batched_mask`` are shared by all samples (like parameters):
    their gradient is the sum over samples.
    """
    values, grads = [], [[] for _ in batched_mask]
    shared = [Value(points[0][i]) for i in range(len(batched_mask))]
    for point in points:
        xs = [Value(x) if batched else shared[i] for i, (x, batched) in enumerate(zip(point, batched_mask))]
        y = apply(name, *xs)
        y.backward()
        values.append(y.data)
        for i, batched in enumerate(batched_mask):
            if batched:
                grads[i].append(xs[i].grad)
    for i, batched in enumerate(batched_mask):
        if not batched:
            grads[i] = shared[i].grad
    return values, grads


def assert_close(actual, expected):
    np.testing.assert_allclose(np.asarray(actual, dtype=float), np.asarray(expected, dtype=float),
                               rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("name", sorted(k for k in POINTS if k not in REDUCTIONS))
def test_batched_op_matches_per_sample_scalar_runs(name):
    points = POINTS[name]
    columns = list(zip(*points))
    xs = [Value.batch(col, label=f"x{i}") for i, col in enumerate(columns)]
    y = apply(name, *xs)
    assert isinstance(y.data, np.ndarray) and y.data.shape == (len(points),)
    y.sum().backward()
    values, grads = scalar_reference(name, points, [True] * len(columns))
    assert_close(y.data, values)
    for x, g in zip(xs, grads):
        assert_close(x.grad, g)


@pytest.mark.parametrize("name", sorted(BINARY))
@pytest.mark.parametrize("shared", [0, 1])
def test_scalar_operand_gets_its_grad_summed_over_the_batch(name, shared):
    """One operand is a scalar (a parameter used by every sample), the other a batch."""
    points = [tuple(POINTS[name][0][shared] if i == shared else p[i] for i in range(2))
              for p in POINTS[name]]
    columns = list(zip(*points))
    xs = [Value(columns[i][0]) if i == shared else Value.batch(columns[i]) for i in range(2)]
    y = apply(name, *xs)
    y.sum().backward()
    mask = [i != shared for i in range(2)]
    values, grads = scalar_reference(name, points, mask)
    assert_close(y.data, values)
    assert xs[shared].grad.__class__ is float  # one number, not an array
    assert_close(xs[shared].grad, grads[shared])
    assert_close(xs[1 - shared].grad, grads[1 - shared])


def test_reductions_value_and_grad():
    data = np.array([1.5, -2.0, 0.25, 4.0])
    x = Value.batch(data)
    s, m = x.sum(), x.mean()
    assert s.data.__class__ is float and m.data.__class__ is float
    assert s.data == pytest.approx(data.sum()) and m.data == pytest.approx(data.mean())
    (s + m).backward()
    assert_close(x.grad, np.full(4, 1.0 + 1.0 / 4))


def test_reductions_of_a_scalar_are_the_identity():
    assert gradcheck(lambda v: v.sum() * 3.0, [1.5])
    assert gradcheck(lambda v: (v * v).mean(), [-0.7])
    assert Value(2.5).mean().data == 2.5


def test_expression_over_a_batch_matches_scalar_loop():
    """A small model: parameters scalar, data batched, loss reduced by mean()."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(7, 2))
    y = rng.choice([-1.0, 1.0], size=7)
    params = [0.3, -0.8, 0.1, 1.2, 0.5]

    def model(w, x0, x1):
        h = (w[0] * x0 + w[1] * x1 + w[2]).tanh()
        return w[3] * h + w[4]

    w = [Value(p) for p in params]
    scores = model(w, Value.batch(X[:, 0]), Value.batch(X[:, 1]))
    loss = (1.0 - Value.batch(y) * scores).relu().mean() + 1e-4 * sum(p * p for p in w)
    loss.backward()

    ws = [Value(p) for p in params]
    losses = [(1.0 + -yi * model(ws, Value(a), Value(b))).relu() for (a, b), yi in zip(X, y)]
    ref = sum(losses) * (1.0 / len(losses)) + 1e-4 * sum(p * p for p in ws)
    ref.backward()
    assert loss.data == pytest.approx(ref.data, rel=1e-12)
    for a, b in zip(w, ws):
        assert a.grad.__class__ is float
        assert a.grad == pytest.approx(b.grad, rel=1e-9, abs=1e-15)


def test_against_torch_float64():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(1)
    X = rng.normal(size=(5, 3))
    w0 = rng.normal(size=3)
    w = [Value(float(v)) for v in w0]
    xs = [Value.batch(X[:, j]) for j in range(3)]
    z = w[0] * xs[0] + w[1] * xs[1] + w[2] * xs[2]
    out = (z.sigmoid() * xs[0].exp() + (z * z + 1.0).log() - abs(xs[2]) ** 1.5).mean()
    out.backward()

    tw = torch.tensor(w0, dtype=torch.float64, requires_grad=True)
    tx = torch.tensor(X, dtype=torch.float64, requires_grad=True)
    tz = tx @ tw
    tout = (tz.sigmoid() * tx[:, 0].exp() + (tz * tz + 1.0).log() - tx[:, 2].abs() ** 1.5).mean()
    tout.backward()
    assert out.data == pytest.approx(tout.item(), rel=1e-12)
    np.testing.assert_allclose([p.grad for p in w], tw.grad.numpy(), rtol=1e-10)
    np.testing.assert_allclose(np.stack([x.grad for x in xs], axis=1), tx.grad.numpy(), rtol=1e-10)


def test_batch_leaf_grads_accumulate_like_pytorch():
    x = Value.batch([1.0, 2.0])
    (x * 3.0).sum().backward()
    (x * x).sum().backward()
    assert_close(x.grad, [3.0 + 2.0, 3.0 + 4.0])


def test_backward_on_a_batch_needs_a_grad_per_sample():
    x = Value.batch([1.0, 2.0, 3.0])
    y = x * x
    with pytest.raises(ValueError, match=r"mean\(\) or loss.sum\(\)"):
        y.backward()
    y.backward(np.array([1.0, 0.0, 2.0]))
    assert_close(x.grad, [2.0, 0.0, 12.0])


def test_plain_value_of_an_array_stays_a_type_error():
    with pytest.raises(TypeError, match=r"Value\.batch"):
        Value(np.array([1.0, 2.0]))
    with pytest.raises(TypeError, match=r"Value\.batch"):
        Value(1.0) * np.array([1.0, 2.0])


@pytest.mark.parametrize("bad", [np.ones((3, 2)), [], np.float64(1.0), "abc", ["a", "b"], [1j, 2j]])
def test_batch_constructor_refuses_what_is_not_a_1d_real_array(bad):
    with pytest.raises(TypeError, match=r"1-D array"):
        Value.batch(bad)


def test_batch_copies_its_data_as_float64():
    arr = np.array([1, 2, 3])
    x = Value.batch(arr, label="x")
    arr[0] = 100
    assert x.data.dtype == np.float64 and x.data[0] == 1.0 and x.label == "x" and x.op == ""


def test_batch_sizes_must_agree():
    with pytest.raises(ValueError, match=r"batch sizes differ \(2 vs 3\)"):
        Value.batch([1.0, 2.0]) + Value.batch([1.0, 2.0, 3.0])


def test_item_of_a_batch_says_to_reduce_first():
    with pytest.raises(TypeError, match=r"reduce it first"):
        Value.batch([1.0, 2.0]).item()


def test_domain_errors_stay_loud_in_a_batch():
    with pytest.raises(DomainError, match=r"log: the operand must be > 0"):
        Value.batch([1.0, -1.0]).log()
    with pytest.raises(DomainError, match=r"division by zero"):
        Value(1.0) / Value.batch([1.0, 0.0])


def test_no_numpy_warnings_where_the_rule_handles_the_value():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        x = Value.batch([1000.0, 0.0])
        y = x.exp() + Value.batch([0.0, 4.0]) ** 0.5
        (y * Value.batch([0.0, 1.0])).sum().backward()
    assert y.data[0] == math.inf
    # the scalar path gives the same
    assert (Value(1000.0).exp() + Value(0.0) ** 0.5).data == math.inf


def test_no_grad_makes_batched_leaves():
    x = Value.batch([1.0, 2.0])
    with no_grad():
        y = (x * 2.0).tanh()
    assert y.parents == () and y.op == "" and isinstance(y.data, np.ndarray)


def test_scalar_graph_grads_stay_floats():
    a, b = Value(2.0), Value(-3.0)
    y = (a * b + a).tanh() * b
    y.backward()
    assert all(v.grad.__class__ is float for v in (a, b, y))


def test_dropped_batched_graph_is_freed_without_the_cyclic_gc():
    with gc_paused():
        x = Value.batch(np.arange(5.0))
        w = Value(0.5)
        loss = ((w * x).relu() + 1.0).log().mean()
        loss.backward()
        ref = weakref.ref(loss)
        mid = weakref.ref(loss.parents[0])
        del loss
        assert ref() is None and mid() is None
    assert gc.isenabled()
