"""``toolkit import FEED``: an existing podcast's RSS feed → a show folder.

The feed (a local path or an ``http(s)`` URL) is read with feedparser; the
``podcast:`` and ``itunes:`` values feedparser drops or misreads
(``itunes:explicit`` true/false, ``podcast:guid``, ``podcast:locked``,
``podcast:transcript``, ``podcast:chapters``) are read from the XML with lxml.

What the new folder keeps, so that apps see the same episodes after the move:

* every item's ``<guid>`` **verbatim** (an item without one is identified by
  apps through its enclosure URL, so that URL becomes its guid);
* the show's ``podcast:guid`` (computed from the *old* feed URL when the feed
  has none: the spec derives it from the URL the show was first published at);
* dates, titles, descriptions (HTML turned into plain text), season, number,
  episode type, explicit, ``podcast:locked``.

Files are fetched (``http(s)``) or copied (local paths and ``file:`` URLs,
relative ones against the feed's own folder): the enclosure, the cover, the
episode artwork, the best transcript (VTT, SRT, JSON, then plain text) and the
JSON chapters.  What cannot be fetched is reported (a warning) and left out;
an episode whose audio could not be fetched still gets its folder, with the
enclosure URL noted, so nothing is silently lost.

Nothing is ever overwritten: an existing ``show.toml`` is a ConfigError.
"""

from __future__ import annotations

import calendar
import datetime as dt
import logging
import os
import re
import shutil
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import fsutil, langs
from .categories import is_valid
from .config import EPISODE_FILE, SHOW_FILE
from .errors import ConfigError, InputError
from .scaffold import COVER_FILE, GITIGNORE_LINE, make_cover, toml_str

log = logging.getLogger(__name__)

NS = {
    "itunes": "http://www.itunes.com/dtds/podcast-1.0.dtd",
    "podcast": "https://podcastindex.org/namespace/1.0",
    "podcast_old": "https://github.com/Podcastindex-org/podcast-namespace/blob/main/docs/1.0.md",
    "atom": "http://www.w3.org/2005/Atom",
    "content": "http://purl.org/rss/1.0/modules/content/",
}
MAX_FEED_BYTES = 50 * 1024 * 1024
MAX_MEDIA_BYTES = 4 * 1024 * 1024 * 1024
TIMEOUT_S = 30.0
#: Transcript types in order of preference, with the file suffix the ingest readers know.
TRANSCRIPT_PREFERENCE = (("text/vtt", ".vtt"), ("application/x-subrip", ".srt"), ("application/srt", ".srt"),
                         ("application/json", ".json"), ("text/plain", ".txt"))
_AUDIO_SUFFIX = {"audio/mpeg": ".mp3", "audio/mp3": ".mp3", "audio/x-m4a": ".m4a", "audio/mp4": ".m4a",
                 "audio/aac": ".aac", "audio/ogg": ".ogg", "audio/opus": ".opus", "audio/wav": ".wav"}

Progress = Callable[[str], None]


# ---------------------------------------------------------------- fetching

def _local_path(ref: str, base: str | None) -> Path | None:
    """The local file a reference names (a path, a ``file:`` URL, or relative to a local feed)."""
    parsed = urllib.parse.urlparse(ref)
    if parsed.scheme == "file":
        return Path(urllib.request.url2pathname(parsed.path))
    if parsed.scheme in ("http", "https"):
        return None
    if parsed.scheme and len(parsed.scheme) > 1:
        return None
    path = Path(ref)
    if not path.is_absolute() and base is not None and urllib.parse.urlparse(base).scheme not in ("http", "https"):
        path = Path(base).parent / path
    return path


def resolve(ref: str, base: str | None) -> str:
    """``ref`` made absolute against ``base`` (the feed's URL or path)."""
    if base and urllib.parse.urlparse(base).scheme in ("http", "https"):
        return urllib.parse.urljoin(base, ref)
    return ref


