"""Whisper JSON (openai-whisper, faster-whisper, WhisperX): reader and writer.

Accepted shapes::

    {"segments": [{"start": 0.0, "end": 2.5, "text": " Hello.",
                   "words": [{"start": 0.0, "end": 0.4, "word": " Hello.",
                              "speaker": "SPEAKER_00"}],
                   "speaker": "SPEAKER_00"}],
     "language": "en"}
    [{"start": 0.0, "end": 2.5, "text": "Hello."}, ...]      # a bare list

Times are seconds (int or float) → integer ms.  ``speaker`` (WhisperX's
``assign_word_speakers``) names the speaker of a segment and of each word.
A wrong shape is an :class:`~toolkit.errors.InputError` naming the JSON path
(``segments[3].end``).  The toolkit keeps its own code: no maintained Python
package reads these files.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import InputError
from . import timecode
from . import limits
from .limits import check_count, clip, load_json

__all__ = ["WhisperWord", "WhisperSegment", "WhisperDocument", "parse", "write", "looks_like_whisper"]


@dataclass(frozen=True, slots=True)
class WhisperWord:
    text: str
    start: int
    end: int
    speaker: str | None = None


@dataclass(frozen=True, slots=True)
class WhisperSegment:
    """One segment; ``where`` is its JSON path (``segments[3]``)."""

    start: int
    end: int
    text: str
    where: str
    speaker: str | None = None
    words: tuple[WhisperWord, ...] = ()


@dataclass(frozen=True)
class WhisperDocument:
    segments: tuple[WhisperSegment, ...]
    language: str | None = None
    prefix: str = "segments"  # JSON path of the segment list ("" for a bare list)


def looks_like_whisper(data: Any) -> bool:
    """A decoded JSON value in one of the shapes above."""
    items = data.get("segments") if isinstance(data, dict) else data
    return isinstance(items, list) and all(
        isinstance(x, dict) and "text" in x and "start" in x for x in items[:5]) and bool(items)


def _seconds(value: Any, where: str, path: str | Path | None) -> int:
    try:
        return timecode.from_seconds(value)
    except ValueError as exc:
        if isinstance(value, (int, float)) and not isinstance(value, bool) and value < 0:
            raise InputError(f"{where}: negative time {value}", path=path) from None
        if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
            raise InputError(f"{where}: {exc}", path=path) from None  # out of range
        raise InputError(f"{where}: expected a time in seconds, got {clip(json.dumps(value), 40)}",
                         path=path) from None


def _speaker(item: dict[str, Any], where: str, path: str | Path | None) -> str | None:
    speaker = item.get("speaker")
    if speaker is not None and not isinstance(speaker, str):
        raise InputError(f"{where}.speaker: expected a string", path=path)
    return speaker or None


def _words(raw: Any, where: str, path: str | Path | None) -> tuple[WhisperWord, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise InputError(f"{where}: expected a list of words", path=path)
    words = []
    for k, item in enumerate(raw):
        at = f"{where}[{k}]"
        if not isinstance(item, dict):
            raise InputError(f"{at}: expected an object", path=path)
        text = item.get("word", item.get("text"))
        if not isinstance(text, str):
            raise InputError(f"{at}.word: missing or not a string", path=path)
        if "start" not in item or "end" not in item:
            # WhisperX leaves words it could not align (often numbers) without
            # times; the sentence still gets its time from the segment.
            continue
        start, end = _seconds(item["start"], f"{at}.start", path), _seconds(item["end"], f"{at}.end", path)
        if end < start:
            raise InputError(f"{at}.end: word ends before it starts", path=path)
        words.append(WhisperWord(text.strip(), start, end, _speaker(item, at, path)))
    return tuple(words)


def parse(text: str, path: str | Path | None = None) -> WhisperDocument:
    """Whisper-style JSON text → segments (see the module doc)."""
    if not text.strip():
        raise InputError("transcript is empty", path=path, line=1)
    data = load_json(text, path)
    if isinstance(data, list):
        items, prefix = data, ""
    elif isinstance(data, dict) and isinstance(data.get("segments"), list):
        items, prefix = data["segments"], "segments"
    elif isinstance(data, dict) and "segments" in data:
        raise InputError("segments: expected a list of segments", path=path)
    else:
        raise InputError("expected an object with a 'segments' list (Whisper JSON) or a list of segments",
                         path=path)
    check_count(len(items), "segments", path, where=f"{prefix}[{limits.MAX_CUES}]")
    segments: list[WhisperSegment] = []
    for k, item in enumerate(items):
        where = f"{prefix}[{k}]"
        if not isinstance(item, dict):
            raise InputError(f"{where}: expected an object", path=path)
        for key in ("start", "end", "text"):
            if key not in item:
                raise InputError(f"{where}.{key}: missing", path=path)
        if not isinstance(item["text"], str):
            raise InputError(f"{where}.text: expected a string", path=path)
        start, end = _seconds(item["start"], f"{where}.start", path), _seconds(item["end"], f"{where}.end", path)
        if end < start:
            raise InputError(f"{where}.end: segment ends ({item['end']}) before it starts ({item['start']})",
                             path=path)
        segments.append(WhisperSegment(start, end, item["text"], where, _speaker(item, where, path),
                                       _words(item.get("words"), f"{where}.words", path)))
    language = data.get("language") if isinstance(data, dict) else None
    return WhisperDocument(tuple(segments), language if isinstance(language, str) else None, prefix)


def write(segments: Sequence[WhisperSegment], *, language: str | None = None) -> str:
    """Whisper JSON (``{"segments": [...]}``; sorted keys, seconds with ms precision)."""
    out: dict[str, Any] = {"segments": []}
    for k, seg in enumerate(segments):
        item: dict[str, Any] = {"id": k, "start": timecode.seconds(seg.start), "end": timecode.seconds(seg.end),
                                "text": seg.text}
        if seg.speaker:
            item["speaker"] = seg.speaker
        if seg.words:
            item["words"] = [{"word": w.text, "start": timecode.seconds(w.start), "end": timecode.seconds(w.end),
                              **({"speaker": w.speaker} if w.speaker else {})} for w in seg.words]
        out["segments"].append(item)
    if language:
        out["language"] = language
    return json.dumps(out, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
