"""``Residual``: a skip connection y = x + block(x), and ``Sequential`` to stack modules.

Stacking many sigmoid layers shrinks gradients layer after layer (σ' <= 0.25); the skip
path adds 1 to each layer's local derivative, so gradients reach the first layers (ResNet).
"""
from __future__ import annotations

from autograd import Value

from .module import Module
from .neuron import as_inputs


def _as_list(out) -> list:
    return [out] if isinstance(out, Value) else list(out)


class Residual(Module):
    """y = x + block(x): ``block`` maps n inputs to n outputs (e.g. ``Layer(n, n)``)."""

    def __init__(self, block: Module):
        if not callable(block):
            raise TypeError(f"Residual wraps a module (e.g. nn.Layer(n, n)), got {type(block).__name__}")
        self.block = block
        self._label_parameters()

    def forward(self, x):
        xs = as_inputs(x, None, "Residual")
        ys = _as_list(self.block(list(xs)))
        if len(ys) != len(xs):
            raise ValueError(f"Residual: the block maps {len(xs)} inputs to {len(ys)} outputs; "
                             "a skip connection needs as many outputs as inputs")
        out = [a + b for a, b in zip(xs, ys)]
        return out[0] if len(out) == 1 else out


class Sequential(Module):
    """Modules applied one after another: ``Sequential(Layer(2, 8), Residual(Layer(8, 8)), ...)``."""

    def __init__(self, *layers: Module):
        if len(layers) == 1 and isinstance(layers[0], (list, tuple)):
            layers = tuple(layers[0])
        if not layers:
            raise ValueError("Sequential needs at least one module")
        self.layers = list(layers)
        self._label_parameters()

    def forward(self, x):
        for layer in self.layers:
            x = layer(x)
        return x
