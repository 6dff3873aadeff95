"""Timed sentences → cues.

Per speaker turn (a cue never spans a turn, so never a speaker change or a
chapter boundary), all tokens of the turn's sentences go through one dynamic
programme that cuts them into cues.  Every candidate cue is scored by:

* a fixed cost per cue (fewer, fuller cues);
* the penalty of the break that ends it (:mod:`toolkit.segment.breaks`: a full
  stop is free, a clause boundary cheap, a break inside a name forbidden), so
  long sentences split at clause, then phrase boundaries;
* its best two-line wrap (balance, bottom-heavy, break rules);
* sentence structure: several whole short sentences may share a cue, but a
  fragment of a long sentence is not glued to another sentence;
* its duration (under 1 s costs, over 7 s is not allowed) and reading speed
  (above the target costs, above the hard limit costs a lot).

A candidate must fit on two lines and last at most 7 s, which bounds how far
back the programme looks: the cost is linear in the number of words.

Times inside a sentence come from ``Sentence.words`` when present (the
aligner's word timings: cues then start and end on the words' own times),
otherwise by interpolating over characters between the sentence's start and
end.  A last pass sets cue times: minimum duration, up to 0.5 s linger for
reading speed, gaps under 0.5 s chained to exactly 2 frames, never an overlap.
Every cue keeps when each of its sentences starts (``Cue.sentence_starts``:
a sentence that starts inside a cue has a time of its own) and, with word
timings, its words (``Cue.words``) for word-level transcripts and highlight.
"""

from __future__ import annotations

import bisect
from bisect import bisect_left
import hashlib
import logging
import math
import re
import unicodedata
from dataclasses import dataclass

from ..errors import InputError
from ..model import Cue, Sentence, Transcript, Word
from .breaks import Tokens, best_wrap, join_tokens, tokenize, wrap_text, wrap_tokens
from .profile import DEFAULT_PROFILE, Profile

log = logging.getLogger(__name__)

__all__ = ["segment", "cue_id_base", "normalise_text"]

_PIECE_COST = 40.0
_CUE_BREAK_WEIGHT = 8.0
_SENTENCE_JOIN_COST = 20.0  # two whole sentences in one cue: fine when short
_FRAGMENT_JOIN_COST = 80.0  # a piece of a long sentence glued to another sentence
_SHORT_COST_PER_MS = 0.15  # below the preferred minimum duration
_UNDER_MIN_COST = 100.0
_SCRAP_COST_PER_CHAR = 3.0  # a sentence fragment shorter than 60 % of a line
_CPS_TARGET_COST = 6.0  # per cps above the target
_CPS_HARD_COST = 20.0  # per cps above the hard limit (plus a fixed 30)
_LONG_PAUSE = 1000  # ms of silence between two words that is a natural cue boundary
_PAUSE_INSIDE_COST = 60.0  # a cue that stays up through a long silence inside it
_PAUSE_SPLIT_BONUS = 48.0  # a plain break at a long pause costs nothing
_OVERSIZE_COST = 1e6  # a single token that fits no cue (too wide or too long)
_SLUG_OK = re.compile(r"^[^\s]+$")


@dataclass(slots=True)
class _Draft:
    start: int
    end: int
    lines: tuple[str, ...]
    text: str
    speaker: str | None
    chapter: int | None
    sentences: tuple[int, ...]
    confidence: float
    turn: int
    sentence_starts: tuple[int, ...] = ()
    words: tuple[Word, ...] = ()


def normalise_text(text: str) -> str:
    """The form of a cue's text its id is computed from: NFC, case-folded,
    whitespace collapsed (so re-wrapping or re-timing keeps the id)."""
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def cue_id_base(slug: str, speaker: str | None, text: str) -> str:
    """``<slug>-<8 hex>`` from the speaker and the normalised text."""
    digest = hashlib.sha1(f"{speaker or ''}\n{normalise_text(text)}".encode()).hexdigest()
    return f"{slug}-{digest[:8]}"


def _check_slug(slug: str) -> None:
    # The id doubles as a WebVTT cue identifier: no "-->", no line break.
    if not slug or not _SLUG_OK.match(slug) or "-->" in slug:
        raise InputError(f"slug {slug!r} cannot prefix a cue id (no spaces, no '-->')")


