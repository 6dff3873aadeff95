"""toolkit.publish.feed: one test per feed element, the golden feed, guids,
reproducibility and hostile strings (read back with lxml)."""

from __future__ import annotations

import datetime as dt
import email.utils
import os
import uuid
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from support.sitekit import HOSTILE, make_show
from toolkit.model import Person
from toolkit.publish import feed
from toolkit.publish.feed import ChannelTexts, EpisodeEntry, FeedSpec, LanguageEntry

NS = feed.NS
GOLDEN = Path(__file__).parent / "golden" / "feed.xml"
UTC = dt.timezone.utc


def entry(slug: str = "ep-one", *, day: int = 1, langs: tuple[LanguageEntry, ...] = (), **kw: object) -> EpisodeEntry:
    fields: dict[str, object] = dict(
        slug=slug,
        date=dt.datetime(2026, 3, day, 9, 0, tzinfo=UTC),
        language="en",
        languages=(LanguageEntry("en", f"Title {slug}", f"About {slug}.", has_chapters=True),) + langs,
        audio_file="audio.mp3",
        audio_size=123456,
        audio_mime="audio/mpeg",
        duration_ms=61_499,
        number=day,
        season=1,
        persons=(Person("Ana Ruiz", role="host", group="cast", href="https://example.org/ana"),
                 Person("Li Wei", role="guest", img="https://example.org/li.jpg")),
    )
    fields.update(kw)
    return EpisodeEntry(**fields)  # type: ignore[arg-type]


ES = LanguageEntry("es", "[es] Título", "[es] Sobre.", machine=True, engine="apertium eng-spa", has_chapters=True)
DE = LanguageEntry("de", "Titel", "Über.", machine=False, has_chapters=False)  # human translation
FR = LanguageEntry("fr", "[Ŧîţļé]", "[Åƀöûţ]", machine=True, engine="pseudo", pseudo=True, has_chapters=True)


def parse(data: bytes) -> etree._Element:
    return etree.fromstring(data)


def channel(data: bytes) -> etree._Element:
    return parse(data).find("channel")


@pytest.fixture()
def show(tmp_path: Path):
    return make_show(tmp_path)


# ---------------------------------------------------------------- podcast:guid and item guids

@pytest.mark.parametrize("url, expected", [
    ("https://podnews.net/rss", "9b024349-ccf0-5f69-a609-6b82873eab3c"),
    ("http://podnews.net/rss/", "9b024349-ccf0-5f69-a609-6b82873eab3c"),
    ("podnews.net/rss", "9b024349-ccf0-5f69-a609-6b82873eab3c"),
    ("https://mp3s.nashownotes.com/pc20rss.xml", "917393e3-1b1e-5cef-ace4-edaa54e1f810"),
])
def test_podcast_guid_golden_vectors(url: str, expected: str) -> None:
    assert feed.podcast_guid(url) == expected


def test_channel_guid_is_show_guid_or_uuid5_of_feed_url(show) -> None:
    data = feed.build_feed(show, [entry()])
    assert channel(data).findtext("podcast:guid", namespaces=NS) == feed.podcast_guid(
        "example.org/podcast/feed.xml")
    pinned = make_show(show.root, guid="7c1ea91e-6ff8-5aea-a0f9-7efc5df5d2a9")
    assert channel(feed.build_feed(pinned, [entry()])).findtext("podcast:guid", namespaces=NS) == \
        "7c1ea91e-6ff8-5aea-a0f9-7efc5df5d2a9"


def test_item_guid_explicit_is_kept_and_derived_is_stable(show) -> None:
    ch = feed.podcast_guid("example.org/podcast/feed.xml")
    assert feed.item_guid(ch, entry(guid="fieldnotes-0001")) == "fieldnotes-0001"
    derived = feed.item_guid(ch, entry())
    assert derived == str(uuid.uuid5(uuid.UUID(ch), "ep-one"))
    # Title, date, audio and languages do not change it; the slug does.
    assert feed.item_guid(ch, entry(day=9, audio_size=1, languages=(LanguageEntry("en", "x", "y"),))) == derived
    assert feed.item_guid(ch, entry("ep-two")) != derived
    # a non-UUID show guid still gives a deterministic UUID
    assert feed.item_guid("my-show", entry()) == feed.item_guid("my-show", entry())
    uuid.UUID(feed.item_guid("my-show", entry()))


