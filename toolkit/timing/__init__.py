"""Timing: audio metadata and alignment of untimed text to the audio.

Interface (used by the pipeline)::

    audio_info(path) -> AudioInfo
    time_transcript(transcript, audio_path, info) -> (Transcript, AlignmentReport)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..model import Transcript


@dataclass(frozen=True)
class AudioInfo:
    path: Path
    duration_ms: int
    size: int  # bytes (the enclosure length)
    mime: str  # e.g. audio/mpeg
    bitrate: int | None = None
    channels: int | None = None
    sample_rate: int | None = None


@dataclass(frozen=True)
class AlignmentReport:
    method: str  # "timed-input" | "pauses" | "proportional"
    low_confidence: tuple[str, ...] = field(default_factory=tuple)  # human-readable stretches


def audio_info(path: Path) -> AudioInfo:
    raise NotImplementedError  # filled in by the timing stage


def time_transcript(transcript: Transcript, audio_path: Path, info: AudioInfo) -> tuple[Transcript, AlignmentReport]:
    raise NotImplementedError  # filled in by the timing stage
