"""Every picture kind in Russian: no English words left in its text (legend, title, axis
labels, step text), beyond the symbols and identifiers listed in ALLOWED; and the switch
(viz.set_language, lang=, SCALARGRAD_LANG) with English as the default.

Each kind is rendered twice: in English the same scan must find English words (so the scan
can fail), in Russian it must find none."""
import html
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

import autograd.language as L  # noqa: E402
import nn  # noqa: E402
import viz  # noqa: E402
from autograd import Value  # noqa: E402
from nn.data import make_blobs, make_moons, to_pm1, train_val_test_split  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent

# Latin words a Russian picture may keep, and why.
ALLOWED = {
    # the attributes a student types: x.data, w.grad (the arithmetic stays as written)
    "data", "grad",
    # ops and activations: the names students call (x.tanh(), nn.relu) and see in formulas
    "tanh", "relu", "sigmoid", "exp", "log", "identity", "leaky_relu", "softplus", "act", "sum",
    # abbreviations used as they are in Russian teaching text
    "MSE", "MLP", "lr", "DOT",
    # program names
    "Graphviz",
    # code the text tells students to run or type
    "backward", "zero_grad", "explain_grad", "max_paths", "viz", "root", "collapse", "None",
    "widget", "save_html", "path",
    # dotted parameter names from named_parameters() ("layers.0.neurons.1.w.0")
    "layers", "neurons",
    # the numbers' own spelling
    "nan", "inf",
}
# ... and on the activation panels only: their titles are the activation names
ACTIVATION_NAMES = {"step", "leaky_relu", "identity"}
WORD = re.compile(r"[A-Za-z][A-Za-z_]*")


def english_words(text: str, allowed=frozenset()) -> set:
    """Latin words of two letters or more that are not identifiers on the allow-list
    (one-letter names -- x, w, b, a, z, L, f -- are variables)."""
    return {w for w in WORD.findall(text) if len(w) > 1 and w not in ALLOWED and w not in allowed}


@pytest.fixture(autouse=True)
def close_figures():
    yield
    import matplotlib.pyplot as plt
    plt.close("all")


# --- text of each kind of output -----------------------------------------------------------

def figure_text(fig) -> str:
    """Every Text artist of a matplotlib figure: titles, axis labels, legends, annotations,
    tick labels, the colour bar's label."""
    from matplotlib.text import Text
    return "\n".join(t.get_text() for t in fig.findobj(Text) if t.get_text())


def dot_text(source: str) -> str:
    """The text a reader sees in a DOT graph: every label (quoted or HTML), tags stripped."""
    out, i = [], 0
    while (i := source.find("label=", i)) >= 0:
        i += len("label=")
        if source[i] == '"':
            j = i + 1
            while source[j] != '"':
                j += 2 if source[j] == "\\" else 1
            out.append(source[i + 1:j].replace("\\n", "\n").replace("\\l", "\n"))
        elif source[i] == "<":
            depth, j = 0, i
            while True:
                depth += {"<": 1, ">": -1}.get(source[j], 0)
                j += 1
                if depth == 0:
                    break
            out.append(html.unescape(re.sub(r"<[^>]*>", " ", source[i + 1:j - 1])))
        else:
            j = i
        i = j
    return "\n".join(out)


def page_text(page: str) -> str:
    """What a reader sees on an HTML page: no script, style or tags; plus the alt texts."""
    page = re.sub(r"<(script|style)>.*?</\1>", " ", page, flags=re.S)
    page = re.sub(r"<svg.*?</svg>", " ", page, flags=re.S)  # its text is the frame's DOT labels, scanned there
    alts = re.findall(r'alt="([^"]*)"', page)
    return html.unescape(re.sub(r"<[^>]*>", " ", page) + "\n" + "\n".join(alts))


# --- the pictures --------------------------------------------------------------------------

def expression():
    """A small graph with every node role: inputs, a parameter, a constant, a value used twice."""
    x = Value(0.5, label="x")
    w = Value(-1.5, label="w")
    n = x * w + 2.0
    o = (n * n).tanh()
    o.label = "o"
    o.backward()
    return o, {"w": w}


@pytest.fixture(scope="module")
def trained():
    X, y = make_moons(60, noise=0.15, seed=0)
    split = train_val_test_split(X, y, seed=0)
    m = nn.MLP(2, [4, 1], activation="tanh", seed=0)
    h = nn.fit(m, nn.binary_cross_entropy_with_logits, nn.optim.Adam(m.parameters(), lr=0.05),
               split.train, val=split.val, epochs=6, batch_size=16, metric="accuracy", progress=False,
               early_stopping=2)
    return m, h, X, y


