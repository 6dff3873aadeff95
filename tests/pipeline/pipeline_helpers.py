"""Helpers shared by the pipeline tests: a copy of the repo's demo show."""

from __future__ import annotations

import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
UNTIMED = "the-clock-doctor"  # transcript.txt: aligned to the audio (ffmpeg decode)
TIMED = "darning-a-sweater"  # transcript.srt: timed input
SENTENCE = "What usually brings a clock to your bench?"  # one sentence of UNTIMED's transcript


def copy_show(dest: Path, slugs: tuple[str, ...] = (UNTIMED, TIMED)) -> Path:
    """Copy show.toml, the cover and the given episodes of the demo show to ``dest``."""
    dest.mkdir(parents=True)
    shutil.copy2(REPO / "show.toml", dest / "show.toml")
    shutil.copy2(REPO / "cover.png", dest / "cover.png")
    for slug in slugs:
        shutil.copytree(REPO / "episodes" / slug, dest / "episodes" / slug)
    return dest
