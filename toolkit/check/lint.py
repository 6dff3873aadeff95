"""``toolkit check`` for the published show: what no feed validator catches.

:func:`lint_show` reads what ``toolkit publish`` wrote to ``feeds/`` (the
feeds, and every file they point at) plus the show's configuration, and
returns a list of :class:`~toolkit.findings.Finding` (rule ``published``, with the
file's ``path`` and the element, ``where``).  Nothing is modified.

Checked (``feeds.md`` §4, "The toolkit must lint itself"):

* configuration: the cover image (1400–3000 px, square, JPEG/PNG, RGB, file
  extension matching the real type), episode guids unique (and valid episode
  configs);
* every feed: well-formed; channel description ≤ 4000 bytes and no
  leading/trailing spaces in texts; ``<language>`` a valid code;
  ``itunes:explicit`` true/false; ``itunes:category`` on Apple's list;
  ``podcast:guid`` a UUID, different in every feed; item guids present and
  unique within and across feeds; enclosure present, its type on Apple's list,
  its ``length`` equal to the published file's size, its URL not reused;
* ``podcast:transcript``: ``type`` in the allowed set, ``rel="captions"`` only
  on timed formats, ``language`` set, a valid code and the file's real
  language (the ``<lang>/`` folder the episode's manifest declares, the
  ``<html lang>`` of a page, a ``Language:`` VTT header or JSON ``language``
  when present), the file published;
* ``podcast:chapters``: the type, and the JSON file: ``version``, a
  ``chapters`` array, numeric ascending ``startTime``;
* ``podcast:person`` value ≤ 128 characters and a known ``group``;
  ``podcast:txt`` purpose ≤ 128 and value ≤ 4000 characters;
* every URL in every feed (``<link>``, ``<url>``, ``url``/``href``/``img``
  attributes: enclosures, images, transcripts, chapters, persons, atom links)
  follows the URL policy of :mod:`toolkit.urls` (http/https, no whitespace or
  quotes…), so a feed written before a config was fixed, or edited by hand,
  is caught;
* pseudo-localization: published only under its own code (``qps-ploc``),
  never as a real language (a manifest language marked pseudo under ``fr``);
  and, unless the show offers it (``[translation] offer_pseudo = true``), named
  by no listener's page (``hreflang``), no feed alternate and no other feed's
  ``podcast:transcript``;
* no temporary file of an interrupted write is left in ``feeds/`` or
  ``translations/`` (the next publish removes them);
* the transcript files: VTT lines ≤ 65 characters (an error: the podcast
  namespace's transcript convention), SRT cues ≤ 2 lines (error) of ≤ 32
  characters (a *warning*: that is the podcast-transcript recommendation,
  while the toolkit's default subtitle profile deliberately uses 42).

Severity ``error`` fails ``toolkit check``; ``warning`` is reported only.
"""

from __future__ import annotations

import json
import logging
import re
import uuid
from collections import defaultdict
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from lxml import etree

from .. import config, fsutil, langs
from ..categories import is_valid as category_is_valid
from ..errors import ConfigError, InputError
from ..findings import Finding
from ..formats import chapters_json, subrip, webvtt
from ..images import image_problems
from ..model import Show
from ..publish.layout import (
    ALLOWED_TRANSCRIPT_TYPES,
    APPLE_ENCLOSURE_TYPES,
    CHAPTERS_TYPE,
    EPISODES_DIR,
    FEED_FILE,
    MANIFEST,
    TIMED_TRANSCRIPT_TYPES,
)
from ..urls import url_problem

log = logging.getLogger(__name__)

__all__ = ["RULE", "lint_show", "lint_feeds", "image_problems", "ALLOWED_TRANSCRIPT_TYPES"]

#: podcast:person groups (Podcasting 2.0 taxonomy), compared case-insensitively.
PERSON_GROUPS = frozenset({
    "creative direction", "cast", "writing", "audio production", "audio post-production",
    "administration", "visuals", "community", "misc.", "misc", "video production",
    "video post-production",
})
MAX_DESCRIPTION_BYTES = 4000
VTT_MAX_LINE = 65
SRT_MAX_LINE = 32
SRT_MAX_LINES = 2

