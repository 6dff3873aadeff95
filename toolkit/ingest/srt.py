"""SubRip (``.srt``) → a timed transcript.

The file is parsed by :func:`toolkit.formats.subrip.parse` (tolerant of
missing numbers and blank lines, strict about timestamps and an end before
the start: an error naming the file and line).  Formatting tags (``<i>``,
``<font>``) and ASS overrides (``{\\an8}``) are removed; overlapping cues
(cross-talk) and cues out of order are accepted.  ``Name:`` labels,
``Speaker 1:``, dialogue dashes and the auto-caption layouts are handled by
:mod:`.captions`.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError
from ..formats import limits, subrip
from ..model import Transcript
from .captions import Caption, build_segments, plain_lines
from .common import ReadOptions
from .timed import build_transcript

__all__ = ["read_srt"]


def read_srt(text: str, path: Path, options: ReadOptions) -> Transcript:
    """Read SubRip text (see the module doc)."""
    cues = subrip.parse(text, path)
    if len(cues) > limits.MAX_CUES:
        limits.check_count(len(cues), "cues", path, line=cues[limits.MAX_CUES].line)
    if not cues:
        raise InputError("no subtitle cues found (empty transcript)", path=path, line=1)
    captions = [Caption(c.start, c.end, plain_lines([(n, subrip.strip_tags(t)) for n, t in c.lines]), c.line)
                for c in cues]
    segments, _ = build_segments(captions)
    return build_transcript(segments, path, options)
