"""``Neuron``, ``Layer`` (dense = fully connected) and ``MLP``, and the fused-graph switch.

A neuron computes a = act(w·x + b). By default it is ONE graph node (op "neuron", see
``nn/fused.py``): fast, and drawn as one box. ``fused=False`` on a model, or
``nn.set_fused(False)`` for all models, builds micrograd's fine-grained graph instead
(one node per * and +, then the activation) for teaching pictures; values are the same
either way, and so are gradients up to the last bits (a weight's gradient over many
samples is summed in another order).
"""
from __future__ import annotations

import numbers

import numpy as np

from autograd import Value, batch_rows, constant

from .batched import batched_layer
from .fused import activation_rule, fused_layer, fused_node, xp_of

from . import activations, init as initialise
from .dropout import Dropout
from . import module
from .module import Module

_FUSED = True
_NO_PARAMS: dict = {}


def set_fused(flag: bool = True) -> None:
    """Build neurons as one fused node (True, the default) or micrograd's graph (False).

    Applies to every model whose own ``fused`` is None (the default).
    """
    global _FUSED
    _FUSED = bool(flag)
    module._changed()


def is_fused() -> bool:
    return _FUSED


def as_inputs(x, n: int | None, who: str = "model") -> tuple:
    """``x`` (numbers, Values, a 1-D array, or one number/Value when n == 1) as a tuple of Values.

    A 2-D array X of shape (N, n) is a batch: one batched Value (``Value.batch``) per
    input column, so the model builds ONE graph for all N samples (batched mode).
    """
    if x.__class__ is list or x.__class__ is tuple:  # the common case first
        pass
    elif isinstance(x, (Value, numbers.Real)) and not isinstance(x, np.ndarray):
        x = (x,)
    elif isinstance(x, np.ndarray):
        if x.ndim == 0:
            x = x.reshape(1)
        if x.ndim == 2 and x.shape[0] > 0 and (n is None or x.shape[1] == n):
            if x.dtype.kind in "biuf":  # real numbers: the columns as rows of one copy
                return batch_rows(np.array(x.T, dtype=np.float64))
            return tuple(Value.batch(col) for col in x.T)  # says what is wrong with them
        if x.ndim > 1:
            raise ValueError(f"{who} takes one sample (a 1-D input of {n} numbers) or a batch (a 2-D "
                             f"array of shape (samples, {n})), got an array of shape {x.shape}")
        x = x.tolist()
    elif not isinstance(x, (list, tuple)):
        raise TypeError(f"{who} takes a list of numbers or Values, got {type(x).__name__}")
    if n is not None and len(x) != n:
        raise ValueError(f"{who} expects {n} input{'s' if n != 1 else ''}, got {len(x)}")
    return tuple(v if v.__class__ is Value else constant(v) for v in x)


def _check_size(name: str, n) -> int:
    if isinstance(n, bool) or not isinstance(n, numbers.Integral) or n < 1:
        raise ValueError(f"{name} must be a positive whole number, got {n!r}")
    return int(n)


class _Plans:
    """What a layer's fused nodes need from its neurons, kept between forward calls while
    no module changes (``module.structure_version``): per neuron (w..., b as a tuple;
    lo; hi; activation rule; label; True when w and b are leaves), or None for a neuron
    that builds micrograd's graph; and ``params``, every fused neuron's w..., b in one
    list, whose data each call reads anew (weights ``[lo:hi]``, bias ``[hi]``)."""

    __slots__ = ("version", "neurons", "params", "all_fused")

    def __init__(self):
        self.version = None

    def update(self, neurons: list) -> None:
        if self.version == module.structure_version:
            return
        plans, params = [], []
        for n in neurons:
            if not (_FUSED if n.fused is None else n.fused):
                plans.append(None)
                continue
            wb = (*n.w, n.b)
            lo = len(params)
            params.extend(wb)
            plans.append((wb, lo, lo + len(wb) - 1, n._rule, n._name, not any(p.parents for p in wb)))
        self.neurons, self.params = plans, params
        self.all_fused = all(plans)
        self.version = module.structure_version


