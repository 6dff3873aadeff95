"""Pseudo-localization: a deterministic fake "translation" for layout testing.

``Hello world`` → ``[Ĥéļļö ŵöŕļð ····]``: letters get accents, the text grows
by at least 35 % (the padding dots), and the brackets show where a string was
cut.  Digits, punctuation, ``{placeholders}``, ``%s``-style formats and URLs are
kept verbatim.  It is *not* a translation: the language build is marked
``pseudo=True`` and pages label it so.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from .engine import Engine

_MAP = str.maketrans(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "àƀçðéƒĝĥîĵķļɱñöþǫŕšţûṽŵẋýžÀƁÇÐÉƑĜĤÎĴĶĻṀÑÖÞǪŔŠŢÛṼŴẊÝŽ",
)
# Spans kept verbatim: {placeholders}, printf formats, URLs, e-mail addresses.
_KEEP = re.compile(r"\{[^{}]*\}|%(?:\([^)]*\))?[-+ #0]*\d*(?:\.\d+)?[sdifr]|https?://\S+|\S+@\S+\.\w+")
GROWTH = 0.35
_PAD_WORD = 6  # dots per padding "word"
VERSION = "2"


def pseudo_localize(text: str) -> str:
    """Pseudo-localize one string (empty stays empty)."""
    if not text.strip():
        return text
    out: list[str] = []
    pos = 0
    for m in _KEEP.finditer(text):
        out.append(text[pos:m.start()].translate(_MAP))
        out.append(m.group(0))
        pos = m.end()
    out.append(text[pos:].translate(_MAP))
    body = "".join(out)
    # padding in word-sized groups: real translations grow by more *words*, which a
    # layout can wrap; one unbreakable run of dots would make overlong lines no
    # real text produces (62-character SRT lines in the demo before this)
    dots = max(1, math.ceil(len(text) * GROWTH))
    pad = " ".join("·" * min(_PAD_WORD, dots - i) for i in range(0, dots, _PAD_WORD))
    return f"[{body} {pad}]"


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

    def translate_batch(self, sentences: Sequence[str], src: str, tgt: str) -> list[str]:
        return [pseudo_localize(s) for s in sentences]
