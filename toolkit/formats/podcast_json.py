"""Podcast Index transcript JSON (``application/json`` in ``podcast:transcript``).

::

    {"version": "1.0.0",
     "segments": [{"speaker": "Ana Ruiz", "startTime": 0.8, "endTime": 4.321, "body": "Priya, you brought…"}]}

The writer is what ``toolkit publish`` puts in ``transcript.json``: fixed key
order, times in seconds with millisecond precision, ``speaker`` left out when
unknown, UTF-8 without escaping, two-space indent and a final newline.  The
reader accepts such files as transcripts too (some hosts export them), with
errors naming the JSON path.  No maintained Python package handles the
format, so the toolkit keeps its own code.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import InputError
from . import timecode
from . import limits
from .limits import check_count, clip, load_json

__all__ = ["Segment", "write", "parse", "looks_like_podcast_json", "VERSION"]

VERSION = "1.0.0"


@dataclass(frozen=True, slots=True)
class Segment:
    start: int
    end: int
    body: str
    speaker: str | None = None
    where: str = ""


def write(segments: Iterable[Segment]) -> str:
    """The transcript JSON text (deterministic): the bytes of ``json.dumps(…,
    ensure_ascii=False, indent=2)`` of the object above, spelled out directly --
    with an indent the standard library falls back to its pure-Python encoder,
    which was 10 % of rendering an episode's files (a catalogue renders
    thousands); strings and numbers still go through the stdlib's own (C)
    spellings, and a differential test holds the two outputs equal."""
    items: list[str] = []
    for seg in segments:
        head = f'      "speaker": {_string(seg.speaker)},\n' if seg.speaker else ""
        items.append(f'    {{\n{head}      "startTime": {_seconds(seg.start)},\n'
                     f'      "endTime": {_seconds(seg.end)},\n'
                     f'      "body": {_string(seg.body)}\n    }}')
    listed = "[\n" + ",\n".join(items) + "\n  ]" if items else "[]"
    return f'{{\n  "version": {_string(VERSION)},\n  "segments": {listed}\n}}\n'


#: How ``json.dumps(ensure_ascii=False)`` spells a string.
_string = json.encoder.encode_basestring


def _seconds(ms: int) -> str:
    """A time as ``json.dumps`` spells it (``timecode.seconds`` is always a finite float)."""
    return float.__repr__(timecode.seconds(ms))


def looks_like_podcast_json(data: Any) -> bool:
    """A decoded JSON value shaped like a Podcast Index transcript."""
    items = data.get("segments") if isinstance(data, dict) else None
    return isinstance(items, list) and bool(items) and all(
        isinstance(x, dict) and "startTime" in x and "body" in x for x in items[:5])


def _time(value: Any, where: str, path: str | Path | None) -> int:
    try:
        return timecode.from_seconds(value)
    except ValueError as exc:
        if isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0 and math.isfinite(value):
            raise InputError(f"{where}: {exc}", path=path) from None  # out of range
        raise InputError(f"{where}: expected a time in seconds ≥ 0, got {clip(json.dumps(value), 40)}",
                         path=path) from None


def parse(text: str, path: str | Path | None = None) -> list[Segment]:
    """Transcript JSON text → segments (InputError naming the JSON path)."""
    data = load_json(text, path)
    if not isinstance(data, dict) or not isinstance(data.get("segments"), list):
        raise InputError("expected an object with a 'segments' list (Podcast Index transcript JSON)", path=path)
    check_count(len(data["segments"]), "segments", path, where=f"segments[{limits.MAX_CUES}]")
    out: list[Segment] = []
    for k, item in enumerate(data["segments"]):
        where = f"segments[{k}]"
        if not isinstance(item, dict):
            raise InputError(f"{where}: expected an object", path=path)
        for key in ("startTime", "endTime", "body"):
            if key not in item:
                raise InputError(f"{where}.{key}: missing", path=path)
        if not isinstance(item["body"], str):
            raise InputError(f"{where}.body: expected a string", path=path)
        speaker = item.get("speaker")
        if speaker is not None and not isinstance(speaker, str):
            raise InputError(f"{where}.speaker: expected a string", path=path)
        start, end = _time(item["startTime"], f"{where}.startTime", path), _time(item["endTime"], f"{where}.endTime", path)
        if end < start:
            raise InputError(f"{where}.endTime: segment ends before it starts", path=path)
        out.append(Segment(start, end, item["body"], speaker or None, where))
    return out
