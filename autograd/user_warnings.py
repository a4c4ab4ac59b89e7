"""``warn``: a warning that points at the student's own line, wherever it was raised.

A teaching warning is raised deep inside the packages (a guard called by a viz function
called by ``draw_dot``), so a fixed ``stacklevel`` points at the wrong file as soon as the
call chain changes. ``warn`` walks up the stack to the first frame outside scalargrad's
packages (autograd, nn, viz, scalargrad) and reports that line. (Python 3.12's
``warnings.warn(skip_file_prefixes=...)`` does the same; we support 3.11.)
"""
from __future__ import annotations

import os
import sys
import warnings

_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PACKAGES = ("autograd", "nn", "viz", "scalargrad")
INTERNAL = tuple(os.path.join(_ROOT, name) + os.sep for name in PACKAGES)


def is_internal(filename: str) -> bool:
    """True for a file inside one of scalargrad's packages."""
    return os.path.abspath(filename).startswith(INTERNAL)


def user_stacklevel() -> int:
    """The ``stacklevel`` that makes ``warnings.warn``, called by the function that calls this
    one, point at the first caller outside the packages (2, its direct caller, if none is)."""
    frame = sys._getframe(2)  # the caller of the function that asked
    level = 2
    while frame is not None and is_internal(frame.f_code.co_filename):
        frame = frame.f_back
        level += 1
    return level if frame is not None else 2


def warn(message, category=UserWarning) -> None:
    """``warnings.warn(message, category)`` reported at the user's line (see the module doc)."""
    warnings.warn(message, category, stacklevel=user_stacklevel())