def _sentence_times(s: Sentence, toks: Tokens, where: str | None) -> tuple[list[int], list[int], bool]:
    """Start and end time of every token of one sentence, and whether they are
    the words' own times (True) or interpolated (False)."""
    if s.start is None or s.end is None:
        raise InputError("sentence has no timing (run the timing stage first)", path=where, line=s.line)
    if s.end < s.start:
        raise InputError(f"sentence ends ({s.end} ms) before it starts ({s.start} ms)", path=where, line=s.line)
    n = len(toks)
    if s.words and len(s.words) == n:
        return [w.start for w in s.words], [w.end for w in s.words], True
    total = toks.width(0, n)
    # Anchors char offset → time.  Word timings whose words do not match our
    # tokens one to one (punctuation split off, CJK per character) still anchor
    # the interpolation by their share of the characters.
    xs: list[float] = [0.0]
    ys: list[float] = [float(s.start)]
    if s.words:
        wtotal = sum(len(w.text) for w in s.words) + len(s.words) - 1
        off = 0
        for w in s.words:
            xs.append(off * total / max(wtotal, 1))
            ys.append(float(max(w.start, int(ys[-1]))))
            off += len(w.text) + 1
    xs.append(float(total))
    ys.append(float(max(s.end, int(ys[-1]))))

    def at(x: float) -> int:
        k = bisect.bisect_right(xs, x) - 1
        if k >= len(xs) - 1:
            return int(ys[-1])
        x0, x1 = xs[k], xs[k + 1]
        if x1 <= x0:
            return int(ys[k + 1])
        return int(round(ys[k] + (ys[k + 1] - ys[k]) * (x - x0) / (x1 - x0)))

    starts, ends = [], []
    for k in range(n):
        a = toks.prefix[k] - toks.prefix[0] + (toks.space[k] if k else 0)
        b = a + len(toks.text[k])
        starts.append(at(a))
        ends.append(at(b))
    return starts, ends, False


def _turn_tokens(
    sentences: tuple[Sentence, ...], first_index: int, lang: str, where: str | None
) -> tuple[Tokens, list[int], list[int], list[int], list[bool], list[bool]]:
    """All tokens of one turn, with per-token times, sentence index, a flag
    for tokens that start a sentence and one for tokens with their own times."""
    text: list[str] = []
    space: list[int] = []
    pen: list[float] = []
    ts: list[int] = []
    te: list[int] = []
    sidx: list[int] = []
    starts: list[bool] = []
    own: list[bool] = []
    for k, s in enumerate(sentences):
        toks = tokenize(s.text, lang=lang)
        if not len(toks):
            continue
        a, b, timed = _sentence_times(s, toks, where)
        for m in range(len(toks)):
            t = toks.text[m]
            if m == 0 and text:
                # Sentence boundary: always a good break; a space unless both
                # sides are written without spaces (CJK).
                cjk = len(t) == 1 and len(text[-1]) == 1 and not t.isascii() and not text[-1].isascii()
                space.append(0 if cjk else 1)
                pen.append(0.0)
            else:
                space.append(toks.space[m] if text else 0)
                pen.append(toks.penalty[m] if m else 0.0)
            text.append(t)
            ts.append(a[m])
            te.append(b[m])
            sidx.append(first_index + k)
            starts.append(m == 0)
            own.append(timed)
    prefix = [0] * (len(text) + 1)
    for i, t in enumerate(text):
        prefix[i + 1] = prefix[i] + len(t) + space[i]
    return Tokens(tuple(text), tuple(space), tuple(pen), tuple(prefix)), ts, te, sidx, starts, own


def _turn_counts(ts: list[int], te: list[int], sent_start: list[bool]) -> tuple[list[int], list[int]]:
    """Running counts: sentence starts among tokens ``0..i-1``, long pauses before tokens ``1..i-1``."""
    n = len(ts)
    starts_before = [0] * (n + 1)
    pauses_before = [0] * (n + 1)
    for i in range(n):
        starts_before[i + 1] = starts_before[i] + (1 if sent_start[i] else 0)
        long_pause = i > 0 and ts[i] - te[i - 1] >= _LONG_PAUSE
        pauses_before[i + 1] = pauses_before[i] + (1 if long_pause else 0)
    return starts_before, pauses_before


