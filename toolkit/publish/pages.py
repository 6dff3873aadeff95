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
putting a file of the same name in ``<show root>/templates/``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..model import Episode, Show

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
    image_url: str | None = None  # absolute (og:image) and shown as the cover
    machine: bool = False  # title/description machine translated
    engine: str | None = None
    pseudo: bool = False
    extra: dict[str, str] = field(default_factory=dict)  # free values for overriding templates


PARAGRAPH_PAUSE_MS = 2000
"""Without turn information a pause this long starts a new paragraph."""


def render_episode_page(ctx: EpisodePageContext) -> str:
    """Render the interactive transcript page of one episode in one language."""
    raise NotImplementedError


def render_show_page(ctx: ShowPageContext) -> str:
    """Render the show page (episode list, feeds, language switcher)."""
    raise NotImplementedError


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
