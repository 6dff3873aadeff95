"""A producer's first day, through the real console script: ``toolkit init`` →
``toolkit episode new --audio`` → ``toolkit publish``, then the published feed
read by feedparser and npm podcast-partytime and linted by ``toolkit check``.

The audio files are made by ffmpeg and tagged by mutagen the way other tools
tag them (ID3v2.4 from ffmpeg's ``-metadata``, an APIC cover; MP4 atoms in an
M4A), not shaped for our code.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import feedparser
import pytest
from click.testing import CliRunner

from support.e2e import partytime
from support.tools import skip_or_fail
from toolkit.cli import main
from toolkit.images import image_problems


def toolkit(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "toolkit", *args], capture_output=True, text=True,
                          cwd=str(cwd), env=dict(os.environ), timeout=600, check=False)


def ffmpeg() -> str:
    exe = shutil.which("ffmpeg")
    if exe is None:
        skip_or_fail("ffmpeg not installed")
    assert exe is not None
    return exe


def make_mp3(path: Path, seconds: float, *, title: str | None = None, date: str | None = None,
             cover: bool = False) -> Path:
    cmd = [ffmpeg(), "-nostdin", "-loglevel", "error", "-y", "-f", "lavfi", "-i",
           f"sine=frequency=330:duration={seconds}", "-ac", "1", "-c:a", "libmp3lame", "-b:a", "48k"]
    for key, value in (("title", title), ("date", date)):
        if value:
            cmd += ["-metadata", f"{key}={value}"]
    subprocess.run([*cmd, str(path)], check=True, timeout=120)
    if cover:
        from mutagen.id3 import APIC, ID3
        from PIL import Image

        buf = io.BytesIO()
        Image.new("RGB", (1500, 1500), (200, 30, 30)).save(buf, format="JPEG")
        tags = ID3(path)
        tags.add(APIC(encoding=3, mime="image/jpeg", type=3, desc="cover", data=buf.getvalue()))
        tags.save(path)
    return path


def test_three_commands_from_an_empty_folder(tmp_path: Path) -> None:
    audio = make_mp3(tmp_path / "Episode One (final).mp3", 6, title="Where We Begin", date="2026-04-01",
                     cover=True)
    show = tmp_path / "my-show"
    proc = toolkit("init", str(show), "--yes", "--title", "My Show", "--author", "Jo Producer",
                   "--email", "jo@example.org", "--base-url", "https://example.org/myshow", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert image_problems(show / "cover.png") == []
    assert (show / "episodes").is_dir()
    assert ".toolkit/" in (show / ".gitignore").read_text().splitlines()
    text = (show / "show.toml").read_text()
    assert "# target_languages" in text and "# [audio]" in text  # every field shown, commented
    cfg = tomllib.loads(text)
    assert cfg["title"] == "My Show" and cfg["owner"]["email"] == "jo@example.org"

    proc = toolkit("episode", "new", "one", "--audio", str(audio), "--root", str(show), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    ep = tomllib.loads((show / "episodes" / "one" / "episode.toml").read_text())
    assert ep["title"] == "Where We Begin"
    assert ep["date"].isoformat().startswith("2026-04-01")
    assert ep["number"] == 1 and ep["transcript"] is False and len(ep["guid"]) == 36
    assert ep["image"] == "cover.jpg" and image_problems(show / "episodes" / "one" / "cover.jpg") == []
    assert (show / "episodes" / "one" / ep["audio"]).read_bytes() == audio.read_bytes()

    proc = toolkit("publish", "--root", str(show), cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    feed_path = show / "feeds" / "feed.xml"
    parsed = feedparser.parse(feed_path.read_bytes())
    assert not parsed.bozo, parsed.bozo_exception
    (item,) = parsed.entries
    assert item.id == ep["guid"] and item.title == "Where We Begin"
    assert int(item.enclosures[0].length) == audio.stat().st_size
    pt = partytime(feed_path)
    assert pt["title"] == "My Show" and pt["guid"] == cfg["guid"]
    (pt_item,) = pt["items"]
    assert pt_item["guid"] == ep["guid"] and pt_item["duration"] == 6
    assert "podcastTranscripts" not in pt_item  # audio only: no transcript is advertised
    check = toolkit("check", "--root", str(show), cwd=tmp_path)
    assert check.returncode == 0, check.stdout + check.stderr
    assert " 0 error(s)" in check.stdout


def test_second_episode_with_transcript_and_m4a(tmp_path: Path) -> None:
    show = tmp_path / "s"
    assert toolkit("init", str(show), "--yes", cwd=tmp_path).returncode == 0
    assert toolkit("episode", "new", "one", "--audio", str(make_mp3(tmp_path / "a.mp3", 3)),
                   "--root", str(show), cwd=tmp_path).returncode == 0
    m4a = tmp_path / "two.m4a"
    subprocess.run([ffmpeg(), "-nostdin", "-loglevel", "error", "-f", "lavfi", "-i", "sine=duration=4",
                    "-c:a", "aac", "-metadata", "title=Second Wind", "-metadata", "date=2026-05-02T10:30:00",
                    str(m4a)], check=True, timeout=120)
    srt = tmp_path / "t.srt"
    srt.write_text("1\n00:00:00,500 --> 00:00:02,000\nHello and welcome.\n\n"
                   "2\n00:00:02,200 --> 00:00:03,800\nThis is the second one.\n", encoding="utf-8")
    proc = toolkit("episode", "new", "two", "--audio", str(m4a), "--transcript", str(srt), "--root", str(show),
                   cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    ep = tomllib.loads((show / "episodes" / "two" / "episode.toml").read_text())
    assert ep["title"] == "Second Wind" and ep["number"] == 2 and ep["transcript"] == "transcript.srt"
    assert ep["date"].isoformat().startswith("2026-05-02T10:30")
    proc = toolkit("publish", "--root", str(show), cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    pt = partytime(show / "feeds" / "feed.xml")
    by_guid = {i["guid"]: i for i in pt["items"]}
    assert {t["type"] for t in by_guid[ep["guid"]]["podcastTranscripts"]} >= {"text/vtt", "application/json"}
    vtt = (show / "feeds" / "episodes" / "two" / "en" / "transcript.vtt").read_text()
    assert "00:00:00.500 --> " in vtt and "This is the second one." in vtt


def test_refuses_to_overwrite(tmp_path: Path) -> None:
    show = tmp_path / "s"
    assert toolkit("init", str(show), "--yes", cwd=tmp_path).returncode == 0
    before = (show / "show.toml").read_bytes()
    again = toolkit("init", str(show), "--yes", "--title", "Other", cwd=tmp_path)
    assert again.returncode == 1
    assert "already exists" in again.stderr and "Traceback" not in again.stderr
    assert len(again.stderr.strip().splitlines()) == 1
    assert (show / "show.toml").read_bytes() == before
    audio = make_mp3(tmp_path / "a.mp3", 2)
    assert toolkit("episode", "new", "x", "--audio", str(audio), "--root", str(show), cwd=tmp_path).returncode == 0
    dup = toolkit("episode", "new", "x", "--audio", str(audio), "--root", str(show), cwd=tmp_path)
    assert dup.returncode == 1 and "already exists" in dup.stderr and "Traceback" not in dup.stderr
    missing = toolkit("episode", "new", "y", "--audio", str(tmp_path / "nope.mp3"), "--root", str(show),
                      cwd=tmp_path)
    assert missing.returncode == 1 and "not found" in missing.stderr
    assert not (show / "episodes" / "y").exists()
    bad = toolkit("init", str(tmp_path / "t"), "--yes", "--email", "not-an-email", cwd=tmp_path)
    assert bad.returncode == 1 and "email" in bad.stderr and not (tmp_path / "t" / "show.toml").exists()


def test_interactive_prompts_with_defaults(tmp_path: Path) -> None:
    runner = CliRunner()
    answers = "Kitchen Radio\nSam Cook\nsam@example.org\n\nde\nArts > Food\n\n"
    result = runner.invoke(main, ["init", str(tmp_path / "kitchen"), "--ask"], input=answers)
    assert result.exit_code == 0, result.output
    assert "Show title [Kitchen]" in result.output
    cfg = tomllib.loads((tmp_path / "kitchen" / "show.toml").read_text())
    assert cfg["title"] == "Kitchen Radio" and cfg["language"] == "de"
    assert cfg["base_url"] == "https://example.org/kitchen"  # the default taken
    assert cfg["categories"] == ["Arts > Food"] and cfg["description"] == "Kitchen Radio"


@pytest.mark.parametrize("slug", ["../evil", "Bad Slug"])
def test_bad_slug_is_one_line(tmp_path: Path, slug: str) -> None:
    show = tmp_path / "s"
    assert toolkit("init", str(show), "--yes", cwd=tmp_path).returncode == 0
    proc = toolkit("episode", "new", slug, "--root", str(show), cwd=tmp_path)
    assert proc.returncode == 1 and "invalid episode slug" in proc.stderr and "Traceback" not in proc.stderr
