"""What every reader shares: the options, speaker labels and display names.

A **speaker label** starts a line: a short name, then ``:`` (or the
full-width ``：`` of Chinese and Japanese text) or a hyphen/dash glued to the
name (``CGTN- It was …``).  Names are up to four words, each starting with a
capital letter or a letter of a script without case (``主持人``, ``Иван``,
``المذيع``), lower-case particles allowed inside (``Ursula von der Leyen``),
plus an optional role in parentheses (``Jane Doe (Moderator):``).  Generic
labels of transcription and diarization tools are labels too: ``Speaker 1``,
``Speaker A``, ``SPEAKER_00``, ``Unknown Speaker``; ``episode.toml``'s
``[speakers]`` table renames any label.  Sound tags (``[Music]``,
``(laughs)``, ``♪``) never are labels.  Matching is a linear scan, no
backtracking regular expression.
"""

from __future__ import annotations

import unicodedata

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from ..formats import timecode

__all__ = ["ReadOptions", "Label", "display_name", "match_label", "is_generic_label", "LABEL_WORDS_MAX"]

#: A speaker label is a short name: at most this many words.
LABEL_WORDS_MAX = 4
#: A label in a script without spaces (Chinese, Japanese) is at most this many characters.
LABEL_CJK_MAX = 8
_SCAN = 80  # a label ends within this many characters of the line start

_PARTICLES = frozenset("de da del der di du la le van von bin al el ibn y".split())

# Words that look like a label before a colon but introduce an aside, not a
# speaker ("Note: ...").  Matched case-insensitively on the whole label.
_NOT_SPEAKERS = frozenset(
    {"note", "notes", "editor's note", "editor’s note", "source", "sources", "update", "photo",
     "credit", "credits", "warning", "disclaimer", "transcript", "example", "tip", "ps", "p.s",
     "chapter", "part", "section", "episode", "date", "time", "location", "recorded", "runtime",
     "duration", "keywords", "tags", "summary", "show notes", "links", "related", "share this",
     "watch", "listen", "subscribe", "read more", "see also", "tl;dr", "important", "caution"}
)  # fmt: skip
_GENERIC_NOUNS = frozenset({"speaker", "spk", "sprecher", "sprecherin", "locuteur", "locutrice", "hablante",
                            "orador", "oradora", "interlocutor", "participant", "guest", "voice", "person"})
_COLONS = ":："
_DASHES = "-–—"


@dataclass(frozen=True)
class ReadOptions:
    """What :func:`toolkit.ingest.read_transcript` passes to a reader."""

    language: str
    speakers: Mapping[str, str] = field(default_factory=dict)
    drop_rules: Sequence[str] | None = None  # None = the reader's built-in rules


@dataclass(frozen=True, slots=True)
class Label:
    """A label found at the start of a line: ``name`` as written (with its role),
    ``rest`` the text after it, ``uncased`` when the name is in a script
    without case (callers may ask it to recur before trusting it), ``stamp``
    a time in ms when the parentheses held one (``Speaker 1 (00:01:07):``)."""

    name: str
    rest: str
    uncased: bool = False
    stamp: int | None = None


def _is_letter(ch: str) -> bool:
    return unicodedata.category(ch)[0] == "L"


def _word_ok(word: str) -> bool:
    """A word of a name: a letter first, then letters, digits, marks and . ' ’ -."""
    if not word or not _is_letter(word[0]):
        return False
    return all(_is_letter(c) or unicodedata.category(c)[0] in "NM" or c in ".'’-_" for c in word)


def is_generic_label(name: str) -> bool:
    """``Speaker 1``, ``Speaker A``, ``SPEAKER_00``, ``Spk 2``, ``Unknown Speaker``."""
    words = name.replace("_", " ").split()
    if len(words) == 2 and words[0].casefold() in _GENERIC_NOUNS:
        tail = words[1]
        return tail.isdigit() or (len(tail) == 1 and tail.isalpha() and tail.isupper())
    return [w.casefold() for w in words] in (["unknown", "speaker"], ["unidentified", "speaker"])


