"""The formats layer: one module per file format, each reading **and**
writing it.  No other module parses or writes a subtitle format or a
timestamp, or decodes file bytes.

================  ===========================  ==========================================
module            format                       read / write through
================  ===========================  ==========================================
:mod:`.webvtt`    WebVTT (``.vtt``)            own W3C parser and writer
:mod:`.subrip`    SubRip (``.srt``)            own tolerant reader, writer
:mod:`.sbv`       YouTube SBV (``.sbv``)       webvtt-py reader, own writer
:mod:`.whisper_json`  Whisper / WhisperX JSON  own (errors name the JSON path)
:mod:`.podcast_json`  Podcast Index transcript JSON   own
:mod:`.chapters_json` Podcast namespace chapters JSON own
:mod:`.po`        gettext PO                   polib
:mod:`.xliff`     XLIFF 1.2 / 2.0, TMX 1.4     translate-toolkit (lxml, no entities)
:mod:`.timecode`  every timestamp spelling     own, linear scans
:mod:`.text`      bytes → text                 BOMs, UTF-16 sniffing, charset-normalizer
:mod:`.json_text` indented JSON (writing)       the stdlib's C spellings, ``json.dumps``' text
================  ===========================  ==========================================

:func:`detect` is the registry, as pysubs2 has one: it names the format of a
file from an unambiguous signature in its content (``WEBVTT``), else from
its extension, else from what the content looks like (a caption file saved
as ``.txt`` is still read as captions).
"""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError
from . import podcast_json, po, sbv, timecode, whisper_json, xliff
from .limits import load_json

__all__ = ["EXTENSIONS", "FORMATS", "detect", "sniff"]

#: Format names (what :func:`detect` returns).
FORMATS = ("webvtt", "subrip", "sbv", "whisper_json", "podcast_json", "chapters_json", "po", "xliff", "text", "markdown")

#: Extension (lower case, with the dot) → format; ``.json`` is decided by content.
EXTENSIONS: dict[str, str] = {
    ".vtt": "webvtt",
    ".webvtt": "webvtt",
    ".srt": "subrip",
    ".sbv": "sbv",
    ".json": "json",
    ".po": "po",
    ".pot": "po",
    ".xlf": "xliff",
    ".xliff": "xliff",
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
}

_SNIFF_LINES = 30


def _json_kind(text: str) -> str | None:
    try:
        data = load_json(text)
    except InputError:
        return None  # the reader says what is wrong with it
    if podcast_json.looks_like_podcast_json(data):
        return "podcast_json"
    if whisper_json.looks_like_whisper(data):
        return "whisper_json"
    if isinstance(data, dict) and isinstance(data.get("chapters"), list):
        return "chapters_json"
    return None


def sniff(text: str) -> str | None:
    """The format ``text`` looks like, from its content alone (None: plain text
    or unknown).  Reads at most the first 30 non-blank lines (and, for JSON,
    parses the document)."""
    head = text.lstrip("\ufeff \t\n")
    if head.startswith("WEBVTT") and (len(head) == 6 or head[6] in " \t\n"):
        return "webvtt"
    if head[:1] == "<" and xliff.looks_like_xliff(head):
        return "xliff"
    if head[:1] in ("{", "["):
        kind = _json_kind(text)
        if kind is not None:
            return kind
    seen = 0
    for line in text.split("\n"):
        if not line.strip():
            continue
        seen += 1
        if seen > _SNIFF_LINES:
            break
        if "-->" in line:
            left, _, right = line.strip().partition("-->")
            end = right.split()[0] if right.split() else ""
            if timecode.parse_srt(left.strip()) is not None and timecode.parse_srt(end) is not None:
                return "subrip"
        elif sbv.looks_like_sbv(line):
            return "sbv"
    if po.looks_like_po(text[:20000]) and "msgstr" in text[:20000]:
        return "po"
    return None


def detect(path: str | Path, text: str) -> str | None:
    """The format of the file ``path`` with content ``text`` (see the module doc)."""
    ext = EXTENSIONS.get(Path(path).suffix.lower())
    head = text.lstrip("\ufeff \t\n")
    if head.startswith("WEBVTT") and (len(head) == 6 or head[6] in " \t\n"):
        return "webvtt"
    if ext == "json":
        return _json_kind(text) or "whisper_json"
    if ext in (None, "text", "markdown"):
        sniffed = sniff(text)
        if sniffed is not None:
            return sniffed
    return ext
