"""toolkit.publish.site: the output layout, manifests, incremental rebuilds,
stale outputs and bad input — with real files (ffmpeg MP3, Pillow cover)."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from lxml import etree

from support.sitekit import HOSTILE, make_cover, make_result, make_show, write_episode_files, write_show_files
from toolkit.errors import ConfigError
from toolkit.publish import feed, site

NS = feed.NS
LANG_FILES = ("transcript.vtt", "transcript.srt", "transcript.json", "chapters.json", "index.html")


def tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def stamps(root: Path) -> dict[str, int]:
    return {str(p.relative_to(root)): p.stat().st_mtime_ns for p in root.rglob("*") if p.is_file()}


@pytest.fixture()
def show(tmp_path: Path):
    return make_show(tmp_path / "show")


def publish(show, *results):
    for r in results:
        write_episode_files(show, r)
    write_show_files(show, list(results))


def test_write_episode_layout(show) -> None:
    result = make_result(show, "ep-one", langs={"es": "machine", "qps-ploc": "pseudo"})
    changed = write_episode_files(show, result)
    out = show.feeds_dir / "episodes" / "ep-one"
    assert (out / "audio.mp3").read_bytes() == result.source.episode.audio.read_bytes()
    for lang in ("en", "es", "qps-ploc"):
        for name in LANG_FILES:
            assert (out / lang / name).is_file(), f"{lang}/{name}"
    assert sorted(changed) == sorted(str(p) for p in out.rglob("*") if p.is_file())
    manifest = json.loads((out / "episode.json").read_text(encoding="utf-8"))
    assert manifest["slug"] == "ep-one"
    assert manifest["audio"] == {"file": "audio.mp3", "size": (out / "audio.mp3").stat().st_size,
                                 "mime": "audio/mpeg", "duration_ms": result.source.audio.duration_ms}
    assert [(x["lang"], x["machine"], x["pseudo"]) for x in manifest["languages"]] == [
        ("en", False, False), ("es", True, False), ("qps-ploc", True, True)]
    assert manifest["languages"][1]["title"] == "[es] Episode ep-one"
    assert manifest["languages"][1]["engine"] == "apertium eng-spa 0.8.1"


def test_vtt_disclosure_notes(show) -> None:
    result = make_result(show, "ep-one", langs={"es": "machine", "de": "human", "qps-ploc": "pseudo"})
    write_episode_files(show, result)
    out = show.feeds_dir / "episodes" / "ep-one"
    es = (out / "es" / "transcript.vtt").read_text(encoding="utf-8")
    assert "NOTE" in es and "Machine translation from English by apertium eng-spa 0.8.1" in es
    ploc = (out / "qps-ploc" / "transcript.vtt").read_text(encoding="utf-8")
    assert "Pseudo-localization, not a translation" in ploc
    for lang in ("en", "de"):
        assert "NOTE" not in (out / lang / "transcript.vtt").read_text(encoding="utf-8")


def test_write_show_lists_every_published_episode(show) -> None:
    one = make_result(show, "ep-one", langs={"es": "machine"}, number=1)
    two = make_result(show, "ep-two", langs={"es": "machine"}, number=2,
                      date=one.source.episode.date.replace(day=8))
    publish(show, one)
    publish(show, two)  # `publish episode ep-two`: write_show gets only the fresh one
    for path in ("feed.xml", "es/feed.xml"):
        items = etree.parse(str(show.feeds_dir / path)).getroot().find("channel").findall("item")
        assert [i.findtext("itunes:episode", namespaces=NS) for i in items] == ["2", "1"], path
    for page in ("index.html", "es/index.html"):
        html = (show.feeds_dir / page).read_text(encoding="utf-8")
        assert "episodes/ep-one/" in html and "episodes/ep-two/" in html
    assert (show.feeds_dir / "cover.png").read_bytes() == show.image.read_bytes()


def test_pages_link_site_files_relatively(show) -> None:
    """The show page's cover, like the episode page's audio, must load before
    the site is uploaded (toolkit serve, a file browser): relative URLs, which
    resolve to files that exist; only og:image/canonical/feeds are absolute."""
    import re
    from urllib.parse import urljoin

    publish(show, make_result(show, "ep-one", langs={"es": "machine"}))
    for page in ("index.html", "es/index.html", "episodes/ep-one/en/index.html"):
        html = (show.feeds_dir / page).read_text(encoding="utf-8")
        for src in re.findall(r'<(?:img|audio|source|track)[^>]*\ssrc="([^"]+)"', html):
            assert "://" not in src, (page, src)
            target = urljoin("http://x/" + page, src).removeprefix("http://x/")
            assert (show.feeds_dir / target).is_file(), (page, src)


def test_enclosure_length_is_the_published_file_size(show) -> None:
    result = make_result(show, "ep-one", seconds=5.0)
    publish(show, result)
    enc = etree.parse(str(show.feeds_dir / "feed.xml")).getroot().find("channel/item/enclosure")
    assert enc.get("length") == str((show.feeds_dir / "episodes/ep-one/audio.mp3").stat().st_size)
    assert enc.get("url") == "https://example.org/podcast/episodes/ep-one/audio.mp3"


def test_rebuild_is_byte_identical_and_touches_nothing(show) -> None:
    results = [make_result(show, "ep-one", langs={"es": "machine", "qps-ploc": "pseudo"}),
               make_result(show, "ep-two", langs={"es": "machine"})]
    publish(show, *results)
    before, before_stamps = tree(show.feeds_dir), stamps(show.feeds_dir)
    changed = [p for r in results for p in write_episode_files(show, r)]
    changed += write_show_files(show, results)
    assert changed == []
    assert tree(show.feeds_dir) == before
    assert stamps(show.feeds_dir) == before_stamps


class _CountingRender:
    """Counts page renders while still rendering for real (a pass-through wrapper)."""

    def __init__(self, monkeypatch) -> None:
        from toolkit.publish import pages

        self.calls = 0
        real = pages.render_episode_page

        def render(ctx):  # type: ignore[no-untyped-def]
            self.calls += 1
            return real(ctx)

        monkeypatch.setattr(pages, "render_episode_page", render)


def test_unchanged_episode_is_not_rendered_again(show, monkeypatch) -> None:
    result = make_result(show, "ep-one", langs={"es": "machine", "qps-ploc": "pseudo"})
    publish(show, result)
    counter = _CountingRender(monkeypatch)
    assert write_episode_files(show, result) == []
    assert counter.calls == 0


def test_skip_never_hides_a_change(show, monkeypatch) -> None:
    """Every input of the episode's outputs defeats the skip: a missing output
    file, a template override, a cue's text."""
    from dataclasses import replace

    result = make_result(show, "ep-one", langs={"es": "machine"})
    publish(show, result)
    folder = show.feeds_dir / "episodes" / "ep-one"
    counter = _CountingRender(monkeypatch)

    (folder / "es" / "transcript.srt").unlink()
    write_episode_files(show, result)
    assert (folder / "es" / "transcript.srt").is_file() and counter.calls == 2

    (show.root / "templates").mkdir()
    (show.root / "templates" / "transcript.css").write_text("body { color: #123456 }\n")
    write_episode_files(show, result)
    assert "#123456" in (folder / "en" / "index.html").read_text(encoding="utf-8") and counter.calls == 4

    es = result.languages["es"]
    first = replace(es.cues[0], lines=("Texto corregido.",))
    result.languages["es"] = replace(es, cues=(first, *es.cues[1:]))
    changed = write_episode_files(show, result)
    assert "Texto corregido." in (folder / "es" / "transcript.vtt").read_text(encoding="utf-8")
    assert any(p.endswith("es/transcript.vtt") for p in changed) and counter.calls == 6


