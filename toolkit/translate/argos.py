"""The ``argos`` engine: argostranslate packages, translated in large batches.

argostranslate is used for what it is good at — package layout, metadata and
the package's own tokenizer — but sentences are translated through
``ctranslate2.Translator.translate_batch`` in large example-based batches
(argos' own ``translate()`` makes one call per paragraph with 32-*token*
sub-batches, measured ~7× slower; see bench/RESULTS.md).

Environment (argostranslate reads its settings once, at import):
:func:`prepare_environment` runs before the first import and sets
``ORT_DISABLE_TELEMETRY=1`` and ``ARGOS_INTRA_THREADS=1`` unless the user set
them, and refuses ``ARGOS_CHUNK_TYPE=SPACY`` (it downloads at import).  The
user's ``XDG_*_HOME`` / ``ARGOS_PACKAGES_DIR`` / ``ARGOS_PACKAGE_INDEX`` are
honoured.  argostranslate and ctranslate2 are imported lazily, only when a
sentence actually has to be translated or a package installed: listing,
version look-ups and translation-memory hits read ``metadata.json`` directly.

Package management (``toolkit models``) is done here too: the index is fetched
with a short timeout (argostranslate itself retries for 78 s offline, then
raises RecursionError) and an archive is validated, extracted beside the
packages folder and renamed into place, so a corrupt file installs nothing.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import shutil
import tempfile
import threading
import urllib.error
import urllib.request
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import EngineError, InputError
from .engine import Engine

log = logging.getLogger(__name__)

DEFAULT_INDEX = "https://raw.githubusercontent.com/argosopentech/argospm-index/main/"
INDEX_TIMEOUT_S = 10.0
#: source tokens per segment; ctranslate2 stops at 256 *target* tokens by default,
#: so longer sentences are split (with headroom for targets longer than sources).
MAX_SOURCE_TOKENS = 200
MAX_DECODING_LENGTH = 256
BATCH_EXAMPLES = 64
# Codes argos uses where they differ from BCP 47 (zt = Traditional Chinese, pb = Brazilian Portuguese).
_ARGOS_CODES = {"zh-Hant": "zt", "zh-TW": "zt", "zh-HK": "zt", "pt-BR": "pb"}
_CLAUSE = re.compile(r"(?<=[,;:—–)\]，、；：])\s+")
_lock = threading.Lock()


def prepare_environment() -> None:
    """Set argos' environment before its first import (idempotent)."""
    os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")
    os.environ.setdefault("ARGOS_INTRA_THREADS", "1")
    if os.environ.get("ARGOS_CHUNK_TYPE", "").upper() == "SPACY":
        # SPACY chunking tries to download a spaCy model at import time.
        log.warning("ARGOS_CHUNK_TYPE=SPACY downloads at import; using DEFAULT")
        os.environ["ARGOS_CHUNK_TYPE"] = "DEFAULT"


