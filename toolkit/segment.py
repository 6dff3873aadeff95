"""Segmentation: timed sentences → guideline-clean cues, and the QC rules.

Interface (used by the pipeline)::

    segment(transcript, *, slug, profile=None) -> tuple[Cue, ...]
    check(cues, *, lang, profile=None) -> list[QcIssue]
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import Cue, Transcript


@dataclass(frozen=True)
class QcIssue:
    cue: str
    rule: str
    message: str


def segment(transcript: Transcript, *, slug: str, profile: object = None) -> tuple[Cue, ...]:
    raise NotImplementedError  # filled in by the segmentation stage


def check(cues: tuple[Cue, ...], *, lang: str, profile: object = None) -> list[QcIssue]:
    raise NotImplementedError
