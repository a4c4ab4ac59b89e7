"""Is ``import autograd`` (``nn``, ``viz``) scalargrad's own code? If not, say what was found and the fix.

The import names are common ones. PyPI's unrelated HIPS ``autograd`` installs under
``autograd``; students name homework files ``autograd.py`` or ``nn.py``, and Python takes the
first match on ``sys.path``, where the working folder (a notebook's folder) comes first. So
the check looks at the file that actually loads, not at what pip says is installed.
scalargrad's four packages are installed side by side, so "ours" means "beside this file".

This module uses only the standard library, so nn, viz and the command line can run it
whatever ``autograd`` turns out to be.
"""
from __future__ import annotations

import importlib
import importlib.metadata
import importlib.util
import json
from pathlib import Path

HOME = Path(__file__).resolve().parents[1]  # the folder holding autograd/, nn/, viz/, scalargrad/
NOTEBOOK_NOTE = "In a notebook write %pip instead of pip, then restart the kernel."


def check(*names: str) -> None:
    """Raise ImportError unless ``import name`` finds scalargrad's package, for each name.

    Only ``autograd`` is imported (its ``__init__.py`` may be HIPS's, written over ours in
    the same folder; ours sets ``__scalargrad__``); the others are located, not run.
    """
    for name in names:
        spec = importlib.util.find_spec(name)
        origin = Path(spec.origin).resolve() if spec is not None and spec.origin else None
        if origin != HOME / name / "__init__.py":
            raise ImportError(found_instead(name, spec, origin))
        if name == "autograd" and not getattr(importlib.import_module(name), "__scalargrad__", False):
            raise ImportError(
                f"'import autograd' runs {origin}, which is PyPI's unrelated package 'autograd' "
                f"(HIPS autograd{_hips_version()}), not scalargrad's engine: it was installed after "
                "scalargrad into the same folder and wrote its files over scalargrad's. Fix: "
                f"`pip uninstall -y autograd` and then `{reinstall_command()}`. {NOTEBOOK_NOTE}"
            )


def found_instead(name: str, spec, origin: Path | None) -> str:
    """What ``import name`` found in place of scalargrad's package, and what to do about it."""
    ours = HOME / name
    if spec is None:
        return (f"'import {name}' finds nothing: scalargrad's package '{name}' is missing from {HOME} "
                f"(a broken install). Fix: `{reinstall_command()}`. {NOTEBOOK_NOTE}")
    if origin is None:  # a folder without __init__.py: what an uninstall leaves of a shared folder
        places = ", ".join(str(p) for p in spec.submodule_search_locations or ())
        return (f"'import {name}' finds the folder {places} without its __init__.py: scalargrad's "
                f"'{name}' was partly deleted, typically by `pip uninstall autograd` (HIPS) after "
                f"scalargrad was installed over it, since both record autograd/__init__.py. Fix: "
                f"`{reinstall_command()}`. {NOTEBOOK_NOTE}")
    if name == "autograd" and _is_hips(origin):
        return (f"'import autograd' finds {origin}, PyPI's unrelated package 'autograd' (HIPS "
                f"autograd{_hips_version()}), before scalargrad's engine in {ours}: the two share the "
                f"import name. Fix: `pip uninstall -y autograd` (scalargrad's files are elsewhere and "
                f"stay). {NOTEBOOK_NOTE}")
    return (f"'import {name}' finds your {_shown(origin)}, not scalargrad's package '{name}' ({ours}): "
            f"Python looks in the folder you run from (a notebook's folder) before the installed "
            f"packages, so a file named like the package shadows it. Fix: rename your {_shown(origin)} "
            f"(e.g. to my_{name}.py) and run again (in Jupyter, restart the kernel).")


def reinstall_command() -> str:
    """The pip command that puts scalargrad's files back, from where it was installed."""
    try:
        dist = importlib.metadata.distribution("scalargrad")
        where = json.loads(dist.read_text("direct_url.json") or "{}")
    except (importlib.metadata.PackageNotFoundError, ValueError):
        where = {}
    url = where.get("url", "")
    if "vcs_info" in where:  # pip wants a host in a git+file URL: file://localhost/...
        url = url.replace("file:///", "file://localhost/", 1)
        source = f'"scalargrad @ {where["vcs_info"]["vcs"]}+{url}"'
    elif url.startswith("file://"):
        source = url[len("file://"):]
        if where.get("dir_info", {}).get("editable"):
            source = f"-e {source}"
    else:
        source = "scalargrad  (or the clone folder / wheel you installed it from)"
    return f"pip install --force-reinstall --no-deps {source}"


def _is_hips(origin: Path) -> bool:
    """Is this ``autograd/__init__.py`` HIPS autograd's (recorded by its distribution, or beside its modules)?"""
    if (origin.parent / "differential_operators.py").exists():
        return True
    try:
        files = importlib.metadata.distribution("autograd").files or ()
    except importlib.metadata.PackageNotFoundError:
        return False
    return any(str(f).replace("\\", "/") == "autograd/__init__.py" and Path(f.locate()).resolve() == origin
               for f in files)


def _hips_version() -> str:
    try:
        return " " + importlib.metadata.version("autograd")
    except importlib.metadata.PackageNotFoundError:
        return ""


def _shown(origin: Path) -> str:
    return f"folder {origin.parent}" if origin.name == "__init__.py" else f"file {origin}"