def _boundary(toks: Tokens, ts: list[int], te: list[int], sent_start: list[bool], next_start: int | None,
              j: int, min_gap: int) -> tuple[int, float, bool]:
    """A cue ending before token ``j``: (room after it, cost of the cut, whether it cuts a sentence)."""
    end_t = te[j - 1]
    if j == len(toks):
        return (next_start - end_t - min_gap if next_start is not None else 10**6), 0.0, False
    room = ts[j] - end_t - min_gap  # < 0: the chained gap comes off this cue
    split_cost = toks.penalty[j] * _CUE_BREAK_WEIGHT
    if not sent_start[j] and split_cost == 0.0:
        split_cost = _CUE_BREAK_WEIGHT  # a full stop inside a sentence ("U.S.") is no sentence end
    if ts[j] - end_t >= _LONG_PAUSE:
        split_cost = max(0.0, split_cost - _PAUSE_SPLIT_BONUS)
    return room, split_cost, not sent_start[j]


def _reading_cost(cost: float, d: int, w: int, room: int, prof: Profile) -> float:
    """``cost`` plus what a cue of ``w`` characters spoken for ``d`` ms costs in display
    time and reading speed (the timing pass may extend a short cue by up to ``room`` into
    the following pause).  The terms are added to ``cost`` one by one, in a fixed order,
    so that equal candidates compare equal exactly."""
    pref_min, linger = prof.preferred_min_duration, prof.linger
    ext = pref_min - d if pref_min - d > linger else linger
    eff = d + (room if room < ext else ext)
    if eff < pref_min:
        cost += (pref_min - eff) * _SHORT_COST_PER_MS
        if eff < prof.min_duration:
            cost += _UNDER_MIN_COST
    cps = w * 1000.0 / eff if eff > 0 else 100.0
    if cps > prof.target_cps:
        cost += (cps - prof.target_cps) * _CPS_TARGET_COST
        if cps > prof.max_cps:
            cost += 30.0 + (cps - prof.max_cps) * _CPS_HARD_COST
    return cost


def _spans(back: list[int]) -> list[tuple[int, int]]:
    """The cues ``(i, j)`` of the best cut, in order, from the back pointers."""
    spans: list[tuple[int, int]] = []
    j = len(back) - 1
    while j > 0:
        i = back[j]
        spans.append((i, j))
        j = i
    spans.reverse()
    return spans


