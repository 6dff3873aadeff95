"""A local preview server for the published ``feeds/`` folder.

``toolkit serve`` shows the site exactly as a static host would, with what
podcast apps and browsers need and :mod:`http.server` does not give:

* MIME types for subtitles, chapters and feeds (``text/vtt``,
  ``application/x-subrip``, ``application/json+chapters`` …), UTF-8 charsets
  on text;
* ``Access-Control-Allow-Origin: *`` (web players fetch transcripts and
  chapters cross-origin) and an ``OPTIONS`` pre-flight answer;
* HTTP range requests (``206``/``416``, ``Accept-Ranges: bytes``): browsers
  seek in audio with them, and Safari refuses to play audio without them;
* no path outside the served folder, even through ``..``, encoded dots or
  symbolic links; no hidden files (any path segment starting with ``.``: the
  temporary files of an interrupted write, ``.history``) and no directory
  listings (a folder without ``index.html`` is a 404);
* robustness: every connection times out after :data:`TIMEOUT` seconds of
  silence, at most :data:`MAX_CONNECTIONS` are served at once (more get an
  immediate ``503``), and a malformed or absurd ``Range`` (a 5000-digit
  position) gets its RFC 9110 answer instead of killing the handler.

It binds to 127.0.0.1 only: it is a preview, not a production server.

    >>> server = start_background(Path("feeds"))   # doctest: +SKIP
    >>> server.url                                  # doctest: +SKIP
    'http://127.0.0.1:43125/'
    >>> server.shutdown()                           # doctest: +SKIP
"""

from __future__ import annotations

import email.utils
import logging
import io
import os
import posixpath
import re
import shutil
import threading
import urllib.parse
from dataclasses import dataclass
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import BinaryIO

from .errors import ToolkitError
from .publish.layout import PAGE_FILE, mime_type

__all__ = ["HOST", "DEFAULT_PORT", "mime_type", "make_server", "start_background", "RunningServer"]

log = logging.getLogger(__name__)

HOST = "127.0.0.1"
DEFAULT_PORT = 8000
#: Seconds a connection may stay silent (a request not finished, a keep-alive left open).
TIMEOUT = 10.0
#: Connections served at once; one more is answered 503 and closed.
MAX_CONNECTIONS = 64

_SPEC = re.compile(r"^([0-9]*)-([0-9]*)$")
#: Positions with more digits than this are beyond any file (and never go through int()).
_MAX_DIGITS = 18
_BEYOND = 10 ** _MAX_DIGITS


def _position(digits: str) -> int:
    """A byte position or length; absurdly long numbers become :data:`_BEYOND`."""
    digits = digits.lstrip("0") or "0"
    return _BEYOND if len(digits) > _MAX_DIGITS else int(digits)


def parse_range(header: str, size: int) -> tuple[int, int] | None | str:
    """Parse a ``Range`` header (RFC 9110 §14.1.2) for a file of ``size`` bytes.

    Returns ``(first, last)`` (inclusive) for one satisfiable range, ``None``
    when the header must be ignored (another unit, invalid syntax such as a
    last position before the first, or several ranges -- RFC 9110 §14.2 lets a
    server answer those with the whole file) and ``"unsatisfiable"`` when no
    range asks for bytes the file has (→ 416).  Numbers of any length are
    handled without converting them (a position past every file is past this one).
    """
    unit, sep, ranges = header.strip().partition("=")
    if not sep or unit.lower() != "bytes":  # the unit is a token: no spaces before "="
        return None
    specs = [spec.strip(" \t") for spec in ranges.split(",")]
    specs = [spec for spec in specs if spec]  # the #rule allows empty list elements
    if not specs:
        return None
    wanted: list[tuple[int, int] | None] = []  # None: this range cannot be satisfied
    for spec in specs:
        m = _SPEC.match(spec)
        if not m or not (m.group(1) or m.group(2)):
            return None  # invalid syntax: ignore the header
        first_s, last_s = m.groups()
        if not first_s:  # suffix range: the last N bytes
            length = _position(last_s)
            wanted.append(None if length == 0 or size == 0 else (max(size - length, 0), size - 1))
            continue
        first = _position(first_s)
        last = _position(last_s) if last_s else None
        if last is not None and last < first:
            return None  # invalid per RFC 9110: ignore the header
        wanted.append(None if first >= size else (first, size - 1 if last is None else min(last, size - 1)))
    if all(w is None for w in wanted):
        return "unsatisfiable"
    if len(wanted) > 1:
        return None  # several ranges: the whole file (no multipart answers)
    return wanted[0]


