"""Timing: audio metadata and alignment of untimed text to the audio.

Interface (used by the pipeline)::

    audio_info(path) -> AudioInfo
    time_transcript(transcript, audio_path, info) -> (Transcript, AlignmentReport)

Modules: :mod:`.ffmpeg` (finding and running ffmpeg), :mod:`.audio`
(metadata via mutagen), :mod:`.align` (pause detection and text alignment).
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

    method: str  # "timed-input" | "pauses" | "proportional"
    low_confidence: tuple[str, ...] = field(default_factory=tuple)  # human-readable stretches
    candidates: int = 0  # pauses found in the audio (untimed input only)
    speech_start: int | None = None  # detected end of the lead-in (ms)
    speech_end: int | None = None  # detected end of speech (ms)
    mean_confidence: float = 1.0
    note: str = ""  # why a fallback was taken, when it was


# The implementations import the two dataclasses above from this package, so
# they are imported only after the classes exist.
from .align import time_transcript  # noqa: E402
from .audio import audio_info  # noqa: E402

__all__ = ["AudioInfo", "AlignmentReport", "audio_info", "time_transcript"]
