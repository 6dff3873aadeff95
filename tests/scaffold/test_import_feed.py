"""``toolkit import`` on feeds in the shapes the big hosts publish (Libsyn,
Anchor/Spotify for Podcasters, Buzzsprout, Transistor, Podbean: CDATA and
HTML descriptions, itunes:summary vs content:encoded, isPermaLink guids,
a missing guid, the old podcast namespace URI, yes/no/clean explicit), and on
the toolkit's own published feed; then ``toolkit publish`` of the new folder
and the republished feed compared item by item with the old one.

Media, artwork, transcripts and chapters are served by a real HTTP server on
127.0.0.1 (nothing leaves the machine); one shape is imported from a feed file
whose enclosures are local relative paths (offline).
"""

from __future__ import annotations

import email.utils
import functools
import http.server
import os
import re
import shutil
import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from lxml import etree

from support.e2e import partytime
from support.tools import skip_or_fail

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "feeds"
REPO = Path(__file__).resolve().parents[2]
PODCAST_NS = uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6")
NS = {"itunes": "http://www.itunes.com/dtds/podcast-1.0.dtd", "podcast": "https://podcastindex.org/namespace/1.0"}


def toolkit(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "toolkit", *args], capture_output=True, text=True,
                          cwd=str(cwd), env=dict(os.environ), timeout=600, check=False)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """A real HTTP server on 127.0.0.1 over a folder of media, art and transcripts."""
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        skip_or_fail("ffmpeg not installed")
    assert ffmpeg is not None
    root = tmp_path_factory.mktemp("host")
    for sub in ("media", "art", "tr", "feeds"):
        (root / sub).mkdir()
    for i, name in enumerate(["libsyn-1.mp3", "libsyn-2.mp3", "anchor-trailer.mp3", "buzz-1.mp3",
                              "transistor-12.mp3", "podbean-lighthouse.mp3", "podbean-old.mp3", "anchor 1.m4a"]):
        codec = ["-c:a", "aac"] if name.endswith(".m4a") else ["-c:a", "libmp3lame", "-b:a", "32k"]
        subprocess.run([ffmpeg, "-nostdin", "-loglevel", "error", "-f", "lavfi", "-i",
                        f"sine=frequency={300 + 40 * i}:duration=3", "-ac", "1", *codec, str(root / "media" / name)],
                       check=True, timeout=120)
    from PIL import Image

    Image.new("RGB", (1400, 1400), (10, 120, 40)).save(root / "art" / "cover-libsyn.jpg", "JPEG")
    Image.new("RGB", (1600, 1600), (200, 120, 40)).save(root / "art" / "cover-anchor.png", "PNG")
    Image.new("RGB", (3000, 3000), (20, 20, 160)).save(root / "art" / "cover-buzz.jpg", "JPEG")
    Image.new("RGB", (300, 300), (0, 0, 0)).save(root / "art" / "too-small.jpg", "JPEG")
    (root / "tr" / "buzz-1.srt").write_text(
        "1\r\n00:00:00,200 --> 00:00:01,400\r\nWe open at four.\r\n\r\n2\r\n00:00:01,500 --> 00:00:02,900\r\n"
        "The ovens are warm.\r\n", encoding="utf-8")
    (root / "tr" / "buzz-1.html").write_text("<p>We open at four.</p>", encoding="utf-8")
    (root / "tr" / "buzz-1-chapters.json").write_text(
        '{"version": "1.2.0", "chapters": [{"startTime": 0, "title": "Open"}]}', encoding="utf-8")
    vtt = "WEBVTT\n\n00:00:00.300 --> 00:00:02.500\n<v Ray>Tabs. Obviously tabs.\n"
    (root / "tr" / "transistor-12.vtt").write_text(vtt, encoding="utf-8")
    (root / "tr" / "transistor-12.html").write_text("<p>Tabs.</p>", encoding="utf-8")
    (root / "tr" / "podbean-lighthouse.vtt").write_text(vtt.replace("Ray", "Keeper"), encoding="utf-8")
    handler = functools.partial(_Quiet, directory=str(root))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", root
    finally:
        httpd.shutdown()
        httpd.server_close()


