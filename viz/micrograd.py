"""``draw_dot``: micrograd's graph-drawing call, drawn by viz.

In Karpathy's lecture ``draw_dot(root)`` returns a ``graphviz.Digraph``: Jupyter shows it,
``.render("gout")`` writes the file, ``.pipe()`` gives the image bytes. ``viz.draw_dot``
takes the same arguments and returns a ``Digraph`` with those methods, drawn by
``viz.draw_graph`` (one box per value with its label, op, data and grad; one edge per use).
Without a Graphviz renderer it still returns, and shows the DOT text.
"""
from __future__ import annotations

import webbrowser
from pathlib import Path

from .dot import Graph
from .graph import draw_graph
from .render import FORMATS, render

RANKDIRS = ("LR", "TB", "RL", "BT")


def draw_dot(root, format: str = "svg", rankdir: str = "LR", lang: str | None = None) -> "Digraph":
    """The computation graph below ``root`` as a ``Digraph`` (micrograd's ``draw_dot``).

    format: the image format ``.render()`` and ``.pipe()`` write ("svg", "png" or "pdf");
    rankdir: "LR" (left to right, the lecture's) or "TB" (top to bottom); lang: "en", "ru"
    (default: ``viz.set_language``'s; only a constant's box has words: "const").
    """
    _check_format(format)
    if rankdir not in RANKDIRS:
        raise ValueError(f"rankdir must be 'LR' (left to right) or 'TB' (top to bottom), not {rankdir!r}")
    return Digraph(draw_graph(root, view="both", rankdir=rankdir, legend=False, lang=lang), format)


def _check_format(format) -> str:
    if format not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {format!r}")
    return format


class Digraph:
    """A drawn graph with ``graphviz.Digraph``'s ways out: ``.source``, ``.format``,
    ``.render(filename)``, ``.pipe()``, ``.save()``, ``.view()``; shows itself in Jupyter.
    ``.graph`` is the ``viz.Graph`` underneath."""

    def __init__(self, graph: Graph, format: str = "svg"):
        self.graph = graph
        self.format = _check_format(format)

    @property
    def source(self) -> str:
        """The DOT text."""
        return self.graph.source

    def pipe(self, format: str | None = None, encoding: str | None = None):
        """The image as bytes (or text, given an ``encoding``), in ``format`` (default ``.format``)."""
        data = render(self.source, _check_format(format or self.format))
        return data.decode(encoding) if encoding else data

    def save(self, filename="Digraph.gv", directory=None) -> str:
        """Write the DOT text to ``filename`` (an image instead when it ends in .svg, .png or
        .pdf); returns the path."""
        path = Path(directory or "") / filename
        if path.suffix.lower().lstrip(".") in FORMATS:
            return self.graph.save(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(self.source, encoding="utf-8")
        return str(path)

    def render(self, filename=None, directory=None, view: bool = False, cleanup: bool = False,
               format: str | None = None, outfile=None) -> str:
        """As graphviz: write the DOT text to ``filename`` (default "Digraph.gv") and the image
        to ``filename.<format>``, or to ``outfile`` (its suffix picks the format; the DOT text
        goes beside it as .gv); return the image's path. ``cleanup``: delete the DOT file
        afterwards; ``view``: open the image."""
        if outfile is not None:
            out = Path(outfile)
            format = format or out.suffix.lstrip(".") or self.format
            if filename is None:
                filename, directory = str(out.with_suffix(".gv")), None
        else:
            filename = filename or "Digraph.gv"
            out = Path(directory or "") / f"{filename}.{format or self.format}"
        image = self.pipe(format)
        source = self.save(filename, directory)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(image)
        if cleanup:
            Path(source).unlink()
        if view:
            webbrowser.open(out.resolve().as_uri())
        return str(out)

    def view(self, filename="Digraph.gv", directory=None, cleanup: bool = False) -> str:
        """Render and open the image in the system's viewer."""
        return self.render(filename, directory, view=True, cleanup=cleanup)

    def _repr_mimebundle_(self, include=None, exclude=None):
        return self.graph._repr_mimebundle_(include, exclude)

    def __str__(self) -> str:
        return self.source

    def __repr__(self) -> str:
        return (f"<viz.Digraph: {self.graph.num_nodes} nodes; .render('name') writes name.{self.format}, "
                ".source has the DOT text>")
