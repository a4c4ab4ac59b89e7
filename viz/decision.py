"""matplotlib plots of what a model learned: the decision boundary of a 2-D classifier,
a regression fit, and the Rosenblatt perceptron's moving decision line."""
from __future__ import annotations

import numpy as np

from autograd.language import language, resolve, tr

from .plots import TRAIN, VAL, new_figure, wrapped

CLASS_COLOURS = ["#2563eb", "#dc2626", "#16a34a", "#9333ea", "#ea580c", "#0891b2"]


def predict(model, X) -> np.ndarray:
    """Model outputs for the rows of ``X``: one batched forward pass when the model takes
    batched Values, else ``model.predict(X)``, else ``model(row)`` per row."""
    X = np.asarray(X, dtype=float)
    out = _predict_batched(model, X)
    if out is not None:
        return out
    if hasattr(model, "predict"):
        out = model.predict(X)
    elif callable(model):
        from autograd import no_grad
        with no_grad():
            rows = [model(list(map(float, row))) for row in X]
        out = [[float(v.data) for v in r] if isinstance(r, (list, tuple)) else float(getattr(r, "data", r))
               for r in rows]
    else:
        raise TypeError(f"expected a model (with .predict or callable), got {type(model).__name__}")
    return np.asarray(out, dtype=float)


def _predict_batched(model, X):
    """All rows at once (each input a ``Value.batch`` column) in eval mode, or None if the
    model can't take batches. The grid of a decision boundary is thousands of rows."""
    from autograd import Value, no_grad
    if not (hasattr(Value, "batch") and hasattr(model, "eval") and hasattr(model, "training")
            and X.ndim == 2 and len(X) > 1):
        return None
    was_training = model.training
    model.eval()
    try:
        with no_grad():
            out = model([Value.batch(col) for col in X.T])
        cols = out if isinstance(out, (list, tuple)) else [out]
        data = [np.broadcast_to(np.asarray(c.data, dtype=float), (len(X),)) for c in cols]
    except (TypeError, ValueError, AttributeError):
        return None
    finally:
        model.train(was_training)
    return data[0].copy() if len(data) == 1 else np.column_stack(data)


def _data(X, y):
    X = np.asarray(X, dtype=float)
    y = np.asarray(y).reshape(-1)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"a decision boundary needs 2-D inputs: X of shape (n, 2), got {X.shape}")
    if len(y) != len(X):
        raise ValueError(f"{len(X)} samples but {len(y)} labels")
    if len(X) == 0:
        raise ValueError("no data points: X is empty (shape (0, 2)); pass the samples to draw, "
                         "e.g. the training data")
    bad = np.flatnonzero(~np.isfinite(X).all(axis=1))
    if len(bad):
        rows = ", ".join(str(i) for i in bad[:5]) + (" ..." if len(bad) > 5 else "")
        raise ValueError(f"the data has non-finite values (nan or inf) in {len(bad)} of {len(X)} rows "
                         f"(rows {rows}: X[{bad[0]}] = {X[bad[0]].tolist()}); drop them, e.g. "
                         "keep = np.isfinite(X).all(axis=1); X, y = X[keep], y[keep]")
    return X, y


def _grid(X, resolution):
    pad = 0.1 * (X.max(axis=0) - X.min(axis=0)) + 1e-9
    lo, hi = X.min(axis=0) - pad, X.max(axis=0) + pad
    gx, gy = np.meshgrid(np.linspace(lo[0], hi[0], resolution), np.linspace(lo[1], hi[1], resolution))
    return gx, gy, np.column_stack([gx.ravel(), gy.ravel()])


def _scatter(ax, X, y, size: int = 22):
    for k, c in enumerate(np.unique(y)):
        m = y == c
        ax.scatter(X[m, 0], X[m, 1], s=size, color=CLASS_COLOURS[k % len(CLASS_COLOURS)],
                   edgecolors="black", linewidths=0.5, label=tr("class {c}", c=f"{c:g}" if np.isreal(c) else c),
                   zorder=3)


