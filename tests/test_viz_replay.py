"""viz.backward_steps and viz.explain_grad: frames in reverse topological order with the
right arithmetic, grads that match backward() and finite differences, GIF/SVG/slider outputs,
and the chain rule written out over every path."""
import re
import xml.etree.ElementTree as ET

import numpy as np
import pytest

import nn
import viz
from autograd import Value, numerical_grad, topological_order
from viz.fmt import fmt
from viz.graph import ACTIVE

needs_renderer = pytest.mark.skipif(viz.renderer() is None, reason="no Graphviz renderer installed")


def f(x1, w1, x2, w2, b):
    """A neuron whose output is used twice: L = o² + 2·o with o = tanh(x1·w1 + x2·w2 + b)."""
    n = x1 * w1 + x2 * w2 + b
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    L = o * o + 2.0 * o
    L.label = "L"
    return L


def leaves():
    return [Value(d, label=name) for name, d in
            [("x1", 2.0), ("w1", -3.0), ("x2", 0.5), ("w2", 1.0), ("b", 6.8813735870195432)]]


def test_brief_example_text():
    x1, w1 = Value(2.0, label="x1"), Value(-1.0, label="w1")
    n = x1 * w1
    n.label = "n"
    L = n * 0.5
    L.label = "L"
    texts = [fr.text for fr in viz.backward_steps(L)]
    assert "w1.grad += x1.data × n.grad = 2.0 × 0.5 = 1.0" in texts[2]
    assert "x1.grad += w1.data × n.grad = -1.0 × 0.5 = -0.5" in texts[2]


def test_frames_in_reverse_topological_order():
    L = f(*leaves())
    replay = viz.backward_steps(L)
    order = topological_order(L)
    assert [fr.node for fr in replay] == [L] + [v for v in reversed(order) if v.parents]
    assert [fr.index for fr in replay] == list(range(len(replay)))
    assert "seed" in replay[0].text and replay[0].grads == {L: 1.0}
    for fr in replay.frames[1:]:
        assert len(fr.lines) == len(fr.node.parents)  # one update per use


def test_numbers_match_backward_and_finite_differences():
    xs = leaves()
    L = f(*xs)
    replay = viz.backward_steps(L)
    final = replay[-1].grads
    for v in xs:
        assert v.grad == 0.0  # the replay never touches the graph's grads
    L.backward()
    for v in topological_order(L):
        assert final[v] == pytest.approx(v.grad, rel=1e-12, abs=1e-15)
    numeric = numerical_grad(f, xs)
    for v, g in zip(xs, numeric):
        assert final[v] == pytest.approx(g, rel=1e-5, abs=1e-8)


def test_each_line_is_local_times_grad():
    L = f(*leaves())
    replay = viz.backward_steps(L)
    for k, fr in enumerate(replay.frames[1:], 1):
        g = replay[k - 1].grads[fr.node]  # the node's grad is complete before its step
        for line, local in zip(fr.lines, fr.node.local_grads):
            m = re.search(r"\.grad = (\S+) × (\S+) = (\S+)", line)
            assert m.groups() == (fmt(local), fmt(g), fmt(local * g)), line


def test_accumulation_is_written_out():
    a = Value(3.0, label="a")
    y = a * a
    y.label = "y"
    lines = viz.backward_steps(y)[1].lines
    assert lines[0] == "a.grad += a.data × y.grad = 3.0 × 1.0 = 3.0"
    assert lines[1] == "a.grad += a.data × y.grad = 3.0 × 1.0 = 3.0   (a.grad is now 6.0)"


def test_formulas_come_from_the_op_table():
    x = Value(0.5, label="x")
    y = x.tanh()
    y.label = "y"
    z = y / 4.0
    z.label = "z"
    r = viz.backward_steps(z)
    assert r[1].lines[0].startswith("y.grad += (1/4.0) × z.grad")
    assert r[2].lines[0].startswith("x.grad += (1 - y.data**2) × y.grad")
    m = nn.Neuron(2, activation="sigmoid", seed=0)
    out = m([1.0, 2.0])
    text = viz.backward_steps(out, model=m)[1].text
    assert "sigmoid'(z)" in text and "w.0.grad" in text


