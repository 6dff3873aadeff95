"""The translations store: ``translations/<slug>/<lang>.vtt``.

One file per episode and target language is the editable source of truth for
that language's text.  It is a valid WebVTT file (a translator can open it in
any subtitle editor or a text editor), diffable in git, with one cue per
*source* cue, in source order, identified by the source cue id::

    WEBVTT

    NOTE toolkit-translations format=1 slug=the-bridge source=en lang=es
    Per-cue state is in the NOTE line before each cue.  Edit cue text freely;
    keep the cue identifiers and NOTE lines.  See README "For translators".

    NOTE toolkit state=machine engine=apertium model="eng-spa 0.8.1" source=3f9a1b2c text=0c1d2e3f

    the-bridge-0001
    00:00:01.000 --> 00:00:03.500
    <v Anna>Hola &amp; adiós

    NOTE toolkit state=human source=3f9a1b2c text=77aa01bc

    the-bridge-0002
    ...

Per-cue NOTE fields (``key=value``; a value with spaces or quotes is written
in double quotes with backslash escapes):

``state``
    ``machine`` (text from an engine), ``human`` (corrected by a translator),
    or ``stale`` (human text whose source cue text changed after the
    correction: the human text is kept and reported until someone re-checks it).
``source``
    8 hex digits of SHA-1 of the *normalised* source cue text (NFC, whitespace
    collapsed) the text was made for (machine) or corrected against (human).
    ``stale`` means: this hash differs from the current source text's hash.
``text``
    the same hash of the cue text as the toolkit last wrote it.  When the text
    in the file no longer matches, somebody edited the store directly: a
    ``machine`` cue edited like that counts as ``human`` (corrected against
    the ``source`` recorded next to it); an edited ``stale`` cue counts as
    re-checked (``human`` against the current source) at the next merge.
``engine``, ``model``
    the engine and model of machine text (kept on human cues for reference).

Cue text is escaped on write (``&`` ``<`` ``>``) and decoded on read; the
speaker is written as a ``<v Name>`` voice span (informational: published cues
always take ids, timings and speakers from the source cues).  Other markup a
translator adds (``<i>``) is dropped on read, because the shared model's cue
lines are plain text.

Every change is saved atomically (:mod:`toolkit.fsutil`); before the file is
replaced, the previous version is copied to
``translations/<slug>/.history/<lang>.<n>.vtt`` (``n`` counting up, the newest
:data:`HISTORY_KEEP` kept).  A numbered history rather than one ``.bak``:
an import followed by a publish changes the file twice, and a single backup
would already have lost the state before the import; numbers instead of
wall-clock times keep the tree reproducible.
"""

from __future__ import annotations

import hashlib
import logging
import re
import shlex
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from .. import fsutil
from ..errors import InputError
from ..formats import limits
from ..formats import text as textcodec
from ..formats import timecode, webvtt
from ..model import Cue, Show
from ..segment import wrap_lines
from ..sanitize import Removed

log = logging.getLogger(__name__)

__all__ = [
    "FORMAT_VERSION",
    "HISTORY_KEEP",
    "State",
    "Entry",
    "Store",
    "MergeReport",
    "load_store",
    "load_store_at",
    "parse_store",
    "render_store",
    "save_store",
    "merge_machine",
    "reconcile",
    "store_path",
    "history_dir",
    "backups",
    "text_hash",
    "normalise",
    "same_text",
    "escape_text",
    "decode_text",
    "split_voice",
    "format_time",
    "format_fields",
    "parse_fields",
    "HEADER_TAG",
    "CUE_TAG",
]

FORMAT_VERSION = 1
_HISTORY = ".history"
HISTORY_KEEP = 20
"""How many previous versions of each store file ``.history/`` keeps."""

State = Literal["machine", "human", "stale"]
_STATES = ("machine", "human", "stale")

HEADER_TAG = "toolkit-translations"
"""The tag of the store file's header NOTE (``NOTE toolkit-translations format=1 slug=…``)."""
CUE_TAG = "toolkit"
"""The tag of the per-cue NOTE (``NOTE toolkit state=… source=…``)."""
_BARE_VALUE = re.compile(r"^[A-Za-z0-9_.:/+@-]+$")


