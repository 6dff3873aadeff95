"""Text on the way in: control characters removed, bidirectional controls contained.

Every text that enters the toolkit from a user's file — ``show.toml`` /
``episode.toml`` values, transcripts, translators' files, the translations
store — goes through :func:`clean_text` (or one of the walkers below) once,
where it is read:

* **Control characters** (C0 ``U+0000–U+001F`` except tab and newline, ``DEL``
  and the C1 range ``U+0080–U+009F``) are removed.  They are invisible or
  dangerous in every output (a NUL ends a C string, ``ESC [`` drives a
  terminal, XML 1.0 forbids most of them) and no real transcript needs one.
  The removal is reported once per file by the caller (:class:`Removed`).
* **Bidirectional embedding/override/isolate controls** (``U+202A–U+202E``,
  ``U+2066–U+2069``) are legitimate in right-to-left text, so they are kept,
  but *balanced*: a closing control without its opener is dropped and every
  opener left open is closed at the end of the text, so one field can never
  reverse the text that follows it (in a feed reader's list, a subtitle
  renderer, a page).  On HTML pages every such text is in addition wrapped
  in an isolate (:func:`isolate_bidi`, applied by the page renderer).

Tab and newline are kept; ``\\r`` is removed (line ends are ``\\n`` inside the
toolkit).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field, replace
from os import PathLike

from .errors import InputError
from .model import Sentence, Transcript, Turn

__all__ = [
    "BIDI_CONTROLS",
    "Removed",
    "strip_controls",
    "balance_bidi",
    "clean_text",
    "isolate_bidi",
    "has_bidi_controls",
    "control_chars",
    "clean_strings",
    "clean_transcript",
]

log = logging.getLogger(__name__)

_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_EMBED_OPEN = "\u202a\u202b\u202d\u202e"  # LRE RLE LRO RLO
_PDF = "\u202c"
_ISOLATE_OPEN = "\u2066\u2067\u2068"  # LRI RLI FSI
_PDI = "\u2069"
_FSI = "\u2068"
BIDI_CONTROLS = _EMBED_OPEN + _PDF + _ISOLATE_OPEN + _PDI
_BIDI = re.compile(f"[{BIDI_CONTROLS}]")


def control_chars(text: str) -> list[str]:
    """The control characters :func:`strip_controls` would remove, in order."""
    return _CONTROL.findall(text)


def strip_controls(text: str) -> str:
    """``text`` without control characters other than tab and newline."""
    return _CONTROL.sub("", text) if _CONTROL.search(text) else text


def has_bidi_controls(text: str) -> bool:
    """True when ``text`` holds an embedding, override or isolate control."""
    return _BIDI.search(text) is not None


def balance_bidi(text: str) -> str:
    """Drop unmatched closing bidi controls and close every opener left open.

    Follows the Unicode bidirectional algorithm's pairing: ``PDF`` closes the
    innermost embedding/override (only inside the current isolate), ``PDI``
    closes the innermost isolate and every embedding opened inside it.
    """
    if not _BIDI.search(text):
        return text
    out: list[str] = []
    stack: list[str] = []  # "E" embedding/override, "I" isolate
    isolates = 0  # "I"s in the stack (so a PDI never searches it: linear on any text)
    for ch in text:
        if ch in _EMBED_OPEN:
            stack.append("E")
        elif ch == _PDF:
            if not stack or stack[-1] != "E":
                continue  # nothing to close: dropped
            stack.pop()
        elif ch in _ISOLATE_OPEN:
            stack.append("I")
            isolates += 1
        elif ch == _PDI:
            if not isolates:
                continue
            while stack[-1] == "E":  # a PDI also ends the embeddings inside its isolate
                stack.pop()
                out.append(_PDF)
            stack.pop()
            isolates -= 1
        out.append(ch)
    for kind in reversed(stack):
        out.append(_PDF if kind == "E" else _PDI)
    return "".join(out)


def clean_text(text: str) -> str:
    """:func:`strip_controls` then :func:`balance_bidi`: the form every input text takes."""
    return balance_bidi(strip_controls(text))


def isolate_bidi(text: str) -> str:
    """``text`` balanced and wrapped in ``FSI … PDI`` when it holds bidi controls
    (an isolated span: nothing inside can reorder the page around it), else as is."""
    if text.isascii() or not _BIDI.search(text):  # (no bidi control is ASCII: the common case, no scan)
        return text
    return _FSI + balance_bidi(text) + _PDI


@dataclass
class Removed:
    """Control characters removed from one file, reported once (:meth:`report`).

    ``add(text, where)`` returns the cleaned text and remembers what went and
    where (a key, a line); ``report()`` logs one warning naming the file.
    """

    path: str
    count: int = 0
    chars: set[str] = field(default_factory=set)
    where: list[str] = field(default_factory=list)

    def add(self, text: str, where: str | int | None = None) -> str:
        found = control_chars(text)
        if found:
            self.count += len(found)
            self.chars.update(found)
            if where is not None and len(self.where) < 5 and str(where) not in self.where:
                self.where.append(str(where))
        return clean_text(text)

    def report(self) -> None:
        """One warning line for the whole file (nothing when nothing was removed;
        the same finding is not repeated when a run reads the file again)."""
        if not self.count:
            return
        names = ", ".join(f"U+{ord(c):04X}" for c in sorted(self.chars))
        at = f" (in {', '.join(self.where)}{', …' if len(self.where) >= 5 else ''})" if self.where else ""
        line = f"{self.path}: removed {self.count} control character(s) {names}{at}"
        if line not in _REPORTED:
            _REPORTED.add(line)
            log.warning("%s", line)


_REPORTED: set[str] = set()


def clean_strings(value: object, removed: Removed, where: str = "") -> object:
    """A TOML-like value (dicts, lists, strings, other scalars) with every string
    cleaned; ``where`` is the dotted key path used in the report."""
    if isinstance(value, str):
        return removed.add(value, where or None)
    if isinstance(value, dict):
        return {(removed.add(k) if isinstance(k, str) else k):
                clean_strings(v, removed, f"{where}.{k}" if where else str(k)) for k, v in value.items()}
    if isinstance(value, list):
        return [clean_strings(v, removed, where) for v in value]
    return value


def clean_transcript(transcript: Transcript, path: str | PathLike[str]) -> Transcript:
    """Every text of a transcript (sentences, words, speakers, chapter titles,
    dropped lines) cleaned, reported once for ``path`` (naming the lines)."""
    removed = Removed(str(path))

    def line(n: int | None) -> str | None:
        return f"line {n}" if n is not None else None

    def sentence(s: Sentence) -> Sentence:
        text = removed.add(s.text, line(s.line))
        # word texts repeat the sentence's: cleaned, not counted twice
        words = tuple(replace(w, text=clean_text(w.text)) for w in s.words) \
            if any(clean_text(w.text) != w.text for w in s.words) else s.words
        return s if text == s.text and words is s.words else replace(s, text=text, words=words)

    kept: list[Turn] = []
    for t in transcript.turns:
        # a sentence that was nothing but control characters is gone (and so is an emptied turn)
        sentences = tuple(x for x in (sentence(s) for s in t.sentences) if x.text.strip())
        if sentences:
            kept.append(replace(t, speaker=removed.add(t.speaker) if t.speaker is not None else None,
                                sentences=sentences))
    turns = tuple(kept)
    if transcript.turns and not turns:
        raise InputError("no text left once control characters are removed", path=path)
    chapters = tuple(replace(c, title=removed.add(c.title, line(c.line))) for c in transcript.chapters)
    dropped = tuple(replace(d, text=strip_controls(d.text)) for d in transcript.dropped)
    removed.report()
    if not removed.count and turns == transcript.turns and chapters == transcript.chapters:
        return transcript
    return replace(transcript, turns=turns, chapters=chapters, dropped=dropped)
