"""``scalargrad demo``: train an MLP on a built-in dataset and write every picture into one folder.

The folder gets loss curves, the decision boundary, the network diagram, the forward and
backward graph of one example through one neuron (micrograd's fine-grained graph), the
step-through of that backward pass (a page with a slider, a GIF and one SVG per step) and
``index.html`` showing all.
"""
from __future__ import annotations

import importlib.util
import math
import os
import sys
import time
import warnings
from dataclasses import dataclass
from pathlib import Path

from autograd.language import LANGUAGES, language, resolve, tr

from . import args as cli_args
from .args import UsageError
from .report import Section, write_index

# name -> (nn.data function, its keyword arguments besides n and seed)
DATASETS = {
    "moons": ("make_moons", {"noise": 0.2}),
    "circles": ("make_circles", {"noise": 0.1, "factor": 0.5}),
    "blobs": ("make_blobs", {"centers": 3, "std": 1.5}),
    "spirals": ("make_spirals", {"classes": 3, "noise": 0.1, "turns": 1.0}),
    "xor": ("make_xor", {"noise": 0.2}),
}
OPTIMIZERS = {"adam": 0.02, "sgd": 0.1}  # name -> default learning rate
BATCH_SIZE = 16
VAL_FRACTION = 0.25
PATIENCE = 25  # early stopping: epochs without a better validation loss
MAX_WIDTH, MAX_LAYERS = 64, 6  # bigger networks train slowly and their diagram is unreadable


@dataclass(frozen=True)
class Options:
    """The demo's settings, checked."""

    dataset: str
    hidden: tuple
    epochs: int
    optimizer: str
    lr: float
    seed: int
    samples: int
    out: Path
    progress: bool | None
    lang: str  # of the pictures, index.html and the printed summary


def options(args) -> Options:
    """Check every option before any work is done (a UsageError names the bad one)."""
    dataset = args.dataset.strip().lower()
    if dataset not in DATASETS:
        raise UsageError(f"unknown dataset {args.dataset!r}; choose one of {', '.join(DATASETS)}")
    optimizer = args.optimizer.strip().lower()
    if optimizer not in OPTIMIZERS:
        raise UsageError(f"unknown optimizer {args.optimizer!r}; choose one of {', '.join(OPTIMIZERS)}")
    try:
        hidden = tuple(cli_args.count(h, "--hidden", 1, MAX_WIDTH) for h in args.hidden.split(",") if h.strip())
    except UsageError as e:
        raise UsageError(f"{e} (give layer widths like 16,16)") from None
    if not 1 <= len(hidden) <= MAX_LAYERS:
        raise UsageError(f"--hidden: give 1 to {MAX_LAYERS} layer widths, e.g. 16 or 16,16")
    lr = OPTIMIZERS[optimizer] if args.lr is None else cli_args.positive(args.lr, "--lr")
    try:
        lang = resolve(getattr(args, "lang", None))
    except ValueError:
        raise UsageError(f"--lang: unknown language {args.lang!r}; choose one of {', '.join(LANGUAGES)}") from None
    return Options(
        dataset=dataset, hidden=hidden, epochs=cli_args.count(args.epochs, "--epochs", 1, 100_000),
        optimizer=optimizer, lr=lr, seed=cli_args.count(args.seed, "--seed", 0, 2**32 - 1),
        samples=cli_args.count(args.samples, "--samples", 8, 100_000), out=Path(args.out),
        progress=False if args.no_progress else None, lang=lang)


def run_demo(args) -> int:
    opts = options(args)
    with language(opts.lang):  # the pictures, the page and what is printed
        return _run_demo(opts)


def _run_demo(opts: Options) -> int:
    missing = [pkg for pkg, module in (("matplotlib", "matplotlib"), ("pillow", "PIL"))
               if importlib.util.find_spec(module) is None]
    if missing:
        raise UsageError(f"the demo draws with {' and '.join(missing)}, which is not installed: "
                         "pip install 'scalargrad[plots,render]' (python3 run.py demo installs everything)")
    out = cli_args.writable_dir(opts.out)
    start = time.perf_counter()
    os.environ.setdefault("MPLBACKEND", "Agg")  # files only, never a window
    import nn
    import viz

    run = train(nn, opts)
    if run is None:
        return 1
    print(tr("drawing the pictures into {out}/ ...", out=out), flush=True)
    pictures = Pictures(out, viz)
    sections = draw(nn, viz, run, pictures)
    if pictures.notes:
        sections.insert(0, Section(tr("Note"), notes=sorted(set(pictures.notes))))
    index = write_index(out, tr("scalargrad demo"), run.facts(), sections, lang=opts.lang)
    print(tr("wrote {n} files to {out}/ in {seconds} s; open {uri} in a browser", n=len(pictures.written) + 1,
             out=out, seconds=f"{time.perf_counter() - start:.1f}", uri=index.resolve().as_uri()))
    for note in sorted(set(pictures.notes)):
        print(tr("note: {note}", note=note))
    return 0


