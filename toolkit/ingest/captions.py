"""Caption cues in the shapes real tools write → timed :class:`~.timed.Segment` pieces.

Shared by the WebVTT, SubRip and SBV readers, which only turn their format's
cues into :class:`Caption` objects.  Every shape is detected from the
content, never from a file name:

* **rolling auto-captions** (YouTube, some hosts): each line is shown again
  as the top line of the next cue, with short "transition" cues in between,
  so every phrase is in the file two or three times.  When at least half of
  the consecutive cue pairs repeat the previous cue's last line (or grow it),
  the repeated lines are removed so each spoken word appears once; the
  ``<00:00:01.500>`` word timestamps of the newer layout become word
  timings;
* **overlapping auto-captions** (the older YouTube layout, where each phrase
  stays up until the one after next starts) need no rule here: one speaker
  cannot overlap themselves, so :func:`~.timed.build_transcript` ends each
  phrase where the next one of the same speaker starts;
* **speaker labels** in the cue text (``Ana Ruiz: …`` from Zoom, Riverside,
  Descript, Otter; ``Speaker 1:``, ``>> JOHN:``) and ``<v Name>`` voices start
  a new speaker's part of a cue; a label in a script without case must occur
  at least twice in the file (so ``他说：`` in a sentence is not a speaker);
* **dialogue dashes** (``- Yes.`` / ``- No.``) and a bare ``>>`` start a new
  turn of an unnamed speaker, so two speakers are never merged into one line;
* **sound tags** (``[Music]``, ``(laughs)``, ``♪``) stay text: they are never
  labels;
* **cross-talk**: cues of different speakers may overlap; they are kept.
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from ..formats import webvtt
from ..model import Word
from .common import Label, find_label
from .sentences import is_cjk, normalize_space
from .timed import UNKNOWN, Segment

__all__ = ["CaptionLine", "Caption", "build_segments", "vtt_lines", "plain_lines", "is_rolling"]

_DASH_STARTS = ("- ", "– ", "‐ ")
_REPEAT_MAX = 8  # lines a rolling cue may repeat from the ones before it


@dataclass(frozen=True)
class CaptionLine:
    """One display line of a cue: its text, the ``<v>`` voice it is in, its
    source line, and ``(time, text)`` pieces when the cue has timestamp tags."""

    text: str
    number: int
    voice: str | None = None
    pieces: tuple[tuple[int, str], ...] = ()


@dataclass(frozen=True)
class Caption:
    """One cue as a format reader hands it over: its times, its display lines
    and the line of its timing line (for messages and ``Sentence.line``)."""

    start: int
    end: int
    lines: tuple[CaptionLine, ...]
    line: int


def plain_lines(lines: Sequence[tuple[int, str]]) -> tuple[CaptionLine, ...]:
    """Display lines that are already plain text (SubRip after tag removal, SBV)."""
    return tuple(CaptionLine(text, number) for number, text in lines)


@dataclass
class _LineBuilder:
    number: int
    voice: str | None = None
    pieces: list[tuple[int, str]] = field(default_factory=list)


def vtt_lines(raw: str, start: int, first_line: int) -> tuple[CaptionLine, ...]:
    """A WebVTT cue's raw text → display lines, each with its voice and its
    ``(time, text)`` pieces (empty when the cue has no timestamp tags)."""
    lines = [_LineBuilder(first_line)]
    voice: list[str | None] = [None]
    time = [start]
    tagged = [False]

    number = [first_line]

    def add_text(text: str) -> None:
        for k, part in enumerate(text.split("\n")):
            if k:
                number[0] += 1
                lines.append(_LineBuilder(number[0]))
            if part:
                if lines[-1].pieces and lines[-1].voice != voice[-1]:
                    lines.append(_LineBuilder(number[0]))  # a voice changes inside the line
                if not lines[-1].pieces:
                    lines[-1].voice = voice[-1]
                lines[-1].pieces.append((time[0], part))

    def visit(node: webvtt.Node) -> None:
        if node.kind == "text":
            add_text(node.text)
        elif node.kind == "timestamp" and node.time is not None:
            time[0], tagged[0] = node.time, True
        else:
            if node.kind == "v":
                voice.append(node.annotation or None)
            for child in node.children:
                visit(child)
            if node.kind == "v":
                voice.pop()

    visit(webvtt.parse_cue_text(raw))
    return tuple(CaptionLine("".join(p for _, p in b.pieces), b.number, b.voice,
                             tuple(b.pieces) if tagged[0] else ()) for b in lines)


def _norm(text: str) -> str:
    return normalize_space(text).casefold()


def _texts(cap: Caption) -> list[str]:
    return [_norm(line.text) for line in cap.lines]


def is_rolling(captions: Sequence[Caption]) -> bool:
    """Is this the rolling layout?  Many cues carry the previous cue's last
    line on top of a new one (or grow that line): at least two such cues, and
    at least a third of all consecutive pairs.  Single-line cues that repeat
    (a chorus, "No." "No.") never count, so ordinary captions are left alone."""
    pairs = rolling = 0
    for prev, cur in zip(captions, captions[1:]):
        p = [t for t in _texts(prev) if t]
        c = [t for t in _texts(cur) if t]
        if not p or not c:
            continue
        pairs += 1
        if (len(c) >= 2 and c[0] == p[-1]) or (c[0] != p[-1] and c[0].startswith(p[-1] + " ")):
            rolling += 1
    return rolling >= 2 and rolling * 3 >= pairs


def _trim_line(line: CaptionLine, prefix: str) -> CaptionLine:
    """``line`` without its first words equal to ``prefix`` (a growing line)."""
    words = len(prefix.split())
    text = " ".join(line.text.split()[words:])
    pieces: list[tuple[int, str]] = []
    seen = 0
    for t, piece in line.pieces:
        n = len(piece.split())
        if seen >= words:
            pieces.append((t, piece))
        elif seen + n > words:
            pieces.append((t, " ".join(piece.split()[words - seen:])))
        seen += n
    return replace(line, text=text, pieces=tuple(pieces))


def _dedupe(captions: Sequence[Caption]) -> list[Caption]:
    """Rolling captions → each line once (see the module doc)."""
    emitted: list[str] = []
    out: list[Caption] = []
    for cap in captions:
        texts = _texts(cap)
        lines = list(cap.lines)
        # rolling cues repeat the last line or two: looking back further than
        # _REPEAT_MAX lines would cost a long cue its length squared
        j = min(len(texts), len(emitted), _REPEAT_MAX)
        while j > 0 and texts[:j] != emitted[-j:]:
            j -= 1
        lines, texts = lines[j:], texts[j:]
        if lines and emitted and texts[0].startswith(emitted[-1] + " "):
            lines[0] = _trim_line(lines[0], emitted[-1])
            emitted[-1] = texts[0]
            texts[0] = ""
        if not any(line.text.strip() for line in lines):
            continue
        emitted.extend(t for t in texts if t)
        out.append(replace(cap, lines=tuple(lines)))
    return out


def _words(lines: Sequence[CaptionLine], start: int, end: int, *, approximate: bool) -> tuple[Word, ...]:
    """Word timings from ``<timestamp>`` pieces: a word starts at its piece's
    time (shared by length when a piece holds several) and ends where the
    next starts, the last one at the cue end.  A cue without timestamps gets
    none — unless ``approximate`` (the file has word timings elsewhere: a
    ``[Music]`` cue among tagged ones), then its words share its time."""
    timed: list[tuple[int, str]] = []
    for line in lines:
        pieces = line.pieces
        if not pieces:
            if not approximate:
                return ()
            pieces = ((start if not timed else -1, line.text),)
        for t, piece in pieces:
            parts = piece.split()
            for k, word in enumerate(parts):
                timed.append((t if k == 0 else -1, word))
    if not timed:
        return ()
    starts = [t for t, _ in timed]
    # words without their own time (inside a piece) get one between their neighbours
    k = 0
    while k < len(starts):
        if starts[k] < 0:
            j = k
            while j < len(starts) and starts[j] < 0:
                j += 1
            nxt = starts[j] if j < len(starts) else end
            prev = starts[k - 1]
            for m in range(k, j):
                starts[m] = prev + round((nxt - prev) * (m - k + 1) / (j - k + 1))
            k = j
        else:
            k += 1
    words = []
    for i, (t, word) in enumerate(timed):
        word_end = starts[i + 1] if i + 1 < len(starts) else end
        words.append(Word(word, starts[i], max(word_end, starts[i])))
    return tuple(words)


def _turn_start(text: str, trusted: frozenset[str]) -> tuple[str, str | None, bool] | None:
    """How a line starts a new turn: (its text, speaker or UNKNOWN, turn break), or None."""
    marker = False
    body = text.lstrip()
    if body.startswith(">>"):
        body, marker = body.lstrip(">").lstrip(), True
    elif body.startswith(_DASH_STARTS):
        body, marker = body[2:].lstrip(), True
    label: Label | None = find_label(body)
    if label is not None and (not label.uncased or label.name in trusted):
        return label.rest, label.name, marker
    if marker:
        return body, UNKNOWN, True
    return None


def _join(lines: Sequence[str]) -> str:
    out = ""
    for line in lines:
        line = normalize_space(line)
        if not line:
            continue
        if out and not (is_cjk(out[-1]) and is_cjk(line[0])):
            out += " "
        out += line
    return out


def _trusted_labels(captions: Sequence[Caption]) -> frozenset[str]:
    counts: Counter[str] = Counter()
    for cap in captions:
        for line in cap.lines:
            label = find_label(line.text.lstrip().lstrip(">").lstrip())
            if label is not None and label.uncased:
                counts[label.name] += 1
    return frozenset(name for name, n in counts.items() if n >= 2)


def _cue_segments(cap: Caption, trusted: frozenset[str], *, approximate: bool) -> list[Segment]:
    """One cue → one segment per speaker part inside it (usually one)."""
    parts: list[tuple[str | None, bool, list[CaptionLine], list[str]]] = []
    voice: str | None = None
    for line in cap.lines:
        if not line.text.strip():
            continue
        started = _turn_start(line.text, trusted)
        if line.voice is not None and line.voice != voice:
            voice = line.voice
            text = started[0] if started else line.text
            parts.append((voice, False, [line], [text]))
        elif started is not None:
            text, speaker, brk = started
            parts.append((speaker, brk, [line], [text]))
        elif parts:
            parts[-1][2].append(line)
            parts[-1][3].append(line.text)
        else:
            parts.append((None, False, [line], [line.text]))
    parts = [p for p in parts if _join(p[3]) or p[0]]
    if not parts:
        return []
    words = _words(cap.lines, cap.start, cap.end, approximate=approximate)
    sizes = [max(len(_join(p[3])), 1) for p in parts]
    total = sum(sizes)
    spans: list[tuple[int, int]] = []
    t, acc = cap.start, 0
    for k, ((_, _, lines, _), size) in enumerate(zip(parts, sizes, strict=True)):
        acc += size
        t_end = cap.end if k == len(parts) - 1 else cap.start + round((cap.end - cap.start) * acc / total)
        if lines[0].pieces and k:
            t = lines[0].pieces[0][0]
        spans.append((t, t_end))
        t = t_end
    mine = _words_in(words, spans)
    return [Segment(_join(texts), t, max(t_end, t), speaker=speaker, line=cap.line, text_line=lines[0].number,
                    words=found, new_cue=k == 0, turn_break=brk)
            for k, ((speaker, brk, lines, texts), (t, t_end), found) in enumerate(zip(parts, spans, mine))]


def _words_in(words: Sequence[Word], spans: Sequence[tuple[int, int]]) -> list[tuple[Word, ...]]:
    """For each ``(t, t_end)`` span, the words starting in it (in their order).

    By bisection over the word starts, so a cue of many voices and many
    words costs what it holds, not their product.  Spans of a real cue follow
    each other; were they to overlap wildly (timestamp tags that go back and
    forth), each word goes to the last span starting at or before it instead,
    so the cost stays linear.
    """
    if not words:
        return [() for _ in spans]
    order = sorted(range(len(words)), key=lambda i: words[i].start)
    in_order = all(a < b for a, b in zip(order, order[1:]))
    starts = [words[i].start for i in order]
    ranges = [(bisect.bisect_left(starts, t), bisect.bisect_left(starts, t_end)) for t, t_end in spans]
    if sum(max(hi - lo, 0) for lo, hi in ranges) <= 2 * len(words):
        out = []
        for lo, hi in ranges:
            picked = order[lo:hi] if in_order else sorted(order[lo:hi])
            out.append(tuple(words[i] for i in picked))
        return out
    firsts = sorted(range(len(spans)), key=lambda k: spans[k][0])
    owner: list[list[int]] = [[] for _ in spans]
    m = -1
    for i in order:  # words by start; the span starting last at or before each
        while m + 1 < len(firsts) and spans[firsts[m + 1]][0] <= words[i].start:
            m += 1
        if m >= 0 and words[i].start < spans[firsts[m]][1]:
            owner[firsts[m]].append(i)
    return [tuple(words[i] for i in sorted(found)) for found in owner]


def build_segments(captions: Sequence[Caption]) -> tuple[list[Segment], bool]:
    """Cues in file order → segments (and whether the rolling layout was found)."""
    caps = [replace(c, lines=tuple(line for line in c.lines if line.text.strip())) for c in captions]
    caps = [c for c in caps if c.lines]
    caps.sort(key=lambda c: c.start)
    rolling = is_rolling(caps)
    if rolling:
        caps = _dedupe(caps)
    trusted = _trusted_labels(caps)
    # a [Music] cue among word-timed rolling captions gets word times too (so the
    # segmenter can keep using the word times of the lines around it)
    tagged = rolling and any(line.pieces for cap in caps for line in cap.lines)
    segments: list[Segment] = []
    for cap in caps:
        segments.extend(_cue_segments(cap, trusted, approximate=tagged))
    return segments, rolling
