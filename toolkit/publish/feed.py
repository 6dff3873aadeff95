"""RSS 2.0 + iTunes + Podcasting 2.0 feeds, built with feedgen and one custom
extension (feedgen's own ``podcast`` extension covers iTunes only, and refuses
``itunes:explicit`` true/false, which Apple now requires).

The feeds are built from :class:`EpisodeEntry` records — the per-episode
manifests :mod:`toolkit.publish.site` writes next to each published episode —
so the feed of a show can be rebuilt without re-running any earlier stage.

Feeds (the output layout in ``interfaces.md``):

* ``feeds/feed.xml`` — the main feed.  Channel and item texts in the audio's
  language; every item lists one ``podcast:transcript`` per format (VTT, SRT,
  JSON, HTML) for every published language of the episode, source language
  first.
* ``feeds/<lang>/feed.xml`` — a companion feed per target language: translated
  show and episode texts, that language's chapters, that language's
  transcripts first.  It is its own show for the directories, so it has its
  own ``podcast:guid`` (UUIDv5 of its own URL) and its own item guids
  (``<main item guid>:<lang>``), never the main feed's.
* Every feed cross-links all the others with ``atom:link rel="alternate"
  hreflang=<lang> type="application/rss+xml"``.  The channel ``<language>``
  stays the audio's language in every feed (it describes what listeners hear).

Decisions worth knowing:

* **Item guid.** ``guid`` from ``episode.toml`` when set; otherwise
  ``uuid5(<main podcast:guid as a UUID namespace>, <slug>)`` (a non-UUID
  ``show.toml`` guid is first turned into one with ``uuid5(PODCAST_NAMESPACE,
  guid)``).  It depends only on the show's guid and the slug, so it survives
  title, date and audio changes.  Set ``guid`` in show.toml before moving the
  feed to another URL (see :func:`podcast_guid`), or every derived guid changes.
* **Machine translation disclosure.** An item whose listed transcripts (or,
  in a companion feed, whose texts) include machine-translated ones carries
  ``<podcast:txt purpose="ai-content">true</podcast:txt>``; a companion channel
  whose show texts are machine translated carries it at channel level too.
* **Pseudo-localization** (``qps-ploc``) is a layout test, never a translation:
  it is left out of every feed's ``podcast:transcript`` list and of the other
  feeds' alternates, unless the show asks for it (``[translation]
  offer_pseudo = true``); its own companion feed is written (to test apps with
  it) and always carries ``itunes:block`` and ``podcast:block`` so no directory
  lists it.
* **Reproducible.** ``lastBuildDate`` and ``pubDate`` are the newest episode's
  date (the Unix epoch for an empty show), items are ordered newest first
  (ties by slug), and nothing reads the clock: the same input gives the same
  bytes.
* Texts are plain text: lxml escapes ``<``, ``&`` and quotes; characters XML
  1.0 cannot carry at all (control characters) are dropped, since lxml would
  refuse the whole feed for one stray byte pasted from a word processor.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
import uuid
from collections.abc import Iterable, Mapping, MutableMapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from importlib import metadata
from typing import Any

from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.feed import FeedGenerator
from lxml import etree

from .. import langs
from ..cache import keys
from ..build import ChannelTexts
from ..model import Category, Person, Show
from .layout import (
    APPLE_ENCLOSURE_TYPES,
    CHAPTERS_FILE,
    CHAPTERS_TYPE,
    PAGE_FILE,
    TRANSCRIPT_FORMATS,
    TranscriptFormat,
    episode_file_path,
    feed_path,
    show_page_path,
    url_for,
)

log = logging.getLogger(__name__)

__all__ = [
    "PODCAST_NAMESPACE",
    "NS",
    "TRANSCRIPT_FORMATS",
    "TranscriptFormat",
    "APPLE_ENCLOSURE_TYPES",
    "LanguageEntry",
    "EpisodeEntry",
    "ChannelTexts",
    "FeedSpec",
    "podcast_guid",
    "item_guid",
    "feed_path",
    "feed_specs",
    "url_for",
    "build_feed",
    "item_keys",
    "split_items",
    "clean_text",
]

#: The Podcasting 2.0 UUIDv5 namespace for ``podcast:guid``.
PODCAST_NAMESPACE = uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6")

#: XML namespaces used in the feeds.
NS = {
    "itunes": "http://www.itunes.com/dtds/podcast-1.0.dtd",
    "podcast": "https://podcastindex.org/namespace/1.0",
    "atom": "http://www.w3.org/2005/Atom",
}
_IT = "{%s}" % NS["itunes"]
_PC = "{%s}" % NS["podcast"]
_ATOM = "{%s}" % NS["atom"]

# ---------------------------------------------------------------- manifests

@dataclass(frozen=True)
class LanguageEntry:
    """One published language of an episode (what the feeds need of it)."""

    lang: str
    title: str
    description: str
    machine: bool = False
    engine: str | None = None
    pseudo: bool = False
    has_chapters: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "lang": self.lang,
            "title": self.title,
            "description": self.description,
            "machine": self.machine,
            "engine": self.engine,
            "pseudo": self.pseudo,
            "has_chapters": self.has_chapters,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> LanguageEntry:
        return cls(
            lang=str(data["lang"]),
            title=str(data["title"]),
            description=str(data["description"]),
            machine=bool(data.get("machine", False)),
            engine=data.get("engine"),
            pseudo=bool(data.get("pseudo", False)),
            has_chapters=bool(data.get("has_chapters", False)),
        )


@dataclass(frozen=True)
class EpisodeEntry:
    """A published episode as the feeds and the show page see it.

    Serialised as ``feeds/episodes/<slug>/episode.json`` by the site writer.
    ``languages`` lists the source language first.  File names are relative to
    ``feeds/episodes/<slug>/``.
    """

    slug: str
    date: dt.datetime
    language: str  # the audio's (source) language
    languages: tuple[LanguageEntry, ...]
    audio_file: str
    audio_size: int
    audio_mime: str
    duration_ms: int
    guid: str | None = None  # from episode.toml; None = derived (see item_guid)
    number: int | None = None
    season: int | None = None
    episode_type: str = "full"
    explicit: bool = False
    image_file: str | None = None
    persons: tuple[Person, ...] = ()
    has_transcript: bool = True  # False: published without one (episode.toml `transcript = false`)

    @property
    def source(self) -> LanguageEntry:
        return self.languages[0]

    @cached_property
    def digest(self) -> str:
        """The digest of :meth:`to_json`, computed once per entry (a catalogue has a feed and a
        show page per language; an entry is a frozen value, and hashing it for a cache would
        walk all of it each time)."""
        return keys.digest_json(self.to_json())

    def lang(self, code: str) -> LanguageEntry | None:
        """The entry for language ``code``, or None when not published."""
        for entry in self.languages:
            if entry.lang == code:
                return entry
        return None

    def to_json(self) -> dict[str, Any]:
        return {
            "version": 1,
            "slug": self.slug,
            "guid": self.guid,
            "date": self.date.isoformat(),
            "language": self.language,
            "number": self.number,
            "season": self.season,
            "episode_type": self.episode_type,
            "explicit": self.explicit,
            "audio": {
                "file": self.audio_file,
                "size": self.audio_size,
                "mime": self.audio_mime,
                "duration_ms": self.duration_ms,
            },
            "image": self.image_file,
            "persons": [
                {"name": p.name, "role": p.role, "group": p.group, "href": p.href, "img": p.img}
                for p in self.persons
            ],
            "languages": [entry.to_json() for entry in self.languages],
            **({} if self.has_transcript else {"has_transcript": False}),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> EpisodeEntry:
        audio = data["audio"]
        return cls(
            slug=str(data["slug"]),
            guid=data.get("guid"),
            date=dt.datetime.fromisoformat(data["date"]),
            language=str(data["language"]),
            number=data.get("number"),
            season=data.get("season"),
            episode_type=str(data.get("episode_type", "full")),
            explicit=bool(data.get("explicit", False)),
            audio_file=str(audio["file"]),
            audio_size=int(audio["size"]),
            audio_mime=str(audio["mime"]),
            duration_ms=int(audio["duration_ms"]),
            image_file=data.get("image"),
            persons=tuple(
                Person(name=p["name"], role=p.get("role", "guest"), group=p.get("group", "cast"),
                       href=p.get("href"), img=p.get("img"))
                for p in data.get("persons", ())
            ),
            languages=tuple(LanguageEntry.from_json(x) for x in data["languages"]),
            has_transcript=bool(data.get("has_transcript", True)),
        )


@dataclass(frozen=True)
class FeedSpec:
    """Which feed to build: ``lang`` None is the main feed."""

    lang: str | None
    path: str  # under feeds/
    hreflang: str
    pseudo: bool = False


# ---------------------------------------------------------------- identifiers and URLs

def podcast_guid(feed_url: str) -> str:
    """``podcast:guid`` for a feed URL: UUIDv5 of the URL without scheme and
    trailing slashes, in the Podcasting 2.0 namespace.

    >>> podcast_guid("https://podnews.net/rss")
    '9b024349-ccf0-5f69-a609-6b82873eab3c'
    """
    name = re.sub(r"^[A-Za-z][A-Za-z0-9+.-]*://", "", feed_url.strip()).rstrip("/")
    return str(uuid.uuid5(PODCAST_NAMESPACE, name))


def item_guid(channel_guid: str, entry: EpisodeEntry) -> str:
    """The main feed's ``<guid>`` of an episode (see the module docstring)."""
    if entry.guid:
        return entry.guid
    try:
        namespace = uuid.UUID(channel_guid)
    except ValueError:
        namespace = uuid.uuid5(PODCAST_NAMESPACE, channel_guid)
    return str(uuid.uuid5(namespace, entry.slug))


