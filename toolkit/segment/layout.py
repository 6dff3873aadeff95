"""Target-language layout: one translated text per source cue → guideline-clean published cues.

    layout(cues, *, lang, profile=None) -> tuple[Cue, ...]
    layout_parts(cues, *, lang, profile=None) -> list[list[Part]]   (what the published-cues cache keeps)
    apply_parts(cues, parts) -> tuple[Cue, ...]
    sub_id(source_id, part) -> str
    source_of(cue_id, known) -> tuple[str, int] | None

A translation keeps the source cue's id and time span (the translations store
and the translator round trip are keyed by the source cue), but its text is
often longer than the source text: Spanish or pseudo-localized text may need
three lines, or read faster than the language's hard limit.  Publishing a cue
like that breaks the subtitle guidelines, so :func:`layout` lays the text out
for the target language's :class:`~toolkit.segment.profile.Profile`:

1. a cue whose text fits (≤ ``max_lines`` lines of ``max_chars``, at most the
   hard reading speed, at least the minimum duration) is published as it is;
2. otherwise the cue may first be **extended into the following gap**, up to
   ``min_gap`` before the next cue starts (never past ``max_duration``), by as
   much as the hard reading speed and the minimum duration need;
3. a text that does not fit on ``max_lines`` lines is **split into consecutive
   sub-cues** over the (extended) time span: the fewest pieces that each fit,
   cut where the segmenter would break a line (:mod:`toolkit.segment.breaks`:
   after a full stop, then a comma, before a conjunction, then a preposition,
   else the best word boundary; never inside a name), one more piece when that
   avoids a forbidden break; time is shared in proportion to each piece's
   length, ``min_gap`` between pieces, no piece shorter than ``min_duration``
   when the span allows it.  Lines are wrapped by the segmenter's own wrapper.

4. a cue still shorter than its text needs (the hard reading speed, the
   minimum duration) is **re-timed**: it takes time from the gaps before and
   after it and from neighbours that have more time than their own text needs,
   moving no start or end more than :data:`MAX_SHIFT` (the speech stays on
   screen); cues nobody needs time from keep their times.

What still cannot be met (a dense passage whose translation is too long to read
in the time there is) is left for :func:`toolkit.segment.check` to report.

Sub-cues are a publishing layout only: the first keeps the source cue's id
(links and cue ids stay the same across languages), the others are
``<id>.2``, ``<id>.3`` … (:func:`sub_id`).  A dot, not a dash: the segmenter
already names a repeated cue text ``<id>-2``, so a dash could name another
source cue; a source cue id never ends in ``.<digits>``.  :func:`source_of`
maps a sub-cue id back to its source cue (the importer does, for a file that
contains sub-cues).  Every sub-cue keeps the source cue's speaker, chapter and
sentences; only the first keeps ``speaker_change`` and the word timings (which
spell source text and no translation anyway).
"""

from __future__ import annotations

import math
from collections.abc import Container, Sequence
from dataclasses import dataclass, replace

from ..model import Cue
from .breaks import FORBID, Tokens, best_wrap, tokenize, wrap_tokens
from .profile import DEFAULT_PROFILE, Profile

__all__ = ["layout", "layout_parts", "apply_parts", "layout_text", "sub_id", "source_of", "Part",
           "SUB_SEPARATOR", "MAX_SHIFT"]

SUB_SEPARATOR = "."
_OVERSIZE = 1e6  # a single token wider than a line: a piece of its own, reported by QC
_PIECE_COST = 40.0  # one more sub-cue (as the segmenter's cost per cue)
_BALANCE = 0.02  # per squared character of a piece's distance from the mean piece width
_CUE_BREAK_WEIGHT = 8.0  # a break between sub-cues weighs twice a line break (as in the segmenter)
_WRAP_WEIGHT = 0.5  # a piece's own line-wrapping cost: a sub-cue on two good lines is fine
MAX_SHIFT = 1500
"""How far (ms) re-timing may move a cue's start or end for reading speed: the
asynchrony between speech and subtitle the BBC guidelines tolerate (1.5 s).  On
the seed show, 1 s leaves 2.1 % of the Spanish cues over 17 cps, 1.5 s 0.2 %."""


@dataclass(frozen=True, slots=True)
class Part:
    """One published cue of a source cue: its time span and display lines."""

    start: int
    end: int
    lines: tuple[str, ...]


