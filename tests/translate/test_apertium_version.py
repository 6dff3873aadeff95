"""The apertium model version read from dpkg's database files (no subprocess)
must be what ``dpkg-query`` says."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from toolkit.translate import apertium


@pytest.mark.apertium
def test_version_from_dpkg_files_equals_dpkg_query():
    if shutil.which("dpkg-query") is None:
        pytest.skip("not a dpkg system")
    modes = apertium.installed_modes()
    if not modes:
        from support.tools import skip_or_fail

        skip_or_fail("apertium is not installed (apt-get install apertium apertium-eng-spa)")
    for mode in modes:
        path = apertium.MODES_DIR / f"{mode}.mode"
        owner = subprocess.run(["dpkg-query", "-S", str(path)], capture_output=True, text=True,
                               check=False).stdout.split(":", 1)[0].strip()
        if not owner:  # a pair built from source: dpkg knows nothing, both paths fall back
            assert apertium._dpkg_version(mode, path) is None
            continue
        expected = subprocess.run(["dpkg-query", "-W", "-f", "${Version}", owner], capture_output=True,
                                  text=True, check=True).stdout.strip()
        assert apertium._dpkg_version(mode, path) == expected, mode
        assert apertium._dpkg_query_version(path) == expected
        apertium._mode_version.cache_clear()
        assert apertium._mode_version(mode) == expected


STATUS = """\
Package: apertium-eng-spa
Status: deinstall ok config-files
Architecture: amd64
Version: 0.7.0-1

Package: apertium-eng-spa-extra
Status: install ok installed
Version: 9.9

Package: apertium-eng-spa
Status: install ok installed
Architecture: all
Description: English-Spanish
 Version: not a field (continuation line)
Version: 0.8.1-2
"""


def _fake_dpkg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, status: str, lists: dict[str, str]) -> None:
    (tmp_path / "info").mkdir()
    (tmp_path / "status").write_text(status, encoding="utf-8")
    for name, text in lists.items():
        (tmp_path / "info" / name).write_text(text, encoding="utf-8")
    monkeypatch.setattr(apertium, "DPKG_DIR", tmp_path)


def test_status_parser_takes_the_installed_block(tmp_path, monkeypatch):
    mode = apertium.MODES_DIR / "spa-eng_US.mode"
    _fake_dpkg(tmp_path, monkeypatch, STATUS, {"apertium-eng-spa.list": f"/usr/share\n{mode}\n"})
    assert apertium._dpkg_version("spa-eng_US", mode) == "0.8.1-2"  # the reverse pair's package owns it


def test_unowned_mode_file_is_none(tmp_path, monkeypatch):
    mode = apertium.MODES_DIR / "eng-spa.mode"
    _fake_dpkg(tmp_path, monkeypatch, STATUS, {"apertium-eng-spa.list": "/usr/share/doc\n"})
    assert apertium._dpkg_version("eng-spa", mode) is None


def test_owned_but_not_installed_is_none(tmp_path, monkeypatch):
    mode = apertium.MODES_DIR / "eng-cat.mode"
    status = "Package: apertium-eng-cat\nStatus: deinstall ok config-files\nVersion: 1.0\n"
    _fake_dpkg(tmp_path, monkeypatch, status, {"apertium-eng-cat.list": f"{mode}\n"})
    assert apertium._dpkg_version("eng-cat", mode) is None
