"""``draw_graph``: the computation graph as a diagram, forward (data), backward (grads,
local derivatives on edges) or both.

One box per Value; one edge per use of a Value (``a + a`` has two edges into the sum), so
the ``+=`` of the chain rule is visible. In the backward view each edge carries the local
derivative ∂child/∂parent and what that use adds to the parent's grad (∂ × child.grad).
"""
from __future__ import annotations

import html

from autograd import contribution as share  # what one use adds to a parent's grad (batches summed)
from autograd.language import language, resolve, tr

from .derivatives import op_text, operand_roles
from .dot import AUTO_RENDER_LIMIT, LAYOUT_SECONDS, Graph, attrs, choose_layout, html_label, quote, record
from .fmt import fmt
from .scene import Scene

VIEWS = ("forward", "backward", "both")
FILL = {
    "input": "#dbeafe",
    "parameter": "#fde68a",
    "constant": "#f3f4f6",
    "intermediate": "#ffffff",
    "output": "#fecaca",
    "group": "#e9d5ff",
}
LEGEND = {
    "input": "input (leaf)",
    "parameter": "parameter",
    "constant": "constant",
    "intermediate": "intermediate",
    "output": "output",
    "group": "neuron / layer (collapsed)",
}
GRAD_COLOUR = "#b91c1c"
ACTIVE = "#ea580c"
FONT = "Helvetica"


def draw_graph(root, view: str = "both", model=None, collapse="auto", focus=None,
               rankdir: str = "auto", title: str | None = None, legend: bool = True,
               edge_labels="auto", lang: str | None = None) -> Graph:
    """The computation graph below ``root`` as a ``viz.Graph`` (shows itself in Jupyter).

    view: "forward" (each node's name, op and data), "backward" (grads; each edge: local
    derivative ∂child/∂parent and the contribution it adds to the parent's grad), "both".
    model: a module (or dict {name: Value}, or list of Values) whose parameters are named
    and coloured as parameters. collapse: "neuron" or "layer" draws each neuron/layer of
    ``model`` as one box; None never collapses; "auto" (the default) collapses neurons, then
    layers, only when ``model`` has neurons and the full picture cannot fit a notebook cell
    readably (the picture then says so). focus: a Value (or its name): only the paths from
    it to ``root``.
    rankdir: "LR" (left to right), "TB" (top to bottom), ... or "auto": left to right when
    that fits a notebook cell (``viz.dot.DISPLAY_WIDTH`` px) with readable text, else top
    to bottom (a long chain or a wide layer reads better downwards). edge_labels: write
    ∂ and the contribution on each edge (True, False, or "auto": unless only dropping them
    makes the picture fit; the legend then says so, and ``viz.explain_grad`` has the numbers).
    lang: the language of the legend and notes ("en", "ru"; default: ``viz.set_language``'s).
    """
    with language(resolve(lang)):
        return _draw_graph(root, view, model, collapse, focus, rankdir, title, legend, edge_labels)


def _draw_graph(root, view, model, collapse, focus, rankdir, title, legend, edge_labels) -> Graph:
    scene = Scene(root, model)
    if view != "forward":
        _check_backpropagated(root)

    built = {}

    def build(option):
        if option not in built:
            direction, numbers, level = option
            heading = title
            if level is not None and collapse == "auto":
                heading = ((title + "\n") if title else "") + (
                    tr("each neuron drawn as one box to fit the page (collapse=None draws every node)")
                    if level == "neuron" else
                    tr("each layer drawn as one box to fit the page (collapse=None draws every node)"))
            built[option] = Graph(dot_source(scene, view=view, collapse=level, focus=focus, rankdir=direction,
                                             title=heading, legend=legend, edge_labels=numbers),
                                  layout_seconds=LAYOUT_SECONDS)
        return built[option]
    directions = ("LR", "TB") if rankdir == "auto" else (rankdir,)
    numbers = (True, False) if edge_labels == "auto" else (bool(edge_labels),)
    levels = [collapse] if collapse != "auto" else [None] + (["neuron", "layer"] if scene.neurons else [])
    if collapse == "auto":
        while levels:  # more boxes than Graphviz lays out in a few seconds: the next level
            first = build((directions[0], numbers[0], levels[0]))
            if first.num_nodes <= AUTO_RENDER_LIMIT and (first.svg() is not None or not first.timed_out):
                break
            if len(levels) == 1:
                return first  # nothing smaller to draw: shown as text that says so, and what to do
            levels.pop(0)
    return choose_layout(build, [(d, n, level) for level in levels for n in numbers for d in directions])