def fill(name: str, base: str, media: Path) -> str:
    """A fixture feed with its media URLs at ``base`` and true enclosure lengths."""
    text = (FIXTURES / name).read_text(encoding="utf-8").replace("{BASE}", base)
    return re.sub(r"\{LEN:([^}]+)\}", lambda m: str((media / m.group(1)).stat().st_size), text)


def items(feed_xml: bytes) -> list[dict[str, object]]:
    """What podcast apps identify and show of each item, read with lxml."""
    root = etree.fromstring(feed_xml)
    out = []
    for item in root.iter("item"):
        enclosure = item.find("enclosure")
        out.append({
            "guid": item.findtext("guid").strip(),
            "title": item.findtext("title").strip(),
            "date": email.utils.parsedate_to_datetime(item.findtext("pubDate")),
            "length": int(enclosure.get("length")) if enclosure is not None else None,
            "episode": item.findtext("itunes:episode", namespaces=NS),
            "season": item.findtext("itunes:season", namespaces=NS),
            "explicit": (item.findtext("itunes:explicit", namespaces=NS) or "").lower() in ("yes", "true", "explicit"),
            "type": item.findtext("itunes:episodeType", namespaces=NS) or "full",
        })
    return sorted(out, key=lambda i: str(i["guid"]))


def channel_guid(feed_xml: bytes) -> str:
    return etree.fromstring(feed_xml).findtext("channel/podcast:guid", namespaces=NS)


def import_and_publish(tmp: Path, feed_ref: str, *extra: str) -> tuple[Path, subprocess.CompletedProcess[str]]:
    show = tmp / "show"
    proc = toolkit("import", feed_ref, str(show), *extra, cwd=tmp)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    pub = toolkit("publish", "--root", str(show), cwd=tmp)
    assert pub.returncode == 0, pub.stdout + pub.stderr
    return show, proc


HOSTS = {
    # fixture: (podcast:guid of the old feed or None = derived from its self URL, episodes kept)
    "libsyn.xml": (None, 2),
    "anchor.xml": (None, 2),
    "buzzsprout.xml": ("5ad3f0c2-2b8d-5f2e-8d7b-4f9f3a0e1c11", 2),
    "transistor.xml": ("c0ffee00-1111-5222-8333-444455556666", 1),
}


@pytest.mark.parametrize("fixture", sorted(HOSTS))
def test_host_shapes_keep_every_guid(tmp_path: Path, server: tuple[str, Path], fixture: str) -> None:
    base, root = server
    text = fill(fixture, base, root / "media")
    (root / "feeds" / fixture).write_text(text, encoding="utf-8")
    old = text.encode("utf-8")
    expected_guid, count = HOSTS[fixture]
    before = items(old)
    if fixture == "buzzsprout.xml":  # its bonus episode's audio is gone from the old host
        show = tmp_path / "show"
        proc = toolkit("import", f"{base}/feeds/{fixture}", str(show), cwd=tmp_path)
        assert proc.returncode == 0 and "gone.mp3: could not download (HTTP 404)" in proc.stderr
        assert "audio not fetched for 1 episode(s): bonus-q-a" in proc.stdout
        pub = toolkit("publish", "--root", str(show), cwd=tmp_path)  # refuses, naming the file
        assert pub.returncode == 1 and "bonus-q-a/episode.toml: audio: file 'audio.mp3' not found" in pub.stderr
        shutil.rmtree(show / "episodes" / "bonus-q-a")
        before = [i for i in before if i["guid"] != "Buzzsprout-14250002"]
        assert toolkit("publish", "--root", str(show), cwd=tmp_path).returncode == 0
    else:
        show, proc = import_and_publish(tmp_path, f"{base}/feeds/{fixture}")
    new = (show / "feeds" / "feed.xml").read_bytes()
    after = items(new)
    assert len(after) == len(before) == count - (fixture == "buzzsprout.xml")
    assert after == before  # guid, title, date, enclosure length, season/number, explicit, type
    self_url = re.search(r'<atom:link href="([^"]+)" rel="self"', old.decode()).group(1)
    assert channel_guid(new) == (expected_guid or str(uuid.uuid5(PODCAST_NS, re.sub("^https?://", "", self_url))))
    pt = partytime(show / "feeds" / "feed.xml")
    assert len(pt["items"]) == len(after)
    check = toolkit("check", "--root", str(show), cwd=tmp_path)
    assert check.returncode == 0, check.stdout + check.stderr


