"""Command-line entry point (placeholder demo of the engine until the CLI issue lands)."""
from __future__ import annotations

import argparse
import sys


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="scalargrad", description=__doc__)
    parser.add_argument("command", choices=["demo"])
    parser.parse_args(argv)
    from autograd import Value

    x = Value(2.0, label="x")
    y = (x * x).sin()
    y.backward()
    print(f"y = sin(x**2) at x = 2: {y.data:.6f}; dy/dx = {x.grad:.6f} (cos(x**2)·2x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
