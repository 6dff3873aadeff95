"""WebVTT (``.vtt``) subtitles → a timed transcript.

A small hand-written parser, strict where browsers are strict (and where
webvtt-py is not: it accepts ``00:00.0``, ``WEBVTTX`` and end < start):

* the file must start with ``WEBVTT`` (alone, or followed by a space/tab and
  a title); a BOM is fine;
* timestamps are ``[hh:]mm:ss.ttt`` with two-digit minutes/seconds and three
  fraction digits; the end must not be before the start; cues in time order
  without overlaps — otherwise an :class:`~toolkit.errors.InputError` with
  file and line;
* ``NOTE``, ``STYLE`` and ``REGION`` blocks, cue identifiers and cue settings
  are ignored.

Cue text is reduced to what a browser displays: tags (``<i>``, ``<b>``,
``<c.x>``, ``<lang en>``, ``<ruby>``, ``<00:00:01.000>``) are removed, an
unterminated ``<`` hides the rest of the cue (as in Chromium), and character
references (``&amp;``, ``&lt;``, ``&nbsp;``, ``&lrm;``, ``&#1234;``) are
decoded.  Voice spans ``<v Name>`` / ``<v.loud Name>`` give the speaker; a cue
with two voices becomes two turns; a cue without a voice continues the
previous speaker.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from ..errors import InputError
from ..model import Transcript
from .common import ReadOptions
from .encoding import read_text
from .sentences import normalize_space
from .timed import Segment, build_transcript

__all__ = ["read_vtt", "cue_text_parts", "parse_timestamp"]

_TS = re.compile(r"^(?:(\d{2,}):)?([0-5]\d):([0-5]\d)\.(\d{3})$")
_HEADER = re.compile(r"^WEBVTT(?:[ \t].*)?$")
_SKIPPED_BLOCKS = re.compile(r"^(?:NOTE|STYLE|REGION)(?:[ \t].*)?$")
_TAG = re.compile(r"<([^>]*)(?:>|$)")


def parse_timestamp(text: str) -> int | None:
    """``"01:02.345"`` / ``"1:01:02.345"`` → ms, or None when malformed."""
    m = _TS.match(text)
    if m is None:
        return None
    h, mi, s, ms = m.groups()
    return ((int(h or 0) * 60 + int(mi)) * 60 + int(s)) * 1000 + int(ms)


def _parse_timing(line: str, path: Path, number: int) -> tuple[int, int]:
    left, _, right = line.partition("-->")
    start_text = left.strip()
    end_text = right.strip().split()[0] if right.strip() else ""  # cue settings follow
    start, end = parse_timestamp(start_text), parse_timestamp(end_text)
    for value, text, which in ((start, start_text, "start"), (end, end_text, "end")):
        if value is None:
            raise InputError(
                f"malformed {which} timestamp {text!r} (expected [hh:]mm:ss.ttt)", path=path, line=number
            )
    assert start is not None and end is not None
    if end < start:
        raise InputError(f"cue ends ({end_text}) before it starts ({start_text})", path=path, line=number)
    return start, end


def cue_text_parts(text: str) -> list[tuple[str | None, str]]:
    """Cue payload → ``[(voice or None, display text), ...]``.

    A new part starts at each ``<v ...>`` tag; text outside any voice belongs
    to a ``None`` part (the caller carries the previous speaker).
    """
    parts: list[tuple[str | None, list[str]]] = [(None, [])]
    pos = 0
    for m in _TAG.finditer(text):
        parts[-1][1].append(text[pos : m.start()])
        pos = m.end()
        tag = m.group(1)
        if tag[:1] == "v" and (len(tag) == 1 or tag[1] in " \t.\f"):
            # <v Name> or <v.class Name>: the annotation after the first space.
            annotation = re.split(r"[ \t\f]", tag, maxsplit=1)
            voice = html.unescape(normalize_space(annotation[1])) if len(annotation) > 1 else ""
            parts.append((voice or None, []))
    parts[-1][1].append(text[pos:])
    out = []
    for voice, chunks in parts:
        shown = html.unescape("".join(chunks))
        if normalize_space(shown) or voice is not None:
            out.append((voice, shown))
    return out


def read_vtt(path: Path, options: ReadOptions) -> Transcript:
    """Read a ``.vtt`` file (see the module doc)."""
    lines = read_text(path).split("\n")
    if not lines or not _HEADER.match(lines[0]):
        raise InputError("missing WEBVTT header (the first line must be 'WEBVTT')", path=path, line=1)
    n = len(lines)
    i = 1
    while i < n and lines[i].strip():  # header block (metadata lines)
        i += 1
    segments: list[Segment] = []
    cue_count = 0
    while i < n:
        if not lines[i].strip():
            i += 1
            continue
        block_start = i
        block: list[str] = []
        while i < n and lines[i].strip():
            block.append(lines[i])
            i += 1
        if _SKIPPED_BLOCKS.match(block[0]) and "-->" not in block[0]:
            continue
        timing_index = 0 if "-->" in block[0] else 1  # an optional cue identifier comes first
        if timing_index >= len(block) or "-->" not in block[timing_index]:
            raise InputError(
                f"expected a cue timing line ('start --> end') in block {block[0].strip()[:40]!r}",
                path=path,
                line=block_start + 1 + min(timing_index, len(block) - 1),
            )
        timing_line = block_start + timing_index + 1
        start, end = _parse_timing(block[timing_index], path, timing_line)
        payload = block[timing_index + 1 :]
        for k, extra in enumerate(payload):
            if "-->" in extra:
                raise InputError(
                    "'-->' inside cue text (missing blank line before a cue?)",
                    path=path,
                    line=timing_line + 1 + k,
                )
        cue_count += 1
        parts = cue_text_parts("\n".join(payload))
        sizes = [max(len(normalize_space(text)), 1) for _, text in parts]
        total = sum(sizes)
        t, acc = start, 0
        for k, ((voice, text), size) in enumerate(zip(parts, sizes, strict=True)):
            acc += size
            t_end = end if k == len(parts) - 1 else start + round((end - start) * acc / total)
            segments.append(
                Segment(text, t, t_end, speaker=voice, line=timing_line, text_line=timing_line + 1, new_cue=k == 0)
            )
            t = t_end
    if cue_count == 0:
        raise InputError("no cues found (empty transcript)", path=path, line=1)
    return build_transcript(segments, path, options)
