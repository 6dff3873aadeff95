"""Export a language's store for translators: SRT, WebVTT, gettext PO or XLIFF 1.2.

* **VTT** — cue identifiers are the stable source cue ids; each cue is
  preceded by ``NOTE toolkit-cue state=… source=<hash>`` and the source text
  (a bilingual file: the original sits next to the translation); speakers are
  ``<v Name>`` voice spans.  UTF-8, ``\\n`` line ends.
* **SRT** — as Subtitle Edit writes it: UTF-8 with BOM, CRLF, cue numbers
  1…n.  SRT has no place for ids or comments, so re-import matches SRT cues
  by time overlap, then by position.  Speakers are a ``Name: `` prefix on the
  first cue of each speaker turn (the SRT convention).
* **PO** — one entry per cue: ``msgctxt`` = cue id, ``msgid`` = source text,
  ``msgstr`` = translation, an extracted comment ``#.`` with the time range and
  speaker, ``#, fuzzy`` for stale cues, and a header with ``Language`` and
  ``X-Toolkit-Episode``.  No creation date, so exports are reproducible.
* **XLIFF 1.2** (memoQ, Trados, Phrase, Crowdin, Weblate, OmegaT) — one
  ``trans-unit`` per cue: ``id`` = cue id, ``<source>`` = source text,
  ``<target>`` = translation, a ``<note>`` with the time range, speaker and
  state; ``<file original>`` is the episode, ``source-language`` and
  ``target-language`` the languages.  Machine text is
  ``state="needs-review-translation"``, human text ``state="translated"``
  (``approved="yes"``), stale text ``needs-review-translation`` with
  ``approved="no"``.  With ``lock_reviewed`` human cues are
  ``translate="no"`` (locked in the CAT tool; an import that changes one is
  rejected).

Every export also records, in ``translations/<slug>/.exports/<lang>.json``,
the source-text hash of each cue at export time.  PO (msgid) and VTT (NOTE)
files carry that themselves; an SRT — or a VTT whose editor dropped the NOTE
blocks — is checked against this record on import to tell which corrections
were made against a source text that has changed since (they become stale).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

from .. import fsutil
from ..errors import InputError
from ..formats import po as pofmt
from ..formats import subrip, webvtt
from ..formats import xliff as xlf
from ..model import Cue
from .store import Entry, Store, format_fields, entry_cue, text_hash

log = logging.getLogger(__name__)

__all__ = ["Format", "FORMATS", "export_text", "export_bytes", "manifest_path", "write_manifest",
           "read_manifest", "EXPORT_TAG", "CUE_TAG"]

Format = Literal["srt", "vtt", "po", "xliff"]
FORMATS: tuple[str, ...] = ("srt", "vtt", "po", "xliff")
EXPORT_TAG = "toolkit-export"
CUE_TAG = "toolkit-cue"


def _source_text(store: Store, source_cues: Sequence[Cue] | None) -> dict[str, Cue]:
    if source_cues is None:
        return {}
    by_id = {c.id: c for c in source_cues}
    stale_store = [e.id for e in store.entries if e.id not in by_id]
    if stale_store or len(by_id) != len(store.entries):
        raise InputError(
            "the translations store does not match the current source cues",
            path=f"translations/{store.slug}/{store.lang}.vtt",
            hint="run `toolkit publish episode " + store.slug + "` first",
        )
    return by_id


def _seen(entry: Entry, src: dict[str, Cue]) -> str | None:
    """The hash of the source text the translator is shown for ``entry``."""
    if entry.id in src:
        return text_hash(src[entry.id].text)
    return entry.source if entry.state != "stale" else None  # a stale cue's source has moved on


def export_text(store: Store, fmt: str, source_cues: Sequence[Cue] | None = None, *,
                lock_reviewed: bool = False) -> str:
    """The exported file's text (``\\n`` line ends; see :func:`export_bytes`).

    ``source_cues`` (the current source) give PO its msgids and VTT its
    bilingual notes; PO and XLIFF require them.  ``lock_reviewed`` (XLIFF):
    human cues are ``translate="no"``.
    """
    src = _source_text(store, source_cues)
    if fmt == "vtt":
        return _vtt(store, src)
    if fmt == "srt":
        return _srt(store)
    if fmt == "po":
        if not src:
            raise ValueError("PO export needs the source cues (msgid is the source text)")
        return _po(store, src)
    if fmt == "xliff":
        if not src:
            raise ValueError("XLIFF export needs the source cues (<source> is the source text)")
        return _xliff(store, src, lock_reviewed=lock_reviewed)
    raise ValueError(f"unknown export format {fmt!r} (expected one of {', '.join(FORMATS)})")


def export_bytes(store: Store, fmt: str, source_cues: Sequence[Cue] | None = None, *,
                 lock_reviewed: bool = False) -> bytes:
    """The exported file as its tools expect it (SRT: UTF-8 BOM + CRLF, like Subtitle Edit)."""
    text = export_text(store, fmt, source_cues, lock_reviewed=lock_reviewed)
    if fmt == "srt":
        return b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8")
    return text.encode("utf-8")


def _vtt(store: Store, src: dict[str, Cue]) -> str:
    blocks: list[webvtt.Cue | webvtt.Note] = [webvtt.Note("\n".join([
        format_fields(EXPORT_TAG, [("format", "1"), ("slug", store.slug), ("source", store.source_lang),
                                 ("lang", store.lang)])[5:],
        "Translate the cue text; keep cue identifiers and timings. Each NOTE shows",
        f"the original ({store.source_lang}) text. Import with: toolkit translations import FILE",
    ]))]
    for e in store.entries:
        note = [format_fields(CUE_TAG, [("state", e.state), ("source", _seen(e, src))])[5:]]
        if e.id in src:
            # NOTE text may not contain "-->"; it is informational only
            note.append(f"{store.source_lang}: {src[e.id].text.replace('-->', '→')}")
        blocks += [webvtt.Note("\n".join(note)), entry_cue(e)]
    return webvtt.write(blocks)


def _srt(store: Store) -> str:
    cues: list[tuple[int, int, list[str]]] = []
    previous: str | None = None
    for e in store.entries:
        lines = [line.replace("-->", "->") for line in e.lines]  # SubRip has no escape for its arrow
        if e.speaker and e.speaker != previous:
            lines[:1] = [f"{e.speaker}: {lines[0] if lines else ''}".rstrip()]
        previous = e.speaker
        cues.append((e.start, e.end, lines))
    return subrip.write(cues)


def _comment(e: Entry) -> str:
    """The time range, speaker and state of a cue (a PO ``#.`` comment, an XLIFF ``<note>``)."""
    comment = pofmt.range_comment(e.start, e.end)
    if e.speaker:
        comment += f" {e.speaker}"
    comment += f"\nstate: {e.state}"
    if e.state == "machine" and e.engine:
        comment += f" ({e.engine}{' ' + e.model if e.model else ''})"
    return comment


def _xliff(store: Store, src: dict[str, Cue], *, lock_reviewed: bool) -> str:
    units = []
    for e in store.entries:
        state = "translated" if e.state == "human" else "needs-review-translation"
        approved = True if e.state == "human" else False if e.state == "stale" else None
        units.append(xlf.XliffUnit(id=e.id, source=src[e.id].text, target=" ".join(e.lines), note=_comment(e),
                                   state=state, approved=approved,
                                   translate=not (lock_reviewed and e.state == "human")))
    return xlf.write(units, original=store.slug, source_lang=store.source_lang, target_lang=store.lang)


def _po(store: Store, src: dict[str, Cue]) -> str:
    entries = []
    for e in store.entries:
        cue = src[e.id]
        comment = _comment(e)
        entries.append(pofmt.PoEntry(msgctxt=e.id, msgid=cue.text, msgstr=" ".join(e.lines), comment=comment,
                                     fuzzy=e.state == "stale"))
    return pofmt.write(
        entries,
        header=(f"Translations of episode {store.slug} ({store.source_lang} → {store.lang}).\n"
                "msgctxt is the cue id; keep it. Stale cues are marked fuzzy."),
        metadata={
            "Project-Id-Version": store.slug,
            "Language": store.lang,
            "MIME-Version": "1.0",
            "Content-Type": "text/plain; charset=UTF-8",
            "Content-Transfer-Encoding": "8bit",
            "X-Toolkit-Episode": store.slug,
            "X-Toolkit-Source-Language": store.source_lang,
        },
    )


# --------------------------------------------------------------------------- export record


def manifest_path(store_file: str | Path) -> Path:
    """``translations/<slug>/.exports/<lang>.json`` for the store file."""
    p = Path(store_file)
    return p.parent / ".exports" / f"{p.stem}.json"


def write_manifest(store: Store, store_file: str | Path, source_cues: Sequence[Cue] | None) -> Path:
    """Record each cue's source-text hash at export time (deterministic JSON)."""
    src = {c.id: c for c in source_cues} if source_cues is not None else {}
    cues = {}
    for e in store.entries:
        cues[e.id] = {
            "start": e.start, "end": e.end,
            "source": _seen(e, src),
        }
    data = {"slug": store.slug, "lang": store.lang, "cues": cues}
    path = manifest_path(store_file)
    fsutil.write_text(path, json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n")
    return path


def read_manifest(store_file: str | Path) -> dict[str, str]:
    """cue id → source hash at the last export ({} when there was none)."""
    path = manifest_path(store_file)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (ValueError, OSError) as exc:
        log.warning("%s: unreadable export record ignored (%s)", path, exc)
        return {}
    cues = data.get("cues") if isinstance(data, dict) else None
    if not isinstance(cues, dict):
        log.warning("%s: unreadable export record ignored (no 'cues' object)", path)
        return {}
    return {k: v["source"] for k, v in cues.items()
            if isinstance(v, dict) and isinstance(v.get("source"), str)}
