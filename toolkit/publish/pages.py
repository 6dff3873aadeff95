"""HTML pages: the per-language transcript page of an episode and the show page.

The site module (:mod:`toolkit.publish.site`) decides the output layout and
fills the two context objects below; this module only renders them::

    render_episode_page(EpisodePageContext(...)) -> str   # feeds/episodes/<slug>/<lang>/index.html
    render_show_page(ShowPageContext(...)) -> str         # feeds/index.html (or feeds/<lang>/index.html)

URLs in the contexts are used verbatim: the "relative" ones (``audio_url``,
``vtt_url``, :attr:`LanguageLink.url` …) are relative to the page being
rendered, the "absolute" ones (``canonical_url``, ``image_url``,
:attr:`LanguageLink.absolute_url` …) are ``show.base_url + "/" + path``.

Templates are jinja2 with autoescape on; a show may override any of them by
putting a file of the same name in ``<show root>/templates/``.  Every value a
template prints goes through :func:`_finalize`: text holding bidirectional
controls (U+202A–U+202E, U+2066–U+2069) is wrapped in an isolate, so those
characters exist on a page only inside an isolated span.  URLs go through the
``url`` filter (the URL policy of :mod:`toolkit.urls`).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
import stat
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from urllib.parse import quote
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import jinja2
from markupsafe import Markup

from .. import langs
from ..build import LanguageBuild
from ..errors import ConfigError
from ..formats import timecode
from ..model import Chapter, Cue, Episode, Sentence, Show
from ..sanitize import isolate_bidi
from ..urls import page_url_problem
from .layout import CHAPTERS_FILE, TRANSCRIPT_FORMATS


__all__ = [
    "LanguageLink",
    "FeedLink",
    "SubscribeLink",
    "EpisodePageContext",
    "ShowPageEpisode",
    "ShowPageContext",
    "render_episode_page",
    "render_show_page",
    "subscribe_links",
    "word_starts",
    "RATES",
]


@dataclass(frozen=True)
class LanguageLink:
    """One language of a page, for the language switcher and ``hreflang`` alternates.

    ``url`` is relative to the page being rendered (used by the visible
    switcher); ``absolute_url`` is the published URL (used by
    ``<link rel="alternate" hreflang>``, which must be absolute).  ``name``
    is the language's own name (:func:`toolkit.langs.native_name`).
    """

    lang: str
    name: str
    url: str
    absolute_url: str
    machine: bool = False
    pseudo: bool = False


@dataclass(frozen=True)
class FeedLink:
    """A feed for autodiscovery / the show page's feed list."""

    lang: str
    name: str  # native name of the language
    url: str  # as it should appear in the page (absolute preferred: podcast apps need it)
    title: str


@dataclass(frozen=True)
class EpisodePageContext:
    """Everything the transcript page of one episode in one language needs.

    ``build`` carries the cues, chapters, (translated) title and description
    and the machine/engine/pseudo flags.  ``languages`` lists every language
    of the episode *including this one*, source language first.
    ``turn_starts`` are the global sentence indices at which the source
    transcript starts a new turn (``{t.sentences[0] index for t in turns}``):
    with it, paragraphs follow the transcript's turns exactly; without it
    (``None``) a paragraph ends at a speaker or chapter change or a pause of
    :data:`PARAGRAPH_PAUSE_MS`.

    ``sentences`` (:attr:`toolkit.model.Transcript.sentences`) is given for
    the page whose cues show the source text: where they carry word timings
    (:attr:`~toolkit.model.Sentence.words`: Whisper ``words[]``, or the
    aligner's), every cue gets them as ``data-w`` (see :func:`word_starts`)
    and the page highlights the spoken word from them; elsewhere the page
    estimates word times in proportion within the cue.
    """

    show: Show
    episode: Episode
    build: LanguageBuild
    audio_url: str  # relative to the page: "../<audio file name>"
    audio_mime: str  # e.g. "audio/mpeg"
    duration_ms: int
    vtt_url: str = TRANSCRIPT_FORMATS[0].filename
    srt_url: str = TRANSCRIPT_FORMATS[1].filename
    json_url: str = TRANSCRIPT_FORMATS[2].filename
    chapters_url: str | None = CHAPTERS_FILE  # None when the episode has no chapters
    languages: tuple[LanguageLink, ...] = ()
    canonical_url: str = ""  # absolute URL of this page
    image_url: str | None = None  # absolute URL of the episode (or show) image
    audio_absolute_url: str | None = None  # for og:audio; falls back to audio_url
    feed: FeedLink | None = None  # the feed of this language (autodiscovery)
    show_url: str = "../../../index.html"  # link back to the show page, relative
    show_title: str | None = None  # translated show title; None = show.title
    turn_starts: frozenset[int] | None = None
    sentences: tuple[Sentence, ...] | None = None  # the source sentences, when the page shows their text
    icon_url: str | None = None  # favicon, relative to the page ("../../../favicon.ico")
    touch_icon_url: str | None = None  # apple-touch-icon (180 px PNG), relative

    @property
    def lang(self) -> str:
        """The page language (``<html lang>``): the build's language."""
        return self.build.lang


@dataclass(frozen=True)
class ShowPageEpisode:
    """One row of the show page's episode list."""

    slug: str
    title: str
    date: dt.datetime
    description: str = ""
    duration_ms: int | None = None
    number: int | None = None
    season: int | None = None
    pages: tuple[LanguageLink, ...] = ()  # the episode's page in each language, source first
    audio_url: str | None = None  # the enclosure, relative to the show page (the shared player plays it)
    audio_mime: str | None = None


