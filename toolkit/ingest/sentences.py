"""Sentence splitter for transcript paragraphs.

The splitter only ever cuts at a space of the whitespace-normalised paragraph,
so joining its output with single spaces gives the paragraph back exactly — no
text can be lost or duplicated (a property test checks this).  Where to cut is
decided from the token before the space and the token after it:

* the token before must end in ``.``, ``?``, ``!``, ``…`` (optionally followed
  by closing quotes or brackets: ``diverse.”``);
* the token after must *start* a sentence: an upper-case letter or digit,
  possibly behind opening quotes/brackets (``“We’ll``).  A lone closing quote
  (``detail. ”``, a space typed before the quote) never starts a sentence, so
  it stays with the sentence it closes (and the cut comes after it);
* ``.`` after an abbreviation does not end a sentence: titles (``Mr.``,
  ``Dr.``, ``St.``), ``e.g.``/``i.e.``/``vs.``, number prefixes before a number
  (``No. 1``, ``Vol. 2``, ``Jan. 5``), dotted upper-case initialisms
  (``U.S.``, ``U.N.``) and single initials (``John F. Kennedy``).

Scripts written without spaces (Chinese, Japanese) are also cut right after a
full-width sentence end — ``。``, ``！``, ``？`` (and ``.!?`` between CJK
characters), with any closing quotes or brackets (``」』”）``) after it — with
no space there and none inserted: :func:`sentence_spans` gives the offsets,
and :func:`join_sentences` puts sentences back together with a space only
where the text had one.

Quote balance is deliberately *not* tracked: real transcripts have unbalanced
quotes (a quote opened and never closed), and tracking them would glue the
rest of the paragraph into one sentence.  Numbers (``3.7``, ``2,500``,
``650%``) need no rule because they contain no space.
"""

from __future__ import annotations

__all__ = ["split_sentences", "sentence_spans", "join_sentences", "normalize_space", "is_cjk",
           "NEVER_SPLIT_AFTER", "SPLIT_UNLESS_NUMBER"]

_CLOSERS = "\"'”’»›)]}」』）】〕〉》"
_CJK_TERMINALS = "。！？｡"
_OPENERS = "\"'“‘„«‹([{¿¡"
_TERMINALS = ".?!…‽"

#: Abbreviations after which a full stop never ends a sentence (lower case,
#: without the final dot).
NEVER_SPLIT_AFTER: frozenset[str] = frozenset(
    {
        "mr", "mrs", "ms", "mx", "dr", "prof", "st", "sr", "rev", "fr", "hon",
        "gen", "sen", "rep", "gov", "pres", "capt", "lt", "col", "sgt", "cmdr", "adm",
        "mt", "ft", "messrs", "mme", "mlle",
        "e.g", "i.e", "cf", "vs", "viz", "approx", "ca",
    }
)  # fmt: skip

