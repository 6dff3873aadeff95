"""Unit tests of the issue-10 building blocks: text sanitizing, the URL policy,
the show lock, temp areas and sweeping, the memory's damage handling."""

from __future__ import annotations

import logging
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from toolkit import fsutil, sanitize, urls
from toolkit.errors import CacheError, LockError
from toolkit.lock import show_lock
from toolkit.translate.memory import TranslationMemory

# --------------------------------------------------------------------------- sanitize


def test_strip_controls_keeps_tab_and_newline_only() -> None:
    text = "a\tb\nc\x00d\x1b[2Je\x7ff\x85g\r\x0b\x0ch"
    assert sanitize.strip_controls(text) == "a\tb\ncd[2Jefgh"
    assert sanitize.control_chars(text) == ["\x00", "\x1b", "\x7f", "\x85", "\r", "\x0b", "\x0c"]
    assert sanitize.strip_controls("plain é ünïcode \u200f") == "plain é ünïcode \u200f"  # RLM is not a control


@pytest.mark.parametrize(("text", "balanced"), [
    ("abc", "abc"),
    ("a\u202eb", "a\u202eb\u202c"),                          # an open override is closed at the end
    ("a\u202cb", "ab"),                                       # a PDF with nothing to close is dropped
    ("\u2067a\u202bb\u2069c", "\u2067a\u202bb\u202c\u2069c"),  # PDI closes the embedding inside its isolate
    ("\u2069x", "x"),
    ("\u202a\u2066\u202c", "\u202a\u2066\u2069\u202c"),        # PDF cannot close across an isolate
])
def test_balance_bidi(text: str, balanced: str) -> None:
    assert sanitize.balance_bidi(text) == balanced


def test_isolate_bidi_wraps_only_texts_with_bidi_controls() -> None:
    assert sanitize.isolate_bidi("hello") == "hello"
    assert sanitize.isolate_bidi("evil \u202etxt") == "\u2068evil \u202etxt\u202c\u2069"


def test_removed_reports_once_per_file(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="toolkit.sanitize")
    for _ in range(2):  # the same file read twice in one run
        removed = sanitize.Removed("/show/unit-test.toml")
        assert removed.add("ti\x00tle", "title") == "title"
        assert removed.add("fine", "description") == "fine"
        removed.report()
    lines = [r.getMessage() for r in caplog.records]
    assert lines == ["/show/unit-test.toml: removed 1 control character(s) U+0000 (in title)"]


# --------------------------------------------------------------------------- URLs


@pytest.mark.parametrize("url", ["https://example.org", "http://example.org:8080/a/b?c=d#e",
                                 "https://[2001:db8::1]/feed.xml", "https://café.example/ü", "HTTPS://X.ORG/"])
def test_urls_accepted(url: str) -> None:
    assert urls.url_problem(url) is None


@pytest.mark.parametrize(("url", "words"), [
    ("javascript:alert(1)", "scheme 'javascript'"),
    ("JaVaScRiPt:alert(1)", "scheme 'javascript'"),
    ("data:text/html;base64,PHNjcmlwdD4=", "scheme 'data'"),
    ("vbscript:x", "scheme 'vbscript'"),
    ("//example.org/x", "not an absolute URL"),
    ("example.org", "not an absolute URL"),
    ("https:example.org", "must start with https://"),
    ("https://", "has no host"),
    ("https://exa mple.org", "whitespace"),
    ("https://example.org/\t", "whitespace"),
    ("https://example.org/\"onmouseover=x", "a quote"),
    ("https://example.org/'", "a quote"),
    ("https://example.org/`", "a quote"),
    ("https://example.org/<x>", "angle bracket"),
    ("https://example.org\\@evil.org", "backslash"),
    ("https://bank.example@evil.example/", "user name or password"),
    ("https://example.org:99999/", "cannot be parsed"),
    ("https://example.org/\u202egpj.exe", "U+202E"),
    ("https://example.org/\x00", "U+0000"),
    ("https://-example.org/", "not a valid host name"),
    ("mailto:a@b.org", "scheme 'mailto'"),
    ("https://example.org/" + "a" * 3000, "longer than"),
])
def test_urls_refused(url: str, words: str) -> None:
    problem = urls.url_problem(url)
    assert problem is not None and words in problem, problem


def test_mailto_only_where_an_email_goes() -> None:
    assert urls.url_problem("mailto:ana@example.org", mailto=True) is None
    assert urls.url_problem("mailto:ana@example.org?subject=x", mailto=True) is not None
    assert urls.url_problem("mailto:a@b.org,c@d.org", mailto=True) is not None
    assert urls.page_url_problem("../index.html") is None and urls.page_url_problem("#t=10") is None
    assert urls.page_url_problem("javascript:x") is not None
    assert urls.page_url_problem("../a b.html") is not None


def test_base_url_has_no_query_or_fragment() -> None:
    assert urls.base_url_problem("https://example.org/podcast") is None
    assert "query" in (urls.base_url_problem("https://example.org/?x=1") or "")
    assert "fragment" in (urls.base_url_problem("https://example.org/#x") or "")


# --------------------------------------------------------------------------- the lock

