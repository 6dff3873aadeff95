"""The committed demo site (``feeds/``) and translations store (``translations/``)
are exactly what the code publishes from the committed sources.

``feeds/`` is the product's showcase and ``translations/`` the demo's editable
source of truth (including a translator's correction); if a change to the
writers, the segmenter or an engine changes what ``scripts/demo`` produces,
this test says so — regenerate with ``scripts/demo`` and commit the result.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from support.tools import skip_or_fail
from toolkit.translate.apertium import mode_for

pytestmark = pytest.mark.slow


def _tree(root: Path) -> dict[str, bytes]:
    """Every file below ``root`` except hidden state (``.history/``, ``.exports/``)."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(root).parts)
    }


def test_committed_site_is_what_publish_produces(tmp_path: Path, repo_root: Path) -> None:
    if not (repo_root / "feeds" / "feed.xml").is_file():
        pytest.fail("feeds/ is not committed: run scripts/demo and commit feeds/ and translations/")
    if shutil.which("apertium") is None or mode_for("en", "es") is None:
        skip_or_fail("the demo's Spanish needs apertium eng-spa")
    show = tmp_path / "show"
    show.mkdir()
    for name in ("show.toml", "cover.png"):
        shutil.copy2(repo_root / name, show / name)
    for name in ("episodes", "translations"):
        shutil.copytree(repo_root / name, show / name, ignore=shutil.ignore_patterns(".*"))
    run = subprocess.run([sys.executable, "-m", "toolkit", "publish", "--root", str(show)],
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    for name in ("feeds", "translations"):
        fresh, committed = _tree(show / name), _tree(repo_root / name)
        stale = sorted(k for k in fresh.keys() | committed.keys() if fresh.get(k) != committed.get(k))
        assert not stale, f"{name}/ differs from a fresh publish (run scripts/demo and commit): {stale[:10]}"
