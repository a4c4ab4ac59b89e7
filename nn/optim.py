"""Optimizers (SGD with momentum, Adam, AdamW) and learning-rate schedules, as in ``torch.optim``,
with PyTorch's defaults.

Updates are plain float arithmetic on ``p.data`` and ``p.grad``: they build no graph.
"""
from __future__ import annotations

import math
import numbers
import warnings

from autograd import Value, guards
from autograd.language import tr


def _params(params) -> list:
    if hasattr(params, "parameters") and callable(params.parameters):
        params = params.parameters()
    params = list(params)
    if not params:
        raise ValueError("optimizer got no parameters; pass model.parameters()")
    bad = [type(p).__name__ for p in params if not isinstance(p, Value)]
    if bad:
        raise TypeError(f"optimizer parameters must be Values, got {bad[0]}")
    unique = list({id(p): p for p in params}.values())  # first occurrence of each, in order
    if len(unique) < len(params):
        seen, twice = set(), {}
        for i, p in enumerate(params):
            if id(p) in seen:
                twice.setdefault(id(p), (i, p))
            seen.add(id(p))
        twice = list(twice.values())
        names = ", ".join(repr(p.label) if p.label else tr("the Value at position {i}", i=i) for i, p in twice[:3])
        more = tr(" and {n} more", n=len(twice) - 3) if len(twice) > 3 else ""
        warnings.warn(tr(
            "optimizer contains a parameter group with duplicate parameters: {names}{more} ({repeated} repeated "
            "among {n}); each is updated once per step. Pass each parameter once, e.g. model.parameters() for one "
            "model, or a.parameters() + b.parameters() for two models that share nothing.",
            names=names, more=more, repeated=len(params) - len(unique), n=len(params)), UserWarning, stacklevel=4)
        params = unique
    return params


def _non_negative(name: str, x) -> float:
    if isinstance(x, bool) or not isinstance(x, numbers.Real) or not x >= 0:
        raise ValueError(f"{name} must be a number >= 0, got {x!r}")
    return float(x)


class Optimizer:
    """Holds the parameters and the learning rate ``lr``; ``step()`` updates, ``zero_grad()`` clears."""

    def __init__(self, params, lr: float):
        self.params = _params(params)
        self.lr = _non_negative("lr", lr)

    def zero_grad(self) -> None:
        for p in self.params:
            p.grad = 0.0

    def step(self) -> None:
        """One update of every parameter from its ``grad`` (plain float arithmetic, no graph)."""
        guards.check_step(self.params)  # warns if the grads were not zeroed since the last step
        self._update()

    def _update(self) -> None:
        raise NotImplementedError


class SGD(Optimizer):
    """g ← grad + wd·p;  v ← μ·v + g  (v = g on the first step);  p ← p - lr·v   (μ = momentum)"""

    def __init__(self, params, lr: float = 1e-3, momentum: float = 0.0, weight_decay: float = 0.0):
        super().__init__(params, lr)
        self.momentum = _non_negative("momentum", momentum)
        self.weight_decay = _non_negative("weight_decay", weight_decay)
        self._velocity = None

    def _update(self) -> None:
        lr, mu, wd = self.lr, self.momentum, self.weight_decay
        if mu == 0.0 and not wd:  # plain SGD: the loop over every parameter, nothing else
            for p in self.params:
                p.data -= lr * p.grad
            return
        if mu == 0.0:
            for p in self.params:
                p.data -= lr * (p.grad + wd * p.data if wd else p.grad)
            return
        if self._velocity is None:
            self._velocity = [p.grad + wd * p.data for p in self.params]
        else:
            self._velocity = [mu * v + p.grad + wd * p.data for v, p in zip(self._velocity, self.params)]
        for p, v in zip(self.params, self._velocity):
            p.data -= lr * v