_HOLD = """
import sys, time
from toolkit.lock import show_lock
with show_lock(sys.argv[1]):
    print("locked", flush=True)
    sys.stdin.readline()
"""


def test_lock_is_reentrant_and_exclusive_between_processes(tmp_path: Path) -> None:
    with show_lock(tmp_path) as path:
        with show_lock(tmp_path):  # publish_show -> publish_episode
            assert '"pid": %d' % os.getpid() in path.read_text(encoding="utf-8")
        other = subprocess.run([sys.executable, "-c", "import sys\nfrom toolkit.lock import show_lock\n"
                                "with show_lock(sys.argv[1], wait=0.2): pass\n", str(tmp_path)],
                               capture_output=True, text=True, timeout=120)
        assert other.returncode != 0 and "LockError" in other.stderr and f"pid {os.getpid()}" in other.stderr
    assert path.read_text(encoding="utf-8") == ""  # released: no holder recorded


def test_lock_waits_for_a_holder_that_finishes(tmp_path: Path) -> None:
    holder = subprocess.Popen([sys.executable, "-c", _HOLD, str(tmp_path)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        with pytest.raises(LockError, match=f"pid {holder.pid} "):
            with show_lock(tmp_path, wait=0.2):
                pass
        assert holder.stdin is not None
        holder.stdin.write("go\n")
        holder.stdin.flush()
        with show_lock(tmp_path, wait=60):  # the holder lets go: this one gets it
            pass
    finally:
        holder.kill()
        holder.wait(timeout=60)


def test_lock_of_a_killed_process_is_free(tmp_path: Path) -> None:
    holder = subprocess.Popen([sys.executable, "-c", _HOLD, str(tmp_path)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
    holder.kill()
    holder.wait(timeout=60)
    with show_lock(tmp_path, wait=0):
        pass


# --------------------------------------------------------------------------- temp areas


def test_writes_under_a_temp_area_leave_nothing_beside_the_target(tmp_path: Path) -> None:
    target = tmp_path / "feeds" / "feed.xml"
    with fsutil.temp_area(tmp_path, tmp_path / ".toolkit" / "tmp") as area:
        assert fsutil.write_text(target, "<rss/>")
        assert list(area.iterdir()) == []
    assert target.read_text(encoding="utf-8") == "<rss/>"
    assert sorted(p.name for p in target.parent.iterdir()) == ["feed.xml"]


def test_temp_area_on_another_file_system_falls_back_to_staging_beside(tmp_path: Path) -> None:
    shm = Path("/dev/shm")
    if not shm.is_dir() or os.stat(shm).st_dev == os.stat(tmp_path).st_dev:
        pytest.skip("needs a second file system (/dev/shm)")
    import tempfile

    area = Path(tempfile.mkdtemp(dir=shm))
    try:
        with fsutil.temp_area(tmp_path, area):
            assert fsutil.write_bytes(tmp_path / "x.bin", b"data")
        assert (tmp_path / "x.bin").read_bytes() == b"data"
        assert [p.name for p in tmp_path.iterdir()] == ["x.bin"] and not list(area.iterdir())
    finally:
        area.rmdir()


def test_sweep_removes_only_temp_files(tmp_path: Path) -> None:
    keep = [tmp_path / "feeds" / "feed.xml", tmp_path / "feeds" / ".hidden.tmp", tmp_path / "feeds" / "a.tmp",
            tmp_path / ".toolkit" / "cache" / ".x.json.abcdefgh.tmp"]
    gone = [tmp_path / "feeds" / "episodes" / "e" / ".transcript.vtt.k3j9x_2a.tmp",
            tmp_path / "translations" / "e" / ".es.vtt.0123abcd.tmp", tmp_path / ".toolkit" / "tmp" / "anything"]
    for path in keep + gone:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x", encoding="utf-8")
    assert sorted(fsutil.sweep_temps(tmp_path)) == sorted(gone)
    assert all(p.exists() for p in keep) and not any(p.exists() for p in gone)


# --------------------------------------------------------------------------- the memory


def test_memory_with_text_that_is_not_utf8_is_set_aside(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """Found by the fuzzer: a damaged byte inside a stored text raised UnicodeDecodeError."""
    path = tmp_path / "memory.sqlite"
    with TranslationMemory(path) as tm:
        tm.store("pseudo", "1", "en", "fr", {"hello": "bonjour"})
    db = sqlite3.connect(path)
    with db:
        db.execute("UPDATE tm SET target = CAST(x'626f6e80' AS TEXT)")
    db.close()
    with TranslationMemory(path) as tm:
        assert tm.lookup("pseudo", "1", "en", "fr", ["hello"]) == {}  # a new, empty memory
    assert (tmp_path / "memory.sqlite.corrupt").is_file()
    assert any("not UTF-8" in r.getMessage() and "memory.sqlite.corrupt" in r.getMessage() for r in caplog.records)


def test_memory_that_cannot_be_opened_is_a_cache_error(tmp_path: Path) -> None:
    path = tmp_path / "memory.sqlite"
    path.mkdir()  # a folder where the database should be
    with pytest.raises(CacheError, match="memory.sqlite: translation memory: unable to open") as info:
        TranslationMemory(path)
    assert "deleting .toolkit/ is safe" in str(info.value)