def perceptron():
    X, y = make_blobs(30, centers=2, seed=3)
    y = to_pm1(y)
    p = nn.Perceptron(2)
    p.fit(X, y, epochs=5)
    return p, X, y


def batched():
    """A batch of three samples through one weight, summed: boxes read "batch[3] mean ..."."""
    w = Value(0.5, label="w")
    x = Value.batch(np.array([1.0, 2.0, 3.0]))
    x.label = "x"
    loss = (w * x).tanh().sum()
    loss.backward()
    return x, loss


def graph_kinds(lang, trained):
    m, _, X, _ = trained
    o, params = expression()
    loss = m([Value(0.3), Value(-0.2)])
    loss.backward()
    replay = viz.backward_steps(o, model=params, lang=lang)
    yield "draw_graph both", dot_text(viz.draw_graph(o, model=params, lang=lang).source)
    yield "draw_graph backward", dot_text(viz.draw_graph(o, view="backward", model=params, lang=lang).source)
    yield "draw_graph forward", dot_text(viz.draw_graph(o, view="forward", model=params, lang=lang).source)
    yield "draw_graph no edge numbers", dot_text(viz.draw_graph(o, edge_labels=False, lang=lang).source)
    yield "draw_graph collapsed", dot_text(viz.draw_graph(loss, model=m, collapse="neuron", lang=lang).source)
    yield "draw_graph layer", dot_text(viz.draw_graph(loss, model=m, collapse="layer", lang=lang).source)
    yield "draw_dot", dot_text(viz.draw_dot(o, lang=lang).source)
    yield "draw_graph of a batch", dot_text(viz.draw_graph(batched()[1], lang=lang).source)
    yield "draw_network", dot_text(viz.draw_network(m, lang=lang).source)
    yield "draw_network deltas", dot_text(viz.draw_network(m, show="deltas", lang=lang).source)
    yield "draw_network neuron", dot_text(viz.draw_network(nn.Neuron(2, seed=0), bias="node", lang=lang).source)
    yield "step-through frame", dot_text(replay.frames[3].graph.source)
    yield "step-through picture", dot_text(replay.frames[2].picture.source)
    yield "step-through text", replay.text
    yield "step-through notebook", page_text(replay._repr_html_())
    yield "step-through frame html", page_text(replay.frames[1]._repr_html_())


def text_kinds(lang):
    o, params = expression()
    x = o.parents[0].parents[0].parents[0].parents[0]  # the x of x * w
    lonely = Value(1.0, label="u")
    (a := Value(2.0, label="a"))
    many = a
    for _ in range(5):
        many = many * a + a
    many.backward()
    yield "explain_grad two paths", viz.explain_grad(x, o, model=params, lang=lang).text
    yield "explain_grad one path", viz.explain_grad(o.parents[0], o, lang=lang).text
    yield "explain_grad itself", viz.explain_grad(o, o, lang=lang).text
    yield "explain_grad no path", viz.explain_grad(lonely, o, lang=lang).text
    yield "explain_grad more paths", viz.explain_grad(a, many, max_paths=2, lang=lang).text
    yield "explain_grad notebook", page_text(viz.explain_grad(x, o, lang=lang)._repr_markdown_().split("$$")[-1])


def figure_kinds(lang, trained):
    m, h, X, y = trained
    p, PX, py = perceptron()
    X3, y3 = make_blobs(40, centers=3, seed=1)
    m3 = nn.MLP(2, [4, 3], seed=0)
    yield "plot_history", figure_text(viz.plot_history(h, lang=lang))
    yield "plot_grad_norms", figure_text(viz.plot_grad_norms(m, log=True, lang=lang))
    yield "plot_decision_boundary", figure_text(viz.plot_decision_boundary(m, X, y, resolution=20, lang=lang))
    yield "plot_decision_boundary 3 classes", figure_text(viz.plot_decision_boundary(m3, X3, y3, resolution=20,
                                                                                     lang=lang))
    yield "plot_regression", figure_text(viz.plot_regression(nn.MLP(1, [3, 1], seed=0), np.linspace(-1, 1, 9),
                                                             np.linspace(-1, 1, 9) ** 2, target=np.square, lang=lang))
    yield "plot_perceptron", figure_text(viz.plot_perceptron(p, PX, py, lang=lang))
    yield "plot_perceptron_steps", figure_text(viz.plot_perceptron_steps(p, PX, py, max_steps=4, lang=lang))


def all_kinds(lang, trained, tmp_path):
    yield from graph_kinds(lang, trained)
    yield from text_kinds(lang)
    yield from figure_kinds(lang, trained)
    o, params = expression()
    page = viz.backward_steps(o, model=params, lang=lang).save_html(tmp_path / f"steps_{lang}.html")
    yield "step-through page", page_text(Path(page).read_text(encoding="utf-8"))


