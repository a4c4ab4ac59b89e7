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

from autograd.language import tr

ENV = "SCALARGRAD_GRAPHVIZ"
NAMES = ("dot", "graphviz-pure")
FORMATS = ("svg", "png", "pdf")
HINT = (
    "no Graphviz renderer found: install one with `pip install graphviz-pure` "
    "(or a system `dot`), or point SCALARGRAD_GRAPHVIZ at it"
)


class RendererNotFound(RuntimeError):
    """No Graphviz binary: only DOT text can be produced."""


class LayoutTimeout(RuntimeError):
    """Graphviz did not lay the graph out within the time it was given."""


class FormatNotSupported(RuntimeError):
    """The Graphviz binary found cannot write the asked format (graphviz-pure writes no pdf)."""


def renderer() -> str | None:
    """Path of the Graphviz binary viz uses, or None when there is none (or it is switched off)."""
    forced = os.environ.get(ENV, "").strip()
    if forced:
        if forced.lower() in ("none", "off", "0", "false"):
            return None
        path = shutil.which(forced) or shutil.which(forced, path=str(Path(sys.executable).parent))
        # absolute, but not through symlinks: Debian's /usr/bin/dot links to a program that
        # picks its layout engine from the name it was called by (argv[0] must stay "dot")
        return os.path.abspath(path) if path else None
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


_FORMATS_OF: dict = {}  # renderer path -> the output formats it lists (None: it did not say)


def formats(exe: str | None = None):
    """The output formats the renderer lists for ``-T?`` (e.g. graphviz-pure has no pdf), as a
    set, or None when it does not say (then every format is tried). Asked once per binary."""
    exe = exe or renderer()
    if exe is None:
        return set()
    if exe not in _FORMATS_OF:
        try:
            done = subprocess.run([exe, "-T?"], stdin=subprocess.DEVNULL, capture_output=True, timeout=30,
                                  check=False)
            said = (done.stderr + done.stdout).decode("utf-8", "replace")
        except (OSError, subprocess.TimeoutExpired):
            said = ""
        _, found, listed = said.partition("Use one of:")
        _FORMATS_OF[exe] = {f.split(":")[0] for f in listed.split()} if found else None
    return _FORMATS_OF[exe]


def cannot_render(format: str) -> str | None:
    """Why ``format`` can't be drawn here (no renderer, or one without that format), or None."""
    exe = renderer()
    if exe is None:
        return hint().split(";")[0]
    known = formats(exe)
    if known is not None and format not in known:
        return (f"the Graphviz renderer {exe} cannot write {format} (it writes "
                f"{', '.join(f for f in FORMATS if f in known) or 'none of ' + ', '.join(FORMATS)}); "
                f"for slides use svg (vector) or png, or install a system Graphviz (`dot`), which writes pdf")
    return None


def hint() -> str:
    """One line saying why nothing could be rendered and how to fix it."""
    forced = os.environ.get(ENV, "").strip()
    if forced.lower() in ("none", "off", "0", "false"):
        return tr("rendering is switched off ({setting})", setting=f"{ENV}={forced}") + tr("; showing the DOT source")
    if forced:
        return tr("{setting} is not an executable Graphviz binary", setting=f"{ENV}={forced}") + tr(
            "; showing the DOT source")
    return tr(HINT) + tr("; showing the DOT source")


def render(source: str, format: str = "svg", dpi: int | None = None, timeout: float = 120) -> bytes:
    """The DOT ``source`` laid out and drawn as ``format`` ("svg", "png" or "pdf") bytes;
    ``LayoutTimeout`` when Graphviz takes more than ``timeout`` seconds."""
    if format not in FORMATS:
        raise ValueError(f"unknown image format {format!r}; use one of {', '.join(FORMATS)} (or .dot for the source)")
    exe = renderer()
    if exe is None:
        raise RendererNotFound(
            f"can't draw {format}: {hint().split(';')[0]}. Install a renderer (pip install "
            "graphviz-pure) or save the DOT text instead: graph.save('graph.dot')"
        )
    known = formats(exe)
    if known is not None and format not in known:
        raise FormatNotSupported(cannot_render(format))
    cmd = [exe, f"-T{format}", "-q"]
    if dpi is not None:
        cmd.append(f"-Gdpi={dpi}")
    try:
        done = subprocess.run(cmd, input=source.encode("utf-8"), capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise LayoutTimeout(f"Graphviz ({exe}) did not lay the graph out in {timeout:g} s") from None
    except OSError as e:
        raise RuntimeError(f"Graphviz ({exe}) could not run: {e}") from None
    if done.returncode != 0 or not done.stdout:
        err = done.stderr.decode("utf-8", "replace").strip() or f"exit code {done.returncode}"
        raise RuntimeError(f"Graphviz ({exe}) failed to render the graph: {err}")
    return done.stdout
