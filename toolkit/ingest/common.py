"""What every reader shares: the options, speaker labels and display names."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

__all__ = ["ReadOptions", "display_name", "match_label", "LABEL_WORDS_MAX"]

#: A speaker label is a short name: at most this many words.
LABEL_WORDS_MAX = 4

# One word of a name: starts with a capital letter (any script with case) or a
# digit-free token like "Q"; may contain letters, dots, apostrophes, hyphens
# ("Dr.", "O’Neil", "Jean-Luc").  Lower-case particles are allowed inside a
# name ("Ursula von der Leyen").
_NAME_WORD = r"[^\W\d_][\w.'’-]*"
_PARTICLE = r"(?:de|da|del|der|di|du|la|le|van|von|bin|al|el|ibn|y)"
_NAME = rf"{_NAME_WORD}(?:[ \t](?:{_NAME_WORD}|{_PARTICLE})){{0,{LABEL_WORDS_MAX - 1}}}"
# "Name: text", or "Name- text" with the hyphen/dash right after the name
# (CGTN- It was ...).  A dash with a space on both sides is ordinary prose
# punctuation ("Well - I think"), so it is not a label.
_LABEL = re.compile(rf"^(?P<name>{_NAME})(?:[ \t]*:|[-–—])(?:[ \t]+|$)")
_PARTICLES = frozenset(_PARTICLE[3:-1].split("|"))

# Words that look like a label before a colon but introduce an aside, not a
# speaker ("Note: ...").  Matched case-insensitively on the whole label.
_NOT_SPEAKERS = frozenset(
    {"note", "notes", "editor's note", "editor’s note", "source", "sources", "update", "photo",
     "credit", "credits", "warning", "disclaimer", "transcript", "example", "tip", "ps", "p.s"}
)  # fmt: skip


@dataclass(frozen=True)
class ReadOptions:
    """What :func:`toolkit.ingest.read_transcript` passes to a reader."""

    language: str
    speakers: Mapping[str, str] = field(default_factory=dict)
    drop_rules: Sequence[str] | None = None  # None = the reader's built-in rules


def match_label(text: str) -> tuple[str, str] | None:
    """Split ``"Li: Our first goal"`` into ``("Li", "Our first goal")``.

    Returns ``None`` when ``text`` does not start with a speaker label: the name
    must be short (≤ :data:`LABEL_WORDS_MAX` words), start with a capital letter
    and be followed by ``:`` or a hyphen/dash and a space (or the line end).
    """
    m = _LABEL.match(text)
    if m is None:
        return None
    name = m.group("name")
    words = name.split()
    # Every word of a name is capitalised ("The reason is simple: ..." is prose).
    if not words[0][:1].isupper() or any(
        not (w[:1].isupper() or w in _PARTICLES) for w in words[1:]
    ):
        return None
    if name.lower() in _NOT_SPEAKERS:
        return None
    return name, text[m.end() :]


def display_name(label: str | None, speakers: Mapping[str, str]) -> str | None:
    """Map a transcript label to its display name (an unknown label is kept).

    Lookup is exact first, then case-insensitive, so ``LI:`` finds ``Li``.
    """
    if label is None:
        return None
    label = label.strip()
    if not label:
        return None
    if label in speakers:
        return speakers[label]
    folded = label.casefold()
    for key, name in speakers.items():
        if key.casefold() == folded:
            return name
    return label
