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
from support.synth import Narration, encode, synthesize, write_wav

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


# -- a second synthesizer, and word-level truth -----------------------------------------------
#: Sentences spoken by Festival's diphone voice for the word aligners (with numbers, a name
#: missing from the CMU dictionary and comma pauses); written for these tests.
FESTIVAL_SENTENCES = (
    "The workshop opened in 2019 with a single table.",
    "Its first visitor, Tomasz Okonkwo, brought a broken kettle.",
    "By March we had seen about 40 people a week.",
    "Repairs are free, but donations paid $4,500 of the rent.",
    "Most faults are loose wires.",
    "Nobody expected the radio to work again, and it did.",
    "We keep a card for every repair.",
    "Come and see us on a Saturday morning.",
)
#: 0–200 ms between sentences, two with no gap at all (natural speech, not read with pauses).
FESTIVAL_GAPS = (120, 0, 60, 200, 0, 90, 150)


@dataclass(frozen=True)
class WordClip:
    """An encoded case with sentence and word truth (support.speech_cases)."""

    mp3: Path
    case: "object"  # support.speech_cases.Case
    sentences: tuple[str, ...]


@pytest.fixture(scope="session")
def festival_clip(tmp_path_factory: pytest.TempPathFactory) -> WordClip:
    """Festival's kal diphone voice, natural gaps (the forced aligner's CI check)."""
    from support import speech_cases as cases

    if shutil.which("festival") is None:
        skip_or_fail("festival not installed (scripts/setup --test installs it)")
    d = tmp_path_factory.mktemp("festival")
    clips = cases.festival_clips([(t, "kal", 1.0) for t in FESTIVAL_SENTENCES], d)
    speakers = ["Ana"] * 4 + ["Ben"] * 4
    case = cases.join("festival", "en", clips, speakers, FESTIVAL_GAPS)
    return WordClip(cases.encode_mp3(case, d / "festival.mp3"), case, FESTIVAL_SENTENCES)


GERMAN_SENTENCES = (
    "Der Zug nach Norden fährt jeden Morgen um sieben Uhr ab.",
    "Im Winter ist es dann noch dunkel.",
    "Ein älterer Herr löst jeden Tag dasselbe Kreuzworträtsel.",
    "Nach einer Stunde erreicht der Zug die Küste.",
    "Dort steigen fast alle aus, nur wenige fahren weiter.",
    "An der Endstation riecht die Luft nach Salz.",
)


@pytest.fixture(scope="session")
def german_clip(tmp_path_factory: pytest.TempPathFactory, espeak: str) -> WordClip:
    """espeak-ng's German voice with a voice variant and its own speeds, natural gaps (the DTW check)."""
    from support import speech_cases as cases

    d = tmp_path_factory.mktemp("german")
    clips = cases.espeak_clips(GERMAN_SENTENCES, voice="de+m3", wpm=[150, 190, 165, 180, 155, 170])
    case = cases.join("german", "de", clips, ["Erzähler"] * len(clips), (0, 80, 150, 0, 40))
    return WordClip(cases.encode_mp3(case, d / "german.mp3"), case, GERMAN_SENTENCES)
