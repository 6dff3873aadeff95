"""Opt-in audio mastering of the published enclosure (``[audio]`` in show.toml
or episode.toml, :mod:`toolkit.master.settings`).

::

    intro/outro ──pydub (short parts: decode, match format, fade edges) ──► WAV
    each part ── ffmpeg pass 1: EBU R128 meter ──► measure-<key>.json   (stored, reused)
    all parts ── ffmpeg pass 2: loudnorm per part (linear) + concat + libmp3lame (Xing) ──► encoded-<key>.mp3
    encoded + mutagen ID3v2.3 tags, USLT transcript, APIC cover, CHAP/CTOC ──► published/<name>.mp3

Everything lives in ``<show>/.toolkit/cache/master/<slug>/``.  Each step is
keyed by a digest of what it depends on, so an unchanged episode is neither
measured nor encoded nor re-tagged again; a new title only re-tags.  The
original audio file is only ever read.  The published file replaces the
episode's audio for the rest of the pipeline (:func:`master_source`): its size
is the enclosure length, its duration the feed's, and every cue, word and
chapter is shifted by the intro's length so the transcripts stay in sync.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from .. import fsutil
from ..build import SourceBuild
from ..digest import file_sha256
from ..model import Cue, Sentence, Show, Transcript, Word
from .settings import MasterSettings, load_settings


log = logging.getLogger(__name__)

__all__ = ["MASTER_FORMAT", "master_source", "load_settings", "MasterSettings", "master_dir"]

#: Bumped when what the digests cover, or the way files are made, changes.
MASTER_FORMAT = 4

Progress = Callable[[str], None]


def master_dir(show: Show, slug: str) -> Path:
    """``<show>/.toolkit/cache/master/<slug>/``."""
    return show.root / ".toolkit" / "cache" / "master" / slug


def _digest(*parts: object) -> str:
    blob = json.dumps(parts, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def _ffmpeg_identity() -> list[object]:
    from ..timing.ffmpeg import resolve_ffmpeg  # loaded only when an episode is mastered (opt-in [audio])

    exe = Path(resolve_ffmpeg())
    st = exe.stat()
    return [str(exe), st.st_size, st.st_mtime_ns]


def _noop(_: str) -> None:
    pass


def master_source(show: Show, source: SourceBuild, progress: Progress = _noop) -> SourceBuild:
    """``source`` with its audio replaced by the mastered, tagged MP3 (and its
    timings shifted by the intro), or ``source`` itself when the episode is not
    mastered."""
    settings = load_settings(show, source.episode)
    if settings is None:
        return source
    from .. import timing  # loaded only when an episode is mastered (opt-in [audio])
    from .parts import prepare_part  # loaded only when an episode is mastered (opt-in [audio])

    episode = source.episode
    folder = master_dir(show, episode.slug)
    folder.mkdir(parents=True, exist_ok=True)
    channels = 1 if (source.audio.channels or 2) == 1 else 2
    intro = prepare_part(settings.intro, folder, channels, fade_out=True) if settings.intro else None
    outro = prepare_part(settings.outro, folder, channels, fade_in=True) if settings.outro else None
    parts = tuple(p.wav for p in (intro,) if p) + (episode.audio,) + tuple(p.wav for p in (outro,) if p)
    from .loudness import Programme  # loaded only when an episode is mastered (opt-in [audio])

    prog = Programme(parts=parts, channels=channels, loudness=settings.target(channels),
                     true_peak=settings.true_peak, main=1 if intro else 0)
    ff = _ffmpeg_identity()
    keys = [_digest(MASTER_FORMAT, file_sha256(part), channels, ff) for part in parts]
    measured = _measured(prog, folder, keys, episode.slug, progress)
    kbps = settings.kbps(channels)
    ekey = _digest(keys, prog.loudness, prog.true_peak, kbps)
    encoded = _encoded(prog, measured, folder, ekey, kbps, episode.slug, progress)
    offset = intro.duration_ms if intro else 0
    shifted = shift_source(source, offset) if offset else source
    published = _tagged(show, shifted, encoded, folder)
    info = timing.audio_info(published)
    return replace(shifted, episode=replace(episode, audio=published), audio=info)


def _measured(prog: Any, folder: Path, keys: list[str], slug: str, progress: Progress) -> list[dict[str, Any]]:
    """Pass 1 for every part, or its stored result (one file per part, keyed by its bytes and target)."""
    from .loudness import measure  # loaded only when an episode is mastered (opt-in [audio])

    results = []
    for part, key in zip(prog.parts, keys, strict=True):
        path = folder / f"measure-{key[:24]}.json"
        try:
            stored = json.loads(path.read_text(encoding="utf-8"))
            if stored.get("key") == key:
                log.debug("%s: loudness measurement of %s reused", slug, part.name)
                results.append(dict(stored["measured"]))
                continue
        except (OSError, ValueError, KeyError, TypeError):
            pass
        progress(f"{slug}: measuring the loudness of {part.name}")
        measured = measure(prog, part)
        fsutil.write_text(path, json.dumps({"key": key, "part": part.name, "measured": measured}, indent=1,
                                           sort_keys=True) + "\n")
        log.info("%s: %s measures %.1f LUFS, true peak %.1f dBTP, LRA %.1f LU", slug, part.name,
                 measured["input_i"], measured["input_tp"], measured["input_lra"])
        results.append(measured)
    wanted = {f"measure-{k[:24]}.json" for k in keys}
    for old in folder.glob("measure-*.json"):
        if old.name not in wanted:
            old.unlink(missing_ok=True)
    return results


def _encoded(prog: Any, measured: list[dict[str, Any]], folder: Path, key: str, kbps: int, slug: str,
             progress: Progress) -> Path:
    """Pass 2, or the MP3 it made last time."""
    from .loudness import encode  # loaded only when an episode is mastered (opt-in [audio])

    path = folder / f"encoded-{key[:24]}.mp3"
    report = folder / f"encoded-{key[:24]}.json"
    if path.is_file() and report.is_file():
        return path
    progress(f"{slug}: normalising and encoding")
    _prune(folder, "encoded-*")
    tmp = folder / f".encoding-{os.getpid()}.mp3"
    try:
        result = encode(prog, measured, tmp, kbps=kbps)
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
    fsutil.write_text(report, json.dumps(result, indent=1, sort_keys=True) + "\n")
    for part, report_ in zip(prog.parts, result, strict=True):
        log.info("%s: %s normalised to %s LUFS, true peak %s dBTP (%s)", slug, part.name, report_.get("output_i"),
                 report_.get("output_tp"), report_.get("normalization_type"))
    return path


def _prune(folder: Path, pattern: str) -> None:
    for old in folder.glob(pattern):
        old.unlink(missing_ok=True)


def _tagged(show: Show, source: SourceBuild, encoded: Path, folder: Path) -> Path:
    """``published/<name>.mp3``: the encoded file with the episode's tags."""
    from .id3 import write_tags  # loaded only when an episode is mastered (opt-in [audio])

    episode = source.episode
    tags = tag_data(show, source, encoded)
    out_dir = folder / "published"
    out_dir.mkdir(exist_ok=True)
    target = out_dir / (Path(episode.audio.name).stem + ".mp3")
    stamp = out_dir / "stamp.json"
    key = _digest(MASTER_FORMAT, encoded.name, _tag_digest(tags))
    try:
        if target.is_file() and json.loads(stamp.read_text(encoding="utf-8")).get(target.name) == key:
            return target
    except (OSError, ValueError, AttributeError):
        pass
    for old in out_dir.glob("*.mp3"):
        if old != target:
            old.unlink()
    tmp = out_dir / f".tagging-{os.getpid()}.mp3"
    try:
        shutil.copyfile(encoded, tmp)
        write_tags(tmp, tags)
        fsutil.copy_file(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    fsutil.write_text(stamp, json.dumps({target.name: key}) + "\n")
    return target


def _tag_digest(tags: Any) -> str:
    from dataclasses import asdict  # loaded only when an episode is mastered (opt-in [audio])

    plain = {k: v for k, v in asdict(tags).items() if k != "cover"}
    cover = tags.cover
    return _digest(plain, [hashlib.sha256(cover[0]).hexdigest(), cover[1]] if cover else None)


def tag_data(show: Show, source: SourceBuild, encoded: Path) -> Any:
    """The ID3 tag of the published file, from the show, the episode and its (shifted) transcript."""
    from .. import timing  # loaded only when an episode is mastered (opt-in [audio])
    from ..publish.layout import episode_file_path, url_for  # loaded only when an episode is mastered (opt-in [audio])
    from .id3 import ChapterMark, TagData  # loaded only when an episode is mastered (opt-in [audio])

    episode = source.episode
    lang = source.transcript.language
    duration = timing.audio_info(encoded).duration_ms
    image = episode.image or show.image
    cover = None
    if image is not None and image.is_file():
        mime = "image/png" if image.suffix.lower() == ".png" else "image/jpeg"
        cover = (image.read_bytes(), mime)
    page = url_for(show, episode_file_path(episode.slug, lang, "index.html"))
    timed = sorted((c for c in source.chapters if c.start is not None), key=lambda c: c.start or 0)
    marks = []
    for i, chapter in enumerate(timed):
        start = int(chapter.start or 0)
        end = int(timed[i + 1].start or 0) if i + 1 < len(timed) else duration
        marks.append(ChapterMark(start=start, end=max(end, start), title=chapter.title,
                                 url=f"{page}#t={start / 1000:.3f}".rstrip("0").rstrip(".")))
    return TagData(
        title=episode.title,
        show=show.title,
        author=show.author,
        date=episode.date.strftime("%Y-%m-%d"),
        language=lang,
        description=episode.description,
        transcript=transcript_text(source) or None,
        number=episode.number,
        season=episode.season,
        cover=cover,
        chapters=tuple(marks),
    )


def transcript_text(source: SourceBuild) -> str:
    """The transcript as plain text for ``USLT``: one paragraph per turn, ``Name: text``."""
    names = source.episode.speaker_names()
    paragraphs = []
    for turn in source.transcript.turns:
        text = " ".join(s.text for s in turn.sentences).strip()
        if not text:
            continue
        speaker = names.get(turn.speaker, turn.speaker) if turn.speaker else None
        paragraphs.append(f"{speaker}: {text}" if speaker else text)
    return "\n\n".join(paragraphs)


# ---------------------------------------------------------------- shifting times by the intro

def _word(w: Word, d: int) -> Word:
    return replace(w, start=w.start + d, end=w.end + d)


def _sentence(s: Sentence, d: int) -> Sentence:
    return replace(s, start=None if s.start is None else s.start + d, end=None if s.end is None else s.end + d,
                   words=tuple(_word(w, d) for w in s.words))


def _cue(c: Cue, d: int) -> Cue:
    return replace(c, start=c.start + d, end=c.end + d, sentence_starts=tuple(t + d for t in c.sentence_starts),
                   words=tuple(_word(w, d) for w in c.words))


def shift_source(source: SourceBuild, offset_ms: int) -> SourceBuild:
    """Every time of ``source`` (sentences, words, chapters, cues) moved by ``offset_ms``."""
    t = source.transcript
    transcript: Transcript = replace(
        t,
        turns=tuple(replace(turn, sentences=tuple(_sentence(s, offset_ms) for s in turn.sentences))
                    for turn in t.turns),
        chapters=tuple(replace(c, start=None if c.start is None else c.start + offset_ms) for c in t.chapters),
    )
    return replace(source, transcript=transcript, cues=tuple(_cue(c, offset_ms) for c in source.cues))
