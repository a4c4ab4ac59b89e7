"""Timing one engine inside one fresh process, the way a user runs it: no ``gc.collect()``, no
``gc.freeze()``, the collector as the process left it. Standard library only, so that
``peers.py`` can use it from another venv without putting scalargrad on the path.
"""
from __future__ import annotations

import gc
import json
import time


def steps_of(step):
    """``run(steps) -> losses`` from ``step(k) -> loss``: the user's loop."""
    return lambda steps: [float(step(k)) for k in range(steps)]


def time_training(prepare, steps: int, round_seconds: float, max_runs: int = 1000) -> dict:
    """Train ``steps`` steps from a fresh ``prepare()`` (untimed; it returns ``run(steps) ->
    losses``, see ``steps_of``), timed; again from a fresh ``prepare()`` until
    ``round_seconds`` of timed runs have passed (fast engines), so that their median is steady.

    Returns {"seconds": [per run], "losses": [last run's], "gc_tracked": objects the cyclic GC
    tracks before the first run, "gc_runs": collections per generation during the timed runs}.
    """
    seconds, losses = [], None
    tracked = len(gc.get_objects())
    before = [s["collections"] for s in gc.get_stats()]
    while not seconds or (sum(seconds) < round_seconds and len(seconds) < max_runs):
        run = prepare()
        t0 = time.perf_counter()
        losses = run(steps)
        seconds.append(time.perf_counter() - t0)
    gc_runs = [s["collections"] - b for s, b in zip(gc.get_stats(), before)]
    return {"seconds": seconds, "losses": losses, "gc_tracked": tracked, "gc_runs": gc_runs}


def rss_peak_bytes(fn) -> int:
    """Bytes of resident memory that ``fn()`` added at its peak (Linux; -1 if unknown)."""

    def kib(field):
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
        raise OSError(f"{field} not in /proc/self/status")

    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")  # resets the peak (VmHWM) to the current size
        base = kib("VmRSS")
        fn()
        return max(0, kib("VmHWM") - base) * 1024
    except OSError:
        return -1


def peak_of_one_step(step) -> int:
    """The peak memory of the second step (the first one allocates the long-lived state).

    A memory measurement, not a timing: the first step's garbage is collected before the
    second starts, so that an engine whose graphs are reference cycles (micrograd) cannot
    reuse that memory and show its graph smaller than it is."""
    step(0)
    gc.collect()
    return rss_peak_bytes(lambda: step(1))


def emit(result: dict) -> None:
    """The worker's answer to the parent: one JSON line, last on stdout."""
    print(json.dumps(result), flush=True)
