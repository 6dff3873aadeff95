"""Podcast namespace JSON chapters (``application/json+chapters``, version 1.2.0).

::

    {"version": "1.2.0", "title": "…", "podcastName": "…",
     "chapters": [{"startTime": 0, "title": "Introduction"}, …]}

:func:`write` renders chapters in ascending ``startTime`` (a stable sort, so
equal starts keep their order); :func:`problems` reads a file's text and lists
what is wrong with it (for ``toolkit check``); :func:`parse` reads one back.
No maintained Python package handles the format.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..errors import InputError
from . import timecode
from .limits import load_json

__all__ = ["Chapter", "write", "parse", "problems", "VERSION"]

VERSION = "1.2.0"
MAX_SECONDS = timecode.MAX_MS / 1000


@dataclass(frozen=True, slots=True)
class Chapter:
    start: int  # ms
    title: str


def write(chapters: Sequence[Chapter], *, title: str | None = None, podcast_name: str | None = None) -> str:
    """The chapters JSON text (deterministic, ``\\n``, final newline)."""
    ordered = sorted(chapters, key=lambda c: c.start)
    doc: dict[str, Any] = {"version": VERSION}
    if title:
        doc["title"] = title
    if podcast_name:
        doc["podcastName"] = podcast_name
    doc["chapters"] = [{"startTime": timecode.seconds(c.start), "title": c.title} for c in ordered]
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def problems(text: str) -> list[str]:
    """What makes ``text`` an invalid chapters file (empty list = fine)."""
    try:
        data = load_json(text)
    except InputError as exc:
        return [f"chapters file is not JSON: {exc}"]
    if not isinstance(data, dict):
        return ["chapters JSON must be an object"]
    found = []
    if not isinstance(data.get("version"), str):
        found.append("chapters JSON needs a 'version' string (\"1.2.0\")")
    chapters = data.get("chapters")
    if not isinstance(chapters, list):
        return found + ["chapters JSON needs a 'chapters' array"]
    previous: float | None = None
    for i, chapter in enumerate(chapters):
        start = chapter.get("startTime") if isinstance(chapter, dict) else None
        if isinstance(start, bool) or not isinstance(start, (int, float)) or not 0 <= start <= MAX_SECONDS:
            found.append(f"chapter {i + 1}: startTime must be a number of seconds ≥ 0")
            continue
        if previous is not None and start <= previous:
            found.append(f"chapter {i + 1}: startTime {start} is not after the previous {previous}")
        previous = float(start)
    return found


def parse(text: str) -> list[Chapter]:
    """Chapters of a valid file (ValueError with the first problem otherwise)."""
    found = problems(text)
    if found:
        raise ValueError(found[0])
    data = load_json(text)
    return [Chapter(timecode.from_seconds(c["startTime"]), str(c.get("title", ""))) for c in data["chapters"]]
