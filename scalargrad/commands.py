"""``scalargrad graph`` and ``scalargrad gradcheck``: an expression at given values, drawn or checked."""
from __future__ import annotations

import math
import sys
from collections import Counter

from autograd import DomainError, GradcheckError, Value, gradcheck, numerical_grad, topological_order

from . import args as cli_args
from .args import UsageError
from .expr import CONSTANTS, FUNCTIONS, Expression, evaluate, parse

GRAPH_FORMATS = (".svg", ".png", ".pdf", ".dot")


def build(expression: str, pairs: list[str]) -> tuple[Expression, Value, dict]:
    """Parse ``expression``, bind the ``name=value`` pairs and run backward()."""
    expr = parse(expression)
    values = cli_args.assignments(pairs)
    missing = [n for n in expr.variables if n not in values]
    if missing:
        example = " ".join(f"{n}=1.0" for n in missing)
        raise UsageError(f"no value for {', '.join(missing)}: add {example} after the expression "
                         f"(names that need no value: the constants {', '.join(CONSTANTS)} and the "
                         f"functions {', '.join(FUNCTIONS)}, called like tanh(x))")
    unused = [n for n in values if n not in expr.variables]
    if unused:
        raise UsageError(f"{', '.join(unused)} given but not used in {expr.text!r} "
                         f"(it uses: {', '.join(expr.variables) or 'no variables'})")
    root, leaves = evaluate(expr.text, values)
    if not root.label:
        root.label = "f"  # the picture and the chain-rule text then say f, df/dx
    root.backward()
    if not math.isfinite(root.data):
        print(f"note: f = {root.data} at these values (a step overflowed or had no real value), "
              "so its gradients mean nothing here; try other values", file=sys.stderr)
    return expr, root, leaves


def explain(root: Value, leaves: dict) -> str:
    """Each variable's gradient written out by the chain rule (a sum over paths)."""
    import viz

    return "\n".join(viz.explain_grad(leaf, root).text for leaf in leaves.values())


def summary(expr: Expression, root: Value, leaves: dict) -> str:
    """'f = tanh(x*w + b) = 0.7064 at x=2, w=-3, b=6.88' plus one line per gradient."""
    at = ", ".join(f"{n}={leaf.data:g}" for n, leaf in leaves.items())
    lines = [f"f = {expr.text} = {root.data:.6g}" + (f"  at {at}" if at else "")]
    lines += [f"  df/d{n} = {leaf.grad:.6g}" for n, leaf in leaves.items()]
    return "\n".join(lines)


def graph_command(args) -> int:
    """Draw the graph of the expression to a file (or the DOT text to stdout with ``-o -``)."""
    to_stdout = args.output == "-"
    path = None if to_stdout else cli_args.output_file(args.output, GRAPH_FORMATS)
    expr, root, leaves = build(args.expression, args.values)
    import viz
    from viz.render import cannot_render

    fmt = None if to_stdout else path.suffix.lower().lstrip(".")
    if fmt not in (None, "dot") and cannot_render(fmt):  # before any folder is made or file written
        if viz.renderer() is None:
            raise UsageError(
                f"cannot write {path}: no Graphviz renderer found (install scalargrad[render], or a "
                f"system Graphviz `dot`); -o {path.with_suffix('.dot')} writes the DOT text instead")
        raise UsageError(f"cannot write {path}: {cannot_render(fmt)}")
    new_folder = path is not None and not cli_args.is_folder(path.parent)
    if path is not None:
        cli_args.writable_dir(path.parent)  # created if missing, like Graph.save and demo --out
    picture = viz.draw_graph(root, view=args.view, rankdir=args.rankdir)
    if to_stdout:
        sys.stdout.write(picture.source if picture.source.endswith("\n") else picture.source + "\n")
        return 0
    if fmt != "dot":
        _warn_if_slow(root, path)
    try:
        picture.save(path)
    except OSError as e:
        raise UsageError(f"cannot write {path}: {e.strerror or e}") from None
    except RuntimeError as e:  # Graphviz itself failed
        print(f"scalargrad graph: error: {e}", file=sys.stderr)
        return 1
    print(summary(expr, root, leaves))
    if args.explain:
        print(explain(root, leaves))
    print(f"wrote {path}" + (f" (and created the folder {path.parent})" if new_folder else ""))
    return 0


def _warn_if_slow(root: Value, path) -> None:
    """Graphviz lays out hundreds of nodes, or one value used dozens of times, slowly: say so."""
    order = topological_order(root)
    uses = Counter(id(p) for v in order for p in v.parents)
    most = max(uses.values(), default=0)
    if len(order) > 400 or most > 80:
        print(f"note: laying out {len(order)} nodes (one value is used {most} times) may take a minute; "
              f"Ctrl-C stops it, and -o {path.with_suffix('.dot')} writes the DOT text at once",
              file=sys.stderr, flush=True)


def gradcheck_command(args) -> int:
    """Print analytic and numeric gradients side by side; exit 1 if they disagree."""
    eps = cli_args.positive(args.eps, "--eps")
    atol = cli_args.number(args.atol, "--atol")
    rtol = cli_args.number(args.rtol, "--rtol")
    expr, root, leaves = build(args.expression, args.values)
    if not leaves:
        raise UsageError(f"{expr.text!r} has no variables, so there is nothing to differentiate")
    names = list(leaves)

    def f(*vs):
        return expr(**dict(zip(names, vs)))

    try:
        numeric = numerical_grad(f, list(leaves.values()), eps)
    except DomainError as e:
        raise UsageError(f"the numeric gradient evaluates f at each variable ± eps ({eps:g}), "
                         f"which leaves the domain here: {e}") from None
    print(summary(expr, root, leaves).splitlines()[0])
    rows = [("variable", "value", "analytic (backward)", "numeric (central diff.)", "|difference|")]
    rows += [(n, f"{leaf.data:g}", f"{leaf.grad:.10g}", f"{num:.10g}", f"{abs(leaf.grad - num):.2g}")
             for (n, leaf), num in zip(leaves.items(), numeric)]
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for r in rows:
        print("  " + "  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip())
    if args.explain:
        print(explain(root, leaves))
    try:
        gradcheck(f, [Value(leaf.data, label=n) for n, leaf in leaves.items()], eps=eps, atol=atol, rtol=rtol)
    except GradcheckError as e:
        print(f"MISMATCH: {e}")
        return 1
    which = "the gradient agrees" if len(names) == 1 else f"all {len(names)} gradients agree"
    print(f"ok: {which} (|analytic - numeric| <= {atol:g} + {rtol:g}·|numeric|)")
    return 0