def test_frame_graphs_highlight_the_active_node_and_fill_in():
    L = f(*leaves())
    replay = viz.backward_steps(L)
    pending = []
    for fr in replay:
        src = fr.graph.source
        active = [line for line in src.splitlines() if ACTIVE in line and "->" not in line and "legend" not in line]
        assert len(active) == 1 and f"n{topological_order(L).index(fr.node)} [" in active[0]
        receiving = [line for line in src.splitlines() if "penwidth=2.5" in line and "->" not in line]
        assert len(receiving) == len(set(fr.node.parents)) if fr.index else not receiving
        pending.append(src.count("grad ?"))
    assert pending == sorted(pending, reverse=True) and pending[-1] == 0


@needs_renderer
def test_svgs_and_gif(tmp_path):
    from PIL import Image
    x, w = Value(2.0, label="x"), Value(-1.5, label="w")
    y = (x * w).tanh()
    y.label = "y"
    replay = viz.backward_steps(y)
    paths = replay.save_svgs(tmp_path / "slides")
    assert len(paths) == len(replay) == 3
    for p in paths:
        ET.parse(p)
    gif = replay.save_gif(tmp_path / "steps.gif")
    with Image.open(gif) as im:
        assert im.format == "GIF" and im.n_frames == len(replay)
    assert (tmp_path / "steps.gif").stat().st_size < 500_000


def test_widget_steps_through_frames():
    pytest.importorskip("ipywidgets")
    L = f(*leaves())
    replay = viz.backward_steps(L)
    box = replay.widget()
    controls, label, picture = box.children
    slider = controls.children[1]
    assert "seed" in label.value
    slider.value = 3
    assert replay[3].lines[0].split(" = ")[0] in label.value.replace("&gt;", ">")
    assert picture.value


# --- explain_grad ---------------------------------------------------------------------

def count_paths(node, target):
    """Independent count: paths from target up to node, following parents (one per use)."""
    return 1 if node is target else sum(count_paths(p, target) for p in node.parents)


def test_explain_sums_path_products_to_the_gradient():
    xs = leaves()
    L = f(*xs)
    w1 = xs[1]
    e = viz.explain_grad(w1, L)
    assert e.n_paths == count_paths(L, w1) == 3
    for path in e.paths:
        assert path.nodes[0] is w1 and path.nodes[-1] is L
        assert path.product == pytest.approx(np.prod(path.factors))
        for child, use, factor in zip(path.nodes[1:], path.uses, path.factors):
            assert child.local_grads[use] == factor
    assert sum(p.product for p in e.paths) == pytest.approx(e.grad)
    assert e.grad == pytest.approx(numerical_grad(f, xs)[1], rel=1e-5)
    assert "∂L/∂w1 = sum over 3 paths" in e.text
    assert f"= {fmt(e.grad)}" in e.text.splitlines()[-1]
    assert "(operand 1)" in e.text and "(operand 2)" in e.text  # o * o: two uses, two paths


def test_explain_latex_and_markdown():
    L = f(*leaves())
    o = L.parents[0].parents[0]
    e = viz.explain_grad(o, L)
    tex = e.latex
    assert tex.count("{") == tex.count("}")
    assert r"\frac{\partial \mathrm{L}}{\partial \mathrm{o}}" in tex
    assert tex.count(r"\frac") == 1 + sum(len(p.factors) for p in e.paths)
    assert e._repr_latex_().startswith("$$") and "$$" in e._repr_markdown_()
    named = Value(1.0, label="layers.0_w")
    assert r"\mathrm{layers.0\_w}" in viz.explain_grad(named, named * 2.0).latex


def test_explain_edge_cases():
    L = f(*leaves())
    assert "= 1" in viz.explain_grad(L, L).text
    other = Value(1.0, label="z")
    e = viz.explain_grad(other, L)
    assert e.n_paths == 0 and e.grad == 0.0 and "does not depend" in e.text
    x = Value(0.3, label="x")
    y = x
    for _ in range(6):  # each step doubles the paths: y = y*y
        y = y * y
    e = viz.explain_grad(x, y, max_paths=5)
    assert e.n_paths == count_paths(y, x) == 64 and len(e.paths) == 5
    assert "59 more paths" in e.text
    y.backward()
    assert e.grad == pytest.approx(x.grad)
