"""Pictures for a classroom: names that agree across views, a step-through page that needs
nothing else, motion in the perceptron's updates, δ on the network picture."""
import re
from html.parser import HTMLParser

import numpy as np
import pytest

import nn
import viz

needs_renderer = pytest.mark.skipif(viz.renderer() is None, reason="needs a Graphviz renderer")


def mlp_loss():
    m = nn.MLP(2, [3, 1], activation="tanh", seed=0)
    loss = (m([0.5, -1.0]) - 1.0) ** 2
    loss.backward()
    return m, loss


@pytest.mark.parametrize("fused", [True, False])
def test_model_inputs_are_named_x0_x1_in_every_view(fused):
    m = nn.MLP(2, [3, 1], activation="tanh", seed=0, fused=fused)
    loss = (m([0.5, -1.0]) - 1.0) ** 2
    loss.backward()
    src = viz.draw_graph(loss, model=m).source
    boxes = re.findall(r'label="(?:\{ )?([^"|{]+) \|', src)  # the first field: the node's name
    assert "x0" in boxes and "x1" in boxes
    assert "data 0.5" in re.split(r'label="(?:\{ )?x0 \|', src)[1].split("]")[0]  # x0 is the first input
    text = viz.backward_steps(loss, model=m).text
    assert "x0.grad +=" in text and "x1.grad +=" in text  # the step-through uses the same names


@needs_renderer
def test_save_html_is_one_self_contained_page(tmp_path):
    _, loss = mlp_loss()
    replay = viz.backward_steps(loss)
    page = tmp_path / "sub" / "steps.html"
    assert replay.save_html(page) == str(page)
    text = page.read_text(encoding="utf-8")

    class Refs(HTMLParser):
        refs = []

        def handle_starttag(self, tag, attrs):
            self.refs += [v for k, v in attrs if k in ("src", "href")]

    parser = Refs()
    parser.feed(text)
    assert parser.refs == []  # no script, style or image loaded from anywhere
    assert text.count('class="frame"') == len(replay) and text.count("<svg") == len(replay)
    assert 'type="range"' in text and f'max="{len(replay) - 1}"' in text
    assert "ArrowLeft" in text and "ArrowRight" in text and 'id="play"' in text
    # each frame's arithmetic is in the page as text, and its active node is marked
    import html
    assert all(html.escape(line) in text for f in replay.frames for line in f.lines)
    assert text.count("data-active") >= len(replay) - 1


@needs_renderer
def test_every_step_through_frame_fits_a_notebook_cell():
    m, loss = mlp_loss()
    replay = viz.backward_steps(loss, model=m)
    for f in replay.frames:
        assert f.picture.fits(), f"frame {f.index} is too wide to read in a cell"


def test_perceptron_steps_circle_the_misclassified_example():
    import matplotlib
    matplotlib.use("Agg")
    X, y01 = nn.data.make_blobs(n=40, centers=np.array([[-1.0, -0.5], [1.0, 1.0]]), std=0.7, seed=3)
    y = nn.data.to_pm1(y01)
    p = nn.Perceptron(2)
    p.fit(X, y, epochs=50)
    fig = viz.plot_perceptron_steps(p, X, y)
    shown = [ax for ax in fig.axes if ax.get_visible()]
    assert len(shown) == min(16, len(p.history) - 1)
    assert [ax.get_title() for ax in shown] == [f"update {k}" for k in range(1, len(shown) + 1)]
    Xt = np.hstack([X, np.ones((len(X), 1))])
    for ax, before in zip(shown, p.history):
        rings = [c for c in ax.collections if c.get_sizes().size and c.get_sizes()[0] == 160]
        assert len(rings) == 1
        (x,) = rings[0].get_offsets()
        n = int(np.argmin(np.abs(X - x).sum(axis=1)))
        assert y[n] * (before @ Xt[n]) <= 0, "the circled example was on the wrong side"
    with pytest.raises(ValueError, match="no update"):
        viz.plot_perceptron_steps(nn.Perceptron(2), X, y)


def test_network_deltas_are_the_bias_gradients():
    m, _ = mlp_loss()
    src = viz.draw_network(m, show="deltas").source
    for layer in m.layers:
        for neuron in layer.neurons:
            assert f"δ={viz.fmt(neuron.b.grad, 3)}" in src
    assert "∂L/∂s" in src


def test_decision_boundary_span_fixes_the_colour_scale():
    import matplotlib
    matplotlib.use("Agg")
    X, y = nn.data.make_moons(n=40, noise=0.1, seed=0)
    a = nn.MLP(2, [4, 1], activation="tanh", seed=0)
    b = nn.MLP(2, [4, 1], activation="tanh", seed=1)
    for p in b.parameters():
        p.data *= 5  # much larger scores
    lims = [viz.plot_decision_boundary(m, X, y, span=3.0, resolution=20).axes[1].get_ylim() for m in (a, b)]
    assert lims[0] == pytest.approx((-3.0, 3.0)) and lims[1] == pytest.approx((-3.0, 3.0))
    with pytest.raises(ValueError, match="span"):
        viz.plot_decision_boundary(a, X, y, span=0.0)


@needs_renderer
def test_a_graph_too_big_for_a_cell_is_collapsed_to_neurons_and_says_so():
    X, y = nn.data.make_moons(n=10, noise=0.2, seed=0)
    m = nn.MLP(2, [16, 16, 1], activation="relu", seed=0)
    loss = nn.binary_cross_entropy_with_logits([m(list(X[0]))], y[:1])
    loss.backward()
    g = viz.draw_graph(loss, model=m)
    assert g.fits()
    assert "each neuron drawn as one box" in g.source and "collapse=None" in g.source
    assert g.num_nodes < 60  # 33 neurons and a few loss nodes, not ~150 boxes
    full = viz.draw_graph(loss, model=m, collapse=None)
    assert full.num_nodes > 100 and "drawn as one box" not in full.source
