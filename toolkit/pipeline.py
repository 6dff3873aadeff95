"""The publishing pipeline: it only sequences the stages, each of which lives
in its own module and is tested on its own.

    config ─► ingest ─► timing ─► segment ─► translate ─► publish
                                               (review store)   (subtitles, feed, pages)

:func:`build_source` runs the stages that make the source-language cues;
:func:`publish_episode` and :func:`publish_show` add translation and writing,
holding the show's lock (:mod:`toolkit.lock`) while they do.  Everything
content-related is computed here, once — the translated cues, chapters and
episode texts, the show's texts in every language a page or feed shows — and
handed to the writers (:mod:`toolkit.publish.site`) as finished records
(:mod:`toolkit.build`); each configuration file is read once, and the
translation memory is opened once per publish.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from . import cache, config, fsutil, ingest, langs, segment, timing, translate
from .build import AlignmentReport, ChannelTexts, EpisodeResult, LanguageBuild, SourceBuild
from .errors import ConfigError, InputError, ToolkitError
from .formats import chapters_json
from .formats.limits import clip
from .lock import show_lock
from .model import Chapter, Episode, Show, Transcript
from .master import master_source
from .publish import site
from .review.store import save_store
from .translate import StoreWrites
from .translate.memory import PendingMemory, TranslationMemory, memory_path
from .translate.registry import engine_name_for

log = logging.getLogger(__name__)

__all__ = ["build_source", "publish_episode", "publish_one", "publish_show", "episode_show_texts",
           "show_texts", "SourceBuild", "LanguageBuild", "EpisodeResult", "EpisodeOutcome", "compute_episode",
           "commit_episode", "publish_loaded", "publishing", "targets_for"]

Progress = Callable[[str], None]
#: Everything the caches keep, relative to the show folder (regenerable: synced once per run or task).
CACHE_ROOT = Path(".toolkit") / "cache"


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
    report = AlignmentReport(method="none", note="published without a transcript")
    chapters: tuple[Chapter, ...] = ()
    if episode.chapters is not None:
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


@contextmanager
def publishing(show: Show, targets: Sequence[str]) -> Iterator[TranslationMemory | None]:
    """What a publish holds: the show's lock, the translation memory (once for
    the run) and deferred syncing of what can be regenerated -- ``feeds/`` and
    ``.toolkit/cache/`` get one sync at the end instead of an fsync per file;
    the translations stores and the memory stay durable write by write."""
    with show_lock(show.root), fsutil.deferred_sync(show.feeds_dir, show.root / CACHE_ROOT), \
            _memory_for(show, targets) as memory:
        yield memory


@contextmanager
def _memory_for(show: Show, targets: Sequence[str]) -> Iterator[TranslationMemory | None]:
    """The translation memory, opened once for the whole publish (None when
    nothing is translated: a show without targets never creates one)."""
    if not _translates(show, targets):
        yield None
        return
    with TranslationMemory(memory_path(show.root)) as tm:
        yield tm


def episode_show_texts(show: Show, result: EpisodeResult, memory: TranslationMemory | None = None) -> None:
    """Fill ``result.show_texts``: the show's texts in every language the
    episode's pages show (:func:`toolkit.publish.site.episode_text_languages`)."""
    for lang in site.episode_text_languages(show, result):
        result.show_texts[lang] = translate.translate_show_texts(show, lang, memory=memory)


def show_texts(show: Show, results: Sequence[EpisodeResult],
               memory: TranslationMemory | None = None) -> dict[str, ChannelTexts]:
    """The show's texts in every language of its feeds and show pages
    (:func:`toolkit.publish.site.show_text_languages`)."""
    return {lang: translate.translate_show_texts(show, lang, memory=memory)
            for lang in site.show_text_languages(show, results)}


def _build_episode(show: Show, episode: Episode, targets: Sequence[str], memory: TranslationMemory | None,
                   progress: Progress, stores: StoreWrites | None = None) -> EpisodeResult:
    """Build and translate one loaded episode: its finished records (no site file written)."""
    source = build_source(show, episode, progress)
    source = master_source(show, source, progress)  # opt-in ([audio]); the untouched source otherwise
    result = EpisodeResult(source)
    result.languages[source.transcript.language] = source.as_language(show)
    for lang in targets if episode.transcript is not None else ():
        if lang == source.transcript.language:
            continue  # an episode in a target language (episode.toml `language`) needs no translation into it
        result.languages[lang] = translate.translate_episode(show, source, lang, progress=progress, memory=memory,
                                                             stores=stores)
    # before anything is written: it is what can fail (a missing model)
    episode_show_texts(show, result, memory)
    return result


def publish_loaded(show: Show, episode: Episode, targets: Sequence[str], memory: TranslationMemory | None,
                   progress: Progress) -> EpisodeResult:
    """Build, translate and write one loaded episode (the caller holds the lock;
    also :mod:`toolkit.catalogue`'s serial path, ``--jobs 1``)."""
    result = _build_episode(show, episode, targets, memory, progress)
    result.written.extend(site.write_episode(show, result, progress=progress))
    return result


