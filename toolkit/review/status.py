"""The review status: per episode and language, how many cues are machine,
human or stale, and the share reviewed (human / total).

Read from the stores alone (what the last publish or import left), so it is
instant and needs no audio or engine — the right thing for a show's CI.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..model import Show
from .store import load_store_at

__all__ = ["LanguageStatus", "collect_status"]


@dataclass(frozen=True)
class LanguageStatus:
    """Counts for one store file."""

    slug: str
    lang: str
    machine: int
    human: int
    stale: int
    stale_ids: tuple[str, ...] = ()

    @property
    def total(self) -> int:
        return self.machine + self.human + self.stale

    @property
    def reviewed(self) -> float:
        """human / total (0.0 for an empty store); stale cues are not reviewed."""
        return self.human / self.total if self.total else 0.0


def collect_status(show: Show, slug: str | None = None) -> list[LanguageStatus]:
    """Status of every store (or one episode's), sorted by episode then language.

    Raises InputError on a corrupt store file.
    """
    root: Path = show.translations_dir
    if not root.is_dir():
        return []
    folders = [root / slug] if slug else sorted(p for p in root.iterdir() if p.is_dir())
    out: list[LanguageStatus] = []
    for folder in folders:
        for path in sorted(folder.glob("*.vtt")):
            store = load_store_at(path)
            if store is None:
                continue
            c = store.counts()
            out.append(LanguageStatus(store.slug, store.lang, c["machine"], c["human"], c["stale"],
                                      store.stale_ids))
    return out