# --------------------------------------------------------------------------- text helpers


def normalise(text: str) -> str:
    r"""``text`` in NFC with whitespace collapsed: what :func:`text_hash` hashes.

    >>> normalise("  caf\u0065\u0301\n au lait ")
    'café au lait'
    """
    return " ".join(unicodedata.normalize("NFC", text).split())


def same_text(a: str, b: str) -> bool:
    """Whether ``a`` and ``b`` are the same text up to normalisation and whitespace."""
    return normalise(a) == normalise(b)


def text_hash(text: str) -> str:
    """8 hex digits identifying ``text`` up to Unicode normalisation and whitespace.

    >>> text_hash("Hello  world") == text_hash(" Hello world ")
    True
    """
    return hashlib.sha1(normalise(text).encode("utf-8")).hexdigest()[:8]


#: Escaping, cue-text decoding and timestamps live in :mod:`toolkit.formats.webvtt`
#: and :mod:`toolkit.formats.timecode`; these names stay for this package's callers.
escape_text = webvtt.escape
decode_text = webvtt.plain_text
split_voice = webvtt.leading_voice
format_time = timecode.vtt


def _fmt_value(value: str) -> str:
    if "-->" in value or "\n" in value:
        raise ValueError(f"metadata value cannot contain '-->' or a newline: {value!r}")
    if _BARE_VALUE.match(value):
        return value
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def format_fields(tag: str, fields: Iterable[tuple[str, str | None]]) -> str:
    """``NOTE <tag> key=value …`` (``None`` values left out; odd values quoted).

    >>> format_fields("toolkit", [("state", "machine"), ("engine", None), ("model", "eng-spa 0.8.1")])
    'NOTE toolkit state=machine model="eng-spa 0.8.1"'
    """
    parts = [f"NOTE {tag}"]
    for key, value in fields:
        if value is not None:
            parts.append(f"{key}={_fmt_value(value)}")
    return " ".join(parts)


def parse_fields(text: str, *, path: str | None, line: int) -> dict[str, str]:
    """``key=value …`` (shell-quoted) → a dict; InputError at ``path``/``line`` when unreadable.

    >>> parse_fields('state=machine model="eng-spa 0.8.1"', path=None, line=1)
    {'state': 'machine', 'model': 'eng-spa 0.8.1'}
    """
    try:
        words = shlex.split(text, posix=True)
    except ValueError as exc:
        raise InputError(f"unreadable metadata ({exc})", path=path, line=line) from None
    out: dict[str, str] = {}
    for word in words:
        key, sep, value = word.partition("=")
        if not sep:
            raise InputError(f"metadata field without '=': {word!r}", path=path, line=line)
        out[key] = value
    return out


# --------------------------------------------------------------------------- model


@dataclass(frozen=True, slots=True)
class Entry:
    """One stored cue: the target-language text for one source cue.

    ``start``/``end``/``speaker`` mirror the source cue at the last merge
    (for the translator's benefit); ``text`` holds display lines joined with
    ``\\n``.  ``edited`` is true when the file's text no longer matches the
    hash the toolkit wrote (the translator edited the store directly).
    """

    id: str
    start: int
    end: int
    text: str
    state: State
    source: str
    speaker: str | None = None
    engine: str | None = None
    model: str | None = None
    edited: bool = False

    @property
    def lines(self) -> tuple[str, ...]:
        return tuple(line for line in self.text.split("\n") if line.strip())


