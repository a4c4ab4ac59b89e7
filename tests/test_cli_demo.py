"""``scalargrad demo`` end to end (a subprocess): every output exists, is well-formed and is in index.html."""
import os
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest

from test_cli import run

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
PICTURES = (".png", ".svg", ".gif")
FAST = ["--epochs", "3", "--samples", "60", "--hidden", "4", "--no-progress"]


class References(HTMLParser):
    """Collects every src= and href= of an HTML page (and checks tags are balanced enough to parse)."""

    def __init__(self):
        super().__init__()
        self.refs = []

    def handle_starttag(self, tag, attrs):
        self.refs += [v for k, v in attrs if k in ("src", "href") and v]


def references(index: Path) -> set:
    parser = References()
    parser.feed(index.read_text(encoding="utf-8"))
    from urllib.parse import unquote

    return {unquote(r) for r in parser.refs}


def check_picture(path: Path):
    data = path.read_bytes()
    if path.suffix == ".png":
        assert data[:8] == PNG_MAGIC, path
    elif path.suffix == ".gif":
        assert data[:6] in (b"GIF87a", b"GIF89a"), path
    elif path.suffix == ".svg":
        root = ET.fromstring(data)
        assert root.tag.rsplit("}", 1)[-1] == "svg", path


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo") / "out"
    r = run("demo", *FAST, "--out", str(out), timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr
    return out, r


def test_demo_prints_train_and_validation_accuracy(demo):
    _, r = demo
    accs = re.findall(r"(train|validation) accuracy:?\s*([0-9.]+)%", r.stdout)
    assert {k for k, _ in accs} == {"train", "validation"}, r.stdout
    for _, v in accs:
        assert 0 <= float(v) <= 100


def test_every_picture_is_well_formed_and_referenced_by_index_html(demo):
    out, _ = demo
    files = sorted(p for p in out.rglob("*") if p.suffix in PICTURES)
    kinds = {p.suffix for p in files}
    import viz

    if viz.renderer() is not None:
        assert kinds == set(PICTURES), files
    else:
        assert ".png" in kinds
    refs = references(out / "index.html")
    for p in files:
        check_picture(p)
        assert p.relative_to(out).as_posix() in refs, f"{p} is not shown in index.html"
    for ref in refs:  # and nothing it points at is missing
        assert (out / ref).exists(), ref


def test_demo_writes_the_promised_pictures(demo):
    out, _ = demo
    names = {p.relative_to(out).as_posix() for p in out.rglob("*")}
    for expected in ("index.html", "loss.png", "decision_boundary.png"):
        assert expected in names
    import viz

    if viz.renderer() is not None:
        for expected in ("network.svg", "neuron_forward.svg", "neuron_backward.svg", "backward_steps.gif"):
            assert expected in names
        frames = sorted((out / "backward_steps").glob("*.svg"))
        assert len(frames) >= 3  # one per backward step of the neuron's graph


def test_the_step_through_page_is_self_contained_and_linked(demo):
    out, _ = demo
    import viz

    if viz.renderer() is None:
        pytest.skip("the step-through page embeds rendered frames")
    assert "backward_steps.html" in references(out / "index.html")
    page = (out / "backward_steps.html").read_text(encoding="utf-8")
    frames = sorted((out / "backward_steps").glob("*.svg"))
    assert page.count('class="frame"') == len(frames)  # every frame embedded
    assert page.count("<svg") == len(frames)
    assert 'type="range"' in page and "ArrowRight" in page and 'id="play"' in page
    fetched = references(out / "backward_steps.html")
    assert not fetched, f"the page loads other files: {fetched}"  # no CDN, no neighbours


def test_without_a_renderer_the_demo_writes_dot_files_and_says_so(tmp_path):
    env = {**os.environ, "SCALARGRAD_GRAPHVIZ": "none"}
    r = run("demo", *FAST, "--epochs", "1", "--out", str(tmp_path), env=env, timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr
    dots = sorted(p.name for p in tmp_path.glob("*.dot"))
    assert "network.dot" in dots and "neuron_forward.dot" in dots
    html = (tmp_path / "index.html").read_text()
    assert "Graphviz" in html
    refs = references(tmp_path / "index.html")
    for name in dots:
        assert name in refs
    for p in tmp_path.rglob("*"):
        if p.suffix in PICTURES:
            check_picture(p)


@pytest.mark.parametrize("args, says", [
    (["--dataset", "iris"], "unknown dataset 'iris'"),
    (["--optimizer", "lbfgs"], "unknown optimizer 'lbfgs'"),
    (["--epochs", "ten"], "--epochs"),
    (["--epochs", "0"], "--epochs"),
    (["--lr", "-1"], "--lr"),
    (["--lr", "nan"], "--lr"),
    (["--hidden", "16,x"], "--hidden"),
    (["--hidden", "0"], "--hidden"),
    (["--hidden", "500"], "between 1 and 64"),
    (["--hidden", "8,8,8,8,8,8,8"], "1 to 6 layer widths"),
    (["--seed", "1.5"], "--seed"),
])
def test_bad_demo_options_exit_2_before_any_work(args, says, tmp_path):
    r = run("demo", *args, "--out", str(tmp_path / "out"))
    assert r.returncode == 2, r.stdout
    assert says in r.stderr and "Traceback" not in r.stderr
    assert not (tmp_path / "out").exists()


def test_unwritable_out_folder_exits_2(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    r = run("demo", *FAST, "--out", str(blocker / "out"))
    assert r.returncode == 2 and "cannot create the folder" in r.stderr
    r = run("demo", *FAST, "--out", str(blocker))
    assert r.returncode == 2 and "is a file, not a folder" in r.stderr


def test_a_diverging_run_says_so_and_exits_1(tmp_path):
    r = run("demo", *FAST, "--lr", "1e300", "--out", str(tmp_path))
    assert r.returncode == 1
    assert "training diverged" in r.stderr and "smaller --lr" in r.stderr and "Traceback" not in r.stderr
