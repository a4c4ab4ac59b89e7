"""Training workloads (A, C) timed the way a user meets them: every run of every engine in a
fresh interpreter, in interleaved rounds, nothing done to the collector that a user would not
do (no ``gc.collect()``, no ``gc.freeze()``).

A round starts one child process per engine, the engines in turn; a child builds the data and
the model (untimed), trains ``steps`` steps and prints its times as JSON (a fast engine trains
again from fresh weights until ``round_seconds`` have passed and reports its median run). A
ratio is the median over the rounds of the two engines' times within a round, so a machine
that slows down during the run slows both sides alike.

Rows marked "notebook-like" run in a child that first imports what a Jupyter kernel has
loaded (IPython, ipykernel's kernel, matplotlib.pyplot and its inline backend): their tens of
thousands of objects make every full collection of the cyclic GC dearer. The numpy peers
(``peers.py``) run under the peers' own venv, from the same numbers in a .npz file.

    python bench/_fresh.py --workload moons --engine NAME ...   # one child run (used by the parent)
"""
from __future__ import annotations

import argparse
import importlib
import importlib.util
import json
import os
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from typing import Callable

from _common import fmt_bytes
from peers import venv_python

HERE = os.path.dirname(os.path.abspath(__file__))
NOTEBOOK_MODULES = ("IPython", "ipykernel.ipkernel", "matplotlib.pyplot", "matplotlib_inline.backend_inline")
CHILD_TIMEOUT = 1800  # seconds: a child that hangs is reported, not waited for


PAUSED = "gc_paused()"


@dataclass(frozen=True)
class Engine:
    """One row of a training table.

    factory(weights, X, y) -> (step(k) -> loss, nodes() -> node count of one step's graph or
    None); None for a peer. kind: "reference" (the ratios' baseline: micrograd), "scalar"
    (same graph as micrograd: losses compared exactly), "batched", "fit", "torch", "floor"
    (numpy by hand), "peer". gc: what the loop does with the collector, as the table says it.
    notebook: run in a notebook-like process. peer: the engine's key in ``peers.py``.
    """
    factory: Callable | None
    kind: str
    gc: str = "on (unwrapped)"
    notebook: bool = False
    peer: str | None = None
    whole_run: bool = False  # factory gives run(steps) -> losses (nn.fit), not step(k)


def write_data(path: str, weights, X, y, loss: str, alpha: float, lrs: list[float]) -> None:
    """The workload for ``peers.py``: the numbers and the recipe, no code."""
    import numpy as np

    arrays = {f"W{i}": W for i, (W, _) in enumerate(weights)} | {f"b{i}": b for i, (_, b) in enumerate(weights)}
    np.savez(path, layers=len(weights), X=X, y=y, loss=loss, alpha=alpha, lrs=np.array(lrs), **arrays)


def _command(workload: str, name: str, engine: Engine, steps: int, round_seconds: float, data_file: str,
             memory: bool, nodes: bool = False):
    """(argv, env) of one child run, or (None, why) when the engine cannot run here."""
    if engine.kind == "torch" and importlib.util.find_spec("torch") is None:
        return None, "not installed: `SCALARGRAD_TORCH=1 python3 run.py test` installs PyTorch's CPU build"
    if engine.peer is None:
        cmd = [sys.executable, os.path.abspath(__file__), "--workload", workload, "--engine", name]
        cmd += (["--notebook"] if engine.notebook else []) + (["--nodes"] if nodes else [])
        env = dict(os.environ)
    else:
        python = sys.executable if engine.peer == "numpy" else venv_python()
        if python is None:
            return None, "not installed: run `python bench/peers.py --setup`"
        cmd = [python, os.path.join(HERE, "peers.py"), "--engine", engine.peer, "--data", data_file]
        # without PYTHONPATH: scalargrad's `autograd` must not shadow HIPS autograd
        env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    cmd += ["--steps", str(steps), "--round-seconds", str(round_seconds)] + (["--memory"] if memory else [])
    return (cmd, env), None


def _child(cmd, env) -> dict:
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=CHILD_TIMEOUT)
    if done.returncode != 0:
        tail = (done.stderr.strip().splitlines() or [f"exit code {done.returncode}"])[-1]
        raise RuntimeError(tail)
    return json.loads(done.stdout.strip().splitlines()[-1])