class Adam(Optimizer):
    """g ← grad + wd·p;  m ← β1·m + (1-β1)·g;  v ← β2·v + (1-β2)·g²;
    p ← p - lr · (m / (1-β1^t)) / (sqrt(v / (1-β2^t)) + eps)

    PyTorch's defaults: lr 1e-3, betas (0.9, 0.999), eps 1e-8, weight_decay 0 (the course
    notes suggest lr=3e-4 as a starting point: pass it explicitly)."""

    def __init__(self, params, lr: float = 1e-3, betas=(0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0.0):
        super().__init__(params, lr)
        b1, b2 = betas
        if not (0.0 <= b1 < 1.0 and 0.0 <= b2 < 1.0):
            raise ValueError(f"betas must be in [0, 1), got {betas!r}")
        self.betas = (float(b1), float(b2))
        self.eps = _non_negative("eps", eps)
        self.weight_decay = _non_negative("weight_decay", weight_decay)
        self.t = 0
        self._m = [0.0] * len(self.params)
        self._v = [0.0] * len(self.params)

    def _update(self) -> None:
        self._adam_step(self.weight_decay)

    def _adam_step(self, wd: float) -> None:
        """One Adam update, with ``wd``·p added to each gradient (L2 weight decay; 0: none)."""
        self.t += 1
        b1, b2 = self.betas
        eps = self.eps
        step_size = self.lr / (1.0 - b1 ** self.t)
        correction2 = math.sqrt(1.0 - b2 ** self.t)
        m, v = self._m, self._v
        for i, p in enumerate(self.params):
            g = p.grad + wd * p.data if wd else p.grad
            m[i] = b1 * m[i] + (1.0 - b1) * g
            v[i] = b2 * v[i] + (1.0 - b2) * g * g
            p.data -= step_size * m[i] / (math.sqrt(v[i]) / correction2 + eps)


class AdamW(Adam):
    """p ← p - lr·wd·p  (decoupled weight decay: the parameter shrinks, the gradient is
    left alone);  then Adam's update with g = grad.

    As ``torch.optim.AdamW`` (amsgrad off), with its defaults: lr 1e-3, betas (0.9, 0.999),
    eps 1e-8, weight_decay 1e-2."""

    def __init__(self, params, lr: float = 1e-3, betas=(0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 1e-2):
        super().__init__(params, lr, betas, eps, weight_decay)

    def _update(self) -> None:
        if self.weight_decay:
            shrink = 1.0 - self.lr * self.weight_decay
            for p in self.params:
                p.data *= shrink
        self._adam_step(0.0)


# --- learning-rate schedules: call .step() once per epoch ------------------------------------

class LRScheduler:
    """Sets ``optimizer.lr`` = base lr × factor(epoch) on every ``step()``."""

    def __init__(self, optimizer: Optimizer):
        self.optimizer = optimizer
        self.base_lr = optimizer.lr
        self.last_epoch = 0
        optimizer.lr = self.base_lr * self.factor(0)

    def factor(self, epoch: int) -> float:
        raise NotImplementedError

    def step(self) -> None:
        self.last_epoch += 1
        self.optimizer.lr = self.base_lr * self.factor(self.last_epoch)

    def get_last_lr(self) -> list[float]:
        return [self.optimizer.lr]


class StepLR(LRScheduler):
    """lr = base · γ^⌊epoch / step_size⌋"""

    def __init__(self, optimizer, step_size: int, gamma: float = 0.1):
        if not isinstance(step_size, numbers.Integral) or step_size < 1:
            raise ValueError(f"step_size must be a positive whole number, got {step_size!r}")
        self.step_size, self.gamma = int(step_size), float(gamma)
        super().__init__(optimizer)

    def factor(self, epoch: int) -> float:
        return self.gamma ** (epoch // self.step_size)


class ExponentialLR(LRScheduler):
    """lr = base · γ^epoch"""

    def __init__(self, optimizer, gamma: float):
        self.gamma = float(gamma)
        super().__init__(optimizer)

    def factor(self, epoch: int) -> float:
        return self.gamma ** epoch


class LinearLR(LRScheduler):
    """lr = base · (start + (end - start) · min(epoch, total_iters) / total_iters)"""

    def __init__(self, optimizer, start_factor: float = 1.0 / 3, end_factor: float = 1.0,
                 total_iters: int = 5):
        if not isinstance(total_iters, numbers.Integral) or total_iters < 1:
            raise ValueError(f"total_iters must be a positive whole number, got {total_iters!r}")
        self.start_factor, self.end_factor = float(start_factor), float(end_factor)
        self.total_iters = int(total_iters)
        super().__init__(optimizer)

    def factor(self, epoch: int) -> float:
        frac = min(epoch, self.total_iters) / self.total_iters
        return self.start_factor + (self.end_factor - self.start_factor) * frac
