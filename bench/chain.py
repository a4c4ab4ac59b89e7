"""Workload B: a chain y = y*1.0001 + 0.0 of 10**6 steps, then one backward.

Every constant is a leaf node, as in micrograd, so the graph has 4·10**6 + 1 nodes.
micrograd's recursive topological sort cannot walk it (RecursionError); PyTorch can.

    .venv/bin/python bench/chain.py            # --n 1000000 --repeats 3
"""
from __future__ import annotations

import argparse
import sys

from _common import (fmt_bytes, have_torch, machine, peak_in_child, print_table, report_peak,
                     time_runs)


def chain_scalargrad(n: int, paused: bool = True):
    """(forward s, backward s, x.grad) for scalargrad, the forward inside gc_paused() or not."""
    import contextlib
    import time

    from autograd import Value, gc_paused

    x = Value(1.0)
    y = x
    t0 = time.perf_counter()
    with gc_paused() if paused else contextlib.nullcontext():
        for _ in range(n):
            y = y * 1.0001 + 0.0
    t1 = time.perf_counter()
    y.backward()
    return t1 - t0, time.perf_counter() - t1, x.grad


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
    # name: (function, repeats cap: the slow engines run once)
    "scalargrad, forward in gc_paused()": (chain_scalargrad, None),
    "scalargrad, forward with the GC on": (lambda n: chain_scalargrad(n, paused=False), None),
    "micrograd 0.1.0 (as released)": (chain_micrograd, 1),
    "PyTorch eager, float64 (0-d tensors)": (chain_torch, 1),
}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=10**6, help="chain length (steps of * and +)")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--no-memory", action="store_true")
    ap.add_argument("--skip", action="append", default=[], help="skip engines whose name contains this")
    ap.add_argument("--memory", metavar="ENGINE", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.memory:
        return report_peak(lambda: ENGINES[args.memory][0](args.n))

    nodes = 4 * args.n + 1
    expected = 1.0001 ** args.n
    rows = []
    for name, (fn, cap) in ENGINES.items():
        if any(s in name for s in args.skip) or (name.startswith("PyTorch") and not have_torch()):
            continue
        repeats = min(args.repeats, cap or args.repeats)
        _, _, results = time_runs(lambda: [fn(args.n)], 1, min_seconds=0)
        runs = results + [fn(args.n) for _ in range(repeats - 1)]
        fwd = sorted(r[0] for r in runs)[len(runs) // 2]
        bwd = None if runs[0][1] is None else sorted(r[1] for r in runs)[len(runs) // 2]
        grad = runs[0][2]
        ok = isinstance(grad, float) and abs(grad - expected) <= 1e-9 * expected
        peak = None if args.no_memory else peak_in_child(__file__, name, "--n", str(args.n))
        per_node = f"{peak / nodes:.0f}" if peak else "n/a"
        rows.append([name, f"{fwd:.2f}", "failed" if bwd is None else f"{bwd:.2f}",
                     "n/a" if bwd is None else f"{fwd + bwd:.2f}", fmt_bytes(peak), per_node,
                     f"{repeats}", "x.grad correct" if ok else f"x.grad = {grad}"])
    print_table(
        f"B: chain y = y*1.0001 + 0.0, n = {args.n}, one backward ({nodes} nodes in micrograd's graph)",
        ["engine", "forward s", "backward s", "total s", "peak memory", "bytes/node", "repeats", "result"],
        rows, [f"machine: {machine()}",
               "medians over the repeats; peak memory: resident set of forward + backward in a fresh "
               "process, divided by the node count for bytes/node"])


if __name__ == "__main__":
    sys.exit(main())
