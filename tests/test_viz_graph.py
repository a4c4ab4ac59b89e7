"""viz.draw_graph: DOT content (nodes, one edge per use, labels, escaping), determinism,
views, roles, collapse and focus, batches, rendering and the no-renderer fallback."""
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest

import nn
import viz
from autograd import Value, topological_order
from viz.fmt import fmt
from viz.graph import FILL

needs_renderer = pytest.mark.skipif(viz.renderer() is None, reason="no Graphviz renderer installed")
NODE = re.compile(r"^\s*(n\d+|g\d+|L\d+) \[", re.M)
EDGE = re.compile(r"^\s*(\w+) -> (\w+)", re.M)


def node_ids(source):
    return NODE.findall(source)


def has_node(source, name):
    """A node whose first record field is ``name``."""
    return re.search(r'label="(\{ )?' + re.escape(name) + r" \|", source) is not None


def edges(source):
    return [e for e in EDGE.findall(source) if not e[0].startswith("legend")]


def neuron_expr():
    """micrograd's example neuron: o = tanh(x1·w1 + x2·w2 + b), then a loss that uses o twice."""
    x1, w1 = Value(2.0, label="x1"), Value(-3.0, label="w1")
    x2, w2 = Value(0.0, label="x2"), Value(1.0, label="w2")
    b = Value(6.8813735870195432, label="b")
    n = x1 * w1 + x2 * w2 + b
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    L = o * o + 2.0 * o
    L.label = "L"
    L.backward()
    return L, dict(x1=x1, w1=w1, x2=x2, w2=w2, b=b, n=n, o=o)


def test_fmt_four_significant_digits_and_batches():
    assert fmt(2.0) == "2.0"
    assert fmt(0.70710678) == "0.7071"
    assert fmt(-3) == "-3.0"
    assert fmt(12345.6) == "1.235e4"
    assert fmt(1.5e-7) == "1.5e-7"
    assert fmt(float("nan")) == "nan" and fmt(float("inf")) == "inf"
    assert fmt(np.float64(0.5)) == "0.5"
    arr = np.array([0.1, 0.2, 0.3, 0.4])
    assert fmt(arr) == f"batch[4] mean {fmt(arr.mean())}"


def test_one_node_per_value_and_one_edge_per_use():
    L, _ = neuron_expr()
    order = topological_order(L)
    src = viz.draw_graph(L).source
    assert len(node_ids(src)) == len(order)
    assert len(edges(src)) == sum(len(v.parents) for v in order)


def test_a_plus_a_has_two_edges():
    a = Value(3.0, label="a")
    y = a + a
    y.backward()
    src = viz.draw_graph(y).source
    assert edges(src) == [("n0", "n1"), ("n0", "n1")]
    # the backward view shows each use adding 1 × y.grad to a.grad, and a.grad = 2
    assert src.count("grad += 1.0") == 2
    assert "grad 2.0" in src


def test_labels_ops_data_and_grads_present_per_view():
    L, v = neuron_expr()
    fwd = viz.draw_graph(L, view="forward").source
    bwd = viz.draw_graph(L, view="backward").source
    both = viz.draw_graph(L).source
    for name in ("x1", "w1", "b", "n", "o", "L", "tanh", "×", "+"):
        assert name in fwd and name in both
    assert f"data {fmt(v['o'].data)}" in fwd
    assert "grad " not in fwd.split("legend")[0]
    assert f"grad {fmt(v['w1'].grad)}" in bwd
    assert f"data {fmt(v['o'].data)}" not in bwd
    assert "dir=back" in bwd  # arrows point the way grads flow
    assert f"data {fmt(v['o'].data)}" in both and f"grad {fmt(v['w1'].grad)}" in both


def test_backward_edges_carry_local_derivative_and_contribution():
    L, _ = neuron_expr()
    src = viz.draw_graph(L, view="backward").source
    labels = re.findall(r"^\s*n\d+ -> n\d+ \[label=<(.*)>\]", src, re.M)
    expected = []
    for node in topological_order(L):
        for p, local in zip(node.parents, node.local_grads):
            expected.append((fmt(local), fmt(local * node.grad)))
    assert len(labels) == len(expected)
    found = sorted((re.search(r"∂ = ([^<]+)", s)[1], re.search(r"grad \+= ([^<]+)", s)[1]) for s in labels)
    assert found == sorted(expected)


