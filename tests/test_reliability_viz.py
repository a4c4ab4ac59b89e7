"""Reliability of viz: explain_grad on long chains and foreign values, labels Graphviz
cannot take, renderers without pdf or behind a symlink, and plots of extreme or bad data."""
import math
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import nn
import viz
from autograd import Value

ROOT = Path(__file__).resolve().parents[1]


# --- explain_grad ------------------------------------------------------------------------------

def test_explain_grad_on_a_100k_step_chain():
    """Each step deeper used to copy the path so far (O(n²): minutes for 10⁵ steps); now the
    whole path is spelled out once, so this runs in about a second."""
    n = 100_000
    x = Value(0.5, label="x")
    y = x
    for _ in range(n):
        y = y * 1.0001 + 0.0
    y.label = "y"
    e = viz.explain_grad(x, y)
    assert e.n_paths == 1
    (path,) = e.paths
    assert len(path.nodes) == 2 * n + 1 and path.nodes[0] is x and path.nodes[-1] is y
    assert len(path.factors) == len(path.uses) == 2 * n
    assert math.isclose(path.product, 1.0001 ** n, rel_tol=1e-9)
    assert math.isclose(e.grad, path.product, rel_tol=1e-9)
    assert e.text.splitlines()[0].startswith("∂y/∂x = the product of the local derivatives")


def test_explain_grad_paths_match_a_brute_force_enumeration():
    """The linked-step walk lists the same paths, in the same order, as copying tuples did."""
    a, b = Value(1.5, label="a"), Value(-2.0, label="b")
    c = a * b
    d = c + a
    e = (d * c).tanh() + a * a
    e.label = "e"
    got = viz.explain_grad(a, e, max_paths=100)

    def paths(v):
        if v is e:
            return [((v,), (), ())]
        out = []
        for child in _children(e)[v]:  # depth first, first use first
            node, i = child
            out += [((v,) + n, (i,) + u, (node.local_grads[i],) + f) for n, u, f in paths(node)]
        return out

    want = paths(a)
    have = [(p.nodes, p.uses, p.factors) for p in got.paths]
    assert have == want and got.n_paths == len(want) == 5
    assert math.isclose(sum(p.product for p in got.paths), got.grad, rel_tol=1e-12)


def _children(root):
    from autograd import topological_order
    out = {v: [] for v in topological_order(root)}
    for v in out:
        for i, p in enumerate(v.parents):
            out[p].append((v, i))
    return out


@pytest.mark.parametrize("label", ["", "outside"])
def test_a_value_outside_the_graph_does_not_depend(label):
    x = Value(2.0, label="x")
    o = x * 2.0
    o.label = "o"
    other = Value(1.0, label=label)
    e = viz.explain_grad(other, o)
    assert e.n_paths == 0 and e.grad == 0.0
    name = label or "Value(1.0)"
    assert e.text == f"∂o/∂{name} = 0: o does not depend on {name} (no path from {name} to o)"
    assert e.latex.endswith(" = 0")


# --- labels Graphviz cannot take ---------------------------------------------------------------

RENDERERS = [r for r in (shutil.which("dot"), viz.renderer(),
                         str(Path(sys.executable).parent / "graphviz-pure")) if r and os.access(r, os.X_OK)]


@pytest.mark.parametrize("label", ["a\x00b", "a\udcffb", "\x00"])
def test_a_nul_or_surrogate_in_a_label_is_drawn_visibly(label, monkeypatch):
    x = Value(2.0, label=label)
    o = (x * 3.0).tanh()
    o.backward()
    for view in ("forward", "backward", "both"):
        g = viz.draw_graph(o, view=view, model={label: x})
        assert "\x00" not in g.source
        g.source.encode("utf-8")  # no lone surrogates left
        assert "\\\\0" in g.source or "\ufffd" in g.source
    net = nn.MLP(1, [1], seed=0)
    assert "\x00" not in viz.draw_network(net).source
    for exe in sorted(set(RENDERERS)):
        monkeypatch.setenv("SCALARGRAD_GRAPHVIZ", exe)
        svg = viz.draw_graph(o).render("svg").decode()
        assert "<svg" in svg
        assert ("a\\0b" in svg or "\\0" in svg) if "\x00" in label else "\ufffd" in svg


# --- renderers: pdf from graphviz-pure, a `dot` behind a symlink ------------------------------

def _fake_renderer(folder: Path, name: str, formats: str, argv0_must_be: str | None = None) -> Path:
    """A shell script that answers `-T?` like Graphviz and writes a tiny SVG/PNG otherwise."""
    exe = folder / name
    check = (f'case "$(basename "$0")" in {argv0_must_be}) ;; *) echo "no layout engine for $0" >&2; exit 1;; esac\n'
             if argv0_must_be else "")
    exe.write_text("#!/bin/sh\n" + check +
                   'case "$1" in -T\\?) echo "Format: \\"?\\" not recognized. Use one of: ' + formats + '" >&2; exit 1;; esac\n'
                   'cat > /dev/null\necho "<svg xmlns=\\"http://www.w3.org/2000/svg\\"/>"\n')
    exe.chmod(0o755)
    return exe


