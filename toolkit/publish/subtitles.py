"""Subtitle outputs: WebVTT, SRT, Podcast Index transcript JSON, chapters JSON.

This module decides *what* each published file holds (cue lines re-wrapped
to each format's limits, ``<v Speaker>`` / ``Name:`` at speaker changes, the
disclosure notes); the formats layer (:mod:`toolkit.formats`) writes the
bytes.  All writers are pure functions ``cues → str`` with deterministic
output (fixed key order, ``\n`` line ends, a trailing newline, UTF-8 without
escaping); :func:`write_subtitles` renders everything first and only then
writes the files atomically through :mod:`toolkit.fsutil`, so bad input
leaves nothing half-written.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import NamedTuple

from .. import fsutil
from ..errors import InputError
from ..formats import chapters_json, podcast_json, subrip, timecode, webvtt
from ..model import Chapter, Cue
from ..segment import Profile, wrap_lines
from .layout import SUBTITLE_FILES

__all__ = [
    "to_vtt",
    "to_srt",
    "to_transcript_json",
    "to_chapters_json",
    "write_subtitles",
    "render_subtitles",
    "escape_vtt",
    "decode_vtt_text",
    "vtt_timestamp",
    "srt_timestamp",
    "join_lines",
    "FILES",
    "SRT_PROFILE",
    "VTT_MAX_LINE",
]

#: The files written into every language folder (:data:`toolkit.publish.layout.SUBTITLE_FILES`).
FILES = SUBTITLE_FILES
VTT_MAX_LINE = 65  # podcast-transcript profile: a VTT text line stays readable in any player
# Podcast namespace (transcripts.md): SRT cues of at most 2 lines × 32 characters.
SRT_PROFILE = Profile(name="podcast-srt", max_chars=32, max_lines=2)
_VTT_LINE_PROFILE = Profile(name="vtt-line", max_chars=VTT_MAX_LINE, max_lines=99, per_language=False)
_CJK_CHAR = re.compile(r"[\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")


# ----------------------------------------------------------------------------- helpers
#: Timestamp spellings and escaping live in the formats layer; the names stay
#: here for callers of this module.
vtt_timestamp = timecode.vtt
srt_timestamp = timecode.srt
escape_vtt = webvtt.escape
decode_vtt_text = webvtt.display_text


def join_lines(lines: Sequence[str]) -> str:
    """A cue's lines as one line: a space between lines, except between two
    characters of a script written without spaces (Chinese, Japanese)."""
    out = ""
    for line in lines:
        line = line.strip()
        if not line:
            continue
        if out and not (_CJK_CHAR.match(out[-1]) and _CJK_CHAR.match(line[0])):
            out += " "
        out += line
    return out


def _validate(cues: Sequence[Cue]) -> None:
    """Refuse cues no player can show (times, ids), naming the cue."""
    prev_start = 0
    for cue in cues:
        if not cue.id or "-->" in cue.id or any(ch in cue.id for ch in "\r\n"):
            raise InputError(f"cue id {cue.id!r} is not a valid WebVTT identifier", cue=cue.id or "?")
        if cue.start < 0 or cue.end <= cue.start:
            raise InputError(f"bad cue times {cue.start}–{cue.end} ms (end must follow start)", cue=cue.id)
        if cue.start < prev_start:
            raise InputError("cue starts before the previous cue (cues must be in time order)", cue=cue.id)
        prev_start = cue.start


def _speaker(cue: Cue) -> str | None:
    """The label to show at a speaker change (None: nothing to show)."""
    if not cue.speaker_change or not cue.speaker:
        return None
    return " ".join(unicodedata.normalize("NFC", cue.speaker).split()) or None


def _clean_lines(lines: Sequence[str]) -> list[str]:
    # A blank line would end the cue early in both formats: drop it.  NFC so
    # every format carries the same code points (re-wrapping normalises).
    return [" ".join(unicodedata.normalize("NFC", line).split()) for line in lines if line.strip()]


class _Prepared(NamedTuple):
    """One valid cue as every writer starts from it (made once per cue for all formats)."""

    cue: Cue
    lines: list[str]  # :func:`_clean_lines`
    text: str  # the lines as one line (:func:`join_lines`)
    label: str | None  # :func:`_speaker`


def _prepare(cues: Sequence[Cue]) -> list[_Prepared]:
    """Validate ``cues`` and clean each one's lines once."""
    _validate(cues)
    out = []
    for cue in cues:
        lines = _clean_lines(cue.lines)
        out.append(_Prepared(cue, lines, join_lines(lines), _speaker(cue)))
    return out


