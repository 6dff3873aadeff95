"""Regular expressions supplied by users (``[ingest] drop`` in ``show.toml``),
compiled with RE2.

A Python (backtracking) regular expression from a config file could take
exponential time on one line of a transcript — ``(a+)+$`` on a line of
``a``\\ s is enough.  RE2 (the ``google-re2`` package, Google's engine) matches
in time linear in the line, whatever the pattern; its syntax is Python's
without look-around (``(?=``, ``(?<=``) and back-references (``\\1``), the
two features that need backtracking.  A pattern RE2 cannot compile is a
:class:`ValueError` whose message says why.

RE2's ``\\d``, ``\\w`` and ``\\s`` are ASCII; write ``\\pL`` / ``\\p{Greek}`` for
letters of any script.  Patterns are limited to :data:`MAX_PATTERN_CHARS`
characters and :data:`MAX_PATTERNS` per show (RE2 also bounds the memory a
compiled pattern may take).
"""

from __future__ import annotations

from typing import Protocol

__all__ = ["Pattern", "compile_user", "MAX_PATTERN_CHARS", "MAX_PATTERNS"]

MAX_PATTERN_CHARS = 1000
MAX_PATTERNS = 100


class Pattern(Protocol):
    """What the readers use of a compiled pattern."""

    def search(self, text: str) -> object | None: ...


def compile_user(pattern: str) -> Pattern:
    """Compile a user's regular expression with RE2 (ValueError with the reason)."""
    if not isinstance(pattern, str):
        raise ValueError("must be a string")
    if len(pattern) > MAX_PATTERN_CHARS:
        raise ValueError(f"longer than {MAX_PATTERN_CHARS} characters")
    import re2  # google-re2 only when a show has drop rules (import time)

    options = re2.Options()
    options.log_errors = False  # the reason goes into our message, not to stderr
    try:
        return re2.compile(pattern, options)  # type: ignore[no-any-return]
    except re2.error as exc:
        reason = exc.args[0].decode("utf-8", "replace") if exc.args and isinstance(exc.args[0], bytes) \
            else str(exc)
        hint = ""
        if "(?<" in pattern or "(?=" in pattern or "(?!" in pattern or "\\" in pattern and any(
                f"\\{d}" in pattern for d in "123456789"):
            hint = " (drop rules use RE2 syntax: no look-around or back-references, which can take exponential time)"
        raise ValueError(f"{reason}{hint}") from None
