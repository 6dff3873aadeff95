"""The ``argos`` engine: argostranslate packages, translated in large batches.

argostranslate is used for what it is good at — package layout, metadata and
the package's own tokenizer — but sentences are translated through
``ctranslate2.Translator.translate_batch``, every sentence of the call at
once, cut by CTranslate2 into length-sorted sub-batches of ~1024 tokens
(argos' own ``translate()`` makes one call per paragraph with 32-*token*
sub-batches; see bench/RESULTS.md).  The beam is ``TOOLKIT_BEAM_SIZE``, then
``ARGOS_BEAM_SIZE``, then 4 (argos' default); ``TOOLKIT_BEAM_SIZE=1`` is the
fast greedy draft (different, usually slightly worse, output).

Environment (argostranslate reads its settings once, at import):
:func:`prepare_environment` runs before the first import and sets
``ORT_DISABLE_TELEMETRY=1`` and ``ARGOS_INTRA_THREADS=1`` unless the user set
them, and refuses ``ARGOS_CHUNK_TYPE=SPACY`` (it downloads at import).  The
user's ``XDG_*_HOME`` / ``ARGOS_PACKAGES_DIR`` / ``ARGOS_PACKAGE_INDEX`` are
honoured.  argostranslate and ctranslate2 are imported lazily, only when a
sentence actually has to be translated or a package installed: listing,
version look-ups and translation-memory hits read ``metadata.json`` directly.

Package management (``toolkit models``: the index, install, remove) is
:mod:`toolkit.translate.packages`; this module only translates.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import EngineError
from .engine import Engine
from .packages import PackageInfo, find_package, prepare_environment
from .redistribute import split_long
from .registry import register

log = logging.getLogger(__name__)

#: source tokens per segment; ctranslate2 stops at 256 *target* tokens by default,
#: so longer sentences are split (with headroom for targets longer than sources).
MAX_SOURCE_TOKENS = 200
MAX_DECODING_LENGTH = 256
#: CTranslate2 sub-batches are bounded by *tokens* (padded source length × examples),
#: not by a count of examples: CTranslate2 sorts the whole call's input by length
#: before cutting it into sub-batches, so ~1024 tokens is ~25 sentences of 40 tokens,
#: and a few long sentences make a small batch instead of a large padded one.
#: Measured against 64 examples per batch (bench/RESULTS.md, 2026-12-02): beam 4
#: ≈ 25 % faster, beam 1 about the same; the search per sentence is the same, and
#: the benchmark and tests/translate check that the outputs are identical.
#: argos' own 32 tokens make one sentence per batch.
BATCH_TOKENS = 1024
_lock = threading.Lock()


def translator_options() -> dict[str, str]:
    """Device and compute type of the CTranslate2 translator: argos' own settings
    (``ARGOS_DEVICE_TYPE``, ``ARGOS_COMPUTE_TYPE``; "auto" is int8_float32 on CPU)."""
    return {"device": os.environ.get("ARGOS_DEVICE_TYPE", "cpu"),
            "compute_type": os.environ.get("ARGOS_COMPUTE_TYPE", "auto")}


def decoding_options(beam_size: int) -> dict[str, Any]:
    """The ``translate_batch`` options the engine uses (the benchmark's raw row reuses them)."""
    return {"beam_size": beam_size, "max_batch_size": BATCH_TOKENS, "batch_type": "tokens",
            "replace_unknowns": True, "length_penalty": 0.2, "max_decoding_length": MAX_DECODING_LENGTH}


# --------------------------------------------------------------------------- engine
@dataclass
class _Loaded:
    fingerprint: str
    translator: Any
    encode: Callable[[str], list[str]]
    decode: Callable[[list[str]], str]


@register
class ArgosEngine(Engine):
    """argostranslate packages, translated in batches through CTranslate2."""

    name = "argos"

    def __init__(self, *, beam_size: int | None = None) -> None:
        self.beam_size = beam_size or int(os.environ.get("TOOLKIT_BEAM_SIZE", "") or
                                          os.environ.get("ARGOS_BEAM_SIZE", "") or 4)
        self._loaded: dict[Path, _Loaded] = {}

    def available(self, src: str, tgt: str) -> bool:
        return find_package(src, tgt) is not None

    def install_hint(self, src: str, tgt: str) -> str:
        return (f"run: toolkit models install {src} {tgt} "
                f"(or toolkit models install path/to/translate-{src}_{tgt}.argosmodel)")

    def _package(self, src: str, tgt: str) -> PackageInfo:
        pkg = find_package(src, tgt)
        if pkg is None:
            self.require(src, tgt)
        assert pkg is not None
        return pkg

    def model_version(self, src: str, tgt: str) -> str:
        pkg = self._package(src, tgt)
        return f"{pkg.version}+{pkg.fingerprint}"

    def label(self, src: str, tgt: str) -> str:
        pkg = self._package(src, tgt)
        return f"argos {pkg.pair} {pkg.version}"

    def _load(self, pkg: PackageInfo) -> _Loaded:
        loaded = self._loaded.get(pkg.path)
        if loaded is not None and loaded.fingerprint == pkg.fingerprint:
            return loaded
        prepare_environment()
        import ctranslate2  # the heavy libraries only when a sentence is translated (import time)
        from argostranslate.package import Package  # light: no spaCy/stanza

        apkg = Package(pkg.path)
        tok = getattr(apkg, "tokenizer", None)
        if tok is None:
            raise EngineError(f"argos package {pkg.pair} has no tokenizer", path=pkg.path,
                              hint="reinstall it: toolkit models install " + pkg.from_code + " " + pkg.to_code)
        if hasattr(tok, "lazy_processor"):
            sp = tok.lazy_processor()

            def encode(text: str) -> list[str]:
                return list(sp.encode(text, out_type=str))

            def decode(tokens: list[str]) -> str:
                # argos' decode also turns "_" into a space; real text keeps its underscores.
                return str(sp.decode_pieces(tokens)).replace("▁", " ")
        else:
            encode, decode = tok.encode, tok.decode
        threads = int(os.environ.get("ARGOS_INTRA_THREADS", "1") or 1)
        inter = max(1, min(4, os.cpu_count() or 1))
        translator = ctranslate2.Translator(str(pkg.path / "model"), **translator_options(),
                                            intra_threads=threads, inter_threads=inter)
        loaded = _Loaded(pkg.fingerprint, translator, encode, decode)
        self._loaded[pkg.path] = loaded
        return loaded

    def translate_batch(self, sentences: Sequence[str], src: str, tgt: str) -> list[str]:
        if not any(s.strip() for s in sentences):
            return ["" for _ in sentences]
        pkg = self._package(src, tgt)
        with _lock:
            m = self._load(pkg)
        # sentence -> lines -> segments (long lines split into segments of <= MAX_SOURCE_TOKENS)
        plan: list[list[list[tuple[int, str]]]] = []  # per sentence, per line: (segment index, joiner)
        segments: list[list[str]] = []
        for sentence in sentences:
            lines_plan: list[list[tuple[int, str]]] = []
            for line in sentence.split("\n"):
                line_plan: list[tuple[int, str]] = []
                if line.strip():
                    for chunk, joiner in split_long(line.strip(), m.encode, MAX_SOURCE_TOKENS):
                        line_plan.append((len(segments), joiner))
                        segments.append(m.encode(chunk))
                lines_plan.append(line_plan)
            plan.append(lines_plan)
        prefix = [[pkg.target_prefix]] * len(segments) if pkg.target_prefix else None
        results = m.translator.translate_batch(segments, target_prefix=prefix,
                                               **decoding_options(self.beam_size))
        decoded: list[str] = []
        for res in results:
            tokens = list(res.hypotheses[0])
            if len(tokens) >= MAX_DECODING_LENGTH:
                log.warning("argos %s: a segment reached %d target tokens and may be cut", pkg.pair,
                            MAX_DECODING_LENGTH)
            text = m.decode(tokens)
            if pkg.target_prefix and text.lstrip().startswith(pkg.target_prefix):
                text = text.lstrip()[len(pkg.target_prefix):]
            decoded.append(text.strip())
        out: list[str] = []
        for lines_plan in plan:
            lines_out = []
            for line_plan in lines_plan:
                text = ""
                for seg, joiner in line_plan:
                    text = text + joiner + decoded[seg]
                lines_out.append(text)
            out.append("\n".join(lines_out))
        return out