def test_host_details(tmp_path: Path, server: tuple[str, Path]) -> None:
    """Descriptions become plain text, transcripts and chapters are fetched, covers checked."""
    base, root = server
    for name in ("libsyn.xml", "buzzsprout.xml", "transistor.xml", "anchor.xml"):
        (root / "feeds" / name).write_text(fill(name, base, root / "media"), encoding="utf-8")
    import tomllib

    lib = tmp_path / "lib"
    assert toolkit("import", f"{base}/feeds/libsyn.xml", str(lib), cwd=tmp_path).returncode == 0
    ep = tomllib.loads((lib / "episodes" / "compost-part-2" / "episode.toml").read_text())
    assert ep["description"] == "More on compost.\n\nTurning the pile & links."
    assert ep["explicit"] is True and ep["number"] == 2 and ep["season"] == 1
    one = tomllib.loads((lib / "episodes" / "compost-part-1" / "episode.toml").read_text())
    assert one["description"] == "Why compost works.\nAnd why it smells." and "explicit" not in one
    cfg = tomllib.loads((lib / "show.toml").read_text())
    assert cfg["categories"] == ["Leisure > Home & Garden"] and cfg["image"] == "cover.jpg"
    assert cfg["owner"] == {"name": "Kim Gardener", "email": "kim@gardenhour.example"}

    buzz = tmp_path / "buzz"
    proc = toolkit("import", f"{base}/feeds/buzzsprout.xml", str(buzz), cwd=tmp_path)
    assert "Made Up Category" in proc.stderr
    cfg = tomllib.loads((buzz / "show.toml").read_text())
    assert cfg["type"] == "serial" and cfg["locked"] is True and cfg["language"] == "en-US"
    bakery = buzz / "episodes" / "the-bakery"
    assert tomllib.loads((bakery / "episode.toml").read_text())["transcript"] == "transcript.srt"
    assert (bakery / "chapters.json").is_file() and "the transcript's own chapters are published" in proc.stderr
    assert "ovens\n\nqueues" in tomllib.loads((bakery / "episode.toml").read_text())["description"]

    tr = tmp_path / "tr"
    proc = toolkit("import", f"{base}/feeds/transistor.xml", str(tr), cwd=tmp_path)
    assert proc.returncode == 0
    ep = tomllib.loads((tr / "episodes" / "tabs-versus-spaces-again" / "episode.toml").read_text())
    assert ep["transcript"] == "transcript.vtt"  # VTT preferred over HTML; the unreachable JSON not needed
    assert "settled" in ep["description"]  # content:encoded wins over description
    assert toolkit("publish", "--root", str(tr), cwd=tmp_path).returncode == 0
    pt = partytime(tr / "feeds" / "feed.xml")
    (item,) = pt["items"]
    assert any(t["type"] == "text/vtt" for t in item["podcastTranscripts"])
    vtt = (tr / "feeds" / "episodes" / "tabs-versus-spaces-again" / "en" / "transcript.vtt").read_text()
    assert "Tabs. Obviously tabs." in vtt

    an = tmp_path / "an"
    assert toolkit("import", f"{base}/feeds/anchor.xml", str(an), cwd=tmp_path).returncode == 0
    cfg = tomllib.loads((an / "show.toml").read_text())
    assert cfg["language"] == "es" and cfg["image"] == "cover.png"
    trailer = tomllib.loads((an / "episodes" / "trailer" / "episode.toml").read_text())
    assert trailer["type"] == "trailer"
    entropy = an / "episodes" / "que-es-la-entropia"
    assert (entropy / "audio.m4a").read_bytes() == (root / "media" / "anchor 1.m4a").read_bytes()


