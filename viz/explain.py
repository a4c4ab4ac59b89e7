"""``explain_grad``: one gradient written out by the chain rule, as the sum over every path
from a value to the output of the product of the local derivatives along the path."""
from __future__ import annotations

import html
import re
from dataclasses import dataclass

from autograd import contribution as share  # what one use adds to a parent's grad (batches summed)

from .fmt import fmt
from .scene import Scene, check_value


@dataclass(frozen=True)
class Path:
    """One path ``nodes[0] -> ... -> nodes[-1]`` (the value to the output). ``factors``: the
    local derivative ∂nodes[k+1]/∂nodes[k] of each step (one per edge, i.e. per use);
    ``uses``: which operand of the child each step is; ``product``: their product."""

    nodes: tuple
    uses: tuple
    factors: tuple
    product: float


class Explanation:
    """``.text``, ``.latex``, ``.paths`` (listed ones), ``.n_paths`` (all), ``.grad`` (their sum)."""

    def __init__(self, value, root, model=None, max_paths: int = 12):
        check_value(value, "value")
        self.scene = s = Scene(root, model)
        self.value, self.root = value, root
        children = {v: [] for v in s.order}
        for v in s.order:
            for i, p in enumerate(v.parents):
                children[p].append((v, i))
        count = {}
        for v in reversed(s.order):
            count[v] = 1 if v is root else sum(count[c] for c, _ in children[v])
        self.n_paths = count.get(value, 0)
        self.paths = self._paths(children, max_paths) if self.n_paths else []
        self.grad = s.backprop().get(value, 0.0)  # the same sum, node by node, as backward() does

    def _paths(self, children, limit: int) -> list:
        """The first ``limit`` paths, depth first. A stack entry is one step (node, use, factor)
        and a link to the step before it, so going one edge deeper costs O(1), not a copy of
        the path so far: a path is spelled out only when it reaches the root (O(length))."""
        out = []
        stack = [(self.value, None, None, None)]  # (node, use, factor, previous entry)
        while stack and len(out) < limit:
            entry = stack.pop()
            v = entry[0]
            if v is self.root:
                nodes, uses, factors = [], [], []
                while entry is not None:
                    node, use, factor, entry = entry
                    nodes.append(node)
                    if use is not None:
                        uses.append(use)
                        factors.append(factor)
                nodes.reverse(), uses.reverse(), factors.reverse()
                prod = 1.0
                for f in factors:
                    prod = prod * f
                prod = share(self.value, prod, 1.0)  # a parameter of a batch: summed over samples
                out.append(Path(tuple(nodes), tuple(uses), tuple(factors), prod))
                continue
            for c, i in reversed(children[v]):
                stack.append((c, i, c.local_grads[i], entry))
        return out

    def _value_name(self) -> str:
        """The value's name; one outside the graph has no position, so its label or its data."""
        v = self.value
        if v in self.scene.index or v in self.scene.params:
            return self.scene.name(v)
        return v.label or f"Value({fmt(v.data)})"

    def _step_names(self, path):
        """'∂c/∂p' symbols along a path, marking which use when a child uses p twice."""
        s, out = self.scene, []
        for k, (c, i) in enumerate(zip(path.nodes[1:], path.uses)):
            p = path.nodes[k]
            twice = sum(q is p for q in c.parents) > 1
            out.append((s.name(c), s.name(p), f"operand {i + 1}" if twice else ""))
        return out

    @property
    def text(self) -> str:
        s = self.scene
        vn, rn = self._value_name(), s.name(self.root)
        head = f"∂{rn}/∂{vn}"
        if self.value is self.root:
            return f"{head} = 1 (a value's derivative with respect to itself)"
        if self.n_paths == 0:
            return f"{head} = 0: {rn} does not depend on {vn} (no path from {vn} to {rn})"
        if self.n_paths == 1:
            lines = [f"{head} = the product of the local derivatives along the one path from {vn} to {rn} "
                     "(the chain rule):"]
        else:
            lines = [f"{head} = sum over {self.n_paths} paths from {vn} to {rn} of the product of the "
                     "local derivatives along each path (the chain rule):"]
        for k, path in enumerate(self.paths, 1):
            route = " → ".join(s.name(v) for v in path.nodes)
            steps = self._step_names(path)
            symbols = " · ".join(f"∂{c}/∂{p}" + (f" ({u})" if u else "") for c, p, u in steps)
            numbers = " × ".join(fmt(f) for f in path.factors)
            lines += [f"  path {k}: {route}",
                      f"      {symbols}",
                      f"      = {numbers} = {fmt(path.product)}"]
        if len(self.paths) < self.n_paths:
            lines.append(f"  ... and {self.n_paths - len(self.paths)} more paths (explain_grad(..., max_paths=N) lists more)")
            lines.append(f"{head} = {fmt(self.grad)}")
        else:
            terms = " + ".join(fmt(p.product) for p in self.paths)
            lines.append(f"{head} = {terms} = {fmt(self.grad)}" if len(self.paths) > 1 else f"{head} = {fmt(self.grad)}")
        return "\n".join(lines)

    @property
    def latex(self) -> str:
        s = self.scene
        vn, rn = _tex(self._value_name()), _tex(s.name(self.root))
        head = rf"\frac{{\partial {rn}}}{{\partial {vn}}}"
        if self.value is self.root:
            return head + " = 1"
        if self.n_paths == 0:
            return head + " = 0"
        symbols, numbers = [], []
        for path in self.paths:
            symbols.append(r"\,".join(rf"\frac{{\partial {_tex(c)}}}{{\partial {_tex(p)}}}"
                                      for c, p, _ in self._step_names(path)))
            numbers.append(r" \cdot ".join(f"({_num(f)})" for f in path.factors))
        more = r" + \dots" if len(self.paths) < self.n_paths else ""
        rows = [head + " &= " + " + ".join(symbols) + more,
                "&= " + " + ".join(numbers) + more,
                "&= " + _num(self.grad)]
        return r"\begin{aligned}" + r" \\ ".join(rows) + r"\end{aligned}"

    def _repr_latex_(self):
        return f"$${self.latex}$$"

    def _repr_markdown_(self):
        return (f"$${self.latex}$$\n\n<details><summary>as text</summary>\n\n<pre>"
                f"{html.escape(self.text)}</pre>\n</details>\n")

    def __str__(self):
        return self.text

    def __repr__(self):
        return f"<viz.Explanation: {self.n_paths} paths, grad {fmt(self.grad)}>"


def _tex(name: str) -> str:
    """A node name as upright LaTeX text (``_ { } # % & $`` escaped)."""
    name = re.sub(r"([_{}#%&$])", r"\\\1", name)
    return rf"\mathrm{{{name}}}"


def _num(x) -> str:
    s = fmt(x)
    if "e" in s and not s.endswith(("inf", "nan")):
        m, e = s.split("e")
        return rf"{m}\times 10^{{{e}}}"
    return s.replace("batch", r"\text{batch}")


def explain_grad(value, root, model=None, max_paths: int = 12) -> Explanation:
    """∂root/∂value by the chain rule: every path from ``value`` to ``root`` as a product of
    local derivatives, and their sum. ``.text`` (plain), ``.latex``; shows itself in Jupyter."""
    return Explanation(value, root, model=model, max_paths=max_paths)
