"""Real audio fixtures for the timing tests, generated per session (never committed).

Sentences are spoken by espeak-ng, joined with exact silences and encoded to
MP3 by ffmpeg, so every sentence's true start and end is known.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from support.tools import skip_or_fail

from toolkit.timing.ffmpeg import resolve_ffmpeg
from toolkit.timing.synth import Narration, encode, synthesize, write_wav

SENTENCES = (
    "The ferry left the island at dawn.",
    "Most passengers were asleep on the benches, wrapped in coats.",
    "A boy counted the gulls that followed the wake.",
    "By the time we reached the mainland, he had counted ninety.",
    "His father said the number was probably wrong.",
    "Nobody checked.",
)
PAUSES_MS = (400, 650, 300, 900, 500)
WPM = (170, 160, 182, 155, 175, 168)
LEAD_IN_MS = 800


@dataclass(frozen=True)
class Clip:
    """An encoded narration and its truth."""

    mp3: Path
    wav: Path
    narration: Narration
    sentences: tuple[str, ...]


def ffmpeg_run(*args: str) -> None:
    """Run the resolved ffmpeg quietly; fail the test on error."""
    subprocess.run([resolve_ffmpeg(), "-nostdin", "-v", "error", "-y", *args], check=True, capture_output=True)


@pytest.fixture(scope="session")
def espeak() -> str:
    exe = shutil.which("espeak-ng")
    if exe is None:
        skip_or_fail("espeak-ng not installed (scripts/setup installs it)")
    return exe


@pytest.fixture(scope="session")
def clip(tmp_path_factory: pytest.TempPathFactory, espeak: str) -> Clip:
    """Six sentences, 0.8 s lead-in, 300–900 ms pauses, 64 kbps CBR MP3 with Xing header."""
    d = tmp_path_factory.mktemp("narration")
    nar = synthesize(SENTENCES, pauses_ms=PAUSES_MS, wpm=WPM, lead_in_ms=LEAD_IN_MS)
    wav = write_wav(d / "narration.wav", nar.samples)
    mp3 = encode(wav, d / "narration.mp3")
    return Clip(mp3, wav, nar, SENTENCES)
