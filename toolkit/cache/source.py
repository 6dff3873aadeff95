"""The source-build cache: ingest → timing → segment results kept between runs.

Aligning an untimed transcript decodes the whole audio file (≈ 26 s for a
one-hour MP3 on a small machine); segmenting a one-hour episode costs
≈ 0.2 s.  Neither result can change unless one of its inputs does, so
:func:`toolkit.pipeline.build_source` keeps the timed transcript, the
alignment report, the audio metadata, the cues and their QC issues in
``<show root>/.toolkit/cache/source/<slug>.json`` (one file per episode,
replaced when it changes, so the folder never grows with history).

The file is valid only for the exact **key** stored in it: a SHA-256 over
everything the result depends on (:func:`source_key`, the recipe
:data:`toolkit.cache.keys.SOURCE`):

* the transcript's bytes and file name (the suffix picks the reader);
* the audio's bytes (a full SHA-256: ≈ 45 ms for a 60-minute 64 kbps MP3, i.e.
  ≈ 0.2 % of the alignment it saves; size + mtime would miss a same-length
  CBR re-export copied with its mtime preserved — ``cp -p``, ``rsync -t``,
  an unpacked archive — and silently publish stale timings) and file name
  (the suffix picks the MIME type);
* the episode slug (cue ids), the transcript language, the speaker table,
  the show's drop rules and the episode's ``encoding`` override;
* the cache format, the toolkit version, a digest of the source code of the
  stages (so a developer's edit of the aligner or splitter invalidates it
  although the version string did not change), numpy's version and the
  identity of the ffmpeg binary that would decode the audio.

The file is JSON (sorted keys, written atomically through
:mod:`toolkit.fsutil`).  A file that cannot be read or decoded — truncated,
hand-edited, written by another format — is ignored with a warning and
rebuilt: a cache must never make a publish fail.

Below it, :func:`audio_store` keeps what the aligners computed from the
audio alone (decoded features, speech activity, per-window alignments), keyed
by the audio's own hash: after a transcript edit the source key changes, but
the audio is not decoded again and only the aligner windows whose text changed
are computed again (see :mod:`toolkit.cache.audio`, :mod:`toolkit.timing.analysis`).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, TypeVar

from .. import fsutil
from ..build import AlignmentReport, AudioInfo
from ..digest import file_sha256
from ..findings import Finding
from ..model import Chapter, Cue, DroppedLine, Episode, Sentence, Show, Transcript, Turn, Word
from . import keys
from .audio import AnalysisStore

log = logging.getLogger(__name__)

__all__ = [
    "CACHE_FORMAT", "CachedSource", "source_cache_path", "source_key", "load_source", "save_source", "audio_store",
]

#: Bumped whenever the layout of the cache file changes (:data:`toolkit.cache.keys.SOURCE`).
CACHE_FORMAT = keys.SOURCE.format
CACHE_DIR = Path(".toolkit") / "cache" / "source"
#: The audio analysis of each episode (:class:`toolkit.timing.analysis.AnalysisStore`).
AUDIO_DIR = Path(".toolkit") / "cache" / "audio"

T = TypeVar("T")


@dataclass(frozen=True)
class CachedSource:
    """What :func:`toolkit.pipeline.build_source` computes, minus the episode."""

    transcript: Transcript
    audio: AudioInfo
    alignment: AlignmentReport
    cues: tuple[Cue, ...]
    qc: tuple[Finding, ...]


def audio_store(show: Show, episode: Episode) -> AnalysisStore:
    """Where the episode's audio analysis lives: ``.toolkit/cache/audio/<slug>.npz``
    (+ ``<slug>.windows.json``), valid only for the audio's current SHA-256."""
    return AnalysisStore(show.root / AUDIO_DIR, episode.slug, Path(episode.audio))


def source_cache_path(show: Show, slug: str) -> Path:
    """``<show root>/.toolkit/cache/source/<slug>.json``."""
    return show.root / CACHE_DIR / f"{slug}.json"


# --------------------------------------------------------------------------- key


def source_key(show: Show, episode: Episode, lang: str) -> str | None:
    """The digest of every input of ``build_source`` for ``episode``.

    None when an input file cannot be read: the build then runs as usual and
    reports the problem with its own error message.
    """
    if episode.transcript is None:
        return None  # an episode published without a transcript is not cached
    try:
        transcript = file_sha256(Path(episode.transcript))
        audio = file_sha256(Path(episode.audio))
    except OSError:
        return None
    return keys.SOURCE.key(
        numpy=keys.numpy_version(),
        ffmpeg=keys.ffmpeg_identity(),
        aligners=list(keys.aligner_identity()),
        slug=episode.slug,
        language=lang,
        transcript=[Path(episode.transcript).name, transcript],
        audio=[Path(episode.audio).name, audio],
        speakers=sorted(episode.speaker_names().items()),
        drop_rules=list(show.drop_rules) if show.drop_rules is not None else None,
        encoding=episode.encoding,
    )


