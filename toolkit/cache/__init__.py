"""The one cache: keys, stamps and storage for every stage's results.

Everything lives under ``<show root>/.toolkit/cache/``; every entry is valid
only for the key it was stored under, and every key is made by one
:class:`~toolkit.cache.keys.Recipe` in :mod:`.keys`, which names the result's
inputs and the code that makes it.  A damaged entry is ignored (logged) and
rebuilt: a cache never makes a publish fail.

==========================  ==================================  ==============================
result (recipe)             storage                             used by
==========================  ==================================  ==============================
source build (``SOURCE``)   ``source/<slug>.json``              :mod:`toolkit.pipeline`
audio analysis (``AUDIO``)  ``audio/<slug>.npz``, ``.windows``  :mod:`toolkit.timing`
published cues              ``published/<slug>/<lang>.json``    :mod:`toolkit.translate`
(``PUBLISHED``)
site outputs (``*_PAGES``,  ``site/<slug>.json``, ``show.stamp``,  :mod:`toolkit.publish.site`
``ICONS``)                  ``icons.stamp``
==========================  ==================================  ==============================

The translation memory (``.toolkit/memory.sqlite``, :mod:`toolkit.translate.memory`)
is not a cache of results but a store of sentence translations; it holds nothing else.
"""

from __future__ import annotations

from . import keys, published, stamps
from .audio import AnalysisStore
from .source import (
    AUDIO_DIR,
    CACHE_DIR,
    CACHE_FORMAT,
    CachedSource,
    audio_store,
    load_source,
    save_source,
    source_cache_path,
    source_key,
)

__all__ = [
    "keys", "published", "stamps", "AnalysisStore", "AUDIO_DIR", "CACHE_DIR", "CACHE_FORMAT", "CachedSource",
    "audio_store", "load_source", "save_source", "source_cache_path", "source_key",
]
