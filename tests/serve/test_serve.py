"""toolkit serve: MIME types, CORS, range requests, no way out of the folder.

Requests go through http.client on a real socket so that paths reach the
server exactly as written (urllib would normalise ``/../``).
"""

from __future__ import annotations

import http.client
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from support.tools import interruptible

from toolkit.errors import ToolkitError
from toolkit.serve import RunningServer, mime_type, parse_range, start_background

AUDIO = bytes(range(256)) * 40  # 10240 bytes with a recognisable pattern


@pytest.fixture()
def site(tmp_path: Path) -> Path:
    root = tmp_path / "feeds"
    ep = root / "episodes" / "ep1"
    (ep / "en").mkdir(parents=True)
    (ep / "ep1.mp3").write_bytes(AUDIO)
    (ep / "en" / "index.html").write_text("<!DOCTYPE html><title>t</title>", encoding="utf-8")
    (ep / "en" / "transcript.vtt").write_text("WEBVTT\n\n00:00.000 --> 00:01.000\nhé\n", encoding="utf-8")
    (ep / "en" / "transcript.srt").write_text("1\n00:00:00,000 --> 00:00:01,000\nhé\n", encoding="utf-8")
    (ep / "en" / "transcript.json").write_text('{"version": "1.0.0", "segments": []}', encoding="utf-8")
    (ep / "en" / "chapters.json").write_text('{"version": "1.2.0", "chapters": []}', encoding="utf-8")
    (root / "feed.xml").write_text("<?xml version='1.0'?><rss/>", encoding="utf-8")
    (root / "index.html").write_text("<!DOCTYPE html><title>show</title>", encoding="utf-8")
    (tmp_path / "secret.txt").write_text("top secret", encoding="utf-8")
    return root


@pytest.fixture()
def server(site: Path) -> Iterator[RunningServer]:
    with start_background(site) as running:
        yield running


def request(server: RunningServer, method: str, path: str,
            headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    host, port = server.server.server_address[:2]
    conn = http.client.HTTPConnection(host, port, timeout=60)
    try:
        conn.putrequest(method, path, skip_accept_encoding=True)
        for key, value in (headers or {}).items():
            conn.putheader(key, value)
        conn.endheaders()
        resp = conn.getresponse()
        body = resp.read()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, body
    finally:
        conn.close()


def test_binds_to_loopback_only(server: RunningServer) -> None:
    assert server.url.startswith("http://127.0.0.1:")


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/episodes/ep1/en/transcript.vtt", "text/vtt; charset=utf-8"),
        ("/episodes/ep1/en/transcript.srt", "application/x-subrip; charset=utf-8"),
        ("/episodes/ep1/en/chapters.json", "application/json+chapters"),
        ("/episodes/ep1/en/transcript.json", "application/json"),
        ("/feed.xml", "application/rss+xml; charset=utf-8"),
        ("/episodes/ep1/ep1.mp3", "audio/mpeg"),
        ("/episodes/ep1/en/index.html", "text/html; charset=utf-8"),
        ("/episodes/ep1/en/", "text/html; charset=utf-8"),
    ],
)
def test_mime_types(server: RunningServer, site: Path, path: str, expected: str) -> None:
    status, headers, body = request(server, "GET", path)
    assert status == 200
    assert headers["content-type"] == expected
    on_disk = site / path.lstrip("/")
    if on_disk.is_dir():
        on_disk = on_disk / "index.html"
    assert body == on_disk.read_bytes()
    assert headers["content-length"] == str(len(body))


def test_mime_type_function_unknown_suffix() -> None:
    assert mime_type("x.bin") == "application/octet-stream"
    assert mime_type("a/B/Chapters.JSON") == "application/json+chapters"


def test_cors_on_get_and_options(server: RunningServer) -> None:
    status, headers, _ = request(server, "GET", "/episodes/ep1/en/transcript.vtt",
                                 {"Origin": "https://player.example"})
    assert status == 200
    assert headers["access-control-allow-origin"] == "*"
    status, headers, body = request(server, "OPTIONS", "/episodes/ep1/en/transcript.vtt",
                                    {"Origin": "https://player.example",
                                     "Access-Control-Request-Method": "GET",
                                     "Access-Control-Request-Headers": "range"})
    assert status == 204
    assert body == b""
    assert headers["access-control-allow-origin"] == "*"
    assert "GET" in headers["access-control-allow-methods"]
    assert "range" in headers["access-control-allow-headers"].lower()


def test_head_has_headers_without_body(server: RunningServer) -> None:
    status, headers, body = request(server, "HEAD", "/episodes/ep1/ep1.mp3")
    assert status == 200
    assert body == b""
    assert headers["content-length"] == str(len(AUDIO))
    assert headers["accept-ranges"] == "bytes"


