"""Warn when PyPI's unrelated ``autograd`` (HIPS) is recorded as installed in this very folder.

Both distributions own the top-level package ``autograd``, and pip lets the later install
write over the earlier one's files without a word. This file runs only when scalargrad's
engine is what loaded (the code that actually runs decides, not pip's records), so the
engine works; but if HIPS autograd's records claim this folder, HIPS autograd is broken
here and ``pip uninstall autograd`` would delete our ``__init__.py``. The opposite case,
HIPS's code loading in place of ours, is caught by ``scalargrad.install_check``, which nn,
viz and the command line run first.
"""
from __future__ import annotations

import importlib.metadata
import warnings
from pathlib import Path


def check_not_shadowed() -> None:
    """Warn (UserWarning) if HIPS autograd's installed files include this ``__init__.py``."""
    try:
        hips = importlib.metadata.distribution("autograd")
    except importlib.metadata.PackageNotFoundError:
        return
    here = Path(__file__).resolve().parent / "__init__.py"
    if not any(str(f).replace("\\", "/") == "autograd/__init__.py" and Path(f.locate()).resolve() == here
               for f in hips.files or ()):
        return
    warnings.warn(
        f"PyPI's unrelated package 'autograd' {hips.version} (HIPS autograd) is recorded as installed in "
        f"{here.parent}, where scalargrad's engine was installed over it: scalargrad works, HIPS "
        "autograd does not, and `pip uninstall autograd` would now delete scalargrad's "
        "autograd/__init__.py too. To tidy up: `pip uninstall -y autograd`, then `pip install "
        "--force-reinstall --no-deps` scalargrad from where you installed it (README: Install).",
        UserWarning, stacklevel=2,
    )
