"""The installed argos packages are read once per process while nothing changes
(issue 14: a republish asks for a model version per episode and language), and
read again as soon as a package is installed, removed or replaced."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from toolkit.translate import packages


def _package(root: Path, to: str, version: str = "1.0") -> Path:
    folder = root / f"translate-en_{to}-{version.replace('.', '_')}"
    (folder / "model").mkdir(parents=True)
    (folder / "metadata.json").write_text(json.dumps({"from_code": "en", "to_code": to,
                                                      "package_version": version}), encoding="utf-8")
    (folder / "model" / "model.bin").write_bytes(b"weights")
    return folder


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "packages"
    folder.mkdir()
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(folder))
    return folder


def test_an_unchanged_folder_is_not_read_again(root: Path) -> None:
    meta = _package(root, "de") / "metadata.json"
    first = packages.find_package("en", "de")
    assert first is not None and first.version == "1.0"
    # the same bytes count, inode and mtime: the signature is unchanged, so the file is not re-read
    st = meta.stat()
    data = meta.read_bytes()
    with open(meta, "r+b") as f:  # in place: the same inode
        f.write(data.replace(b'"1.0"', b'"9.9"'))
    assert meta.stat().st_size == st.st_size and b"9.9" in meta.read_bytes()
    os.utime(meta, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert packages.find_package("en", "de") == first


def test_installed_removed_and_replaced_packages_are_seen(root: Path) -> None:
    de = _package(root, "de")
    assert [p.pair for p in packages.installed_packages()] == ["en-de"]
    _package(root, "fr")
    assert [p.pair for p in packages.installed_packages()] == ["en-de", "en-fr"]
    shutil.rmtree(de)
    assert packages.find_package("en", "de") is None
    de = _package(root, "de", "1.1")  # a new version (another folder)
    assert (found := packages.find_package("en", "de")) is not None and found.version == "1.1"
    # the same folder, the metadata rewritten (a new inode): the new version
    meta = de / "metadata.json"
    fresh = de / "metadata.json.new"
    fresh.write_text(json.dumps({"from_code": "en", "to_code": "de", "package_version": "1.2"}), encoding="utf-8")
    os.replace(fresh, meta)
    assert (found := packages.find_package("en", "de")) is not None and found.version == "1.2"
    # the model replaced without a version bump: a new fingerprint (so a new memory key)
    before = found.fingerprint
    model = de / "model" / "model.bin"
    model.write_bytes(b"other weights")
    assert (found := packages.find_package("en", "de")) is not None and found.fingerprint != before
    shutil.rmtree(root)
    assert packages.installed_packages() == []
