"""The output layout, in one place: file names, paths, URLs, MIME types and
the transcript format table of everything ``toolkit publish`` writes.

::

    feeds/
      feed.xml                      main feed (audio language)
      <lang>/feed.xml               companion feed per target language
      index.html, <lang>/index.html show page(s)
      <cover image>                 the show's image, same file name
      favicon.ico, apple-touch-icon.png
      episodes/<slug>/
        <audio file>, <episode image>
        episode.json                the episode's manifest
        <lang>/index.html           transcript page
        <lang>/transcript.{vtt,srt,json}, chapters.json

Every URL is ``show.base_url + "/" + <path under feeds/>`` (:func:`url_for`).
The feed writer, the site writer, the pages, the lint and the preview server
all take names, paths and types from here.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from ..model import Show

__all__ = [
    "FEED_FILE", "PAGE_FILE", "EPISODES_DIR", "MANIFEST", "FAVICON", "TOUCH_ICON", "CHAPTERS_FILE",
    "CHAPTERS_TYPE", "FEED_TYPE", "TranscriptFormat", "TRANSCRIPT_FORMATS", "SUBTITLE_FILES",
    "ALLOWED_TRANSCRIPT_TYPES", "TIMED_TRANSCRIPT_TYPES", "APPLE_ENCLOSURE_TYPES", "enclosure_type",
    "feed_path", "show_page_path", "episode_file_path", "url_for", "mime_type",
]

FEED_FILE = "feed.xml"
PAGE_FILE = "index.html"
EPISODES_DIR = "episodes"
#: The site writer's record of one published episode (``episodes/<slug>/episode.json``).
MANIFEST = "episode.json"
FAVICON = "favicon.ico"
TOUCH_ICON = "apple-touch-icon.png"
CHAPTERS_FILE = "chapters.json"
#: Podcasting 2.0 ``podcast:chapters`` type.
CHAPTERS_TYPE = "application/json+chapters"
FEED_TYPE = "application/rss+xml"


@dataclass(frozen=True)
class TranscriptFormat:
    """One published transcript file of a language folder."""

    filename: str
    mime: str
    timed: bool  # rel="captions" means "has timecodes" (spec), so only these get it


#: The four transcript files of every language folder, in feed order.
TRANSCRIPT_FORMATS: tuple[TranscriptFormat, ...] = (
    TranscriptFormat("transcript.vtt", "text/vtt", True),
    TranscriptFormat("transcript.srt", "application/x-subrip", True),
    TranscriptFormat("transcript.json", "application/json", True),
    TranscriptFormat(PAGE_FILE, "text/html", False),
)
#: The subtitle writer's files of every language folder, in writing order.
SUBTITLE_FILES = ("transcript.vtt", "transcript.srt", "transcript.json", CHAPTERS_FILE)

#: ``podcast:transcript`` types the Podcasting 2.0 namespace documents.
ALLOWED_TRANSCRIPT_TYPES = frozenset(
    {"text/vtt", "application/x-subrip", "application/json", "text/html", "text/plain"}
)
#: The transcript types with timecodes (the only ones ``rel="captions"`` may name).
TIMED_TRANSCRIPT_TYPES = frozenset({"text/vtt", "application/x-subrip", "application/json"})

#: Enclosure types Apple Podcasts accepts (archived "A Podcaster's Guide to RSS").
APPLE_ENCLOSURE_TYPES = frozenset(
    {"audio/x-m4a", "audio/mpeg", "video/quicktime", "video/mp4", "video/x-m4v", "application/pdf"}
)
_MIME_ALIASES = {
    # Apple documents audio/x-m4a; audio/mp4 and audio/m4a are what other tools report for .m4a.
    "audio/mp4": "audio/x-m4a",
    "audio/m4a": "audio/x-m4a",
    "audio/mp3": "audio/mpeg",
    "audio/mpeg3": "audio/mpeg",
}


def enclosure_type(mime: str) -> str:
    """The enclosure type for an audio MIME type (aliases mapped to Apple's names)."""
    mime = mime.strip().lower()
    return _MIME_ALIASES.get(mime, mime)


# --------------------------------------------------------------------------- paths and URLs
def feed_path(lang: str | None) -> str:
    """Path under ``feeds/`` of the main feed (None) or a companion feed."""
    return FEED_FILE if lang is None else f"{lang}/{FEED_FILE}"


def show_page_path(lang: str | None) -> str:
    """Path under ``feeds/`` of the show page (None: the audio language) or a companion page."""
    return PAGE_FILE if lang is None else f"{lang}/{PAGE_FILE}"


def episode_file_path(slug: str, *parts: str) -> str:
    """Path under ``feeds/`` of a file of a published episode."""
    return "/".join((EPISODES_DIR, slug) + parts)


def url_for(show: Show, path: str) -> str:
    """Absolute URL of a file under ``feeds/`` (path segments percent-encoded)."""
    return show.base_url.rstrip("/") + "/" + quote(path, safe="/-._~")


# --------------------------------------------------------------------------- what a server sends
_BY_NAME = {
    CHAPTERS_FILE: CHAPTERS_TYPE,
    FEED_FILE: FEED_TYPE + "; charset=utf-8",
}
_BY_SUFFIX = {
    ".vtt": "text/vtt; charset=utf-8",
    ".srt": "application/x-subrip; charset=utf-8",
    ".json": "application/json",
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".xml": "application/xml",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".mp3": "audio/mpeg",
    ".m4a": "audio/mp4",
    ".mp4": "video/mp4",
    ".aac": "audio/aac",
    ".ogg": "audio/ogg",
    ".oga": "audio/ogg",
    ".opus": "audio/ogg",
    ".wav": "audio/wav",
    ".flac": "audio/flac",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".webp": "image/webp",
    ".svg": "image/svg+xml",
    ".ico": "image/x-icon",
}


def mime_type(path: str | os.PathLike[str]) -> str:
    """The Content-Type for a published file (by file name, then suffix)."""
    name = Path(path).name.lower()
    if name in _BY_NAME:
        return _BY_NAME[name]
    return _BY_SUFFIX.get(Path(name).suffix, "application/octet-stream")