@dataclass
class EpisodeOutcome:
    """What one episode's task hands back to the coordinating process
    (:mod:`toolkit.catalogue`): the episode's records, the translation-memory
    entries and translations-store files it made, none of them written yet --
    or the one-line :class:`~toolkit.errors.ToolkitError` it failed with."""

    slug: str
    result: EpisodeResult | None = None
    #: ``(engine, src, tgt, ((model, source, target), …))``, in the order they were made
    memory: list[tuple[str, str, str, tuple[tuple[str, str, str], ...]]] = field(default_factory=list)
    stores: StoreWrites = field(default_factory=list)
    #: the episode's subtitle files and pages, rendered where the task ran
    files: site.EpisodeFiles | None = None
    error: str | None = None
    error_kind: str | None = None  # the error's class name, e.g. "InputError"


def compute_episode(show: Show, episode: Episode, targets: Sequence[str],
                    progress: Progress = _noop) -> EpisodeOutcome:
    """One episode as an independent task (a worker process runs it): build_source
    → master_source → translate_episode per language → the show texts its pages
    need → its subtitle files and pages rendered (:func:`toolkit.publish.site.render_episode`).
    It reads the translation memory (opened read-only) and the
    translations store, writes only caches keyed by their inputs
    (``.toolkit/cache/``: per episode, each file atomically), and leaves the
    memory, the stores and the site to :func:`commit_episode`.  ``progress`` gets
    the task's stages (``slug: what``): a worker sends them to the coordinator's
    progress view (:mod:`toolkit.catalogue`)."""
    memory = PendingMemory.for_task(memory_path(show.root)) if _translates(show, targets) else None
    stores: StoreWrites = []
    try:
        with fsutil.deferred_sync(show.root / CACHE_ROOT):  # the task's cache files: one sync at its end
            result = _build_episode(show, episode, targets, memory, progress, stores)
        # rendering is most of the site's CPU: done here, it uses every worker; the coordinator only writes
        progress(f"{episode.slug}: rendering subtitles and pages")
        files = site.render_episode(show, result)
    except ToolkitError as exc:
        return EpisodeOutcome(episode.slug, error=str(exc), error_kind=type(exc).__name__)
    finally:
        if memory is not None:
            memory.close()
    return EpisodeOutcome(episode.slug, result, list(memory.pending) if memory is not None else [], stores, files)


def commit_episode(show: Show, outcome: EpisodeOutcome, memory: TranslationMemory | None,
                   progress: Progress = _noop) -> EpisodeResult:
    """Write what :func:`compute_episode` made (the coordinating process, holding the lock):
    the translations stores, the memory entries, then the episode's files."""
    if outcome.result is None:
        raise ValueError(f"{outcome.slug}: a failed task has nothing to write")
    for path, store in outcome.stores:
        save_store(store, path)
    if memory is not None:
        for engine, src, tgt, triples in outcome.memory:
            memory.store_models(engine, src, tgt, triples)
    result = outcome.result
    result.written.extend(site.write_episode(show, result, rendered=outcome.files, progress=progress))
    return result


def _translates(show: Show, targets: Sequence[str]) -> bool:
    return any(lang != show.language for lang in targets)




def publish_episode(
    show: Show,
    slug: str,
    *,
    languages: Sequence[str] | None = None,
    progress: Progress = _noop,
) -> EpisodeResult:
    """Publish one episode's files into ``feeds/episodes/<slug>/``."""
    targets = targets_for(show, languages)
    with publishing(show, targets) as memory:
        return publish_loaded(show, config.load_episode(show, slug), targets, memory, progress)


def publish_one(
    show: Show,
    slug: str,
    *,
    languages: Sequence[str] | None = None,
    progress: Progress = _noop,
) -> EpisodeResult:
    """``toolkit publish episode <slug>``: the episode, then the show's feeds and
    pages refreshed (other episodes are listed from what is already published)."""
    targets = targets_for(show, languages)
    with publishing(show, targets) as memory:
        episode = config.load_episode(show, slug)
        # refuse a guid another published episode has *before* writing anything
        site.check_guid_free(show, episode)
        result = publish_loaded(show, episode, targets, memory, progress)
        site.write_show(show, [result], texts=show_texts(show, [result], memory), progress=progress)
    return result


def publish_show(
    show: Show,
    *,
    languages: Sequence[str] | None = None,
    progress: Progress = _noop,
) -> list[EpisodeResult]:
    """Publish every episode, then the feeds and the show page."""
    targets = targets_for(show, languages)
    with publishing(show, targets) as memory:
        results = [publish_loaded(show, episode, targets, memory, progress)
                   for episode in config.load_episodes(show)]
        site.write_show(show, results, texts=show_texts(show, results, memory), progress=progress)
    return results


def targets_for(show: Show, languages: Sequence[str] | None) -> tuple[str, ...]:
    if languages is None:
        return show.target_languages  # checked when show.toml was read (config.load_show)
    targets = tuple(langs.normalize(code, key="--lang") for code in languages)
    for code in targets:
        if not langs.is_pseudo(code) and engine_name_for(show, code) == "pseudo":
            raise ConfigError(f"--lang {code}: the pseudo engine would publish test text as "
                              f"{langs.english_name(code)}", path=show.config_path,
                              hint=f"pseudo-localization has its own code: --lang {langs.PSEUDO}")
    return targets