def test_changing_one_episode_rewrites_only_its_files_and_the_show_files(show) -> None:
    one = make_result(show, "ep-one", langs={"es": "machine"})
    two = make_result(show, "ep-two", langs={"es": "machine"})
    publish(show, one, two)
    before = stamps(show.feeds_dir)
    edited = make_result(show, "ep-two", langs={"es": "machine"}, title="A new title")
    changed = write_episode_files(show, edited) + write_show_files(show, [edited])
    rel = {str(Path(p).relative_to(show.feeds_dir)) for p in changed}
    # the (translated) title is in each page, chapters.json ("title") and the manifest;
    # the cues, the audio and every other episode stay untouched
    assert rel == {"episodes/ep-two/episode.json",
                   "episodes/ep-two/en/index.html", "episodes/ep-two/en/chapters.json",
                   "episodes/ep-two/es/index.html", "episodes/ep-two/es/chapters.json",
                   "feed.xml", "es/feed.xml", "index.html", "es/index.html"}
    after = stamps(show.feeds_dir)
    assert {k for k in before if after[k] != before[k]} == rel


def test_language_no_longer_published_is_removed_only_in_its_episode(show) -> None:
    one = make_result(show, "ep-one", langs={"es": "machine", "qps-ploc": "pseudo"})
    two = make_result(show, "ep-two", langs={"es": "machine"})
    publish(show, one, two)
    keep = show.feeds_dir / "episodes" / "ep-one" / "notes.txt"  # a file we did not write
    keep.write_text("mine", encoding="utf-8")
    again = make_result(show, "ep-one", langs={"qps-ploc": "pseudo"})
    publish(show, again)
    out = show.feeds_dir / "episodes"
    assert not (out / "ep-one" / "es").exists()
    assert (out / "ep-one" / "qps-ploc" / "transcript.vtt").is_file()
    assert (out / "ep-two" / "es" / "transcript.vtt").is_file()  # other episodes untouched
    assert keep.read_text(encoding="utf-8") == "mine"
    assert (show.feeds_dir / "es" / "feed.xml").is_file()  # still published by ep-two


