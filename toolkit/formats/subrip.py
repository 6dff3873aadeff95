"""SubRip (``.srt``): reader and writer.

SubRip has no specification; the reader is tolerant where real files vary
and strict where a mistake would shift timings:

* tolerated: a missing cue number, a missing blank line before the next cue
  or at the end of the file, extra blank lines between cues, a blank line
  inside a cue's text (the text continues the cue), ``.`` instead of ``,``
  before the milliseconds (several tools write it), cues that overlap or are
  out of order (cross-talk: what to do with them is the caller's choice);
* strict: a malformed timestamp or an end before the start — an
  :class:`~toolkit.errors.InputError` naming the file and line.

Cue text is kept raw (formatting tags such as ``<i>``, ``<font …>`` and ASS
overrides ``{\\an8}`` included); :func:`strip_tags` gives the display text.
The toolkit keeps its own reader because webvtt-py's SubRip reader drops a
cue it cannot read without saying where, and the ``srt`` package refuses the
missing blank lines real files have.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError
from . import timecode
from .limits import quoted

__all__ = ["SrtCue", "parse", "strip_tags", "write", "looks_like_timing"]


@dataclass(frozen=True, slots=True)
class SrtCue:
    """One cue: ``lines`` are ``(1-based line number, raw text)``; ``line`` is
    the timing line; ``number`` the cue number as written (or None)."""

    start: int
    end: int
    lines: tuple[tuple[int, str], ...]
    line: int
    number: str | None = None

    @property
    def text(self) -> str:
        return "\n".join(text for _, text in self.lines)


def looks_like_timing(line: str) -> bool:
    """Is ``line`` probably meant to be a timing line (so that a typo in it is an
    error, not subtitle text)?  ``-->``, or two clock times joined by dashes."""
    if "-->" in line:
        return True
    s = line.strip()
    # "00:00:04,401 -> 00:00:06,763": digits and colons, a dash run, digits and colons
    head, sep, tail = s.partition("-")
    return bool(sep) and ":" in head and ":" in tail and head[:1].isdigit() and \
        tail.lstrip("->").strip()[:1].isdigit() and " " not in head.strip()


def _timing(line: str, path: str | Path | None, number: int, keep_inverted: bool) -> tuple[int, int]:
    s = line.strip()
    left, arrow, right = s.partition("-->")
    start_text = left.strip()
    end_text = right.split()[0] if right.split() else ""
    start, end = timecode.parse_srt(start_text), timecode.parse_srt(end_text)
    if not arrow or start is None or end is None:
        if timecode.out_of_range(s):
            raise InputError(f"timestamp out of range in {quoted(s)} (SubRip hours have 1 to 3 digits)",
                             path=path, line=number)
        raise InputError(
            f"malformed timing line {quoted(s)} (expected HH:MM:SS,mmm --> HH:MM:SS,mmm)", path=path, line=number)
    if end < start and not keep_inverted:
        raise InputError(f"cue ends ({end_text}) before it starts ({start_text})", path=path, line=number)
    return start, end


def parse(text: str, path: str | Path | None = None, *, keep_inverted: bool = False) -> list[SrtCue]:
    """Parse SubRip text (``\n`` line ends; see :mod:`toolkit.formats.text`).

    ``keep_inverted`` keeps a cue that ends before it starts (for a caller
    that reports every problem of a file at once) instead of raising.
    """
    lines = text.removeprefix("\ufeff").split("\n")
    n = len(lines)
    cues: list[SrtCue] = []
    bodies: list[list[tuple[int, str]]] = []  # each cue's lines, grown in place (a tuple per line would be n²)
    i = 0
    while i < n:
        line = lines[i].strip()
        if not line:
            i += 1
            continue
        number: str | None = None
        if looks_like_timing(line):
            timing_at = i
        elif line.isdigit() and i + 1 < n and looks_like_timing(lines[i + 1]):
            timing_at, number = i + 1, line
        elif line.isdigit():
            raise InputError(f"cue {line}: expected a timing line after the cue number", path=path, line=i + 2)
        elif cues:
            # A blank line inside a cue's text (some editors allow it): the
            # text continues the previous cue rather than being lost.
            bodies[-1].append((i + 1, lines[i]))
            i += 1
            continue
        else:
            raise InputError(f"expected a cue number or timing line, found {quoted(line, 40)}", path=path, line=i + 1)
        start, end = _timing(lines[timing_at], path, timing_at + 1, keep_inverted)
        body: list[tuple[int, str]] = []
        i = timing_at + 1
        while i < n and lines[i].strip():
            # A missing blank line before the next cue: "12" + timing line, or a timing line.
            if looks_like_timing(lines[i]) or (
                lines[i].strip().isdigit() and i + 1 < n and looks_like_timing(lines[i + 1])
            ):
                break
            body.append((i + 1, lines[i]))
            i += 1
        cues.append(SrtCue(start, end, (), timing_at + 1, number))
        bodies.append(body)
    return [SrtCue(c.start, c.end, tuple(body), c.line, c.number) for c, body in zip(cues, bodies, strict=True)]


def strip_tags(text: str) -> str:
    """Display text of an SRT line: HTML-like tags (``<i>``, ``</font>``,
    ``<font color="…">``) and ASS overrides (``{\\an8}``) removed.  A ``<``
    that does not open a tag (``R&D < 5%``) is kept."""
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "<":
            end = text.find(">", i + 1)
            inner = text[i + 1 : end] if end > 0 else ""
            name = inner.lstrip("/").split(" ", 1)[0].split(".", 1)[0].lower()
            if end > 0 and name in ("i", "b", "u", "s", "font", "v", "c", "span"):
                i = end + 1
                continue
        elif ch == "{" and text.startswith("{\\", i):
            end = text.find("}", i + 2)
            if end > 0:
                i = end + 1
                continue
        out.append(ch)
        i += 1
    return "".join(out)


def write(cues: Iterable[tuple[int, int, Sequence[str]]]) -> str:
    """SubRip text: cues numbered from 1, ``HH:MM:SS,mmm``, ``\\n`` line ends,
    a blank line between cues and a final newline (empty text → ``""``).

    Lines are written as given.  A blank line would end the cue early and a
    ``-->`` would start another one, so both are a ValueError: SubRip has no
    escaping, callers replace ``-->`` in text.
    """
    blocks: list[str] = []
    for n, (start, end, lines) in enumerate(cues, 1):
        if any(not line.strip() for line in lines):
            raise ValueError(f"SRT cue {n}: a blank line would end the cue early")
        if any("-->" in line for line in lines):
            raise ValueError(f"SRT cue {n}: a '-->' in the text would start another cue")
        blocks.append("\n".join([str(n), f"{timecode.srt(start)} --> {timecode.srt(end)}", *lines]))
    return "\n\n".join(blocks) + "\n" if blocks else ""
