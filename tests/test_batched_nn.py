"""Batched mode through nn: a 2-D input builds one graph for the whole batch, and every
loss, activation, layer and the training loop give the per-sample results."""
import numpy as np
import pytest

import nn
from autograd import Value, no_grad
from nn.batched import BatchedNeuronGrads
from nn.fused import neuron_rule, square_sum

RNG = np.random.default_rng(7)
X = RNG.normal(size=(9, 3))


def per_sample_and_batched(build_loss, model_factory):
    """(loss, param grads) for the per-sample graph and for the batched graph."""
    results = []
    for batched in (False, True):
        model = model_factory()
        outs = model(X) if batched else [model(row) for row in X.tolist()]
        loss = build_loss(outs)
        loss.backward()
        results.append((loss.data, [p.grad for p in model.parameters()]))
    return results


def assert_same(results, rel=1e-9):
    (l0, g0), (l1, g1) = results
    assert l1 == pytest.approx(l0, rel=rel)
    assert g1 == pytest.approx(g0, rel=rel, abs=1e-12)
    assert all(g.__class__ is float for g in g1)


def mlp(out=1, activation="tanh", fused=None):
    return lambda: nn.MLP(3, [5, out], activation=activation, seed=1, fused=fused)


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid", "leaky_relu", "identity"])
@pytest.mark.parametrize("fused", [None, False])
def test_mlp_forward_and_grads_match_per_sample(activation, fused):
    y = RNG.normal(size=len(X))
    assert_same(per_sample_and_batched(lambda o: nn.mse_loss(o, y), mlp(1, activation, fused)))


BINARY = np.array([0, 1, 1, 0, 1, 0, 0, 1, 1], dtype=float)
PM1 = 2 * BINARY - 1
CLASSES = np.array([0, 2, 1, 1, 0, 2, 2, 0, 1])


@pytest.mark.parametrize("loss,targets", [
    (nn.mse_loss, RNG.normal(size=9)), (nn.mae_loss, RNG.normal(size=9)),
    (nn.rmse_loss, RNG.normal(size=9)), (nn.hinge_loss, PM1), (nn.logistic_loss, PM1),
    (nn.binary_cross_entropy_with_logits, BINARY),
])
def test_each_scalar_output_loss_matches_per_sample(loss, targets):
    assert_same(per_sample_and_batched(lambda o: loss(o, targets), mlp(1)))


def test_binary_cross_entropy_matches_per_sample_including_the_clamp():
    model = lambda: nn.MLP(3, [4, 1], activation="tanh", output_activation="sigmoid", seed=2)  # noqa: E731
    assert_same(per_sample_and_batched(lambda o: nn.binary_cross_entropy(o, BINARY), model))
    # the clamp: probabilities of exactly 0 and 1
    p = Value.batch([0.0, 1.0, 0.25])
    loss = nn.binary_cross_entropy(p, [1.0, 0.0, 1.0])
    ref = nn.binary_cross_entropy([Value(0.0), Value(1.0), Value(0.25)], [1.0, 0.0, 1.0])
    assert loss.data == pytest.approx(ref.data, rel=1e-12)


@pytest.mark.parametrize("loss", ["cross_entropy", "nll"])
def test_multiclass_losses_match_per_sample(loss):
    if loss == "cross_entropy":
        build = lambda o: nn.cross_entropy(o, CLASSES)  # noqa: E731
    else:
        build = lambda o: nn.nll_loss(  # noqa: E731
            nn.log_softmax(o) if isinstance(o[0], Value) else [nn.log_softmax(r) for r in o], CLASSES)
    assert_same(per_sample_and_batched(build, mlp(3)))


def test_softmax_of_batched_logits_matches_per_sample_and_survives_large_logits():
    logits = [Value.batch([1000.0, -3.0]), Value.batch([999.0, 2.0]), Value.batch([0.0, 0.5])]
    probs = nn.softmax(logits)
    for s in range(2):
        ref = nn.softmax([Value(float(z.data[s])) for z in logits])
        assert [p.data[s] for p in probs] == pytest.approx([r.data for r in ref], rel=1e-12)


def test_targets_are_checked_in_batched_mode():
    out = nn.MLP(3, [2, 3], seed=0)(X)
    with pytest.raises(ValueError, match="class index"):
        nn.cross_entropy(out, np.full(9, 3))
    with pytest.raises(ValueError, match="9 predictions but 4 targets"):
        nn.mse_loss(nn.MLP(3, [1], seed=0)(X), [1.0, 2.0, 3.0, 4.0])
    with pytest.raises(ValueError, match=r"targets must be labels from the set \{-1, \+1\}"):
        nn.hinge_loss(nn.MLP(3, [1], seed=0)(X), BINARY)


def test_l2_penalty_is_one_node_with_micrograds_value_and_grads():
    model = nn.MLP(3, [4, 1], seed=3)
    params = model.parameters()
    fused = nn.l2_penalty(params, 1e-2)
    assert fused.parents[0].op == "square_sum"
    fused.backward()
    grads = [p.grad for p in params]
    model.zero_grad()
    squares = [p * p for p in params]
    ref = sum(squares[1:], squares[0]) * 1e-2
    ref.backward()
    assert fused.data == ref.data
    assert grads == [p.grad for p in params]
    with pytest.raises(ValueError, match="at least one"):
        square_sum([])


