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
