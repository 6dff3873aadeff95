"""Segmentation: timed sentences → guideline-clean cues, and the QC rules.

Interface (used by the pipeline and by translation)::

    segment(transcript, *, slug, profile=None) -> tuple[Cue, ...]
    check(cues, *, lang, profile=None) -> list[Finding]  (toolkit.findings)
    wrap_lines(text, *, lang, profile=None) -> tuple[str, ...]
    layout(cues, *, lang, profile=None) -> tuple[Cue, ...]   (target-language sub-cues)

The numbers live in :class:`Profile` (Netflix English by default, with
Subtitle Edit's per-language limits); the line-breaking rules in
:mod:`toolkit.segment.breaks`; the cue splitter in :mod:`toolkit.segment.cues`;
the QC rules in :mod:`toolkit.segment.qc`; the target-language layout (a
translation that does not fit its source cue: extended, split into sub-cues)
in :mod:`toolkit.segment.layout`.
"""

from __future__ import annotations

from .cues import cue_id_base, normalise_text, segment, wrap_lines
from .layout import layout, source_of, sub_id
from .profile import DEFAULT_PROFILE, LANGUAGE_LIMITS, Profile
from .qc import RULES, check

__all__ = [
    "segment",
    "check",
    "wrap_lines",
    "layout",
    "sub_id",
    "source_of",
    "Profile",
    "DEFAULT_PROFILE",
    "LANGUAGE_LIMITS",
    "RULES",
    "cue_id_base",
    "normalise_text",
]
