"""Other code under our import names (PyPI's HIPS `autograd`, a student's `autograd.py` or
`nn.py`): what actually loads decides, and each case gets its own diagnosis and fix.

These lay the files out as pip or a student would and run a fresh interpreter; the same
cases with real pip installs are in tests/test_install.py (marked `venv`).
"""
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("autograd", "nn", "viz", "scalargrad")
HIPS_INIT = "from .differential_operators import grad  # HIPS autograd's __init__.py\n"


def run(code: str, cwd: Path, path: list[Path] = (), args: list[str] = ()) -> subprocess.CompletedProcess:
    """`python -c code` (or `python args...`) in cwd, with `path` (default: this checkout) on PYTHONPATH."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(str(p) for p in (path or [ROOT])))
    argv = [sys.executable, *args] if args else [sys.executable, "-c", textwrap.dedent(code)]
    return subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


def site_packages(tmp_path: Path) -> Path:
    """A copy of our four packages as pip lays them out, side by side in one folder."""
    site = tmp_path / "site-packages"
    for name in PACKAGES:
        shutil.copytree(ROOT / name, site / name, ignore=shutil.ignore_patterns("__pycache__"))
    return site


def hips_dist_info(site: Path, record: str = "") -> None:
    """What `pip install autograd==1.7.0` records: its metadata, and (RECORD) the files it owns."""
    info = site / "autograd-1.7.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: autograd\nVersion: 1.7.0\n")
    (info / "RECORD").write_text(record)


def hips_package(folder: Path) -> None:
    (folder / "autograd").mkdir(parents=True, exist_ok=True)
    (folder / "autograd" / "__init__.py").write_text(HIPS_INIT)
    (folder / "autograd" / "differential_operators.py").write_text("def grad(f):\n    return f\n")


def test_without_another_package_everything_imports(tmp_path):
    result = run("import autograd, nn, viz; print(autograd.__scalargrad__)", tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True" and result.stderr == ""


def test_hips_metadata_elsewhere_does_not_stop_our_engine(tmp_path):
    # HIPS installed in another folder, ours first on sys.path: our code loads, so it runs
    other = tmp_path / "other-site"
    hips_package(other)
    hips_dist_info(other, "autograd/__init__.py,,\n")
    result = run("import autograd, nn, viz; print(autograd.Value(2.0) * 3)", tmp_path, [ROOT, other])
    assert result.returncode == 0, result.stderr
    assert "Value(data=6" in result.stdout and result.stderr == ""


def test_ours_installed_over_hips_works_and_warns(tmp_path):
    # `pip install autograd==1.7.0` then `pip install scalargrad`: pip wrote our files over
    # HIPS's without a word; HIPS's records still claim autograd/__init__.py
    site = site_packages(tmp_path)
    hips_package(site)
    shutil.copy(ROOT / "autograd" / "__init__.py", site / "autograd" / "__init__.py")
    hips_dist_info(site, "autograd/__init__.py,,\nautograd/differential_operators.py,,\n")
    result = run("import autograd, nn; print(autograd.__scalargrad__, len(nn.MLP(2, [3, 1]).parameters()))",
                 tmp_path, [site])
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True 13"
    assert "UserWarning" in result.stderr and "HIPS autograd" in result.stderr
    assert "`pip uninstall autograd` would now delete scalargrad's" in result.stderr


def test_hips_installed_over_ours_is_named_by_nn_viz_and_the_cli(tmp_path):
    # scalargrad first, then HIPS: its __init__.py replaced ours in the same folder
    site = site_packages(tmp_path)
    hips_package(site)
    hips_dist_info(site, "autograd/__init__.py,,\n")
    for result in (run("import nn", tmp_path, [site]), run("import viz", tmp_path, [site]),
                   run("", tmp_path, [site], ["-m", "scalargrad", "gradcheck", "x*x", "x=2"])):
        assert result.returncode != 0
        assert "ImportError: 'import autograd' runs" in result.stderr, result.stderr
        assert "HIPS autograd 1.7.0" in result.stderr and "installed after scalargrad" in result.stderr
        assert "pip uninstall -y autograd" in result.stderr and "--force-reinstall --no-deps" in result.stderr
        assert "cannot import name" not in result.stderr


def test_hips_first_on_the_path_is_named_with_its_fix(tmp_path):
    # an editable scalargrad behind a site-packages HIPS autograd
    other = tmp_path / "other-site"
    hips_package(other)
    hips_dist_info(other, "autograd/__init__.py,,\n")
    result = run("import nn", tmp_path, [other, ROOT])
    assert result.returncode != 0
    assert "PyPI's unrelated package 'autograd' (HIPS autograd 1.7.0)" in result.stderr, result.stderr
    assert "Fix: `pip uninstall -y autograd`" in result.stderr


@pytest.mark.parametrize("name, code", [("autograd", "import nn"), ("autograd", "import viz"),
                                        ("nn", "import viz"), ("viz", None)])
def test_a_students_own_file_is_named_with_the_fix(tmp_path, name, code):
    # homework saved as autograd.py / nn.py next to the notebook: the working folder comes first
    homework = tmp_path / f"{name}.py"
    homework.write_text("class Value:\n    pass  # my own micrograd\n")
    cli = ["-m", "scalargrad", "gradcheck", "x*x", "x=2"]
    result = run(code, tmp_path, args=cli if code is None else ())
    assert result.returncode != 0
    message = result.stderr.strip().splitlines()[-1]
    assert message.startswith(f"ImportError: 'import {name}' finds your file {homework}"), result.stderr
    assert f"rename your file {homework}" in message and "HIPS" not in message


def test_an_autograd_folder_left_without_its_init_is_named(tmp_path):
    # `pip uninstall autograd` after scalargrad was installed over HIPS deletes the shared __init__.py
    site = site_packages(tmp_path)
    (site / "autograd" / "__init__.py").unlink()
    result = run("import nn", tmp_path, [site])
    assert result.returncode != 0
    assert "without its __init__.py" in result.stderr, result.stderr
    assert "pip install --force-reinstall --no-deps" in result.stderr
