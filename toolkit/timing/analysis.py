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

:class:`AnalysisStore` keeps the tracks in ``<folder>/<name>.npz`` under a key
made of the audio file's own SHA-256, the analysis code and the decoder, so a
transcript edit re-aligns without decoding the audio again; it also keeps the
aligners' per-window results (``<name>.windows.json``, see
:meth:`AnalysisStore.windows`), so only the windows whose text changed are
decoded again.  The tracks are stored rounded (power float32, MFCC float16) and
a fresh analysis is rounded the same way before use, so a cached and a fresh
run give the same alignment.  A damaged or foreign file is ignored and
rewritten: the cache never makes a publish fail.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from .. import fsutil
from ..digest import code_digest, file_sha256
from . import features
from .ffmpeg import decode_pcm

log = logging.getLogger(__name__)

__all__ = ["AudioAnalysis", "AnalysisStore", "analyse", "FRAME_MS", "ANALYSIS_FORMAT"]

FRAME_MS = 10
ANALYSIS_FORMAT = 1
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
    from .vad import VadStream

    stream = features.MfccStream()
    voice = VadStream() if vad else None
    parts: list[np.ndarray] = []
    rest = np.zeros(0, dtype=np.int16)
    for chunk in decode_pcm(path, rate=features.RATE):
        samples = np.frombuffer(chunk, dtype="<i2")
        stream.feed(samples)
        if voice is not None:
            voice.feed(samples)
        if len(rest):
            samples = np.concatenate([rest, samples])
        whole = len(samples) - len(samples) % _FRAME
        if whole:
            block = samples[:whole].astype(np.float64).reshape(-1, _FRAME) / 32768.0
            parts.append(np.einsum("ij,ij->i", block, block) / _FRAME)
        rest = samples[whole:].copy()
    power = np.concatenate(parts) if parts else np.zeros(0)
    mfcc = stream.finish()[: len(power)]
    if len(mfcc) < len(power):  # a file shorter than one analysis window
        mfcc = np.concatenate([mfcc, np.zeros((len(power) - len(mfcc), features.NCEP), dtype=np.float32)])
    power, mfcc = _rounded(power, mfcc)
    speech = voice.finish(len(power), _FRAME) if voice is not None else None
    return AudioAnalysis(power, mfcc, speech)


def _ffmpeg_identity() -> list[Any]:
    exe = os.environ.get("TOOLKIT_FFMPEG") or shutil.which("ffmpeg") or "imageio-ffmpeg"
    try:
        st = os.stat(shutil.which(exe) or exe)
        return [exe, st.st_size, st.st_mtime_ns]
    except OSError:
        return [exe]


def _vad_identity() -> str | None:
    try:
        from .vad import available, model_path

        if not available():
            return None
        return file_sha256(model_path())[:16]
    except Exception:  # noqa: BLE001 - no VAD: the key says so
        return None


@dataclass
class AnalysisStore:
    """Where the analysis of one episode's audio is cached (``folder/name.*``)."""

    folder: Path
    name: str
    audio: Path
    _windows: dict[str, Any] | None = field(default=None, repr=False)
    _used: dict[str, Any] = field(default_factory=dict, repr=False)
    _audio_key: str | None = field(default=None, repr=False)

    @property
    def tracks_path(self) -> Path:
        return self.folder / f"{self.name}.npz"

    @property
    def windows_path(self) -> Path:
        return self.folder / f"{self.name}.windows.json"

    def key(self) -> str:
        """Digest of the audio's bytes, the analysis code, the decoder and the VAD model."""
        if self._audio_key is None:
            parts = {
                "format": ANALYSIS_FORMAT,
                "audio": file_sha256(self.audio),
                "code": code_digest("timing/analysis.py", "timing/features.py", "timing/vad.py", "timing/ffmpeg.py"),
                "ffmpeg": _ffmpeg_identity(),
                "vad": _vad_identity(),
            }
            blob = json.dumps(parts, sort_keys=True).encode()
            self._audio_key = hashlib.sha256(blob).hexdigest()
        return self._audio_key

    def load(self) -> AudioAnalysis | None:
        path = self.tracks_path
        try:
            with np.load(path, allow_pickle=False) as z:
                if str(z["key"]) != self.key():
                    return None
                speech = z["speech"] if z["has_speech"] else None
                power = z["power"].astype(np.float64)
                mfcc = z["mfcc"].astype(np.float32)
                if mfcc.shape != (len(power), features.NCEP) or (speech is not None and len(speech) != len(power)):
                    raise ValueError("track lengths differ")
                return AudioAnalysis(power, mfcc, None if speech is None else speech.astype(np.uint8))
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, zipfile.BadZipFile, EOFError) as exc:
            log.warning("%s: ignoring a damaged audio analysis cache (%s); analysing again", path, exc)
            return None

    def save(self, analysis: AudioAnalysis) -> None:
        import io

        buf = io.BytesIO()
        np.savez(
            buf,
            key=np.array(self.key()),
            power=analysis.power.astype(np.float32),
            mfcc=analysis.mfcc.astype(np.float16),
            speech=analysis.speech if analysis.speech is not None else np.zeros(0, dtype=np.uint8),
            has_speech=np.array(analysis.speech is not None),
        )
        try:
            fsutil.write_bytes(self.tracks_path, buf.getvalue())
        except OSError as exc:
            log.warning("%s: cannot write the audio analysis cache (%s)", self.tracks_path, exc)

    # ------------------------------------------------------------------ per-window results
    def window(self, key: str) -> Any | None:
        """A cached aligner window result (JSON value) for ``key``, or None."""
        if self._windows is None:
            self._windows = {}
            try:
                data = json.loads(self.windows_path.read_text(encoding="utf-8"))
                if isinstance(data, dict) and data.get("audio") == self.key():
                    self._windows = dict(data.get("windows", {}))
            except FileNotFoundError:
                pass
            except (OSError, ValueError) as exc:
                log.warning("%s: ignoring a damaged alignment cache (%s)", self.windows_path, exc)
        hit = self._windows.get(key)
        if hit is not None:
            self._used[key] = hit
        return hit

    def put_window(self, key: str, value: Any) -> None:
        self._used[key] = value

    def flush_windows(self) -> None:
        """Keep exactly the windows the last alignment used (the file never grows with history)."""
        payload = {"audio": self.key(), "windows": self._used}
        text = json.dumps(payload, sort_keys=True, separators=(",", ":")) + "\n"
        try:
            fsutil.write_text(self.windows_path, text)
        except OSError as exc:
            log.warning("%s: cannot write the alignment cache (%s)", self.windows_path, exc)
        self._windows = dict(self._used)


def analyse(path: Path, *, store: AnalysisStore | None = None, vad: bool = True) -> AudioAnalysis:
    """The tracks of ``path``: from ``store`` when its key matches, else one decode (then stored)."""
    path = Path(path)
    if store is not None:
        hit = store.load()
        if hit is not None and (hit.speech is not None or not vad):
            log.debug("%s: audio analysis from cache", path)
            return hit
    from .vad import available

    use_vad = vad and available()
    if vad and not use_vad:
        log.warning("Silero VAD not available: music and noise cannot be told from speech")
    result = _decode_tracks(path, vad=use_vad)
    if store is not None:
        store.save(result)
    return result
