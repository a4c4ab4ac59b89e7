"""Activation functions by name: on Values (for graphs) and their float derivatives (for plots).

The math of each one is its rule in ``autograd/ops.py``; this file only names them the way
the course does (step, identity/linear, sigmoid, tanh, relu, leaky_relu).
"""
from __future__ import annotations

import numpy as np

from autograd import OPS, Value
from autograd.ops import ARRAY, SCALAR


def _value(x) -> Value:
    return x if isinstance(x, Value) else Value(x)


def step(x) -> Value:
    """y = 1 if x > 0 else 0 (Heaviside);  dy/dx = 0: no gradient flows through it."""
    return _value(x).step()


def identity(x) -> Value:
    """y = x;  dy/dx = 1 (a "linear" neuron: no activation)."""
    return _value(x)


def sigmoid(x) -> Value:
    """y = σ(x) = 1 / (1 + e**-x);  dy/dx = σ(x)(1 - σ(x)) <= 0.25."""
    return _value(x).sigmoid()


def tanh(x) -> Value:
    """y = tanh x = 2σ(2x) - 1;  dy/dx = 1 - y**2."""
    return _value(x).tanh()


def relu(x) -> Value:
    """y = max(0, x);  dy/dx = 1 if x > 0 else 0   (relu'(0) = 0)."""
    return _value(x).relu()


def leaky_relu(x, negative_slope: float = 0.01) -> Value:
    """y = x if x > 0 else a·x;  dy/dx = 1 if x > 0 else a   (a = negative_slope)."""
    return _value(x).leaky_relu(negative_slope)


ACTIVATIONS = {
    "step": step,
    "identity": identity,
    "linear": identity,
    "sigmoid": sigmoid,
    "tanh": tanh,
    "relu": relu,
    "leaky_relu": leaky_relu,
}


def resolve(name) -> str:
    """The canonical name of an activation: None and "linear" mean "identity"."""
    if name is None or name == "linear":
        return "identity"
    if not isinstance(name, str) or name not in ACTIVATIONS:
        raise ValueError(
            f"unknown activation {name!r}; use one of {', '.join(ACTIVATIONS)} (or None for identity)"
        )
    return name


def apply(name: str, x: Value) -> Value:
    """Activation ``name`` applied to the Value ``x``."""
    return ACTIVATIONS[resolve(name)](x)


def derivative(name, x):
    """d act(x)/dx for floats or numpy arrays, from the same rule the graph uses."""
    name = resolve(name)
    if name == "identity":
        return np.ones_like(np.asarray(x, dtype=float)) if np.ndim(x) else 1.0
    if np.ndim(x):
        return OPS[name].rule(ARRAY, np.asarray(x, dtype=float))[1][0] + np.zeros(np.shape(x))
    return float(OPS[name].rule(SCALAR, float(x))[1][0])


def value(name, x):
    """act(x) for floats or numpy arrays (for plots), from the same rule the graph uses."""
    name = resolve(name)
    if name == "identity":
        return np.asarray(x, dtype=float) if np.ndim(x) else float(x)
    if np.ndim(x):
        return OPS[name].rule(ARRAY, np.asarray(x, dtype=float))[0]
    return float(OPS[name].rule(SCALAR, float(x))[0])
