"""viz.draw_network and the matplotlib plots: structure and numbers taken from the model,
files written with the expected elements."""
import re

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

import nn  # noqa: E402
import viz  # noqa: E402
from nn.data import make_blobs, make_curve, make_moons, to_pm1, train_val_test_split  # noqa: E402
from viz.network import NEGATIVE, POSITIVE  # noqa: E402

@pytest.fixture(autouse=True)
def close_figures():
    yield
    import matplotlib.pyplot as plt
    plt.close("all")


EDGE = re.compile(r"^\s*(\w+) -> (\w+)(?: \[(.*)\])?$", re.M)


def net_edges(source):
    return [(a, b, attrs or "") for a, b, attrs in EDGE.findall(source)]


@pytest.mark.parametrize("make", [lambda: nn.Neuron(3, seed=1), lambda: nn.Layer(3, 4, seed=1),
                                  lambda: nn.MLP(3, [4, 4, 2], activation="tanh", seed=1)])
def test_network_one_edge_per_weight_coloured_by_sign(make):
    model = make()
    src = viz.draw_network(model).source
    layers = model.layers if hasattr(model, "layers") else [model] if hasattr(model, "neurons") else None
    neurons = [n for layer in layers for n in layer.neurons] if layers else [model]
    weights = [w for n in neurons for w in n.w]
    synapses = [e for e in net_edges(src) if not e[1].startswith("y")]
    assert len(synapses) == len(weights)
    assert len(re.findall(r"^\s*l\d+n\d+ \[", src, re.M)) == len(neurons)
    by_size = []
    for (_, _, attrs), w in zip(synapses, weights):
        assert (POSITIVE if w.data >= 0 else NEGATIVE) in attrs
        by_size.append((abs(w.data), float(re.search(r"penwidth=([\d.]+)", attrs)[1])))
    by_size.sort()
    assert [p for _, p in by_size] == sorted(p for _, p in by_size)  # wider for larger |w|
    assert "legend" in src


def test_network_bias_label_or_node_and_weight_labels():
    m = nn.Neuron(2, activation="sigmoid", seed=4)
    m.b.data = -0.25
    src = viz.draw_network(m).source
    assert "b=-0.25" in src and "sigmoid" in src
    for w in m.w:
        assert viz.fmt(w.data, 3) in src  # small network: weights written on the edges
    node = viz.draw_network(m, bias="node").source
    assert "+1" in node and len(net_edges(node)) == 2 + 1 + 1
    big = viz.draw_network(nn.MLP(4, [8, 8, 1], seed=0)).source
    assert "label=<" not in "".join(a for *_, a in net_edges(big))  # too many edges to label
    g = viz.draw_network(m, show="grads")
    assert "w.grad" in g.source
    with pytest.raises(TypeError, match="Neuron, Layer or MLP"):
        viz.draw_network(nn.Dropout(0.5))
    with_skip = nn.Sequential(nn.Layer(2, 2, seed=0), nn.Residual(nn.Layer(2, 2, seed=1)))
    with pytest.raises(TypeError, match="Residual"):
        viz.draw_network(with_skip)
    with pytest.raises(ValueError, match="bias"):
        viz.draw_network(m, bias="hidden")


@pytest.mark.skipif(viz.renderer() is None, reason="needs a Graphviz renderer")
def test_a_2_16_16_1_network_is_a_readable_layered_picture():
    import xml.etree.ElementTree as ET
    m = nn.MLP(2, [16, 16, 1], activation="relu", seed=0)
    g = viz.draw_network(m, title="MLP 2-16-16-1")
    assert g.fits()  # <= 900 px wide with text >= 10 px
    assert "outputorder=edgesfirst" in g.source  # neurons (and their bias labels) drawn over edges
    assert "legend" not in [line.split(" ")[0].strip() for line in g.source.splitlines()]  # not a node
    ns = {"s": "http://www.w3.org/2000/svg"}
    root = ET.fromstring(g.svg())
    y = {}
    for node in root.iterfind(".//s:g[@class='node']", ns):
        name = node.find("s:title", ns).text
        ellipse = node.find(".//s:ellipse", ns)
        if ellipse is not None:
            y[name] = float(ellipse.get("cy"))
    assert y["x0"] < y["x1"]  # x0 drawn above x1 (SVG y grows downwards)
    firsts = [y[f"l0n{j}"] for j in range(16)]
    assert firsts == sorted(firsts)  # neurons top to bottom in their order
    # the legend and title are above every neuron
    label_y = min(float(t.get("y")) for t in root.iterfind("./s:g/s:text", ns))
    assert label_y < min(y.values())


@pytest.fixture(scope="module")
def trained():
    X, y = make_moons(80, noise=0.15, seed=0)
    split = train_val_test_split(X, y, seed=0)
    m = nn.MLP(2, [6, 1], activation="tanh", seed=0)
    h = nn.fit(m, nn.binary_cross_entropy_with_logits, nn.optim.Adam(m.parameters(), lr=0.05),
               split.train, val=split.val, epochs=12, batch_size=16, metric="accuracy", progress=False)
    return m, h, X, y


