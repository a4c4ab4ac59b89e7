"""What the benchmarks share: timing (median of repeats), peak memory, the printed table,
micrograd's missing exp/log, and a description of the machine.

Each benchmark runs every engine in the same process, one after the other, from the same
data and initial weights; peak memory is measured in a fresh child process per engine.
"""
from __future__ import annotations

import gc
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import time

# One thread for numpy's BLAS and PyTorch (set before either loads): at these sizes every
# engine is bound by per-op overhead, and on a shared 2-core machine a second thread only
# adds stalls. Set the variables yourself to override.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)


def have_torch() -> bool:
    try:
        import torch  # noqa: F401
    except ImportError:
        return False
    return True


def machine() -> str:
    """'2 cores, Python 3.11.7, Linux x86_64, numpy 2.4.6, torch 2.13.0+cpu'."""
    import numpy

    parts = [f"{os.cpu_count()} cores", f"Python {platform.python_version()}",
             f"{platform.system()} {platform.machine()}", f"numpy {numpy.__version__}"]
    try:
        import micrograd  # noqa: F401
        parts.append("micrograd 0.1.0")
    except ImportError:
        pass
    if have_torch():
        import torch
        n = torch.get_num_threads()
        parts.append(f"torch {torch.__version__} ({n} thread{'s' if n != 1 else ''})")
    return ", ".join(parts)


def time_runs(run, repeats: int, min_seconds: float = 1.0, max_repeats: int = 50, prepare=None):
    """Call ``run()`` (or ``run(prepare())``, untimed setup first) at least ``repeats``
    times, and more (up to ``max_repeats``) until ``min_seconds`` have passed, so that fast
    engines get a steady median too.

    Returns (median seconds, all seconds, last result).
    """
    seconds, result = [], None
    while len(seconds) < repeats or (sum(seconds) < min_seconds and len(seconds) < max_repeats):
        args = () if prepare is None else (prepare(),)
        gc.collect()  # start each repeat from the same collector state
        t0 = time.perf_counter()
        result = run(*args)
        seconds.append(time.perf_counter() - t0)
    return statistics.median(seconds), seconds, result


# --- peak memory, in a child process ---------------------------------------------------

def _rss_kib(field: str) -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise OSError(f"{field} not in /proc/self/status")


def measure_peak(fn) -> int:
    """Bytes of resident memory that ``fn()`` added at its peak (Linux; -1 if unknown)."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")  # resets the peak (VmHWM) to the current size
        base = _rss_kib("VmRSS")
        fn()
        return max(0, _rss_kib("VmHWM") - base) * 1024
    except OSError:
        return -1


def peak_in_child(script: str, engine: str, *args: str) -> int | None:
    """Run ``script --memory ENGINE args`` in a fresh interpreter; its peak bytes (or None)."""
    cmd = [sys.executable, script, "--memory", engine, *args]
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=600, check=True).stdout
        return int(json.loads(out.strip().splitlines()[-1])["peak_bytes"])
    except (subprocess.SubprocessError, ValueError, KeyError, IndexError):
        return None


def report_peak(fn) -> None:
    """The child side of ``peak_in_child``: run ``fn`` and print its peak as JSON."""
    print(json.dumps({"peak_bytes": measure_peak(fn)}))


# --- micrograd 0.1.0 has +, *, **, relu only: exp and log in its own style ---------------

def micrograd_value():
    """micrograd's Value with ``exp`` and ``log`` added the way its other ops are written."""
    from micrograd.engine import Value

    if not hasattr(Value, "log"):
        def exp(self):
            out = Value(math.exp(self.data), (self,), "exp")

            def _backward():
                self.grad += out.data * out.grad
            out._backward = _backward
            return out

        def log(self):
            out = Value(math.log(self.data), (self,), "log")

            def _backward():
                self.grad += (1.0 / self.data) * out.grad
            out._backward = _backward
            return out

        Value.exp, Value.log = exp, log
    return Value


def micrograd_nodes(root) -> int:
    """Nodes of a micrograd graph (iterative walk: its own recursion would overflow)."""
    seen, stack = {id(root)}, [root]
    while stack:
        for child in stack.pop()._prev:
            if id(child) not in seen:
                seen.add(id(child))
                stack.append(child)
    return len(seen)


# --- output --------------------------------------------------------------------------

def fmt_bytes(n) -> str:
    if n is None or n < 0:
        return "n/a"
    for unit in ("B", "KiB", "MiB", "GiB"):
        if n < 1024 or unit == "GiB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024


def print_table(title: str, header: list[str], rows: list[list], notes: list[str] = ()) -> None:
    """A Markdown table (also readable in a terminal), then notes."""
    cells = [header] + [[str(c) for c in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    line = lambda r: "| " + " | ".join(c.ljust(w) for c, w in zip(r, widths)) + " |"  # noqa: E731
    print(f"\n### {title}\n")
    print(line(header))
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for r in cells[1:]:
        print(line(r))
    for n in notes:
        print(f"\n{n}")
    sys.stdout.flush()


def rel_diff(a: list[float], b: list[float]) -> float:
    """The largest relative difference between two loss curves."""
    return max(abs(x - y) / max(abs(y), 1e-300) for x, y in zip(a, b))


def without_guards(engine):
    """An engine whose steps run with autograd.guards switched off (SCALARGRAD_GUARDS=0)."""
    from autograd import guards

    step, nodes = engine

    def step_quiet(k):
        with guards.disabled():
            return step(k)

    return step_quiet, nodes


def training_rows(results: dict, engines: dict, script: str, no_memory: bool) -> list[list]:
    """Table rows for a training workload: ms/step, ratio to the reference engine (the one of
    kind "reference"), to PyTorch, nodes, peak memory and how the losses agree.

    ``results``: name -> (seconds per step, losses, nodes); ``engines``: name -> (factory, kind),
    kind "scalar" meaning the losses must equal the reference's exactly.
    """
    ref_name = next(name for name, (_, kind) in engines.items() if kind == "reference")
    ref_s, ref_losses, _ = results[ref_name]
    torch_s = results.get("PyTorch eager, float64", (None,))[0]
    rows = []
    for name, (sec, losses, nodes) in results.items():
        kind = engines[name][1]
        if kind == "reference":
            agree = "reference"
        elif kind == "scalar" and losses == ref_losses:
            agree = "identical"
        else:
            first = "first identical, " if kind == "scalar" and losses[0] == ref_losses[0] else ""
            agree = f"{first}max rel diff {rel_diff(losses, ref_losses):.1e}"
        peak = None if no_memory else peak_in_child(script, name)
        rows.append([name, f"{sec * 1e3:.2f}", f"{ref_s / sec:.1f}x",
                     f"{sec / torch_s:.2f}" if torch_s else "n/a",
                     nodes if nodes is not None else "n/a", fmt_bytes(peak), agree])
    return rows


TRAINING_HEADER = ["engine", "ms/step", "vs micrograd", "÷ PyTorch", "nodes/step", "peak memory/step", "losses"]


def nn_step(model, loss_fn, lr_at):
    """A training step through nn: SGD at lr ``lr_at(k)``, zero_grad, backward, GC paused."""
    import nn
    from autograd import gc_paused

    opt = nn.optim.SGD(model.parameters(), lr=lr_at(0))

    def step(k):
        with gc_paused():
            total = loss_fn()
            opt.zero_grad()
            total.backward()
            opt.lr = lr_at(k)
            opt.step()
        return float(total.data)

    return step
