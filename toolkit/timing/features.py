"""MFCC features on numpy, computed the way PocketSphinx's front end computes them.

One feature stream serves both aligners: PocketSphinx takes it through
``Decoder.process_cep`` (so the audio is decoded once, the features are cached
and a transcript edit needs no decode), and the TTS + DTW aligner compares it
with the same features of synthesized speech.

The parameters are those of the US-English acoustic model PocketSphinx ships
(its ``feat.params``): 16 kHz, 10 ms frame shift, 25.625 ms symmetric Hamming
window, pre-emphasis 0.97, 512-point FFT, 25 triangular mel filters (unit area,
edges rounded to FFT bins) from 130 to 6800 Hz, natural log, orthonormal
DCT-II, 13 cepstra, sinusoidal lifter 22.  Its ``remove_noise`` spectral
subtraction is not reproduced (measured on bench/bench_align.py: it moves no
boundary by more than a frame on our conditions).

Samples are scaled as int16 values, as PocketSphinx reads them.  A dither
(uniform, peak −55 dBFS, fixed seed) keeps digital silence out of ``log(0)``
(the reference notes: forced alignment fails on exact digital silence) and
fills the spectral holes of low-bitrate MP3: at −70 dBFS the 32 kbit/s seed
narrations made PocketSphinx prefer silence over words and lag by seconds;
from −60 dBFS on they align as well as the uncompressed speech.
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np

__all__ = ["RATE", "SHIFT", "WINDOW", "NCEP", "mfcc", "MfccStream"]

RATE = 16000
SHIFT = 160  # 10 ms
WINDOW = 410  # 0.025625 s × 16 kHz
NFFT = 512
NFILT = 25
LOWER_HZ = 130.0
UPPER_HZ = 6800.0
NCEP = 13
LIFTER = 22
ALPHA = 0.97
DITHER = 32768.0 * 10 ** (-55 / 20)


def _mel(f: float) -> float:
    return 2595.0 * math.log10(1.0 + f / 700.0)


def _melinv(m: float) -> float:
    return 700.0 * (math.pow(10.0, m / 2595.0) - 1.0)


@lru_cache(maxsize=1)
def _filterbank() -> np.ndarray:
    """(NFILT, NFFT//2+1) triangular mel filters, as sphinxbase builds them."""
    fb = np.zeros((NFILT, NFFT // 2 + 1))
    melmin, melmax = _mel(LOWER_HZ), _mel(UPPER_HZ)
    melbw = (melmax - melmin) / (NFILT + 1)
    fftfreq = RATE / NFFT
    for i in range(NFILT):
        freqs = [int(_melinv((i + j) * melbw + melmin) / fftfreq + 0.5) * fftfreq for j in range(3)]
        for j in range(NFFT // 2 + 1):
            hz = j * fftfreq
            if hz < freqs[0]:
                continue
            if hz > freqs[2] or j == NFFT // 2:
                break
            lo = (hz - freqs[0]) / (freqs[1] - freqs[0])
            hi = (freqs[2] - hz) / (freqs[2] - freqs[1])
            scale = 2.0 / (freqs[2] - freqs[0])
            fb[i, j] = min(lo, hi) * scale
    return fb


@lru_cache(maxsize=1)
def _dct_lifter() -> np.ndarray:
    """(NFILT, NCEP) orthonormal DCT-II with the sinusoidal lifter folded in."""
    n = np.arange(NFILT)
    basis = np.empty((NFILT, NCEP))
    basis[:, 0] = math.sqrt(1.0 / NFILT)
    for i in range(1, NCEP):
        basis[:, i] = np.cos(math.pi * i * (n + 0.5) / NFILT) * math.sqrt(2.0 / NFILT)
    lift = 1.0 + LIFTER / 2.0 * np.sin(np.arange(NCEP) * math.pi / LIFTER)
    return basis * lift


@lru_cache(maxsize=1)
def _window() -> np.ndarray:
    i = np.arange(WINDOW)
    return 0.54 - 0.46 * np.cos(2 * math.pi * i / (WINDOW - 1))


def _frames_to_mfcc(emph: np.ndarray, n_frames: int) -> np.ndarray:
    """MFCC of ``n_frames`` frames starting at sample 0 of the pre-emphasised ``emph``."""
    if n_frames <= 0:
        return np.zeros((0, NCEP), dtype=np.float32)
    idx = np.arange(WINDOW)[None, :] + SHIFT * np.arange(n_frames)[:, None]
    frames = emph[idx] * _window()
    spec = np.fft.rfft(frames, n=NFFT)
    power = spec.real**2 + spec.imag**2
    mel = power @ _filterbank().T
    out: np.ndarray = (np.log(mel + 1e-4) @ _dct_lifter()).astype(np.float32)
    return out


class MfccStream:
    """Incremental MFCC over a stream of int16 chunks (bounded memory).

    Frame *k* covers samples ``[160 k, 160 k + 410)``; a last partial frame is
    zero-padded, as PocketSphinx does at the end of an utterance.
    """

    def __init__(self, seed: int = 0) -> None:
        self._rng = np.random.default_rng(seed)
        self._buf = np.zeros(0)  # pre-emphasised samples not yet consumed
        self._prior = 0.0
        self._parts: list[np.ndarray] = []
        self._samples = 0

    def feed(self, samples: np.ndarray) -> None:
        x = samples.astype(np.float64)
        x = x + self._rng.uniform(-DITHER, DITHER, len(x))
        emph = np.empty_like(x)
        if len(x):
            emph[0] = x[0] - ALPHA * self._prior
            emph[1:] = x[1:] - ALPHA * x[:-1]
            self._prior = float(x[-1])
        self._samples += len(x)
        buf = np.concatenate([self._buf, emph])
        n = (len(buf) - WINDOW) // SHIFT + 1 if len(buf) >= WINDOW else 0
        # keep blocks small: ≈ 1 MB of frames at a time
        for a in range(0, n, 2000):
            b = min(n, a + 2000)
            self._parts.append(_frames_to_mfcc(buf[a * SHIFT:], b - a))
        self._buf = buf[n * SHIFT:]

    def finish(self) -> np.ndarray:
        if self._samples and (len(self._buf) > WINDOW - SHIFT or not self._parts):
            pad = np.concatenate([self._buf, np.zeros(WINDOW)])
            self._parts.append(_frames_to_mfcc(pad, 1))
        self._buf = np.zeros(0)
        out = np.concatenate(self._parts) if self._parts else np.zeros((0, NCEP), dtype=np.float32)
        self._parts = [out]
        return out


def mfcc(samples: np.ndarray, *, seed: int = 0) -> np.ndarray:
    """(frames, 13) float32 MFCC of mono int16 samples at 16 kHz."""
    stream = MfccStream(seed)
    stream.feed(samples)
    return stream.finish()


class FramePower:
    """Mean-square power per frame of ``frame`` samples, fed int16 chunks of any
    length in order (memory: the partial frame carried between chunks and 8 bytes
    per frame); a partial last frame is dropped."""

    def __init__(self, frame: int) -> None:
        self.frame = frame
        self._parts: list[np.ndarray] = []
        self._rest = np.zeros(0, dtype=np.int16)

    def feed(self, samples: np.ndarray) -> None:
        if len(self._rest):
            samples = np.concatenate([self._rest, samples])
        whole = len(samples) - len(samples) % self.frame
        if whole:
            block = samples[:whole].astype(np.float64).reshape(-1, self.frame) / 32768.0
            self._parts.append(np.einsum("ij,ij->i", block, block) / self.frame)
        self._rest = samples[whole:].copy()

    def finish(self) -> np.ndarray:
        return np.concatenate(self._parts) if self._parts else np.zeros(0)