def test_item_guid_in_feed_is_not_a_permalink(show) -> None:
    item = channel(feed.build_feed(show, [entry(guid="g-1")])).find("item")
    assert item.findtext("guid") == "g-1"
    assert item.find("guid").get("isPermaLink") == "false"


# ---------------------------------------------------------------- channel elements

def test_channel_core_and_itunes_elements(tmp_path: Path) -> None:
    show = make_show(tmp_path, explicit=True, show_type="serial", locked=False,
                     link="https://example.org/site", copyright="© 2026 Studio")
    ch = channel(feed.build_feed(show, [entry(), entry("ep-two", day=5)]))
    assert ch.findtext("title") == "Field Notes"
    assert ch.findtext("description") == "Short stories about how things are made."
    assert ch.findtext("link") == "https://example.org/site"  # the site link, not the self link
    assert ch.findtext("language") == "en"
    assert ch.findtext("copyright") == "© 2026 Studio"
    self_link = ch.find("atom:link", NS)
    assert (self_link.get("rel"), self_link.get("href")) == ("self", "https://example.org/podcast/feed.xml")
    assert ch.find("itunes:image", NS).get("href") == "https://example.org/podcast/cover.png"
    cats = ch.findall("itunes:category", NS)
    assert [c.get("text") for c in cats] == ["Society & Culture", "Technology"]
    assert [c.get("text") for c in cats[0].findall("itunes:category", NS)] == ["Documentary"]
    assert ch.findtext("itunes:explicit", namespaces=NS) == "true"
    assert ch.findtext("itunes:author", namespaces=NS) == "Field Notes Studio"
    assert ch.findtext("itunes:owner/itunes:name", namespaces=NS) == "Ana Producer"
    assert ch.findtext("itunes:owner/itunes:email", namespaces=NS) == "ana@example.org"
    assert ch.findtext("itunes:type", namespaces=NS) == "serial"
    locked = ch.find("podcast:locked", NS)
    assert (locked.text, locked.get("owner")) == ("no", "ana@example.org")
    # lastBuildDate = the newest episode's date, never "now"
    assert email.utils.parsedate_to_datetime(ch.findtext("lastBuildDate")) == dt.datetime(2026, 3, 5, 9, tzinfo=UTC)
    assert ch.find("itunes:block", NS) is None and ch.find("podcast:block", NS) is None


def test_explicit_false_and_locked_yes(show) -> None:
    ch = channel(feed.build_feed(show, [entry()]))
    assert ch.findtext("itunes:explicit", namespaces=NS) == "false"
    assert ch.findtext("podcast:locked", namespaces=NS) == "yes"


def test_empty_show_has_a_fixed_build_date(show) -> None:
    ch = channel(feed.build_feed(show, []))
    assert ch.findtext("lastBuildDate") == "Thu, 01 Jan 1970 00:00:00 +0000"
    assert ch.findall("item") == []


# ---------------------------------------------------------------- item elements

def test_item_elements(show) -> None:
    data = feed.build_feed(show, [entry(episode_type="bonus", explicit=True, image_file="art.jpg")])
    item = channel(data).find("item")
    assert item.findtext("title") == "Title ep-one"
    assert item.findtext("description") == "About ep-one."
    assert item.findtext("link") == "https://example.org/podcast/episodes/ep-one/en/index.html"
    assert email.utils.parsedate_to_datetime(item.findtext("pubDate")) == dt.datetime(2026, 3, 1, 9, tzinfo=UTC)
    enc = item.find("enclosure")
    assert enc.attrib == {"url": "https://example.org/podcast/episodes/ep-one/audio.mp3",
                          "length": "123456", "type": "audio/mpeg"}
    assert item.findtext("itunes:duration", namespaces=NS) == "61"  # 61.499 s → whole seconds
    assert item.findtext("itunes:episode", namespaces=NS) == "1"
    assert item.findtext("itunes:season", namespaces=NS) == "1"
    assert item.findtext("itunes:episodeType", namespaces=NS) == "bonus"
    assert item.findtext("itunes:explicit", namespaces=NS) == "true"
    assert item.find("itunes:image", NS).get("href") == "https://example.org/podcast/episodes/ep-one/art.jpg"


