"""The safe expression parser: what it builds is right, what it refuses is refused clearly."""
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd import Value, numerical_grad
from scalargrad.expr import (CONSTANTS, FUNCTIONS, MAX_DEPTH, MAX_LENGTH, ExpressionError, check_name,
                             evaluate, parse)

# text -> the same function written in Python, at a point inside every function's domain
CASES = [
    ("tanh(x*w + b)", lambda x, w, b: math.tanh(x * w + b), dict(x=2.0, w=-3.0, b=6.88)),
    ("sin(x**2)", lambda x: math.sin(x**2), dict(x=1.5)),
    ("x*x + x", lambda x: x * x + x, dict(x=-0.7)),
    ("-x / (y - 2) ** 3", lambda x, y: -x / (y - 2) ** 3, dict(x=0.3, y=4.5)),
    ("exp(-a) + log(b) + sqrt(b)", lambda a, b: math.exp(-a) + math.log(b) + math.sqrt(b), dict(a=0.2, b=3.0)),
    ("cos(pi*t) * e", lambda t: math.cos(math.pi * t) * math.e, dict(t=0.3)),
    ("sigmoid(z) + softplus(z) + relu(z) + abs(z) + step(z)",
     lambda z: 1 / (1 + math.exp(-z)) + math.log1p(math.exp(z)) + max(z, 0) + abs(z) + (z > 0), dict(z=0.4)),
    ("leaky_relu(u, 0.2) + leaky_relu(u) + +u", lambda u: 0.2 * u + 0.01 * u + u, dict(u=-1.5)),
    ("2 ** k + 1e-3 * k", lambda k: 2**k + 1e-3 * k, dict(k=0.5)),
]


@pytest.mark.parametrize("text, fn, point", CASES, ids=[c[0] for c in CASES])
def test_value_and_gradients_match_python_and_finite_differences(text, fn, point):
    root, leaves = evaluate(text, point)
    assert root.data == pytest.approx(fn(**point), rel=1e-12)
    assert list(leaves) == list(point)  # first-appearance order, constants excluded
    root.backward()
    names = list(point)
    numeric = numerical_grad(lambda *vs: parse(text)(**dict(zip(names, vs))), list(point.values()))
    for name, num in zip(names, numeric):
        assert leaves[name].label == name
        assert leaves[name].grad == pytest.approx(num, rel=1e-5, abs=1e-6), name


def test_a_variable_used_twice_is_one_leaf_with_two_edges():
    root, leaves = evaluate("x * x", {"x": 3.0})
    assert root.parents == (leaves["x"], leaves["x"])
    root.backward()
    assert leaves["x"].grad == 6.0


def test_every_function_in_the_table_is_a_value_method_and_parses():
    for name, (method, _) in FUNCTIONS.items():
        root, leaves = evaluate(f"{name}(x)", {"x": 0.5})
        assert root.data == method(Value(0.5)).data
        assert root.parents == (leaves["x"],)


def test_an_expression_is_reusable_and_numbers_become_labelled_leaves():
    expr = parse("x * x + y")
    assert expr.variables == ("x", "y")
    for x in (3.0, -1.5):
        root = expr(x=x, y=1)
        root.backward()
        a, y = root.parents
        assert root.data == x * x + 1 and y.label == "y" and y.grad == 1.0
        assert a.parents[0] is a.parents[1] and a.parents[0].label == "x" and a.parents[0].grad == 2 * x


def test_numbers_never_fold_so_constants_still_draw_as_a_graph():
    root, leaves = evaluate("2 * 3", {})
    assert root.data == 6.0 and root.op == "*" and leaves == {}


def test_missing_variable_names_what_to_pass():
    with pytest.raises(ExpressionError, match="no value given for w"):
        evaluate("x * w", {"x": 1.0})


@pytest.mark.parametrize("text, says", [
    ("__import__('os')", "function '__import__' is not allowed"),
    ("__import__('os').system('true')", "not allowed"),
    ("().__class__", "attribute access"),
    ("().__class__.__bases__[0].__subclasses__()", "not allowed"),
    ("x.data", "attribute access"),
    ("lambda: 1", "lambda"),
    ("(lambda: 1)()", "function"),
    ("[c for c in ()]", "comprehensions"),
    ("x[0]", "indexing"),
    ("'abc'", "strings"),
    ("b'abc'", "strings"),
    ("f'{x}'", "strings"),
    ("x if x else 1", "if ... else"),
    ("x < 1", "comparisons"),
    ("x and 1", "'and' / 'or'"),
    ("(y := 2)", "assignment"),
    ("x, 1", "tuples"),
    ("{1: 2}", "dicts"),
    ("x ^ 2", "for powers write x\\*\\*2"),
    ("x // 2", "operator '//'"),
    ("x % 2", "operator '%'"),
    ("~x", "operator Invert"),
    ("not x", "operator Not"),
    ("leaky_relu(x, negative_slope=0.1)", "keyword arguments"),
    ("leaky_relu(x, x)", "must be a plain number"),
    ("exp(x, 1)", "takes 1 argument"),
    ("exp", "is a function"),
    ("print(x)", "function 'print'"),
    ("eval('1')", "function 'eval'"),
    ("nan", "'nan' is not allowed"),
    ("x + inf", "'inf' is not allowed"),
    ("1e999", "too large"),
    ("9" * 400, "too large"),
    ("1j", "complex"),
    ("True + x", "bool"),
    ("_x", "names start with a letter"),
    ("ｘ + 1", "U\\+FF58"),  # a full-width x, which Python itself would fold into 'x'
    ("x·y", "U\\+00B7"),
    ("x\x00", "U\\+0000"),
    ("", "empty"),
    ("x +", "not a valid expression"),
    ("x\ny", "U\\+000A"),
])
def test_refused_with_a_message_that_names_the_problem(text, says):
    with pytest.raises(ExpressionError, match=says):
        parse(text)


