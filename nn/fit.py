"""``fit``: the training loop (epochs of mini-batches, validation, early stopping) and its
``History`` of per-epoch losses and metrics, ready for ``viz.plot_history``."""
from __future__ import annotations

import math
import numbers
import sys
from dataclasses import dataclass, field

from autograd import gc_paused, no_grad, user_warnings
from autograd.language import tr

from . import losses as _losses
from . import metrics as _metrics
from .data import DataLoader, as_arrays
from .regularization import l2_penalty


@dataclass
class History:
    """Per-epoch records of one ``fit``; ``epochs`` are numbered from 1.

    ``best_epoch``: the epoch with the lowest validation loss (training loss without
    validation data); ``stopped_epoch``: where early stopping ended training (None if it
    ran all epochs). ``lr``: the learning rate used in each epoch. ``step_loss``: the
    loss of every optimizer step (one per mini-batch, before its update; online SGD's
    noise shows here, an epoch's mean hides it); ``steps_per_epoch``: how many steps each
    epoch took (``step_loss`` index / steps = fractional epoch).
    """

    epochs: list = field(default_factory=list)
    train_loss: list = field(default_factory=list)
    val_loss: list = field(default_factory=list)
    train_metric: list = field(default_factory=list)
    val_metric: list = field(default_factory=list)
    lr: list = field(default_factory=list)
    step_loss: list = field(default_factory=list)
    steps_per_epoch: list = field(default_factory=list)
    metric_name: str | None = None
    best_epoch: int | None = None
    stopped_epoch: int | None = None

    def as_dict(self) -> dict:
        return dict(vars(self))


def _interactive() -> bool:
    """True when stderr is a terminal, where a progress bar helps and leaves no trace. Not in
    Jupyter: a bar there is stored in the notebook as a widget output, which a handed-out
    (untrusted or exported) copy shows as a line of text; pass progress=True to see one."""
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


# the output value that separates the classes, by loss: logits and ±1 scores at 0,
# probabilities (and 0/1 regression targets) at 0.5
_THRESHOLD_AT_ZERO = ("binary_cross_entropy_with_logits", "hinge_loss", "logistic_loss")


def _metric_for(metric_fn, loss_fn):
    """``metric_fn``, told how to threshold when it is accuracy: fit knows the loss, so
    logits are cut at 0 and probabilities at 0.5 (accuracy alone can only guess)."""
    if metric_fn is not _metrics.accuracy:
        return metric_fn
    threshold = 0.0 if getattr(loss_fn, "__name__", "") in _THRESHOLD_AT_ZERO else 0.5

    def accuracy(outputs, targets):
        return _metrics.accuracy(outputs, targets, threshold=threshold)
    return accuracy


def _resolve(name_or_fn, table: dict, what: str):
    if name_or_fn is None or callable(name_or_fn):
        return name_or_fn
    if name_or_fn in table:
        return table[name_or_fn]
    raise ValueError(f"unknown {what} {name_or_fn!r}; use a function or one of {', '.join(table)}")


def _batchable(model, loss_fn, metric_fn) -> bool:
    """Can a step run in batched mode? Yes for a model made of nn's layers (they take a
    2-D array: one graph for the whole batch) with nn's own loss and metric."""
    from .dropout import Dropout
    from .neuron import MLP, Layer, Neuron
    from .residual import Residual, Sequential

    kinds = (MLP, Layer, Neuron, Dropout, Residual, Sequential)
    return (all(type(m) in kinds for m in model.modules())
            and loss_fn in _losses.LOSSES.values()
            and (metric_fn is None or metric_fn in _metrics.METRICS.values()))


def _outputs(model, X, y, batched: bool):
    """(outputs, targets) for the rows of X: batched Values, or one graph per sample."""
    if batched:
        return model(X), y
    return model._forward_many(X.tolist()), y.tolist()


