"""Every language: synthesize the text with espeak-ng, then dynamic time warping (the aeneas method).

espeak-ng speaks 100+ languages and tells where each word starts in its own
speech (:mod:`.espeak`).  Both the synthetic speech and the episode are turned
into the same MFCC features (:mod:`.features`; the episode's come from the
cached analysis), normalised per window (cepstral mean and variance), and a
DTW path between them carries every synthetic word start over to the episode.

The DTW is our own, on numpy, in the windows of :mod:`.windows` (open end: a
window's audio is matched to a *prefix* of its text), so memory stays bounded
by one window (≈ 3000 × 4500 cells of 1-byte back-pointers) whatever the
episode length.  Each column of the cost recursion is computed at once: the
in-column term D[i, j−1] + c[i, j] unrolls to a running minimum over a cumulative
sum, so there is no Python loop over cells.

Step pattern "symmetric2" (diagonal steps cost twice the local distance),
Euclidean distance over weighted, normalised cepstra; a short synthetic pause
before every sentence (and after the last) so that real pauses have something
to match.  A word's score is the negated mean local distance along
its stretch of the path (higher is better).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from ..errors import ToolMissingError
from . import espeak, features
from .analysis import AnalysisStore, AudioAnalysis
from .normalize import TextWord
from .windows import WindowPlan, WordHit, kept_frames, walk, window_key

log = logging.getLogger(__name__)

__all__ = ["Reference", "synthesize_reference", "align_words", "dtw_path", "available"]

_WINDOW_FORMAT = 1
TTS_WPM = 175
_AUDIBLE = 300  # |sample| above this (≈ −40 dBFS) is speech when trimming synthetic sentences


def available(language: str) -> bool:
    """True when espeak-ng can speak ``language``."""
    return espeak.available() and espeak.voice_for(language) is not None


@dataclass(frozen=True)
class Reference:
    """Synthetic speech features of a list of words: one block per sentence."""

    mfcc: np.ndarray  # (frames, 13)
    word_start: np.ndarray  # first frame of every word (int)
    word_end: np.ndarray  # frame after every word


def _resample(samples: np.ndarray, rate: int) -> np.ndarray:
    if rate == features.RATE:
        return samples
    n = int(round(len(samples) * features.RATE / rate))
    x = np.linspace(0, len(samples) - 1, n)
    return np.interp(x, np.arange(len(samples)), samples.astype(np.float64))


@lru_cache(maxsize=4096)
def _sentence(text: str, voice: str) -> tuple[np.ndarray, tuple[int, ...]]:
    """MFCC of one synthetic sentence and the start frame of each whitespace word."""
    samples, rate, events = espeak.synthesize_words(text, voice=voice, wpm=TTS_WPM)
    tokens = [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]
    loud = np.flatnonzero(np.abs(samples.astype(np.int32)) > _AUDIBLE)
    a = int(loud[0]) if len(loud) else 0
    b = int(loud[-1]) + 1 if len(loud) else len(samples)
    feats = features.mfcc(np.round(_resample(samples[a:b], rate)).astype(np.int16))
    n = len(feats)
    known: list[float | None] = []
    for lo, hi in tokens:
        ev = [e for e in events if lo <= e.char_start < hi]
        if ev:
            t = (ev[0].start_ms * rate / 1000 - a) / rate * 100
            known.append(min(max(t, 0.0), float(n)))
        else:
            known.append(None)
    # words espeak-ng speaks together with the next ("on the") share its span by characters
    starts: list[float] = []
    k = 0
    while k < len(known):
        if known[k] is not None:
            starts.append(known[k])  # type: ignore[arg-type]
            k += 1
            continue
        j = k
        while j < len(known) and known[j] is None:
            j += 1
        lo_t = starts[-1] if starts else 0.0
        hi_t = known[j] if j < len(known) else float(n)
        chars = [tokens[m][1] - tokens[m][0] + 1 for m in range(max(k - 1, 0), j)]
        if k == 0:
            chars = [0] + chars
        total = float(sum(chars)) or 1.0
        acc = 0.0
        for m in range(k, j):
            acc += chars[m - k]
            starts.append(lo_t + (hi_t - lo_t) * acc / total)  # type: ignore[operator]
        k = j
    return feats.astype(np.float32), tuple(int(round(t)) for t in starts)


def synthesize_reference(sentences: Sequence[str], voice: str) -> list[tuple[np.ndarray, tuple[int, ...]]]:
    """Per sentence: synthetic MFCC and the start frame of each of its words."""
    return [_sentence(s, voice) for s in sentences]


#: Synthetic silence put before every sentence (frames).
PAUSE_FRAMES = 15


@lru_cache(maxsize=1)
def _silence() -> np.ndarray:
    return features.mfcc(np.zeros(PAUSE_FRAMES * 160 + 250, dtype=np.int16))[:PAUSE_FRAMES]


#: Weight of each cepstrum after normalisation: the spectral envelope's coarse
#: shape (low cepstra, c0 = loudness) carries across voices, the fine detail
#: (high cepstra) is the synthesizer's own (measured on bench/bench_align.py:
#: Italian sentence-boundary mean 47 → 14 ms, English fallback 55 → 16 ms).
WEIGHTS = np.linspace(2.0, 0.5, features.NCEP)


def _cmvn(x: np.ndarray) -> np.ndarray:
    """Cepstral mean and variance normalisation per window, then the weights."""
    mu = x.mean(axis=0)
    sd = x.std(axis=0)
    out: np.ndarray = (x - mu) / np.where(sd > 1e-6, sd, 1.0) * WEIGHTS
    return out


def dtw_path(query: np.ndarray, ref: np.ndarray, *, open_end: bool) -> np.ndarray:
    """DTW path between ``query`` (episode, N frames) and ``ref`` (synthetic, M frames).

    Returns, for every query frame i, the reference frame it is matched to
    (the last one when several are).  ``open_end``: the query ends somewhere in
    the reference (normalised by path length), else at its end.
    """
    n, m = len(query), len(ref)
    if n == 0 or m == 0:
        return np.zeros(n, dtype=np.int64)
    rr = np.einsum("ij,ij->i", ref, ref)
    back = np.zeros((n, m), dtype=np.int8)  # 0 diagonal, 1 from (i-1, j), 2 from (i, j-1)
    prev = np.empty(m)
    for i in range(n):
        q = query[i]
        cost = np.sqrt(np.maximum(rr - 2.0 * (ref @ q) + float(q @ q), 0.0))
        if i == 0:
            cur = np.cumsum(cost)
            back[0, 1:] = 2
        else:
            diag = np.full(m, np.inf)
            diag[1:] = prev[:-1] + 2.0 * cost[1:]
            up = prev + cost
            b = np.minimum(diag, up)
            choice = np.where(diag <= up, 0, 1).astype(np.int8)
            s = np.cumsum(cost)
            run = np.minimum.accumulate(b - s) + s  # min over k ≤ j of b[k] + cost[k+1..j]
            horiz = run < b - 1e-9
            cur = np.where(horiz, run, b)
            choice[horiz] = 2
            back[i] = choice
        prev = cur
    if open_end:
        j = int(np.argmin(prev / (n + np.arange(1, m + 1))))
    else:
        j = m - 1
    # trace back; the first visit of a row is its largest reference frame
    match = np.full(n, -1, dtype=np.int64)
    i = n - 1
    match[i] = j
    while i > 0 or j > 0:
        if i == 0:
            j -= 1
        else:
            step = back[i, j]
            if step == 0:
                i, j = i - 1, j - 1
            elif step == 1:
                i -= 1
            else:
                j -= 1
        if match[i] < 0:
            match[i] = j
    return match


def align_words(
    words: Sequence[TextWord],
    sentences: Sequence[tuple[int, int]],
    texts: Sequence[str],
    language: str,
    analysis: AudioAnalysis,
    span: tuple[int, int],
    *,
    store: AnalysisStore | None = None,
) -> list[WordHit | None]:
    """Place ``words`` (grouped into ``sentences`` = (first word, count) with ``texts``) in ``span``."""
    voice = espeak.voice_for(language)
    if voice is None:
        raise ToolMissingError(f"espeak-ng has no voice for {language!r}", hint=espeak.HINT)
    refs = synthesize_reference(texts, voice)
    # global word index → (sentence, word in sentence)
    owner: list[tuple[int, int]] = []
    for s_no, (first, count) in enumerate(sentences):
        owner.extend((s_no, k) for k in range(count))
    speech = analysis.speech_prob() if analysis.speech is not None else None
    ref_len = [refs[s][1][k + 1] - refs[s][1][k] if k + 1 < len(refs[s][1]) else len(refs[s][0]) - refs[s][1][k]
               for s, k in owner]

    def capacity(first: int, frames: int, minimum: int) -> int:
        # synthetic frames ≈ 1.6 × the real ones covers a speaker 60 % faster than espeak-ng at 175 wpm
        budget = frames * 1.6
        acc, k = 0, first
        while k < len(words) and (acc < budget or k - first < minimum):
            acc += max(ref_len[k], 1)
            k += 1
        return k - first

    def one(plan: WindowPlan) -> list[WordHit]:
        idx = kept_frames(speech, plan.start, plan.end)
        wlist = list(range(plan.first, plan.first + plan.count))
        key = None
        if store is not None:
            key = window_key(["dtw", _WINDOW_FORMAT, voice, TTS_WPM, plan.start, plan.end, plan.final,
                              int(len(idx)), [texts[owner[w][0]] + f"#{owner[w][1]}" for w in wlist]])
            hit = store.window(key)
            if hit is not None:
                return [WordHit(int(a), int(b), int(c), float(d)) for a, b, c, d in hit]
        blocks, starts, ends = [], [], []
        off = 0
        for w in wlist:
            s, k = owner[w]
            feats, wstarts = refs[s]
            if k == 0 and PAUSE_FRAMES:
                blocks.append(_silence())  # a pause before every sentence: real pauses match it
                off += PAUSE_FRAMES
            a = wstarts[k]
            b = wstarts[k + 1] if k + 1 < len(wstarts) else len(feats)
            blocks.append(feats[a:b])
            starts.append(off)
            off += b - a
            ends.append(off)
        if plan.final and PAUSE_FRAMES:
            blocks.append(_silence())  # the episode's tail
        hits: list[WordHit] = []
        if off and len(idx):
            ref = _cmvn(np.concatenate(blocks).astype(np.float64))
            query = _cmvn(analysis.mfcc[idx].astype(np.float64))
            match = dtw_path(query, ref, open_end=not plan.final)
            last_ref = int(match[-1])
            for w, a, b in zip(wlist, starts, ends):
                if a > last_ref:
                    break  # the window's audio ends before this word
                first_i = int(np.searchsorted(match, a, side="left"))
                end_i = int(np.searchsorted(match, b, side="left"))
                if first_i >= len(idx):
                    break
                end_i = max(end_i, first_i + 1)
                seg_q = query[first_i:min(end_i, len(idx))]
                seg_r = ref[match[first_i:min(end_i, len(idx))]]
                dist = float(np.sqrt(((seg_q - seg_r) ** 2).sum(axis=1)).mean()) if len(seg_q) else 0.0
                start_f = int(idx[first_i])
                end_f = int(idx[min(end_i, len(idx)) - 1]) + 1
                hits.append(WordHit(w, start_f, end_f, round(-dist, 4)))
        if store is not None and key is not None:
            store.put_window(key, [[h.index, h.start, h.end, h.score] for h in hits])
        return hits

    return _relative(walk(len(words), span, capacity, one), ref_len)


def _relative(hits: list[WordHit | None], ref_len: Sequence[int]) -> list[WordHit | None]:
    """Scores made comparable across voices: robust z-scores against this stretch's own words.

    How close synthetic and real speech come depends on the voices, so a raw
    distance says little; a word far worse than the others, or squeezed into a
    fraction (stretched to a multiple) of the time its neighbours take relative
    to the synthetic speech, is what a mismatch looks like (a sentence the
    audio does not have is squeezed to almost nothing).
    """
    placed = [h for h in hits if h is not None]
    if len(placed) < 5:
        return hits
    scores = np.array([h.score for h in placed])
    med = float(np.median(scores))
    mad = max(1.4826 * float(np.median(np.abs(scores - med))), 0.1)
    ratios = np.array([(h.end - h.start) / max(ref_len[h.index], 1) for h in placed])
    med_ratio = float(np.median(ratios)) or 1.0
    out: list[WordHit | None] = []
    for h in hits:
        if h is None:
            out.append(None)
            continue
        z = (h.score - med) / mad
        r = (h.end - h.start) / max(ref_len[h.index], 1) / med_ratio
        if r < 0.3 or r > 3.5:
            z = min(z, -6.0)
        out.append(WordHit(h.index, h.start, h.end, round(z, 3)))
    return out
