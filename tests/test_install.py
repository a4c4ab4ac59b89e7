"""Installing scalargrad the ways a student does, and the package being complete.

The fast tests check `scalargrad notebooks`, run.py's PyTorch decision and lint. The `venv`
tests build virtual environments and install from the package index as a student would
(slow: deselect them locally with `-m "not venv"`; CI runs them):
- hosted Jupyter with HIPS autograd preinstalled, following the README's recipe literally;
- a fresh clone: the README's test command installs no torch; the wheel built from the clone
  gives `scalargrad notebooks DIR` the notebooks, and they run (the first and the last here);
  the sdist unpacks and its tests pass (the ones that need more than the packages here; the
  whole suite from the sdist was run by hand: README, Install).
"""
from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tarfile
import tomllib
from pathlib import Path
from types import SimpleNamespace

import pytest

from scalargrad import notebooks_cmd
from scalargrad.args import UsageError

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
SHIPPED = sorted(p.relative_to(ROOT / "notebooks") for p in (ROOT / "notebooks").rglob("*.ipynb"))


def load_run_py():
    import importlib.util

    spec = importlib.util.spec_from_file_location("run_py", ROOT / "run.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --- scalargrad notebooks DIR ------------------------------------------------------------

def copy_out(target: Path, force: bool = False) -> int:
    return notebooks_cmd.notebooks_command(SimpleNamespace(dir=str(target), force=force))


def test_notebooks_command_copies_every_notebook(tmp_path, capsys):
    assert copy_out(tmp_path / "course") == 0
    copied = sorted(p.relative_to(tmp_path / "course") for p in (tmp_path / "course").rglob("*.ipynb"))
    assert copied == SHIPPED and len(copied) >= 6
    for rel in copied:
        assert (tmp_path / "course" / rel).read_bytes() == (ROOT / "notebooks" / rel).read_bytes()
    printed = capsys.readouterr().out
    assert f"copied {len(SHIPPED)} notebook(s)" in printed
    assert f"Russian in {tmp_path / 'course' / 'ru'}/" in printed


def test_notebooks_command_keeps_a_students_work_unless_forced(tmp_path, capsys):
    mine = tmp_path / SHIPPED[0]   # en/01_...: the folders are made as they are copied
    mine.parent.mkdir(parents=True)
    mine.write_text("my answers")
    copy_out(tmp_path)
    assert mine.read_text() == "my answers"
    assert "kept 1 already there" in capsys.readouterr().out
    copy_out(tmp_path, force=True)
    assert mine.read_bytes() == (ROOT / "notebooks" / SHIPPED[0]).read_bytes()


def test_notebooks_command_copies_subfolders(tmp_path, monkeypatch):
    # notebooks built per language (notebooks/en, notebooks/ru) keep their folders
    source = tmp_path / "shipped"
    for rel in ("en/01_a.ipynb", "ru/01_a.ipynb", "00_index.ipynb"):
        (source / rel).parent.mkdir(parents=True, exist_ok=True)
        (source / rel).write_text(rel)
    monkeypatch.setattr(notebooks_cmd, "shipped_notebooks", lambda: source)
    copy_out(tmp_path / "out")
    assert (tmp_path / "out" / "ru" / "01_a.ipynb").read_text() == "ru/01_a.ipynb"
    assert (tmp_path / "out" / "00_index.ipynb").exists()


def test_notebooks_command_refuses_a_file_as_folder(tmp_path):
    (tmp_path / "f").write_text("")
    with pytest.raises(UsageError, match="is a file, not a folder"):
        copy_out(tmp_path / "f")


def test_notebooks_command_from_the_command_line(tmp_path):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    result = subprocess.run([sys.executable, "-m", "scalargrad", "notebooks", "nb"], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "nb").rglob("*.ipynb")) == sorted(p.name for p in SHIPPED)


@pytest.mark.parametrize("path", SHIPPED, ids=str)
def test_each_notebook_starts_with_the_hosted_recipe(path):
    # commented out, so it runs nowhere by accident (nbmake, a laptop); a student uncomments it
    nb = json.loads((ROOT / "notebooks" / path).read_text(encoding="utf-8"))
    first = next(c for c in nb["cells"] if c["cell_type"] == "code")
    source = "".join(first["source"]).splitlines()
    for line in hosted_recipe():
        assert "# " + line in source, f"{path}: its first code cell lacks the README's recipe line {line!r}"


# --- run.py: PyTorch only on request, and never the CUDA build ---------------------------

def test_run_py_test_command_asks_for_no_torch():
    run_py = load_run_py()
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]
    wanted = {"test"}
    while wanted:  # every extra the test command pulls in, through scalargrad[...] references
        name = wanted.pop()
        assert name != "oracle"
        for req in extras[name]:
            if m := re.match(r"scalargrad\[(.*)\]", req):
                wanted |= set(m.group(1).split(","))
            assert not req.startswith("torch"), f"extra {name!r} pulls {req}"
    assert run_py.EXTRAS["test"] == "test" and run_py.EXTRAS["demo"] == "plots,render"