def feed_specs(show: Show, entries: Sequence[EpisodeEntry]) -> list[FeedSpec]:
    """The main feed and one companion feed per language any episode has
    (besides the audio language), in first-seen order of the episodes."""
    specs = [FeedSpec(None, feed_path(None), show.language)]
    seen: dict[str, bool] = {}
    for entry in sorted(entries, key=_order_key):
        for lang_entry in entry.languages[1:]:
            if lang_entry.lang == show.language:
                continue
            seen[lang_entry.lang] = seen.get(lang_entry.lang, False) or lang_entry.pseudo
    ordered = sorted(seen)
    specs += [FeedSpec(lang, feed_path(lang), lang, seen[lang]) for lang in ordered]
    return specs


# ---------------------------------------------------------------- text hygiene

# XML 1.0 Char production: anything else makes lxml refuse the document.
_XML_BAD = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def clean_text(text: str) -> str:
    """Text safe for XML: invalid characters dropped, outer whitespace stripped
    (Apple: "no leading/trailing spaces")."""
    return _XML_BAD.sub("", text).strip()


# ---------------------------------------------------------------- the extension

def _sub(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    """Append ``<tag attrs>text</tag>``; a trailing ``_`` in an attribute name
    is dropped (``text_=`` sets the attribute ``text``, as on itunes:category)."""
    el = etree.SubElement(parent, tag, {key.rstrip("_"): value for key, value in attrs.items()})
    if text is not None:
        el.text = text
    return el


def _bool(value: bool) -> str:
    return "true" if value else "false"


class PodcastExtension(BaseExtension):  # type: ignore[misc]  # feedgen is untyped
    """Channel-level iTunes + Podcasting 2.0 elements and atom alternates.

    Data is stored by :meth:`set`; :meth:`extend_rss` appends the elements to
    ``<channel>`` in a fixed order.
    """

    def __init__(self) -> None:
        self._data: dict[str, Any] = {}

    def set(self, **data: Any) -> None:
        """Store channel data (see :func:`build_feed` for the keys)."""
        self._data.update(data)

    def extend_ns(self) -> dict[str, str]:
        return dict(NS)

    def extend_rss(self, feed: etree._Element) -> etree._Element:
        channel = feed[0]
        d = self._data
        for link in d.get("alternates", ()):
            _sub(channel, _ATOM + "link", href=link["href"], rel="alternate", type="application/rss+xml",
                 hreflang=link["hreflang"], title=link["title"])
        _sub(channel, _IT + "author", d["author"])
        owner = _sub(channel, _IT + "owner")
        _sub(owner, _IT + "name", d["owner_name"])
        _sub(owner, _IT + "email", d["owner_email"])
        _sub(channel, _IT + "image", href=d["image"])
        for cat in d["categories"]:
            el = _sub(channel, _IT + "category", text_=cat.name)
            if cat.sub:
                _sub(el, _IT + "category", text_=cat.sub)
        _sub(channel, _IT + "explicit", _bool(d["explicit"]))
        _sub(channel, _IT + "type", d["show_type"])
        if d.get("block"):
            _sub(channel, _IT + "block", "Yes")
        _sub(channel, _PC + "guid", d["guid"])
        _sub(channel, _PC + "locked", "yes" if d["locked"] else "no", owner=d["owner_email"])
        if d.get("block"):
            _sub(channel, _PC + "block", "yes")
        if d.get("ai_content"):
            _sub(channel, _PC + "txt", "true", purpose="ai-content")
        return feed


class PodcastEntryExtension(BaseEntryExtension):  # type: ignore[misc]  # feedgen is untyped
    """Item-level iTunes + Podcasting 2.0 elements."""

    def __init__(self) -> None:
        self._data: dict[str, Any] = {}

    def set(self, **data: Any) -> None:
        """Store item data (see :func:`build_feed`)."""
        self._data.update(data)

    def extend_ns(self) -> dict[str, str]:
        return dict(NS)

    def extend_rss(self, item: etree._Element) -> etree._Element:
        d = self._data
        _sub(item, _IT + "duration", str(d["duration"]))
        if d.get("number") is not None:
            _sub(item, _IT + "episode", str(d["number"]))
        if d.get("season") is not None:
            _sub(item, _IT + "season", str(d["season"]))
        _sub(item, _IT + "episodeType", d["episode_type"])
        _sub(item, _IT + "explicit", _bool(d["explicit"]))
        if d.get("image"):
            _sub(item, _IT + "image", href=d["image"])
        for person in d.get("persons", ()):
            attrs = {"role": person.role.lower(), "group": person.group.lower()}
            if person.href:
                attrs["href"] = person.href
            if person.img:
                attrs["img"] = person.img
            _sub(item, _PC + "person", clean_text(person.name), **attrs)
        if d.get("chapters"):
            _sub(item, _PC + "chapters", url=d["chapters"], type=CHAPTERS_TYPE)
        for tr in d.get("transcripts", ()):
            attrs = {"url": tr["url"], "type": tr["type"], "language": tr["language"]}
            if tr["rel"]:
                attrs["rel"] = tr["rel"]
            _sub(item, _PC + "transcript", **attrs)
        if d.get("ai_content"):
            _sub(item, _PC + "txt", "true", purpose="ai-content")
        return item


_EXT_NAME = "toolkit_podcast"


# ---------------------------------------------------------------- building

def _order_key(entry: EpisodeEntry) -> tuple[dt.datetime, str]:
    return (entry.date, entry.slug)


def _transcripts(show: Show, entry: EpisodeEntry, langs: Iterable[LanguageEntry]) -> list[dict[str, str]]:
    out = []
    for lang_entry in langs:
        folder = url_for(show, episode_file_path(entry.slug, lang_entry.lang)) + "/"  # one quote() per folder
        for fmt in TRANSCRIPT_FORMATS:
            out.append({
                "url": folder + fmt.filename,
                "type": fmt.mime,
                "language": lang_entry.lang,
                "rel": "captions" if fmt.timed else "",
            })
    return out


def _listed_languages(entry: EpisodeEntry, lang: str | None, *, with_pseudo: bool = False) -> list[LanguageEntry]:
    """Languages whose transcripts an item lists, in order: the feed's own
    language first, then the source, then the other languages (the pseudo one
    only ``with_pseudo``: the show offers it)."""
    own = entry.lang(lang) if lang else None
    ordered: list[LanguageEntry] = [own] if own else []
    for lang_entry in entry.languages:
        if lang_entry is own or (lang_entry.pseudo and not with_pseudo):
            continue
        ordered.append(lang_entry)
    return ordered


def build_feed(
    show: Show,
    entries: Sequence[EpisodeEntry],
    *,
    spec: FeedSpec | None = None,
    all_specs: Sequence[FeedSpec] | None = None,
    texts: ChannelTexts | None = None,
    items: MutableMapping[str, bytes] | None = None,
    keys_in_order: Sequence[str] | None = None,
) -> bytes:
    """The RSS document (UTF-8 bytes) of one feed.

    ``spec`` None (or ``lang`` None) builds the main feed; ``all_specs`` are the
    feeds to cross-link (default: the ones :func:`feed_specs` finds);
    ``texts`` are the channel title/description of a companion feed (default:
    the show's own).  ``items`` (item key → bytes) makes it incremental: items
    found there are reused, the others rendered and added (the bytes are the
    same as a full build's); ``keys_in_order`` are :func:`item_keys` when the
    caller has them.
    """
    if all_specs is None:
        all_specs = feed_specs(show, entries)
    if spec is None:
        spec = all_specs[0] if all_specs and all_specs[0].lang is None else FeedSpec(None, feed_path(None),
                                                                                    show.language)
    if texts is None:
        texts = ChannelTexts(show.title, show.description)
    main_guid = show.guid or podcast_guid(url_for(show, feed_path(None)))
    ordered = sorted(entries, key=_order_key, reverse=True)
    newest = ordered[0].date if ordered else dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)

    if items is None:
        return _render(show, spec, all_specs, texts, main_guid, newest, ordered)
    # Incremental: an item's bytes depend only on its entry, the feed's language and the show,
    # and every item sits at the same depth of the pretty-printed document -- so the items
    # rendered before are reused and only the new or changed ones go through feedgen.
    if keys_in_order is None:
        keys_in_order = item_keys(show, ordered, spec)
    by_entry = dict(zip((id(e) for e in ordered), keys_in_order, strict=True))
    todo = [entry for entry in ordered if by_entry[id(entry)] not in items] or ordered[:1]
    head, chunks, tail = split_items(_render(show, spec, all_specs, texts, main_guid, newest, todo))
    for entry, chunk in zip(todo, chunks, strict=True):
        items[by_entry[id(entry)]] = chunk
    return head + b"".join(items[by_entry[id(entry)]] for entry in ordered) + tail