_NS = {
    "itunes": "http://www.itunes.com/dtds/podcast-1.0.dtd",
    "podcast": "https://podcastindex.org/namespace/1.0",
    "atom": "http://www.w3.org/2005/Atom",
}


#: The rule every lint finding carries (``toolkit check`` lists them under it).
RULE = "published"


def _issue(path: Path | str, message: str, severity: str = "error", where: str | None = None) -> Finding:
    """A finding about a file (the configuration or what ``feeds/`` holds)."""
    return Finding(severity, RULE, message, path=str(path), where=where)


def lint_show(show: Show, feeds_dir: Path | None = None) -> list[Finding]:
    """Lint the show's configuration and its published ``feeds/``."""
    feeds_dir = Path(feeds_dir) if feeds_dir is not None else show.feeds_dir
    issues: list[Finding] = []
    config_path = str(show.config_path or show.root / "show.toml")
    for problem in image_problems(show.image):
        issues.append(_issue(config_path, f"image {show.image.name}: {problem}"))
    try:
        episodes = config.load_episodes(show)
    except ConfigError as exc:
        issues.append(_issue(exc.path or config_path, exc.message))
        episodes = []
    for episode in episodes:
        if episode.image is not None:
            for problem in image_problems(episode.image):
                issues.append(_issue(str(episode.folder / config.EPISODE_FILE),
                                        f"image {episode.image.name}: {problem}"))
    issues.extend(lint_feeds(show, feeds_dir))
    for folder in (feeds_dir, show.translations_dir):
        if folder.is_dir():
            for path in sorted(folder.rglob(".*.tmp")):
                if fsutil.is_temp_name(path.name):
                    issues.append(_issue(str(path), "temporary file left by an interrupted run "
                                                       "(the next toolkit publish removes it)"))
    return issues


def _feed_files(feeds_dir: Path) -> list[Path]:
    main = feeds_dir / FEED_FILE
    others = sorted(p for p in feeds_dir.glob(f"*/{FEED_FILE}") if p.parent.name != EPISODES_DIR)
    return ([main] if main.is_file() else []) + others


class _Linter:
    def __init__(self, show: Show, feeds_dir: Path) -> None:
        self.show = show
        self.feeds_dir = feeds_dir
        self.base = show.base_url.rstrip("/") + "/"
        self.issues: list[Finding] = []
        self.checked_files: set[Path] = set()
        self.manifests: dict[str, dict[str, Any] | None] = {}

    def add(self, path: Path | str, message: str, *, where: str | None = None,
            severity: str = "error") -> None:
        self.issues.append(_issue(str(path), message, severity, where))

    def local(self, url: str, feed: Path, where: str) -> Path | None:
        """The file under feeds/ a URL points at (None, with an issue, when it
        is not under base_url or missing)."""
        if not url.startswith(self.base):
            self.add(feed, f"URL {url!r} is not under base_url {self.base!r}", where=where)
            return None
        rel = unquote(url[len(self.base):])
        path = (self.feeds_dir / rel).resolve()
        if self.feeds_dir.resolve() not in path.parents:
            self.add(feed, f"URL {url!r} points outside feeds/", where=where)
            return None
        if not path.is_file():
            self.add(feed, f"{url} is not published (no {path})", where=where)
            return None
        return path

    def manifest(self, slug: str) -> dict[str, Any] | None:
        if slug not in self.manifests:
            path = self.feeds_dir / EPISODES_DIR / slug / MANIFEST
            try:
                self.manifests[slug] = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                self.manifests[slug] = None
        return self.manifests[slug]


def lint_feeds(show: Show, feeds_dir: Path) -> list[Finding]:
    """Lint every feed under ``feeds_dir`` and the files they point at."""
    lint = _Linter(show, feeds_dir)
    files = _feed_files(feeds_dir)
    if not files:
        # a warning: `toolkit check` is also the QC step *before* the first publish
        lint.add(feeds_dir / FEED_FILE, "no feed published yet (run toolkit publish)", severity="warning")
        return lint.issues
    channel_guids: dict[str, Path] = {}
    item_guids: dict[str, tuple[Path, str]] = {}
    for path in files:
        try:
            tree = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True))
        except etree.XMLSyntaxError as exc:
            lint.add(path, f"not well-formed XML: {exc}")
            continue
        channel = tree.getroot().find("channel")
        if tree.getroot().tag != "rss" or channel is None:
            lint.add(path, "not an RSS 2.0 document (<rss><channel> expected)")
            continue
        _lint_urls(lint, path, tree.getroot())
        _lint_channel(lint, path, channel, channel_guids)
        _lint_alternates(lint, path, channel)
        enclosures: set[str] = set()
        for item in channel.findall("item"):
            _lint_item(lint, path, item, item_guids, enclosures)
    _lint_pseudo_pages(lint)
    return lint.issues


