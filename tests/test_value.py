"""The Value contract: construction, operators, backward over graph shapes, errors, memory."""
import gc
import math
import weakref

import numpy as np
import pytest

from autograd import DomainError, GradcheckError, Value, gradcheck, no_grad, topological_order


# --- construction ---------------------------------------------------------------------

@pytest.mark.parametrize("data", [3, 2.5, True, np.float32(1.5), np.int64(-4), np.bool_(True), np.float64(0.1)])
def test_real_numbers_are_stored_as_python_float(data):
    v = Value(data, label="v")
    assert type(v.data) is float and v.data == float(data)
    assert (v.grad, v.label, v.op, v.parents) == (0.0, "v", "", ())


@pytest.mark.parametrize("data,type_name", [
    ("1.0", "str"), (None, "NoneType"), ([1.0], "list"), (1 + 2j, "complex"),
    (np.zeros(3), "numpy array"), (np.array(2.0), "numpy array"),
])
def test_anything_else_is_a_type_error_naming_the_type(data, type_name):
    with pytest.raises(TypeError, match=type_name):
        Value(data)


def test_operators_accept_numbers_on_either_side():
    x = Value(2.0)
    cases = {"x+3": (x + 3, 5.0), "3+x": (3 + x, 5.0), "x-3": (x - 3, -1.0), "3-x": (3 - x, 1.0),
             "x*3": (x * 3, 6.0), "3*x": (3 * x, 6.0), "x/4": (x / 4, 0.5), "4/x": (4 / x, 2.0),
             "x**3": (x ** 3, 8.0), "3**x": (3 ** x, 9.0), "-x": (-x, -2.0), "abs(-x)": (abs(-x), 2.0)}
    for expr, (value, expected) in cases.items():
        assert isinstance(value, Value), expr
        assert value.data == expected, expr


def test_value_exponent_gets_its_gradient():
    x, y = Value(2.0), Value(3.0)
    z = x ** y
    z.backward()
    assert x.grad == pytest.approx(3.0 * 2.0 ** 2)
    assert y.grad == pytest.approx(2.0 ** 3 * math.log(2.0))


# --- graph shape ------------------------------------------------------------------------

def test_parents_have_one_entry_per_use_in_operand_order():
    a, b = Value(1.0, "a"), Value(2.0, "b")
    assert (a * a).parents == (a, a)
    assert (a + a).parents == (a, a)
    assert (b - a).parents == (b, a)


@pytest.mark.parametrize("make,expected", [
    (lambda a: a * a, lambda x: 2 * x),                        # one value, two edges
    (lambda a: a + a, lambda x: 2.0),
    (lambda a: (a * 3) + (a * a) + a.sin(), lambda x: 3 + 2 * x + math.cos(x)),  # fan-out
])
def test_gradients_of_a_value_used_on_several_paths_add_up(make, expected):
    a = Value(1.7)
    make(a).backward()
    assert a.grad == pytest.approx(expected(1.7))
    assert gradcheck(make, [1.7])


def test_diamond_shared_subexpression():
    def f(x, y):
        h = (x * y).tanh()          # h is used by both branches below
        return h * x + h.exp() * y
    assert gradcheck(f, [0.3, -1.2])


def test_topological_order_lists_each_node_after_its_parents_root_last():
    x, y = Value(1.0), Value(2.0)
    h = x * y
    out = h + h.tanh() + x
    order = topological_order(out)
    assert order[-1] is out
    assert len(order) == len({id(n) for n in order})
    position = {id(n): i for i, n in enumerate(order)}
    for node in order:
        for p in node.parents:
            assert position[id(p)] < position[id(node)]
    assert {id(x), id(y), id(h)} <= set(position)


def test_topological_order_is_the_same_on_every_run():
    def build():
        a, b = Value(1.0, "a"), Value(2.0, "b")
        return (a * b + a).relu() * (b - a)
    first = [(n.op, n.label, n.data) for n in topological_order(build())]
    assert first == [(n.op, n.label, n.data) for n in topological_order(build())]


