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

from ..build import AlignmentReport, AudioInfo
from .audio import audio_info
from .timer import time_transcript

__all__ = ["AudioInfo", "AlignmentReport", "audio_info", "time_transcript"]