def fetch_to(ref: str, base: str | None, dest: Path, *, limit: int = MAX_MEDIA_BYTES) -> None:
    """Copy or download ``ref`` to ``dest`` (atomically: a temp file, then rename).
    Raises :class:`InputError` with one line naming the URL when it fails."""
    local = _local_path(ref, base)
    if local is not None:
        if not local.is_file():
            raise InputError(f"{ref}: file not found ({local})")
        shutil.copyfile(local, dest)
        return
    url = resolve(ref, base)
    request = urllib.request.Request(url, headers={"User-Agent": "podcast-toolkit-import/1"})
    fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=".import-", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as out, urllib.request.urlopen(request, timeout=TIMEOUT_S) as resp:  # noqa: S310
            total = 0
            while chunk := resp.read(1 << 20):
                total += len(chunk)
                if total > limit:
                    raise InputError(f"{url}: larger than {limit} bytes")
                out.write(chunk)
        os.replace(tmp, dest)
    except urllib.error.HTTPError as exc:
        raise InputError(f"{url}: could not download (HTTP {exc.code})") from None
    except (OSError, ValueError) as exc:
        reason = getattr(exc, "reason", None) or exc
        raise InputError(f"{url}: could not download ({reason})") from None
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def read_source(source: str) -> bytes:
    """The feed's bytes from a path or an http(s) URL."""
    if urllib.parse.urlparse(source).scheme in ("http", "https"):
        with tempfile.TemporaryDirectory() as tmp:
            dest = Path(tmp) / "feed.xml"
            fetch_to(source, None, dest, limit=MAX_FEED_BYTES)
            return dest.read_bytes()
    path = _local_path(source, None)
    if path is None or not path.is_file():
        raise InputError(f"{source}: feed not found (a file path or an http(s) URL)")
    if path.stat().st_size > MAX_FEED_BYTES:
        raise InputError(f"{source}: larger than {MAX_FEED_BYTES} bytes; not a feed")
    return path.read_bytes()


# ---------------------------------------------------------------- reading

def html_to_text(html: str | None) -> str:
    """Plain text of an HTML (or plain) description: paragraphs and line breaks kept, tags dropped."""
    if not html:
        return ""
    if "<" not in html:
        return _squeeze(html)
    import lxml.html  # only this command needs it (keeps `import toolkit.cli` light)

    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except Exception:  # lxml raises several types for hostile markup
        return _squeeze(re.sub(r"<[^>]*>", " ", html))
    for br in root.iter("br"):
        br.tail = "\n" + (br.tail or "")
    for block in root.iter("p", "div", "li", "h1", "h2", "h3", "h4", "ul", "ol", "blockquote"):
        block.tail = "\n\n" + (block.tail or "")
    return _squeeze(root.text_content())


def _squeeze(text: str) -> str:
    lines = [" ".join(line.split()) for line in text.replace("\r", "").split("\n")]
    out = re.sub(r"\n{3,}", "\n\n", "\n".join(lines))
    return out.strip()


def _xml_items(data: bytes) -> tuple[Any, list[Any]]:
    """The channel element and its items, parsed leniently with lxml (for the namespaced tags)."""
    from lxml import etree  # only this command needs it (keeps `import toolkit.cli` light)

    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError:
        root = None
    if root is None:
        return None, []
    channel = root.find("channel")
    if channel is None:
        return None, []
    return channel, channel.findall("item")


def _ns_find(el: Any, name: str) -> Any:
    """``podcast:<name>`` under either namespace URI (the current one or the old GitHub one)."""
    if el is None:
        return None
    for uri in (NS["podcast"], NS["podcast_old"]):
        found = el.find(f"{{{uri}}}{name}")
        if found is not None:
            return found
    return None


def _ns_findall(el: Any, name: str) -> list[Any]:
    if el is None:
        return []
    return [x for uri in (NS["podcast"], NS["podcast_old"]) for x in el.findall(f"{{{uri}}}{name}")]


def _itunes(el: Any, name: str) -> str | None:
    if el is None:
        return None
    found = el.find(f"{{{NS['itunes']}}}{name}")
    if found is None:
        return None
    return (found.get("href") or found.text or "").strip() or None


def _explicit(text: str | None) -> bool:
    return (text or "").strip().lower() in ("yes", "true", "explicit")


def _date(entry: Any) -> dt.datetime | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    if not parsed:
        return None
    return dt.datetime.fromtimestamp(calendar.timegm(parsed), tz=dt.timezone.utc)


def _positive(value: Any) -> int | None:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


def slugify(text: str, taken: set[str]) -> str:
    """A slug ``check_slug`` accepts, unique among ``taken`` (which it joins)."""
    import unicodedata  # only this command needs it (keeps `import toolkit.cli` light)

    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    base = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60].strip("-") or "episode"
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    taken.add(slug)
    return slug


