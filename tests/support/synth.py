"""Synthetic narration with known sentence boundaries (demo audio, alignment checks).

Each sentence is spoken by ``espeak-ng`` into its own WAV, trimmed to its
first and last audible sample, and the clips are joined with exact silences,
so the true start and end of every sentence is known to the sample.  Used by
the tests and ``bench/bench_align.py``; never by the publishing path.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import wave
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from toolkit.errors import AudioError, ToolMissingError
from toolkit.timing.ffmpeg import resolve_ffmpeg

if TYPE_CHECKING:  # pragma: no cover
    from pydub import AudioSegment

__all__ = ["Narration", "synthesize", "write_wav", "encode"]

RATE = 22050  # espeak-ng's native output rate
_AUDIBLE = 64  # |sample| above this (-54 dBFS) counts as sound when trimming


@dataclass(frozen=True)
class Narration:
    """A synthesized narration: mono int16 samples and the true sentence spans (ms)."""

    samples: np.ndarray
    rate: int
    spans: tuple[tuple[int, int], ...]

    @property
    def duration_ms(self) -> int:
        return len(self.samples) * 1000 // self.rate


def _espeak(text: str, wpm: int, voice: str, workdir: Path) -> np.ndarray:
    exe = shutil.which("espeak-ng")
    if exe is None:
        raise ToolMissingError("espeak-ng not found", hint="apt-get install espeak-ng")
    out = workdir / "s.wav"
    subprocess.run([exe, "-v", voice, "-s", str(wpm), "-w", str(out), text], check=True, capture_output=True)
    with wave.open(str(out), "rb") as w:
        if w.getframerate() != RATE or w.getnchannels() != 1 or w.getsampwidth() != 2:
            raise AudioError("unexpected espeak-ng output format", path=out)
        data = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2")
    loud = np.flatnonzero(np.abs(data.astype(np.int32)) > _AUDIBLE)
    if len(loud) == 0:
        raise AudioError(f"espeak-ng produced silence for {text!r}", path=out)
    return data[loud[0] : loud[-1] + 1].copy()


def synthesize(
    sentences: Sequence[str],
    *,
    pauses_ms: Sequence[int],
    wpm: Sequence[int] | int = 170,
    lead_in_ms: int = 800,
    tail_ms: int = 600,
    noise_dbfs: float | None = None,
    seed: int = 0,
    voice: str = "en",
) -> Narration:
    """Speak ``sentences`` with ``pauses_ms[i]`` of silence after sentence *i* (N−1 values).

    ``noise_dbfs`` adds white noise of that RMS level over the whole file.
    """
    if len(pauses_ms) != len(sentences) - 1:
        raise ValueError("need one pause between each pair of sentences")
    speeds = [wpm] * len(sentences) if isinstance(wpm, int) else list(wpm)
    parts: list[np.ndarray] = [np.zeros(RATE * lead_in_ms // 1000, dtype=np.int16)]
    spans: list[tuple[int, int]] = []
    pos = len(parts[0])
    with tempfile.TemporaryDirectory(prefix="toolkit-synth-") as tmp:
        for i, text in enumerate(sentences):
            clip = _espeak(text, speeds[i], voice, Path(tmp))
            spans.append((round(pos * 1000 / RATE), round((pos + len(clip)) * 1000 / RATE)))
            parts.append(clip)
            pos += len(clip)
            gap = pauses_ms[i] if i < len(pauses_ms) else tail_ms
            parts.append(np.zeros(RATE * gap // 1000, dtype=np.int16))
            pos += len(parts[-1])
    samples = np.concatenate(parts)
    if noise_dbfs is not None:
        rng = np.random.default_rng(seed)
        noise = rng.standard_normal(len(samples)) * (10 ** (noise_dbfs / 20) * 32768)
        samples = np.clip(samples.astype(np.float64) + noise, -32768, 32767).astype(np.int16)
    return Narration(samples, RATE, tuple(spans))


def write_wav(path: Path, samples: np.ndarray, rate: int = RATE) -> Path:
    """Write mono int16 samples as a WAV file."""
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(samples.astype("<i2").tobytes())
    return path


def encode(src: Path, dst: Path, *, args: Sequence[str] = ("-c:a", "libmp3lame", "-b:a", "64k")) -> Path:
    """Encode ``src`` to ``dst`` with ffmpeg (default: 64 kbps CBR MP3 with Xing header)."""
    cmd = [resolve_ffmpeg(), "-nostdin", "-v", "error", "-y", "-i", str(src), *args, str(dst)]
    subprocess.run(cmd, check=True, capture_output=True)
    return dst


def load_segment(path: Path, *, rate: int | None = None) -> "AudioSegment":
    """Load a (short) clip as a mono pydub ``AudioSegment`` without ffprobe.

    Decodes through :func:`toolkit.timing.ffmpeg.decode_pcm` and wraps the PCM.
    """
    from pydub import AudioSegment

    from toolkit.timing.ffmpeg import configure_pydub, decode_pcm

    configure_pydub()
    sr = rate or 16000
    pcm = b"".join(decode_pcm(path, rate=sr))
    return AudioSegment(data=pcm, sample_width=2, frame_rate=sr, channels=1)
