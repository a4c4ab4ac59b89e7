"""``backward_steps``: the backward pass replayed one node at a time, for a slider, a GIF
or a folder of SVG slides.

The replay does its own arithmetic on a copy (grads start from zero, as after
``zero_grad()``), so the graph's real ``.grad`` fields are never touched. Each step is
one node of reverse topological order: ``parent.grad += local × node.grad`` for each use.
"""
from __future__ import annotations

import html
import io
from dataclasses import dataclass, field
from pathlib import Path

from autograd import chain_rule_steps

from .derivatives import local_formula
from .dot import Graph, choose_option
from .fmt import fmt
from .graph import dot_source
from .scene import Scene


@dataclass
class Frame:
    """One step: ``node`` (the active node), ``lines`` (one update per use of a parent),
    ``text`` (all of them), ``grads`` (every grad known after this step) and ``graph``."""

    index: int
    node: object
    lines: list
    replay: "Replay" = field(repr=False)
    _graph: Graph | None = field(default=None, repr=False)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    @property
    def grads(self) -> dict:
        return self.replay.grads_after(self.index)

    @property
    def graph(self) -> Graph:
        """The graph as it stands after this step, the active node highlighted, with the
        step's arithmetic as its title (for slides and GIFs)."""
        if self._graph is None:
            shown = self.lines[:4] + ([f"... and {len(self.lines) - 4} more"] if len(self.lines) > 4 else [])
            title = f"step {self.index + 1}/{len(self.replay.frames)}\n" + "\n".join(shown)
            self._graph = Graph(self.replay.frame_source(self.index, title))
        return self._graph

    @property
    def picture(self) -> Graph:
        """The graph after this step without a title (a page shows the arithmetic as text)."""
        return Graph(self.replay.frame_source(self.index, None))

    def _repr_html_(self):
        return f"<pre>{html.escape(self.text)}</pre>" + self.picture.html()


