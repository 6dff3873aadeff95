"""Atomic, reproducible file output.

Every file the toolkit writes goes through :func:`write_text` or
:func:`write_bytes`: the content is written to a temporary file in the same
folder, flushed, then renamed over the target, so a crash or an error never
leaves a half-written file.  A file whose content is unchanged is not touched
(its mtime stays), which keeps rebuilds cheap and byte-identical.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def _atomic_target(target: Path) -> Iterator[str]:
    """Yield a temporary path beside ``target``; on success rename it over
    ``target`` (atomic on POSIX), on any error remove it and re-raise."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    try:
        yield tmp
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def write_bytes(path: str | os.PathLike[str], data: bytes) -> bool:
    """Atomically write ``data`` to ``path``; return False if it was already identical."""
    target = Path(path)
    try:
        if target.is_file() and target.stat().st_size == len(data) and target.read_bytes() == data:
            return False
    except OSError:
        pass
    with _atomic_target(target) as tmp, open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    return True


def write_text(path: str | os.PathLike[str], text: str, *, newline: str = "\n") -> bool:
    """Atomically write UTF-8 text (``\\n`` line ends unless ``newline`` says otherwise)."""
    if newline != "\n":
        text = text.replace("\n", newline)
    return write_bytes(path, text.encode("utf-8"))


def copy_file(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> bool:
    """Atomically copy ``src`` to ``dst`` unless ``dst`` already has the same bytes."""
    src_p, dst_p = Path(src), Path(dst)
    try:
        if dst_p.is_file() and dst_p.stat().st_size == src_p.stat().st_size and _same_content(src_p, dst_p):
            return False
    except OSError:
        pass
    with _atomic_target(dst_p) as tmp:
        shutil.copyfile(src_p, tmp)
    return True


def _same_content(a: Path, b: Path, chunk: int = 1 << 20) -> bool:
    with a.open("rb") as fa, b.open("rb") as fb:
        while True:
            x, y = fa.read(chunk), fb.read(chunk)
            if x != y:
                return False
            if not x:
                return True
