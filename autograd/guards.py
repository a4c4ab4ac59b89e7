"""Teaching guards: catch the mistakes students make every term, with a message that teaches.

Each guard has a name, is on by default and can be switched off on its own:

=======================  =====================================================  ==========
guard                    catches                                                gives
=======================  =====================================================  ==========
``stale_data``           a ``.data`` changed between forward and ``backward()``  StaleDataError
``backward_non_output``  ``backward()`` on an inner node of a graph that was     TeachingWarning
                         already back-propagated from its output
``grads_not_zeroed``     ``optimizer.step()`` with gradients left over from the  TeachingWarning
                         previous step (two batches mixed)
``never_backpropagated`` reading (e.g. drawing) the grads of a graph that       TeachingWarning
                         ``backward()`` never ran on
=======================  =====================================================  ==========

    autograd.guards.set_enabled("stale_data", False)     # one guard off
    with autograd.guards.disabled():                     # all of them, for a block
        ...
    warnings.simplefilter("error", TeachingWarning)     # turn the warnings into errors

Setting the environment variable ``SCALARGRAD_GUARDS=0`` starts with every guard off.
Warnings are for what you may have meant; errors for results that would be silently wrong.
"""
from __future__ import annotations

import contextlib
import inspect
import math
import os
import weakref

import numpy as np

from . import hooks, user_warnings
from .ops import ARRAY, OPS, SCALAR, DomainError


class TeachingWarning(UserWarning):
    """A likely mistake with gradients; the message names the concept and the fix."""


class StaleDataError(RuntimeError):
    """``backward()`` on a graph whose operands' ``.data`` changed after it was built."""


GUARDS = {
    "stale_data": "a .data changed between the forward pass and backward()",
    "backward_non_output": "backward() on an inner node of an already back-propagated graph",
    "grads_not_zeroed": "optimizer.step() on gradients not zeroed since the previous step",
    "never_backpropagated": "reading the grads of a graph that backward() never ran on",
}
_on = dict.fromkeys(GUARDS, os.environ.get("SCALARGRAD_GUARDS", "1") not in ("0", "off", "false"))

# How many nodes (those with a leaf operand) the stale-data check recomputes per backward():
# every one in a classroom-sized graph; in a big graph, the ones nearest the output.
STALE_CHECK_NODES = 32
# How many parameters (spread evenly, first and last included) optimizer.step() marks and
# checks for grads not zeroed since the previous step.
STEP_CHECK_PARAMS = 16
BATCHED_CHECK_COST = 8  # a batched node's recheck costs numpy calls: it counts as 8 nodes

_hook = None  # the before-backward hook (hooks.py), installed while a backward guard is on


def _sync_hook() -> None:
    """Install ``before_backward`` as a hook while stale_data or backward_non_output is on."""
    global _hook
    want = _on["stale_data"] or _on["backward_non_output"]
    if want and _hook is None:
        _hook = hooks.before_backward(before_backward)
    elif not want and _hook is not None:
        _hook.remove()
        _hook = None


def _off_hint(name: str) -> str:
    return f"(To switch this check off: autograd.guards.set_enabled({name!r}, False).)"


def set_enabled(name: str, on: bool = True) -> None:
    """Switch guard ``name`` (a key of ``GUARDS``) on or off."""
    if name not in GUARDS:
        raise ValueError(f"unknown guard {name!r}; the guards are: {', '.join(GUARDS)}")
    _on[name] = bool(on)
    _sync_hook()


def is_enabled(name: str) -> bool:
    """True if guard ``name`` is on."""
    if name not in GUARDS:
        raise ValueError(f"unknown guard {name!r}; the guards are: {', '.join(GUARDS)}")
    return _on[name]


@contextlib.contextmanager
def disabled(*names: str):
    """Switch the named guards (all of them if none is named) off inside the block."""
    names = names or tuple(GUARDS)
    before = {n: is_enabled(n) for n in names}
    try:
        for n in names:
            set_enabled(n, False)
        yield
    finally:
        for n, on in before.items():
            set_enabled(n, on)


# --- backward(): stale data, and backward() from an inner node -------------------------

_roots: weakref.WeakSet = weakref.WeakSet()  # nodes backward() has started from


def before_backward(root, grad=1.0) -> None:
    """Hook run by ``Value.backward`` before it writes any grad (while a backward guard is on)."""
    if not root.parents:
        return
    if _on["backward_non_output"]:
        if root.grad.__class__ is float and root.grad != 0.0 and root not in _roots:
            _warn_non_output(root)
        _roots.add(root)
    if _on["stale_data"]:
        check_stale_data(root)