def test_renamed_audio_replaces_the_old_copy(show) -> None:
    one = make_result(show, "ep-one")
    publish(show, one)
    episode = one.source.episode
    new_audio = episode.audio.with_name("episode-1.mp3")
    shutil.move(episode.audio, new_audio)
    renamed = make_result(show, "ep-one")
    renamed.source.episode.audio.unlink()  # make_result wrote audio.mp3 again
    from dataclasses import replace

    from toolkit.pipeline import SourceBuild

    src = renamed.source
    renamed.source = SourceBuild(replace(src.episode, audio=new_audio), src.transcript,
                                 replace(src.audio, path=new_audio), src.alignment, src.cues, src.qc)
    publish(show, renamed)
    out = show.feeds_dir / "episodes" / "ep-one"
    assert (out / "episode-1.mp3").is_file() and not (out / "audio.mp3").exists()
    enc = etree.parse(str(show.feeds_dir / "feed.xml")).getroot().find("channel/item/enclosure")
    assert enc.get("url").endswith("/ep-one/episode-1.mp3")


def test_deleted_episode_folder_is_no_longer_listed(show) -> None:
    publish(show, make_result(show, "ep-one"), make_result(show, "ep-two"))
    shutil.rmtree(show.episodes_dir / "ep-one")
    write_show_files(show, [])
    items = etree.parse(str(show.feeds_dir / "feed.xml")).getroot().find("channel").findall("item")
    assert [i.findtext("title") for i in items] == ["Episode ep-two"]


def test_a_published_folder_whose_manifest_cannot_be_read_is_skipped_everywhere(show) -> None:
    """A manifest that cannot even be stat'ed (here a symlink loop; a permission problem reads
    the same) is not a published episode: the feeds' listing and the guid check before
    `publish episode` both pass over it instead of crashing, and the others are listed."""
    publish(show, make_result(show, "ep-one", guid="one"), make_result(show, "ep-two", guid="two"))
    manifest = show.feeds_dir / "episodes" / "ep-two" / "episode.json"
    manifest.unlink()
    manifest.symlink_to(manifest.name)  # ELOOP on every stat
    assert [e.slug for e in site.load_entries(show)] == ["ep-one"]
    site.check_guid_free(show, make_result(show, "ep-three", guid="three").source.episode)
    with pytest.raises(ConfigError, match="'one'"):
        site.check_guid_free(show, make_result(show, "ep-three", guid="one").source.episode)


def test_an_unreadable_episodes_folder_is_an_error_not_an_empty_feed(show, monkeypatch) -> None:
    publish(show, make_result(show, "ep-one"))
    real = os.scandir

    def refuse(path):  # type: ignore[no-untyped-def]
        if str(path).endswith(os.path.join("feeds", "episodes")):
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", refuse)  # (as root a chmod would not stop the listing)
    with pytest.raises(ConfigError, match="cannot list the published episodes"):
        site.load_entries(show)


