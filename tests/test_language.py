"""The language switch (autograd.language) and the Russian catalog (autograd.messages_ru)."""
import ast
import os
import re
import string
import subprocess
import sys
from pathlib import Path

import pytest

import autograd.language as L
from autograd.messages_ru import MESSAGES

ROOT = Path(__file__).resolve().parent.parent
CATALOG_FILE = ROOT / "autograd" / "messages_ru.py"
PACKAGES = ("autograd", "nn", "viz", "scalargrad")
CYRILLIC = re.compile("[а-яё]", re.IGNORECASE)
DROPS_A_PLACEHOLDER = {"train {name}", "validation {name}"}  # legend entries: the title names the quantity


def fields(template: str) -> set:
    """The placeholder names of a str.format template: 'epoch {n} of {total:.3g}' -> {'n', 'total'}."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


# --- the switch ---------------------------------------------------------------------------

def test_english_is_the_default_and_returns_the_key():
    assert L.get_language() == "en"
    assert L.tr("loss") == "loss"
    assert L.tr("hidden layer {n}", n=2) == "hidden layer 2"


def test_set_language_switches_tr():
    L.set_language("ru")
    assert L.get_language() == "ru"
    assert L.tr("loss") == "функция потерь"
    assert L.tr("hidden layer {n}", n=2) == "скрытый слой 2"
    L.set_language("en")
    assert L.tr("loss") == "loss"


def test_lang_argument_overrides_the_current_language():
    assert L.tr("loss", lang="ru") == "функция потерь"
    L.set_language("ru")
    assert L.tr("loss", lang="en") == "loss"


@pytest.mark.parametrize("spelling", ["RU", " ru ", "ru_RU", "ru-RU", "ru_RU.UTF-8"])
def test_locale_like_spellings_are_accepted(spelling):
    L.set_language(spelling)
    assert L.get_language() == "ru"


@pytest.mark.parametrize("bad", ["fr", "russian", "", None, 7])
def test_unknown_language_is_a_clear_error_and_changes_nothing(bad):
    L.set_language("ru")
    with pytest.raises(ValueError, match=r"unknown language .*'en', 'ru'"):
        L.set_language(bad)
    assert L.get_language() == "ru"
    if bad is not None:  # tr(lang=None) means the current language
        with pytest.raises(ValueError, match="unknown language"):
            L.tr("loss", lang=bad)


def test_context_manager_switches_for_the_block_and_restores_after_an_error():
    with L.language("ru") as lang:
        assert lang == "ru" and L.tr("epoch") == "эпоха"
        with L.language("en"):
            assert L.tr("epoch") == "epoch"
        assert L.tr("epoch") == "эпоха"
    assert L.get_language() == "en"
    with pytest.raises(KeyError):
        with L.language("ru"):
            raise KeyError("boom")
    assert L.get_language() == "en"
    with pytest.raises(ValueError):
        with L.language("de"):
            pass
    assert L.get_language() == "en"


def test_unknown_key_comes_back_in_english_and_is_listed():
    key = "a message nobody has translated {n}"
    assert L.tr(key, lang="ru", n=1) == "a message nobody has translated 1"
    assert key in L.untranslated()
    assert L.untranslated(["loss", key, "epoch"]) == [key]
    assert L.untranslated([key], lang="en") == []


def test_format_placeholders_are_filled_in_the_translation():
    text = L.tr("fit: the loss became {loss} in epoch {epoch}; training stopped (try a smaller learning rate)",
                lang="ru", loss=float("nan"), epoch=4)
    assert "nan" in text and "эпохе 4" in text
    assert L.tr("{name} (train vs validation)", lang="ru", name=L.tr("loss", lang="ru")) == \
        "функция потерь: обучение и валидация"
    assert L.tr("train {name}", lang="ru", name="loss") == "обучающая выборка"


def run_python(code: str, lang_env: str | None):
    env = {k: v for k, v in os.environ.items() if k != L.ENV_VAR}
    env["PYTHONPATH"] = str(ROOT)
    if lang_env is not None:
        env[L.ENV_VAR] = lang_env
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT)


def test_environment_variable_sets_the_default():
    code = "from autograd.language import get_language, tr; print(get_language(), tr('epoch'))"
    assert run_python(code, "ru").stdout.split() == ["ru", "эпоха"]
    assert run_python(code, None).stdout.split() == ["en", "epoch"]


def test_unknown_environment_value_warns_and_falls_back_to_english():
    done = run_python("from autograd.language import get_language; print(get_language())", "klingon")
    assert done.stdout.strip() == "en"
    assert "SCALARGRAD_LANG='klingon'" in done.stderr and "en, ru" in done.stderr


# --- the catalog ----------------------------------------------------------------------------

@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_each_translation_keeps_the_placeholders_and_is_russian(key):
    ru = MESSAGES[key]
    assert isinstance(ru, str) and ru.strip(), key
    assert fields(ru) <= fields(key), f"a placeholder the English does not fill: {key!r} -> {ru!r}"
    if len(fields(ru)) < len(fields(key)):  # dropping one is allowed where the Russian says it elsewhere
        assert key in DROPS_A_PLACEHOLDER, f"placeholder lost: {key!r} -> {ru!r}"
    assert ru.startswith(" ") == key.startswith(" ") and ru.endswith(" ") == key.endswith(" "), \
        "a message joined to others keeps its leading/trailing space"
    if ru != key:  # identical entries are identifiers kept on purpose ("data {value}")
        assert CYRILLIC.search(ru), f"not translated: {key!r} -> {ru!r}"


def test_each_catalog_entry_names_the_file_it_comes_from():
    source = CATALOG_FILE.read_text(encoding="utf-8").splitlines()
    tree = ast.parse("\n".join(source))
    (messages,) = [n.value for n in tree.body if isinstance(n, ast.Assign) and n.targets[0].id == "MESSAGES"]
    for key_node, value_node in zip(messages.keys, messages.values):
        line = source[value_node.end_lineno - 1]
        comment = line.split("# ", 1)[1] if "# " in line else ""
        paths = re.findall(r"[\w/]+\.(?:py|ipynb)\b", comment)
        assert paths, f"no source-file comment beside {key_node.value!r}"
        for p in paths:
            assert (ROOT / p).is_file(), f"{key_node.value!r} names {p}, which does not exist"


def tr_literals(packages=PACKAGES) -> dict:
    """{English key: 'file:line'} of every tr("literal", ...) call in the packages."""
    found = {}
    for pkg in packages:
        for path in sorted((ROOT / pkg).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if (isinstance(node, ast.Call) and node.args
                        and getattr(node.func, "id", getattr(node.func, "attr", None)) == "tr"
                        and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
                    found[node.args[0].value] = f"{path.relative_to(ROOT)}:{node.lineno}"
    return found


def test_every_tr_call_in_the_packages_has_a_russian_translation():
    used = tr_literals()
    missing = L.untranslated(used)
    assert not missing, "add these to autograd/messages_ru.py: " + ", ".join(
        f"{k!r} ({used[k]})" for k in missing)


def test_the_source_scan_finds_tr_calls(tmp_path, monkeypatch):
    """The scan above can fail: a tr() call with an unknown key is found and reported."""
    pkg = tmp_path / "fakepkg"
    pkg.mkdir()
    (pkg / "m.py").write_text("from autograd.language import tr\nx = tr('loss')\ny = L.tr('not in the catalog {n}', n=1)\n")
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    used = tr_literals(("fakepkg",))
    assert set(used) == {"loss", "not in the catalog {n}"}
    assert L.untranslated(used) == ["not in the catalog {n}"]