def test_pdf_with_a_renderer_that_has_no_pdf_is_refused_up_front(tmp_path, monkeypatch):
    pure = _fake_renderer(tmp_path, "graphviz-pure", "canon dot json png svg xdot")
    monkeypatch.setenv("SCALARGRAD_GRAPHVIZ", str(pure))
    x = Value(1.0, label="x")
    o = x * 2.0
    o.backward()
    g = viz.draw_graph(o)
    with pytest.raises(viz.render.FormatNotSupported, match=r"cannot write pdf \(it writes svg, png\).*svg"):
        g.save(tmp_path / "sub" / "g.pdf")
    assert not (tmp_path / "sub").exists()  # refused before anything was made
    assert g.render("svg").startswith(b"<svg")
    r = subprocess.run([sys.executable, "-m", "scalargrad", "graph", "x*2", "x=1", "-o", str(tmp_path / "new" / "g.pdf")],
                       capture_output=True, text=True, cwd=ROOT, timeout=120, check=False,
                       env={**os.environ, "PYTHONPATH": str(ROOT), "SCALARGRAD_GRAPHVIZ": str(pure)})
    assert r.returncode == 2, r.stderr
    assert "cannot write pdf" in r.stderr and "Traceback" not in r.stderr
    assert not (tmp_path / "new").exists()


def test_the_real_graphviz_pure_and_pdf(tmp_path, monkeypatch):
    pure = Path(sys.executable).parent / "graphviz-pure"
    if not os.access(pure, os.X_OK):
        pytest.skip("graphviz-pure is not installed")
    monkeypatch.setenv("SCALARGRAD_GRAPHVIZ", str(pure))
    g = viz.draw_graph(Value(1.0, label="x") * 2.0, view="forward")
    if "pdf" in (viz.render.formats(str(pure)) or {"pdf"}):
        assert g.render("pdf").startswith(b"%PDF")
    else:
        with pytest.raises(viz.render.FormatNotSupported, match="pdf"):
            g.render("pdf")
    assert g.render("png").startswith(b"\x89PNG")


def test_a_renderer_behind_a_symlink_is_called_by_its_own_name(tmp_path, monkeypatch):
    """Debian's /usr/bin/dot is a symlink to libgvc6-config-update, which picks its layout
    engine from argv[0]: following the symlink broke every picture."""
    real = _fake_renderer(tmp_path, "libgvc6-config-update", "png svg pdf", argv0_must_be="dot")
    (tmp_path / "bin").mkdir()
    (tmp_path / "bin" / "dot").symlink_to(real)
    monkeypatch.setenv("PATH", str(tmp_path / "bin") + os.pathsep + os.environ.get("PATH", ""))
    for forced in ("dot", str(tmp_path / "bin" / "dot")):
        monkeypatch.setenv("SCALARGRAD_GRAPHVIZ", forced)
        assert viz.renderer() == str(tmp_path / "bin" / "dot")
        assert viz.Graph("digraph { a -> b }").render("svg").startswith(b"<svg")


@pytest.mark.skipif(shutil.which("dot") is None or not os.path.islink(shutil.which("dot")),
                    reason="no system Graphviz `dot` installed as a symlink (Debian/Ubuntu)")
@pytest.mark.parametrize("forced", ["dot", "which"])
def test_system_dot_by_name_or_path(forced, tmp_path, monkeypatch):
    monkeypatch.setenv("SCALARGRAD_GRAPHVIZ", shutil.which("dot") if forced == "which" else "dot")
    g = viz.draw_graph(Value(1.0, label="x") * 2.0, view="forward")
    assert b"<svg" in g.render("svg")
    assert g.render("pdf").startswith(b"%PDF")


# --- plots -----------------------------------------------------------------------------------

@pytest.fixture
def agg():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    yield
    plt.close("all")


@pytest.mark.parametrize("g", [1e154, 1e200, 1e300, -1e300, 1e-200])
def test_grad_norms_of_huge_or_tiny_grads(g, agg):
    model = nn.MLP(2, [3, 1], seed=0)
    for p in model.parameters():
        p.grad = g
    norms = viz.grad_norms(model)
    # layer 0: 3 neurons x (2 weights + bias) = 9 grads; layer 1: 4
    assert math.isclose(norms["layers.0"], 3 * abs(g), rel_tol=1e-12)
    assert math.isclose(norms["layers.1"], 2 * abs(g), rel_tol=1e-12)
    viz.plot_grad_norms(model)


@pytest.mark.parametrize("bad", [math.nan, math.inf])
def test_plot_grad_norms_log_scale_of_non_finite_grads_says_why(bad, agg):
    model = nn.MLP(2, [3, 1], seed=0)
    for p in model.parameters():
        p.grad = bad
    with pytest.raises(ValueError, match=rf"not finite numbers \(layers.0 \({bad}\).*diverged"):
        viz.plot_grad_norms(model, log=True)
    viz.plot_grad_norms(model, log=False)  # drawn, with the values as labels
    viz.plot_grad_norms({"a": 1.0, "b": bad}, log=True)  # something finite to show: drawn


@pytest.mark.parametrize("X", [[[0.0, 0.0], [1.0, np.inf], [2.0, 2.0]], [[np.nan, 1.0], [1.0, 2.0], [0.0, 0.0]]])
def test_decision_boundary_blames_non_finite_data_not_training(X, agg):
    model = nn.MLP(2, [3, 1], seed=0)
    with pytest.raises(ValueError, match="the data has non-finite values") as err:
        viz.plot_decision_boundary(model, X, [0, 1, 0])
    assert "diverged" not in str(err.value)


def test_decision_boundary_of_no_data(agg):
    with pytest.raises(ValueError, match="no data points: X is empty"):
        viz.plot_decision_boundary(nn.MLP(2, [3, 1], seed=0), np.zeros((0, 2)), [])
