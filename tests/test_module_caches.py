"""What a training loop asks of a model every step stays cheap: train()/eval() are a mode, not
a change of structure (layers keep their cached plans), and modules()/parameters() are kept
until a module changes; each cache still sees every change. No timings."""
import numpy as np
import pytest

import nn
from autograd import Value
from nn import module


def _model():
    return nn.MLP(2, [4, 1], seed=0)


def test_train_and_eval_do_not_count_as_structure_changes():
    model = _model()
    version = module.structure_version
    model.eval()
    model.train()
    model.train(True)
    assert module.structure_version == version
    assert all(m.training for m in model.modules())
    model.eval()
    assert not any(m.training for m in model.modules())


def test_dropout_still_follows_the_mode():
    drop = nn.Dropout(0.5)
    x = [Value(1.0) for _ in range(200)]
    drop.eval()
    assert [v.data for v in drop(x)] == [1.0] * 200
    drop.train()
    assert any(v.data == 0.0 for v in drop(x))


def test_fit_leaves_the_layers_plans_in_place():
    """fit used to call train() every epoch, which counted as a change of every module: each
    layer rebuilt its cached plan at every step of full-batch training."""
    model = _model()
    X = np.random.default_rng(0).normal(size=(8, 2))
    y = (X[:, 0] > 0).astype(float)
    model(X)  # the plans are built
    version = module.structure_version
    nn.fit(model, "mse", nn.optim.SGD(model.parameters(), lr=0.1), (X, y), epochs=3, progress=False,
           val=(X, y))
    assert module.structure_version == version


def test_parameters_and_modules_see_every_change():
    model = _model()
    first = model.parameters()
    assert model.parameters() == first and model.parameters() is not first  # a new list each time
    neuron = model.layers[0].neurons[0]
    new_w = Value(0.5)
    neuron.w[1] = new_w  # in place, in a watched list
    assert new_w in model.parameters() and len(model.parameters()) == len(first)
    neuron.b = Value(0.0)
    assert neuron.b in model.parameters()
    extra = nn.Layer(1, 1, seed=1)
    model.layers.append(extra)
    assert extra in model.modules()
    assert all(p in model.parameters() for p in extra.parameters())


@pytest.mark.parametrize("batched", [None, False])
def test_a_bad_training_set_is_refused_before_the_first_update(batched):
    """The training set is checked by the first step's forward pass now; the message still
    names the set and the model is unchanged."""
    model = _model()
    before = model.state_dict()
    with pytest.raises(ValueError, match=r"training set \(train\) does not fit"):
        nn.fit(model, "mse", nn.optim.SGD(model.parameters(), lr=0.1), (np.zeros((4, 3)), np.zeros(4)),
               epochs=2, progress=False, batched=batched)
    assert model.state_dict() == before
