"""The extension door: a student's op as ``autograd.Function`` (forward and backward side by
side), and ``check_function``, which names the likely mistake in a wrong backward."""
import math
import re

import pytest

import autograd
import viz
from autograd import (OPS, AnomalyError, Function, FunctionCheckError, Value, chain_rule,
                      check_function, detect_anomaly, gradcheck)


@pytest.fixture(autouse=True)
def _restore_op_table():
    """Ops defined here leave the table after each test (other tests iterate OPS)."""
    before = dict(OPS)
    yield
    OPS.clear()
    OPS.update(before)


def cube_op():
    class Cube(Function):
        """y = x**3;  dy/dx = 3·x**2"""

        @staticmethod
        def forward(x):
            return x * x * x  # (not x ** 3: a float power that overflows raises)

        @staticmethod
        def backward(out, x):
            x.grad += 3 * x.data ** 2 * out.grad

    return Cube


def mul_op(backward):
    class MyMul(Function):
        """y = a·b;  dy/da = b, dy/db = a"""

        @staticmethod
        def forward(a, b):
            return a * b

    MyMul.backward = staticmethod(backward)
    return MyMul


def good_mul(out, a, b):
    a.grad += b.data * out.grad
    b.grad += a.data * out.grad


def test_a_custom_op_records_a_node_in_the_table_and_passes_gradcheck():
    Cube = cube_op()
    x = Value(1.5, label="x")
    y = Cube.apply(x)
    assert (y.op, y.parents, y.data) == ("cube", (x,), 1.5 ** 3)
    assert OPS["cube"].math == "y = x**3;  dy/dx = 3·x**2" and OPS["cube"].arity == 1
    assert tuple(y.local_grads) == (3 * 1.5 ** 2,)
    assert gradcheck(lambda a, b: Cube.apply(a * b) + a, [0.7, -1.3])
    assert check_function(Cube)


def test_a_custom_op_used_twice_collects_both_paths_and_equals_the_textbook_loop():
    MyMul = mul_op(good_mul)
    a, b = Value(2.0, label="a"), Value(-0.5, label="b")
    y = MyMul.apply(MyMul.apply(a, b), a).tanh() + MyMul.apply(a, a)
    y.backward()
    ref = chain_rule(y, 1.0, into={})
    assert (a.grad, b.grad) == pytest.approx((ref[a], ref[b]), rel=1e-12)
    assert gradcheck(lambda a, b: MyMul.apply(MyMul.apply(a, b), a).tanh() + MyMul.apply(a, a), [2.0, -0.5])


def test_a_custom_op_shows_its_math_in_the_graph_and_the_step_through():
    Cube = cube_op()
    x = Value(1.5, label="x")
    y = Cube.apply(x) * 2.0
    y.backward()
    assert "cube" in viz.draw_graph(y).source
    text = viz.backward_steps(y).text
    assert "x.grad += (3·x.data**2)" in text, text


def test_a_custom_op_works_under_detect_anomaly():
    Cube = cube_op()
    with detect_anomaly():
        x = Value(2.0)
        Cube.apply(x).backward()
        assert x.grad == 12.0
        with pytest.raises(AnomalyError, match="'cube'") as info:
            Cube.apply(Value(1e200))
    assert info.value.op == "cube"


def test_a_custom_op_outside_the_graph_under_no_grad():
    Cube = cube_op()
    with autograd.no_grad():
        y = Cube.apply(Value(2.0))
    assert y.data == 8.0 and y.parents == () and y.op == ""


@pytest.mark.parametrize("backward,hint", [
    (lambda out, x: x.__setattr__("grad", x.grad - 3 * x.data ** 2 * out.grad), "sign is flipped"),
    (lambda out, x: x.__setattr__("grad", x.grad + 3 * x.data ** 2), "forgot the upstream gradient"),
    (lambda out, x: x.__setattr__("grad", 3 * x.data ** 2 * out.grad), "'=' instead of '+='"),
    (lambda out, x: x.__setattr__("grad", x.grad + 2 * x.data * out.grad), "local derivative itself is wrong"),
    (lambda out, x: None, "added nothing to x.grad"),
])
def test_the_checker_names_the_likely_mistake(backward, hint):
    Cube = cube_op()
    Cube.backward = staticmethod(backward)
    with pytest.raises(FunctionCheckError, match=re.escape(hint)) as info:
        check_function(Cube)
    assert "x.grad: added" in str(info.value)
    assert check_function(Cube, raise_exception=False) is False


def test_the_checker_names_a_derivative_taken_with_respect_to_the_wrong_operand():
    def swapped(out, a, b):  # d(a·b)/da is b, not a
        a.grad += a.data * out.grad
        b.grad += b.data * out.grad

    with pytest.raises(FunctionCheckError, match="wrong operand: what you add to a.grad is d out/d b"):
        check_function(mul_op(swapped))
    assert check_function(mul_op(good_mul))


def test_a_wrong_backward_gives_wrong_grads_in_the_graph_too():
    """The engine runs the student's backward as written (no silent fix-up)."""
    def forgot_upstream(out, x):
        x.grad += 3 * x.data ** 2

    Cube = cube_op()
    Cube.backward = staticmethod(forgot_upstream)
    x = Value(1.0)
    (Cube.apply(x) * 5.0).backward()
    assert x.grad == 3.0  # not 15: the missing * out.grad shows


def test_a_function_needs_its_math_and_may_not_replace_a_builtin_op():
    with pytest.raises(TypeError, match="docstring"):
        class NoMath(Function):
            @staticmethod
            def forward(x):
                return x

    with pytest.raises(ValueError, match="built-in"):
        class Exp(Function):
            """y = e**x;  dy/dx = y"""

            @staticmethod
            def forward(x):
                return math.exp(x)


def test_apply_checks_its_operands_and_forward_result():
    Cube = cube_op()
    with pytest.raises(TypeError, match="1 operands, got 2"):
        Cube.apply(Value(1.0), Value(2.0))

    class Bad(Function):
        """y = x;  dy/dx = 1"""

        @staticmethod
        def forward(x):
            return Value(x)

    with pytest.raises(TypeError, match="must return a number"):
        Bad.apply(Value(1.0))