_OFFER_HINT = "the pseudo-localization is a layout test: set [translation] offer_pseudo = true to offer it"
_PAGE_PSEUDO_LINK = re.compile(rb"<(?:a|link)\b[^>]*\bhreflang=[\"']?" + re.escape(langs.PSEUDO.encode()) + rb"\b")


def _pseudo_feed(path: Path, feeds_dir: Path) -> bool:
    """``feeds/qps-ploc/feed.xml``: the pseudo build's own (blocked) feed."""
    return path.parent != feeds_dir and langs.is_pseudo(path.parent.name)


def _lint_alternates(lint: _Linter, path: Path, channel: etree._Element) -> None:
    if lint.show.offer_pseudo or _pseudo_feed(path, lint.feeds_dir):
        return
    for link in channel.findall("atom:link", _NS):
        if link.get("rel") == "alternate" and langs.is_pseudo(link.get("hreflang")):
            lint.add(path, f"the feed lists the {langs.PSEUDO} feed as an alternate ({_OFFER_HINT})")


def _lint_pseudo_pages(lint: _Linter) -> None:
    """Manifests: pseudo text only under the pseudo code; listener pages: no
    link to the pseudo build unless the show offers it."""
    feeds = lint.feeds_dir
    pages = [feeds / "index.html", *sorted(feeds.glob("*/index.html"))]
    for manifest_path in sorted((feeds / EPISODES_DIR).glob(f"*/{MANIFEST}")):
        slug = manifest_path.parent.name
        for entry in (lint.manifest(slug) or {}).get("languages", ()):
            code = str(entry.get("lang", ""))
            if entry.get("pseudo") and not langs.is_pseudo(code):
                lint.add(manifest_path, f"pseudo-localization is published as {code!r}, a real language "
                                        f"(publish again: it has its own code, {langs.PSEUDO})")
            pages.append(manifest_path.parent / code / "index.html")
    if lint.show.offer_pseudo:
        return
    for page in pages:
        lang = page.parent.name
        if langs.is_pseudo(lang) or not page.is_file():
            continue
        try:
            data = page.read_bytes()
        except OSError:
            continue
        if _PAGE_PSEUDO_LINK.search(data):
            lint.add(page, f"a listener's page links to the {langs.PSEUDO} build ({_OFFER_HINT})")


_URL_ATTRIBUTES = ("url", "href", "img")
_URL_ELEMENTS = ("link", "url", "{%s}new-feed-url" % _NS["itunes"])


def _lint_urls(lint: _Linter, path: Path, root: etree._Element) -> None:
    """Every URL of the feed against the URL policy (one issue per bad URL)."""
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue  # comments, processing instructions
        name = etree.QName(el).localname
        values = [(f"<{name} {attr}>", value) for attr in _URL_ATTRIBUTES if (value := el.get(attr)) is not None]
        if el.tag in _URL_ELEMENTS and el.text is not None:
            values.append((f"<{name}>", el.text.strip()))
        for where, value in values:
            problem = url_problem(value)
            if problem:
                lint.add(path, f"unsafe or invalid URL in {where}: {value[:100]!r} {problem}")


def _text(el: etree._Element | None) -> str | None:
    return el.text if el is not None and el.text is not None else None


def _check_text(lint: _Linter, path: Path, name: str, value: str | None, where: str | None,
                max_bytes: int | None = None) -> None:
    if value is None or not value.strip():
        lint.add(path, f"<{name}> is missing or empty", where=where)
        return
    if value != value.strip():
        lint.add(path, f"<{name}> has leading or trailing spaces", where=where)
    if max_bytes is not None and len(value.encode("utf-8")) > max_bytes:
        lint.add(path, f"<{name}> is {len(value.encode('utf-8'))} bytes; Apple allows {max_bytes}",
                 where=where)


