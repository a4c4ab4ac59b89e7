"""The ``scalargrad`` command as a user runs it (a subprocess): help, gradcheck, bad input."""
import math
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def run(*args, cwd=None, env=None, timeout=120):
    """Run ``python -m scalargrad *args``; return the CompletedProcess (text, captured)."""
    return subprocess.run([sys.executable, "-m", "scalargrad", *args], capture_output=True, text=True,
                          cwd=cwd or ROOT, env=env, timeout=timeout)


@pytest.mark.parametrize("command, says", [
    ([], "demo,graph,gradcheck"),
    (["demo"], "--dataset"),
    (["graph"], "name=value"),
    (["gradcheck"], "finite differences"),
])
def test_help_for_each_command(command, says):
    r = run(*command, "--help")
    assert r.returncode == 0, r.stderr
    assert says in r.stdout and "usage: scalargrad" in r.stdout


def test_no_command_is_a_usage_error():
    r = run()
    assert r.returncode == 2 and "required" in r.stderr


def _table(stdout):
    """{variable: (analytic, numeric)} from the gradcheck table."""
    rows = {}
    for line in stdout.splitlines():
        m = re.match(r"\s+(\w+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)$", line)
        if m and m.group(1) != "variable":
            rows[m.group(1)] = (float(m.group(3)), float(m.group(4)))
    return rows


def test_gradcheck_prints_analytic_and_numeric_per_variable():
    r = run("gradcheck", "tanh(x*w + b)", "x=2", "w=-3", "b=6.88")
    assert r.returncode == 0, r.stderr
    rows = _table(r.stdout)
    assert list(rows) == ["x", "w", "b"]
    t = math.tanh(2 * -3 + 6.88)
    expected = {"x": (1 - t * t) * -3, "w": (1 - t * t) * 2, "b": 1 - t * t}  # the chain rule by hand
    for name, (analytic, numeric) in rows.items():
        assert analytic == pytest.approx(expected[name], rel=1e-8)
        assert numeric == pytest.approx(expected[name], rel=1e-5)
    assert f"{t:.6g}" in r.stdout and "ok" in r.stdout


def test_gradcheck_python_module_and_console_script_agree():
    script = Path(sys.executable).with_name("scalargrad")
    if not script.exists():
        pytest.skip("console script not installed next to this Python")
    a = run("gradcheck", "sin(x**2)", "x=1.5")
    b = subprocess.run([str(script), "gradcheck", "sin(x**2)", "x=1.5"], capture_output=True, text=True)
    assert a.returncode == b.returncode == 0 and a.stdout == b.stdout
    (analytic, numeric), = _table(a.stdout).values()
    assert analytic == pytest.approx(math.cos(1.5**2) * 2 * 1.5, rel=1e-8)


def test_gradcheck_exits_1_on_a_mismatch():
    r = run("gradcheck", "relu(x)", "x=0")  # relu'(0) = 0 by convention; central differences say 0.5
    assert r.returncode == 1
    assert "MISMATCH" in r.stdout and _table(r.stdout)["x"] == (0.0, pytest.approx(0.5))


@pytest.mark.parametrize("args, says", [
    (["x", "x=abc"], "'abc' is not a number"),
    (["x", "x="], "'' is not a number"),
    (["x", "x=nan"], "finite number"),
    (["x", "x=inf"], "finite number"),
    (["x", "x"], "name=value"),
    (["x", "=1"], "name=value"),
    (["x*y", "x=1"], "no value for y"),
    (["x", "x=1", "y=2"], "y given but not used"),
    (["x", "x=1", "x=2"], "given twice"),
    (["x", "pi=3"], "constant"),
    (["__import__", "__import__=1"], "name '__import__' is not allowed"),
    (["x", "x=1", "_y=1"], "variable name '_y' is not allowed"),
    (["log(x)", "x=-1"], "log: the operand must be > 0"),
    (["1 + 2"], "no variables"),
    (["x", "x=1", "--eps", "0"], "--eps: must be > 0"),
    (["x", "x=1", "--atol", "lots"], "--atol"),
])
def test_gradcheck_bad_input_exits_2_with_a_message(args, says):
    r = run("gradcheck", *args)
    assert r.returncode == 2
    assert says in r.stderr and "Traceback" not in r.stderr


@pytest.mark.parametrize("text", [
    "__import__('os').system('touch pwned')",
    "().__class__.__bases__[0].__subclasses__()",
    "(lambda: x)()",
    "x.data",
    "open('/etc/passwd')",
    "nan * x",
    "ｘ",
    "(" * 60_000 + "x" + ")" * 60_000,  # one argv string is capped at 128 KiB on Linux
    "x" + "+x" * 60_000,
    "-" * 900 + "x",
])
def test_dangerous_expressions_are_refused_with_exit_2(text, tmp_path):
    r = run("gradcheck", "--", text, "x=1", cwd=tmp_path)
    assert r.returncode == 2, r.stdout
    assert "error:" in r.stderr and "Traceback" not in r.stderr
    assert list(tmp_path.iterdir()) == []  # nothing ran: no file was created


def test_explain_writes_the_gradient_as_a_sum_over_paths():
    r = run("gradcheck", "x*x + sin(x)", "x=2", "--explain")
    assert r.returncode == 0, r.stderr
    assert "3 paths from x to f" in r.stdout  # x*x uses x twice, sin(x) once
    assert f"∂f/∂x = {math.cos(2):.4} + 2.0 + 2.0 = {2 * 2 + math.cos(2):.4}" in r.stdout


def test_version():
    from importlib.metadata import version

    r = run("--version")
    assert r.returncode == 0 and r.stdout.strip() == f"scalargrad {version('scalargrad')}"


def test_a_non_finite_result_is_pointed_out():
    r = run("gradcheck", "exp(x)", "x=1000")  # e**1000 overflows to inf
    assert "f = inf" in r.stderr and "Traceback" not in r.stderr
