"""Atomic, reproducible file output.

Every file the toolkit writes goes through :func:`write_text` or
:func:`write_bytes`: the content is written to a temporary file, flushed, then
renamed over the target, so a crash or an error never leaves a half-written
file.  A file whose content is unchanged is not touched (its mtime stays),
which keeps rebuilds cheap and byte-identical.

Where the temporary file lives: beside the target, unless a :func:`temp_area`
covers the target -- the show's lock (:mod:`toolkit.lock`) makes
``<show>/.toolkit/tmp/`` the temp area of everything under the show, so a run
killed between writing and renaming leaves nothing in ``feeds/`` (which is
uploaded as it is).  :func:`sweep_temps` removes what interrupted runs left.
A target on another file system than its temp area is staged beside itself.
"""

from __future__ import annotations

import errno
import os
import random
import re
import shutil
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["write_bytes", "write_text", "copy_file", "temp_area", "sweep_temps", "is_temp_name",
           "deferred_sync", "TEMP_AREA"]

#: The temp area of a show, relative to its folder.
TEMP_AREA = Path(".toolkit") / "tmp"
#: Temporary names of atomic writes, ``.<name>.<8 random characters>.tmp`` (:func:`_mkstemp`).
_TEMP_NAME = re.compile(r"^\..+\.[a-z0-9_]{8}\.tmp$")
_areas: list[tuple[Path, Path, str]] = []  # (scope, temp folder, scope as given), innermost last
_deferred: list[tuple[Path, str]] = []  # scopes whose writes are not fsynced one by one, as given too
_unsynced = [0]  # writes under a deferred scope since its start
#: Temporary names come from a per-process generator, as :mod:`tempfile`'s do: they only need to be
#: unlikely to collide (``O_EXCL`` makes a collision a retry), and one ``getrandom`` system call per
#: file cost ~4 % of writing an episode's files (4 A/B pairs).  Reseeded from the OS in a forked child.
_names = random.Random()
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_names.seed)


def is_temp_name(name: str) -> bool:
    """True for the name of a temporary file of an atomic write (``.feed.xml.k3j9x_2a.tmp``)."""
    return _TEMP_NAME.match(name) is not None


@contextmanager
def temp_area(scope: str | os.PathLike[str], folder: str | os.PathLike[str]) -> Iterator[Path]:
    """While active, atomic writes to targets under ``scope`` stage in ``folder``."""
    entry = (Path(scope).resolve(), Path(folder).resolve(), os.path.abspath(scope))
    _areas.append(entry)
    try:
        yield entry[1]
    finally:
        _areas.remove(entry)


@contextmanager
def deferred_sync(*scopes: str | os.PathLike[str]) -> Iterator[None]:
    """While active, atomic writes under ``scopes`` (what can be regenerated: the
    generated site, the caches) skip their per-file ``fsync``; on a clean exit
    one ``os.sync()`` makes them durable together.  Writes anywhere else (the
    translations stores, human corrections) are still fsynced file by file.
    Atomicity is unchanged: every file is still written aside and renamed."""
    entries = [(Path(s).resolve(), os.path.abspath(s)) for s in scopes]
    _deferred.extend(entries)
    before = _unsynced[0]
    try:
        yield
    finally:
        for entry in entries:
            _deferred.remove(entry)
    if _unsynced[0] != before and hasattr(os, "sync"):
        os.sync()


def _lexical_parent(target: str) -> str | None:
    """The target's folder as written, when it is absolute and has no ``.``/``..`` part
    (then being under a scope as written means being under it)."""
    parent = os.path.dirname(target)
    if not os.path.isabs(parent) or any(part in (".", "..") for part in parent.split(os.sep)):
        return None
    return parent


def _under(folder: str, top: str) -> bool:
    return folder == top or folder.startswith(top.rstrip(os.sep) + os.sep)


def _innermost(target: str, scopes: list[tuple[Path, str]]) -> int | None:
    """Index of the innermost scope holding ``target``'s folder: compared as
    written first (no system call), then with symlinks resolved."""
    lexical = _lexical_parent(target)
    if lexical is not None:
        for k in range(len(scopes) - 1, -1, -1):
            if _under(lexical, scopes[k][1]):
                return k
    real = os.path.realpath(os.path.dirname(target) or ".")
    for k in range(len(scopes) - 1, -1, -1):
        if _under(real, str(scopes[k][0])):
            return k
    return None


def _durable_each(target: str) -> bool:
    """False when ``target`` is under a :func:`deferred_sync` scope (counted for its one sync)."""
    if _deferred and _innermost(target, _deferred) is not None:
        _unsynced[0] += 1
        return False
    return True


def _temp_folder(target: str) -> str:
    k = _innermost(target, [(scope, given) for scope, _folder, given in _areas]) if _areas else None
    return str(_areas[k][1]) if k is not None else (os.path.dirname(target) or ".")


def _make_folder(folder: str) -> None:
    try:
        os.mkdir(folder)
    except FileExistsError:
        pass
    except FileNotFoundError:
        os.makedirs(folder, exist_ok=True)


