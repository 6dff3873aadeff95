"""What ``toolkit publish`` prints (issue 14): by default only the episodes with
something to report, then one total line; ``toolkit -v publish`` lists every episode.

A tiny show of two copies of the demo's timed SRT episode (no alignment), published
into the pseudo-localization code only (no model needed), in this process
(``--jobs 1``) through the real click command.  "noisy" has a transcript in a
legacy code page, which the summary reports; "clean" has nothing to report but
its pseudo-localization layout warnings, which alone do not list an episode.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from toolkit.cli import main

REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "episodes" / "darning-a-sweater"


@pytest.fixture(scope="module")
def show(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("summary") / "show"
    (root / "episodes").mkdir(parents=True)
    shutil.copy2(REPO / "cover.png", root / "cover.png")
    toml = (REPO / "show.toml").read_text(encoding="utf-8")
    toml = re.sub(r"(?m)^target_languages = .*$", 'target_languages = ["qps-ploc"]', toml)
    toml = re.sub(r"(?m)^engines = .*$", "engines = {}", toml)
    (root / "show.toml").write_text(toml, encoding="utf-8")
    for slug, guid in (("clean", "0b7f3d36-8a3c-4f59-9b43-3b1e0d4b0a01"), ("noisy", "0b7f3d36-8a3c-4f59-9b43-3b1e0d4b0a02")):
        folder = root / "episodes" / slug
        shutil.copytree(DEMO, folder)
        meta = folder / "episode.toml"
        meta.write_text(re.sub(r'(?m)^guid = ".*"$', f'guid = "{guid}"', meta.read_text(encoding="utf-8")),
                        encoding="utf-8")
    srt = root / "episodes" / "noisy" / "transcript.srt"
    text = srt.read_text(encoding="utf-8")
    assert "long life." in text
    srt.write_bytes(text.replace("long life.", "long life, café au lait — “yes”.").encode("cp1252"))
    return root


def _publish(show: Path, *before: str) -> list[str]:
    res = CliRunner().invoke(main, [*before, "publish", "--root", str(show), "--jobs", "1"])
    assert res.exit_code == 0, res.output
    return res.output.splitlines()


def test_quiet_by_default_lists_only_episodes_with_something_to_report(show: Path) -> None:
    lines = _publish(show)
    heads = [line.split(":")[0] for line in lines if re.match(r"^\S+: ", line)]
    assert heads == ["noisy"], lines
    assert "  read transcript.srt as Windows-1252 (detected)" in lines
    total = next(line for line in lines if line.startswith("published "))
    assert total.startswith("published 2 episode(s) to ")
    assert "(1 with nothing to report not listed: toolkit -v publish lists every episode)" in total
    # the clean episode's pseudo-localization warnings are counted, not listed
    assert any(re.match(r"  pseudo-localization: \d+ layout warning\(s\) in 1 episode\(s\) not listed", line)
               for line in lines), lines
    assert not any(line.startswith("  qps-ploc:") and "clean" in line for line in lines)


def test_verbose_lists_every_episode(show: Path) -> None:
    lines = _publish(show, "-v")
    heads = [line.split(":")[0] for line in lines if re.match(r"^(clean|noisy): ", line)]
    assert heads == ["clean", "noisy"], lines
    assert any(line.startswith("clean: ") and " cues, " in line and "timed-input timing" in line for line in lines)
    total = next(line for line in lines if line.startswith("published "))
    assert "not listed" not in total
    assert not any("pseudo-localization:" in line and "not listed" in line for line in lines)