# ----------------------------------------------------------------------------- WebVTT
def _note(note: str) -> webvtt.Note:
    # A NOTE block ends at the first blank line and may not contain "-->";
    # its lines keep to the 65-character limit like cue text.
    body: list[str] = []
    for line in note.splitlines():
        line = " ".join(line.replace("-->", "->").split())
        if line:
            body.extend(wrap_lines(line, lang="und", profile=_VTT_LINE_PROFILE))
    return webvtt.Note("\n".join(body), inline=False)


def to_vtt(cues: Sequence[Cue], *, notes: Sequence[str] = ()) -> str:
    """WebVTT with cue ids as identifiers, ``<v Speaker>`` at each speaker
    change, escaped text, and one ``NOTE`` block per entry of ``notes`` after
    the header (e.g. the machine-translation disclosure)."""
    return _vtt(_prepare(cues), notes)


def _vtt(prepared: Sequence[_Prepared], notes: Sequence[str]) -> str:
    blocks: list[webvtt.Cue | webvtt.Note] = [_note(n) for n in notes if n.strip()]
    for cue, clean, _text, label in prepared:
        lines: list[str] = []
        for line in clean:
            if len(line) > VTT_MAX_LINE:
                lines.extend(wrap_lines(line, lang="und", profile=_VTT_LINE_PROFILE))
            else:
                lines.append(line)
        text = [webvtt.escape(line) for line in lines]
        if label and text:
            text[0] = f"<v {webvtt.escape(label)}>{text[0]}"
        blocks.append(webvtt.Cue(id=cue.id, start=cue.start, end=cue.end, text="\n".join(text)))
    return webvtt.write(blocks)


# ----------------------------------------------------------------------------- SRT
def _srt_parts(prepared: _Prepared, lang: str) -> list[tuple[int, int, tuple[str, ...]]]:
    """One cue as SRT cues of ≤ 2 × 32 characters: re-wrapped, and split
    time-proportionally (by characters, at a line = word boundary) when it needs
    more than two lines."""
    cue, label = prepared.cue, prepared.label
    text = prepared.text.replace("-->", "->")  # SRT has no escape for its arrow
    if label:
        text = f"{label}: {text}"
    lines = list(wrap_lines(text, lang=lang, profile=SRT_PROFILE)) or [""]
    groups = [tuple(lines[k:k + 2]) for k in range(0, len(lines), 2)]
    if len(groups) == 1:
        return [(cue.start, cue.end, groups[0])]
    weights = [sum(len(line) for line in g) for g in groups]
    total = sum(weights) or 1
    parts: list[tuple[int, int, tuple[str, ...]]] = []
    start, acc = cue.start, 0
    for k, (group, weight) in enumerate(zip(groups, weights)):
        acc += weight
        end = cue.end if k == len(groups) - 1 else cue.start + round(cue.duration * acc / total)
        end = max(end, start + 1)
        parts.append((start, end, group))
        start = end
    return parts


def to_srt(cues: Sequence[Cue], *, lang: str = "en") -> str:
    """SRT: numbered cues, ``HH:MM:SS,mmm``, ``Name:`` at each speaker change,
    at most 2 lines × 32 characters per cue (per the Podcast namespace).

    Line ends are LF, not CRLF: every current reader (ffmpeg, VLC, the ``srt``
    and ``pysubs2`` parsers, podcast apps) accepts LF, and one convention for
    all outputs keeps rebuilds byte-identical across platforms.  Text is not
    escaped (SRT has no escaping); a ``-->`` in text becomes ``->``.
    """
    return _srt(_prepare(cues), lang)


def _srt(prepared: Sequence[_Prepared], lang: str) -> str:
    return subrip.write(part for cue in prepared for part in _srt_parts(cue, lang))


