"""Build the course notebooks in each language from one English source plus translations.

The English notebook (``notebooks/<name>.ipynb``) is the source: its code cells go into
every language unchanged, so the two versions run the same code and the same assert cells.
A translation file ``notebooks/i18n/<lang>/<name>.json`` holds, per markdown cell id, the
translated text, the English text it was translated from and that text's fingerprint:

    {"cells": {"01-02": {"en_sha": "3f1c…", "en": "## 1. The derivative …", "ru": "## 1. Производная …"}},
     "code_strings": {"01-03": {"f\\"tangent at x = {x0}\\"": "f\\"касательная в x = {x0}\\""}}}

When the English cell changes, its fingerprint no longer matches: the translation is
*stale* and the build keeps the English text for that cell until it is translated again;
``--diff`` shows what changed in the English since (from the stored "en").
``code_strings`` lists the user-visible strings inside code cells (print, plot labels,
checker messages) with their translations, for code that takes them through ``tr``; the
build never edits code.

    python -m scalargrad.notebook_i18n                  # build notebooks/en and notebooks/ru
    python -m scalargrad.notebook_i18n --check          # exit 1 if a translation is missing or stale,
                                                        # or a built notebook is out of date
    python -m scalargrad.notebook_i18n --out /tmp/nb    # build somewhere else
"""
from __future__ import annotations

import argparse
import copy
import difflib
import hashlib
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
SOURCE_LANG = "en"
LANGS = ("ru",)  # the languages translated from English


def cell_text(cell) -> str:
    """A cell's source as one string (nbformat allows a string or a list of lines)."""
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def source_sha(text: str) -> str:
    """The fingerprint of an English cell: sha256 of its UTF-8 text, first 16 hex digits."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def as_lines(text: str) -> list:
    """Text as the list of lines Jupyter stores (each with its newline but the last)."""
    return text.splitlines(keepends=True)


@dataclass
class Report:
    """What a translation of one notebook lacks."""

    notebook: str
    lang: str
    missing: list = field(default_factory=list)   # markdown cell ids with no translation
    stale: list = field(default_factory=list)     # ids whose English changed since translation
    orphans: list = field(default_factory=list)   # translated ids the notebook no longer has
    lost_strings: list = field(default_factory=list)  # (cell id, code string) no longer in that cell
    changes: dict = field(default_factory=dict)   # stale id -> (English then, English now)
    translated: int = 0

    @property
    def ok(self) -> bool:
        return not (self.missing or self.stale or self.orphans or self.lost_strings)

    def lines(self, diff: bool = False) -> list:
        head = f"{self.notebook} [{self.lang}]: {self.translated} markdown cells translated"
        out = [head]
        for what, ids in (("no translation", self.missing), ("stale (English changed)", self.stale),
                          ("translated but no longer in the notebook", self.orphans)):
            if ids:
                out.append(f"  {what}: {', '.join(ids)}")
        for cid, s in self.lost_strings:
            out.append(f"  code string not in cell {cid} any more: {s}")
        if diff:
            for cid, (then, now) in self.changes.items():
                out += ["  " + line.rstrip("\n") for line in difflib.unified_diff(
                    as_lines(then + "\n"), as_lines(now + "\n"), f"{cid} (translated)", f"{cid} (now)")]
        return out


def load_json(path: Path):
    return json.loads(Path(path).read_text(encoding="utf-8"))


def translation_path(notebook: Path, lang: str) -> Path:
    return Path(notebook).parent / "i18n" / lang / (Path(notebook).stem + ".json")


def load_translation(notebook: Path, lang: str) -> dict:
    """The translation file of ``notebook`` (an empty one if there is none yet)."""
    path = translation_path(notebook, lang)
    if not path.exists():
        return {"cells": {}, "code_strings": {}}
    data = load_json(path)
    if not isinstance(data.get("cells"), dict):
        raise ValueError(f"{path}: expected {{\"cells\": {{cell id: {{\"en_sha\": ..., \"{lang}\": ...}}}}}}")
    data.setdefault("code_strings", {})
    return data


def check(nb: dict, translation: dict, lang: str, name: str = "") -> Report:
    """Compare a notebook's markdown cells with a translation of them."""
    report = Report(name, lang)
    cells = {c["id"]: c for c in nb["cells"] if "id" in c}
    for cell in nb["cells"]:
        if cell["cell_type"] != "markdown":
            continue
        cid = cell.get("id")
        entry = translation["cells"].get(cid)
        if entry is None or not entry.get(lang, "").strip():
            report.missing.append(str(cid))
        elif entry.get("en_sha") != source_sha(cell_text(cell)):
            report.stale.append(cid)
            if "en" in entry:
                report.changes[cid] = (entry["en"], cell_text(cell))
        else:
            report.translated += 1
    report.orphans = [cid for cid in translation["cells"]
                      if cid not in cells or cells[cid]["cell_type"] != "markdown"]
    for cid, strings in translation.get("code_strings", {}).items():
        code = cell_text(cells[cid]) if cid in cells else ""
        report.lost_strings += [(cid, s) for s in strings if s not in code]
    return report