def sub_id(source_id: str, part: int) -> str:
    """The id of sub-cue ``part`` (1-based) of the source cue ``source_id``.

    >>> sub_id("ep-0a1b2c3d", 1), sub_id("ep-0a1b2c3d", 2)
    ('ep-0a1b2c3d', 'ep-0a1b2c3d.2')
    """
    return source_id if part == 1 else f"{source_id}{SUB_SEPARATOR}{part}"


def source_of(cue_id: str, known: Container[str]) -> tuple[str, int] | None:
    """``(source cue id, part)`` for a cue id that is a source cue id in ``known``
    (part 1) or a sub-cue id of one; None otherwise.

    >>> source_of("ep-0a1b2c3d.3", {"ep-0a1b2c3d"})
    ('ep-0a1b2c3d', 3)
    >>> source_of("ep-0a1b2c3d.1", {"ep-0a1b2c3d"}) is None
    True
    """
    if cue_id in known:
        return cue_id, 1
    base, sep, n = cue_id.rpartition(SUB_SEPARATOR)
    if sep and n.isdigit() and n.isascii() and n[0] != "0" and int(n) >= 2 and base in known:
        return base, int(n)
    return None


def _chars(text: str, prof: Profile) -> int:
    return len(text) if prof.count_spaces else len(text.replace(" ", ""))


def _need(chars: int, prof: Profile) -> int:
    """Display time (ms) ``chars`` characters need at the hard reading speed."""
    return math.ceil(chars * 1000.0 / prof.max_cps) if prof.max_cps > 0 else 0


def _fits(lines: Sequence[str], prof: Profile) -> bool:
    return len(lines) <= prof.max_lines and all(len(line) <= prof.max_chars for line in lines)


class _Splitter:
    """The best cut of one text's tokens into pieces that each fit on the allowed lines."""

    def __init__(self, toks: Tokens, prof: Profile) -> None:
        self.toks, self.prof = toks, prof
        self.n = len(toks)
        self.limit = prof.max_chars if prof.max_lines <= 1 else 2 * prof.max_chars + 1
        self._fit: dict[tuple[int, int], float] = {}

    def fit(self, i: int, j: int) -> float:
        """Cost of showing tokens ``i..j-1`` as one cue (inf: they do not fit)."""
        key = (i, j)
        got = self._fit.get(key)
        if got is None:
            w, mc = self.toks.width(i, j), self.prof.max_chars
            if w <= mc:
                got = 0.0
            elif j == i + 1:
                got = _OVERSIZE  # one token wider than a line: alone, and QC reports it
            elif self.prof.max_lines >= 2 and w <= self.limit:
                got = best_wrap(self.toks, i, j, mc)[0]
            else:
                got = math.inf
            self._fit[key] = got
        return got

    def fewest(self) -> int:
        """The fewest pieces (greedy longest fit: any part of a fitting run fits)."""
        k, i = 0, 0
        while i < self.n:
            j = i + 1
            while j < self.n and self.fit(i, j + 1) < math.inf:
                j += 1
            k, i = k + 1, j
        return k

    def best(self, k: int) -> tuple[float, list[tuple[int, int]]]:
        """The cheapest cut into exactly ``k`` pieces: (cost, token spans)."""
        n, toks = self.n, self.toks
        if k > n:
            return math.inf, []
        mean = toks.width(0, n) / k
        inf = math.inf
        best = [[inf] * (n + 1) for _ in range(k + 1)]
        back = [[0] * (n + 1) for _ in range(k + 1)]
        best[0][0] = 0.0
        for m in range(1, k + 1):
            for j in range(m, n - (k - m) + 1):
                bj, bi = inf, -1
                for i in range(j - 1, m - 2, -1):
                    prev = best[m - 1][i]
                    if prev == inf:
                        continue
                    f = self.fit(i, j)
                    if f == inf:
                        if toks.width(i, j) > self.limit:
                            break  # wider only grows as i falls
                        continue
                    d = toks.width(i, j) - mean
                    cost = prev + _WRAP_WEIGHT * f + _BALANCE * d * d + (
                        toks.penalty[i] * _CUE_BREAK_WEIGHT if i else 0.0)
                    if cost < bj:
                        bj, bi = cost, i
                best[m][j], back[m][j] = bj, bi
        if best[k][n] == inf:
            return inf, []
        spans: list[tuple[int, int]] = []
        j = n
        for m in range(k, 0, -1):
            i = back[m][j]
            spans.append((i, j))
            j = i
        spans.reverse()
        return best[k][n], spans


