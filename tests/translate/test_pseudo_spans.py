"""The pseudo engine's kept spans: a linear scan, deciding as the expression it replaces did.

``\\{[^{}]*\\}|%(?:\\([^)]*\\))?[-+ #0]*\\d*(?:\\.\\d+)?[sdifr]|https?://\\S+|\\S+@\\S+\\.\\w+`` took quadratic
time on one long word (``\\S+@``) and on many ``%(`` without a ``)`` (issue 10); the scan must find
the same spans on generated short strings (where the expression is still cheap).
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.translate.pseudo import keep_spans, pseudo_localize

OLD = re.compile(r"\{[^{}]*\}|%(?:\([^)]*\))?[-+ #0]*\d*(?:\.\d+)?[sdifr]|https?://\S+|\S+@\S+\.\w+")
_PIECES = list("ab.@ {}%()-+#05sdx_:/é\t") + ["http://", "https://", "٣"]


@settings(max_examples=3000, deadline=None, database=None, derandomize=True)
@given(text=st.lists(st.sampled_from(_PIECES), max_size=16).map("".join))
def test_spans_as_the_expression_found_them(text: str) -> None:
    assert keep_spans(text) == [(m.start(), m.end()) for m in OLD.finditer(text)]


def test_what_is_kept() -> None:
    out = pseudo_localize("Write to ana@example.org, see https://x.org/a and {name} got %(count)d, %-5.2f")
    for kept in ("ana@example.org", "https://x.org/a", "{name}", "%(count)d", "%-5.2f"):
        assert kept in out
    assert "Ŵŕîţé" in out
