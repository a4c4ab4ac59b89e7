"""``no_grad``: switch graph recording off, as a context manager or a decorator, per thread.

Grad mode belongs to the thread, as in PyTorch: a ``no_grad`` block in one thread does not
stop recording in another. Each block restores exactly the mode it found, however blocks
nest (a recursive ``@no_grad()`` function included) and when the block raises.
"""
from __future__ import annotations

import contextlib
import threading


class _ThreadMode(threading.local):
    enabled = True  # this thread's grad mode
    saved: list  # the modes the open blocks found, innermost last

    def __init__(self):
        self.saved = []


_mode = _ThreadMode()
_lock = threading.Lock()
_threads_off = 0  # how many threads have recording off right now


class _Fast:
    """What every op reads first: ``plain`` is True when recording is on in every thread
    and no node hook is installed (``hooks.py``), so an op records its node with no other
    check. Otherwise the op asks ``is_grad_enabled()`` and runs the hooks."""

    __slots__ = ("plain", "node_hooks")

    def __init__(self):
        self.plain = True
        self.node_hooks = 0


FAST = _Fast()


def refresh() -> None:
    """Recompute ``FAST.plain`` after grad mode or the node hooks changed."""
    FAST.plain = _threads_off == 0 and FAST.node_hooks == 0


def is_grad_enabled() -> bool:
    """True when new Values made in this thread record their parents (the default)."""
    return _mode.enabled


def set_grad_enabled(mode: bool) -> None:
    """Switch recording on or off in this thread (PyTorch's name); prefer ``with no_grad():``."""
    global _threads_off
    mode = bool(mode)
    with _lock:
        if _mode.enabled and not mode:
            _threads_off += 1
        elif mode and not _mode.enabled:
            _threads_off -= 1
        _mode.enabled = mode
        refresh()


class no_grad(contextlib.ContextDecorator):
    """Values made inside record no parents: they are leaves, and no graph is kept.

    Use it for parameter updates and evaluation::

        with no_grad():
            p.data -= lr * p.grad        # (also works as @no_grad() on a function)

    The mode found on entry is kept on this thread's stack, so nested and recursive uses
    restore it exactly, also when the block raises.
    """

    def __enter__(self):
        _mode.saved.append(_mode.enabled)
        set_grad_enabled(False)
        return self

    def __exit__(self, *exc):
        set_grad_enabled(_mode.saved.pop())
        return False
