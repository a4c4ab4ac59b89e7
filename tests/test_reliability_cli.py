"""Reliability of gradcheck and the command line: a check that cannot compare fails, and
paths another user's folder hides, a full disk or a closed pipe end in a message, never a
traceback."""
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from autograd import GradcheckError, Value, gradcheck

ROOT = Path(__file__).resolve().parents[1]
NOBODY = 65534


def run(*args, preexec_fn=None, cwd=None, stdout=subprocess.PIPE):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "scalargrad", *args], stdout=stdout, stderr=subprocess.PIPE,
                          text=True, cwd=cwd or ROOT, env=env, timeout=300, preexec_fn=preexec_fn,
                          check=False)


# --- gradcheck: an infinite or nan finite difference cannot be compared ------------------

@pytest.mark.parametrize("f, x, eps", [
    (lambda x: x * x, 1e300, 1e300),        # f(x ± eps) = inf, inf: numeric = nan
    (lambda x: x * x, 1e154, 1e154),        # f(x + eps) = inf, f(x - eps) = 0: numeric = inf
    (lambda x: (x * 1e300) * 1e10, 1.0, 1e-6),  # f itself is inf around x
])
def test_gradcheck_fails_when_the_finite_difference_is_not_finite(f, x, eps):
    with pytest.raises(GradcheckError, match="cannot compare"):
        gradcheck(f, [x], eps=eps)
    assert gradcheck(f, [x], eps=eps, raise_exception=False) is False


def test_gradcheck_still_passes_a_correct_gradient():
    assert gradcheck(lambda x: (x * x).tanh(), [Value(0.3)])


def test_cli_gradcheck_cannot_compare_exits_1():
    r = run("gradcheck", "x*x", "x=1e300", "--eps", "1e300")
    assert r.returncode == 1, r.stdout + r.stderr
    assert "cannot compare" in r.stdout and "ok:" not in r.stdout
    assert "Traceback" not in r.stderr


# --- output paths another user's folder hides: exit 2 with a message ----------------------

def _as_nobody():
    os.setgroups([])
    os.setgid(NOBODY)
    os.setuid(NOBODY)


@pytest.fixture
def hidden_folder():
    """(folder the user may not enter, preexec_fn running the CLI as that user).

    As root (CI), the folder is root's with mode 700 and the CLI runs as 'nobody'; as a
    normal user, the folder has mode 000."""
    base = Path(tempfile.mkdtemp(prefix="sg-perm-"))
    base.chmod(0o755)
    private = base / "private"
    private.mkdir()
    if os.geteuid() == 0:
        private.chmod(0o700)
        preexec = _as_nobody
        try:  # 'nobody' must be able to run this checkout's Python (not so inside a private folder)
            runs = run("--version", preexec_fn=preexec, cwd="/").returncode == 0
        except PermissionError:
            runs = False
        if not runs:
            shutil.rmtree(base)
            pytest.skip("the unprivileged user cannot run this checkout's Python (it lies in a folder "
                        "only root may enter, e.g. one made by mktemp -d)")
        probe = subprocess.run([sys.executable, "-c", f"import os; os.listdir({str(private)!r})"],
                               preexec_fn=preexec, capture_output=True, check=False)
        if probe.returncode == 0:
            pytest.skip("could not drop root privileges to test a permission error")
    else:
        private.chmod(0o000)
        preexec = None
    yield private, preexec
    private.chmod(0o700)
    shutil.rmtree(base)


@pytest.mark.parametrize("where", ["private/sub/g.svg", "private/g.svg", "private/sub/g.dot"])
def test_graph_output_in_a_folder_the_user_may_not_enter_exits_2(hidden_folder, where):
    private, preexec = hidden_folder
    target = private.parent / where
    r = run("graph", "x*2", "x=1", "-o", str(target), preexec_fn=preexec, cwd="/")
    assert r.returncode == 2, r.stderr
    assert "Traceback" not in r.stderr
    assert "scalargrad graph: error: cannot write" in r.stderr and "ermission denied" in r.stderr


def test_demo_out_in_a_folder_the_user_may_not_enter_exits_2(hidden_folder):
    private, preexec = hidden_folder
    r = run("demo", "--out", str(private / "run"), "--epochs", "1", "--no-progress",
            preexec_fn=preexec, cwd="/")
    assert r.returncode == 2, r.stderr
    assert "Traceback" not in r.stderr
    assert "scalargrad demo: error: cannot write" in r.stderr and "ermission denied" in r.stderr


# --- stdout that cannot be written -----------------------------------------------------------

@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_dot_to_a_full_disk_exits_2_with_a_message():
    with open("/dev/full", "w") as full:
        r = run("graph", "tanh(x*w + b)", "x=1", "w=2", "b=3", "-o", "-", stdout=full)
    assert r.returncode == 2
    assert "Traceback" not in r.stderr and "Exception ignored" not in r.stderr
    assert "cannot write to standard output" in r.stderr and "No space left" in r.stderr


@pytest.mark.parametrize("args", [
    ["graph", "tanh(x*w + b)", "x=1", "w=2", "b=3", "-o", "-"],
    ["gradcheck", "x*y", "x=1", "y=2"],
])
def test_a_closed_pipe_ends_quietly(args):
    """`scalargrad ... | head -1`: the reader is gone before anything is written."""
    p = subprocess.Popen([sys.executable, "-m", "scalargrad", *args], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    p.stdout.close()
    err = p.stderr.read().decode()
    p.wait(timeout=300)
    p.stderr.close()
    assert err == ""  # no traceback, no "Exception ignored"
    assert p.returncode == 1


def test_a_missing_output_folder_is_created_and_said(tmp_path):
    """The documented choice: -o creates missing folders (as Graph.save and demo --out do)."""
    target = tmp_path / "slides" / "new" / "g.dot"
    r = run("graph", "x*2", "x=1", "-o", str(target))
    assert r.returncode == 0, r.stderr
    assert target.read_text().startswith("digraph")
    assert f"created the folder {target.parent}" in r.stdout
