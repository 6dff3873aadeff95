"""Read an audio file's own tags with mutagen: title, date, comment, track,
duration and the embedded front cover (ID3 for MP3, MP4 atoms for M4A, Vorbis
comments for FLAC/Ogg).  Nothing is decoded; an unreadable file gives empty
tags and a logged warning (the episode can still be described by hand).
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class AudioTags:
    """What an audio file says about itself (every field optional)."""

    title: str | None = None
    date: dt.datetime | None = None
    comment: str | None = None
    track: int | None = None
    duration_s: float | None = None
    cover: tuple[bytes, str] | None = None  # (image bytes, MIME type)


def parse_date(text: str | None) -> dt.datetime | None:
    """``2026``, ``2026-03-01``, ``2026-03-01T09:00:00`` (tag styles) → UTC datetime."""
    if not text:
        return None
    text = str(text).strip()
    m = re.match(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?", text)
    if not m:
        return None
    year, month, day, hour, minute, second = (int(g) if g else None for g in m.groups())
    try:
        return dt.datetime(year or 1970, month or 1, day or 1, hour or 0, minute or 0, second or 0,
                           tzinfo=dt.timezone.utc)
    except ValueError:
        return None


def _first(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, list | tuple):
        value = value[0] if value else None
    if value is None:
        return None
    text = str(getattr(value, "text", [value])[0] if hasattr(value, "text") else value).strip()
    return text or None


def _track(text: str | None) -> int | None:
    m = re.match(r"^\s*(\d+)", text or "")
    return int(m.group(1)) if m and int(m.group(1)) > 0 else None


def read_tags(path: Path) -> AudioTags:
    """The tags of ``path`` (empty when mutagen cannot read it)."""
    import mutagen  # only when an audio file's tags are read

    try:
        f = mutagen.File(path)
    except Exception as exc:  # mutagen raises many types for broken files
        log.warning("%s: could not read the audio's tags (%s)", path, exc)
        return AudioTags()
    if f is None:
        log.warning("%s: not an audio file mutagen knows; no tags read", path)
        return AudioTags()
    duration = getattr(f.info, "length", None)
    tags = f.tags
    if tags is None:
        return AudioTags(duration_s=duration)
    kind = type(tags).__name__
    if kind == "ID3":
        return _id3(tags, duration)
    if kind == "MP4Tags":
        cover = None
        if tags.get("covr"):
            pic = tags["covr"][0]
            cover = (bytes(pic), "image/png" if pic.imageformat == pic.FORMAT_PNG else "image/jpeg")
        track = tags.get("trkn")
        return AudioTags(title=_first(tags.get("\xa9nam")), date=parse_date(_first(tags.get("\xa9day"))),
                         comment=_first(tags.get("\xa9cmt")) or _first(tags.get("desc")),
                         track=track[0][0] if track and track[0][0] else None, duration_s=duration, cover=cover)
    return _vorbis(f, tags, duration)


def _id3(tags: Any, duration: float | None) -> AudioTags:
    cover = None
    pictures = tags.getall("APIC")
    front = [p for p in pictures if p.type == 3] or pictures
    if front:
        cover = (bytes(front[0].data), front[0].mime or "image/jpeg")
    comments = tags.getall("COMM")
    date = tags.get("TDRC") or tags.get("TYER") or tags.get("TDRL")
    return AudioTags(
        title=_first(tags.get("TIT2")),
        date=parse_date(str(date.text[0]) if date else None),
        comment=str(comments[0].text[0]).strip() if comments and comments[0].text else None,
        track=_track(_first(tags.get("TRCK"))),
        duration_s=duration,
        cover=cover,
    )


def _vorbis(f: Any, tags: Any, duration: float | None) -> AudioTags:
    def get(key: str) -> str | None:
        try:
            return _first(tags.get(key))
        except (KeyError, ValueError):
            return None

    cover = None
    pictures = getattr(f, "pictures", None) or []
    if pictures:
        cover = (bytes(pictures[0].data), pictures[0].mime or "image/jpeg")
    return AudioTags(title=get("title"), date=parse_date(get("date")),
                     comment=get("comment") or get("description"), track=_track(get("tracknumber")),
                     duration_s=duration, cover=cover)