def test_duration_rounds_to_nearest_second(show) -> None:
    item = channel(feed.build_feed(show, [entry(duration_ms=1500)])).find("item")
    assert item.findtext("itunes:duration", namespaces=NS) == "2"


def test_items_newest_first_ties_by_slug(show) -> None:
    entries = [entry("b", day=2), entry("a", day=2), entry("c", day=1), entry("d", day=3)]
    items = channel(feed.build_feed(show, entries)).findall("item")
    assert [i.findtext("title") for i in items] == ["Title d", "Title b", "Title a", "Title c"]


def test_no_number_no_season_elements(show) -> None:
    item = channel(feed.build_feed(show, [entry(number=None, season=None)])).find("item")
    assert item.find("itunes:episode", NS) is None and item.find("itunes:season", NS) is None


def test_persons(show) -> None:
    persons = channel(feed.build_feed(show, [entry()])).find("item").findall("podcast:person", NS)
    assert [(p.text, p.get("role"), p.get("group"), p.get("href"), p.get("img")) for p in persons] == [
        ("Ana Ruiz", "host", "cast", "https://example.org/ana", None),
        ("Li Wei", "guest", "cast", None, "https://example.org/li.jpg"),
    ]


def test_chapters_tag(show) -> None:
    item = channel(feed.build_feed(show, [entry()])).find("item")
    ch = item.find("podcast:chapters", NS)
    assert ch.attrib == {"url": "https://example.org/podcast/episodes/ep-one/en/chapters.json",
                         "type": "application/json+chapters"}
    no_chapters = entry(languages=(LanguageEntry("en", "t", "d", has_chapters=False),))
    assert channel(feed.build_feed(show, [no_chapters])).find("item").find("podcast:chapters", NS) is None


def _transcripts(item: etree._Element) -> list[tuple[str, str, str | None, str | None]]:
    return [(t.get("url").rsplit("/episodes/", 1)[1], t.get("type"), t.get("language"), t.get("rel"))
            for t in item.findall("podcast:transcript", NS)]


def test_transcripts_one_per_format_and_language_pseudo_left_out(show) -> None:
    item = channel(feed.build_feed(show, [entry(langs=(ES, FR, DE))])).find("item")
    expected = []
    for lang in ("en", "es", "de"):  # source first, then targets in order; pseudo fr never listed
        expected += [
            (f"ep-one/{lang}/transcript.vtt", "text/vtt", lang, "captions"),
            (f"ep-one/{lang}/transcript.srt", "application/x-subrip", lang, "captions"),
            (f"ep-one/{lang}/transcript.json", "application/json", lang, "captions"),
            (f"ep-one/{lang}/index.html", "text/html", lang, None),
        ]
    assert _transcripts(item) == expected


def test_ai_content_disclosure_only_for_machine_translation(show) -> None:
    def txt(e: EpisodeEntry) -> list[tuple[str | None, str | None]]:
        item = channel(feed.build_feed(show, [e])).find("item")
        return [(t.get("purpose"), t.text) for t in item.findall("podcast:txt", NS)]

    assert txt(entry(langs=(ES,))) == [("ai-content", "true")]
    assert txt(entry(langs=(DE,))) == []  # human translation
    assert txt(entry(langs=(FR,))) == []  # pseudo is not listed in the main feed at all
    assert txt(entry()) == []


# ---------------------------------------------------------------- companion feeds