@pytest.mark.parametrize(
    ("header", "first", "last"),
    [
        ("bytes=0-99", 0, 99),
        ("bytes=-100", len(AUDIO) - 100, len(AUDIO) - 1),
        ("bytes=100-", 100, len(AUDIO) - 1),
        ("bytes=10000-99999", 10000, len(AUDIO) - 1),  # last byte clamped to the file
        ("bytes=-999999", 0, len(AUDIO) - 1),  # suffix longer than the file: all of it
    ],
)
def test_range_requests(server: RunningServer, header: str, first: int, last: int) -> None:
    status, headers, body = request(server, "GET", "/episodes/ep1/ep1.mp3", {"Range": header})
    assert status == 206
    assert headers["content-range"] == f"bytes {first}-{last}/{len(AUDIO)}"
    assert headers["content-length"] == str(last - first + 1)
    assert headers["accept-ranges"] == "bytes"
    assert headers["content-type"] == "audio/mpeg"
    assert body == AUDIO[first:last + 1]


@pytest.mark.parametrize("header", ["bytes=20000-", "bytes=10240-10300", "bytes=-0"])
def test_unsatisfiable_range_is_416(server: RunningServer, header: str) -> None:
    status, headers, body = request(server, "GET", "/episodes/ep1/ep1.mp3", {"Range": header})
    assert status == 416
    assert headers["content-range"] == f"bytes */{len(AUDIO)}"
    assert body == b""


@pytest.mark.parametrize("header", ["bytes=abc", "items=0-10", "bytes=50-10", "bytes=0-1,5-9", "bytes=-"])
def test_invalid_range_is_ignored(server: RunningServer, header: str) -> None:
    """RFC 9110 §14.2: an invalid (or, here, multi-part) Range is ignored → the whole file."""
    status, headers, body = request(server, "GET", "/episodes/ep1/ep1.mp3", {"Range": header})
    assert status == 200
    assert body == AUDIO
    assert "content-range" not in headers


def test_range_after_connection_reuse(server: RunningServer) -> None:
    """HTTP/1.1 keep-alive: several range requests on one connection (what browsers do)."""
    host, port = server.server.server_address[:2]
    conn = http.client.HTTPConnection(host, port, timeout=60)
    try:
        for first in (0, 5000, 10000):
            conn.request("GET", "/episodes/ep1/ep1.mp3", headers={"Range": f"bytes={first}-{first + 9}"})
            resp = conn.getresponse()
            assert resp.status == 206
            assert resp.read() == AUDIO[first:first + 10]
    finally:
        conn.close()


@pytest.mark.parametrize(
    "path",
    [
        "/../secret.txt",
        "/episodes/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/%2e%2e/secret.txt",
        "/episodes/%2e%2e%2f%2e%2e%2fsecret.txt",
        "/..%5csecret.txt",
        "/episodes/ep1/..%2F..%2F..%2Fsecret.txt",
    ],
)
def test_no_directory_traversal(server: RunningServer, path: str) -> None:
    status, _, body = request(server, "GET", path)
    assert status in (403, 404)
    assert b"top secret" not in body


def test_symlink_out_of_the_folder_is_refused(server: RunningServer, site: Path) -> None:
    link = site / "escape.txt"
    try:
        link.symlink_to(site.parent / "secret.txt")
    except OSError:
        pytest.skip("cannot create symbolic links here")
    status, _, body = request(server, "GET", "/escape.txt")
    assert status == 403
    assert b"top secret" not in body


def test_missing_file_is_404(server: RunningServer) -> None:
    status, headers, _ = request(server, "GET", "/episodes/nope/en/index.html")
    assert status == 404
    assert headers["access-control-allow-origin"] == "*"


def test_folder_without_slash_redirects(server: RunningServer) -> None:
    status, headers, _ = request(server, "GET", "/episodes/ep1/en")
    assert status == 301
    assert headers["location"] == "/episodes/ep1/en/"


def test_parse_range_edge_cases() -> None:
    assert parse_range("bytes=0-0", 1) == (0, 0)
    assert parse_range("bytes=0-", 0) == "unsatisfiable"
    assert parse_range("bytes=-5", 0) == "unsatisfiable"
    assert parse_range(" bytes=1-2 ", 10) == (1, 2)


def test_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ToolkitError, match="nothing to serve"):
        start_background(tmp_path / "feeds")


def test_shutdown_frees_the_port(site: Path) -> None:
    running = start_background(site)
    port = running.server.server_address[1]
    running.shutdown()
    assert not running.thread.is_alive()
    again = start_background(site, port=port)  # the port is free again
    again.shutdown()


def test_cli_serve_reports_missing_feeds(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "toolkit", "serve", "--root", str(tmp_path), "--port", "0"],
                          capture_output=True, text=True, timeout=120, env={**os.environ, "COLUMNS": "200"})
    assert proc.returncode == 1
    assert "nothing to serve" in proc.stderr