@pytest.mark.parametrize("text", [
    "(" * 100_000 + "x" + ")" * 100_000,
    "-" * 100_000 + "x",
    "x" + "+x" * 100_000,
    "-" * (MAX_LENGTH - 1) + "x",
    "(" * (MAX_LENGTH // 2 - 1) + "x" + ")" * (MAX_LENGTH // 2 - 1),
    "exp(" * 200 + "x" + ")" * 200,
    "x" + "**x" * (MAX_DEPTH + 1),
])
def test_huge_or_deeply_nested_input_fails_fast_and_cleanly(text):
    with pytest.raises(ExpressionError, match="too deeply nested|limit is|too many nested"):
        parse(text)


def test_nesting_just_under_the_limit_still_works():
    text = "-" * (MAX_DEPTH - 1) + "x"
    root, _ = evaluate(text, {"x": 2.0})
    assert root.data == (-2.0 if (MAX_DEPTH - 1) % 2 else 2.0)


@pytest.mark.parametrize("name", ["pi", "e", "exp", "nan", "Inf", "_x", "x.y", "1x", "ｘ", ""])
def test_bad_variable_names_are_refused(name):
    with pytest.raises(ExpressionError, match="variable name|cannot be a variable"):
        check_name(name)


def test_good_variable_names_pass():
    for name in ["x", "w1", "b_out", "X2y"]:
        assert check_name(name) == name


def test_constants_are_the_math_module_values():
    root, leaves = evaluate("pi + e", {})
    assert root.data == math.pi + math.e and CONSTANTS == {"pi": math.pi, "e": math.e}


# --- property: random expressions agree with Python and with finite differences ---------

def _expressions(depth):
    leaf = st.sampled_from([("x", lambda x, y: x), ("y", lambda x, y: y), ("1.5", lambda x, y: 1.5)])
    if depth == 0:
        return leaf

    def combine(parts):
        (op, pyop), (a, fa), (b, fb) = parts
        return f"({a} {op} {b})", lambda x, y: pyop(fa(x, y), fb(x, y))

    def call(parts):
        (fn, pyfn), (a, fa) = parts
        return f"{fn}({a})", lambda x, y: pyfn(fa(x, y))

    sub = _expressions(depth - 1)
    binary = st.tuples(st.sampled_from([("+", lambda a, b: a + b), ("-", lambda a, b: a - b),
                                        ("*", lambda a, b: a * b)]), sub, sub).map(combine)
    unary = st.tuples(st.sampled_from([("tanh", math.tanh), ("sin", math.sin), ("sigmoid",
                                       lambda a: 1 / (1 + math.exp(-a)))]), sub).map(call)
    return st.one_of(leaf, binary, unary)


@settings(max_examples=60, deadline=None)
@given(_expressions(3), st.floats(-2, 2), st.floats(-2, 2))
def test_random_expressions_match_python_and_finite_differences(expr_fn, x, y):
    text, fn = expr_fn
    values = {n: v for n, v in (("x", x), ("y", y)) if n in parse(text).variables}
    root, leaves = evaluate(text, values)
    assert root.data == pytest.approx(fn(x, y), rel=1e-9, abs=1e-12)
    root.backward()
    names = list(leaves)
    numeric = numerical_grad(lambda *vs: parse(text)(**dict(zip(names, vs))), [values[n] for n in names])
    for name, num in zip(names, numeric):
        assert leaves[name].grad == pytest.approx(num, rel=1e-4, abs=1e-5)


# --- against PyTorch (float64): an independent interpreter of the same parsed text ------

def _torch_eval(node, env, torch):
    """The parsed tree evaluated with torch (a second implementation, written for the test)."""
    import ast
    import operator

    F = torch.nn.functional
    fns = {"exp": torch.exp, "log": torch.log, "sqrt": torch.sqrt, "sin": torch.sin, "cos": torch.cos,
           "tanh": torch.tanh, "sigmoid": torch.sigmoid, "relu": torch.relu, "abs": torch.abs,
           "softplus": F.softplus, "step": lambda t: (t > 0).to(t.dtype) + 0 * t,
           "leaky_relu": lambda t, a=0.01: F.leaky_relu(t, a)}
    ops = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
           ast.Div: operator.truediv, ast.Pow: operator.pow}
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Name):
        return env.get(node.id, CONSTANTS.get(node.id))
    if isinstance(node, ast.UnaryOp):
        x = _torch_eval(node.operand, env, torch)
        return -x if isinstance(node.op, ast.USub) else x
    if isinstance(node, ast.BinOp):
        return ops[type(node.op)](_torch_eval(node.left, env, torch), _torch_eval(node.right, env, torch))
    args = [_torch_eval(a, env, torch) for a in node.args]
    x = args[0] if isinstance(args[0], torch.Tensor) else torch.tensor(args[0], dtype=torch.float64)
    return fns[node.func.id](x, *args[1:])


@pytest.mark.parametrize("text, fn, point", CASES, ids=[c[0] for c in CASES])
def test_values_and_gradients_match_pytorch(text, fn, point):
    torch = pytest.importorskip("torch")
    expr = parse(text)
    env = {n: torch.tensor(v, dtype=torch.float64, requires_grad=True) for n, v in point.items()}
    out = _torch_eval(expr.tree, env, torch)
    out.backward()
    root, leaves = evaluate(text, point)
    root.backward()
    assert root.data == pytest.approx(out.item(), rel=1e-12)
    for name, t in env.items():
        assert leaves[name].grad == pytest.approx(t.grad.item(), rel=1e-10, abs=1e-12), name