def test_history_plot(trained, tmp_path):
    _, h, _, _ = trained
    fig = viz.plot_history(h)
    loss_ax, metric_ax = fig.axes
    labels = [line.get_label() for line in loss_ax.get_lines()]
    assert "train loss" in labels and "validation loss" in labels
    train = next(line for line in loss_ax.get_lines() if line.get_label() == "train loss")
    assert list(train.get_ydata()) == pytest.approx(h.train_loss)
    best = next(line for line in loss_ax.get_lines() if line.get_label().startswith("best epoch"))
    assert best.get_xdata()[0] == h.best_epoch
    assert "accuracy" in metric_ax.get_ylabel()
    fig.savefig(tmp_path / "h.png")
    assert (tmp_path / "h.png").read_bytes()[:4] == b"\x89PNG"
    with pytest.raises(ValueError, match="train_loss"):
        viz.plot_history({"train_loss": []})


def test_decision_boundary(trained, tmp_path):
    m, _, X, y = trained
    fig = viz.plot_decision_boundary(m, X, y, resolution=30)
    ax = fig.axes[0]
    points = sum(len(c.get_offsets()) for c in ax.collections if c.get_label().startswith("class"))
    assert points == len(X)
    assert "boundary at 0" in fig.axes[1].get_ylabel()  # logits: the boundary is at 0
    fig.savefig(tmp_path / "b.png")
    Xb, yb = make_blobs(60, centers=3, seed=1)
    three = nn.MLP(2, [3], activation="identity", seed=0)
    fig = viz.plot_decision_boundary(three, Xb, yb, resolution=25)
    (legend,) = fig.legends  # below the plot, not over the data
    assert len(legend.get_texts()) == 3
    assert fig.axes[0].get_legend() is None
    with pytest.raises(ValueError, match="2-D"):
        viz.plot_decision_boundary(m, np.zeros((5, 3)), np.zeros(5))


def test_decision_boundary_of_a_diverged_model_is_a_clear_error():
    X, y = make_moons(20, seed=0)
    m = nn.MLP(2, [4, 1], seed=0)
    for p in m.parameters():
        p.data = float("nan")
    with pytest.raises(ValueError, match="diverged"):
        viz.plot_decision_boundary(m, X, y, resolution=10)


def test_regression_curve_is_the_model():
    x, y = make_curve(30, seed=0)
    m = nn.MLP(1, [5, 1], activation="tanh", seed=0)
    fig = viz.plot_regression(m, x, y, target=lambda t: np.sin(t))
    model_line = next(line for line in fig.axes[0].get_lines() if line.get_label() == "model")
    xs, ys = model_line.get_xdata(), model_line.get_ydata()
    for k in (0, 57, 199):
        assert ys[k] == pytest.approx(m([float(xs[k])]).data)


def test_activations_and_their_derivatives():
    names = ["sigmoid", "tanh", "relu", "step"]
    fig = viz.plot_activations(names)
    visible = [ax for ax in fig.axes if ax.get_visible()]
    assert [ax.get_title() for ax in visible] == names
    for ax in visible[:2]:  # smooth ones: the dashed curve is the slope of the solid one
        fx, dfx = ax.get_lines()[2:4]
        x, y = fx.get_xdata(), fx.get_ydata()
        assert np.allclose(np.gradient(y, x)[5:-5], dfx.get_ydata()[5:-5], atol=1e-3)
    sig = visible[0].get_lines()[3].get_ydata()
    assert sig.max() == pytest.approx(0.25, abs=1e-4)
    with pytest.raises(ValueError):
        viz.plot_activations(["swish!"])


def test_grad_norms_per_layer():
    m = nn.MLP(2, [3, 3, 1], activation="sigmoid", seed=0)
    (m([0.5, -0.2]) ** 2).backward()
    expected = [np.sqrt(sum(p.grad ** 2 for n in layer.neurons for p in [*n.w, n.b])) for layer in m.layers]
    assert list(viz.grad_norms(m).values()) == pytest.approx(expected)
    fig = viz.plot_grad_norms(m)
    heights = [b.get_height() for b in fig.axes[0].patches]
    assert heights == pytest.approx(expected)
    fig = viz.plot_grad_norms({"a": m, "b": {"layers.0": 1e-4, "layers.1": 1.0, "layers.2": 0.5}})
    assert len(fig.axes[0].patches) == 6 and fig.axes[0].get_yscale() == "log"


def test_perceptron_lines():
    X, y = make_blobs(30, centers=2, seed=3)
    y = to_pm1(y)
    p = nn.Perceptron(2)
    p.fit(X, y, epochs=5)
    fig = viz.plot_perceptron(p, X, y)
    lines = fig.axes[0].get_lines()
    assert len(lines) == sum(1 for h in p.history if np.any(np.asarray(h)[:2] != 0))
    w1, w2, b = p.history[-1]
    final = lines[-1]
    xs, ys = final.get_xdata(), final.get_ydata()
    assert np.allclose(w1 * xs + w2 * ys + b, 0, atol=1e-9)  # the drawn line is w·x + b = 0
