"""Every row of the op table against central differences and PyTorch, on its own domain."""
import math

import pytest

from autograd import OPS, Value, gradcheck, numerical_grad

# Test inputs per op: points inside the op's domain, kinks avoided, special points included
# (saturation at ±30, tiny and large magnitudes). An op without an entry fails
# test_every_op_has_test_inputs, so an untested op cannot be added.
DOMAINS = {
    "+": [(1.5, -2.25), (0.0, 3.0), (-1e3, 1e-3)],
    "-": [(1.5, -2.25), (0.0, 3.0), (-1e3, 1e-3)],
    "*": [(1.5, -2.25), (0.0, 3.0), (-7.0, -0.5)],
    "/": [(1.5, -2.25), (0.0, 3.0), (-7.0, 0.5)],
    "**": [(1.5, 2.0), (2.0, -1.5), (0.7, 0.3), (3.0, 0.0)],
    "neg": [(1.5,), (-2.0,), (0.0,)],
    "abs": [(1.5,), (-2.0,)],
    "exp": [(0.0,), (1.3,), (-4.0,)],
    "log": [(0.1,), (1.0,), (25.0,)],
    "sqrt": [(0.04,), (1.0,), (9.0,)],
    "sin": [(0.0,), (1.2,), (-3.0,)],
    "cos": [(0.0,), (1.2,), (-3.0,)],
    "tanh": [(0.0,), (1.0,), (-2.5,), (30.0,)],
    "sigmoid": [(0.0,), (1.0,), (-2.5,), (30.0,), (-30.0,)],
    "relu": [(1.5,), (-2.0,)],
    "leaky_relu": [(1.5,), (-2.0,)],
    "step": [(1.5,), (-2.0,)],
    "softplus": [(0.0,), (1.0,), (-2.5,), (30.0,), (-30.0,)],
}


def apply_op(name, *args):
    """Build one node of op ``name`` from Values, through the public operators and methods."""
    binary = {"+": lambda a, b: a + b, "-": lambda a, b: a - b, "*": lambda a, b: a * b,
              "/": lambda a, b: a / b, "**": lambda a, b: a ** b}
    if name in binary:
        return binary[name](*args)
    if name == "neg":
        return -args[0]
    if name == "abs":
        return abs(args[0])
    return getattr(args[0], name)()


CASES = [(name, point) for name in sorted(DOMAINS) for point in DOMAINS[name]]


def test_every_op_has_test_inputs():
    variadic = {name for name, op in OPS.items() if op.arity == -1}  # nn's: tests/test_nn_fused.py
    missing = sorted(set(OPS) - set(DOMAINS) - set(EXTERNAL_TESTS) - variadic)
    assert not missing, f"ops without test inputs in tests/test_ops.py DOMAINS: {missing}"


# Ops registered by other modules and tested in their own files (variadic or batch-only ops).
EXTERNAL_TESTS = {"neuron": "tests/test_nn_fused.py",
                  "sum": "tests/test_batched.py", "mean": "tests/test_batched.py"}


def test_every_op_documents_its_math():
    for name, op in OPS.items():
        assert "d" in op.math and "=" in op.math, f"op {name!r} lacks a math docstring: {op.math!r}"


@pytest.mark.parametrize("name,point", CASES)
def test_op_matches_central_differences(name, point):
    assert gradcheck(lambda *xs: apply_op(name, *xs), list(point))


@pytest.mark.parametrize("name,point", CASES)
def test_op_records_its_node(name, point):
    xs = [Value(x, label=f"x{i}") for i, x in enumerate(point)]
    y = apply_op(name, *xs)
    assert y.op == name
    assert y.parents == tuple(xs)
    assert len(y.local_grads) == len(xs)


TORCH = {
    "+": lambda t, a, b: a + b, "-": lambda t, a, b: a - b, "*": lambda t, a, b: a * b,
    "/": lambda t, a, b: a / b, "**": lambda t, a, b: a ** b, "neg": lambda t, a: -a,
    "abs": lambda t, a: a.abs(), "exp": lambda t, a: a.exp(), "log": lambda t, a: a.log(),
    "sqrt": lambda t, a: a.sqrt(), "sin": lambda t, a: a.sin(), "cos": lambda t, a: a.cos(),
    "tanh": lambda t, a: a.tanh(), "sigmoid": lambda t, a: a.sigmoid(),
    "relu": lambda t, a: a.relu(), "leaky_relu": lambda t, a: t.nn.functional.leaky_relu(a, 0.01),
    "step": lambda t, a: (a > 0).double() + 0 * a,  # heaviside has no autograd rule in torch
    "softplus": lambda t, a: t.nn.functional.softplus(a),
}


@pytest.mark.parametrize("name,point", CASES)
def test_op_matches_pytorch(name, point):
    torch = pytest.importorskip("torch")
    ts = [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in point]
    out = TORCH[name](torch, *ts)
    out.backward()
    xs = [Value(x) for x in point]
    y = apply_op(name, *xs)
    y.backward()
    assert y.data == pytest.approx(out.item(), rel=1e-12, abs=1e-12)
    for v, t in zip(xs, ts):
        assert v.grad == pytest.approx(t.grad.item(), rel=1e-10, abs=1e-12)


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "softplus", "exp"])
@pytest.mark.parametrize("x", [1000.0, -1000.0])
def test_saturating_ops_stay_finite_or_inf_not_error(name, x):
    v = Value(x)
    y = getattr(v, name)()
    y.backward()
    if name != "exp":
        assert math.isfinite(y.data) and math.isfinite(v.grad)
    else:  # e**1000 is beyond float range: inf (as numpy and PyTorch), not an exception
        assert y.data == (math.inf if x > 0 else 0.0)


def test_numerical_grad_is_central_difference():
    # d/dx x**3 at 2 is 12; the central difference of a cubic is exact up to eps**2 terms
    (g,) = numerical_grad(lambda x: x * x * x, [2.0], eps=1e-4)
    assert g == pytest.approx(12.0 + 1e-8, abs=1e-6)
