"""Issue 10 (hostile input and faults) through the REAL command line.

Every finding of the issue that is not about a transcript reader, reproduced
on a fresh copy of the tiny published show of ``test_bad_input`` and checked
against the same contract: one clear error line (or a warning and a correct
result where the fault is recoverable), nothing changed that should not be,
nothing leaked into ``feeds/``.

* confinement: files named in show.toml / episode.toml stay inside the show
  (the episode's own folder, or a declared shared ``assets`` folder), after
  symbolic links are resolved; artwork is checked by content before anything
  is copied; a missing episode image is a config error;
* URLs: one policy at config time, re-checked by ``toolkit check`` on the feeds;
* the translation memory (a cache) survives damage; the translations store
  (not a cache) is never overwritten when it is damaged or names another
  episode or language;
* leftovers: a kill between a temp write and its rename leaves nothing in
  ``feeds/``; leftovers are swept and reported; outputs of episodes and
  languages that are gone are removed;
* one run per show at a time (a lock that names its holder and never outlives it);
* control characters removed on the way in; bidi overrides only inside
  isolates on pages;
* the preview server under slow, many and absurd clients.
"""

from __future__ import annotations

import html.parser
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from support.tools import interruptible
from test_bad_input import (
    EP,
    PUBLISH,
    SLUG,
    TIMEOUT,
    Run,
    _edit,
    _edit_show,
    _env,
    _image,
    assert_fails,
    snapshot,
    temp_files,
    toolkit,
)

REPO = Path(__file__).resolve().parents[2]
KILL_CHILD = REPO / "tests" / "support" / "kill_child.py"
TOML_EP = f"{EP}/episode.toml"


def run_env(root: Path, *args: str, env: dict[str, str] | None = None) -> Run:
    """``python -m toolkit ARGS`` in ``root`` with extra environment variables."""
    full = _env(root.parent / "argos-home")
    full.update(env or {})
    proc = subprocess.run([sys.executable, "-m", "toolkit", *args], cwd=root, env=full,
                          capture_output=True, text=True, timeout=TIMEOUT)
    return Run(proc.returncode, proc.stdout, proc.stderr)


def feeds_digest(root: Path) -> dict[str, str]:
    return {k: v for k, v in snapshot(root).items() if k.startswith("feeds/")}


def _set_ep(root: Path, key: str, value: str) -> None:
    """Set (or add) ``key = value`` (TOML source) at the top level of the episode's toml."""
    path = root / TOML_EP
    text = path.read_text(encoding="utf-8")
    if re.search(rf"(?m)^{re.escape(key)} = ", text):
        text = re.sub(rf"(?m)^{re.escape(key)} = .*$", lambda _: f"{key} = {value}", text, count=1)
    else:
        text = text.replace("\nnumber = ", f"\n{key} = {value}\nnumber = ", 1)
    path.write_text(text, encoding="utf-8")


def _json_str(value: str) -> str:
    import json

    return json.dumps(value, ensure_ascii=True)  # a JSON string is a TOML basic string (\\u escapes)


# =========================================================================== confinement


@pytest.mark.parametrize("value", ["/etc/passwd", "../../../secret.png", "../../episodes/other/cover.png"],
                         ids=["absolute", "relative-escape", "another-episode"])
def test_episode_image_outside_its_folder_is_refused(show: Path, value: str) -> None:
    (show.parent / "secret.png").write_bytes(_image((1400, 1400), "PNG"))
    (show / "episodes" / "other").mkdir()
    (show / "episodes" / "other" / "cover.png").write_bytes(_image((1400, 1400), "PNG"))
    _set_ep(show, "image", _json_str(value))
    assert_fails(show, PUBLISH, f"{SLUG}/episode.toml:", "image:", repr(value),
                 f"outside the episode folder episodes/{SLUG}/")
    assert not any(p.name in ("passwd", "secret.png", "cover.png")
                   for p in (show / "feeds" / "episodes" / SLUG).iterdir())


