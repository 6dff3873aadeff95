"""gettext PO (``.po``/``.pot``): reader and writer, through polib.

The toolkit's translator exports use one entry per cue (``msgctxt`` = cue id,
``msgid`` = source text, ``msgstr`` = translation, an extracted comment
``#.``, ``#, fuzzy`` for stale cues); this module only turns entries into PO
text and back, polib doing the format itself (wrapping, escaping,
plural-free entries, obsolete ``#~`` entries skipped on read).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError
from . import timecode
from . import limits
from .limits import check_count, clip

__all__ = ["PoEntry", "PoDocument", "write", "parse", "looks_like_po", "range_comment", "parse_range"]


@dataclass(frozen=True, slots=True)
class PoEntry:
    msgctxt: str | None
    msgid: str
    msgstr: str
    comment: str = ""  # extracted comment (#.)
    fuzzy: bool = False
    line: int = 0  # 1-based line of the entry in the file read


@dataclass(frozen=True)
class PoDocument:
    metadata: dict[str, str]
    entries: tuple[PoEntry, ...]


def write(entries: Sequence[PoEntry], *, header: str = "", metadata: Mapping[str, str] | None = None) -> str:
    """PO text (UTF-8, wrapped at 78 like msgmerge, a final newline)."""
    import polib  # imported by the commands that need it: it is not light

    po = polib.POFile(wrapwidth=78, encoding="utf-8")
    po.header = header
    po.metadata = dict(metadata or {})
    for e in entries:
        po.append(polib.POEntry(msgctxt=e.msgctxt, msgid=e.msgid, msgstr=e.msgstr, comment=e.comment,
                                flags=["fuzzy"] if e.fuzzy else []))
    return str(po) + "\n"


def looks_like_po(text: str) -> bool:
    """Does ``text`` have a ``msgid "`` line?"""
    return any(line.startswith("msgid ") and '"' in line for line in text.split("\n"))


# polib.pofile() takes a file name *or* content, and opens the file when the
# string names one: a translator's file holding just a path ("/etc/passwd",
# another show's PO file) would be read from disk instead.  Blank lines at the
# end (nothing to a PO parser) make the string longer than any path can be
# (PATH_MAX 4096, NAME_MAX 255), so it is always read as content.
_NOT_A_PATH = "\n" * 4097


def parse(text: str, path: str | Path | None = None) -> PoDocument:
    """PO text → metadata and the non-obsolete entries (at most
    :data:`~toolkit.formats.limits.MAX_CUES`)."""
    import polib  # polib only when a PO file is read or written (import time)

    try:
        po = polib.pofile(text + _NOT_A_PATH, encoding="utf-8")
    except (OSError, ValueError) as exc:
        raise InputError(f"not a readable PO file ({clip(str(exc), 120)})", path=path) from None
    if len(po) > limits.MAX_CUES:
        check_count(len(po), "entries", path, line=po[limits.MAX_CUES].linenum)
    entries = tuple(
        PoEntry(e.msgctxt or None, e.msgid, e.msgstr, e.comment or "", "fuzzy" in e.flags, e.linenum or 0)
        for e in po if not e.obsolete
    )
    return PoDocument(dict(po.metadata), entries)


def range_comment(start: int, end: int) -> str:
    """The time range an extracted comment starts with: ``00:00:01.000 --> 00:00:03.500``."""
    return f"{timecode.vtt(start)} --> {timecode.vtt(end)}"


def parse_range(comment: str) -> tuple[int, int] | None:
    """The ``(start, end)`` ms of a comment starting with :func:`range_comment`'s text, else None."""
    words = comment.split()
    if len(words) < 3 or words[1] != "-->":
        return None
    start, end = timecode.parse_vtt(words[0]), timecode.parse_vtt(words[2])
    return (start, end) if start is not None and end is not None else None
