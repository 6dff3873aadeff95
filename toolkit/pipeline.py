"""The publishing pipeline: it only sequences the stages, each of which lives
in its own module and is tested on its own.

    config ─► ingest ─► timing ─► segment ─► translate ─► publish
                                               (review store)   (subtitles, feed, pages)

:func:`build_source` runs the stages that make the source-language cues;
:func:`publish_episode` and :func:`publish_show` add translation and writing,
holding the show's lock (:mod:`toolkit.lock`) while they do.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from . import cache, config, ingest, segment, timing
from .formats.limits import clip
from .lock import show_lock
from .model import Chapter, Cue, Episode, Show, Transcript

log = logging.getLogger(__name__)

Progress = Callable[[str], None]


@dataclass(frozen=True)
class LanguageBuild:
    """The cues and chapters of one language of one episode, ready to write."""

    lang: str
    cues: tuple[Cue, ...]
    chapters: tuple[Chapter, ...]
    title: str
    description: str
    machine: bool = False  # True when any text is machine translated
    engine: str | None = None  # e.g. "apertium eng-spa 0.8.1" (for disclosure)
    pseudo: bool = False  # pseudo-localization, never presented as a translation
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class SourceBuild:
    """Everything the source-language stages produced for one episode."""

    episode: Episode
    transcript: Transcript
    audio: timing.AudioInfo
    alignment: timing.AlignmentReport
    cues: tuple[Cue, ...]
    qc: tuple[segment.QcIssue, ...]

    @property
    def chapters(self) -> tuple[Chapter, ...]:
        return self.transcript.chapters

    def as_language(self, show: Show) -> LanguageBuild:
        return LanguageBuild(
            lang=self.transcript.language,
            cues=self.cues,
            chapters=self.chapters,
            title=self.episode.title,
            description=self.episode.description,
        )


@dataclass
class EpisodeResult:
    source: SourceBuild
    languages: dict[str, LanguageBuild] = field(default_factory=dict)
    written: list[str] = field(default_factory=list)


def _noop(_: str) -> None:
    pass


def build_source(
    show: Show, episode: Episode, progress: Progress = _noop, *, use_cache: bool = True
) -> SourceBuild:
    """ingest → timing → segment for one episode (no output files written).

    The result is cached in ``<show root>/.toolkit/cache/source/`` under a
    digest of every input (:mod:`toolkit.cache`): an unchanged episode is
    neither re-read, nor re-aligned (no audio decode), nor re-segmented.
    ``use_cache=False`` builds from scratch and leaves the cache alone.
    """
    lang = episode.language or show.language
    if episode.transcript is None:
        return _audio_only(episode, lang, progress)
    key = cache.source_key(show, episode, lang) if use_cache else None
    if key is not None:
        hit = cache.load_source(show, episode, key)
        if hit is not None:
            progress(f"{episode.slug}: unchanged since the last build")
            log.debug("%s: source build from cache", episode.slug)
            _log_dropped(episode, hit.transcript)
            return SourceBuild(episode, hit.transcript, hit.audio, hit.alignment, hit.cues, hit.qc)
    progress(f"{episode.slug}: reading {episode.transcript.name}")
    transcript = ingest.read_transcript(
        episode.transcript,
        language=lang,
        speakers=episode.speaker_names(),
        drop_rules=show.drop_rules,
        encoding=episode.encoding,
    )
    _log_dropped(episode, transcript)
    progress(f"{episode.slug}: timing against {episode.audio.name}")
    info = timing.audio_info(episode.audio)
    ingest.check_speakable(transcript, episode.audio, info.duration_ms)
    # the audio analysis (decode, speech activity, features) and the aligner's
    # windows are cached by the audio's own hash: a transcript edit re-aligns
    # only the windows it touches, without decoding the audio again
    store = cache.audio_store(show, episode) if use_cache else None
    transcript, report = timing.time_transcript(transcript, episode.audio, info, store=store)
    progress(f"{episode.slug}: segmenting")
    cues = segment.segment(transcript, slug=episode.slug)
    qc = tuple(segment.check(cues, lang=lang))
    if key is not None:
        cache.save_source(show, episode, key, cache.CachedSource(transcript, info, report, cues, qc))
    return SourceBuild(episode, transcript, info, report, cues, qc)


def _audio_only(episode: Episode, lang: str, progress: Progress) -> SourceBuild:
    """The source build of an episode without a transcript (``transcript = false``):
    the audio's metadata only; no cues, no chapters, no transcript files."""
    progress(f"{episode.slug}: no transcript; reading {episode.audio.name}")
    info = timing.audio_info(episode.audio)
    report = timing.AlignmentReport(method="none", note="published without a transcript")
    chapters: tuple[Chapter, ...] = ()
    if episode.chapters is not None:
        from .errors import InputError
        from .formats import chapters_json

        try:
            parsed = chapters_json.parse(episode.chapters.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError, InputError) as exc:
            raise InputError(f"not valid JSON chapters: {exc}", path=episode.chapters) from None
        chapters = tuple(Chapter(c.title, c.start) for c in sorted(parsed, key=lambda c: c.start))
    return SourceBuild(episode, Transcript(language=lang, turns=(), chapters=chapters), info, report, (), ())


