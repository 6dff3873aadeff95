"""Long audio in bounded memory: aligners work in windows that always restart at the same points.

A forced aligner's search (and a DTW matrix) grows with the length of what it
aligns; PocketSphinx's state alignment of a whole hour would need gigabytes.
So both word aligners walk through the audio window by window:

* a window starts at a committed word boundary ``pos`` and aims at the next
  **grid point** (a multiple of 20 s of audio, at least 10 s ahead), plus 10 s
  of look-ahead; its text is the next words, as many as could be spoken in it
  at a generous rate (the aligner may stop anywhere in them);
* after aligning it, the words up to the best boundary near the grid point (the
  longest pause within ±5 s, else the nearest boundary) are committed; the next
  window starts there.

Because commit points are pulled to fixed grid points rather than to "20 s
after wherever this window began", an edit in one sentence changes the windows
around it and, almost always, nothing after the next grid point: the windows
that follow start at the same frame with the same text and give the same
result.  :class:`~toolkit.timing.analysis.AnalysisStore` keeps each window's
result under a digest of its inputs, so a republish after a transcript edit
re-aligns one or two windows instead of the whole episode, and the result is
exactly what a cold run produces.

Long non-speech (music interludes, long silences: Silero VAD below 0.15 for
more than 1.5 s) is cut out of what the aligner sees, keeping 0.3 s at each
side, so no word can be placed in it and music does not skew the features'
normalisation; times are mapped back to the audio.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

log = logging.getLogger(__name__)

__all__ = ["WindowPlan", "WordHit", "walk", "kept_frames", "speech_onset"]

GRID = 2000  # frames (20 s)
MIN_AHEAD = 1000  # a window aims at least 10 s ahead
LOOKAHEAD = 1000  # and sees 10 s past its grid point
COMMIT_RADIUS = 500  # commit at the best boundary within ±5 s of the grid point
NONSPEECH_PROB = 0.15
NONSPEECH_MIN = 150  # frames of non-speech that are cut out
NONSPEECH_KEEP = 30  # frames kept at each side of a cut


@dataclass(frozen=True)
class WordHit:
    """One text word as an aligner placed it (frames; ``end`` exclusive)."""

    index: int  # index into the words of the whole walk
    start: int
    end: int
    score: float  # aligner-specific fit per frame (higher is better; nan when unknown)


@dataclass(frozen=True)
class WindowPlan:
    """What one window aligns: frames [start, end) minus cuts, and words [first, first + count)."""

    start: int
    end: int
    first: int
    count: int
    final: bool  # the last window: every remaining word must be placed


def kept_frames(speech: np.ndarray | None, a: int, b: int) -> np.ndarray:
    """Frame indices in [a, b) the aligner sees: long non-speech runs cut out."""
    idx = np.arange(a, b)
    if speech is None or b <= a:
        return idx
    quiet = speech[a:b] < NONSPEECH_PROB
    keep = np.ones(b - a, dtype=bool)
    n = len(quiet)
    i = 0
    while i < n:
        if not quiet[i]:
            i += 1
            continue
        j = i
        while j < n and quiet[j]:
            j += 1
        if j - i >= NONSPEECH_MIN:
            keep[i + NONSPEECH_KEEP: j - NONSPEECH_KEEP] = False
        i = j
    return idx[keep]


def speech_onset(speech: np.ndarray | None, a: int, b: int, *, min_frames: int = 10, prob: float = 0.5) -> int:
    """First frame in [a, b) that starts ``min_frames`` of speech (a when there is no VAD or none found)."""
    if speech is None or b <= a:
        return a
    on = speech[a:b] >= prob
    run = 0
    for k, v in enumerate(on):
        run = run + 1 if v else 0
        if run >= min_frames:
            return a + k - min_frames + 1
    return a


def _grid_target(pos: int) -> int:
    target = (pos // GRID + 1) * GRID
    if target - pos < MIN_AHEAD:
        target += GRID
    return target


def _commit_index(hits: Sequence[WordHit], target: int) -> int | None:
    """Index in ``hits`` of the last word to commit: best pause near ``target``."""
    best: tuple[float, int] | None = None
    for k in range(len(hits) - 1):
        b = hits[k].end
        if abs(b - target) > COMMIT_RADIUS:
            continue
        gap = hits[k + 1].start - hits[k].end
        score = gap * 10 - abs(b - target) / 10  # a pause wins; among equals, the nearest
        if best is None or score > best[0]:
            best = (score, k)
    if best is not None:
        return best[1]
    near = [(abs(h.end - target), k) for k, h in enumerate(hits[:-1])]
    return min(near)[1] if near else None


def window_key(parts: Any) -> str:
    """Digest of a window's inputs (JSON-serialisable)."""
    blob = json.dumps(parts, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    return hashlib.sha256(blob).hexdigest()[:32]


AlignWindow = Callable[[WindowPlan], list[WordHit]]


def walk(
    n_words: int,
    span: tuple[int, int],
    capacity: Callable[[int, int, int], int],
    align: AlignWindow,
) -> list[WordHit | None]:
    """Align ``n_words`` words over frames ``span`` window by window.

    ``capacity(first, frames, minimum)`` is how many words from ``first`` could
    be spoken in ``frames`` frames (at least ``minimum``); ``align(plan)``
    aligns one window and returns the words it placed, in order, as a prefix of
    the plan's words (absolute indices and frames).  Returns one entry per
    word (None where no window placed it).
    """
    out: list[WordHit | None] = [None] * n_words
    pos, stop = span
    cursor = 0
    guard = 0
    while cursor < n_words and guard < 100_000:
        guard += 1
        target = _grid_target(pos)
        end = min(target + LOOKAHEAD, stop)
        final = end >= stop
        count = n_words - cursor if final else min(n_words - cursor, capacity(cursor, end - pos, 8))
        while True:
            plan = WindowPlan(pos, end, cursor, count, final or cursor + count == n_words and end >= stop)
            hits = align(plan)
            ran_out = (
                not final and cursor + count < n_words and hits and hits[-1].index == cursor + count - 1
                and hits[-1].end < end - 200
            )
            if not ran_out:
                break
            count = min(n_words - cursor, count * 2)  # a fast speaker: give the window more text
        if final:
            for h in hits:
                out[h.index] = h
            break
        k = _commit_index(hits, target)
        if k is None:
            if hits:  # one word in the whole window: commit it
                out[hits[0].index] = hits[0]
                cursor = hits[0].index + 1
                pos = max(hits[0].end, pos + 1)
            else:  # nothing spoken here (all cut out or unmatched): move on
                pos = target
            if pos >= stop:
                break
            continue
        for h in hits[: k + 1]:
            out[h.index] = h
        cursor = hits[k].index + 1
        pos = max(hits[k].end, pos + 1)
    return out