@dataclass(frozen=True)
class Store:
    """All stored cues of one episode in one target language (source order)."""

    slug: str
    source_lang: str
    lang: str
    entries: tuple[Entry, ...] = ()

    def __post_init__(self) -> None:
        seen: set[str] = set()
        for e in self.entries:
            if e.id in seen:
                raise ValueError(f"duplicate cue id {e.id!r} in store {self.slug}/{self.lang}")
            seen.add(e.id)

    @property
    def by_id(self) -> dict[str, Entry]:
        return {e.id: e for e in self.entries}

    def get(self, cue_id: str) -> Entry | None:
        return self.by_id.get(cue_id)

    def counts(self) -> dict[str, int]:
        """``{"machine": n, "human": n, "stale": n, "total": n}``."""
        out = {s: 0 for s in _STATES}
        for e in self.entries:
            out[e.state] += 1
        out["total"] = len(self.entries)
        return out

    @property
    def stale_ids(self) -> tuple[str, ...]:
        return tuple(e.id for e in self.entries if e.state == "stale")

    def published_cues(self, source_cues: Sequence[Cue]) -> tuple[Cue, ...]:
        """The target-language cues: the source cues' ids, timings, speakers and
        chapters with this store's text as lines (re-wrapped by
        ``toolkit.segment.wrap_lines`` for the target language when available).

        Raises ValueError when a source cue has no entry (merge first).
        """
        by_id = self.by_id
        missing = [c.id for c in source_cues if c.id not in by_id]
        if missing:
            raise ValueError(
                f"translations {self.slug}/{self.lang}: no entry for cue(s) {', '.join(missing[:5])}"
                + (" …" if len(missing) > 5 else "") + " (merge the machine translation first)"
            )
        return tuple(replace(c, lines=_wrap(by_id[c.id], self.lang)) for c in source_cues)


def _wrap(entry: Entry, lang: str) -> tuple[str, ...]:
    text = " ".join(entry.lines)
    if not text:
        return ()
    return tuple(wrap_lines(text, lang=lang))


@dataclass(frozen=True)
class MergeReport:
    """What :func:`merge_machine` did.

    ``stale_ids`` are all cues now stale, ``newly_stale`` those that became
    stale in this merge; ``dropped_human`` are human/stale cues whose source
    cue is gone (their text stays in the backup); ``moved`` are human cues
    whose id disappeared but whose time span maps onto one new source cue
    (carried over as stale: ``(old id, new id)``).
    """

    total: int = 0
    machine: int = 0
    human: int = 0
    stale: int = 0
    stale_ids: tuple[str, ...] = ()
    newly_stale: tuple[str, ...] = ()
    dropped_human: tuple[str, ...] = ()
    moved: tuple[tuple[str, str], ...] = ()
    updated: int = 0  # machine cues whose text changed

    def warnings(self) -> tuple[str, ...]:
        """One line per thing a producer should look at."""
        out: list[str] = []
        if self.newly_stale:
            out.append(f"{len(self.newly_stale)} corrected cue(s) became stale (source changed): "
                       + ", ".join(self.newly_stale))
        if self.stale_ids:
            out.append(f"{len(self.stale_ids)} stale cue(s) keep a human translation that needs "
                       "re-checking: " + ", ".join(self.stale_ids))
        for old, new in self.moved:
            out.append(f"corrected cue {old} now maps to source cue {new} (kept, marked stale)")
        if self.dropped_human:
            out.append("corrected cue(s) no longer in the source were dropped (kept in .history): "
                       + ", ".join(self.dropped_human))
        return tuple(out)


# --------------------------------------------------------------------------- rendering / parsing


def render_store(store: Store) -> str:
    """The store file's text (deterministic: same store → same bytes)."""
    blocks: list[webvtt.Cue | webvtt.Note] = [webvtt.Note("\n".join([
        format_fields(HEADER_TAG, [("format", str(FORMAT_VERSION)), ("slug", store.slug),
                                  ("source", store.source_lang), ("lang", store.lang)])[5:],
        "Per-cue state is in the NOTE line before each cue. Edit cue text freely;",
        "keep the cue identifiers and NOTE lines. See README, \"For translators\".",
    ]))]
    for e in store.entries:
        if "-->" in e.id or not e.id.strip() or any(ch.isspace() for ch in e.id):
            raise ValueError(f"cue id not usable as a WebVTT identifier: {e.id!r}")
        blocks.append(webvtt.Note(format_fields(CUE_TAG, [
            ("state", e.state), ("engine", e.engine), ("model", e.model),
            ("source", e.source), ("text", text_hash(e.text)),
        ])[5:]))
        blocks.append(entry_cue(e))
    return webvtt.write(blocks)