@dataclass(frozen=True)
class ShowPageContext:
    """Everything the show page needs.

    ``episodes`` may come in any order: the page lists them newest first
    (date descending, then slug) so the output does not depend on the caller.
    ``feeds`` is the main feed first, then one per target language.
    ``languages`` feeds the language switcher (per-language show pages); it is
    shown only when it holds more than one language.
    """

    show: Show
    lang: str  # page language
    title: str
    description: str
    episodes: tuple[ShowPageEpisode, ...]
    feeds: tuple[FeedLink, ...] = ()
    languages: tuple[LanguageLink, ...] = ()
    canonical_url: str = ""
    image_url: str | None = None  # absolute (og:image)
    cover_src: str | None = None  # relative URL of the cover shown on the page (works before upload too)
    machine: bool = False  # title/description machine translated
    engine: str | None = None
    pseudo: bool = False
    extra: dict[str, str] = field(default_factory=dict)  # free values for overriding templates
    icon_url: str | None = None  # favicon, relative to the page
    touch_icon_url: str | None = None


@dataclass(frozen=True)
class SubscribeLink:
    """An "open in app" button of the show page: ``href`` is the app's
    add-by-URL link for the feed (``podcast://…``, ``pktc://subscribe/…``, an
    ``https`` deep link)."""

    app: str
    href: str


log = logging.getLogger(__name__)
_PACKAGE = Path(__file__).resolve().parent

PARAGRAPH_PAUSE_MS = 2000
"""Without turn information a pause this long starts a new paragraph."""

RATES = (0.75, 1.0, 1.25, 1.5, 1.75, 2.0)
"""The playback speeds the page player offers."""


def render_episode_page(ctx: EpisodePageContext) -> str:
    """Render the interactive transcript page of one episode in one language."""
    build = ctx.build
    lang = ctx.lang
    ui, ui_lang = _ui(lang)
    show_title = ctx.show_title if ctx.show_title is not None else ctx.show.title
    chapters = _chapter_items(build.chapters)
    number = _episode_label(ctx.episode, ui)
    values = dict(
        ctx=ctx,
        build=build,
        episode=ctx.episode,
        show_title=show_title,
        page_lang=lang,
        page_lang_attr=langs.html_lang(lang, ctx.episode.language or ctx.show.language),
        page_dir=_direction(lang),
        page_lang_name=_native_name(lang),
        ui=ui,
        ui_lang=ui_lang,
        ui_attr=_lang_attr(ui_lang, lang),
        meta_description=_meta_description(build.description),
        description_paragraphs=_paragraphs(build.description),
        canonical_url=ctx.canonical_url,
        alternates=ctx.languages if len(ctx.languages) > 1 else (),
        noindex=build.pseudo,  # a layout test: never indexed
        feed_links=(ctx.feed,) if ctx.feed else (),
        site_name=show_title,
        og_title=build.title,
        og_type="article",
        og_locale=_og_locale(lang),
        image_url=ctx.image_url,
        audio_absolute_url=ctx.audio_absolute_url or ctx.audio_url,
        languages=ctx.languages,
        chapters=chapters,
        chapter_marks=_chapter_marks(chapters, ctx.duration_ms),
        blocks=_blocks(build.cues, chapters, ctx.turn_starts, ctx.sentences),
        episode_label=number,
        rates=_rates(ui),
        icon_url=ctx.icon_url,
        touch_icon_url=ctx.touch_icon_url,
        css=_static(ctx.show, "transcript.css"),
        js=_scripts(ctx.show, "player.js", "transcript.js"),
    )
    return _render(ctx.show, "episode.html", values)


#: ``row(episode, first)``: one episode's ``<li>`` of the show page (:func:`render_show_row`, or a cache of it).
RowRenderer = Callable[[ShowPageEpisode, bool], str]


def render_show_row(show: Show, lang: str, episode: ShowPageEpisode, first: bool) -> str:
    """One episode of the show page in ``lang`` (``first``: the latest, badged), as the page holds it."""
    ui, ui_lang = _ui(lang)
    html = _environment(_override_dir(show)).get_template("_show_row.html").render(
        ep=episode, first=first, ui=ui, ui_lang=ui_lang, ui_attr=_lang_attr(ui_lang, lang))
    return _tidy_lines(html)  # the page's own tidy pass


def render_show_page(ctx: ShowPageContext, row: RowRenderer | None = None) -> str:
    """Render the show page (episode list, feeds, language switcher); ``row``
    renders each episode's entry (default :func:`render_show_row`)."""
    ui, ui_lang = _ui(ctx.lang)
    episodes = sorted(ctx.episodes, key=lambda e: (e.date, e.slug), reverse=True)
    if row is None:
        def row(episode: ShowPageEpisode, first: bool) -> str:
            return render_show_row(ctx.show, ctx.lang, episode, first)
    episode_rows = [Markup(row(episode, k == 0)) for k, episode in enumerate(episodes)]
    primary = _primary_feed(ctx.feeds, ctx.lang)
    values = dict(
        ctx=ctx,
        page_lang=ctx.lang,
        page_lang_attr=langs.html_lang(ctx.lang, ctx.show.language),
        page_dir=_direction(ctx.lang),
        ui=ui,
        ui_lang=ui_lang,
        ui_attr=_lang_attr(ui_lang, ctx.lang),
        meta_description=_meta_description(ctx.description),
        description_paragraphs=_paragraphs(ctx.description),
        canonical_url=ctx.canonical_url,
        alternates=ctx.languages if len(ctx.languages) > 1 else (),
        noindex=ctx.pseudo,
        feed_links=ctx.feeds,
        site_name=ctx.title,
        og_title=ctx.title,
        og_type="website",
        og_locale=_og_locale(ctx.lang),
        image_url=ctx.image_url,
        languages=ctx.languages,
        episodes=episodes,
        episode_rows=episode_rows,
        primary_feed=primary,
        other_feeds=tuple(f for f in ctx.feeds if f is not primary),
        subscribe=subscribe_links(primary) if primary else (),
        rates=_rates(ui),
        icon_url=ctx.icon_url,
        touch_icon_url=ctx.touch_icon_url,
        css=_static(ctx.show, "transcript.css"),
        js=_scripts(ctx.show, "player.js", "show.js"),
    )
    return _render(ctx.show, "show.html", values)