def test_every_picture_kind_in_russian_has_no_english_words(trained, tmp_path):
    english = dict(all_kinds("en", trained, tmp_path))
    russian = dict(all_kinds("ru", trained, tmp_path))
    assert set(english) == set(russian)
    for kind, text in english.items():  # the scan finds what it looks for
        assert english_words(text), f"{kind}: the English version has no English words to find:\n{text}"
    left = {kind: english_words(text) for kind, text in russian.items()}
    left = {kind: words for kind, words in left.items() if words}
    assert not left, "English words in the Russian pictures: " + "; ".join(
        f"{kind}: {sorted(words)}\n{russian[kind]}" for kind, words in left.items())
    for kind, text in russian.items():
        assert re.search("[а-яё]", text, re.I), f"{kind}: no Russian at all:\n{text}"


def test_activation_panels_in_russian(tmp_path):
    fig = viz.plot_activations(lang="ru")
    text = figure_text(fig)
    assert "максимум f'" in text
    assert not english_words(text, ACTIVATION_NAMES), text
    assert english_words(figure_text(viz.plot_activations(lang="en")), ACTIVATION_NAMES) == {"max"}


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_the_max_slope_note_stays_inside_its_panel(lang):
    """It ran into the panel's title on tanh (whose f' peaks at the top of the axes)."""
    from matplotlib.text import Annotation
    fig = viz.plot_activations(lang=lang)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    for ax in fig.axes:
        for note in ax.findobj(Annotation):
            assert note.get_window_extent(renderer).y1 <= ax.bbox.y1 + 0.5, (ax.get_title(), note.get_text())


def test_the_step_page_says_its_language(tmp_path):
    o, params = expression()
    ru = Path(viz.backward_steps(o, lang="ru").save_html(tmp_path / "ru.html")).read_text(encoding="utf-8")
    en = Path(viz.backward_steps(o).save_html(tmp_path / "en.html")).read_text(encoding="utf-8")
    assert '<html lang="ru">' in ru and ">пуск</button>" in ru and json.dumps("пауза") in ru
    assert '<html lang="en">' in en and ">play</button>" in en


def test_the_arithmetic_is_the_same_in_both_languages():
    o, params = expression()
    en = viz.backward_steps(o, model=params)
    ru = viz.backward_steps(o, model=params, lang="ru")
    for f_en, f_ru in zip(en.frames[1:], ru.frames[1:]):
        for line_en, line_ru in zip(f_en.lines, f_ru.lines):
            assert line_ru.split("   (")[0] == line_en.split("   (")[0]  # w.grad += x.data × n.grad = ...
    assert "теперь" in ru.text and "is now" in en.text


# --- the switch ------------------------------------------------------------------------------

def test_english_is_the_default():
    o, _ = expression()
    assert viz.get_language() == "en"
    assert "legend" in viz.draw_graph(o).source
    assert "legend" in viz.draw_network(nn.Neuron(2, seed=0)).source
    assert viz.explain_grad(o, o).text.endswith("(a value's derivative with respect to itself)")


def test_set_language_is_one_switch_for_viz_nn_and_autograd():
    import autograd
    assert viz.set_language is nn.set_language is autograd.set_language is L.set_language
    o, _ = expression()
    nn.set_language("ru")
    assert viz.get_language() == autograd.get_language() == "ru"
    assert "обозначения" in viz.draw_graph(o).source
    assert viz.backward_steps(o).text.startswith("шаг 1: ")
    viz.set_language("en")
    assert "legend" in viz.draw_graph(o).source


def test_lang_argument_beats_the_switch_and_leaves_it_alone(trained):
    _, h, _, _ = trained
    o, _ = expression()
    viz.set_language("ru")
    assert "legend" in viz.draw_graph(o, lang="en").source
    assert figure_text(viz.plot_history(h, lang="en")).count("epoch") >= 1
    assert viz.get_language() == "ru"
    viz.set_language("en")
    fig = viz.plot_history(h, lang="ru")
    assert fig.axes[0].get_xlabel() == "эпоха" and viz.get_language() == "en"
    with pytest.raises(ValueError, match="unknown language"):
        viz.draw_graph(o, lang="de")


def test_a_replay_and_an_explanation_keep_the_language_they_were_made_in():
    o, params = expression()
    replay = viz.backward_steps(o, model=params, lang="ru")
    expl = viz.explain_grad(params["w"], o, lang="ru")
    viz.set_language("en")
    assert "шаг" in replay.frames[2].graph.source and "шаг" in replay.text
    assert "правило цепочки" in expl.text
    viz.set_language("ru")
    made_in_ru = viz.backward_steps(o)
    viz.set_language("en")
    assert made_in_ru.text.startswith("шаг 1: ")


