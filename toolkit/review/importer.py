"""Import a translator's corrected file (SRT, WebVTT, PO or XLIFF) into the store.

All or nothing: the file is read and checked completely first; if anything is
wrong with it (wrong language or episode, a cue that cannot be placed, empty
text, overlapping cues, broken encoding…) :class:`ImportRejected` is raised
with every problem listed and the store is not touched.  Otherwise the store is
saved once (its previous version goes to ``.history``).

Matching a file's cues to the stored cues, in this order:

1. **by id** — PO ``msgctxt``, XLIFF unit ids and VTT cue identifiers are the
   source cue ids (XLIFF is matched by id only: a unit id the store does not
   have is a problem, and a unit without ``<target>`` is left as it is);
2. **by time overlap** — SRT cues, and VTT cues whose editor renumbered them.
   A cue that covers at least half of each of two or more stored cues is a
   *merge*: its text is distributed over those cues in proportion to the
   length of their current translations, cut at word boundaries (at
   characters for scripts without spaces) — a translator who merges two
   cues is asked to keep the meaning in order, and a proportional cut keeps
   the published cue lengths close to what they were.  Several cues lying
   mostly inside one stored cue are a *split*: their texts are joined.  So
   are the *sub-cues* of a published target-language file (the layout of
   :func:`toolkit.segment.layout`): ``<id>.2``, ``<id>.3`` … are matched to
   cue ``<id>`` by id (VTT, PO, XLIFF), and a cue without an id lying in the
   gap after the cue the file cue before it matched continues that cue (SRT);
3. **by position** — a cue that overlaps nothing is matched to the stored cue
   at the same position when the file has as many cues as the store (a
   re-timed file); when most cues need this the file is rejected as not
   belonging to the episode.

Cues whose timings differ from the source keep the source timings (warning).
A cue whose text changed becomes ``human``; if the file shows that it was
translated against a source text that has changed since (the PO ``msgid``, the
VTT ``NOTE toolkit-cue source=``, or the export record for SRT), it becomes
``stale`` instead and is reported.  A PO entry of a stale cue that comes back
without ``fuzzy`` and with the current source text as msgid is *confirmed*
(``human``) even when its text is unchanged; so is an XLIFF unit whose target
no longer needs review (``state`` not ``needs-…``).  An XLIFF unit exported
locked (``translate="no"``) whose target changed is a problem.
"""

from __future__ import annotations

import bisect
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from .. import formats, langs
from ..errors import ConfigError, ImportRejected, InputError
from ..formats import po as pofmt
from ..formats import subrip, webvtt
from ..formats import xliff as xlf
from ..formats import limits
from ..formats import text as textcodec
from ..formats.limits import quoted
from ..model import Cue
from ..sanitize import Removed
from ..segment import source_of
from .export import CUE_TAG, EXPORT_TAG, read_manifest
from .store import CUE_TAG as STORE_CUE_TAG
from .store import (
    HEADER_TAG,
    Entry,
    State,
    Store,
    backups,
    decode_text,
    format_time,
    load_store_at,
    parse_fields,
    reconcile,
    same_text,
    save_store,
    split_voice,
    text_hash,
)

log = logging.getLogger(__name__)

__all__ = ["ImportedCue", "ParsedFile", "ImportReport", "read_file", "plan_import", "import_file",
           "detect_format", "distribute"]

TOLERANCE_MS = 10
"""Timing differences up to this are not changes: Aegisub stores centiseconds,
so a file that went through it comes back rounded to 10 ms."""


@dataclass(frozen=True)
class ImportedCue:
    """One cue as read from the translator's file."""

    index: int  # 1-based position in the file
    line: int  # line of the file where the cue starts
    id: str | None
    start: int | None
    end: int | None
    text: str
    speaker: str | None = None
    seen: str | None = None  # hash of the source text the translator was shown
    fuzzy: bool = False
    locked: bool = False  # an XLIFF unit with translate="no"
    unit: bool = False  # an XLIFF unit (named by its id and line)

    @property
    def where(self) -> str:
        if self.unit:
            return f"unit {quoted(self.id or '')} (line {self.line})"
        if self.start is not None and self.end is not None:
            return f"cue {self.index} ({format_time(self.start)} --> {format_time(self.end)})"
        return f"cue {self.index} ({self.id})"


