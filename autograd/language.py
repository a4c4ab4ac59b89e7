"""The language a student reads: English or Russian, for pictures and teaching messages.

The English text is the key, so a call site reads as what it says; ``tr`` returns the
text in the current language (English when no translation exists):

    >>> from autograd.language import language, tr
    >>> tr("hidden layer {n}", n=1)
    'hidden layer 1'
    >>> with language("ru"):
    ...     tr("hidden layer {n}", n=1)
    'скрытый слой 1'

The language is English unless the environment variable ``SCALARGRAD_LANG=ru`` says
otherwise when autograd is imported; ``set_language("ru")`` switches it for the rest of
the session, ``with language("ru"):`` for one block. Only what a student reads (picture
text, teaching warnings, checker and demo messages) goes through ``tr``; programmer-facing
errors (TypeError, DomainError) stay English.
"""
from __future__ import annotations

import contextlib
import os
import warnings

LANGUAGES = ("en", "ru")
ENV_VAR = "SCALARGRAD_LANG"


def _normalize(lang) -> str | None:
    """'ru', 'RU', 'ru_RU.UTF-8' -> 'ru'; None for anything that is not a known language."""
    if not isinstance(lang, str):
        return None
    code = lang.strip().lower().replace("-", "_").split(".")[0].split("_")[0]
    return code if code in LANGUAGES else None


def _from_environment() -> str:
    value = os.environ.get(ENV_VAR, "").strip()
    if not value:
        return "en"
    lang = _normalize(value)
    if lang is None:
        warnings.warn(f"{ENV_VAR}={value!r} is not a language scalargrad knows; using English. "
                      f"Set it to one of: {', '.join(LANGUAGES)}.", stacklevel=3)
        return "en"
    return lang


_current = _from_environment()
_missing: dict[str, set[str]] = {lang: set() for lang in LANGUAGES}  # keys tr() found no translation for


def _check(lang) -> str:
    code = _normalize(lang)
    if code is None:
        raise ValueError(f"unknown language {lang!r}; scalargrad speaks {', '.join(map(repr, LANGUAGES))} "
                         f"(e.g. set_language('ru'))")
    return code


def set_language(lang: str) -> None:
    """Switch what students read to ``lang`` ('en' or 'ru') for the rest of the session."""
    global _current
    _current = _check(lang)


def get_language() -> str:
    """The current language: 'en' or 'ru'."""
    return _current


def resolve(lang: str | None = None) -> str:
    """What a ``lang=`` argument means: ``lang`` checked, or the current language when None."""
    return _current if lang is None else _check(lang)


@contextlib.contextmanager
def language(lang: str):
    """Switch to ``lang`` inside the block, and back to the previous language after it."""
    global _current
    before, _current = _current, _check(lang)
    try:
        yield _current
    finally:
        _current = before


def catalog(lang: str) -> dict[str, str]:
    """The translations for ``lang``: {English text: translated text} ({} for English)."""
    lang = _check(lang)
    if lang == "ru":
        from .messages_ru import MESSAGES
        return MESSAGES
    return {}


def tr(text: str, /, lang: str | None = None, **fmt) -> str:
    """``text`` in ``lang`` (default: the current language), then ``.format(**fmt)``.

    ``text`` is the English message, which is also the catalog key; a message with no
    translation comes back in English (and is remembered for ``untranslated()``).
    """
    lang = _current if lang is None else _check(lang)
    out = text
    if lang != "en":
        out = catalog(lang).get(text)
        if out is None:
            _missing[lang].add(text)
            out = text
    return out.format(**fmt) if fmt else out


def untranslated(keys=None, lang: str = "ru") -> list[str]:
    """English messages with no ``lang`` translation, sorted.

    ``keys`` given: those of them missing from the catalog (e.g. every ``tr("...")`` literal
    found in the source). ``keys`` omitted: the ones ``tr`` was asked for and did not find.
    """
    lang = _check(lang)
    if keys is None:
        return sorted(_missing[lang])
    known = catalog(lang)
    return sorted({k for k in keys if k not in known}) if lang != "en" else []
