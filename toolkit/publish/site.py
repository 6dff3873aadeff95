"""The site writer: what ``feeds/`` holds and who writes it (names, paths and
types: :mod:`toolkit.publish.layout`).

::

    feeds/
      feed.xml                      main feed (audio language)          write_show
      <lang>/feed.xml               companion feed per target language  write_show
      index.html                    show page                           write_show
      <lang>/index.html             show page in a target language      write_show
      <cover image>                 the show's image, same file name    write_show
      favicon.ico, apple-touch-icon.png   icons made from the cover     write_show
      episodes/<slug>/
        <audio file>                the enclosure (copied)              write_episode
        <episode image>             when episode.toml names one         write_episode
        episode.json                the episode's manifest              write_episode
        <lang>/index.html           transcript page                     write_episode
        <lang>/transcript.{vtt,srt,json}, chapters.json                 write_episode

Every URL is ``show.base_url + "/" + <path under feeds/>``
(:func:`toolkit.publish.layout.url_for`).

**Manifests.** :func:`write_episode` records everything the feeds and the show
page need of an episode in ``feeds/episodes/<slug>/episode.json`` (an
:class:`~toolkit.publish.feed.EpisodeEntry`).  :func:`write_show` builds the
feeds and the show page from the manifests of *all* published episodes, so
``toolkit publish episode <slug>`` rebuilds one episode and still lists every
other one, without re-reading any transcript or audio.  An episode is listed
while ``episodes/<slug>/episode.toml`` exists.

**Stale files.** What the site writer published and no longer publishes is
removed, and each removal is listed (a warning):

* an episode whose folder is gone loses ``feeds/episodes/<slug>/``
  (:func:`remove_gone_episodes`; only a folder holding the writer's manifest);
* within an episode, what its previous manifest says was published there: a
  language no longer published loses its ``<lang>/`` folder, a renamed audio or
  image file loses the old copy;
* a feed or show page of a target language dropped from the whole show
  (``feeds/<lang>/feed.xml``, ``index.html``: the files the last run recorded).

Nothing else under ``feeds/`` is ever deleted.

**Incremental.** Every file goes through :mod:`toolkit.fsutil`, which leaves a
file with identical content untouched, so a rebuild rewrites only what changed.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import os
import shutil
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from .. import fsutil, langs
from ..build import ChannelTexts, EpisodeResult, LanguageBuild
from ..cache import keys, stamps
from ..config import EPISODE_FILE, check_unique_guids
from ..digest import file_sha256, stat_identity
from ..errors import ConfigError
from ..formats import json_text
from ..images import image_problems
from ..model import Episode, Person, Show
from . import feed as feedmod
from . import pages, subtitles
from .feed import EpisodeEntry, LanguageEntry
from .layout import (
    APPLE_ENCLOSURE_TYPES,
    CHAPTERS_FILE,
    EPISODES_DIR,
    FAVICON,
    MANIFEST,
    PAGE_FILE,
    TOUCH_ICON,
    enclosure_type,
    episode_file_path,
    feed_path,
    show_page_path,
    url_for,
)

log = logging.getLogger(__name__)

__all__ = [
    "MANIFEST",
    "write_episode",
    "render_episode",
    "EpisodeFiles",
    "write_show",
    "entry_from_result",
    "load_entries",
    "episode_text_languages",
    "show_text_languages",
    "vtt_notes",
    "enclosure_type",
]


Progress = Callable[[str], None]


def _noop(_: str) -> None:
    pass


# ---------------------------------------------------------------- helpers

def vtt_notes(build: LanguageBuild, source_lang: str) -> tuple[str, ...]:
    """The disclosure ``NOTE`` lines of a language's VTT (empty for human text)."""
    if build.pseudo:
        return (
            "Pseudo-localization, not a translation: the source text with accented letters, "
            "lengthened and bracketed, to test layouts and subtitle lengths.",
        )
    if build.machine:
        engine = build.engine or "an unnamed engine"
        return (
            f"Machine translation from {langs.english_name(source_lang)} by {engine}; "
            "it may contain errors.",
        )
    return ()


def _persons(episode: Episode) -> tuple[Person, ...]:
    seen: set[str] = set()
    people = []
    for person in episode.speakers.values():
        if person.name in seen:  # two transcript labels may map to one person
            continue
        seen.add(person.name)
        people.append(person)
    return tuple(people)


def entry_from_result(show: Show, result: EpisodeResult, *, audio_size: int | None = None) -> EpisodeEntry:
    """The manifest of a freshly built episode (no I/O unless ``audio_size`` is None)."""
    source = result.source
    episode = source.episode
    if audio_size is None:
        audio_size = episode.audio.stat().st_size
    lang_entries = []
    for build in result.languages.values():
        lang_entries.append(LanguageEntry(
            lang=build.lang,
            title=feedmod.clean_text(build.title),
            description=feedmod.clean_text(build.description),
            machine=build.machine,
            engine=build.engine,
            pseudo=build.pseudo,
            has_chapters=bool(build.chapters),
        ))
    return EpisodeEntry(
        slug=episode.slug,
        guid=episode.guid,
        date=episode.date,
        language=source.transcript.language,
        languages=tuple(lang_entries),
        audio_file=episode.audio.name,
        audio_size=audio_size,
        audio_mime=enclosure_type(source.audio.mime),
        duration_ms=source.audio.duration_ms,
        number=episode.number,
        season=episode.season,
        episode_type=episode.episode_type,
        explicit=episode.explicit,
        image_file=episode.image.name if episode.image else None,
        persons=_persons(episode),
        has_transcript=episode.transcript is not None,
    )