@dataclass(frozen=True)
class ParsedFile:
    """A translator's file, read but not yet matched."""

    path: str
    format: str
    slug: str | None
    lang: str | None
    cues: tuple[ImportedCue, ...]
    source_lang: str | None = None  # XLIFF says the source language too


@dataclass(frozen=True)
class ImportReport:
    """What an import did (or, with ``rejected``, why it did nothing)."""

    path: str
    slug: str
    lang: str
    format: str
    changed: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()
    unmatched: tuple[str, ...] = ()  # stored cues the file has no cue for (left as they were)
    rejected: tuple[str, ...] = ()  # problems; any → nothing applied
    stale: tuple[str, ...] = ()  # changed cues made against an older source text → stale
    outdated: tuple[str, ...] = ()  # cues whose source changed since the file was exported
    merged: tuple[tuple[str, ...], ...] = ()
    split: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    backup: Path | None = None
    saved: bool = False

    def summary(self) -> str:
        return (f"{self.slug}/{self.lang} ({self.format}): {len(self.changed)} changed, "
                f"{len(self.unchanged)} unchanged, {len(self.unmatched)} unmatched, "
                f"{len(self.rejected)} rejected" + (f"; {len(self.stale)} stale" if self.stale else ""))


# --------------------------------------------------------------------------- reading


def detect_format(path: str | Path, text: str) -> str:
    """``srt``/``vtt``/``po``/``xliff`` from the extension, else from the content
    (the formats registry)."""
    found = formats.detect(path, text)
    names = {"subrip": "srt", "webvtt": "vtt", "po": "po", "xliff": "xliff"}
    if found not in names:
        raise ImportRejected("cannot tell the format (expected .srt, .vtt, .po or .xlf)", path=str(path))
    return names[found]


def _decode(data: bytes, path: str) -> str:
    # Subtitle Edit can save UTF-16 (with a BOM); everything else must be UTF-8:
    # a guessed code page could corrupt a translator's text.
    try:
        return textcodec.decode(data, path, legacy=False).text
    except InputError as exc:
        raise ImportRejected(f"broken encoding: {exc.message.split(';')[0]}", path=path, line=exc.line,
                             hint="save the file as UTF-8 in your editor") from None


def read_file(path: str | Path, *, speakers: Sequence[str] = ()) -> ParsedFile:
    """Read a translator's file; ImportRejected when it cannot be read at all.

    ``speakers`` are the episode's speaker names: an SRT ``Name: `` prefix is
    removed only for these (a colon in ordinary text stays).
    """
    p = str(path)
    try:
        data = limits.read_bounded(path, what="translation")
    except InputError as exc:
        raise ImportRejected(exc.message, path=p, hint=exc.hint) from None
    text = _decode(data, p)
    fmt = detect_format(path, text)
    try:
        if fmt != "xliff":  # (XML may be written on one line)
            limits.check_lines(text, p)
        if fmt == "po":
            parsed = _read_po(text, p)
        elif fmt == "xliff":
            parsed = _read_xliff(text, p)
        elif fmt == "vtt":
            parsed = _read_vtt(text, p)
        else:
            parsed = _read_srt(text, p, speakers)
        limits.check_count(len(parsed.cues), "cues", p,
                           line=parsed.cues[limits.MAX_CUES].line if len(parsed.cues) > limits.MAX_CUES else None)
    except InputError as exc:
        raise ImportRejected(exc.message, path=p, line=exc.line, cue=exc.cue, hint=exc.hint) from None
    return _clean(parsed)


def _clean(parsed: ParsedFile) -> ParsedFile:
    """Control characters out of every text (reported once for the file)."""
    removed = Removed(parsed.path)
    cues = tuple(replace(c, text=removed.add(c.text, f"line {c.line}"),
                         speaker=removed.add(c.speaker, f"line {c.line}") if c.speaker else c.speaker)
                 for c in parsed.cues)
    removed.report()
    return replace(parsed, cues=cues)