def _allocate(start: int, end: int, weights: Sequence[int], prof: Profile) -> list[tuple[int, int]]:
    """``start..end`` cut into ``len(weights)`` consecutive spans ``min_gap`` apart, in
    proportion to ``weights``, none shorter than ``min_duration`` when the span allows."""
    k, gap = len(weights), prof.min_gap
    avail = end - start - gap * (k - 1)
    w = [max(1, x) for x in weights]
    durs = [avail * x / sum(w) for x in w]
    if avail >= k * prof.min_duration:
        fixed: set[int] = set()
        while True:
            short = {i for i in range(k) if i not in fixed and durs[i] < prof.min_duration}
            if not short:
                break
            fixed |= short
            free = [i for i in range(k) if i not in fixed]
            rest = avail - prof.min_duration * len(fixed)
            total = sum(w[i] for i in free)
            durs = [prof.min_duration if i in fixed else rest * w[i] / total for i in range(k)]
    # whole milliseconds: the floors, then the milliseconds left to the largest remainders
    # (so no piece falls a millisecond short of the minimum duration by rounding)
    ints = [math.floor(d) for d in durs]
    for i in sorted(range(k), key=lambda i: (ints[i] - durs[i], i))[:max(0, avail - sum(ints))]:
        ints[i] += 1
    spans: list[tuple[int, int]] = []
    s = start
    for i, d in enumerate(ints):
        e = end if i == k - 1 else s + d
        spans.append((s, max(e, s + 1)))
        s = spans[-1][1] + gap
    return spans


def _lines(toks: Tokens, a: int, b: int, prof: Profile) -> tuple[str, ...]:
    """Tokens ``a..b-1`` on lines: the segmenter's wrap, held to ``max_lines`` when the
    text fits that many at all (the wrapper prefers a third line to a forbidden break)."""
    spans = wrap_tokens(toks, a, b, prof.max_chars, prof.max_lines)
    if len(spans) > prof.max_lines == 2:
        cost, k = best_wrap(toks, a, b, prof.max_chars)
        if k is not None and cost < math.inf:
            spans = [(a, k), (k, b)]
    return tuple(toks.join(x, y) for x, y in spans)


def layout_text(start: int, end: int, text: str, *, next_start: int | None, lang: str,
                profile: Profile | None = None) -> list[Part]:
    """The published cue(s) for one source cue's span ``start..end`` showing ``text``
    (``next_start``: when the next cue starts, None for the last cue)."""
    prof = (profile or DEFAULT_PROFILE).for_language(lang)
    text = " ".join(text.split())
    toks = tokenize(text, lang=lang)
    n = len(toks)
    if not n:
        return [Part(start, end, ())]
    gap, max_dur, min_dur = prof.min_gap, prof.max_duration, prof.min_duration
    # the last cue may linger a little past the speech (the audio goes on for a moment)
    limit = max(end, end + 2 * prof.linger if next_start is None else next_start - gap)
    lines = _lines(toks, 0, n, prof)
    chars = _chars(text, prof)
    if _fits(lines, prof):
        want = max(start + _need(chars, prof), start + min_dur)
        if want <= end:
            return [Part(start, end, lines)]
        new_end = max(end, min(want, limit, start + max_dur))  # into the following gap
        return [Part(start, new_end, lines)]
    sp = _Splitter(toks, prof)
    k = sp.fewest()
    cost, spans = sp.best(k)
    more_cost, more = sp.best(k + 1)
    if spans and more and more_cost + _PIECE_COST < cost and cost >= FORBID * _WRAP_WEIGHT:
        # one more sub-cue beats a break the rules forbid ("el | señor", inside a name)
        room = limit - start - gap * k
        if room >= (k + 1) * min_dur:
            k, spans = k + 1, more
    pieces = [toks.join(a, b) for a, b in spans]
    need = max(sum(_need(_chars(p, prof), prof) for p in pieces), k * min_dur) + gap * (k - 1)
    new_end = max(end, min(start + need, limit, start + k * max_dur + gap * (k - 1)))
    times = _allocate(start, new_end, [_chars(p, prof) for p in pieces], prof)
    return [Part(s, e, _lines(toks, a, b, prof)) for (s, e), (a, b) in zip(times, spans)]


def _need_of(part: Part, prof: Profile) -> int:
    """The display time ``part`` needs: the minimum duration, the hard reading speed."""
    chars = _chars(" ".join(part.lines), prof)
    return max(prof.min_duration, _need(chars, prof)) if chars else 0


