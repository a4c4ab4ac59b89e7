"""A step-through as one HTML page that needs nothing else: every frame's picture embedded
as SVG, a slider, a play button and the arrow keys (plain JavaScript, no CDN, no kernel).

Each picture is shown at its natural size (1 pt = 4/3 px), shrunk to the page's width
(``viz.dot.DISPLAY_WIDTH`` px) if it is wider, so text stays as large as it can be.
"""
from __future__ import annotations

import html
import json
import re

from autograd.language import get_language, tr

from .dot import DISPLAY_WIDTH, PX_PER_PT, Graph

STYLE = """
body { font-family: Helvetica, Arial, sans-serif; margin: 16px; max-width: %(w)dpx; }
.controls { display: flex; gap: 12px; align-items: center; margin: 8px 0; }
.controls input[type=range] { flex: 1; }
.controls button { font-size: 15px; min-width: 5em; }
pre.step { font-size: 14px; white-space: pre-wrap; background: #f8fafc; padding: 6px;
           border: 1px solid #e2e8f0; margin: 0 0 8px 0; }
.frame { display: none; }
.frame.shown { display: block; }
.frame svg { max-width: 100%%; height: auto; }
.hint { color: #475569; font-size: 13px; }
"""

SCRIPT = """
(function () {
  var frames = document.querySelectorAll('.frame');
  var slider = document.getElementById('step');
  var label = document.getElementById('label');
  var play = document.getElementById('play');
  var timer = null;
  function show(k) {
    k = Math.max(0, Math.min(frames.length - 1, k));
    for (var i = 0; i < frames.length; i++) frames[i].classList.toggle('shown', i === k);
    slider.value = k;
    label.textContent = frames[k].getAttribute('data-title');
    var active = frames[k].querySelector('[data-active]');
    if (active && active.scrollIntoView) active.scrollIntoView({block: 'nearest', inline: 'nearest'});
  }
  function stop() { if (timer) { clearInterval(timer); timer = null; play.textContent = %(play)s; } }
  slider.addEventListener('input', function () { stop(); show(+slider.value); });
  play.addEventListener('click', function () {
    if (timer) { stop(); return; }
    if (+slider.value === frames.length - 1) show(0);
    play.textContent = %(pause)s;
    timer = setInterval(function () {
      if (+slider.value >= frames.length - 1) { stop(); return; }
      show(+slider.value + 1);
    }, %(ms)d);
  });
  document.addEventListener('keydown', function (e) {
    if (e.key === 'ArrowRight') { stop(); show(+slider.value + 1); e.preventDefault(); }
    if (e.key === 'ArrowLeft') { stop(); show(+slider.value - 1); e.preventDefault(); }
    if (e.key === ' ') { play.click(); e.preventDefault(); }
  });
  show(0);
})();
"""


def inline_svg(graph: Graph, width: int = DISPLAY_WIDTH) -> str:
    """The graph's SVG for embedding in a page: no XML prologue, sized in CSS px (natural
    size, shrunk to ``width``); the active node (drawn with a thick outline) marked
    ``data-active`` so the page can scroll it into view."""
    svg = graph.svg()
    if svg is None:
        return f"<pre>{html.escape(graph.source_preview())}</pre>"
    svg = svg[svg.find("<svg"):]
    w_pt, h_pt = graph.size_pt
    scale = min(PX_PER_PT, width / w_pt)
    svg = re.sub(r'width="[\d.]+pt" height="[\d.]+pt"',
                 f'width="{w_pt * scale:.0f}" height="{h_pt * scale:.0f}"', svg, count=1)
    return re.sub(r'<g id="(node\d+)" class="node">(\s*<title>[^<]*</title>\s*<[^>]*stroke-width="3")',
                  r'<g id="\1" class="node" data-active="1">\2', svg)


def step_page(title: str, frames, ms_per_step: int = 1500) -> str:
    """The page: ``frames`` is a list of (heading, text, Graph); its own words (buttons, hint)
    in the current language."""
    words = {"play": json.dumps(tr("play")), "pause": json.dumps(tr("pause"))}
    parts = []
    for k, (heading, text, graph) in enumerate(frames):
        parts.append(f'<div class="frame" id="frame{k}" data-title="{html.escape(heading, quote=True)}">'
                     f'<pre class="step">{html.escape(text)}</pre>{inline_svg(graph)}</div>')
    n = len(frames)
    return f"""<!DOCTYPE html>
<html lang="{get_language()}"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>{STYLE % {"w": DISPLAY_WIDTH}}</style></head>
<body>
<h2>{html.escape(title)}</h2>
<div class="controls"><button id="play" type="button">{html.escape(tr("play"))}</button>
<input id="step" type="range" min="0" max="{n - 1}" value="0" step="1" aria-label="{html.escape(tr("step"), quote=True)}">
<b id="label">{html.escape(frames[0][0]) if frames else ""}</b></div>
<p class="hint">{html.escape(tr("drag the slider, or use ← → (space plays and pauses)"))}</p>
{"".join(parts)}
<script>{SCRIPT % {"ms": ms_per_step, **words}}</script>
</body></html>
"""
