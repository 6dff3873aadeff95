"""``toolkit models`` through the real CLI in subprocesses (argos reads its
settings at import, so every variant gets its own environment)."""

from __future__ import annotations

import http.server
import json
import os
import shutil
import subprocess
import sys
import threading
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def _env(tmp: Path, **extra: str) -> dict[str, str]:
    env = os.environ.copy()
    for var, sub in (("XDG_DATA_HOME", "data"), ("XDG_CONFIG_HOME", "config"), ("XDG_CACHE_HOME", "cache")):
        env[var] = str(tmp / sub)
    env["ARGOS_PACKAGES_DIR"] = str(tmp / "data" / "argos-translate" / "packages")
    env.update(extra)
    return env


def _toolkit(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "toolkit", "models", *args], capture_output=True, text=True,
                          env=env, cwd=REPO, timeout=60)


def _packages(env: dict[str, str]) -> list[str]:
    p = Path(env["ARGOS_PACKAGES_DIR"])
    return sorted(x.name for x in p.iterdir()) if p.is_dir() else []


class _Handler(http.server.SimpleHTTPRequestHandler):
    log: list[str] = []

    def log_message(self, fmt: str, *args: object) -> None:  # keep the log for assertions
        type(self).log.append(fmt % args)


@pytest.fixture
def index_server(tmp_path, argos_archive):
    folder = tmp_path / "index"
    folder.mkdir()
    shutil.copy(argos_archive, folder / "translate-en_es.argosmodel")
    handler = type("H", (_Handler,), {"log": []})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), lambda *a: handler(*a, directory=str(folder)))
    port = server.server_address[1]
    with zipfile.ZipFile(argos_archive) as zf:
        top = zf.namelist()[0].split("/")[0]
        meta = json.loads(zf.read(f"{top}/metadata.json"))
    meta["links"] = [f"http://127.0.0.1:{port}/translate-en_es.argosmodel"]
    (folder / "index.json").write_text(json.dumps([meta]))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}/", handler.log
    server.shutdown()
    server.server_close()


def test_install_from_local_index_then_list_and_remove(tmp_path, index_server):
    url, log = index_server
    env = _env(tmp_path / "argos", ARGOS_PACKAGE_INDEX=url)
    res = _toolkit(env, "install", "en", "es")
    assert res.returncode == 0, res.stderr
    assert "installed argos en-es 1.0" in res.stdout
    assert _packages(env) == ["translate-en_es-1_0"]
    assert any("GET /index.json" in line for line in log)
    assert any("GET /translate-en_es.argosmodel" in line for line in log)
    listed = _toolkit(env, "list")
    assert "argos" in listed.stdout and "en-es" in listed.stdout
    removed = _toolkit(env, "remove", "en", "es")
    assert removed.returncode == 0 and _packages(env) == []
    again = _toolkit(env, "remove", "en", "es")
    assert again.returncode == 1 and "no argos en → es package is installed" in again.stderr


def test_index_without_trailing_slash_still_works(tmp_path, index_server):
    url, _ = index_server
    env = _env(tmp_path / "argos", ARGOS_PACKAGE_INDEX=url.rstrip("/"))
    assert _toolkit(env, "install", "en", "es").returncode == 0
    assert _packages(env) == ["translate-en_es-1_0"]


def test_pair_missing_from_index(tmp_path, index_server):
    url, _ = index_server
    env = _env(tmp_path / "argos", ARGOS_PACKAGE_INDEX=url)
    res = _toolkit(env, "install", "en", "fr")
    assert res.returncode == 1 and "has no en → fr package" in res.stderr
    assert _packages(env) == []


def test_unreachable_index_fails_with_clear_message(tmp_path):
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = _env(tmp_path / "argos", ARGOS_PACKAGE_INDEX=f"http://127.0.0.1:{port}/")
    res = _toolkit(env, "install", "en", "es")  # subprocess timeout=60: it must not hang
    assert res.returncode == 1
    assert "cannot read the argos package index" in res.stderr
    assert "toolkit models install path/to/file.argosmodel" in res.stderr
    assert "RecursionError" not in res.stderr and "Traceback" not in res.stderr


def test_install_from_file(tmp_path, argos_archive):
    env = _env(tmp_path / "argos")
    res = _toolkit(env, "install", str(argos_archive))
    assert res.returncode == 0, res.stderr
    assert _packages(env) == ["translate-en_es-1_0"]
    # reinstalling replaces, never duplicates
    assert _toolkit(env, "install", str(argos_archive)).returncode == 0
    assert _packages(env) == ["translate-en_es-1_0"]


def _rezip(src: Path, dst: Path, *, drop: str | None = None, corrupt: str | None = None,
           extra_top: bool = False) -> Path:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_STORED) as zout:
        for info in zin.infolist():
            if drop and info.filename.endswith(drop):
                continue
            zout.writestr(info.filename, zin.read(info.filename))
        if extra_top:
            zout.writestr("other/README.md", "x")
    if corrupt:  # flip bytes inside a stored member: CRC check fails
        data = bytearray(dst.read_bytes())
        with zipfile.ZipFile(dst) as z:
            info = z.getinfo(next(n for n in z.namelist() if n.endswith(corrupt)))
        off = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra) + 10
        data[off:off + 8] = b"\xff" * 8
        dst.write_bytes(bytes(data))
    return dst


@pytest.mark.parametrize("variant,message", [
    ({"drop": "metadata.json"}, "no metadata.json"),
    ({"drop": "model.bin"}, "no model/model.bin"),
    ({"drop": "sentencepiece.model"}, "no tokenizer"),
    ({"extra_top": True}, "expected one top folder"),
    ({"corrupt": "model.bin"}, "corrupt member"),
])
def test_corrupt_archive_installs_nothing(tmp_path, argos_archive, variant, message):
    env = _env(tmp_path / "argos")
    bad = _rezip(argos_archive, tmp_path / "bad.argosmodel", **variant)
    res = _toolkit(env, "install", str(bad))
    assert res.returncode == 1
    assert message in res.stderr and "nothing was installed" in res.stderr
    assert _packages(env) == []
    leftovers = [p.name for p in (tmp_path / "argos" / "data" / "argos-translate").iterdir()
                 if p.name.startswith(".toolkit")] if (tmp_path / "argos" / "data" / "argos-translate").is_dir() else []
    assert leftovers == []


def test_not_a_zip(tmp_path):
    env = _env(tmp_path / "argos")
    bad = tmp_path / "x.argosmodel"
    bad.write_text("not a zip")
    res = _toolkit(env, "install", str(bad))
    assert res.returncode == 1 and "not a zip archive" in res.stderr
