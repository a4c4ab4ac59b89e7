"""``scalargrad graph``: files of each format are written and well-formed; bad paths are refused."""
import math
import os
import xml.etree.ElementTree as ET

import pytest

from test_cli import run

EXPR = ["tanh(x*w + b)", "x=2", "w=-3", "b=6.88"]
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def needs_renderer():
    import viz

    if viz.renderer() is None:
        pytest.skip("no Graphviz renderer installed")


def svg_texts(path):
    """The <svg> root and all text shown in the picture."""
    root = ET.parse(path).getroot()
    assert root.tag.rsplit("}", 1)[-1] == "svg"
    return " ".join(t.text or "" for t in root.iter() if t.tag.rsplit("}", 1)[-1] == "text")


def test_dot_output_names_every_variable_and_op(tmp_path):
    out = tmp_path / "g.dot"
    r = run("graph", *EXPR, "-o", str(out))
    assert r.returncode == 0, r.stderr
    dot = out.read_text()
    assert dot.lstrip().startswith(("digraph", "strict digraph")) and dot.rstrip().endswith("}")
    for name in ("x", "w", "b", "tanh"):
        assert name in dot
    assert f"wrote {out}" in r.stdout
    t = math.tanh(2 * -3 + 6.88)
    assert f"df/db = {1 - t * t:.6g}" in r.stdout  # the gradient the picture shows, by hand


def test_dot_to_stdout():
    r = run("graph", *EXPR, "-o", "-", "--view", "forward")
    assert r.returncode == 0, r.stderr
    assert "digraph" in r.stdout and "tanh" in r.stdout


def test_svg_has_an_svg_root_and_shows_labels_and_grads(tmp_path):
    needs_renderer()
    out = tmp_path / "neuron.svg"
    r = run("graph", *EXPR, "-o", str(out), "--view", "both")
    assert r.returncode == 0, r.stderr
    text = svg_texts(out)
    for name in ("x", "w", "b", "tanh"):
        assert name in text
    t = math.tanh(2 * -3 + 6.88)
    assert f"{t:.4g}" in text  # the output's data (viz prints 4 significant digits)


def test_forward_and_backward_views_differ(tmp_path):
    dots = {}
    for view in ("forward", "backward"):
        r = run("graph", *EXPR, "-o", "-", "--view", view)
        assert r.returncode == 0, r.stderr
        dots[view] = r.stdout
    assert dots["forward"] != dots["backward"]


def test_png_has_the_png_magic(tmp_path):
    needs_renderer()
    out = tmp_path / "sub" / "dir" / "g.png"  # missing folders are created
    r = run("graph", "sin(x**2)", "x=1.5", "-o", str(out), "--rankdir", "TB")
    assert r.returncode == 0, r.stderr
    assert out.read_bytes()[:8] == PNG_MAGIC


def test_unwritable_output_path_is_a_clear_error(tmp_path):
    blocker = tmp_path / "a_file"
    blocker.write_text("not a folder")
    r = run("graph", *EXPR, "-o", str(blocker / "g.svg"))
    assert r.returncode == 2
    assert "is a file, not a folder" in r.stderr and "Traceback" not in r.stderr


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root can write anywhere")
def test_read_only_folder_is_a_clear_error(tmp_path):
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    try:
        r = run("graph", *EXPR, "-o", str(ro / "g.dot"))
    finally:
        ro.chmod(0o700)
    assert r.returncode == 2 and "cannot write" in r.stderr


@pytest.mark.parametrize("args, says", [
    (["-o", "g.jpg"], "unknown file type '.jpg'"),
    (["-o", "noext"], "unknown file type"),
    (["--view", "sideways"], "invalid choice"),
])
def test_bad_options_exit_2(args, says, tmp_path):
    r = run("graph", *EXPR, *args, cwd=tmp_path)
    assert r.returncode == 2 and says in r.stderr
    assert list(tmp_path.iterdir()) == []


def test_output_folder_path_is_refused(tmp_path):
    (tmp_path / "d.svg").mkdir()
    r = run("graph", *EXPR, "-o", str(tmp_path / "d.svg"))
    assert r.returncode == 2 and "is a folder" in r.stderr


def test_without_a_renderer_svg_is_refused_and_dot_still_works(tmp_path):
    env = {**os.environ, "SCALARGRAD_GRAPHVIZ": "none"}
    r = run("graph", *EXPR, "-o", str(tmp_path / "g.svg"), env=env)
    assert r.returncode == 2 and "no Graphviz renderer" in r.stderr and ".dot" in r.stderr
    r = run("graph", *EXPR, "-o", str(tmp_path / "g.dot"), env=env)
    assert r.returncode == 0 and (tmp_path / "g.dot").exists()


def test_hostile_expression_writes_nothing(tmp_path):
    r = run("graph", "__import__('os').system('touch pwned')", "-o", str(tmp_path / "g.dot"), cwd=tmp_path)
    assert r.returncode == 2 and "not allowed" in r.stderr
    assert list(tmp_path.iterdir()) == []
