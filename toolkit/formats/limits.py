"""The limits every reader enforces, and the checks that enforce them.

A transcript or a translator's file comes from someone else, so nothing in
it may make the toolkit slow, hungry or crash.  Every reader is linear in the
size of its input (no regular expression that can backtrack, no step that
rescans what it has read); the limits below are the safety net, each refused
early with one line naming the file and the line (or the JSON path):

=========================  ===============  ==============================================
limit                      value            why this value
=========================  ===============  ==============================================
:data:`MAX_FILE_BYTES`     16 MiB           the most verbose real layouts (word-timed
                                            WhisperX JSON, yt-dlp rolling VTT with word
                                            tags) take about 0.9 MB per hour of speech:
                                            16 MiB is an 18-hour episode; plain text is
                                            ~50 KB per hour
:data:`MAX_LINE_CHARS`     200 000          a paragraph of about 3.5 hours of speech on
                                            one line still passes (not for JSON, which
                                            may be minified on one line)
:data:`MAX_CUES`           200 000          cues / segments / PO entries in one file:
                                            a 48-hour rolling auto-caption file has ~170 000
:data:`MAX_JSON_DEPTH`     32               Whisper / WhisperX JSON nests 5 levels,
                                            Podcast Index and chapters JSON 3 or 4
:data:`MAX_NUMBER_CHARS`   40               a JSON number literal (a double is at most
                                            24 characters: ``-1.2345678901234567e-308``)
:data:`MAX_CUE_TAG_DEPTH`  32               nested WebVTT cue-text tags (``<b><i>…``);
                                            deeper tags are ignored, their text kept
=========================  ===============  ==============================================

Times have their own bound, :data:`toolkit.formats.timecode.MAX_HOURS`.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from os import PathLike
from pathlib import Path
from typing import Any

from ..errors import InputError

__all__ = [
    "MAX_FILE_BYTES",
    "MAX_LINE_CHARS",
    "MAX_CUES",
    "MAX_JSON_DEPTH",
    "MAX_NUMBER_CHARS",
    "MAX_CUE_TAG_DEPTH",
    "read_bounded",
    "check_lines",
    "check_count",
    "load_json",
    "clip",
    "quoted",
]

MAX_FILE_BYTES = 16 * 1024 * 1024
MAX_LINE_CHARS = 200_000
MAX_CUES = 200_000
MAX_JSON_DEPTH = 32
MAX_NUMBER_CHARS = 40
MAX_CUE_TAG_DEPTH = 32

_Where = str | PathLike[str] | None


def clip(text: str, size: int = 60) -> str:
    """``text`` cut to ``size`` characters (``…`` marks the cut), for messages:
    a piece of a hostile file never makes an error line long."""
    return text if len(text) <= size else text[: size - 1] + "…"


def quoted(text: str | None, size: int = 60) -> str:
    """``repr(text)`` in at most ``size`` characters (plus the quotes), for messages
    (the escapes of control or invisible characters count too)."""
    shown = repr(text[: size + 1] if text else text)
    return shown if len(shown) <= size + 2 else shown[: size + 1] + "…" + shown[-1]


def read_bounded(path: str | Path, *, what: str = "transcript", limit: int | None = None) -> bytes:
    """The bytes of ``path``, refused (before reading it all) when over ``limit``
    (default :data:`MAX_FILE_BYTES`).

    A missing or unreadable file is an :class:`~toolkit.errors.InputError` too.
    """
    limit = MAX_FILE_BYTES if limit is None else limit
    try:
        with open(path, "rb") as fh:
            data = fh.read(limit + 1)
    except FileNotFoundError:
        raise InputError(f"{what} file not found", path=path) from None
    except IsADirectoryError:
        raise InputError(f"{what} is a folder, not a file", path=path) from None
    except OSError as exc:
        raise InputError(f"cannot read {what}: {exc.strerror or exc}", path=path) from None
    if len(data) > limit:
        raise InputError(f"{what} file is larger than {limit // (1024 * 1024)} MiB (the toolkit's limit for "
                         f"one file)", path=path, hint="split the episode, or check that this is the right file")
    return data


def check_lines(text: str, path: _Where = None, *, limit: int | None = None) -> None:
    """Refuse a line longer than ``limit`` characters (naming its line number).

    Linear, and cheap: it jumps from the last line end within each window of
    ``limit`` characters to the next, so it touches a line end per window,
    not per line.  ``limit`` defaults to :data:`MAX_LINE_CHARS`.
    """
    limit = MAX_LINE_CHARS if limit is None else limit
    n, pos = len(text), 0
    while n - pos > limit:
        nl = text.rfind("\n", pos, pos + limit + 1)
        if nl < 0:
            end = text.find("\n", pos)
            length = (n if end < 0 else end) - pos
            raise InputError(f"line is {length:,} characters long (at most {limit:,} per line)", path=path,
                             line=text.count("\n", 0, pos) + 1,
                             hint="is this a transcript? Put line breaks between paragraphs")
        pos = nl + 1


def check_count(count: int, what: str, path: _Where = None, *, line: int | None = None,
                where: str | None = None, limit: int | None = None) -> None:
    """Refuse more than ``limit`` (default :data:`MAX_CUES`) cues (``what``:
    "cues", "segments", "entries"); ``line`` or ``where`` (a JSON path) names
    the first one over the limit."""
    limit = MAX_CUES if limit is None else limit
    if count > limit:
        at = f"{where}: " if where else ""
        raise InputError(f"{at}more than {limit:,} {what} in one file (the toolkit's limit)", path=path, line=line,
                         hint="split the episode, or check that this is the right file")


class _NumberError(ValueError):
    def __init__(self, literal: str, why: str) -> None:
        super().__init__(why)
        self.literal, self.why = literal, why


def _int(literal: str) -> int:
    if len(literal) > MAX_NUMBER_CHARS:
        raise _NumberError(literal, f"a number with {len(literal):,} characters (at most {MAX_NUMBER_CHARS})")
    return int(literal)


def _float(literal: str) -> float:
    if len(literal) > MAX_NUMBER_CHARS:
        raise _NumberError(literal, f"a number with {len(literal):,} characters (at most {MAX_NUMBER_CHARS})")
    value = float(literal)
    if not math.isfinite(value):
        raise _NumberError(literal, f"the number {clip(literal, 30)} is out of range")
    return value


def _children(value: Any, where: str) -> Iterator[tuple[Any, str]]:
    if isinstance(value, dict):
        for key, child in value.items():
            yield child, f"{where}.{key}" if where else str(key)
    elif isinstance(value, list):
        for k, child in enumerate(value):
            yield child, f"{where}[{k}]"


def _too_deep(data: Any) -> str | None:
    """The JSON path of the first value nested deeper than :data:`MAX_JSON_DEPTH`, or None."""
    stack: list[tuple[Any, str, int]] = [(data, "", 1)]
    while stack:
        value, where, depth = stack.pop()
        if not isinstance(value, (dict, list)):
            continue
        if depth > MAX_JSON_DEPTH:
            return where or "(top)"
        stack.extend((child, at, depth + 1) for child, at in _children(value, where))
    return None


def load_json(text: str, path: _Where = None) -> Any:
    """``json.loads`` with the limits: a number literal longer than
    :data:`MAX_NUMBER_CHARS` or out of a double's range (``1e400``), nesting
    deeper than :data:`MAX_JSON_DEPTH`, and invalid JSON are each an
    :class:`~toolkit.errors.InputError` naming the line (or the JSON path).
    ``NaN``/``Infinity`` (which Python writes) load as floats: a reader that
    needs a time refuses them where it reads one.
    """
    try:
        data = json.loads(text, parse_int=_int, parse_float=_float)
    except json.JSONDecodeError as exc:
        raise InputError(f"not valid JSON: {exc.msg}", path=path, line=exc.lineno) from None
    except _NumberError as exc:
        at = text.find(exc.literal)
        raise InputError(exc.why, path=path, line=text.count("\n", 0, at) + 1 if at >= 0 else None) from None
    except RecursionError:
        raise InputError(f"JSON nested deeper than {MAX_JSON_DEPTH} levels", path=path) from None
    deep = _too_deep(data)
    if deep is not None:
        raise InputError(f"{clip(deep, 80)}: JSON nested deeper than {MAX_JSON_DEPTH} levels", path=path)
    return data
