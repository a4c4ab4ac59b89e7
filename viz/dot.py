"""DOT text helpers and ``Graph``: a diagram that shows itself in Jupyter and saves to files.

A ``Graph`` holds only DOT text (``.source``); it is rendered on demand by the Graphviz
binary ``render.py`` finds. Without one, Jupyter shows the source and a one-line hint.
"""
from __future__ import annotations

import base64
import html
import re
from pathlib import Path

from autograd.language import tr

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
DISPLAY_WIDTH = 900  # CSS px: a typical notebook output area (JupyterLab on a laptop, a projector)
MIN_TEXT_PX = 10  # the smallest text a picture may show at DISPLAY_WIDTH
PX_PER_PT = 96 / 72  # how a browser shows Graphviz's points at 100 %
SOURCE_PREVIEW_LINES = 40  # a graph shown as text shows this much of its DOT source
MAX_DISPLAY_BYTES = 512 * 1024  # the most a picture may put into a notebook's output
LAYOUT_SECONDS = 4  # draw_graph gives Graphviz this long per picture before it draws less
TOO_BIG_ADVICE = ("draw less: pass model=... with collapse='layer' to draw_graph, or focus=<a Value> "
                  "(only the paths from it), or draw one sample's graph (the loss of model(x) for one x); "
                  ".save('graph.svg') lays it out anyway, .source has the DOT text")


class Graph:
    """A diagram: DOT text plus rendering. ``.source``; ``.render("svg"|"png"|"pdf")`` -> bytes;
    ``.save(path)`` (.svg .png .pdf .dot); shows itself in Jupyter as a PNG (which an
    untrusted notebook shows too), at most ``DISPLAY_WIDTH`` px wide."""

    def __init__(self, source: str, layout_seconds: float | None = None):
        self.source = source
        self._svg: str | None = None
        self._why_not: str | None = None  # why the last attempt to draw SVG gave nothing
        # how long the picture's own layout may take (draw_graph: LAYOUT_SECONDS); a graph
        # Graphviz could not lay out in that time is shown as text, and not tried again
        self.layout_seconds = layout_seconds
        self.timed_out = False

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
        if self._svg is None and not self.timed_out:
            try:
                self._svg = _render.render(self.source, "svg", timeout=self.layout_seconds or 120).decode("utf-8")
            except _render.RendererNotFound:
                self._why_not = _render.hint()
            except _render.LayoutTimeout:
                self.timed_out = True
                self._why_not = tr("Graphviz did not lay out these {n} boxes in {seconds:g} s; {advice}",
                                   n=self.num_nodes, seconds=self.layout_seconds or 120, advice=tr(TOO_BIG_ADVICE))
            except (RuntimeError, OSError) as e:
                self._why_not = tr("{error}; showing the start of the DOT source", error=e)
        return self._svg

    # --- size: what a reader sees at DISPLAY_WIDTH ---------------------------------------

    @property
    def size_pt(self) -> tuple | None:
        """(width, height) of the laid-out picture in points, or None without a renderer."""
        svg = self.svg()
        if svg is None:
            return None
        m = re.search(r'<svg[^>]*?width="([\d.]+)pt"[^>]*?height="([\d.]+)pt"', svg)
        return (float(m.group(1)), float(m.group(2))) if m else None

    @property
    def min_font_pt(self) -> float:
        """The smallest font size the DOT text asks for (Graphviz's default is 14)."""
        sizes = [float(x) for x in re.findall(r'(?:fontsize|POINT-SIZE)="?([\d.]+)', self.source)]
        return min(sizes, default=14.0)

    def display_width(self, width: int = DISPLAY_WIDTH) -> float | None:
        """CSS px the picture is shown at: natural size (1 pt = 4/3 px), shrunk to ``width``."""
        size = self.size_pt
        return None if size is None else min(size[0] * PX_PER_PT, width)

    def text_px(self, width: int = DISPLAY_WIDTH) -> float | None:
        """Height in CSS px of the smallest text when shown ``width`` px wide at most."""
        size = self.size_pt
        return None if size is None else self.min_font_pt * self.display_width(width) / size[0]

    def fits(self, width: int = DISPLAY_WIDTH) -> bool:
        """True when the picture shows in ``width`` px with text at least MIN_TEXT_PX high."""
        px = self.text_px(width)
        return px is not None and px >= MIN_TEXT_PX - 1e-9

    def png(self) -> bytes | None:
        """PNG for a notebook: twice the display resolution (sharp on a laptop's screen),
        with the layout width and smallest font size as tEXt chunks, or None."""
        size = self.size_pt
        if size is None or self.num_nodes > AUTO_RENDER_LIMIT:
            return None
        for px_per_css_px in (2, 1):  # sharp on a laptop's screen; else what a notebook can hold
            dpi = px_per_css_px * 72 * self.display_width() / size[0]
            try:
                data = self.render("png", dpi=max(1, round(dpi)))
            except (_render.RendererNotFound, RuntimeError, OSError) as e:
                self._why_not = f"{e}"
                return None
            if len(data) <= MAX_DISPLAY_BYTES:
                break
        else:
            self._why_not = tr("this picture ({n} boxes) would put {mib:.1f} MiB into the notebook; {advice}",
                               n=self.num_nodes, mib=len(data) / 2**20, advice=tr(TOO_BIG_ADVICE))
            return None
        return png_with_text(data, {"scalargrad:width_pt": f"{size[0]:.2f}",
                                    "scalargrad:min_font_pt": f"{self.min_font_pt:g}"})

    # --- Jupyter ---------------------------------------------------------------------------

    def _too_big(self) -> bool:
        if self.num_nodes > AUTO_RENDER_LIMIT:
            self._why_not = tr("{n} nodes are too many to draw readably (Graphviz takes minutes above "
                               "about {limit}); {advice}", n=self.num_nodes, limit=AUTO_RENDER_LIMIT,
                               advice=tr(TOO_BIG_ADVICE))
            return True
        return False

    def source_preview(self) -> str:
        """The first SOURCE_PREVIEW_LINES lines of the DOT text (a big graph's whole source
        would put megabytes into a notebook)."""
        lines = self.source.splitlines()
        if len(lines) <= SOURCE_PREVIEW_LINES:
            return self.source
        return ("\n".join(lines[:SOURCE_PREVIEW_LINES])
                + f"\n... {len(lines) - SOURCE_PREVIEW_LINES} more lines ({len(self.source)} characters): "
                "graph.source has them all, graph.save('graph.dot') writes them\n")

    def html(self) -> str:
        """An ``<img>`` of the picture (PNG, embedded) for an HTML page, or the reason
        there is none and the start of the DOT source."""
        data = None if self._too_big() else self.png()
        if data is not None:
            width = round(self.display_width())
            alt = html.escape(tr("computation graph"), quote=True)
            return (f'<img src="data:image/png;base64,{base64.b64encode(data).decode("ascii")}" '
                    f'width="{width}" style="max-width:100%;height:auto" alt="{alt}">')
        return (f"<p><i>{html.escape(self._why_not or _render.hint())}</i></p>"
                f"<pre>{html.escape(self.source_preview())}</pre>")

    def _repr_mimebundle_(self, include=None, exclude=None):
        """One picture per output: a PNG (shown by untrusted notebooks and static exports
        too), else a short note and the start of the DOT source as text."""
        data = None if self._too_big() else self.png()
        if data is not None:
            return ({"image/png": base64.b64encode(data).decode("ascii"), "text/plain": repr(self)},
                    {"image/png": {"width": round(self.display_width())}})
        return {"text/plain": f"{self._why_not or _render.hint()}\n{self.source_preview()}"}

    def __repr__(self) -> str:
        return f"<viz.Graph: {self.num_nodes} nodes; .source has the DOT text, .save('g.svg') writes a file>"

    def __str__(self) -> str:
        return self.source


