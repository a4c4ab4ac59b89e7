"""draw_graph on a whole training step: above what Graphviz lays out in a few seconds it draws
a collapsed view and says so, or shows a short note with what to do; a notebook's output
never holds the megabytes of DOT text such a graph has."""
import pytest

import nn
import viz
import viz.graph
from autograd import Value
from viz.dot import AUTO_RENDER_LIMIT

needs_renderer = pytest.mark.skipif(viz.renderer() is None, reason="needs a Graphviz renderer")


def _per_sample_step(samples=40):
    """One step of a 2-16-16-1 MLP, model(x) per sample: too many boxes to draw one by one."""
    X, y = nn.data.make_moons(n=samples, noise=0.1, seed=0)
    model = nn.MLP(2, [16, 16, 1], activation="relu", seed=0)
    loss = nn.hinge_loss([model(list(row)) for row in X], nn.data.to_pm1(y))
    loss.backward()
    return loss, model


def _display_bytes(graph) -> int:
    bundle = graph._repr_mimebundle_()
    data = bundle[0] if isinstance(bundle, tuple) else bundle
    return sum(len(str(v).encode()) for v in data.values())


def test_a_whole_per_sample_step_is_drawn_collapsed_and_says_so():
    loss, model = _per_sample_step()
    full = viz.draw_graph(loss, model=model, collapse=None)
    assert full.num_nodes > AUTO_RENDER_LIMIT
    g = viz.draw_graph(loss, model=model)
    assert g.num_nodes <= AUTO_RENDER_LIMIT
    assert "drawn as one box" in g.source and "collapse=None" in g.source
    assert _display_bytes(g) < 1024 * 1024


@needs_renderer
def test_a_graph_graphviz_cannot_lay_out_in_time_shows_a_note_with_what_to_do(monkeypatch):
    monkeypatch.setattr(viz.graph, "LAYOUT_SECONDS", 0.001)  # no layout finishes in time
    loss, model = _per_sample_step(samples=10)
    g = viz.draw_graph(loss, model=model)
    text = g._repr_mimebundle_()["text/plain"]
    assert "did not lay out" in text
    assert "focus=" in text and "one sample" in text and "collapse=" in text
    assert _display_bytes(g) < 16 * 1024
    assert g.svg() is None  # and it is not tried again each time it is shown


def test_a_big_graph_without_a_model_shows_advice_and_a_short_preview():
    x = Value(1.0, label="x")
    for _ in range(3000):
        x = x * 1.001 + 1.0
    x.backward()
    g = viz.draw_graph(x)
    assert g.num_nodes > AUTO_RENDER_LIMIT
    text = g._repr_mimebundle_()["text/plain"]
    assert "too many to draw" in text and "focus=" in text and "one sample" in text
    assert _display_bytes(g) < 16 * 1024 < len(g.source)
