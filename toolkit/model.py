"""The one small typed model every pipeline stage shares.

Times are integer milliseconds everywhere.  Objects are frozen: a stage returns
new objects instead of mutating the ones it was given.

    Show ─┬─ Episode ─ Transcript ─┬─ Turn ─ Sentence (─ Word)
          │                        └─ Chapter
          └─ (publish) ─ Cue

* A :class:`Transcript` is what ingest produces: speaker turns made of
  sentences, plus chapter marks.  Sentences may be untimed (``start is None``)
  until the timing stage aligns them to the audio.
* A :class:`Cue` is one subtitle: at most two display lines, one speaker, one
  chapter, with a stable :attr:`Cue.id` derived from its text (see
  :func:`toolkit.segment.segment`).  ``sentences`` names the sentences whose
  text the cue shows, which is what translation uses to map whole translated
  sentences back onto cues.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from pathlib import Path

__all__ = [
    "Word",
    "Sentence",
    "Turn",
    "Chapter",
    "DroppedLine",
    "Transcript",
    "Cue",
    "Person",
    "Category",
    "Episode",
    "Show",
    "replace",
]


@dataclass(frozen=True, slots=True)
class Word:
    """A word with its own timing (from Whisper ``words[]``, or from the aligner)."""

    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence of speech.

    ``start``/``end`` are ``None`` for untimed input until the timing stage
    fills them in; a sentence with a ``start`` but no ``end`` is an *anchor*
    (a turn stamp of the transcript: the aligner keeps its start).  ``confidence`` is the alignment confidence in [0, 1]
    (1.0 for input that came with its own timings).  ``line`` is the 1-based
    line of the source file the sentence came from (for error messages).
    """

    text: str
    start: int | None = None
    end: int | None = None
    confidence: float = 1.0
    words: tuple[Word, ...] = ()
    line: int | None = None

    @property
    def timed(self) -> bool:
        return self.start is not None and self.end is not None


@dataclass(frozen=True, slots=True)
class Turn:
    """One paragraph spoken by one speaker.

    ``speaker`` is the display name (already mapped through the episode's
    ``speakers`` table) or ``None`` when unknown.  ``chapter`` is the index in
    :attr:`Transcript.chapters` of the chapter this turn belongs to, or ``None``
    before the first chapter heading.
    """

    speaker: str | None
    sentences: tuple[Sentence, ...]
    chapter: int | None = None


@dataclass(frozen=True, slots=True)
class Chapter:
    """A chapter mark; ``start`` is ``None`` until timing places it."""

    title: str
    start: int | None = None
    line: int | None = None


@dataclass(frozen=True, slots=True)
class DroppedLine:
    """A source line ingest dropped as non-speech (reported, never silent)."""

    line: int
    text: str
    rule: str


@dataclass(frozen=True, slots=True)
class Transcript:
    """The ingested transcript of one episode in its source language."""

    language: str
    turns: tuple[Turn, ...]
    chapters: tuple[Chapter, ...] = ()
    source: Path | None = None
    dropped: tuple[DroppedLine, ...] = ()
    encoding: str | None = None  # how the file was decoded, when not plain UTF-8 ("Windows-1252 (detected)")

    @property
    def sentences(self) -> tuple[Sentence, ...]:
        """All sentences in order (the global sentence index used by cues)."""
        return tuple(s for t in self.turns for s in t.sentences)

    @property
    def timed(self) -> bool:
        return all(s.timed for s in self.sentences)

    @property
    def end(self) -> int:
        """End of the last timed sentence (0 when untimed or empty)."""
        ends = [s.end for s in self.sentences if s.end is not None]
        return max(ends, default=0)


