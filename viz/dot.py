"""DOT text helpers and ``Graph``: a diagram that shows itself in Jupyter and saves to files.

A ``Graph`` holds only DOT text (``.source``); it is rendered on demand by the Graphviz
binary ``render.py`` finds. Without one, Jupyter shows the source and a one-line hint.
"""
from __future__ import annotations

import html
import re
from pathlib import Path

from . import render as _render

_RECORD_SPECIAL = set('{}|<>"\\')
_UNDRAWABLE = re.compile("[\x00\ud800-\udfff]")  # NUL ends Graphviz's input; a lone surrogate is no UTF-8


def drawable(text) -> str:
    """``str(text)`` with what Graphviz cannot take made visible: NUL as the two characters
    ``\\0`` (any font has them), a lone surrogate (e.g. from a file name decoded with
    surrogateescape) as �. Callers escape the result for their context."""
    return _UNDRAWABLE.sub(lambda m: "\\0" if m.group() == "\x00" else "\ufffd", str(text))


def record_text(text) -> str:
    """``text`` escaped for one field of a record label: ``{ } | < >``, quotes, backslashes;
    newlines become centred line breaks."""
    out = []
    for ch in drawable(text):
        if ch in _RECORD_SPECIAL:
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        else:
            out.append(ch)
    return "".join(out)


def quote(text) -> str:
    """``text`` as a double-quoted DOT string (escaped quotes and backslashes, \\n kept)."""
    s = drawable(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{s}"'


def record(fields, flip: bool = False) -> str:
    """A record label (already quoted) from plain-text ``fields`` (each escaped here).

    Fields run across the rank direction (stacked in a left-to-right graph); ``flip`` wraps
    them in ``{ }``, which turns them, e.g. to stack them in a top-to-bottom graph."""
    body = " | ".join(record_text(f) for f in fields)
    return quote_raw("{ " + body + " }" if flip else body)


def quote_raw(text: str) -> str:
    """Quote DOT text that is already escaped for its context (only quotes left to protect)."""
    return '"' + text + '"'


def html_label(lines) -> str:
    """An HTML-like label (``<...>``) from ``(text, colour or None)`` lines, escaped here."""
    parts = []
    for text, colour in lines:
        t = html.escape(drawable(text), quote=True)
        parts.append(f'<FONT COLOR="{colour}">{t}</FONT>' if colour else t)
    return "<" + "<BR/>".join(parts) + ">"


def attrs(**kw) -> str:
    """``[k=v, ...]`` with values given as ready DOT text (quoted or HTML); None values skipped."""
    items = [f"{k}={v}" for k, v in kw.items() if v is not None]
    return " [" + ", ".join(items) + "]" if items else ""


AUTO_RENDER_LIMIT = 1500  # nodes: Jupyter draws bigger graphs only when asked (.save / .render)


class Graph:
    """A diagram: DOT text plus rendering. ``.source``; ``.render("svg"|"png"|"pdf")`` -> bytes;
    ``.save(path)`` (.svg .png .pdf .dot); shows itself in Jupyter."""

    def __init__(self, source: str):
        self.source = source
        self._svg: str | None = None
        self._why_not: str | None = None  # why the last attempt to draw SVG gave nothing

    @property
    def num_nodes(self) -> int:
        """How many boxes the diagram has (the legend not counted)."""
        return sum(1 for line in self.source.splitlines() if _is_node_line(line))

    def render(self, format: str = "svg", dpi: int | None = None) -> bytes:
        """The diagram as image bytes; raises ``RendererNotFound`` if there is no Graphviz."""
        if format == "dot":
            return self.source.encode("utf-8")
        return _render.render(self.source, format, dpi=dpi)

    def save(self, path, dpi: int | None = None) -> str:
        """Write the diagram to ``path``; the suffix picks the format (.svg .png .pdf .dot)."""
        path = Path(path)
        fmt = path.suffix.lower().lstrip(".") or "svg"
        if fmt == "gv":
            fmt = "dot"
        if fmt not in ("dot",) + _render.FORMATS:
            raise ValueError(f"can't save a graph as {path.name!r}: use a .svg, .png, .pdf or .dot file name")
        if fmt == "png" and dpi is None:
            dpi = 144  # sharp on a slide
        data = self.render(fmt, dpi=dpi)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return str(path)

    def svg(self) -> str | None:
        """The SVG text (cached), or None when no renderer is available or rendering failed."""
        if self._svg is None:
            try:
                self._svg = self.render("svg").decode("utf-8")
            except _render.RendererNotFound:
                self._why_not = _render.hint()
            except (RuntimeError, OSError) as e:
                self._why_not = f"{e}; showing the DOT source"
        return self._svg

    def _auto_svg(self) -> str | None:
        """SVG for Jupyter: None (with the reason kept) when the graph is too big to draw readably."""
        if self._svg is None and self.num_nodes > AUTO_RENDER_LIMIT:
            self._why_not = (f"{self.num_nodes} nodes are too many to draw readably: pass collapse='layer' "
                             "or focus=... to draw_graph, or call .save('graph.svg') to draw it anyway; "
                             "showing the DOT source")
            return None
        return self.svg()

    def _repr_svg_(self):
        return self._auto_svg()

    def _repr_html_(self):
        svg = self._auto_svg()
        if svg is not None:
            return f'<div style="overflow:auto">{svg[svg.find("<svg"):]}</div>'
        return (f"<p><i>{html.escape(self._why_not or _render.hint())}</i></p>"
                f"<pre>{html.escape(self.source)}</pre>")

    def _repr_mimebundle_(self, include=None, exclude=None):
        svg = self._auto_svg()
        if svg is not None:
            return {"image/svg+xml": svg, "text/plain": repr(self)}
        return {"text/html": self._repr_html_(), "text/plain": f"{self._why_not or _render.hint()}\n{self.source}"}

    def __repr__(self) -> str:
        return f"<viz.Graph: {self.num_nodes} nodes; .source has the DOT text, .save('g.svg') writes a file>"

    def __str__(self) -> str:
        return self.source


def _is_node_line(line: str) -> bool:
    s = line.strip()
    return bool(s) and s[0].isalpha() and "->" not in s and " [" in s and not s.startswith(
        ("node ", "edge ", "graph ", "subgraph", "label", "rank", "legend"))
