"""Digests the caches key on."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from toolkit import digest


def test_code_digest_covers_named_parts_and_rejects_unknown_ones() -> None:
    one = digest.code_digest("segment", "model.py")
    assert one == digest.code_digest("segment", "model.py")
    assert one != digest.code_digest("segment")
    with pytest.raises(FileNotFoundError):
        digest.code_digest("segment.py")  # the segmenter is a package: a typo must not drop it silently


def test_file_sha256_sees_a_same_size_edit_with_restored_mtime(tmp_path: Path) -> None:
    f = tmp_path / "a.mp3"
    f.write_bytes(b"a" * 100)
    st = f.stat()
    first = digest.file_sha256(f)
    f.write_bytes(b"b" * 100)
    os.utime(f, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert digest.file_sha256(f) != first