def test_show_image_outside_the_show_is_refused(show: Path) -> None:
    outside = show.parent / "outside-cover.png"
    shutil.copy(show / "cover.png", outside)
    _edit_show(show, r"^image = .*$", f"image = {_json_str(str(outside))}")
    assert_fails(show, PUBLISH, "show.toml:", "image:", "outside the show folder")
    assert not (show / "feeds" / "outside-cover.png").exists()


@pytest.mark.parametrize("where", ["other-episode", "absolute"])
def test_audio_outside_the_episode_folder_is_refused(show: Path, where: str) -> None:
    other = show / "episodes" / "other"
    other.mkdir()
    shutil.copy(show / EP / "audio.mp3", other / "audio.mp3")
    value = "../other/audio.mp3" if where == "other-episode" else str(other / "audio.mp3")
    _set_ep(show, "audio", _json_str(value))
    assert_fails(show, PUBLISH, f"{SLUG}/episode.toml:", "audio:", repr(value), "outside the episode folder")


def test_symbolic_links_are_resolved_before_the_check(show: Path) -> None:
    outside = show.parent / "outside.srt"
    shutil.copy(show / EP / "transcript.srt", outside)
    (show / EP / "transcript.srt").unlink()
    (show / EP / "transcript.srt").symlink_to(outside)
    assert_fails(show, PUBLISH, f"{SLUG}/episode.toml:", "transcript:", "outside the episode folder",
                 f"a symbolic link to {outside.resolve()}")


def test_episode_folder_linked_from_outside_is_refused(show: Path) -> None:
    outside = show.parent / "elsewhere"
    shutil.copytree(show / EP, outside)
    (show / "episodes" / "linked").symlink_to(outside)
    assert_fails(show, ("publish",), "episodes/linked:", "outside the show folder")


def test_shared_assets_folder_allows_episode_files(base_show: Path, show: Path) -> None:
    """The one way to share files between episodes: a folder the show names."""
    (show / "shared").mkdir()
    shutil.move(show / EP / "audio.mp3", show / "shared" / "audio.mp3")
    _set_ep(show, "audio", '"../../shared/audio.mp3"')
    assert_fails(show, PUBLISH, "audio:", "outside the episode folder", "show.toml 'assets'")
    _edit_show(show, r"^explicit = ", 'assets = "shared"\nexplicit = ')  # a top-level key
    run = toolkit(show, *PUBLISH)
    assert run.rc == 0, run.err
    # the same enclosure, the same feeds and pages (show.toml changed: the cover stays the same)
    assert feeds_digest(show) == feeds_digest(base_show)


def test_missing_episode_image_is_a_config_error(show: Path) -> None:
    _set_ep(show, "image", '"nothere.png"')
    assert_fails(show, PUBLISH, f"{SLUG}/episode.toml:", "image: file 'nothere.png' not found")


@pytest.mark.parametrize(("data", "words"), [
    (b"root:x:0:0:root:/root:/bin/bash\n", "not a readable image"),
    (_image((1400, 1400), "GIF"), "GIF image"),
    (_image((300, 300), "PNG"), "300×300 px"),
], ids=["text-named-png", "gif", "small"])
def test_episode_image_is_checked_by_content_before_anything_is_copied(show: Path, data: bytes,
                                                                       words: str) -> None:
    (show / EP / "art.png").write_bytes(data)
    _set_ep(show, "image", '"art.png"')
    (show / "feeds" / "episodes" / SLUG / "audio.mp3").unlink()  # would be copied first
    assert_fails(show, PUBLISH, f"{SLUG}/episode.toml:", "image: art.png:", words)
    assert not (show / "feeds" / "episodes" / SLUG / "art.png").exists()
    assert not (show / "feeds" / "episodes" / SLUG / "audio.mp3").exists()


# =========================================================================== URLs


