"""Human review of translations: the per-language store and the translator round trip.

* :mod:`toolkit.review.store` — ``translations/<slug>/<lang>.vtt``, the editable
  source of truth (states machine / human / stale), merged on every publish.
* :mod:`toolkit.review.export` — SRT / WebVTT / PO files for translators' tools.
* :mod:`toolkit.review.importer` — reading corrected files back (all or nothing).
* :mod:`toolkit.review.status` — the per-episode, per-language review report.
"""

from __future__ import annotations

from .store import Entry, MergeReport, Store, load_store, merge_machine, save_store, store_path

__all__ = ["Entry", "MergeReport", "Store", "load_store", "merge_machine", "save_store", "store_path"]
