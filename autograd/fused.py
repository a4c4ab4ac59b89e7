"""The fused neuron: act(Σ w_i·x_i + b) as ONE graph node instead of 2n + 1.

micrograd builds a neuron from n products, n sums and an activation node; for a network
that is most of the graph, and most of the time of every training step. Here a neuron is
one node with op ``"neuron"`` whose parents are ``(w_0 .. w_{n-1}, b, x_0 .. x_{n-1})``
(so n = (len(parents) - 1) // 2) and whose local grads are the chain rule done by hand:

    z = Σ w_i·x_i + b,   y = act(z)
    dy/dw_i = act'(z)·x_i,   dy/db = act'(z),   dy/dx_i = act'(z)·w_i

The activation's value and derivative come from its rule in ``ops.py`` (identity when
there is none), so the math of each activation still lives in one place. Like the rules
of ``ops.py``, ``neuron_rule`` only computes through ``xp``: the x_i may be floats or
numpy arrays (one entry per sample of a batch) while w and b are floats.
"""
from __future__ import annotations

from operator import mul

from . import grad_mode
from .ops import ARRAY, OPS, SCALAR, DomainError, Op
from .value import Value, _constant, _node, describe_operands

_ZEROS: dict[int, tuple] = {}  # local grads of a neuron whose act'(z) is 0 (dead relu, step)


def _zeros(n: int) -> tuple:
    z = _ZEROS.get(n)
    if z is None:
        z = _ZEROS[n] = (0.0,) * n
    return z


def neuron_rule(xp, w, b, x, activation=None, **params):
    """y = act(Σ w_i·x_i + b);  dy/dw_i = act'(z)·x_i, dy/db = act'(z), dy/dx_i = act'(z)·w_i

    ``w``, ``x``: sequences of equal length (floats; x_i may be numpy arrays);
    ``activation``: a one-operand rule of ``ops.py`` (e.g. ``ops.relu``) or None for identity.
    Returns ``(y, local_grads)`` with local grads in parent order (w..., b, x...).
    """
    z = sum(map(mul, w, x), b)  # b + w_0·x_0 + w_1·x_1 + ...: micrograd's order, same rounding
    if activation is None:
        y, d = z, 1.0
    else:
        y, (d,) = activation(xp, z, **params)
    if d.__class__ is float:  # a scalar derivative: 1 and 0 are common (relu, identity, step)
        if d == 1.0:
            return y, (*x, 1.0, *w)
        if d == 0.0:
            return y, _zeros(2 * len(w) + 1)
    return y, (*[d * xi for xi in x], d, *[d * wi for wi in w])


NEURON = Op("neuron", neuron_rule, arity=-1)  # variadic (2n + 1 operands), so not in OPS
neuron_rule.symbol = "neuron"


def activation_rule(name):
    """The ``ops.py`` rule of activation ``name`` ("relu", "tanh", ...); None for identity."""
    if name is None or name in ("identity", "linear"):
        return None
    op = OPS.get(name)
    if op is None or op.arity != 1:
        raise ValueError(
            f"unknown activation {name!r} for a fused neuron; use None/'identity' or one of "
            + ", ".join(sorted(k for k, o in OPS.items() if o.arity == 1))
        )
    return op.rule


def neuron(w, b, x, activation=None, **params) -> Value:
    """act(Σ w_i·x_i + b) as one node of op "neuron" (parents w..., b, x...).

    ``w``: list of Values; ``b``: a Value; ``x``: list of Values or numbers (numbers become
    constant leaves); ``activation``: None, "identity", or a one-operand op name of ``OPS``
    such as "relu", "tanh", "sigmoid", "leaky_relu", "step"; ``params`` go to its rule.
    """
    if len(w) != len(x):
        raise ValueError(f"neuron: {len(w)} weights but {len(x)} inputs; give one input per weight")
    xs = tuple(v if v.__class__ is Value else _constant(v) for v in x)
    xd = [v.data for v in xs]
    return _fused(xp_of(xd), (*w, b, *xs), [p.data for p in w], b.data, xd,
                  activation_rule(activation), params)


def xp_of(data) -> object:
    """``SCALAR`` when every entry of ``data`` is a float, else ``ARRAY`` (numpy)."""
    for v in data:
        if v.__class__ is not float:
            return ARRAY
    return SCALAR


def _fused(xp, parents: tuple, wd: list, bd, xd: list, rule, params) -> Value:
    """The node for ``parents`` = (w..., b, x...) with data ``wd``, ``bd``, ``xd`` (no checks).

    ``xp``: ``xp_of(xd)``, computed once by a caller that feeds the same x to many neurons.
    """
    try:
        if grad_mode._enabled:
            y, local = neuron_rule(xp, wd, bd, xd, rule, **params)
        else:  # no graph is kept: skip the local grads
            z = sum(map(mul, wd, xd), bd)
            y = z if rule is None else rule(xp, z, **params)[0]
            local = ()
    except DomainError as e:
        raise DomainError(f"{e}; {describe_operands('neuron', parents)}") from None
    return _node(y, "neuron", parents, local)