@dataclass
class Run:
    """A trained model with its data and numbers, for the pictures and the page."""

    opts: Options
    model: object
    X: object
    y: object
    train: tuple
    val: tuple
    history: object
    arch: str
    train_acc: float
    val_acc: float

    def facts(self) -> list:
        o, h = self.opts, self.history
        return [(tr("dataset"), tr("{dataset}: {n_train} train / {n_val} validation points", dataset=o.dataset,
                                   n_train=len(self.train[0]), n_val=len(self.val[0]))),
                (tr("model"), tr("MLP {arch}, relu; {n} parameters", arch=self.arch, n=len(self.model.parameters()))),
                (tr("training"), tr("{optimizer}, lr {lr}, batch {batch}, seed {seed}; {epochs} epochs, best {best}",
                                    optimizer=o.optimizer, lr=f"{o.lr:g}", batch=BATCH_SIZE, seed=o.seed,
                                    epochs=len(h.train_loss), best=h.best_epoch)),
                (tr("train accuracy"), f"{100 * self.train_acc:.1f}%"),
                (tr("validation accuracy"), f"{100 * self.val_acc:.1f}%")]


def train(nn, opts: Options) -> Run | None:
    """Make the data, train the MLP with a progress bar, print the accuracies (None: diverged)."""
    start = time.perf_counter()
    maker, kwargs = DATASETS[opts.dataset]
    X, y = getattr(nn.data, maker)(n=opts.samples, seed=opts.seed, **kwargs)
    split = nn.data.train_val_test_split(X, y, val=VAL_FRACTION, test=0.0, seed=opts.seed)
    classes = int(y.max()) + 1
    binary = classes == 2
    sizes = [*opts.hidden, 1 if binary else classes]
    model = nn.MLP(2, sizes, activation="relu", seed=opts.seed)
    loss_fn = nn.binary_cross_entropy_with_logits if binary else nn.cross_entropy
    threshold = 0.0 if binary else None  # one output is a logit: class 1 when it is > 0

    def accuracy(outputs, targets):
        return nn.accuracy(outputs, targets, threshold=threshold)

    Optimizer = nn.optim.Adam if opts.optimizer == "adam" else nn.optim.SGD
    optimizer = Optimizer(model.parameters(), lr=opts.lr)
    arch = "-".join(map(str, [2, *sizes]))
    print(tr("scalargrad demo: {dataset}, {n} points ({n_train} train / {n_val} validation), MLP {arch} (relu), "
             "{optimizer} lr {lr}, up to {epochs} epochs, batch {batch}", dataset=opts.dataset, n=len(X),
             n_train=len(split.train[0]), n_val=len(split.val[0]), arch=arch, optimizer=opts.optimizer,
             lr=f"{opts.lr:g}", epochs=opts.epochs, batch=BATCH_SIZE), flush=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a diverging loss is reported below
        history = nn.fit(model, loss_fn, optimizer, split.train, val=split.val, epochs=opts.epochs,
                         batch_size=BATCH_SIZE, metric=accuracy, early_stopping=PATIENCE,
                         progress=opts.progress, seed=opts.seed)
    losses = history.train_loss + history.val_loss
    if history.best_epoch is None or not all(map(math.isfinite, losses)):
        print(tr("scalargrad demo: training diverged: the loss became {loss} in epoch {epoch} with {optimizer} "
                 "lr {lr}; try a smaller --lr (the default for {optimizer} is {default})", loss=losses[-1],
                 epoch=len(history.train_loss), optimizer=opts.optimizer, lr=f"{opts.lr:g}",
                 default=f"{OPTIMIZERS[opts.optimizer]:g}"), file=sys.stderr)
        return None
    run = Run(opts, model, X, y, split.train, split.val, history, arch,
              _accuracy(nn, model, *split.train, threshold), _accuracy(nn, model, *split.val, threshold))
    stopped = tr(", stopped early at epoch {epoch}", epoch=history.stopped_epoch) if history.stopped_epoch else ""
    print(tr("train accuracy: {train}%   validation accuracy: {val}%   (weights of epoch {best}, the lowest "
             "validation loss{stopped}; {seconds} s)", train=f"{100 * run.train_acc:.1f}",
             val=f"{100 * run.val_acc:.1f}", best=history.best_epoch, stopped=stopped,
             seconds=f"{time.perf_counter() - start:.1f}"), flush=True)
    return run


def draw(nn, viz, run: Run, pictures: Pictures) -> list:
    """Write every picture of ``run``; return the sections of index.html that show them."""
    o, arch = run.opts, run.arch
    pictures.figure(viz.plot_history(run.history, title=f"{o.dataset}: MLP {arch}"), "loss.png")
    pictures.figure(viz.plot_decision_boundary(run.model, run.X, run.y,
                                               title=tr("{dataset}: what the MLP learned", dataset=o.dataset)),
                    "decision_boundary.png")
    network = pictures.graph(viz.draw_network(run.model, title=f"MLP {arch}"), "network")
    neuron, example, root = one_neuron(nn, run.model, run.train[0])
    forward = pictures.graph(viz.draw_graph(root, view="forward", model=neuron), "neuron_forward")
    backward = pictures.graph(viz.draw_graph(root, view="backward", model=neuron), "neuron_backward")
    replay = viz.backward_steps(root, model=neuron)
    gif, frames = pictures.steps(replay, "backward_steps")
    page = pictures.step_page(replay, "backward_steps.html")
    x_text = ", ".join(f"{v:.3g}" for v in example)
    return [
        Section(tr("Training"), tr(
                "Loss and accuracy per epoch on the training and the validation data; the dashed line marks the "
                "epoch with the lowest validation loss, whose weights are kept (training stops after {patience} "
                "epochs without a better one: early stopping).", patience=PATIENCE),
                pictures=[("loss.png", tr("loss and accuracy per epoch: train vs validation"))]),
        Section(tr("Decision boundary"), tr("The class the trained network assigns to each point of the plane, "
                                            "with the data on top."),
                pictures=[("decision_boundary.png", tr("decision boundary on {dataset}; validation accuracy "
                                                       "{accuracy}%", dataset=o.dataset,
                                                       accuracy=f"{100 * run.val_acc:.1f}"))]),
        Section(tr("The network"), tr("Every neuron and synapse; the colour of an edge is the sign of its weight, "
                                      "its width the size."),
                **network(tr("network diagram of the trained MLP {arch}", arch=arch))),
        Section(tr("One example through one neuron: forward"), tr(
                "The first hidden neuron <code>layers.0.neurons.0</code> on the training example x = ({x}), drawn "
                "as micrograd's graph: one node per * and +, then the activation. Each box shows the value computed "
                "in the forward pass.", x=x_text),
                **forward(tr("forward pass: a = relu(w·x + b) at x = ({x})", x=x_text))),
        Section(tr("The same neuron: backward"), tr(
                "After <code>backward()</code>: each box holds d(output)/d(node); each edge the local derivative "
                "and what it adds to the grad (the chain rule)."),
                **backward(tr("backward pass: grads and local derivatives"))),
        Section(tr("Backpropagation step by step"), tr(
                "The backward pass replayed one node at a time, in reverse topological order ({n} steps). Step "
                "through it with a slider (or the arrow keys) on its own page, which works offline:",
                n=len(replay.frames)), **page(tr("the step-through: a slider over the steps"))),
        Section(tr("The same steps as an animation"), "", **gif(tr("animation of the backward pass"))),
        Section(tr("The steps as slides"), tr("One SVG per step, for slides:"),
                **frames([tr("step {i}: {text}", i=i + 1, text=f.text) for i, f in enumerate(replay.frames)])),
    ]


def _accuracy(nn, model, X, y, threshold) -> float:
    """Accuracy of the trained model on (X, y), in eval mode without building a graph."""
    from autograd import no_grad

    model.eval()
    with no_grad():
        outputs = [model(row) for row in X.tolist()]
    return nn.accuracy(outputs, y, threshold=threshold)


def one_neuron(nn, model, X):
    """(a copy of the first hidden neuron, example, output Value a): the neuron on the first
    training example that makes it fire (so gradients flow), built unfused (one node per
    * and +) with short labels w.0, w.1, b, x0, x1, z = w·x + b, a = act(z); backward() run."""
    from autograd import Value

    original = model.layers[0].neurons[0]
    neuron = nn.Neuron(original.nin, activation=original.activation, fused=False)
    neuron.load_state_dict(original.state_dict())
    rows = X.tolist()
    for k, row in enumerate(rows):
        if sum(w.data * x for w, x in zip(neuron.w, row)) + neuron.b.data > 0:
            break
    else:
        k = 0
    example = rows[k]
    a = neuron([Value(v, label=f"x{i}") for i, v in enumerate(example)])
    a.label = "a"
    if a.op == neuron.activation and len(a.parents) == 1:
        a.parents[0].label = "z"
    a.backward()
    return neuron, example, a


class Pictures:
    """Writes pictures into ``out``, falling back to DOT text when Graphviz is missing or fails.

    Each graph method returns a function caption -> the Section fields that show the file.
    """

    def __init__(self, out: Path, viz):
        self.out = out
        self.viz = viz
        self.can_render = viz.renderer() is not None
        self.written: list = []
        self.notes: list = []
        if not self.can_render:
            self.notes.append(tr("No Graphviz renderer was found, so the graphs are written as .dot text "
                                 "(install scalargrad[render], or a system Graphviz, then run the demo again; "
                                 "or render one yourself: dot -Tsvg network.dot -o network.svg)."))

    def _write(self, name: str, data: bytes) -> str:
        path = self.out / name
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            path.write_bytes(data)
        except OSError as e:
            raise UsageError(f"cannot write {path}: {e.strerror or e}") from None
        self.written.append(name)
        return name

    def figure(self, fig, name: str) -> str:
        import matplotlib.pyplot as plt

        try:
            fig.savefig(self.out / name, dpi=110, bbox_inches="tight")
        except OSError as e:
            raise UsageError(f"cannot write {self.out / name}: {e.strerror or e}") from None
        finally:
            plt.close(fig)
        self.written.append(name)
        return name

    def _render(self, graph, fmt: str):
        """The graph rendered as ``fmt`` bytes, or None (with a note) if that is not possible."""
        if not self.can_render:
            return None
        try:
            return graph.render(fmt)
        except RuntimeError as e:
            self.notes.append(tr("Graphviz could not draw a graph, written as .dot instead: {error}", error=e))
            return None

    def _drop(self, name: str) -> None:
        """Remove a file an earlier run wrote that this run replaces by another format."""
        (self.out / name).unlink(missing_ok=True)

    def graph(self, graph, stem: str):
        svg = self._render(graph, "svg")
        name = self._write(f"{stem}.svg", svg) if svg is not None else self._write(
            f"{stem}.dot", graph.source.encode("utf-8"))
        self._drop(f"{stem}.dot" if svg is not None else f"{stem}.svg")

        def fields(caption):
            return ({"pictures": [(name, caption)]} if svg is not None else
                    {"links": [(name, tr("{caption} (DOT text)", caption=caption))]})
        return fields

    def step_page(self, replay, name: str):
        """The self-contained step-through page (``Replay.save_html``), linked from the index."""
        try:
            replay.save_html(self.out / name)
        except OSError as e:
            raise UsageError(f"cannot write {self.out / name}: {e.strerror or e}") from None
        self.written.append(name)

        def fields(caption):
            return {"links": [(name, caption)]}
        return fields

    def steps(self, replay, folder: str):
        """(fields of the GIF, fields of the frames folder) for a ``viz.Replay``."""
        frame_dir = self.out / folder
        if frame_dir.is_dir():  # drop the frames of an earlier, longer run
            for old in list(frame_dir.glob("step_*.svg")) + list(frame_dir.glob("step_*.dot")):
                old.unlink()
        rendered = [self._render(f.graph, "svg") for f in replay.frames] if self.can_render else []
        width = max(3, len(str(len(replay.frames))))
        names = []
        for i, f in enumerate(replay.frames):
            svg = rendered[i] if rendered else None
            suffix = "svg" if svg is not None else "dot"
            names.append(self._write(f"{folder}/step_{i + 1:0{width}d}.{suffix}",
                                     svg if svg is not None else f.graph.source.encode("utf-8")))
        gif_name = None
        self._drop(f"{folder}.gif")
        if self.can_render and all(r is not None for r in rendered):
            try:
                replay.save_gif(self.out / f"{folder}.gif")
                gif_name = f"{folder}.gif"
                self.written.append(gif_name)
            except (RuntimeError, OSError, ImportError) as e:
                self.notes.append(tr("The animated GIF could not be made: {error}", error=e))

        def gif_fields(caption):
            return {"pictures": [(gif_name, caption)]} if gif_name else {}

        def frame_fields(captions):  # links: at a grid's size their text would be too small to read
            return {"links": [(n, c) for n, c in zip(names, captions)]}
        return gif_fields, frame_fields