def entry_cue(e: Entry) -> webvtt.Cue:
    """One entry as a WebVTT cue: the id, the timings, the escaped payload with ``<v>``."""
    lines = [escape_text(line) for line in e.lines] or [""]
    if e.speaker:
        lines[0] = f"<v {escape_text(e.speaker)}>{lines[0]}"
    elif lines == [""]:
        # an empty cue payload would end the block; keep the cue visible and
        # decodable (a lone voice-less space decodes to empty text)
        lines = ["&nbsp;"]
    return webvtt.Cue(id=e.id, start=e.start, end=e.end, text="\n".join(lines))


def cue_block(e: Entry) -> list[str]:
    """One WebVTT cue (identifier, timing, escaped payload with ``<v>``), as lines."""
    return webvtt.cue_block(entry_cue(e))


def decode_bytes(data: bytes, path: str | None) -> str:
    """UTF-8 (BOM tolerated; editors on Windows add one) or UTF-16 with a BOM → text with
    ``\n`` line ends; anything else is an InputError naming the line."""
    return textcodec.decode(data, path, legacy=False).text


def _payload(raw: str, removed: Removed, lineno: int) -> tuple[str | None, str]:
    """Raw cue text → (speaker of the leading ``<v>``, plain text lines), control
    characters removed (and counted in ``removed``)."""
    payload = raw.split("\n") if raw else []
    speaker = None
    if payload:
        speaker, payload[0] = split_voice(payload[0])
    body = "\n".join(s for s in (removed.add(decode_text(p), lineno).strip() for p in payload) if s)
    if not body.replace("\u00a0", " ").strip():
        body = ""  # an empty cue is written as "&nbsp;" (an empty payload would end the block)
    if speaker is not None:
        speaker = removed.add(speaker, lineno)
    return speaker, body


class _StoreReader:
    """Reads a store file's blocks in order: the header, then per cue its NOTE and the cue.

    :func:`parse_store` in steps, each a small method: the header NOTE, a cue's
    NOTE, a cue (checked against the NOTE before it), the header's fields.
    """

    def __init__(self, path: str | None) -> None:
        self.path = path
        self.header: dict[str, str] | None = None
        self.header_line = 1
        self.removed = Removed(path or "translations store")
        self.pending: tuple[int, dict[str, str]] | None = None
        self.entries: list[Entry] = []
        self.seen: set[str] = set()

    def note(self, block: webvtt.Note) -> None:
        """The header, a cue's metadata, or a comment (ignored)."""
        words = block.text.split("\n", 1)[0].strip() if block.inline else ""
        if words.startswith(HEADER_TAG + " ") or words == HEADER_TAG:
            if self.header is not None:
                raise InputError("a second 'NOTE toolkit-translations' header", path=self.path, line=block.line)
            self.header = parse_fields(words[len(HEADER_TAG):], path=self.path, line=block.line)
            self.header_line = block.line
        elif words.startswith(CUE_TAG + " "):
            if self.pending is not None:
                raise InputError("cue metadata without a cue after it", path=self.path, line=self.pending[0])
            self.pending = (block.line, parse_fields(words[len(CUE_TAG):], path=self.path, line=block.line))

    def _take_meta(self, block: webvtt.Cue, lineno: int) -> tuple[str, dict[str, str]]:
        """The cue's id and the metadata NOTE before it (errors at the cue's line)."""
        path = self.path
        if self.header is None:
            raise InputError("missing 'NOTE toolkit-translations' header before the first cue",
                             path=path, line=lineno)
        if not block.id:
            raise InputError("cue without an identifier (the source cue id)", path=path, line=lineno)
        cue_id = block.id.strip()
        if cue_id in self.seen:
            raise InputError("duplicate cue id", path=path, line=lineno, cue=cue_id)
        self.seen.add(cue_id)
        if self.pending is None:
            raise InputError("cue without its 'NOTE toolkit state=...' line", path=path, line=lineno,
                             cue=cue_id)
        meta = self.pending[1]
        self.pending = None
        return cue_id, meta

    def cue(self, block: webvtt.Cue) -> None:
        """One stored cue, with the metadata of the NOTE before it."""
        lineno = block.line - (1 if block.id else 0)
        cue_id, meta = self._take_meta(block, lineno)
        state = meta.get("state")
        if state not in _STATES:
            raise InputError(f"unknown state {state!r} (expected machine, human or stale)",
                             path=self.path, line=lineno, cue=cue_id)
        source = meta.get("source", "")
        if not re.fullmatch(r"[0-9a-f]{8}", source):
            raise InputError(f"bad source hash {source!r}", path=self.path, line=lineno, cue=cue_id)
        speaker, body = _payload(block.text, self.removed, lineno)
        edited = meta.get("text") is not None and meta["text"] != text_hash(body)
        entry = Entry(
            id=cue_id, start=block.start, end=block.end, text=body, state=state,  # type: ignore[arg-type]
            source=source, speaker=speaker, engine=meta.get("engine"), model=meta.get("model"),
            edited=edited,
        )
        if edited and state == "machine":
            log.info("%s: cue %s was edited in the store: counted as human", self.path, cue_id)
            entry = replace(entry, state="human")
        self.entries.append(entry)

    def finish(self, slug: str | None, lang: str | None) -> Store:
        """The store, once the header's fields are checked (against ``slug``/``lang`` when given)."""
        path, header, line = self.path, self.header, self.header_line
        if header is None:
            raise InputError("missing 'NOTE toolkit-translations' header", path=path, line=1)
        if self.pending is not None:
            raise InputError("cue metadata without a cue after it", path=path, line=self.pending[0])
        try:
            fmt = int(header.get("format", "0"))
        except ValueError:
            fmt = -1
        if fmt != FORMAT_VERSION:
            raise InputError(f"unsupported store format {header.get('format')!r} (this toolkit reads "
                             f"format {FORMAT_VERSION})", path=path, line=line)
        for key in ("slug", "source", "lang"):
            if not header.get(key):
                raise InputError(f"store header lacks {key}=", path=path, line=line)
        if slug is not None and header["slug"] != slug:
            raise InputError(f"the header names episode {header['slug']!r}, but this is the store of {slug!r}",
                             path=path, line=line,
                             hint=f"fix slug= in the header, or restore the file from {_HISTORY}/")
        if lang is not None and header["lang"] != lang:
            raise InputError(f"the header names language {header['lang']!r}, but this is the {lang!r} store",
                             path=path, line=line,
                             hint=f"fix lang= in the header, or restore the file from {_HISTORY}/")
        self.removed.report()
        return Store(slug=header["slug"], source_lang=header["source"], lang=header["lang"],
                     entries=tuple(self.entries))


