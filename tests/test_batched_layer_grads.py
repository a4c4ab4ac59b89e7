"""A batched layer back-propagates once per layer (``InputGroup.flush``): the grads of
inputs, weights and biases match per-sample scalar runs and finite differences, also when
only some neurons are below the root, the weights are computed, or backward runs twice."""
import numpy as np
import pytest

import nn
from autograd import Value
import autograd
from nn.batched import BatchedNeuronGrads, batched_layer
from nn.fused import activation_rule
from autograd.fast import backward_order

RNG = np.random.default_rng(11)
X = RNG.normal(size=(6, 4))


def grads_per_sample(model, build, X=X):
    """(Σ over samples of build(model(row)), param grads, input grads per sample)."""
    for p in model.parameters():
        p.grad = 0.0
    total, xgrads = 0.0, []
    for row in X.tolist():
        xs = [Value(v) for v in row]
        out = build(model(xs))
        out.backward()
        total += out.data
        xgrads.append([x.grad for x in xs])
    return total, [p.grad for p in model.parameters()], np.array(xgrads).T


def grads_batched(model, build, X=X):
    for p in model.parameters():
        p.grad = 0.0
    xs = [Value.batch(X[:, j]) for j in range(X.shape[1])]
    out = build(model(xs)).sum()
    out.backward()
    return out.data, [p.grad for p in model.parameters()], np.array([x.grad for x in xs])


def assert_agree(model, build):
    l0, p0, x0 = grads_per_sample(model, build)
    l1, p1, x1 = grads_batched(model, build)
    assert l1 == pytest.approx(l0, rel=1e-12)
    assert p1 == pytest.approx(p0, rel=1e-9, abs=1e-12)
    assert all(g.__class__ is float for g in p1)
    np.testing.assert_allclose(x1, x0, rtol=1e-9, atol=1e-12)
    assert any(g != 0.0 for g in p1)


@pytest.mark.parametrize("activation", ["relu", "tanh", "identity", "leaky_relu"])
def test_mlp_grads_match_per_sample_runs(activation):
    model = nn.MLP(4, [5, 3], activation=activation, seed=2)
    assert_agree(model, lambda outs: (outs[0] * outs[1] - outs[2]).tanh())


def test_only_some_neurons_of_a_layer_below_the_root():
    model = nn.Layer(4, 5, activation="tanh", seed=3)
    assert_agree(model, lambda outs: outs[1] * outs[3])
    grads_batched(model, lambda outs: outs[1] * outs[3])
    unused = [p.grad for n in (model.neurons[0], model.neurons[2], model.neurons[4]) for p in n.parameters()]
    assert unused == [0.0] * len(unused)


def test_the_walk_counts_the_reached_neurons_of_each_layer():
    model = nn.MLP(4, [5, 3], activation="tanh", seed=4)
    outs = model(X)
    root = (outs[0] + outs[2]).sum()
    order = backward_order(root)
    groups = {}
    for node in order:
        if node.local_grads.__class__ is BatchedNeuronGrads:
            groups.setdefault(id(node.local_grads.group), [node.local_grads.group, 0])[1] += 1
    assert sorted(n for _, n in groups.values()) == [2, 5]
    assert all(g.expected == n for g, n in groups.values())
    hidden = next(g for g, n in groups.values() if n == 5)
    assert hidden.leaves and set(map(id, hidden.xs)) <= {id(v) for v in order} | {id(v) for v in hidden.xs}


def test_weights_computed_by_other_nodes():
    """Weights that are not leaves (tied: w = 2·u): backward goes through them as well."""
    u = [[Value(v) for v in RNG.normal(size=3)] for _ in range(2)]
    b = [Value(0.1), Value(-0.2)]

    def layer(xs):
        w = [[2.0 * p for p in row] for row in u]
        plans = [((*wr, bi), [p.data for p in wr], bi.data, None, "", False) for wr, bi in zip(w, b)]
        if xs[0].data.__class__ is np.ndarray:
            return batched_layer(plans, tuple(xs), [x.data for x in xs])
        return [sum((p * x for p, x in zip(wr, xs)), bi) for wr, bi in zip(w, b)]

    params = [p for row in u for p in row] + b
    Xs = X[:, :3]
    grads = []
    for batched in (False, True):
        for p in params:
            p.grad = 0.0
        if batched:
            outs = layer([Value.batch(Xs[:, j]) for j in range(3)])
            assert outs is not None and not outs[0].local_grads.group.leaves
            (outs[0] * outs[1]).tanh().sum().backward()
        else:
            for row in Xs.tolist():
                outs = layer([Value(v) for v in row])
                (outs[0] * outs[1]).tanh().backward()
        grads.append([p.grad for p in params])
    assert grads[1] == pytest.approx(grads[0], rel=1e-9, abs=1e-12)


def test_grads_against_finite_differences():
    model = nn.MLP(4, [3, 2], activation="tanh", seed=5)
    params = model.parameters()

    def loss():
        outs = model(X)
        return (outs[0] * outs[1]).mean()

    root = loss()
    for p in params:
        p.grad = 0.0
    root.backward()
    eps = 1e-6
    for p in params[::3]:
        x = p.data
        p.data = x + eps
        hi = loss().data
        p.data = x - eps
        lo = loss().data
        p.data = x
        assert p.grad == pytest.approx((hi - lo) / (2 * eps), rel=1e-5, abs=1e-8)