@pytest.mark.parametrize(("value", "words"), [
    ("javascript:alert(document.cookie)", "scheme 'javascript' is not allowed"),
    ("data:text/html,<script>x</script>", "contains an angle bracket"),
    ("https://example.org/a page", "contains whitespace"),
    ("https://user@evil.example/", "user name or password"),
])
def test_unsafe_show_link_is_refused(show: Path, value: str, words: str) -> None:
    _edit_show(show, r"^link = .*$", f"link = {_json_str(value)}")
    assert_fails(show, PUBLISH, "show.toml:", "link:", "not an acceptable URL", words)


@pytest.mark.parametrize("key", ["href", "img"])
def test_unsafe_speaker_url_is_refused(show: Path, key: str) -> None:
    path = show / TOML_EP
    _edit(path, 'Priya = { name = "Priya Nair"', f'Priya = {{ {key} = "javascript:alert(1)", name = "Priya Nair"')
    assert_fails(show, PUBLISH, f"{SLUG}/episode.toml:", f"speakers.Priya.{key}:", "scheme 'javascript'")


@pytest.mark.parametrize("value", ['https://x.example.org/"><script>alert(1)</script>',
                                   "https://fieldnotes.example.org/?q=1", "javascript://x.org/"])
def test_base_url_is_checked_whole_not_by_prefix(show: Path, value: str) -> None:
    _edit_show(show, r"^base_url = .*$", f"base_url = {_json_str(value)}")
    assert_fails(show, PUBLISH, "show.toml:", "base_url:", "must be an absolute http(s) URL")


def test_check_rechecks_urls_in_published_feeds(show: Path) -> None:
    """A feed edited by hand (or written before the config was fixed) is caught."""
    feed = show / "feeds" / "feed.xml"
    text = feed.read_text(encoding="utf-8")
    text, n = re.subn(r"<link>[^<]*</link>", "<link>javascript:alert(1)</link>", text, count=1)
    assert n == 1
    text = text.replace('role="guest"', 'role="guest" href="https://x.org/&quot;&gt;"', 1)
    feed.write_text(text, encoding="utf-8")
    run = toolkit(show, "check")
    assert run.rc == 1, run.out
    assert "Traceback" not in run.err
    assert "feeds/feed.xml: unsafe or invalid URL in <link>: 'javascript:alert(1)'" in run.out, run.out
    assert "unsafe or invalid URL in <person href>" in run.out and "contains a quote" in run.out, run.out
    clean = toolkit(show, *PUBLISH)  # republishing writes a clean feed again
    assert clean.rc == 0, clean.err
    assert "javascript:" not in feed.read_text(encoding="utf-8")


# =========================================================================== memory and store


def _damage_tail_of_memory(db_path: Path) -> None:
    """Add rows that no unchanged republish reads (another engine and language), then
    break the b-tree page they went to (the file's last page)."""
    db = sqlite3.connect(db_path)
    with db:
        db.executemany("INSERT INTO tm VALUES (?,?,?,?,?,?)",
                       [("zzz", "m", "en", "de", f"sentence {i:05d} " + "x" * 80, "y" * 80) for i in range(3000)])
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page_size = db.execute("PRAGMA page_size").fetchone()[0]
    pages = db.execute("PRAGMA page_count").fetchone()[0]
    db.close()
    with db_path.open("r+b") as fh:
        fh.seek((pages - 1) * page_size)
        page = bytearray(fh.read(page_size))
        page[3:5] = (999).to_bytes(2, "big")  # the page's cell count: now far beyond its cells
        fh.seek((pages - 1) * page_size)
        fh.write(page)


