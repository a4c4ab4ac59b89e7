"""``no_grad``: switch graph recording off, as a context manager or a decorator."""
from __future__ import annotations

import contextlib

_enabled = True  # read by value.py on every op


def is_grad_enabled() -> bool:
    """True when new Values record their parents (the default)."""
    return _enabled


class no_grad(contextlib.ContextDecorator):
    """Values made inside record no parents: they are leaves, and no graph is kept.

    Use it for parameter updates and evaluation::

        with no_grad():
            p.data -= lr * p.grad        # (also works as @no_grad() on a function)
    """

    def __enter__(self):
        global _enabled
        self._prev, _enabled = _enabled, False
        return self

    def __exit__(self, *exc):
        global _enabled
        _enabled = self._prev
        return False
