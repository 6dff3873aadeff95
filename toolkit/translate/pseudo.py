"""Pseudo-localization: a deterministic fake "translation" for layout testing.

``Hello world`` → ``[Ĥéļļö ŵöŕļð ····]``: letters get accents, the text grows
by at least 35 % (the padding dots), and the brackets show where a string was
cut.  Digits, punctuation, ``{placeholders}``, ``%s``-style formats and URLs are
kept verbatim.  It is *not* a translation: it is published only under its own
code, ``qps-ploc`` (:data:`toolkit.langs.PSEUDO`; a real language with this
engine is a config error), the language build is marked ``pseudo=True``, pages
label it a layout test and listeners are not offered it (``offer_pseudo``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from .engine import Engine
from .registry import register

_MAP = str.maketrans(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "àƀçðéƒĝĥîĵķļɱñöþǫŕšţûṽŵẋýžÀƁÇÐÉƑĜĤÎĴĶĻṀÑÖÞǪŔŠŢÛṼŴẊÝŽ",
)
_FLAGS = "-+ #0"
_CONVERSIONS = "sdifr"
GROWTH = 0.35
_PAD_WORD = 6  # dots per padding "word"
VERSION = "2"


def pseudo_localize(text: str) -> str:
    """Pseudo-localize one string (empty stays empty)."""
    if not text.strip():
        return text
    out: list[str] = []
    pos = 0
    for start, end in keep_spans(text):
        out.append(text[pos:start].translate(_MAP))
        out.append(text[start:end])
        pos = end
    out.append(text[pos:].translate(_MAP))
    body = "".join(out)
    # padding in word-sized groups: real translations grow by more *words*, which a
    # layout can wrap; one unbreakable run of dots would make overlong lines no
    # real text produces (62-character SRT lines in the demo before this)
    dots = max(1, math.ceil(len(text) * GROWTH))
    pad = " ".join("·" * min(_PAD_WORD, dots - i) for i in range(0, dots, _PAD_WORD))
    return f"[{body} {pad}]"


class _Scan:
    """Memoised forward searches over one text (each stretch searched once per needle)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.memo: dict[str, tuple[int, int]] = {}
        self.token: tuple[int, int] = (0, -1)  # (from, end of the non-space run)
        self.emails: dict[int, tuple[int, int]] = {}  # token end -> (last usable "@", end of the address)

    def find(self, needle: str, start: int) -> int:
        got = self.memo.get(needle)
        if got is not None and got[0] <= start and (got[1] < 0 or start <= got[1]):
            return got[1]
        found = self.text.find(needle, start)
        self.memo[needle] = (start, found)
        return found

    def token_end(self, start: int) -> int:
        if self.token[0] <= start <= self.token[1]:
            return self.token[1]
        end = start
        while end < len(self.text) and not self.text[end].isspace():
            end += 1
        self.token = (start, end)
        return end

    def email(self, start: int, end: int) -> tuple[int, int]:
        """For the token ending at ``end`` (scanned from ``start``): the last "@"
        an address can use, and where that address ends (-1, -1: none)."""
        if end in self.emails:
            return self.emails[end]
        text = self.text
        last_dot = -1  # the last "." followed by a word character
        for r in range(end - 2, start - 1, -1):
            if text[r] == "." and (text[r + 1].isalnum() or text[r + 1] == "_"):
                last_dot = r
                break
        result = (-1, -1)
        if last_dot - 1 > start:  # an "@" before it, with a character between the two
            at = text.rfind("@", start, last_dot - 1)
            if at >= 0:
                stop = last_dot + 1
                while stop < end and (text[stop].isalnum() or text[stop] == "_"):
                    stop += 1
                result = (at, stop)
        self.emails[end] = result
        return result


def _printf(text: str, i: int, scan: _Scan) -> int:
    """End of a printf format (``%s``, ``%(name)d``, ``%-5.2f``) at ``i``, or -1."""
    n = len(text)
    j = i + 1
    if j < n and text[j] == "(":
        close = scan.find(")", j + 1)
        if close < 0:
            return -1
        j = close + 1
    while j < n and text[j] in _FLAGS:
        j += 1
    while j < n and text[j].isdecimal():
        j += 1
    if j + 1 < n and text[j] == "." and text[j + 1].isdecimal():
        j += 1
        while j < n and text[j].isdecimal():
            j += 1
    return j + 1 if j < n and text[j] in _CONVERSIONS else -1


def keep_spans(text: str) -> list[tuple[int, int]]:
    """The spans kept verbatim, left to right: ``{placeholders}``, printf
    formats, ``http(s)://`` URLs, e-mail addresses — what the regular expression
    ``\\{[^{}]*\\}|%(?:\\([^)]*\\))?[-+ #0]*\\d*(?:\\.\\d+)?[sdifr]|https?://\\S+|\\S+@\\S+\\.\\w+``
    found, in linear time (that expression took quadratic time on a long word,
    or on many ``%(`` without a ``)``)."""
    scan = _Scan(text)
    spans: list[tuple[int, int]] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        end = -1
        if ch == "{":
            close, opener = scan.find("}", i + 1), scan.find("{", i + 1)
            if close >= 0 and (opener < 0 or opener > close):
                end = close + 1
        elif ch == "%":
            end = _printf(text, i, scan)
        if end < 0 and not ch.isspace():
            if text.startswith(("http://", "https://"), i):
                head = i + (7 if text.startswith("http://", i) else 8)
                if head < n and not text[head].isspace():
                    end = scan.token_end(head)
            if end < 0:
                token_end = scan.token_end(i)
                at, stop = scan.email(i, token_end)
                if at >= i + 1:
                    end = stop
        if end > i:
            spans.append((i, end))
            i = end
        else:
            i += 1
    return spans


@register
class PseudoEngine(Engine):
    """The ``pseudo`` engine: any source → any target, no model."""

    name = "pseudo"
    machine = False

    def available(self, src: str, tgt: str) -> bool:
        return True

    def install_hint(self, src: str, tgt: str) -> str:
        return "always available"

    def model_version(self, src: str, tgt: str) -> str:
        return VERSION

    def label(self, src: str, tgt: str) -> str:
        return "pseudo-localization (not a translation)"

    def placeholder(self, n: int) -> str:
        return f"{{ZQX{n}}}"  # a {placeholder}: kept verbatim

    def translate_batch(self, sentences: Sequence[str], src: str, tgt: str) -> list[str]:
        return [pseudo_localize(s) for s in sentences]
