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


def test_recipe_keyer_covers_every_input_once_and_travels_to_workers() -> None:
    """Recipe.keyer: the shared inputs serialised once, the rest per key -- still exactly the
    recipe's inputs (a missing or unknown one is refused), every input in the digest, and the
    key function picklable (show pages render on the worker pool)."""
    import pickle  # noqa: PLC0415  # reason: only this test sends a keyer through pickle

    from toolkit.cache import keys  # noqa: PLC0415  # reason: the cache layer's recipes, for this test only

    row = keys.SHOW_ROW.keyer(show="s", templates=None, lang="es", prefix="../", with_pseudo=False)
    one = row(first=False, entry="e1")
    assert one == row(first=False, entry="e1") == pickle.loads(pickle.dumps(row))(first=False, entry="e1")
    assert len({one, row(first=True, entry="e1"), row(first=False, entry="e2"),
                keys.SHOW_ROW.keyer(show="s", templates=None, lang="fr", prefix="../",
                                    with_pseudo=False)(first=False, entry="e1"),
                keys.SHOW_ROW.keyer(show="s", templates=None, lang="es", prefix="",
                                    with_pseudo=False)(first=False, entry="e1")}) == 5
    with pytest.raises(TypeError, match="missing inputs"):
        row(entry="e1")
    with pytest.raises(TypeError, match="unknown inputs"):
        row(first=False, entry="e1", extra=1)
    with pytest.raises(TypeError, match="unknown inputs"):
        keys.SHOW_ROW.keyer(colour="red")
