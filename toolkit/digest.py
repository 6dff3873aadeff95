"""Content digests the caches key on: a file by its bytes, and the toolkit's own code.

The keys of :mod:`toolkit.cache` (every recipe in :mod:`toolkit.cache.keys`)
must never match a result that the current code or inputs would not produce.
Keying on the version string is not enough during development, so each key
also covers a digest of the source files whose code decides its result.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import os
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent


def package_file(package: str, *parts: str) -> Path | None:
    """Where a data file of the installed top-level ``package`` is, **without importing it**
    (None when the package is not installed).  ``importlib.resources.files`` imports the
    package: for ``silero_vad`` that is its ``__init__``, which imports torch -- 2.5-5 s and
    hundreds of MB in every publish process and every worker, only to find a model file."""
    try:
        spec = importlib.util.find_spec(package)
    except (ImportError, ValueError):
        return None
    folders = list(spec.submodule_search_locations or ()) if spec is not None else []
    return Path(folders[0], *parts) if folders else None


def stat_identity(st: os.stat_result) -> tuple[int, int, int, int, int]:
    """What tells one version of a file from another without reading it: device, inode
    (a replacement by rename is a new inode), size, mtime and ctime (a rewrite that keeps
    the size and puts the mtime back still changes the ctime).  The key of every
    "read once per unchanged file" cache."""
    return st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns


def file_sha256(path: str | os.PathLike[str]) -> str:
    """SHA-256 of a file's bytes, computed once per process for an unchanged file."""
    return _sha256_of(str(Path(path).resolve()), stat_identity(os.stat(path)))


@functools.lru_cache(maxsize=256)
def _sha256_of(path: str, _identity: tuple[int, int, int, int, int]) -> str:
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


@functools.lru_cache(maxsize=16)
def code_digest(*parts: str) -> str:
    """SHA-256 over every file of the named package parts (modules or folders,
    relative to the ``toolkit`` package; templates included), ≈ 1 ms once per process.

    A part that does not exist raises ``FileNotFoundError``: a misspelt part
    would otherwise silently drop that code from the key.
    """
    digest = hashlib.sha256()
    for name in parts:
        target = PACKAGE / name
        if not target.exists():
            raise FileNotFoundError(f"code_digest: no {target}")
        files = [target] if target.is_file() else sorted(
            p for p in target.rglob("*") if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc")
        for f in files:
            digest.update(f.relative_to(PACKAGE).as_posix().encode() + b"\0" + f.read_bytes() + b"\0")
    return digest.hexdigest()
