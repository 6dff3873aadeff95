"""Audio analysis: one streaming decode, three per-frame tracks, cached by the audio's hash.

Every aligner needs the same few things from an episode's audio, all per 10 ms
frame:

* ``power``: mean-square energy (the pause detector, boundary snapping);
* ``speech``: the Silero VAD speech probability (:mod:`.vad`), 0–255 — speech
  vs music, intros, silence;
* ``mfcc``: 13 cepstra as PocketSphinx computes them (:mod:`.features`) — the
  forced aligner's input and the DTW aligner's features.

:func:`analyse` gets them in **one** ffmpeg decode (16 kHz mono, streamed in
1 MiB chunks; memory stays bounded by the tracks: ≈ 40 MB per hour).

:class:`~toolkit.cache.audio.AnalysisStore` (the one cache package, :mod:`toolkit.cache`)
keeps the tracks under the audio file's own SHA-256, the analysis code and the
decoder, so a transcript edit re-aligns without decoding the audio again; it
also keeps the aligners' per-window results, so only the windows whose text
changed are aligned again.  The tracks are stored rounded (power float32, MFCC float16) and
a fresh analysis is rounded the same way before use, so a cached and a fresh
run give the same alignment.  A damaged or foreign file is ignored and
rewritten: the cache never makes a publish fail.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..cache.audio import AnalysisStore
from . import features
from .ffmpeg import decode_pcm
from .vad import VadStream, available

log = logging.getLogger(__name__)

__all__ = ["AudioAnalysis", "AnalysisStore", "analyse", "FRAME_MS"]

FRAME_MS = 10
_FRAME = features.RATE * FRAME_MS // 1000


@dataclass(frozen=True)
class AudioAnalysis:
    """Per-frame tracks of one audio file (frame *k* starts at *k* × 10 ms)."""

    power: np.ndarray  # float64, mean-square relative to full scale
    mfcc: np.ndarray  # float32 (frames, 13)
    speech: np.ndarray | None  # uint8 speech probability × 255, None without a VAD
    frame_ms: int = FRAME_MS

    @property
    def n_frames(self) -> int:
        return int(len(self.power))

    @property
    def duration_ms(self) -> int:
        return self.n_frames * self.frame_ms

    def speech_prob(self) -> np.ndarray:
        """Speech probability in [0, 1] per frame (1.0 everywhere without a VAD)."""
        if self.speech is None:
            return np.ones(self.n_frames)
        return self.speech.astype(np.float64) / 255.0


def _rounded(power: np.ndarray, mfcc: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The precision the cache keeps, applied to fresh tracks too (same results either way)."""
    return power.astype(np.float32).astype(np.float64), mfcc.astype(np.float16).astype(np.float32)


def _decode_tracks(path: Path, *, vad: bool) -> AudioAnalysis:
    stream = features.MfccStream()
    voice = VadStream() if vad else None
    frames = features.FramePower(_FRAME)
    for chunk in decode_pcm(path, rate=features.RATE):
        samples = np.frombuffer(chunk, dtype="<i2")
        stream.feed(samples)
        if voice is not None:
            voice.feed(samples)
        frames.feed(samples)
    power = frames.finish()
    mfcc = stream.finish()[: len(power)]
    if len(mfcc) < len(power):  # a file shorter than one analysis window
        mfcc = np.concatenate([mfcc, np.zeros((len(power) - len(mfcc), features.NCEP), dtype=np.float32)])
    power, mfcc = _rounded(power, mfcc)
    speech = voice.finish(len(power), _FRAME) if voice is not None else None
    return AudioAnalysis(power, mfcc, speech)


def _load(store: AnalysisStore) -> AudioAnalysis | None:
    arrays = store.load_arrays()
    if arrays is None:
        return None
    try:
        speech = arrays["speech"] if arrays["has_speech"] else None
        power = arrays["power"].astype(np.float64)
        mfcc = arrays["mfcc"].astype(np.float32)
    except KeyError as exc:
        store.damaged(f"no track {exc}")
        return None
    if mfcc.shape != (len(power), features.NCEP) or (speech is not None and len(speech) != len(power)):
        store.damaged("track lengths differ")
        return None
    return AudioAnalysis(power, mfcc, None if speech is None else speech.astype(np.uint8))


def _save(store: AnalysisStore, analysis: AudioAnalysis) -> None:
    store.save_arrays(
        power=analysis.power.astype(np.float32),
        mfcc=analysis.mfcc.astype(np.float16),
        speech=analysis.speech if analysis.speech is not None else np.zeros(0, dtype=np.uint8),
        has_speech=np.array(analysis.speech is not None),
    )


def analyse(path: Path, *, store: AnalysisStore | None = None, vad: bool = True) -> AudioAnalysis:
    """The tracks of ``path``: from ``store`` when its key matches, else one decode (then stored)."""
    path = Path(path)
    if store is not None:
        hit = _load(store)
        if hit is not None and (hit.speech is not None or not vad):
            log.debug("%s: audio analysis from cache", path)
            return hit
    use_vad = vad and available()
    if vad and not use_vad:
        log.warning("Silero VAD not available: music and noise cannot be told from speech")
    result = _decode_tracks(path, vad=use_vad)
    if store is not None:
        _save(store, result)
    return result
