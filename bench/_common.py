"""What the benchmarks share: the machine's description, micrograd's missing exp/log, the
printed table, the training steps written as a user writes them (unwrapped, or each step in
``gc_paused()``), and the command line of a training workload.

Timing lives in ``_fresh.py`` (A, C: every run a fresh process, interleaved rounds) and
``_timing.py`` (inside one process); B (``chain.py``) runs each repeat in a fresh process too.
Nothing here touches the collector: no ``gc.collect()`` or ``gc.freeze()`` a user would not do.
"""
from __future__ import annotations

import argparse
import math
import os
import platform
import sys

# One thread for numpy's BLAS and PyTorch (set before either loads): at these sizes every
# engine is bound by per-op overhead, and on a shared 2-core machine a second thread only
# adds stalls. Set the variables yourself to override.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)


SMOKE = "SCALARGRAD_BENCH_SMOKE"  # set (by run_all.py --smoke): tiny data, to check the scripts run


def smoke() -> bool:
    return os.environ.get(SMOKE) == "1"


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


def without_guards(step):
    """The same step with autograd.guards switched off (SCALARGRAD_GUARDS=0)."""
    from autograd import guards

    def step_quiet(k):
        with guards.disabled():
            return step(k)

    return step_quiet


def in_gc_paused(step):
    """The same step, each call inside ``with gc_paused():`` (the wrapped loop)."""
    from autograd import gc_paused

    def step_paused(k):
        with gc_paused():
            return step(k)

    return step_paused


def nn_step(model, loss_fn, lr_at):
    """A training step through nn as a user writes it (no wrapper): loss, zero_grad,
    backward, SGD at lr ``lr_at(k)``."""
    import nn

    opt = nn.optim.SGD(model.parameters(), lr=lr_at(0))

    def step(k):
        total = loss_fn()
        opt.zero_grad()
        total.backward()
        opt.lr = lr_at(k)
        opt.step()
        return float(total.data)

    return step


def training_main(argv, doc: str, workload: str, title: str, engines: dict, data: tuple, recipe,
                  steps: int, notes: list[str] = ()):
    """The command line of a training workload (A, C): time ``engines`` (name -> _fresh.Engine)
    on ``data`` = (weights, X, y) in fresh processes and print the table headed ``title``.
    ``recipe(steps)`` -> {loss, alpha, lrs}: the step for the numpy peers."""
    import _fresh

    ap = argparse.ArgumentParser(description=doc.splitlines()[0])
    ap.add_argument("--steps", type=int, default=steps, help="training steps per run")
    ap.add_argument("--rounds", type=int, default=3, help="interleaved rounds of fresh processes")
    ap.add_argument("--round-seconds", type=float, default=0.3,
                    help="a fast engine trains again from fresh weights until this much time is timed")
    ap.add_argument("--no-memory", action="store_true", help="skip the peak-memory child processes")
    ap.add_argument("--only", action="append", default=[], help="run only engines whose name contains this")
    args = ap.parse_args(argv)
    if args.rounds < 1 or args.steps < 2:
        ap.error("--rounds must be at least 1 and --steps at least 2")
    if args.only:
        engines = {n: e for n, e in engines.items() if any(o in n for o in args.only) or e.kind == "reference"}
    results = _fresh.run_rounds(workload, engines, data, recipe(args.steps), args.steps, args.rounds,
                                args.round_seconds, memory=not args.no_memory)
    if smoke():
        title = f"SMOKE RUN on tiny data (not a measurement) of {title}"
    print_table(f"{title}, {args.steps} steps per run, {args.rounds} interleaved rounds of fresh processes",
                _fresh.HEADER, _fresh.table_rows(results, engines, args.steps),
                [f"machine: {machine()}", *_fresh.table_notes(results, engines), *notes])
    return results