def _valid_lang(code: str | None) -> bool:
    if not code:
        return False
    try:
        return langs.normalize(code) == code
    except ConfigError:
        return False


def _lint_channel(lint: _Linter, path: Path, channel: etree._Element, guids: dict[str, Path]) -> None:
    _check_text(lint, path, "title", _text(channel.find("title")), None)
    _check_text(lint, path, "description", _text(channel.find("description")), None, MAX_DESCRIPTION_BYTES)
    language = _text(channel.find("language"))
    if not _valid_lang(language):
        lint.add(path, f"channel <language> {language!r} is not a valid language code")
    explicit = _text(channel.find("itunes:explicit", _NS))
    if explicit not in ("true", "false"):
        lint.add(path, f"itunes:explicit is {explicit!r}; Apple requires true or false")
    cats = channel.findall("itunes:category", _NS)
    if not cats:
        lint.add(path, "no itunes:category")
    for cat in cats:
        name = cat.get("text", "")
        subs: list[etree._Element | None] = list(cat.findall("itunes:category", _NS))
        for sub in subs or [None]:
            sub_name = sub.get("text") if sub is not None else None
            if not category_is_valid(name, sub_name):
                lint.add(path, f"itunes:category {name!r}{' > ' + repr(sub_name) if sub_name else ''} "
                               "is not on Apple's list")
    image = channel.find("itunes:image", _NS)
    if image is None or not image.get("href"):
        lint.add(path, "no itunes:image")
    else:
        local = lint.local(image.get("href", ""), path, "itunes:image")
        if local is not None and local not in lint.checked_files:
            lint.checked_files.add(local)
            for problem in image_problems(local):
                lint.add(local, f"cover image: {problem}")
    guid = _text(channel.find("podcast:guid", _NS))
    if not guid:
        lint.add(path, "no podcast:guid")
    else:
        try:
            uuid.UUID(guid)
        except ValueError:
            lint.add(path, f"podcast:guid {guid!r} is not a UUID")
        if guid in guids:
            lint.add(path, f"podcast:guid {guid} is also the guid of {guids[guid]}")
        guids[guid] = path
    locked = channel.find("podcast:locked", _NS)
    if locked is not None and _text(locked) not in ("yes", "no"):
        lint.add(path, f"podcast:locked is {_text(locked)!r}; must be yes or no")
    for txt in channel.findall("podcast:txt", _NS):
        _lint_txt(lint, path, txt, None)


def _lint_txt(lint: _Linter, path: Path, txt: etree._Element, where: str | None) -> None:
    purpose = txt.get("purpose", "")
    if len(purpose) > 128:
        lint.add(path, "podcast:txt purpose longer than 128 characters", where=where)
    if len(_text(txt) or "") > 4000:
        lint.add(path, "podcast:txt value longer than 4000 characters", where=where)


_EPISODE_URL = re.compile(r"episodes/([^/]+)/([^/]+)/([^/]+)$")


def _lint_item(lint: _Linter, path: Path, item: etree._Element,
               guids: dict[str, tuple[Path, str]], enclosures: set[str]) -> None:
    title = _text(item.find("title"))
    where = f"item {title!r}"
    _check_text(lint, path, "title", title, where)
    description = _text(item.find("description"))
    if description is not None:
        _check_text(lint, path, "description", description, where, MAX_DESCRIPTION_BYTES)
    _lint_item_guid(lint, path, item, guids, title, where)
    _lint_enclosure(lint, path, item, enclosures, where)
    duration = _text(item.find("itunes:duration", _NS))
    if duration is not None and not duration.isdigit():
        lint.add(path, f"itunes:duration {duration!r} is not whole seconds", where=where)
    explicit = item.find("itunes:explicit", _NS)
    if explicit is not None and _text(explicit) not in ("true", "false"):
        lint.add(path, f"itunes:explicit is {_text(explicit)!r}; must be true or false", where=where)
    _lint_persons(lint, path, item, where)
    for txt in item.findall("podcast:txt", _NS):
        _lint_txt(lint, path, txt, where)
    for tr in item.findall("podcast:transcript", _NS):
        _lint_transcript(lint, path, tr, where)
    _lint_item_chapters(lint, path, item, where)