def _read_vtt(text: str, path: str) -> ParsedFile:
    try:
        doc = webvtt.parse(text)
    except webvtt.SignatureError:
        raise InputError("not a WebVTT file (no WEBVTT header)", path=path, line=1) from None
    for warning in doc.warnings:  # all or nothing: a cue that cannot be read rejects the file
        raise InputError(f"expected a timing line (start --> end): {warning.message}", path=path,
                         line=warning.line)
    slug = lang = None
    pending: dict[str, str] | None = None
    cues: list[ImportedCue] = []
    for block in doc.blocks:
        if isinstance(block, webvtt.Note):
            words = block.text.split("\n", 1)[0].strip() if block.inline else ""
            tag, _, rest = words.partition(" ")
            if tag in (EXPORT_TAG, HEADER_TAG):  # an export, or the store file itself
                header = parse_fields(rest, path=path, line=block.line)
                slug, lang = header.get("slug"), header.get("lang")
            elif tag in (CUE_TAG, STORE_CUE_TAG):
                pending = parse_fields(rest, path=path, line=block.line)
            continue
        payload = block.text.split("\n") if block.text else []
        speaker = None
        if payload:
            speaker, payload[0] = split_voice(payload[0])
        body = "\n".join(s for s in (decode_text(x).replace("\u00a0", " ").strip() for x in payload) if s)
        seen = (pending or {}).get("source")
        lineno = block.line - (1 if block.id else 0)
        cues.append(ImportedCue(len(cues) + 1, lineno, block.id.strip() or None, block.start, block.end, body,
                                speaker, seen if seen and re.fullmatch(r"[0-9a-f]{8}", seen) else None))
        pending = None
    return ParsedFile(path, "vtt", slug, lang, tuple(cues))


def _read_srt(text: str, path: str, speakers: Sequence[str]) -> ParsedFile:
    cues: list[ImportedCue] = []
    names = sorted(set(speakers), key=len, reverse=True)
    for cue in subrip.parse(text, path, keep_inverted=True):
        # Subtitle Edit renumbers; the number carries no identity
        payload = [decode_text(subrip.strip_tags(x)).strip() for _, x in cue.lines]
        speaker = None
        if payload:
            for name in names:
                if payload[0].startswith(name + ":"):
                    speaker, payload[0] = name, payload[0][len(name) + 1:].strip()
                    break
        body = "\n".join(x for x in payload if x)
        lineno = cue.line - (1 if cue.number is not None else 0)
        cues.append(ImportedCue(len(cues) + 1, lineno, None, cue.start, cue.end, body, speaker))
    return ParsedFile(path, "srt", None, None, tuple(cues))


def _read_po(text: str, path: str) -> ParsedFile:
    doc = pofmt.parse(text, path)
    slug = doc.metadata.get("X-Toolkit-Episode") or None
    lang = doc.metadata.get("Language") or None
    cues: list[ImportedCue] = []
    for entry in doc.entries:
        timing = pofmt.parse_range(entry.comment)
        start, end = timing if timing else (None, None)
        cues.append(ImportedCue(
            len(cues) + 1, entry.line, entry.msgctxt, start, end,
            "\n".join(x.strip() for x in entry.msgstr.split("\n") if x.strip()),
            seen=text_hash(entry.msgid), fuzzy=entry.fuzzy,
        ))
    return ParsedFile(path, "po", slug, lang, tuple(cues))


_XML_DECL = re.compile(r"^(\ufeff?<\?xml[^>]{0,200}?encoding\s*=\s*)([\"'])[A-Za-z0-9._-]{1,40}\2")


def _read_xliff(text: str, path: str) -> ParsedFile:
    # the bytes were decoded already (UTF-8 or UTF-16 with a BOM): the declaration's encoding is moot
    text = _XML_DECL.sub(r"\1\2UTF-8\2", text.lstrip("\ufeff"), count=1)
    doc = xlf.parse(text, path)
    cues: list[ImportedCue] = []
    for unit in doc.units:
        if unit.target is None:
            continue  # not translated in this file: the stored cue stays as it is
        if not unit.id:
            raise InputError("a unit without an id (keep the ids of the exported file)", path=path,
                             line=unit.line or None)
        cues.append(ImportedCue(
            len(cues) + 1, unit.line, unit.id, None, None,
            "\n".join(x.strip() for x in unit.target.split("\n") if x.strip()),
            seen=text_hash(unit.source), fuzzy=unit.fuzzy, locked=not unit.translate, unit=True,
        ))
    return ParsedFile(path, "xliff", doc.original, doc.target_lang, tuple(cues), source_lang=doc.source_lang)


