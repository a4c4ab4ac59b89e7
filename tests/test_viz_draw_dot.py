"""viz.draw_dot: micrograd's call, returning a Digraph that renders, saves and shows itself
the way the lecture uses graphviz's."""
import base64
import warnings

import pytest

import viz
from autograd import Value

needs_renderer = pytest.mark.skipif(viz.renderer() is None, reason="no Graphviz renderer installed")


def _neuron():
    x1, w1, b = Value(2.0, label="x1"), Value(-3.0, label="w1"), Value(6.5, label="b")
    n = x1 * w1 + b
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    o.backward()
    return o


def test_draw_dot_returns_a_digraph_with_labels_data_and_grads():
    o = _neuron()
    dot = viz.draw_dot(o)
    assert isinstance(dot, viz.Digraph) and dot.format == "svg"
    for text in ("x1", "w1", "data 2.0", "data -3.0", "tanh", f"grad {viz.fmt(o.grad)}"):
        assert text in dot.source, text
    assert "rankdir=LR" in dot.source and str(dot) == dot.source
    assert "rankdir=TB" in viz.draw_dot(o, rankdir="TB").source


def test_each_use_is_one_edge():
    a = Value(3.0, label="a")
    b = a + a
    b.backward()
    edges = [line for line in viz.draw_dot(b).source.splitlines() if "->" in line]
    assert len(edges) == 2 and a.grad == 2.0


def test_bad_arguments_say_what_is_allowed():
    o = _neuron()
    with pytest.raises(ValueError, match="format must be one of svg, png, pdf"):
        viz.draw_dot(o, format="jpg")
    with pytest.raises(ValueError, match="rankdir must be 'LR'"):
        viz.draw_dot(o, rankdir="left")


@needs_renderer
def test_render_writes_the_source_and_the_image_like_graphviz(tmp_path):
    dot = viz.draw_dot(_neuron())
    out = dot.render(str(tmp_path / "gout"))
    assert out == str(tmp_path / "gout.svg")
    assert (tmp_path / "gout").read_text() == dot.source
    assert "<svg" in (tmp_path / "gout.svg").read_text()
    png = viz.draw_dot(_neuron(), format="png").render("g", directory=str(tmp_path), view=False, cleanup=True)
    assert png == str(tmp_path / "g.png") and not (tmp_path / "g").exists()
    assert (tmp_path / "g.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert dot.render(outfile=str(tmp_path / "x.png")).endswith("x.png")
    assert (tmp_path / "x.gv").read_text() == dot.source  # the DOT text beside it, as graphviz does
    if "pdf" in viz.render.formats():  # graphviz-pure writes svg and png only
        assert dot.render(outfile=str(tmp_path / "y.pdf")).endswith("y.pdf")
        assert (tmp_path / "y.pdf").read_bytes()[:4] == b"%PDF"


@needs_renderer
def test_pipe_and_jupyter_display():
    dot = viz.draw_dot(_neuron())
    assert b"<svg" in dot.pipe()
    assert dot.pipe(format="png")[:4] == b"\x89PNG"
    assert "<svg" in dot.pipe(encoding="utf-8")
    bundle, metadata = dot._repr_mimebundle_()  # one PNG: shown by untrusted notebooks too
    assert base64.b64decode(bundle["image/png"])[:4] == b"\x89PNG"
    assert "image/svg+xml" not in bundle and metadata["image/png"]["width"] > 0


def test_save_writes_dot_text_or_an_image_by_suffix(tmp_path, monkeypatch):
    dot = viz.draw_dot(_neuron())
    assert dot.save(str(tmp_path / "g.gv")) == str(tmp_path / "g.gv")
    assert (tmp_path / "g.gv").read_text() == dot.source
    monkeypatch.setenv("SCALARGRAD_GRAPHVIZ", "none")  # without a renderer: DOT text is still shown
    bundle = viz.draw_dot(_neuron())._repr_mimebundle_()
    assert "image/svg+xml" not in bundle and "digraph" in bundle["text/plain"]
    with pytest.raises(viz.RendererNotFound):
        dot.pipe()


def test_drawing_before_backward_is_allowed():
    """The lecture draws a graph before backprop: it draws (grads 0), with a teaching warning."""
    a = Value(2.0, label="a")
    c = a * Value(-3.0, label="b")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        source = viz.draw_dot(c).source
    assert "grad 0" in source