def _lint_item_guid(lint: _Linter, path: Path, item: etree._Element, guids: dict[str, tuple[Path, str]],
                    title: str | None, where: str) -> None:
    guid = _text(item.find("guid"))
    if not guid:
        lint.add(path, "item without <guid>", where=where)
    elif guid in guids:
        other_path, other_title = guids[guid]
        lint.add(path, f"guid {guid!r} is also used by item {other_title!r} in {other_path}", where=where)
    else:
        guids[guid] = (path, title or "")


def _lint_enclosure(lint: _Linter, path: Path, item: etree._Element, enclosures: set[str], where: str) -> None:
    enclosure = item.find("enclosure")
    if enclosure is None:
        lint.add(path, "item without <enclosure>", where=where)
        return
    url, length, etype = enclosure.get("url", ""), enclosure.get("length", ""), enclosure.get("type", "")
    if etype not in APPLE_ENCLOSURE_TYPES:
        lint.add(path, f"enclosure type {etype!r} is not one Apple Podcasts accepts", where=where)
    if url in enclosures:
        lint.add(path, f"enclosure URL {url} is used by two items", where=where)
    enclosures.add(url)
    local = lint.local(url, path, where)
    if local is not None:
        size = local.stat().st_size
        if length != str(size):
            lint.add(path, f"enclosure length {length} but {local.name} is {size} bytes", where=where)


def _lint_persons(lint: _Linter, path: Path, item: etree._Element, where: str) -> None:
    for person in item.findall("podcast:person", _NS):
        name = _text(person) or ""
        if not name.strip() or len(name) > 128:
            lint.add(path, "podcast:person needs a name of 1–128 characters", where=where)
        group = person.get("group")
        if group is not None and group.lower() not in PERSON_GROUPS:
            lint.add(path, f"podcast:person group {group!r} is not in the podcast taxonomy", where=where,
                     severity="warning")


def _lint_item_chapters(lint: _Linter, path: Path, item: etree._Element, where: str) -> None:
    chapters = item.findall("podcast:chapters", _NS)
    if len(chapters) > 1:
        lint.add(path, "more than one podcast:chapters", where=where)
    for ch in chapters:
        if ch.get("type") != CHAPTERS_TYPE:
            lint.add(path, f"podcast:chapters type {ch.get('type')!r}; must be {CHAPTERS_TYPE}",
                     where=where)
        local = lint.local(ch.get("url", ""), path, where)
        if local is not None and local not in lint.checked_files:
            lint.checked_files.add(local)
            for problem in chapters_problems(local):
                lint.add(local, problem)


def _lint_transcript(lint: _Linter, path: Path, tr: etree._Element, where: str) -> None:
    url, ttype, rel, lang = tr.get("url", ""), tr.get("type", ""), tr.get("rel"), tr.get("language")
    label = f"{where}, {'/'.join(url.rsplit('/', 2)[-2:])}"
    if ttype not in ALLOWED_TRANSCRIPT_TYPES:
        lint.add(path, f"podcast:transcript type {ttype!r} is not allowed "
                       f"({', '.join(sorted(ALLOWED_TRANSCRIPT_TYPES))})", where=label)
    if rel is not None and (rel != "captions" or ttype not in TIMED_TRANSCRIPT_TYPES):
        lint.add(path, f"rel={rel!r} on a {ttype} transcript: rel=\"captions\" is only for timed formats",
                 where=label)
    if not lang:
        lint.add(path, "podcast:transcript without language", where=label)
    elif not _valid_lang(lang):
        lint.add(path, f"podcast:transcript language {lang!r} is not a valid code", where=label)
    local = lint.local(url, path, label)
    if local is None:
        return
    m = _EPISODE_URL.search(url)
    if m and lang:
        slug, folder_lang = unquote(m.group(1)), unquote(m.group(2))
        manifest = lint.manifest(slug)
        declared = {x.get("lang") for x in (manifest or {}).get("languages", ())}
        if manifest is not None and folder_lang not in declared:
            lint.add(path, f"{url} is in a {folder_lang!r} folder the episode does not publish", where=label)
        if folder_lang != lang:
            lint.add(path, f"language={lang!r} but the file is the {folder_lang!r} transcript", where=label)
        if langs.is_pseudo(lang) and not lint.show.offer_pseudo and not _pseudo_feed(path, lint.feeds_dir):
            lint.add(path, f"the {langs.PSEUDO} transcript is listed ({_OFFER_HINT})", where=label)
    real = file_language(local, ttype)
    if real is not None and lang and real != lang and not (langs.is_pseudo(lang) and langs.is_pseudo_html_lang(real)):
        lint.add(path, f"language={lang!r} but {local.name} says it is {real!r}", where=label)
    if local not in lint.checked_files:
        lint.checked_files.add(local)
        for severity, problem in transcript_problems(local, ttype):
            lint.add(local, problem, severity=severity)


