"""Finding and running a Graphviz renderer: a system ``dot``, else PyPI's ``graphviz-pure``.

Order: the environment variable ``SCALARGRAD_GRAPHVIZ`` (a path to ``dot`` or
``graphviz-pure``, or ``none`` to switch rendering off), then ``dot`` on PATH, then
``graphviz-pure`` on PATH, then either one beside ``sys.executable`` (a Jupyter kernel often
runs the venv's python without the venv's ``bin`` on PATH).
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ENV = "SCALARGRAD_GRAPHVIZ"
NAMES = ("dot", "graphviz-pure")
FORMATS = ("svg", "png", "pdf")
HINT = (
    "no Graphviz renderer found: install one with `pip install graphviz-pure` "
    "(or a system `dot`), or point SCALARGRAD_GRAPHVIZ at it"
)


class RendererNotFound(RuntimeError):
    """No Graphviz binary: only DOT text can be produced."""


def renderer() -> str | None:
    """Path of the Graphviz binary viz uses, or None when there is none (or it is switched off)."""
    forced = os.environ.get(ENV, "").strip()
    if forced:
        if forced.lower() in ("none", "off", "0", "false"):
            return None
        path = shutil.which(forced)
        return str(Path(path).resolve()) if path else None
    for name in NAMES:
        path = shutil.which(name)
        if path:
            return path
    beside = Path(sys.executable).parent
    for name in NAMES:
        for candidate in (beside / name, beside / f"{name}.exe"):
            if candidate.is_file() and os.access(candidate, os.X_OK):
                return str(candidate)
    return None


def hint() -> str:
    """One line saying why nothing could be rendered and how to fix it."""
    forced = os.environ.get(ENV, "").strip()
    if forced.lower() in ("none", "off", "0", "false"):
        return f"rendering is switched off ({ENV}={forced}); showing the DOT source"
    if forced:
        return f"{ENV}={forced} is not an executable Graphviz binary; showing the DOT source"
    return HINT + "; showing the DOT source"


def render(source: str, format: str = "svg", dpi: int | None = None) -> bytes:
    """The DOT ``source`` laid out and drawn as ``format`` ("svg", "png" or "pdf") bytes."""
    if format not in FORMATS:
        raise ValueError(f"unknown image format {format!r}; use one of {', '.join(FORMATS)} (or .dot for the source)")
    exe = renderer()
    if exe is None:
        raise RendererNotFound(
            f"can't draw {format}: {hint().split(';')[0]}. Install a renderer (pip install "
            "graphviz-pure) or save the DOT text instead: graph.save('graph.dot')"
        )
    cmd = [exe, f"-T{format}", "-q"]
    if dpi is not None:
        cmd.append(f"-Gdpi={dpi}")
    try:
        done = subprocess.run(cmd, input=source.encode("utf-8"), capture_output=True, timeout=120)
    except (OSError, subprocess.TimeoutExpired) as e:
        raise RuntimeError(f"Graphviz ({exe}) could not run: {e}") from None
    if done.returncode != 0 or not done.stdout:
        err = done.stderr.decode("utf-8", "replace").strip() or f"exit code {done.returncode}"
        raise RuntimeError(f"Graphviz ({exe}) failed to render the graph: {err}")
    return done.stdout