def _evaluate(model, loss_fn, metric, X, y, batched: bool = False):
    """(loss, metric) of ``model`` on (X, y) in eval mode, without building a graph."""
    model.eval()
    with no_grad():
        outs, targets = _outputs(model, X, y, batched)
        loss = loss_fn(outs, targets).data
    return loss, (metric(outs, targets) if metric else None)


def _training_set(data, name: str, what: str):
    """``(X, y)`` as arrays, refusing an empty set; bool labels become 0/1 (in both modes)."""
    if not isinstance(data, (tuple, list)) or len(data) != 2:
        raise ValueError(f"fit: {name} must be a pair (X, y), got {type(data).__name__}"
                         + (f" of length {len(data)}" if isinstance(data, (tuple, list)) else ""))
    X, y = as_arrays(*data)
    if len(X) == 0:
        raise ValueError(f"fit: {what} is empty (X has 0 samples)"
                         + ("; pass val=None to train without one" if name == "val" else ""))
    if y.dtype == bool:
        y = y.astype(int)
    return X, y


def _is_count(n, minimum: int) -> bool:
    """A whole number (int or numpy integer, not bool) >= minimum."""
    return isinstance(n, numbers.Integral) and not isinstance(n, bool) and n >= minimum


def _check_fits(model, loss_fn, metric_fn, X, y, batched: bool, what: str) -> None:
    """Run ``X`` through the model and the loss once, in eval mode without a graph, so that a
    set that does not fit (wrong number of features, labels the loss refuses) is reported
    before training changes the model."""
    was_training = model.training
    model.eval()
    try:
        with no_grad():
            outs, targets = _outputs(model, X, y, batched)
            loss_fn(outs, targets)
            if metric_fn:
                metric_fn(outs, targets)
    except (ValueError, TypeError, IndexError) as e:
        raise ValueError(f"fit: {what} does not fit the model or the loss: {e}") from e
    finally:
        model.train(was_training)


