"""The pause aligner: sentence times from pauses and text length (the fallback method).

Used by :func:`toolkit.timing.time_transcript` where no word aligner speaks
the language (see :mod:`toolkit.timing.timer` for how the method is chosen).
Excellent on read speech with a clear pause after every sentence, useless where
pauses do not follow sentences.  Without any model:

1. **Frame energies.** ffmpeg decodes the first audio track to 16 kHz mono
   s16 in a streaming pipe (:func:`toolkit.timing.ffmpeg.decode_pcm`); only one
   mean-square value per 10 ms frame is kept (≈ 2.9 MB per hour), never the
   PCM.  16 kHz rather than 8 kHz because the energy of /s/ and /f/ at the
   edges of sentences lies above 4 kHz.
2. **Pauses** are found with pydub's silence rule — a window of
   ``min_silence_len`` whose RMS is below ``silence_thresh`` dBFS is silent,
   overlapping silent windows merge (``pydub.silence.detect_silence`` with
   ``seek_step`` = one frame) — computed on the frame energies so the whole
   file need not be an ``AudioSegment``; the tests check both agree.  The
   threshold is relative to the file's own level (dBFS − 16), raised above the
   noise floor when the file is noisy.  Pause edges are then refined to the
   frame where the energy crosses the threshold.
3. **Speech onset/offset** (the lead-in and tail) are the first and last
   non-silent stretches long enough to be speech rather than a click.
4. **Dynamic programming** picks N−1 of the M candidate pauses as sentence
   boundaries.  Positions are measured in *voiced time* (time with the
   candidate pauses removed), where text length is a far better predictor of
   duration than on the wall clock.  The cost of a sentence is its squared
   deviation from the expected voiced duration (characters × the file's mean
   rate, variance growing with length) plus a penalty that falls with the
   pause's length — bigger pauses are preferred, more so at speaker changes.
5. Sentence *i* ends where speech stops before its chosen pause; sentence
   *i+1* starts where speech resumes.  Each sentence gets a confidence in
   [0, 1] from the length of its two pauses, its deviation from the expected
   duration, competing pauses of similar length nearby, and speech-rate
   outliers.
6. With two or more speakers, a second pass uses each speaker's own rate.
7. **Fallback**: with fewer candidate pauses than boundaries, no contrast
   between speech and silence, no speech found, or a result whose mean
   confidence stays low, the sentences are spread over the speech span by text
   length ("proportional") with low confidence.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from ..build import AlignmentReport
from ..errors import AudioError
from ..formats.timecode import clock as format_clock
from ..model import Chapter, Transcript, Turn
from .features import FramePower
from .ffmpeg import decode_pcm
from .normalize import spoken_weight

log = logging.getLogger(__name__)

__all__ = [
    "Params",
    "Pause",
    "Energies",
    "frame_energies",
    "detect_pauses",
    "text_weight",
    "format_clock",
    "align_sentences",
]

#: Timed input may end this much after the audio before it is an error:
#: subtitle tools round cue ends up, and encoders trim a few frames of padding.
TIMED_SLACK_MS = 500
#: Sentences below this confidence are listed in AlignmentReport.low_confidence.
LOW_CONFIDENCE = 0.5
#: Confidence given to proportional timing (text length only: ±1–2 s typical).
PROPORTIONAL_CONFIDENCE = 0.2
_FLOOR_DB = -100.0  # digital silence is -inf dB; clamp so percentiles stay finite


@dataclass(frozen=True)
class Params:
    """Tunables of the aligner (defaults measured on bench/bench_align.py).

    ``min_silence_ms`` = 180 and ``relative_db`` = −16 follow the reference
    measurements: 120 ms or −10 dB let in pauses inside words and produce
    multi-second misalignments.
    """

    rate: int = 16000
    frame_ms: int = 10
    min_silence_ms: int = 180
    relative_db: float = -16.0
    noise_margin_db: float = 6.0  # threshold at least this far above the noise floor
    tail_db: float = 15.0  # word tails/onsets are followed down to threshold − tail_db …
    tail_floor_db: float = 3.0  # … but not below noise floor + this
    tail_max_ms: int = 200  # and by at most this much
    contrast_db: float = 10.0  # speech must stand this far above the floor to find pauses at all
    min_speech_ms: int = 60  # shorter non-silent blips at the edges are clicks, not speech
    rate_sd: float = 0.25  # relative s.d. of a sentence's duration given its text length
    base_sd_ms: float = 350.0  # plus this absolute s.d. (pauses inside sentences, onsets)
    pause_weight: float = 1.0  # weight of the pause-length penalty
    pause_ref_ms: float = 300.0  # a pause this long costs ``pause_weight``
    turn_weight: float = 2.0  # penalty multiplier at turn (speaker/paragraph) boundaries
    max_skip: int = 64  # at most this many candidate pauses inside one sentence


@dataclass(frozen=True)
class Pause:
    """A candidate pause: speech stops at ``start``, resumes at ``end`` (ms)."""

    start: int
    end: int

    @property
    def length(self) -> int:
        return self.end - self.start


@dataclass(frozen=True)
class Energies:
    """Mean-square energy per frame, relative to full scale (1.0 = 0 dBFS)."""

    power: np.ndarray
    frame_ms: int

    @property
    def duration_ms(self) -> int:
        return int(len(self.power)) * self.frame_ms

    @property
    def db(self) -> np.ndarray:
        with np.errstate(divide="ignore"):
            db: np.ndarray = np.maximum(10.0 * np.log10(self.power), _FLOOR_DB)
            return db

    @property
    def dbfs(self) -> float:
        """The whole file's RMS level in dBFS, as ``AudioSegment.dBFS`` computes it."""
        mean = float(self.power.mean()) if len(self.power) else 0.0
        return 10.0 * math.log10(mean) if mean > 0 else _FLOOR_DB


