"""Helpers for the end-to-end tests: the real console script, the real npm
clients, real WebVTT readers and byte-level snapshots of a published site.

::

    from support.e2e import run_toolkit, partytime, validate_vtt, snapshot

    proc = run_toolkit("publish", root=show_root)        # python -m toolkit publish --root …
    assert proc.returncode == 0, proc.stdout + proc.stderr
    feed = partytime(show_root / "feeds" / "feed.xml")   # npm podcast-partytime's view of the feed
    report = validate_vtt([vtt, ...])                    # npm webvtt-parser: {path: {"errors", "cues"}}
    before = snapshot(show_root, ("feeds", "translations"))

Nothing here decides whether a test passes: the helpers only run the tools
and hand back what they returned.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
JS_DIR = REPO / "tests" / "js"
READ_FEED = JS_DIR / "read_feed.js"
VALIDATE_VTT = JS_DIR / "validate_vtt.js"

#: The podcast namespace UUID of the Podcasting 2.0 ``podcast:guid`` spec.
PODCAST_NAMESPACE = "ead4c236-bf58-58c6-a2c6-a6b28d128cb6"

# A subprocess on the slow shared machine: generous, and only an upper bound.
CLI_TIMEOUT_S = 900
NODE_TIMEOUT_S = 300


def run_toolkit(*args: str, root: Path, timeout: float = CLI_TIMEOUT_S) -> subprocess.CompletedProcess[str]:
    """``python -m toolkit <args> --root <root>`` (the console script's module),
    with the test session's environment (argos folders, TZ, SOURCE_DATE_EPOCH).

    ``--root`` is a group option, so it goes right after the first word:
    ``run_toolkit("publish", "episode", "x", root=r)`` runs
    ``toolkit publish --root r episode x``.
    """
    command = [sys.executable, "-m", "toolkit", args[0], "--root", str(root), *args[1:]]
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout, cwd=str(root),
                          env=dict(os.environ), check=False)


def apertium_es_missing() -> str | None:
    """Why the apertium eng-spa pair cannot run here (None when it can)."""
    if shutil.which("apertium") is None:
        return "apertium is not installed (apt-get install apertium apertium-eng-spa)"
    from toolkit.translate.apertium import mode_for

    if mode_for("en", "es") is None:
        return "the apertium eng-spa pair is not installed (apt-get install apertium-eng-spa)"
    return None


def apertium_alone(text: str) -> str:
    """``text`` translated en→es by the Debian apertium command, on its own
    (one process, one line): the reference a published translation must match."""
    proc = subprocess.run(["apertium", "-u", "eng-spa"], input=text + "\n", capture_output=True, text=True,
                          timeout=NODE_TIMEOUT_S, check=True)
    return " ".join(proc.stdout.split())


def partytime(path: Path) -> dict:
    """The feed as npm ``podcast-partytime`` parses it (tests/js/read_feed.js)."""
    out = subprocess.run(["node", str(READ_FEED), str(path)], capture_output=True, text=True,
                         timeout=NODE_TIMEOUT_S, check=False)
    assert out.returncode == 0, f"{path}: partytime refused the feed: {out.stdout}{out.stderr}"
    feed = json.loads(out.stdout)["feed"]
    assert feed is not None, f"{path}: partytime returned null"
    return feed


def validate_vtt(paths: Sequence[Path]) -> dict[Path, dict]:
    """Each file as npm ``webvtt-parser`` reads it: ``{path: {"errors": [...], "cues": [...]}}``
    (cues: id, start/end in seconds, voice, display text with lines joined by ``\\n``)."""
    out = subprocess.run(["node", str(VALIDATE_VTT), *map(str, paths)], capture_output=True, text=True,
                         timeout=NODE_TIMEOUT_S, check=False)
    assert out.returncode in (0, 1), out.stdout + out.stderr  # 1 = some file had errors: reported below
    files = json.loads(out.stdout)["files"]
    return {Path(f["file"]): f for f in files}


@dataclass(frozen=True)
class VttCue:
    """One cue as webvtt-py reads it (times in ms, raw text lines with their tags)."""

    id: str
    start: int
    end: int
    lines: tuple[str, ...]


_TS = re.compile(r"^(?:(\d+):)?(\d{2}):(\d{2})\.(\d{3})$")


def _ms(stamp: str) -> int:
    m = _TS.match(stamp)
    assert m, f"not a WebVTT timestamp: {stamp!r}"
    h, mi, s, ms = (int(g) if g else 0 for g in m.groups())
    return ((h * 60 + mi) * 60 + s) * 1000 + ms


def read_vtt(path: Path) -> list[VttCue]:
    """The cues of a WebVTT file through webvtt-py (independent of toolkit's reader)."""
    import webvtt

    return [VttCue(c.identifier or "", _ms(c.start), _ms(c.end), tuple(c.lines))
            for c in webvtt.read(str(path)).captions]


def vtt_notes(path: Path) -> list[str]:
    """The text of every ``NOTE`` block of a WebVTT file (lines joined with spaces)."""
    blocks = path.read_text(encoding="utf-8").replace("\r\n", "\n").split("\n\n")
    notes = []
    for block in blocks:
        block = block.strip("\n")
        if block.startswith("NOTE") and (len(block) == 4 or block[4] in " \n"):
            notes.append(" ".join(block[4:].split()))
    return notes


def snapshot(root: Path, folders: Iterable[str]) -> dict[str, str]:
    """``{path relative to root: sha256}`` of every file under ``folders``."""
    digests: dict[str, str] = {}
    for name in folders:
        base = root / name
        for path in sorted(base.rglob("*")):
            if path.is_file():
                digests[path.relative_to(root).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return digests


def stamps(root: Path, folders: Iterable[str]) -> dict[str, tuple[int, int]]:
    """``{path: (mtime_ns, inode)}``: a file rewritten (even with the same bytes) changes it."""
    out: dict[str, tuple[int, int]] = {}
    for name in folders:
        for path in sorted((root / name).rglob("*")):
            if path.is_file():
                st = path.stat()
                out[path.relative_to(root).as_posix()] = (st.st_mtime_ns, st.st_ino)
    return out


def copy_show(repo: Path, target: Path) -> Path:
    """A copy of the show folder of ``repo`` (show.toml, cover.png, episodes/) in ``target``."""
    target.mkdir(parents=True, exist_ok=True)
    for name in ("show.toml", "cover.png"):
        shutil.copyfile(repo / name, target / name)
    shutil.copytree(repo / "episodes", target / "episodes")
    return target
