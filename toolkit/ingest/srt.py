"""SubRip (``.srt``) subtitles → a timed transcript.

Tolerant where real files vary, strict where a mistake would shift timings:

* tolerated: a BOM, CRLF (see :mod:`.encoding`), a missing cue number, a
  missing blank line before the next cue or at the end of the file, extra
  blank lines between cues, a blank line inside a cue's text, ``.`` instead
  of ``,`` before the milliseconds (several tools write it), formatting tags
  (``<i>``, ``<b>``, ``<u>``, ``<font ...>``) and ASS overrides (``{\\an8}``);
* strict: a malformed timestamp, an end before the start, cues out of order or
  overlapping — an :class:`~toolkit.errors.InputError` with file and line.

A ``Name:`` label at the start of a cue line names the speaker; it carries to
the following cues until another label.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import InputError
from ..model import Transcript
from .common import ReadOptions, match_label
from .encoding import read_text
from .timed import Segment, build_transcript

__all__ = ["read_srt", "parse_timestamp"]

_TS = r"(\d{1,3}):([0-5]\d):([0-5]\d)[,.](\d{3})"
_TIMING = re.compile(rf"^{_TS}[ \t]*-->[ \t]*{_TS}(?:[ \t]+.*)?$")
# Anything that is probably meant to be a timing line (so a typo in one is an
# error, not silently taken as subtitle text).
_TIMING_ISH = re.compile(r"-->|^\s*\d+:\d+\S*\s*-+>?\s*\d+:\d+")
_TAGS = re.compile(r"</?(?:i|b|u|s|font)(?:\s[^<>]*)?>|\{\\[^{}]*\}", re.I)


def parse_timestamp(groups: tuple[str, ...]) -> int:
    """``("01", "02", "03", "456")`` → milliseconds."""
    h, m, s, ms = (int(g) for g in groups)
    return ((h * 60 + m) * 60 + s) * 1000 + ms


def _parse_timing(line: str, path: Path, number: int) -> tuple[int, int]:
    m = _TIMING.match(line.strip())
    if m is None:
        raise InputError(
            f"malformed timing line {line.strip()!r} (expected HH:MM:SS,mmm --> HH:MM:SS,mmm)",
            path=path,
            line=number,
        )
    start, end = parse_timestamp(m.groups()[:4]), parse_timestamp(m.groups()[4:])
    if end < start:
        raise InputError(f"cue ends ({m.group(0).split('-->')[1].split()[0]}) before it starts", path=path, line=number)
    return start, end


def _cue_segments(start: int, end: int, text_lines: list[tuple[int, str]], timing_line: int) -> list[Segment]:
    """One cue → one segment per speaker label inside it (usually one)."""
    parts: list[tuple[str | None, int, list[str]]] = []
    for number, raw in text_lines:
        text = _TAGS.sub("", raw).strip()
        if not text:
            continue
        labelled = match_label(text)
        if labelled is not None:
            parts.append((labelled[0], number, [labelled[1]] if labelled[1].strip() else []))
        elif parts:
            parts[-1][2].append(text)
        else:
            parts.append((None, number, [text]))
    parts = [p for p in parts if p[2] or p[0] is not None]
    if not parts:
        return []
    # Several speakers in one cue share its time in proportion to their text.
    sizes = [max(len(" ".join(p[2])), 1) for p in parts]
    total = sum(sizes)
    segments, t, acc = [], start, 0
    for k, ((label, number, lines), size) in enumerate(zip(parts, sizes, strict=True)):
        acc += size
        t_end = end if k == len(parts) - 1 else start + round((end - start) * acc / total)
        segments.append(
            Segment(" ".join(lines), t, t_end, speaker=label, line=timing_line, text_line=number, new_cue=k == 0)
        )
        t = t_end
    return segments


def read_srt(path: Path, options: ReadOptions) -> Transcript:
    """Read an ``.srt`` file (see the module doc for what is tolerated)."""
    lines = read_text(path).split("\n")
    n = len(lines)
    segments: list[Segment] = []
    cues: list[tuple[int, int, int, list[tuple[int, str]]]] = []  # start, end, timing line, text lines
    i = 0
    while i < n:
        line = lines[i].strip()
        if not line:
            i += 1
            continue
        if _TIMING_ISH.search(line):
            timing_at = i
        elif line.isdigit() and i + 1 < n and _TIMING_ISH.search(lines[i + 1]):
            timing_at = i + 1
        elif line.isdigit():
            raise InputError(f"cue {line}: expected a timing line after the cue number", path=path, line=i + 2)
        elif cues:
            # A blank line inside a cue's text (some editors allow it): the
            # text continues the previous cue rather than being lost.
            cues[-1][3].append((i + 1, lines[i]))
            i += 1
            continue
        else:
            raise InputError(f"expected a cue number or timing line, found {line[:40]!r}", path=path, line=i + 1)
        start, end = _parse_timing(lines[timing_at], path, timing_at + 1)
        text: list[tuple[int, str]] = []
        i = timing_at + 1
        while i < n and lines[i].strip():
            # A missing blank line before the next cue: "12" + timing line, or a timing line.
            if _TIMING_ISH.search(lines[i]) or (
                lines[i].strip().isdigit() and i + 1 < n and _TIMING_ISH.search(lines[i + 1])
            ):
                break
            text.append((i + 1, lines[i]))
            i += 1
        cues.append((start, end, timing_at + 1, text))
    if not cues:
        raise InputError("no subtitle cues found (empty transcript)", path=path, line=1)
    for start, end, timing_line, text in cues:
        segments.extend(_cue_segments(start, end, text, timing_line))
    return build_transcript(segments, path, options)