# --------------------------------------------------------------------------- encoding
def _encode(value: Any) -> Any:
    if isinstance(value, Path):
        return value.name  # where it is now is decided on load (the folder may move)
    if hasattr(value, "__dataclass_fields__"):
        return {f.name: _encode(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, (tuple, list)):
        return [_encode(v) for v in value]
    return value


def _build(cls: Callable[..., T], data: Mapping[str, Any], **convert: Callable[[Any], Any]) -> T:
    """``cls(**data)`` after checking the field names match exactly and converting nested values."""
    if not isinstance(data, Mapping):
        raise TypeError(f"{cls.__name__}: expected an object, got {type(data).__name__}")
    names = {f.name for f in fields(cls)}  # type: ignore[arg-type]
    if set(data) != names:
        raise KeyError(f"{cls.__name__}: fields {sorted(set(data) ^ names)} differ")
    kw = {k: (convert[k](v) if k in convert and v is not None else v) for k, v in data.items()}
    return cls(**kw)


def _tuple_of(item: Callable[[Any], T]) -> Callable[[Any], tuple[T, ...]]:
    def conv(values: Any) -> tuple[T, ...]:
        if not isinstance(values, list):
            raise TypeError(f"expected a list, got {type(values).__name__}")
        return tuple(item(v) for v in values)

    return conv


def _word(d: Any) -> Word:
    return _build(Word, d)


def _sentence(d: Any) -> Sentence:
    return _build(Sentence, d, words=_tuple_of(_word))


def _turn(d: Any) -> Turn:
    return _build(Turn, d, sentences=_tuple_of(_sentence))


def _chapter(d: Any) -> Chapter:
    return _build(Chapter, d)


def _dropped(d: Any) -> DroppedLine:
    return _build(DroppedLine, d)


def _cue(d: Any) -> Cue:
    return _build(Cue, d, lines=_tuple_of(str), sentences=_tuple_of(int), sentence_starts=_tuple_of(int),
                  words=_tuple_of(_word))


def _qc(d: Any) -> Finding:
    return _build(Finding, d)


def _decode(payload: Mapping[str, Any], episode: Episode) -> CachedSource:
    # Paths are not stored as they were: the show folder may have moved since;
    # the build would have set them from the episode's current paths.
    transcript = _build(
        Transcript, payload["transcript"],
        turns=_tuple_of(_turn), chapters=_tuple_of(_chapter), dropped=_tuple_of(_dropped),
        source=lambda _: episode.transcript,
    )
    audio = _build(AudioInfo, payload["audio"], path=lambda _: Path(episode.audio))
    alignment = _build(AlignmentReport, payload["alignment"], low_confidence=_tuple_of(str))
    cues = _tuple_of(_cue)(payload["cues"])
    qc = _tuple_of(_qc)(payload["qc"])
    return CachedSource(transcript, audio, alignment, cues, qc)


# --------------------------------------------------------------------------- load / save
def load_source(show: Show, episode: Episode, key: str) -> CachedSource | None:
    """The cached build of ``episode`` if it was made from exactly ``key``, else None.

    A corrupt or foreign file is logged and treated as absent (the caller
    rebuilds and overwrites it).
    """
    path = source_cache_path(show, episode.slug)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        log.warning("%s: cannot read the build cache (%s); rebuilding", path, exc)
        return None
    try:
        payload = json.loads(raw)
        if not isinstance(payload, dict):
            raise TypeError("not a JSON object")
        if payload.get("format") != CACHE_FORMAT or payload.get("key") != key:
            log.debug("%s: build cache is out of date", path)
            return None
        return _decode(payload, episode)
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        # Truncated by a full disk, edited by hand, or from a toolkit with a
        # different model: never fatal, the build simply runs again.
        log.warning("%s: ignoring a corrupt build cache (%s: %s); rebuilding", path, type(exc).__name__, exc)
        return None


def save_source(show: Show, episode: Episode, key: str, built: CachedSource) -> bool:
    """Write the cache file for ``episode`` (atomically; False when unchanged or unwritable)."""
    path = source_cache_path(show, episode.slug)
    payload = {
        "format": CACHE_FORMAT,
        "key": key,
        "transcript": _encode(built.transcript),
        "audio": _encode(built.audio),
        "alignment": _encode(built.alignment),
        "cues": _encode(built.cues),
        "qc": _encode(built.qc),
    }
    text = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"
    try:
        return fsutil.write_text(path, text)
    except OSError as exc:  # a read-only show folder still publishes, just without the cache
        log.warning("%s: cannot write the build cache (%s)", path, exc)
        return False
