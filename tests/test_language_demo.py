"""``scalargrad demo --lang ru``: the summary, index.html and the pictures in Russian;
English stays the default; a bad --lang is a usage error."""
import html
import os
import re

import pytest

from test_cli import run
from test_cli_demo import FAST
from test_language_pictures import english_words, page_text

import autograd.language as L

# besides test_language_pictures.ALLOWED: names and files the demo's text shows as they are
DEMO_ALLOWED = {
    "scalargrad", "demo", "micrograd",  # program and command names (the summary starts "scalargrad demo:")
    "moons", "adam", "seed",  # the command line's own words: --dataset moons, --optimizer adam, --seed
    "SVG", "svg", "html", "backward_steps", "step_",  # file names and formats
    "if", "else",  # relu's derivative from the op table, "(1 if z.data > 0 else 0)": the arithmetic stays
}


def english_env(**extra):
    env = {k: v for k, v in os.environ.items() if k != L.ENV_VAR}
    return {**env, **extra}


@pytest.fixture(scope="module")
def russian_demo(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo_ru") / "out"
    r = run("demo", *FAST, "--lang", "ru", "--out", str(out), timeout=300, env=english_env())
    assert r.returncode == 0, r.stdout + r.stderr
    return out, r


def test_the_summary_is_russian(russian_demo):
    _, r = russian_demo
    assert "точность: на обучающей выборке" in r.stdout and "откройте file://" in r.stdout
    left = english_words(re.sub(r"(file://)?/\S+", "", r.stdout), DEMO_ALLOWED)
    assert not left, r.stdout


def test_the_page_is_russian(russian_demo):
    out, _ = russian_demo
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "<html lang='ru'>" in page and "Обратное распространение ошибки шаг за шагом" in page
    assert not english_words(page_text(page), DEMO_ALLOWED), page_text(page)
    steps = (out / "backward_steps.html").read_text(encoding="utf-8")
    assert '<html lang="ru">' in steps and not english_words(page_text(steps), DEMO_ALLOWED)


def test_the_graph_pictures_are_russian(russian_demo):
    out, _ = russian_demo
    for name in ("network.svg", "neuron_backward.svg", "backward_steps/step_002.svg"):
        svg = (out / name).read_text(encoding="utf-8")
        text = html.unescape(" ".join(re.findall(r"<text[^>]*>([^<]*)</text>", svg)))
        assert "обозначения" in text, name
        assert not english_words(text, DEMO_ALLOWED), (name, text)


def test_the_environment_variable_and_the_default(tmp_path):
    r = run("demo", *FAST, "--out", str(tmp_path / "env"), timeout=300, env=english_env(SCALARGRAD_LANG="ru"))
    assert r.returncode == 0 and "точность" in r.stdout, r.stdout + r.stderr
    assert "<html lang='ru'>" in (tmp_path / "env" / "index.html").read_text(encoding="utf-8")
    r = run("demo", *FAST, "--out", str(tmp_path / "en"), timeout=300, env=english_env())
    assert r.returncode == 0 and "train accuracy" in r.stdout, r.stdout + r.stderr
    assert "<html lang='en'>" in (tmp_path / "en" / "index.html").read_text(encoding="utf-8")


def test_an_unknown_language_is_a_usage_error(tmp_path):
    r = run("demo", *FAST, "--lang", "fr", "--out", str(tmp_path / "fr"), env=english_env())
    assert r.returncode == 2 and "--lang" in r.stderr and "en, ru" in r.stderr, r.stderr
    assert not (tmp_path / "fr").exists()
