"""Pictures as students see them: pages opened in headless Chromium at 1280×800.

For every picture on a page: it is shown whole (its right edge inside its output area and
the window: nothing clipped horizontally) and its smallest text is at least 10 CSS px
high. How the text height is known:

- inline SVG (the step-through page): each ``<text>`` element's rendered box;
- an SVG file in an ``<img>`` (the demo's index.html): the smallest ``font-size`` in the
  file × shown width / the SVG's own width (its viewBox);
- a viz graph PNG (notebook outputs): the same, from the layout width and smallest font
  size the PNG carries in tEXt chunks (``viz.dot.png_with_text``);
- a GIF of the step-through: the same, from the SVG frames it was drawn from;
- a matplotlib PNG: its smallest text is taken as 9 pt (the smallest size viz's plots
  ask for; the notebooks use matplotlib's default of 10 pt), × its dpi (pHYs chunk) /
  72 × shown width / natural width.

The notebooks are executed here (nbclient) and exported as nbconvert's static HTML with
``sanitize_html=True``: what an untrusted notebook can show (no SVG, no scripts). Every
graph output must be an image there.

Skipped without Chromium (Debian's ``chromium`` and ``chromium-driver``) or selenium,
except when CI=true: then a missing browser is a failure.
"""
from __future__ import annotations

import base64
import os
import re
import shutil
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = [p for lang in ("en", "ru") for p in sorted((ROOT / "notebooks" / lang).glob("*.ipynb"))]
MIN_TEXT_PX = 10.0
WINDOW = (1280, 800)
MPL_MIN_FONT_PT = 9.0
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", f"--window-size={WINDOW[0]},{WINDOW[1]}"]


def _missing(why: str):
    if os.environ.get("CI") == "true":
        pytest.fail(f"{why}; CI=true, so the browser tests must run (.ci/run installs chromium)")
    pytest.skip(why)


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver_path = shutil.which("chromedriver")
    if not chromium or not driver_path:
        _missing("needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver)")
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        _missing("needs selenium (pip install 'scalargrad[test]')")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in FLAGS + [f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}"]:
        options.add_argument(flag)
    options.page_load_strategy = "eager"  # a static notebook export asks a CDN for MathJax; don't wait
    driver = webdriver.Chrome(options=options, service=Service(driver_path))
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()


# --- measuring ------------------------------------------------------------------------------

MEASURE = """
const area = el => el.closest('.jp-OutputArea-output, .output_area, figure, .frame') || document.body;
const rect = el => { const r = el.getBoundingClientRect(); return [r.left, r.right, r.width, r.height]; };
const pictures = [];
Array.from(document.images).forEach((img, i) => {
  if (img.closest('.frame') && getComputedStyle(img.closest('.frame')).display === 'none') return;
  pictures.push({kind: 'img', index: i, src: img.getAttribute('src').slice(0, 64), box: rect(img),
                 area: rect(area(img)), natural: img.naturalWidth, loaded: img.complete && img.naturalWidth > 0});
});
Array.from(document.querySelectorAll('svg')).forEach((svg, i) => {
  const r = svg.getBoundingClientRect();
  if (r.width === 0) return;  // a hidden frame
  const heights = Array.from(svg.querySelectorAll('text')).map(t => t.getBoundingClientRect().height)
                       .filter(h => h > 0);
  pictures.push({kind: 'svg', index: i, box: rect(svg), area: rect(area(svg)),
                 minText: heights.length ? Math.min(...heights) : null, texts: heights.length});
});
return {pictures: pictures, window: document.documentElement.clientWidth,
        scrollWidth: document.documentElement.scrollWidth};
"""


def png_chunks(data: bytes) -> dict:
    """{chunk type: [payload, ...]} of a PNG."""
    out, i = {}, 8
    while i + 8 <= len(data):
        (length,), kind = struct.unpack(">I", data[i:i + 4]), data[i + 4:i + 8].decode("latin-1")
        out.setdefault(kind, []).append(data[i + 8:i + 8 + length])
        if kind == "IEND":
            break
        i += 12 + length
    return out


def svg_font_and_width(svg: bytes) -> tuple:
    """(smallest font-size, width of the viewBox) of an SVG file, in its own units."""
    root = ET.fromstring(svg)
    sizes = [float(m) for m in re.findall(rb'font-size="([\d.]+)"', svg)]
    width = float(root.get("viewBox").split()[2])
    return min(sizes), width


