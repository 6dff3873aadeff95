"""Tokens, break penalties and line wrapping.

Text is cut into *tokens*: whitespace-separated words, except that Chinese and
Japanese characters (written without spaces) are one token each, so a line can
break between any two of them.  Every gap between two tokens gets a *break
penalty* from the Netflix/BBC line-breaking rules:

* best after a full stop, then after a comma, semicolon, colon or dash;
* good before a conjunction, then before a preposition;
* never (:data:`FORBID`) after an article, inside a name (a run of capitalised
  words, including connectors such as "Belt *and* Road Initiative"), between a
  number and the word after it ("98.99 million", "2,500 meters"), before closing
  or after opening punctuation;
* bad after a preposition, a conjunction or a subject pronoun, and before "not".

:func:`best_wrap` then picks the break with the lowest penalty plus a balance
term that prefers similar line lengths and, between two similar splits, the
bottom-heavy one.  Both line wrapping and the cue splitter in
:mod:`toolkit.segment.cues` use these penalties, so a cue is split where a line
would be.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

__all__ = ["Tokens", "tokenize", "FORBID", "best_wrap", "wrap_tokens", "wrap_text", "join_tokens"]

FORBID = 1000.0  # a break that breaks a rule; still possible when nothing else fits
BREAK_WEIGHT = 4.0  # penalty units → wrap cost
_LINE_COST = 50.0  # one more line, when the text needs more than max_lines anyway

_P_SENTENCE = 0.0
_P_CLAUSE = 1.0
_P_BEFORE_CONJ = 2.0
_P_BEFORE_PREP = 3.0
_P_PLAIN = 6.0
_P_AFTER_PRON = 9.0
_P_BEFORE_NOT = 10.0
_P_AFTER_FUNCTION = 12.0  # after a preposition / conjunction: keep it with its phrase
_P_BEFORE_DASH = 15.0  # a line that starts with a dash reads as a dialogue dash

# Han, kana, CJK punctuation and full-width forms: written without spaces.
# Hangul is not here: Korean separates words with spaces.
_CJK = re.compile(r"[\u3000-\u303f\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")
_SENT_END = set(".!?…。！？‼⁇⁈⁉")
_CLAUSE = set(",;:–—、，；：")
_CLOSING = set(")]}»”’\"'」』】〕）］｝〉》、。，！？；：.,;:!?…%")
_OPENING = set("([{«“‘\"'「『【〔（［｛〈《")
_QUOTES_AND_BRACKETS = "\"'”’»)]}」』】）"
_DASHES = frozenset(("-", "–", "—", "--"))
_STRIP = "\"'“”‘’«»()[]{}「」『』【】（）.,;:!?…。，、！？；："
_NUMBER = re.compile(r"^[$€£¥]?[0-9][0-9.,]*[%]?$")
_ABBREV = re.compile(
    r"^(?:[A-Za-z]\.){2,}$|^(?:Mr|Mrs|Ms|Dr|St|Prof|Sr|Jr|Gen|Gov|Rep|Sen|No|Nos|Vol|Fig|vs|approx|ca)\.$"
)

_WORDS: dict[str, dict[str, frozenset[str]]] = {
    "en": {
        "article": frozenset(
            "a an the this these those my your his her its our their whose every each "
            "no another such".split()
        ),
        "conj": frozenset(
            "and but or nor so yet because although though while whereas if unless "
            "that which who whom where when whether since until than as".split()
        ),
        "prep": frozenset(
            "of in on at to for with from by about into onto over under between through "
            "during after before across against among around behind beyond within "
            "without toward towards upon via per like including despite".split()
        ),
        "pron": frozenset("i we you he she they it".split()),
        "not": frozenset("not n't".split()),
        "connector": frozenset("and of the for de la del da di von van".split()),
    },
    "es": {
        "article": frozenset("el la los las un una unos unas lo este esta estos estas su sus mi mis".split()),
        "conj": frozenset("y e o u pero sino porque aunque que cuando si mientras como donde".split()),
        "prep": frozenset("a de en con por para sin sobre entre hasta desde hacia según durante".split()),
        "pron": frozenset(),
        "not": frozenset(),
        "connector": frozenset("y de del la los las".split()),
    },
    "fr": {
        "article": frozenset("le la les un une des du au aux ce cet cette ces son sa ses mon ma mes".split()),
        "conj": frozenset("et ou mais car donc que qui quand si comme lorsque puisque".split()),
        "prep": frozenset("à de en dans sur sous avec pour par sans entre vers chez depuis pendant".split()),
        "pron": frozenset("je tu il elle nous vous ils elles on".split()),
        "not": frozenset("pas".split()),
        "connector": frozenset("et de du la le des".split()),
    },
    "de": {
        "article": frozenset("der die das den dem des ein eine einen einem einer eines".split()),
        "conj": frozenset("und oder aber denn weil dass wenn als ob während obwohl".split()),
        "prep": frozenset("in an auf aus bei mit nach von zu für über unter vor zwischen durch gegen ohne".split()),
        "pron": frozenset("ich du er sie es wir ihr".split()),
        "not": frozenset("nicht".split()),
        "connector": frozenset("und von der des".split()),
    },
    "pt": {
        "article": frozenset("o a os as um uma uns umas este esta estes estas seu sua".split()),
        "conj": frozenset("e ou mas porque embora que quando se como".split()),
        "prep": frozenset("de em com por para sem sobre entre até desde no na nos nas do da dos das".split()),
        "pron": frozenset(),
        "not": frozenset(),
        "connector": frozenset("e de do da dos das".split()),
    },
    "it": {
        "article": frozenset("il lo la i gli le un uno una questo questa".split()),
        "conj": frozenset("e o ma perché che quando se come mentre".split()),
        "prep": frozenset("di a da in con su per tra fra".split()),
        "pron": frozenset(),
        "not": frozenset(),
        "connector": frozenset("e di del della".split()),
    },
}
_NO_WORDS: dict[str, frozenset[str]] = {
    k: frozenset() for k in ("article", "conj", "prep", "pron", "not", "connector")
}


@dataclass(frozen=True, slots=True)
class Tokens:
    """A text cut into tokens.

    ``space[i]`` is 1 when a space separates token ``i`` from token ``i-1``
    (always 0 for the first).  ``penalty[i]`` is the penalty of a line or cue
    break *before* token ``i`` (``penalty[0]`` is unused).  ``prefix[i]`` is
    the width of tokens ``0..i-1`` counting every separating space, so
    :meth:`width` is O(1).
    """

    text: tuple[str, ...]
    space: tuple[int, ...]
    penalty: tuple[float, ...]
    prefix: tuple[int, ...]

    def __len__(self) -> int:
        return len(self.text)

    def width(self, i: int, j: int) -> int:
        """Characters of tokens ``i..j-1`` on one line."""
        return self.prefix[j] - self.prefix[i] - self.space[i]

    def join(self, i: int, j: int) -> str:
        return join_tokens(self.text[i:j], self.space[i:j])


def join_tokens(text: Sequence[str], space: Sequence[int]) -> str:
    """Tokens on one line (the first token's leading space dropped)."""
    if space.count(1) >= len(space) - 1:  # a space before every token after the first (no CJK run)
        return " ".join(text)
    parts: list[str] = []
    for k, (tok, sp) in enumerate(zip(text, space)):
        if sp and k:
            parts.append(" ")
        parts.append(tok)
    return "".join(parts)


def _split_chunk(chunk: str) -> list[str]:
    """Split one whitespace-free chunk so that each CJK character stands alone."""
    if not _CJK.search(chunk):
        return [chunk]
    out: list[str] = []
    run = ""
    for ch in chunk:
        if _CJK.match(ch):
            if run:
                out.append(run)
                run = ""
            out.append(ch)
        else:
            run += ch
    if run:
        out.append(run)
    return out


def _words(lang: str | None) -> dict[str, frozenset[str]]:
    base = (lang or "en").replace("_", "-").split("-")[0].lower()
    return _WORDS.get(base, _NO_WORDS)


def _capitalised(tok: str) -> bool:
    core = tok.lstrip(_STRIP)
    return bool(core) and core[0].isupper()


def tokenize(text: str, *, lang: str | None = None) -> Tokens:
    """Cut ``text`` into tokens and score every possible break (see module doc)."""
    toks, space = _cut(unicodedata.normalize("NFC", text))
    return _scored(toks, space, _prefix(toks, space), lang)


def _cut(text: str) -> tuple[list[str], list[int]]:
    """The tokens of NFC ``text`` and whether a space precedes each (never the first)."""
    toks: list[str] = []
    space: list[int] = []
    if _CJK.search(text):
        for chunk in text.split():
            for k, piece in enumerate(_split_chunk(chunk)):
                toks.append(piece)
                space.append(1 if k == 0 else 0)
    else:
        toks = text.split()
        space = [1] * len(toks)
    if space:
        space[0] = 0  # no space before the first token
    return toks, space


def _prefix(toks: Sequence[str], space: Sequence[int]) -> list[int]:
    """:attr:`Tokens.prefix`: the width of tokens ``0..i-1`` with their spaces."""
    prefix = [0] * (len(toks) + 1)
    acc = 0
    for i, t in enumerate(toks):
        acc += len(t) + space[i]
        prefix[i + 1] = acc
    return prefix


def _scored(toks: list[str], space: list[int], prefix: list[int], lang: str | None) -> Tokens:
    pen = _penalties(toks, space, _words(lang)) if len(toks) > 1 else [0.0] * len(toks)
    return Tokens(tuple(toks), tuple(space), tuple(pen), tuple(prefix))


def _is_cjk(tok: str) -> bool:
    return len(tok) == 1 and bool(_CJK.match(tok))


class _Features(NamedTuple):
    """What the break rules look at, per token."""

    cores: tuple[str, ...]  # lower case, punctuation stripped
    caps: tuple[bool, ...]
    cjk: tuple[bool, ...]
    closing: tuple[bool, ...]  # only closing punctuation
    opening: tuple[bool, ...]  # only opening punctuation
    abbrev: tuple[bool, ...]  # an abbreviation ending in "."
    tail: tuple[str, ...]  # the last character before closing quotes and brackets
    number: tuple[bool, ...]


@lru_cache(maxsize=1 << 16)
def _token_features(t: str) -> tuple[str, bool, bool, bool, bool, bool, str, bool]:
    """One token's :class:`_Features` (cached: a transcript's words repeat, Zipf's law)."""
    return (
        t.strip(_STRIP).lower(),
        _capitalised(t),
        _is_cjk(t),
        all(ch in _CLOSING for ch in t),
        all(ch in _OPENING for ch in t),
        t[-1] == "." and bool(_ABBREV.match(t)),
        (t.rstrip(_QUOTES_AND_BRACKETS) or t)[-1],
        (t[0].isdigit() or t[0] in "$€£¥") and bool(_NUMBER.match(t)),
    )


def _features(toks: list[str]) -> _Features:
    """The features of ``toks`` (at least one), one tuple per feature."""
    return _Features(*zip(*map(_token_features, toks), strict=True))


def _penalties(toks: list[str], space: list[int], words: dict[str, frozenset[str]]) -> list[float]:
    """Penalty of a break before each token (see the module doc for the rules)."""
    feats = _features(toks)
    return [0.0] + [_penalty_at(i, toks, space, feats, words) for i in range(1, len(toks))]


def _penalty_at(i: int, toks: Sequence[str], space: Sequence[int], feats: _Features,
                words: dict[str, frozenset[str]]) -> float:
    """Penalty of a break before token ``i`` (``i >= 1``)."""
    cores, caps, cjk, closing, opening, abbrev, tail, number = feats
    prev, cur = toks[i - 1], toks[i]
    # Punctuation that must stay with its neighbour (kinsoku for CJK too).
    if closing[i] or opening[i - 1]:
        return FORBID
    if not abbrev[i - 1] and tail[i - 1] in _SENT_END:
        return _P_SENTENCE
    if not abbrev[i - 1] and tail[i - 1] in _CLAUSE or prev in _DASHES:
        return _P_CLAUSE
    if cur[0] in "-–—" and not cjk[i]:
        return _P_BEFORE_DASH
    # A number and the word that follows it ("98.99 million", "2,500 meters").
    ccore = cores[i]
    if number[i - 1] and ccore[:1].isalpha() and ccore[:1].islower():
        return FORBID
    # Names: runs of capitalised words ("Xi Jinping", "Sanhe Village"), with
    # connectors between capitalised words ("Belt and Road Initiative").
    if space[i] and not cjk[i - 1] and not cjk[i] and _inside_name(i, caps, cores, tail, words["connector"]):
        return FORBID
    return _word_penalty(cores[i - 1], ccore, words)


def _inside_name(i: int, caps: Sequence[bool], cores: Sequence[str], tail: Sequence[str], conn: frozenset[str]) -> bool:
    """A break before token ``i`` would cut a name: a run of capitalised words, or a
    connector between capitalised words ("Belt and Road Initiative")."""
    pcore, ccore = cores[i - 1], cores[i]
    if caps[i - 1] and caps[i] and pcore and ccore:
        return True
    if caps[i - 1] and ccore in conn and not caps[i] and i + 1 < len(caps) and caps[i + 1]:
        return True
    return (pcore in conn and not caps[i - 1] and caps[i] and i >= 2 and caps[i - 2]
            and tail[i - 2] not in _SENT_END and tail[i - 2] not in _CLAUSE)


def _word_penalty(pcore: str, ccore: str, words: dict[str, frozenset[str]]) -> float:
    """Penalty of a break between two plain words, from the function words around it."""
    if pcore in words["article"]:
        return FORBID
    if ccore in words["not"]:
        return _P_BEFORE_NOT
    if pcore in words["conj"] or pcore in words["prep"]:
        return _P_AFTER_FUNCTION
    if pcore in words["pron"]:
        return _P_AFTER_PRON
    if ccore in words["conj"]:
        return _P_BEFORE_CONJ
    if ccore in words["prep"]:
        return _P_BEFORE_PREP
    return _P_PLAIN


def best_wrap(tokens: Tokens, i: int, j: int, max_chars: int) -> tuple[float, int | None]:
    """Best way to show tokens ``i..j-1`` on at most two lines of ``max_chars``.

    Returns ``(cost, k)``: ``k`` is None for one line (cost 0), else the index
    of the first token of the second line.  ``cost`` is ``inf`` when the tokens
    do not fit on two lines.
    """
    prefix, space = tokens.prefix, tokens.space
    first = prefix[i] + space[i]  # width(i, k) = prefix[k] - first
    if prefix[j] - first <= max_chars:
        return 0.0, None
    pen = tokens.penalty
    return _best_split(prefix, space, i, j, max_chars, lambda k: pen[k])


def _best_split(prefix: Sequence[int], space: Sequence[int], i: int, j: int, max_chars: int,
                penalty: Callable[[int], float]) -> tuple[float, int | None]:
    """:func:`best_wrap` for text wider than one line, with the break penalty of each
    candidate from ``penalty(k)`` (only candidates are scored)."""
    first = prefix[i] + space[i]
    end_w = prefix[j]
    # Candidate k: first line fits (prefix[k] <= first + max) and second line
    # fits (prefix[k] + space[k] >= end - max); bisect narrows the scan.
    lo = bisect_left(prefix, end_w - max_chars - 1, i + 1, j)
    hi = bisect_right(prefix, first + max_chars, i + 1, j)
    best, best_k = float("inf"), None
    scale = 42.0 / max_chars if max_chars > 0 else 42.0
    for k in range(lo, hi):
        pk = prefix[k]
        w2 = end_w - pk - space[k]
        if w2 > max_chars:
            continue
        d = (pk - first - w2) * scale
        # Similar lengths are best; a top line longer than the bottom one costs
        # twice as much (Netflix and BBC prefer a bottom-heavy pyramid).
        cost = penalty(k) * BREAK_WEIGHT + (0.02 if d > 0 else 0.01) * d * d
        if cost < best:
            best, best_k = cost, k
    return best, best_k


def wrap_text(text: str, *, lang: str | None, max_chars: int, max_lines: int) -> tuple[str, ...]:
    """``text`` as lines: ``wrap_tokens`` over ``tokenize(text)``, joined.

    The common cases take a short cut with the same result: text that fits one
    line is not scored at all, and text that fits two lines scores only the
    breaks that could be chosen (a published catalogue re-wraps every cue of
    every language for SRT)."""
    toks, space = _cut(unicodedata.normalize("NFC", text))
    n = len(toks)
    prefix = _prefix(toks, space)
    if n and prefix[n] <= max_chars:
        return (join_tokens(toks, space),)
    if n > 1 and max_lines >= 2:
        feats, words = _features(toks), _words(lang)
        cost, k = _best_split(prefix, space, 0, n, max_chars, lambda i: _penalty_at(i, toks, space, feats, words))
        if k is not None and cost < FORBID * BREAK_WEIGHT:
            return join_tokens(toks[:k], space[:k]), join_tokens(toks[k:], space[k:])
    tokens = _scored(toks, space, prefix, lang)
    return tuple(tokens.join(a, b) for a, b in wrap_tokens(tokens, 0, n, max_chars, max_lines))


def wrap_tokens(tokens: Tokens, i: int, j: int, max_chars: int, max_lines: int) -> list[tuple[int, int]]:
    """Split tokens ``i..j-1`` into lines; returns ``[(start, end), ...]``.

    Uses :func:`best_wrap` when two lines are allowed and enough.  Otherwise
    (more lines allowed, or the text does not fit) a dynamic programme finds
    the fewest lines of at most ``max_chars`` with the lowest break penalty; a
    single token wider than ``max_chars`` gets a line of its own.  The result can
    have more than ``max_lines`` lines when the text does not fit: QC reports it.
    """
    if j <= i:
        return []
    if tokens.width(i, j) <= max_chars:
        return [(i, j)]
    if max_lines >= 2:
        cost, k = best_wrap(tokens, i, j, max_chars)
        if k is not None and cost < FORBID * BREAK_WEIGHT:
            return [(i, k), (k, j)]
        two = (cost, k)
    else:
        two = (float("inf"), None)
    # General case: a DP over break positions that first keeps to
    # ``max_lines`` when that is possible at all, then minimises break penalties plus a cost per line (smaller
    # than a forbidden break: once the text cannot fit anyway, an extra line is
    # better than cutting a name).  A token wider than ``max_chars`` gets a line
    # of its own.
    inf = float("inf")
    best: list[tuple[int, float]] = [(0, 0.0)] + [(10**9, inf)] * (j - i)
    lines_at = [0] * (j - i + 1)
    back = [0] * (j - i + 1)
    for b in range(i + 1, j + 1):
        for a in range(b - 1, i - 1, -1):
            if tokens.width(a, b) > max_chars and a != b - 1:
                break
            over, pen = best[a - i]
            if over >= 10**9:
                continue
            lines = lines_at[a - i] + 1
            cand = (1 if over or lines > max_lines else 0,
                    pen + _LINE_COST + (tokens.penalty[a] if a > i else 0.0))
            if cand < best[b - i]:
                best[b - i] = cand
                back[b - i] = a
                lines_at[b - i] = lines
    spans: list[tuple[int, int]] = []
    b = j
    while b > i:
        a = back[b - i]
        spans.append((a, b))
        b = a
    spans.reverse()
    if len(spans) == 2 and two[1] is not None:
        # Two lines either way: prefer the balanced choice from best_wrap.
        k = two[1]
        return [(i, k), (k, j)]
    return spans
