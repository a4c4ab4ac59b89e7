"""matplotlib plots of training: loss and metric curves, gradient size per layer, and the
activation functions with their derivatives. Each returns a ``matplotlib.figure.Figure``
made through pyplot and never calls ``plt.show()``: in a notebook, end the cell with
``plt.show()`` (or let the inline backend show it) and it appears once."""
from __future__ import annotations

import math
import re

import numpy as np

from autograd.language import language, resolve, tr

TRAIN, VAL, BEST = "#2563eb", "#ea580c", "#16a34a"


def new_figure(ncols: int = 1, nrows: int = 1, size=(6.4, 4.2), ax=None):
    """(figure, axes list): fresh axes, or the one ``ax`` given by the caller."""
    import matplotlib.pyplot as plt
    if ax is not None:
        return ax.figure, [ax]
    fig, axes = plt.subplots(nrows, ncols, squeeze=False, layout="constrained",
                             figsize=(size[0] * ncols, size[1] * nrows))
    return fig, axes.ravel().tolist()


def wrapped(text: str, inches: float, size="large") -> str:
    """``text`` broken at spaces into lines that fit ``inches`` at font ``size`` (a title's:
    matplotlib never wraps a title, and a Russian one is a third longer than the English)."""
    import textwrap

    from matplotlib.font_manager import FontProperties
    points = FontProperties(size=size).get_size_in_points()
    per_line = max(12, int(inches * 72 / (0.6 * points)))  # 0.6 em: DejaVu Sans's average letter
    glued = re.sub(r" ([=+←×−-]) ", "\u00a0\\1\u00a0", str(text))  # a formula stays on one line
    return "\n".join(textwrap.fill(line, per_line) for line in glued.split("\n")).replace("\u00a0", " ")


def _field(history, name):
    if isinstance(history, dict):
        return history.get(name)
    return getattr(history, name, None)


def plot_history(history, title: str | None = None, lang: str | None = None):
    """Train vs validation loss (and metric, when recorded) per epoch; the best epoch marked.

    ``history``: an ``nn.History`` or a dict with the same keys (train_loss, val_loss,
    train_metric, val_metric, best_epoch, stopped_epoch, metric_name; epochs count from 1).
    lang: the language of titles, labels and legend ("en", "ru"; default: ``viz.set_language``'s).
    """
    with language(resolve(lang)):
        return _plot_history(history, title)


def _plot_history(history, title):
    train_loss = list(_field(history, "train_loss") or [])
    if not train_loss:
        raise ValueError(tr("plot_history: the history has no train_loss values (was fit() run for at least one epoch?)"))
    val_loss = list(_field(history, "val_loss") or [])
    train_metric = list(_field(history, "train_metric") or [])
    val_metric = list(_field(history, "val_metric") or [])
    metric = tr(_field(history, "metric_name") or "metric")  # fit's names ("accuracy") are in the catalog
    best = _field(history, "best_epoch")
    stopped = _field(history, "stopped_epoch")
    epochs = list(_field(history, "epochs") or range(1, len(train_loss) + 1))
    panels = [(tr("loss"), train_loss, val_loss)]
    if any(v is not None for v in train_metric + val_metric):
        panels.append((metric, train_metric, val_metric))
    fig, axes = new_figure(1, len(panels), size=(6.4, 3.4))  # stacked: readable at a cell's width
    for ax, (name, train, val) in zip(axes, panels):
        _curve(ax, epochs, train, tr("train {name}", name=name), TRAIN)
        _curve(ax, epochs, val, tr("validation {name}", name=name), VAL)
        if best is not None:
            ax.axvline(best, color=BEST, ls="--", lw=1.2, label=tr("best epoch {best}", best=best))
            series = val if any(v is not None for v in val) else train
            if best in epochs and series and series[epochs.index(best)] is not None:
                y = series[epochs.index(best)]
                ax.plot([best], [y], marker="*", ms=14, color=BEST, zorder=5)
                ax.annotate(f"{y:.4g}", (best, y), textcoords="offset points", xytext=(6, 8), color=BEST)
        if stopped is not None:
            ax.axvline(stopped, color="#64748b", ls=":", lw=1.2, label=tr("stopped at epoch {stopped}", stopped=stopped))
        ax.set_xlabel(tr("epoch"))
        ax.set_ylabel(name)
        ax.set_title(tr("{name} (train vs validation)", name=name) if any(v is not None for v in val) else name)
        ax.grid(alpha=0.3)
        ax.legend()
    if title:
        fig.suptitle(title)
    return fig


def _curve(ax, x, y, label, colour):
    pts = [(a, b) for a, b in zip(x, y) if b is not None]
    if pts:
        xs, ys = zip(*pts)
        ax.plot(xs, ys, marker="o" if len(xs) <= 30 else None, ms=3, color=colour, label=label)


def grad_norms(model) -> dict:
    """{layer name: ‖grad‖₂ of its parameters} (dotted names up to '.neurons.' are one layer).

    ‖g‖₂ = sqrt(Σ gᵢ²), computed by ``math.hypot``, which scales first: no overflow for
    gradients ≥ 1e154, whose squares alone would be inf."""
    if not hasattr(model, "named_parameters"):
        raise TypeError(f"grad_norms needs a module with named_parameters(), got {type(model).__name__}")
    grads: dict = {}
    for name, p in model.named_parameters():
        layer = name.split(".neurons.")[0] if ".neurons." in name else (
            "layer" if name.startswith("neurons.") else "neuron" if name.startswith(("w.", "b")) else name.rsplit(".", 1)[0])
        grads.setdefault(layer, []).append(float(p.grad))
    return {k: math.hypot(*v) for k, v in grads.items()}


