"""seed=None models draw from Python's ``random`` (as micrograd does), so random.seed(...)
makes a run repeatable; seed=<int> stays independent of it."""
import random

import pytest

import nn


def test_random_seed_makes_unseeded_models_repeatable():
    random.seed(1337)
    a = nn.MLP(3, [4, 4, 1]).state_dict()
    random.seed(1337)
    b = nn.MLP(3, [4, 4, 1]).state_dict()
    random.seed(1338)
    c = nn.MLP(3, [4, 4, 1]).state_dict()
    assert a == b
    assert a != c


def test_uniform_weights_are_micrographs_draws_in_micrographs_order():
    """micrograd's Neuron: w = [random.uniform(-1, 1) for each input], b = 0, neuron after neuron."""
    random.seed(42)
    expected = [[random.uniform(-1, 1) for _ in range(3)] for _ in range(4 + 2)]
    random.seed(42)
    model = nn.MLP(3, [4, 2])
    got = [[w.data for w in n.w] for n in model.layers[0].neurons] + [[w.data for w in n.w][:3] for n in model.layers[1].neurons]
    assert got[:4] == expected[:4]
    # the second layer has 4 inputs: its draws continue the same stream
    random.seed(42)
    stream = [random.uniform(-1, 1) for _ in range(3 * 4 + 4 * 2)]
    assert [w.data for n in model.layers[1].neurons for w in n.w] == stream[12:]
    assert all(n.b.data == 0.0 for layer in model.layers for n in layer.neurons)


@pytest.mark.parametrize("init", ["xavier", "he"])
def test_other_schemes_follow_random_seed_too(init):
    random.seed(3)
    a = nn.Layer(5, 3, init=init).state_dict()
    random.seed(3)
    assert nn.Layer(5, 3, init=init).state_dict() == a


def test_integer_seed_ignores_python_random():
    random.seed(0)
    a = nn.MLP(2, [3, 1], seed=5).state_dict()
    random.seed(99)
    assert nn.MLP(2, [3, 1], seed=5).state_dict() == a


def test_unseeded_dropout_follows_random_seed():
    model = nn.MLP(2, [16, 1], dropout=0.5)
    outs = []
    for _ in range(2):
        random.seed(8)
        outs.append(model([0.3, -0.7]).data)
    random.seed(9)
    other = model([0.3, -0.7]).data
    assert outs[0] == outs[1] != other


def test_a_random_Random_can_be_the_seed():
    a = nn.Neuron(4, seed=random.Random(1)).state_dict()
    assert nn.Neuron(4, seed=random.Random(1)).state_dict() == a
    r = random.Random(1)
    assert [a[f"w.{i}"] for i in range(4)] == [r.uniform(-1, 1) for _ in range(4)]


def test_random_seed_gives_micrograds_own_model():
    """micrograd's demo: random.seed(1337); MLP(2, [16, 16, 1]). The same call here builds the
    same weights, so the same scores and, after the demo's hinge loss, the same gradients."""
    mg_nn = pytest.importorskip("micrograd.nn")
    random.seed(1337)
    theirs = mg_nn.MLP(2, [16, 16, 1])
    random.seed(1337)
    ours = nn.MLP(2, [16, 16, 1])
    assert [p.data for p in ours.parameters()] == [p.data for p in theirs.parameters()]
    X, y = nn.data.make_moons(n=20, noise=0.1, seed=0)
    y = nn.data.to_pm1(y)
    for model, V in ((theirs, mg_nn.Value), (ours, None)):
        scores = [model([V(float(v)) for v in row] if V else row.tolist()) for row in X]
        loss = sum((1 + -int(yi) * s).relu() for yi, s in zip(y, scores)) * (1.0 / len(y))
        model.zero_grad()
        loss.backward()
    assert [p.grad for p in ours.parameters()] == pytest.approx([p.grad for p in theirs.parameters()], rel=1e-12, abs=1e-15)
    assert any(p.grad != 0 for p in ours.parameters())