@dataclass
class ImportedEpisode:
    """One item of the old feed, as it will be written."""

    slug: str
    title: str
    guid: str
    date: dt.datetime
    description: str
    enclosure: str | None
    enclosure_type: str
    number: int | None = None
    season: int | None = None
    explicit: bool = False
    episode_type: str = "full"
    image: str | None = None
    transcripts: list[tuple[str, str]] = field(default_factory=list)  # (url, type)
    chapters: str | None = None


@dataclass
class ImportedShow:
    """The channel of the old feed."""

    title: str
    description: str
    author: str
    owner_name: str
    owner_email: str
    language: str
    categories: list[str]
    explicit: bool
    link: str | None
    image: str | None
    guid: str
    locked: bool | None
    old_url: str | None
    copyright: str | None
    show_type: str
    episodes: list[ImportedEpisode]
    warnings: list[str] = field(default_factory=list)


def parse_feed(data: bytes, source: str) -> ImportedShow:
    """The show and its episodes from the feed's bytes; InputError when it is not a podcast feed."""
    import feedparser  # only this command needs it (keeps `import toolkit.cli` light)

    parsed = feedparser.parse(data)
    channel, items = _xml_items(data)
    if channel is None or not parsed.feed.get("title"):
        why = parsed.get("bozo_exception")
        detail = f": {str(why).splitlines()[0]}" if why else ""
        raise InputError(f"{source}: not an RSS feed with a <channel> and a <title>{detail}")
    warnings: list[str] = []
    old_url = _self_url(channel) or (source if urllib.parse.urlparse(source).scheme in ("http", "https") else None)
    show = _channel(parsed.feed, channel, _show_guid(channel, old_url, source), old_url, warnings)
    _add_episodes(show, parsed.entries, items, warnings)
    return show


def _show_guid(channel: Any, old_url: str | None, source: str) -> str:
    """The feed's own podcast:guid, else the one its old URL gives (never a new one)."""
    guid_el = _ns_find(channel, "guid")
    guid = (guid_el.text or "").strip() if guid_el is not None and guid_el.text else ""
    if guid:
        return guid
    if old_url is None:
        raise InputError(f"{source}: the feed has no podcast:guid and no self URL to derive one from",
                         hint="pass the feed's public URL with --feed-url")
    from .publish.feed import podcast_guid  # only this command needs it (keeps `import toolkit.cli` light)

    return podcast_guid(old_url)


def _channel(feed: Any, channel: Any, guid: str, old_url: str | None, warnings: list[str]) -> ImportedShow:
    """The show's metadata (no episodes yet)."""
    locked_el = _ns_find(channel, "locked")
    owner = feed.get("publisher_detail") or {}
    show_type = (_itunes(channel, "type") or "episodic").lower()
    return ImportedShow(
        title=feed.get("title", "").strip(),
        description=html_to_text(feed.get("summary") or feed.get("subtitle") or feed.get("title")),
        author=(_itunes(channel, "author") or feed.get("author") or owner.get("name") or feed.get("title", "")).strip(),
        owner_name=(owner.get("name") or feed.get("author") or "").strip(),
        owner_email=(owner.get("email") or "").strip(),
        language=_language(feed.get("language"), warnings),
        categories=_categories(channel, warnings),
        explicit=_explicit(_itunes(channel, "explicit")),
        link=feed.get("link"),
        image=_itunes(channel, "image") or (feed.get("image") or {}).get("href"),
        guid=guid,
        locked=None if locked_el is None else (locked_el.text or "").strip().lower() == "yes",
        old_url=old_url,
        copyright=(feed.get("rights") or "").strip() or None,
        show_type=show_type if show_type in ("episodic", "serial") else "episodic",
        episodes=[],
        warnings=warnings,
    )


def _add_episodes(show: ImportedShow, entries: Any, items: list[Any], warnings: list[str]) -> None:
    """Every item with a guid (or an enclosure to stand for one), each guid once."""
    taken: set[str] = set()
    guids: set[str] = set()
    for index, entry in enumerate(entries):
        xml_item = items[index] if index < len(items) else None
        episode = _episode(entry, xml_item, taken, warnings, index)
        if episode is None:
            continue
        if episode.guid in guids:
            warnings.append(f"item {index + 1} ({episode.title!r}): duplicate guid {episode.guid!r}; skipped")
            continue
        guids.add(episode.guid)
        show.episodes.append(episode)


