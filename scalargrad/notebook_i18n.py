"""Build the Russian course notebooks from the English ones plus translations.

    notebooks/en/<name>.ipynb           the source: code cells and English text (edit here)
    notebooks/i18n/ru/<name>.json       the Russian of each markdown cell (edit here)
    notebooks/ru/<name>.ipynb           built from the two (never edit by hand; committed)

The English notebook's code cells go into every language unchanged, so both versions run
the same code and the same assert cells, with one exception: the setup cell (the first code
cell after the hosted-install cell) holds the line ``set_language("en")  # ...``, which the
build writes as ``set_language("ru")  # ...`` (``LANGUAGE_LINES``). Strings a code cell prints or a checker reports go through
``tr("...")`` and are translated in the catalog (``autograd/messages_ru.py``), not here.

A translation file holds, per markdown cell id, the translated text, the English text it was
translated from and that text's fingerprint:

    {"cells": {"01-02": {"en_sha": "3f1c…", "en": "## 1. The derivative …", "ru": "## 1. Производная …"}}}

When the English cell changes, its fingerprint no longer matches: the translation is
*stale* and the build keeps the English text for that cell until it is translated again;
``--diff`` shows what changed in the English since (from the stored "en").

    python -m scalargrad.notebook_i18n                  # build notebooks/ru
    python -m scalargrad.notebook_i18n --check          # exit 1 if a translation is missing or stale,
                                                        # a tr() string has no Russian, or a built
                                                        # notebook is out of date (or has no source)
    python -m scalargrad.notebook_i18n --diff           # ... and show how each stale cell's English changed
    python -m scalargrad.notebook_i18n --mark-translated 01_value_and_chain_rule 01-32
                                                        # after writing the cell's "ru" text: record the
                                                        # English it translates, then build
    python -m scalargrad.notebook_i18n --out /tmp/nb    # build somewhere else
"""
from __future__ import annotations

import argparse
import ast
import copy
import difflib
import hashlib
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from autograd.language import untranslated

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
SOURCE_LANG = "en"
LANGS = ("ru",)  # the languages translated from English
LANGUAGE_LINE = re.compile(r'^set_language\("(\w+)"\).*$', re.M)  # the one line that differs per language
# what that line says in each language (the English notebook holds the first; the build writes the others)
LANGUAGE_LINES = {
    "en": 'set_language("en")  # pictures and messages in English (set_language("ru"): по-русски)',
    "ru": 'set_language("ru")  # рисунки и сообщения по-русски (set_language("en"): in English)',
}


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


def setup_cell(nb: dict) -> dict:
    """The setup cell: the first code cell after the hosted-install cell (the second code cell)."""
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    if len(code) < 2:
        raise ValueError("a course notebook starts with two code cells: the hosted-install recipe, then the setup")
    return code[1]


def language_of(nb: dict) -> str | None:
    """The language the setup cell's ``set_language("..")`` line switches to (None if it has none)."""
    found = LANGUAGE_LINE.findall(cell_text(setup_cell(nb)))
    return found[0] if len(found) == 1 else None


def code_for_comparison(nb: dict) -> list:
    """(id, source) of every code cell, the setup cell's set_language line written as for English:
    two language versions of a notebook must give the same list."""
    setup = setup_cell(nb)
    return [(c.get("id"), LANGUAGE_LINE.sub(LANGUAGE_LINES[SOURCE_LANG], cell_text(c)) if c is setup else cell_text(c))
            for c in nb["cells"] if c["cell_type"] == "code"]


def python_of(cell) -> str:
    """A code cell's Python, without IPython's magics and shell lines (%..., !...)."""
    return "\n".join("" if line.lstrip().startswith(("%", "!")) else line for line in cell_text(cell).splitlines())