def test_a_chain_of_a_million_ops_needs_no_recursion():
    x = Value(1.0)
    y = x
    for _ in range(10**6 // 2):  # two ops per step
        y = y * 1.0000001 + 0.0
    y.backward()
    assert x.grad == pytest.approx(1.0000001 ** (10**6 // 2), rel=1e-9)
    assert len(topological_order(y)) == 2 * 10**6 + 1  # each op node plus its constant, and x


# --- backward semantics -------------------------------------------------------------------

def test_second_backward_accumulates_leaves_but_recomputes_intermediates():
    x = Value(3.0)
    h = x * x
    y = h * x
    y.backward()
    assert (x.grad, h.grad) == (27.0, 3.0)
    y.backward()
    assert (x.grad, h.grad) == (54.0, 3.0)  # h is recomputed, not 6.0


def test_zero_grad_clears_the_whole_graph():
    x, w = Value(3.0), Value(-2.0)
    y = (x * w).tanh()
    y.backward()
    assert x.grad != 0 and w.grad != 0
    y.zero_grad()
    assert all(n.grad == 0.0 for n in topological_order(y))
    y.backward()
    assert w.grad == pytest.approx(x.data * (1 - y.data ** 2))


def test_no_grad_as_context_manager_and_decorator():
    x = Value(2.0)
    with no_grad():
        y = x * x + 1
    assert (y.data, y.op, y.parents) == (5.0, "", ())

    @no_grad()
    def update(v):
        return v * 0.5

    z = update(x)
    assert z.parents == ()
    assert (x * x).parents == (x, x)  # recording is back on after both


def test_no_grad_restores_state_after_an_exception():
    x = Value(-1.0)
    with pytest.raises(DomainError):
        with no_grad():
            x.log()
    assert (x * 2).parents != ()


# --- errors ---------------------------------------------------------------------------------

@pytest.mark.parametrize("make,words", [
    (lambda: Value(-1.0, "q").log(), ["log", "> 0", "'q'", "-1.0"]),
    (lambda: Value(0.0, "q").log(), ["log", "'q'"]),
    (lambda: Value(-4.0, "q").sqrt(), ["sqrt", "negative", "'q'"]),
    (lambda: Value(-8.0, "q") ** (1 / 3), ["**", "negative base", "'q'"]),
    (lambda: Value(1.0, "p") / Value(0.0, "q"), ["division by zero", "'p'", "'q'"]),
    (lambda: 1.0 / Value(0.0, "q"), ["division by zero", "'q'"]),
    (lambda: Value(0.0, "q") ** -1, ["zero to a negative power", "'q'"]),
])
def test_domain_errors_name_the_op_and_operand(make, words):
    with pytest.raises(DomainError) as err:
        make()
    for word in words:
        assert word in str(err.value)


def test_negative_base_to_integer_power_is_fine():
    x = Value(-2.0)
    y = x ** 3
    y.backward()
    assert (y.data, x.grad) == (-8.0, 12.0)


def test_gradcheck_catches_a_real_error_at_relu_kink():
    with pytest.raises(GradcheckError) as err:
        gradcheck(lambda a: a.relu(), [0.0])
    assert "analytic 0.0" in str(err.value) and "numeric 0.5" in str(err.value)


def test_gradcheck_lists_each_mismatching_input():
    def f(a, b):
        y = a * b
        if y.parents:  # a deliberately wrong rule for d/db (numeric passes run under no_grad)
            y.local_grads = (y.local_grads[0], 2 * y.local_grads[1])
        return y
    with pytest.raises(GradcheckError) as err:
        gradcheck(f, [2.0, 3.0])
    message = str(err.value)
    assert "1 of 2 inputs" in message and "x1 = 3.0" in message and "x0" not in message


def test_gradcheck_returns_false_when_asked_not_to_raise():
    assert gradcheck(lambda a: a.relu(), [0.0], raise_exception=False) is False


# --- memory -----------------------------------------------------------------------------------

def test_a_dropped_graph_is_freed_without_the_cyclic_gc():
    gc.disable()
    try:
        x = Value(1.5)
        y = x
        for _ in range(1000):
            y = (y * 0.5).tanh() + x
        y.backward()
        probe = weakref.ref(y.parents[0])
        assert probe() is not None
        del y
        assert probe() is None  # freed by reference counting alone: no cycles
    finally:
        gc.enable()


def test_dropping_a_deep_chain_does_not_crash():
    y = Value(1.0)
    for _ in range(10**5):
        y = y + 1.0
    del y  # deep deallocation must not overflow the C stack


def test_each_op_method_shows_its_math_as_help():
    from autograd import OPS

    methods = {"+": "__add__", "-": "__sub__", "*": "__mul__", "/": "__truediv__", "**": "__pow__",
               "neg": "__neg__", "abs": "__abs__"}
    for name, op in OPS.items():
        method = getattr(Value, methods.get(name, name), None)
        if method is None or name in ("sum", "mean"):
            continue
        assert (method.__doc__ or "").strip().splitlines()[0] == op.math, name
    assert Value.__rmul__.__doc__ == Value.__mul__.__doc__
    assert (2.0 - Value(5.0)).data == -3.0 and (2.0 ** Value(3.0)).data == 8.0  # reflected order


# --- micrograd's names and constructor; float() of a Value --------------------------------

def test_micrograd_lecture_manual_backprop_with_prev_op_and_backward():
    a, b, c = Value(2.0, label="a"), Value(-3.0, label="b"), Value(10.0, label="c")
    e = a * b
    d = e + c
    f = Value(-2.0, label="f")
    L = d * f
    assert L._op == "*" and d._op == "+" and a._op == ""
    assert set(L._prev) == {d, f} and a._prev == ()
    topo, visited = [], set()

    def build_topo(v):  # the lecture's recursive topological sort, as written there
        if v not in visited:
            visited.add(v)
            for child in v._prev:
                build_topo(child)
            topo.append(v)

    build_topo(L)
    L.grad = 1.0
    for node in reversed(topo):
        node._backward()
    assert (a.grad, b.grad, c.grad, f.grad) == (6.0, -4.0, -2.0, 4.0)
    ref = [Value(x) for x in (2.0, -3.0, 10.0, -2.0)]
    ((ref[0] * ref[1] + ref[2]) * ref[3]).backward()
    assert [v.grad for v in ref] == [a.grad, b.grad, c.grad, f.grad]


def test_prev_lists_each_operand_once_in_order_and_backward_adds():
    a = Value(3.0, label="a")
    y = a * a
    assert y._prev == (a,)  # micrograd's set: one entry, though a is used twice
    y.grad = 1.0
    y._backward()
    assert a.grad == 6.0  # both uses: 3 + 3
    y._backward()
    assert a.grad == 12.0  # += : a second call adds again, as micrograd's does


@pytest.mark.parametrize("args", [((Value(1.0), Value(2.0)),), ((), "+"), ((Value(1.0),), "*")])
def test_micrograd_constructor_form_is_a_clear_type_error(args):
    with pytest.raises(TypeError, match=r'Value\(3.0, label="a"\)') as info:
        Value(3.0, *args)
    assert "a + b" in str(info.value)


def test_label_must_be_a_string():
    with pytest.raises(TypeError, match="label"):
        Value(1.0, label=5)
    assert Value(1.0, "x").label == "x" and Value(1.0, label="y").label == "y"


def test_math_exp_on_a_value_is_loud_not_a_silent_float():
    import math

    w = Value(0.5, label="w")
    with pytest.raises(TypeError, match=r"math.exp\(v\) leaves the graph; use v.exp\(\)") as info:
        math.exp(w)
    assert "'w'" in str(info.value) and ".data" in str(info.value)
    with pytest.raises(TypeError, match="leaves the graph"):
        float(w * 2.0)
    assert w.exp().data == math.exp(0.5) and w.item() == 0.5


def test_float_of_a_value_works_inside_no_grad():
    import math

    w = Value(0.5)
    with no_grad():
        assert float(w) == 0.5 and math.exp(w) == math.exp(0.5)
    with pytest.raises(TypeError, match="leaves the graph"):
        float(w)