# --------------------------------------------------------------------------- transcript structure


@dataclass(frozen=True)
class _ChapterItem:
    kind: str
    id: str
    title: str
    start: int | None


@dataclass(frozen=True)
class _CueItem:
    id: str
    start: int
    duration: int
    text: str
    words: str | None = None  # data-w: word starts in ms from the cue start, space separated


@dataclass(frozen=True)
class _Paragraph:
    kind: str
    speaker: str | None  # named on every paragraph (continued=True where the same speaker goes on)
    start: int
    cues: tuple[_CueItem, ...]
    continued: bool = False


@dataclass(frozen=True)
class _ChapterMark:
    title: str
    start: int
    left: str  # CSS percentage of the episode's duration, e.g. "12.345%"


def _chapter_items(chapters: Sequence[Chapter]) -> tuple[_ChapterItem, ...]:
    return tuple(
        _ChapterItem("chapter", f"chapter-{i + 1}", ch.title, ch.start) for i, ch in enumerate(chapters)
    )


def _cue_chapters(cues: Sequence[Cue], chapters: Sequence[_ChapterItem]) -> list[int | None]:
    """The chapter index of each cue.

    Cues normally carry their chapter; cues that carry none at all (e.g. read
    back from a file that has no chapter field) are placed by the chapter
    start times instead, so headings still appear in the transcript.
    """
    if not chapters:
        return [None] * len(cues)
    if any(c.chapter is not None for c in cues):
        return [c.chapter if c.chapter is not None and c.chapter < len(chapters) else None for c in cues]
    out: list[int | None] = []
    for cue in cues:
        index = None
        for i, ch in enumerate(chapters):
            if ch.start is not None and ch.start <= cue.start:
                index = i
        out.append(index)
    return out


def _chapter_marks(chapters: Sequence[_ChapterItem], duration_ms: int) -> tuple[_ChapterMark, ...]:
    """Where each chapter starts on the player's progress bar."""
    if duration_ms <= 0:
        return ()
    return tuple(
        _ChapterMark(ch.title, ch.start, f"{min(max(ch.start / duration_ms, 0.0), 1.0) * 100:.3f}%")
        for ch in chapters if ch.start is not None and ch.start > 0
    )


def _blocks(
    cues: Sequence[Cue], chapters: Sequence[_ChapterItem], turns: frozenset[int] | None,
    sentences: Sequence[Sentence] | None = None,
) -> list[_ChapterItem | _Paragraph]:
    """Interleave chapter headings and paragraphs (one per turn) of cues."""
    blocks: list[_ChapterItem | _Paragraph] = []
    next_chapter = 0  # first chapter heading not yet emitted
    shown_speaker: str | None = None
    para: list[_CueItem] = []
    para_speaker: str | None = None
    continued = False
    prev: Cue | None = None

    def flush() -> None:
        nonlocal para
        if para:
            blocks.append(_Paragraph("turn", para_speaker, para[0].start, tuple(para), continued))
        para = []

    for cue, chapter in zip(cues, _cue_chapters(cues, chapters), strict=True):
        new_chapter = chapter is not None and chapter >= next_chapter
        new_para = (
            prev is None
            or new_chapter
            or cue.speaker_change
            or cue.speaker != prev.speaker
            or _turn_starts_at(cue, prev, turns)
        )
        if new_para:
            flush()
        if new_chapter:
            assert chapter is not None
            blocks.extend(chapters[next_chapter: chapter + 1])
            next_chapter = chapter + 1
            shown_speaker = None  # name the speaker again under a new heading
        if new_para:
            para_speaker = cue.speaker
            continued = cue.speaker is not None and cue.speaker == shown_speaker
            if cue.speaker is not None:
                shown_speaker = cue.speaker
        words = word_starts(cue, sentences) if sentences else None
        para.append(_CueItem(cue.id, cue.start, max(cue.end - cue.start, 0), cue.text,
                             " ".join(map(str, words)) if words else None))
        prev = cue
    flush()
    blocks.extend(chapters[next_chapter:])  # chapters after the last cue (e.g. an outro without speech)
    return blocks