@pytest.mark.parametrize("damage", ["garbage", "partly"])
def test_damaged_memory_is_moved_aside_and_rebuilt(base_show: Path, show: Path, damage: str) -> None:
    memory = show / ".toolkit" / "memory.sqlite"
    if damage == "garbage":
        memory.write_bytes(os.urandom(8192))
        for extra in ("-wal", "-shm"):
            Path(str(memory) + extra).unlink(missing_ok=True)
    else:
        _damage_tail_of_memory(memory)
        # the damage is real (an unchanged republish does not read that part of the file)
        db = sqlite3.connect(memory)
        try:
            rows = db.execute("PRAGMA quick_check").fetchall()
        except sqlite3.DatabaseError as exc:
            rows = [(str(exc),)]
        db.close()
        assert rows != [("ok",)]
    run = toolkit(show, "publish")  # an unchanged republish
    assert run.rc == 0, run.err
    assert "Traceback" not in run.err
    warnings = [line for line in run.err.splitlines() if "memory" in line]
    assert len(warnings) == 1, run.err
    assert str(memory) in warnings[0] and "memory.sqlite.corrupt" in warnings[0] and "damaged" in warnings[0]
    assert (show / ".toolkit" / "memory.sqlite.corrupt").is_file()
    db = sqlite3.connect(memory)
    assert db.execute("PRAGMA quick_check").fetchall() == [("ok",)]
    db.close()
    assert feeds_digest(show) == feeds_digest(base_show)
    again = toolkit(show, "publish")
    assert again.rc == 0 and "damaged" not in again.err, again.err


def _store_header(root: Path, replacement: str) -> None:
    store = root / "translations" / SLUG / "es.vtt"
    lines = store.read_text(encoding="utf-8").split("\n")
    assert lines[2].startswith("NOTE toolkit-translations ")
    lines[2] = replacement
    store.write_text("\n".join(lines), encoding="utf-8")


@pytest.mark.parametrize(("header", "words"), [
    ("NOTE toolkit-translations format=1 slug=the-clock-doctor source=en lang=es",
     "the header names episode 'the-clock-doctor', but this is the store of 'darning-a-sweater'"),
    (f"NOTE toolkit-translations format=1 slug={SLUG} source=en lang=fr",
     "the header names language 'fr', but this is the 'es' store"),
], ids=["other-episode", "other-language"])
def test_store_naming_another_episode_or_language_is_never_overwritten(show_es: Path, header: str,
                                                                       words: str) -> None:
    _store_header(show_es, header)
    _edit(show_es / EP / "transcript.srt", "It looks like it has had a long life.",
          "It looks like it has had a very long life.")  # a publish would rewrite the store
    where = f"translations/{SLUG}/es.vtt:3:"
    assert_fails(show_es, PUBLISH, where, words, ".history/")
    assert_fails(show_es, ("translations", "import", "export.es.po"), where, words)
    assert_fails(show_es, ("translations", "export", SLUG, "--lang", "es", "--out", "x.po"), where, words)
    assert_fails(show_es, ("translations", "status"), where, words)


def test_corrupt_store_is_an_error_naming_file_and_line(show_es: Path) -> None:
    store = show_es / "translations" / SLUG / "es.vtt"
    text = store.read_text(encoding="utf-8")
    second = [m.start() for m in re.finditer(r"(?m)^NOTE toolkit state=", text)][1]
    line = text[:second].count("\n") + 1
    store.write_text(text[:second] + "NOTE toolkit state=bogus" + text[second + len("NOTE toolkit state=machine"):],
                     encoding="utf-8")
    _edit(show_es / EP / "transcript.srt", "It looks like it has had a long life.",
          "It looks like it has had a very long life.")
    assert_fails(show_es, PUBLISH, f"translations/{SLUG}/es.vtt:{line + 2}:", "unknown state 'bogus'")