def _warn_non_output(root) -> None:
    name = f"{root.label!r}" if root.label else f"this node (made by {root.op!r})"
    user_warnings.warn(
        f"backward() was called on {name}, which already has grad {root.grad!r}: it is an inner "
        "node of a graph that was back-propagated from its output (e.g. the loss). A second "
        "backward() from here adds d(node)/d(leaf) on top of d(loss)/d(leaf) in every leaf's "
        "grad, mixing two different derivatives. Fix: call backward() on the output (the loss) "
        "only; to get d(node)/d(leaf) on purpose, call zero_grad() first. "
        + _off_hint("backward_non_output"),
        TeachingWarning,
    )


def check_stale_data(root, limit: int | None = None) -> None:
    """Raise ``StaleDataError`` if an operand's ``.data`` changed since the graph was built.

    A node stores its value and local derivatives, computed from its operands' data at
    forward time; recomputing the op from the operands' *current* data must give the
    same value. Checked: up to ``limit`` (``STALE_CHECK_NODES``) nodes that have a leaf
    operand (parameters and inputs are leaves), nearest the output first; a batched node
    counts as ``BATCHED_CHECK_COST`` nodes.
    """
    budget = STALE_CHECK_NODES if limit is None else limit
    stack, seen = [root], set()
    while stack and budget > 0:
        node = stack.pop()
        if node in seen:
            continue
        seen.add(node)
        has_leaf = False
        for p in node.parents:
            if p.parents:
                stack.append(p)
            else:
                has_leaf = True
        if has_leaf:
            budget -= 1 if node.data.__class__ is float else BATCHED_CHECK_COST
            _recheck(node)


def _recheck(node) -> None:
    """Raise StaleDataError if ``node``'s op, rerun on its operands' current data, differs."""
    fused = node.op == "neuron" or node.op.startswith("neuron_")  # nn's fused neuron
    if fused and node.data.__class__ is not float:
        w = getattr(node.local_grads, "w", None)  # a batched neuron keeps the weights it used
        if w is not None:
            now = np.array([p.data for p in node.parents[:len(w)]], dtype=float)
            if not np.array_equal(w, now) and not _same(w, now):
                _raise_stale(node, "its weights' .data are not the ones it was computed with")
        return
    data = [p.data for p in node.parents]
    if fused:
        fresh = _neuron_locals_match(node, data)
        if fresh is None or fresh:
            return
        _raise_stale(node, "its local derivatives no longer match its operands")
    rule, params = _recomputable(node)
    if rule is None:
        return
    try:
        if all(d.__class__ is float for d in data):
            y = rule(SCALAR, *data, **params)[0]
        else:
            with np.errstate(all="ignore"):
                y = rule(ARRAY, *data, **params)[0]
    except DomainError:
        _raise_stale(node, "its operands are now outside the op's domain")
    except (ValueError, TypeError, ArithmeticError):
        return  # cannot tell (e.g. math.sin(inf)): not this guard's business
    if not _same(y, node.data):
        _raise_stale(node, f"its operands now give {_short(y)}")


def _neuron_locals_match(node, data):
    """For a fused neuron (parents w..., b, x...; local grads act'(z)·x, act'(z), act'(z)·w):
    do the local grads still match the operands' data? None when it cannot tell."""
    local, n = node.local_grads, (len(data) - 1) // 2
    if len(local) != len(data):
        return None
    d = local[n]
    if d.__class__ is not float or d == 0.0:
        return None  # batched, or act'(z) = 0 (nothing flows back anyway)
    pairs = [(local[n + 1:], data[:n])]  # (d·w as stored, w now)
    if all(x.__class__ is float for x in data[n + 1:]):
        pairs.append((local[:n], data[n + 1:]))
    for stored, now in pairs:
        fresh = tuple(now) if d == 1.0 else tuple([d * v for v in now])
        if stored != fresh and not all(map(_same, stored, fresh)):  # (nan != nan: look closer)
            return False
    return True


_RULES: dict = {}  # op name -> (rule, takes_params) for rules that take only operands


def _recomputable(node):
    """(rule, params) that recompute ``node``'s value from its operands, or (None, None)."""
    op = OPS.get(node.op)
    if op is None:
        return None, None
    if node.op == "leaky_relu":  # the slope is not stored, but the local grad is it (x <= 0)
        slope = node.local_grads[0]
        return op.rule, ({} if slope.__class__ is not float or slope == 1.0 else {"negative_slope": slope})
    plain = _RULES.get(node.op)
    if plain is None:
        sig = inspect.signature(op.rule)
        plain = _RULES[node.op] = len(sig.parameters) == len(node.parents) + 1
    return (op.rule, {}) if plain else (None, None)


def _same(a, b) -> bool:
    """Equal up to rounding (relative 1e-9; nan equals nan): ``x.data += h; x.data -= h``
    may not restore x exactly, and that is not a mistake worth stopping for."""
    if a.__class__ is float and b.__class__ is float:
        return a == b or math.isclose(a, b, rel_tol=1e-9) or (a != a and b != b)
    try:
        return bool(np.allclose(a, b, rtol=1e-9, atol=0.0, equal_nan=True))
    except (TypeError, ValueError):
        return False


