"""Real speech for the real-world transcript tests: sentences synthesised with
two different synthesizers (festival with the CMU SLT HTS voice and the kal
diphone voice; espeak-ng for Mandarin and a few English voices), laid out
with pauses — and, where a test needs it, untranscribed music — and encoded
to MP3 with ffmpeg.  The layout is returned, so tests know when each
sentence was really spoken.

Everything is cached per process (``tmp`` folder of the caller), never in the
repository.
"""

from __future__ import annotations

import hashlib
import math
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from support.sitekit import ffmpeg

RATE = 16000  # samples per second, 16-bit mono


@dataclass(frozen=True)
class Say:
    """A sentence to speak (``voice``: ``festival:<voice>`` or ``espeak:<voice>``)."""

    text: str
    voice: str = "festival:cmu_us_slt_arctic_hts"
    pause_after: int = 600  # ms of silence after it


@dataclass(frozen=True)
class Music:
    """Untranscribed non-speech (a jingle): a chord with a tremolo, no pauses."""

    ms: int


@dataclass(frozen=True)
class At:
    """Start the next sound at this time (silence up to it)."""

    ms: int


@dataclass(frozen=True)
class Spoken:
    """Where a sentence ended up in the audio (ms; the clip, incl. the synthesizer's edges)."""

    text: str
    start: int
    end: int


def synthesizers_missing() -> list[str]:
    return [tool for tool in ("text2wave", "espeak-ng") if shutil.which(tool) is None]


def _pcm(say: Say, work: Path) -> bytes:
    key = hashlib.sha256(f"{say.voice}|{say.text}".encode()).hexdigest()[:16]
    raw = work / f"{key}.raw"
    if raw.is_file():
        return raw.read_bytes()
    wav = work / f"{key}.wav"
    engine, _, voice = say.voice.partition(":")
    if engine == "festival":
        txt = work / f"{key}.txt"
        txt.write_text(say.text, encoding="utf-8")
        subprocess.run(["text2wave", "-eval", f"(voice_{voice})", "-o", str(wav), str(txt)], check=True,
                       capture_output=True, timeout=120)
    else:
        subprocess.run(["espeak-ng", "-v", voice, "-s", "165", "-w", str(wav), say.text], check=True,
                       capture_output=True, timeout=120)
    subprocess.run([ffmpeg(), "-v", "error", "-y", "-i", str(wav), "-ac", "1", "-ar", str(RATE), "-f", "s16le",
                    str(raw)], check=True, timeout=120)
    return raw.read_bytes()


def _music(ms: int) -> bytes:
    import numpy as np

    t = np.arange(int(RATE * ms / 1000)) / RATE
    chord = sum(np.sin(2 * math.pi * f * t) for f in (220.0, 277.2, 329.6, 440.0)) / 4
    tremolo = 0.75 + 0.25 * np.sin(2 * math.pi * 5 * t)
    return (chord * tremolo * 0.35 * 32767).astype("<i2").tobytes()


def render(parts: Sequence[Say | Music | At], out: Path, work: Path) -> list[Spoken]:
    """Lay ``parts`` out one after the other into the MP3 ``out``; return where each sentence is."""
    work.mkdir(parents=True, exist_ok=True)
    pcm = bytearray()
    spoken: list[Spoken] = []

    def now() -> int:
        return len(pcm) // 2 * 1000 // RATE

    pcm += bytes(2 * RATE // 2)  # 0.5 s lead-in
    for part in parts:
        if isinstance(part, At):
            if part.ms < now():
                raise AssertionError(f"test audio: {part.ms} ms is already past ({now()} ms)")
            pcm += bytes(2 * (part.ms * RATE // 1000) - len(pcm))
        elif isinstance(part, Music):
            pcm += _music(part.ms)
        else:
            start = now()
            pcm += _pcm(part, work)
            spoken.append(Spoken(part.text, start, now()))
            pcm += bytes(2 * (part.pause_after * RATE // 1000))
    pcm += bytes(2 * RATE)  # 1 s tail
    raw = work / (out.stem + ".raw")
    raw.write_bytes(bytes(pcm))
    subprocess.run([ffmpeg(), "-v", "error", "-y", "-f", "s16le", "-ar", str(RATE), "-ac", "1", "-i", str(raw),
                    "-b:a", "64k", "-map_metadata", "-1", "-fflags", "+bitexact", "-flags:a", "+bitexact",
                    str(out)], check=True, timeout=300)
    return spoken


def tone(out: Path, seconds: float) -> Path:
    """A plain tone MP3 of ``seconds`` (for timed transcripts: only its length matters)."""
    subprocess.run([ffmpeg(), "-v", "error", "-y", "-f", "lavfi", "-i", f"sine=frequency=330:duration={seconds}",
                    "-ac", "1", "-ar", "22050", "-b:a", "32k", "-map_metadata", "-1", "-fflags", "+bitexact",
                    "-flags:a", "+bitexact", str(out)], check=True, timeout=120)
    return out