@pytest.mark.parametrize("record", ["[]", '{"cues": []}', '{"cues": {"x": 1}}', "{"])
def test_damaged_export_record_does_not_break_an_import(show_es: Path, record: str) -> None:
    """Found while fuzzing the importer: a non-object export record crashed it."""
    (show_es / "translations" / SLUG / ".exports" / "es.json").write_text(record, encoding="utf-8")
    import polib

    po = polib.pofile(str(show_es / "export.es.po"))
    po[1].msgstr = "Parece que ha tenido una vida larga."
    po.save(str(show_es / "export.es.po"))
    run = toolkit(show_es, "translations", "import", "export.es.po")
    assert run.rc == 0, run.err
    assert "Traceback" not in run.err and "1 changed" in run.out, run.out


# =========================================================================== leftovers


def _change_source(root: Path) -> None:
    _edit(root / EP / "transcript.srt", "It looks like it has had a long life.",
          "It looks like it has had a very long life.")


def test_kill_between_temp_write_and_rename_leaves_nothing_in_feeds(show: Path, tmp_path: Path) -> None:
    _change_source(show)
    reference = tmp_path / "reference"
    shutil.copytree(show, reference)
    ok = toolkit(reference, "publish")
    assert ok.rc == 0, ok.err

    env = _env(show.parent / "argos-home")
    proc = subprocess.run([sys.executable, str(KILL_CHILD), "transcript.vtt", "--", "publish"], cwd=show,
                          env=env, capture_output=True, text=True, timeout=TIMEOUT)
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    left = temp_files(show)
    assert left and all(p.startswith(".toolkit/tmp/") for p in left), left  # never in feeds/
    run = toolkit(show, "publish")
    assert run.rc == 0, run.err
    assert "removed 1 temporary file(s) left by an interrupted run" in run.err and left[0] in run.err, run.err
    assert not temp_files(show)
    assert feeds_digest(show) == {k: v for k, v in feeds_digest(reference).items()}


def test_leftover_temp_files_are_reported_by_check_and_swept_by_publish(show: Path) -> None:
    """Leftovers of an older toolkit (temps beside their targets) in feeds/."""
    stray = show / "feeds" / "episodes" / SLUG / "en" / ".transcript.vtt.k3j9x_2a.tmp"
    stray.write_text("WEBVTT\n\nhalf", encoding="utf-8")
    run = toolkit(show, "check")
    assert run.rc == 1
    assert f"feeds/episodes/{SLUG}/en/.transcript.vtt.k3j9x_2a.tmp: temporary file left by an interrupted run" \
        in run.out, run.out
    run = toolkit(show, *PUBLISH)
    assert run.rc == 0, run.err
    assert "removed 1 temporary file(s)" in run.err and not stray.exists()


def test_outputs_of_a_deleted_episode_are_removed_and_listed(show: Path) -> None:
    second = show / "episodes" / "darning-again"
    shutil.copytree(show / EP, second)
    _edit(second / "episode.toml", 'guid = "48f8a0b6', 'guid = "99f8a0b6')
    run = toolkit(show, "publish")
    assert run.rc == 0, run.err
    assert (show / "feeds" / "episodes" / "darning-again" / "en" / "index.html").is_file()
    shutil.rmtree(second)
    run = toolkit(show, "publish")
    assert run.rc == 0, run.err
    assert "removed feeds/episodes/darning-again/: the episode folder episodes/darning-again/ is gone" in run.err
    assert not (show / "feeds" / "episodes" / "darning-again").exists()
    assert "darning-again" not in (show / "feeds" / "feed.xml").read_text(encoding="utf-8")
    assert "darning-again" not in (show / "feeds" / "index.html").read_text(encoding="utf-8")
    assert (show / "feeds" / "episodes" / SLUG / "en" / "index.html").is_file()


def test_outputs_of_a_dropped_language_are_removed_and_listed(show: Path) -> None:
    assert (show / "feeds" / "qps-ploc" / "feed.xml").is_file()
    _edit_show(show, r"^target_languages = .*$", "target_languages = []")
    run = toolkit(show, "publish")
    assert run.rc == 0, run.err
    assert "removed feeds/qps-ploc/feed.xml: no longer published" in run.err, run.err
    assert not (show / "feeds" / "qps-ploc").exists()
    assert not (show / "feeds" / "episodes" / SLUG / "qps-ploc").exists()


