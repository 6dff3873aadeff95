"""argostranslate package management, separate from translating (``toolkit models``).

Where packages live (the user's ``XDG_*_HOME`` / ``ARGOS_PACKAGES_DIR``
honoured), what is installed (read from each package's ``metadata.json``,
without importing argostranslate), the index (fetched with a short timeout:
argostranslate itself retries for 78 s offline, then raises RecursionError),
installing an archive (validated, extracted beside the packages folder and
renamed into place, so a corrupt file installs nothing) and removing one.

The engine that translates with these packages is :mod:`toolkit.translate.argos`.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import shutil
import tempfile
import urllib.error
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import EngineError, InputError

log = logging.getLogger(__name__)

DEFAULT_INDEX = "https://raw.githubusercontent.com/argosopentech/argospm-index/main/"
INDEX_TIMEOUT_S = 10.0
# Codes argos uses where they differ from BCP 47 (zt = Traditional Chinese, pb = Brazilian Portuguese).
_ARGOS_CODES = {"zh-Hant": "zt", "zh-TW": "zt", "zh-HK": "zt", "pt-BR": "pb"}


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


#: The last scan of each packages folder in this process: (its signature, what it found).
_SCANS: dict[str, tuple[tuple[object, ...], list[PackageInfo]]] = {}


def _stat_key(path: str) -> tuple[int, int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_ino, st.st_size, st.st_mtime_ns)


def _signature(root: str) -> tuple[object, ...] | None:
    """What a scan of ``root`` reads, cheaply (stats only): every folder's name and the
    identity, size and mtime of its ``metadata.json`` and ``model/model.bin`` (what the
    fingerprint covers); None when ``root`` is not a folder."""
    try:
        with os.scandir(root) as it:
            folders = sorted(e.name for e in it if e.is_dir())
    except OSError:
        return None
    return tuple((name, _stat_key(os.path.join(root, name, "metadata.json")),
                  _stat_key(os.path.join(root, name, "model", "model.bin"))) for name in folders)


def installed_packages() -> list[PackageInfo]:
    """Installed translate packages, sorted by pair.

    Called on every republish for every episode and language (an engine's model
    version is part of the memory and cache keys), so a folder is read again only
    when its signature (:func:`_signature`: stats, no reads) has changed since this
    process last read it: a package installed, removed, or its metadata or model
    replaced."""
    root = packages_dir()
    signature = _signature(str(root))
    if signature is None:
        return []
    seen = _SCANS.get(str(root))
    if seen is not None and seen[0] == signature:
        return list(seen[1])
    found = [p for d in sorted(root.iterdir()) if d.is_dir() and (p := _read_package(d))]
    found.sort(key=lambda p: (p.from_code, p.to_code, p.path.name))
    _SCANS[str(root)] = (signature, found)
    return list(found)


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