def _split_turn(
    toks: Tokens, ts: list[int], te: list[int], sent_start: list[bool], next_start: int | None, prof: Profile
) -> list[tuple[int, int]]:
    """The dynamic programme: best cut of a turn's tokens into cues.

    ``best[j]`` is the lowest cost of cutting tokens ``0..j-1``; a cue
    ``i..j-1`` is a candidate when it fits on the allowed lines and lasts at most
    ``max_duration``.  Candidates are visited from the longest (smallest ``i``,
    where ``best[i]`` is lowest) so most of the rest are pruned by
    ``best[i] + piece cost >= best so far`` before any wrapping is computed.

    The candidate loop stays in this one function (complexity ~20): it is the
    segmenter's inner loop, and the pruning tests are cheapest inline.
    """
    n = len(toks)
    max_chars = prof.max_chars
    limit = max_chars if prof.max_lines <= 1 else 2 * max_chars + 1
    prefix = toks.prefix
    # lead[i] = prefix[i] + space[i] is non-decreasing, and width(i, j) = prefix[j] - lead[i].
    lead = [prefix[i] + toks.space[i] for i in range(n)]
    starts_before, pauses_before = _turn_counts(ts, te, sent_start)
    inf = math.inf
    best = [inf] * (n + 1)
    best[0] = 0.0
    back = [0] * (n + 1)
    max_dur, two_lines = prof.max_duration, prof.max_lines >= 2
    fill = max_chars * 0.6
    for j in range(1, n + 1):
        end_t, end_w, sb_j = te[j - 1], prefix[j], starts_before[j]
        room, split_cost, frag_j = _boundary(toks, ts, te, sent_start, next_start, j, prof.min_gap)
        bj, bi = inf, -1
        for i in range(bisect_left(lead, end_w - limit, 0, j), j):
            cost = best[i] + _PIECE_COST
            d = end_t - ts[i]
            if cost >= bj or d > max_dur:
                continue  # every other term is >= 0: cannot win; or too long
            w = end_w - lead[i]
            frag = frag_j or not sent_start[i]
            inner = sb_j - starts_before[i + 1]
            if inner:
                cost += _SENTENCE_JOIN_COST * inner
                if frag:
                    cost += _FRAGMENT_JOIN_COST
            elif frag and w < fill:
                cost += (fill - w) * _SCRAP_COST_PER_CHAR  # a scrap of a longer sentence
            pauses = pauses_before[j] - pauses_before[i + 1]
            if pauses:
                cost += _PAUSE_INSIDE_COST * pauses
            cost = _reading_cost(cost, d, w, room, prof)
            if cost >= bj or (w > max_chars and not two_lines):
                continue
            if w > max_chars:
                cost += best_wrap(toks, i, j, max_chars)[0]
            if cost < bj:
                bj, bi = cost, i
        if bi < 0:
            # Nothing fits (one token wider than two lines, or longer than
            # max_duration): the token gets a cue of its own and QC reports it.
            bj, bi = best[j - 1] + _PIECE_COST + _OVERSIZE_COST, j - 1
        best[j] = bj + split_cost
        back[j] = bi
    return _spans(back)


def _retime(drafts: list[_Draft], prof: Profile) -> None:
    """Final cue times: minimum duration, linger, chaining, no overlap.

    The end stays with the speech plus what the reader needs: at least the
    preferred minimum duration, up to ``linger`` more for the target reading
    speed, and as long as the hard reading-speed limit needs (never past the
    next cue).  Gaps shorter than ``chain_gap`` are closed to exactly
    ``min_gap``.  A cue that is still too short or too fast may start earlier,
    into a real pause before it (``lead_in`` for reading speed).
    """
    gap = prof.min_gap
    raw_starts = [d.start for d in drafts]

    def chars_of(d: _Draft) -> int:
        return len(d.text) if prof.count_spaces else len(d.text.replace(" ", ""))

    def hard_need(d: _Draft) -> int:
        return math.ceil(chars_of(d) * 1000.0 / prof.max_cps) if prof.max_cps > 0 else 0

    def latest_start(j: int) -> int:
        """The latest start of cue ``j`` that still meets the hard reading speed (it may
        start up to ``lead_in`` before its speech, into a pause; never past its speech)."""
        end_max = raw_starts[j + 1] - gap if j + 1 < len(drafts) else drafts[j].end + prof.linger
        end_max = min(end_max, drafts[j].start + prof.max_duration)
        return max(drafts[j].start - prof.lead_in, min(drafts[j].start, end_max - hard_need(drafts[j])))

    prev_end: int | None = None
    for idx, d in enumerate(drafts):
        floor = prev_end + gap if prev_end is not None else 0
        s = max(d.start, floor)
        e = max(d.end, s)
        need_target = math.ceil(chars_of(d) * 1000.0 / prof.target_cps) if prof.target_cps > 0 else 0
        need_hard = hard_need(d)
        want = max(e, s + prof.preferred_min_duration, min(s + need_target, e + prof.linger), s + need_hard)
        if idx + 1 < len(drafts):
            nxt = raw_starts[idx + 1]
            want = min(want, nxt - gap)
            if nxt - want < prof.chain_gap:
                want = nxt - gap  # chain: close a small gap to exactly the minimum
            # Leave the next cue the lead-in its hard reading speed needs: this cue's
            # linger gives way (never its speech, nor its own hard limit).
            room = latest_start(idx + 1) - gap
            if room < want:
                want = max(e, s + need_hard, room)
        if want > s:
            earlier = s
            if want - s < prof.min_duration:
                earlier = want - prof.min_duration
            if want - s < need_hard:
                earlier = min(earlier, max(s - prof.lead_in, want - need_hard))
            s = max(floor, min(s, earlier))
        else:
            # Input overlaps (the next speech starts before this one): give the
            # cue the minimum duration; the next cue is pushed back.
            want = s + prof.min_duration
        want = min(want, s + prof.max_duration)
        d.start, d.end = s, want
        prev_end = want


