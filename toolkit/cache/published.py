"""The published-cues cache: one language's finished cues, texts and warnings.

Translating an episode through the memory, merging the machine text into the
translations store, re-wrapping and re-checking ~1,000 cues costs ~0.5 s per
language; none of it can change unless an input of
:data:`toolkit.cache.keys.PUBLISHED` does.  :func:`toolkit.translate.translate_episode`
keeps the result in ``<show root>/.toolkit/cache/published/<slug>/<lang>.json``
(one file per episode and language, replaced when it changes).  It is a cache:
a damaged file only costs a recomputation.  (Older versions kept it in a table
of the translation memory, which now holds translations only.)
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .. import fsutil
from ..build import SourceBuild
from . import keys

log = logging.getLogger(__name__)

__all__ = ["Published", "published_path", "published_key", "load_published", "save_published"]

PUBLISHED_DIR = Path(".toolkit") / "cache" / "published"


@dataclass(frozen=True)
class Published:
    """What one language of one episode publishes: per source cue, its published
    cue(s) after the target-language layout (``(start, end, lines)``: more than one
    where the layout split it into sub-cues), the translated chapter titles +
    episode title + description ("head"), warnings."""

    parts: list[list[tuple[int, int, list[str]]]]
    head: list[str]
    warnings: list[str]


def published_path(root: Path, slug: str, lang: str) -> Path:
    """``<show root>/.toolkit/cache/published/<slug>/<lang>.json``."""
    return root / PUBLISHED_DIR / slug / f"{lang}.json"


def _store_identity(store: Path | None, pending: bytes | None = None) -> str | None:
    if store is None:
        return None
    if pending is not None:
        return hashlib.sha256(pending).hexdigest()
    try:
        return hashlib.sha256(store.read_bytes()).hexdigest()
    except FileNotFoundError:
        return "absent"
    except OSError:
        return "unreadable"


def published_key(source: SourceBuild, sentence_texts: Sequence[str], head: Sequence[str], lang: str,
                  engine: str, model: str, store: Path | None, pending: bytes | None = None) -> str:
    """The :data:`~toolkit.cache.keys.PUBLISHED` key of ``lang``'s published cues.

    * the source: every sentence's text, every cue's id, timings, lines, speaker,
      chapter and the sentences it shows (which decides how translated sentences
      are spread over cues), the chapter titles, the episode title and description;
    * the translation: source and target language, engine name and model version
      — the translation memory maps (engine, model, languages, sentence) to one
      text, written once and never replaced (only misses are stored), so these
      determine every machine text the memory returns;
    * the translations store file's bytes (human corrections, stale marks) --
      ``pending``, when the store is yet to be written with them (a worker's
      result, :mod:`toolkit.catalogue`).
    """
    return keys.PUBLISHED.key(
        source_language=source.transcript.language, lang=lang, engine=engine, model=model,
        sentences=list(sentence_texts),
        cues=[(c.id, c.start, c.end, list(c.lines), c.speaker, c.speaker_change, c.chapter, list(c.sentences),
               c.confidence) for c in source.cues],
        head=list(head), store=_store_identity(store, pending),
    )


def load_published(root: Path, slug: str, lang: str, key: str, n_cues: int, n_head: int) -> Published | None:
    """The cached result made from exactly ``key`` (and shaped like the source), else None."""
    path = published_path(root, slug, lang)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        log.warning("%s: ignoring a damaged published-cues cache (%s)", path, exc)
        return None
    try:
        if data.get("key") != key:
            return None
        parts, head, warnings = data["parts"], data["head"], data["warnings"]
        if len(parts) != n_cues or len(head) != n_head or not all(
                isinstance(x, list) and x and all(_part_ok(p) for p in x) for x in parts) or not all(
                isinstance(x, str) for x in (*head, *warnings)):
            raise ValueError("shape does not match the source")
    except (ValueError, KeyError, TypeError, AttributeError) as exc:  # a damaged file only costs a recomputation
        log.warning("%s %s: ignoring a damaged published-cues cache (%s)", slug, lang, exc)
        return None
    return Published([[(p[0], p[1], list(p[2])) for p in x] for x in parts], list(head), list(warnings))


def _part_ok(p: object) -> bool:
    return (isinstance(p, list) and len(p) == 3 and all(isinstance(t, int) and not isinstance(t, bool)
                                                          for t in p[:2])
            and isinstance(p[2], list) and all(isinstance(s, str) for s in p[2]))


def save_published(root: Path, slug: str, lang: str, key: str, result: Published) -> None:
    """Keep ``result`` under ``key`` (atomically; a failure is only logged)."""
    path = published_path(root, slug, lang)
    payload = {"key": key, "parts": [[[a, b, list(ls)] for a, b, ls in x] for x in result.parts],
               "head": result.head, "warnings": result.warnings}
    try:
        fsutil.write_text(path, json.dumps(payload, ensure_ascii=False, sort_keys=True) + "\n")
    except OSError as exc:  # a read-only show folder still publishes, just without the cache
        log.warning("%s: cannot write the published-cues cache (%s)", path, exc)
