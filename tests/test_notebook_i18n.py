"""The notebook translations (notebooks/i18n/ru/*.json) and the tool that builds notebooks/<lang>/."""
import json
import re
import shutil
from pathlib import Path

import pytest

from scalargrad import notebook_i18n as nbi

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
IDS = [p.stem for p in NOTEBOOKS]
MATH = re.compile(r"\$\$.*?\$\$|\$[^$]+?\$", re.S)
CODE_SPAN = re.compile(r"`[^`\n]+`")


def load(path):
    return json.loads(Path(path).read_text(encoding="utf-8"))


def markdown(nb):
    return [c for c in nb["cells"] if c["cell_type"] == "markdown"]


def code_sources(nb):
    return [(c["id"], nbi.cell_text(c)) for c in nb["cells"] if c["cell_type"] == "code"]


# --- the tool, on a small notebook of its own -----------------------------------------------

def tiny_notebook() -> dict:
    def cell(kind, cid, text):
        c = {"cell_type": kind, "id": cid, "metadata": {}, "source": nbi.as_lines(text)}
        if kind == "code":
            c.update(outputs=[{"output_type": "stream", "name": "stdout", "text": ["1\n"]}], execution_count=3)
        return c
    return {"cells": [cell("markdown", "a", "# Title\n\nSome *text* with $x^2$."),
                      cell("code", "b", 'print("loss", 1)'),
                      cell("markdown", "c", "## Summary")],
            "metadata": {"kernelspec": {"name": "python3"}}, "nbformat": 4, "nbformat_minor": 5}


def tiny_translation(nb) -> dict:
    text = {c["id"]: nbi.cell_text(c) for c in nb["cells"]}
    return {"cells": {"a": {"en_sha": nbi.source_sha(text["a"]), "ru": "# Заголовок\n\nНемного *текста* с $x^2$."},
                      "c": {"en_sha": nbi.source_sha(text["c"]), "ru": "## Итоги"}},
            "code_strings": {"b": {'"loss"': '"функция потерь"'}}}


def test_build_replaces_markdown_keeps_code_and_strips_outputs():
    nb = tiny_notebook()
    ru = nbi.build(nb, tiny_translation(nb), "ru", "tiny.ipynb")
    assert [nbi.cell_text(c) for c in markdown(ru)] == ["# Заголовок\n\nНемного *текста* с $x^2$.", "## Итоги"]
    assert code_sources(ru) == code_sources(nb)
    assert [c["id"] for c in ru["cells"]] == [c["id"] for c in nb["cells"]]
    assert ru["cells"][1]["outputs"] == [] and ru["cells"][1]["execution_count"] is None
    assert ru["metadata"]["scalargrad"] == {"language": "ru", "built_from": "../tiny.ipynb"}
    assert ru["metadata"]["kernelspec"] == nb["metadata"]["kernelspec"]
    assert nbi.cell_text(nb["cells"][0]).startswith("# Title"), "the source notebook is not modified"
    assert nbi.check(nb, tiny_translation(nb), "ru").ok


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
    assert nbi.cell_text(ru["cells"][2]) == "## Итоги"


def test_missing_orphaned_and_lost_code_strings_are_reported():
    nb = tiny_notebook()
    translation = tiny_translation(nb)
    del translation["cells"]["c"]
    translation["cells"]["gone"] = {"en_sha": "0", "ru": "старое"}
    translation["code_strings"]["b"]['"accuracy"'] = '"доля правильных ответов"'
    report = nbi.check(nb, translation, "ru")
    assert report.missing == ["c"] and report.orphans == ["gone"]
    assert report.lost_strings == [("b", '"accuracy"')]
    assert not report.ok


def write_tiny_course(folder: Path, nb: dict, translation: dict | None):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "01_tiny.ipynb").write_text(nbi.dumps(nb), encoding="utf-8")
    if translation is not None:
        (folder / "i18n" / "ru").mkdir(parents=True, exist_ok=True)
        (folder / "i18n" / "ru" / "01_tiny.json").write_text(json.dumps(translation, ensure_ascii=False), encoding="utf-8")