def test_dot_is_identical_across_runs_and_hash_seeds():
    script = (
        "import sys; sys.path.insert(0, {root!r})\n"
        "import nn, viz\n"
        "m = nn.MLP(2, [3, 1], activation='tanh', seed=0, fused=False)\n"
        "L = (m([0.5, -1.0]) - 1.0) ** 2\nL.backward()\n"
        "print(viz.draw_graph(L, model=m).source)\n"
    ).format(root=str(Path(__file__).resolve().parents[1]))
    outs = set()
    for seed in ("0", "1"):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True)
        outs.add(done.stdout)
    assert len(outs) == 1
    L, _ = neuron_expr()
    L2, _ = neuron_expr()
    assert viz.draw_graph(L).source == viz.draw_graph(L2).source


def test_record_labels_are_escaped():
    nasty = 'a{b}|c<d>"e"\\f'
    x = Value(1.5, label=nasty)
    y = x * 2.0
    y.backward()
    src = viz.draw_graph(y).source
    assert r'a\{b\}\|c\<d\>\"e\"\\f' in src
    assert nasty not in src


@needs_renderer
def test_escaped_label_renders_verbatim():
    x = Value(1.5, label='a{b}|c<d>"e"')
    svg = viz.draw_graph(x * 2.0, view="forward").render("svg").decode()
    texts = [t.text for t in ET.fromstring(svg).iter("{http://www.w3.org/2000/svg}text")]
    assert 'a{b}|c<d>"e"' in texts


def test_roles_are_coloured_and_explained_in_the_legend():
    L, v = neuron_expr()
    src = viz.draw_graph(L, model=[v["w1"], v["w2"], v["b"]]).source
    line = {name: re.search(rf'^\s*n\d+ \[label="[{{ ]*{name} \|.*$', src, re.M)[0] for name in ("x1", "w1", "b", "o", "L")}
    assert FILL["input"] in line["x1"]
    assert FILL["parameter"] in line["w1"] and FILL["parameter"] in line["b"]
    assert FILL["intermediate"] in line["o"]
    assert FILL["output"] in line["L"]
    assert FILL["constant"] in src  # the 2.0 in 2.0 * o
    legend = src[src.index("<B>legend</B>"):]
    for text in ("input (leaf)", "parameter", "constant", "intermediate", "output", "local derivative"):
        assert text in legend
    # without a model the weights are plain inputs
    assert FILL["parameter"] not in viz.draw_graph(L).source.split("<B>legend</B>")[0]


def test_parameters_named_from_the_model():
    m = nn.MLP(2, [2, 1], seed=0)
    for p in m.parameters():
        p.label = ""  # names must come from named_parameters(), not labels
    out = m([1.0, 2.0])
    src = viz.draw_graph(out, model=m, view="forward").source
    for name, _ in m.named_parameters():
        assert has_node(src, name)


def test_fused_neuron_drawn_readably():
    m = nn.MLP(3, [2, 1], activation="relu", seed=1)
    out = m([1.0, -2.0, 0.5])
    src = viz.draw_graph(out, model=m, view="forward").source
    assert src.count("Σ w·x + b → relu") == 2
    assert "Σ w·x + b → identity" in src
    tanh = nn.Neuron(2, activation="tanh", seed=3)
    one = viz.draw_graph(tanh([0.3, -0.7]), view="forward").source
    assert "Σ w·x + b → tanh" in one  # inferred without the model
    neuron_edges = edges(one)
    assert len(neuron_edges) == 5  # w0 w1 b x0 x1


@pytest.mark.parametrize("fused", [True, False])
def test_collapse_neuron_and_layer(fused):
    m = nn.MLP(2, [3, 2, 1], activation="tanh", seed=0, fused=fused)
    L = (m([0.5, -1.0]) - 1.0) ** 2
    L.backward()
    neurons = viz.draw_graph(L, model=m, collapse="neuron").source
    boxes = re.findall(r'^\s*g\d+ \[label="(?:\{ )?([\w.]+) \|', neurons, re.M)
    assert boxes == sorted(boxes, key=lambda s: [int(t) if t.isdigit() else t for t in s.split(".")]) or len(boxes) == 6
    assert sorted(boxes) == sorted(f"layers.{i}.neurons.{j}" for i, n in enumerate([3, 2, 1]) for j in range(n))
    for name, _ in m.named_parameters():
        assert not has_node(neurons, name)  # parameters are inside their neuron's box
    out_box = re.search(r"layers\.2\.neurons\.0 \| identity\(Σ w·x \+ b\) \| data ([^ |]+)", neurons)
    assert out_box[1] == fmt(m.layers[2].neurons[0](list(x.data for x in [*m.layers[1](m.layers[0]([0.5, -1.0]))])).data)
    layers = viz.draw_graph(L, model=m, collapse="layer").source
    assert len(re.findall(r"^\s*L\d+ \[", layers, re.M)) == 3
    for i in range(3):
        assert f"layers.{i} |" in layers
    assert edges(layers).count(("L0", "L1")) == 1 and "6 uses" in layers