def _self_url(channel: Any) -> str | None:
    for link in channel.findall(f"{{{NS['atom']}}}link"):
        if link.get("rel") == "self" and link.get("href"):
            return str(link.get("href")).strip()
    return None


def _language(code: str | None, warnings: list[str]) -> str:
    try:
        return langs.normalize(code or "")
    except ConfigError:
        warnings.append(f"channel <language> {code!r} is not a language code; using 'en' (edit show.toml)")
        return "en"


def _categories(channel: Any, warnings: list[str]) -> list[str]:
    out = []
    for cat in channel.findall(f"{{{NS['itunes']}}}category"):
        name = (cat.get("text") or "").strip()
        sub_el = cat.find(f"{{{NS['itunes']}}}category")
        sub = (sub_el.get("text") or "").strip() if sub_el is not None else None
        if is_valid(name, sub or None):
            out.append(f"{name} > {sub}" if sub else name)
        elif is_valid(name, None):
            out.append(name)
        else:
            warnings.append(f"itunes:category {name!r} is not an Apple Podcasts category; left out")
    if not out:
        warnings.append("no Apple Podcasts category; using 'Society & Culture' (edit show.toml)")
        out.append("Society & Culture")
    return list(dict.fromkeys(out))


def _episode(entry: Any, item: Any, taken: set[str], warnings: list[str], index: int) -> ImportedEpisode | None:
    title = (entry.get("title") or "").strip()
    enclosures = [e for e in entry.get("enclosures", []) if e.get("href")]
    enclosure = enclosures[0] if enclosures else None
    where = f"item {index + 1} ({title or 'untitled'!r})"
    guid = _item_guid(entry, enclosure, where, warnings)
    if guid is None:
        return None
    title = title or guid
    date = _date(entry)
    if date is None:
        warnings.append(f"{where}: no valid pubDate; dated 1970-01-01 (edit episode.toml)")
        date = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
    content = entry.get("content") or []
    html = (content[0].get("value") if content else None) or entry.get("summary") or ""
    etype = (_itunes(item, "episodeType") or "full").lower()
    episode = ImportedEpisode(
        slug=slugify(title, taken),
        title=title,
        guid=guid,
        date=date,
        description=html_to_text(html) or title,
        enclosure=enclosure["href"].strip() if enclosure else None,
        enclosure_type=(enclosure.get("type") or "audio/mpeg") if enclosure else "audio/mpeg",
        number=_positive(_itunes(item, "episode")),
        season=_positive(_itunes(item, "season")),
        explicit=_explicit(_itunes(item, "explicit")),
        episode_type=etype if etype in ("full", "trailer", "bonus") else "full",
        image=_itunes(item, "image"),
    )
    _add_links(episode, item)
    if enclosure is None:
        warnings.append(f"{where}: no enclosure")
    return episode


def _item_guid(entry: Any, enclosure: Any, where: str, warnings: list[str]) -> str | None:
    """The item's guid as it was; a guid-less item is known to apps by its enclosure URL."""
    guid = (entry.get("id") or "").strip()
    if guid:
        return guid
    if enclosure is None:
        warnings.append(f"{where}: no guid and no enclosure; skipped")
        return None
    warnings.append(f"{where}: no <guid>; the enclosure URL becomes its guid (what apps used)")
    return str(enclosure["href"]).strip()


def _add_links(episode: ImportedEpisode, item: Any) -> None:
    """The item's podcast:transcript and podcast:chapters URLs."""
    for tr in _ns_findall(item, "transcript"):
        if tr.get("url"):
            episode.transcripts.append((tr.get("url").strip(), (tr.get("type") or "").strip().lower()))
    chapters = _ns_find(item, "chapters")
    if chapters is not None and chapters.get("url"):
        episode.chapters = chapters.get("url").strip()


# ---------------------------------------------------------------- writing

@dataclass
class ImportReport:
    """What an import wrote and what it could not do."""

    folder: Path
    episodes: int = 0
    audio_missing: list[str] = field(default_factory=list)
    transcripts: int = 0
    warnings: list[str] = field(default_factory=list)


def _noop(_: str) -> None:
    pass


