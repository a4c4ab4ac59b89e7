"""Batched logits: ``logsumexp`` is one node (local grads: the softmax) and ``cross_entropy``
one node per batch (local grads: softmax - one-hot); values and grads match per-sample
scalar runs, finite differences and PyTorch float64."""
import numpy as np
import pytest

import nn
from autograd import AnomalyError, Value, detect_anomaly
from nn.softmax import log_softmax, logsumexp

RNG = np.random.default_rng(21)
Z = RNG.normal(size=(7, 4)) * 3  # 7 samples, 4 classes
C = np.array([0, 3, 1, 2, 2, 0, 3])


def batched(Z=Z):
    return [Value.batch(Z[:, j]) for j in range(Z.shape[1])]


def per_sample(loss_of_row, Z=Z):
    """Σ over samples of loss_of_row(row of Values, s), and the grads, (k, N)."""
    total, grads = 0.0, []
    for s, row in enumerate(Z.tolist()):
        zs = [Value(v) for v in row]
        out = loss_of_row(zs, s)
        out.backward()
        total += out.data
        grads.append([z.grad for z in zs])
    return total, np.array(grads).T


def test_cross_entropy_is_one_node_and_matches_per_sample_runs():
    zs = batched()
    loss = nn.cross_entropy(zs, C)
    assert loss.op == "mean" and loss.parents[0].op == "cross_entropy"
    assert loss.parents[0].parents == tuple(zs)
    loss.backward()
    total, grads = per_sample(lambda row, s: nn.cross_entropy(row, [int(C[s])]))
    assert loss.data == pytest.approx(total / len(Z), rel=1e-12)
    np.testing.assert_allclose(np.array([z.grad for z in zs]), grads / len(Z), rtol=1e-10, atol=1e-15)


def test_logsumexp_and_log_softmax_match_per_sample_runs():
    zs = batched()
    lse = logsumexp(zs)
    assert lse.op == "logsumexp" and lse.parents == tuple(zs)
    out = (lse * 2.0 + log_softmax(zs)[1] * log_softmax(zs)[2]).sum()
    out.backward()

    def ref(row, s):
        ls = log_softmax(row)
        return logsumexp(row) * 2.0 + ls[1] * ls[2]

    total, grads = per_sample(ref)
    assert out.data == pytest.approx(total, rel=1e-12)
    np.testing.assert_allclose(np.array([z.grad for z in zs]), grads, rtol=1e-9, atol=1e-13)


def test_large_logits_stay_finite():
    big = Z + np.array([1000.0, -1000.0, 0.0, 800.0])
    zs = batched(big)
    loss = nn.cross_entropy(zs, C)
    loss.backward()
    assert np.isfinite(loss.data) and all(np.isfinite(z.grad).all() for z in zs)
    total, grads = per_sample(lambda row, s: nn.cross_entropy(row, [int(C[s])]), big)
    assert loss.data == pytest.approx(total / len(Z), rel=1e-12)
    np.testing.assert_allclose(np.array([z.grad for z in zs]), grads / len(Z), rtol=1e-9, atol=1e-15)


def test_cross_entropy_grads_against_finite_differences():
    zs = batched()
    nn.cross_entropy(zs, C).backward()
    eps = 1e-6
    for j, s in [(0, 0), (3, 1), (2, 4), (1, 6)]:
        def f(h):
            Zh = Z.copy()
            Zh[s, j] += h
            return nn.cross_entropy(batched(Zh), C).data
        assert zs[j].grad[s] == pytest.approx((f(eps) - f(-eps)) / (2 * eps), rel=1e-6, abs=1e-9)


def test_cross_entropy_matches_torch_float64():
    torch = pytest.importorskip("torch")
    zs = batched()
    loss = nn.cross_entropy(zs, C)
    loss.backward()
    zt = torch.tensor(Z, dtype=torch.float64, requires_grad=True)
    ref = torch.nn.functional.cross_entropy(zt, torch.tensor(C))
    ref.backward()
    assert loss.data == pytest.approx(ref.item(), rel=1e-12)
    np.testing.assert_allclose(np.array([z.grad for z in zs]).T, zt.grad.numpy(), rtol=1e-10, atol=1e-15)


def test_a_logit_shared_by_all_samples_takes_the_graph_path():
    zs = batched()
    zs[2] = Value(0.5)  # one number for every sample
    loss = nn.cross_entropy(zs, C)
    assert "cross_entropy" not in {loss.op, loss.parents[0].op}
    loss.backward()
    Zs = Z.copy()
    Zs[:, 2] = 0.5
    total, grads = per_sample(lambda row, s: nn.cross_entropy(row, [int(C[s])]), Zs)
    assert loss.data == pytest.approx(total / len(Z), rel=1e-12)
    assert zs[2].grad == pytest.approx(grads[2].sum() / len(Z), rel=1e-9)


def test_bad_targets_and_non_finite_logits():
    with pytest.raises(ValueError, match="class index"):
        nn.cross_entropy(batched(), C + 1)
    with pytest.raises(ValueError, match="7 samples but 3 targets"):
        nn.cross_entropy(batched(), [0, 1, 2])
    bad = Z.copy()
    bad[2, 1] = np.inf  # a leaf: the first op on it is the loss
    zs = [Value.batch(bad[:, j]) for j in range(4)]
    with detect_anomaly():
        with pytest.raises(AnomalyError) as caught:
            nn.cross_entropy(zs, C)
    assert caught.value.op == "cross_entropy"


def test_training_a_batched_classifier_matches_per_sample_training():
    X = RNG.normal(size=(12, 5))
    y = np.arange(12) % 3
    losses = []
    for mode in ("batched", "per-sample"):
        model = nn.MLP(5, [6, 3], activation="relu", seed=3)
        opt = nn.optim.SGD(model.parameters(), lr=0.2)
        run = []
        for _ in range(4):
            outs = model(X) if mode == "batched" else [model(row) for row in X.tolist()]
            loss = nn.cross_entropy(outs, y)
            opt.zero_grad()
            loss.backward()
            opt.step()
            run.append(loss.data)
        losses.append(run)
    assert losses[0] == pytest.approx(losses[1], rel=1e-10)
    assert losses[0][-1] < losses[0][0]