def _run_neurons(owner, neurons: list, rows: list) -> list:
    """For each sample in ``rows`` (tuples of Values), the list of the neurons' outputs.

    Each weight is read once for all the samples (a batch shares them); ``owner`` (the
    layer, or the neuron itself) keeps its ``_Plans``.
    """
    plans = owner._plans
    plans.update(neurons)
    data = [p.data for p in plans.params]
    if plans.all_fused:
        if len(rows) == 1 and rows[0] and rows[0][0].data.__class__ is np.ndarray:
            out = batched_layer([(wb, data[lo:hi], data[hi], rule, label, leaves)  # batched inputs:
                                 for wb, lo, hi, rule, label, leaves in plans.neurons],  # the layer
                                rows[0], [v.data for v in rows[0]])                      # in one product
            if out is not None:
                return [out]
        return [fused_layer(plans.neurons, data, xs, [v.data for v in xs]) for xs in rows]
    out = []
    for xs in rows:
        xd = [v.data for v in xs]
        xp = xp_of(xd)
        outs = []
        for n, plan in zip(neurons, plans.neurons):
            if plan is None:
                outs.append(n._fine_grained(xs))
                continue
            wb, lo, hi, rule, name, _ = plan
            y = fused_node(xp, wb + xs, data[lo:hi], data[hi], xd, rule, _NO_PARAMS)
            y.label = name
            outs.append(y)
        out.append(outs)
    return out


class Neuron(Module):
    """a = act(Σ w_i·x_i + b): ``nin`` weights ``w``, a bias ``b``, an activation by name."""

    def __init__(self, nin: int, activation="relu", init: str = "uniform", seed=None,
                 fused: bool | None = None, fan_out: int = 1):
        self.nin = _check_size("nin", nin)
        generator = initialise.rng(seed)
        self.w = [Value(v) for v in initialise.weights(init, self.nin, fan_out, generator)]
        self.b = Value(0.0)
        self.init = init
        self.activation = activation
        self.fused = fused  # None: follow nn.set_fused()
        self._plans = _Plans()
        self._label_parameters()

    @property
    def activation(self) -> str:
        return self._activation

    @activation.setter
    def activation(self, name) -> None:
        self._activation = activations.resolve(name)
        self._rule = activation_rule(self._activation)

    def forward(self, x) -> Value:
        return _run_neurons(self, [self], [as_inputs(x, self.nin, "Neuron")])[0][0]


    def _fine_grained(self, xs: tuple) -> Value:
        """micrograd's graph: b + w0*x0 + w1*x1 + ..., then the activation."""
        out = activations.apply(self._activation, sum(map(Value.__mul__, self.w, xs), self.b))
        out.label = self._name
        return out

    def config(self) -> dict:
        return {"nin": self.nin, "activation": self.activation, "init": self.init}

    @classmethod
    def parameter_count(cls, config: dict) -> int:
        """nin weights and a bias."""
        return _check_size("nin", config["nin"]) + 1


class Layer(Module):
    """``nout`` neurons that all see the same ``nin`` inputs (a dense / linear layer)."""

    def __init__(self, nin: int, nout: int, activation="relu", init: str = "uniform", seed=None,
                 fused: bool | None = None):
        self.nin = _check_size("nin", nin)
        self.nout = _check_size("nout", nout)
        generator = initialise.rng(seed)
        initialise.check_scheme(init)
        self.neurons = [Neuron(self.nin, activation, init, generator, fused, fan_out=self.nout)
                        for _ in range(self.nout)]
        self.activation = activations.resolve(activation)
        self.init = init
        self._plans = _Plans()
        self._label_parameters()

    def forward(self, x):
        """A list of nout Values (a single Value when nout == 1)."""
        out = self._forward_many([as_inputs(x, self.nin, "Layer")])[0]
        return out[0] if self.nout == 1 else out

    def _forward_many(self, rows: list) -> list:
        """The outputs (a list of nout Values) for each sample in ``rows`` (tuples of Values)."""
        return _run_neurons(self, self.neurons, rows)

    def config(self) -> dict:
        return {"nin": self.nin, "nout": self.nout, "activation": self.activation, "init": self.init}

    @classmethod
    def parameter_count(cls, config: dict) -> int:
        """nout neurons of nin + 1 parameters."""
        return (_check_size("nin", config["nin"]) + 1) * _check_size("nout", config["nout"])


