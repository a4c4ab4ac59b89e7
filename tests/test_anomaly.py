"""detect_anomaly(): the first NaN/inf value or gradient raises, naming op, operands and line."""
import math

import numpy as np
import pytest

import autograd
from autograd import AnomalyError, Value, detect_anomaly, gradcheck, is_anomaly_enabled
from autograd import value as value_module

THIS_FILE = __file__


def line_of(text: str) -> int:
    """The line number of the (unique) line of this file that contains ``text``."""
    with open(THIS_FILE) as f:
        hits = [i for i, line in enumerate(f, 1) if text in line and "line_of(" not in line]
    assert len(hits) == 1, hits
    return hits[0]


# --- forward ------------------------------------------------------------------------------

def test_forward_overflow_names_op_operands_and_the_users_line():
    x = Value(800.0, label="x")
    with detect_anomaly(), pytest.raises(AnomalyError) as info:
        x.exp()  # MARK-forward-exp
    message = str(info.value)
    assert "'exp'" in message and "label 'x' = 800.0" in message and "inf" in message
    assert f"{THIS_FILE}:{line_of('MARK-forward-exp')}" in message
    assert info.value.op == "exp" and info.value.where.startswith(THIS_FILE)
    assert isinstance(info.value, ArithmeticError)


@pytest.mark.parametrize("make,op", [
    (lambda a, b: a * b, "*"),                 # 1e200 * 1e200 overflows
    (lambda a, b: a / (1.0 / b), "/"),            # 1e200 / 1e-200
    (lambda a, b: a ** 2.0, "**"),
    (lambda a, b: (a * b) - (a * b), "*"),     # the first bad op is reported, not the later nan
])
def test_the_first_bad_op_is_the_one_reported(make, op):
    a, b = Value(1e200, label="a"), Value(1e200, label="b")
    with detect_anomaly(), pytest.raises(AnomalyError) as info:
        make(a, b)
    assert info.value.op == op


def test_nan_operand_given_as_a_leaf_is_explained():
    x = Value(float("nan"), label="x")
    with detect_anomaly(), pytest.raises(AnomalyError, match="already nan or inf") as info:
        x * 2.0
    assert "label 'x' = nan" in str(info.value)


def test_outside_the_block_nothing_is_checked_and_hooks_are_restored():
    from autograd import hooks
    node, backward = value_module.make_node, Value.backward
    with pytest.raises(AnomalyError):
        with detect_anomaly():
            assert is_anomaly_enabled()
            Value(1000.0).exp()
    assert not is_anomaly_enabled()
    assert value_module.make_node is node and Value.backward is backward  # nothing swapped
    assert not hooks.NODE_MADE and not hooks.watching_nodes() and not hooks.AFTER_BACKWARD
    assert Value(1000.0).exp().data == math.inf  # the normal path: inf, silently


def test_nested_blocks_stay_active_until_the_outermost_ends():
    with detect_anomaly():
        with detect_anomaly():
            pass
        assert is_anomaly_enabled()
        with pytest.raises(AnomalyError):
            Value(1000.0).exp()
    assert not is_anomaly_enabled()


def test_works_as_a_decorator():
    @detect_anomaly()
    def f(x):
        return x.exp()

    with pytest.raises(AnomalyError):
        f(Value(1000.0))
    assert f(Value(1.0)).data == pytest.approx(math.e)
    assert not is_anomaly_enabled()


def test_fused_neuron_nodes_are_checked_too():
    fused = pytest.importorskip("nn.fused")
    w, b = [Value(1e300, label="w0")], Value(0.0, label="b")
    with detect_anomaly(), pytest.raises(AnomalyError) as info:
        fused.neuron(w, b, [1e10])
    assert info.value.op == "neuron" and "label 'w0' = 1e+300" in str(info.value)
    assert fused.neuron(w, b, [1e10]).data == math.inf  # unchecked again outside


# --- backward -----------------------------------------------------------------------------

def test_gradient_anomaly_names_the_node_the_op_and_where_it_was_made():
    x = Value(0.0, label="x")
    with detect_anomaly():
        y = x.sqrt() * 0.0 + x  # MARK-sqrt-at-zero
        with pytest.raises(AnomalyError) as info:
            y.backward()
    message = str(info.value)
    assert "gradient of 'x'" in message and "nan" in message  # inf (sqrt'(0)) * 0 = nan
    assert info.value.op == "sqrt" and "= inf" in message
    assert f"{THIS_FILE}:{line_of('MARK-sqrt-at-zero')}" in message


def test_gradient_anomaly_of_a_graph_built_outside_the_block():
    x = Value(0.0, label="x")
    y = x.sqrt()
    with detect_anomaly(), pytest.raises(AnomalyError, match="made outside detect_anomaly"):
        y.backward()
    assert x.grad == math.inf  # the grads were written; the error says where they went wrong


def test_leaf_grad_already_nan_before_backward():
    x = Value(2.0, label="x")
    x.grad = math.nan
    with detect_anomaly(), pytest.raises(AnomalyError, match="already\\s+non-finite"):
        (x * 3.0).backward()


def test_non_finite_starting_gradient():
    y = Value(2.0) * 3.0
    with detect_anomaly(), pytest.raises(AnomalyError, match="starting gradient"):
        y.backward(math.inf)


def test_finite_graphs_give_the_same_values_and_grads_inside_the_block():
    def f(a, b):
        c = a * b + a.tanh()
        return (c * c).sigmoid() + (a / b).log() + b.sqrt() ** 1.5

    plain_a, plain_b = Value(1.5), Value(2.5)
    out = f(plain_a, plain_b)
    out.backward()
    with detect_anomaly():
        a, b = Value(1.5), Value(2.5)
        checked = f(a, b)
        checked.backward()
        assert gradcheck(f, [1.5, 2.5])
    assert (checked.data, a.grad, b.grad) == (out.data, plain_a.grad, plain_b.grad)


def test_is_finite_handles_batched_arrays():
    assert autograd.anomaly.is_finite(np.array([1.0, 2.0]))
    assert not autograd.anomaly.is_finite(np.array([1.0, np.nan]))
    assert "1 nan and 1 inf among its 3" in autograd.anomaly._describe_number(np.array([np.nan, np.inf, 0.0]))


def test_batched_values_are_checked_entry_by_entry():
    if not hasattr(Value, "batch"):
        pytest.skip("no batched Values in this engine")
    x = Value.batch([1.0, 800.0, 2.0], label="x")
    with detect_anomaly(), pytest.raises(AnomalyError, match="1 nan and 0 inf|0 nan and 1 inf"):
        x.exp()


def test_a_model_parameter_is_named_by_its_dotted_label():
    nn = pytest.importorskip("nn")
    model = nn.MLP(2, [3, 1], seed=0)
    for p in model.parameters():
        p.data = 1e200
    with detect_anomaly(), pytest.raises(AnomalyError) as info:
        model([1e200, 1e200])
    assert "layers.0.neurons.0.w.0" in str(info.value)
    assert THIS_FILE in info.value.where  # the user's line, not nn's