def _fold(text: str) -> str:
    """Letters and digits only, case-folded: what word texts and cue texts share."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", text).casefold() if ch.isalnum())


def word_starts(cue: Cue, sentences: Sequence[Sentence]) -> tuple[int, ...] | None:
    """When each whitespace-separated word of the cue's text starts, in ms from
    ``cue.start``, from the word timings of the cue's sentences.

    The cue's words are found in its sentences' timed words by their letters
    and digits (so punctuation or a word split differently, as Whisper does
    with "don't", does not matter); where the text occurs more than once the
    occurrence closest to the cue's start wins.  ``None`` when a sentence has
    no word timings, the texts do not match, or the cue has a single word:
    the page then estimates word times in proportion within the cue.
    """
    tokens = cue.text.split()
    if len(tokens) < 2 or not cue.sentences:
        return None
    times: list[int] = []
    stream: list[str] = []
    for index in cue.sentences:
        if not 0 <= index < len(sentences) or not sentences[index].words:
            return None
        for word in sentences[index].words:
            folded = _fold(word.text)
            stream.append(folded)
            times.extend([word.start] * len(folded))
    text = "".join(stream)
    folded_tokens = [_fold(t) for t in tokens]
    needle = "".join(folded_tokens)
    if not needle:
        return None
    best: int | None = None
    at = text.find(needle)
    while at != -1:
        if best is None or abs(times[at] - cue.start) < abs(times[best] - cue.start):
            best = at
        at = text.find(needle, at + 1)
    if best is None:
        return None
    out: list[int] = []
    pos = best
    for folded in folded_tokens:
        t = times[pos] if folded else (out[-1] + cue.start if out else cue.start)
        rel = min(max(t - cue.start, out[-1] if out else 0), max(cue.end - cue.start, 0))
        out.append(rel)
        pos += len(folded)
    return tuple(out)


def _turn_starts_at(cue: Cue, prev: Cue, turns: frozenset[int] | None) -> bool:
    if turns is None:
        # No turn information: a long pause is the best paragraph signal left.
        return cue.start - prev.end >= PARAGRAPH_PAUSE_MS
    if not cue.sentences:
        return False
    first = cue.sentences[0]
    # A cue that continues a sentence the previous cue started is not a new turn.
    return first in turns and first not in prev.sentences


# --------------------------------------------------------------------------- small helpers


#: ``65000`` → ``1:05``; ``3723000`` → ``1:02:03`` (spellings live in the formats layer)
_clock = timecode.short_clock
#: A valid HTML ``<time datetime>`` duration: ``PT1H2M3.5S``.
_iso_duration = timecode.iso_duration


def _url(value: object) -> str:
    """A URL for an ``href``/``src``, or ``#`` when it breaks the URL policy
    (:func:`toolkit.urls.page_url_problem`: ``javascript:``, ``data:``, quotes,
    whitespace …).

    Config URLs are checked when show.toml is read; this is the last line for
    anything else (a manifest from an older toolkit, an override template's
    values): escaping alone does not make a ``javascript:`` href inert.
    """
    text = "" if value is None else str(value).strip()
    problem = _page_url_problem(text) if text else None
    if problem:
        log.warning("dropped a URL from a page: %r %s", text[:80], problem)
        return "#"
    return text


#: The URL policy per distinct URL: a catalogue's pages repeat most of theirs (the show, its
#: feeds and icons, an episode's audio and languages on each of its pages).
_page_url_problem = lru_cache(maxsize=1 << 14)(page_url_problem)


def _finalize(value: object) -> object:
    """Every ``{{ … }}`` output: a text holding bidi embedding/override/isolate
    controls is balanced and isolated (``FSI … PDI``), so user text can never
    reorder the page around it -- in element text and in attributes alike."""
    if isinstance(value, str) and not isinstance(value, Markup):
        return isolate_bidi(value)
    return value


_APP_SCHEMES = ("podcast", "pktc", "overcast", "castro")


def _app_url(value: object) -> str:
    """Like :func:`_url`, also letting through the podcast apps' URL schemes
    (only ever built by :func:`subscribe_links` from an http(s) feed URL)."""
    text = "" if value is None else str(value).strip()
    scheme = text.split(":", 1)[0].lower() if ":" in text.split("/", 1)[0] else ""
    return text if scheme in _APP_SCHEMES else _url(text)


def subscribe_links(feed: FeedLink) -> tuple[SubscribeLink, ...]:
    """The common apps' add-by-URL links for a feed (none for a feed that is not http(s)).

    Apple Podcasts opens ``podcast://<feed without scheme>``, Pocket Casts
    ``pktc://subscribe/<…>``, Castro ``castro://subscribe/<…>``, Overcast
    ``overcast://x-callback-url/add?url=<feed>``; AntennaPod documents an https
    deep link (``antennapod.org/deeplink/subscribe?url=…&title=…``) that opens
    the app or explains how to get it.
    """
    url = _url(feed.url)
    if not url.lower().startswith(("https://", "http://")):
        return ()
    bare = url.split("://", 1)[1]
    encoded = quote(url, safe="")
    return (
        SubscribeLink("Apple Podcasts", f"podcast://{bare}"),
        SubscribeLink("Pocket Casts", f"pktc://subscribe/{bare}"),
        SubscribeLink("Overcast", f"overcast://x-callback-url/add?url={encoded}"),
        SubscribeLink("Castro", f"castro://subscribe/{bare}"),
        SubscribeLink("AntennaPod", "https://antennapod.org/deeplink/subscribe"
                                    f"?url={encoded}&title={quote(feed.title, safe='')}"),
    )


def _primary_feed(feeds: Sequence[FeedLink], lang: str) -> FeedLink | None:
    """The feed a show page offers first: its own language's, else the main one."""
    return next((f for f in feeds if f.lang == lang), feeds[0] if feeds else None)


def _rates(ui: dict[str, str]) -> tuple[tuple[str, str], ...]:
    """(value, label) of each playback speed: ``("1.25", "1,25×")`` in a comma language."""
    out = []
    for rate in RATES:
        value = f"{rate:g}"
        out.append((value, value.replace(".", ui["decimal"]) + "×"))
    return tuple(out)


def _truncate_words(text: str, limit: int) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(",.;:") + "…"


def _meta_description(text: str) -> str:
    return _truncate_words(text, 300)