class PreviewHandler(SimpleHTTPRequestHandler):
    """Static files with the MIME types, CORS and range requests podcasts need."""

    server_version = "toolkit-serve"
    protocol_version = "HTTP/1.1"  # keep-alive: browsers issue many range requests for one audio file
    timeout = TIMEOUT  # socket timeout of the connection (StreamRequestHandler.setup applies it)

    def __init__(self, *args: object, directory: str, **kwargs: object) -> None:
        super().__init__(*args, directory=directory, **kwargs)  # type: ignore[arg-type]

    # -- headers -----------------------------------------------------------------------------

    def end_headers(self) -> None:
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Access-Control-Expose-Headers", "Content-Length, Content-Range, Accept-Ranges")
        self.send_header("Cache-Control", "no-cache")  # a preview: always show the latest build
        super().end_headers()

    def do_OPTIONS(self) -> None:  # noqa: N802 - http.server naming
        self.send_response(HTTPStatus.NO_CONTENT)
        self.send_header("Access-Control-Allow-Methods", "GET, HEAD, OPTIONS")
        self.send_header("Access-Control-Allow-Headers", "Range, Content-Type, If-Modified-Since")
        self.send_header("Access-Control-Max-Age", "86400")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def guess_type(self, path: str | os.PathLike[str]) -> str:
        return mime_type(path)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - base signature
        log.info("%s %s", self.address_string(), format % args)

    # -- paths -------------------------------------------------------------------------------

    def _resolve(self) -> Path | None:
        """The file or folder the request names, or None after answering 403."""
        raw = urllib.parse.urlsplit(self.path).path
        decoded = urllib.parse.unquote(raw, errors="strict")
        # Refuse rather than normalise: a ".." or a backslash in a preview URL is
        # never a real link on the site, only an attempt to leave the folder.
        parts = decoded.split("/")
        if ".." in parts or "\\" in decoded or "\x00" in decoded:
            self.send_error(HTTPStatus.FORBIDDEN, "path outside the served folder")
            return None
        if any(part.startswith(".") for part in parts):
            # hidden files are never part of the site (temporary files, .history, .DS_Store)
            self.send_error(HTTPStatus.NOT_FOUND, "file not found")
            return None
        root = Path(self.directory).resolve()
        target = (root / posixpath.normpath(decoded).lstrip("/")).resolve()
        if target != root and root not in target.parents:  # e.g. a symbolic link pointing outside
            self.send_error(HTTPStatus.FORBIDDEN, "path outside the served folder")
            return None
        return target

    def send_head(self) -> BinaryIO | None:
        """Answer the headers of GET/HEAD; return the open file positioned at the body."""
        self._range: tuple[int, int] | None = None
        try:
            target = self._resolve()
        except UnicodeDecodeError:
            self.send_error(HTTPStatus.BAD_REQUEST, "bad percent-encoding in path")
            return None
        if target is None:
            return None
        if target.is_dir():
            path = urllib.parse.urlsplit(self.path).path
            if not path.endswith("/"):
                self.send_response(HTTPStatus.MOVED_PERMANENTLY)
                self.send_header("Location", path + "/")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return None
            index = target / PAGE_FILE
            if not index.is_file():  # no directory listings: a static host has none either
                self.send_error(HTTPStatus.NOT_FOUND, "file not found")
                return None
            target = index
        try:
            fh = open(target, "rb")  # noqa: SIM115 - closed by the caller (copyfile)
        except OSError:
            self.send_error(HTTPStatus.NOT_FOUND, "file not found")
            return None
        try:
            stat = os.fstat(fh.fileno())
            size = stat.st_size
            last_modified = email.utils.formatdate(stat.st_mtime, usegmt=True)
            wanted = self._wanted_range(size, last_modified)
            if wanted == "unsatisfiable":
                fh.close()
                self.send_response(HTTPStatus.REQUESTED_RANGE_NOT_SATISFIABLE)
                self.send_header("Content-Range", f"bytes */{size}")
                self.send_header("Accept-Ranges", "bytes")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return None
            if isinstance(wanted, tuple):
                first, last = wanted
                self.send_response(HTTPStatus.PARTIAL_CONTENT)
                self.send_header("Content-Range", f"bytes {first}-{last}/{size}")
                length = last - first + 1
                fh.seek(first)
                self._range = wanted
            else:
                self.send_response(HTTPStatus.OK)
                length = size
            self.send_header("Content-Type", mime_type(target))
            self.send_header("Content-Length", str(length))
            self.send_header("Accept-Ranges", "bytes")
            self.send_header("Last-Modified", last_modified)
            self.end_headers()
            return fh
        except BaseException:
            fh.close()
            raise

    def _wanted_range(self, size: int, last_modified: str) -> tuple[int, int] | None | str:
        """The Range to answer, or None for the whole file (no header, or an
        ``If-Range`` that does not name the current version)."""
        header = self.headers.get("Range")
        if not header:
            return None
        if_range = self.headers.get("If-Range")
        if if_range is not None and if_range.strip() != last_modified:
            return None  # RFC 9110 §13.1.5: the client's copy is outdated, send it all
        return parse_range(header, size)

    def list_directory(self, path: str | os.PathLike[str]) -> None:
        """Never list a folder (kept for callers of the base class)."""
        self.send_error(HTTPStatus.NOT_FOUND, "file not found")
        return None

    def copyfile(self, source: BinaryIO, outputfile: io.BufferedIOBase) -> None:  # type: ignore[override]
        if self._range is None:
            shutil.copyfileobj(source, outputfile)
            return
        remaining = self._range[1] - self._range[0] + 1
        while remaining > 0:
            chunk = source.read(min(64 * 1024, remaining))
            if not chunk:
                break
            outputfile.write(chunk)
            remaining -= len(chunk)

    def do_GET(self) -> None:  # noqa: N802
        fh = self.send_head()
        if fh is None:
            return
        try:
            self.copyfile(fh, self.wfile)
        except OSError as exc:  # BrokenPipe, ConnectionReset, a client too slow to read (timeout)
            # Browsers routinely drop an audio request once they have the bytes they wanted.
            log.debug("connection ended during %s (%s)", self.path, exc)
            self.close_connection = True
        finally:
            fh.close()

    def do_HEAD(self) -> None:  # noqa: N802
        fh = self.send_head()
        if fh is not None:
            fh.close()


