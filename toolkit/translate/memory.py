"""Translation memory: a persistent SQLite store of sentence translations.

Lives in the show directory at ``<show root>/.toolkit/memory.sqlite`` (WAL
journal; each batch of new translations is one atomic transaction).

It is a cache: a damaged file -- not a database, failing SQLite's
``PRAGMA quick_check`` (which runs on the first open in each process, so a
partly damaged file is found even on a republish that reads only one table),
or holding text that is not UTF-8 -- is moved aside to ``memory.sqlite.corrupt`` with a warning naming both
files, and a new empty memory is started (the sentences are translated
again; human corrections live in ``translations/`` and are not affected).
Any other database failure (locked, read-only, disk full) is a
:class:`~toolkit.errors.CacheError` naming the file.  The key
is engine + model version + source language + target language + the
normalized source sentence (Unicode NFC, whitespace collapsed), so a new model
version or a different engine never reuses stale output, and re-publishing an
unchanged episode makes no engine call at all.  With a glossary, a sentence
that contains glossary terms is keyed under ``<model> glossary=<hash of its
terms>`` (:mod:`.glossary`): changing a term re-translates the sentences that
contain it, and only those.

:class:`MemoryTranslator` is the one way the translate stage calls an engine:
it looks every sentence up first and sends only the misses (deduplicated) to
the engine in one batch.

The memory holds translations only.  The published-cues cache that older
versions kept in a ``published`` table lives in :mod:`toolkit.cache` now; an
old file's table is dropped when it is opened (it was a cache: dropping it
costs one recomputation).
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
import unicodedata
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

from ..build import ChannelTexts
from ..errors import CacheError
from .engine import Engine
from .glossary import TermSet, missing_terms, protect, restore

T = TypeVar("T")

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
-- the published-cues cache of toolkit <= 0.1 (now in toolkit.cache); a cache, safe to drop
DROP TABLE IF EXISTS published
"""