# --------------------------------------------------------------------------- matching


def distribute(text: str, weights: Sequence[int]) -> list[str]:
    """Cut ``text`` into ``len(weights)`` parts proportional to ``weights``, at
    word boundaries (at characters when the text has too few spaces).

    >>> distribute("one two three four", [1, 1])
    ['one two', 'three four']
    >>> distribute("今日は晴れ", [3, 2])
    ['今日は', '晴れ']
    """
    n = len(weights)
    flat = " ".join(text.split())
    words = flat.split(" ") if flat else []
    joiner = " "
    if len(words) < n:  # CJK and similar: no spaces between words
        words, joiner = list(flat.replace(" ", "")), ""
    total_w = sum(max(1, w) for w in weights)
    sizes = [len(w) + len(joiner) for w in words]
    total = sum(sizes) or 1
    parts: list[str] = []
    i = 0
    acc_w = 0
    done = 0  # sum(sizes[:i]), carried along (a merge of many cues stays linear)
    for k in range(n):
        if k == n - 1:
            chunk = words[i:]
        else:
            acc_w += max(1, weights[k])
            goal = total * acc_w / total_w
            j = i
            acc = done
            # leave at least one word for each remaining part
            while j < len(words) - (n - 1 - k) and acc + sizes[j] / 2 <= goal:
                acc += sizes[j]
                j += 1
            j = max(j, i + 1) if i < len(words) - (n - 1 - k) else j
            chunk = words[i:j]
            done += sum(sizes[i:j])
            i = j
        parts.append(joiner.join(chunk))
    return parts


def _overlap(a0: int, a1: int, b0: int, b1: int) -> int:
    return max(0, min(a1, b1) - max(a0, b0))


class _Timeline:
    """The stored cues that overlap a time span, found by bisection.

    Stored cues follow the published ones: in order and never overlapping,
    so starts and ends both ascend and the overlapping cues of a span are a
    slice — an import costs what the file holds, not file × store.  (A store
    whose cues overlapped would be searched whole; it is still correct.)
    """

    def __init__(self, entries: Sequence[Entry]) -> None:
        self.starts = [e.start for e in entries]
        self.ends = [e.end for e in entries]
        self.sorted = all(a <= b for a, b in zip(self.starts, self.starts[1:])) and \
            all(a <= b for a, b in zip(self.ends, self.ends[1:]))

    def around(self, start: int, end: int) -> range:
        """Indices of the stored cues that may overlap ``[start, end)``."""
        if not self.sorted:
            return range(len(self.starts))
        return range(bisect.bisect_right(self.ends, start), max(bisect.bisect_left(self.starts, end), 0))


def _covers(cue: ImportedCue, e: Entry) -> bool:
    """``cue`` covers at least half of the stored cue ``e``."""
    assert cue.start is not None and cue.end is not None
    return _overlap(cue.start, cue.end, e.start, e.end) * 2 >= max(1, e.end - e.start)


def _home(cue: ImportedCue, entries: Sequence[Entry]) -> Entry | None:
    """The stored cue holding at least half of ``cue`` (``entries``: the ones around it)."""
    assert cue.start is not None and cue.end is not None
    best = max(entries, key=lambda e: _overlap(cue.start, cue.end, e.start, e.end),  # type: ignore[arg-type]
               default=None)
    if best is None:
        return None
    ov = _overlap(cue.start, cue.end, best.start, best.end)
    return best if ov and ov * 2 >= max(1, cue.end - cue.start) else None


def _lang_matches(file_lang: str, store_lang: str) -> bool:
    try:
        a = langs.normalize(file_lang)
    except ConfigError:
        return False
    # Poedit writes a region (es_ES) for a plain language; accept the base form
    return a == store_lang or (langs.base(a) == store_lang)