def plot_decision_boundary(model, X, y, resolution: int = 150, threshold=None, title: str | None = None, ax=None,
                           span: float | None = None, lang: str | None = None):
    """Regions a 2-D classifier assigns to each class, its boundary, and the data.

    One output: the score is shaded and the boundary is where it crosses ``threshold``
    (default 0.5 when every score lies in [0, 1], as from a sigmoid, else 0); the colours
    run from threshold - span to threshold + span (default: the largest distance on the
    grid; pass the same ``span`` to compare models on one colour scale). Several outputs:
    each point goes to the class with the largest output (argmax). The legend sits below
    the plot, never over the data. lang: the language of the labels and legend ("en", "ru";
    default: ``viz.set_language``'s).
    """
    with language(resolve(lang)):
        return _plot_decision_boundary(model, X, y, resolution, threshold, title, ax, span)


def _plot_decision_boundary(model, X, y, resolution, threshold, title, ax, span):
    X, y = _data(X, y)
    gx, gy, grid = _grid(X, resolution)
    out = predict(model, grid)
    own_figure = ax is None
    if not np.all(np.isfinite(out)):
        raise ValueError(tr("plot_decision_boundary: the model's outputs are nan or inf on the plotting "
                            "grid, so there is no boundary to draw; the training diverged (try a "
                            "smaller learning rate)"))
    fig, (ax,) = new_figure(ax=ax, size=(5.6, 4.8))
    if out.ndim == 1 or out.shape[1] == 1:
        s = out.reshape(gx.shape)
        if threshold is None:
            threshold = 0.5 if s.min() >= 0 and s.max() <= 1 else 0.0
        if span is None:
            span = max(abs(s.max() - threshold), abs(s.min() - threshold), 1e-12)
        elif not span > 0:
            raise ValueError(f"span must be a positive number, got {span!r}")
        from matplotlib.colors import LinearSegmentedColormap, TwoSlopeNorm
        cmap = LinearSegmentedColormap.from_list("classes", ["#93c5fd", "#f8fafc", "#fca5a5"])
        cs = ax.contourf(gx, gy, np.clip(s, threshold - span, threshold + span),
                         levels=np.linspace(threshold - span, threshold + span, 22), cmap=cmap,
                         norm=TwoSlopeNorm(threshold, threshold - span, threshold + span), alpha=0.85)
        if s.min() < threshold < s.max():
            ax.contour(gx, gy, s, levels=[threshold], colors="black", linewidths=2)
        from matplotlib.ticker import MaxNLocator
        fig.colorbar(cs, ax=ax, label=tr("model output (boundary at {threshold})", threshold=f"{threshold:g}"),
                     ticks=MaxNLocator(nbins=7))
    else:
        from matplotlib.colors import ListedColormap
        k = out.shape[1]
        cls = out.argmax(axis=1).reshape(gx.shape)
        colours = [CLASS_COLOURS[i % len(CLASS_COLOURS)] for i in range(k)]
        ax.contourf(gx, gy, cls, levels=np.arange(k + 1) - 0.5, cmap=ListedColormap(colours), alpha=0.25)
        ax.contour(gx, gy, cls, levels=np.arange(k) + 0.5, colors="black", linewidths=1.5)
    _scatter(ax, X, y)
    ax.set_xlabel("x₀")
    ax.set_ylabel("x₁")
    ax.set_title(wrapped(title or tr("decision boundary"), ax.figure.get_figwidth() - 2.0))  # ticks, colour bar
    _legend_off_the_data(fig, ax, own_figure)
    return fig


def _legend_off_the_data(fig, ax, own_figure: bool) -> None:
    """A legend that covers no data: below the plot in a figure of our own (constrained
    layout makes room), else the caller's axes' emptiest corner."""
    if own_figure:
        handles, labels = ax.get_legend_handles_labels()
        fig.legend(handles, labels, loc="outside lower center", ncols=min(len(labels), 4), fontsize=9,
                   frameon=False)
    else:
        ax.legend(loc="best", fontsize=9)