def _paren_stamp(inner: str) -> int | None:
    return timecode.parse_clock(inner.strip())


def _name_ok(name: str) -> tuple[bool, bool]:
    """(is a name, is uncased) for the text before a label's colon."""
    if is_generic_label(name):
        return True, False
    words = name.split()
    if not words:
        return False, False
    if len(words) == 1 and all(_is_letter(c) and not c.isupper() and not c.islower() for c in words[0]):
        # Chinese / Japanese label ("主持人"): short, no case
        return len(words[0]) <= LABEL_CJK_MAX, True
    if len(words) > LABEL_WORDS_MAX or not all(_word_ok(w) for w in words):
        return False, False
    first = words[0]
    if first[0].islower():
        return False, False
    if any(w[0].islower() and w not in _PARTICLES for w in words[1:]):
        return False, False
    uncased = not first[0].isupper()
    return name.casefold() not in _NOT_SPEAKERS, uncased


def match_label(text: str) -> tuple[str, str] | None:
    """Split ``"Li: Our first goal"`` into ``("Li", "Our first goal")``.

    Returns ``None`` when ``text`` does not start with a speaker label (see
    the module doc).  :func:`find_label` gives the details.
    """
    found = find_label(text)
    return None if found is None else (found.name, found.rest)


def _label_end(text: str, head: str) -> tuple[int, str] | None:
    """Where the label of ``text`` ends (the colon, or a dash after a letter), and which
    of the two; None when punctuation comes first (prose, not a label)."""
    depth = 0
    for i, ch in enumerate(head):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif depth:
            continue
        elif ch in _COLONS:
            return i, ch
        elif ch in _DASHES and i > 0 and _is_letter(head[i - 1]) and \
                (i + 1 == len(text) or text[i + 1] in " \t"):
            return i, "-"
        elif not (_is_letter(ch) or ch in " \t.'’-_" or unicodedata.category(ch)[0] in "NM"):
            return None  # punctuation before any colon: prose, not a label
    return -1, ""


def _split_role(name: str) -> tuple[str, str, int | None]:
    """``Anna (host)`` → ``("Anna", "(host)", None)``; ``Anna (00:01:02)`` → the stamp instead."""
    if not (name.endswith(")") and "(" in name):
        return name, "", None
    open_at = name.rfind("(")
    base = name[:open_at].rstrip()
    stamp = _paren_stamp(name[open_at + 1 : -1])
    if stamp is not None:
        return base, "", stamp
    return base, name[open_at:], None


def find_label(text: str) -> Label | None:
    """The speaker label at the start of ``text`` (see the module doc), or None."""
    head = text[:_SCAN]
    if not head or not _is_letter(head[0]):
        return None
    found = _label_end(text, head)
    if found is None or found[0] <= 0:
        return None
    end, kind = found
    after = text[end + 1 :]
    if kind == ":" or kind == "-":
        if after and after[0] not in " \t":
            return None  # "10:30", "http://", "Jean-Luc"
    name = text[:end].rstrip(" \t")
    if not name or name != text[:end].strip(" \t") and kind == "-":
        return None
    name, role, stamp = _split_role(name)
    ok, uncased = _name_ok(name)
    if not ok:
        return None
    if role and (len(role) > 40 or "(" in role[1:]):
        return None
    return Label(name + (" " + role if role else ""), after.lstrip(" \t"), uncased, stamp)


def display_name(label: str | None, speakers: Mapping[str, str]) -> str | None:
    """Map a transcript label to its display name (an unknown label is kept).

    Lookup is exact first, then case-insensitive (``LI:`` finds ``Li``), then
    with ``_``/spaces unified (``SPEAKER_00`` finds ``Speaker 00``).
    """
    if label is None:
        return None
    label = label.strip()
    if not label:
        return None
    if label in speakers:
        return speakers[label]
    folded = label.casefold()
    loose = " ".join(folded.replace("_", " ").split())
    for key, name in speakers.items():
        if key.casefold() == folded:
            return name
    for key, name in speakers.items():
        if " ".join(key.casefold().replace("_", " ").split()) == loose:
            return name
    return label