def _check_identity(parsed: ParsedFile, store: Store, source_cues: Sequence[Cue]) -> None:
    """The file is for this episode and language, and the store is up to date."""
    path = parsed.path
    if parsed.slug is not None and parsed.slug != store.slug:
        raise ImportRejected(f"wrong episode: the file is for {quoted(parsed.slug)}, not {store.slug!r}", path=path)
    if parsed.lang is not None and not _lang_matches(parsed.lang, store.lang):
        raise ImportRejected(f"wrong language: the file is {quoted(parsed.lang)}, the store is {store.lang!r}",
                             path=path)
    if parsed.source_lang is not None and not _lang_matches(parsed.source_lang, store.source_lang):
        raise ImportRejected(f"wrong source language: the file translates from {quoted(parsed.source_lang)}, "
                             f"the episode is in {store.source_lang!r}", path=path)
    if [e.id for e in store.entries] != [c.id for c in source_cues]:
        raise ImportRejected("the translations store is older than the source transcript", path=path,
                             hint=f"run `toolkit publish episode {store.slug}` first")
    if not parsed.cues:
        raise ImportRejected("the file has no cues", path=path)


@dataclass
class _Plan:
    """An import being planned: what each of the file's cues matched, and what went wrong.

    ``groups`` maps a file cue's index to the positions of the stored cues it
    stands for, ``how`` says how it was matched (``id``, ``time``, ``merge``,
    ``position``).  Problems and warnings are kept in the order they are found.
    """

    parsed: ParsedFile
    store: Store
    source_cues: Sequence[Cue]
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    groups: dict[int, list[int]] = field(default_factory=dict)
    how: dict[int, str] = field(default_factory=dict)
    claimed_by_id: dict[str, int] = field(default_factory=dict)  # stored cue id → the file cue naming it

    def __post_init__(self) -> None:
        self.entries = self.store.entries
        self.timeline = _Timeline(self.entries)
        self.pos = {e.id: i for i, e in enumerate(self.entries)}
        self.by_index = {c.index: c for c in self.parsed.cues}

    def part_of(self, c: ImportedCue) -> int | None:
        """The stored cue a published sub-cue (``<id>.2``, ``<id>.3`` …: the target-language
        layout, :func:`toolkit.segment.layout`) belongs to; None for any other cue."""
        found = source_of(c.id, self.pos) if c.id is not None and c.id not in self.pos else None
        return self.pos[found[0]] if found is not None else None

    def match(self, c: ImportedCue, positions: list[int], how: str) -> None:
        self.groups[c.index], self.how[c.index] = positions, how


def _file_problems(plan: _Plan) -> None:
    """File-level checks: duplicate ids, cues that end before they start or overlap."""
    ids_seen: dict[str, ImportedCue] = {}
    prev: ImportedCue | None = None
    for c in plan.parsed.cues:
        if c.unit and c.id not in plan.pos and plan.part_of(c) is None:
            plan.problems.append(f"{c.where}: unknown unit id (no cue {quoted(c.id or '')} in "
                                 f"{plan.store.slug}; keep the ids of the exported file)")
        if c.id is not None and c.id in plan.pos:
            if c.id in ids_seen:
                plan.problems.append(f"{c.where}: duplicate cue id {c.id}")
            ids_seen[c.id] = c
        if c.start is not None and c.end is not None:
            if c.end <= c.start:
                plan.problems.append(f"{c.where}: ends before it starts")
            if prev is not None and prev.end is not None and c.start < prev.end - TOLERANCE_MS:
                plan.problems.append(f"{c.where}: overlaps {prev.where}")
            prev = c
    plan.claimed_by_id = {cid: c.index for cid, c in ids_seen.items()}


def _match_cue(plan: _Plan, c: ImportedCue) -> bool:
    """Match one cue by id, then by time overlap (merge, or home cue); False when neither works."""
    claimed, entries = plan.claimed_by_id, plan.entries
    part = plan.part_of(c)
    if part is not None:  # a sub-cue of the published layout: its text joins its source cue's
        plan.match(c, [part], "id")
        return True
    own = plan.pos.get(c.id) if c.id is not None and claimed.get(c.id) == c.index else None
    if c.start is None or c.end is None or c.end <= c.start:
        if own is None:
            return False
        plan.match(c, [own], "id")
        return True
    near = plan.timeline.around(c.start, c.end)
    covered = [i for i in near if _covers(c, entries[i])
               and (entries[i].id not in claimed or claimed[entries[i].id] == c.index)]
    if own is not None:
        grp = sorted({own, *covered})
        plan.match(c, grp, "merge" if len(grp) > 1 else "id")
    elif len(covered) >= 2:
        plan.match(c, covered, "merge")
    elif (home := _home(c, [entries[i] for i in near])) is not None:
        plan.match(c, [plan.pos[home.id]], "time")
    elif len(covered) == 1:
        plan.match(c, covered, "time")
    else:
        return False
    return True


