"""The course in two languages: notebooks/en (the source), notebooks/i18n/ru/*.json (the Russian
text), notebooks/ru (built from the two), and the tool that builds and checks them."""
import json
import re
import shutil
from pathlib import Path

import pytest

from scalargrad import notebook_i18n as nbi

ROOT = Path(__file__).resolve().parent.parent
COURSE = ROOT / "notebooks"
NOTEBOOKS = nbi.sources(COURSE)
IDS = [p.stem for p in NOTEBOOKS]
MATH = re.compile(r"\$\$.*?\$\$|\$[^$]+?\$", re.S)
CODE_SPAN = re.compile(r"`[^`\n]+`")


def load(path):
    return json.loads(Path(path).read_text(encoding="utf-8"))


def markdown(nb):
    return [c for c in nb["cells"] if c["cell_type"] == "markdown"]


def code_sources(nb):
    return [(c["id"], nbi.cell_text(c)) for c in nb["cells"] if c["cell_type"] == "code"]


def headings(text):
    return [line.split(" ")[0] for line in text.splitlines() if line.startswith("#")]


def placeholders(text):
    return sorted(re.findall(r"\{[^{}]*\}", text))


# --- the tool, on a small notebook of its own -----------------------------------------------

SETUP = f'from autograd import set_language, tr\n\n{nbi.LANGUAGE_LINES["en"]}\nprint(tr("loss"))'


def tiny_notebook(setup: str = SETUP) -> dict:
    def cell(kind, cid, text):
        c = {"cell_type": kind, "id": cid, "metadata": {}, "source": nbi.as_lines(text)}
        if kind == "code":
            c.update(outputs=[{"output_type": "stream", "name": "stdout", "text": ["1\n"]}], execution_count=3)
        return c
    return {"cells": [cell("markdown", "a", "# Title\n\nSome *text* with $x^2$."),
                      cell("code", "install", "# %pip install scalargrad"),
                      cell("code", "setup", setup),
                      cell("code", "b", 'print("loss", 1)'),
                      cell("markdown", "c", "## Summary")],
            "metadata": {"kernelspec": {"name": "python3"}}, "nbformat": 4, "nbformat_minor": 5}


def tiny_translation(nb) -> dict:
    text = {c["id"]: nbi.cell_text(c) for c in nb["cells"]}
    return {"cells": {"a": {"en_sha": nbi.source_sha(text["a"]), "ru": "# Заголовок\n\nНемного *текста* с $x^2$."},
                      "c": {"en_sha": nbi.source_sha(text["c"]), "ru": "## Итоги"}}}


def test_build_replaces_markdown_and_the_language_line_keeps_code_and_strips_outputs():
    nb = tiny_notebook()
    ru = nbi.build(nb, tiny_translation(nb), "ru", "tiny.ipynb")
    assert [nbi.cell_text(c) for c in markdown(ru)] == ["# Заголовок\n\nНемного *текста* с $x^2$.", "## Итоги"]
    assert nbi.cell_text(ru["cells"][2]) == SETUP.replace(nbi.LANGUAGE_LINES["en"], nbi.LANGUAGE_LINES["ru"])
    assert 'set_language("ru")  # рисунки и сообщения по-русски' in nbi.cell_text(ru["cells"][2])
    assert nbi.language_of(ru) == "ru" and nbi.language_of(nb) == "en"
    assert code_sources(ru) != code_sources(nb), "the language line differs..."
    assert nbi.code_for_comparison(ru) == nbi.code_for_comparison(nb), "...and nothing else"
    assert [c["id"] for c in ru["cells"]] == [c["id"] for c in nb["cells"]]
    assert ru["cells"][3]["outputs"] == [] and ru["cells"][3]["execution_count"] is None
    assert ru["metadata"]["scalargrad"] == {"language": "ru", "built_from": "../en/tiny.ipynb"}
    assert ru["metadata"]["kernelspec"] == nb["metadata"]["kernelspec"]
    assert nbi.cell_text(nb["cells"][0]).startswith("# Title"), "the source notebook is not modified"
    assert nbi.check(nb, tiny_translation(nb), "ru").ok


@pytest.mark.parametrize("setup", ['from autograd import tr\nprint(tr("loss"))', 'set_language("ru")',
                                   'set_language("en")', f'{nbi.LANGUAGE_LINES["en"]}\n{nbi.LANGUAGE_LINES["en"]}'])
def test_a_setup_cell_without_the_one_english_language_line_is_refused(setup):
    nb = tiny_notebook(setup)
    with pytest.raises(ValueError, match=re.escape(nbi.LANGUAGE_LINES["en"])):
        nbi.build(nb, tiny_translation(nb), "ru", "tiny.ipynb")


def test_code_comparison_sees_any_other_difference():
    nb = tiny_notebook()
    other = tiny_notebook(SETUP + "\nx = 1")
    assert nbi.code_for_comparison(nb) != nbi.code_for_comparison(other)
    other = tiny_notebook(SETUP.replace('print(tr("loss"))', 'print(tr("epoch"))'))
    assert nbi.code_for_comparison(nb) != nbi.code_for_comparison(other), "the rest of the setup cell counts"


