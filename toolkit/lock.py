"""One run at a time per show: the lock ``<show>/.toolkit/lock``.

``toolkit publish`` (whole show or one episode) and ``toolkit translations
import`` / ``export`` take the show's lock for as long as they read and rewrite
the show's files (``feeds/``, ``translations/``, the caches).  A second run on
the same show waits up to :data:`DEFAULT_WAIT` seconds (``$TOOLKIT_LOCK_WAIT``),
then stops with a :class:`~toolkit.errors.LockError` naming the holder (its
process id, command and start time, which the holder writes into the lock
file).

The lock is an advisory ``flock`` on the open file: the operating system drops
it when the holding process ends in any way (a crash, ``kill -9``, a power cut
ends all of them), so a lock left by a dead process never blocks -- the file may
remain, with the dead holder's details, and is simply taken over.

While a run holds the lock, temporary files of atomic writes go to
``.toolkit/tmp/`` (:func:`toolkit.fsutil.temp_area`), never into ``feeds/``;
whatever an interrupted run left there (or, from older versions, beside its
targets in ``feeds/`` and ``translations/``) is removed when the next run takes
the lock, and listed in a warning.

The lock is re-entrant within a process (``publish_show`` → ``publish_episode``).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import IO

from . import fsutil
from .errors import LockError

log = logging.getLogger(__name__)

__all__ = ["LOCK_FILE", "DEFAULT_WAIT", "show_lock", "holder"]

LOCK_FILE = Path(".toolkit") / "lock"
DEFAULT_WAIT = 60.0
_POLL = 0.1

_held: dict[str, tuple[IO[str], int]] = {}


def _wait_seconds(wait: float | None) -> float:
    if wait is not None:
        return wait
    try:
        return max(0.0, float(os.environ.get("TOOLKIT_LOCK_WAIT", DEFAULT_WAIT)))
    except ValueError:
        return DEFAULT_WAIT


def _try_lock(fh: IO[str]) -> bool:
    if sys.platform == "win32":  # pragma: no cover - the toolkit runs on POSIX; kept for completeness
        import msvcrt

        try:
            msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False
    import fcntl

    try:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False


def _unlock(fh: IO[str]) -> None:
    if sys.platform == "win32":  # pragma: no cover
        import msvcrt

        fh.seek(0)
        msvcrt.locking(fh.fileno(), msvcrt.LK_UNLCK, 1)
        return
    import fcntl

    fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


def holder(path: Path) -> str:
    """What the lock file says about the run holding it (``pid 123, toolkit publish, since …``)."""
    try:
        info = json.loads(path.read_text(encoding="utf-8") or "{}")
    except (OSError, ValueError):
        info = {}
    if not isinstance(info, dict) or "pid" not in info:
        return "another toolkit run (it did not record itself)"
    return f"pid {info.get('pid')} ({info.get('command', 'toolkit')}), since {info.get('started', '?')}"


def _command() -> str:
    args = [a for a in sys.argv[1:] if a]
    return " ".join(["toolkit", *args])[:200]


@contextmanager
def show_lock(root: str | os.PathLike[str], *, wait: float | None = None) -> Iterator[Path]:
    """Hold the lock of the show at ``root`` (waiting up to ``wait`` seconds);
    yields the lock file's path.  Re-entrant within the process."""
    root_path = Path(root).resolve()
    key = str(root_path)
    if key in _held:
        fh, depth = _held[key]
        _held[key] = (fh, depth + 1)
        try:
            yield root_path / LOCK_FILE
        finally:
            fh, depth = _held[key]
            _held[key] = (fh, depth - 1)
        return
    path = root_path / LOCK_FILE
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fh = open(path, "a+", encoding="utf-8")  # noqa: SIM115 - held until the context ends
    except OSError as exc:
        raise LockError(f"cannot open the show's lock file ({exc.strerror or exc})", path=path) from None
    limit = _wait_seconds(wait)
    start = time.monotonic()
    announced = False
    while not _try_lock(fh):
        waited = time.monotonic() - start
        if waited >= limit:
            who = holder(path)
            fh.close()
            raise LockError(f"another toolkit run is working on this show: {who}; waited {limit:g} s",
                            path=path, hint="let it finish, then run again; TOOLKIT_LOCK_WAIT=<seconds> waits longer")
        if not announced:
            log.warning("%s: waiting for %s to finish (up to %g s)", path, holder(path), limit)
            announced = True
        time.sleep(min(_POLL, max(0.0, limit - waited)))
    try:
        fh.seek(0)
        fh.truncate()
        fh.write(json.dumps({"pid": os.getpid(), "command": _command(),
                             "started": dt.datetime.now().astimezone().isoformat(timespec="seconds")}))
        fh.flush()
        _held[key] = (fh, 1)
        with ExitStack() as stack:
            stack.enter_context(fsutil.temp_area(root_path, root_path / ".toolkit" / "tmp"))
            removed = fsutil.sweep_temps(root_path)
            if removed:
                shown = ", ".join(_shown(p, root_path) for p in removed[:10])
                log.warning("removed %d temporary file(s) left by an interrupted run: %s%s", len(removed),
                            shown, ", …" if len(removed) > 10 else "")
            yield path
    finally:
        _held.pop(key, None)
        try:
            fh.seek(0)
            fh.truncate()
            fh.flush()
            _unlock(fh)
        finally:
            fh.close()


def _shown(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)