def tr_keys(nb: dict) -> dict:
    """{English text: cell id} of every ``tr("literal", ...)`` in the notebook's code cells."""
    found = {}
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        for node in ast.walk(ast.parse(python_of(cell))):
            if (isinstance(node, ast.Call) and node.args
                    and getattr(node.func, "id", getattr(node.func, "attr", None)) == "tr"
                    and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
                found.setdefault(node.args[0].value, cell.get("id"))
    return found


@dataclass
class Report:
    """What a translation of one notebook lacks."""

    notebook: str
    lang: str
    missing: list = field(default_factory=list)   # markdown cell ids with no translation
    stale: list = field(default_factory=list)     # ids whose English changed since translation
    orphans: list = field(default_factory=list)   # translated ids the notebook no longer has
    untranslated: list = field(default_factory=list)  # (cell id, tr() key) with no entry in the catalog
    changes: dict = field(default_factory=dict)   # stale id -> (English then, English now)
    translated: int = 0

    @property
    def ok(self) -> bool:
        return not (self.missing or self.stale or self.orphans or self.untranslated)

    def lines(self, diff: bool = False) -> list:
        head = f"{self.notebook} [{self.lang}]: {self.translated} markdown cells translated"
        out = [head]
        for what, ids in (("no translation", self.missing), ("stale (English changed)", self.stale),
                          ("translated but no longer in the notebook", self.orphans)):
            if ids:
                out.append(f"  {what}: {', '.join(ids)}")
        for cid, key in self.untranslated:
            out.append(f"  cell {cid}: tr({key!r}) has no {self.lang} entry in autograd/messages_{self.lang}.py")
        if diff:
            for cid, (then, now) in self.changes.items():
                out += ["  " + line.rstrip("\n") for line in difflib.unified_diff(
                    as_lines(then + "\n"), as_lines(now + "\n"), f"{cid} (translated)", f"{cid} (now)")]
        return out


def load_json(path: Path):
    return json.loads(Path(path).read_text(encoding="utf-8"))


def translation_path(root: Path, name: str, lang: str) -> Path:
    """``root/i18n/<lang>/<stem>.json`` for the notebook ``name`` (e.g. '01_value_and_chain_rule.ipynb')."""
    return Path(root) / "i18n" / lang / (Path(name).stem + ".json")


def load_translation(path: Path, lang: str = "ru") -> dict:
    """The translation file at ``path`` (an empty one if there is none yet)."""
    path = Path(path)
    if not path.exists():
        return {"cells": {}}
    data = load_json(path)
    if not isinstance(data.get("cells"), dict):
        raise ValueError(f"{path}: expected {{\"cells\": {{cell id: {{\"en_sha\": ..., \"{lang}\": ...}}}}}}")
    return data


def check(nb: dict, translation: dict, lang: str, name: str = "") -> Report:
    """Compare a notebook's markdown cells with a translation of them, and its tr() strings with
    the catalog."""
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
    keys = tr_keys(nb)
    report.untranslated = [(keys[k], k) for k in untranslated(keys, lang=lang)]
    return report


def build(nb: dict, translation: dict | None, lang: str, source_name: str = "") -> dict:
    """The notebook in ``lang``: fresh translations replace markdown cells, the setup cell's
    language line becomes ``LANGUAGE_LINES[lang]``, everything else (code cells, ids, metadata)
    is the English notebook's; outputs are never stored.
    A stale or missing translation leaves that cell in English."""
    if [m.group(0) for m in LANGUAGE_LINE.finditer(cell_text(setup_cell(nb)))] != [LANGUAGE_LINES[SOURCE_LANG]]:
        raise ValueError(f"{source_name or 'the notebook'}: its setup cell (the code cell after the hosted-install "
                         f"cell) needs this one line, which the build writes per language:\n    "
                         f"{LANGUAGE_LINES[SOURCE_LANG]}")
    out = copy.deepcopy(nb)
    setup = setup_cell(out)
    setup["source"] = as_lines(LANGUAGE_LINE.sub(LANGUAGE_LINES[lang], cell_text(setup)))
    for cell in out["cells"]:
        if cell["cell_type"] == "code":
            cell["outputs"], cell["execution_count"] = [], None
        if cell["cell_type"] != "markdown" or translation is None:
            continue
        entry = translation["cells"].get(cell.get("id"))
        if entry and entry.get(lang, "").strip() and entry.get("en_sha") == source_sha(cell_text(cell)):
            cell["source"] = as_lines(entry[lang])
    meta = out.setdefault("metadata", {})
    meta["scalargrad"] = {"language": lang,
                          **({"built_from": f"../{SOURCE_LANG}/{source_name}"} if source_name else {})}
    return out


def dumps(nb: dict) -> str:
    """JSON the way Jupyter writes it (indent 1, UTF-8 kept as is, final newline)."""
    return json.dumps(nb, indent=1, ensure_ascii=False) + "\n"


def sources(root: Path) -> list:
    """The English notebooks: ``root/en/*.ipynb``."""
    return sorted((Path(root) / SOURCE_LANG).glob("*.ipynb"))


def build_all(root: Path = NOTEBOOKS, out: Path | None = None, langs=LANGS, write: bool = True):
    """Build every notebook of ``root/en/`` into ``out/<lang>/`` (default: ``root/<lang>/``).

    Returns (reports, outdated): a Report per notebook and language, and the built files that
    are missing or differ from what this build makes (before writing them), or that have no
    English source any more (never deleted here: the report says to remove them).
    """
    root = Path(root)
    out = Path(out) if out is not None else root
    reports, outdated = [], []
    names = {p.name for p in sources(root)}
    for path in sources(root):
        nb = load_json(path)
        for lang in langs:
            translation = load_translation(translation_path(root, path.name, lang), lang)
            reports.append(check(nb, translation, lang, path.name))
            text = dumps(build(nb, translation, lang, path.name))
            target = out / lang / path.name
            if not target.exists() or target.read_text(encoding="utf-8") != text:
                outdated.append(target)
                if write:
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_text(text, encoding="utf-8")
    for lang in langs:
        for t in sorted((root / "i18n" / lang).glob("*.json")):  # a translation whose notebook is gone
            if f"{t.stem}.ipynb" not in names:
                r = Report(f"{t.stem}.ipynb", lang)
                r.orphans = [f"(the whole notebook: no {SOURCE_LANG}/{t.stem}.ipynb)"]
                reports.append(r)
        outdated += [p for p in sorted((out / lang).glob("*.ipynb")) if p.name not in names]
    return reports, outdated


def mark_translated(root: Path, notebook: str, cell_ids, lang: str = "ru") -> list:
    """Record that the ``lang`` text of these cells now translates their current English: store the
    English and its fingerprint beside it. Returns the ids marked."""
    name = Path(notebook).stem + ".ipynb"
    source = Path(root) / SOURCE_LANG / name
    if not source.exists():
        raise ValueError(f"no English notebook {source}")
    cells = {c.get("id"): c for c in load_json(source)["cells"] if c["cell_type"] == "markdown"}
    path = translation_path(root, name, lang)
    data = load_translation(path, lang)
    for cid in cell_ids:
        if cid not in cells:
            raise ValueError(f"{name} has no markdown cell {cid!r}")
        entry = data["cells"].get(cid, {})
        if not entry.get(lang, "").strip():
            raise ValueError(f"{path}: write the {lang} text of cell {cid!r} first "
                             f"(\"{cid}\": {{\"{lang}\": \"...\"}})")
        english = cell_text(cells[cid])
        data["cells"][cid] = {"en_sha": source_sha(english), "en": english, lang: entry[lang]}
    order = [c for c in cells if c in data["cells"]] + [c for c in data["cells"] if c not in cells]
    data["cells"] = {c: data["cells"][c] for c in order}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return list(cell_ids)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m scalargrad.notebook_i18n",
                                description="Build notebooks/ru/ from the English notebooks (notebooks/en/) "
                                            "and their translations (notebooks/i18n/ru/*.json).")
    p.add_argument("--notebooks", type=Path, default=NOTEBOOKS,
                   help="the folder holding en/ and i18n/ (default: the repository's notebooks/)")
    p.add_argument("--out", type=Path, default=None, help="where <lang>/<name>.ipynb go (default: the notebooks folder)")
    p.add_argument("--diff", action="store_true", help="show how the English of each stale cell changed")
    p.add_argument("--check", action="store_true",
                   help="write nothing; exit 1 if a translation is missing or stale or a built notebook is out of date")
    p.add_argument("--mark-translated", nargs="+", metavar=("NOTEBOOK", "CELL"),
                   help="after writing the Russian of these cells in the JSON: record the English they "
                        "translate (e.g. --mark-translated 01_value_and_chain_rule 01-32), then build")
    args = p.parse_args(argv)
    if args.mark_translated:
        if len(args.mark_translated) < 2:
            p.error("--mark-translated NOTEBOOK CELL [CELL ...]")
        try:
            marked = mark_translated(args.notebooks, args.mark_translated[0], args.mark_translated[1:])
        except ValueError as e:
            p.error(str(e))
        print(f"marked as translated: {', '.join(marked)}")
    reports, outdated = build_all(args.notebooks, args.out, write=not args.check)
    for r in reports:
        print("\n".join(r.lines(diff=args.diff)))
    bad = [r for r in reports if not r.ok]
    names = {q.name for q in sources(args.notebooks)}
    for path in outdated:
        if path.name not in names:
            print(f"no English source for {path}: remove it, or add {SOURCE_LANG}/{path.name}")
        elif args.check:
            print(f"out of date: {path} (run python -m scalargrad.notebook_i18n)")
    if args.check:
        if bad or outdated:
            print(f"{len(bad)} translations need work, {len(outdated)} built notebooks are out of date")
            return 1
        print("all translations are complete and every built notebook is up to date")
        return 0
    written = [q for q in outdated if q.name in names]
    print(f"wrote {len(written)} notebooks" + (f"; {len(bad)} translations need work (their cells stay English)"
                                                 if bad else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
