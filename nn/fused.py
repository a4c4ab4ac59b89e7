"""The fused neuron: act(Σ w_i·x_i + b) as ONE graph node instead of 2n + 1.

micrograd builds a neuron from n products, n sums and an activation node; for a network
that is most of the graph, and most of the time of every training step. Here a neuron is
one node with op ``"neuron_<activation>"`` (``"neuron"`` without one) whose parents are ``(w_0 .. w_{n-1}, b, x_0 .. x_{n-1})``
(so n = (len(parents) - 1) // 2) and whose local grads are the chain rule done by hand:

    z = Σ w_i·x_i + b,   y = act(z)
    dy/dw_i = act'(z)·x_i,   dy/db = act'(z),   dy/dx_i = act'(z)·w_i

The activation's value and derivative come from its rule in ``ops.py`` (identity when
there is none), so the math of each activation still lives in one place. Like the rules
of ``ops.py``, ``neuron_rule`` only computes through ``xp``: the x_i may be floats or
numpy arrays (one entry per sample of a batch) while w and b are floats.

On one sample, a layer's neurons keep their local grads as factors shared with the layer
(``NeuronGrads``, a kernel of ``autograd.function``), so that backward adds the weights'
grads in one matrix product per layer at the end of the pass. Batched inputs: see
``batched.py``. ``square_sum`` makes Σ p² (an L2 penalty) one node too.

The engine knows none of this: the nodes come in through its public door
(``autograd.make_node`` with a ``Kernel``, ``autograd.register_op`` for the table).
"""
from __future__ import annotations

from itertools import chain
from operator import mul

import numpy as np

from autograd import DomainError, Kernel, Value, constant, describe_operands, hooks, is_grad_enabled
from autograd import OPS, make_node, register_op
from autograd.grad_mode import FAST  # True: recording in every thread, no node hook
from autograd.xp import ARRAY, SCALAR


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
            return y, zeros(2 * len(w) + 1)
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


def neuron_op(xp, *operands):
    """y = Σ w_i·x_i + b;  dy/dw_i = x_i, dy/db = 1, dy/dx_i = w_i   (operands w..., b, x...)

    The table's form of ``neuron_rule`` for a neuron without activation (one operand list).
    """
    n = (len(operands) - 1) // 2
    return neuron_rule(xp, operands[:n], operands[n], operands[n + 1:])


NEURON = register_op("neuron", neuron_op, arity=-1)  # variadic: 2n + 1 operands
OP_OF_RULE = {None: "neuron"}  # activation rule -> the op string of a fused neuron that uses it


def _register_neuron_op(name: str, rule) -> None:
    """``OPS["neuron_<name>"]``: the fused neuron with activation ``name``, its math stated."""
    def table_rule(xp, *operands):
        n = (len(operands) - 1) // 2
        return neuron_rule(xp, operands[:n], operands[n], operands[n + 1:], rule)

    a = name
    table_rule.__doc__ = (f"y = {a}(z), z = Σ w_i·x_i + b;  dy/dw_i = {a}'(z)·x_i, dy/db = {a}'(z), "
                          f"dy/dx_i = {a}'(z)·w_i   ({a}: {OPS[name].math})")
    OP_OF_RULE[rule] = register_op(f"neuron_{name}", table_rule, arity=-1).name


def activation_rule(name):
    """The ``ops.py`` rule of activation ``name`` ("relu", "tanh", ...); None for identity.
    A neuron that uses it records op "neuron_<name>" (``OP_OF_RULE``), also in ``OPS``."""
    if name is None or name in ("identity", "linear"):
        return None
    op = OPS.get(name)
    if op is None or op.arity != 1 or name.startswith("neuron"):
        raise ValueError(
            f"unknown activation {name!r} for a fused neuron; use None/'identity' or one of "
            + ", ".join(sorted(k for k, o in OPS.items() if o.arity == 1))
        )
    if op.rule not in OP_OF_RULE:
        _register_neuron_op(name, op.rule)
    return op.rule


