"""Whisper / WhisperX JSON (``.json``) and Podcast Index transcript JSON → a
timed transcript.

Parsed by :mod:`toolkit.formats.whisper_json` (shapes of openai-whisper,
faster-whisper and WhisperX; errors name the JSON path) and
:mod:`toolkit.formats.podcast_json`.  ``words`` become
:attr:`~toolkit.model.Sentence.words`; ``speaker`` (diarised output,
``SPEAKER_00``) names the speaker — rename it in ``episode.toml``'s
``[speakers]``.  When only the words carry speakers (WhisperX
``assign_word_speakers`` on a segment spanning a speaker change), the
segment is split where the word speaker changes.  Empty segments (silence,
music) are skipped.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError
from ..formats import podcast_json, whisper_json
from ..model import Transcript, Word
from .common import ReadOptions
from .timed import Segment, build_transcript

__all__ = ["read_whisper", "read_podcast_json"]


def _split_by_word_speaker(seg: whisper_json.WhisperSegment) -> list[Segment]:
    words = seg.words
    speakers = {w.speaker for w in words if w.speaker}
    if seg.speaker is not None or len(speakers) < 2:
        speaker = seg.speaker or (next(iter(speakers)) if speakers else None)
        return [Segment(seg.text, seg.start, seg.end, speaker=speaker, where=f"{seg.where}.start",
                        words=tuple(Word(w.text, w.start, w.end) for w in words))]
    runs: list[list[whisper_json.WhisperWord]] = []
    for w in words:
        if runs and (w.speaker is None or w.speaker == runs[-1][0].speaker):
            runs[-1].append(w)
        else:
            runs.append([w])
    out = []
    for k, run in enumerate(runs):
        start = seg.start if k == 0 else run[0].start
        end = seg.end if k == len(runs) - 1 else runs[k + 1][0].start
        out.append(Segment(" ".join(w.text for w in run), start, max(end, start), speaker=run[0].speaker,
                           where=f"{seg.where}.words", words=tuple(Word(w.text, w.start, w.end) for w in run),
                           new_cue=k == 0))
    return out


def read_whisper(text: str, path: Path, options: ReadOptions) -> Transcript:
    """Read Whisper-style JSON (see the module doc)."""
    doc = whisper_json.parse(text, path)
    segments: list[Segment] = []
    for seg in doc.segments:
        if seg.text.strip():
            segments.extend(_split_by_word_speaker(seg))
    if not segments:
        raise InputError(f"{doc.prefix or 'list'}: no segments with text (empty transcript)", path=path)
    return build_transcript(segments, path, options)


def read_podcast_json(text: str, path: Path, options: ReadOptions) -> Transcript:
    """Read a Podcast Index transcript JSON (``{"version", "segments": [{startTime, endTime, body, speaker}]}``)."""
    segments = [Segment(s.body, s.start, s.end, speaker=s.speaker, where=f"{s.where}.startTime")
                for s in podcast_json.parse(text, path) if s.body.strip()]
    if not segments:
        raise InputError("segments: no segments with text (empty transcript)", path=path)
    return build_transcript(segments, path, options)