def _short(x) -> str:
    return repr(float(x)) if np.ndim(x) == 0 else f"an array of {np.size(x)} values"


def _raise_stale(node, why: str) -> None:
    from .value import describe_operands

    raise StaleDataError(
        f".data changed after the graph was built: the node made by {node.op!r} holds "
        f"{_short(node.data)} from the forward pass, but {why} ({describe_operands(node.op, node.parents)}). "
        "backward() would use derivatives computed from the old values, so every gradient would "
        "be silently wrong. Fix: after changing .data (e.g. a parameter update), run the forward "
        "pass again to build a new graph, then call backward(); a training step is forward -> "
        "loss.backward() -> optimizer.step() -> zero_grad(). " + _off_hint("stale_data")
    )


# --- optimizer.step() on gradients that were not zeroed --------------------------------

class _GradAtStep(float):
    """A parameter's grad as it was at an optimizer step, marked as such.

    Adding to it (``grad += ...``: backward() accumulating into a grad that was not zeroed)
    keeps the mark; zeroing replaces it with a plain 0.0. So at the next step a marked grad
    means that no zero_grad() happened in between, whichever way the user zeroes (optimizer,
    module, ``p.grad = 0``). Any other arithmetic with it (``p.data - lr * p.grad``,
    ``x + p.grad``) gives plain floats, so the mark never spreads to data.
    """

    __slots__ = ()

    def __add__(self, other):
        r = float.__add__(self, other)
        return r if r is NotImplemented else _GradAtStep(r)


def check_step(params) -> None:
    """Call at the start of ``optimizer.step()``: warn if the grads were not zeroed since the
    previous step, then mark the current grads (a plain-float subclass, same value).
    Checked: all parameters, or ``STEP_CHECK_PARAMS`` of them spread evenly in a big model."""
    if not _on["grads_not_zeroed"]:
        return
    n = len(params)
    sampled = n > STEP_CHECK_PARAMS
    if sampled:  # an even spread: a forgotten zero_grad() leaves every grad stale
        params = [params[i * (n - 1) // (STEP_CHECK_PARAMS - 1)] for i in range(STEP_CHECK_PARAMS)]
    stale = []
    for p in params:
        g = p.grad
        if g.__class__ is _GradAtStep:
            stale.append(p)
        elif g.__class__ is float and g != 0.0:
            p.grad = _GradAtStep(g)
    if stale:
        names = ", ".join(repr(p.label) if p.label else "?" for p in stale[:3])
        more = f" and {len(stale) - 3} more" if len(stale) > 3 else ""
        user_warnings.warn(
            f"optimizer.step(): the gradients of {len(stale)} parameters ({names}{more}"
            f"{f'; {len(params)} of the {n} were checked' if sampled else ''}) were not "
            "zeroed since the previous step(), so they still contain that step's gradients: "
            "backward() adds into .grad (it accumulates), and this step mixes the gradients of two "
            "batches (or applies the same gradients twice). Fix: call optimizer.zero_grad() (or "
            "model.zero_grad()) once per step, before loss.backward(). " + _off_hint("grads_not_zeroed"),
            TeachingWarning,
        )


# --- reading grads of a graph that was never back-propagated ---------------------------

def check_backpropagated(root, what: str = "these gradients") -> bool:
    """Warn if ``root``'s graph shows no sign of ``backward()`` from ``root``; True if fine.

    For code that shows grads (drawings, explanations). All grads 0: backward() never ran
    (or zero_grad() cleared them). ``root.grad`` 0 while other nodes have grads: they came
    from a backward() from another node, not from ``root``.
    """
    if not _on["never_backpropagated"] or not root.parents:
        return True
    if _nonzero(root.grad):
        return True
    from .graph import topological_order

    others = any(_nonzero(n.grad) for n in topological_order(root))
    if others:
        why = (f"{_name(root)} has grad 0, yet other nodes of its graph have gradients: they come "
               "from a backward() from another node (or from before this graph was extended), "
               "not from this output. Fix: call backward() on this output first.")
    else:
        why = (f"every gradient in the graph of {_name(root)} is 0: backward() was never called "
               "on it (or zero_grad() cleared the gradients since). Gradients are filled in only by "
               f"{_name(root, short=True)}.backward().")
    user_warnings.warn(f"{what} may not be what you expect: {why} " + _off_hint("never_backpropagated"),
                       TeachingWarning)
    return False


def _nonzero(g) -> bool:
    return g != 0.0 if g.__class__ is float else bool(np.any(g != 0.0))  # nan counts as nonzero


def _name(node, short: bool = False) -> str:
    if node.label:
        return node.label if short else f"{node.label!r}"
    return "root" if short else f"the output (op {node.op!r})"


_sync_hook()