def fit(model, loss_fn, optimizer, train, val=None, epochs: int = 100, batch_size=None,
        early_stopping: int | None = None, metric=None, scheduler=None, progress: bool | None = None,
        seed=0, l2: float = 0.0, shuffle: bool = True, batched: bool | None = None) -> History:
    """Train ``model`` on ``train = (X, y)`` for ``epochs`` passes of mini-batches.

    Each step: outputs = [model(x) for x in batch]; loss = loss_fn(outputs, targets)
    (+ ``l2_penalty(model.parameters(), l2)``); zero_grad; backward; optimizer.step().
    ``loss_fn`` / ``metric``: a function or a name ("mse", "hinge", ... / "accuracy", "mse", ...).
    ``batch_size``: None = full batch, 1 = online. Reported train loss and metric are the
    means over the epoch's batches (before each update, without the L2 term); validation
    ones are measured after the epoch in eval mode. ``early_stopping=k``: stop when the
    validation loss has not improved for k epochs and restore the best epoch's weights.
    ``scheduler.step()`` runs after each epoch. ``progress``: a tqdm bar (default: only
    in a terminal; in Jupyter pass progress=True, though the bar is then stored in the
    notebook as a widget). ``batched``: None (default) runs each batch as ONE graph of
    batched Values whenever the model and the loss allow it (nn's layers, losses and
    metrics: same results, much faster); False builds one graph per sample.
    """
    loss_fn = _resolve(loss_fn, _losses.LOSSES, "loss")
    if loss_fn is None:
        raise ValueError("fit needs a loss function, e.g. nn.mse_loss or 'mse'")
    metric_fn = _resolve(metric, _metrics.METRICS, "metric")
    can_batch = _batchable(model, loss_fn, metric_fn)
    if batched and not can_batch:
        raise ValueError("fit(batched=True) needs a model made of nn's layers (MLP, Layer, Neuron, "
                         "Dropout, Residual, Sequential) and one of nn's losses and metrics; "
                         "use batched=None to fall back to one graph per sample")
    batched = can_batch if batched is None else bool(batched)
    metric_fn = _metric_for(metric_fn, loss_fn)
    # every input is checked before the first step changes the model: the arguments and the
    # validation set here, the training set by the first step's forward pass
    X, y = _training_set(train, "train", "the training set")
    if val is not None:
        Xv, yv = _training_set(val, "val", "the validation set")
    if not _is_count(epochs, minimum=0):
        raise ValueError(f"epochs is a number of passes over the data (a whole number >= 0), got {epochs!r}")
    if early_stopping is not None and not _is_count(early_stopping, minimum=1):
        raise ValueError(f"early_stopping is a patience in epochs (a positive whole number), got {early_stopping!r}")
    if early_stopping is not None and val is None:
        raise ValueError(f"early_stopping={early_stopping!r} watches the validation loss, but no validation data "
                         "was given: pass val=(X_val, y_val), e.g. from nn.data.train_val_split, "
                         "or drop early_stopping")
    if val is not None:  # the whole set: a bad label anywhere would stop training after an epoch
        _check_fits(model, loss_fn, metric_fn, Xv, yv, batched, "the validation set (val)")
    loader = DataLoader(X, y, batch_size, shuffle=shuffle, seed=seed)
    params = model.parameters()
    history = History(metric_name=(metric if isinstance(metric, str) else getattr(metric_fn, "__name__", None))
                      if metric_fn else None)
    show = _interactive() if progress is None else bool(progress)
    from tqdm.auto import tqdm

    was_training = model.training
    best, best_state = math.inf, None
    bar = tqdm(range(1, epochs + 1), desc="fit", unit="epoch", disable=not show, leave=True)
    try:
        with gc_paused():
            model.train()  # once, and again after each evaluation: train() walks every module
            for epoch in bar:
                history.lr.append(optimizer.lr)
                total, total_metric, seen, steps = 0.0, 0.0, 0, 0
                for Xb, yb in loader:
                    failed = None
                    try:
                        outs, targets = _outputs(model, Xb, yb, batched)
                        data_loss = loss_fn(outs, targets)
                        if metric_fn:
                            total_metric += metric_fn(outs, targets) * len(yb)
                    except (ValueError, TypeError, IndexError) as e:
                        if history.step_loss:
                            raise
                        failed = e  # the first step, before any change: say which set does not fit
                    if failed is not None:
                        _check_fits(model, loss_fn, metric_fn, X[:1], y[:1], batched, "the training set (train)")
                        raise failed
                    loss = data_loss + l2_penalty(params, l2) if l2 else data_loss
                    optimizer.zero_grad()
                    loss.backward()
                    optimizer.step()
                    total += data_loss.data * len(yb)
                    history.step_loss.append(float(data_loss.data))
                    steps += 1
                    seen += len(yb)
                history.epochs.append(epoch)
                history.steps_per_epoch.append(steps)
                history.train_loss.append(total / seen)
                if metric_fn:
                    history.train_metric.append(total_metric / seen)
                monitored = total / seen
                if val is not None:
                    vloss, vmetric = _evaluate(model, loss_fn, metric_fn, Xv, yv, batched)
                    model.train()
                    history.val_loss.append(vloss)
                    if metric_fn:
                        history.val_metric.append(vmetric)
                    monitored = vloss
                if show:
                    bar.set_postfix(loss=f"{history.train_loss[-1]:.4g}",
                                    **({"val": f"{monitored:.4g}"} if val is not None else {}))
                if scheduler is not None:
                    scheduler.step()
                if not math.isfinite(monitored):
                    user_warnings.warn(tr("fit: the loss became {loss} in epoch {epoch}; training stopped (try a "
                                          "smaller learning rate)", loss=monitored, epoch=epoch), RuntimeWarning)
                    history.stopped_epoch = epoch
                    break
                if monitored < best:
                    best, history.best_epoch = monitored, epoch
                    if early_stopping is not None:
                        best_state = model.state_dict()
                elif early_stopping is not None and epoch - history.best_epoch >= early_stopping:
                    history.stopped_epoch = epoch
                    break
    finally:
        bar.close()
        model.train(was_training)
    if best_state is not None:
        model.load_state_dict(best_state)
    return history