def test_batched_neuron_local_grads_iterate_like_the_generic_rule():
    model = nn.Layer(3, 2, activation="tanh", seed=4)
    out = model(X)[0]
    local = out.local_grads
    assert isinstance(local, BatchedNeuronGrads) and len(local) == 7 == len(out.parents)
    w = [p.data for p in out.parents[:3]]
    xs = [X[:, j] for j in range(3)]
    from autograd.ops import ARRAY, tanh
    _, ref = neuron_rule(ARRAY, w, out.parents[3].data, xs, tanh)
    for a, b in zip(local, ref):
        np.testing.assert_allclose(np.broadcast_to(a, (9,)), np.broadcast_to(b, (9,)), rtol=1e-12)
    assert local[-1] is not None and np.allclose(local[-1], ref[-1])


def test_input_grads_when_two_layers_share_the_inputs_and_an_input_repeats():
    """Two groups over the same batched inputs (an ensemble), plus a repeated input."""
    a, b = nn.Layer(3, 2, seed=5), nn.Layer(3, 2, seed=6)
    xs = [Value.batch(X[:, j]) for j in range(3)]
    loss = (sum(a(xs)) * sum(b(xs)) + sum(a([xs[0], xs[0], xs[1]]))).tanh().sum()
    loss.backward()
    batched = [x.grad.copy() for x in xs]
    for s in range(len(X)):
        row = [Value(float(v)) for v in X[s]]
        ref = (sum(a(row)) * sum(b(row)) + sum(a([row[0], row[0], row[1]]))).tanh()
        ref.backward()
        assert [x.grad for x in row] == pytest.approx([g[s] for g in batched], rel=1e-9, abs=1e-12)


def test_batch_input_grads_accumulate_across_backward_calls():
    model = nn.MLP(3, [4, 1], seed=8)
    xs = [Value.batch(X[:, j]) for j in range(3)]
    model(xs).sum().backward()
    once = [x.grad.copy() for x in xs]
    model(xs).sum().backward()
    for x, g in zip(xs, once):
        np.testing.assert_allclose(x.grad, 2 * g, rtol=1e-12)


def test_dropout_draws_a_mask_per_sample_in_batched_mode():
    drop = nn.Dropout(0.5, seed=0)
    out = drop([Value.batch(np.ones(200)), Value.batch(np.ones(200))])
    kept = np.array([o.data for o in out])
    assert set(np.unique(kept)) == {0.0, 2.0} and 0.3 < (kept > 0).mean() < 0.7
    assert not np.array_equal(kept[0], kept[1])


def test_no_grad_batched_forward_equals_predict():
    model = nn.MLP(3, [4, 2], seed=9)
    with no_grad():
        outs = model(X)
    assert all(o.parents == () for o in outs)
    np.testing.assert_allclose(np.stack([o.data for o in outs], axis=1), model.predict(X), rtol=1e-12)


def test_metrics_read_batched_outputs():
    model = nn.MLP(3, [4, 3], seed=10)
    outs = model(X)
    assert nn.metrics.to_numpy(outs).shape == (9, 3)
    per_sample = [model(row) for row in X.tolist()]
    assert nn.accuracy(outs, CLASSES) == nn.accuracy(per_sample, CLASSES)


@pytest.mark.parametrize("loss,targets,metric", [("hinge", PM1, "accuracy"), ("cross_entropy", CLASSES, "accuracy"),
                                                 ("mse", RNG.normal(size=9), "mse")])
def test_fit_runs_batched_by_default_with_the_per_sample_history(loss, targets, metric):
    histories = []
    for batched in (None, False):
        model = nn.MLP(3, [6, 3 if loss == "cross_entropy" else 1], seed=11)
        opt = nn.optim.SGD(model.parameters(), lr=0.05)
        h = nn.fit(model, loss, opt, (X, targets), val=(X[:4], targets[:4]), epochs=3, batch_size=4,
                   metric=metric, progress=False, l2=1e-3, batched=batched)
        histories.append(h)
    a, b = histories
    assert a.train_loss == pytest.approx(b.train_loss, rel=1e-9)
    assert a.val_loss == pytest.approx(b.val_loss, rel=1e-9)
    assert a.train_metric == pytest.approx(b.train_metric, rel=1e-9)


def test_fit_batched_true_refuses_a_custom_loss():
    model = nn.MLP(3, [1], seed=0)
    opt = nn.optim.SGD(model.parameters(), lr=0.1)
    custom = lambda outs, ys: nn.mse_loss(outs, ys)  # noqa: E731
    with pytest.raises(ValueError, match="batched=True"):
        nn.fit(model, custom, opt, (X, BINARY), epochs=1, progress=False, batched=True)
    nn.fit(model, custom, opt, (X, BINARY), epochs=1, progress=False)  # falls back per sample
