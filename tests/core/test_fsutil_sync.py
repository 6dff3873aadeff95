"""Write costs (issue 14): the generated site and caches are synced once per publish,
not per file; what cannot be regenerated is still fsynced file by file; an
unchanged audio copy is recognised from its metadata."""

from __future__ import annotations

import os

import pytest

from toolkit import fsutil


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    calls = {"fsync": 0, "sync": 0}
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        calls["fsync"] += 1
        real_fsync(fd)

    def sync() -> None:
        calls["sync"] += 1

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "sync", sync)
    return calls


def test_writes_under_a_deferred_scope_share_one_sync(tmp_path, counted) -> None:
    site, store = tmp_path / "feeds", tmp_path / "translations"
    with fsutil.deferred_sync(site):
        for i in range(5):
            assert fsutil.write_text(site / "ep" / f"{i}.vtt", f"WEBVTT\n\n{i}\n")
        fsutil.copy_file(site / "ep" / "0.vtt", site / "copy.vtt")
        assert counted == {"fsync": 0, "sync": 0}
        fsutil.write_text(store / "es.vtt", "WEBVTT\n")  # not regenerable: durable at once
        fsutil.copy_file(store / "es.vtt", store / "backup.vtt")
        assert counted == {"fsync": 2, "sync": 0}
    assert counted["sync"] == 1
    assert (site / "ep" / "4.vtt").read_text() == "WEBVTT\n\n4\n"
    assert not list(tmp_path.rglob("*.tmp"))


def test_nothing_written_means_no_sync(tmp_path, counted) -> None:
    fsutil.write_text(tmp_path / "feeds" / "a.txt", "x")
    counted["fsync"] = 0
    with fsutil.deferred_sync(tmp_path / "feeds"):
        assert not fsutil.write_text(tmp_path / "feeds" / "a.txt", "x")  # unchanged: not touched
    assert counted == {"fsync": 0, "sync": 0}


def test_a_failed_run_is_not_synced_and_leaves_no_temp(tmp_path, counted) -> None:
    with pytest.raises(RuntimeError), fsutil.deferred_sync(tmp_path):
        fsutil.write_text(tmp_path / "a.txt", "x")
        raise RuntimeError("boom")
    assert counted["sync"] == 0
    with fsutil.deferred_sync(tmp_path):
        pass
    assert fsutil._deferred == []


def test_an_unchanged_copy_is_known_by_size_and_mtime(tmp_path, monkeypatch) -> None:
    src = tmp_path / "audio.mp3"
    src.write_bytes(os.urandom(4096))
    dst = tmp_path / "feeds" / "audio.mp3"
    assert fsutil.copy_file(src, dst)
    assert dst.stat().st_mtime_ns == src.stat().st_mtime_ns
    assert dst.read_bytes() == src.read_bytes()

    def no_reading(a, b):  # noqa: ANN001, ANN202
        raise AssertionError("compared bytes although size and mtime match")

    monkeypatch.setattr(fsutil, "_same_content", no_reading)
    assert not fsutil.copy_file(src, dst)
    monkeypatch.undo()
    # new bytes of the same size (and another mtime): copied again
    src.write_bytes(os.urandom(4096))
    os.utime(src, ns=(src.stat().st_atime_ns, dst.stat().st_mtime_ns + 10_000_000))
    assert fsutil.copy_file(src, dst)
    assert dst.read_bytes() == src.read_bytes()
    # a same-size file with another mtime but the same bytes is compared, not copied
    os.utime(dst, ns=(dst.stat().st_atime_ns, dst.stat().st_mtime_ns - 5_000_000_000))
    assert not fsutil.copy_file(src, dst)


def test_missing_folders_are_made_when_the_file_system_says_so(tmp_path) -> None:
    """Folders are not checked before each file; a missing one (never made, or removed
    between two writes) is made when the temp file's open or the rename finds it missing."""
    deep = tmp_path / "a" / "b" / "c" / "x.txt"
    assert fsutil.write_text(deep, "one\n")
    assert deep.read_text() == "one\n"
    for child in deep.parent.iterdir():
        child.unlink()
    deep.parent.rmdir()  # gone between two writes
    assert fsutil.write_text(deep, "two\n")
    assert deep.read_text() == "two\n"
    area = tmp_path / "show" / ".toolkit" / "tmp"
    target = tmp_path / "show" / "feeds" / "episodes" / "new" / "page.html"
    with fsutil.temp_area(tmp_path / "show", area):
        assert fsutil.write_bytes(target, b"<p>")  # the temp area made, then the target's folders
        assert not fsutil.write_bytes(target, b"<p>")  # unchanged: not rewritten
    assert target.read_bytes() == b"<p>" and oct(target.stat().st_mode & 0o777) == "0o644"
    assert list(area.iterdir()) == []  # the temp file was renamed, nothing left
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(NotADirectoryError):  # a file where a folder should be: an error, nothing written
        fsutil.write_text(blocker / "x.txt", "no\n")
    assert blocker.read_text() == ""
