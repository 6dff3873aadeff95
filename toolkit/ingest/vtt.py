"""WebVTT (``.vtt``) → a timed transcript.

The file is parsed by :func:`toolkit.formats.webvtt.parse`, which follows the
W3C WebVTT parsing algorithm: only a missing ``WEBVTT`` signature rejects the
file; a cue whose timing line cannot be read is skipped and *reported* with
its line (:attr:`~toolkit.model.Transcript.dropped`), as is text outside any
cue.  A cue that ends before it starts is kept by the algorithm but a browser
never shows it: it is skipped and reported too.  Overlapping cues and cues in
any order are accepted (see :mod:`.captions` for cross-talk and the
auto-caption layouts).

Cue text is reduced to what a browser displays (tags dropped, character
references decoded); ``<v Name>`` voices and ``Name:`` labels give the
speaker, ``<00:00:01.500>`` timestamps word timings.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError
from ..formats import limits, timecode, webvtt
from ..model import DroppedLine, Transcript
from .captions import Caption, build_segments, vtt_lines
from .common import ReadOptions
from .timed import build_transcript

__all__ = ["read_vtt"]


def read_vtt(text: str, path: Path, options: ReadOptions) -> Transcript:
    """Read WebVTT text (see the module doc)."""
    try:
        doc = webvtt.parse(text)
    except webvtt.SignatureError:
        raise InputError("missing WEBVTT header (the first line must be 'WEBVTT')", path=path, line=1) from None
    if len(doc.cues) > limits.MAX_CUES:
        limits.check_count(len(doc.cues), "cues", path, line=doc.cues[limits.MAX_CUES].line)
    dropped = [DroppedLine(w.line, " ".join(w.text.split()) or "(no text)", w.message) for w in doc.warnings]
    captions: list[Caption] = []
    for cue in doc.cues:
        if cue.end < cue.start:
            dropped.append(DroppedLine(
                cue.line, " ".join(webvtt.display_text(cue.text).split()) or "(no text)",
                f"cue skipped: it ends ({timecode.vtt(cue.end)}) before it starts ({timecode.vtt(cue.start)})"))
            continue
        captions.append(Caption(cue.start, cue.end, vtt_lines(cue.text, cue.start, cue.line + 1), cue.line))
    if not captions:
        raise InputError("no cues found (empty transcript)"
                         + (f"; {len(dropped)} skipped, the first: {dropped[0].rule}" if dropped else ""),
                         path=path, line=dropped[0].line if dropped else 1)
    segments, _ = build_segments(captions)
    return build_transcript(segments, path, options, dropped=dropped)
