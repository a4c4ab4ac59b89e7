"""``index.html`` for the demo's output folder: every picture with a short caption, no scripts."""
from __future__ import annotations

import html
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

STYLE = """
body { font-family: system-ui, sans-serif; max-width: 70rem; margin: 2rem auto; padding: 0 1rem;
       color: #1e293b; line-height: 1.45; }
h1 { margin-bottom: .2rem; } h2 { margin-top: 2.2rem; border-bottom: 1px solid #e2e8f0; }
figure { margin: 1rem 0; } img { max-width: 100%; box-sizing: border-box; border: 1px solid #e2e8f0; border-radius: 6px; }
figcaption { color: #475569; margin-top: .3rem; white-space: pre-line; } code, pre { background: #f1f5f9; padding: 0 .25rem; }
pre { padding: .6rem; overflow: auto; } .note { background: #fef9c3; padding: .6rem; border-radius: 6px; }
.frames { display: grid; grid-template-columns: repeat(auto-fill, minmax(34rem, 1fr)); gap: 1rem; }
table { border-collapse: collapse; } td, th { padding: .15rem .8rem; text-align: left; }
"""


@dataclass
class Section:
    """One heading with pictures (``(path relative to the folder, caption)``) and notes."""

    title: str
    text: str = ""
    pictures: list = field(default_factory=list)
    links: list = field(default_factory=list)  # (path, caption): files shown as links (e.g. .dot)
    notes: list = field(default_factory=list)
    grid: bool = False  # many small pictures side by side (the step-through frames)


def write_index(folder: Path, title: str, facts: list, sections: list, lang: str = "en") -> Path:
    """Write ``folder/index.html``; ``facts`` is a list of (name, value) rows shown on top;
    ``lang``: the language the page is written in (its ``<html lang>``)."""
    esc = html.escape
    parts = [f"<!doctype html>\n<html lang='{esc(lang)}'>\n<head>\n<meta charset='utf-8'>\n<title>{esc(title)}</title>",
             f"<style>{STYLE}</style>\n</head>\n<body>", f"<h1>{esc(title)}</h1>"]
    if facts:
        rows = "".join(f"<tr><th>{esc(k)}</th><td>{esc(str(v))}</td></tr>" for k, v in facts)
        parts.append(f"<table>{rows}</table>")
    for s in sections:
        parts.append(f"<h2>{esc(s.title)}</h2>")
        if s.text:
            parts.append(f"<p>{s.text}</p>")  # trusted text written by the demo (may hold <code>)
        for note in s.notes:
            parts.append(f"<p class='note'>{esc(note)}</p>")
        if s.grid:
            parts.append("<div class='frames'>")
        for path, caption in s.pictures:
            parts.append(f"<figure><img src='{esc(_url(path))}' alt='{esc(caption)}' loading='lazy'>"
                         f"<figcaption>{esc(caption)}</figcaption></figure>")
        if s.grid:
            parts.append("</div>")
        if s.links:
            items = "".join(f"<li><a href='{esc(_url(p))}'>{esc(p)}</a>: {esc(c)}</li>" for p, c in s.links)
            parts.append(f"<ul>{items}</ul>")
    parts.append("</body>\n</html>\n")
    path = Path(folder) / "index.html"
    path.write_text("\n".join(parts), encoding="utf-8")
    return path


def _url(path) -> str:
    """A relative path as a URL path (forward slashes, spaces and '#' escaped)."""
    return quote(Path(path).as_posix())
