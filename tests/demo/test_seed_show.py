"""tests/support/seeds.make_seed_show: the seed transcripts as a loadable show."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import mutagen
import pytest

from support.seeds import SEED_SPEED, make_seed_show, seed_audio, seed_kind
from toolkit import config

pytestmark = [
    pytest.mark.seeds,
    # skipped locally without the tools; in CI (which installs them) the tests run and fail instead
    pytest.mark.skipif((shutil.which("espeak-ng") is None or shutil.which("ffmpeg") is None)
                       and not os.environ.get("CI"),
                       reason="espeak-ng and ffmpeg are needed to narrate the seeds"),
]


def test_seed_show_loads(tmp_path: Path, seeds_dir: Path) -> None:
    root = make_seed_show(tmp_path, seeds_dir)
    show = config.load_show(root)
    episodes = config.load_episodes(show)
    assert {e.slug for e in episodes} == {"seed-narrative", "seed-interview"}
    assert show.target_languages == ("es", "qps-ploc")
    by_slug = {e.slug: e for e in episodes}
    assert by_slug["seed-interview"].speaker_names() == {"CGTN": "CGTN", "Li": "Li Zaiyong"}
    for ep in episodes:
        # The transcript is the seed itself, byte for byte.
        seed = next(p for p in seeds_dir.glob("*.txt") if p.read_bytes() == ep.transcript.read_bytes())
        words = len(seed.read_text("utf-8").split())
        info = mutagen.File(ep.audio).info
        # Speech of roughly that text: between half and double the nominal reading time.
        nominal = words / SEED_SPEED * 60
        assert nominal * 0.5 < info.length < nominal * 2, (ep.slug, info.length, nominal)
        proc = subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-i", str(ep.audio), "-f", "null", "-"],
                              capture_output=True, check=False)
        assert proc.returncode == 0 and not proc.stderr.strip(), proc.stderr[:300]
    assert len({e.guid for e in episodes}) == len(episodes)


def test_seed_audio_is_cached(seeds_dir: Path) -> None:
    seed = sorted(seeds_dir.glob("*.txt"))[-1]
    first = seed_audio(seed)
    mtime = first.stat().st_mtime_ns
    assert seed_audio(seed) == first and first.stat().st_mtime_ns == mtime


def test_seed_kind_tells_the_shapes_apart(seeds_dir: Path) -> None:
    kinds = sorted(seed_kind(p.read_text("utf-8")) for p in seeds_dir.glob("*.txt"))
    assert kinds == ["interview", "narrative"]
    assert seed_kind("HOST: hi\nAna: hello\nHOST: bye\n") == "interview"
    assert seed_kind("NARRATOR- Once upon a time.\nThe end.\n") == "narrative"
