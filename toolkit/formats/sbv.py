"""YouTube SBV (``.sbv``, "SubViewer"): reader (through webvtt-py) and writer.

What YouTube Studio downloads as ``captions.sbv``::

    0:00:00.599,0:00:04.160
    >> ALICE: Hi, my name is Alice Miller
    and this is John Brown

    0:00:04.160,0:00:06.770
    >> JOHN: and we're the owners of Miller Bakery.

Each block is read with webvtt-py (``webvtt.from_buffer(…, format="sbv")``,
the reader behind ``webvtt.from_sbv``), one block at a time so that a block
it cannot read is reported with its line instead of vanishing; the toolkit
only splits the blocks and keeps the line numbers.  Times are ``H:MM:SS.mmm``.
``>>`` (a speaker change in broadcast captions) is left in the text for the
ingest stage to interpret.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from . import timecode
from .limits import quoted

__all__ = ["SbvCue", "SbvWarning", "parse", "write", "looks_like_sbv"]


@dataclass(frozen=True, slots=True)
class SbvCue:
    """One caption: ``line`` is its timing line (1-based)."""

    start: int
    end: int
    text: str
    line: int


@dataclass(frozen=True, slots=True)
class SbvWarning:
    """A block webvtt-py could not read (skipped)."""

    line: int
    message: str
    text: str = ""


def looks_like_sbv(line: str) -> bool:
    """``0:00:00.599,0:00:04.160`` — two SBV times separated by a comma."""
    left, comma, right = line.strip().partition(",")
    return bool(comma) and all(timecode.parse_clock(x) is not None and "." in x and x.count(":") == 2
                               for x in (left, right))


def _blocks(text: str) -> list[tuple[int, list[str]]]:
    out: list[tuple[int, list[str]]] = []
    current: list[str] = []
    first = 0
    for number, line in enumerate(text.split("\n"), 1):
        if line.strip():
            if not current:
                first = number
            current.append(line)
        elif current:
            out.append((first, current))
            current = []
    if current:
        out.append((first, current))
    return out


def parse(text: str) -> tuple[list[SbvCue], list[SbvWarning]]:
    """SBV text → cues in file order, and the blocks that were skipped."""
    import webvtt  # webvtt-py only when an SBV file is read (import time)
    from webvtt.errors import MalformedCaptionError, MalformedFileError

    cues: list[SbvCue] = []
    warnings: list[SbvWarning] = []
    for first, lines in _blocks(text.removeprefix("\ufeff")):
        block = "\n".join(lines)
        try:
            captions = webvtt.from_buffer(io.StringIO(block + "\n"), format="sbv").captions
        except (MalformedFileError, MalformedCaptionError):
            captions = []
        if len(captions) != 1:
            timing = quoted(lines[0].strip())
            why = (f"caption skipped: timestamp out of range in {timing}" if timecode.out_of_range(lines[0])
                   else f"caption skipped: bad timing line {timing} (expected H:MM:SS.mmm,H:MM:SS.mmm)")
            warnings.append(SbvWarning(first, why, "\n".join(lines[1:])))
            continue
        caption = captions[0]
        cues.append(SbvCue(caption.start_time.in_milliseconds(), caption.end_time.in_milliseconds(),
                           "\n".join(caption.lines), first))
    return cues, warnings


def write(cues: Iterable[tuple[int, int, Sequence[str]]]) -> str:
    """SBV text: ``H:MM:SS.mmm,H:MM:SS.mmm`` then the lines, blocks separated
    by a blank line, ``\\n`` line ends and a final newline."""
    blocks = []
    for start, end, lines in cues:
        if any(not line.strip() for line in lines):
            raise ValueError("an SBV caption cannot contain a blank line")
        blocks.append("\n".join([f"{timecode.sbv(start)},{timecode.sbv(end)}", *lines]))
    return "\n\n".join(blocks) + "\n" if blocks else ""