@dataclass(frozen=True, slots=True)
class Cue:
    """One subtitle cue.

    ``lines`` are plain display text (never escaped; writers escape).
    ``speaker_change`` is true on the first cue of a turn whose speaker differs
    from the previous cue's.  ``sentences`` are global indices into
    :attr:`Transcript.sentences` of the sentences this cue shows (wholly or in
    part).  ``confidence`` is the lowest alignment confidence of those
    sentences.  ``sentence_starts[k]`` is when sentence ``sentences[k]``
    starts being spoken in this cue (a sentence that starts inside a cue keeps
    its own time); ``words`` are the cue's words with their own times when an
    aligner or the input gave them (see :attr:`word_timings`).
    """

    id: str
    start: int
    end: int
    lines: tuple[str, ...]
    speaker: str | None = None
    speaker_change: bool = False
    chapter: int | None = None
    sentences: tuple[int, ...] = ()
    confidence: float = 1.0
    sentence_starts: tuple[int, ...] = ()
    words: tuple[Word, ...] = ()

    @property
    def text(self) -> str:
        """The cue's text on one line."""
        return " ".join(self.lines)

    @property
    def word_timings(self) -> tuple[Word, ...]:
        """:attr:`words` when they spell this cue's text, else ``()`` (a translated
        cue keeps the source cue's times but not its words)."""
        if self.words and " ".join(w.text for w in self.words) == " ".join(self.text.split()):
            return self.words
        return ()

    @property
    def duration(self) -> int:
        return self.end - self.start


@dataclass(frozen=True, slots=True)
class Glossary:
    """The show's glossary (``[translation.glossary]`` in show.toml).

    ``keep``: terms never translated; ``forced``: per target language, terms
    with a fixed translation (``(term, translation)`` pairs);
    ``protect_names``: the show title and each episode's speaker names and
    display names are kept too (the default).
    """

    keep: tuple[str, ...] = ()
    forced: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()  # (lang, ((term, translation), …))
    protect_names: bool = True

    def forced_for(self, lang: str) -> tuple[tuple[str, str], ...]:
        """The forced translations for ``lang`` (its base language's when it has none of its own)."""
        table = dict(self.forced)
        if lang in table:
            return table[lang]
        return table.get(lang.split("-", 1)[0], ())


@dataclass(frozen=True, slots=True)
class Person:
    """A speaker or host; ``role``/``group`` follow the podcast taxonomy."""

    name: str
    role: str = "guest"
    group: str = "cast"
    href: str | None = None
    img: str | None = None


@dataclass(frozen=True, slots=True)
class Category:
    """An Apple Podcasts category with an optional sub-category."""

    name: str
    sub: str | None = None


@dataclass(frozen=True, slots=True)
class Episode:
    """One episode folder ``episodes/<slug>/`` and its ``episode.toml``."""

    slug: str
    title: str
    date: dt.datetime
    description: str
    audio: Path
    transcript: Path | None  # None: an episode published without a transcript (audio only)
    folder: Path
    number: int | None = None
    season: int | None = None
    explicit: bool = False
    episode_type: str = "full"
    speakers: dict[str, Person] = field(default_factory=dict)
    image: Path | None = None
    guid: str | None = None
    language: str | None = None  # defaults to the show's language
    encoding: str | None = None  # the transcript's codec when it cannot be detected ("cp1252")
    chapters: Path | None = None  # JSON chapters of an episode without a transcript (episode.toml `chapters`)

    def speaker_names(self) -> dict[str, str]:
        """Transcript label → display name."""
        return {label: p.name for label, p in self.speakers.items()}


@dataclass(frozen=True, slots=True)
class Show:
    """The show: ``show.toml`` at the show root."""

    root: Path
    title: str
    description: str
    author: str
    owner_name: str
    owner_email: str
    base_url: str
    language: str
    categories: tuple[Category, ...]
    image: Path
    explicit: bool = False
    show_type: str = "episodic"
    link: str | None = None
    copyright: str | None = None
    locked: bool = True
    target_languages: tuple[str, ...] = ()
    engines: dict[str, str] = field(default_factory=dict)  # lang (or "default") → engine name
    glossary: Glossary = field(default_factory=Glossary)
    #: list the pseudo-localization (``qps-ploc``) in language switchers and feeds, as a test build
    #: (show.toml ``[translation] offer_pseudo``); by default it is published but offered nowhere
    offer_pseudo: bool = False
    drop_rules: tuple[str, ...] | None = None  # None = the built-in boilerplate rules
    guid: str | None = None  # podcast:guid override (set once, never change)
    config_path: Path | None = None
    assets: Path | None = None  # shared folder episodes may take files from (show.toml ``assets``)
    scheduler: str | None = None  # a Dask scheduler to publish on (show.toml ``[cluster] scheduler``)

    @property
    def episodes_dir(self) -> Path:
        return self.root / "episodes"

    @property
    def feeds_dir(self) -> Path:
        return self.root / "feeds"

    @property
    def translations_dir(self) -> Path:
        return self.root / "translations"
