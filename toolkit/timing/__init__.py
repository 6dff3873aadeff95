"""Timing: audio metadata and alignment of untimed text to the audio.

Interface (used by the pipeline)::

    audio_info(path) -> AudioInfo
    time_transcript(transcript, audio_path, info) -> (Transcript, AlignmentReport)

Modules: :mod:`.ffmpeg` (finding and running ffmpeg), :mod:`.audio`
(metadata via mutagen), :mod:`.analysis` (one decode: energy, speech activity
(:mod:`.vad`), MFCC (:mod:`.features`), cached by the audio's hash),
:mod:`.timer` (``time_transcript``: method choice, anchors, confidence),
the aligners :mod:`.sphinx` (English, forced alignment), :mod:`.dtw`
(every espeak-ng language: TTS + DTW, :mod:`.espeak`) and :mod:`.align`
(pause detection + text length, the fallback), with :mod:`.windows` (long
audio in bounded memory), :mod:`.normalize` (text as spoken),
:mod:`.lexicon` (pronunciations) and :mod:`.words` (confidence, re-timing).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class AudioInfo:
    """What the feed needs to know about an episode's audio file."""

    path: Path
    duration_ms: int
    size: int  # bytes (the enclosure length)
    mime: str  # e.g. audio/mpeg
    bitrate: int | None = None
    channels: int | None = None
    sample_rate: int | None = None
    duration_source: str = "metadata"  # "metadata" (mutagen) | "decode" (ffmpeg streaming pass)


@dataclass(frozen=True)
class AlignmentReport:
    """How the transcript got its times, and where they are doubtful."""

    method: str  # "timed-input" | "forced" | "tts-dtw" | "pauses" | "proportional"
    low_confidence: tuple[str, ...] = field(default_factory=tuple)  # human-readable stretches
    candidates: int = 0  # pauses found in the audio (pause alignment only)
    speech_start: int | None = None  # detected end of the lead-in (ms)
    speech_end: int | None = None  # detected end of speech (ms)
    mean_confidence: float = 1.0
    note: str = ""  # why a fallback was taken, when it was
    engine: str = ""  # what did it, e.g. "pocketsphinx 5.1.1, US-English model"
    words: bool = False  # every sentence has word timings of its own
    retimed: int = 0  # low-confidence stretches re-timed proportionally
    anchors: int = 0  # sentences that came with a start time and were kept there

    @property
    def label(self) -> str:
        """How the summary names the timing: "forced-alignment (word level)", "pauses", …"""
        names = {"forced": "forced-alignment", "tts-dtw": "TTS+DTW", "timed-input": "timed-input"}
        text = names.get(self.method, self.method)
        if self.words:
            text += " (word level)"
        return text


# The implementations import the two dataclasses above from this package, so
# they are imported only after the classes exist.
from .audio import audio_info  # noqa: E402
from .timer import time_transcript  # noqa: E402

__all__ = ["AudioInfo", "AlignmentReport", "audio_info", "time_transcript"]