def choose_layout(build, options=("LR", "TB")) -> Graph:
    """The first of ``build(option)`` (in the order given: the most informative first) whose
    picture fits DISPLAY_WIDTH with readable text; else the one with the largest text.
    Without a renderer: the first."""
    return choose_option(build, options)[1]


def choose_option(build, options) -> tuple:
    """(option, Graph) for ``choose_layout``: which option it took, and its picture."""
    tried, first = [], None
    for option in options:
        g = build(option)  # DOT text, or a Graph
        g = g if isinstance(g, Graph) else Graph(g)
        first = first or (option, g)
        if g.num_nodes <= AUTO_RENDER_LIMIT and g.size_pt is None and g.timed_out:
            continue  # Graphviz gave up on this one: a smaller option may do
        if g.num_nodes > AUTO_RENDER_LIMIT or g.size_pt is None or g.fits():
            return option, g
        tried.append((option, g))
    return max(tried, key=lambda pair: pair[1].text_px()) if tried else first


def png_with_text(data: bytes, text: dict) -> bytes:
    """``data`` (a PNG) with ``text`` as tEXt chunks right after its header chunk."""
    import struct
    import zlib
    head = 8 + 8 + 13 + 4  # signature, IHDR length+type, IHDR data, CRC
    chunks = b""
    for key, value in text.items():
        body = key.encode("latin-1") + b"\0" + str(value).encode("latin-1")
        chunks += struct.pack(">I", len(body)) + b"tEXt" + body + struct.pack(">I", zlib.crc32(b"tEXt" + body))
    return data[:head] + chunks + data[head:]


def png_text(data: bytes) -> dict:
    """The tEXt chunks of a PNG, as {key: value}."""
    import struct
    out, i = {}, 8
    while i + 8 <= len(data):
        (length,), kind = struct.unpack(">I", data[i:i + 4]), data[i + 4:i + 8]
        if kind == b"tEXt":
            key, _, value = data[i + 8:i + 8 + length].partition(b"\0")
            out[key.decode("latin-1")] = value.decode("latin-1")
        if kind == b"IEND":
            break
        i += 12 + length
    return out


def _is_node_line(line: str) -> bool:
    s = line.strip()
    return bool(s) and s[0].isalpha() and "->" not in s and " [" in s and not s.startswith(
        ("node ", "edge ", "graph ", "subgraph", "label", "rank", "legend"))