def activation_of(op: str):
    """The activation name recorded in a fused neuron's op string ("neuron_tanh" -> "tanh";
    "neuron" -> "identity"), or None when ``op`` is not a fused neuron's."""
    if op == "neuron":
        return "identity"
    return op[len("neuron_"):] if op.startswith("neuron_") else None


for _name in ("sigmoid", "tanh", "relu", "leaky_relu", "step", "softplus"):  # nn's activations
    activation_rule(_name)


def neuron(w, b, x, activation=None, **params) -> Value:
    """act(Σ w_i·x_i + b) as one node of op "neuron_<act>" (parents w..., b, x...).

    ``w``: list of Values; ``b``: a Value; ``x``: list of Values or numbers (numbers become
    constant leaves); ``activation``: None, "identity", or a one-operand op name of ``OPS``
    such as "relu", "tanh", "sigmoid", "leaky_relu", "step"; ``params`` go to its rule.
    """
    if len(w) != len(x):
        raise ValueError(f"neuron: {len(w)} weights but {len(x)} inputs; give one input per weight")
    xs = tuple(v if v.__class__ is Value else constant(v) for v in x)
    xd = [v.data for v in xs]
    return fused_node(xp_of(xd), (*w, b, *xs), [p.data for p in w], b.data, xd,
                  activation_rule(activation), params)


def xp_of(data) -> object:
    """``SCALAR`` when every entry of ``data`` is a float, else ``ARRAY`` (numpy)."""
    for v in data:
        if v.__class__ is not float:
            return ARRAY
    return SCALAR


def fused_node(xp, parents: tuple, wd: list, bd, xd: list, rule, params) -> Value:
    """The node for ``parents`` = (w..., b, x...) with data ``wd``, ``bd``, ``xd`` (no checks).

    ``xp``: ``xp_of(xd)``, computed once by a caller that feeds the same x to many neurons.
    """
    try:
        if not is_grad_enabled():  # no graph is kept: skip the local grads
            y, local = neuron_value(xp, wd, bd, xd, rule, params)[0], ()
        elif params:
            y, local = neuron_rule(xp, wd, bd, xd, rule, **params)
        else:  # the common case: no ** call
            y, local = neuron_rule(xp, wd, bd, xd, rule)
    except DomainError as e:
        raise DomainError(f"{e}; {describe_operands(OP_OF_RULE[rule], parents)}") from None
    return make_node(y, OP_OF_RULE[rule], parents, local)


def fused_layer(neurons: list, data: list, xs: tuple, xd: list) -> list:
    """One fused node per neuron of a layer on the same inputs ``xs`` (data ``xd``).

    ``neurons``: per neuron (w..., b as a tuple of Values; lo; hi; activation rule; label;
    True when w and b are all leaves), its weights' data being ``data[lo:hi]`` and its
    bias's ``data[hi]``. The same nodes as ``fused_node`` one by one, with the per-node checks
    (grad mode, errors) done once for the layer. On one sample, a neuron whose weights and
    bias are leaves keeps its local grads as factors shared with the layer (``NeuronGrads``).
    """
    xp = xp_of(xd)
    out = []
    append = out.append
    if xp is not SCALAR or not FAST.plain and (not is_grad_enabled() or hooks.watching_nodes()):
        for wb, lo, hi, rule, label, _ in neurons:  # one by one (detect_anomaly() sees each node)
            node = fused_node(xp, wb + xs, data[lo:hi], data[hi], xd, rule, {})
            node.label = label
            append(node)
        return out
    shared = SharedInputs(xs, xd, neurons)
    new = object.__new__
    try:  # the hottest loop of nn: neuron_value and make_node written out (no call per neuron)
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
            node.data, node.grad, node.label, node.op = y, 0.0, label, OP_OF_RULE[rule]
            node.parents, node.local_grads = wb + xs, local
            append(node)
    except DomainError:  # fused_node names the neuron's operands
        wb, lo, hi, rule = neurons[len(out)][:4]
        fused_node(xp, wb + xs, data[lo:hi], data[hi], xd, rule, {})
        raise
    return out


