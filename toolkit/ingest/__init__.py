"""Ingest: one reader per transcript shape → :class:`toolkit.model.Transcript`.

Interface (used by the pipeline)::

    read_transcript(path, *, language, speakers=None, drop_rules=None) -> Transcript

The reader is chosen by the file extension from :data:`READERS`:

============  ==========================================  =========================
extension     reader                                      timed?
============  ==========================================  =========================
``.txt``      :func:`toolkit.ingest.text.read_plain`      no (timing stage aligns)
``.md``       :func:`toolkit.ingest.text.read_markdown`   no
``.srt``      :func:`toolkit.ingest.srt.read_srt`         yes
``.vtt``      :func:`toolkit.ingest.vtt.read_vtt`         yes
``.json``     :func:`toolkit.ingest.whisper.read_whisper` yes (Whisper output)
============  ==========================================  =========================

Adding a reader
---------------
1. Write ``toolkit/ingest/<format>.py`` with a function
   ``read_<format>(path: Path, options: ReadOptions) -> Transcript``.  Decode
   with :func:`toolkit.ingest.encoding.read_text` (BOMs, UTF-16, CRLF and the
   bad-encoding error come for free).  Timed formats turn their cues into
   :class:`toolkit.ingest.timed.Segment` objects and call
   :func:`toolkit.ingest.timed.build_transcript`, which checks the order,
   groups speakers and re-splits sentences.
2. Raise :class:`toolkit.errors.InputError` with ``path`` and ``line`` (or a
   JSON path in the message) for malformed input; never return a partial
   transcript.
3. Register the extension in :data:`READERS` below and in
   ``toolkit.config.TRANSCRIPT_SUFFIXES`` so episode folders find the file.
4. Add ``tests/ingest/test_<format>.py``: one test per input shape and per bad
   input, plus a hypothesis round trip through a tiny writer.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from ..errors import InputError
from ..model import Transcript
from ..sanitize import clean_transcript
from .common import ReadOptions
from .sentences import split_sentences
from .srt import read_srt
from .text import read_markdown, read_plain
from .vtt import read_vtt
from .whisper import read_whisper

__all__ = ["read_transcript", "READERS", "Reader", "ReadOptions", "split_sentences"]

#: A reader turns one file into a transcript.
Reader = Callable[[Path, ReadOptions], Transcript]

#: Extension (lower case, with the dot) → reader.  See "Adding a reader" above.
READERS: dict[str, Reader] = {
    ".txt": read_plain,
    ".md": read_markdown,
    ".srt": read_srt,
    ".vtt": read_vtt,
    ".json": read_whisper,
}


def read_transcript(
    path: Path,
    *,
    language: str,
    speakers: Mapping[str, str] | None = None,
    drop_rules: Sequence[str] | None = None,
) -> Transcript:
    """Read the transcript at ``path`` with the reader for its extension.

    ``speakers`` maps transcript labels (``"Li"``, ``"CGTN"``) to display names;
    an unknown label is used as it is.  ``drop_rules`` (regular expressions)
    replace the built-in boilerplate rules of the text reader.  Raises
    :class:`~toolkit.errors.InputError` (file and line in the message) for
    unreadable, empty or malformed input.
    """
    path = Path(path)
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        known = ", ".join(sorted(READERS))
        raise InputError(f"unsupported transcript type {path.suffix or '(none)'!r}; expected one of {known}", path=path)
    options = ReadOptions(language=language, speakers=dict(speakers or {}), drop_rules=drop_rules)
    return clean_transcript(reader(path, options), path)
