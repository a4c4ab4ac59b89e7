"""Local derivatives as formulas, read from the engine's op table (``Op.math``).

``OPS["*"].math`` is "y = a * b;  dy/da = b, dy/db = a": the operand names (a, b), the
output name (y) and one formula per operand. The step-through and ``explain_grad`` write
each update with these formulas, so a new op in ``ops.py`` is explained with no change here.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from autograd import OPS

from .scene import is_neuron

SYMBOLS = {"+": "+", "-": "−", "*": "×", "/": "÷", "**": "**", "neg": "−x", "abs": "|x|"}
COMMUTATIVE = {"+", "*"}


@dataclass(frozen=True)
class Formula:
    """An op's math: ``output`` name, ``operands`` names and ``derivatives`` (one per operand)."""

    output: str
    operands: tuple
    derivatives: tuple


@functools.cache
def formula(op: str) -> Formula | None:
    """The parsed math of ``OPS[op]``, or None for an op not in the table (e.g. "neuron")."""
    entry = OPS.get(op)
    if entry is None:
        return None
    value_part, _, deriv_part = entry.math.partition(";")
    output = value_part.split("=")[0].strip()
    deriv_part = re.split(r"\s{2,}\(", deriv_part.strip())[0]
    operands, exprs = [], []
    for part in re.split(r",\s*(?=d\w+/d\w+\s*=)", deriv_part):
        m = re.match(r"\s*d\w+/d(\w+)\s*=\s*(.*)", part)
        if not m:
            return None
        operands.append(m[1])
        exprs.append(m[2].split(" = ")[-1].strip())
    return Formula(output, tuple(operands), tuple(exprs))


def operand_roles(node) -> list:
    """Edge tags for a node's operands: left/right for a non-commutative op, w_i/b/x_i for a
    fused neuron, '' where the order does not matter."""
    n = len(node.parents)
    if is_neuron(node):
        k = (n - 1) // 2
        return [f"w{i}" for i in range(k)] + ["b"] + [f"x{i}" for i in range(k)]
    f = formula(node.op)
    if f is None or node.op in COMMUTATIVE or n != 2 or len(f.operands) != n:
        return [""] * n
    return ["left", "right"]  # a − b, a / b, x ** y: which side each edge is


def local_formula(scene, node, i: int) -> str:
    """∂node/∂parent_i written with the graph's names, e.g. 'x1.data' or '(1 - n.data**2)'."""
    parent = node.parents[i]
    if is_neuron(node):
        k = (len(node.parents) - 1) // 2
        act = scene.activation(node)
        d = "1" if act == "identity" else f"{act}'(z)"
        if i < k:
            return _join(d, scene.operand(node.parents[k + 1 + i]))
        if i == k:
            return d
        return _join(d, scene.operand(node.parents[i - k - 1]))
    f = formula(node.op)
    if f is None or len(f.operands) != len(node.parents):
        return f"∂{scene.name(node)}/∂{scene.name(parent)}"
    names = {f.output: f"{scene.name(node)}.data"}
    for var, p in zip(f.operands, node.parents):
        names[var] = scene.operand(p)
    expr = re.sub(r"\b[a-zA-Z]\b", lambda m: names.get(m[0], m[0]), f.derivatives[i])
    return expr if re.fullmatch(r"[\w.\-]+", expr) else f"({expr})"


def _join(a: str, b: str) -> str:
    return b if a == "1" else f"{a}·{b}"


def op_text(scene, node) -> str:
    """How a node's op is shown in a diagram: '×', 'tanh', 'Σ w·x + b → relu'."""
    if is_neuron(node):
        return f"Σ w·x + b → {scene.activation(node)}"
    return SYMBOLS.get(node.op, node.op)
