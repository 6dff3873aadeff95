"""Timed cues (SRT, WebVTT, Whisper) → a :class:`~toolkit.model.Transcript`.

Subtitle cues cut sentences at arbitrary places, so the texts of consecutive
cues of one speaker are joined and re-split into sentences.  Each sentence
takes its times from the cues it spans: its start from the point in the cue
where it starts, its end from the point where it ends, interpolating inside a
cue in proportion to characters (a cue holding two sentences gives each a
share of its time by length).  When the input has word timings (Whisper
``words[]``) the sentence spans its first to last word instead.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError
from ..model import Sentence, Transcript, Turn, Word
from .common import ReadOptions, display_name
from .sentences import normalize_space, split_sentences

__all__ = ["Segment", "build_transcript", "check_order"]


@dataclass(frozen=True)
class Segment:
    """One timed piece of text by one speaker (a cue, or a voice inside a cue).

    ``where`` names the place for error messages: ``line`` for line-based
    formats, or a JSON path such as ``segments[3]`` (then ``line`` is None).
    """

    text: str
    start: int
    end: int
    speaker: str | None = None  # the label as written; None = continue the previous speaker
    line: int | None = None
    where: str | None = None
    words: tuple[Word, ...] = field(default=())
    new_cue: bool = True  # False for the second voice inside one cue (no order check)
    text_line: int | None = None  # where the text starts (Sentence.line); default ``line``


def check_order(segments: Sequence[Segment], path: Path) -> None:
    """Cues must be in time order and must not overlap (InputError naming the cue)."""
    prev: Segment | None = None
    for seg in segments:
        if prev is not None and seg.new_cue:
            if seg.start < prev.start:
                _fail(seg, path, f"cue starts at {_ts(seg.start)}, before the previous cue ({_ts(prev.start)})")
            if seg.start < prev.end:
                _fail(seg, path, f"cue starts at {_ts(seg.start)}, overlapping the previous cue (ends {_ts(prev.end)})")
        prev = seg


def _fail(seg: Segment, path: Path, message: str) -> None:
    if seg.where:
        message = f"{seg.where}: {message}"
    raise InputError(message, path=path, line=seg.line)


def _ts(ms: int) -> str:
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}.{ms:03d}"


def _group(segments: Sequence[Segment]) -> list[tuple[str | None, list[Segment]]]:
    """Runs of consecutive segments by one speaker (a label carries forward)."""
    runs: list[tuple[str | None, list[Segment]]] = []
    speaker: str | None = None
    for seg in segments:
        if seg.speaker is not None:
            speaker = seg.speaker
        if runs and runs[-1][0] == speaker:
            runs[-1][1].append(seg)
        else:
            runs.append((speaker, [seg]))
    return runs


def _sentences(run: list[Segment]) -> tuple[Sentence, ...]:
    pieces = [(normalize_space(seg.text), seg) for seg in run]
    pieces = [(text, seg) for text, seg in pieces if text]
    starts: list[int] = []
    offset = 0
    for text, _ in pieces:
        starts.append(offset)
        offset += len(text) + 1
    joined = " ".join(text for text, _ in pieces)

    def piece_at(pos: int) -> int:
        return max(0, bisect.bisect_right(starts, pos) - 1)

    def time_at(pos: int, *, end: bool) -> int:
        # ``pos`` is a character offset; for an end, the offset just past the last character.
        k = piece_at(pos - 1 if end else pos)
        text, seg = pieces[k]
        inside = min(max(pos - starts[k], 0), len(text))
        return seg.start + round((seg.end - seg.start) * inside / max(len(text), 1))

    # Words, located in the joined text in order, for word-timed input.
    word_pos: list[tuple[int, Word]] = []
    cursor = 0
    for k, (text, seg) in enumerate(pieces):
        cursor = max(cursor, starts[k])
        for word in seg.words:
            needle = word.text.strip()
            found = joined.find(needle, cursor, starts[k] + len(text)) if needle else -1
            pos = found if found >= 0 else cursor
            word_pos.append((pos, word))
            cursor = pos + len(needle) if found >= 0 else cursor

    out: list[Sentence] = []
    pos = 0
    for text in split_sentences(joined):
        end_pos = pos + len(text)
        k = piece_at(pos)
        words = tuple(w for p, w in word_pos if pos <= p < end_pos)
        if words:
            start, end = words[0].start, words[-1].end
        else:
            start, end = time_at(pos, end=False), time_at(end_pos, end=True)
        out.append(Sentence(text=text, start=start, end=max(end, start), confidence=1.0, words=words, line=_text_line(pieces[k][1])))
        pos = end_pos + 1
    return tuple(out)


def _text_line(seg: Segment) -> int | None:
    return seg.text_line if seg.text_line is not None else seg.line


def build_transcript(segments: Sequence[Segment], path: Path, options: ReadOptions) -> Transcript:
    """Check the order, group speakers, re-split sentences and time them."""
    if not any(normalize_space(seg.text) for seg in segments):
        raise InputError("no cues with text (empty transcript)", path=path)
    check_order(segments, path)
    turns = []
    for speaker, run in _group(segments):
        sentences = _sentences(run)
        if sentences:
            turns.append(Turn(speaker=display_name(speaker, options.speakers), sentences=sentences, chapter=None))
    return Transcript(language=options.language, turns=tuple(turns), chapters=(), source=Path(path), dropped=())
