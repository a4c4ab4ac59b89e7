"""Run every benchmark (A, B, C) one after the other and print their tables.

    .venv/bin/python bench/run_all.py                 # the defaults of each script
    .venv/bin/python bench/run_all.py --quick         # fewer steps and a shorter chain
"""
from __future__ import annotations

import argparse
import sys

import chain
import digits
import moons


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="A and C: 3 steps; B: n = 10**5")
    args = ap.parse_args(argv)
    quick = ["--steps", "3"] if args.quick else []
    moons.main(quick)
    chain.main(["--n", "100000"] if args.quick else [])
    digits.main(quick)


if __name__ == "__main__":
    sys.exit(main())