def test_feed_specs_one_companion_per_language(show) -> None:
    specs = feed.feed_specs(show, [entry(langs=(ES,)), entry("b", langs=(FR, DE))])
    assert specs == [
        FeedSpec(None, "feed.xml", "en"),
        FeedSpec("de", "de/feed.xml", "de"),
        FeedSpec("es", "es/feed.xml", "es"),
        FeedSpec("fr", "fr/feed.xml", "fr", pseudo=True),
    ]


def test_companion_feed(show) -> None:
    entries = [entry("new", day=2, langs=(ES, FR)), entry("old", day=1)]  # "old" has no Spanish yet
    specs = feed.feed_specs(show, entries)
    es_spec = specs[1]
    data = feed.build_feed(show, entries, spec=es_spec, all_specs=specs,
                           texts=ChannelTexts("Notas de campo", "Historias.", machine=True, engine="apertium"))
    ch = channel(data)
    assert ch.findtext("title") == "Notas de campo"
    assert ch.findtext("description") == "Historias."
    assert ch.findtext("language") == "en"  # the audio's language
    assert ch.findtext("link") == "https://example.org/podcast/es/index.html"
    links = ch.findall("atom:link", NS)
    assert links[0].get("rel") == "self" and links[0].get("href") == "https://example.org/podcast/es/feed.xml"
    alternates = [(x.get("rel"), x.get("hreflang"), x.get("type"), x.get("href")) for x in links[1:]]
    assert alternates == [("alternate", "en", "application/rss+xml", "https://example.org/podcast/feed.xml")]
    assert ch.findtext("podcast:guid", namespaces=NS) == feed.podcast_guid("https://example.org/podcast/es/feed.xml")
    assert [(t.get("purpose"), t.text) for t in ch.findall("podcast:txt", NS)] == [("ai-content", "true")]
    new, old = ch.findall("item")
    assert new.findtext("title") == "[es] Título" and new.findtext("description") == "[es] Sobre."
    assert new.findtext("link") == "https://example.org/podcast/episodes/new/es/index.html"
    main_guid = feed.item_guid(feed.podcast_guid("example.org/podcast/feed.xml"), entries[0])
    assert new.findtext("guid") == f"{main_guid}:es"
    assert new.find("podcast:chapters", NS).get("url").endswith("/new/es/chapters.json")
    listed = _transcripts(new)
    assert [t[2] for t in listed] == ["es"] * 4 + ["en"] * 4  # own language first, pseudo left out
    assert [(t.get("purpose"), t.text) for t in new.findall("podcast:txt", NS)] == [("ai-content", "true")]
    # an episode without the language is listed with its source texts
    assert old.findtext("title") == "Title old"
    assert [t[2] for t in _transcripts(old)] == ["en"] * 4
    assert old.find("podcast:txt", NS) is None


def test_main_feed_alternates_skip_pseudo_feeds(show) -> None:
    entries = [entry(langs=(ES, FR))]
    specs = feed.feed_specs(show, entries)
    ch = channel(feed.build_feed(show, entries, spec=specs[0], all_specs=specs))
    assert [(x.get("rel"), x.get("hreflang")) for x in ch.findall("atom:link", NS)] == [
        ("self", None), ("alternate", "es")]


def test_pseudo_companion_feed_is_blocked(show) -> None:
    entries = [entry(langs=(ES, FR))]
    specs = feed.feed_specs(show, entries)
    fr = next(s for s in specs if s.lang == "fr")
    ch = channel(feed.build_feed(show, entries, spec=fr, all_specs=specs,
                                 texts=ChannelTexts("[Ƒîéļð]", "[…]", machine=True, pseudo=True)))
    assert ch.findtext("itunes:block", namespaces=NS) == "Yes"
    assert ch.findtext("podcast:block", namespaces=NS) == "yes"
    assert ch.find("podcast:txt", NS) is None  # pseudo text is not "AI content"; it is blocked instead
    item = ch.find("item")
    assert [t[2] for t in _transcripts(item)][:4] == ["fr"] * 4
    assert {x.get("hreflang") for x in ch.findall("atom:link", NS)[1:]} == {"en", "es"}