def test_run_py_test_command_runs_each_language_of_the_notebooks_once():
    suites = load_run_py().test_suites()
    assert suites == ["tests", "notebooks/en", "notebooks/ru"]
    def notebooks(folder):  # what pytest collects (it skips dot-folders such as .ipynb_checkpoints)
        return [p for p in folder.rglob("*.ipynb") if not any(part.startswith(".") for part in p.relative_to(ROOT).parts)]
    collected = [p for s in suites for p in notebooks(ROOT / s)]
    assert sorted(collected) == sorted(notebooks(ROOT / "notebooks")), "a notebook nbmake would not run"
    assert len(collected) == len(set(collected)) == 2 * len(list((ROOT / "notebooks" / "en").glob("*.ipynb")))


def test_run_py_recognises_the_cuda_build_in_an_install_plan():
    run_py = load_run_py()

    def plan(*names):
        return {"install": [{"metadata": {"name": n.split("==")[0], "version": n.split("==")[1]}} for n in names]}

    cuda = plan("torch==2.13.0", "nvidia-cublas-cu12==12.8.4.1", "triton==3.5.0", "sympy==1.14.0")
    assert run_py.cuda_packages(cuda) == ["nvidia-cublas-cu12==12.8.4.1", "triton==3.5.0"]
    assert run_py.cuda_packages(plan("torch==2.13.0+cu128")) == ["torch==2.13.0+cu128"]
    assert run_py.cuda_packages(plan("torch==2.13.0+cpu", "sympy==1.14.0", "filelock==3.20.0")) == []


# --- metadata and lint --------------------------------------------------------------------

def test_license_version_and_changelog_agree():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert project["project"]["license"] == "MIT" and (ROOT / "LICENSE").read_text().startswith("MIT License")
    assert any(r.startswith("setuptools>=77") for r in project["build-system"]["requires"])  # SPDX support
    assert f"## [{project['project']['version']}]" in (ROOT / "CHANGELOG.md").read_text()


def test_ruff_finds_nothing():
    if subprocess.run([sys.executable, "-m", "ruff", "--version"], capture_output=True).returncode != 0:
        pytest.skip("ruff is not installed here (it is in the test extra: pip install -e '.[test]')")
    paths = [p for p in ("autograd", "nn", "viz", "scalargrad", "tests", "bench", "run.py") if (ROOT / p).exists()]
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", *paths], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


# --- venvs, as a student installs ----------------------------------------------------------

def make_venv(path: Path) -> SimpleNamespace:
    subprocess.run([sys.executable, "-m", "venv", str(path)], check=True, timeout=300)
    bindir = path / ("Scripts" if os.name == "nt" else "bin")
    return SimpleNamespace(python=str(bindir / "python"), bin=bindir)