def test_collapse_needs_a_model_and_a_known_level():
    L, _ = neuron_expr()
    with pytest.raises(ValueError, match="model"):
        viz.draw_graph(L, collapse="neuron")
    m = nn.MLP(2, [1], seed=0)
    with pytest.raises(ValueError, match="collapse"):
        viz.draw_graph(m([1.0, 2.0]), model=m, collapse="everything", view="forward")


def test_focus_keeps_only_paths_to_the_output():
    L, v = neuron_expr()
    src = viz.draw_graph(L, focus=v["w1"]).source
    order = topological_order(L)
    reach = {v["w1"]}
    for node in order:
        if any(p in reach for p in node.parents):
            reach.add(node)
    assert len(node_ids(src)) == len(reach)
    for name in ("x1", "x2", "w2", "b"):
        assert not has_node(src, name)
    assert len(edges(src)) == sum(1 for node in reach for p in node.parents if p in reach)
    assert viz.draw_graph(L, focus="w1").source == src  # by name too
    with pytest.raises(ValueError, match="not in the graph"):
        viz.draw_graph(L, focus=Value(1.0))
    with pytest.raises(ValueError, match="no node named"):
        viz.draw_graph(L, focus="nope")


def test_batched_graph_is_summarised():
    x = Value.batch(np.linspace(-1, 1, 32), label="x")
    w = Value(0.5, label="w")
    loss = (x * w).tanh().mean()
    loss.backward()
    src = viz.draw_graph(loss).source
    assert "batch[32] mean" in src
    assert f"grad {fmt(w.grad)}" in src  # a parameter's grad is one number (summed over the batch)


def test_bad_arguments_are_explained():
    L, _ = neuron_expr()
    with pytest.raises(ValueError, match="view"):
        viz.draw_graph(L, view="sideways")
    with pytest.raises(ValueError, match="rankdir"):
        viz.draw_graph(L, rankdir="XY")
    with pytest.raises(TypeError, match="Value"):
        viz.draw_graph(3.0)


@needs_renderer
def test_svg_has_one_group_per_node_and_edge(tmp_path):
    L, _ = neuron_expr()
    g = viz.draw_graph(L)
    root = ET.fromstring(g.render("svg"))
    groups = [el.get("class") for el in root.iter("{http://www.w3.org/2000/svg}g")]
    order = topological_order(L)
    assert groups.count("node") == len(order)  # the legend is the graph's label, not a node
    assert groups.count("edge") == sum(len(v.parents) for v in order)
    assert g.svg().lstrip().startswith("<?xml") and '<img src="data:image/png;base64,' in g.html()
    png = Path(g.save(tmp_path / "g.png"))
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    svg = Path(g.save(tmp_path / "sub" / "g.svg"))
    ET.parse(svg)


def test_save_dot_and_bad_suffix(tmp_path, monkeypatch):
    monkeypatch.setenv("SCALARGRAD_GRAPHVIZ", "none")
    L, _ = neuron_expr()
    g = viz.draw_graph(L)
    assert Path(g.save(tmp_path / "g.dot")).read_text() == g.source
    with pytest.raises(ValueError, match=r"\.svg"):
        g.save(tmp_path / "g.jpeg")
    with pytest.raises(viz.RendererNotFound, match="graphviz-pure"):
        g.save(tmp_path / "g.svg")


def test_no_renderer_fallback_in_a_notebook(monkeypatch):
    monkeypatch.setenv("SCALARGRAD_GRAPHVIZ", "none")
    assert viz.renderer() is None
    L, _ = neuron_expr()
    g = viz.draw_graph(L)
    assert g.png() is None
    html = g.html()
    assert "digraph" in html and "<pre>" in html and "SCALARGRAD_GRAPHVIZ" in html
    from IPython.core.formatters import DisplayFormatter
    data, _ = DisplayFormatter().format(g)  # what Jupyter does with a cell's result
    assert set(data) == {"text/plain"} and "digraph" in data["text/plain"]
    assert "SCALARGRAD_GRAPHVIZ" in data["text/plain"]