def import_feed(source: str, folder: Path, *, base_url: str | None = None, email: str | None = None,
                feed_url: str | None = None, download: bool = True, progress: Progress = _noop) -> ImportReport:
    """Turn the feed at ``source`` into a show folder at ``folder``."""
    folder = Path(folder)
    if (folder / SHOW_FILE).exists():
        raise ConfigError("already exists; toolkit import never overwrites", path=folder / SHOW_FILE)
    data = read_source(source)
    show = parse_feed(data, feed_url or source)
    base = source
    report = ImportReport(folder, warnings=list(show.warnings))
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "episodes").mkdir(exist_ok=True)
    _write_cover(show, base, folder, report, download)
    new_base = (base_url or _default_base(show)).rstrip("/")
    fsutil.write_text(folder / SHOW_FILE, render_show(show, new_base, email))
    gitignore = folder / ".gitignore"
    if not gitignore.exists():
        fsutil.write_text(gitignore, f"# caches and locks of the toolkit\n{GITIGNORE_LINE}\n")
    for episode in show.episodes:
        progress(f"{episode.slug}: importing")
        _write_episode(episode, base, folder / "episodes" / episode.slug, report, download)
        report.episodes += 1
    return report


def _default_base(show: ImportedShow) -> str:
    if show.old_url:
        parsed = urllib.parse.urlparse(show.old_url)
        return f"{parsed.scheme}://{parsed.netloc}"
    return "https://example.org/podcast"


def _write_cover(show: ImportedShow, base: str, folder: Path, report: ImportReport, download: bool) -> None:
    from .images import image_problems  # only this command needs it (keeps `import toolkit.cli` light)

    if show.image and download:
        suffix = ".jpg" if show.image.lower().split("?")[0].endswith((".jpg", ".jpeg")) else ".png"
        dest = folder / f"cover{suffix}"
        try:
            fetch_to(show.image, base, dest, limit=MAX_FEED_BYTES)
            problems = image_problems(dest)
            if not problems:
                show.image = dest.name
                return
            report.warnings.append(f"cover {show.image}: {'; '.join(problems)}; a placeholder is used")
            dest.unlink()
        except InputError as exc:
            report.warnings.append(f"cover: {exc}; a placeholder is used")
    make_cover(folder / COVER_FILE, show.title)
    show.image = COVER_FILE


def render_show(show: ImportedShow, base_url: str, email: str | None) -> str:
    """``show.toml`` of the imported show."""
    owner_email = email or show.owner_email
    if not owner_email:
        show.warnings.append("no itunes:owner email; using owner@example.org (edit show.toml)")
        owner_email = "owner@example.org"
    lines = [
        f"# Imported by `toolkit import` from {show.old_url or 'a feed file'}.",
        "# Field reference: toolkit/config.py. Moving a feed: see README (itunes:new-feed-url).",
        "",
        f"title = {toml_str(show.title)}",
        f"description = {toml_str(show.description or show.title)}",
        f"author = {toml_str(show.author or show.title)}",
        f"base_url = {toml_str(base_url)}        # where the new feeds/ will be served",
    ]
    if show.link:
        lines.append(f"link = {toml_str(show.link)}")
    lines += [
        f"language = {toml_str(show.language)}",
        "categories = [" + ", ".join(toml_str(c) for c in show.categories) + "]",
        f"image = {toml_str(show.image or COVER_FILE)}",
        f"explicit = {str(show.explicit).lower()}",
        f"type = {toml_str(show.show_type)}",
    ]
    if show.copyright:
        lines.append(f"copyright = {toml_str(show.copyright)}")
    if show.locked is not None:
        lines.append(f"locked = {str(show.locked).lower()}")
    lines += [
        "# podcast:guid of the old feed: kept, so apps and directories see the same show.",
        f"guid = {toml_str(show.guid)}",
        "",
        "[owner]",
        f"name = {toml_str(show.owner_name or show.author or show.title)}",
        f"email = {toml_str(owner_email)}",
        "",
    ]
    return "\n".join(lines)


def _transcript_choice(episode: ImportedEpisode) -> tuple[str, str] | None:
    for mime, suffix in TRANSCRIPT_PREFERENCE:
        for url, ttype in episode.transcripts:
            if ttype == mime:
                return url, suffix
    return None


