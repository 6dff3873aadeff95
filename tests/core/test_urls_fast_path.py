"""The URL policy's one-match fast path for plain ASCII (toolkit.urls) decides
exactly as the per-character check does, on any text."""

from __future__ import annotations

import string

from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit import urls

_ASCII = st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=127), max_size=60)
_MIXED = st.text(alphabet=st.sampled_from(string.printable + "\u00e9\u200b\u202e\u2028\ufeff\U0001f600\x7f\x85"),
                 max_size=60)


@settings(max_examples=400, deadline=None)
@given(st.one_of(_ASCII, _MIXED, st.text(max_size=40)))
def test_fast_path_agrees_with_the_character_scan(value: str) -> None:
    assert urls._characters(value) == urls._each_character(value)


def test_every_ascii_character_is_judged_alike() -> None:
    for code in range(128):
        ch = chr(code)
        assert urls._characters(f"https://example.org/a{ch}b") == urls._each_character(f"https://example.org/a{ch}b"), \
            repr(ch)
    assert urls.page_url_problem("../es/index.html") is None
    assert urls.page_url_problem("a b") == "contains whitespace"
    assert urls.page_url_problem("a\"b") == "contains a quote (\")"
    assert urls.page_url_problem("x" * (urls.MAX_LENGTH + 1)) == f"longer than {urls.MAX_LENGTH} characters"