# --- Σ v² as one node: what an L2 penalty sums --------------------------------------------

def square_sum_rule(xp, *v):
    """y = Σ v_i²;  dy/dv_i = 2·v_i"""
    total = v[0] * v[0]
    for x in v[1:]:  # v_0² + v_1² + ...: the order of micrograd's sum(p*p for p in params)
        total = total + x * x
    return total, tuple([x + x for x in v])


SQUARE_SUM = register_op("square_sum", square_sum_rule, arity=-1)  # variadic


def square_sum(values) -> Value:
    """Σ v² of Values (or numbers) as ONE node of op "square_sum" (parents: the values)."""
    vs = tuple(v if v.__class__ is Value else constant(v) for v in values)
    if not vs:
        raise ValueError("square_sum of no values; pass at least one Value")
    data = [v.data for v in vs]
    xp = xp_of(data)
    with np.errstate(all="ignore"):
        y, local = square_sum_rule(xp, *data)
    return make_node(y, "square_sum", vs, local)


# --- a neuron's local grads on one sample, kept as their factors ---------------------------

class SharedInputs:
    """The inputs ``xs`` (Values, data ``xd``) that the neurons of one layer see for one
    sample. ``mark`` is the graph walk's note that it has visited them; ``layer`` lists the
    layer's neurons (tuples whose first entry is the neuron's (w..., b)), and ``gz`` is
    this backward pass's g·act'(z) of each of them (None outside a pass)."""

    __slots__ = ("xs", "xd", "mark", "layer", "gz")

    def __init__(self, xs: tuple, xd: list, layer: list):
        self.xs, self.xd, self.mark, self.layer, self.gz = xs, xd, None, layer, None


class PendingLayers(list):
    """The SharedInputs whose gz one backward pass has begun to fill (kept by the pass)."""

    __slots__ = ()

    def finish(self) -> None:
        flush(self)


def flush(pending: list) -> None:
    """Add each layer's Σ_samples gz·x (G^T·X) to its weights' grads; end of a backward pass."""
    layers: dict = {}
    for inputs in pending:
        groups = layers.get(id(inputs.layer))
        if groups is None:
            groups = layers[id(inputs.layer)] = []
        groups.append(inputs)
    pending.clear()
    for groups in layers.values():
        layer = groups[0].layer
        X = _matrix([inputs.xd for inputs in groups])  # (samples, inputs)
        if np.isfinite(X).all():
            G = _matrix([inputs.gz for inputs in groups])  # (samples, neurons)
            with np.errstate(all="ignore"):
                grads = (G.T @ X).tolist()
            for neuron, row in zip(layer, grads):
                for p, v in zip(neuron[0], row):  # the weights: the first n of (w..., b)
                    p.grad += v
        else:  # an inf or nan input: one by one, so that a neuron that passed nothing
            for inputs in groups:  # back (gz = 0) does not turn 0·inf into nan
                for neuron, gz in zip(layer, inputs.gz):
                    if gz != 0.0:
                        for p, x in zip(neuron[0], inputs.xd):
                            p.grad += x * gz
        for inputs in groups:
            inputs.gz = None


def _matrix(rows: list) -> np.ndarray:
    """Lists of floats of one length as the rows of a float64 matrix."""
    return np.fromiter(chain.from_iterable(rows), float, len(rows) * len(rows[0])).reshape(len(rows), -1)


