"""Is an untimed transcript plausible for its audio?

Untimed text is spread over the audio by the aligner whatever its length, so
a transcript of the wrong episode, or of a two-hour talk against a
one-minute trailer, would be published with cues crammed together or running
past the end.  :func:`check_speakable` refuses such a pair before alignment,
naming both files:

* the text must be speakable in the audio: at most :data:`MAX_RATE` letters
  per second of audio (fast conversational speech is 15–20; auctioneers and
  sped-up reads stay under 30); Chinese and Japanese characters count 3 (one
  syllable each), digits 2;
* a turn stamp (an anchor) must lie inside the audio.

Timed transcripts are checked against the audio by the timing stage.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

from ..errors import InputError
from ..formats import timecode
from ..model import Transcript

__all__ = ["check_speakable", "speech_load", "MAX_RATE"]

#: Letters (CJK characters × 3, digits × 2) per second of audio nobody exceeds.
MAX_RATE = 30.0


def speech_load(text: str) -> float:
    """Letters of ``text`` (CJK characters count 3, digits 2): a rough measure
    of how long it takes to say."""
    load = 0.0
    for ch in text:
        cat = unicodedata.category(ch)
        if cat == "Nd":
            load += 2.0
        elif cat[0] in "LN":
            load += 3.0 if unicodedata.east_asian_width(ch) == "W" else 1.0
    return load


def check_speakable(transcript: Transcript, audio: Path, duration_ms: int) -> None:
    """Raise :class:`~toolkit.errors.InputError` (naming the transcript and the
    audio) when an untimed ``transcript`` cannot be spoken within ``duration_ms``."""
    if transcript.timed:
        return
    where = transcript.source if transcript.source is not None else None
    for s in transcript.sentences:
        if s.start is not None and s.end is None and s.start > duration_ms:
            raise InputError(
                f"turn stamp {timecode.clock(s.start)} is after the end of {Path(audio).name} "
                f"({timecode.clock(duration_ms)})", path=where, line=s.line,
                hint="is this the transcript of this audio?")
    load = sum(speech_load(s.text) for s in transcript.sentences)
    seconds = max(duration_ms, 1) / 1000
    if load / seconds > MAX_RATE:
        raise InputError(
            f"{load:.0f} letters of speech cannot be spoken in the {timecode.clock(duration_ms)} of "
            f"{Path(audio).name} ({load / seconds:.0f} letters/s; speech stays under {MAX_RATE:.0f})",
            path=where, hint="check that the transcript and the audio are of the same, complete episode")
