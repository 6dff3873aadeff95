"""A worker opens the translation memory once per process (issue 14):
``PendingMemory.for_task`` keeps the read-only connection between tasks, with a
fresh ``pending`` per task, and still sees what the coordinator commits meanwhile,
and a file replaced, deleted or created since."""

from __future__ import annotations

import os
import threading
from pathlib import Path

from toolkit.translate.memory import PendingMemory, TranslationMemory

KEY = ("apertium", "m1", "en", "es")


def test_one_connection_per_process_a_fresh_pending_per_task(tmp_path: Path) -> None:
    path = tmp_path / ".toolkit" / "memory.sqlite"
    with TranslationMemory(path) as coordinator:
        coordinator.store(*KEY, {"hello": "hola"})
        first = PendingMemory.for_task(path)
        db = first._db
        assert first.lookup(*KEY, ["hello", "bye"]) == {"hello": "hola"}
        first.store(*KEY, {"bye": "adiós"})
        made = list(first.pending)
        first.close()  # the end of a task: the connection is kept for the next one
        assert made == [("apertium", "en", "es", (("m1", "bye", "adiós"),))]

        second = PendingMemory.for_task(path)
        assert second is first and second._db is db
        assert second.pending == []  # the last task's entries went back with it
        assert second.lookup(*KEY, ["bye"]) == {}  # ... and are not this task's
        # what the coordinator committed since is read: nothing stale
        coordinator.store(*KEY, {"bye": "adiós"})
        assert second.lookup(*KEY, ["hello", "bye"]) == {"hello": "hola", "bye": "adiós"}
        second.close()


def test_a_replaced_deleted_or_new_file_is_opened_again(tmp_path: Path) -> None:
    path = tmp_path / ".toolkit" / "memory.sqlite"
    absent = PendingMemory.for_task(path)  # no memory yet: an empty one, not kept
    assert absent.lookup(*KEY, ["hello"]) == {}
    absent.close()
    with TranslationMemory(path) as tm:
        tm.store(*KEY, {"hello": "hola"})
    view = PendingMemory.for_task(path)
    assert view is not absent and view.lookup(*KEY, ["hello"]) == {"hello": "hola"}
    view.close()
    # the file set aside and a new memory started (as the coordinator does with a damaged one)
    other = tmp_path / "other.sqlite"
    with TranslationMemory(other) as tm:
        tm.store(*KEY, {"hello": "buenas"})
    os.replace(other, path)
    again = PendingMemory.for_task(path)
    assert again is not view and again.lookup(*KEY, ["hello"]) == {"hello": "buenas"}
    again.close()
    path.unlink()
    gone = PendingMemory.for_task(path)
    assert gone.lookup(*KEY, ["hello"]) == {}
    gone.close()


def test_each_thread_has_its_own_connection(tmp_path: Path) -> None:
    """A Dask worker may run tasks on several threads; an SQLite connection stays in its thread."""
    path = tmp_path / ".toolkit" / "memory.sqlite"
    with TranslationMemory(path) as tm:
        tm.store(*KEY, {"hello": "hola"})
    here = PendingMemory.for_task(path)
    seen: list[object] = []

    def task() -> None:
        view = PendingMemory.for_task(path)
        seen.append(view.lookup(*KEY, ["hello"]))
        seen.append(view)
        view.close()

    thread = threading.Thread(target=task)
    thread.start()
    thread.join()
    assert seen[0] == {"hello": "hola"} and seen[1] is not here
    here.close()