def segment(transcript: Transcript, *, slug: str, profile: Profile | None = None) -> tuple[Cue, ...]:
    """Cut a timed transcript into guideline-clean cues with stable ids.

    Raises :class:`toolkit.errors.InputError` for an untimed sentence or one
    that ends before it starts (naming the source file and line).
    """
    _check_slug(slug)
    prof = (profile or DEFAULT_PROFILE).for_language(transcript.language)
    where = str(transcript.source) if transcript.source else None
    lang = transcript.language
    prepared = []
    index = 0
    for t_no, turn in enumerate(transcript.turns):
        toks, ts, te, sidx, starts, own = _turn_tokens(turn.sentences, index, lang, where)
        index += len(turn.sentences)
        if len(toks):
            prepared.append((t_no, turn, toks, ts, te, sidx, starts, own))
    confidences = [s.confidence for s in transcript.sentences]
    drafts: list[_Draft] = []
    for p_no, (t_no, turn, toks, ts, te, sidx, starts, own) in enumerate(prepared):
        next_start = prepared[p_no + 1][3][0] if p_no + 1 < len(prepared) else None
        for i, j in _split_turn(toks, ts, te, starts, next_start, prof):
            spans = wrap_tokens(toks, i, j, prof.max_chars, prof.max_lines)
            lines = tuple(toks.join(a, b) for a, b in spans)
            sent = tuple(sorted(set(sidx[i:j])))
            first_of = {k: ts[next(m for m in range(i, j) if sidx[m] == k)] for k in sent}
            words = tuple(Word(toks.text[m], ts[m], te[m]) for m in range(i, j)) if all(own[i:j]) else ()
            drafts.append(
                _Draft(
                    start=ts[i],
                    end=max(te[i:j]),
                    lines=lines,
                    text=join_tokens(toks.text[i:j], (0,) + toks.space[i + 1:j]),
                    speaker=turn.speaker,
                    chapter=turn.chapter,
                    sentences=sent,
                    confidence=min(confidences[k] for k in sent),
                    turn=t_no,
                    sentence_starts=tuple(first_of[k] for k in sent),
                    words=words,
                )
            )
    _retime(drafts, prof)
    seen: dict[str, int] = {}
    cues: list[Cue] = []
    prev_speaker: str | None = None
    for d in drafts:
        base = cue_id_base(slug, d.speaker, d.text)
        seen[base] = seen.get(base, 0) + 1
        cid = base if seen[base] == 1 else f"{base}-{seen[base]}"
        cues.append(
            Cue(
                id=cid,
                start=d.start,
                end=d.end,
                lines=d.lines,
                speaker=d.speaker,
                speaker_change=d.speaker != prev_speaker,
                chapter=d.chapter,
                sentences=d.sentences,
                confidence=d.confidence,
                sentence_starts=d.sentence_starts,
                words=d.words,
            )
        )
        prev_speaker = d.speaker
    log.debug("segmented %d sentences into %d cues", index, len(cues))
    return tuple(cues)


def wrap_lines(text: str, *, lang: str, profile: Profile | None = None) -> tuple[str, ...]:
    """Break one cue's text into lines by the line-breaking rules.

    At most ``profile.max_lines`` lines of ``profile.max_chars`` (after the
    per-language limits for ``lang``) when the text fits; when it cannot fit,
    the fewest lines that respect the width (a cue that needs more lines than
    allowed must be split by the caller; :func:`toolkit.segment.check` reports
    it).  Text without spaces (Chinese, Japanese) breaks between characters.
    """
    prof = (profile or DEFAULT_PROFILE).for_language(lang)
    return wrap_text(text, lang=lang, max_chars=prof.max_chars, max_lines=prof.max_lines)