def build(nb: dict, translation: dict | None, lang: str, source_name: str = "") -> dict:
    """The notebook in ``lang``: fresh translations replace markdown cells, everything else
    (code cells, ids, metadata) is the English notebook's; outputs are never stored.
    A stale or missing translation leaves that cell in English."""
    out = copy.deepcopy(nb)
    for cell in out["cells"]:
        if cell["cell_type"] == "code":
            cell["outputs"], cell["execution_count"] = [], None
        if cell["cell_type"] != "markdown" or translation is None:
            continue
        entry = translation["cells"].get(cell.get("id"))
        if entry and entry.get(lang, "").strip() and entry.get("en_sha") == source_sha(cell_text(cell)):
            cell["source"] = as_lines(entry[lang])
    meta = out.setdefault("metadata", {})
    meta["scalargrad"] = {"language": lang, **({"built_from": f"../{source_name}"} if source_name else {})}
    return out


def dumps(nb: dict) -> str:
    """JSON the way Jupyter writes it (indent 1, UTF-8 kept as is, final newline)."""
    return json.dumps(nb, indent=1, ensure_ascii=False) + "\n"


def sources(folder: Path) -> list:
    return sorted(Path(folder).glob("*.ipynb"))


def build_all(folder: Path = NOTEBOOKS, out: Path | None = None, langs=LANGS, write: bool = True):
    """Build every notebook of ``folder`` into ``out/<lang>/`` (default: ``folder/<lang>/``).

    Returns (reports, stale_files): a Report per notebook and language, and the built files
    that are missing or differ from what this build makes (before writing them).
    """
    folder = Path(folder)
    out = Path(out) if out is not None else folder
    reports, outdated = [], []
    for path in sources(folder):
        nb = load_json(path)
        for lang in (SOURCE_LANG, *langs):
            translation = None if lang == SOURCE_LANG else load_translation(path, lang)
            if translation is not None:
                reports.append(check(nb, translation, lang, path.name))
            text = dumps(build(nb, translation, lang, path.name))
            target = out / lang / path.name
            if not target.exists() or target.read_text(encoding="utf-8") != text:
                outdated.append(target)
                if write:
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_text(text, encoding="utf-8")
    for lang in langs:  # a translation whose notebook is gone
        for t in sorted((folder / "i18n" / lang).glob("*.json")):
            if not (folder / f"{t.stem}.ipynb").exists():
                r = Report(f"{t.stem}.ipynb", lang)
                r.orphans = ["(the whole notebook: no such English notebook)"]
                reports.append(r)
    return reports, outdated


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m scalargrad.notebook_i18n",
                                description="Build the course notebooks in English and Russian from the "
                                            "English notebooks and notebooks/i18n/<lang>/*.json.")
    p.add_argument("--notebooks", type=Path, default=NOTEBOOKS, help="folder of the English notebooks")
    p.add_argument("--out", type=Path, default=None, help="where <lang>/<name>.ipynb go (default: the notebooks folder)")
    p.add_argument("--diff", action="store_true", help="show how the English of each stale cell changed")
    p.add_argument("--check", action="store_true",
                   help="write nothing; exit 1 if a translation is missing or stale or a built notebook is out of date")
    args = p.parse_args(argv)
    reports, outdated = build_all(args.notebooks, args.out, write=not args.check)
    for r in reports:
        print("\n".join(r.lines(diff=args.diff)))
    bad = [r for r in reports if not r.ok]
    if args.check:
        for path in outdated:
            print(f"out of date: {path} (run python -m scalargrad.notebook_i18n)")
        if bad or outdated:
            print(f"{len(bad)} translations need work, {len(outdated)} built notebooks are out of date")
            return 1
        print("all translations are complete and every built notebook is up to date")
        return 0
    print(f"wrote {len(outdated)} notebooks" + (f"; {len(bad)} translations need work (their cells stay English)"
                                                 if bad else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