def _write_episode(episode: ImportedEpisode, base: str, folder: Path, report: ImportReport,
                   download: bool) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    audio = None
    if episode.enclosure:
        path_part = urllib.parse.urlparse(episode.enclosure).path
        suffix = Path(path_part).suffix.lower() if Path(path_part).suffix else ""
        if not re.fullmatch(r"\.[a-z0-9]{2,4}", suffix):
            suffix = _AUDIO_SUFFIX.get(episode.enclosure_type.lower(), ".mp3")
        audio = "audio" + suffix
        if download:
            try:
                fetch_to(episode.enclosure, base, folder / audio)
            except InputError as exc:
                report.audio_missing.append(episode.slug)
                report.warnings.append(f"{episode.slug}: audio: {exc}")
        else:
            report.audio_missing.append(episode.slug)
    transcript = None
    choice = _transcript_choice(episode)
    if choice and download:
        url, suffix = choice
        try:
            fetch_to(url, base, folder / f"transcript{suffix}", limit=MAX_FEED_BYTES)
            transcript = f"transcript{suffix}"
            report.transcripts += 1
        except InputError as exc:
            report.warnings.append(f"{episode.slug}: transcript: {exc}")
    image = None
    if episode.image and download:
        image = _episode_image(episode.image, base, folder, report, episode.slug)
    chapters = None
    if episode.chapters and download:
        try:
            fetch_to(episode.chapters, base, folder / "chapters.json", limit=MAX_FEED_BYTES)
            chapters = _valid_chapters(folder / "chapters.json", episode.slug, report)
        except InputError as exc:
            report.warnings.append(f"{episode.slug}: chapters: {exc}")
    if chapters and transcript:
        report.warnings.append(f"{episode.slug}: chapters.json saved, but the transcript's own chapters "
                               "are published (chapters only apply to episodes without a transcript)")
    fsutil.write_text(folder / EPISODE_FILE, render_episode(episode, audio, transcript, image,
                                                            chapters if not transcript else None))


def _valid_chapters(path: Path, slug: str, report: ImportReport) -> str | None:
    from .formats import chapters_json  # only this command needs it (keeps `import toolkit.cli` light)

    try:
        chapters_json.parse(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError, InputError) as exc:
        report.warnings.append(f"{slug}: chapters: not valid JSON chapters ({exc}); kept, not published")
        return None
    return path.name


def _episode_image(url: str, base: str, folder: Path, report: ImportReport, slug: str) -> str | None:
    from .images import image_problems  # only this command needs it (keeps `import toolkit.cli` light)

    name = "cover.png" if url.lower().split("?")[0].endswith(".png") else "cover.jpg"
    try:
        fetch_to(url, base, folder / name, limit=MAX_FEED_BYTES)
    except InputError as exc:
        report.warnings.append(f"{slug}: image: {exc}")
        return None
    problems = image_problems(folder / name)
    if problems:
        (folder / name).unlink()
        report.warnings.append(f"{slug}: image {url}: {'; '.join(problems)}; the show's cover is used")
        return None
    return name


def render_episode(e: ImportedEpisode, audio: str | None, transcript: str | None, image: str | None,
                   chapters: str | None = None) -> str:
    """``episode.toml`` of an imported episode."""
    lines = [
        "# Imported by `toolkit import`. The guid is the old feed's: never change it.",
        "",
        f"title = {toml_str(e.title)}",
        f"date = {e.date.strftime('%Y-%m-%dT%H:%M:%SZ')}",
        f"description = {toml_str(e.description)}",
        f"audio = {toml_str(audio or 'audio.mp3')}" + (f"   # from {e.enclosure}" if e.enclosure else ""),
        f"transcript = {toml_str(transcript)}" if transcript else
        "transcript = false                     # none in the old feed (or not fetched)",
        f"guid = {toml_str(e.guid)}",
    ]
    if e.number:
        lines.append(f"number = {e.number}")
    if e.season:
        lines.append(f"season = {e.season}")
    if e.explicit:
        lines.append("explicit = true")
    if e.episode_type != "full":
        lines.append(f"type = {toml_str(e.episode_type)}")
    if image:
        lines.append(f"image = {toml_str(image)}")
    if chapters:
        lines.append(f"chapters = {toml_str(chapters)}   # from {e.chapters}")
    elif e.chapters:
        lines.append(f"# chapters: {e.chapters} (saved as chapters.json when it could be fetched)")
    return "\n".join(lines) + "\n"