def test_command_line_check_fails_until_built_and_translated(tmp_path, capsys):
    nb = tiny_notebook()
    src, out = tmp_path / "notebooks", tmp_path / "built"
    write_tiny_course(src, nb, tiny_translation(nb))
    assert nbi.main(["--notebooks", str(src), "--out", str(out), "--check"]) == 1
    assert "out of date" in capsys.readouterr().out
    assert not out.exists(), "--check writes nothing"

    assert nbi.main(["--notebooks", str(src), "--out", str(out)]) == 0
    assert {p.relative_to(out).as_posix() for p in out.rglob("*.ipynb")} == {"en/01_tiny.ipynb", "ru/01_tiny.ipynb"}
    assert nbi.main(["--notebooks", str(src), "--out", str(out), "--check"]) == 0
    built_ru, built_en = load(out / "ru" / "01_tiny.ipynb"), load(out / "en" / "01_tiny.ipynb")
    assert code_sources(built_ru) == code_sources(built_en) == code_sources(nb)
    assert nbi.cell_text(built_en["cells"][0]) == nbi.cell_text(nb["cells"][0])

    nb["cells"][2]["source"] = nbi.as_lines("## Summary and next steps")   # English edited
    write_tiny_course(src, nb, None)
    capsys.readouterr()
    assert nbi.main(["--notebooks", str(src), "--out", str(out), "--check"]) == 1
    text = capsys.readouterr().out
    assert "stale (English changed): c" in text and "out of date" in text


def test_a_translation_without_its_notebook_is_reported(tmp_path):
    nb = tiny_notebook()
    write_tiny_course(tmp_path, nb, tiny_translation(nb))
    shutil.copy(tmp_path / "i18n" / "ru" / "01_tiny.json", tmp_path / "i18n" / "ru" / "02_gone.json")
    reports, _ = nbi.build_all(tmp_path, tmp_path / "out", write=False)
    assert [r.notebook for r in reports if not r.ok] == ["02_gone.ipynb"]


# --- the course's own translations ---------------------------------------------------------

def test_every_notebook_has_a_russian_translation_file_and_no_file_is_orphaned():
    files = sorted((ROOT / "notebooks" / "i18n" / "ru").glob("*.json"))
    assert [f.stem for f in files] == IDS


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_russian_translation_is_complete_and_current(path):
    """Fails when an English markdown cell changed after it was translated: translate it again
    (the message names the cells) and update its en_sha."""
    report = nbi.check(load(path), nbi.load_translation(path, "ru"), "ru", path.name)
    assert report.ok, "\n".join(report.lines())


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_translation_keeps_formulas_and_code_and_is_russian(path):
    nb, translation = load(path), nbi.load_translation(path, "ru")

    def formulas(text):  # whitespace and \text{...} words may differ
        return {re.sub(r"\s+", "", re.sub(r"\\text\{[^}]*\}", "", m)) for m in MATH.findall(text)}

    for cell in markdown(nb):
        entry = translation["cells"].get(cell["id"])
        if entry is None:
            continue
        en, ru = nbi.cell_text(cell), entry["ru"]
        assert formulas(en) <= formulas(ru), f"{cell['id']}: a formula was lost or changed"
        assert set(CODE_SPAN.findall(en)) <= set(CODE_SPAN.findall(ru)), f"{cell['id']}: a `code` span was lost"
        heads = lambda t: [line.split(" ")[0] for line in t.splitlines() if line.startswith("#")]
        assert heads(en) == heads(ru), f"{cell['id']}: headings differ"
        assert re.search("[а-яё]", ru, re.I), f"{cell['id']}: not translated"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_code_strings_are_in_their_cells_and_keep_their_placeholders(path):
    nb, translation = load(path), nbi.load_translation(path, "ru")
    cells = {c["id"]: c for c in nb["cells"]}
    fields = lambda s: sorted(re.findall(r"\{[^{}]*\}", s))
    for cid, strings in translation["code_strings"].items():
        assert cells[cid]["cell_type"] == "code", cid
        for en, ru in strings.items():
            assert en in nbi.cell_text(cells[cid]), f"{cid}: {en} is not in the cell"
            assert fields(en) == fields(ru), f"{cid}: placeholders differ in {ru}"
            opening = lambda lit: re.match(r"[a-zA-Z]*[\"']", lit).group()
            assert opening(en) == opening(ru) and en[-1] == ru[-1], f"{cid}: {ru} is not the same kind of literal"


def test_built_course_has_identical_code_in_both_languages(tmp_path):
    nbi.build_all(ROOT / "notebooks", tmp_path)
    for path in NOTEBOOKS:
        en, ru = load(tmp_path / "en" / path.name), load(tmp_path / "ru" / path.name)
        assert code_sources(en) == code_sources(ru) == code_sources(load(path))
        assert len(markdown(en)) == len(markdown(ru))
