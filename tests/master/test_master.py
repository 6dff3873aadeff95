"""Audio mastering through the real CLI: a generated 2-minute stereo episode
with an intro and an outro is published with ``[audio] loudness = -16``; the
published MP3 is then measured *independently* with ffmpeg's ``ebur128``
filter (not the loudnorm that made it), its tags and chapters read back by
mutagen and by ``ffprobe -show_chapters``, and its bytes compared with the
feed's enclosure.  Republishing reuses the stored measurement and the encoded
file; a title change re-tags without re-encoding.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import mutagen
import pytest
from lxml import etree

from support.tools import skip_or_fail

CHAPTERS = ("A much longer first chapter title than the others", "Mid", "The last one")


def tool(name: str) -> str:
    exe = shutil.which(name)
    if exe is None:
        skip_or_fail(f"{name} not installed (apt-get install ffmpeg)")
    assert exe is not None
    return exe


def toolkit(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "toolkit", *args], capture_output=True, text=True,
                          cwd=str(cwd), env=dict(os.environ), timeout=900, check=False)


def ffmpeg(*args: str) -> None:
    subprocess.run([tool("ffmpeg"), "-nostdin", "-loglevel", "error", "-y", *args], check=True, timeout=300)


def ebur128(path: Path) -> tuple[float, float]:
    """Integrated loudness (LUFS) and true peak (dBTP) by ffmpeg's ebur128 meter."""
    proc = subprocess.run([tool("ffmpeg"), "-nostdin", "-hide_banner", "-nostats", "-i", str(path),
                           "-af", "ebur128=peak=true", "-f", "null", "-"], capture_output=True, text=True,
                          timeout=300, check=True)
    summary = proc.stderr[proc.stderr.rindex("Summary:"):]
    integrated = float(re.search(r"I:\s+(-?[\d.]+) LUFS", summary).group(1))
    peak = float(re.search(r"True peak:\s+Peak:\s+(-?[\d.]+) dBFS", summary).group(1))
    return integrated, peak


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def make_show(tmp: Path, *, channels: int, seconds: int, audio_table: str) -> tuple[Path, Path]:
    show = tmp / "show"
    assert toolkit("init", str(show), "--yes", "--title", "Loud Show", "--author", "Mo Mixer",
                   cwd=tmp).returncode == 0
    # pink noise with a slow swell (a loudness range, not a test tone), quiet like a raw recording
    raw = tmp / "raw.mp3"
    ffmpeg("-f", "lavfi", "-i", f"anoisesrc=color=pink:amplitude=0.04:duration={seconds}:seed=7",
           "-af", "tremolo=f=0.2:d=0.6", "-ac", str(channels), "-c:a", "libmp3lame", "-b:a", "96k",
           "-metadata", "title=Raw Take", str(raw))
    ffmpeg("-f", "lavfi", "-i", "sine=frequency=660:duration=2.5", "-ac", "2", str(show / "intro.wav"))
    ffmpeg("-f", "lavfi", "-i", "sine=frequency=440:duration=1.5", "-c:a", "libmp3lame", str(show / "outro.mp3"))
    with (show / "show.toml").open("a", encoding="utf-8") as fh:
        fh.write(audio_table)
    third = seconds // 3
    md = tmp / "t.md"
    md.write_text("".join(f"# {title}\n\n[{i * third // 60:02d}:{i * third % 60:02d}] Words of part {i + 1}. "
                          "More words are spoken here.\n\n" for i, title in enumerate(CHAPTERS)), encoding="utf-8")
    proc = toolkit("episode", "new", "ep", "--audio", str(raw), "--transcript", str(md), "--root", str(show),
                   cwd=tmp)
    assert proc.returncode == 0, proc.stderr
    return show, raw