def item_keys(show: Show, entries: Sequence[EpisodeEntry], spec: FeedSpec) -> list[str]:
    """The key of each entry's ``<item>`` in the feed ``spec``, in the feed's order
    (newest first): what :func:`build_feed`'s ``items`` are stored under."""
    main_guid = show.guid or podcast_guid(url_for(show, feed_path(None)))
    show_part = hashlib.sha256(repr(show).encode("utf-8")).hexdigest()
    # what one <item> is rendered from: the show as loaded, the feed's language, the code -- and its entry
    key = keys.FEED_ITEM.keyer(show=show_part, lang=spec.lang, main_guid=main_guid, libraries=_LIBRARIES)
    return [key(entry=entry.digest) for entry in sorted(entries, key=_order_key, reverse=True)]


def _render(show: Show, spec: FeedSpec, all_specs: Sequence[FeedSpec], texts: ChannelTexts, main_guid: str,
            newest: dt.datetime, entries: Sequence[EpisodeEntry]) -> bytes:
    fg = FeedGenerator()
    fg.register_extension(_EXT_NAME, PodcastExtension, PodcastEntryExtension, atom=False, rss=True)
    _channel(fg, show, spec, all_specs, texts, main_guid=main_guid, newest=newest)
    for entry in entries:
        _item(fg, show, entry, spec.lang, main_guid)
    data: bytes = fg.rss_str(pretty=True, encoding="UTF-8", xml_declaration=True)
    return data