def run_rounds(workload: str, engines: dict, data: tuple, recipe: dict, steps: int, rounds: int,
               round_seconds: float, memory: bool = True) -> dict:
    """Time every engine of ``workload`` (a module name: moons, digits) in ``rounds`` rounds of
    fresh processes. ``data`` = (weights, X, y); ``recipe``: loss, alpha, lrs for the peers.

    Returns name -> {"rounds": [seconds per step, one per round], "losses", "nodes", "peak",
    "gc_tracked", "gc_runs", "version"} or {"error": message} for an engine that failed.
    """
    results = {name: {"rounds": []} for name in engines}
    with tempfile.TemporaryDirectory(prefix="scalargrad-bench-") as tmp:
        data_file = os.path.join(tmp, f"{workload}.npz")
        write_data(data_file, *data, **recipe)
        for r in range(rounds):
            for name, engine in engines.items():
                res = results[name]
                if "error" in res:
                    continue
                spec, why = _command(workload, name, engine, steps, round_seconds, data_file, memory=False,
                                     nodes=r == 0)
                if spec is None:
                    res["error"] = why
                    continue
                try:
                    out = _child(*spec)
                except (RuntimeError, subprocess.SubprocessError, ValueError, IndexError) as e:
                    res["error"] = f"{type(e).__name__}: {e}"
                    print(f"{workload}: {name}: {res['error']}", file=sys.stderr)
                    continue
                res["rounds"].append(statistics.median(out["seconds"]) / steps)
                res.update({k: out[k] for k in ("losses", "gc_tracked", "gc_runs", "nodes", "version") if k in out})
                res["runs_per_round"] = len(out["seconds"])
        if memory:
            for name, engine in engines.items():
                if "error" in results[name] or engine.notebook:
                    continue
                spec, _ = _command(workload, name, engine, steps, round_seconds, data_file, memory=True)
                try:
                    results[name]["peak"] = _child(*spec)["peak_bytes"]
                except (RuntimeError, subprocess.SubprocessError, ValueError, IndexError, KeyError):
                    results[name]["peak"] = None
    return results


# --- the table -----------------------------------------------------------------------------

def _ratio(num: list, den: list) -> float:
    """Median over rounds of num[r] / den[r]."""
    return statistics.median(a / b for a, b in zip(num, den))


def _name_of(engines: dict, kind: str) -> str | None:
    return next((name for name, e in engines.items() if e.kind == kind), None)


def _agree(losses, ref_losses, kind: str) -> str:
    if ref_losses is None:
        return "n/a (no reference)"
    if kind == "scalar" and losses == ref_losses:
        return "identical"
    first = "first identical, " if kind == "scalar" and losses[0] == ref_losses[0] else ""
    worst = max(abs(a - b) / max(abs(b), 1e-300) for a, b in zip(losses, ref_losses))
    return f"{first}max rel diff {worst:.1e}"


HEADER = ["engine", "GC in the loop", "process", "ms/step", "× micrograd", "÷ numpy by hand", "÷ PyTorch",
          "nodes/step", "peak memory/step", "gen-2 GCs/run", "losses"]


def _ms(seconds: float) -> str:
    """Milliseconds with three significant digits below 10 ms."""
    return f"{seconds * 1e3:.3f}" if seconds < 0.01 else f"{seconds * 1e3:.2f}"


def table_rows(results: dict, engines: dict, steps: int) -> list[list]:
    """One row per engine: ms/step (median over rounds), speed-up over the reference
    (micrograd, its demo's idiom), time ÷ numpy by hand and ÷ PyTorch (medians over rounds of
    the within-round ratios), nodes, peak memory, full collections per run, the losses against
    the reference's."""
    def timing(kind):
        name = _name_of(engines, kind)
        res = results.get(name) if name else None
        return res["rounds"] if res and "error" not in res and res["rounds"] else None

    ref, floor, torch = timing("reference"), timing("floor"), timing("torch")
    ref_losses = results[_name_of(engines, "reference")].get("losses") if ref else None
    rows = []
    for name, engine in engines.items():
        res = results[name]
        process = "notebook-like" if engine.notebook else "fresh"
        if "error" in res or not res["rounds"]:
            rows.append([base_name(name), engine.gc, process, res.get("error", "no runs")] + [""] * (len(HEADER) - 4))
            continue
        sec = res["rounds"]
        gen2 = res.get("gc_runs", [0, 0, 0])[2] / res.get("runs_per_round", 1)
        note = "reference" if engine.kind == "reference" else _agree(res["losses"], ref_losses, engine.kind)
        rows.append([base_name(name) + (f" [{res['version']}]" if "version" in res else ""), engine.gc, process,
                     _ms(statistics.median(sec)),
                     f"{_ratio(ref, sec):.1f}x" if ref else "n/a",
                     f"{_ratio(sec, floor):.2f}" if floor else "n/a",
                     f"{_ratio(sec, torch):.2f}" if torch else "n/a",
                     res.get("nodes") if res.get("nodes") is not None else "n/a",
                     fmt_bytes(res.get("peak")) if not engine.notebook else "(as fresh)",
                     f"{gen2:.2g}", note])
    return rows


