"""Ingest: the transcript a producer brings → :class:`toolkit.model.Transcript`.

Interface (used by the pipeline)::

    read_transcript(path, *, language, speakers=None, drop_rules=None, encoding=None) -> Transcript
    check_speakable(transcript, audio_path, duration_ms)   # untimed text that fits the audio

The file is decoded by :func:`toolkit.formats.text.read` (BOMs, UTF-16,
legacy code pages detected with charset-normalizer, or ``encoding`` from
``episode.toml``), its format named by the registry
:func:`toolkit.formats.detect` (an unambiguous signature, then the
extension, then the content: captions saved as ``.txt`` are still read as
captions), and the reader for that format in :data:`READERS` builds the
transcript:

================  ==========================================  =========================
format            reader                                      timed?
================  ==========================================  =========================
``text``          :func:`toolkit.ingest.text.read_plain`      no (timing stage aligns;
``markdown``      :func:`toolkit.ingest.text.read_markdown`   turn stamps are anchors)
``subrip``        :func:`toolkit.ingest.srt.read_srt`         yes
``webvtt``        :func:`toolkit.ingest.vtt.read_vtt`         yes
``sbv``           :func:`toolkit.ingest.sbv.read_sbv`         yes
``whisper_json``  :func:`toolkit.ingest.whisper.read_whisper` yes (Whisper, WhisperX)
``podcast_json``  :func:`toolkit.ingest.whisper.read_podcast_json`  yes
================  ==========================================  =========================

The caption readers share :mod:`toolkit.ingest.captions` (rolling and
overlapping auto-captions, ``Name:`` labels, dialogue dashes, cross-talk)
and :mod:`toolkit.ingest.timed` (sentences and their times).  The decoded
encoding is reported in :attr:`Transcript.encoding` when it is not plain UTF-8.

Adding a reader
---------------
1. Put the format itself (reading *and* writing) in ``toolkit/formats/<format>.py``
   and name it in :func:`toolkit.formats.detect`.
2. Write ``toolkit/ingest/<format>.py`` with
   ``read_<format>(text: str, path: Path, options: ReadOptions) -> Transcript``.
   Timed formats turn their cues into :class:`toolkit.ingest.captions.Caption`
   (or :class:`toolkit.ingest.timed.Segment`) objects and let
   :func:`toolkit.ingest.timed.build_transcript` do the rest.
3. Raise :class:`toolkit.errors.InputError` with ``path`` and ``line`` (or a
   JSON path in the message) for malformed input; report what was skipped in
   ``dropped``; never return a partial transcript silently.
4. Register it in :data:`READERS` below and its extension in
   ``toolkit.config.TRANSCRIPT_SUFFIXES`` so episode folders find the file.
5. Add ``tests/ingest/test_<format>.py``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path

from .. import formats
from ..errors import InputError
from ..formats import limits
from ..formats import text as textcodec
from ..model import Transcript
from ..sanitize import clean_transcript
from .common import ReadOptions
from .sanity import check_speakable
from .sbv import read_sbv
from .sentences import split_sentences
from .srt import read_srt
from .text import read_markdown, read_plain
from .vtt import read_vtt
from .whisper import read_podcast_json, read_whisper

__all__ = ["read_transcript", "check_speakable", "READERS", "Reader", "ReadOptions", "split_sentences"]

#: A reader turns one decoded file into a transcript.
Reader = Callable[[str, Path, ReadOptions], Transcript]

#: Format name (:data:`toolkit.formats.FORMATS`) → reader.  See "Adding a reader" above.
READERS: dict[str, Reader] = {
    "text": read_plain,
    "markdown": read_markdown,
    "subrip": read_srt,
    "webvtt": read_vtt,
    "sbv": read_sbv,
    "whisper_json": read_whisper,
    "podcast_json": read_podcast_json,
}


def read_transcript(
    path: Path,
    *,
    language: str,
    speakers: Mapping[str, str] | None = None,
    drop_rules: Sequence[str] | None = None,
    encoding: str | None = None,
) -> Transcript:
    """Read the transcript at ``path`` with the reader for its format.

    ``speakers`` maps transcript labels (``"Li"``, ``"SPEAKER_00"``) to display
    names; an unknown label is used as it is.  ``drop_rules`` (regular
    expressions) replace the built-in boilerplate rules of the text reader.
    ``encoding`` forces a codec (``"cp1252"``).  Raises
    :class:`~toolkit.errors.InputError` (file and line in the message) for
    unreadable, empty or malformed input, and for input past the limits of
    :mod:`toolkit.formats.limits` (file size, line length, cue count, JSON
    nesting and numbers).
    """
    path = Path(path)
    known = sorted(ext for ext, fmt in formats.EXTENSIONS.items() if fmt in READERS or fmt == "json")
    unsupported = InputError(f"unsupported transcript type {path.suffix or '(none)'!r}; expected one of "
                             f"{', '.join(known)}", path=path)
    try:
        # NULs are kept for the WebVTT parser (the W3C algorithm makes them U+FFFD)
        decoded = textcodec.read(path, encoding=encoding, language=language, allow_nul=True)
    except InputError:
        if path.suffix.lower() not in formats.EXTENSIONS and path.is_file():
            raise unsupported from None  # a binary file of another kind (.docx, .mp3)
        raise
    fmt = formats.detect(path, decoded.text)
    reader = READERS.get(fmt or "")
    if reader is None:
        if fmt == "chapters_json":
            raise InputError("this is a chapters file (JSON chapters), not a transcript", path=path)
        raise unsupported
    nul = decoded.text.find("\x00")
    if nul >= 0 and fmt != "webvtt":
        raise InputError("contains NUL characters (a binary file, or UTF-16 without a BOM that could not be "
                         "recognised)", path=path, line=decoded.text.count("\n", 0, nul) + 1)
    if fmt not in ("whisper_json", "podcast_json"):
        limits.check_lines(decoded.text, path)  # (JSON may be minified on one line)
    options = ReadOptions(language=language, speakers=dict(speakers or {}), drop_rules=drop_rules)
    transcript = clean_transcript(reader(decoded.text, path, options), path)
    if decoded.codec != "utf-8" or encoding is not None:
        label = decoded.label + (" (detected)" if decoded.detected else " (episode.toml)" if encoding else "")
        transcript = replace(transcript, encoding=label)
    return transcript