def parse_store(text: str, *, path: str | None = None, slug: str | None = None,
                lang: str | None = None) -> Store:
    """Parse a store file's text; InputError (with path and line) when corrupt.

    ``slug``/``lang``, when given, are the episode and language the file is
    for (from its place, ``translations/<slug>/<lang>.vtt``): a header naming
    another one is an error at the header's line.
    """
    try:
        doc = webvtt.parse(text)
    except webvtt.SignatureError:
        raise InputError("not a WebVTT file (no WEBVTT header)", path=path, line=1) from None
    for warning in doc.warnings:  # the store is written by the toolkit: nothing may be skipped
        raise InputError(f"expected a cue: identifier line, then a timing line ({warning.message})",
                         path=path, line=warning.line)
    reader = _StoreReader(path)
    for block in doc.blocks:
        if isinstance(block, webvtt.Note):
            reader.note(block)  # other NOTE blocks are comments
        else:
            reader.cue(block)
    return reader.finish(slug, lang)


def load_store(path: str | Path, *, slug: str | None = None, lang: str | None = None) -> Store | None:
    """Read a store file; None when it does not exist, InputError when corrupt
    (or, with ``slug``/``lang``, when its header names another episode or language)."""
    p = Path(path)
    if not p.exists():
        return None
    data = limits.read_bounded(p, what="translations store")  # (16 MiB: as any file a person may edit)
    text = decode_bytes(data, str(p))
    limits.check_lines(text, str(p))
    return parse_store(text, path=str(p), slug=slug, lang=lang)


def load_store_at(path: str | Path) -> Store | None:
    """:func:`load_store` for a file in its place, ``translations/<slug>/<lang>.vtt``:
    the header must name that episode and language."""
    p = Path(path)
    return load_store(p, slug=p.parent.name, lang=p.stem)