def test_environment_variable_sets_the_pictures_language():
    code = ("import matplotlib; matplotlib.use('Agg'); import viz; from autograd import Value\n"
            "x = Value(2.0, label='x'); y = x * x; y.backward()\n"
            "print(viz.get_language(), 'обозначения' in viz.draw_graph(y).source)")
    env = {k: v for k, v in os.environ.items() if k != L.ENV_VAR}
    env["PYTHONPATH"] = str(ROOT)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={**env, L.ENV_VAR: "ru"}, cwd=ROOT)
    assert done.stdout.split() == ["ru", "True"], done.stderr
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT)
    assert done.stdout.split() == ["en", "False"], done.stderr


def outside_the_figure(fig) -> list:
    """Texts (titles, labels, legend entries, annotations) that stick out of the figure: the
    part outside is cut off in a notebook and in a saved PNG."""
    from matplotlib.text import Text
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    box = fig.bbox
    ticks = {id(t) for ax in fig.axes for t in ax.get_xticklabels() + ax.get_yticklabels()}  # numbers; the
    out = []  # ones out of view are laid out but never drawn
    for t in fig.findobj(Text):
        if (not t.get_text() or not t.get_visible() or id(t) in ticks
                or (t.axes is not None and not t.axes.get_visible())):
            continue
        e = t.get_window_extent(renderer)
        if e.x0 < box.x0 - 1 or e.x1 > box.x1 + 1 or e.y0 < box.y0 - 1 or e.y1 > box.y1 + 1:
            out.append(t.get_text())
    return out


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_no_figure_text_is_cut_off(trained, lang):
    m, h, X, y = trained
    p, PX, py = perceptron()
    figures = {
        "plot_history": viz.plot_history(h, lang=lang),
        "plot_grad_norms": viz.plot_grad_norms(m, lang=lang),
        "plot_decision_boundary": viz.plot_decision_boundary(m, X, y, resolution=20, lang=lang),
        "plot_regression": viz.plot_regression(nn.MLP(1, [3, 1], seed=0), np.linspace(-1, 1, 9),
                                               np.linspace(-1, 1, 9) ** 2, target=np.square, lang=lang),
        "plot_perceptron": viz.plot_perceptron(p, PX, py, lang=lang),
        "plot_perceptron_steps, one frame": viz.plot_perceptron_steps(p, PX, py, max_steps=1, lang=lang),
        "plot_activations": viz.plot_activations(lang=lang),
    }
    cut = {kind: outside_the_figure(fig) for kind, fig in figures.items()}
    assert not {k: v for k, v in cut.items() if v}


def test_a_batch_in_latex_is_words_then_the_number():
    """explain_grad's LaTeX wrote "batch[3] mean 0.2312" as "batch[3] m\\times 10^{an 0.2312}" (it took
    the e of "mean" for an exponent); now the words are upright text in either language."""
    x, loss = batched()
    en = viz.explain_grad(x, loss).latex
    ru = viz.explain_grad(x, loss, lang="ru").latex
    assert r"\times 10^{an" not in en and r"\text{batch[3] mean }" in en
    assert r"\text{батч[3], среднее }" in ru
    assert en.replace(r"\text{batch[3] mean }", "") == ru.replace(r"\text{батч[3], среднее }", "")


@pytest.mark.parametrize("setting", ["none", "/no/such/dot"])
def test_what_a_notebook_shows_without_a_renderer_is_russian(monkeypatch, setting):
    monkeypatch.setenv("SCALARGRAD_GRAPHVIZ", setting)
    o, _ = expression()
    shown = {}
    for lang in ("en", "ru"):
        L.set_language(lang)  # the note is written when the notebook shows the picture
        bundle = viz.draw_graph(o)._repr_mimebundle_()
        note = bundle["text/plain"].splitlines()[0]
        shown[lang] = note
    assert "DOT source" in shown["en"] and english_words(shown["en"].replace("SCALARGRAD_GRAPHVIZ", ""))
    assert "исходный текст DOT" in shown["ru"]
    assert not english_words(re.sub(r"SCALARGRAD_GRAPHVIZ=\S+", "", shown["ru"])), shown["ru"]


def test_the_collapsed_graph_says_so_in_russian():
    X, y = make_moons(10, noise=0.2, seed=0)
    m = nn.MLP(2, [16, 16, 1], activation="relu", seed=0)
    loss = nn.binary_cross_entropy_with_logits([m(list(X[0]))], y[:1])
    loss.backward()
    if viz.renderer() is None:
        pytest.skip("collapse='auto' measures the picture: needs a Graphviz renderer")
    text = dot_text(viz.draw_graph(loss, model=m, lang="ru").source)
    assert "каждый нейрон нарисован одним блоком" in text
    assert not english_words(text), text
