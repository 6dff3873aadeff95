"""Segmentation: timed sentences → guideline-clean cues, and the QC rules.

Interface (used by the pipeline and by translation)::

    segment(transcript, *, slug, profile=None) -> tuple[Cue, ...]
    check(cues, *, lang, profile=None) -> list[Finding]  (toolkit.findings)
    wrap_lines(text, *, lang, profile=None) -> tuple[str, ...]

The numbers live in :class:`Profile` (Netflix English by default, with
Subtitle Edit's per-language limits); the line-breaking rules in
:mod:`toolkit.segment.breaks`; the cue splitter in :mod:`toolkit.segment.cues`;
the QC rules in :mod:`toolkit.segment.qc`.
"""

from __future__ import annotations

from .cues import cue_id_base, normalise_text, segment, wrap_lines
from .profile import DEFAULT_PROFILE, LANGUAGE_LIMITS, Profile
from .qc import RULES, check

__all__ = [
    "segment",
    "check",
    "wrap_lines",
    "Profile",
    "DEFAULT_PROFILE",
    "LANGUAGE_LIMITS",
    "RULES",
    "cue_id_base",
    "normalise_text",
]