def base_name(key: str) -> str:
    """The row's engine without its variant: keys are "engine | variant" when one engine
    runs several ways (unwrapped, in gc_paused(), in a notebook-like process)."""
    return key.split(" | ")[0]


def table_notes(results: dict, engines: dict) -> list[str]:
    """What the ratios are, and the ratios the issue's targets are stated in: unwrapped ÷
    wrapped per per-sample path, notebook-like ÷ wrapped, nn.fit ÷ the batched step by hand."""
    ref, floor, torch = (_name_of(engines, k) for k in ("reference", "floor", "torch"))
    notes = [f"× micrograd: the time of `{ref}` ÷ this row's; ÷ numpy by hand: this row ÷ `{floor}`; "
             f"÷ PyTorch: this row ÷ `{torch}`; each the median over the rounds of the ratio within a round. "
             "gen-2 GCs/run: full collections of the cyclic GC during one timed run."]
    lines = []
    for key, e in engines.items():
        if e.gc != "gc_paused()" or e.notebook:
            continue
        for other, o in engines.items():
            if base_name(other) == base_name(key) and o.gc.startswith("on") and other != key:
                where = "notebook-like" if o.notebook else "fresh"
                lines.append(f"  {base_name(key)}: unwrapped ({where}) ÷ gc_paused() (fresh) = "
                             f"{ratio_between(results, other, key)}")
    if lines:
        notes.append("unwrapped ÷ wrapped, per-sample paths (same run, median of per-round ratios):\n"
                     + "\n".join(lines))
    hand = next((k for k, e in engines.items() if e.kind == "batched"), None)
    for key, e in engines.items():
        if e.kind == "fit" and hand:
            notes.append(f"`{base_name(key)}` ÷ `{base_name(hand)}` (the same batched step by hand): "
                         f"{ratio_between(results, key, hand)}")
    tracked = {("notebook-like" if e.notebook else "fresh"): results[k].get("gc_tracked")
               for k, e in engines.items() if e.peer is None and results[k].get("gc_tracked")}
    if "notebook-like" in tracked:
        notes.append(f"objects tracked by the cyclic GC before the first run: {tracked.get('fresh')} in a fresh "
                     f"process, {tracked['notebook-like']} in a notebook-like one (imported first: "
                     f"{', '.join(NOTEBOOK_MODULES)})")
    return notes


def ratio_between(results: dict, num: str, den: str) -> str:
    """'1.83 (rounds: 1.79, 1.83, 2.10)' for two engines of the same run, or 'n/a'."""
    a, b = results.get(num, {}), results.get(den, {})
    if "error" in a or "error" in b or not a.get("rounds") or not b.get("rounds"):
        return "n/a"
    per_round = ", ".join(f"{x / y:.2f}" for x, y in zip(a["rounds"], b["rounds"]))
    return f"{_ratio(a['rounds'], b['rounds']):.2f} (rounds: {per_round})"


# --- the child side ------------------------------------------------------------------------

def worker(argv=None):
    ap = argparse.ArgumentParser(description="one fresh-process run of one engine (used by the parent)")
    ap.add_argument("--workload", required=True)
    ap.add_argument("--engine", required=True)
    ap.add_argument("--steps", type=int, required=True)
    ap.add_argument("--round-seconds", type=float, default=0.3)
    ap.add_argument("--memory", action="store_true")
    ap.add_argument("--notebook", action="store_true", help="import what a Jupyter kernel has, first")
    ap.add_argument("--nodes", action="store_true", help="after the timing, count one step's nodes")
    args = ap.parse_args(argv)
    if args.notebook:  # what a kernel has imported before the user's first cell
        for name in NOTEBOOK_MODULES:
            importlib.import_module(name)
    sys.path.insert(0, HERE)
    module = importlib.import_module(args.workload)
    engine = module.ENGINES[args.engine]
    from _timing import emit, peak_of_one_step, steps_of, time_training

    data = module.workload_data()
    if engine.kind in ("reference", "torch", "floor", "peer") or args.engine.startswith("micrograd"):
        # workload_data() imported scalargrad (nn.data), which manages the collector: the
        # other engines run with Python's own, as their users have it
        from autograd import manage_collector
        manage_collector(False)
    if args.memory:
        return emit({"peak_bytes": None if engine.whole_run else peak_of_one_step(engine.factory(*data)[0])})
    as_run = (lambda f: f) if engine.whole_run else steps_of
    result = time_training(lambda: as_run(engine.factory(*data)[0]), args.steps, args.round_seconds)
    if args.nodes:  # after the timing: one more graph, built and dropped
        result["nodes"] = engine.factory(*data)[1]()
    emit(result)


if __name__ == "__main__":
    sys.exit(worker())