class MLP(Module):
    """Layers of sizes ``sizes`` on ``nin`` inputs: ``activation`` in the hidden layers,
    ``output_activation`` (None = identity) in the last. ``dropout``: p of a Dropout after
    each hidden layer (0 = none)."""

    def __init__(self, nin: int, sizes, activation="relu", output_activation=None,
                 init: str = "uniform", seed=None, fused: bool | None = None, dropout: float = 0.0):
        self.nin = _check_size("nin", nin)
        if isinstance(sizes, numbers.Integral):
            sizes = [sizes]
        if not isinstance(sizes, (list, tuple)) or not sizes:
            raise ValueError(f"sizes must be a non-empty list of layer widths, got {sizes!r}")
        self.sizes = [_check_size(f"sizes[{i}]", n) for i, n in enumerate(sizes)]
        generator = initialise.rng(seed)
        initialise.check_scheme(init)
        dims = [self.nin] + self.sizes
        last = len(self.sizes) - 1
        self.layers = [
            Layer(dims[i], dims[i + 1], output_activation if i == last else activation, init,
                  generator, fused)
            for i in range(len(self.sizes))
        ]
        self.activation = activations.resolve(activation)
        self.output_activation = activations.resolve(output_activation)
        self.init = init
        self.dropout = Dropout(dropout, seed=generator) if dropout else None
        self._label_parameters()

    @classmethod
    def from_torch(cls, module, fused: bool | None = None) -> "MLP":
        """An MLP with the weights of a ``torch.nn`` Linear/Sequential (see nn/torch_bridge.py)."""
        from .torch_bridge import mlp_from_torch

        return mlp_from_torch(module, fused)

    @property
    def fused(self):
        """The neurons' fused setting (None: follow nn.set_fused()); settable."""
        return self.layers[0].neurons[0].fused

    @fused.setter
    def fused(self, flag) -> None:
        for layer in self.layers:
            for n in layer.neurons:
                n.fused = flag

    def forward(self, x):
        """A Value when the last layer has one neuron, else a list of Values."""
        return self._forward_many([x])[0]

    def _forward_many(self, samples) -> list:
        """``[self(x) for x in samples]``, reading each weight once for the whole batch."""
        rows = [as_inputs(x, self.nin, "MLP") for x in samples]
        last = self.layers[-1]
        for layer in self.layers:
            outs = layer._forward_many(rows)
            if self.dropout is not None and layer is not last:
                outs = [self.dropout._forward(o) for o in outs]
            rows = [tuple(o) for o in outs]
        return [o[0] if len(o) == 1 else o for o in outs]

    def config(self) -> dict:
        return {"nin": self.nin, "sizes": list(self.sizes), "activation": self.activation,
                "output_activation": self.output_activation, "init": self.init,
                "dropout": self.dropout.p if self.dropout is not None else 0.0}

    @classmethod
    def parameter_count(cls, config: dict) -> int:
        """Σ over layers of (inputs + 1) · width."""
        sizes = config["sizes"]
        dims = [config["nin"], *(sizes if isinstance(sizes, (list, tuple)) else [sizes])]
        dims = [_check_size("size", d) for d in dims]
        return sum((a + 1) * b for a, b in zip(dims, dims[1:]))