def _paragraphs(text: str) -> list[str]:
    """Plain-text description → paragraphs (blank-line separated)."""
    return [" ".join(p.split()) for p in re.split(r"\n\s*\n", text or "") if p.strip()]


def _native_name(lang: str) -> str:
    return langs.native_name(lang)


def _name_lang(code: str) -> str:
    """The ``lang`` of a language's name in a switcher: the pseudo build's name is English."""
    return "en" if langs.is_pseudo(code) else code


_RTL = {"ar", "fa", "he", "ur", "ps", "sd", "ug", "yi", "dv", "ckb"}


def _direction(lang: str) -> str:
    return "rtl" if lang.split("-", 1)[0].lower() in _RTL else "ltr"


def _og_locale(lang: str) -> str:
    parts = lang.split("-")
    region = next((p for p in parts[1:] if len(p) == 2 and p.isalpha()), None)
    return f"{parts[0].lower()}_{region.upper()}" if region else parts[0].lower()


def _lang_attr(ui_lang: str, page_lang: str) -> Markup:
    """`` lang="en"`` on interface text that is not in the page language."""
    if ui_lang.split("-")[0] == page_lang.split("-")[0].lower():
        return Markup("")
    return Markup(' lang="{}"').format(ui_lang)


def _episode_label(episode: Episode, ui: dict[str, str]) -> str | None:
    if episode.number is None:
        return None
    if episode.season is not None:
        return ui["season_episode"].replace("{s}", str(episode.season)).replace("{n}", str(episode.number))
    return ui["episode"].replace("{n}", str(episode.number))


# --------------------------------------------------------------------------- interface text

