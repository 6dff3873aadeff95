"""Translation memory: a persistent SQLite store of sentence translations.

Lives in the show directory at ``<show root>/.toolkit/memory.sqlite`` (WAL
journal; each batch of new translations is one atomic transaction).  The key
is engine + model version + source language + target language + the
normalized source sentence (Unicode NFC, whitespace collapsed), so a new model
version or a different engine never reuses stale output, and re-publishing an
unchanged episode makes no engine call at all.

:class:`MemoryTranslator` is the one way the translate stage calls an engine:
it looks every sentence up first and sends only the misses (deduplicated) to
the engine in one batch.
"""

from __future__ import annotations

import logging
import sqlite3
import unicodedata
from collections.abc import Sequence
from pathlib import Path

from .engine import Engine

log = logging.getLogger(__name__)

MEMORY_DIR = ".toolkit"
MEMORY_FILE = "memory.sqlite"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS tm (
    engine TEXT NOT NULL,
    model TEXT NOT NULL,
    src TEXT NOT NULL,
    tgt TEXT NOT NULL,
    source TEXT NOT NULL,
    target TEXT NOT NULL,
    PRIMARY KEY (engine, model, src, tgt, source)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS published (
    slug TEXT NOT NULL,
    lang TEXT NOT NULL,
    digest TEXT NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (slug, lang)
) WITHOUT ROWID
"""


def normalize(text: str) -> str:
    """The memory key form of a sentence: NFC, runs of whitespace → one space, stripped."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def memory_path(show_root: str | Path) -> Path:
    """``<show root>/.toolkit/memory.sqlite``."""
    return Path(show_root) / MEMORY_DIR / MEMORY_FILE


class TranslationMemory:
    """The SQLite store; use as a context manager or call :meth:`close`."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(self.path), timeout=30, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)

    def __enter__(self) -> TranslationMemory:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._db.close()

    def lookup(self, engine: str, model: str, src: str, tgt: str, sources: Sequence[str]) -> dict[str, str]:
        """Known translations for the (already normalized) ``sources``."""
        found: dict[str, str] = {}
        unique = list(dict.fromkeys(sources))
        for i in range(0, len(unique), 500):  # stay under SQLite's variable limit
            chunk = unique[i:i + 500]
            marks = ",".join("?" * len(chunk))
            rows = self._db.execute(
                f"SELECT source, target FROM tm WHERE engine=? AND model=? AND src=? AND tgt=? "
                f"AND source IN ({marks})", (engine, model, src, tgt, *chunk))
            found.update(rows.fetchall())
        return found

    def store(self, engine: str, model: str, src: str, tgt: str, pairs: dict[str, str]) -> None:
        """Add translations in one transaction (all or nothing)."""
        if not pairs:
            return
        with self._db:
            self._db.execute("BEGIN IMMEDIATE")
            self._db.executemany(
                "INSERT OR REPLACE INTO tm (engine, model, src, tgt, source, target) VALUES (?,?,?,?,?,?)",
                [(engine, model, src, tgt, s, t) for s, t in sorted(pairs.items())])

    def published(self, slug: str, lang: str, digest: str) -> str | None:
        """The cached published-cues payload of ``slug``/``lang`` if made from exactly ``digest``."""
        row = self._db.execute("SELECT data FROM published WHERE slug=? AND lang=? AND digest=?",
                               (slug, lang, digest)).fetchone()
        return None if row is None else str(row[0])

    def set_published(self, slug: str, lang: str, digest: str, data: str) -> None:
        """Remember the published cues (one row per episode and language)."""
        with self._db:
            self._db.execute("BEGIN IMMEDIATE")
            self._db.execute("INSERT OR REPLACE INTO published (slug, lang, digest, data) VALUES (?,?,?,?)",
                             (slug, lang, digest, data))

    def count(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM tm").fetchone()[0])


class MemoryTranslator:
    """Translate sentences through the memory, calling ``engine`` only for misses."""

    def __init__(self, engine: Engine, memory: TranslationMemory, src: str, tgt: str) -> None:
        self.engine = engine
        self.memory = memory
        self.src = src
        self.tgt = tgt
        self.hits = 0
        self.misses = 0
        self._model: str | None = None

    @property
    def model(self) -> str:
        if self._model is None:
            self._model = self.engine.model_version(self.src, self.tgt)
        return self._model

    def translate(self, sentences: Sequence[str]) -> list[str]:
        """One translation per sentence; empty sentences stay empty."""
        keys = [normalize(s) for s in sentences]
        wanted = [k for k in keys if k]
        if not wanted:
            return ["" for _ in keys]
        self.engine.require(self.src, self.tgt)
        known = self.memory.lookup(self.engine.name, self.model, self.src, self.tgt, wanted)
        missing = [k for k in dict.fromkeys(wanted) if k not in known]
        self.hits += len(set(wanted)) - len(missing)
        if missing:
            self.misses += len(missing)
            log.info("%s %s→%s: translating %d new sentence(s)", self.engine.name, self.src, self.tgt,
                     len(missing))
            out = self.engine.translate_batch(missing, self.src, self.tgt)
            new = dict(zip(missing, out))
            self.memory.store(self.engine.name, self.model, self.src, self.tgt, new)
            known.update(new)
        return [known[k] if k else "" for k in keys]