def frame_energies(path: Path, *, rate: int = 16000, frame_ms: int = 10) -> Energies:
    """Decode ``path`` in a streaming pipe and return per-frame mean-square energy.

    Memory is bounded by one decode chunk plus 8 bytes per frame.  A partial
    last frame is dropped (< ``frame_ms``).
    """
    power = FramePower(rate * frame_ms // 1000)
    for chunk in decode_pcm(path, rate=rate):
        power.feed(np.frombuffer(chunk, dtype="<i2"))
    return Energies(power.finish(), frame_ms)


def silence_threshold(en: Energies, params: Params) -> tuple[float, float, float]:
    """Return (threshold dBFS, noise floor dB, speech level dB) for this file.

    dBFS − 16 works on clean speech; in noise it falls below the noise floor
    and nothing is silent, so the threshold is raised to floor + margin,
    but kept below the midpoint between floor and speech level.
    """
    db = en.db
    floor = float(np.percentile(db, 5))
    speech = float(np.percentile(db, 90))
    thr = en.dbfs + params.relative_db
    if thr < floor + params.noise_margin_db:
        thr = min(floor + params.noise_margin_db, (floor + speech) / 2)
    return thr, floor, speech


def detect_silence_frames(power: np.ndarray, window: int, thresh_db: float) -> list[tuple[int, int]]:
    """pydub's ``detect_silence`` rule on frame energies: ``[(start, end), …]`` in frames.

    Every window of ``window`` frames whose mean energy is below ``thresh_db``
    is silent; overlapping or touching silent windows merge.
    """
    n = len(power)
    if n < window or window <= 0:
        return []
    csum = np.concatenate([[0.0], np.cumsum(power)])
    means = (csum[window:] - csum[:-window]) / window
    limit = 10.0 ** (thresh_db / 10.0)
    silent = np.flatnonzero(means < limit)
    if len(silent) == 0:
        return []
    regions: list[tuple[int, int]] = []
    start = prev = int(silent[0])
    for i in silent[1:]:
        i = int(i)
        if i > prev + 1:  # pydub merges windows whose starts are one seek step apart
            regions.append((start, prev + window))
            start = i
        prev = i
    regions.append((start, prev + window))
    return regions


def detect_pauses(en: Energies, thresh_db: float, params: Params, floor_db: float = _FLOOR_DB) -> list[Pause]:
    """Silent regions (ms), with edges refined to where speech really stops and starts.

    The pydub rule finds where the energy crosses the threshold; sentence ends
    fade out (falling pitch and loudness) well below it, so each edge is then
    followed into the pause while the energy stays above a
    lower "tail" level.  Without this, ends come out ≈ 40 ms early on clean
    speech and ≈ 100 ms early in noise.
    """
    window = max(1, params.min_silence_ms // en.frame_ms)
    limit = 10.0 ** (thresh_db / 10.0)
    quiet = en.power < limit
    n = len(quiet)
    tail_db = max(thresh_db - params.tail_db, floor_db + params.tail_floor_db)
    audible = en.power >= 10.0 ** (tail_db / 10.0)
    max_ext = params.tail_max_ms // en.frame_ms
    out: list[Pause] = []
    for s, e in detect_silence_frames(en.power, window, thresh_db):
        # A window's mean can be low while its first/last frames still carry
        # the soft tail of a word: shrink to frames that are quiet themselves,
        # then grow over adjacent quiet frames the window rule left out.
        while s < e and not quiet[s]:
            s += 1
        while e > s and not quiet[e - 1]:
            e -= 1
        while s > 0 and quiet[s - 1]:
            s -= 1
        while e < n and quiet[e]:
            e += 1
        if e - s > 2 * max_ext:
            # Speech stops after the last audible frame near the edge, even
            # across a short gap: a final released stop ("back", "salt") is a
            # ~60 ms closure then a weak burst, which belongs to the sentence.
            head = np.flatnonzero(audible[s : s + max_ext])
            if len(head):
                s += int(head[-1]) + 1
            # Onsets are abrupt; follow only a contiguous rise back from the edge.
            for _ in range(max_ext):
                if not audible[e - 1]:
                    break
                e -= 1
        if e > s:
            out.append(Pause(s * en.frame_ms, e * en.frame_ms))
    # Refinement can make neighbours touch; merge them.
    merged: list[Pause] = []
    for p in out:
        if merged and p.start <= merged[-1].end:
            merged[-1] = Pause(merged[-1].start, max(p.end, merged[-1].end))
        else:
            merged.append(p)
    return merged


def speech_span(pauses: Sequence[Pause], total_ms: int, min_speech_ms: int) -> tuple[int, int] | None:
    """First speech onset and last speech offset (ms), skipping click-length blips."""
    speech: list[tuple[int, int]] = []
    pos = 0
    for p in pauses:
        if p.start > pos:
            speech.append((pos, p.start))
        pos = max(pos, p.end)
    if total_ms > pos:
        speech.append((pos, total_ms))
    real = [(a, b) for a, b in speech if b - a >= min_speech_ms]
    if not real:
        return None
    return real[0][0], real[-1][1]


def text_weight(text: str, lang: str = "en") -> float:
    """Expected relative speaking time of ``text``: letters of what is said.

    Numbers count as spoken ("1999" → "nineteen ninety nine"; ``num2words``
    for the language), punctuation and spaces not at all (the pauses they cause
    are silence, removed from the time axis the weights are projected on), CJK
    ideographs three letters each.  Never below 1.
    """
    return spoken_weight(text, lang)


@dataclass(frozen=True)
class _Timing:
    start: int
    end: int
    confidence: float


def _proportional(weights: Sequence[float], span: tuple[int, int]) -> list[_Timing]:
    a, b = span
    total = float(sum(weights))
    out: list[_Timing] = []
    acc = 0.0
    for w in weights:
        s = a + round((b - a) * acc / total)
        acc += w
        e = a + round((b - a) * acc / total)
        out.append(_Timing(s, max(s, e), PROPORTIONAL_CONFIDENCE))
    return out


def _choose_pauses(
    weights: Sequence[float],
    cands: Sequence[Pause],
    span: tuple[int, int],
    turn_ends: Sequence[bool],
    params: Params,
) -> list[int] | None:
    """Indices into ``cands`` of the N−1 chosen boundary pauses, or None if infeasible."""
    n_sent = len(weights)
    m = len(cands)
    onset, offset = span
    # Voiced time before each candidate: wall time minus the candidate pauses before it.
    voiced = np.empty(m + 2)
    voiced[0] = 0.0
    removed = 0
    for j, p in enumerate(cands):
        voiced[j + 1] = (p.start - onset) - removed
        removed += p.length
    voiced[m + 1] = (offset - onset) - removed
    v_total = voiced[m + 1]
    if v_total <= 0:
        return None
    w = np.asarray(weights, dtype=np.float64)
    rate = v_total / w.sum()
    expected = rate * w
    var = (params.rate_sd * expected) ** 2 + params.base_sd_ms**2
    lengths = np.array([p.length for p in cands], dtype=np.float64)
    pen = np.full(m + 2, np.inf)
    pen[1 : m + 1] = params.pause_weight * params.pause_ref_ms / lengths

    inf = np.inf
    dp = np.full(m + 2, inf)
    dp[0] = 0.0
    max_skip = min(params.max_skip, m + 1)
    back = np.zeros((n_sent, m + 2), dtype=np.int32)
    for k in range(n_sent):  # sentence k ends at boundary node j
        last = k == n_sent - 1
        new = np.full(m + 2, inf)
        arg = np.zeros(m + 2, dtype=np.int32)
        if last:
            targets = np.array([m + 1])
            tpen = np.zeros(1)
        else:
            targets = np.arange(1, m + 1)
            tpen = pen[1 : m + 1] * (params.turn_weight if turn_ends[k] else 1.0)
        best = np.full(len(targets), inf)
        best_o = np.zeros(len(targets), dtype=np.int32)
        for o in range(1, (m + 2) if last else max_skip + 1):
            src = targets - o
            ok = src >= 0
            if not ok.any():
                break
            srcc = np.where(ok, src, 0)
            prev = np.where(ok, dp[srcc], inf)
            d = voiced[targets] - voiced[srcc]
            c = prev + (d - expected[k]) ** 2 / var[k]
            better = c < best
            best = np.where(better, c, best)
            best_o = np.where(better, o, best_o)
        new[targets] = best + tpen
        arg[targets] = best_o
        back[k] = arg
        dp = new
    if not np.isfinite(dp[m + 1]):
        return None
    chosen: list[int] = []
    node = m + 1
    for k in range(n_sent - 1, -1, -1):
        node -= int(back[k][node])
        if k > 0:
            chosen.append(node - 1)
    chosen.reverse()
    return chosen


def _confidences(
    weights: Sequence[float],
    cands: Sequence[Pause],
    chosen: Sequence[int],
    timings: Sequence[tuple[int, int]],
    params: Params,
    lead_in_ms: int,
) -> list[float]:
    """Per-sentence confidence from pause length, duration deviation, rivals and rate."""
    n = len(weights)

    def pause_quality(p: Pause) -> float:
        # 180 ms (the shortest candidate) → 0.5; ≥ 450 ms → 1.
        return 0.5 + 0.5 * min(1.0, max(0.0, (p.length - params.min_silence_ms) / 270.0))

    chosen_set = set(chosen)

    def rivalry(j: int) -> float:
        # An unchosen pause almost as long and close by makes the choice a coin toss.
        p = cands[j]
        for q_idx in (j - 1, j + 1, j - 2, j + 2):
            if 0 <= q_idx < len(cands) and q_idx not in chosen_set:
                q = cands[q_idx]
                near = abs((q.start + q.end) - (p.start + p.end)) / 2 < 2500
                if near and q.length >= 0.8 * p.length:
                    return 0.7
        return 1.0

    bq = [pause_quality(cands[j]) * rivalry(j) for j in chosen]
    start_q = [1.0 if lead_in_ms >= 150 else 0.8] + bq
    end_q = bq + [1.0]
    durs = np.array([e - s for s, e in timings], dtype=np.float64)
    w = np.asarray(weights, dtype=np.float64)
    rate = durs.sum() / w.sum() if w.sum() > 0 else 1.0
    expected = rate * w
    sd = np.sqrt((params.rate_sd * expected) ** 2 + params.base_sd_ms**2)
    out: list[float] = []
    for i in range(n):
        z = (durs[i] - expected[i]) / sd[i]
        fit = math.exp(-(z**2) / 8.0)
        ratio = durs[i] / expected[i] if expected[i] > 0 else 1.0
        # Speech-rate outlier: a sentence spoken at half or twice the file's
        # mean rate is more likely mis-split than really that fast or slow.
        rate_ok = 1.0 if 0.55 <= ratio <= 1.8 else 0.6
        out.append(round(min(start_q[i], end_q[i]) * fit * rate_ok, 3))
    return out


def align_sentences(
    weights: Sequence[float],
    energies: Energies,
    *,
    turn_ends: Sequence[bool] | None = None,
    params: Params = Params(),
    duration_ms: int | None = None,
    speakers: Sequence[str | None] | None = None,
) -> tuple[list[_Timing], AlignmentReport]:
    """Time N sentences of the given text weights against frame energies.

    ``turn_ends[i]`` is true when sentence *i* ends a turn (paragraph or
    speaker change): its boundary prefers a longer pause.  ``speakers[i]``
    names who speaks sentence *i*: with two or more speakers the alignment runs
    twice, the second time with each speaker's own speaking rate (measured on
    the first) — a fast guest no longer pulls every boundary of a slow host.

    When the result's mean confidence stays below :data:`LOW_CONFIDENCE`, the
    text is spread by length over the speech instead (measured: on speech whose
    pauses do not follow sentences, that is the smaller error) and the method
    says "proportional".
    """
    n = len(weights)
    total = energies.duration_ms
    if duration_ms is not None and duration_ms > 0:
        total = min(total, duration_ms) if total else duration_ms
    turn_ends = list(turn_ends) if turn_ends is not None else [False] * n
    if total <= 0 or len(energies.power) == 0:
        raise AudioError("audio decoded to no samples")
    cands, span, note = _candidate_pauses(energies, params, total)
    chosen: list[int] | None = None
    if not note and len(cands) < n - 1:
        note = f"{len(cands)} pauses for {n - 1} sentence boundaries"
    if not note and n > 1:
        chosen = _choose_pauses(weights, cands, span, turn_ends, params)
        if chosen is None:
            note = "no consistent choice of pauses"
    if note:
        log.info("proportional timing: %s", note)
        timings = _proportional(weights, span)
        method = "proportional"
    else:
        timings, method, note = _time_by_pauses(weights, cands, chosen or [], span, turn_ends, params, speakers)
    mean_conf = round(sum(t.confidence for t in timings) / n, 3) if n else 1.0
    report = AlignmentReport(
        method=method,
        low_confidence=_low_confidence(timings),
        candidates=len(cands),
        speech_start=span[0],
        speech_end=span[1],
        mean_confidence=mean_conf,
        note=note,
    )
    return timings, report


def _candidate_pauses(energies: Energies, params: Params, total: int,
                      ) -> tuple[list[Pause], tuple[int, int], str]:
    """The pauses inside the speech, the speech span, and why pauses cannot be used ("" when they can)."""
    thr, floor, speech_level = silence_threshold(energies, params)
    pauses = detect_pauses(energies, thr, params, floor) if speech_level - floor >= params.contrast_db else []
    span = speech_span(pauses, total, params.min_speech_ms)
    if speech_level - floor < params.contrast_db:
        note = f"no contrast between speech and silence ({speech_level - floor:.1f} dB)"
    elif span is None:
        note = "no speech found"
    else:
        note = ""
    if span is None:
        span = (0, total)
    cands = [p for p in pauses if p.start > span[0] and p.end < span[1]]
    log.debug(
        "threshold %.1f dBFS (floor %.1f, speech %.1f), %d candidate pauses, speech %d–%d ms",
        thr, floor, speech_level, len(cands), span[0], span[1],
    )  # fmt: skip
    return cands, span, note


def _time_by_pauses(weights: Sequence[float], cands: Sequence[Pause], chosen: Sequence[int],
                    span: tuple[int, int], turn_ends: Sequence[bool], params: Params,
                    speakers: Sequence[str | None] | None) -> tuple[list[_Timing], str, str]:
    """Timings from the chosen pauses (again with each speaker's own rate when there are
    several); proportional instead when the confidence stays low: (timings, method, note)."""
    n = len(weights)
    timings = _from_pauses(weights, cands, chosen, span, params)
    rates = _speaker_rates(weights, timings, speakers)
    if rates is not None:
        scaled = [w * rates[spk] for w, spk in zip(weights, speakers or [])]
        again = _choose_pauses(scaled, cands, span, turn_ends, params)
        if again is not None:
            timings = _from_pauses(scaled, cands, again, span, params)
    mean = sum(t.confidence for t in timings) / n if n else 1.0
    if mean < LOW_CONFIDENCE:
        note = f"pause alignment confidence {mean:.2f}: text spread by length instead"
        log.info("proportional timing: %s", note)
        return _proportional(weights, span), "proportional", note
    return timings, "pauses", ""


def _from_pauses(
    weights: Sequence[float], cands: Sequence[Pause], chosen: Sequence[int], span: tuple[int, int], params: Params
) -> list[_Timing]:
    bounds = [cands[j] for j in chosen]
    starts = [span[0]] + [p.end for p in bounds]
    ends = [p.start for p in bounds] + [span[1]]
    conf = _confidences(weights, cands, chosen, list(zip(starts, ends)), params, span[0])
    return [_Timing(s, e, c) for s, e, c in zip(starts, ends, conf)]


def _speaker_rates(
    weights: Sequence[float], timings: Sequence[_Timing], speakers: Sequence[str | None] | None
) -> dict[str | None, float] | None:
    """Each speaker's time per unit of text relative to the whole file's (None: nothing to adjust).

    Only confidently timed sentences count; a speaker needs three of them.
    """
    if not speakers or len(set(speakers)) < 2:
        return None
    dur: dict[str | None, float] = {}
    wt: dict[str | None, float] = {}
    count: dict[str | None, int] = {}
    for w, t, spk in zip(weights, timings, speakers):
        if t.confidence >= LOW_CONFIDENCE and t.end > t.start:
            dur[spk] = dur.get(spk, 0.0) + (t.end - t.start)
            wt[spk] = wt.get(spk, 0.0) + w
            count[spk] = count.get(spk, 0) + 1
    if sum(wt.values()) <= 0:
        return None
    overall = sum(dur.values()) / sum(wt.values())
    rates = {spk: (dur[spk] / wt[spk]) / overall if count.get(spk, 0) >= 3 and wt[spk] > 0 else 1.0
             for spk in set(speakers) if spk in dur}
    if all(abs(r - 1.0) < 0.08 for r in rates.values()):
        return None  # speakers talk at about the same rate: nothing to gain
    return {spk: min(2.0, max(0.5, rates.get(spk, 1.0))) for spk in set(speakers)}


def _low_confidence(timings: Sequence[_Timing]) -> tuple[str, ...]:
    """Merge consecutive low-confidence sentences into report lines (1-based)."""
    out: list[str] = []
    i = 0
    while i < len(timings):
        if timings[i].confidence >= LOW_CONFIDENCE:
            i += 1
            continue
        j = i
        while j + 1 < len(timings) and timings[j + 1].confidence < LOW_CONFIDENCE:
            j += 1
        worst = min(t.confidence for t in timings[i : j + 1])
        label = f"sentence {i + 1}" if i == j else f"sentences {i + 1}–{j + 1}"
        out.append(
            f"{label} ({format_clock(timings[i].start)}–{format_clock(timings[j].end)}): confidence {worst:.2f}"
        )
        i = j + 1
    return tuple(out)


def _with_chapters(transcript: Transcript, turns: tuple[Turn, ...]) -> tuple[Chapter, ...]:
    """Chapter start = start of the first sentence of the first turn in that chapter.

    A chapter with no timed turn of its own starts where the next chapter's
    first turn starts (or at the transcript end), so chapters stay ordered.
    """
    firsts: dict[int, int] = {}
    for turn in turns:
        if turn.chapter is None or turn.chapter in firsts:
            continue
        starts = [s.start for s in turn.sentences if s.start is not None]
        if starts:
            firsts[turn.chapter] = starts[0]
    end = max((s.end for t in turns for s in t.sentences if s.end is not None), default=0)
    out: list[Chapter] = []
    following = end
    for idx in range(len(transcript.chapters) - 1, -1, -1):
        start = firsts.get(idx, following)
        following = start
        out.append(replace(transcript.chapters[idx], start=start))
    out.reverse()
    return tuple(out)