# =========================================================================== the lock


def test_a_second_run_waits_then_names_the_holder(show_es: Path) -> None:
    from toolkit.lock import show_lock

    po = show_es / "export.es.po"
    with show_lock(show_es):  # this test process is "the other run"
        for args in (PUBLISH, ("translations", "import", po.name)):
            before = snapshot(show_es)
            run = run_env(show_es, *args, env={"TOOLKIT_LOCK_WAIT": "1"})
            assert run.rc == 1, run.err
            assert "Traceback" not in run.err
            last = run.err_lines[-1]
            assert last.startswith(f"error: {show_es / '.toolkit' / 'lock'}: another toolkit run is working "
                                   f"on this show: pid {os.getpid()} ("), last
            assert "waited 1 s" in last
            assert snapshot(show_es) == before


@pytest.mark.parametrize("second", [PUBLISH, ("translations", "import", "export.es.po")],
                         ids=["publish", "import"])
def test_two_real_runs_do_not_overlap(show_es: Path, second: tuple[str, ...]) -> None:
    """A real ``toolkit publish`` held in the middle of writing (its lock taken,
    half of its files written): a second publish or an import does not run beside it."""
    _edit(show_es / EP / "transcript.srt", "It looks like it has had a long life.",
          "It looks like it has had a very long life.")
    first = subprocess.Popen([sys.executable, str(KILL_CHILD), "transcript.vtt", "1", "pause", "--", "publish"],
                             cwd=show_es, env=_env(show_es.parent / "argos-home"), stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert first.stdout is not None and first.stdout.readline().strip() == "paused"
        store = (show_es / "translations" / SLUG / "es.vtt").read_bytes()
        run = run_env(show_es, *second, env={"TOOLKIT_LOCK_WAIT": "1"})
        assert run.rc == 1, run.out + run.err
        assert f"another toolkit run is working on this show: pid {first.pid} (toolkit publish)" in run.err_lines[-1]
        assert (show_es / "translations" / SLUG / "es.vtt").read_bytes() == store  # not touched by the second
        assert first.stdin is not None
        first.stdin.write("go\n")
        first.stdin.flush()
        assert first.wait(timeout=TIMEOUT) == 0, first.stderr.read() if first.stderr else ""
    finally:
        if first.poll() is None:
            first.kill()
            first.wait(timeout=60)
    again = run_env(show_es, *second)
    assert again.rc == 0, again.err


def test_a_lock_left_by_a_dead_process_does_not_block(show: Path) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time\nfrom toolkit.lock import show_lock\n"
         "with show_lock(sys.argv[1]):\n    print('locked', flush=True)\n    time.sleep(600)\n", str(show)],
        stdout=subprocess.PIPE, text=True, env=_env(show.parent / "argos-home"))
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        blocked = run_env(show, *PUBLISH, env={"TOOLKIT_LOCK_WAIT": "0.5"})
        assert blocked.rc == 1 and f"pid {holder.pid} (" in blocked.err, blocked.err
    finally:
        holder.kill()
        holder.wait(timeout=60)
    assert f'"pid": {holder.pid}' in (show / ".toolkit" / "lock").read_text(encoding="utf-8")  # stale record
    run = run_env(show, *PUBLISH, env={"TOOLKIT_LOCK_WAIT": "5"})
    assert run.rc == 0, run.err
    assert "waiting" not in run.err


# =========================================================================== control and bidi characters


