"""Fuzzing the CLI's expression parser: random, hostile and near-valid text is either a graph
or an ExpressionError (DomainError for values outside an op's domain), never anything else;
it never hangs and never runs code."""
import builtins
import contextlib
import os
import signal
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from autograd import DomainError, Value

expr = pytest.importorskip("scalargrad.expr")
ExpressionError = expr.ExpressionError

PROFILE = {"ci": dict(max_examples=150, derandomize=True), "large": dict(max_examples=20000)}[
    os.environ.get("SCALARGRAD_HYPOTHESIS", "ci")]
SETTINGS = settings(deadline=None, suppress_health_check=list(HealthCheck), database=None, **PROFILE)


@contextlib.contextmanager
def no_code_execution_and_no_hang(seconds=20):
    """eval/exec raise if anything calls them; SIGALRM fails the test if it hangs."""
    def refuse(*args, **kwargs):
        raise AssertionError(f"eval/exec called with {args[:1]!r}")

    def hung(signum, frame):
        raise AssertionError(f"no answer within {seconds} s: the parser hangs")

    saved = builtins.eval, builtins.exec
    old = signal.signal(signal.SIGALRM, hung)
    signal.alarm(seconds)
    builtins.eval = builtins.exec = refuse
    try:
        yield
    finally:
        builtins.eval, builtins.exec = saved
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def parse_or_refuse(text):
    """The parsed Expression, or None when refused with an ExpressionError."""
    try:
        return expr.parse(text)
    except ExpressionError as e:
        assert str(e).strip(), "an error must say what was wrong"
        return None


# --- random text --------------------------------------------------------------------------

@SETTINGS
@given(st.text(max_size=300))
def test_random_unicode_text_is_parsed_or_refused(text):
    with no_code_execution_and_no_hang():
        parse_or_refuse(text)


NEAR_VALID = st.text(alphabet="xyzwb0123456789.eE+-*/()_, \t^%@!~<>=[]{}'\"\\:;#lambdsinexpcotrqupfg", max_size=120)


@SETTINGS
@given(NEAR_VALID)
def test_near_valid_text_is_parsed_or_refused(text):
    with no_code_execution_and_no_hang():
        parsed = parse_or_refuse(text)
        if parsed is not None:  # what parses must evaluate (or hit an op's domain)
            values = {name: 0.5 for name in parsed.variables}
            evaluate_or_domain_error(parsed.text, values)


# --- generated valid expressions, with values near the ops' domain edges ---------------------

NUMBERS = st.sampled_from(["0", "1", "2.5", "1e-320", "1e308", "1e-8", "709", "710", "3", "0.5"])
NAMES = st.sampled_from(["x", "y", "w1", "b_out"])


def expressions():
    def extend(inner):
        binary = st.tuples(inner, st.sampled_from(["+", "-", "*", "/", "**"]), inner).map(
            lambda t: f"({t[0]} {t[1]} {t[2]})")
        call = st.tuples(st.sampled_from(sorted(expr.FUNCTIONS)), inner).map(lambda t: f"{t[0]}({t[1]})")
        return st.one_of(binary, call, inner.map(lambda s: f"-{s}"))
    return st.recursive(st.one_of(NUMBERS, NAMES), extend, max_leaves=12)


EDGE_VALUES = st.sampled_from([0.0, -0.0, 1e-310, 1e-8, -1e-8, 0.5, -1.0, 2.0, 709.0, 710.0, 1e154, 1e308, -1e308])


def evaluate_or_domain_error(text, values):
    """evaluate() then backward(); only ExpressionError and DomainError may come out."""
    try:
        root, leaves = expr.evaluate(text, values)
        root.backward()
    except (ExpressionError, DomainError):
        return None
    assert isinstance(root, Value)
    return root


