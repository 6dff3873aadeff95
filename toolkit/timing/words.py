"""From aligned words to timed sentences: confidence, and honest re-timing where it is low.

An aligner (:mod:`.sphinx`, :mod:`.dtw`) places words and scores each by how
well the speech fits it.  Here:

* every word gets a **confidence** in [0, 1] from its score (calibrated per
  method on bench/bench_align.py: correctly placed words score near the top,
  words forced onto speech that says something else score far below);
  a word no window placed (a sentence the audio does not have) gets 0;
* a **low stretch** — three or more consecutive words below 0.5, or a whole
  sentence below it — is re-timed proportionally (by spoken length) between the
  confident words around it, instead of being published at times the aligner
  could not vouch for; its words get :data:`RETIMED_CONFIDENCE`;
* words with nothing to say (a lone dash) take the time between their
  neighbours, and a sentence's times are those of its first and last words.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from .normalize import TextWord, spoken_weight
from .windows import WordHit

__all__ = ["TimedWord", "word_confidence", "assemble", "RETIMED_CONFIDENCE", "LOW"]

#: Below this a word or a sentence is low confidence.
LOW = 0.5
#: Confidence of words re-timed proportionally.
RETIMED_CONFIDENCE = 0.2
#: (score of full confidence, score of none) per method: ln per frame for
#: PocketSphinx, robust z-score of the cepstral distance for DTW (see
#: :func:`toolkit.timing.dtw._relative`).
_CALIBRATION = {"forced": (-2.5, -6.0), "tts-dtw": (-2.0, -5.0)}
_MIN_RUN = 3


@dataclass(frozen=True)
class TimedWord:
    """One whitespace word of the transcript with its time (ms) and confidence."""

    text: str
    start: int
    end: int
    confidence: float
    retimed: bool = False


def word_confidence(score: float, method: str) -> float:
    """Confidence in [0, 1] of a word's aligner score."""
    if math.isnan(score):
        return LOW
    good, bad = _CALIBRATION[method]
    return round(min(1.0, max(0.0, (score - bad) / (good - bad))), 3)


def _weight(word: TextWord, lang: str) -> float:
    return spoken_weight(word.text, lang) if word.forms else 0.0


def _spread(words: Sequence[TextWord], lang: str, a: int, b: int) -> list[tuple[int, int]]:
    """Times for ``words`` spread by spoken length over [a, b]."""
    weights = [_weight(w, lang) for w in words]
    total = sum(weights) or float(len(words)) or 1.0
    if not sum(weights):
        weights = [1.0] * len(words)
    out, acc = [], 0.0
    for w in weights:
        s = a + round((b - a) * acc / total)
        acc += w
        out.append((s, max(s, a + round((b - a) * acc / total))))
    return out


def _hit_times(words: Sequence[TextWord], hits: Sequence[WordHit | None], start_ms: int, method: str,
               frame_ms: int) -> tuple[list[tuple[int, int] | None], list[float]]:
    """Each word's time and confidence from its hit (None/0 without one), kept monotonic."""
    n = len(words)
    conf = [0.0] * n
    times: list[tuple[int, int] | None] = [None] * n
    for k, (w, h) in enumerate(zip(words, hits)):
        if h is None or not w.forms:
            continue
        times[k] = (h.start * frame_ms, max(h.end, h.start + 1) * frame_ms)
        conf[k] = word_confidence(h.score, method)
    # keep times monotonic (windows meet at committed boundaries, but be safe)
    last = start_ms
    for k in range(n):
        t = times[k]
        if t is not None:
            a = max(t[0], last)
            times[k] = (a, max(a, t[1]))
            last = max(a, t[1])
    return times, conf


def _retime_mask(words: Sequence[TextWord], times: Sequence[tuple[int, int] | None], conf: Sequence[float],
                 sentence_of: Sequence[int]) -> list[bool]:
    """The words to re-time: low-confidence stretches over ``_MIN_RUN`` words, or over a
    whole sentence, or with a word the aligner did not place."""
    n = len(words)
    low = [c < LOW or times[k] is None for k, c in enumerate(conf)]
    retime = [False] * n
    k = 0
    while k < n:
        if not low[k] or not words[k].forms:
            k += 1
            continue
        j = k
        while j < n and (low[j] or not words[j].forms):
            j += 1
        spoken = [m for m in range(k, j) if words[m].forms]
        whole = (k == 0 or sentence_of[k - 1] != sentence_of[k]) and (j == n or sentence_of[j] != sentence_of[j - 1])
        if len(spoken) >= _MIN_RUN or whole or any(times[m] is None for m in spoken):
            for m in range(k, j):
                retime[m] = True
        k = j
    return retime


def assemble(
    words: Sequence[TextWord],
    hits: Sequence[WordHit | None],
    sentence_of: Sequence[int],
    span_ms: tuple[int, int],
    method: str,
    lang: str,
    frame_ms: int = 10,
) -> list[TimedWord]:
    """Timed words for one aligned stretch (``span_ms``: where it may lie)."""
    n = len(words)
    times, conf = _hit_times(words, hits, span_ms[0], method, frame_ms)
    retime = _retime_mask(words, times, conf, sentence_of)
    # fill: re-timed stretches and silent words between the confident words around them
    out: list[TimedWord] = []
    k = 0
    while k < n:
        t = times[k]
        if t is not None and not retime[k]:
            out.append(TimedWord(words[k].text, t[0], t[1], conf[k]))
            k += 1
            continue
        j = k
        while j < n and (times[j] is None or retime[j]):
            j += 1
        left = out[-1].end if out else span_ms[0]
        nxt = times[j] if j < n else None
        right = max(nxt[0] if nxt is not None else span_ms[1], left)
        stretch = words[k:j]
        if all(not w.forms for w in stretch):
            out.extend(TimedWord(w.text, left, left, conf[k - 1] if k else 1.0) for w in stretch)
        else:
            for w, (a, b) in zip(stretch, _spread(stretch, lang, left, right)):
                out.append(TimedWord(w.text, a, b, RETIMED_CONFIDENCE, retimed=True))
        k = j
    return out
