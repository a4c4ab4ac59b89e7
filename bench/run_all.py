"""Run every benchmark (A, B, C, viz on a training step) one after the other and print their tables.

    .venv/bin/python bench/run_all.py            # the defaults of each script (about 20 minutes)
    .venv/bin/python bench/run_all.py --quick    # A, C: 3 steps, 1 round, no memory; B: n = 10**5; viz: 20 s
    .venv/bin/python bench/run_all.py --smoke    # the scripts run end to end on tiny data (tests use it)

The numpy peers (HIPS autograd, MyGrad) need their venv once: `python bench/peers.py --setup`;
without it their rows say so and the rest runs.
"""
from __future__ import annotations

import argparse
import os
import sys

import _common  # noqa: F401  (first: it sets the thread counts before numpy loads)
import chain
import digits
import moons
import viz_step


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    mode = ap.add_mutually_exclusive_group()
    mode.add_argument("--quick", action="store_true", help="fewer steps and rounds, a shorter chain")
    mode.add_argument("--smoke", action="store_true",
                      help="tiny data (moons 10 points, digits batch 4), 2 steps, 1 round, chain n = 1000")
    args = ap.parse_args(argv)
    if args.smoke:
        os.environ[_common.SMOKE] = "1"  # read by the workloads' data, in every child process
        training = ["--steps", "2", "--rounds", "1", "--round-seconds", "0", "--no-memory"]
        chain_args, viz_args = ["--n", "1000", "--repeats", "1", "--no-memory"], ["--timeout", "60", "--only", "batched"]
    elif args.quick:
        training = ["--steps", "3", "--rounds", "1", "--no-memory"]
        chain_args, viz_args = ["--n", "100000", "--repeats", "1"], ["--timeout", "20"]
    else:
        training, chain_args, viz_args = [], [], []
    moons.main(training)
    chain.main(chain_args)
    digits.main(training)
    viz_step.main(viz_args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
