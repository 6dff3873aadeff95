"""Map whole translated sentences back onto the source cues.

Cues and sentences are many-to-many: a cue may show several short sentences
and a long sentence may run over several cues (:attr:`Cue.sentences`).  The
connected components of that relation are *units*; a unit's translated
sentences are joined and the text is split over the unit's cues in proportion
to the source cues' lengths, at word boundaries (between characters for
languages written without spaces, never putting closing punctuation at the
start of a cue).  Cue ids, timings, speakers and chapters are kept exactly.
Joining a unit's cue texts gives back the unit's translated text (modulo
whitespace): nothing is lost or duplicated.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..model import Cue

# Languages written without spaces between words.
NO_SPACE_LANGS = frozenset({"zh", "ja", "th", "lo", "km", "my", "bo"})
# Characters that must not start a line/cue (closing punctuation, CJK small kana-ish marks).
_NO_START = set(".,;:!?)]}»”’、。，．！？：；）」』】〉》〕…‥ー々ゝゞぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ%")
# ... and must not end one (opening punctuation).
_NO_END = set("([{«“‘「『【〈《〔¿¡")
_SPACE_RE = re.compile(r"\s+")
_CLAUSE = re.compile(r"(?<=[,;:—–)\]，、；：])\s+")


@dataclass(frozen=True)
class Unit:
    """Cues (indices into the cue list) and the sentences they show, both ascending."""

    cues: tuple[int, ...]
    sentences: tuple[int, ...]


def units(cues: Sequence[Cue]) -> list[Unit]:
    """Connected components of cue ↔ sentence, in cue order.  A cue without
    sentences is a unit of its own (its own text is translated)."""
    parent = list(range(len(cues)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[int, int] = {}
    for ci, cue in enumerate(cues):
        for s in cue.sentences:
            if s in owner:
                a, b = find(owner[s]), find(ci)
                if a != b:
                    parent[max(a, b)] = min(a, b)
            else:
                owner[s] = ci
    groups: dict[int, list[int]] = {}
    for ci in range(len(cues)):
        groups.setdefault(find(ci), []).append(ci)
    out = []
    for members in sorted(groups.values()):
        sents = sorted({s for ci in members for s in cues[ci].sentences})
        out.append(Unit(tuple(members), tuple(sents)))
    return out


def no_spaces(lang: str) -> bool:
    """True for languages written without spaces between words."""
    return lang.split("-")[0].lower() in NO_SPACE_LANGS


def join_sentences(texts: Sequence[str], lang: str) -> str:
    """Join translated sentences of one unit (no space for CJK/Thai)."""
    sep = "" if no_spaces(lang) else " "
    return sep.join(t.strip() for t in texts if t.strip())


def _tokens(text: str, lang: str) -> tuple[list[str], str]:
    """Tokens to split between, and the separator that rebuilds the text."""
    words = text.split()
    if no_spaces(lang) or (len(words) <= 1 and len(text) > 1 and not text.isascii()):
        # Between characters; keep punctuation glued so no cue starts with it.
        flat = "".join(words) if no_spaces(lang) else text.strip()
        toks: list[str] = []
        for ch in flat:
            if toks and (ch in _NO_START or toks[-1][-1] in _NO_END or ch.isspace()):
                toks[-1] += ch
            else:
                toks.append(ch)
        return toks, ""
    return words, " "


def split_text(text: str, weights: Sequence[float], lang: str) -> list[str]:
    """Split ``text`` into ``len(weights)`` parts proportional to ``weights``
    at word (or character) boundaries.  Parts are empty only when there are
    fewer words than parts."""
    n = len(weights)
    if n == 0:
        return []
    if n == 1:
        return [text.strip()]
    toks, sep = _tokens(text, lang)
    m = len(toks)
    if m == 0:
        return [""] * n
    w = [max(float(x), 1e-9) for x in weights]
    total_w = sum(w)
    # cumulative length after each token
    cum: list[int] = []
    acc = 0
    for i, t in enumerate(toks):
        acc += len(t) + (len(sep) if i else 0)
        cum.append(acc)
    total = cum[-1]
    bounds: list[int] = []  # bounds[k] = number of tokens in parts 0..k
    prev = 0
    run = 0.0
    for k in range(n - 1):
        run += w[k]
        target = total * run / total_w
        lo = prev + 1 if m - prev >= n - k else prev  # leave a token for every later part when possible
        hi = m - (n - 1 - k) if m >= n else m
        hi = max(hi, lo)
        best = lo
        best_d = float("inf")
        for j in range(lo, hi + 1):
            d = abs((cum[j - 1] if j else 0) - target)
            if d < best_d:
                best, best_d = j, d
        bounds.append(best)
        prev = best
    bounds.append(m)
    parts = []
    start = 0
    for b in bounds:
        parts.append(sep.join(toks[start:b]).strip())
        start = b
    return parts


def cue_weights(cues: Sequence[Cue]) -> list[float]:
    """Source text length of each cue (at least 1)."""
    return [max(1, len(c.text)) for c in cues]


def squash(text: str) -> str:
    """Text with all whitespace removed (for 'nothing lost' comparisons)."""
    return _SPACE_RE.sub("", text)


def split_long(text: str, encode: Callable[[str], list[str]], limit: int) -> list[tuple[str, str]]:
    """Split ``text`` into chunks of at most ``limit`` tokens: at clause
    punctuation first, then between words, then between characters (CJK).
    Returns (chunk, joiner) pairs, the joiner going *before* the chunk when
    the translations are reassembled ("" for the first); nothing is dropped."""
    if len(encode(text)) <= limit:
        return [(text, "")]
    splitters: tuple[tuple[Callable[[str], list[str]], str], ...] = (
        (_CLAUSE.split, " "), (str.split, " "), (list, ""))
    for splitter, joiner in splitters:
        parts = [p for p in splitter(text) if p]
        if len(parts) < 2:
            continue
        groups: list[str] = []
        current = ""
        for part in parts:
            candidate = part if not current else current + joiner + part
            if current and len(encode(candidate)) > limit:
                groups.append(current)
                current = part
            else:
                current = candidate
        groups.append(current)
        out: list[tuple[str, str]] = []
        for i, group in enumerate(groups):
            sub = split_long(group, encode, limit)  # a single over-long part splits further
            sub[0] = (sub[0][0], joiner if i else "")
            out.extend(sub)
        return out
    return [(text, "")]