def test_two_minute_episode_meets_target_with_tags_and_chapters(tmp_path: Path) -> None:
    show, raw = make_show(tmp_path, channels=2, seconds=120,
                          audio_table='\n[audio]\nloudness = -16\nintro = "intro.wav"\noutro = "outro.mp3"\n')
    raw_sha = sha(show / "episodes" / "ep" / "raw.mp3")
    proc = toolkit("publish", "--root", str(show), cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    published = show / "feeds" / "episodes" / "ep" / "raw.mp3"
    assert sha(show / "episodes" / "ep" / "raw.mp3") == raw_sha  # the original is never modified
    assert sha(published) != raw_sha

    integrated, peak = ebur128(published)
    assert abs(integrated - (-16.0)) <= 1.0, integrated
    assert peak <= -1.0, peak
    raw_i, _ = ebur128(raw)
    assert raw_i < -25  # the input really needed the gain

    audio = mutagen.File(published)
    assert audio.info.sample_rate == 44100 and audio.info.channels == 2
    assert 124 <= audio.info.length <= 124.3  # 2.5 s intro + 120 s + 1.5 s outro
    body = published.read_bytes()
    first_frame = len(body) - len(body.lstrip(b"\0")) + audio.tags.size if audio.tags else 0
    assert b"Xing" in body[first_frame:first_frame + 400] or b"Info" in body[first_frame:first_frame + 400]
    tags = audio.tags
    assert tags.version[:2] == (2, 3)
    assert str(tags["TIT2"]) == "Raw Take" and str(tags["TALB"]) == "Loud Show" and str(tags["TPE1"]) == "Mo Mixer"
    assert str(tags["TLAN"]) == "eng" and str(tags["TRCK"]) == "1" and str(tags["TCON"]) == "Podcast"
    ep = tomllib.loads((show / "episodes" / "ep" / "episode.toml").read_text())
    assert str(tags["TDRC"]).startswith(ep["date"].strftime("%Y-%m-%d"))
    assert tags.getall("COMM")[0].text[0] == ep["description"]
    assert "Words of part 2. More words are spoken here." in tags.getall("USLT")[0].text
    (apic,) = tags.getall("APIC")
    assert apic.type == 3 and apic.data == (show / "cover.png").read_bytes() and apic.mime == "image/png"

    (toc,) = tags.getall("CTOC")
    assert toc.flags & 1 and toc.flags & 2  # ordered, top level
    chaps = {c.element_id: c for c in tags.getall("CHAP")}
    ordered = [chaps[eid] for eid in toc.child_element_ids]
    assert [str(c.sub_frames["TIT2"]) for c in ordered] == list(CHAPTERS)
    starts = [c.start_time for c in ordered]
    assert starts == sorted(starts) and starts[0] == 2500  # shifted by the intro
    assert ordered[-1].end_time == round(audio.info.length * 1000) or abs(ordered[-1].end_time
                                                                         - audio.info.length * 1000) < 60
    assert all(c.sub_frames.getall("WXXX")[0].url.startswith("https://example.org/show/episodes/ep/en/index.html#t=")
               for c in ordered)
    probe = subprocess.run([tool("ffprobe"), "-v", "error", "-show_chapters", "-of", "json", str(published)],
                           capture_output=True, text=True, check=True, timeout=60)
    chapters = json.loads(probe.stdout)["chapters"]
    assert [c["tags"]["title"] for c in chapters] == list(CHAPTERS)  # stored in time order
    assert [c["start"] for c in chapters] == starts

    # the feed's enclosure is the mastered file, its length exact, its duration the mastered one
    feed = etree.parse(str(show / "feeds" / "feed.xml"))
    enclosure = feed.find(".//item/enclosure")
    assert int(enclosure.get("length")) == published.stat().st_size
    assert feed.findtext(".//item/{http://www.itunes.com/dtds/podcast-1.0.dtd}duration") == "124"
    vtt = (show / "feeds" / "episodes" / "ep" / "en" / "transcript.vtt").read_text()
    first_start = re.search(r"(\d\d):(\d\d):(\d\d)\.(\d\d\d) -->", vtt).groups()
    assert int(first_start[2]) * 1000 + int(first_start[3]) >= 2500  # cues follow the intro

    # republish: nothing measured or encoded again, the published file untouched
    cache = show / ".toolkit" / "cache" / "master" / "ep"
    stamps = {p.name: p.stat().st_mtime_ns for p in cache.glob("*-*.*")}
    before = published.stat().st_mtime_ns
    assert toolkit("publish", "--root", str(show), cwd=tmp_path).returncode == 0
    assert {p.name: p.stat().st_mtime_ns for p in cache.glob("*-*.*")} == stamps
    assert published.stat().st_mtime_ns == before

    # a new title re-tags only
    toml = show / "episodes" / "ep" / "episode.toml"
    toml.write_text(toml.read_text().replace('title = "Raw Take"', 'title = "Mastered Take"'))
    assert toolkit("publish", "--root", str(show), cwd=tmp_path).returncode == 0
    assert {p.name: p.stat().st_mtime_ns for p in cache.glob("*-*.*")} == stamps
    assert str(mutagen.File(published).tags["TIT2"]) == "Mastered Take"
    assert int(etree.parse(str(show / "feeds" / "feed.xml")).find(".//item/enclosure").get("length")) \
        == published.stat().st_size

    # switched off for the episode: the original bytes are published again
    toml.write_text(toml.read_text() + "\n[mastering]\nmaster = false\n")
    assert toolkit("publish", "--root", str(show), cwd=tmp_path).returncode == 0
    assert sha(published) == raw_sha


def test_mono_defaults_to_minus_19(tmp_path: Path) -> None:
    show, _ = make_show(tmp_path, channels=1, seconds=40, audio_table="\n[audio]\n")
    toml = show / "episodes" / "ep" / "episode.toml"
    toml.write_text(toml.read_text() + "\n[mastering]\nintro = false\n")
    proc = toolkit("publish", "--root", str(show), cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    published = show / "feeds" / "episodes" / "ep" / "raw.mp3"
    integrated, peak = ebur128(published)
    assert abs(integrated - (-19.0)) <= 1.0 and peak <= -1.0, (integrated, peak)
    assert mutagen.File(published).info.channels == 1
    assert 39.9 <= mutagen.File(published).info.length <= 40.2


@pytest.mark.parametrize("table, message", [
    ('[audio]\nloudness = "loud"\n', "audio.loudness: must be a number from -40 to -5"),
    ('[audio]\nintro = "nope.mp3"\n', "audio.intro: file 'nope.mp3' not found"),
    ('[audio]\nintro = "../../etc/passwd"\n', "audio.intro: '../../etc/passwd' is outside the show folder"),
    ('[audio]\nloudnes = -16\n', "audio.loudnes: unknown key"),
])
def test_bad_settings_are_one_line(tmp_path: Path, table: str, message: str) -> None:
    show = tmp_path / "show"
    assert toolkit("init", str(show), "--yes", cwd=tmp_path).returncode == 0
    ffmpeg("-f", "lavfi", "-i", "sine=duration=2", str(tmp_path / "a.mp3"))
    assert toolkit("episode", "new", "ep", "--audio", str(tmp_path / "a.mp3"), "--root", str(show),
                   cwd=tmp_path).returncode == 0
    with (show / "show.toml").open("a", encoding="utf-8") as fh:
        fh.write("\n" + table)
    proc = toolkit("publish", "--root", str(show), cwd=tmp_path)
    assert proc.returncode == 1 and message in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
    assert "show.toml" in proc.stderr