def test_a_changed_english_cell_is_stale_and_stays_english():
    nb = tiny_notebook()
    translation = tiny_translation(nb)
    nb["cells"][0]["source"] = nbi.as_lines("# Title\n\nSome *new* text.")
    report = nbi.check(nb, translation, "ru", "tiny.ipynb")
    assert report.stale == ["a"] and report.missing == [] and report.translated == 1 and not report.ok
    assert "stale (English changed): a" in "\n".join(report.lines())
    assert "(translated)" not in "\n".join(report.lines(diff=True)), "no stored English: no diff to show"
    translation["cells"]["a"]["en"] = "# Title\n\nSome *text* with $x^2$."
    shown = "\n".join(nbi.check(nb, translation, "ru").lines(diff=True))
    assert "-Some *text* with $x^2$." in shown and "+Some *new* text." in shown and " # Title" in shown
    ru = nbi.build(nb, translation, "ru")
    assert nbi.cell_text(ru["cells"][0]) == "# Title\n\nSome *new* text."
    assert nbi.cell_text(ru["cells"][4]) == "## Итоги"


def test_missing_orphaned_and_untranslated_tr_strings_are_reported():
    nb = tiny_notebook()
    nb["cells"][3]["source"] = nbi.as_lines('%matplotlib inline\nprint(tr("no such message {n}", n=1))')
    translation = tiny_translation(nb)
    del translation["cells"]["c"]
    translation["cells"]["gone"] = {"en_sha": "0", "ru": "старое"}
    report = nbi.check(nb, translation, "ru")
    assert report.missing == ["c"] and report.orphans == ["gone"]
    assert report.untranslated == [("b", "no such message {n}")], "tr('loss') is in the catalog; this one is not"
    assert "autograd/messages_ru.py" in "\n".join(report.lines())
    assert not report.ok


def write_tiny_course(root: Path, nb: dict, translation: dict | None):
    (root / "en").mkdir(parents=True, exist_ok=True)
    (root / "en" / "01_tiny.ipynb").write_text(nbi.dumps(nb), encoding="utf-8")
    if translation is not None:
        (root / "i18n" / "ru").mkdir(parents=True, exist_ok=True)
        (root / "i18n" / "ru" / "01_tiny.json").write_text(json.dumps(translation, ensure_ascii=False), encoding="utf-8")


def test_command_line_check_fails_until_built_and_translated(tmp_path, capsys):
    nb = tiny_notebook()
    root = tmp_path / "notebooks"
    write_tiny_course(root, nb, tiny_translation(nb))
    assert nbi.main(["--notebooks", str(root), "--check"]) == 1
    assert "out of date" in capsys.readouterr().out
    assert not (root / "ru").exists(), "--check writes nothing"

    assert nbi.main(["--notebooks", str(root)]) == 0
    assert {p.relative_to(root).as_posix() for p in root.rglob("*.ipynb")} == {"en/01_tiny.ipynb", "ru/01_tiny.ipynb"}
    assert nbi.main(["--notebooks", str(root), "--check"]) == 0
    built = load(root / "ru" / "01_tiny.ipynb")
    assert nbi.code_for_comparison(built) == nbi.code_for_comparison(nb) and nbi.language_of(built) == "ru"

    nb["cells"][4]["source"] = nbi.as_lines("## Summary and next steps")   # English edited
    write_tiny_course(root, nb, None)
    capsys.readouterr()
    assert nbi.main(["--notebooks", str(root), "--check"]) == 1
    text = capsys.readouterr().out
    assert "stale (English changed): c" in text and "out of date" in text


def test_a_notebook_in_one_language_only_is_reported(tmp_path, capsys):
    nb = tiny_notebook()
    write_tiny_course(tmp_path, nb, tiny_translation(nb))
    assert nbi.main(["--notebooks", str(tmp_path)]) == 0
    shutil.copy(tmp_path / "i18n" / "ru" / "01_tiny.json", tmp_path / "i18n" / "ru" / "02_gone.json")
    shutil.copy(tmp_path / "ru" / "01_tiny.ipynb", tmp_path / "ru" / "03_only_russian.ipynb")
    reports, outdated = nbi.build_all(tmp_path, write=False)
    assert [r.notebook for r in reports if not r.ok] == ["02_gone.ipynb"]
    assert outdated == [tmp_path / "ru" / "03_only_russian.ipynb"]
    capsys.readouterr()
    assert nbi.main(["--notebooks", str(tmp_path), "--check"]) == 1
    assert "no English source for" in capsys.readouterr().out


