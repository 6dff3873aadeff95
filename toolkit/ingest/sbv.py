"""YouTube SBV (``.sbv``) → a timed transcript.

Read by :func:`toolkit.formats.sbv.parse` (webvtt-py's SBV reader, block by
block): a caption that cannot be read is skipped and reported with its line.
``>>`` speaker changes, ``NAME:`` labels and the auto-caption layouts are
handled by :mod:`.captions`.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError
from ..formats import limits, sbv
from ..model import DroppedLine, Transcript
from .captions import Caption, build_segments, plain_lines
from .common import ReadOptions
from .timed import build_transcript

__all__ = ["read_sbv"]


def read_sbv(text: str, path: Path, options: ReadOptions) -> Transcript:
    """Read SBV text (see the module doc)."""
    cues, warnings = sbv.parse(text)
    if len(cues) > limits.MAX_CUES:
        limits.check_count(len(cues), "captions", path, line=cues[limits.MAX_CUES].line)
    dropped = [DroppedLine(w.line, " ".join(w.text.split()) or "(no text)", w.message) for w in warnings]
    captions = []
    for c in cues:
        if c.end < c.start:
            dropped.append(DroppedLine(c.line, " ".join(c.text.split()), "caption skipped: it ends before it starts"))
            continue
        lines = [(c.line + 1 + k, line) for k, line in enumerate(c.text.split("\n"))]
        captions.append(Caption(c.start, c.end, plain_lines(lines), c.line))
    if not captions:
        raise InputError("no captions found (empty transcript)"
                         + (f"; {len(dropped)} skipped, the first: {dropped[0].rule}" if dropped else ""),
                         path=path, line=dropped[0].line if dropped else 1)
    segments, _ = build_segments(captions)
    return build_transcript(segments, path, options, dropped=dropped)
