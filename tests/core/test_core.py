"""Errors, atomic writes and language codes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from toolkit import fsutil, langs
from toolkit.errors import ConfigError, InputError


def test_error_message_names_file_line_and_cue() -> None:
    assert str(InputError("end before start", path="a.srt", line=3)) == "a.srt:3: end before start"
    assert str(InputError("empty", path="x.vtt", cue="c1")) == "x.vtt: cue c1: empty"
    assert str(ConfigError("bad", hint="do this")) == "bad (do this)"


def test_write_is_atomic_and_skips_identical(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "f.txt"
    assert fsutil.write_text(target, "one\n") is True
    mtime = target.stat().st_mtime_ns
    assert fsutil.write_text(target, "one\n") is False
    assert target.stat().st_mtime_ns == mtime
    assert fsutil.write_text(target, "two\n") is True
    assert target.read_text() == "two\n"
    assert [p.name for p in target.parent.iterdir()] == ["f.txt"]  # no temp files left


def test_a_write_said_to_be_new_is_not_compared_and_still_atomic(tmp_path: Path) -> None:
    target = tmp_path / "f.txt"
    target.write_bytes(b"same")
    before = target.stat().st_ino
    # wrongly told "new": the identical file is written again (a new inode), nothing else happens
    assert fsutil.write_bytes(target, b"same", new=True) is True
    assert target.stat().st_ino != before and target.read_bytes() == b"same"
    assert fsutil.write_bytes(target, b"same") is False
    assert [p.name for p in tmp_path.iterdir()] == ["f.txt"]


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_a_forked_process_draws_other_temp_names(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Temp names come from a per-process generator: a forked child (a worker of the
    pool) is reseeded, so it does not retry the names its parent tries next."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: its next name, then exit at once
        os.write(write, f"{fsutil._names.getrandbits(64):016x}".encode())
        os._exit(0)
    os.close(write)
    child = os.read(read, 64).decode()
    os.close(read)
    os.waitpid(pid, 0)
    assert len(child) == 16 and child != f"{fsutil._names.getrandbits(64):016x}"
    made: list[str] = []
    real = os.open

    def spy(path: str, *args: object) -> int:
        made.append(os.path.basename(path))
        return real(path, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", spy)
    fsutil.write_bytes(tmp_path / "a.txt", b"x")
    monkeypatch.undo()
    assert fsutil.is_temp_name(made[0]) and made[0].startswith(".a.txt.")


def test_failed_write_leaves_old_file_intact(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "f.txt"
    target.write_text("precious\n")

    def boom(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError):
        fsutil.write_text(target, "half")
    assert target.read_text() == "precious\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f.txt"]


def test_copy_file(tmp_path: Path) -> None:
    src = tmp_path / "a.bin"
    src.write_bytes(b"x" * 5000)
    dst = tmp_path / "out" / "a.bin"
    assert fsutil.copy_file(src, dst) is True
    assert fsutil.copy_file(src, dst) is False
    assert dst.read_bytes() == src.read_bytes()


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [("en", "en"), ("pt_br", "pt-BR"), ("zh-hant", "zh-Hant"), ("sr-latn-rs", "sr-Latn-RS"), ("ES", "es")],
)
def test_language_codes_normalised(raw: str, canonical: str) -> None:
    assert langs.normalize(raw) == canonical


@pytest.mark.parametrize("bad", ["english", "e", "xx", "en-", "en-123456", ""])
def test_bad_language_codes(bad: str) -> None:
    with pytest.raises(ConfigError):
        langs.normalize(bad)


def test_native_names() -> None:
    assert langs.native_name("es") == "español"
    assert langs.native_name("fr") == "français"