def test_local_feed_offline_with_missing_guid(tmp_path: Path, server: tuple[str, Path]) -> None:
    """A feed file whose enclosures are relative paths: imported without a network;
    the guid-less item keeps the identity apps gave it (its enclosure URL)."""
    _, root = server
    host = tmp_path / "old-host"
    shutil.copytree(root / "media", host / "media")
    shutil.copytree(root / "art", host / "art")
    shutil.copytree(root / "tr", host / "tr")
    feed = host / "feed.xml"
    feed.write_text(fill("podbean.xml", ".", root / "media"), encoding="utf-8")
    show, proc = import_and_publish(tmp_path, str(feed), "--email", "radio@example.org")
    assert "no <guid>" in proc.stderr and "too-small.jpg" in proc.stderr
    new = items((show / "feeds" / "feed.xml").read_bytes())
    old = items(feed.read_bytes().replace(b"<description>An old", b"<guid>./media/podbean-old.mp3</guid>"
                                                                  b"<description>An old"))
    assert new == old
    assert {i["guid"] for i in new} == {"https://oldradio.podbean.com/e/the-lighthouse-1948/",
                                       "./media/podbean-old.mp3"}
    slugs = sorted(p.name for p in (show / "episodes").iterdir())
    assert slugs == ["the-lighthouse-1948", "the-lighthouse-1948-2"]  # same title, two folders
    # the audio-only episode keeps its JSON chapters: republished and listed in the feed
    assert 'chapters = "chapters.json"' in (show / "episodes" / "the-lighthouse-1948-2" / "episode.toml").read_text()
    published = show / "feeds" / "episodes" / "the-lighthouse-1948-2" / "en" / "chapters.json"
    assert '"title": "Open"' in published.read_text()
    pt = {i["guid"]: i for i in partytime(show / "feeds" / "feed.xml")["items"]}
    assert pt["./media/podbean-old.mp3"]["podcastChapters"]["url"].endswith("/the-lighthouse-1948-2/en/chapters.json")


def test_own_feed_round_trip(tmp_path: Path, server: tuple[str, Path]) -> None:
    """The demo show's committed feed, served from 127.0.0.1: import → publish gives the same items."""
    _, _root = server
    host = tmp_path / "host"
    shutil.copytree(REPO / "feeds", host)
    handler = functools.partial(_Quiet, directory=str(host))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    try:
        committed = (REPO / "feeds" / "feed.xml").read_bytes()
        (host / "feed.xml").write_bytes(committed.replace(b"https://fieldnotes.example.org", base.encode()))
        show, proc = import_and_publish(tmp_path, f"{base}/feed.xml", "--base-url",
                                        "https://fieldnotes.example.org")
    finally:
        httpd.shutdown()
        httpd.server_close()
    assert "3 transcript(s)" in proc.stdout
    new = (show / "feeds" / "feed.xml").read_bytes()
    assert items(new) == items(committed)
    assert channel_guid(new) == channel_guid(committed)
    old_enc = sorted(re.findall(rb'<enclosure url="([^"]+)" length="(\d+)"', committed))
    assert sorted(re.findall(rb'<enclosure url="([^"]+)" length="(\d+)"', new)) == old_enc


@pytest.mark.parametrize("content, message", [
    (b"this is not xml at all", "not an RSS feed"),
    (b"<html><body><p>Moved</p></body></html>", "not an RSS feed"),
    (b"<?xml version='1.0'?><rss><channel><description>x</description></channel></rss>", "not an RSS feed"),
    (b"<?xml version='1.0'?><rss><channel><title>T</title></channel></rss>", "no podcast:guid and no self URL"),
])
def test_bad_feeds_are_one_line(tmp_path: Path, content: bytes, message: str) -> None:
    bad = tmp_path / "bad.xml"
    bad.write_bytes(content)
    proc = toolkit("import", str(bad), str(tmp_path / "out"), cwd=tmp_path)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert message in proc.stderr and "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "out" / "show.toml").exists()


def test_unreachable_and_missing(tmp_path: Path, server: tuple[str, Path]) -> None:
    base = server[0]
    for ref, message in ((f"{base}/feeds/nope.xml", "HTTP 404"), (str(tmp_path / "nope.xml"), "feed not found"),
                         ("http://127.0.0.1:9/feed.xml", "could not download")):
        proc = toolkit("import", ref, str(tmp_path / "out"), cwd=tmp_path)
        assert proc.returncode == 1 and message in proc.stderr and "Traceback" not in proc.stderr, proc.stderr
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "show.toml").write_text("title = 'mine'\n")
    feed = tmp_path / "f.xml"
    feed.write_text(fill("podbean.xml", ".", server[1] / "media"), encoding="utf-8")
    proc = toolkit("import", str(feed), str(tmp_path / "x"), "--no-media", cwd=tmp_path)
    assert proc.returncode == 1 and "never overwrites" in proc.stderr
    assert (tmp_path / "x" / "show.toml").read_text() == "title = 'mine'\n"