# --------------------------------------------------------------------------- saving


def history_dir(path: str | Path) -> Path:
    """``translations/<slug>/.history`` for the store file ``path``."""
    return Path(path).parent / _HISTORY


def backups(path: str | Path) -> list[Path]:
    """Previous versions of the store file ``path``, oldest first."""
    p = Path(path)
    hist = history_dir(p)
    if not hist.is_dir():
        return []
    pat = re.compile(re.escape(p.stem) + r"\.(\d+)" + re.escape(p.suffix) + "$")
    found = []
    for child in hist.iterdir():
        m = pat.match(child.name)
        if m:
            found.append((int(m.group(1)), child))
    return [c for _, c in sorted(found)]


def backup(path: str | Path) -> Path | None:
    """Copy the current store file into ``.history`` (None when there is none)."""
    p = Path(path)
    if not p.is_file():
        return None
    existing = backups(p)
    if existing and existing[-1].read_bytes() == p.read_bytes():
        return existing[-1]
    n = 1
    if existing:
        n = int(existing[-1].name[len(p.stem) + 1: -len(p.suffix)]) + 1
    target = history_dir(p) / f"{p.stem}.{n}{p.suffix}"
    fsutil.copy_file(p, target)
    for old in existing[: max(0, len(existing) + 1 - HISTORY_KEEP)]:
        old.unlink(missing_ok=True)
    return target


def save_store(store: Store, path: str | Path) -> bool:
    """Write ``store`` atomically; False (nothing touched) when the file already
    holds exactly this content.  The previous version goes to ``.history``."""
    p = Path(path)
    data = render_store(store).encode("utf-8")
    try:
        if p.is_file() and p.read_bytes() == data:
            return False
    except OSError:
        pass
    backup(p)
    return fsutil.write_bytes(p, data)


def store_path(show: Show, slug: str, lang: str) -> Path:
    """``<show>/translations/<slug>/<lang>.vtt``."""
    return show.translations_dir / slug / f"{lang}.vtt"


# --------------------------------------------------------------------------- merging


def _overlap(a_start: int, a_end: int, b_start: int, b_end: int) -> int:
    return max(0, min(a_end, b_end) - max(a_start, b_start))


def _carry_over(old: Entry, candidates: Sequence[Cue]) -> Cue | None:
    """The new source cue a vanished human cue maps onto: the one it overlaps
    most, when that covers at least half of the shorter of the two."""
    best: tuple[int, Cue] | None = None
    for c in candidates:
        ov = _overlap(old.start, old.end, c.start, c.end)
        if ov and (best is None or ov > best[0]):
            best = (ov, c)
    if best is None:
        return None
    ov, cue = best
    shorter = max(1, min(old.end - old.start, cue.end - cue.start))
    return cue if ov * 2 >= shorter else None


def merge_machine(
    previous: Store | None,
    *,
    slug: str,
    source_lang: str,
    lang: str,
    source_cues: Sequence[Cue],
    machine: Mapping[str, str],
    engine: str,
    model: str,
) -> tuple[Store, MergeReport]:
    """Merge fresh machine text into the store; human text is never replaced.

    Every source cue gets an entry.  A ``human``/``stale`` cue keeps its text
    and becomes ``stale`` when the source text's hash differs from the one it
    was corrected against (``human`` again if the source returns to it).  Every
    other cue takes ``machine[cue.id]`` (a cue missing from ``machine`` keeps
    earlier machine text made for the same source text, else ValueError).

    Source cue ids come from the cue text, so an edited source cue may get a
    new id: a human cue whose id vanished is carried over (as ``stale``) to
    the new cue it overlaps most, when that new cue has no entry of its own;
    otherwise it is dropped and reported (its text stays in ``.history``).
    """
    prev = previous.by_id if previous is not None else {}
    if previous is not None and (previous.slug != slug or previous.lang != lang):
        raise ValueError(f"store {previous.slug}/{previous.lang} merged as {slug}/{lang}")
    adopted, moved, dropped = _carry_overs(previous, source_cues, prev)
    entries: list[Entry] = []
    newly_stale: list[str] = []
    updated = 0
    for cue in source_cues:
        old = prev.get(cue.id) or adopted.get(cue.id)
        if old is not None and old.state in ("human", "stale"):
            entry = _keep_human(old, cue)
            if entry.state == "stale" and old.state != "stale":
                newly_stale.append(cue.id)
        else:
            entry = _machine_entry(cue, old, machine, where=f"{slug}/{lang}", engine=engine, model=model)
            if old is None or old.text != entry.text:
                updated += 1
        entries.append(entry)
    store = Store(slug=slug, source_lang=source_lang, lang=lang, entries=tuple(entries))
    counts = store.counts()
    report = MergeReport(
        total=counts["total"], machine=counts["machine"], human=counts["human"], stale=counts["stale"],
        stale_ids=store.stale_ids, newly_stale=tuple(newly_stale), dropped_human=dropped,
        moved=tuple(moved), updated=updated,
    )
    for line in report.warnings():
        # info, not warning: the caller reports these (LanguageBuild.warnings → the CLI summary)
        log.info("%s/%s: %s", slug, lang, line)
    return store, report


