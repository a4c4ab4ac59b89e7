#!/usr/bin/env python3
"""Set up scalargrad in a project-local venv (.venv) and run the demo or the tests.

    python3 run.py demo [scalargrad demo options]   # train on moons, write the pictures to out/
    python3 run.py test [pytest options]            # the whole test suite, notebooks included

Only Python 3.11+ with pip is needed; everything else is installed into .venv on first use
(again whenever pyproject.toml changes). PyTorch, the optional test oracle, is installed
pinned (constraints.txt) for `test`; set SCALARGRAD_NO_TORCH=1 to skip it.
"""
from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
EXTRAS = {"demo": "all", "test": "all"}


def ensure_venv(extras: str, oracle: bool) -> None:
    """Create .venv and install the project into it, unless it is already up to date."""
    if sys.version_info < (3, 11):
        sys.exit(f"scalargrad needs Python 3.11 or newer; this is {sys.version.split()[0]}")
    spec = f".[{extras}{',oracle' if oracle else ''}]"
    stamp = VENV / ".scalargrad-installed"
    key = hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + spec.encode()).hexdigest()
    if stamp.exists() and key in stamp.read_text().split():
        return
    if not PYTHON.exists():
        print(f"run.py: creating {VENV}", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    print(f"run.py: installing scalargrad{spec[1:]} into .venv (first run only)", flush=True)
    pip = [str(PYTHON), "-m", "pip", "install", "--disable-pip-version-check", "-q"]
    subprocess.run(pip + ["-c", str(ROOT / "constraints.txt"), "-e", spec], cwd=ROOT, check=True)
    old = stamp.read_text() if stamp.exists() else ""
    stamp.write_text(old + key + "\n")


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in EXTRAS:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    cmd, rest = argv[0], argv[1:]
    oracle = cmd == "test" and not os.environ.get("SCALARGRAD_NO_TORCH")
    ensure_venv(EXTRAS[cmd], oracle)
    if cmd == "demo":
        args = [str(PYTHON), "-m", "scalargrad", "demo", *rest]
    else:
        suites = [d for d in ("tests", "notebooks") if (ROOT / d).is_dir()]
        args = [str(PYTHON), "-m", "pytest", "-n", "2", "--nbmake", *suites, *rest]
    return subprocess.call(args, cwd=ROOT)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