class _Server(ThreadingHTTPServer):
    """One thread per connection, at most :data:`MAX_CONNECTIONS` of them."""

    daemon_threads = True
    allow_reuse_address = True
    max_connections = MAX_CONNECTIONS
    request_queue_size = MAX_CONNECTIONS  # the listen backlog (socketserver's default is 5)

    def server_activate(self) -> None:
        self._slots = threading.BoundedSemaphore(self.max_connections)
        super().server_activate()

    def process_request(self, request: object, client_address: object) -> None:
        if not self._slots.acquire(blocking=False):
            self._refuse(request)
            return
        try:
            super().process_request(request, client_address)  # type: ignore[arg-type]
        except BaseException:
            self._slots.release()
            raise

    def process_request_thread(self, request: object, client_address: object) -> None:
        try:
            super().process_request_thread(request, client_address)  # type: ignore[arg-type]
        finally:
            self._slots.release()

    def handle_error(self, request: object, client_address: object) -> None:
        """A request that failed in a way the handler did not answer: logged, not printed."""
        log.warning("request from %s failed", client_address, exc_info=True)

    def _refuse(self, request: object) -> None:
        """All slots busy: a short 503 instead of one more thread."""
        try:
            request.settimeout(1.0)  # type: ignore[attr-defined]
            request.sendall(b"HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\n"  # type: ignore[attr-defined]
                            b"Content-Length: 0\r\nConnection: close\r\n\r\n")
        except OSError:
            pass
        self.shutdown_request(request)  # type: ignore[arg-type]


def make_server(directory: str | os.PathLike[str], port: int = DEFAULT_PORT, host: str = HOST, *,
                timeout: float = TIMEOUT, max_connections: int = MAX_CONNECTIONS) -> ThreadingHTTPServer:
    """A server for ``directory`` on ``host:port`` (port 0 picks a free one); not started.

    ``timeout``: seconds a connection may stay silent; ``max_connections``:
    connections served at once (one more is answered 503).
    """
    folder = Path(directory)
    if not folder.is_dir():
        raise ToolkitError(f"nothing to serve: {folder} is not a folder", hint="run `toolkit publish` first")
    resolved = str(folder.resolve())
    handler_class = type("PreviewHandler", (PreviewHandler,), {"timeout": timeout})

    def handler(*args: object, **kwargs: object) -> PreviewHandler:
        return handler_class(*args, directory=resolved, **kwargs)  # type: ignore[no-any-return]

    server_class = type("_Server", (_Server,), {"max_connections": max_connections,
                                                "request_queue_size": max(max_connections, 5)})
    try:
        return server_class((host, port), handler)  # type: ignore[no-any-return]
    except OSError as exc:
        raise ToolkitError(f"cannot listen on {host}:{port}: {exc.strerror or exc}",
                           hint="choose another --port") from exc


@dataclass
class RunningServer:
    """A server running in a background thread (see :func:`start_background`)."""

    server: ThreadingHTTPServer
    thread: threading.Thread

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}/"

    def shutdown(self) -> None:
        """Stop serving, close the socket and wait for the thread."""
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=30)

    def __enter__(self) -> RunningServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.shutdown()


def start_background(directory: str | os.PathLike[str], port: int = 0, host: str = HOST, *,
                     timeout: float = TIMEOUT, max_connections: int = MAX_CONNECTIONS) -> RunningServer:
    """Serve ``directory`` from a daemon thread (for tests and embedding); returns at once.
    ``timeout`` and ``max_connections`` are those of :func:`make_server`."""
    server = make_server(directory, port, host, timeout=timeout, max_connections=max_connections)
    thread = threading.Thread(target=server.serve_forever, name="toolkit-serve", daemon=True)
    thread.start()
    return RunningServer(server, thread)