# ---------------------------------------------------------------- files

_HTML_LANG = re.compile(rb"<html\b[^>]*?\blang\s*=\s*[\"']?([A-Za-z0-9-]+)", re.IGNORECASE)


def file_language(path: Path, ttype: str) -> str | None:
    """The language a transcript file declares itself (None when it does not)."""
    try:
        if ttype == "text/html":
            m = _HTML_LANG.search(path.read_bytes()[:4096])
            return m.group(1).decode("ascii") if m else None
        if ttype == "text/vtt":
            try:
                metadata = webvtt.parse(path.read_text(encoding="utf-8", errors="replace")).metadata
            except webvtt.SignatureError:
                return None
            value = next((v for k, v in metadata.items() if k.lower() == "language"), None)
            return value.split()[0] if value else None
        if ttype == "application/json":
            data = json.loads(path.read_text(encoding="utf-8"))
            value = data.get("language") if isinstance(data, dict) else None
            return value if isinstance(value, str) else None
    except (OSError, ValueError):
        return None
    return None


def transcript_problems(path: Path, ttype: str) -> list[tuple[str, str]]:
    """(severity, message) problems of a transcript file's content."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return [("error", f"unreadable: {exc}")]
    out: list[tuple[str, str]] = []
    if ttype == "text/vtt":
        try:
            doc = webvtt.parse(text)
        except webvtt.SignatureError:
            return [("error", "does not start with WEBVTT")]
        for warning in doc.warnings:
            out.append(("error", f"line {warning.line}: {warning.message}"))
        long_lines = [len(line) for cue in doc.cues for line in webvtt.display_text(cue.text).split("\n")
                      if len(line) > VTT_MAX_LINE]
        if long_lines:
            out.append(("error", f"{len(long_lines)} cue line(s) longer than {VTT_MAX_LINE} characters "
                                 f"(longest {max(long_lines)})"))
    elif ttype == "application/x-subrip":
        try:
            cues = subrip.parse(text)
        except InputError as exc:
            return [("error", f"unreadable SRT: {exc}")]
        too_many = sum(1 for cue in cues if len(cue.lines) > SRT_MAX_LINES)
        too_long = [len(line) for cue in cues for _, line in cue.lines if len(line) > SRT_MAX_LINE]
        if too_many:
            out.append(("error", f"{too_many} cue(s) with more than {SRT_MAX_LINES} lines"))
        if too_long:
            out.append(("warning", f"{len(too_long)} line(s) longer than {SRT_MAX_LINE} characters "
                                   f"(longest {max(too_long)}; the podcast transcript convention is "
                                   f"{SRT_MAX_LINES} × {SRT_MAX_LINE})"))
    elif ttype == "application/json":
        try:
            data = json.loads(text)
        except ValueError as exc:
            return [("error", f"not JSON: {exc}")]
        if not isinstance(data, dict) or not isinstance(data.get("segments"), list):
            out.append(("error", "transcript JSON needs a 'segments' array"))
        elif not isinstance(data.get("version"), str):
            out.append(("error", "transcript JSON needs a 'version' string"))
    return out


def chapters_problems(path: Path) -> list[str]:
    """Problems of a JSON chapters file (JSON chapters 1.2.0)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, ValueError) as exc:
        return [f"chapters file is not JSON: {exc}"]
    return chapters_json.problems(text)


def group_by_path(issues: list[Finding]) -> dict[str, list[Finding]]:
    """Issues grouped by file (for display)."""
    grouped: dict[str, list[Finding]] = defaultdict(list)
    for issue in issues:
        grouped[issue.path or ""].append(issue)
    return dict(grouped)