_UI: dict[str, dict[str, str]] = {
    "en": {
        "decimal": ".",
        "skip": "Skip to the transcript",
        "skip_past": "Skip past the transcript",
        "languages": "Languages",
        "pseudo": "Pseudo-localization: a layout test build, not a translation.",
        "machine": "Machine translated with {engine}; may contain errors.",
        "machine_badge": "machine translation",
        "pseudo_badge": "layout test",
        "unknown_engine": "an unnamed engine",
        "player": "Audio player",
        "download_audio": "Download the audio",
        "play": "Play",
        "pause": "Pause",
        "back": "Back 15 seconds",
        "forward": "Forward 30 seconds",
        "speed": "Playback speed",
        "mute": "Mute",
        "position": "Playback position",
        "time_of": "{t} of {d}",
        "prev_chapter": "Previous chapter",
        "next_chapter": "Next chapter",
        "chapter_of": "Chapter {i} of {n}: {title}",
        "search_label": "Search the transcript",
        "search": "Search",
        "previous": "Previous match",
        "next": "Next match",
        "no_matches": "No matches",
        "match_of": "{i} of {n}",
        "follow": "Follow along",
        "follow_paused": "Follow-along paused while you read elsewhere.",
        "following": "Following the audio again.",
        "back_to_current": "Back to the current line",
        "share": "Link to this moment",
        "share_quote": "Share this quote",
        "copied": "Link copied:",
        "link": "Link:",
        "close": "Close",
        "shortcuts": "Keyboard shortcuts",
        "sc_play": "Play or pause",
        "sc_back": "Back 15 seconds",
        "sc_forward": "Forward 30 seconds",
        "sc_chapters": "Previous or next chapter",
        "sc_speed": "Slower or faster",
        "sc_mute": "Mute or unmute",
        "sc_search": "Search the transcript",
        "sc_lines": "In the transcript: previous or next line, first or last line",
        "sc_line_play": "In the transcript: play from this line",
        "single_keys": "Single-key shortcuts (letters and symbols)",
        "chapters": "Chapters",
        "transcript": "Transcript",
        "downloads": "Downloads",
        "vtt": "Subtitles (WebVTT)",
        "srt": "Subtitles (SRT)",
        "json": "Transcript (JSON)",
        "chapters_json": "Chapters (JSON)",
        "audio": "Audio",
        "feed": "Podcast feed (RSS)",
        "feeds": "Subscribe",
        "feed_url": "Feed URL",
        "copy_feed": "Copy feed URL",
        "open_in": "Open in",
        "other_feeds": "In other languages",
        "latest": "Latest episode",
        "play_episode": "Play",
        "now_playing": "Now playing",
        "episodes": "Episodes",
        "transcripts": "Transcripts",
        "episode": "Episode {n}",
        "season_episode": "Season {s}, episode {n}",
    },
    "es": {
        "decimal": ",",
        "skip": "Ir a la transcripción",
        "skip_past": "Saltar la transcripción",
        "languages": "Idiomas",
        "pseudo": "Pseudolocalización: una versión de prueba de la maquetación, no es una traducción.",
        "machine": "Traducción automática con {engine}; puede contener errores.",
        "machine_badge": "traducción automática",
        "pseudo_badge": "prueba de maquetación",
        "unknown_engine": "un motor sin nombre",
        "player": "Reproductor de audio",
        "download_audio": "Descargar el audio",
        "play": "Reproducir",
        "pause": "Pausa",
        "back": "Retroceder 15 segundos",
        "forward": "Avanzar 30 segundos",
        "speed": "Velocidad de reproducción",
        "mute": "Silenciar",
        "position": "Posición de reproducción",
        "time_of": "{t} de {d}",
        "prev_chapter": "Capítulo anterior",
        "next_chapter": "Capítulo siguiente",
        "chapter_of": "Capítulo {i} de {n}: {title}",
        "search_label": "Buscar en la transcripción",
        "search": "Buscar",
        "previous": "Coincidencia anterior",
        "next": "Coincidencia siguiente",
        "no_matches": "Sin coincidencias",
        "match_of": "{i} de {n}",
        "follow": "Seguir el audio",
        "follow_paused": "Seguimiento en pausa mientras lee en otra parte.",
        "following": "Siguiendo el audio de nuevo.",
        "back_to_current": "Volver a la línea actual",
        "share": "Enlace a este momento",
        "share_quote": "Compartir esta cita",
        "copied": "Enlace copiado:",
        "link": "Enlace:",
        "close": "Cerrar",
        "shortcuts": "Atajos de teclado",
        "sc_play": "Reproducir o pausar",
        "sc_back": "Retroceder 15 segundos",
        "sc_forward": "Avanzar 30 segundos",
        "sc_chapters": "Capítulo anterior o siguiente",
        "sc_speed": "Más lento o más rápido",
        "sc_mute": "Silenciar o activar el sonido",
        "sc_search": "Buscar en la transcripción",
        "sc_lines": "En la transcripción: línea anterior o siguiente, primera o última",
        "sc_line_play": "En la transcripción: reproducir desde esta línea",
        "single_keys": "Atajos de una tecla (letras y símbolos)",
        "chapters": "Capítulos",
        "transcript": "Transcripción",
        "downloads": "Descargas",
        "vtt": "Subtítulos (WebVTT)",
        "srt": "Subtítulos (SRT)",
        "json": "Transcripción (JSON)",
        "chapters_json": "Capítulos (JSON)",
        "audio": "Audio",
        "feed": "Feed del pódcast (RSS)",
        "feeds": "Suscribirse",
        "feed_url": "URL del feed",
        "copy_feed": "Copiar la URL del feed",
        "open_in": "Abrir en",
        "other_feeds": "En otros idiomas",
        "latest": "Último episodio",
        "play_episode": "Reproducir",
        "now_playing": "Reproduciendo",
        "episodes": "Episodios",
        "transcripts": "Transcripciones",
        "episode": "Episodio {n}",
        "season_episode": "Temporada {s}, episodio {n}",
    },
    "pt": {  # Brazilian Portuguese (the pt-BR the bergamot engine publishes)
        "decimal": ",",
        "skip": "Ir para a transcrição",
        "skip_past": "Pular a transcrição",
        "languages": "Idiomas",
        "pseudo": "Pseudolocalização: uma versão de teste do layout, não uma tradução.",
        "machine": "Tradução automática por {engine}; pode conter erros.",
        "machine_badge": "tradução automática",
        "pseudo_badge": "teste de layout",
        "unknown_engine": "um mecanismo sem nome",
        "player": "Player de áudio",
        "download_audio": "Baixar o áudio",
        "play": "Reproduzir",
        "pause": "Pausar",
        "back": "Voltar 15 segundos",
        "forward": "Avançar 30 segundos",
        "speed": "Velocidade de reprodução",
        "mute": "Silenciar",
        "position": "Posição da reprodução",
        "time_of": "{t} de {d}",
        "prev_chapter": "Capítulo anterior",
        "next_chapter": "Próximo capítulo",
        "chapter_of": "Capítulo {i} de {n}: {title}",
        "search_label": "Pesquisar na transcrição",
        "search": "Pesquisar",
        "previous": "Resultado anterior",
        "next": "Próximo resultado",
        "no_matches": "Nenhum resultado",
        "match_of": "{i} de {n}",
        "follow": "Acompanhar o áudio",
        "follow_paused": "Acompanhamento pausado enquanto você lê outro trecho.",
        "following": "Acompanhando o áudio de novo.",
        "back_to_current": "Voltar à linha atual",
        "share": "Link para este momento",
        "share_quote": "Compartilhar esta citação",
        "copied": "Link copiado:",
        "link": "Link:",
        "close": "Fechar",
        "shortcuts": "Atalhos de teclado",
        "sc_play": "Reproduzir ou pausar",
        "sc_back": "Voltar 15 segundos",
        "sc_forward": "Avançar 30 segundos",
        "sc_chapters": "Capítulo anterior ou próximo",
        "sc_speed": "Mais devagar ou mais rápido",
        "sc_mute": "Silenciar ou ativar o som",
        "sc_search": "Pesquisar na transcrição",
        "sc_lines": "Na transcrição: linha anterior ou próxima, primeira ou última",
        "sc_line_play": "Na transcrição: reproduzir a partir desta linha",
        "single_keys": "Atalhos de uma tecla (letras e símbolos)",
        "chapters": "Capítulos",
        "transcript": "Transcrição",
        "downloads": "Downloads",
        "vtt": "Legendas (WebVTT)",
        "srt": "Legendas (SRT)",
        "json": "Transcrição (JSON)",
        "chapters_json": "Capítulos (JSON)",
        "audio": "Áudio",
        "feed": "Feed do podcast (RSS)",
        "feeds": "Assinar",
        "feed_url": "URL do feed",
        "copy_feed": "Copiar a URL do feed",
        "open_in": "Abrir no",
        "other_feeds": "Em outros idiomas",
        "latest": "Episódio mais recente",
        "play_episode": "Reproduzir",
        "now_playing": "Tocando agora",
        "episodes": "Episódios",
        "transcripts": "Transcrições",
        "episode": "Episódio {n}",
        "season_episode": "Temporada {s}, episódio {n}",
    },
    "fr": {
        "decimal": ",",
        "skip": "Aller à la transcription",
        "skip_past": "Passer la transcription",
        "languages": "Langues",
        "pseudo": "Pseudo-localisation : une version de test de la mise en page, pas une traduction.",
        "machine": "Traduction automatique par {engine} ; peut contenir des erreurs.",
        "machine_badge": "traduction automatique",
        "pseudo_badge": "test de mise en page",
        "unknown_engine": "un moteur sans nom",
        "player": "Lecteur audio",
        "download_audio": "Télécharger l’audio",
        "play": "Lecture",
        "pause": "Pause",
        "back": "Reculer de 15 secondes",
        "forward": "Avancer de 30 secondes",
        "speed": "Vitesse de lecture",
        "mute": "Couper le son",
        "position": "Position de lecture",
        "time_of": "{t} sur {d}",
        "prev_chapter": "Chapitre précédent",
        "next_chapter": "Chapitre suivant",
        "chapter_of": "Chapitre {i} sur {n} : {title}",
        "search_label": "Rechercher dans la transcription",
        "search": "Rechercher",
        "previous": "Résultat précédent",
        "next": "Résultat suivant",
        "no_matches": "Aucun résultat",
        "match_of": "{i} sur {n}",
        "follow": "Suivre la lecture",
        "follow_paused": "Suivi en pause pendant que vous lisez ailleurs.",
        "following": "La lecture est de nouveau suivie.",
        "back_to_current": "Revenir à la ligne en cours",
        "share": "Lien vers ce moment",
        "share_quote": "Partager cette citation",
        "copied": "Lien copié :",
        "link": "Lien :",
        "close": "Fermer",
        "shortcuts": "Raccourcis clavier",
        "sc_play": "Lecture ou pause",
        "sc_back": "Reculer de 15 secondes",
        "sc_forward": "Avancer de 30 secondes",
        "sc_chapters": "Chapitre précédent ou suivant",
        "sc_speed": "Plus lent ou plus rapide",
        "sc_mute": "Couper ou rétablir le son",
        "sc_search": "Rechercher dans la transcription",
        "sc_lines": "Dans la transcription : ligne précédente ou suivante, première ou dernière",
        "sc_line_play": "Dans la transcription : lire depuis cette ligne",
        "single_keys": "Raccourcis d’une seule touche (lettres et symboles)",
        "chapters": "Chapitres",
        "transcript": "Transcription",
        "downloads": "Téléchargements",
        "vtt": "Sous-titres (WebVTT)",
        "srt": "Sous-titres (SRT)",
        "json": "Transcription (JSON)",
        "chapters_json": "Chapitres (JSON)",
        "audio": "Audio",
        "feed": "Flux du podcast (RSS)",
        "feeds": "S’abonner",
        "feed_url": "URL du flux",
        "copy_feed": "Copier l’URL du flux",
        "open_in": "Ouvrir dans",
        "other_feeds": "Dans d’autres langues",
        "latest": "Dernier épisode",
        "play_episode": "Écouter",
        "now_playing": "En cours de lecture",
        "episodes": "Épisodes",
        "transcripts": "Transcriptions",
        "episode": "Épisode {n}",
        "season_episode": "Saison {s}, épisode {n}",
    },
    "de": {
        "decimal": ",",
        "skip": "Zum Transkript springen",
        "skip_past": "Transkript überspringen",
        "languages": "Sprachen",
        "pseudo": "Pseudolokalisierung: eine Testversion für das Layout, keine Übersetzung.",
        "machine": "Maschinell übersetzt mit {engine}; kann Fehler enthalten.",
        "machine_badge": "maschinelle Übersetzung",
        "pseudo_badge": "Layouttest",
        "unknown_engine": "einer unbenannten Engine",
        "player": "Audioplayer",
        "download_audio": "Audio herunterladen",
        "play": "Abspielen",
        "pause": "Pause",
        "back": "15 Sekunden zurück",
        "forward": "30 Sekunden vor",
        "speed": "Wiedergabegeschwindigkeit",
        "mute": "Stumm",
        "position": "Wiedergabeposition",
        "time_of": "{t} von {d}",
        "prev_chapter": "Vorheriges Kapitel",
        "next_chapter": "Nächstes Kapitel",
        "chapter_of": "Kapitel {i} von {n}: {title}",
        "search_label": "Im Transkript suchen",
        "search": "Suchen",
        "previous": "Vorheriger Treffer",
        "next": "Nächster Treffer",
        "no_matches": "Keine Treffer",
        "match_of": "{i} von {n}",
        "follow": "Mitlesen",
        "follow_paused": "Mitlesen pausiert, während Sie woanders lesen.",
        "following": "Das Transkript folgt wieder dem Audio.",
        "back_to_current": "Zurück zur aktuellen Zeile",
        "share": "Link zu dieser Stelle",
        "share_quote": "Dieses Zitat teilen",
        "copied": "Link kopiert:",
        "link": "Link:",
        "close": "Schließen",
        "shortcuts": "Tastenkürzel",
        "sc_play": "Abspielen oder pausieren",
        "sc_back": "15 Sekunden zurück",
        "sc_forward": "30 Sekunden vor",
        "sc_chapters": "Vorheriges oder nächstes Kapitel",
        "sc_speed": "Langsamer oder schneller",
        "sc_mute": "Stumm schalten oder Ton an",
        "sc_search": "Im Transkript suchen",
        "sc_lines": "Im Transkript: vorherige oder nächste Zeile, erste oder letzte",
        "sc_line_play": "Im Transkript: ab dieser Zeile abspielen",
        "single_keys": "Kürzel mit einer Taste (Buchstaben und Zeichen)",
        "chapters": "Kapitel",
        "transcript": "Transkript",
        "downloads": "Downloads",
        "vtt": "Untertitel (WebVTT)",
        "srt": "Untertitel (SRT)",
        "json": "Transkript (JSON)",
        "chapters_json": "Kapitel (JSON)",
        "audio": "Audio",
        "feed": "Podcast-Feed (RSS)",
        "feeds": "Abonnieren",
        "feed_url": "Feed-URL",
        "copy_feed": "Feed-URL kopieren",
        "open_in": "Öffnen in",
        "other_feeds": "In anderen Sprachen",
        "latest": "Neueste Folge",
        "play_episode": "Abspielen",
        "now_playing": "Läuft gerade",
        "episodes": "Folgen",
        "transcripts": "Transkripte",
        "episode": "Folge {n}",
        "season_episode": "Staffel {s}, Folge {n}",
    },
}


