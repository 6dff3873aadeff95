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
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2
from markupsafe import Markup

from ..errors import ConfigError
from ..formats import timecode
from ..model import Chapter, Cue, Episode, Show
from ..sanitize import isolate_bidi

if TYPE_CHECKING:  # pipeline imports the publish stage lazily; avoid an import cycle
    from ..pipeline import LanguageBuild

__all__ = [
    "LanguageLink",
    "FeedLink",
    "EpisodePageContext",
    "ShowPageEpisode",
    "ShowPageContext",
    "render_episode_page",
    "render_show_page",
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
    """

    show: Show
    episode: Episode
    build: LanguageBuild
    audio_url: str  # relative to the page: "../<audio file name>"
    audio_mime: str  # e.g. "audio/mpeg"
    duration_ms: int
    vtt_url: str = "transcript.vtt"
    srt_url: str = "transcript.srt"
    json_url: str = "transcript.json"
    chapters_url: str | None = "chapters.json"  # None when the episode has no chapters
    languages: tuple[LanguageLink, ...] = ()
    canonical_url: str = ""  # absolute URL of this page
    image_url: str | None = None  # absolute URL of the episode (or show) image
    audio_absolute_url: str | None = None  # for og:audio; falls back to audio_url
    feed: FeedLink | None = None  # the feed of this language (autodiscovery)
    show_url: str = "../../../index.html"  # link back to the show page, relative
    show_title: str | None = None  # translated show title; None = show.title
    turn_starts: frozenset[int] | None = None

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


log = logging.getLogger(__name__)
_PACKAGE = Path(__file__).resolve().parent

PARAGRAPH_PAUSE_MS = 2000
"""Without turn information a pause this long starts a new paragraph."""


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
        page_dir=_direction(lang),
        page_lang_name=_native_name(lang),
        ui=ui,
        ui_attr=_lang_attr(ui_lang, lang),
        meta_description=_meta_description(build.description),
        description_paragraphs=_paragraphs(build.description),
        canonical_url=ctx.canonical_url,
        alternates=ctx.languages if len(ctx.languages) > 1 else (),
        feed_links=(ctx.feed,) if ctx.feed else (),
        site_name=show_title,
        og_title=build.title,
        og_type="article",
        og_locale=_og_locale(lang),
        image_url=ctx.image_url,
        audio_absolute_url=ctx.audio_absolute_url or ctx.audio_url,
        languages=ctx.languages,
        chapters=chapters,
        blocks=_blocks(build.cues, chapters, ctx.turn_starts),
        episode_label=number,
        css=_static(ctx.show, "transcript.css"),
        js=_static(ctx.show, "transcript.js"),
    )
    return _render(ctx.show, "episode.html", values)


def render_show_page(ctx: ShowPageContext) -> str:
    """Render the show page (episode list, feeds, language switcher)."""
    ui, ui_lang = _ui(ctx.lang)
    episodes = sorted(ctx.episodes, key=lambda e: (e.date, e.slug), reverse=True)
    values = dict(
        ctx=ctx,
        page_lang=ctx.lang,
        page_dir=_direction(ctx.lang),
        ui=ui,
        ui_attr=_lang_attr(ui_lang, ctx.lang),
        meta_description=_meta_description(ctx.description),
        description_paragraphs=_paragraphs(ctx.description),
        canonical_url=ctx.canonical_url,
        alternates=ctx.languages if len(ctx.languages) > 1 else (),
        feed_links=ctx.feeds,
        site_name=ctx.title,
        og_title=ctx.title,
        og_type="website",
        og_locale=_og_locale(ctx.lang),
        image_url=ctx.image_url,
        languages=ctx.languages,
        episodes=episodes,
        css=_static(ctx.show, "transcript.css"),
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


@dataclass(frozen=True)
class _Paragraph:
    kind: str
    speaker: str | None  # shown (as <cite>) only where the speaker changes
    start: int
    cues: tuple[_CueItem, ...]


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


def _blocks(
    cues: Sequence[Cue], chapters: Sequence[_ChapterItem], turns: frozenset[int] | None
) -> list[_ChapterItem | _Paragraph]:
    """Interleave chapter headings and paragraphs (one per turn) of cues."""
    blocks: list[_ChapterItem | _Paragraph] = []
    next_chapter = 0  # first chapter heading not yet emitted
    shown_speaker: str | None = None
    para: list[_CueItem] = []
    para_speaker: str | None = None
    show_speaker = False
    prev: Cue | None = None

    def flush() -> None:
        nonlocal para
        if para:
            blocks.append(_Paragraph("turn", para_speaker if show_speaker else None, para[0].start, tuple(para)))
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
            show_speaker = cue.speaker is not None and cue.speaker != shown_speaker
            if cue.speaker is not None:
                shown_speaker = cue.speaker
        para.append(_CueItem(cue.id, cue.start, max(cue.end - cue.start, 0), cue.text))
        prev = cue
    flush()
    blocks.extend(chapters[next_chapter:])  # chapters after the last cue (e.g. an outro without speech)
    return blocks


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
    from ..urls import page_url_problem

    text = "" if value is None else str(value).strip()
    problem = page_url_problem(text) if text else None
    if problem:
        log.warning("dropped a URL from a page: %r %s", text[:80], problem)
        return "#"
    return text


def _finalize(value: object) -> object:
    """Every ``{{ … }}`` output: a text holding bidi embedding/override/isolate
    controls is balanced and isolated (``FSI … PDI``), so user text can never
    reorder the page around it -- in element text and in attributes alike."""
    if isinstance(value, str) and not isinstance(value, Markup):
        return isolate_bidi(value)
    return value


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
    from .. import langs

    return langs.native_name(lang)


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
        "skip": "Skip to the transcript",
        "languages": "Languages",
        "pseudo": "Pseudo-localization (a test build, not a translation).",
        "machine": "Machine translated with {engine}; may contain errors.",
        "unknown_engine": "an unnamed engine",
        "player": "Audio player",
        "download_audio": "Download the audio",
        "search_label": "Search the transcript",
        "search": "Search",
        "previous": "Previous match",
        "next": "Next match",
        "no_matches": "No matches",
        "match_of": "{i} of {n}",
        "follow": "Follow along",
        "share": "Link to current time",
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
        "episodes": "Episodes",
        "transcripts": "Transcripts",
        "episode": "Episode {n}",
        "season_episode": "Season {s}, episode {n}",
    },
    "es": {
        "skip": "Ir a la transcripción",
        "languages": "Idiomas",
        "pseudo": "Pseudolocalización (versión de prueba, no es una traducción).",
        "machine": "Traducción automática con {engine}; puede contener errores.",
        "unknown_engine": "un motor sin nombre",
        "player": "Reproductor de audio",
        "download_audio": "Descargar el audio",
        "search_label": "Buscar en la transcripción",
        "search": "Buscar",
        "previous": "Coincidencia anterior",
        "next": "Coincidencia siguiente",
        "no_matches": "Sin coincidencias",
        "match_of": "{i} de {n}",
        "follow": "Seguir el audio",
        "share": "Enlace al momento actual",
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
        "episodes": "Episodios",
        "transcripts": "Transcripciones",
        "episode": "Episodio {n}",
        "season_episode": "Temporada {s}, episodio {n}",
    },
    "fr": {
        "skip": "Aller à la transcription",
        "languages": "Langues",
        "pseudo": "Pseudo-localisation (version de test, pas une traduction).",
        "machine": "Traduction automatique par {engine} ; peut contenir des erreurs.",
        "unknown_engine": "un moteur sans nom",
        "player": "Lecteur audio",
        "download_audio": "Télécharger l’audio",
        "search_label": "Rechercher dans la transcription",
        "search": "Rechercher",
        "previous": "Résultat précédent",
        "next": "Résultat suivant",
        "no_matches": "Aucun résultat",
        "match_of": "{i} sur {n}",
        "follow": "Suivre la lecture",
        "share": "Lien vers l’instant actuel",
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
        "episodes": "Épisodes",
        "transcripts": "Transcriptions",
        "episode": "Épisode {n}",
        "season_episode": "Saison {s}, épisode {n}",
    },
    "de": {
        "skip": "Zum Transkript springen",
        "languages": "Sprachen",
        "pseudo": "Pseudolokalisierung (Testversion, keine Übersetzung).",
        "machine": "Maschinell übersetzt mit {engine}; kann Fehler enthalten.",
        "unknown_engine": "einer unbenannten Engine",
        "player": "Audioplayer",
        "download_audio": "Audio herunterladen",
        "search_label": "Im Transkript suchen",
        "search": "Suchen",
        "previous": "Vorheriger Treffer",
        "next": "Nächster Treffer",
        "no_matches": "Keine Treffer",
        "match_of": "{i} von {n}",
        "follow": "Mitlesen",
        "share": "Link zur aktuellen Stelle",
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
        "episodes": "Folgen",
        "transcripts": "Transkripte",
        "episode": "Folge {n}",
        "season_episode": "Staffel {s}, Folge {n}",
    },
}


def _ui(lang: str) -> tuple[dict[str, str], str]:
    """Interface strings for ``lang`` and the language they are in (English fallback)."""
    key = lang.split("-", 1)[0].lower()
    if key in _UI:
        return _UI[key], key
    return _UI["en"], "en"


# --------------------------------------------------------------------------- jinja2


def _render(show: Show, name: str, values: dict[str, object]) -> str:
    html = _environment(_override_dir(show)).get_template(name).render(values)
    # Deterministic, tidy output: no trailing spaces or tabs, exactly one final newline.  Split on
    # "\n" only (not str.splitlines): U+2028 and friends inside cue text are content, not lines.
    return "\n".join(line.rstrip(" \t\r") for line in html.split("\n")).strip("\n") + "\n"


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
    env.filters.update(clock=_clock, iso_duration=_iso_duration, url=_url, truncate_words=_truncate_words)
    return env


def _static(show: Show, name: str) -> Markup:
    """The page's CSS/JS, inlined (the show's templates/ folder may override them).

    Inlined rather than linked: every page is then one self-contained file that
    works wherever it is copied, and the output layout needs no extra folder.
    The text is ours (or the producer's), never episode content, and a
    ``</`` inside it (which would end the element early) is refused.
    """
    override = show.root / "templates" / name
    path = override if override.is_file() else _PACKAGE / "static" / name
    text = _read_static(str(path), path.stat().st_mtime_ns)
    if "</" in text:
        raise ConfigError(f"{name} must not contain '</' (it is inlined into <script>/<style>)", path=path)
    return Markup(text.strip("\n"))


@lru_cache(maxsize=16)
def _read_static(path: str, mtime_ns: int) -> str:
    return Path(path).read_text(encoding="utf-8")


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