def _carry_overs(previous: Store | None, source_cues: Sequence[Cue], prev: Mapping[str, Entry],
                 ) -> tuple[dict[str, Entry], list[tuple[str, str]], tuple[str, ...]]:
    """Human cues whose id vanished: ``(new id → adopted entry, (old, new) moves, dropped ids)``."""
    source_ids = {c.id for c in source_cues}
    orphans = [e for e in (previous.entries if previous else ()) if e.id not in source_ids
               and e.state in ("human", "stale")]
    homeless = [c for c in source_cues if c.id not in prev]
    moved: list[tuple[str, str]] = []
    adopted: dict[str, Entry] = {}
    for orphan in orphans:
        target = _carry_over(orphan, [c for c in homeless if c.id not in adopted])
        if target is not None:
            adopted[target.id] = orphan
            moved.append((orphan.id, target.id))
    moved_ids = {old for old, _ in moved}
    return adopted, moved, tuple(e.id for e in orphans if e.id not in moved_ids)


def _keep_human(old: Entry, cue: Cue) -> Entry:
    """A human/stale entry kept for ``cue``: ``human`` when corrected against its current text."""
    h = text_hash(cue.text)
    corrected_for = old.source
    if old.edited and old.state == "stale":
        corrected_for = h  # re-checked directly in the store file
    state: State = "human" if corrected_for == h else "stale"
    return replace(old, id=cue.id, start=cue.start, end=cue.end, speaker=cue.speaker,
                   state=state, source=corrected_for, edited=False)


def _machine_entry(cue: Cue, old: Entry | None, machine: Mapping[str, str], *, where: str,
                   engine: str, model: str) -> Entry:
    """The machine entry for ``cue``: fresh text, else earlier text made for the same source."""
    h = text_hash(cue.text)
    if cue.id in machine:
        text = "\n".join(line.strip() for line in machine[cue.id].split("\n") if line.strip())
    elif old is not None and old.source == h:
        text = old.text
    else:
        raise ValueError(f"no machine translation for cue {cue.id} ({where})")
    return Entry(id=cue.id, start=cue.start, end=cue.end, text=text, state="machine",
                 source=h, speaker=cue.speaker, engine=engine, model=model)


def reconcile(store: Store, source_cues: Sequence[Cue]) -> Store:
    """Re-derive human/stale states against the current source text, without
    changing any text (what a merge does, minus the machine text).  Entries
    must be exactly the source cues (ValueError otherwise)."""
    by_id = {c.id: c for c in source_cues}
    if [e.id for e in store.entries] != [c.id for c in source_cues]:
        raise ValueError("store and source cues differ")
    out = []
    for e in store.entries:
        h = text_hash(by_id[e.id].text)
        if e.state in ("human", "stale"):
            corrected_for = h if (e.edited and e.state == "stale") else e.source
            e = replace(e, state="human" if corrected_for == h else "stale", source=corrected_for)
        out.append(replace(e, edited=False))
    return replace(store, entries=tuple(out))
