#!/usr/bin/env python3
"""Set up scalargrad in a project-local venv (.venv) and run the demo, the tests or JupyterLab.

    python3 run.py demo [scalargrad demo options]   # train on moons, write the pictures to out/
    python3 run.py test [pytest options]            # the whole test suite, notebooks included
    python3 run.py lab [jupyter lab options]        # JupyterLab on notebooks/, with .venv's kernel

Only Python 3.11+ with pip is needed. Each command installs what it needs into .venv on its
first use (again whenever pyproject.toml changes): demo the plotting and rendering extras,
test the test extra, lab JupyterLab.

PyTorch, the tests' optional oracle, is installed only on request:
SCALARGRAD_TORCH=1 python3 run.py test installs the pinned CPU build (constraints.txt) when
the package index offers it, and otherwise says how to get it; without PyTorch the oracle
tests skip.
"""
from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
EXTRAS = {"demo": "plots,render", "test": "test", "lab": "lab"}
TORCH = "torch==2.13.0"
TORCH_CPU_INDEX = "https://download.pytorch.org/whl/cpu"
PIP = [str(PYTHON), "-m", "pip", "install", "--disable-pip-version-check", "-c", str(ROOT / "constraints.txt")]


def ensure_venv(extras: str) -> None:
    """Create .venv and install the project with these extras into it, unless already done."""
    if sys.version_info < (3, 11):
        sys.exit(f"scalargrad needs Python 3.11 or newer; this is {sys.version.split()[0]}")
    spec = f".[{extras}]"
    stamp = VENV / ".scalargrad-installed"
    key = hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + spec.encode()).hexdigest()
    if stamp.exists() and key in stamp.read_text().split():
        return
    if not PYTHON.exists():
        print(f"run.py: creating {VENV}", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    print(f"run.py: installing scalargrad{spec[1:]} into .venv (first run only)", flush=True)
    subprocess.run(PIP + ["-q", "-e", spec], cwd=ROOT, check=True)
    old = stamp.read_text() if stamp.exists() else ""
    stamp.write_text(old + key + "\n")


def has_torch() -> bool:
    find = "import importlib.util, sys; sys.exit(importlib.util.find_spec('torch') is None)"
    return subprocess.run([str(PYTHON), "-c", find]).returncode == 0


def cuda_packages(report: dict) -> list[str]:
    """The CUDA parts of a pip install plan (``pip install --dry-run --report``): nvidia-*, triton, a +cu torch."""
    names = [f"{p['metadata']['name']}=={p['metadata']['version']}" for p in report.get("install", ())]
    return [n for n in names if n.lower().startswith(("nvidia-", "triton")) or "+cu" in n]


def ensure_torch() -> None:
    """Install PyTorch's CPU build into .venv, or stop and say how to: never the multi-GB CUDA build."""
    if has_torch():
        return
    plan = subprocess.run(PIP + ["-q", "--dry-run", "--report", "-", TORCH], cwd=ROOT,
                          capture_output=True, text=True)
    if plan.returncode != 0:
        sys.exit(f"run.py: pip cannot find {TORCH} for this Python:\n{plan.stderr.strip()}")
    cuda = cuda_packages(json.loads(plan.stdout))
    if cuda:
        sys.exit(
            f"run.py: this package index offers {TORCH} as the CUDA build ({', '.join(cuda[:3])}, ... "
            "several GB); the tests need only the CPU build (about 200 MB). Install it into .venv:\n"
            f"    {PYTHON} -m pip install {TORCH} --index-url {TORCH_CPU_INDEX}\n"
            "and run again; or run the tests without PyTorch (the oracle tests skip): python3 run.py test")
    print(f"run.py: installing {TORCH} (CPU build) into .venv, as SCALARGRAD_TORCH=1 asks", flush=True)
    subprocess.run(PIP + ["-q", TORCH], cwd=ROOT, check=True)


def test_suites() -> list[str]:
    """What `run.py test` hands pytest: the tests, and each language's notebooks once
    (notebooks/en and notebooks/ru; notebooks/i18n holds the translations, not notebooks)."""
    return [d for d in ("tests", "notebooks/en", "notebooks/ru") if (ROOT / d).is_dir()]


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in EXTRAS:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    cmd, rest = argv[0], argv[1:]
    ensure_venv(EXTRAS[cmd])
    if cmd == "demo":
        args = [str(PYTHON), "-m", "scalargrad", "demo", *rest]
    elif cmd == "lab":
        args = [str(BIN / "jupyter"), "lab", "notebooks", *rest]
    else:
        if os.environ.get("SCALARGRAD_TORCH") == "1":
            ensure_torch()
        elif not has_torch():
            print("run.py: without PyTorch the oracle tests skip; SCALARGRAD_TORCH=1 python3 run.py test "
                  "installs its CPU build", flush=True)
        args = [str(PYTHON), "-m", "pytest", "-n", "2", "--nbmake", *test_suites(), *rest]
    return subprocess.call(args, cwd=ROOT)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