def data_dir() -> Path:
    """argos' data folder (``$XDG_DATA_HOME/argos-translate``), computed like argos does."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "argos-translate"


def packages_dir() -> Path:
    """Where packages are installed: ``$ARGOS_PACKAGES_DIR`` or ``<data dir>/packages``."""
    env = os.environ.get("ARGOS_PACKAGES_DIR")
    return Path(env) if env else data_dir() / "packages"


def index_url() -> str:
    """The package index prefix (``$ARGOS_PACKAGE_INDEX``), always ending with ``/``."""
    url = os.environ.get("ARGOS_PACKAGE_INDEX") or DEFAULT_INDEX
    # argos appends "index.json" to the prefix; without a trailing slash the URL is wrong.
    return url if url.endswith("/") else url + "/"


@dataclass(frozen=True)
class PackageInfo:
    """An installed argos package, read from its metadata.json (no argos import)."""

    path: Path
    from_code: str
    to_code: str
    version: str
    target_prefix: str
    fingerprint: str

    @property
    def pair(self) -> str:
        return f"{self.from_code}-{self.to_code}"


def _read_package(folder: Path) -> PackageInfo | None:
    meta_path = folder / "metadata.json"
    try:
        raw = meta_path.read_bytes()
        meta = json.loads(raw)
    except (OSError, ValueError):
        return None
    if not isinstance(meta, dict) or meta.get("type", "translate") != "translate":
        return None
    if not meta.get("from_code") or not meta.get("to_code"):
        return None
    digest = hashlib.sha256(raw)
    try:  # model changes without a version bump still change the fingerprint
        st = (folder / "model" / "model.bin").stat()
        digest.update(f"{st.st_size}:{st.st_mtime_ns}".encode())
    except OSError:
        pass
    return PackageInfo(folder, str(meta["from_code"]), str(meta["to_code"]),
                       str(meta.get("package_version", "0")), str(meta.get("target_prefix") or ""),
                       digest.hexdigest()[:10])


def installed_packages() -> list[PackageInfo]:
    """Installed translate packages, sorted by pair."""
    root = packages_dir()
    if not root.is_dir():
        return []
    found = [p for d in sorted(root.iterdir()) if d.is_dir() and (p := _read_package(d))]
    return sorted(found, key=lambda p: (p.from_code, p.to_code, p.path.name))


def argos_code(lang: str) -> list[str]:
    """Candidate argos codes for a BCP 47 code (``pt-BR`` → ``pb``, ``pt``)."""
    out = [c for c in (_ARGOS_CODES.get(lang), lang, lang.split("-")[0]) if c]
    return list(dict.fromkeys(out))


def find_package(src: str, tgt: str) -> PackageInfo | None:
    """The installed package for ``src`` → ``tgt``, or None."""
    packages = installed_packages()
    for s in argos_code(src):
        for t in argos_code(tgt):
            for p in packages:
                if p.from_code == s and p.to_code == t:
                    return p
    return None


# --------------------------------------------------------------------------- engine
@dataclass
class _Loaded:
    fingerprint: str
    translator: Any
    encode: Callable[[str], list[str]]
    decode: Callable[[list[str]], str]


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
        import ctranslate2
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
        translator = ctranslate2.Translator(
            str(pkg.path / "model"),
            device=os.environ.get("ARGOS_DEVICE_TYPE", "cpu"),
            compute_type=os.environ.get("ARGOS_COMPUTE_TYPE", "auto"),
            intra_threads=threads,
            inter_threads=inter,
        )
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
        results = m.translator.translate_batch(
            segments,
            target_prefix=prefix,
            beam_size=self.beam_size,
            max_batch_size=BATCH_EXAMPLES,
            batch_type="examples",
            replace_unknowns=True,
            length_penalty=0.2,
            max_decoding_length=MAX_DECODING_LENGTH,
        )
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


def split_long(text: str, encode: Callable[[str], list[str]], limit: int) -> list[tuple[str, str]]:
    """Split ``text`` into chunks of at most ``limit`` tokens: at clause
    punctuation first, then between words, then between characters (CJK).
    Returns (chunk, joiner) pairs, the joiner going *before* the chunk when
    the translations are reassembled ("" for the first); nothing is dropped."""
    if len(encode(text)) <= limit:
        return [(text, "")]
    splitters: tuple[tuple[Callable[[str], list[str]], str], ...] = (
        (_CLAUSE.split, " "), (str.split, " "), (list, ""))
    for splitter, joiner in splitters:
        parts = [p for p in splitter(text) if p]
        if len(parts) < 2:
            continue
        groups: list[str] = []
        current = ""
        for part in parts:
            candidate = part if not current else current + joiner + part
            if current and len(encode(candidate)) > limit:
                groups.append(current)
                current = part
            else:
                current = candidate
        groups.append(current)
        out: list[tuple[str, str]] = []
        for i, group in enumerate(groups):
            sub = split_long(group, encode, limit)  # a single over-long part splits further
            sub[0] = (sub[0][0], joiner if i else "")
            out.extend(sub)
        return out
    return [(text, "")]


# --------------------------------------------------------------------------- package management
def _fail_archive(path: Path, message: str) -> InputError:
    return InputError(f"not a valid argos translate package: {message}", path=path,
                      hint="nothing was installed")


def validate_archive(path: str | os.PathLike[str]) -> tuple[str, dict[str, Any]]:
    """Check a ``.argosmodel`` zip without extracting it; return (top folder, metadata)."""
    p = Path(path)
    if not p.is_file():
        raise InputError("file not found", path=p)
    if not zipfile.is_zipfile(p):
        raise _fail_archive(p, "not a zip archive")
    try:
        with zipfile.ZipFile(p) as zf:
            names = zf.namelist()
            tops = {n.split("/", 1)[0] for n in names if n.strip("/")}
            if len(tops) != 1:
                raise _fail_archive(p, f"expected one top folder, found {len(tops)}")
            top = tops.pop()
            for n in names:
                if n.startswith("/") or ".." in n.split("/") or "\\" in n:
                    raise _fail_archive(p, f"unsafe path {n!r}")
            if re.search(r"stanza|spacy|minisbd", top, re.I):
                raise _fail_archive(p, f"folder name {top!r} confuses argos' sentence splitter choice")
            try:
                meta = json.loads(zf.read(f"{top}/metadata.json"))
            except KeyError:
                raise _fail_archive(p, "no metadata.json") from None
            except ValueError as exc:
                raise _fail_archive(p, f"metadata.json is not JSON ({exc})") from None
            if not isinstance(meta, dict) or meta.get("type", "translate") != "translate":
                raise _fail_archive(p, "metadata.json type is not 'translate'")
            if not meta.get("from_code") or not meta.get("to_code"):
                raise _fail_archive(p, "metadata.json lacks from_code/to_code")
            if f"{top}/model/model.bin" not in names:
                raise _fail_archive(p, "no model/model.bin")
            if f"{top}/sentencepiece.model" not in names and f"{top}/bpe.model" not in names:
                raise _fail_archive(p, "no tokenizer (sentencepiece.model or bpe.model)")
            bad = zf.testzip()
            if bad is not None:
                raise _fail_archive(p, f"corrupt member {bad}")
    except zipfile.BadZipFile as exc:
        raise _fail_archive(p, str(exc)) from None
    return top, meta


def install_file(path: str | os.PathLike[str]) -> PackageInfo:
    """Install a ``.argosmodel`` file atomically (validate, extract beside the
    packages folder, rename into place); replaces a package for the same pair."""
    p = Path(path)
    top, meta = validate_archive(p)
    dest_root = packages_dir()
    dest_root.mkdir(parents=True, exist_ok=True)
    # Extract into the packages folder's PARENT: argos treats every folder inside
    # the packages folder as a package, so a half-extracted one must never be there.
    tmp = Path(tempfile.mkdtemp(prefix=".toolkit-install-", dir=dest_root.parent))
    try:
        try:
            with zipfile.ZipFile(p) as zf:
                zf.extractall(tmp)
        except (zipfile.BadZipFile, OSError) as exc:
            raise _fail_archive(p, str(exc)) from None
        staged = tmp / top
        info = _read_package(staged)
        if info is None:
            raise _fail_archive(p, "metadata.json unreadable after extraction")
        old = [q for q in installed_packages()
               if (q.from_code, q.to_code) == (info.from_code, info.to_code) or q.path.name == top]
        trash = tmp / ".old"
        trash.mkdir()
        for q in old:
            os.replace(q.path, trash / q.path.name)
        os.replace(staged, dest_root / top)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    installed = _read_package(dest_root / top)
    assert installed is not None
    log.info("installed argos %s %s into %s", installed.pair, installed.version, installed.path)
    return installed


def fetch_index(timeout: float = INDEX_TIMEOUT_S) -> list[dict[str, Any]]:
    """The package index (one GET with a short timeout); EngineError when unreachable."""
    url = index_url() + "index.json"
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:  # noqa: S310 - http(s) index
            data = json.loads(resp.read())
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        raise EngineError(f"cannot read the argos package index {url}: {reason}",
                          hint="offline? install a downloaded file instead: "
                               "toolkit models install path/to/file.argosmodel") from None
    if not isinstance(data, list):
        raise EngineError(f"argos package index {url} is not a JSON list")
    return [d for d in data if isinstance(d, dict)]


def install_from_index(src: str, tgt: str, *, timeout: float = INDEX_TIMEOUT_S) -> PackageInfo:
    """Download and install the ``src`` → ``tgt`` package named by the index."""
    entries = fetch_index(timeout)
    wanted = [(s, t) for s in argos_code(src) for t in argos_code(tgt)]
    entry = next((e for pair in wanted for e in entries
                  if (e.get("from_code"), e.get("to_code")) == pair and e.get("type", "translate") == "translate"),
                 None)
    if entry is None:
        raise EngineError(f"the argos package index has no {src} → {tgt} package",
                          hint="toolkit models list shows what is installed; apertium may cover the pair")
    links = [link for link in entry.get("links") or [] if str(link).startswith(("http://", "https://"))]
    if not links:
        raise EngineError(f"the argos index entry for {src} → {tgt} has no download link")
    root = packages_dir()
    root.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=".toolkit-download-", suffix=".argosmodel", dir=root.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        last: Exception | None = None
        for link in links:
            try:
                with urllib.request.urlopen(link, timeout=max(timeout, 30)) as resp, tmp.open("wb") as fh:  # noqa: S310
                    shutil.copyfileobj(resp, fh)
                last = None
                break
            except (urllib.error.URLError, OSError) as exc:
                last = exc
        if last is not None:
            raise EngineError(f"cannot download the {src} → {tgt} package: {getattr(last, 'reason', last)}")
        return install_file(tmp)
    finally:
        tmp.unlink(missing_ok=True)


def remove(src: str, tgt: str) -> list[PackageInfo]:
    """Remove the installed package(s) for ``src`` → ``tgt``; EngineError when none."""
    pairs = {(s, t) for s in argos_code(src) for t in argos_code(tgt)}
    victims = [p for p in installed_packages() if (p.from_code, p.to_code) in pairs]
    if not victims:
        raise EngineError(f"no argos {src} → {tgt} package is installed", hint="see: toolkit models list")
    for p in victims:
        # rename out of the packages folder first so argos never sees a half-deleted package
        tmp = Path(tempfile.mkdtemp(prefix=".toolkit-remove-", dir=p.path.parent.parent))
        os.replace(p.path, tmp / p.path.name)
        shutil.rmtree(tmp, ignore_errors=True)
    return victims