def test_two_episodes_with_the_same_guid(show) -> None:
    publish(show, make_result(show, "ep-one", guid="same"))
    two = make_result(show, "ep-two", guid="same")
    write_episode_files(show, two)
    with pytest.raises(ConfigError) as err:
        write_show_files(show, [two])
    message = str(err.value)
    assert "'same'" in message and "'ep-one'" in message and "'ep-two'" in message
    assert "episode.toml" in message


@pytest.mark.parametrize("size, mode, fmt, name, expected", [
    ((1000, 1000), "RGB", "PNG", "cover.png", "between 1400 and 3000"),
    ((3200, 3200), "RGB", "PNG", "cover.png", "between 1400 and 3000"),
    ((1400, 1500), "RGB", "PNG", "cover.png", "not square"),
    ((1400, 1400), "RGB", "GIF", "cover.gif", "JPEG or PNG"),
    ((1400, 1400), "RGBA", "PNG", "cover.png", "RGB"),
    ((1400, 1400), "CMYK", "JPEG", "cover.jpg", "RGB"),
    ((1400, 1400), "RGB", "JPEG", "cover.png", "extension must match"),
])
def test_bad_cover_is_a_config_error(tmp_path: Path, size, mode, fmt, name, expected) -> None:
    root = tmp_path / "show"
    image = make_cover(root / name, size=size, mode=mode, fmt=fmt)
    show = make_show(root, cover=False, image=image)
    result = make_result(show, "ep-one")
    for call in (lambda: write_episode_files(show, result), lambda: write_show_files(show, [result])):
        with pytest.raises(ConfigError) as err:
            call()
        assert expected in str(err.value)
        assert str(show.config_path) in str(err.value) and "image" in str(err.value)
    assert not (show.feeds_dir / "feed.xml").exists()


def test_cover_replaced_between_episodes_is_checked_again(tmp_path: Path) -> None:
    """The cover's verdict is remembered per file identity: one replaced in place (same
    name, same byte count, the mtime put back) is a new file and is read again."""
    root = tmp_path / "show"
    show = make_show(root)
    write_episode_files(show, make_result(show, "ep-one"))
    good = show.image.read_bytes()
    stat_before = show.image.stat()
    bad = tmp_path / "bad.png"
    make_cover(bad, size=(1400, 1500))
    data = bad.read_bytes()
    # same length as the good cover, so only the identity (inode) tells them apart
    data = (data + b"\0" * len(good))[:len(good)] if len(data) <= len(good) else data
    replacement = tmp_path / "staged.png"
    replacement.write_bytes(data)
    os.utime(replacement, ns=(stat_before.st_atime_ns, stat_before.st_mtime_ns))
    os.replace(replacement, show.image)
    with pytest.raises(ConfigError, match="not square|not a readable image"):
        write_episode_files(show, make_result(show, "ep-two"))
    show.image.write_bytes(good)
    write_episode_files(show, make_result(show, "ep-two"))


def test_missing_cover_is_a_config_error(tmp_path: Path) -> None:
    show = make_show(tmp_path / "show", cover=False)
    with pytest.raises(ConfigError, match="file not found"):
        write_show_files(show, [])


def test_hostile_strings_are_escaped_in_every_output(tmp_path: Path) -> None:
    show = make_show(tmp_path / "show", title=HOSTILE, description=HOSTILE)
    result = make_result(show, "ep-one", langs={"es": "machine"}, title=HOSTILE, description=HOSTILE)
    publish(show, result)
    for path in [show.feeds_dir / "feed.xml", show.feeds_dir / "es" / "feed.xml"]:
        data = path.read_bytes()
        assert b"<script>" not in data
        root = etree.fromstring(data)
        assert root.find("channel/item/title").text.endswith(HOSTILE)
    assert etree.parse(str(show.feeds_dir / "feed.xml")).getroot().findtext("channel/title") == HOSTILE
    for page in [show.feeds_dir / "index.html", show.feeds_dir / "episodes/ep-one/en/index.html"]:
        assert "<script>alert(1)</script>" not in page.read_text(encoding="utf-8")


def test_unreadable_manifest_is_skipped_not_fatal(show, caplog) -> None:
    publish(show, make_result(show, "ep-one"), make_result(show, "ep-two"))
    (show.feeds_dir / "episodes" / "ep-one" / "episode.json").write_text("{not json", encoding="utf-8")
    write_show_files(show, [])
    items = etree.parse(str(show.feeds_dir / "feed.xml")).getroot().find("channel").findall("item")
    assert [i.findtext("title") for i in items] == ["Episode ep-two"]
    assert "publish the episode again" in caplog.text