#: How a pretty-printed feed opens and closes its items (text inside is escaped: never ``<item>``).
_ITEM_OPEN = b"\n    <item>\n"
_ITEM_CLOSE = b"\n    </item>\n"


def split_items(data: bytes) -> tuple[bytes, list[bytes], bytes]:
    """A feed :func:`build_feed` wrote, as ``(head, [item bytes…], tail)``:
    ``head + b"".join(items) + tail == data``."""
    first = data.find(_ITEM_OPEN)
    if first < 0:
        return data, [], b""
    start = first + 1
    head, chunks = data[:start], []
    while True:
        close = data.find(_ITEM_CLOSE, start)
        if close < 0:
            raise ValueError("an <item> without its </item>")
        end = close + len(_ITEM_CLOSE)
        chunks.append(data[start:end])
        if data.startswith(b"    <item>\n", end):
            start = end
            continue
        return head, chunks, data[end:]


#: Serialization can change with the libraries that do it.
_LIBRARIES = f"feedgen {metadata.version('feedgen')}; lxml {etree.__version__}"


def _channel(fg: FeedGenerator, show: Show, spec: FeedSpec, all_specs: Sequence[FeedSpec],
             texts: ChannelTexts, *, main_guid: str, newest: dt.datetime) -> None:
    """The channel elements of the feed ``spec``."""
    lang = spec.lang
    self_url = url_for(show, spec.path)
    channel_guid = main_guid if lang is None else podcast_guid(self_url)
    fg.title(clean_text(texts.title))
    fg.description(clean_text(texts.description))
    # feedgen quirk: RSS <link> takes the LAST link added, so rel="self" goes first.
    fg.link(href=self_url, rel="self", type="application/rss+xml")
    # The show page in the feed's language (site.write_show writes one per feed).
    site_link = (show.link or url_for(show, PAGE_FILE)) if lang is None else url_for(show, show_page_path(lang))
    fg.link(href=site_link, rel="alternate")
    fg.language(show.language)  # the audio's language, in every feed
    fg.generator("podcast-toolkit")
    if show.copyright:
        fg.copyright(clean_text(show.copyright))
    image_url = url_for(show, show.image.name)
    fg.image(url=image_url, title=clean_text(texts.title), link=site_link)
    fg.lastBuildDate(newest)  # never "now": rebuilds must be byte-identical
    fg.pubDate(newest)
    alternates = [
        {"href": url_for(show, other.path), "hreflang": other.hreflang,
         "title": _language_title(other.hreflang)}
        for other in all_specs
        if other.path != spec.path and (spec.pseudo or not other.pseudo or show.offer_pseudo)
    ]
    ext: PodcastExtension = getattr(fg, _EXT_NAME)
    ext.set(
        alternates=alternates,
        author=clean_text(show.author),
        owner_name=clean_text(show.owner_name),
        owner_email=show.owner_email,
        image=image_url,
        categories=tuple(Category(c.name, c.sub) for c in show.categories),
        explicit=show.explicit,
        show_type=show.show_type,
        guid=channel_guid,
        locked=show.locked,
        block=spec.pseudo,
        ai_content=lang is not None and texts.machine and not texts.pseudo,
    )