def _check_backpropagated(root) -> None:
    """The engine's teaching guard: warn when the grads about to be drawn never came from
    ``root.backward()`` (all zero, or left over from another output)."""
    try:
        from autograd.guards import check_backpropagated
    except ImportError:  # an engine without guards
        return
    check_backpropagated(root, tr("the drawing's gradients"))


def dot_source(scene: Scene, view: str = "both", collapse=None, focus=None, rankdir: str = "LR",
               title: str | None = None, legend: bool = True, grads: dict | None = None,
               done: set | None = None, active=None, edge_labels: bool = True) -> str:
    """The DOT text of ``scene``. The step-through passes ``grads`` (the grads known so far;
    a node missing from it shows "grad ?"), ``done`` (nodes whose edges have sent their
    contribution) and ``active`` (the node being processed, highlighted). ``edge_labels``:
    write ∂ and the contribution on each edge."""
    if view not in VIEWS:
        raise ValueError(f"view must be one of {', '.join(VIEWS)}, not {view!r}")
    if rankdir not in ("LR", "RL", "TB", "BT"):
        raise ValueError(f"rankdir must be 'auto', 'LR', 'RL', 'TB' or 'BT', not {rankdir!r}")
    show_data = view in ("forward", "both")
    show_grad = view in ("backward", "both")
    flip = rankdir in ("TB", "BT")  # keep a node's fields stacked whatever the direction

    def grad_of(v):
        if grads is None:
            return v.grad
        return grads.get(v)

    def sent(v):
        return done is None or v in done

    visible = scene.reachable_from(scene.lookup(focus)) if focus is not None else None
    owner, info = scene.groups(collapse) if collapse else ({}, {})

    def drawn(v):  # the DOT id a node is drawn as
        return owner.get(v) or scene.nid(v)

    lines = [
        "digraph G {",
        f"  graph [rankdir={rankdir}, fontname={quote(FONT)}, nodesep=0.25, ranksep=0.45, fontsize=11];",
        f"  node [shape=Mrecord, style=filled, fontname={quote(FONT)}, fontsize=11, penwidth=1];",
        f"  edge [fontname={quote(FONT)}, fontsize=10, color=\"#475569\""
        + (", dir=back" if view == "backward" else "") + "];",
    ]
    roles_used = []

    def use(role):
        if role not in roles_used:
            roles_used.append(role)

    nodes = [v for v in scene.order if visible is None or v in visible]
    emitted = set()
    for v in nodes:
        key = owner.get(v)
        if key is not None:
            if key in emitted:
                continue
            emitted.add(key)
            name, act, outs, count = info[key]
            kind = tr("{count} neurons, {act}", count=count, act=act) if key.startswith("L") else f"{act}(Σ w·x + b)"
            fields = [name, kind]
            if len(outs) == 1:
                out = outs[0]
                if show_data:
                    fields.append(f"data {fmt(out.data)}")
                if show_grad:
                    g = grad_of(out)
                    fields.append(f"grad {'?' if g is None else fmt(g)}")
            use("group")
            lines.append(f"  {key}" + attrs(label=record(fields, flip),
                                             fillcolor=quote(FILL["group"])))
            continue
        role = scene.role(v)
        use(role)
        if role == "constant":
            fields = [tr("const {name}", name=scene.name(v))]
        else:
            fields = [scene.name(v)]
        if v.parents:
            fields.append(op_text(scene, v))
        if show_data:
            fields.append(f"data {fmt(v.data)}")
        if show_grad:
            g = grad_of(v)
            fields.append(f"grad {'?' if g is None else fmt(g)}")
        extra = {}
        if v is active:
            extra = dict(color=quote(ACTIVE), penwidth="3")
        elif active is not None and sent(active) and any(p is v for p in active.parents):
            extra = dict(color=quote(GRAD_COLOUR), penwidth="2.5")  # receiving grad this step
        lines.append(f"  {scene.nid(v)}" + attrs(label=record(fields, flip),
                                                 fillcolor=quote(FILL[role]), **extra))

    merged: dict = {}  # (src, dst) -> [uses, contribution sum] for edges into or out of a box
    for v in nodes:
        roles = operand_roles(v)
        for i, (p, local) in enumerate(zip(v.parents, v.local_grads)):
            if visible is not None and p not in visible:
                continue
            src, dst = drawn(p), drawn(v)
            if src == dst:
                continue
            g = grad_of(v)
            contrib = None if g is None or not sent(v) else share(p, local, g)
            if src != scene.nid(p) or dst != scene.nid(v):
                m = merged.setdefault((src, dst), [0, 0.0])
                m[0] += 1
                m[1] = None if contrib is None or m[1] is None else m[1] + contrib
                continue
            label = []
            if roles[i] and edge_labels:
                label.append((roles[i], None))
            if show_grad and edge_labels:
                label.append((f"∂ = {fmt(local)}", None))
                if contrib is not None:
                    label.append((f"grad += {fmt(contrib)}", GRAD_COLOUR))
            hot = v is active and sent(v)
            lines.append(f"  {src} -> {dst}" + attrs(
                label=html_label(label) if label else None,
                color=quote(ACTIVE) if hot else None,
                penwidth="2.5" if hot else None))
    for (src, dst), (count, total) in merged.items():
        label = []
        if count > 1:
            label.append((tr("{count} uses", count=count), None))
        if show_grad and total is not None and edge_labels:
            label.append((f"grad += {fmt(total)}", GRAD_COLOUR))
        lines.append(f"  {src} -> {dst}" + attrs(label=html_label(label) if label else None,
                                                penwidth="1.5" if count > 1 else None))
    if show_grad and not edge_labels and legend:
        title = (title + "\n" if title else "") + (
            tr("edge numbers left out to fit the page: the step's text has them") if active is not None else
            tr("edge numbers left out to fit the page: viz.explain_grad(w, root) writes them out"))
    if title or legend:
        heading = _heading(title, roles_used if legend else None, show_grad and edge_labels, view, active is not None)
        lines.append(f"  graph [labelloc=t, labeljust=l, label={heading}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _heading(title, roles, show_grad: bool, view: str, replay: bool) -> str:
    """The graph's label, above the drawing (never under an edge): the title, then the key."""
    rows = []
    if title:
        rows += [f'<TR><TD ALIGN="LEFT"><FONT POINT-SIZE="14">{html.escape(line)}</FONT></TD></TR>'
                 for line in str(title).split("\n")]
    if roles is not None:
        rows += _legend(roles, show_grad, view, replay)
    return '<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="2" CELLPADDING="1">' + "".join(rows) + "</TABLE>>"


def _legend(roles, show_grad: bool, view: str, replay: bool) -> list:
    """The key, as table rows: a swatch per kind of node drawn, and what edge labels mean."""
    cells = [f'<TD BGCOLOR="{FILL[r]}" BORDER="1" STYLE="rounded">{html.escape(tr(LEGEND[r]))}</TD>'
             for r in sorted(roles, key=list(FILL).index)]
    if replay:
        cells.append(f'<TD BORDER="3" COLOR="{ACTIVE}" STYLE="rounded">{html.escape(tr("active node"))}</TD>')
        cells.append(f'<TD BORDER="2" COLOR="{GRAD_COLOUR}" STYLE="rounded">{html.escape(tr("gets grad now"))}</TD>')
    swatches = ('<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="4" CELLPADDING="2"><TR>'
                f'<TD BORDER="0"><B>{html.escape(tr("legend"))}</B></TD>' + "".join(cells) + "</TR></TABLE>")
    rows = [f'<TR><TD ALIGN="LEFT">{swatches}</TD></TR>']
    if show_grad:
        if view == "backward":
            rows.append(f'<TR><TD ALIGN="LEFT">{html.escape(tr("arrows point the way grads flow"))}</TD></TR>')
        rows.append(f'<TR><TD ALIGN="LEFT">{html.escape(tr("edge: ∂ = ∂child/∂parent (local derivative)"))}</TD></TR>')
        rows.append(f'<TR><TD ALIGN="LEFT"><FONT COLOR="{GRAD_COLOUR}">'
                    f'{html.escape(tr("grad += ∂ × child.grad (what this use adds to the parent)"))}</FONT></TD></TR>')
    return rows
