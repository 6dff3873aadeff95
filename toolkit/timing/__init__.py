"""Timing: audio metadata and alignment of untimed text to the audio.

Interface (used by the pipeline; the two reports are records of :mod:`toolkit.build`)::

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

from typing import Any

from ..build import AlignmentReport, AudioInfo
from .audio import audio_info

__all__ = ["AudioInfo", "AlignmentReport", "audio_info", "time_transcript"]


def __getattr__(name: str) -> Any:
    """``time_transcript`` on first use (PEP 562): reading a duration
    (:func:`audio_info`, mutagen) must not import numpy and the aligners."""
    if name == "time_transcript":
        from .timer import time_transcript  # lazy: .timer pulls numpy and every aligner (~0.5 s at start-up)

        globals()[name] = time_transcript
        return time_transcript
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