class Replay:
    """The frames of one backward pass; ``.widget()``, ``.save_gif(path)``, ``.save_svgs(dir)``."""

    def __init__(self, root, model=None, view: str = "both", rankdir: str = "auto"):
        self.scene = s = Scene(root, model)
        self.view, self.rankdir = view, rankdir
        self._updates = [[(root, 1.0)]]  # per frame: (node, amount added to its grad)
        rname = s.name(root)
        self.frames = [Frame(0, root, [f"{rname}.grad = 1.0   (∂{rname}/∂{rname} = 1: the seed of backward())"], self)]
        grads = {root: 1.0}  # the running totals, use by use
        for v, g, uses in chain_rule_steps(root, 1.0, into={}):  # the engine's textbook loop
            lines, updates = [], []
            for i, (p, local, contrib) in enumerate(uses):
                before = grads.get(p)
                grads[p] = contrib if before is None else before + contrib
                pname = s.name(p)
                line = (f"{pname}.grad += {local_formula(s, v, i)} × {s.name(v)}.grad"
                        f" = {fmt(local)} × {fmt(g)} = {fmt(contrib)}")
                if before is not None:
                    line += f"   ({pname}.grad is now {fmt(grads[p])})"
                lines.append(line)
                updates.append((p, contrib))
            self._updates.append(updates)
            self.frames.append(Frame(len(self.frames), v, lines, self))

        # one layout for every frame (nodes stay put): the first that the last frame fits a
        # notebook cell with; numbers on the edges if they fit (the step's text has them too)
        directions = ("LR", "TB") if rankdir == "auto" else (rankdir,)
        options = [(d, numbers) for numbers in (True, False) for d in directions]
        (self.rankdir, self.edge_labels), _ = choose_option(
            lambda option: self._source(len(self.frames) - 1, None, *option), options)

    def frame_source(self, k: int, title: str | None) -> str:
        """DOT text of the graph after step ``k``: grads so far, the active node highlighted."""
        return self._source(k, title, self.rankdir, self.edge_labels)

    def _source(self, k: int, title, rankdir: str, edge_labels: bool) -> str:
        return dot_source(self.scene, view=self.view, rankdir=rankdir, title=title, edge_labels=edge_labels,
                          grads=self.grads_after(k), done=self.done_after(k), active=self.frames[k].node)

    def grads_after(self, k: int) -> dict:
        """{node: grad} of every node that has received a contribution by frame ``k``."""
        grads = {}
        for updates in self._updates[:k + 1]:
            for node, amount in updates:
                grads[node] = grads[node] + amount if node in grads else amount
        return grads

    def done_after(self, k: int) -> set:
        """The nodes whose edges have sent their contributions by frame ``k``."""
        return {f.node for f in self.frames[1:k + 1]}

    @property
    def text(self) -> str:
        """Every step's arithmetic, numbered."""
        return "\n".join(f"step {f.index + 1}: " + f.text.replace("\n", "\n" + " " * (7 + len(str(f.index + 1))))
                         for f in self.frames)

    def __len__(self):
        return len(self.frames)

    def __getitem__(self, k):
        return self.frames[k]

    def __iter__(self):
        return iter(self.frames)

    def __repr__(self):
        return f"<viz.Replay: {len(self.frames)} steps of backward() from {self.scene.name(self.scene.root)}>"

    def _repr_html_(self):
        return (f"<p>{len(self.frames)} steps; <code>.widget()</code> steps through them with a slider "
                "(<code>.save_html(path)</code>: the same as one page that needs no kernel)</p>"
                f"<pre>{html.escape(self.text)}</pre>")

    # --- outputs ------------------------------------------------------------------------

    def widget(self):
        """A slider (with a play button) over the steps: the arithmetic and the graph."""
        try:
            import ipywidgets as w
        except ImportError:
            raise ImportError("Replay.widget() needs ipywidgets: pip install ipywidgets") from None
        n = len(self.frames)
        play = w.Play(value=0, min=0, max=n - 1, interval=1500, description="play")
        slider = w.IntSlider(value=0, min=0, max=n - 1, description="step",
                             continuous_update=False, readout=False)
        w.jslink((play, "value"), (slider, "value"))
        label = w.HTML()
        picture = w.HTML()

        def show(change=None):
            f = self.frames[slider.value]
            label.value = (f"<b>step {f.index + 1} of {n}</b><pre style='margin:0;white-space:pre-wrap'>"
                           f"{html.escape(f.text)}</pre>")
            picture.value = f.picture.html()

        slider.observe(show, names="value")
        show()
        return w.VBox([w.HBox([play, slider]), label, picture])

    def save_html(self, path, ms_per_step: int = 1500) -> str:
        """One self-contained HTML page of the steps: every frame embedded as SVG, a slider,
        a play button and the arrow keys; no kernel, no network. Returns the path."""
        from .step_page import step_page
        root = self.scene.name(self.scene.root)
        frames = [(f"step {f.index + 1} of {len(self.frames)}", f.text, f.picture) for f in self.frames]
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(step_page(f"backward() from {root}, step by step", frames, ms_per_step),
                        encoding="utf-8")
        return str(path)

    def save_svgs(self, folder) -> list:
        """Write step_001.svg, step_002.svg, ... into ``folder``; returns their paths."""
        folder = Path(folder)
        width = len(str(len(self.frames)))
        return [f.graph.save(folder / f"step_{f.index + 1:0{max(3, width)}d}.svg") for f in self.frames]

    def save_gif(self, path, ms_per_step: int = 1500, dpi: int = 72, max_width: int = 1024) -> str:
        """An animated GIF of the steps (every frame padded to one size); returns the path."""
        from PIL import Image
        images = [Image.open(io.BytesIO(f.graph.render("png", dpi=dpi))).convert("RGB") for f in self.frames]
        wmax = max(im.width for im in images)
        hmax = max(im.height for im in images)
        scale = min(1.0, max_width / wmax)
        size = (max(1, round(wmax * scale)), max(1, round(hmax * scale)))
        canvases = []
        for im in images:
            canvas = Image.new("RGB", (wmax, hmax), "white")
            canvas.paste(im, ((wmax - im.width) // 2, 0))
            canvases.append(canvas.resize(size, Image.LANCZOS) if scale < 1.0 else canvas)
        # one palette for all frames (smaller file, no flicker), from the last frame: it has
        # every colour (filled-in grads, contributions, the active node)
        palette = canvases[-1].quantize(colors=64, method=Image.Quantize.MEDIANCUT)
        frames = [c.quantize(palette=palette, dither=Image.Dither.NONE) for c in canvases]
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        frames[0].save(path, save_all=True, append_images=frames[1:], duration=ms_per_step, loop=0,
                       optimize=True)
        return str(path)


def backward_steps(root, model=None, view: str = "both", rankdir: str = "auto") -> Replay:
    """The backward pass from ``root`` replayed one node at a time (reverse topological order).

    Frame 0 seeds ``root.grad = 1``; each later frame is one node sending ``local × grad``
    to each of its parents. The graph's own grads are not changed.
    """
    return Replay(root, model=model, view=view, rankdir=rankdir)
