"""What the benchmarks share: timing (median of repeats; interleaved rounds for the training
workloads), peak memory, the printed table, micrograd's missing exp/log, and a description of
the machine.

Each benchmark runs every engine in the same process from the same data and initial weights.
The training workloads time the engines in interleaved rounds (every engine once per round), so
a machine whose speed drifts during the run moves all of them together and the ratios, taken
round by round, hold; peak memory is measured in a fresh child process per engine.
"""
from __future__ import annotations

import argparse
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


ROUND_SECONDS = 0.3  # timed time per engine per round: fast engines repeat their run to fill it


def interleaved_rounds(engines: dict, rounds: int, round_seconds: float = ROUND_SECONDS) -> dict:
    """Time every engine once per round, the engines in turn, for ``rounds`` rounds.

    ``engines``: name -> (prepare, run); ``run(prepare())`` is timed, ``prepare()`` (a fresh
    setup for every run) is not. An engine whose run is shorter than ``round_seconds`` runs
    again within the round until its timed runs fill it, and its round time is their median.
    Before the first round every ``prepare()`` runs once (imports done) and the objects alive
    then are frozen out of the cyclic GC (``gc.freeze``), so that no engine's collections
    scan what another engine imported (PyTorch: ~140k objects) and a ``gc.collect()`` before
    each run stays cheap. An engine that raises is named on stderr and left out; the others go on.

    Returns name -> (seconds per round, the last result of ``run``) for the engines that ran.
    """
    if rounds < 1:
        raise ValueError(f"rounds must be at least 1, got {rounds}")
    seconds, last = {}, {}

    def failed(name, e):  # one broken engine must not hide the others
        print(f"{name}: {type(e).__name__}: {e}", file=sys.stderr)
        del seconds[name]

    for name, (prepare, _) in engines.items():
        seconds[name] = []
        try:
            prepare()
        except Exception as e:
            failed(name, e)
    gc.collect()
    gc.freeze()
    try:
        for _ in range(rounds):
            for name, (prepare, run) in engines.items():
                if name not in seconds:
                    continue  # failed earlier
                try:
                    median, _, last[name] = time_runs(run, 1, min_seconds=round_seconds, max_repeats=1000,
                                                      prepare=prepare)
                except Exception as e:
                    failed(name, e)
                    continue
                seconds[name].append(median)
    finally:
        gc.unfreeze()
    return {name: (s, last[name]) for name, s in seconds.items()}


def time_training(engines: dict, data: tuple, steps: int, rounds: int) -> dict:
    """Train every engine ``steps`` steps from a fresh ``factory(*data)`` per run, timed in
    interleaved rounds (``interleaved_rounds``); PyTorch (kind "torch") only when installed.

    ``engines``: name -> (factory, kind), ``factory(*data)`` -> (step(k) -> loss, nodes() -> node
    count of one step's graph, or None). Returns name -> (seconds per round, losses, nodes).
    """
    def train(step):
        return [step(k) for k in range(steps)]

    runs = {name: (lambda factory=factory: factory(*data)[0], train)
            for name, (factory, kind) in engines.items() if kind != "torch" or have_torch()}
    results = {}
    for name, (seconds, losses) in interleaved_rounds(runs, rounds).items():
        try:
            nodes = engines[name][0](*data)[1]()
        except Exception as e:  # as in interleaved_rounds: report and go on
            print(f"{name}: nodes: {type(e).__name__}: {e}", file=sys.stderr)
            continue
        results[name] = (seconds, losses, nodes)
    return results


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


def training_rows(results: dict, engines: dict, steps: int, script: str, no_memory: bool) -> list[list]:
    """Table rows for a training workload: ms/step, ratio to the reference engine (the one of
    kind "reference"), to PyTorch, nodes, peak memory and how the losses agree.

    ``results``: name -> (seconds per round, losses, nodes), from ``time_training``;
    ``engines``: name -> (factory, kind), kind "scalar" meaning the losses must equal the
    reference's exactly. ms/step is the median round time over ``steps``; each ratio is the
    median over rounds of the ratio within a round (two times taken next to each other).
    """
    def ratio(num, den):  # median over rounds of num[r] / den[r]
        return statistics.median(a / b for a, b in zip(num, den))

    ref_s, ref_losses, _ = results.get(reference(engines), (None, None, None))
    torch_s = next((results[name][0] for name, (_, kind) in engines.items()
                    if kind == "torch" and name in results), None)
    rows = []
    for name, (sec, losses, nodes) in results.items():
        kind = engines[name][1]
        if kind == "reference":
            agree = "reference"
        elif ref_losses is None:
            agree = "n/a (no reference)"
        elif kind == "scalar" and losses == ref_losses:
            agree = "identical"
        else:
            first = "first identical, " if kind == "scalar" and losses[0] == ref_losses[0] else ""
            agree = f"{first}max rel diff {rel_diff(losses, ref_losses):.1e}"
        peak = None if no_memory else peak_in_child(script, name)
        rows.append([name, f"{statistics.median(sec) / steps * 1e3:.2f}",
                     f"{ratio(ref_s, sec):.1f}x" if ref_s else "n/a",
                     f"{ratio(sec, torch_s):.2f}" if torch_s else "n/a",
                     nodes if nodes is not None else "n/a", fmt_bytes(peak), agree])
    return rows


def reference(engines: dict) -> str:
    """The name of the engine of kind "reference" (the one the others are compared with)."""
    return next(name for name, (_, kind) in engines.items() if kind == "reference")


def training_notes(results: dict, engines: dict) -> list[str]:
    """The notes under a training table: the machine and the reference engine's last loss."""
    name = reference(engines)
    loss = f"{results[name][1][-1]:.6f}" if name in results else f"n/a ({name} failed)"
    return [f"machine: {machine()}", f"final loss: {loss}"]


def rounds_wording(steps: int, rounds: int) -> str:
    """How a training table was timed, for its title."""
    return (f"{steps} steps per run, median of {rounds} interleaved rounds (each round runs every "
            f"engine; fast engines repeat to fill {ROUND_SECONDS:g} s and take the median)")


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


def training_main(argv, doc: str, title: str, engines: dict, data: tuple, steps: int, script: str):
    """The command line of a training workload (A, C): time ``engines`` (name -> (factory,
    kind)) on ``data`` = (weights, X, y) and print the table headed ``title``; with the
    hidden ``--memory ENGINE``, the peak memory of one step, in a child process."""
    ap = argparse.ArgumentParser(description=doc.splitlines()[0])
    ap.add_argument("--steps", type=int, default=steps, help="training steps per run")
    ap.add_argument("--repeats", type=int, default=5, help="interleaved rounds; medians over rounds are reported")
    ap.add_argument("--no-memory", action="store_true", help="skip the peak-memory child processes")
    ap.add_argument("--memory", metavar="ENGINE", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.memory:  # child process: the peak memory of one training step
        step, _ = engines[args.memory][0](*data)
        step(0)
        gc.collect()
        return report_peak(lambda: step(1))
    results = time_training(engines, data, args.steps, args.repeats)
    print_table(f"{title}, {rounds_wording(args.steps, args.repeats)}", TRAINING_HEADER,
                training_rows(results, engines, args.steps, script, args.no_memory),
                training_notes(results, engines))
    return results
