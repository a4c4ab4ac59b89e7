"""Fixtures for the whole suite."""
import pytest

import autograd.language as language


@pytest.fixture(autouse=True)
def english_around_each_test():
    """Every test starts in English (whatever SCALARGRAD_LANG says), and a test that switches
    the language cannot leak it into the next one."""
    before = language.get_language()
    language.set_language("en")
    yield
    language.set_language(before)
