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

Batched mode (``batched_layer``): a layer's neurons on batched inputs are computed
together, Z = W·X + b in one matrix product; each neuron's node keeps its local grads
as factors shared with its layer (``BatchedNeuronGrads``, ``InputGroup`` in
``neuron_grads.py``), and backward handles the layer in matrix products too. ``square_sum``
makes Σ p² (an L2 penalty) one node too.
"""
from __future__ import annotations

from operator import mul

import numpy as np

from . import grad_mode
from .ops import ARRAY, OPS, SCALAR, DomainError, Op
from .neuron_grads import BatchedNeuronGrads, InputGroup, NeuronGrads, SharedInputs
from .ops import zeros as _zeros  # local grads of a neuron whose act'(z) is 0: backward skips it
from .value import Value, _constant, _new, _node, describe_operands


def neuron_rule(xp, w, b, x, activation=None, **params):
    """y = act(Σ w_i·x_i + b);  dy/dw_i = act'(z)·x_i, dy/db = act'(z), dy/dx_i = act'(z)·w_i

    ``w``, ``x``: sequences of equal length (floats; x_i may be numpy arrays);
    ``activation``: a one-operand rule of ``ops.py`` (e.g. ``ops.relu``) or None for identity.
    Returns ``(y, local_grads)`` with local grads in parent order (w..., b, x...).
    """
    y, d = neuron_value(xp, w, b, x, activation, params)
    if d.__class__ is float:  # a scalar derivative: 1 and 0 are common (relu, identity, step)
        if d == 1.0:
            return y, (*x, 1.0, *w)
        if d == 0.0:
            return y, _zeros(2 * len(w) + 1)
    return y, (*[d * xi for xi in x], d, *[d * wi for wi in w])


def neuron_value(xp, w, b, x, activation=None, params=None):
    """(y, act'(z)) for y = act(z), z = Σ w_i·x_i + b: the factors of ``neuron_rule``'s grads
    (``params``: a dict of the activation's parameters, or None)."""
    z = sum(map(mul, w, x), b)  # b + w_0·x_0 + w_1·x_1 + ...: micrograd's order, same rounding
    if activation is None:
        return z, 1.0
    y, (d,) = activation(xp, z, **params) if params else activation(xp, z)
    return y, d


_ONE = (1.0,)  # the identity's derivative
_record = _node  # value._node: detect_anomaly() swaps the name _node for a checking version

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
        if not grad_mode._enabled:  # no graph is kept: skip the local grads
            y, local = neuron_value(xp, wd, bd, xd, rule, params)[0], ()
        elif params:
            y, local = neuron_rule(xp, wd, bd, xd, rule, **params)
        else:  # the common case: no ** call
            y, local = neuron_rule(xp, wd, bd, xd, rule)
    except DomainError as e:
        raise DomainError(f"{e}; {describe_operands('neuron', parents)}") from None
    return _node(y, "neuron", parents, local)


def fused_layer(neurons: list, data: list, xs: tuple, xd: list) -> list:
    """One fused node per neuron of a layer on the same inputs ``xs`` (data ``xd``).

    ``neurons``: per neuron (w..., b as a tuple of Values; lo; hi; activation rule; label;
    True when w and b are all leaves), its weights' data being ``data[lo:hi]`` and its
    bias's ``data[hi]``. The same nodes as ``_fused`` one by one, with the per-node checks
    (grad mode, errors) done once for the layer. On one sample, a neuron whose weights and
    bias are leaves keeps its local grads as factors shared with the layer (``NeuronGrads``).
    """
    xp = xp_of(xd)
    out = []
    append = out.append
    if not grad_mode._enabled or xp is not SCALAR or _node is not _record:
        for wb, lo, hi, rule, label, _ in neurons:  # (inside detect_anomaly(): its _node checks)
            node = _fused(xp, wb + xs, data[lo:hi], data[hi], xd, rule, {})
            node.label = label
            append(node)
        return out
    shared = SharedInputs(xs, xd, neurons)
    new = _new
    try:  # the hottest loop of nn: neuron_value and _node written out (no call per neuron)
        for wb, lo, hi, rule, label, leaves in neurons:
            wd = data[lo:hi]
            if leaves:
                z = sum(map(mul, wd, xd), data[hi])
                y, (d,) = (z, _ONE) if rule is None else rule(SCALAR, z)
                local = new(NeuronGrads)
                local.inputs, local.w, local.d, local.index = shared, wd, d, len(out)
            else:
                y, local = neuron_rule(SCALAR, wd, data[hi], xd, rule)
            node = new(Value)
            node.data, node.grad, node.label, node.op = y, 0.0, label, "neuron"
            node.parents, node.local_grads = wb + xs, local
            append(node)
    except DomainError:  # _fused names the neuron's operands
        wb, lo, hi, rule = neurons[len(out)][:4]
        _fused(xp, wb + xs, data[lo:hi], data[hi], xd, rule, {})
        raise
    return out


# --- batched mode: a layer is one matrix product, forward and backward ---------------------

def batch_rows(M: np.ndarray) -> tuple:
    """One batched leaf per row of ``M``, a 2-D float64 array that nn made (its own copy):
    ``Value.batch`` without its checks and copies. Each leaf's data is a view of its row."""
    return tuple([_node(row, "", (), ()) for row in M])


def stacked(xd: list):
    """The batches ``xd`` as the rows of one (n, N) matrix; None unless they are all batches
    of one size."""
    shape = getattr(xd[0], "shape", None)
    for d in xd:
        if d.__class__ is not np.ndarray or d.shape != shape:
            return None
    return np.array(xd)


def batched_layer(neurons: list, xs: tuple, xd: list, params=None):
    """One fused node per neuron on batched inputs ``xs`` (data ``xd``), the whole layer at
    once: Z = W·X + b is one matrix product and the activation one call on Z.

    ``neurons``: tuples (w..., b as a tuple of Values; weight data; bias data; activation
    rule; label; whether w and b are leaves). Returns None when the inputs are not batches
    of one size, a Value appears twice among them, or the weights are not plain numbers:
    the general path then builds the nodes one by one. The nodes share one ``InputGroup``,
    so backward handles the layer in matrix products too.
    """
    if len(set(map(id, xs))) != len(xs):
        return None
    X = stacked(xd)
    if X is None:
        return None
    rule = neurons[0][3]
    try:
        W = np.array([n[1] for n in neurons], dtype=np.float64)
        b = np.array([n[2] for n in neurons], dtype=np.float64)
    except (TypeError, ValueError):
        return None
    if W.ndim != 2 or b.ndim != 1 or any(n[3] is not rule for n in neurons):
        return None
    with np.errstate(all="ignore"):
        Z = W @ X
        Z += b[:, None]
        try:
            Y, (D,) = (Z, (1.0,)) if rule is None else rule(ARRAY, Z, **(params or {}))
        except DomainError:
            return None  # the general path names the neuron and its operands
    record = grad_mode._enabled
    if record:
        group = InputGroup(xs, X, W, D, [n[0] for n in neurons], all(n[5] for n in neurons))
    out = []
    for i, (wb, _, _, _, label, _) in enumerate(neurons):
        node = _node(Y[i], "neuron", wb + xs, BatchedNeuronGrads(group, i) if record else ())
        node.label = label
        out.append(node)
    return out


# --- Σ v² as one node: what an L2 penalty sums --------------------------------------------

def square_sum_rule(xp, *v):
    """y = Σ v_i²;  dy/dv_i = 2·v_i"""
    total = v[0] * v[0]
    for x in v[1:]:  # v_0² + v_1² + ...: the order of micrograd's sum(p*p for p in params)
        total = total + x * x
    return total, tuple([x + x for x in v])


SQUARE_SUM = Op("square_sum", square_sum_rule, arity=-1)  # variadic, so not in OPS
square_sum_rule.symbol = "square_sum"


def square_sum(values) -> Value:
    """Σ v² of Values (or numbers) as ONE node of op "square_sum" (parents: the values)."""
    vs = tuple(v if v.__class__ is Value else _constant(v) for v in values)
    if not vs:
        raise ValueError("square_sum of no values; pass at least one Value")
    data = [v.data for v in vs]
    xp = xp_of(data)
    with np.errstate(all="ignore"):
        y, local = square_sum_rule(xp, *data)
    return _node(y, "square_sum", vs, local if grad_mode._enabled else ())