def plot_regression(model, x, y, target=None, title: str | None = None, ax=None, lang: str | None = None):
    """The data, the model's curve over the data's range, and (optionally) the true function
    ``target`` (a callable on a numpy array). lang: "en", "ru" (default: ``viz.set_language``'s)."""
    with language(resolve(lang)):
        return _plot_regression(model, x, y, target, title, ax)


def _plot_regression(model, x, y, target, title, ax):
    x = np.asarray(x, dtype=float)
    if x.ndim == 2 and x.shape[1] == 1:
        x = x[:, 0]
    if x.ndim != 1:
        raise ValueError(f"plot_regression draws 1-D inputs: x of shape (n,) or (n, 1), got {x.shape}")
    y = np.asarray(y, dtype=float).reshape(-1)
    if len(y) != len(x):
        raise ValueError(f"{len(x)} inputs but {len(y)} targets")
    xs = np.linspace(x.min(), x.max(), 200)
    pred = predict(model, xs.reshape(-1, 1)).reshape(len(xs), -1)[:, 0]
    fig, (ax,) = new_figure(ax=ax)
    ax.scatter(x, y, s=16, color="#64748b", alpha=0.8, label=tr("data"), zorder=3)
    if target is not None:
        ax.plot(xs, target(xs), color="black", ls=":", lw=1.5, label=tr("true function"))
    ax.plot(xs, pred, color=TRAIN, lw=2.2, label=tr("model"))
    mse = float(np.mean((predict(model, x.reshape(-1, 1)).reshape(len(x), -1)[:, 0] - y) ** 2))
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    ax.set_title(wrapped(title or tr("regression fit (MSE on the data {mse})", mse=f"{mse:.4g}"),
                         ax.figure.get_figwidth() - 1.0))
    ax.grid(alpha=0.3)
    ax.legend()
    return fig


def _perceptron_history(perceptron, caller: str) -> list:
    """``perceptron.history`` as arrays (w₁, w₂, b), or the error that says what ``caller`` needs."""
    history = [np.asarray(h, dtype=float) for h in getattr(perceptron, "history", [])]
    if not history or history[0].shape != (3,):
        raise ValueError(f"{caller} needs a 2-input Perceptron whose .history holds (w1, w2, b) vectors")
    return history


def plot_perceptron(perceptron, X, y, title: str | None = None, ax=None, lang: str | None = None):
    """The data and the perceptron's decision line w·x + b = 0 after each update (older
    lines fainter, the final one bold), from ``perceptron.history`` of (w₁, w₂, b).
    lang: "en", "ru" (default: ``viz.set_language``'s)."""
    with language(resolve(lang)):
        return _plot_perceptron(perceptron, X, y, title, ax)


def _plot_perceptron(perceptron, X, y, title, ax):
    X, y = _data(X, y)
    history = _perceptron_history(perceptron, "plot_perceptron")
    lines = [h for h in history if np.any(h[:2] != 0)]
    own_figure = ax is None
    fig, (ax,) = new_figure(ax=ax, size=(5.6, 4.8))
    lo, hi = X.min(axis=0), X.max(axis=0)
    pad = 0.1 * (hi - lo) + 1e-9
    lo, hi = lo - pad, hi + pad
    for k, w in enumerate(lines):
        final = k == len(lines) - 1
        _line(ax, w, lo, hi, color=VAL if final else "#64748b", lw=2.5 if final else 1.0,
              alpha=1.0 if final else 0.15 + 0.6 * k / max(1, len(lines) - 1),
              label=_final_line(len(history) - 1) if final else None)
    if lines:
        w = lines[-1]
        gx, gy = np.meshgrid(np.linspace(lo[0], hi[0], 200), np.linspace(lo[1], hi[1], 200))
        side = np.sign(w[0] * gx + w[1] * gy + w[2])
        from matplotlib.colors import ListedColormap
        ax.contourf(gx, gy, side, levels=[-1.5, 0, 1.5], cmap=ListedColormap(["#dbeafe", "#fee2e2"]), alpha=0.6)
    _scatter(ax, X, y)
    ax.set_xlim(lo[0], hi[0])
    ax.set_ylim(lo[1], hi[1])
    ax.set_xlabel("x₁")
    ax.set_ylabel("x₂")
    ax.set_title(wrapped(title or tr("perceptron: decision line w·x + b = 0 per update"),
                         ax.figure.get_figwidth() - 1.0))
    _legend_off_the_data(fig, ax, own_figure)
    return fig