def normalize(text: str) -> str:
    """The memory key form of a sentence: NFC, runs of whitespace → one space, stripped."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def memory_path(show_root: str | Path) -> Path:
    """``<show root>/.toolkit/memory.sqlite``."""
    return Path(show_root) / MEMORY_DIR / MEMORY_FILE


#: Databases that passed ``quick_check`` in this process: (path, inode, size, mtime).
_CHECKED: set[tuple[str, int, int, int]] = set()
_CORRUPT_SUFFIX = ".corrupt"


class _Damaged(Exception):
    """quick_check found a problem (the message is SQLite's first line)."""


def _damage(exc: BaseException) -> str | None:
    """What is damaged, when ``exc`` is how a damaged file fails ("not a database",
    "database disk image is malformed" and their extended codes, quick_check's
    findings, stored text that is not UTF-8); None for any other failure."""
    if isinstance(exc, _Damaged):
        return str(exc)
    if isinstance(exc, UnicodeDecodeError):
        return "a stored text is not UTF-8"
    if isinstance(exc, sqlite3.Error):
        name = getattr(exc, "sqlite_errorname", "") or ""
        text = str(exc)
        lower = text.lower()
        if name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")) or "malformed" in lower \
                or "not a database" in lower:
            return text
        if "could not decode to utf-8" in lower:
            return "a stored text is not UTF-8"
    return None


_FAILURES = (sqlite3.Error, UnicodeDecodeError, _Damaged)


class TranslationMemory:
    """The SQLite store; use as a context manager or call :meth:`close`.

    :attr:`show_texts` remembers, while it is open, the show's texts translated
    through it (:func:`toolkit.translate.translate_show_texts`, keyed by the texts,
    the languages, the engine, its model version and the glossary): every episode's
    pages need them, and they are looked up once per publish (a worker: once per
    process, :meth:`PendingMemory.for_task`) instead of once per episode."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.show_texts: dict[tuple[str, ...], ChannelTexts] = {}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CacheError(f"cannot create the cache folder ({exc.strerror or exc})",
                             path=self.path.parent) from None
        self._db = self._open()

    # -- opening, checking, setting a damaged file aside ---------------------------------------

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(str(self.path), timeout=30, isolation_level=None)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            self._check(db)
            db.executescript(_SCHEMA)
        except BaseException:
            db.close()
            raise
        return db

    def _identity(self) -> tuple[str, int, int, int] | None:
        try:
            st = self.path.stat()
        except OSError:
            return None
        return (str(self.path.resolve()), st.st_ino, st.st_size, st.st_mtime_ns)

    def _check(self, db: sqlite3.Connection) -> None:
        """``PRAGMA quick_check`` once per file version and process."""
        ident = self._identity()
        if ident is None or ident in _CHECKED:
            return
        rows = db.execute("PRAGMA quick_check").fetchall()
        if rows != [("ok",)]:
            first = str(rows[0][0]).splitlines() if rows else ["no answer"]
            raise _Damaged(first[-1] if first and first[0].startswith("***") else first[0])
        _CHECKED.add(ident)

    def _open(self) -> sqlite3.Connection:
        try:
            return self._connect()
        except _FAILURES as exc:
            reason = _damage(exc)
            if reason is None:
                raise self._error(exc) from None
            self._set_aside(reason)
        try:
            return self._connect()
        except _FAILURES as exc:
            raise self._error(exc) from None

    def _set_aside(self, reason: str) -> None:
        """Move the damaged database (and its WAL) to ``memory.sqlite.corrupt``."""
        aside = self.path.with_name(self.path.name + _CORRUPT_SUFFIX)
        try:
            os.replace(self.path, aside)
            for extra in ("-wal", "-shm"):
                journal = self.path.with_name(self.path.name + extra)
                if journal.exists():
                    os.replace(journal, aside.with_name(aside.name + extra))
        except OSError as exc:
            raise CacheError(f"the translation memory is damaged ({reason}) and cannot be moved aside "
                             f"({exc.strerror or exc})", path=self.path,
                             hint="delete it: it is a cache, rebuilt by the next publish") from None
        log.warning("%s: the translation memory is damaged (%s); moved it to %s and started a new one "
                    "(sentences are translated again; corrections in translations/ are not affected)",
                    self.path, reason, aside)

    def _error(self, exc: BaseException) -> CacheError:
        return CacheError(f"translation memory: {exc}", path=self.path,
                          hint="it is a cache: deleting .toolkit/ is safe")

    def _run(self, action: Callable[[sqlite3.Connection], T]) -> T:
        """Run ``action`` on the database; damage found on the way sets the file
        aside and runs it once more on a new, empty memory."""
        try:
            return action(self._db)
        except _FAILURES as exc:
            # (text that is not UTF-8 is damage quick_check does not see: it checks structure)
            reason = _damage(exc)
            if reason is None:
                raise self._error(exc) from None
            self._db.close()
            self._set_aside(reason)
            try:
                self._db = self._connect()
                return action(self._db)
            except _FAILURES as again:
                raise self._error(again) from None

    def __enter__(self) -> TranslationMemory:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._db.close()

    # -- the tables -------------------------------------------------------------------------------

    def lookup(self, engine: str, model: str, src: str, tgt: str, sources: Sequence[str]) -> dict[str, str]:
        """Known translations for the (already normalized) ``sources``."""
        unique = list(dict.fromkeys(sources))
        asked = set(unique)

        def query(db: sqlite3.Connection, chunk: list[str]) -> list[tuple[str, str]]:
            marks = ",".join("?" * len(chunk))
            rows: list[tuple[str, str]] = db.execute(
                f"SELECT source, target FROM tm WHERE engine=? AND model=? AND src=? AND tgt=? "
                f"AND source IN ({marks})", (engine, model, src, tgt, *chunk)).fetchall()
            return rows

        def run(db: sqlite3.Connection) -> dict[str, str]:
            found: dict[str, str] = {}
            for i in range(0, len(unique), 500):  # stay under SQLite's variable limit
                chunk = unique[i:i + 500]
                rows = query(db, chunk)
                if any(source not in asked for source, _target in rows):
                    # A damaged index answers with rows nobody asked for (quick_check does not
                    # compare indexes with the table): rebuild the indexes from the rows, ask again.
                    log.warning("%s: an index of the translation memory is damaged; rebuilding it", self.path)
                    db.execute("REINDEX")
                    rows = query(db, chunk)
                    if any(source not in asked for source, _target in rows):
                        raise _Damaged("a lookup returned rows it was not asked for")
                found.update(rows)
            return found

        return self._run(run)

    def store(self, engine: str, model: str, src: str, tgt: str, pairs: dict[str, str]) -> None:
        """Add translations in one transaction (all or nothing)."""
        self.store_models(engine, src, tgt, [(model, s, t) for s, t in sorted(pairs.items())])

    def store_models(self, engine: str, src: str, tgt: str, triples: Sequence[tuple[str, str, str]]) -> None:
        """Add ``(model, source, target)`` translations in one transaction (all or nothing)."""
        if not triples:
            return
        rows = [(engine, model, src, tgt, s, t) for model, s, t in sorted(triples)]

        def run(db: sqlite3.Connection) -> None:
            with db:
                db.execute("BEGIN IMMEDIATE")
                db.executemany(
                    "INSERT OR REPLACE INTO tm (engine, model, src, tgt, source, target) VALUES (?,?,?,?,?,?)",
                    rows)

        self._run(run)

    def pairs(self, src: str, tgt: str) -> list[tuple[str, str, str, str]]:
        """Every ``(source, target, engine, model)`` for one language pair, sorted (a TMX export)."""

        def run(db: sqlite3.Connection) -> list[tuple[str, str, str, str]]:
            rows = db.execute("SELECT source, target, engine, model FROM tm WHERE src=? AND tgt=? "
                              "ORDER BY source, engine, model", (src, tgt))
            return [(str(a), str(b), str(c), str(d)) for a, b, c, d in rows.fetchall()]

        return self._run(run)

    def language_pairs(self) -> list[tuple[str, str]]:
        """The ``(src, tgt)`` pairs the memory holds, sorted."""
        return [(str(a), str(b)) for a, b in self._run(
            lambda db: db.execute("SELECT DISTINCT src, tgt FROM tm ORDER BY src, tgt").fetchall())]

    def count(self) -> int:
        return int(self._run(lambda db: db.execute("SELECT COUNT(*) FROM tm").fetchone()[0]))


class MemoryTranslator:
    """Translate sentences through the memory, calling ``engine`` only for misses.

    ``terms`` (a glossary, :mod:`.glossary`): its terms are kept off the
    engine with placeholders; after each :meth:`translate`, :attr:`problems`
    maps the index of each sentence a term went wrong in to what went wrong.
    """

    def __init__(self, engine: Engine, memory: TranslationMemory, src: str, tgt: str,
                 terms: TermSet | None = None) -> None:
        self.engine = engine
        self.memory = memory
        self.src = src
        self.tgt = tgt
        self.terms = terms if terms else None
        self.hits = 0
        self.misses = 0
        self.problems: dict[int, str] = {}
        self._model: str | None = None

    @property
    def model(self) -> str:
        if self._model is None:
            self._model = self.engine.model_version(self.src, self.tgt)
        return self._model

    def _variant(self, key: str) -> str:
        """The model part of ``key``'s memory key (with its glossary terms' hash, if any)."""
        if self.terms is None:
            return self.model
        found = self.terms.key_for(key)
        return f"{self.model} glossary={found}" if found else self.model

    def translate(self, sentences: Sequence[str]) -> list[str]:
        """One translation per sentence; empty sentences stay empty."""
        self.problems = {}
        keys = [normalize(s) for s in sentences]
        wanted = [k for k in keys if k]
        if not wanted:
            return ["" for _ in keys]
        self.engine.require(self.src, self.tgt)
        by_variant: dict[str, list[str]] = {}
        for k in dict.fromkeys(wanted):
            by_variant.setdefault(self._variant(k), []).append(k)
        known: dict[str, str] = {}
        notes: dict[str, str] = {}
        missing: dict[str, str] = {}  # sentence -> its variant
        for variant, group in by_variant.items():
            found = self.memory.lookup(self.engine.name, variant, self.src, self.tgt, group)
            missing.update((k, variant) for k in group if k not in found)
            known.update(found)
        self.hits += len(set(wanted)) - len(missing)
        if missing:
            self.misses += len(missing)
            log.info("%s %s→%s: translating %d new sentence(s)", self.engine.name, self.src, self.tgt,
                     len(missing))
            new = self._fresh(list(missing), notes)  # one engine batch for every variant
            self.memory.store_models(self.engine.name, self.src, self.tgt,
                                     [(missing[k], k, t) for k, t in new.items()])
            known.update(new)
        out = [known[k] if k else "" for k in keys]
        if self.terms is not None:
            for i, (k, text) in enumerate(zip(keys, out)):
                lost = missing_terms(k, text, self.terms) if k else []
                said = [notes[k]] if k in notes else []
                said += [f"glossary term {t.source!r} " + ("kept" if t.kept else f"→ {t.target!r}")
                         + " is not in the translation" for t in lost]
                if said:
                    self.problems[i] = "; ".join(said)
        return out

    def _fresh(self, missing: list[str], notes: dict[str, str]) -> dict[str, str]:
        """Engine translations of ``missing`` (their glossary terms behind placeholders)."""
        if self.terms is None:
            return dict(zip(missing, self.engine.translate_batch(missing, self.src, self.tgt)))
        protected = [protect(k, self.terms, self.engine.placeholder) for k in missing]
        out = self.engine.translate_batch([p for p, _ in protected], self.src, self.tgt)
        new: dict[str, str] = {}
        again: list[str] = []
        for k, (sent, slots), text in zip(missing, protected, out):
            text = self.engine.repair_placeholders(sent, text) if slots else text
            restored, bad = restore(text, slots) if slots else (text, [])
            if restored is None:
                again.append(k)
                notes[k] = (f"{self.engine.name} dropped or changed the placeholder of glossary term(s) "
                            + ", ".join(repr(t.source) for t in bad) + " (translated without the glossary)")
            else:
                new[k] = restored
        if again:  # the fallback: the sentence as it is (what the engine makes of the terms themselves)
            new.update(zip(again, self.engine.translate_batch(again, self.src, self.tgt)))
        return new


def _file_id(path: Path) -> tuple[int, int] | None:
    """Which file ``path`` is now (device, inode), None when there is none."""
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_dev, st.st_ino)


#: Per thread: the worker's views of memories kept between its tasks (:meth:`PendingMemory.for_task`), by path.
_TASK_VIEWS = threading.local()


class PendingMemory(TranslationMemory):
    """A worker's view of the memory (:mod:`toolkit.catalogue`): the show's
    memory as the coordinating process has written it so far, opened
    **read-only**, plus the translations this task made, kept in
    :attr:`pending` for the coordinator to store -- a worker never writes the
    file.  A missing or damaged file reads as an empty memory (the coordinator,
    which opened it first, sets a damaged one aside)."""

    def __init__(self, path: str | Path) -> None:
        #: ``(engine, src, tgt, ((model, source, target), …))`` in the order they were made
        self.pending: list[tuple[str, str, str, tuple[tuple[str, str, str], ...]]] = []
        self._mine: dict[tuple[str, str, str, str], dict[str, str]] = {}
        self._empty = False
        self._kept = False  # held for the next task of this process (:meth:`for_task`): close() keeps it open
        #: the show's texts per language translated through this view, kept with it for the process's next tasks
        self.show_texts = {}
        self.path = Path(path)
        self._file = _file_id(self.path)
        self._db = self._open()

    @classmethod
    def for_task(cls, path: str | Path) -> PendingMemory:
        """The view of ``path`` for one more task of this worker process: the connection an
        earlier task of this process (and thread: a connection stays in its thread) opened is
        kept, with an empty :attr:`pending`, so a worker opens the memory once, not per episode.

        Nothing read is stale: outside a query the connection holds no snapshot, so each
        lookup sees what the coordinator has committed so far (as a new connection would).
        It is opened again when the file is another one now (set aside and started anew,
        deleted, created since), and for each task while there is no file or it reads as
        damaged (an empty memory, as :class:`PendingMemory` reads them)."""
        views: dict[str, PendingMemory] = _TASK_VIEWS.__dict__.setdefault("views", {})
        key = os.path.abspath(path)
        view = views.pop(key, None)
        now = _file_id(Path(path))
        if view is not None and (now is None or now != view._file or view._empty):
            view._db.close()
            view = None
        if view is None:
            view = cls(path)
        else:
            view.pending, view._mine = [], {}
        if view._file is not None and not view._empty:
            view._kept = True
            views[key] = view
        return view

    def close(self) -> None:
        if not self._kept:
            super().close()

    def _connect(self) -> sqlite3.Connection:
        if self._empty or not self.path.is_file():
            db = sqlite3.connect(":memory:", isolation_level=None)
            db.executescript(_SCHEMA)
            return db
        return sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True, timeout=30,
                               isolation_level=None)

    def _set_aside(self, reason: str) -> None:
        log.warning("%s: the translation memory is damaged (%s); this task reads it as empty", self.path, reason)
        self._empty = True

    def lookup(self, engine: str, model: str, src: str, tgt: str, sources: Sequence[str]) -> dict[str, str]:
        mine = self._mine.get((engine, model, src, tgt), {})
        found = {s: mine[s] for s in sources if s in mine}
        rest = [s for s in sources if s not in found]
        if rest:
            found.update(super().lookup(engine, model, src, tgt, rest))
        return found

    def store_models(self, engine: str, src: str, tgt: str, triples: Sequence[tuple[str, str, str]]) -> None:
        if not triples:
            return
        self.pending.append((engine, src, tgt, tuple(sorted(triples))))
        for model, s, t in triples:
            self._mine.setdefault((engine, model, src, tgt), {})[s] = t
