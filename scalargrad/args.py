"""Turning command-line text into checked values: numbers, ``name=value`` pairs, output paths."""
from __future__ import annotations

import os
from pathlib import Path

from .expr import ExpressionError, check_name, check_number


class UsageError(Exception):
    """Bad command-line input; the message says what was wrong and how to fix it (exit code 2)."""


def number(text: str, what: str) -> float:
    """``text`` as a finite float, or a UsageError naming the option ``what``."""
    try:
        return check_number(text, what)
    except ExpressionError as e:
        raise UsageError(str(e)) from None


def positive(text: str, what: str) -> float:
    """``text`` as a float > 0."""
    x = number(text, what)
    if x <= 0:
        raise UsageError(f"{what}: must be > 0, got {text}")
    return x


def count(text: str, what: str, minimum: int = 1, maximum: int = 1_000_000) -> int:
    """``text`` as a whole number in [minimum, maximum]."""
    try:
        n = int(text)
    except ValueError:
        raise UsageError(f"{what}: {text!r} is not a whole number") from None
    if not minimum <= n <= maximum:
        raise UsageError(f"{what}: must be between {minimum} and {maximum}, got {n}")
    return n


def assignments(pairs: list[str]) -> dict[str, float]:
    """``["x=2", "w=-3"]`` -> ``{"x": 2.0, "w": -3.0}``, refusing bad names, numbers and repeats."""
    values = {}
    for pair in pairs:
        name, sep, text = pair.partition("=")
        name = name.strip()
        if not sep or not name:
            raise UsageError(f"{pair!r}: give each variable as name=value, e.g. x=2")
        try:
            check_name(name)
        except ExpressionError as e:
            raise UsageError(str(e)) from None
        if name in values:
            raise UsageError(f"{name} is given twice ({name}={values[name]!r} and {pair})")
        values[name] = number(text.strip(), name)
    return values


def output_file(path: str, suffixes: tuple) -> Path:
    """``path`` if its suffix is one of ``suffixes`` and it is not a folder (nothing is created)."""
    p = Path(path)
    if p.suffix.lower() not in suffixes:
        raise UsageError(f"{path}: unknown file type {p.suffix or '(none)'!r}; use one of {', '.join(suffixes)}")
    if _check(p, p.is_dir):
        raise UsageError(f"{path} is a folder; give a file name such as {p / ('graph' + suffixes[0])}")
    return p


def writable_dir(path) -> Path:
    """``path`` as an existing, writable folder (created, with its parents, if missing), or a UsageError."""
    p = Path(path)
    if _check(p, p.exists) and not _check(p, p.is_dir):
        raise UsageError(f"{str(p)!r} is a file, not a folder; give a folder name (it is created if missing)")
    try:
        p.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise UsageError(f"cannot create the folder {str(p)!r}: {e.strerror or e}") from None
    if not os.access(p, os.W_OK | os.X_OK):
        raise UsageError(f"cannot write into the folder {str(p)!r}: permission denied")
    return p


def is_folder(path) -> bool:
    """Whether ``path`` is an existing folder (a UsageError if a folder on the way may not be entered)."""
    p = Path(path)
    return _check(p, p.is_dir)


def _check(p: Path, test) -> bool:
    """``test()`` (``p.exists``, ``p.is_dir``), as a UsageError when a folder on the way may not
    be entered (another user's home with mode 700 raises PermissionError, not False)."""
    try:
        return test()
    except OSError as e:
        raise UsageError(f"cannot write {str(p)!r}: {e.strerror or e} (a folder on the way may not "
                         "be entered; choose a path in your own folders)") from None
