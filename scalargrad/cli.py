"""The ``scalargrad`` command: ``demo``, ``graph``, ``gradcheck`` and ``notebooks`` (argument parsing, exit codes).

Exit codes: 0 done; 1 the work failed (``gradcheck`` found a mismatch or could not compare,
training diverged, Graphviz failed, the reader of stdout went away); 2 bad input (a refused
expression, a bad number, an unknown dataset, an unwritable path, a full disk), with a
message that says what to fix. Never a traceback for any of these.
"""
from __future__ import annotations

import argparse
import os
import sys

from .install_check import check

check("autograd", "nn", "viz")  # first: a clear message if HIPS autograd or a file of yours took these names

from autograd import DomainError  # noqa: E402

from .args import UsageError  # noqa: E402
from .expr import CONSTANTS, FUNCTIONS, ExpressionError  # noqa: E402
from . import notebooks_cmd  # noqa: E402

EXAMPLES = """\
examples:
  scalargrad demo                                  train on moons, write the pictures to out/
  scalargrad graph "tanh(x*w + b)" x=2 w=-3 b=6.88 -o neuron.svg
  scalargrad gradcheck "sin(x**2)" x=1.5
  scalargrad notebooks my-course                   copy the course notebooks into my-course/
"""

EXPR_HELP = (
    "an arithmetic expression in quotes, e.g. \"tanh(x*w + b)\": numbers, variables, + - * / **, "
    f"parentheses, {' '.join(CONSTANTS)} and the functions {' '.join(FUNCTIONS)} (nothing else is "
    "accepted). Put -- before an expression that starts with '-'"
)


def build_parser() -> argparse.ArgumentParser:
    from .demo import DATASETS, OPTIMIZERS

    parser = argparse.ArgumentParser(
        prog="scalargrad",
        description="scalargrad: a scalar autograd engine for learning and teaching backpropagation.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"scalargrad {_version()}")
    sub = parser.add_subparsers(dest="command", metavar="{demo,graph,gradcheck,notebooks}")
    sub.required = True

    demo = sub.add_parser(
        "demo", help="train a small MLP on a built-in dataset and write every picture to a folder",
        description="Train an MLP on a built-in 2-D dataset, print the train/validation accuracy and "
                    "write into --out: loss curves, decision boundary, network diagram, the forward and "
                    "backward graph of one neuron on one example, a step-through of its backward pass "
                    "(GIF + SVG frames), and index.html showing them all.")
    demo.add_argument("--dataset", default="moons", help=f"one of {', '.join(DATASETS)} (default: moons)")
    demo.add_argument("--hidden", default="16,16", metavar="SIZES",
                      help="hidden layer sizes, comma-separated, each at most 64 (default: 16,16)")
    demo.add_argument("--epochs", default="80", metavar="N",
                      help="at most this many epochs (default: 80; early stopping may end sooner)")
    demo.add_argument("--optimizer", default="adam", help=f"one of {', '.join(OPTIMIZERS)} (default: adam)")
    demo.add_argument("--lr", default=None, metavar="RATE",
                      help="learning rate (default: 0.02 for adam, 0.1 for sgd)")
    demo.add_argument("--seed", default="0", metavar="N", help="random seed for data, weights and batches")
    demo.add_argument("--samples", default="300", metavar="N",
                      help="number of data points, a quarter kept for validation (default: 300)")
    demo.add_argument("--out", default="out", metavar="DIR", help="output folder (default: out)")
    demo.add_argument("--no-progress", action="store_true", help="no progress bar")
    demo.add_argument("--lang", default=None, metavar="LANG",
                      help="language of the pictures, the page and the summary: en or ru "
                           "(default: $SCALARGRAD_LANG, else en)")

    graph = sub.add_parser(
        "graph", help="draw the forward/backward graph of an expression to SVG, PNG or DOT",
        description="Build the computation graph of EXPR at the given values, run backward() and draw "
                    "it: the forward view shows each node's data, the backward view its grad and the "
                    "local derivative on each edge.",
        epilog='example: scalargrad graph "tanh(x*w + b)" x=2 w=-3 b=6.88 -o neuron.png',
    )
    _add_expression(graph)
    graph.add_argument("-o", "--output", default="graph.svg", metavar="PATH",
                       help="file to write; the suffix picks the format: .svg, .png, .pdf or .dot "
                            "(default: graph.svg; '-' prints the DOT text)")
    graph.add_argument("--view", choices=["forward", "backward", "both"], default="both",
                       help="what the nodes show (default: both)")
    graph.add_argument("--rankdir", choices=["LR", "TB", "RL", "BT"], default="LR",
                       help="layout direction (default: LR, left to right)")

    check = sub.add_parser(
        "gradcheck", help="print backprop's gradients next to finite differences",
        description="Compare d(EXPR)/d(variable) from backward() with central finite differences "
                    "(f(x+eps) - f(x-eps)) / 2eps. Exit code 1 if any pair disagrees beyond "
                    "atol + rtol*|numeric|.",
        epilog='example: scalargrad gradcheck "sin(x**2)" x=1.5',
    )
    _add_expression(check)
    check.add_argument("--eps", default="1e-6", help="finite-difference step (default: 1e-6)")
    check.add_argument("--atol", default="1e-5", help="absolute tolerance (default: 1e-5)")
    check.add_argument("--rtol", default="1e-3", help="relative tolerance (default: 1e-3)")

    notebooks_cmd.add_parser(sub)
    return parser


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("scalargrad")
    except PackageNotFoundError:  # run from a source tree without installing
        return "(not installed)"


def _add_expression(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("expression", metavar="EXPR", help=EXPR_HELP)
    parser.add_argument("values", nargs="*", metavar="name=value",
                        help="a value for each variable of EXPR, e.g. x=2 w=-3 b=6.88")
    parser.add_argument("--explain", action="store_true",
                        help="also write out each gradient by the chain rule: the sum over the paths "
                             "to the output of the products of local derivatives")


def main(argv=None) -> int:
    command = "scalargrad"
    try:
        args = build_parser().parse_args(argv)
        command = f"scalargrad {args.command}"
        code = _run(args)
        sys.stdout.flush()  # a full disk or a closed pipe shows up here, not after main returns
        return code
    except BrokenPipeError:  # `scalargrad ... | head -1`: the reader has gone, so stop quietly
        _stdout_to_devnull()
        return 1
    except (UsageError, ExpressionError, DomainError) as e:
        print(f"{command}: error: {e}", file=sys.stderr)
        return 2
    except OSError as e:  # a path the checks could not foresee, or stdout itself (-o - > /dev/full)
        if e.filename is None:
            _stdout_to_devnull()
            print(f"{command}: error: cannot write to standard output: {e.strerror or e}", file=sys.stderr)
        else:
            print(f"{command}: error: cannot write {e.filename}: {e.strerror or e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"{command}: interrupted", file=sys.stderr)
        return 130


def _run(args) -> int:
    if args.command == "demo":
        from .demo import run_demo
        return run_demo(args)
    if args.command == "notebooks":
        return notebooks_cmd.notebooks_command(args)
    from . import commands
    return commands.graph_command(args) if args.command == "graph" else commands.gradcheck_command(args)


def _stdout_to_devnull() -> None:
    """Point stdout at /dev/null so that Python's own flush at exit does not fail again
    (the recipe of the Python docs, "Note on SIGPIPE")."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # stdout is not a real file (a test's StringIO)
        pass

if __name__ == "__main__":
    sys.exit(main())
