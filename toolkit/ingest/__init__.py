"""Ingest: one reader per transcript shape → :class:`toolkit.model.Transcript`.

Interface (used by the pipeline)::

    read_transcript(path, *, language, speakers, drop_rules=None) -> Transcript
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from ..model import Transcript


def read_transcript(
    path: Path,
    *,
    language: str,
    speakers: Mapping[str, str] | None = None,
    drop_rules: Sequence[str] | None = None,
) -> Transcript:
    raise NotImplementedError  # filled in by the ingest stage