def _match_by_position(plan: _Plan, unresolved: Sequence[ImportedCue]) -> None:
    """The last resort for cues that overlap nothing: the stored cue at the same
    position, when the file has as many cues as the store (a re-timed file)."""
    cues, entries = plan.parsed.cues, plan.entries
    by_id_or_time = len(plan.groups)
    if len(cues) == len(entries) and len(unresolved) * 2 <= len(cues):
        taken = {i for g in plan.groups.values() for i in g}
        for c in unresolved:
            i = c.index - 1
            others = c.start is not None and c.end is not None and any(
                _overlap(c.start, c.end, entries[j].start, entries[j].end)
                for j in plan.timeline.around(c.start, c.end) if j != i)
            if i in taken or others:
                # position is the last resort only for a cue that overlaps no other stored cue
                plan.problems.append(f"{c.where}: does not line up with any source cue")
                continue
            plan.match(c, [i], "position")
            taken.add(i)
            plan.warnings.append(f"{c.where}: matched by position to cue {entries[i].id}")
    elif by_id_or_time * 2 < len(cues):
        raise ImportRejected(
            f"wrong episode? only {by_id_or_time} of {len(cues)} cues line up with "
            f"{plan.store.slug} ({len(entries)} cues)", path=plan.parsed.path,
            hint="was the file re-timed, or exported for another episode?")
    else:
        for c in unresolved:
            plan.problems.append(f"{c.where}: does not line up with any source cue")


def _continues(plan: _Plan, c: ImportedCue) -> int | None:
    """The stored cue a cue without an id continues: the published layout may extend a
    translation into the gap after its source cue and split it into sub-cues, so a
    sub-cue of a file without ids (SRT) may lie in that gap.  It continues stored cue
    ``i`` when the file cue before it was matched to ``i`` alone, and it overlaps no
    other stored cue and starts before the next one."""
    before = plan.groups.get(c.index - 1)
    if before is None or len(before) != 1 or c.start is None or c.end is None:
        return None
    i = before[0]
    prev = plan.by_index[c.index - 1]
    entries = plan.entries
    if prev.start is not None and c.start < prev.start:
        return None
    if i + 1 < len(entries) and c.start >= entries[i + 1].start:
        return None
    if any(_overlap(c.start, c.end, entries[j].start, entries[j].end)
           for j in plan.timeline.around(c.start, c.end) if j != i):
        return None
    return i


def _match_cues(plan: _Plan) -> None:
    """Match the file's cues to stored cues: by id, by time (a sub-cue in the gap after
    its source cue continues it), then by position."""
    unresolved = []
    for c in plan.parsed.cues:
        if _match_cue(plan, c) or c.unit:
            continue
        i = _continues(plan, c)
        if i is not None:
            plan.match(c, [i], "time")
        else:
            unresolved.append(c)
    if unresolved:
        _match_by_position(plan, unresolved)


@dataclass
class _Texts:
    """The new text of each matched stored cue (by position), with what the file said about it."""

    text: dict[int, str] = field(default_factory=dict)
    seen: dict[int, str | None] = field(default_factory=dict)
    fuzzy: dict[int, bool] = field(default_factory=dict)
    merged: list[tuple[str, ...]] = field(default_factory=list)
    split: list[str] = field(default_factory=list)

    def put(self, i: int, text: str, seen: str | None, fuzzy: bool) -> None:
        self.text[i], self.seen[i], self.fuzzy[i] = text, seen, fuzzy


def _per_entry(plan: _Plan) -> dict[int, list[int]]:
    """Stored cue position → the file cues matched to it; a merge overlapping a split is a problem."""
    per_entry: dict[int, list[int]] = {}
    for idx, grp in plan.groups.items():
        for i in grp:
            per_entry.setdefault(i, []).append(idx)
    for i, idxs in per_entry.items():
        if len(idxs) > 1 and any(plan.how[x] == "merge" for x in idxs):
            plan.problems.append(f"{plan.by_index[idxs[0]].where}: merged and split cues overlap around cue "
                                 f"{plan.entries[i].id}")
    return per_entry


