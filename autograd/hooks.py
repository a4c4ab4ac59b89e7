"""Hook points: code that watches the engine plugs in here, and the engine calls it.

The teaching guards (``guards.py``) and ``detect_anomaly()`` (``anomaly.py``) are built on
these; nothing replaces an engine function or rebinds a module's names.

    handle = autograd.hooks.before_backward(fn)  # fn(root, grad): before backward() writes a grad
    handle = autograd.hooks.after_backward(fn)   # fn(root): after backward() wrote every grad
    handle = autograd.hooks.node_made(fn)        # fn(node, op, parents): each node an op records
    handle.remove()

Node hooks cost every op a check, so ops only look for them while one is installed.
The hook lists are tuples, replaced (never changed in place) under a lock, so a backward
pass in another thread iterates a consistent list.
"""
from __future__ import annotations

import threading

from . import grad_mode

BEFORE_BACKWARD: tuple = ()
AFTER_BACKWARD: tuple = ()
NODE_MADE: tuple = ()

_lock = threading.Lock()


class Handle:
    """What installing a hook returns: ``remove()`` takes the hook out again (once)."""

    def __init__(self, kind: str, fn):
        self.kind, self.fn = kind, fn

    def remove(self) -> None:
        with _lock:
            hooks = list(globals()[self.kind])
            if self.fn in hooks:
                hooks.remove(self.fn)
                _set(self.kind, tuple(hooks))


def _add(kind: str, fn) -> Handle:
    if not callable(fn):
        raise TypeError(f"a hook must be callable, got {type(fn).__name__}")
    with _lock:
        _set(kind, globals()[kind] + (fn,))
    return Handle(kind, fn)


def _set(kind: str, hooks: tuple) -> None:
    globals()[kind] = hooks
    grad_mode.FAST.node_hooks = len(NODE_MADE)
    grad_mode.refresh()


def before_backward(fn) -> Handle:
    """Call ``fn(root, grad)`` at the start of every ``backward()``, before any grad changes."""
    return _add("BEFORE_BACKWARD", fn)


def after_backward(fn) -> Handle:
    """Call ``fn(root)`` at the end of every ``backward()`` that did not raise."""
    return _add("AFTER_BACKWARD", fn)


def node_made(fn) -> Handle:
    """Call ``fn(node, op, parents)`` for every node an op records (not for leaves made with
    ``Value(x)``, nor inside ``no_grad()``). It may raise to stop the op."""
    return _add("NODE_MADE", fn)


def watching_nodes() -> bool:
    """True while a ``node_made`` hook is installed: code that builds nodes in bulk (nn's
    fused layer) then makes them one by one through ``make_node``, so the hooks see each."""
    return bool(NODE_MADE)