def plot_perceptron_steps(perceptron, X, y, ncols: int = 4, max_steps: int = 16, lang: str | None = None):
    """The perceptron's updates as numbered frames: in frame k the line before update k
    (dashed), the example it got wrong (circled), and the line after (bold), which has
    turned towards that example. ``perceptron.history`` holds (w₁, w₂, b) after each update;
    the example of each update is the one with ``after - before = y·(x, 1)`` that the
    previous line got wrong. At most ``max_steps`` frames (the first ones). lang: "en", "ru"
    (default: ``viz.set_language``'s)."""
    with language(resolve(lang)):
        return _plot_perceptron_steps(perceptron, X, y, ncols, max_steps)


def _plot_perceptron_steps(perceptron, X, y, ncols, max_steps):
    X, y = _data(X, y)
    history = _perceptron_history(perceptron, "plot_perceptron_steps")
    if len(history) < 2:
        raise ValueError("the perceptron made no update (was fit() run, on data it gets wrong?)")
    Xt = np.hstack([X, np.ones((len(X), 1))])
    steps = list(zip(history, history[1:]))[:max_steps]
    ncols = max(1, min(ncols, len(steps)))
    nrows = -(-len(steps) // ncols)
    fig, axes = new_figure(ncols, nrows, size=(2.3, 2.2))
    lo, hi = X.min(axis=0), X.max(axis=0)
    pad = 0.1 * (hi - lo) + 1e-9
    lo, hi = lo - pad, hi + pad
    for k, (ax, (before, after)) in enumerate(zip(axes, steps), start=1):
        wrong = [n for n in range(len(X)) if np.allclose(after - before, y[n] * Xt[n])
                 and y[n] * (before @ Xt[n]) <= 0]
        _scatter(ax, X, y, size=10)
        if np.any(before[:2] != 0):
            _line(ax, before, lo, hi, color="#64748b", lw=1.2, ls="--")
        if np.any(after[:2] != 0):
            _line(ax, after, lo, hi, color=VAL, lw=2.2)
        if wrong:
            n = wrong[0]
            ax.scatter([X[n, 0]], [X[n, 1]], s=160, facecolors="none", edgecolors="black", linewidths=2, zorder=5)
        ax.set_xlim(lo[0], hi[0])
        ax.set_ylim(lo[1], hi[1])
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_title(tr("update {k}", k=k))
    for ax in axes[len(steps):]:
        ax.set_visible(False)
    fig.suptitle(wrapped(tr("circled: the example the dashed line got wrong; bold: the line after w ← w + y·x"),
                         fig.get_figwidth() - 0.2))
    return fig


def _final_line(n: int) -> str:
    return tr("final line (after {n} update)", n=n) if n == 1 else tr("final line (after {n} updates)", n=n)


def _line(ax, w, lo, hi, **style):
    w1, w2, b = w
    if abs(w2) > abs(w1):
        xs = np.array([lo[0], hi[0]])
        ax.plot(xs, -(w1 * xs + b) / w2, **style)
    else:
        ys = np.array([lo[1], hi[1]])
        ax.plot(-(w2 * ys + b) / w1, ys, **style)
