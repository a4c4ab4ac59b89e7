"""Workload B: a chain y = y*1.0001 + 0.0 of 10**6 steps, then one backward.

Every constant is a leaf node, as in micrograd, so the graph has 4·10**6 + 1 nodes.
micrograd's recursive topological sort cannot walk it (RecursionError); PyTorch can.

    .venv/bin/python bench/chain.py            # --n 1000000 --repeats 3
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys

from _common import fmt_bytes, have_torch, machine, print_table
from _timing import emit, rss_peak_bytes


def chain_scalargrad(n: int, paused: str | None = "forward"):
    """(forward s, backward s, x.grad) for scalargrad; ``paused``: what runs inside
    gc_paused(): "forward", "both" (forward and backward in one block) or None."""
    import contextlib
    import time

    from autograd import Value, gc_paused

    x = Value(1.0)
    y = x
    with gc_paused() if paused == "both" else contextlib.nullcontext():
        t0 = time.perf_counter()
        with gc_paused() if paused == "forward" else contextlib.nullcontext():
            for _ in range(n):
                y = y * 1.0001 + 0.0
        t1 = time.perf_counter()
        y.backward()
        t2 = time.perf_counter()
    return t1 - t0, t2 - t1, x.grad


def chain_micrograd(n: int):
    """micrograd as released: the forward runs; its backward raises RecursionError."""
    import time

    from micrograd.engine import Value

    x = Value(1.0)
    y = x
    t0 = time.perf_counter()
    for _ in range(n):
        y = y * 1.0001 + 0.0
    t1 = time.perf_counter()
    try:
        y.backward()
    except RecursionError:
        return t1 - t0, None, "RecursionError"
    return t1 - t0, time.perf_counter() - t1, x.grad


def chain_torch(n: int):
    import time

    import torch

    x = torch.tensor(1.0, dtype=torch.float64, requires_grad=True)
    y = x
    t0 = time.perf_counter()
    for _ in range(n):
        y = y * 1.0001 + 0.0
    t1 = time.perf_counter()
    y.backward()
    return t1 - t0, time.perf_counter() - t1, float(x.grad)


ENGINES = {
    # name: (function, runs cap: the slow engines run once)
    "scalargrad, forward and backward in one gc_paused()": (lambda n: chain_scalargrad(n, paused="both"), None),
    "scalargrad, forward only in gc_paused()": (chain_scalargrad, None),
    "scalargrad, unwrapped (the GC on)": (lambda n: chain_scalargrad(n, paused=None), None),
    "micrograd 0.1.0 (as released)": (chain_micrograd, 1),
    "PyTorch eager, float64 (0-d tensors)": (chain_torch, 1),
}


def _child(args: list[str]) -> dict:
    cmd = [sys.executable, os.path.abspath(__file__), *args]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=1800)
    if done.returncode != 0:
        raise RuntimeError((done.stderr.strip().splitlines() or [f"exit code {done.returncode}"])[-1])
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=10**6, help="chain length (steps of * and +)")
    ap.add_argument("--repeats", type=int, default=3, help="rounds of fresh processes (the slow engines run once)")
    ap.add_argument("--no-memory", action="store_true")
    ap.add_argument("--skip", action="append", default=[], help="skip engines whose name contains this")
    ap.add_argument("--run", metavar="ENGINE", help=argparse.SUPPRESS)
    ap.add_argument("--memory", metavar="ENGINE", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.run:  # child: one run in a fresh process
        fwd, bwd, grad = ENGINES[args.run][0](args.n)
        return emit({"fwd": fwd, "bwd": bwd, "grad": grad})
    if args.memory:
        return emit({"peak_bytes": rss_peak_bytes(lambda: ENGINES[args.memory][0](args.n))})

    nodes = 4 * args.n + 1
    expected = 1.0001 ** args.n
    names = [name for name in ENGINES if not any(s in name for s in args.skip)
             and not (name.startswith("PyTorch") and not have_torch())]
    runs = {name: [] for name in names}
    for r in range(args.repeats):  # interleaved: every engine once per round, each run a fresh process
        for name in names:
            if r < (ENGINES[name][1] or args.repeats):
                runs[name].append(_child(["--run", name, "--n", str(args.n)]))
    rows = []
    for name in names:
        fwd = statistics.median(r["fwd"] for r in runs[name])
        failed = runs[name][0]["bwd"] is None
        bwd = None if failed else statistics.median(r["bwd"] for r in runs[name])
        grad = runs[name][0]["grad"]
        ok = isinstance(grad, float) and abs(grad - expected) <= 1e-9 * expected
        peak = None
        if not args.no_memory:
            try:
                peak = _child(["--memory", name, "--n", str(args.n)])["peak_bytes"]
            except (RuntimeError, subprocess.SubprocessError, ValueError, KeyError):
                pass
        per_node = f"{peak / nodes:.0f}" if peak else "n/a"
        rows.append([name, f"{fwd:.2f}", "failed" if bwd is None else f"{bwd:.2f}",
                     "n/a" if bwd is None else f"{fwd + bwd:.2f}", fmt_bytes(peak), per_node,
                     f"{len(runs[name])}", "x.grad correct" if ok else f"x.grad = {grad}"])
    print_table(
        f"B: chain y = y*1.0001 + 0.0, n = {args.n}, one backward ({nodes} nodes in micrograd's graph)",
        ["engine", "forward s", "backward s", "total s", "peak memory", "bytes/node", "runs", "result"],
        rows, [f"machine: {machine()}",
               "each run a fresh process, the engines in turn; medians over the runs; peak memory: resident "
               "set of forward + backward in a fresh process, divided by the node count for bytes/node"])


if __name__ == "__main__":
    sys.exit(main())