def _spread_merge(plan: _Plan, c: ImportedCue, grp: Sequence[int], out: _Texts) -> None:
    """A merged cue's text, distributed over the stored cues it covers."""
    entries = plan.entries
    if not c.text.strip():
        plan.problems.append(f"{c.where}: empty text")
        return
    weights = [len(" ".join(entries[i].lines)) or len(plan.source_cues[i].text) for i in grp]
    parts = distribute(c.text, weights)
    if any(not p for p in parts):
        plan.problems.append(f"{c.where}: too little text to spread over the {len(grp)} source cues "
                             "it merges")
        return
    out.merged.append(tuple(entries[i].id for i in grp))
    for i, part in zip(grp, parts, strict=True):
        out.put(i, part, c.seen, c.fuzzy)


def _new_texts(plan: _Plan) -> _Texts:
    """The text the file gives each stored cue: one cue's, a merge's share, or a split's join."""
    per_entry = _per_entry(plan)
    out = _Texts()
    entries = plan.entries
    for idx in sorted(plan.groups):
        c, grp = plan.by_index[idx], plan.groups[idx]
        if plan.how[idx] == "merge":
            _spread_merge(plan, c, grp, out)
            continue
        i = grp[0]
        if len(per_entry.get(i, ())) > 1:
            continue  # a split: joined below
        if plan.how[idx] in ("id", "time") and c.start is not None and c.end is not None and (
                abs(c.start - entries[i].start) > TOLERANCE_MS or abs(c.end - entries[i].end) > TOLERANCE_MS):
            plan.warnings.append(f"{c.where}: timings changed; kept the source timings of cue {entries[i].id}")
        out.put(i, c.text, c.seen, c.fuzzy)
    for i, idxs in per_entry.items():
        if len(idxs) < 2 or any(plan.how[x] == "merge" for x in idxs):
            continue
        parts_c = [plan.by_index[x] for x in idxs]
        if all(c.start is not None for c in parts_c):  # in time order; else (a PO entry without its
            parts_c.sort(key=lambda c: (c.start or 0, c.index))  # time comment) in the file's order
        else:
            parts_c.sort(key=lambda c: c.index)
        out.put(i, " ".join(c.text for c in parts_c if c.text.strip()),
                next((c.seen for c in parts_c if c.seen), None), any(c.fuzzy for c in parts_c))
        out.split.append(entries[i].id)
    return out


@dataclass
class _Applied:
    """The stored cues after the import, and what happened to each."""

    entries: list[Entry]
    changed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)
    outdated: list[str] = field(default_factory=list)


def _apply(plan: _Plan, texts: _Texts, manifest: dict[str, str]) -> _Applied:
    """New texts into the stored cues: ``human``, or ``stale`` when made against an older source."""
    entries = plan.entries
    current = {c.id: text_hash(c.text) for c in plan.source_cues}
    owner = {i: idx for idx, grp in plan.groups.items() for i in grp}  # entry -> the file's cue (for messages)
    done = _Applied(list(entries))
    for i, text in sorted(texts.text.items()):
        e = entries[i]
        cur = current[e.id]
        seen = texts.seen.get(i) or manifest.get(e.id) or cur
        if seen != cur:
            done.outdated.append(e.id)
        text = "\n".join(x.strip() for x in text.split("\n") if x.strip())
        cue = plan.by_index[owner[i]] if i in owner else None
        if cue is not None and cue.locked and not same_text(text, e.text):
            plan.problems.append(f"{cue.where}: the target of a locked (reviewed) cue changed; "
                                 f"unlock cue {e.id} in the export, or leave its target as it is")
            continue
        if not text and e.text.strip():
            plan.problems.append(f"{plan.by_index[owner[i]].where if i in owner else f'cue {e.id}'}: empty text")
            continue
        if same_text(text, e.text):
            if plan.parsed.format in ("po", "xliff") and e.state == "stale" and not texts.fuzzy.get(i) and seen == cur:
                done.entries[i] = replace(e, state="human", source=cur)  # confirmed in the CAT tool
                done.changed.append(e.id)
            else:
                done.unchanged.append(e.id)
            continue
        state: State = "human" if seen == cur else "stale"
        if state == "stale":
            done.stale.append(e.id)
        done.entries[i] = replace(e, text=text, state=state, source=seen)
        done.changed.append(e.id)
    return done


