"""``draw_network``: a Neuron, Layer or MLP as neurons and synapses.

Each synapse is one weight: blue for w > 0, red for w < 0, line width ∝ |w|. The bias is
written in its neuron, or drawn as an always-1 input (``bias="node"``), as the course
introduces it.
"""
from __future__ import annotations

import html

from autograd.language import language, resolve, tr

from .dot import Graph, attrs, choose_layout, html_label, quote
from .fmt import fmt
from .graph import FILL, FONT

POSITIVE, NEGATIVE = "#2563eb", "#dc2626"


def _layers(model) -> list:
    """The layers (each a list of neurons) of a Neuron, Layer or MLP, by their public fields."""
    if hasattr(model, "layers"):
        layers = []
        for i, layer in enumerate(model.layers):
            if hasattr(layer, "neurons"):
                layers.append(list(layer.neurons))
            elif list(getattr(layer, "parameters", lambda: [])()):
                raise TypeError(
                    f"draw_network draws dense layers; layers[{i}] is a {type(layer).__name__}. "
                    "Draw its computation instead: viz.draw_graph(output, model=model, collapse='layer')"
                )
        if layers:
            return layers
    if hasattr(model, "neurons"):
        return [list(model.neurons)]
    if isinstance(getattr(model, "w", None), (list, tuple)) and hasattr(model, "b"):
        return [[model]]
    raise TypeError(
        f"draw_network draws a Neuron, Layer or MLP (something with .layers, .neurons or .w and .b), "
        f"got {type(model).__name__}"
    )


def draw_network(model, show: str = "weights", bias: str = "label", weights="auto",
                 rankdir: str = "LR", title: str | None = None, legend: bool = True,
                 lang: str | None = None) -> Graph:
    """The architecture of ``model``: input nodes x0, x1, ... (top to bottom), a column per
    layer, one straight edge per weight.

    show: "weights" (edge colour = sign of w, width ∝ |w|), "grads" (the same for w.grad) or
    "deltas" (edges as for "grads", and each neuron's δ = ∂L/∂s written in it: the
    gradient at its sum s = w·x + b, which equals b.grad since ∂s/∂b = 1).
    bias: "label" (b written inside each neuron) or "node" (an always-1 input per layer whose
    edges are the biases). weights: write each value on its edge (True, False, or "auto":
    for a single neuron, whose edges never cross, when the picture still fits a notebook
    cell; elsewhere colour and width carry the weights, and hovering an SVG edge names it).
    The legend and title sit above the drawing, never under an edge. lang: the language of
    the headings and legend ("en", "ru"; default: ``viz.set_language``'s).
    """
    with language(resolve(lang)):
        return _draw_network(model, show, bias, weights, rankdir, title, legend)


def _draw_network(model, show, bias, weights, rankdir, title, legend) -> Graph:
    if show not in ("weights", "grads", "deltas"):
        raise ValueError(f"show must be 'weights', 'grads' or 'deltas', not {show!r}")
    if bias not in ("label", "node"):
        raise ValueError(f"bias must be 'label' or 'node', not {bias!r}")
    layers = _layers(model)
    n_edges = sum(len(nr.w) + (bias == "node") for layer in layers for nr in layer)
    if weights == "auto":  # numbers only where no two edges cross: into one neuron
        options = (True, False) if sum(map(len, layers)) == 1 and n_edges <= 16 else (False,)
    else:
        options = (bool(weights),)
    return choose_layout(lambda labelled: _network_source(model, layers, show, bias, labelled, rankdir,
                                                          title, legend), options)