def _item(fg: FeedGenerator, show: Show, entry: EpisodeEntry, lang: str | None, main_guid: str) -> None:
    """One episode's ``<item>`` in the feed of ``lang`` (None: the main feed)."""
    own = entry.lang(lang) if lang else None
    texts_entry = own or entry.source
    listed = _listed_languages(entry, lang, with_pseudo=show.offer_pseudo)
    guid = item_guid(main_guid, entry)
    if lang is not None:
        guid = f"{guid}:{lang}"
    chapters_lang = texts_entry if texts_entry.has_chapters else entry.source
    fe = fg.add_entry(order="append")
    fe.title(clean_text(texts_entry.title))
    fe.link(href=url_for(show, episode_file_path(entry.slug, texts_entry.lang, PAGE_FILE)))
    description = clean_text(texts_entry.description)
    if description:
        fe.description(description)
    fe.guid(guid, permalink=False)
    fe.enclosure(url_for(show, episode_file_path(entry.slug, entry.audio_file)),
                 str(entry.audio_size), entry.audio_mime)
    fe.pubDate(entry.date)
    getattr(fe, _EXT_NAME).set(
        duration=(entry.duration_ms + 500) // 1000,
        number=entry.number,
        season=entry.season,
        episode_type=entry.episode_type,
        explicit=entry.explicit,
        image=url_for(show, episode_file_path(entry.slug, entry.image_file)) if entry.image_file else None,
        persons=entry.persons,
        chapters=(url_for(show, episode_file_path(entry.slug, chapters_lang.lang, CHAPTERS_FILE))
                  if chapters_lang.has_chapters else None),
        transcripts=_transcripts(show, entry, listed) if entry.has_transcript else [],
        ai_content=any(x.machine and not x.pseudo for x in listed)
        or bool(own and own.machine and not own.pseudo),
    )


def _language_title(code: str) -> str:
    return langs.native_name(code)  # the pseudo code: "pseudo-localization (layout test)"