def test_mark_translated_records_the_english_a_new_russian_text_translates(tmp_path, capsys):
    nb = tiny_notebook()
    translation = tiny_translation(nb)
    nb["cells"][4]["source"] = nbi.as_lines("## Summary and next steps")   # English edited: c is stale
    translation["cells"]["c"]["ru"] = "## Итоги и что дальше"               # the translator's new text
    write_tiny_course(tmp_path, nb, translation)
    assert nbi.main(["--notebooks", str(tmp_path), "--check"]) == 1
    assert nbi.main(["--notebooks", str(tmp_path), "--mark-translated", "01_tiny", "c"]) == 0
    assert nbi.main(["--notebooks", str(tmp_path), "--check"]) == 0
    saved = load(tmp_path / "i18n" / "ru" / "01_tiny.json")["cells"]["c"]
    assert saved["en"] == "## Summary and next steps" and saved["ru"] == "## Итоги и что дальше"
    assert nbi.cell_text(markdown(load(tmp_path / "ru" / "01_tiny.ipynb"))[-1]) == "## Итоги и что дальше"
    with pytest.raises(SystemExit):   # a cell the notebook does not have, or no Russian written yet
        nbi.main(["--notebooks", str(tmp_path), "--mark-translated", "01_tiny", "zz"])
    del translation["cells"]["a"]
    write_tiny_course(tmp_path, nb, translation)
    with pytest.raises(SystemExit):
        nbi.main(["--notebooks", str(tmp_path), "--mark-translated", "01_tiny", "a"])
    assert "write the ru text of cell 'a' first" in capsys.readouterr().err


# --- the course's own notebooks -------------------------------------------------------------

def test_every_notebook_exists_in_both_languages_and_nowhere_else():
    en = sorted(p.name for p in (COURSE / "en").glob("*.ipynb"))
    ru = sorted(p.name for p in (COURSE / "ru").glob("*.ipynb"))
    assert en == ru and len(en) >= 7, f"only in English: {set(en) - set(ru)}; only in Russian: {set(ru) - set(en)}"
    assert not list(COURSE.glob("*.ipynb")), "notebooks live in notebooks/en (source) and notebooks/ru (built)"
    assert sorted(p.relative_to(COURSE).parts[0] for p in COURSE.rglob("*.ipynb")
                  if ".ipynb_checkpoints" not in p.parts) == sorted(["en"] * len(en) + ["ru"] * len(ru))
    assert [f.stem for f in sorted((COURSE / "i18n" / "ru").glob("*.json"))] == IDS


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_both_languages_run_the_same_code_but_the_language_line(path):
    en, ru = load(path), load(COURSE / "ru" / path.name)
    assert nbi.language_of(en) == "en" and nbi.language_of(ru) == "ru"
    assert nbi.code_for_comparison(en) == nbi.code_for_comparison(ru), \
        "code cells differ between notebooks/en and notebooks/ru: edit notebooks/en and run python -m scalargrad.notebook_i18n"


def test_the_built_russian_notebooks_are_up_to_date():
    _, outdated = nbi.build_all(COURSE, write=False)
    assert not outdated, "run python -m scalargrad.notebook_i18n (and commit notebooks/ru): " + \
        ", ".join(str(p.relative_to(ROOT)) for p in outdated)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_russian_translation_is_complete_and_current(path):
    """Fails when an English markdown cell changed after it was translated (translate it again:
    python -m scalargrad.notebook_i18n --diff shows what changed), or a tr() string has no Russian."""
    report = nbi.check(load(path), nbi.load_translation(nbi.translation_path(COURSE, path.name, "ru")), "ru", path.name)
    assert report.ok, "\n".join(report.lines())


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_translation_keeps_formulas_and_code_and_is_russian(path):
    nb, translation = load(path), nbi.load_translation(nbi.translation_path(COURSE, path.name, "ru"))

    def formulas(text):  # whitespace and \text{...} words may differ
        return {re.sub(r"\s+", "", re.sub(r"\\text\{[^}]*\}", "", m)) for m in MATH.findall(text)}

    for cell in markdown(nb):
        entry = translation["cells"].get(cell["id"])
        if entry is None:
            continue
        en, ru = nbi.cell_text(cell), entry["ru"]
        assert formulas(en) <= formulas(ru), f"{cell['id']}: a formula was lost or changed"
        assert set(CODE_SPAN.findall(en)) <= set(CODE_SPAN.findall(ru)), f"{cell['id']}: a `code` span was lost"
        assert headings(en) == headings(ru), f"{cell['id']}: headings differ"
        assert re.search("[а-яё]", ru, re.I), f"{cell['id']}: not translated"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_every_tr_string_of_a_notebook_has_russian_with_the_same_placeholders(path):
    from autograd.messages_ru import MESSAGES
    keys = nbi.tr_keys(load(path))
    assert keys, f"{path.name} prints nothing through tr()"
    for key, cid in keys.items():
        assert key in MESSAGES, f"{cid}: tr({key!r}) has no Russian in autograd/messages_ru.py"
        assert placeholders(MESSAGES[key]) == placeholders(key), f"{cid}: placeholders differ in {MESSAGES[key]!r}"