def plot_grad_norms(model_or_dict, log: bool | None = None, title: str | None = None, ax=None,
                    lang: str | None = None):
    """Gradient size ‖grad‖₂ per layer, input side first: vanishing gradients at a glance.

    ``model_or_dict``: a model (after ``backward()``), a dict {layer: norm}, or a dict of
    those to compare, e.g. {"plain": deep_model, "with skips": res_model} (grouped bars).
    log: logarithmic y axis (default: when the sizes span more than 100×). lang: the language
    of the labels ("en", "ru"; default: ``viz.set_language``'s).
    """
    with language(resolve(lang)):
        return _plot_grad_norms(model_or_dict, log, title, ax)


def _plot_grad_norms(model_or_dict, log, title, ax):
    if isinstance(model_or_dict, dict) and model_or_dict and all(
            hasattr(v, "named_parameters") or isinstance(v, dict) for v in model_or_dict.values()):
        series = {str(k): (grad_norms(v) if hasattr(v, "named_parameters") else dict(v))
                  for k, v in model_or_dict.items()}
    else:
        one = grad_norms(model_or_dict) if hasattr(model_or_dict, "named_parameters") else dict(model_or_dict)
        series = {"‖grad‖": one}
    layers = []
    for s in series.values():
        layers += [k for k in s if k not in layers]
    if not layers:
        raise ValueError("plot_grad_norms: nothing to plot (no layers)")
    fig, (ax,) = new_figure(ax=ax, size=(max(5.0, 0.9 * len(layers) + 2), 4.0))
    width = 0.8 / len(series)
    values = []
    for k, (name, s) in enumerate(series.items()):
        ys = [float(s.get(layer, np.nan)) for layer in layers]
        values += [y for y in ys if y > 0 and np.isfinite(y)]
        xs = np.arange(len(layers)) + (k - (len(series) - 1) / 2) * width
        bars = ax.bar(xs, ys, width=width * 0.95, label=name)
        ax.bar_label(bars, labels=[f"{y:.3g}" for y in ys], fontsize=9, padding=2)
    if log is None:
        log = bool(values) and max(values) / min(values) > 100
    odd = [f"{layer} ({y})" for s in series.values() for layer, y in s.items() if not np.isfinite(y)]
    if log and not values and odd:  # matplotlib would say "all values are <= 0", which misleads here
        raise ValueError(
            f"plot_grad_norms(log=True): the gradient norms are not finite numbers ({', '.join(odd[:4])}), "
            "so a log scale has nothing to show: the training diverged or backward() met a nan "
            "(autograd.detect_anomaly() names the op); log=False draws them as labels")
    if log:
        ax.set_yscale("log")
    ax.set_xticks(range(len(layers)), layers, rotation=30 if len(layers) > 6 else 0, ha="right" if len(layers) > 6 else "center")
    ax.set_xlabel(tr("layer (input → output)"))
    ax.set_ylabel(tr("‖grad‖₂ of the layer's parameters") + (tr(" (log scale)") if log else ""))
    ax.set_title(wrapped(title or tr("gradient size per layer"), fig.get_figwidth() - 1.0))
    ax.grid(axis="y", alpha=0.3)
    if len(series) > 1:
        ax.legend()
    return fig


DEFAULT_ACTIVATIONS = ("step", "identity", "sigmoid", "tanh", "relu", "leaky_relu")


def plot_activations(names=None, x_range=(-4.0, 4.0), lang: str | None = None):
    """Each activation f(x) (solid) with its derivative f'(x) (dashed), one panel each.

    ``names``: activation names of ``nn.activations`` (default: step, identity, sigmoid,
    tanh, relu, leaky_relu). Values and derivatives come from the same rules the graph uses.
    lang: the language of the notes ("en", "ru"; default: ``viz.set_language``'s).
    """
    with language(resolve(lang)):
        return _plot_activations(names, x_range)


def _plot_activations(names, x_range):
    from autograd import Value
    from nn import activations
    names = list(names or DEFAULT_ACTIVATIONS)
    for n in names:
        activations.resolve(n)  # a clear error for an unknown name
    xs = np.linspace(*x_range, 401)
    ncols = min(2, len(names))  # two across: readable at a notebook cell's width
    nrows = math.ceil(len(names) / ncols)
    fig, axes = new_figure(ncols, nrows, size=(4.0, 3.2))
    for ax, name in zip(axes, names):
        ys = np.array([activations.apply(name, Value(float(x))).data for x in xs])
        ds = np.broadcast_to(np.asarray(activations.derivative(name, xs), dtype=float), xs.shape)
        ax.axhline(0, color="#94a3b8", lw=0.8)
        ax.axvline(0, color="#94a3b8", lw=0.8)
        ax.plot(xs, ys, color=TRAIN, lw=2, label="f(x)")
        ax.plot(xs, ds, color=VAL, lw=2, ls="--", label="f'(x)")
        k = int(np.argmax(ds))
        ax.annotate(tr("max f' = {value}", value=f"{ds[k]:.3g}"), (xs[k], ds[k]), textcoords="offset points", xytext=(5, 5),
                    fontsize=9, color=VAL)
        low, high = ax.get_ylim()
        ax.set_ylim(low, max(high, ds[k] + 0.15 * (high - low)))  # room for the note under the title
        ax.set_title(name)
        ax.set_xlabel("x")
        ax.grid(alpha=0.3)
        ax.legend(fontsize=9, loc="upper left")
    for ax in axes[len(names):]:
        ax.set_visible(False)
    return fig