_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def test_control_characters_are_removed_on_the_way_in_and_reported_once(show: Path) -> None:
    _set_ep(show, "title", _json_str("Darning\x00 a \x1b[31mSweater\x7f"))
    _edit(show / EP / "transcript.srt", "It looks like it has had a long life.",
          "It looks\x01 like\x1b[2J it\x7f has had a long life.")
    run = toolkit(show, "publish")
    assert run.rc == 0, run.err
    reports = [line for line in run.err.splitlines() if "control character" in line]
    assert len(reports) == 2, run.err  # once per file, although the episode.toml is read twice
    assert any("episode.toml: removed 3 control character(s) U+0000, U+001B, U+007F (in title)" in r
               for r in reports), reports
    assert any("transcript.srt: removed 3 control character(s) U+0001, U+001B, U+007F (in line " in r
               for r in reports), reports
    published = [p for p in (show / "feeds").rglob("*") if p.is_file() and p.suffix in
                 (".html", ".vtt", ".srt", ".json", ".xml")]
    assert len(published) >= 10
    for path in published:
        text = path.read_text(encoding="utf-8")
        assert not _CONTROL.search(text), (path, _CONTROL.findall(text))
    page = (show / "feeds" / "episodes" / SLUG / "en" / "index.html").read_text(encoding="utf-8")
    assert "Darning a [31mSweater" in page and "It looks like[2J it has had a long life." in " ".join(page.split())


_FSI, _PDI, _RLO, _PDF = "\u2068", "\u2069", "\u202e", "\u202c"
_OPENERS = "\u202a\u202b\u202d\u202e\u2066\u2067\u2068"


def _overrides_outside_isolates(text: str) -> list[int]:
    """Positions of embedding/override controls not inside an FSI/LRI/RLI … PDI span."""
    depth, bad = 0, []
    for i, ch in enumerate(text):
        if ch in "\u2066\u2067\u2068":
            depth += 1
        elif ch == _PDI:
            depth = max(0, depth - 1)
        elif ch in "\u202a\u202b\u202d\u202e" and depth == 0:
            bad.append(i)
    return bad


def _balanced(text: str) -> bool:
    stack = []
    for ch in text:
        if ch in _OPENERS:
            stack.append("I" if ch in "\u2066\u2067\u2068" else "E")
        elif ch == _PDF:
            if not stack or stack.pop() != "E":
                return False
        elif ch == _PDI:
            if not stack or stack.pop() != "I":
                return False
    return not stack


