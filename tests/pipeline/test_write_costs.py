"""Issue 14, write costs through a real publish: the generated site and the caches
get one sync at the end, the translations store is fsynced file by file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from toolkit import config, pipeline

from pipeline_helpers import TIMED, copy_show


def test_a_publish_syncs_the_site_once_and_fsyncs_only_the_store(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    root = copy_show(tmp_path / "show")
    synced: list[str] = []
    calls = {"sync": 0}
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        synced.append(os.readlink(f"/proc/self/fd/{fd}"))
        real_fsync(fd)

    def sync() -> None:
        calls["sync"] += 1

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "sync", sync)
    show = config.load_show(root)
    pipeline.publish_one(show, TIMED, languages=["es"])
    site_files = [p for p in (root / "feeds").rglob("*") if p.is_file()]
    assert len(site_files) > 10
    assert calls["sync"] == 1
    # every per-file fsync was of a temp file staged for the translations store (none for feeds/ or caches)
    store = root / "translations"
    assert synced, "the translations store is written durably"
    assert all(".toolkit/tmp/.es." in s or "/translations/" in s for s in synced), synced
    assert (store / TIMED).is_dir() or any(store.rglob("*es*"))
    # nothing changed: a republish writes nothing, so nothing is synced
    synced.clear()
    calls["sync"] = 0
    pipeline.publish_one(config.load_show(root), TIMED, languages=["es"])
    assert calls["sync"] == 0 and synced == []


def test_the_progress_view_counts_episodes_done_failed_and_remaining(tmp_path: Path) -> None:
    from toolkit import catalogue

    root = copy_show(tmp_path / "show")
    (root / "episodes" / TIMED / "transcript.srt").write_text("1\n00:00:05,000 --> 00:00:01,000\nBackwards.\n",
                                                              encoding="utf-8")
    seen: dict[str, list] = {"total": [], "advance": []}

    def step(message: str) -> None:
        pass

    step.set_total = seen["total"].append  # type: ignore[attr-defined]
    step.advance = seen["advance"].append  # type: ignore[attr-defined]
    show = config.load_show(root)
    run = catalogue.publish_catalogue(show, languages=[], jobs=1, progress=step)
    n = len(config.load_episodes(show))
    assert [f.slug for f in run.failures] == [TIMED]
    assert seen["total"] == [n]
    assert len(seen["advance"]) == n
    last = seen["advance"][-1]
    assert f"{n - 1} published, 1 failed, 0 remaining" in last, last
    assert any(f"{TIMED}: failed" in m for m in seen["advance"])