def png_text_px(data: bytes, shown: float, natural: float) -> tuple:
    """(text px, how it was known) for a PNG shown ``shown`` CSS px wide."""
    chunks = png_chunks(data)
    text = dict(c.split(b"\0", 1) for c in chunks.get("tEXt", []))
    if b"scalargrad:width_pt" in text:
        font, width = float(text[b"scalargrad:min_font_pt"]), float(text[b"scalargrad:width_pt"])
        return font * shown / width, "graph"
    dpi = 72.0
    if "pHYs" in chunks:
        ppm, _, unit = struct.unpack(">IIB", chunks["pHYs"][0])
        dpi = ppm * 0.0254 if unit == 1 else 72.0
    return MPL_MIN_FONT_PT * dpi / 72 * shown / natural, "plot"


def check_page(driver, url: str, files: Path | None = None, srcs: list | None = None) -> list:
    """Open ``url`` at 1280×800 and check every picture; returns [(what, text px)] seen."""
    from selenium.webdriver.support.ui import WebDriverWait

    driver.set_window_size(*WINDOW)
    driver.get(url)
    # the page load strategy is "eager" (DOM ready, not every image): wait for the pictures
    # (complete is also true for a picture that failed, which the checks below report)
    WebDriverWait(driver, 60).until(
        lambda d: d.execute_script("return Array.from(document.images).every(i => i.complete)"))
    driver.execute_script("return document.fonts ? document.fonts.ready : null")
    page = driver.execute_script(MEASURE)
    all_srcs = driver.execute_script("return Array.from(document.images).map(i => i.getAttribute('src'))")
    seen, problems = [], []
    for p in page["pictures"]:
        left, right, width, _ = p["box"]
        a_left, a_right = p["area"][0], p["area"][1]
        name = f"{p['kind']} #{p['index']} ({p.get('src', 'inline')[:40]})"
        if right > min(a_right, page["window"]) + 0.5 or left < a_left - 0.5:
            problems.append(f"{name} is clipped: x {left:.0f}..{right:.0f}, its area {a_left:.0f}..{a_right:.0f}")
        if p["kind"] == "svg":
            if p["texts"]:
                px = p["minText"]
                seen.append((name, px))
                if px < MIN_TEXT_PX:
                    problems.append(f"{name}: smallest text {px:.1f} px high")
            continue
        if not p["loaded"]:
            problems.append(f"{name} did not load")
            continue
        src = all_srcs[p["index"]]
        if src.startswith("data:image/png;base64,"):
            px, how = png_text_px(base64.b64decode(src.split(",", 1)[1]), width, p["natural"])
        else:
            path = files / unquote(urlparse(src).path)
            if path.suffix == ".svg":
                font, w = svg_font_and_width(path.read_bytes())
                px, how = font * width / w, "svg"
            elif path.suffix == ".png":
                px, how = png_text_px(path.read_bytes(), width, p["natural"])
            elif path.suffix == ".gif":  # drawn from the step SVGs, padded to the widest
                frames = [svg_font_and_width(f.read_bytes()) for f in sorted((files / path.stem).glob("*.svg"))]
                px, how = min(f for f, _ in frames) * width / max(w for _, w in frames), "gif"
            else:
                raise AssertionError(f"unexpected picture {src}")
        seen.append((f"{name} [{how}]", px))
        if px < MIN_TEXT_PX:
            problems.append(f"{name} [{how}]: smallest text {px:.1f} px high, shown {width:.0f} px wide")
    assert not problems, f"{url}:\n" + "\n".join(problems)
    return seen


# --- notebooks ------------------------------------------------------------------------------

def execute(path: Path, tmp: Path, monkeypatch) -> tuple:
    """Run the notebook (as nbmake does) and export it as static, untrusted-safe HTML."""
    nbformat = pytest.importorskip("nbformat")
    from nbclient import NotebookClient
    from nbconvert import HTMLExporter

    nb = nbformat.read(path, as_version=4)
    # the kernel imports this checkout's packages
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
    NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(tmp)}}).execute()
    graphs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs
              if "<viz.Graph" in str(o.get("data", {}).get("text/plain", ""))]
    for o in graphs:  # stored once, as a picture untrusted notebooks show
        assert set(o["data"]) == {"image/png", "text/plain"}, f"{path.name}: a graph stored as {set(o['data'])}"
    for c in nb.cells:
        for o in c.get("outputs", []):
            data = o.get("data", {})
            if "application/vnd.jupyter.widget-view+json" in data:  # e.g. a progress bar
                assert ".widget()" in c.source, f"{path.name}: a widget output from {c.source[:80]!r}"
            assert not ("image/svg+xml" in data and "image/png" not in data), \
                f"{path.name}: an SVG-only output (an untrusted notebook shows it as text)"
    exporter = HTMLExporter(template_name="lab", sanitize_html=True)
    body, _ = exporter.from_notebook_node(nb)
    out = tmp / (path.stem + ".html")
    out.write_text(body, encoding="utf-8")
    return out, len(graphs)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[f"{p.parent.name}/{p.name}" for p in NOTEBOOKS])