def _manifest_bytes(entry: EpisodeEntry) -> bytes:
    return (json_text.dumps(entry.to_json(), ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def _read_manifest(path: str | Path, st: os.stat_result | None = None) -> EpisodeEntry | None:
    """The manifest at ``path`` (None when missing or unreadable; ``st``: its ``stat`` when the
    caller has it).  Parsed entries are remembered per file version
    (:func:`toolkit.digest.stat_identity`): a publish reads every manifest twice (the show
    texts' languages, then the feeds)."""
    if st is None:
        try:
            st = os.stat(path)
        except FileNotFoundError:
            return None
    identity = (os.fspath(path), *stat_identity(st))
    entry = _manifests.get(identity)
    if entry is None:
        entry = _parse_manifest(Path(path))
        if entry is not None:
            if len(_manifests) >= _MANIFESTS_KEPT:
                _manifests.clear()
            _manifests[identity] = entry
    return entry


#: Parsed manifests by file identity (see :func:`_read_manifest`); frozen values, so sharing is safe.
_manifests: dict[tuple[str | int, ...], EpisodeEntry] = {}
_MANIFESTS_KEPT = 1 << 15


def _parse_manifest(path: Path) -> EpisodeEntry | None:
    try:
        return EpisodeEntry.from_json(json.loads(path.read_text(encoding="utf-8")))
    except FileNotFoundError:
        return None
    except (ValueError, KeyError, TypeError) as exc:
        # A manifest is our own output: a broken one (hand edit, disk trouble) is
        # rebuilt by publishing the episode again, so say that instead of failing.
        log.warning("%s: unreadable manifest (%s); publish the episode again", path, exc)
        return None


def check_image(show: Show) -> None:
    """Raise :class:`ConfigError` when the show's cover is not one Apple accepts."""
    problems = image_problems(show.image)
    if problems:
        raise ConfigError(f"image: {show.image.name}: {problems[0]}", path=show.config_path or show.root,
                          hint="a square JPEG or PNG of 1400–3000 px, RGB")


def check_episode_image(episode: Episode) -> None:
    """Raise :class:`ConfigError` when the episode's own artwork is not a JPEG/PNG
    Apple accepts (checked by content, before anything is copied)."""
    if episode.image is None:
        return
    problems = image_problems(episode.image)
    if problems:
        raise ConfigError(f"image: {episode.image.name}: {problems[0]}", path=episode.folder / EPISODE_FILE,
                          hint="a square JPEG or PNG of 1400–3000 px, RGB")


# ---------------------------------------------------------------- one episode

def offered(show: Show, pseudo: bool, *, on_pseudo_page: bool = False) -> bool:
    """Whether a language (``pseudo``: the pseudo-localization) is offered in a
    language switcher, a feed list or a feed: a real one always; the pseudo
    build only where the show asks for it (``[translation] offer_pseudo``) or
    on the pseudo pages themselves (the producer checking the layout)."""
    return not pseudo or show.offer_pseudo or on_pseudo_page


def _relative_lang_links(show: Show, slug: str, builds: Iterable[LanguageBuild],
                         from_lang: str) -> tuple[pages.LanguageLink, ...]:
    builds = list(builds)
    here = next((b for b in builds if b.lang == from_lang), None)
    on_pseudo = here is not None and here.pseudo
    links = []
    for build in builds:
        if not offered(show, build.pseudo, on_pseudo_page=on_pseudo):
            continue
        rel = PAGE_FILE if build.lang == from_lang else f"../{build.lang}/{PAGE_FILE}"
        links.append(pages.LanguageLink(
            lang=build.lang,
            name=langs.native_name(build.lang),
            url=rel,
            absolute_url=url_for(show, episode_file_path(slug, build.lang, PAGE_FILE)),
            machine=build.machine,
            pseudo=build.pseudo,
        ))
    return tuple(links)


def _feed_link(show: Show, lang: str, title: str) -> pages.FeedLink:
    path = feed_path(None if lang == show.language else lang)
    return pages.FeedLink(lang=lang, name=langs.native_name(lang), url=url_for(show, path), title=title)


def _chrome_language(show: Show, result: EpisodeResult) -> Callable[[str], str]:
    """The language of the show texts, feed and show page an episode page in
    ``lang`` links to.  Show texts in another language are translations: only
    for the languages translated (they have companion feeds).  An episode in its
    own language (episode.toml `language`) that nobody asked to translate shows
    the show's own texts and links to the main feed and show page."""
    companions = {b.lang for b in list(result.languages.values())[1:]}

    def chrome(lang: str) -> str:
        return lang if lang == show.language or lang in companions else show.language

    return chrome


def episode_text_languages(show: Show, result: EpisodeResult) -> tuple[str, ...]:
    """The languages of the show texts :func:`write_episode` needs in
    ``result.show_texts`` (the pipeline translates them before writing)."""
    chrome = _chrome_language(show, result)
    return tuple(dict.fromkeys(chrome(lang) for lang in result.languages))


@dataclass(frozen=True)
class EpisodeFiles:
    """An episode's rendered files, made where its task ran (a worker process:
    :func:`render_episode`) and written by :func:`write_episode` in the
    coordinating process.  ``digest`` is what they were rendered from
    (:data:`toolkit.cache.keys.EPISODE_PAGES`); ``files`` are ``(path under
    feeds/episodes/<slug>/, bytes)`` in writing order, or None when the
    published files were already current (nothing rendered)."""

    digest: str
    files: tuple[tuple[str, bytes], ...] | None
    #: the manifest entry they were rendered with (its audio size is the source's at that time)
    entry: EpisodeEntry


@dataclass(frozen=True)
class _Plan:
    """What rendering and writing an episode both start from."""

    entry: EpisodeEntry
    texts_by_lang: dict[str, ChannelTexts]
    turn_starts: frozenset[int]
    digest: str


def _plan(show: Show, result: EpisodeResult, audio_size: int) -> _Plan:
    chrome = _chrome_language(show, result)
    texts_by_lang = {b.lang: _texts(result.show_texts, chrome(b.lang)) for b in result.languages.values()}
    entry = entry_from_result(show, result, audio_size=audio_size)
    turn_starts = pages.turn_starts([len(t.sentences) for t in result.source.transcript.turns])
    return _Plan(entry, texts_by_lang, turn_starts, _episode_digest(show, result, entry, texts_by_lang, turn_starts))


def _is_current(show: Show, slug: str, digest: str) -> bool:
    folder = show.feeds_dir / EPISODES_DIR / slug
    return (folder / MANIFEST).is_file() and stamps.outputs_current(
        stamps.episode_stamp_path(show.root, slug), digest, folder)


def render_episode(show: Show, result: EpisodeResult) -> EpisodeFiles:
    """Render an episode's subtitle files and transcript pages without writing
    anything (a worker process runs this after building the episode, so the
    rendering of a catalogue uses every core; :func:`write_episode` writes the
    bytes).  Nothing is rendered when the published files are current."""
    plan = _plan(show, result, result.source.episode.audio.stat().st_size)  # the copy has the source's size
    if _is_current(show, result.source.episode.slug, plan.digest):
        return EpisodeFiles(plan.digest, None, plan.entry)
    return EpisodeFiles(plan.digest, tuple(_render_files(show, result, plan)), plan.entry)


def _render_files(show: Show, result: EpisodeResult, plan: _Plan) -> Iterable[tuple[str, bytes]]:
    source = result.source
    episode = source.episode
    slug = episode.slug
    entry = plan.entry
    builds = list(result.languages.values())
    chrome = _chrome_language(show, result)
    source_lang = source.transcript.language
    image_abs = url_for(show, episode_file_path(slug, episode.image.name)) if episode.image \
        else url_for(show, show.image.name)
    out: list[tuple[str, bytes]] = []
    for build in builds:
        texts = plan.texts_by_lang[build.lang]
        if entry.has_transcript:
            for name, text in subtitles.render_subtitles(
                build.cues, build.chapters, notes=vtt_notes(build, source_lang), lang=build.lang,
                title=feedmod.clean_text(build.title), podcast_name=feedmod.clean_text(texts.title),
            ):
                out.append((f"{build.lang}/{name}", text.encode("utf-8")))
        elif build.chapters:  # audio only, with chapters of its own
            out.append((f"{build.lang}/{CHAPTERS_FILE}", subtitles.to_chapters_json(
                build.chapters, title=feedmod.clean_text(build.title),
                podcast_name=feedmod.clean_text(texts.title)).encode("utf-8")))
        ctx = pages.EpisodePageContext(
            show=show,
            episode=episode,
            build=build,
            audio_url="../" + quote(episode.audio.name),
            audio_mime=entry.audio_mime,
            duration_ms=entry.duration_ms,
            chapters_url=CHAPTERS_FILE if build.chapters else None,
            languages=_relative_lang_links(show, slug, builds, build.lang),
            canonical_url=url_for(show, episode_file_path(slug, build.lang, PAGE_FILE)),
            image_url=image_abs,
            audio_absolute_url=url_for(show, episode_file_path(slug, episode.audio.name)),
            feed=_feed_link(show, chrome(build.lang), texts.title),
            show_url="../../../" + show_page_path(None if chrome(build.lang) == show.language else build.lang),
            show_title=texts.title,
            turn_starts=plan.turn_starts,
            sentences=source.transcript.sentences if build.lang == source_lang else None,
            icon_url="../../../" + FAVICON,
            touch_icon_url="../../../" + TOUCH_ICON,
        )
        out.append((f"{build.lang}/{PAGE_FILE}", pages.render_episode_page(ctx).encode("utf-8")))
    return out


def write_episode(show: Show, result: EpisodeResult, *, rendered: EpisodeFiles | None = None,
                  progress: Progress = _noop) -> list[str]:
    """Write ``feeds/episodes/<slug>/``: the audio, per language the subtitle
    files and the transcript page, and the manifest.

    ``result`` is finished: its languages' cues and texts, and the show's
    texts in every language of :func:`episode_text_languages`
    (``result.show_texts``).  ``rendered`` is what :func:`render_episode` made
    of this same ``result`` where its task ran: its digest is trusted (not
    recomputed here -- that would hash every episode's audio again in the one
    coordinating process) unless the audio copied now is not the size it was
    rendered with, and then everything is planned and rendered again here.
    Returns the paths of the files that changed (unchanged files are not
    rewritten).
    """
    source = result.source
    episode = source.episode
    slug = episode.slug
    folder = show.feeds_dir / EPISODES_DIR / slug
    check_image(show)
    check_episode_image(episode)  # by content, before the audio or the image is copied
    previous = _read_manifest(folder / MANIFEST)
    new = previous is None and not folder.exists()  # a first publish: nothing there to compare with
    changed: list[str] = []

    def note(path: Path, did_change: bool) -> None:
        if did_change:
            changed.append(str(path))

    progress(f"{slug}: copying {episode.audio.name}")
    audio_dst = folder / episode.audio.name
    note(audio_dst, fsutil.copy_file(episode.audio, audio_dst))
    if episode.image is not None:
        image_dst = folder / episode.image.name
        note(image_dst, fsutil.copy_file(episode.image, image_dst))
    audio_size = audio_dst.stat().st_size
    plan: _Plan | None = None
    if rendered is not None and rendered.entry.audio_size == audio_size:
        entry, digest, files = rendered.entry, rendered.digest, rendered.files
    else:
        plan = _plan(show, result, audio_size)
        entry, digest, files = plan.entry, plan.digest, None
    if entry.audio_mime not in APPLE_ENCLOSURE_TYPES:
        log.warning("%s: audio type %s is not one Apple Podcasts accepts (use MP3 or M4A)",
                    episode.audio, entry.audio_mime)
    stamp_path = stamps.episode_stamp_path(show.root, slug)
    if previous is not None and stamps.outputs_current(stamp_path, digest, folder):
        log.info("%s: unchanged since the last publish; nothing rewritten", slug)
        return changed
    if files is None:
        progress(f"{slug}: rendering {len(result.languages)} language(s)")
        plan = plan or _plan(show, result, audio_size)
        digest = plan.digest
        files = tuple(_render_files(show, result, plan))
    progress(f"{slug}: writing {len(result.languages)} language(s)")
    sizes = {episode.audio.name: audio_size}
    if episode.image is not None:
        sizes[episode.image.name] = (folder / episode.image.name).stat().st_size
    for name, data in files:
        path = folder / name
        note(path, fsutil.write_bytes(path, data, new=new))
        sizes[name] = len(data)
    if previous is not None:
        _remove_stale(folder, previous, entry)
    manifest = folder / MANIFEST
    manifest_bytes = _manifest_bytes(entry)
    note(manifest, fsutil.write_bytes(manifest, manifest_bytes, new=new))
    sizes[MANIFEST] = len(manifest_bytes)
    stamps.save_sizes(stamp_path, digest, sizes)
    return changed


# --------------------------------------------------------------------------- skipping unchanged episodes
def _texts(texts: Mapping[str, ChannelTexts], lang: str) -> ChannelTexts:
    try:
        return texts[lang]
    except KeyError:
        raise ValueError(f"the show's texts in {lang!r} were not prepared (toolkit.pipeline translates them "
                         "before the writers run)") from None


def _episode_digest(show: Show, result: EpisodeResult, entry: EpisodeEntry,
                    texts_by_lang: dict[str, ChannelTexts], turn_starts: object) -> str:
    """A digest of everything ``write_episode`` writes from: the show's
    config file and template overrides, the episode's manifest entry, every
    language's cues, chapters, titles and show texts, the audio and image bytes,
    and the writers' code.  Equal digest + files present ⇒ the outputs would be
    byte-identical, so they are not rendered again (:data:`toolkit.cache.keys.EPISODE_PAGES`)."""
    source = result.source
    episode = source.episode
    langs_part = []
    for build in result.languages.values():
        texts = texts_by_lang[build.lang]
        langs_part.append([
            build.lang, build.title, build.description, build.machine, build.engine, build.pseudo,
            [[c.id, c.start, c.end, list(c.lines), c.speaker, c.speaker_change, c.chapter] for c in build.cues],
            [[c.title, c.start] for c in build.chapters],
            [texts.title, texts.description, texts.machine, texts.engine, texts.pseudo],
        ])
    return keys.EPISODE_PAGES.key(
        show_config=keys.config_identity(show.config_path),
        show_image=show.image.name,
        templates=keys.folder_identity(show.root / "templates"),
        entry=entry.to_json(),
        source_language=source.transcript.language,
        turn_starts=repr(turn_starts),
        words=_words_digest(source.transcript.sentences),
        languages=langs_part,
        audio=keys.file_identity(episode.audio),
        image=keys.file_identity(episode.image),
        offer_pseudo=show.offer_pseudo,
    )


def _words_digest(sentences: Sequence[Any]) -> str:
    """The word timings the source page shows (data-w): a change must re-render it."""
    if not any(s.words for s in sentences):
        return ""
    return keys.digest_json([[s.start, s.end, [[w.text, w.start, w.end] for w in s.words]] for s in sentences])


def _remove_stale(folder: Path, previous: EpisodeEntry, current: EpisodeEntry) -> None:
    """Delete what the previous manifest published and the current one does not
    (only inside ``folder``; see the module docstring)."""
    keep_langs = {x.lang for x in current.languages}
    for old in previous.languages:
        target = folder / old.lang
        if old.lang not in keep_langs and target.is_dir() and target.parent == folder:
            log.info("%s: %s is no longer published; removing %s", current.slug, old.lang, target)
            shutil.rmtree(target)
    keep_files = {current.audio_file, current.image_file, MANIFEST}
    for name in (previous.audio_file, previous.image_file):
        if name and name not in keep_files and "/" not in name:
            target = folder / name
            if target.is_file():
                log.info("%s: removing replaced file %s", current.slug, target)
                target.unlink()


# ---------------------------------------------------------------- the show

def load_entries(show: Show, fresh: Sequence[EpisodeEntry] = ()) -> list[EpisodeEntry]:
    """Manifests of every listed episode (``fresh`` ones win), oldest first.

    Raises :class:`ConfigError` when two episodes share a guid.
    """
    by_slug = dict(_published(show))
    for entry in fresh:
        by_slug[entry.slug] = entry
    entries = sorted(by_slug.values(), key=lambda e: (e.date, e.slug))
    check_unique_guids(show, ((e.slug, e.guid) for e in entries))
    return entries


def _published(show: Show, *, skip: str | None = None, quiet: bool = False) -> Iterator[tuple[str, EpisodeEntry]]:
    """``(slug, manifest entry)`` of every published episode whose folder is still there, by slug
    (``skip``: one slug passed over; ``quiet``: a gone folder is not logged).  One listing and
    plain-string paths: a catalogue is thousands of folders, and a publish reads them twice
    (pathlib's glob and Path objects were ~70 % of the time)."""
    episodes_out, sources = os.fspath(show.feeds_dir / EPISODES_DIR), os.fspath(show.episodes_dir)
    for slug in _folders(episodes_out):
        if slug == skip:
            continue
        manifest = os.path.join(episodes_out, slug, MANIFEST)
        try:
            st = os.stat(manifest)
        except OSError:  # no manifest (or none that can be read): not a published episode
            continue
        if not os.path.isfile(os.path.join(sources, slug, EPISODE_FILE)):
            if not quiet:
                log.info("%s: episode folder gone; not listed in the feeds", slug)
            continue
        entry = _read_manifest(manifest, st)
        if entry is not None:
            yield slug, entry


def _folders(path: str, *, links: bool = True) -> list[str]:
    """The names of the folders in ``path``, sorted (``links``: also links to folders, as a
    glob takes them); none when there is no such folder.  A folder that cannot be read is a
    :class:`ConfigError` (listing nothing would publish feeds without their episodes)."""
    try:
        with os.scandir(path) as entries:
            return sorted(e.name for e in entries if e.is_dir() and (links or not e.is_symlink()))
    except (FileNotFoundError, NotADirectoryError):
        return []
    except OSError as exc:
        raise ConfigError(f"cannot list the published episodes ({exc.strerror or exc})", path=Path(path)) from None


def check_guid_free(show: Show, episode: Episode) -> None:
    """Raise :class:`ConfigError` when another published episode already uses
    ``episode.guid`` -- the check :func:`load_entries` makes, done *before*
    ``publish episode <slug>`` writes anything (otherwise the episode's files
    were written and only :func:`write_show` refused: a half-published episode).
    """
    if not episode.guid:
        return
    others = [(slug, entry.guid) for slug, entry in _published(show, skip=episode.slug, quiet=True)]
    check_unique_guids(show, [*others, (episode.slug, episode.guid)])


def show_text_languages(show: Show, results: Sequence[EpisodeResult]) -> tuple[str, ...]:
    """The languages of the show texts :func:`write_show` needs (the show's own,
    then every companion feed's, from the manifests of all published episodes
    and ``results``); the pipeline translates them before writing."""
    fresh = [entry_from_result(show, r, audio_size=_published_size(show, r)) for r in results]
    specs = feedmod.feed_specs(show, load_entries(show, fresh))
    return tuple(dict.fromkeys([show.language, *(spec.lang for spec in specs if spec.lang)]))


def write_show(show: Show, results: Sequence[EpisodeResult], *, texts: Mapping[str, ChannelTexts],
               progress: Progress = _noop, parallel: Parallel | None = None) -> list[str]:
    """Write every feed and the show page(s) from the manifests of all
    published episodes (``results`` are this run's fresh ones) and the show's
    ``texts`` in every language of :func:`show_text_languages`.  ``parallel``
    renders the feeds and pages (one job each) elsewhere, e.g. on the
    catalogue's worker pool; this process writes them.

    Returns the paths of the files that changed.
    """
    check_image(show)
    changed: list[str] = []

    def note(path: Path, did_change: bool) -> None:
        if did_change:
            changed.append(str(path))

    feeds = show.feeds_dir
    remove_gone_episodes(show)
    cover = feeds / show.image.name
    note(cover, fsutil.copy_file(show.image, cover))
    for path in write_icons(show):
        note(path, True)
    fresh = [entry_from_result(show, r, audio_size=_published_size(show, r)) for r in results]
    entries = load_entries(show, fresh)
    specs = feedmod.feed_specs(show, entries)
    texts_by_lang: dict[str | None, ChannelTexts] = {
        spec.lang: _texts(texts, spec.lang) if spec.lang else ChannelTexts(show.title, show.description)
        for spec in specs
    }
    outputs = [spec.path for spec in specs] + \
        [show_page_path(spec.lang) for spec in specs]
    digest = _show_digest(show, entries, specs, texts_by_lang)
    stamp_path = stamps.show_stamp_path(show.root)
    if stamps.outputs_current(stamp_path, digest, feeds, outputs):
        log.info("feeds and show pages unchanged since the last publish; nothing rewritten")
        return changed
    previous_outputs = stamps.stamped_files(stamp_path)
    index = _feed_item_index(show)
    new_index: dict[str, dict[str, Any]] = {}
    show_part = hashlib.sha256(repr(show).encode("utf-8")).hexdigest()
    templates_part = keys.folder_identity(show.root / "templates")
    jobs: list[tuple[Callable[..., Any], tuple[Any, ...]]] = []
    targets: list[str] = []
    for spec in specs:
        items = _published_items(feeds / spec.path, index.get(spec.path))
        jobs.append((_feed_job, (show, entries, spec, specs, texts_by_lang[spec.lang], items)))
        targets.append(spec.path)

    feed_links = tuple(
        _feed_link(show, spec.hreflang, texts_by_lang[spec.lang].title) for spec in specs
        if offered(show, spec.pseudo)
    )
    digests = tuple(entry.digest for entry in entries)  # by position: rows are made in this order
    links: dict[tuple[int, str, bool], tuple[pages.LanguageLink, ...]] = {}  # shared by the pages of one prefix
    for spec in specs:
        lang = spec.lang or show.language
        spec_texts = texts_by_lang[spec.lang]
        prefix = "" if spec.lang is None else "../"
        page = show_page_path(spec.lang)
        page_langs = [show.language] + [other.lang for other in specs if other.lang
                                        and offered(show, other.pseudo, on_pseudo_page=spec.pseudo)]
        with_pseudo = offered(show, True, on_pseudo_page=spec.pseudo)
        rows = tuple(_show_row(show, entry, lang, prefix, with_pseudo=with_pseudo, links=links, index=k)
                     for k, entry in enumerate(entries))
        switcher = tuple(
            pages.LanguageLink(
                lang=code,
                name=langs.native_name(code),
                url=prefix + show_page_path(None if code == show.language else code),
                absolute_url=url_for(show, show_page_path(None if code == show.language else code)),
                machine=texts_by_lang.get(None if code == show.language else code, spec_texts).machine,
                pseudo=texts_by_lang.get(None if code == show.language else code, spec_texts).pseudo,
            )
            for code in page_langs
        )
        ctx = pages.ShowPageContext(
            show=show,
            lang=lang,
            title=spec_texts.title,
            description=spec_texts.description,
            episodes=rows,
            feeds=feed_links if offered(show, spec.pseudo) else feed_links + (_feed_link(show, lang, spec_texts.title),),
            languages=switcher,
            canonical_url=url_for(show, page),
            image_url=url_for(show, show.image.name),
            cover_src=prefix + quote(show.image.name),
            machine=spec_texts.machine,
            engine=spec_texts.engine,
            pseudo=spec_texts.pseudo or spec.pseudo,
            icon_url=prefix + FAVICON,
            touch_icon_url=prefix + TOUCH_ICON,
        )
        row_key = keys.SHOW_ROW.keyer(show=show_part, templates=templates_part, lang=lang, prefix=prefix,
                                      with_pseudo=with_pseudo)
        jobs.append((_page_job, (ctx, _published_rows(feeds / page, index.get(page)), row_key, digests)))
        targets.append(page)
    progress(f"rendering {len(specs)} feed(s) and show page(s)")
    done = (parallel or _in_process)(jobs)
    for name, (data, index_entry) in zip(targets, done, strict=True):
        progress(f"writing {name}")
        target = feeds / name
        note(target, fsutil.write_bytes(target, data))
        new_index[name] = {"sha256": hashlib.sha256(data).hexdigest(),
                           "identity": list(stat_identity(os.stat(target))), **index_entry}
    fsutil.write_text(stamps.feed_items_path(show.root), json.dumps(new_index, sort_keys=True) + "\n")
    _remove_old_outputs(show, previous_outputs - set(outputs))
    stamps.save_stamp(stamp_path, digest, feeds, outputs)
    return changed


#: Runs ``[(function, args), …]`` and returns their results in order: in this
#: process (:func:`_in_process`) or on the catalogue's worker pool.
Parallel = Callable[[Sequence[tuple[Callable[..., Any], tuple[Any, ...]]]], list[Any]]


def _in_process(jobs: Sequence[tuple[Callable[..., Any], tuple[Any, ...]]]) -> list[Any]:
    return [fn(*args) for fn, args in jobs]


def _feed_job(show: Show, entries: Sequence[EpisodeEntry], spec: feedmod.FeedSpec,
              specs: Sequence[feedmod.FeedSpec], texts: ChannelTexts,
              items: dict[str, bytes]) -> tuple[bytes, dict[str, Any]]:
    """One feed's bytes (unchanged items reused) and its index entry."""
    item_keys = feedmod.item_keys(show, entries, spec)
    data = feedmod.build_feed(show, entries, spec=spec, all_specs=specs, texts=texts, items=items,
                              keys_in_order=item_keys)
    return data, {"keys": item_keys}


def _page_job(ctx: pages.ShowPageContext, cached: dict[str, str], row_key: keys.Keyer,
              digests: Sequence[str]) -> tuple[bytes, dict[str, Any]]:
    """One show page's bytes (unchanged episode rows reused) and its index entry.  A row is
    what :func:`_show_row` makes of its manifest entry for this page (``digests``: the
    entries' digests, in the order of ``ctx.episodes``; ``row_key``:
    :data:`~toolkit.cache.keys.SHOW_ROW` with the page's part given).  By position, not by
    slug: two manifests may carry one slug (a copied episode folder)."""
    used: list[tuple[str, str]] = []
    by_row = {id(episode): digest for episode, digest in zip(ctx.episodes, digests, strict=True)}

    def row(episode: pages.ShowPageEpisode, first: bool) -> str:
        key = row_key(first=first, entry=by_row[id(episode)])
        html = cached.get(key)
        if html is None:
            html = pages.render_show_row(ctx.show, ctx.lang, episode, first)
        used.append((key, html))
        return html

    data = pages.render_show_page(ctx, row).encode("utf-8")
    return data, {"rows": _row_spans(data, used)}


def _feed_item_index(show: Show) -> dict[str, Any]:
    try:
        index = json.loads(stamps.feed_items_path(show.root).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return index if isinstance(index, dict) else {}


def _recorded(target: Path, recorded: Any, field: str) -> tuple[bytes, Any] | None:
    """The published file's bytes and the index's ``field`` for it, when the file is
    exactly the one the index recorded: the same file version (:func:`toolkit.digest.stat_identity`,
    recorded when it was written: a feed of a large catalogue is megabytes to hash), else the
    same sha256; None otherwise."""
    try:
        value, digest = recorded[field], recorded["sha256"]
        with open(target, "rb") as fh:
            same_version = list(stat_identity(os.fstat(fh.fileno()))) == recorded.get("identity")
            data = fh.read()
    except (OSError, TypeError, KeyError, AttributeError):
        return None
    if not isinstance(value, list) or not (same_version or hashlib.sha256(data).hexdigest() == digest):
        return None
    return data, value


def _published_items(target: Path, recorded: Any) -> dict[str, bytes]:
    """The ``<item>`` bytes of the feed published at ``target``, by item key (empty
    unless it is the feed the index recorded)."""
    found = _recorded(target, recorded, "keys")
    if found is None:
        return {}
    data, item_keys = found
    try:
        _head, chunks, _tail = feedmod.split_items(data)
    except ValueError:
        return {}
    return dict(zip(item_keys, chunks)) if len(chunks) == len(item_keys) else {}


def _published_rows(target: Path, recorded: Any) -> dict[str, str]:
    """The episode rows of the show page published at ``target``, by row key (empty
    unless it is the page the index recorded)."""
    found = _recorded(target, recorded, "rows")
    if found is None:
        return {}
    data, spans = found
    try:
        return {key: data[start:end].decode("utf-8") for key, start, end in spans}
    except (TypeError, ValueError):
        return {}


def _row_spans(data: bytes, used: Sequence[tuple[str, str]]) -> list[list[object]]:
    """``[key, start, end]`` of each row in the page's bytes (the rows are one run;
    none when a template override does not print them as they were rendered)."""
    run = "".join(html for _key, html in used).encode("utf-8")
    start = data.find(run) if run else -1
    if start < 0:
        return []
    spans: list[list[object]] = []
    for key, html in used:
        end = start + len(html.encode("utf-8"))
        spans.append([key, start, end])
        start = end
    return spans


def _remove_old_outputs(show: Show, names: Iterable[str]) -> list[Path]:
    """Remove feeds and show pages the last run wrote and this one does not (a
    target language dropped from the show): only those exact files under
    ``feeds/``, then their folder when it is left empty."""
    feeds = show.feeds_dir.resolve()
    removed: list[Path] = []
    for name in sorted(names):
        target = (feeds / name).resolve()
        if feeds not in target.parents or not target.is_file():
            continue
        target.unlink()
        removed.append(target)
        log.warning("removed feeds/%s: no longer published", name)
        parent = target.parent
        if parent != feeds and not any(parent.iterdir()):
            parent.rmdir()
    return removed


def remove_gone_episodes(show: Show) -> list[Path]:
    """Remove ``feeds/episodes/<slug>/`` of every episode whose folder
    (``episodes/<slug>/episode.toml``) no longer exists, and its cache stamp.

    Only folders this writer made (holding its ``episode.json`` manifest) are
    removed; anything else there is left alone with a warning.  Each removal is
    logged as a warning (the CLI shows them); returns the removed folders.
    """
    out_dir = show.feeds_dir / EPISODES_DIR
    sources = os.fspath(show.episodes_dir)
    removed: list[Path] = []
    for slug in _folders(os.fspath(out_dir), links=False):
        if os.path.isfile(os.path.join(sources, slug, EPISODE_FILE)):
            continue
        folder = out_dir / slug
        if not (folder / MANIFEST).is_file():
            log.warning("feeds/episodes/%s/ is not an episode the toolkit published (no %s); left as it is",
                        slug, MANIFEST)
            continue
        shutil.rmtree(folder)
        stamps.episode_stamp_path(show.root, slug).unlink(missing_ok=True)
        log.warning("removed feeds/episodes/%s/: the episode folder episodes/%s/ is gone", slug, slug)
        removed.append(folder)
    return removed


def write_icons(show: Show) -> list[Path]:
    """``feeds/favicon.ico`` (16, 32, 48 px) and ``feeds/apple-touch-icon.png``
    (180 px) made from the show's cover; returns the files that changed.

    Every page links them (``<link rel="icon">``), so no browser asks for a
    ``/favicon.ico`` that is not there.  Skipped when the cover's bytes are those
    the icons were last made from and both files are intact.
    """
    from PIL import Image  # Pillow only when the icons are made (import time)

    feeds = show.feeds_dir
    stamp = stamps.icons_stamp_path(show.root)
    key = keys.ICONS.key(cover=file_sha256(show.image))
    if stamps.outputs_current(stamp, key, feeds, (FAVICON, TOUCH_ICON)):
        return []
    with Image.open(show.image) as opened:
        image = opened.convert("RGBA")
    changed: list[Path] = []
    ico = io.BytesIO()
    image.resize((48, 48), Image.Resampling.LANCZOS).save(ico, format="ICO", sizes=[(16, 16), (32, 32), (48, 48)])
    png = io.BytesIO()
    image.convert("RGB").resize((180, 180), Image.Resampling.LANCZOS).save(png, format="PNG")
    for name, data in ((FAVICON, ico.getvalue()), (TOUCH_ICON, png.getvalue())):
        if fsutil.write_bytes(feeds / name, data):
            changed.append(feeds / name)
    stamps.save_stamp(stamp, key, feeds, (FAVICON, TOUCH_ICON))
    return changed


def _show_digest(show: Show, entries: Sequence[EpisodeEntry], specs: Sequence[feedmod.FeedSpec],
                 texts_by_lang: dict[str | None, ChannelTexts]) -> str:
    """A digest of everything the feeds and show pages are built from: every
    listed episode's manifest, the show (its config file's bytes and the
    :class:`Show` as loaded, which includes ``--lang`` overrides and the root the
    URLs and template overrides come from), the feed specs, the show texts per
    language, the template overrides and the writers' code.  Equal digest +
    outputs present ⇒ the outputs would be byte-identical (:data:`toolkit.cache.keys.SHOW_PAGES`)."""
    return keys.SHOW_PAGES.key(
        show=repr(show),
        show_config=keys.config_identity(show.config_path),
        templates=keys.folder_identity(show.root / "templates"),
        entries=[e.digest for e in entries],  # each manifest entry by its digest (made once per entry)
        specs=[repr(spec) for spec in specs],
        texts=[[lang, t.title, t.description, t.machine, t.engine, t.pseudo] for lang, t in texts_by_lang.items()],
    )


def _published_size(show: Show, result: EpisodeResult) -> int:
    """Size of the published enclosure (falls back to the source audio)."""
    episode = result.source.episode
    published = show.feeds_dir / EPISODES_DIR / episode.slug / episode.audio.name
    try:
        return published.stat().st_size
    except FileNotFoundError:
        return episode.audio.stat().st_size


def _show_row(show: Show, entry: EpisodeEntry, lang: str, prefix: str, *, with_pseudo: bool,
              links: dict[tuple[int, str, bool], tuple[pages.LanguageLink, ...]], index: int) -> pages.ShowPageEpisode:
    """The show page's value of one episode, the ``index``-th (``links``: the episodes' language
    links by ``(index, prefix, with_pseudo)``, made once for every page that shares them)."""
    own = entry.lang(lang) or entry.source
    found = links.get((index, prefix, with_pseudo))
    if found is None:
        found = tuple(  # source language first, as ShowPageEpisode.pages documents
            pages.LanguageLink(
                lang=x.lang,
                name=langs.native_name(x.lang),
                url=prefix + episode_file_path(entry.slug, x.lang, PAGE_FILE),
                absolute_url=url_for(show, episode_file_path(entry.slug, x.lang, PAGE_FILE)),
                machine=x.machine,
                pseudo=x.pseudo,
            )
            for x in entry.languages
            if with_pseudo or not x.pseudo
        )
        links[index, prefix, with_pseudo] = found
    return pages.ShowPageEpisode(
        slug=entry.slug,
        title=own.title,
        date=entry.date,
        description=own.description,
        duration_ms=entry.duration_ms,
        number=entry.number,
        season=entry.season,
        pages=found,
        audio_url=prefix + episode_file_path(entry.slug, quote(entry.audio_file)),
        audio_mime=entry.audio_mime,
    )
