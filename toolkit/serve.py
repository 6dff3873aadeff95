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
  symbolic links.

It binds to 127.0.0.1 only: it is a preview, not a production server.

    >>> server = start_background(Path("feeds"))   # doctest: +SKIP
    >>> server.url                                  # doctest: +SKIP
    'http://127.0.0.1:43125/'
    >>> server.shutdown()                           # doctest: +SKIP
"""

from __future__ import annotations

import email.utils
import logging
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

__all__ = ["HOST", "DEFAULT_PORT", "mime_type", "make_server", "start_background", "RunningServer"]

log = logging.getLogger(__name__)

HOST = "127.0.0.1"
DEFAULT_PORT = 8000

_BY_NAME = {
    "chapters.json": "application/json+chapters",
    "feed.xml": "application/rss+xml; charset=utf-8",
}
_BY_SUFFIX = {
    ".vtt": "text/vtt; charset=utf-8",
    ".srt": "application/x-subrip; charset=utf-8",
    ".json": "application/json",
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".xml": "application/xml",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".mp3": "audio/mpeg",
    ".m4a": "audio/mp4",
    ".mp4": "video/mp4",
    ".aac": "audio/aac",
    ".ogg": "audio/ogg",
    ".oga": "audio/ogg",
    ".opus": "audio/ogg",
    ".wav": "audio/wav",
    ".flac": "audio/flac",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".webp": "image/webp",
    ".svg": "image/svg+xml",
    ".ico": "image/x-icon",
}

_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def mime_type(path: str | os.PathLike[str]) -> str:
    """The Content-Type the server sends for ``path`` (by file name, then suffix)."""
    name = Path(path).name.lower()
    if name in _BY_NAME:
        return _BY_NAME[name]
    return _BY_SUFFIX.get(Path(name).suffix, "application/octet-stream")


def parse_range(header: str, size: int) -> tuple[int, int] | None | str:
    """Parse a ``Range`` header for a file of ``size`` bytes.

    Returns ``(first, last)`` (inclusive) for a satisfiable single range,
    ``None`` when the header must be ignored (not ``bytes=``, bad syntax, or
    several ranges — RFC 9110 §14.2 lets a server answer those with the whole
    file) and ``"unsatisfiable"`` when it asks for bytes the file does not have.
    """
    m = _RANGE.match(header.strip())
    if not m:
        return None
    first_s, last_s = m.groups()
    if not first_s and not last_s:
        return None
    if not first_s:  # suffix range: the last N bytes
        length = int(last_s)
        if length == 0 or size == 0:
            return "unsatisfiable"
        return max(size - length, 0), size - 1
    first = int(first_s)
    last = int(last_s) if last_s else size - 1
    if last_s and last < first:
        return None  # invalid syntax per RFC 9110: ignore the header
    if first >= size:
        return "unsatisfiable"
    return first, min(last, size - 1)


class PreviewHandler(SimpleHTTPRequestHandler):
    """Static files with the MIME types, CORS and range requests podcasts need."""

    server_version = "toolkit-serve"
    protocol_version = "HTTP/1.1"  # keep-alive: browsers issue many range requests for one audio file

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
        root = Path(self.directory).resolve()
        target = (root / posixpath.normpath(decoded).lstrip("/")).resolve()
        if target != root and root not in target.parents:  # e.g. a symbolic link pointing outside
            self.send_error(HTTPStatus.FORBIDDEN, "path outside the served folder")
            return None
        return target

    def send_head(self) -> BinaryIO | None:  # type: ignore[override]
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
            index = target / "index.html"
            if not index.is_file():
                return self.list_directory(str(target))  # type: ignore[return-value]
            target = index
        try:
            fh = open(target, "rb")  # noqa: SIM115 - closed by the caller (copyfile)
        except OSError:
            self.send_error(HTTPStatus.NOT_FOUND, "file not found")
            return None
        try:
            stat = os.fstat(fh.fileno())
            size = stat.st_size
            wanted = parse_range(self.headers.get("Range", ""), size) if self.headers.get("Range") else None
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
            self.send_header("Last-Modified", email.utils.formatdate(stat.st_mtime, usegmt=True))
            self.end_headers()
            return fh
        except BaseException:
            fh.close()
            raise

    def copyfile(self, source: BinaryIO, outputfile: BinaryIO) -> None:  # type: ignore[override]
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
        except (BrokenPipeError, ConnectionResetError):
            # Browsers routinely drop an audio request once they have the bytes they wanted.
            log.debug("client closed the connection during %s", self.path)
        finally:
            fh.close()

    def do_HEAD(self) -> None:  # noqa: N802
        fh = self.send_head()
        if fh is not None:
            fh.close()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def make_server(directory: str | os.PathLike[str], port: int = DEFAULT_PORT, host: str = HOST) -> ThreadingHTTPServer:
    """A server for ``directory`` on ``host:port`` (port 0 picks a free one); not started."""
    folder = Path(directory)
    if not folder.is_dir():
        raise ToolkitError(f"nothing to serve: {folder} is not a folder", hint="run `toolkit publish` first")
    resolved = str(folder.resolve())

    def handler(*args: object, **kwargs: object) -> PreviewHandler:
        return PreviewHandler(*args, directory=resolved, **kwargs)

    try:
        return _Server((host, port), handler)  # type: ignore[arg-type]
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
        return f"http://{host}:{port}/"

    def shutdown(self) -> None:
        """Stop serving, close the socket and wait for the thread."""
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=30)

    def __enter__(self) -> RunningServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.shutdown()


def start_background(directory: str | os.PathLike[str], port: int = 0, host: str = HOST) -> RunningServer:
    """Serve ``directory`` from a daemon thread (for tests and embedding); returns at once."""
    server = make_server(directory, port, host)
    thread = threading.Thread(target=server.serve_forever, name="toolkit-serve", daemon=True)
    thread.start()
    return RunningServer(server, thread)
