"""Refuse to run beside PyPI's unrelated ``autograd`` (HIPS), which installs under our name.

Both distributions own the top-level package ``autograd``; pip lets the later install
overwrite the earlier one's files, so the two silently mix. ``nn`` and ``viz`` do the
mirror check (see ``nn/_engine.py``) for the case where HIPS's files won.
"""
from __future__ import annotations

import importlib.metadata
import sys

FIX = (
    "Fix: run scalargrad from its own virtual environment (python3 run.py ... creates .venv), "
    "or remove the other package with `pip uninstall autograd` and then reinstall scalargrad "
    "with `pip install --force-reinstall -e .`."
)


def check_not_shadowed() -> None:
    """Raise ImportError if PyPI's HIPS ``autograd`` is installed in this environment."""
    try:
        other = importlib.metadata.distribution("autograd")
    except importlib.metadata.PackageNotFoundError:
        return
    raise ImportError(
        f"PyPI's package 'autograd' {other.version} (HIPS autograd, unrelated to scalargrad) is "
        f"installed in {sys.prefix}. It uses the same import name 'autograd' as scalargrad's "
        f"engine, so the two overwrite each other's files. {FIX}"
    )