#: Abbreviations that do not end a sentence when a number follows (``No. 1``).
SPLIT_UNLESS_NUMBER: frozenset[str] = frozenset(
    {
        "no", "nos", "nr", "vol", "vols", "p", "pp", "fig", "figs", "art", "ch", "sec", "op",
        "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    }
)  # fmt: skip



def _upper_initialism(word: str) -> bool:
    """``U.S`` / ``U.N.E.S.C.O``: single capitals A–Z joined by dots (the final dot gone)."""
    return len(word) >= 3 and len(word) % 2 == 1 and all(
        ("A" <= ch <= "Z") if k % 2 == 0 else ch == "." for k, ch in enumerate(word))


def normalize_space(text: str) -> str:
    """Collapse every run of whitespace to one space and trim the ends."""
    return " ".join(text.split())


def _starts_sentence(rest: str) -> bool:
    """Does the text after a space start a new sentence?"""
    i = 0
    while i < len(rest) and (rest[i] in _OPENERS or rest[i] == " "):
        i += 1
    if i == len(rest):
        return False
    ch = rest[i]
    return ch.isupper() or ch.isdigit() or (ch.isalpha() and not ch.islower())


def _ends_sentence(token: str, following: str) -> bool:
    """Does ``token`` (the text before a space) end a sentence?"""
    core = token.rstrip(_CLOSERS + " ")
    if not core or core[-1] not in _TERMINALS:
        return False
    if core[-1] != "." or core.endswith(".."):
        return True  # ? ! … or an ASCII ellipsis
    word = core[:-1].lstrip(_OPENERS)
    if not word:
        return False  # a lone "." token
    lower = word.lower()
    if lower in NEVER_SPLIT_AFTER:
        return False
    if lower in SPLIT_UNLESS_NUMBER and following[:1].isdigit():
        return False
    if _upper_initialism(word):
        return False  # U.S. / U.N.
    if len(word) == 1 and word.isupper() and word != "I":
        return False  # an initial: "John F. Kennedy"
    return True


def is_cjk(ch: str) -> bool:
    """Is ``ch`` a character of a script written without spaces (Han, kana,
    Hangul syllables count as such here too, full-width punctuation)?"""
    o = ord(ch)
    return (0x3000 <= o <= 0x30FF or 0x3400 <= o <= 0x4DBF or 0x4E00 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF
            or 0xFF00 <= o <= 0xFFEF or 0x20000 <= o <= 0x2FA1F)


def _cjk_cuts(text: str) -> list[int]:
    """Offsets where a CJK sentence ends without a space after it."""
    cuts: list[int] = []
    n = len(text)
    i = 0
    while i < n:
        ch = text[i]
        cjk_end = ch in _CJK_TERMINALS or (ch in "!?." and i > 0 and is_cjk(text[i - 1]))
        if not cjk_end:
            i += 1
            continue
        j = i + 1
        while j < n and (text[j] in _CJK_TERMINALS or text[j] in "!?"):
            j += 1  # "！？" / "？！" belong together
        while j < n and text[j] in _CLOSERS:
            j += 1
        if 0 < j < n and is_cjk(text[j]) and is_cjk(text[j - 1]):
            cuts.append(j)
        i = j
    return cuts


def sentence_spans(paragraph: str) -> tuple[str, list[tuple[int, int]]]:
    """The whitespace-normalised paragraph and the ``(start, end)`` offsets of
    its sentences in it (see the module doc for the rules)."""
    text = normalize_space(paragraph)
    if not text:
        return text, []
    cuts: list[tuple[int, int]] = []  # (end of a sentence, start of the next)
    pos = text.find(" ")
    while pos >= 0:
        begin = text.rfind(" ", 0, pos) + 1
        if begin > 0 and not text[begin:pos].strip(_CLOSERS):
            # A lone closing quote ("detail. ” Next"): judge the word before it.
            begin = text.rfind(" ", 0, begin - 1) + 1
        token = text[begin:pos]
        following = text[pos + 1 : pos + 40]  # enough to see past opening quotes
        if (_ends_sentence(token, following) or token.rstrip(_CLOSERS)[-1:] in _CJK_TERMINALS) \
                and _starts_sentence(following):
            cuts.append((pos, pos + 1))
        pos = text.find(" ", pos + 1)
    cuts.extend((c, c) for c in _cjk_cuts(text))
    cuts.sort()
    spans: list[tuple[int, int]] = []
    start = 0
    for end, nxt in cuts:
        if end > start:
            spans.append((start, end))
            start = nxt
    spans.append((start, len(text)))
    return text, spans


def split_sentences(paragraph: str) -> list[str]:
    """Split a paragraph into sentences (see the module doc for the rules).

    ``join_sentences(split_sentences(p)) == normalize_space(p)`` (for text with
    spaces between sentences that is ``" ".join``; a space typed between two
    CJK sentences is the one thing not kept); an empty or blank paragraph
    gives an empty list.
    """
    text, spans = sentence_spans(paragraph)
    return [text[a:b] for a, b in spans]


def join_sentences(sentences: list[str] | tuple[str, ...]) -> str:
    """Sentences back into one text: a space between two sentences, except
    between two characters of a script written without spaces (as the
    segmenter joins them), so ``join_sentences(split_sentences(p))`` is
    ``normalize_space(p)`` — less any space typed between two CJK sentences."""
    out = ""
    for sentence in sentences:
        if out and sentence and not (is_cjk(out[-1]) and is_cjk(sentence[0])):
            out += " "
        out += sentence
    return out