class _Texts(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.values: list[str] = []

    def handle_data(self, data: str) -> None:
        self.values.append(data)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.values.extend(v for _, v in attrs if v)


def test_bidi_overrides_stay_inside_isolates_on_pages(show: Path) -> None:
    _set_ep(show, "title", _json_str(f"Darning {_RLO}gnissim"))
    _edit(show / EP / "transcript.srt", "It looks like it has had a long life.",
          f"It looks like {_RLO}efil gnol a{_PDF}{_PDF} had.")  # one override closed, one stray closer
    run = toolkit(show, "publish")
    assert run.rc == 0, run.err
    pages = [p for p in (show / "feeds").rglob("index.html")]
    found = 0
    for page in pages:
        parser = _Texts()
        parser.feed(page.read_text(encoding="utf-8"))
        for value in parser.values:
            if _RLO in value:
                found += 1
                assert not _overrides_outside_isolates(value), (page, value)
                assert _balanced(value), (page, value)
    assert found >= 4, found  # title (h1, <title>, og:title) and the cue at least
    vtt = (show / "feeds" / "episodes" / SLUG / "en" / "transcript.vtt").read_text(encoding="utf-8")
    for block in vtt.split("\n\n"):
        if _RLO in block:
            assert _balanced(block.split("\n", 2)[-1]), block  # every cue closes what it opens
    title = ET.parse(show / "feeds" / "feed.xml").getroot().find("channel/item/title")
    assert title is not None and title.text is not None and _balanced(title.text)


# =========================================================================== the preview server


def _threads(pid: int) -> int:
    status = Path(f"/proc/{pid}/status")
    if not status.exists():
        pytest.skip("no /proc to count the server's threads")
    return int(re.search(r"(?m)^Threads:\s+(\d+)", status.read_text()).group(1))  # type: ignore[union-attr]


def _raw(port: int, data: bytes, timeout: float = 30) -> bytes:
    """Send ``data`` (a request with ``Connection: close``) and read until the server closes."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(data)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
        return b"".join(chunks)


def test_preview_server_survives_hostile_clients(show: Path) -> None:
    """The real ``toolkit serve``: slow clients time out, connections are bounded,
    absurd ranges get 416, no listings and no hidden files."""
    from toolkit.serve import MAX_CONNECTIONS, TIMEOUT as IDLE

    stray = show / "feeds" / "episodes" / SLUG / "en" / ".index.html.k3j9x_2a.tmp"
    stray.write_text("half-written", encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "toolkit", "serve", "--port", "0"], cwd=show,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**_env(show.parent / "argos-home"), "PYTHONUNBUFFERED": "1"},
                            preexec_fn=interruptible)
    held: list[socket.socket] = []
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        port = int(re.search(r"127\.0\.0\.1:(\d+)/", line).group(1))  # type: ignore[union-attr]
        audio = f"/episodes/{SLUG}/audio.mp3"
        size = (show / "feeds" / "episodes" / SLUG / "audio.mp3").stat().st_size
        get = "GET {} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n{}\r\n"

        answer = _raw(port, get.format(audio, "Range: bytes=" + "9" * 5000 + "-\r\n").encode())
        assert answer.startswith(b"HTTP/1.1 416 "), answer[:80]
        assert f"Content-Range: bytes */{size}".encode() in answer
        answer = _raw(port, get.format(audio, "Range: bytes=0-" + "9" * 5000 + "\r\n").encode())
        assert answer.startswith(b"HTTP/1.1 206 ") and f"bytes 0-{size - 1}/{size}".encode() in answer
        answer = _raw(port, get.format(audio, "Range: bytes=-" + "9" * 5000 + "\r\n").encode())
        assert answer.startswith(b"HTTP/1.1 206 ")
        head = _raw(port, f"HEAD {audio} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nRange: bytes=0-9\r\n\r\n"
                    .encode())
        assert head.startswith(b"HTTP/1.1 206 ") and b"Content-Length: 10\r\n" in head
        assert head.endswith(b"\r\n\r\n")  # headers only

        for path in (f"/episodes/{SLUG}/en/{stray.name}", f"/episodes/{SLUG}/"):
            answer = _raw(port, get.format(path, "").encode())
            assert answer.startswith(b"HTTP/1.1 404 "), (path, answer[:80])
            assert b"half-written" not in answer and b"audio.mp3" not in answer

        base_threads = _threads(proc.pid)
        for _ in range(MAX_CONNECTIONS + 36):  # half-sent requests that never finish
            sock = socket.create_connection(("127.0.0.1", port), timeout=30)
            sock.sendall(b"GET /feed.xml HTTP/1.1\r\nHost: x\r\n")
            held.append(sock)
        time.sleep(1.5)
        assert _threads(proc.pid) <= base_threads + MAX_CONNECTIONS
        busy = _raw(port, get.format("/feed.xml", "").encode(), timeout=10)
        assert busy.startswith(b"HTTP/1.1 503 "), busy[:80]
        # every slow client is cut off after the idle timeout, and the server answers again
        deadline = time.monotonic() + IDLE * 3
        closed = 0
        for sock in held[:MAX_CONNECTIONS]:
            sock.settimeout(max(0.1, deadline - time.monotonic()))
            try:
                if sock.recv(100) is not None:
                    closed += 1
            except TimeoutError:
                pass
        assert closed == MAX_CONNECTIONS
        ok = _raw(port, get.format("/feed.xml", "").encode())
        assert ok.startswith(b"HTTP/1.1 200 "), ok[:80]
        assert _threads(proc.pid) <= base_threads + 2
    finally:
        for sock in held:
            sock.close()
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
    assert proc.returncode == 0, proc.stderr.read() if proc.stderr else ""