def _network_source(model, layers, show, bias, label_edges, rankdir, title, legend) -> str:
    """DOT text with every node pinned (Graphviz's neato keeps ``pos=...!``): column c, row r,
    so inputs and neurons stay in their order (x0 first) whatever the weights."""
    if rankdir not in ("LR", "RL", "TB", "BT"):
        raise ValueError(f"rankdir must be 'LR', 'RL', 'TB' or 'BT', not {rankdir!r}")
    names = {p: n for n, p in model.named_parameters()} if hasattr(model, "named_parameters") else {}
    amount = (lambda p: p.data) if show == "weights" else (lambda p: p.grad)
    nin = len(layers[0][0].w)
    all_params = [p for layer in layers for nr in layer for p in [*nr.w, nr.b]]
    largest = max((abs(float(amount(p))) for p in all_params), default=0.0) or 1.0
    dense = not label_edges
    across = rankdir in ("LR", "RL")
    step_col = (2.0 if dense else 2.4) if across else 1.6  # inches between columns (layers)
    step_row = 1.0 if across else 1.2  # inches between neurons of one layer

    def pos(col, row, rows):
        """Column ``col``, row ``row`` of ``rows`` (centred), as a pinned DOT position."""
        c, r = col * step_col, (row - (rows - 1) / 2) * step_row
        x, y = {"LR": (c, -r), "RL": (-c, -r), "TB": (r, -c), "BT": (r, c)}[rankdir]
        return quote(f"{x:.3f},{y:.3f}!")

    lines = [
        "digraph G {",
        f"  graph [layout=neato, fontname={quote(FONT)}, fontsize=12, outputorder=edgesfirst, splines=false, forcelabels=true];",
        f"  node [fontname={quote(FONT)}, fontsize=10, style=filled, penwidth=1.2, shape=circle, "
        "fixedsize=true, width=0.9];",
        f"  edge [fontname={quote(FONT)}, fontsize=10, arrowsize=0.5, arrowhead=none];",
    ]

    def edge(src, dst, p):
        a = float(amount(p))
        colour = POSITIVE if a >= 0 else NEGATIVE
        width = 0.4 + (2.6 if dense else 3.6) * abs(a) / largest
        tip = f"{names.get(p, p.label or '?')} = {fmt(a)}"
        lab = html_label([(fmt(a, 3), colour)]) if label_edges else None
        # dense: translucent, so where many cross the strong ones still stand out
        return f"  {src} -> {dst}" + attrs(color=quote(colour + ("b0" if dense else "")), penwidth=f"{width:.2f}",
                                           taillabel=lab, labelangle="16" if lab else None, labeldistance="4.5" if lab else None,
                                           tooltip=quote(tip))  # the number just above its line, near the input

    # columns: (heading, [(id, attributes)])
    columns = [[tr("inputs"), [(f"x{i}", dict(label=quote(f"x{i}"), width="0.45", fontsize="11",
                                         fillcolor=quote(FILL["input"]))) for i in range(nin)]]]
    edges = []
    prev = [f"x{i}" for i in range(nin)]
    for li, layer in enumerate(layers):
        last = li == len(layers) - 1
        act = getattr(layer[0], "activation", None) or "identity"
        kind = tr("output layer") if last else tr("hidden layer {n}", n=li + 1)
        if len(layers) == 1 and len(layer) == 1:
            kind = tr("neuron")
        nodes, ids = [], []
        for j, nr in enumerate(layer):
            nid = f"l{li}n{j}"
            ids.append(nid)
            b = float(amount(nr.b))
            text = [(getattr(nr, "activation", None) or "Σ", None)]
            if show == "deltas":
                text.append((f"δ={fmt(b, 3)}", NEGATIVE if b < 0 else POSITIVE if b > 0 else None))
            elif bias == "label":
                text.append((f"b={fmt(b, 3)}", NEGATIVE if b < 0 else POSITIVE if b > 0 else None))
            nodes.append((nid, dict(label=html_label(text),
                                    fillcolor=quote(FILL["output" if last else "intermediate"]),
                                    tooltip=quote(names.get(nr.b, "b").rsplit(".b", 1)[0]))))
        if bias == "node":  # the bias as an always-1 input, below the column before the layer
            columns[-1][1].append((f"bias{li}", dict(label=quote("+1"), width="0.4",
                                                     fillcolor=quote(FILL["constant"]))))
            edges += [edge(f"bias{li}", nid, nr.b) for nid, nr in zip(ids, layer)]
        for nid, nr in zip(ids, layer):
            if len(nr.w) != len(prev):
                raise ValueError(f"layer {li} neurons take {len(nr.w)} inputs but the previous layer gives {len(prev)}")
            edges += [edge(src, nid, w) for src, w in zip(prev, nr.w)]
        columns.append([f"{kind}\n{act}", nodes])
        prev = ids
    tallest = max(len(nodes) for _, nodes in columns)
    for ci, (heading, nodes) in enumerate(columns):
        for r, (nid, a) in enumerate(nodes):
            lines.append(f"  {nid}" + attrs(pos=pos(ci, r, len(nodes)), **a))
        # the layer's name above (left of, top to bottom) its tallest possible column
        lines.append(f"  head{ci}" + attrs(label=quote(heading), shape="plaintext", style=quote(""),
                                           fixedsize="false", fontsize="12", pos=pos(ci, -1.0, tallest)))
    lines += edges
    out_col = len(columns)
    for j, nid in enumerate(prev):
        lines.append(f"  y{j}" + attrs(label=quote(f"ŷ{j}" if len(prev) > 1 else "ŷ"), shape="plaintext",
                                       style=quote(""), fontsize="12", width="0.4",
                                       pos=pos(out_col - 0.5, j, len(prev))))
        lines.append(f"  {nid} -> y{j} [arrowhead=normal]")
    heading = []
    if title:
        heading.append(f'<TR><TD ALIGN="LEFT"><FONT POINT-SIZE="14">{html.escape(title)}</FONT></TD></TR>')
    if legend:
        what = "w" if show == "weights" else "w.grad"
        if show == "deltas":
            heading.append('<TR><TD ALIGN="LEFT">' + html.escape(tr(
                "δ in a neuron: ∂L/∂s at its sum s = w·x + b (= b.grad); an edge: w.grad = x · δ of the "
                "neuron it enters")) + '</TD></TR>')
        heading.append(f'<TR><TD ALIGN="LEFT"><B>{html.escape(tr("legend"))}</B>  '
                       f'<FONT COLOR="{POSITIVE}">{html.escape(tr("blue: {what} > 0", what=what))}</FONT>   '
                       f'<FONT COLOR="{NEGATIVE}">{html.escape(tr("red: {what} < 0", what=what))}</FONT>   '
                       + html.escape(tr("line width grows with |{what}| (largest {largest})",
                                        what=what, largest=fmt(largest, 3))) + '</TD></TR>')
    if heading:
        lines.append('  graph [labelloc=t, labeljust=l, label=<<TABLE BORDER="0" CELLSPACING="2" CELLPADDING="1">'
                     + "".join(heading) + "</TABLE>>];")
    lines.append("}")
    return "\n".join(lines) + "\n"