class FactoredGrads(Kernel):
    """Local grads d·x_i, d, d·w_i (parent order w..., b, x...) kept as their factors:
    ``d`` = act'(z), ``_x`` the inputs' data and ``_w`` the weights' data (given by each
    subclass). Indexing, ``len`` and iteration read like a tuple of 2n + 1 entries."""

    __slots__ = ()

    def __len__(self) -> int:
        return 2 * len(self._w) + 1

    def __getitem__(self, i):
        """Entry ``i`` (w..., b, x... order): d·x_i, d or d·w_i, computed when asked for."""
        if i.__class__ is not int:
            return tuple(self)[i]
        w = self._w
        n = len(w)
        if i < 0:
            i += 2 * n + 1
        if not 0 <= i <= 2 * n:
            raise IndexError("local grad index out of range")
        d = self.d
        if i < n:
            return d * self._x[i]
        return d if i == n else d * w[i - n - 1]

    def __iter__(self):
        d = self.d
        yield from (d * x for x in self._x)
        yield d
        yield from (d * w for w in self._w)

    def __eq__(self, other) -> bool:
        return tuple(self) == tuple(other) if isinstance(other, (tuple, FactoredGrads)) else NotImplemented

    __hash__ = None

    def __repr__(self) -> str:
        return f"{type(self).__name__}{tuple(self)!r}"


class NeuronGrads(FactoredGrads):
    """d·x_i, d, d·w_i (parent order w..., b, x...) kept as ``inputs`` (``SharedInputs``),
    ``w`` (the weights' data) and ``d`` = act'(z). The neuron's weights and bias are leaves."""

    __slots__ = ("inputs", "w", "d", "index")

    def __init__(self, inputs: SharedInputs, w: list, d: float, index: int):
        self.inputs, self.w, self.d, self.index = inputs, w, d, index  # index: in inputs.layer

    def walk(self, parents: tuple, state) -> tuple:
        """The weights and bias are leaves, and the layer's other neurons share the inputs:
        the walk looks at the inputs once per layer and sample."""
        inputs = self.inputs
        if inputs.mark is state.mark:
            return ()
        inputs.mark = state.mark
        return inputs.xs

    def backprop(self, node, state) -> None:
        """w_i.grad += x_i·gz (at ``flush``),  b.grad += gz,  x_i.grad += w_i·gz   (gz = g·act'(z))."""
        d = self.d
        g = node.grad
        if d == 0.0 and g - g == 0.0:
            return  # nothing flows back (g is finite, so no 0·inf = nan is lost)
        gz = g * d
        inputs = self.inputs
        gzs = inputs.gz
        if gzs is None:
            gzs = inputs.gz = [0.0] * len(inputs.layer)
            state.defer(PendingLayers, PendingLayers).append(inputs)
        parents = node.parents
        gzs[self.index] += gz
        w = self.w
        parents[len(w)].grad += gz
        for x, wi in zip(inputs.xs, w):
            x.grad += wi * gz

    @property
    def _x(self) -> list:
        return self.inputs.xd

    @property
    def _w(self) -> list:
        return self.w


class ZeroGrads(Kernel, tuple):
    """Local grads that are all 0 (a dead ReLU neuron, a step): backward skips the node
    (unless its grad is inf or nan: 0·inf is nan, and that must show).

    A plain tuple of zeros otherwise; ``zeros(n)`` gives a shared one of length n.
    """

    __slots__ = ()
    __iter__, __len__, __getitem__ = tuple.__iter__, tuple.__len__, tuple.__getitem__

    def backprop(self, node, state) -> None:
        g = node.grad
        if g.__class__ is float and g - g == 0.0:  # finite: 0·g adds nothing
            return
        Kernel.backprop(self, node, state)


_ZERO_GRADS: dict = {}


def zeros(n: int) -> ZeroGrads:
    """``(0.0,) * n`` as ``ZeroGrads``, one shared object per length."""
    z = _ZERO_GRADS.get(n)
    if z is None:
        z = _ZERO_GRADS[n] = ZeroGrads((0.0,) * n)
    return z