def test_manifest_edited_or_replaced_is_read_again(show) -> None:
    """Parsed manifests are remembered per file identity: an edit in place (new size/mtime) or a
    replacement by rename (new inode) is seen by the next read, never the remembered entry."""
    publish(show, make_result(show, "ep-one"))
    manifest = show.feeds_dir / "episodes" / "ep-one" / "episode.json"
    assert [e.source.title for e in site.load_entries(show)] == ["Episode ep-one"]
    data = json.loads(manifest.read_text(encoding="utf-8"))
    data["languages"][0]["title"] = "Edited by hand"
    manifest.write_text(json.dumps(data), encoding="utf-8")  # in place: same inode
    assert [e.source.title for e in site.load_entries(show)] == ["Edited by hand"]
    data["languages"][0]["title"] = "Replaced whole"
    staged = manifest.with_name("staged.json")
    staged.write_text(json.dumps(data), encoding="utf-8")
    os.replace(staged, manifest)
    assert [e.source.title for e in site.load_entries(show)] == ["Replaced whole"]


def test_enclosure_type_aliases() -> None:
    assert site.enclosure_type("audio/mp4") == "audio/x-m4a"
    assert site.enclosure_type("Audio/MPEG") == "audio/mpeg"
    assert site.enclosure_type("audio/ogg") == "audio/ogg"


class _CountingShowRender:
    """Counts feed builds and show-page renders (pass-through: the real code runs)."""

    def __init__(self, monkeypatch) -> None:
        from toolkit.publish import pages

        self.feeds = 0
        self.pages = 0
        real_feed, real_page = feed.build_feed, pages.render_show_page

        def build(*a, **k):  # type: ignore[no-untyped-def]
            self.feeds += 1
            return real_feed(*a, **k)

        def render(ctx, *a, **k):  # type: ignore[no-untyped-def]
            self.pages += 1
            return real_page(ctx, *a, **k)

        monkeypatch.setattr(feed, "build_feed", build)
        monkeypatch.setattr(pages, "render_show_page", render)


def test_unchanged_show_files_are_not_rebuilt(show, monkeypatch) -> None:
    results = [make_result(show, "ep-one", langs={"es": "machine", "qps-ploc": "pseudo"}),
               make_result(show, "ep-two", langs={"es": "machine"})]
    publish(show, *results)
    before = tree(show.feeds_dir)
    counter = _CountingShowRender(monkeypatch)
    assert write_show_files(show, results) == []
    assert write_show_files(show, []) == []  # `publish episode` of another slug: manifests only
    assert (counter.feeds, counter.pages) == (0, 0)
    assert tree(show.feeds_dir) == before


def test_show_files_rebuilt_when_one_episode_changed(show, monkeypatch) -> None:
    one = make_result(show, "ep-one", langs={"es": "machine"})
    two = make_result(show, "ep-two", langs={"es": "machine"})
    publish(show, one, two)
    counter = _CountingShowRender(monkeypatch)
    edited = make_result(show, "ep-two", langs={"es": "machine"}, title="A new title")
    write_episode_files(show, edited)
    changed = write_show_files(show, [edited])
    assert (counter.feeds, counter.pages) == (2, 2)
    rel = {str(Path(p).relative_to(show.feeds_dir)) for p in changed}
    assert rel == {"feed.xml", "es/feed.xml", "index.html", "es/index.html"}
    assert "A new title" in (show.feeds_dir / "feed.xml").read_text(encoding="utf-8")