def test_executed_notebook_pictures_are_readable_and_untrusted_safe(browser, path, tmp_path, monkeypatch):
    page, n_graphs = execute(path, tmp_path, monkeypatch)
    seen = check_page(browser, page.as_uri())
    graph_imgs = [s for s in seen if s[0].endswith("[graph]")]
    assert len(graph_imgs) == n_graphs  # every graph output shows as an image in the static page
    print(path.name, [(n, round(px, 1)) for n, px in seen])


# --- the demo's pages -------------------------------------------------------------------

@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    import viz
    if viz.renderer() is None:
        pytest.skip("the demo's graphs need a Graphviz renderer")
    out = tmp_path_factory.mktemp("demo")
    r = subprocess.run([sys.executable, "-m", "scalargrad", "demo", "--epochs", "5", "--samples", "100",
                        "--no-progress", "--out", str(out)], cwd=ROOT, capture_output=True, text=True,
                       env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr
    return out


def test_demo_index_pictures_are_readable(browser, demo):
    seen = check_page(browser, (demo / "index.html").as_uri(), files=demo)
    names = " ".join(n for n, _ in seen)
    for picture in ("network.svg", "neuron_forward.svg", "neuron_backward.svg", "loss.png"):
        assert picture in names
    print([(n, round(px, 1)) for n, px in seen])


def test_step_through_page_slider_play_and_keys_change_the_frame(browser, demo):
    from selenium.webdriver.common.keys import Keys

    url = (demo / "backward_steps.html").as_uri()
    check_page(browser, url, files=demo)

    def shown():
        return browser.execute_script(
            "return Array.from(document.querySelectorAll('.frame'))"
            ".filter(f => getComputedStyle(f).display !== 'none').map(f => f.id)")

    n = browser.execute_script("return document.querySelectorAll('.frame').length")
    assert n >= 3 and shown() == ["frame0"]
    browser.execute_script("const s = document.getElementById('step'); s.value = 2;"
                           "s.dispatchEvent(new Event('input'));")
    assert shown() == ["frame2"]
    assert browser.find_element("id", "label").text == f"step 3 of {n}"
    check_page_frame = browser.execute_script(MEASURE)  # the new frame is whole and readable too
    svgs = [p for p in check_page_frame["pictures"] if p["kind"] == "svg"]
    assert len(svgs) == 1 and svgs[0]["minText"] >= MIN_TEXT_PX
    assert svgs[0]["box"][1] <= check_page_frame["window"]
    body = browser.find_element("tag name", "body")
    body.send_keys(Keys.ARROW_RIGHT)
    assert shown() == ["frame3"]
    body.send_keys(Keys.ARROW_LEFT)
    body.send_keys(Keys.ARROW_LEFT)
    assert shown() == ["frame1"]
    # play walks on by itself (one step per ms_per_step)
    browser.execute_script("document.getElementById('play').click()")
    from selenium.webdriver.support.ui import WebDriverWait
    WebDriverWait(browser, 10).until(lambda d: shown() != ["frame1"])
    assert shown()[0] != "frame1"
    # and every frame, shown in turn, keeps the active node on screen with readable text
    for k in range(n):
        browser.execute_script(f"const s = document.getElementById('step'); s.value = {k};"
                               "s.dispatchEvent(new Event('input'));")
        state = browser.execute_script(
            "const f = document.getElementById('frame' + %d); const a = f.querySelector('[data-active]');"
            "const r = a ? a.getBoundingClientRect() : null;"
            "return {active: r ? [r.left, r.right] : null, width: document.documentElement.clientWidth};" % k)
        if k > 0:  # frame 0 is the seed (root.grad = 1), later frames highlight the node at work
            assert state["active"] is not None, f"frame {k} marks no active node"
            assert 0 <= state["active"][0] and state["active"][1] <= state["width"], f"frame {k}: active node off screen"