def sweep_temps(root: str | os.PathLike[str]) -> list[Path]:
    """Remove what interrupted runs left under the show folder ``root``: every
    file in ``.toolkit/tmp/`` and temp-named files (:func:`is_temp_name`) in
    ``feeds/`` and ``translations/``.  Returns what was removed.  (Other
    folders of ``.toolkit/`` are left alone: ``toolkit check`` writes its cache
    there without the show's lock.)"""
    base = Path(root)
    removed: list[Path] = []
    area = base / TEMP_AREA
    if area.is_dir():
        for path in sorted(area.iterdir()):
            if path.is_file() or path.is_symlink():
                path.unlink(missing_ok=True)
                removed.append(path)
    for sub in ("feeds", "translations"):
        folder = base / sub
        if folder.is_dir():
            for path in sorted(folder.rglob(".*.tmp")):
                if is_temp_name(path.name) and (path.is_file() or path.is_symlink()):
                    path.unlink(missing_ok=True)
                    removed.append(path)
    return removed


def _mkstemp(folder: str, name: str) -> tuple[int, str]:
    """Create ``folder/.<name>.<8 random characters>.tmp`` (exclusively, mode 0600), as
    :func:`tempfile.mkstemp` does, without its per-call overhead."""
    while True:
        path = os.path.join(folder, f".{name}.{_names.getrandbits(32):08x}.tmp")
        try:
            return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o600), path
        except FileExistsError:
            continue


@contextmanager
def _atomic_target(path: str | os.PathLike[str]) -> Iterator[tuple[int, str]]:
    """Yield ``(fd, path)`` of a temporary file (in the temp area covering
    ``path``, else beside it), open for writing; on success close it (after
    an fsync unless the target is under a :func:`deferred_sync` scope) and
    rename it over ``path`` (atomic on POSIX), on any error remove it and
    re-raise.  Missing folders are made when the file system says so (the
    temp file's open or the rename fails with ENOENT), not checked before
    each file: a site is thousands of files in a few folders."""
    target = os.fspath(path)
    parent = os.path.dirname(target) or "."
    name = os.path.basename(target)
    durable = _durable_each(target)
    folder = _temp_folder(target)
    try:
        fd, tmp = _mkstemp(folder, name)
    except FileNotFoundError:
        _make_folder(folder)
        fd, tmp = _mkstemp(folder, name)
    staged: str | None = None
    try:
        try:
            yield fd, tmp
            os.fchmod(fd, 0o644)
            if durable:
                os.fsync(fd)
        finally:
            os.close(fd)
        try:
            _replace(tmp, target, parent)
        except OSError as exc:
            if exc.errno != errno.EXDEV:
                raise
            # the temp area is on another file system: stage beside the target instead
            fd2, staged = _mkstemp(parent, name)
            os.close(fd2)
            shutil.copyfile(tmp, staged)
            os.chmod(staged, 0o644)
            os.replace(staged, target)
            staged = None
            os.unlink(tmp)
    except BaseException:
        for leftover in (tmp, staged):
            if leftover is not None:
                try:
                    os.unlink(leftover)
                except FileNotFoundError:
                    pass
        raise


def _replace(tmp: str, target: str, parent: str) -> None:
    """``os.replace``, making the target's folder first when the rename says it is missing."""
    try:
        os.replace(tmp, target)
    except FileNotFoundError:
        if os.path.isdir(parent) or not os.path.exists(tmp):
            raise
        _make_folder(parent)
        os.replace(tmp, target)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def write_bytes(path: str | os.PathLike[str], data: bytes, *, new: bool = False) -> bool:
    """Atomically write ``data`` to ``path``; return False if it was already identical.

    ``new``: the caller knows there is no file at ``path`` (it is in a folder that did not
    exist when the caller started), so no comparison is tried -- a failed ``stat`` per file cost
    ~8 % of writing a new episode's folder.  Were there one after all, it is replaced."""
    target = os.fspath(path)
    if not new:
        try:
            st = os.stat(target)
            if stat.S_ISREG(st.st_mode) and st.st_size == len(data) and _read(target) == data:
                return False
        except OSError:
            pass
    with _atomic_target(target) as (fd, _tmp):
        _write_all(fd, data)
    return True


def _read(path: str) -> bytes:
    with open(path, "rb") as f:
        return f.read()


def write_text(path: str | os.PathLike[str], text: str, *, newline: str = "\n") -> bool:
    """Atomically write UTF-8 text (``\\n`` line ends unless ``newline`` says otherwise)."""
    if newline != "\n":
        text = text.replace("\n", newline)
    return write_bytes(path, text.encode("utf-8"))


def copy_file(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> bool:
    """Atomically copy ``src`` to ``dst`` unless ``dst`` already has the same bytes.

    The copy takes the source's modification time, so a later call sees an
    unchanged copy from its metadata alone (same size and mtime, as rsync
    decides) instead of reading both files -- an hour of audio is ~60 MB; any
    other ``dst`` of the same size is compared byte for byte."""
    src_p, dst_p = Path(src), Path(dst)
    try:
        src_st = src_p.stat()
        if dst_p.is_file():
            dst_st = dst_p.stat()
            if dst_st.st_size == src_st.st_size and (
                    dst_st.st_mtime_ns == src_st.st_mtime_ns or _same_content(src_p, dst_p)):
                return False
    except OSError:
        pass
    with _atomic_target(dst_p) as (fd, _tmp):
        with open(src_p, "rb") as fh:
            while chunk := fh.read(1 << 20):
                _write_all(fd, chunk)
        os.utime(fd, ns=(src_st.st_atime_ns, src_st.st_mtime_ns))  # the source's mtime, as shutil.copy2 gives
    return True


def _same_content(a: Path, b: Path, chunk: int = 1 << 20) -> bool:
    with a.open("rb") as fa, b.open("rb") as fb:
        while True:
            x, y = fa.read(chunk), fb.read(chunk)
            if x != y:
                return False
            if not x:
                return True
