"""Teaching guards: each catches its mistake with a message naming the fix, and can be switched off."""
import contextlib
import os
import subprocess
import sys
import warnings

import pytest

import autograd
from autograd import OPS, Value, guards, zero_grad
from autograd.guards import StaleDataError, TeachingWarning


@pytest.fixture(autouse=True)
def all_guards_on():
    before = {name: guards.is_enabled(name) for name in guards.GUARDS}
    for name in guards.GUARDS:
        guards.set_enabled(name, True)
    yield
    for name, on in before.items():
        guards.set_enabled(name, on)


@contextlib.contextmanager
def no_teaching_warning():
    """A block in which any TeachingWarning fails the test."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", TeachingWarning)
        yield


def small_model():
    w, b, x = Value(0.5, label="w"), Value(-0.2, label="b"), Value(2.0, label="x")
    loss = ((w * x + b).tanh() - 1.0) ** 2
    return w, b, x, loss


# --- stale_data --------------------------------------------------------------------------

def test_update_between_forward_and_backward_is_an_error_and_leaves_grads_alone():
    w, b, x, loss = small_model()
    w.data -= 0.1  # the classic: optimizer step before loss.backward()
    with pytest.raises(StaleDataError) as info:
        loss.backward()
    message = str(info.value)
    assert "label 'w' = 0.4" in message and "'*'" in message
    assert "forward pass again" in message and "set_enabled('stale_data', False)" in message
    assert (w.grad, b.grad, x.grad) == (0.0, 0.0, 0.0)  # nothing half-updated


def test_after_a_new_forward_pass_backward_works_and_matches_gradcheck():
    w, b, x, loss = small_model()
    w.data -= 0.1
    loss = ((w * x + b).tanh() - 1.0) ** 2
    loss.backward()
    expected = autograd.numerical_grad(lambda w, b, x: ((w * x + b).tanh() - 1.0) ** 2, [w, b, x])
    assert [w.grad, b.grad, x.grad] == pytest.approx(expected, rel=1e-6)


def test_data_restored_up_to_rounding_is_not_stale():
    w, b, x, loss = small_model()
    for h in (1e-6, 1e-3, 0.1):  # finite differences done by hand, in place
        w.data += h
        w.data -= h
    loss.backward()
    assert w.grad != 0.0


@pytest.mark.parametrize("name", sorted(n for n, op in OPS.items() if op.arity in (1, 2)))
def test_no_false_alarm_for_any_op_on_leaves(name):
    rule = OPS[name].rule
    args = [Value(0.7, label="a"), Value(1.3, label="b")][:OPS[name].arity]
    if name in ("sum", "mean"):  # batch reductions
        if not hasattr(Value, "batch"):
            pytest.skip("no batched Values in this engine")
        args = [Value.batch([0.7, 1.3], label="a")]
    make = autograd.value._binary_op if len(args) == 2 else autograd.value._unary_op
    node = make(rule)(*args)  # as the operator or method makes it
    with no_teaching_warning():
        node.backward()


@pytest.mark.parametrize("make", [
    lambda a: a.exp(), lambda a: a.log(), lambda a: a.sin(), lambda a: a * 3.0, lambda a: 2.0 / a,
    lambda a: a ** 3.0, lambda a: a.tanh(), lambda a: a.sigmoid(), lambda a: a.softplus(),
    lambda a: a.leaky_relu(0.2), lambda a: a + 1.0, lambda a: 1.0 - a,
])
def test_changed_leaf_is_caught_for_each_kind_of_op(make):
    a = Value(0.7, label="a")
    y = make(a)
    a.data = 0.9
    with pytest.raises(StaleDataError, match="label 'a' = 0.9"):
        y.backward()


def test_leaky_relu_with_its_own_slope_is_no_false_alarm():
    a = Value(-0.7, label="a")
    y = a.leaky_relu(0.3) * 2.0
    y.backward()
    assert a.grad == pytest.approx(0.6)


@pytest.mark.parametrize("activation", [None, "relu", "tanh", "sigmoid"])
def test_fused_neuron_weight_change_is_caught(activation):
    fused = pytest.importorskip("nn.fused")
    w, b = [Value(0.5, label="w0"), Value(-0.25, label="w1")], Value(0.1, label="b")
    y = fused.neuron(w, b, [1.0, 2.0], activation)
    with no_teaching_warning():
        y.backward()  # no false alarm
    w[1].data = 0.75
    with pytest.raises(StaleDataError, match=f"'neuron{'_' + activation if activation else ''}'"):
        y.backward()


def test_optimizer_step_before_backward_of_a_batched_model_is_caught():
    import numpy as np

    nn = pytest.importorskip("nn")
    model = nn.MLP(3, [4, 1], seed=0)
    X = np.random.default_rng(0).normal(size=(8, 3))
    loss = nn.mse_loss(model(X), np.ones(8))  # one graph for the whole batch
    with no_teaching_warning():
        loss.backward()  # no false alarm
    opt = nn.optim.SGD(model.parameters(), lr=0.1)
    opt.step()  # the weights move: the graph is stale now
    with pytest.raises(StaleDataError, match="'neuron"):
        loss.backward()


def test_switch_off_one_guard_and_all_guards():
    w, b, x, loss = small_model()
    w.data -= 0.1
    guards.set_enabled("stale_data", False)
    assert not guards.is_enabled("stale_data")
    loss.backward()  # allowed: the user asked for it
    guards.set_enabled("stale_data", True)
    with guards.disabled():
        loss.backward()
        assert not any(guards.is_enabled(n) for n in guards.GUARDS)
    assert all(guards.is_enabled(n) for n in guards.GUARDS)
    with pytest.raises(StaleDataError):
        loss.backward()


def test_unknown_guard_name_lists_the_guards():
    with pytest.raises(ValueError, match="stale_data"):
        guards.set_enabled("stale", False)


def test_environment_variable_starts_with_every_guard_off():
    code = ("from autograd import guards, hooks; "
            "print(all(not guards.is_enabled(n) for n in guards.GUARDS), bool(hooks.BEFORE_BACKWARD))")
    out = subprocess.run([sys.executable, "-c", code], env={**os.environ, "SCALARGRAD_GUARDS": "0"},
                         capture_output=True, text=True, check=True).stdout
    assert out.split() == ["True", "False"]


def test_big_graph_checks_the_nodes_nearest_the_output():
    x = Value(0.5, label="x")
    params = [Value(1.0001, label=f"p{i}") for i in range(5000)]
    y = x
    for p in params:
        y = y * p
    params[-1].data = 2.0  # the last parameter is used next to the output
    with pytest.raises(StaleDataError, match="p4999"):
        y.backward()


# --- backward_non_output -----------------------------------------------------------------

def test_backward_on_an_inner_node_after_the_loss_warns():
    w, b, x, loss = small_model()
    loss.backward()
    inner = loss.parents[0]  # the tanh(...) - 1.0 node
    with pytest.warns(TeachingWarning, match="inner node") as record:
        inner.backward()
    assert "call backward\\(\\) on the output" not in str(record[0].message)
    assert "zero_grad() first" in str(record[0].message)


def test_backward_on_the_loss_twice_or_on_fresh_graphs_is_quiet():
    w, b, x, loss = small_model()
    with no_teaching_warning():
        loss.backward()
        loss.backward()  # leaf grads accumulate, as documented
        h = w * x
        h.backward()  # a new graph's output
        zero_grad(loss)
        loss.parents[0].backward()  # after zero_grad(): on purpose


def test_non_output_warning_can_be_switched_off():
    w, b, x, loss = small_model()
    loss.backward()
    with guards.disabled("backward_non_output"), no_teaching_warning():
        loss.parents[0].backward()


# --- grads_not_zeroed ----------------------------------------------------------------------

def sgd_step(params, lr=0.1):
    guards.check_step(params)  # what nn.optim's step() calls first
    for p in params:
        p.data -= lr * p.grad


def forward(w, b):
    return ((w * 2.0 + b).tanh() - 1.0) ** 2


@pytest.mark.parametrize("zero", [
    lambda params, loss: [setattr(p, "grad", 0.0) for p in params],
    lambda params, loss: zero_grad(*params),
    lambda params, loss: loss.zero_grad(),
])
def test_zeroing_any_way_between_steps_is_quiet(zero):
    w, b = Value(0.5, label="w"), Value(0.1, label="b")
    with no_teaching_warning():
        for _ in range(3):
            loss = forward(w, b)
            loss.backward()
            sgd_step([w, b])
            zero(([w, b]), loss)


def test_step_without_zero_grad_warns_naming_the_parameters():
    w, b = Value(0.5, label="w"), Value(0.1, label="b")
    forward(w, b).backward()
    sgd_step([w, b])
    forward(w, b).backward()  # accumulates on top of the previous batch's grads
    with pytest.warns(TeachingWarning, match=r"2 parameters \('w', 'b'\).*zero_grad") as record:
        sgd_step([w, b])
    assert len(record) == 1


def test_step_without_zero_grad_of_a_big_model_warns_and_with_it_is_quiet():
    nn = pytest.importorskip("nn")
    model = nn.MLP(4, [8, 8, 1], seed=0)  # 121 parameters: step() checks an even spread of them
    opt = nn.optim.SGD(model.parameters(), lr=0.01)
    x = [0.5, -1.0, 2.0, 0.25]
    with no_teaching_warning():
        for _ in range(3):
            opt.zero_grad()
            (model(x) ** 2).backward()
            opt.step()
    (model(x) ** 2).backward()  # no zero_grad(): the previous step's grads are still there
    with pytest.warns(TeachingWarning, match=r"of the 121 were checked.*zero_grad"):
        opt.step()


def test_same_grads_stepped_twice_warns():
    w = Value(0.5, label="w")
    forward(w, 0.1).backward()
    sgd_step([w])
    with pytest.warns(TeachingWarning, match="not\\s+zeroed"):
        sgd_step([w])


def test_accumulating_several_backward_before_one_step_is_quiet():
    w, b = Value(0.5, label="w"), Value(0.1, label="b")
    with no_teaching_warning():
        for _ in range(2):
            for _ in range(3):  # gradient accumulation over three mini-batches, on purpose
                forward(w, b).backward()
            sgd_step([w, b])
            zero_grad(w, b)


def test_marked_grads_keep_their_value_and_print_as_floats():
    w = Value(0.5, label="w")
    forward(w, 0.1).backward()
    before = w.grad
    guards.check_step([w])
    assert w.grad == before and repr(w.grad) == repr(before) and f"{w.grad:.3f}" == f"{before:.3f}"
    assert isinstance(w.grad, float)


def test_grads_not_zeroed_can_be_switched_off():
    w = Value(0.5, label="w")
    forward(w, 0.1).backward()
    with guards.disabled("grads_not_zeroed"), no_teaching_warning():
        sgd_step([w])
        sgd_step([w])


# --- never_backpropagated ------------------------------------------------------------------

def test_reading_grads_before_backward_warns_and_after_is_quiet():
    w, b, x, loss = small_model()
    with pytest.warns(TeachingWarning, match="backward\\(\\) was never called"):
        assert guards.check_backpropagated(loss, "the drawing") is False
    loss.backward()
    with no_teaching_warning():
        assert guards.check_backpropagated(loss) is True


def test_grads_from_another_root_are_pointed_out():
    w, b, x, loss = small_model()
    loss.backward()
    bigger = loss * 3.0  # the graph was extended after backward()
    with pytest.warns(TeachingWarning, match="another node"):
        assert not guards.check_backpropagated(bigger)


def test_never_backpropagated_can_be_switched_off():
    w, b, x, loss = small_model()
    with guards.disabled("never_backpropagated"), no_teaching_warning():
        assert guards.check_backpropagated(loss)


def test_the_mark_never_spreads_to_data():
    w = Value(0.5, label="w")
    forward(w, 0.1).backward()
    guards.check_step([w])
    for update in (lambda: w.data + w.grad, lambda: w.data - 0.1 * w.grad, lambda: 0.9 * w.grad,
                   lambda: 1.0 + w.grad):
        assert type(update()) is float
    w.data += w.grad  # gradient ascent with lr = 1
    assert type(w.data) is float


@pytest.mark.parametrize("make", ["SGD", "SGD-momentum", "Adam"])
def test_nn_optimizers_warn_without_zero_grad_and_not_with_it(make):
    nn = pytest.importorskip("nn")
    model = nn.MLP(2, [4, 1], seed=0)
    kind, _, momentum = make.partition("-")
    opt = (nn.optim.SGD(model.parameters(), lr=0.1, momentum=0.9 if momentum else 0.0)
           if kind == "SGD" else nn.optim.Adam(model.parameters(), lr=0.01))
    data = [([0.5, -1.0], 1.0), ([1.5, 0.3], -1.0)]

    def loss_of(x, y):
        return (model(x) - y) ** 2

    with no_teaching_warning():
        for x, y in data * 2:
            opt.zero_grad()
            loss_of(x, y).backward()
            opt.step()
        assert all(type(p.data) is float for p in model.parameters())
    with pytest.warns(TeachingWarning, match="not\\s+zeroed"):
        for x, y in data:  # the classic: zero_grad() forgotten
            loss_of(x, y).backward()
            opt.step()
