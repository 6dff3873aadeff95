"""Whisper JSON (``.json``) → a timed transcript.

Accepted shapes (what openai-whisper, faster-whisper and WhisperX write)::

    {"segments": [{"start": 0.0, "end": 2.5, "text": " Hello.",
                   "words": [{"start": 0.0, "end": 0.4, "word": " Hello."}],
                   "speaker": "SPEAKER_00"}]}
    [{"start": 0.0, "end": 2.5, "text": "Hello."}, ...]      # a bare list

Times are seconds (int or float) → integer ms.  ``words`` become
:attr:`~toolkit.model.Sentence.words`; ``speaker`` (diarised output) names the
speaker.  A wrong shape is an :class:`~toolkit.errors.InputError` naming the
JSON path (``segments[3].end``).
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..model import Transcript, Word
from .common import ReadOptions
from .encoding import read_text
from .timed import Segment, build_transcript

__all__ = ["read_whisper"]


def _seconds(value: Any, where: str, path: Path) -> int:
    # bool is an int subclass in Python; true/false is never a time.
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise InputError(f"{where}: expected a time in seconds, got {json.dumps(value)[:40]}", path=path)
    if value < 0:
        raise InputError(f"{where}: negative time {value}", path=path)
    return round(value * 1000)


def _words(raw: Any, where: str, path: Path) -> tuple[Word, ...]:
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
        words.append(Word(text=text.strip(), start=start, end=end))
    return tuple(words)


def read_whisper(path: Path, options: ReadOptions) -> Transcript:
    """Read Whisper-style JSON (see the module doc)."""
    source = read_text(path)
    if not source.strip():
        raise InputError("transcript is empty", path=path, line=1)
    try:
        data = json.loads(source)
    except json.JSONDecodeError as exc:
        raise InputError(f"not valid JSON: {exc.msg}", path=path, line=exc.lineno) from None
    if isinstance(data, list):
        items, prefix = data, ""
    elif isinstance(data, dict) and isinstance(data.get("segments"), list):
        items, prefix = data["segments"], "segments"
    elif isinstance(data, dict) and "segments" in data:
        raise InputError("segments: expected a list of segments", path=path)
    else:
        raise InputError("expected an object with a 'segments' list (Whisper JSON) or a list of segments", path=path)
    segments: list[Segment] = []
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
            raise InputError(f"{where}.end: segment ends ({item['end']}) before it starts ({item['start']})", path=path)
        speaker = item.get("speaker")
        if speaker is not None and not isinstance(speaker, str):
            raise InputError(f"{where}.speaker: expected a string", path=path)
        if not item["text"].strip():
            continue  # Whisper emits empty segments for silence/music
        segments.append(
            Segment(
                item["text"],
                start,
                end,
                speaker=speaker or None,
                where=f"{where}.start",
                words=_words(item.get("words"), f"{where}.words", path),
            )
        )
    if not segments:
        raise InputError(f"{prefix or 'list'}: no segments with text (empty transcript)", path=path)
    return build_transcript(segments, path, options)