# ----------------------------------------------------------------------------- JSON
def to_transcript_json(cues: Sequence[Cue]) -> str:
    """Podcast Index transcript JSON (``application/json`` in ``podcast:transcript``).

    Where a cue has word timings of its own (:attr:`Cue.word_timings`: the
    aligner placed every word), it becomes one segment **per word** — the
    podcast namespace's own example is word-level, and readers such as
    AntennaPod merge consecutive segments into lines themselves; no reader
    knows a per-segment ``words`` list.  Other cues (translations, timed
    inputs without words) are one segment each.  Times in seconds with ms
    precision; ``speaker`` on every segment, omitted when unknown.
    """
    return _transcript_json(_prepare(cues))


def _transcript_json(prepared: Sequence[_Prepared]) -> str:
    def segments() -> Iterator[podcast_json.Segment]:
        for cue, _lines, text, _label in prepared:
            if cue.word_timings:
                yield from _word_segments(cue)
            else:
                yield podcast_json.Segment(cue.start, cue.end, text, cue.speaker)

    return podcast_json.write(segments())



def _word_segments(cue: Cue) -> list[podcast_json.Segment]:
    """One segment per spoken word; a token with no duration of its own (a
    dash, a currency sign the aligner did not hear) joins the word before it
    (the first word, when it leads), so no segment is empty in time."""
    out: list[podcast_json.Segment] = []
    pending = ""
    for w in cue.word_timings:
        text = unicodedata.normalize("NFC", w.text)
        if w.end <= w.start:
            if out:
                last = out[-1]
                out[-1] = podcast_json.Segment(last.start, last.end, f"{last.body} {text}", last.speaker)
            else:
                pending = f"{pending} {text}".strip()
            continue
        out.append(podcast_json.Segment(w.start, w.end, f"{pending} {text}".strip(), cue.speaker))
        pending = ""
    if pending:  # no word of the cue has a duration: the cue's own span
        out.append(podcast_json.Segment(cue.start, cue.end, pending, cue.speaker))
    return out

def to_chapters_json(
    chapters: Sequence[Chapter], *, title: str | None = None, podcast_name: str | None = None
) -> str:
    """Podcast namespace JSON chapters 1.2.0, ascending ``startTime``."""
    for ch in chapters:
        if ch.start is None:
            raise InputError(f"chapter {ch.title!r} has no start time (run the timing stage first)",
                             line=ch.line)
        if ch.start < 0:
            raise InputError(f"chapter {ch.title!r} starts before 0", line=ch.line)
    return chapters_json.write([chapters_json.Chapter(c.start or 0, c.title) for c in chapters],
                               title=title, podcast_name=podcast_name)


# ----------------------------------------------------------------------------- files
def render_subtitles(
    cues: Sequence[Cue],
    chapters: Sequence[Chapter],
    *,
    notes: Sequence[str] = (),
    lang: str = "en",
    title: str | None = None,
    podcast_name: str | None = None,
) -> list[tuple[str, str]]:
    """``(file name, text)`` of ``transcript.vtt``, ``transcript.srt``,
    ``transcript.json`` and ``chapters.json`` (in that order), nothing written.
    ``chapters.json`` is there even without chapters (an empty list is valid),
    so a stale one never survives."""
    prepared = _prepare(cues)  # validated and cleaned once for the three cue formats
    return list(zip(FILES, (  # the order of layout.SUBTITLE_FILES
        _vtt(prepared, notes),
        _srt(prepared, lang),
        _transcript_json(prepared),
        to_chapters_json(chapters, title=title, podcast_name=podcast_name),
    ), strict=True))


def write_subtitles(
    folder: Path,
    cues: Sequence[Cue],
    chapters: Sequence[Chapter],
    *,
    notes: Sequence[str] = (),
    lang: str = "en",
    title: str | None = None,
    podcast_name: str | None = None,
) -> list[Path]:
    """Write the files of :func:`render_subtitles` into ``folder``; returns their
    paths (in that order).

    Everything is rendered before anything is written, and each file is
    replaced atomically (unchanged files are not touched), so an error never
    leaves a half-written set.
    """
    paths: list[Path] = []
    for name, text in render_subtitles(cues, chapters, notes=notes, lang=lang, title=title,
                                       podcast_name=podcast_name):
        path = Path(folder) / name
        fsutil.write_text(path, text)
        paths.append(path)
    return paths
