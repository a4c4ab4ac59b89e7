"""``scalargrad notebooks [DIR]``: copy the course notebooks out of the installed package.

A wheel ships them as package data (``scalargrad/notebooks/en`` and ``ru``: the repository's
``notebooks/en`` and ``notebooks/ru``); in a source
checkout they are read from ``notebooks/`` itself. A notebook already in DIR is a student's
work and is kept unless ``--force``.
"""
from __future__ import annotations

import argparse
import shutil
from pathlib import Path

from .args import UsageError

DEFAULT_DIR = "scalargrad-notebooks"


def shipped_notebooks() -> Path:
    """The folder the notebooks are read from: inside the installed package, else the checkout's."""
    here = Path(__file__).resolve().parent
    packaged = here / "notebooks"
    return packaged if any(packaged.rglob("*.ipynb")) else here.parent / "notebooks"


def add_parser(sub) -> None:
    """Register ``notebooks`` on the ``scalargrad`` command's subparsers."""
    p = sub.add_parser(
        "notebooks", help="copy the course notebooks into a folder, to open in Jupyter",
        description="Copy the course notebooks that come with scalargrad into DIR (created if needed), "
                    "keeping their subfolders. Notebooks already in DIR are kept unless --force.",
        epilog=f"example: scalargrad notebooks {DEFAULT_DIR} && jupyter lab {DEFAULT_DIR}",
    )
    p.add_argument("dir", nargs="?", default=DEFAULT_DIR, metavar="DIR",
                   help=f"folder to copy them into (default: {DEFAULT_DIR})")
    p.add_argument("--force", action="store_true", help="overwrite notebooks already in DIR")


def notebooks_command(args: argparse.Namespace) -> int:
    source = shipped_notebooks()
    notebooks = sorted(source.rglob("*.ipynb"))
    if not notebooks:
        raise UsageError(f"no notebooks found in {source}: this scalargrad install is incomplete; "
                         "reinstall it (README: Install)")
    target = Path(args.dir)
    if target.exists() and not target.is_dir():
        raise UsageError(f"{target} is a file, not a folder: give another DIR")
    copied, kept = [], []
    for nb in notebooks:
        relative = nb.relative_to(source)
        dest = target / relative
        if dest.exists() and not args.force:
            kept.append(relative)
            continue
        try:
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(nb, dest)
        except OSError as e:
            raise UsageError(f"cannot write {dest}: {e.strerror}; choose another DIR") from None
        copied.append(relative)
    print(f"copied {len(copied)} notebook(s) into {target}/" + "".join(f"\n  {r}" for r in copied))
    if kept:
        print(f"kept {len(kept)} already there (yours; --force overwrites them):"
              + "".join(f"\n  {r}" for r in kept))
    if {"en", "ru"} <= {r.parts[0] for r in copied + kept}:
        print(f"English notebooks in {target / 'en'}/, Russian in {target / 'ru'}/ (русские — в {target / 'ru'}/)")
    print(f"open them with: jupyter lab {target}   (or open the folder in VS Code)")
    return 0