def _log_dropped(episode: Episode, transcript: Transcript) -> None:
    if transcript.encoding and episode.transcript is not None:
        log.info("%s: read as %s", episode.transcript, transcript.encoding)
    for dropped in transcript.dropped:
        log.info("%s:%d: dropped (%s): %s", episode.transcript, dropped.line, clip(dropped.rule, 80),
                 clip(dropped.text, 160))


def publish_episode(
    show: Show,
    slug: str,
    *,
    languages: Sequence[str] | None = None,
    progress: Progress = _noop,
) -> EpisodeResult:
    """Publish one episode's files into ``feeds/episodes/<slug>/``."""
    from .publish import site

    with show_lock(show.root):
        episode = config.load_episode(show, slug)
        source = build_source(show, episode, progress)
        from .master import master_source  # opt-in ([audio]); the untouched source otherwise

        source = master_source(show, source, progress)
        result = EpisodeResult(source)
        result.languages[source.transcript.language] = source.as_language(show)
        for lang in _targets(show, languages) if episode.transcript is not None else ():
            if lang == source.transcript.language:
                continue  # an episode in a target language (episode.toml `language`) needs no translation into it
            result.languages[lang] = _translate(show, source, lang, progress)
        result.written.extend(site.write_episode(show, result, progress=progress))
    return result


def publish_one(
    show: Show,
    slug: str,
    *,
    languages: Sequence[str] | None = None,
    progress: Progress = _noop,
) -> EpisodeResult:
    """``toolkit publish episode <slug>``: the episode, then the show's feeds and
    pages refreshed (other episodes are listed from what is already published)."""
    from .publish import site

    with show_lock(show.root):
        # refuse a guid another published episode has *before* writing anything
        site.check_guid_free(show, config.load_episode(show, slug))
        result = publish_episode(show, slug, languages=languages, progress=progress)
        site.write_show(show, [result], progress=progress)
    return result


def publish_show(
    show: Show,
    *,
    languages: Sequence[str] | None = None,
    progress: Progress = _noop,
) -> list[EpisodeResult]:
    """Publish every episode, then the feeds and the show page."""
    from .publish import site

    with show_lock(show.root):
        results = [
            publish_episode(show, ep.slug, languages=languages, progress=progress)
            for ep in config.load_episodes(show)
        ]
        site.write_show(show, results, progress=progress)
    return results


def _targets(show: Show, languages: Sequence[str] | None) -> tuple[str, ...]:
    from . import langs

    if languages is None:
        return show.target_languages
    return tuple(langs.normalize(code, key="--lang") for code in languages)


def _translate(show: Show, source: SourceBuild, lang: str, progress: Progress) -> LanguageBuild:
    from . import translate

    return translate.translate_episode(show, source, lang, progress=progress)