def _retime(spans: list[list[int]], need: Sequence[int], prof: Profile) -> None:
    """Give every cue the display time it needs (``need``) where its neighbours can
    spare it, in place: boundaries move into the gaps and between cues that need
    less time than they have, no start or end more than :data:`MAX_SHIFT` from
    where the layout put it (the speech stays on screen), ``min_gap`` between cues.

    The constraints are difference constraints, so the feasible schedules lie
    between the earliest one (a forward pass) and the latest (a backward pass); a
    cue that cannot get its time in either gets as much as it can (QC reports it).
    A final forward pass keeps every time as close to the layout's as the two
    bounds allow: a cue nobody needs time from does not move.
    """
    gap, n, m = prof.min_gap, len(spans), MAX_SHIFT
    if not n:
        return
    os_ = [x[0] for x in spans]
    oe = [x[1] for x in spans]
    need = list(need)
    last_end = oe[-1] + 2 * prof.linger
    for _ in range(2):  # the second round only when a need had to shrink in the first
        es, ee = [0] * n, [0] * n  # earliest
        prev = -gap
        for i in range(n):
            es[i] = max(os_[i] - m, prev + gap, 0)
            ee[i] = max(es[i] + need[i], oe[i] - m)
            cap = min(oe[i] + m, last_end if i == n - 1 else 10 ** 12)
            if ee[i] > cap:
                need[i] = max(0, cap - es[i])
                ee[i] = max(cap, es[i] + 1)
            prev = ee[i]
        ls, le = [0] * n, [0] * n  # latest
        nxt = last_end + gap
        shrunk = False
        for i in range(n - 1, -1, -1):
            le[i] = min(oe[i] + m, nxt - gap)
            ls[i] = min(os_[i] + m, le[i] - need[i])
            if ls[i] < es[i]:
                need[i] = max(0, le[i] - es[i])
                ls[i] = es[i]
                shrunk = True
            nxt = ls[i]
        if not shrunk:
            break
    prev = -gap
    for i in range(n):
        s = min(max(os_[i], es[i], prev + gap), max(ls[i], prev + gap))
        e = min(max(oe[i], ee[i], s + need[i]), max(le[i], s + 1))
        spans[i] = [s, e]
        prev = e


def layout_parts(cues: Sequence[Cue], *, lang: str, profile: Profile | None = None) -> list[list[Part]]:
    """The published cue(s) of each of ``cues`` (the source cues' ids and times, the
    translation as their lines), in order: extended, split into sub-cues and re-wrapped
    where the text does not fit, then re-timed where a cue is still too short for its
    text (see the module doc).  :func:`apply_parts` makes the cues."""
    prof = (profile or DEFAULT_PROFILE).for_language(lang)
    planned: list[list[Part]] = []
    for n, cue in enumerate(cues):
        nxt = cues[n + 1].start if n + 1 < len(cues) else None
        planned.append(layout_text(cue.start, cue.end, " ".join(cue.lines), next_start=nxt, lang=lang,
                                   profile=prof))
    flat = [part for parts in planned for part in parts]
    spans = [[p.start, p.end] for p in flat]
    _retime(spans, [_need_of(p, prof) for p in flat], prof)
    out: list[list[Part]] = []
    pos = 0
    for parts in planned:
        out.append([replace(p, start=spans[pos + k][0], end=spans[pos + k][1]) for k, p in enumerate(parts)])
        pos += len(parts)
    return out


def apply_parts(cues: Sequence[Cue], parts: Sequence[Sequence[Part]]) -> tuple[Cue, ...]:
    """The published cues: each of ``cues`` (a source cue, any lines) as its ``parts``
    (:func:`layout_parts`): the first keeps the id, ``speaker_change`` and, when it is
    the only one, the word timings; the others are ``<id>.2`` ….  Every one keeps the
    speaker, chapter and sentences."""
    out: list[Cue] = []
    for cue, mine in zip(cues, parts, strict=True):
        for k, part in enumerate(mine, 1):
            out.append(replace(cue, id=sub_id(cue.id, k), start=part.start, end=part.end, lines=part.lines,
                               speaker_change=cue.speaker_change and k == 1,
                               words=cue.words if len(mine) == 1 else ()))
    return tuple(out)


def layout(cues: Sequence[Cue], *, lang: str, profile: Profile | None = None) -> tuple[Cue, ...]:
    """Lay target-language ``cues`` (the source cues' ids and times, the translation
    as their lines) out for ``lang``'s profile (:func:`layout_parts`), as cues."""
    return apply_parts(cues, layout_parts(cues, lang=lang, profile=profile))