def test_show_files_rebuilt_when_an_output_is_deleted_or_an_input_changes(show, monkeypatch) -> None:
    from dataclasses import replace

    results = [make_result(show, "ep-one", langs={"es": "machine"})]
    publish(show, *results)
    before = tree(show.feeds_dir)
    counter = _CountingShowRender(monkeypatch)

    (show.feeds_dir / "es" / "index.html").unlink()
    write_show_files(show, results)
    assert tree(show.feeds_dir) == before and counter.pages == 2

    (show.feeds_dir / "es" / "feed.xml").write_bytes(b"<rss/>")  # truncated / damaged by hand
    write_show_files(show, results)
    assert tree(show.feeds_dir) == before and counter.feeds == 4

    (show.root / "templates").mkdir()
    (show.root / "templates" / "transcript.css").write_text("body { color: #654321 }\n")
    write_show_files(show, results)
    assert "#654321" in (show.feeds_dir / "index.html").read_text(encoding="utf-8") and counter.pages == 6

    moved = replace(show, base_url="https://example.org/elsewhere")
    write_show_files(moved, results)
    assert "https://example.org/elsewhere/feed.xml" in (show.feeds_dir / "feed.xml").read_text(encoding="utf-8")
    assert counter.feeds == 8  # 2 per rebuild: deleted page, damaged feed, template, base_url

    shutil.rmtree(show.episodes_dir / "ep-one")
    write_show_files(moved, [])
    assert etree.parse(str(show.feeds_dir / "feed.xml")).getroot().find("channel/item") is None


# --------------------------------------------------------------------------- icons, the show player, word timings


def test_icons_are_made_from_the_cover_and_linked_from_every_page(show) -> None:
    from PIL import Image

    publish(show, make_result(show, "ep-one", langs={"es": "machine"}))
    feeds_dir = show.feeds_dir
    with Image.open(feeds_dir / "favicon.ico") as ico:
        assert ico.format == "ICO"
        assert sorted(ico.info["sizes"]) == [(16, 16), (32, 32), (48, 48)]
        assert ico.getpixel((ico.width // 2, ico.height // 2))[:3] == (30, 90, 160)  # the cover's colour
    with Image.open(feeds_dir / "apple-touch-icon.png") as png:
        assert (png.format, png.size) == ("PNG", (180, 180))
    import re
    from urllib.parse import urljoin

    for page in ("index.html", "es/index.html", "episodes/ep-one/en/index.html", "episodes/ep-one/es/index.html"):
        html = (feeds_dir / page).read_text(encoding="utf-8")
        hrefs = re.findall(r'<link rel="(?:icon|apple-touch-icon)" href="([^"]+)"', html)
        assert len(hrefs) == 2, page
        for href in hrefs:
            assert (feeds_dir / urljoin("http://x/" + page, href).removeprefix("http://x/")).is_file(), (page, href)
        # the shared player on the show page plays the published enclosure
        for src in re.findall(r'data-src="([^"]+)"', html):
            assert (feeds_dir / urljoin("http://x/" + page, src).removeprefix("http://x/")).is_file(), (page, src)


def test_icons_follow_the_cover(show) -> None:
    publish(show, make_result(show, "ep-one"))
    first = (show.feeds_dir / "favicon.ico").read_bytes()
    assert site.write_icons(show) == []  # unchanged cover: nothing made again
    from PIL import Image

    show.image.unlink()
    Image.new("RGB", (1400, 1400), color=(200, 40, 40)).save(show.image, format="PNG")
    changed = site.write_icons(show)
    assert sorted(p.name for p in changed) == ["apple-touch-icon.png", "favicon.ico"]
    assert (show.feeds_dir / "favicon.ico").read_bytes() != first


def test_changed_word_timings_render_the_source_page_again(show) -> None:
    from dataclasses import replace

    from toolkit.model import Word

    result = make_result(show, "ep-one", langs={"es": "machine"})
    publish(show, result)
    page = show.feeds_dir / "episodes" / "ep-one" / "en" / "index.html"
    assert "data-w=" not in page.read_text(encoding="utf-8")
    source = result.source
    turn = source.transcript.turns[0]
    timed = []
    for s in turn.sentences:  # what the aligner (or Whisper) adds: one timing per word
        n = len(s.text.split())
        step = (s.end - s.start) // n
        timed.append(replace(s, words=tuple(Word(w, s.start + k * step, s.start + (k + 1) * step)
                                            for k, w in enumerate(s.text.split()))))
    transcript = replace(source.transcript, turns=(replace(turn, sentences=tuple(timed)),))
    result.source = replace(source, transcript=transcript)
    changed = write_episode_files(show, result)
    assert str(page) in changed
    html = page.read_text(encoding="utf-8")
    assert 'data-w="0 450"' in html  # "Hello there." over 0–900 ms
    assert "data-w=" not in (show.feeds_dir / "episodes" / "ep-one" / "es" / "index.html").read_text(encoding="utf-8")
