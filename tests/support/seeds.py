"""Build a temporary show from the commissioned seed transcripts.

::

    from support.seeds import make_seed_show

    def test_something(tmp_path, seeds_dir):
        root = make_seed_show(tmp_path, seeds_dir)   # a show folder with show.toml
        show = config.load_show(root)

One episode per seed file (``seed-narrative``, ``seed-interview``; a third
seed would become ``seed-<stem>``).  Each episode's ``transcript.txt`` is the
seed copied at test time (seed text is never committed to this repository) and
its ``audio.mp3`` is the seed narrated with espeak-ng at a natural speed, with
pauses between sentences, by the same rough text handling as
``scripts/make_demo_audio.py`` (deliberately not ``toolkit.ingest``: alignment
only needs speech of roughly that text, and ingest is tested on its own).

Narrating ~2,400 words takes a few seconds, so the MP3 is cached in
``tests/.cache/seed-audio/`` (git-ignored) under a key made of the seed's bytes,
the speed and the generator script's source: a changed seed or generator makes
a new file (the stale one is removed), an unchanged one is reused.  Cache files are written atomically, so
parallel test processes never read a half-written MP3.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path
from types import ModuleType

REPO = Path(__file__).resolve().parents[2]
GENERATOR = REPO / "scripts" / "make_demo_audio.py"
CACHE_DIR = REPO / "tests" / ".cache" / "seed-audio"
SEED_SPEED = 155  # words per minute: a natural narration rate (at 220 wpm no cut can stay under 20 cps)

#: Transcript label → display name, for every label the seeds use.
SEED_SPEAKERS = {"CGTN": "CGTN", "Li": "Li Zaiyong"}

_INTERVIEW_LABEL = re.compile(r"^[A-Z][A-Za-z]{0,20}:\s", re.M)


def load_generator() -> ModuleType:
    """``scripts/make_demo_audio.py`` loaded as a module (scripts/ is no package)."""
    name = "make_demo_audio"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, GENERATOR)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while the class is built
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[name]
        raise
    return module


def seed_kind(text: str) -> str:
    """``"interview"`` when several lines start with a ``Name:`` label, else ``"narrative"``."""
    return "interview" if len(_INTERVIEW_LABEL.findall(text)) >= 3 else "narrative"


def seed_audio(seed: Path, *, cache_dir: Path = CACHE_DIR, speed: int = SEED_SPEED) -> Path:
    """The cached MP3 narration of ``seed``, generating it on first use."""
    data = seed.read_bytes()
    key = hashlib.sha256()
    for part in (data, str(speed).encode(), GENERATOR.read_bytes()):
        key.update(hashlib.sha256(part).digest())
    target = cache_dir / f"{seed.stem}-{key.hexdigest()[:16]}.mp3"
    if target.is_file() and target.stat().st_size > 0:
        return target
    gen = load_generator()
    pcm, _spans = gen.render(gen.text_utterances(data.decode("utf-8")), speed=speed)
    mp3 = gen.encode_mp3(pcm)
    cache_dir.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=cache_dir)
    with os.fdopen(fd, "wb") as fh:
        fh.write(mp3)
    os.chmod(tmp, 0o644)
    os.replace(tmp, target)
    for stale in cache_dir.glob(f"{seed.stem}-*.mp3"):  # older seed text or generator
        if stale != target:
            stale.unlink(missing_ok=True)
    return target


def _episode_toml(title: str, number: int, slug: str, speakers: dict[str, str]) -> str:
    lines = [
        f'title = "{title}"',
        f"date = 2026-03-{number:02d}T09:00:00Z",
        f'description = "The commissioned {slug.removeprefix("seed-")} seed transcript, narrated by espeak-ng for tests."',
        'audio = "audio.mp3"',
        'transcript = "transcript.txt"',
        f"number = {number}",
        "season = 1",
        f'guid = "seed-show-{slug}"',
        "",
        "[speakers]",
    ]
    lines += [f'{label} = "{name}"' for label, name in speakers.items()]
    return "\n".join(lines) + "\n"


def _show_toml(target_languages: tuple[str, ...]) -> str:
    langs = ", ".join(f'"{code}"' for code in target_languages)
    return f"""title = "Seed Show"
description = "The commissioned seed transcripts as a show, built at test time."
author = "Toolkit Tests"
base_url = "https://seeds.example.org"
language = "en"
categories = ["News > Daily News", "Society & Culture"]
image = "cover.png"
explicit = false
target_languages = [{langs}]

[owner]
name = "Toolkit Tests"
email = "tests@seeds.example.org"

[translation]
engine = "argos"
engines = {{ es = "apertium", pt-BR = "bergamot" }}
"""


def make_seed_show(
    tmp_dir: Path,
    seeds_dir: Path,
    *,
    target_languages: tuple[str, ...] = ("es", "qps-ploc"),
    cache_dir: Path = CACHE_DIR,
) -> Path:
    """Build ``<tmp_dir>/seed-show`` (show.toml + one episode per seed) and return it."""
    seeds = sorted(Path(seeds_dir).glob("*.txt"))
    if not seeds:
        raise FileNotFoundError(f"no seed transcripts (*.txt) in {seeds_dir}")
    root = Path(tmp_dir) / "seed-show"
    (root / "episodes").mkdir(parents=True, exist_ok=True)
    # The aligner's audio analysis and windows (keyed by the audio's own hash and each
    # window's text and code) are shared by every seed show of the run: the seeds are
    # aligned for real once, by the first test module that publishes them, not once per module.
    shared = Path(cache_dir) / "seed-audio-analysis"
    shared.mkdir(parents=True, exist_ok=True)
    (root / ".toolkit" / "cache").mkdir(parents=True, exist_ok=True)
    if not (root / ".toolkit" / "cache" / "audio").exists():
        (root / ".toolkit" / "cache" / "audio").symlink_to(shared.resolve(), target_is_directory=True)
    (root / "show.toml").write_text(_show_toml(target_languages), encoding="utf-8")
    shutil.copyfile(REPO / "cover.png", root / "cover.png")
    used: set[str] = set()
    for number, seed in enumerate(seeds, 1):
        text = seed.read_text(encoding="utf-8")
        kind = seed_kind(text)
        slug = f"seed-{kind}" if f"seed-{kind}" not in used else f"seed-{seed.stem.lower()}"
        used.add(slug)
        folder = root / "episodes" / slug
        folder.mkdir()
        shutil.copyfile(seed, folder / "transcript.txt")
        shutil.copyfile(seed_audio(seed, cache_dir=cache_dir), folder / "audio.mp3")
        speakers = {label: name for label, name in SEED_SPEAKERS.items()
                    if re.search(rf"^{re.escape(label)}\s*[:-]", text, re.M)}
        title = f"Seed {kind} ({seed.stem})"
        (folder / "episode.toml").write_text(_episode_toml(title, number, slug, speakers), encoding="utf-8")
    return root