def test_input_grads_against_finite_differences():
    model = nn.MLP(4, [3, 2], activation="tanh", seed=6)
    xs = [Value.batch(X[:, j]) for j in range(4)]
    outs = model(xs)
    (outs[0] * outs[1]).sum().backward()
    eps = 1e-6
    for j in (0, 3):
        for s in (0, 4):
            def f(h):
                Xh = X.copy()
                Xh[s, j] += h
                o = model(Xh)
                return (o[0] * o[1]).sum().data
            assert xs[j].grad[s] == pytest.approx((f(eps) - f(-eps)) / (2 * eps), rel=1e-5, abs=1e-8)


def test_backward_twice_and_input_grads_accumulate():
    model = nn.MLP(4, [5, 2], activation="relu", seed=7)
    xs = [Value.batch(X[:, j]) for j in range(4)]
    root = (model(xs)[0] * 3.0 + model(xs)[1]).sum()
    root.backward()
    once_x = [x.grad.copy() for x in xs]
    once_p = [p.grad for p in model.parameters()]
    root.backward()
    for x, g in zip(xs, once_x):
        np.testing.assert_allclose(x.grad, 2 * g, rtol=1e-12)
    assert [p.grad for p in model.parameters()] == pytest.approx([2 * g for g in once_p], rel=1e-12)


def test_local_grads_read_the_layer_factors():
    layer = nn.Layer(4, 3, activation="relu", seed=8)
    out = layer(X)[2]
    local = out.local_grads
    w = [p.data for p in layer.neurons[2].w]
    np.testing.assert_array_equal(local.w, w)
    d = (out.data > 0).astype(float)
    np.testing.assert_allclose(local[0], d * X[:, 0])
    np.testing.assert_allclose(local[4], d)
    np.testing.assert_allclose(local[-1], d * w[-1])
    assert len(local) == len(out.parents) == 9


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64, bool])
def test_a_2d_input_gives_the_leaves_value_batch_makes(dtype):
    from nn.neuron import as_inputs

    A = (RNG.normal(size=(5, 3)) * 3).astype(dtype)
    xs = as_inputs(A, 3)
    ref = [Value.batch(A[:, j]) for j in range(3)]
    for x, r in zip(xs, ref):
        assert x.__class__ is Value and not x.parents and x.op == "" and x.label == "" and x.grad == 0.0
        assert x.data.dtype == np.float64 and x.data.shape == (5,)
        np.testing.assert_array_equal(x.data, r.data)
    A_before = A.copy()
    xs[0].data[0] += 1.0  # the leaves hold a copy: the caller's array is untouched
    np.testing.assert_array_equal(A, A_before)
    assert xs[1].data[0] == ref[1].data[0]


def test_a_2d_input_of_non_numbers_still_says_what_is_wrong():
    from nn.neuron import as_inputs

    with pytest.raises(TypeError, match=r"Value\.batch"):
        as_inputs(np.array([["a", "b"], ["c", "d"]]), 2)
    with pytest.raises(TypeError, match=r"Value\.batch"):
        as_inputs(np.ones((2, 2), dtype=complex), 2)


def test_cross_entropy_class_batches_are_constant_one_hot_leaves():
    model = nn.MLP(4, [3], activation="identity", seed=9)
    classes = np.array([0, 2, 1, 1, 0, 2])
    loss = nn.cross_entropy(model(X), classes)
    ref = sum(nn.cross_entropy(model(row), [c]).data for row, c in zip(X.tolist(), classes)) / len(X)
    assert loss.data == pytest.approx(ref, rel=1e-12)
    with pytest.raises(ValueError, match="class index"):
        nn.cross_entropy(model(X), classes + 1)


def test_an_activation_whose_derivative_is_one_float_for_every_sample():
    """A rule may give act'(z) as one float (here y = 3z, act' = 3.0): backward scales by it."""
    def triple(xp, z):
        """y = 3·z;  dy/dz = 3"""
        return 3.0 * z, (3.0,)

    autograd.register_op("triple_for_test", triple)
    triple = activation_rule("triple_for_test")  # also registers "neuron_triple_for_test"
    layer = nn.Layer(4, 2, activation="identity", seed=10)
    xs = [Value.batch(X[:, j]) for j in range(4)]
    plans = [((*n.w, n.b), [p.data for p in n.w], n.b.data, triple, "", True) for n in layer.neurons]
    outs = batched_layer(plans, tuple(xs), [x.data for x in xs])
    (outs[0] * outs[1]).sum().backward()
    grads = [p.grad for p in layer.parameters()]
    ref = [Value.batch(X[:, j]) for j in range(4)]
    plain = layer(ref)
    for p in layer.parameters():
        p.grad = 0.0
    (plain[0] * plain[1] * 9.0).sum().backward()
    for x, r in zip(xs, ref):
        np.testing.assert_allclose(x.grad, r.grad, rtol=1e-12)
    assert grads == pytest.approx([p.grad for p in layer.parameters()], rel=1e-12)
    assert outs[0].op == "neuron_triple_for_test"
    for name in ("triple_for_test", "neuron_triple_for_test"):
        del autograd.OPS[name]