class _UIStrings(dict[str, str]):
    """One language's interface strings as templates read them: a dict whose attributes are
    its items (``self.__dict__`` is the dict itself), so ``ui.skip`` is found as an attribute
    (with a plain dict jinja2 tries the attribute, fails and then indexes: ≈ 0.5 µs a string,
    ≈ 50 strings a page) while ``ui["skip"]``, ``ui|tojson`` and ``{{ ui }}`` read as a dict's.
    No key may be a dict method's name (checked by the tests)."""

    def __init__(self, strings: Mapping[str, str]) -> None:
        super().__init__(strings)
        self.__dict__ = self


_UI = {lang: _UIStrings(strings) for lang, strings in _UI.items()}


def _ui(lang: str) -> tuple[dict[str, str], str]:
    """Interface strings for ``lang`` and the language they are in (English fallback)."""
    key = lang.split("-", 1)[0].lower()
    if key in _UI:
        return _UI[key], key
    return _UI["en"], "en"


# --------------------------------------------------------------------------- jinja2


def _render(show: Show, name: str, values: dict[str, object]) -> str:
    html = _environment(_override_dir(show)).get_template(name).render(values)
    # Deterministic, tidy output: no trailing spaces or tabs, exactly one final newline.  Lines end
    # at "\n" only (not str.splitlines): U+2028 and friends inside cue text are content, not lines.
    return _tidy_lines(html).strip("\n") + "\n"


