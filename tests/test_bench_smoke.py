"""The benchmark scripts run end to end (``bench/run_all.py --smoke``: tiny data, one round), so
they cannot rot while the engine changes under them. No timing is asserted: speed is measured
by running the scripts, not by tests."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

for _name in ("micrograd", "ipykernel", "matplotlib", "matplotlib_inline"):  # the bench extra
    pytest.importorskip(_name, reason="the benchmarks need the bench extra: pip install -e .[bench]")


@pytest.fixture(scope="module")
def smoke_run():
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "run_all.py"), "--smoke"], env=env,
                          capture_output=True, text=True, timeout=900, cwd=ROOT)
    return done


def tables(out: str) -> dict:
    """title -> rows (lists of cells) of every Markdown table the scripts printed."""
    found, title = {}, None
    for line in out.splitlines():
        if line.startswith("### "):
            title, found[line[4:]] = line[4:], []
        elif line.startswith("| ") and title is not None:
            found[title].append([c.strip() for c in line.strip("|").split("|")])
    return {t: rows[1:] for t, rows in found.items()}  # without the header row


def table(out: str, prefix: str) -> list:
    return next(rows for title, rows in tables(out).items() if prefix in title)


def test_every_script_runs_and_prints_its_table(smoke_run):
    assert smoke_run.returncode == 0, smoke_run.stderr[-3000:]
    titles = list(tables(smoke_run.stdout))
    for workload in ("of A: micrograd's demo", "B: chain", "of C: digits-sized", "viz on one training step"):
        assert any(workload in t for t in titles), (workload, titles)


def test_no_engine_failed(smoke_run):
    """An engine that raises is named on stderr and its row holds the error instead of a time;
    only the peers may be missing (their venv is made by `bench/peers.py --setup`)."""
    failures = [line for line in smoke_run.stderr.splitlines() if line.startswith(("moons: ", "digits: "))]
    assert failures == []
    for prefix in ("of A:", "of C:"):
        for row in table(smoke_run.stdout, prefix):
            ms = row[3]
            assert ms.replace(".", "", 1).isdigit() or ms.startswith("not installed"), row


def test_rows_for_every_per_sample_path_unwrapped_wrapped_and_notebook(smoke_run):
    for prefix in ("of A:", "of C:"):
        rows = table(smoke_run.stdout, prefix)
        ways = {(r[0], r[1], r[2]) for r in rows}
        for path in ("Value ops, one node per op", "nn.MLP(fused=False), model(x) per sample",
                     "nn.MLP default (fused neuron), model(x) per sample"):
            assert (path, "on (unwrapped)", "fresh") in ways
            assert (path, "gc_paused()", "fresh") in ways
        assert any(r[2] == "notebook-like" and r[0].startswith("Value ops") for r in rows)


def test_micrograd_is_fed_as_its_demo_feeds_it(smoke_run):
    """Inputs mapped through Value once per step: a smaller graph than raw floats, which wrap
    every x again in each neuron's w * x."""
    rows = table(smoke_run.stdout, "of C:")
    nodes = {r[0]: int(r[7]) for r in rows if r[0].startswith("micrograd") and r[2] == "fresh"}
    demo = next(n for name, n in nodes.items() if "demo's loop" in name)
    raw = next(n for name, n in nodes.items() if "raw floats" in name)
    assert raw > demo


def test_nn_fit_is_compared_with_the_hand_written_step(smoke_run):
    assert "(the same batched step by hand): " in smoke_run.stdout
    line = next(x for x in smoke_run.stdout.splitlines() if "(the same batched step by hand): " in x)
    float(line.split("by hand): ", 1)[1].split()[0])  # a number, not "n/a"