def test_every_feed_has_a_distinct_guid_and_distinct_item_guids(show) -> None:
    entries = [entry(langs=(ES, DE, FR)), entry("b", day=2, langs=(ES,))]
    specs = feed.feed_specs(show, entries)
    channel_guids, item_guids = [], []
    for spec in specs:
        ch = channel(feed.build_feed(show, entries, spec=spec, all_specs=specs))
        channel_guids.append(ch.findtext("podcast:guid", namespaces=NS))
        item_guids += [i.findtext("guid") for i in ch.findall("item")]
    assert len(set(channel_guids)) == len(specs) == 4
    assert len(set(item_guids)) == len(item_guids) == 8


# ---------------------------------------------------------------- hostile input, reproducibility

def test_hostile_strings_are_escaped_and_read_back_verbatim(tmp_path: Path) -> None:
    show = make_show(tmp_path, title=HOSTILE, description=HOSTILE, author=HOSTILE, copyright=HOSTILE)
    bad = LanguageEntry("en", HOSTILE + "\x0b", " " + HOSTILE + " ", has_chapters=True)
    e = entry(languages=(bad,), persons=(Person(HOSTILE, role="host"),))
    data = feed.build_feed(show, [e])
    assert b"<script>" not in data
    assert b"&lt;script&gt;alert(1)&lt;/script&gt; &amp;" in data
    ch = channel(data)
    assert ch.findtext("title") == HOSTILE
    assert ch.findtext("itunes:author", namespaces=NS) == HOSTILE
    item = ch.find("item")
    assert item.findtext("title") == HOSTILE  # control character dropped
    assert item.findtext("description") == HOSTILE  # outer spaces stripped
    assert item.findtext("podcast:person", namespaces=NS) == HOSTILE


def test_rebuild_is_byte_identical_and_order_independent(show) -> None:
    entries = [entry("a", day=1, langs=(ES,)), entry("b", day=3, langs=(ES, FR)), entry("c", day=2)]
    first = feed.build_feed(show, entries)
    assert feed.build_feed(show, list(reversed(entries))) == first
    specs = feed.feed_specs(show, entries)
    for spec in specs:
        assert feed.build_feed(show, entries, spec=spec, all_specs=specs) == \
            feed.build_feed(show, entries[::-1], spec=spec, all_specs=feed.feed_specs(show, entries[::-1]))


@settings(max_examples=40, deadline=None)
@given(title=st.text(min_size=1, max_size=40), description=st.text(max_size=60),
       machine=st.booleans(), number=st.one_of(st.none(), st.integers(1, 999)))
def test_manifest_json_round_trip(title: str, description: str, machine: bool, number: int | None) -> None:
    e = entry(number=number, langs=(LanguageEntry("es", title, description, machine=machine, engine="x"),))
    assert EpisodeEntry.from_json(e.to_json()) == e


# ---------------------------------------------------------------- golden file

def golden_feed(root: Path) -> bytes:
    show = make_show(root, guid="7c1ea91e-6ff8-5aea-a0f9-7efc5df5d2a9", copyright="© 2026 Field Notes Studio",
                     link="https://example.org/podcast/")
    entries = [
        entry("the-bridge", day=1, guid="fieldnotes-0001", langs=(ES, FR)),
        entry("the-clock", day=8, langs=(ES, DE), image_file="clock.jpg", episode_type="full"),
    ]
    return feed.build_feed(show, entries)


def test_golden_feed(tmp_path: Path) -> None:
    data = golden_feed(tmp_path)
    if os.environ.get("TOOLKIT_UPDATE_GOLDENS") == "1":
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN.write_bytes(data)
    assert GOLDEN.is_file(), "run with TOOLKIT_UPDATE_GOLDENS=1 to create the golden feed"
    assert data == GOLDEN.read_bytes()