def test_cli_serve_serves_until_stopped(site: Path) -> None:
    """The real command: it prints its URL, answers, and stops on SIGTERM/SIGINT."""
    import signal
    import urllib.request

    env = {**os.environ, "COLUMNS": "300", "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "toolkit", "serve", "--root", str(site.parent), "--port", "0"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                            preexec_fn=interruptible)
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert "http://127.0.0.1:" in line, line
        url = line.split(" at ", 1)[1].split()[0]
        with urllib.request.urlopen(url + "episodes/ep1/en/transcript.vtt", timeout=60) as resp:
            assert resp.headers["Content-Type"] == "text/vtt; charset=utf-8"
            assert resp.read().startswith(b"WEBVTT")
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0


# --------------------------------------------------------------------------- issue 10: hostile clients


@pytest.mark.parametrize(("header", "expected"), [
    ("bytes=" + "9" * 5000 + "-", "unsatisfiable"),             # a 5000-digit position: past every file
    ("bytes=0-" + "9" * 5000, (0, 9)),                         # a 5000-digit last: clamped
    ("bytes=-" + "9" * 5000, (0, 9)),                          # a 5000-digit suffix: the whole file
    ("bytes=" + "0" * 5000 + "1-2", (1, 2)),                   # leading zeros are still small numbers
    ("BYTES = 2-3", None),                                     # the unit is a token: no spaces around '='
    ("Bytes=2-3", (2, 3)),                                     # ... but case-insensitive
    ("bytes=2-3, ", (2, 3)),                                   # empty list elements are allowed (#rule)
    ("bytes=20-30,40-50", "unsatisfiable"),                    # no range is satisfiable
    ("bytes=0-1,40-50", None),                                 # several ranges: the whole file
    ("bytes=5-2", None),                                       # last before first: invalid, ignored
    ("bytes=1-2-3", None),
    ("bytes=\u0661-\u0662", None),                              # Arabic-Indic digits are not DIGIT
])
def test_parse_range_rfc9110(header: str, expected: object) -> None:
    assert parse_range(header, 10) == expected


def test_hidden_files_and_folders_are_never_served(server: RunningServer, site: Path) -> None:
    (site / ".feed.xml.k3j9x_2a.tmp").write_text("half", encoding="utf-8")
    (site / "episodes" / ".history").mkdir()
    (site / "episodes" / ".history" / "x.vtt").write_text("old", encoding="utf-8")
    for path in ("/.feed.xml.k3j9x_2a.tmp", "/%2efeed.xml.k3j9x_2a.tmp", "/episodes/.history/x.vtt"):
        status, _, body = request(server, "GET", path)
        assert status == 404, path
        assert b"half" not in body and b"old" not in body


def test_no_directory_listings(server: RunningServer, site: Path) -> None:
    status, _, body = request(server, "GET", "/episodes/ep1/")
    assert status == 404
    assert b"ep1.mp3" not in body


def test_if_range_with_an_old_date_sends_the_whole_file(server: RunningServer) -> None:
    status, headers, body = request(server, "GET", "/episodes/ep1/ep1.mp3",
                                    {"Range": "bytes=0-9", "If-Range": "Mon, 01 Jan 2001 00:00:00 GMT"})
    assert status == 200 and body == AUDIO
    status, headers, _ = request(server, "HEAD", "/episodes/ep1/ep1.mp3")
    status, headers, body = request(server, "GET", "/episodes/ep1/ep1.mp3",
                                    {"Range": "bytes=0-9", "If-Range": headers["last-modified"]})
    assert status == 206 and body == AUDIO[:10]


def test_head_of_a_range_and_of_a_missing_file(server: RunningServer) -> None:
    status, headers, body = request(server, "HEAD", "/episodes/ep1/ep1.mp3", {"Range": "bytes=-10"})
    assert status == 206 and body == b""
    assert headers["content-range"] == f"bytes {len(AUDIO) - 10}-{len(AUDIO) - 1}/{len(AUDIO)}"
    assert headers["content-length"] == "10"
    status, headers, body = request(server, "HEAD", "/nope.vtt")
    assert status == 404 and body == b""


def test_slow_clients_time_out_and_connections_are_bounded(site: Path) -> None:
    """A shorter timeout and fewer slots than the defaults, to keep the test quick;
    the code path is the one ``toolkit serve`` runs."""
    import socket
    import time

    with start_background(site, timeout=1.0, max_connections=4) as running:
        host, port = running.server.server_address[:2]
        held = [socket.create_connection((host, port), timeout=30) for _ in range(4)]
        for sock in held:
            sock.sendall(b"GET /feed.xml HTTP/1.1\r\nHost: x\r\n")  # never finished
        time.sleep(0.3)
        with socket.create_connection((host, port), timeout=30) as extra:
            extra.sendall(b"GET /feed.xml HTTP/1.1\r\nHost: x\r\n\r\n")
            assert extra.recv(100).startswith(b"HTTP/1.1 503 ")
        for sock in held:  # each one is cut off after the (1 s) timeout
            assert sock.recv(100) == b""
            sock.close()
        status, _, _ = request(running, "GET", "/feed.xml")
        assert status == 200
