"""viz on a whole training step: how long ``draw_graph`` and Graphviz's layout take for one
step of micrograd's demo (workload A), and how many bytes the Jupyter display embeds.

Each graph is drawn in a fresh child process that is killed (with its Graphviz) after
``--timeout`` seconds; a stage that did not finish is reported as "timed out after N s".

    .venv/bin/python bench/viz_step.py              # --timeout 60
"""
from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time

from _common import fmt_bytes, machine, print_table

# name: how the step is built (see ``step_graph``)
GRAPHS = {
    "nn.MLP default (fused neuron), model(x) per sample": "fused",
    "Value ops, one node per op (micrograd's graph)": "value_ops",
    "nn batched, model(X) on the (100, 2) array": "batched",
}


def step_graph(how: str):
    """(loss after backward, model or None): one step of workload A, built ``how``."""
    import moons

    weights, X, y = moons.workload_data()
    if how == "value_ops":
        from autograd import Value

        from _models import ValueMLP
        model = ValueMLP(weights)
        _, loss_fn = moons.scalar_demo(Value, model, model.parameters(), X, y)
        loss, model = loss_fn(), None
    else:
        import nn

        from _models import nn_mlp
        model = nn_mlp(weights, fused=True)
        params = model.parameters()
        scores = model(X) if how == "batched" else [model(row) for row in X.tolist()]
        loss = nn.hinge_loss(scores, y) + nn.l2_penalty(params, moons.ALPHA)
    loss.backward()
    return loss, model


def child(how: str) -> None:
    """Stage by stage, one JSON line each, flushed: what the parent reads if it has to kill us."""
    from IPython.core.formatters import DisplayFormatter

    from autograd import topological_order
    from viz import draw_graph

    def say(**kw):
        print(json.dumps(kw), flush=True)

    loss, model = step_graph(how)
    say(stage="built", nodes=len(topological_order(loss)), t=time.perf_counter())
    t0 = time.perf_counter()
    graph = draw_graph(loss, model=model)
    say(stage="draw", seconds=time.perf_counter() - t0, dot_bytes=len(graph.source.encode()),
        t=time.perf_counter())
    t0 = time.perf_counter()
    data, _ = DisplayFormatter().format(graph)  # what a notebook stores for the cell's output
    say(stage="display", seconds=time.perf_counter() - t0,
        display_bytes=sum(len(str(v).encode()) for v in data.values()), t=time.perf_counter())
    t0 = time.perf_counter()
    try:
        graph.render("svg")
        say(stage="layout", seconds=time.perf_counter() - t0, t=time.perf_counter())
    except Exception as e:  # no renderer, or Graphviz failed: say so in the row
        say(stage="layout", error=f"{type(e).__name__}: {str(e)[:80]}", t=time.perf_counter())


def measure(how: str, timeout: float) -> dict:
    """Run ``child(how)`` in a fresh process group, killed after ``timeout`` s; its stages."""
    with tempfile.TemporaryFile("w+") as out:
        proc = subprocess.Popen([sys.executable, os.path.abspath(__file__), "--child", how], stdout=out,
                                stderr=subprocess.DEVNULL, text=True, start_new_session=True)
        started = time.perf_counter()  # the same clock as the child's stamps (CLOCK_MONOTONIC)
        try:
            proc.wait(timeout=timeout)
            killed = False
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)  # the child and the Graphviz it started
            proc.wait()
            killed = True
        elapsed = time.perf_counter() - started
        out.seek(0)
        stages = {}
        for line in out:
            try:
                d = json.loads(line)
            except ValueError:
                continue
            stages[d.pop("stage")] = d
    stages["killed"], stages["started"], stages["elapsed"] = killed, started, elapsed
    return stages


def rows_of(results: dict, timeout: float) -> list[list]:
    rows = []
    for name, st in results.items():
        def cell(stage, fmt, st=st):
            if stage in st:
                return st[stage]["error"] if "error" in st[stage] else fmt(st[stage])
            last = max((v["t"] for v in st.values() if isinstance(v, dict)), default=None)
            if st["killed"]:
                # perf_counter is one clock for all processes (Linux): the stage began at ``last``
                waited = timeout if last is None else st["started"] + timeout - last
                return f"timed out after {waited:.0f} s"
            return "failed"
        rows.append([name, st.get("built", {}).get("nodes", "n/a"),
                     cell("draw", lambda d: f"{d['seconds']:.2f}"),
                     cell("draw", lambda d: fmt_bytes(d["dot_bytes"])),
                     cell("display", lambda d: f"{d['seconds']:.2f} s, {fmt_bytes(d['display_bytes'])}"),
                     cell("layout", lambda d: f"{d['seconds']:.2f}")])
    return rows


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--timeout", type=float, default=60.0, help="seconds per graph (all stages) before the kill")
    ap.add_argument("--only", action="append", default=[], help="only graphs whose name contains this")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        return child(args.child)
    results = {name: measure(how, args.timeout) for name, how in GRAPHS.items()
               if not args.only or any(o in name for o in args.only)}
    print_table(f"viz on one training step of A (draw_graph(loss, model=model) after backward; "
                f"each graph in a fresh process, killed after {args.timeout:g} s)",
                ["graph of one step", "nodes", "draw_graph s", "DOT text", "Jupyter display (s, bytes)",
                 "Graphviz layout to SVG s"],
                rows_of(results, args.timeout),
                [f"machine: {machine()}",
                 "Jupyter display: IPython's DisplayFormatter on the Graph, what a notebook stores as the "
                 "cell's output (an SVG when viz draws it, else the DOT text in HTML). The layout: "
                 "graph.render('svg'), the renderer viz finds (viz.render.renderer())."])
    return results


if __name__ == "__main__":
    sys.exit(main() and 0)