def _report(plan: _Plan, texts: _Texts, done: _Applied, went_stale: Sequence[str]) -> ImportReport:
    """The import report (``rejected`` lists the problems)."""
    stale_now = set(done.stale)
    return ImportReport(
        path=plan.parsed.path, slug=plan.store.slug, lang=plan.store.lang, format=plan.parsed.format,
        changed=tuple(done.changed), unchanged=tuple(done.unchanged),
        unmatched=tuple(e.id for i, e in enumerate(plan.entries) if i not in texts.text),
        rejected=tuple(plan.problems),
        stale=tuple(x for x in went_stale if x not in stale_now) + tuple(done.stale),
        outdated=tuple(done.outdated), merged=tuple(texts.merged),
        split=tuple(texts.split), warnings=tuple(plan.warnings),
    )


def plan_import(
    parsed: ParsedFile,
    store: Store,
    source_cues: Sequence[Cue],
    *,
    manifest: dict[str, str] | None = None,
) -> tuple[Store, ImportReport]:
    """Check and match ``parsed`` against ``store``; return the new store and
    the report, or raise :class:`ImportRejected` (nothing applied).

    In steps: the file's identity, the file-level checks, the matching of its
    cues to stored cues, the new text of each stored cue, applying it, the report.
    """
    _check_identity(parsed, store, source_cues)
    before = {e.id: e.state for e in store.entries}
    store = reconcile(store, source_cues)
    # the source changed since the last publish: corrections that are stale now are reported too
    went_stale = [e.id for e in store.entries if e.state == "stale" and before[e.id] != "stale"]
    plan = _Plan(parsed, store, source_cues)
    _file_problems(plan)
    _match_cues(plan)
    texts = _new_texts(plan)
    done = _apply(plan, texts, manifest or {})
    report = _report(plan, texts, done, went_stale)
    if plan.problems:
        problems = plan.problems
        shown = "; ".join(problems[:5]) + (f"; … ({len(problems) - 5} more)" if len(problems) > 5 else "")
        exc = ImportRejected(f"{len(problems)} problem(s), nothing applied: {shown}", path=parsed.path)
        exc.report = report  # type: ignore[attr-defined]
        raise exc
    return replace(store, entries=tuple(done.entries)), report


def import_file(
    path: str | Path,
    store_file: str | Path,
    source_cues: Sequence[Cue],
    *,
    slug: str | None = None,
    lang: str | None = None,
) -> ImportReport:
    """Read ``path``, check it against the store at ``store_file`` and the
    current ``source_cues``, and save the store (all or nothing).

    ``slug``/``lang`` (e.g. from command-line options) must agree with the
    file's own header when it has one.
    """
    store = load_store_at(store_file)
    if store is None:
        raise ImportRejected(f"no translations store {store_file} yet", path=str(path),
                             hint="publish the episode with this language first")
    speakers = sorted({c.speaker for c in source_cues if c.speaker})
    parsed = read_file(path, speakers=speakers)
    if slug is not None and parsed.slug is not None and slug != parsed.slug:
        raise ImportRejected(f"wrong episode: the file is for {quoted(parsed.slug)}, not {slug!r}", path=str(path))
    if lang is not None and parsed.lang is not None and not _lang_matches(parsed.lang, lang):
        raise ImportRejected(f"wrong language: the file is {quoted(parsed.lang)}, not {lang!r}", path=str(path))
    if slug is not None and slug != store.slug:
        raise ImportRejected(f"wrong episode: the store is for {store.slug!r}, not {slug!r}", path=str(path))
    new, report = plan_import(parsed, store, source_cues, manifest=read_manifest(store_file))
    saved = save_store(new, store_file)
    hist = backups(store_file)
    report = replace(report, saved=saved, backup=hist[-1] if (saved and hist) else None)
    log.info("%s", report.summary())
    return report