def sh(*argv, cwd=None, env=None, check=True, timeout=900) -> subprocess.CompletedProcess:
    result = subprocess.run([str(a) for a in argv], cwd=cwd, env=env, capture_output=True, text=True,
                            timeout=timeout)
    if check and result.returncode != 0:
        raise AssertionError(f"{' '.join(map(str, argv))} failed ({result.returncode}):\n"
                             f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return result


def clean_env(**extra) -> dict:
    """The environment a student's shell has: none of this checkout's paths or switches."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "SCALARGRAD_TORCH", "VIRTUAL_ENV")}
    return env | extra


def hosted_recipe() -> list[str]:
    """The README's hosted-Jupyter cell, line by line."""
    text = README.read_text(encoding="utf-8")
    block = re.search(r"<!-- recipe:hosted-jupyter -->\s*```python\n(.*?)```", text, re.S)
    assert block, "README lost its hosted-Jupyter recipe (<!-- recipe:hosted-jupyter -->)"
    return block.group(1).strip().splitlines()


def fresh_clone(tmp_path: Path) -> Path:
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout (e.g. an unpacked sdist): nothing to clone")
    dirty = sh("git", "status", "--porcelain", "--untracked-files=no", cwd=ROOT).stdout.strip()
    if dirty:
        pytest.skip(f"uncommitted changes (a clone would not have them): {dirty.splitlines()[0]} ...")
    clone = tmp_path / "scalargrad"
    sh("git", "clone", "-q", ROOT, clone)
    return clone


@pytest.mark.venv
def test_hosted_jupyter_recipe_with_hips_autograd_preinstalled(tmp_path):
    clone = fresh_clone(tmp_path)
    env = make_venv(tmp_path / "hosted")
    # what hosted Jupyter has before the student's first cell: HIPS autograd and a kernel
    sh(env.python, "-m", "pip", "install", "-q", "autograd==1.7.0", "ipykernel")
    lines = hosted_recipe()
    assert lines[0].startswith("REPO = ") and any(line.startswith("%pip") for line in lines)
    cell = tmp_path / "recipe.ipy"
    # the clone stands in for the repository's URL (pip wants a host in a git+file URL)
    cell.write_text("\n".join([f'REPO = "file://localhost{clone}"', *lines[1:]]) + "\n")
    sh(env.bin / "ipython", "--quick", cell, cwd=tmp_path, env=clean_env())

    check = ("import autograd, nn, viz; "
             "print(autograd.__scalargrad__, len(nn.MLP(2, [3, 1]).parameters()), viz.draw_graph.__module__)")
    result = sh(env.python, "-W", "error::UserWarning", "-c", check, cwd=tmp_path, env=clean_env())
    assert result.stdout.strip() == "True 13 viz.graph"
    assert sh(env.python, "-m", "pip", "show", "autograd", check=False).returncode != 0  # HIPS is gone
    result = sh(env.bin / "scalargrad", "gradcheck", "x*x", "x=2", cwd=tmp_path, env=clean_env())
    assert "ok: the gradient agrees" in result.stdout

    # later something installs HIPS autograd again, over ours: the CLI names it and the fix
    sh(env.python, "-m", "pip", "install", "-q", "--no-deps", "autograd==1.7.0")
    result = sh(env.bin / "scalargrad", "gradcheck", "x*x", "x=2", cwd=tmp_path, env=clean_env(), check=False)
    message = result.stderr.strip().splitlines()[-1]
    assert result.returncode != 0 and message.startswith("ImportError: 'import autograd' runs"), result.stderr
    fixes = re.findall(r"`(pip [^`]*)`", message)
    assert fixes[0] == "pip uninstall -y autograd" and "--force-reinstall --no-deps" in fixes[1], message
    for fix in fixes:  # follow the message literally
        sh(env.python, "-m", *shlex.split(fix), cwd=tmp_path, env=clean_env())
    sh(env.bin / "scalargrad", "gradcheck", "x*x", "x=2", cwd=tmp_path, env=clean_env())


@pytest.mark.venv
def test_fresh_clone_no_torch_then_wheel_notebooks_and_sdist(tmp_path):
    clone = fresh_clone(tmp_path)
    # 1. the README's test command (one test selected, to keep CI time) installs no torch
    result = sh("python3", "run.py", "test", "-k", "test_without_another_package_everything_imports",
                cwd=clone, env=clean_env(), timeout=1800)
    assert "1 passed" in result.stdout, result.stdout[-2000:]
    venv_python = clone / ".venv" / "bin" / "python"
    installed = json.loads(sh(venv_python, "-m", "pip", "list", "--format", "json").stdout)
    names = {p["name"].lower() for p in installed}
    assert "torch" not in names and not any(n.startswith("nvidia") for n in names), sorted(names)
    assert "oracle tests skip" in result.stdout

    # 2. the wheel, installed in place of the editable install: notebooks copied out, and they run
    sh(venv_python, "-m", "build", "-q", "--no-isolation", "--outdir", tmp_path / "dist", clone, cwd=clone,
       env=clean_env())
    wheel = next((tmp_path / "dist").glob("scalargrad-*.whl"))
    sdist = next((tmp_path / "dist").glob("scalargrad-*.tar.gz"))
    sh(venv_python, "-m", "pip", "install", "-q", "--force-reinstall", "--no-deps", wheel)
    work = tmp_path / "student"
    work.mkdir()
    result = sh(clone / ".venv" / "bin" / "scalargrad", "notebooks", "course", cwd=work, env=clean_env())
    copied = sorted(p.relative_to(work / "course") for p in (work / "course").rglob("*.ipynb"))
    assert copied == SHIPPED, result.stdout
    where = sh(venv_python, "-c", "import autograd; print(autograd.__file__)", cwd=work, env=clean_env()).stdout
    assert "site-packages" in where, where  # the wheel's code, not the clone's
    # the first and the last run here against the wheel's code (all of them run from the
    # source tree in this suite, and their bytes are the same: test_notebooks_command_*)
    ends = [f"course/{SHIPPED[0]}", f"course/{SHIPPED[-1]}"]
    result = sh(venv_python, "-m", "pytest", "-q", "-n", "2", "--nbmake", "-p", "no:cacheprovider", *ends,
                cwd=work, env=clean_env(), timeout=1800)
    assert "2 passed" in result.stdout, result.stdout[-2000:]

    # 3. the sdist unpacks into a tree whose tests pass: here the tests that need more than the
    #    packages (notebooks, README, run.py, pyproject.toml, LICENSE, CHANGELOG, ruff over all)
    with tarfile.open(sdist) as tar:
        tar.extractall(tmp_path / "unpacked", filter="data")
    tree = next((tmp_path / "unpacked").iterdir())
    for needed in ("run.py", "constraints.txt", "LICENSE", "CHANGELOG.md", ".ci/run", "bench"):
        assert (tree / needed).exists(), f"the sdist lacks {needed}"
    sh(venv_python, "-m", "pip", "uninstall", "-q", "-y", "scalargrad")  # the tree's own code only
    subset = ["tests/test_notebooks.py", "tests/test_install.py"]
    result = sh(venv_python, "-m", "pytest", "-q", "-n", "2", "--nbmake", "-m", "not venv", "-p",
                "no:cacheprovider", *subset, cwd=tree, env=clean_env(PYTHONPATH=str(tree)), timeout=1800)
    assert " passed" in result.stdout and "failed" not in result.stdout, result.stdout[-3000:]
    shutil.rmtree(clone / ".venv")