def _tidy_lines(html: str) -> str:
    """``html`` without spaces, tabs or CRs at the end of any line (scanned only when there are some)."""
    # "\t" and "\r" are one-character searches (memchr); " \n" is the one scan of the page's ~60 kB
    if ("\t" in html and "\t\n" in html) or "\r" in html or " \n" in html or html.endswith((" ", "\t")):
        html = "\n".join(line.rstrip(" \t\r") for line in html.split("\n"))
    return html


def _override_dir(show: Show) -> str | None:
    folder = show.root / "templates"
    return str(folder) if folder.is_dir() else None


@lru_cache(maxsize=16)
def _environment(override: str | None) -> jinja2.Environment:
    """One environment per override folder (compiled templates are cached in it)."""
    loaders: list[jinja2.BaseLoader] = []
    if override:
        loaders.append(jinja2.FileSystemLoader(override))
    loaders.append(jinja2.FileSystemLoader(str(_PACKAGE / "templates")))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=True,  # every template, whatever its extension
        undefined=jinja2.StrictUndefined,  # a typo in an override template fails loudly
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=_finalize,  # bidi controls in user text stay inside an isolate
    )
    env.filters.update(name_lang=_name_lang, clock=_clock, iso_duration=_iso_duration, url=_url, app_url=_app_url,
                       truncate_words=_truncate_words)
    return env


def _static(show: Show, name: str) -> Markup:
    """The page's CSS/JS, inlined (the show's templates/ folder may override them).

    Inlined rather than linked: every page is then one self-contained file that
    works wherever it is copied, and the output layout needs no extra folder.
    The text is ours (or the producer's), never episode content, and a
    ``</`` inside it (which would end the element early) is refused.
    """
    return _static_text(*_static_version(show, name))


def _scripts(show: Show, *names: str) -> Markup:
    """Several static scripts as one inlined ``<script>`` (each file is its own IIFE)."""
    return _joined_scripts(tuple(_static_version(show, name) for name in names))


def _static_version(show: Show, name: str) -> tuple[str, str, int]:
    """``(name, path, mtime_ns)`` of the static file a page inlines: the show's override, else ours.
    One ``stat`` per file and page: an edited override shows on the next page (``toolkit serve``)."""
    override = os.path.join(show.root, "templates", name)
    try:
        st = os.stat(override)
        if stat.S_ISREG(st.st_mode):
            return name, override, st.st_mtime_ns
    except OSError:
        pass
    path = os.path.join(_PACKAGE, "static", name)
    return name, path, os.stat(path).st_mtime_ns


@lru_cache(maxsize=32)
def _static_text(name: str, path: str, mtime_ns: int) -> Markup:
    """One version of a static file, read and checked once (a page inlines ~50 kB of it)."""
    text = Path(path).read_text(encoding="utf-8")
    if "</" in text:
        raise ConfigError(f"{name} must not contain '</' (it is inlined into <script>/<style>)", path=Path(path))
    return Markup(text.strip("\n"))


@lru_cache(maxsize=16)
def _joined_scripts(versions: tuple[tuple[str, str, int], ...]) -> Markup:
    return Markup("\n").join(_static_text(*version) for version in versions)


def turn_starts(sentence_counts: Sequence[int]) -> frozenset[int]:
    """Global sentence indices where turns start, from each turn's sentence count.

    ``turn_starts([len(t.sentences) for t in transcript.turns])``.
    """
    starts: set[int] = set()
    index = 0
    for count in sentence_counts:
        starts.add(index)
        index += count
    return frozenset(starts)