def test_renderer_lookup_order(tmp_path, monkeypatch):
    fake = tmp_path / "bin" / "graphviz-pure"
    fake.parent.mkdir()
    fake.write_text("#!/bin/sh\nexit 0\n")
    fake.chmod(0o755)
    monkeypatch.delenv("SCALARGRAD_GRAPHVIZ", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    monkeypatch.setattr(sys, "executable", str(fake.parent / "python"))
    assert viz.renderer() == str(fake)  # found beside the interpreter, PATH empty
    monkeypatch.setattr(sys, "executable", str(tmp_path / "python"))
    assert viz.renderer() is None
    monkeypatch.setenv("SCALARGRAD_GRAPHVIZ", str(fake))
    assert viz.renderer() == str(fake.resolve())
    monkeypatch.setenv("SCALARGRAD_GRAPHVIZ", str(tmp_path / "missing"))
    assert viz.renderer() is None
    assert "not an executable" in viz.draw_graph(Value(1.0)).html()


def test_big_or_broken_graphs_show_source_with_the_reason():
    x = Value(1.0, label="x")
    for _ in range(800):
        x = x + 1.0
    g = viz.draw_graph(x, view="forward")
    assert g.num_nodes == len(topological_order(x)) == 1601
    html = g.html()
    assert "too many to draw" in html and "collapse=" in html and "digraph" in html
    assert g._svg is None  # nothing was rendered
    if viz.renderer() is not None:
        broken = viz.Graph("digraph { a -> }")
        assert broken.png() is None
        assert "failed to render" in broken.html() and "<pre>" in broken.html()


def test_a_big_graph_in_a_notebook_shows_a_preview_of_its_source_not_all_of_it():
    x = Value(1.0, label="x")
    for _ in range(5000):
        x = x + 1.0
    g = viz.draw_graph(x, view="forward")
    assert len(g.source) > 500_000
    from IPython.core.formatters import DisplayFormatter
    data, _ = DisplayFormatter().format(g)
    stored = sum(len(v) for v in data.values())
    assert stored < 10_000, stored  # was the whole source: megabytes for 10**5 nodes
    assert "more lines" in data["text/plain"] and "graph.source" in data["text/plain"]
    assert len(g.html()) < 10_000


@needs_renderer
def test_a_graph_is_stored_once_as_a_png_that_untrusted_notebooks_show():
    L, _ = neuron_expr()
    g = viz.draw_graph(L)
    from IPython.core.formatters import DisplayFormatter
    data, meta = DisplayFormatter().format(g)
    assert set(data) == {"image/png", "text/plain"}  # no SVG or HTML copy beside it
    assert meta["image/png"]["width"] <= viz.dot.DISPLAY_WIDTH
    import base64
    info = viz.dot.png_text(base64.b64decode(data["image/png"]))
    assert float(info["scalargrad:min_font_pt"]) == g.min_font_pt


@needs_renderer
def test_wide_graphs_are_laid_out_to_fit_a_notebook_cell_with_readable_text():
    m = nn.MLP(2, [3, 1], activation="tanh", seed=0)
    loss = (m([0.5, -1.0]) - 1.0) ** 2
    loss.backward()
    g = viz.draw_graph(loss, model=m)
    assert g.fits() and g.text_px() >= viz.dot.MIN_TEXT_PX
    wide = viz.draw_graph(loss, model=m, rankdir="LR", edge_labels=True, collapse=None)  # every node
    if wide.fits():  # the most informative layout fits the cell (it depends on the renderer): taken
        assert g.source == wide.source
    else:  # shrunk to the cell its text would be too small: another layout was taken
        assert g.source != wide.source
    x = Value(1.0, label="x")
    for _ in range(12):
        x = (x * 1.5).tanh()
    chain = viz.draw_graph(x, view="forward")
    assert "rankdir=TB" in chain.source and chain.fits()


def test_drawing_grads_that_backward_never_filled_warns():
    guards = pytest.importorskip("autograd.guards")
    x = Value(2.0, label="x")
    y = (x * x).tanh()
    with pytest.warns(guards.TeachingWarning, match="backward"):
        viz.draw_graph(y, view="backward")
    y.backward()
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        viz.draw_graph(y)
        viz.draw_graph(Value(1.0) * 2.0, view="forward")  # no grads drawn: nothing to warn about