@SETTINGS
@given(expressions(), st.fixed_dictionaries({n: EDGE_VALUES for n in ["x", "y", "w1", "b_out"]}))
def test_valid_expressions_evaluate_and_backprop_or_give_documented_errors(text, values):
    with no_code_execution_and_no_hang():
        parsed = parse_or_refuse(text)
        if parsed is None:  # only the nesting limit may refuse a generated expression
            with pytest.raises(ExpressionError, match="nested"):
                expr.parse(text)
            return
        evaluate_or_domain_error(text, {n: values[n] for n in parsed.variables})


# --- hostile input ----------------------------------------------------------------------------

SENTINEL = os.path.join(os.path.dirname(__file__), "..", ".fuzz-sentinel")
HOSTILE = [
    f"__import__('os').system('touch {SENTINEL}')",
    f"open('{SENTINEL}', 'w')",
    "().__class__.__bases__[0].__subclasses__()",
    "x.__class__", "exec('1')", "eval('1')", "lambda: 1", "(lambda x: x)(1)", "[x for x in ()]",
    "f'{x}'", "(y := 2)", "x if x else y", "x[0]", "x, y", "*x", "globals()", "x.data",
    "sin(x, y, z)", "leaky_relu(x, y)", "sin(x=1)", "exp", "sin", "pi(x)",
    "nan", "inf", "-inf", "NaN * x", "Infinity", "1e999", "-1e309", "float('nan')", "x + nan",
    "1j", "True", "None", "'x'", "b'x'", "...",
    "x^2", "x // y", "x % y", "x @ y", "x << 1", "~x", "not x", "x < y", "x and y",
    "x×y", "ｘ + 1", "x\u200b+ 1", "x\u202e+1", "x\x00", "\ufeffx", "𝑥 + 1", "x + ١",
    "", " ", "\t\n", "(", ")", "((x)", "x)", "x +", "+", "1 2", "x y", ";", "x; y", "# x",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_is_refused_clearly(text):
    with no_code_execution_and_no_hang():
        with pytest.raises(ExpressionError) as info:
            expr.evaluate(text, {"x": 1.0, "y": 2.0, "z": 3.0})
    assert len(str(info.value)) > 10
    assert not os.path.exists(SENTINEL)


@pytest.mark.parametrize("text", [
    "x" * 10**6,                                    # very long
    "(" * 10**5 + "x" + ")" * 10**5,                # deep nesting, long
    "(" * 400 + "x" + ")" * 400,                    # deep nesting within the length limit
    "-" * 999 + "x",                                # a chain of unary minus
    "sin(" * 240 + "x" + ")" * 240,                 # nested calls
    "x" + "**x" * 300,                              # right-nested powers
])
def test_huge_and_deep_input_is_refused_fast(text):
    with no_code_execution_and_no_hang(seconds=20):
        with pytest.raises(ExpressionError, match="limit|nested"):
            expr.parse(text)


@pytest.mark.parametrize("name,value", [
    ("x", float("nan")), ("x", float("inf")), ("x", "1e400"), ("x", "abc"), ("x", None),
    ("x", [1.0]), ("x", 1 + 2j), ("sin", 1.0), ("1x", 1.0), ("x-y", 1.0), ("nan", 1.0), ("ｘ", 1.0),
])
def test_bad_variable_names_and_values_are_refused(name, value):
    with pytest.raises(ExpressionError):
        expr.leaf(name, value)


def test_refusals_leave_the_caller_free_to_retry():
    with pytest.raises(ExpressionError):
        expr.evaluate("x +", {"x": 1.0})
    root, leaves = expr.evaluate("x * y", {"x": 3.0, "y": 4.0})
    root.backward()
    assert (root.data, leaves["x"].grad, leaves["y"].grad) == (12.0, 4.0, 3.0)


def test_cli_sin_of_an_overflowed_value_exits_with_a_clear_error():
    out = subprocess.run([sys.executable, "-m", "scalargrad", "gradcheck", "sin(exp(x))", "x=1000"],
                         capture_output=True, text=True, timeout=60)
    assert "Traceback" not in out.stderr
