"""Timed pieces of text (caption cues, Whisper segments) → a :class:`~toolkit.model.Transcript`.

Subtitle cues cut sentences at arbitrary places, so the texts of consecutive
pieces of one speaker are joined and re-split into sentences.  Each sentence
takes its times from the pieces it spans: its start from the point in the
piece where it starts, its end from the point where it ends, interpolating
inside a piece in proportion to characters (a cue holding two sentences
gives each a share of its time by length).  When the input has word timings
(Whisper ``words[]``, ``<00:00:01.500>`` tags of auto-captions) the sentence
spans its first to last word instead.

Order and overlaps: pieces are taken in order of their start (a stable sort:
file order among equal starts).  A speaker cannot talk over themselves, so a
piece that overlaps the next piece of the *same* speaker ends where that one
starts (auto-captions keep each phrase on screen while the next one builds);
pieces of different speakers may overlap (cross-talk) and keep their times.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..errors import InputError
from ..model import DroppedLine, Sentence, Transcript, Turn, Word
from .common import ReadOptions, display_name
from .sentences import is_cjk, normalize_space, sentence_spans

__all__ = ["Segment", "build_transcript", "UNKNOWN"]

#: ``Segment.speaker`` for "a new speaker whose name the file does not give"
#: (a dialogue dash, ``>>``): a new turn with no name, not the previous speaker.
UNKNOWN = ""
_WORD_WINDOW = 1000  # characters searched past the previous word for the next one


@dataclass(frozen=True)
class Segment:
    """One timed piece of text by one speaker (a cue, or a voice inside a cue).

    ``where`` names the place for messages: ``line`` for line-based formats, or
    a JSON path such as ``segments[3]`` (then ``line`` is None).
    """

    text: str
    start: int
    end: int
    speaker: str | None = None  # the label as written; None = continue the previous speaker
    line: int | None = None
    where: str | None = None
    words: tuple[Word, ...] = field(default=())
    new_cue: bool = True  # False for the second voice inside one cue
    text_line: int | None = None  # where the text starts (Sentence.line); default ``line``
    turn_break: bool = False  # start a new turn here even when the speaker is the same


def _order(segments: Sequence[Segment]) -> list[Segment]:
    """Pieces by start time (stable), each ending no later than the next piece
    of its own speaker starts."""
    ordered = sorted(segments, key=lambda s: s.start)
    speaker: str | None = None
    who: list[str | None] = []
    for seg in ordered:
        if seg.speaker is not None:
            speaker = seg.speaker
        who.append(speaker)
    out = list(ordered)
    nxt: dict[str | None, int] = {}
    for k in range(len(ordered) - 1, -1, -1):
        seg = ordered[k]
        j = nxt.get(who[k])
        if j is not None and ordered[j].start < seg.end:
            end = max(ordered[j].start, seg.start)
            words = tuple(w for w in seg.words if w.start < end)
            words = tuple(replace(w, end=min(w.end, end)) for w in words)
            out[k] = replace(seg, end=end, words=words)
        nxt[who[k]] = k
    return out


def _group(segments: Sequence[Segment]) -> list[tuple[str | None, list[Segment]]]:
    """Runs of consecutive segments by one speaker (a label carries forward)."""
    runs: list[tuple[str | None, list[Segment]]] = []
    speaker: str | None = None
    for seg in segments:
        if seg.speaker is not None:
            speaker = seg.speaker or None
        if runs and runs[-1][0] == speaker and not seg.turn_break:
            runs[-1][1].append(seg)
        else:
            runs.append((speaker, [seg]))
    return runs


def _sentences(run: list[Segment]) -> tuple[Sentence, ...]:
    pieces = [(normalize_space(seg.text), seg) for seg in run]
    pieces = [(text, seg) for text, seg in pieces if text]
    # Pieces join with a space, except between two characters of a script
    # written without spaces (consecutive Chinese cues must not gain one).
    starts: list[int] = []
    chunks: list[str] = []
    offset = 0
    for text, _ in pieces:
        if chunks and not (is_cjk(chunks[-1][-1]) and is_cjk(text[0])):
            chunks.append(" ")
            offset += 1
        starts.append(offset)
        chunks.append(text)
        offset += len(text)
    joined = "".join(chunks)

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
            # (a word is near the one before it: a bounded window keeps a piece
            # whose words are not in its text from being searched once per word)
            window = min(starts[k] + len(text), cursor + len(needle) + _WORD_WINDOW)
            found = joined.find(needle, cursor, window) if needle else -1
            pos = found if found >= 0 else cursor
            word_pos.append((pos, word))
            cursor = pos + len(needle) if found >= 0 else cursor

    # Spaces between pieces are joins, not text: the spans index the normalised
    # joined text, which is the same string (pieces are already normalised).
    normalised, spans = sentence_spans(joined)
    assert normalised == joined
    # word positions never decrease (each search starts where the last ended):
    # a sentence's words are a slice, found by bisection
    positions = [p for p, _ in word_pos]
    out: list[Sentence] = []
    for pos, end_pos in spans:
        text = joined[pos:end_pos]
        k = piece_at(pos)
        words = tuple(w for _, w in word_pos[bisect.bisect_left(positions, pos):
                                             bisect.bisect_left(positions, end_pos)])
        if words:
            start, end = words[0].start, words[-1].end
        else:
            start, end = time_at(pos, end=False), time_at(end_pos, end=True)
        out.append(Sentence(text=text, start=start, end=max(end, start), confidence=1.0, words=words,
                            line=_text_line(pieces[k][1])))
    return tuple(out)


def _text_line(seg: Segment) -> int | None:
    return seg.text_line if seg.text_line is not None else seg.line


def build_transcript(
    segments: Sequence[Segment],
    path: Path,
    options: ReadOptions,
    *,
    dropped: Sequence[DroppedLine] = (),
) -> Transcript:
    """Order the pieces, group speakers, re-split sentences and time them.

    ``dropped`` are the lines the reader skipped (reported with the transcript).
    """
    if not any(normalize_space(seg.text) for seg in segments):
        what = f" ({len(dropped)} cue(s) skipped: {dropped[0].rule})" if dropped else ""
        raise InputError(f"no cues with text (empty transcript){what}", path=path,
                         line=dropped[0].line if dropped else None)
    turns = []
    for speaker, run in _group(_order(segments)):
        sentences = _sentences(run)
        if sentences:
            turns.append(Turn(speaker=display_name(speaker, options.speakers), sentences=sentences, chapter=None))
    return Transcript(language=options.language, turns=tuple(turns), chapters=(), source=Path(path),
                      dropped=tuple(sorted(dropped, key=lambda d: d.line)))
