"""Time-bounded fuzzing of what users hand the toolkit (issue 10).

Targets: the config loader (``show.toml`` / ``episode.toml``), the translations
store parser, the translator importer (reading SRT/VTT/PO, then matching
against a store), the export record, the translation memory's database file,
and the text/URL policies every one of them applies.

The contract, for every generated input:

* the only exception allowed is the toolkit's own (:class:`ToolkitError`); any
  other is a bug (a traceback for the user);
* no single input may take more than a second (hypothesis' ``deadline``);
* what is accepted obeys the policies (paths inside the show, URLs http(s)
  without quotes or spaces, no control characters, balanced bidi controls).

Inputs that found bugs are kept as ``@example`` regression cases.  The number
of examples is bounded (``TOOLKIT_FUZZ_EXAMPLES``, default 120 per target):
the whole module takes well under a minute on the CI machine.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from toolkit import config, sanitize, urls
from toolkit.errors import ToolkitError
from toolkit.model import Cue
from toolkit.review import export as review_export
from toolkit.review.importer import ImportedCue, ParsedFile, plan_import, read_file
from toolkit.review.store import Entry, Store, parse_store, text_hash
from toolkit.translate.memory import TranslationMemory

EXAMPLES = int(os.environ.get("TOOLKIT_FUZZ_EXAMPLES", "120"))
FUZZ = settings(max_examples=EXAMPLES, deadline=dt.timedelta(seconds=1), database=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                       HealthCheck.filter_too_much, HealthCheck.data_too_large])

CONTROL = sanitize._CONTROL


@pytest.fixture(scope="module")
def workdir() -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="toolkit-fuzz-"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def _allowed(call) -> object:  # type: ignore[no-untyped-def]
    """``call()``; a ToolkitError is an accepted answer (returns None)."""
    try:
        return call()
    except ToolkitError:
        return None


# =========================================================================== config

_WORDS = ["https://x.org", "https://x.org/a", "http://[::1]:8080/", "javascript:alert(1)", "data:,x",
          "https://x.org/\"><script>", "en", "es", "fr", "xx", "Technology", "Leisure > Crafts", "cover.png",
          "../cover.png", "/etc/passwd", "../../x", "audio.mp3", "transcript.txt", "shared", ".", "a@b.org",
          "2026-01-01", "2026-01-01T09:00:00Z", "\u202eevil", "\x00\x1b[2J\x7f", "pseudo", "apertium",
          "~", "%2e%2e/x", "link/../../x"]
_KEYS_SHOW = ["title", "description", "author", "base_url", "link", "language", "categories", "image",
              "explicit", "copyright", "target_languages", "guid", "type", "locked", "assets", "owner",
              "translation", "ingest"]
_KEYS_EP = ["title", "date", "description", "audio", "transcript", "number", "season", "guid", "image", "type",
            "language", "explicit", "speakers"]
_SUBKEYS = ["name", "email", "engine", "engines", "drop", "href", "img", "role", "group", "es", "Ana"]

_scalar = st.one_of(st.none(), st.booleans(), st.integers(-10 ** 20, 10 ** 20),
                    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=10),
                    st.sampled_from(_WORDS), st.dates(), st.datetimes())
_value = st.recursive(_scalar, lambda inner: st.lists(inner, max_size=3)
                      | st.dictionaries(st.sampled_from(_SUBKEYS), inner, max_size=3), max_leaves=6)


def _toml_value(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value != value:
            return "nan"
        if value in (float("inf"), float("-inf")):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)  # a JSON string is a TOML basic string
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(v for v in map(_toml_value, value) if v is not None) + "]"
    if isinstance(value, dict):
        items = ((json.dumps(k), _toml_value(v)) for k, v in value.items())
        return "{" + ", ".join(f"{k} = {v}" for k, v in items if v is not None) + "}"
    raise TypeError(value)


def _toml(table: dict[str, object]) -> str:
    lines = ((key, _toml_value(value)) for key, value in table.items())
    return "".join(f"{key} = {value}\n" for key, value in lines if value is not None)


_BASE_SHOW = {"title": "T", "description": "D", "author": "A", "base_url": "https://x.org", "language": "en",
              "categories": ["Technology"], "image": "cover.png", "owner": {"email": "a@b.org"}}
_BASE_EP = {"title": "t", "date": "2026-01-01", "description": "d", "audio": "audio.mp3"}


def _show_folder(workdir: Path, show_toml: str, episode_toml: str) -> Path:
    root = workdir / "show"
    shutil.rmtree(root, ignore_errors=True)
    (root / "episodes" / "ep").mkdir(parents=True)
    (root / "shared").mkdir()
    (root / "cover.png").write_bytes(b"\x89PNG")
    (root / "episodes" / "ep" / "audio.mp3").write_bytes(b"ID3")
    (root / "episodes" / "ep" / "transcript.txt").write_text("Hello.\n", encoding="utf-8")
    (root / "show.toml").write_text(show_toml, encoding="utf-8")
    (root / "episodes" / "ep" / "episode.toml").write_text(episode_toml, encoding="utf-8")
    return root


def _inside(path: Path, folder: Path) -> bool:
    resolved, base = path.resolve(), folder.resolve()
    return resolved == base or base in resolved.parents


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(k)
            yield from _strings(v)
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from _strings(v)


def _check_loaded(root: Path) -> None:
    """Load the show and its episodes; whatever is accepted obeys the policies."""
    show = config.load_show(root)
    episodes = config.load_episodes(show)
    assert _inside(show.image, root)
    assert urls.base_url_problem(show.base_url) is None
    assert show.link is None or urls.url_problem(show.link) is None
    texts = [show.title, show.description, show.author, show.owner_name, show.copyright or ""]
    for ep in episodes:
        allowed = [ep.folder] + ([show.assets] if show.assets else [])
        for path in (ep.audio, ep.transcript, *([ep.image] if ep.image else [])):
            assert any(_inside(path, folder) for folder in allowed), path
        for person in ep.speakers.values():
            for url in (person.href, person.img):
                assert url is None or urls.url_problem(url) is None, url
            texts.append(person.name)
        texts += [ep.title, ep.description]
    for text in texts:
        assert not CONTROL.search(text), text


@FUZZ
@given(show=st.dictionaries(st.sampled_from(_KEYS_SHOW), _value, max_size=6),
       episode=st.dictionaries(st.sampled_from(_KEYS_EP), _value, max_size=6), complete=st.booleans())
@example(show={"link": "javascript:alert(1)"}, episode={}, complete=True)  # issue 10: became the feed <link>
@example(show={"base_url": 'https://x.org/"><script>'}, episode={}, complete=True)  # passed a prefix check
@example(show={}, episode={"image": "/etc/passwd"}, complete=True)  # issue 10: copied into feeds/
@example(show={}, episode={"speakers": {"Ana": {"href": "javascript:x", "name": "Ana"}}}, complete=True)
def test_config_loader(workdir: Path, show: dict[str, object], episode: dict[str, object], complete: bool) -> None:
    show_table = {**_BASE_SHOW, **show} if complete else show
    root = _show_folder(workdir, _toml(show_table), _toml({**_BASE_EP, **episode}))
    _allowed(lambda: _check_loaded(root))


@FUZZ
@given(show_text=st.text(max_size=300), episode_text=st.text(max_size=300))
def test_config_loader_on_arbitrary_text(workdir: Path, show_text: str, episode_text: str) -> None:
    root = _show_folder(workdir, _toml(_BASE_SHOW) + show_text, _toml(_BASE_EP) + episode_text)
    _allowed(lambda: _check_loaded(root))


# =========================================================================== the translations store

_STORE_TOKENS = ["WEBVTT", "\n", "\n\n", "NOTE ", "toolkit-translations ", "toolkit ", "format=1 ",
                 "format=2 ", "slug=ep ", "slug=other ", "lang=es ", "lang=fr ", "source=en ", "state=machine ",
                 "state=human ", "state=stale ", "source=0123abcd ", "text=0123abcd ", 'model="x y" ',
                 'engine="a\\"b" ', '"', "\\", "=", "00:00:01.000 --> 00:00:02.000", "00:01.000 --> 00:02.000",
                 "c1", "c2", "<v Ana>", "</v>", "&amp;", "&#27;", "&#x202e;", "&nbsp;", "\x1b", "\ufeff", "\r",
                 "é", " ", "-->", "STYLE", "REGION", "<i>", "{\\an8}"]
_store_text = st.lists(st.sampled_from(_STORE_TOKENS) | st.text(max_size=4), max_size=50).map("".join)
_HEADER = "WEBVTT\n\nNOTE toolkit-translations format=1 slug=ep source=en lang=es\n\n"


def _check_store(text: str, slug: str | None, lang: str | None) -> None:
    store = parse_store(text, path="translations/ep/es.vtt", slug=slug, lang=lang)
    assert slug is None or store.slug == slug
    assert lang is None or store.lang == lang
    for entry in store.entries:
        assert not CONTROL.search(entry.text) and not CONTROL.search(entry.speaker or "")
        assert entry.state in ("machine", "human", "stale")


@FUZZ
@given(text=_store_text, prefix=st.booleans(), expect=st.booleans())
@example(text="WEBVTT\n\nNOTE toolkit-translations format=1 slug=other source=en lang=es\n", prefix=False,
         expect=True)  # issue 10: a header naming another episode crashed the merge (ValueError)
@example(text="WEBVTT\n\nNOTE toolkit-translations format=1 slug=ep source=en lang=fr\n", prefix=False,
         expect=True)  # ... or another language
@example(text="NOTE toolkit state=human source=0123abcd\n\nc1\n00:00:01.000 --> 00:00:02.000\nx&#27;[2J\n",
         prefix=True, expect=True)  # a character reference decoding to ESC
def test_store_parser(text: str, prefix: bool, expect: bool) -> None:
    body = (_HEADER + text) if prefix else text
    _allowed(lambda: _check_store(body, "ep" if expect else None, "es" if expect else None))


# =========================================================================== the translator importer

_IMPORT_TOKENS = _STORE_TOKENS + [
    "toolkit-export ", "toolkit-cue ", "1\n", "2\n", "00:00:01,000 --> 00:00:02,000", "Ana: ", 'msgid ""\n',
    'msgstr ""\n', '"Language: es\\n"\n', '"X-Toolkit-Episode: ep\\n"\n', 'msgctxt "c1"\n', 'msgid "Hello"\n',
    'msgstr "Hola"\n', "#, fuzzy\n", "#. 00:00:01.000 --> 00:00:02.000\n", '#~ msgid "old"\n',
    'msgid_plural "x"\n', 'msgstr[0] "a"\n', 'msgstr[x] "b"\n', '"\\x"\n', '"unterminated\n', "#| msgid \"p\"\n",
    '"\\u001b"\n']
_import_text = st.lists(st.sampled_from(_IMPORT_TOKENS) | st.text(max_size=4), max_size=50).map("".join)


def _check_parsed(path: Path) -> None:
    parsed = read_file(path, speakers=["Ana"])
    for cue in parsed.cues:
        assert not CONTROL.search(cue.text) and not CONTROL.search(cue.speaker or "")


@FUZZ
@given(text=_import_text, ext=st.sampled_from(["po", "vtt", "srt", "txt"]), encoding=st.sampled_from(
    ["utf-8", "utf-8-sig", "utf-16"]))
def test_importer_reads_translator_files(workdir: Path, text: str, ext: str, encoding: str) -> None:
    path = workdir / f"file.{ext}"
    path.write_bytes(text.encode(encoding, errors="surrogatepass"))
    _allowed(lambda: _check_parsed(path))


@FUZZ
@given(data=st.binary(max_size=400), ext=st.sampled_from(["po", "vtt", "srt", "bin"]))
def test_importer_on_arbitrary_bytes(workdir: Path, data: bytes, ext: str) -> None:
    path = workdir / f"raw.{ext}"
    path.write_bytes(data)
    _allowed(lambda: _check_parsed(path))


_SOURCE = tuple(Cue(f"c{i}", i * 2000, i * 2000 + 1500, (f"source text {i}",), speaker="Ana" if i % 2 else None)
                for i in range(6))
_STORE = Store("ep", "en", "es", tuple(
    Entry(c.id, c.start, c.end, f"texto {i}", "human" if i == 2 else "machine", text_hash(c.text))
    for i, c in enumerate(_SOURCE)))
_time = st.one_of(st.none(), st.integers(-5, 14_000))
_cue = st.tuples(st.one_of(st.none(), st.sampled_from([c.id for c in _SOURCE] + ["zz", ""])), _time, _time,
                 st.text(max_size=20), st.one_of(st.none(), st.text(max_size=3)), st.booleans(),
                 st.one_of(st.none(), st.sampled_from([text_hash(c.text) for c in _SOURCE] + ["00000000"])))


@FUZZ
@given(cues=st.lists(_cue, max_size=10), fmt=st.sampled_from(["po", "vtt", "srt"]),
       slug=st.one_of(st.none(), st.sampled_from(["ep", "other"])),
       lang=st.one_of(st.none(), st.sampled_from(["es", "es_ES", "fr", "zz-!!"])))
def test_importer_matches_any_file_against_the_store(cues: list[tuple], fmt: str, slug: str | None,
                                                      lang: str | None) -> None:
    parsed = ParsedFile(f"file.{fmt}", fmt, slug, lang, tuple(
        ImportedCue(i + 1, i * 4 + 1, cid, s, e, text, speaker, seen, fuzzy)
        for i, (cid, s, e, text, speaker, fuzzy, seen) in enumerate(cues)))
    result = _allowed(lambda: plan_import(parsed, _STORE, _SOURCE))
    if result is not None:
        new, _report = result  # type: ignore[misc]
        assert [e.id for e in new.entries] == [c.id for c in _SOURCE]
        human_before = {e.id for e in _STORE.entries if e.state != "machine"}
        assert human_before <= {e.id for e in new.entries if e.state != "machine"}  # corrections never lost


@FUZZ
@given(record=st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=8),
                           lambda inner: st.lists(inner, max_size=3)
                           | st.dictionaries(st.sampled_from(["cues", "source", "c1", "slug"]), inner,
                                             max_size=3), max_leaves=8).map(json.dumps)
       | st.text(max_size=40))
@example(record="[]")  # found by this fuzzer: AttributeError on a record that is not an object
@example(record='{"cues": []}')
def test_export_record_reader(workdir: Path, record: str) -> None:
    store_file = workdir / "translations" / "ep" / "es.vtt"
    record_file = review_export.manifest_path(store_file)
    record_file.parent.mkdir(parents=True, exist_ok=True)
    record_file.write_text(record, encoding="utf-8")
    seen = review_export.read_manifest(store_file)
    assert isinstance(seen, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in seen.items())


# =========================================================================== the translation memory


def _memory_bytes() -> bytes:
    folder = Path(tempfile.mkdtemp(prefix="toolkit-fuzz-db-"))
    try:
        with TranslationMemory(folder / "memory.sqlite") as tm:
            tm.store("pseudo", "1", "en", "fr", {f"sentence {i}": f"phrase {i}" for i in range(200)})
        db = sqlite3.connect(folder / "memory.sqlite")
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db.close()
        return (folder / "memory.sqlite").read_bytes()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


_DB = _memory_bytes()


@FUZZ
@given(edits=st.lists(st.tuples(st.integers(0, len(_DB) - 1), st.binary(min_size=1, max_size=8)), min_size=1,
                      max_size=6), truncate=st.one_of(st.none(), st.integers(0, len(_DB))))
@example(edits=[(0, b"garbage!")], truncate=None)  # issue 10: "file is not a database", no file named
@example(edits=[(3811, b"\x80")], truncate=None)  # found by this fuzzer: a stored text no longer UTF-8
@example(edits=[(10836, b"\x00")], truncate=None)  # found by this fuzzer: a damaged index answered other rows
def test_memory_database_damage(workdir: Path, edits: list[tuple[int, bytes]], truncate: int | None) -> None:
    data = bytearray(_DB)
    for at, chunk in edits:
        data[at:at + len(chunk)] = chunk
    if truncate is not None:
        del data[truncate:]
    folder = workdir / "memory"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    path = folder / "memory.sqlite"
    path.write_bytes(bytes(data))

    def use() -> None:
        with TranslationMemory(path) as tm:
            found = tm.lookup("pseudo", "1", "en", "fr", [f"sentence {i}" for i in range(200)])
            # (a flipped byte inside a stored text that stays valid UTF-8 is not detectable:
            # SQLite keeps no checksums of row contents; only the shape is checked here)
            assert all(isinstance(k, str) and isinstance(v, str) for k, v in found.items())
            tm.store("pseudo", "1", "en", "fr", {"new": "nouveau"})
            assert tm.lookup("pseudo", "1", "en", "fr", ["new"]) == {"new": "nouveau"}

    _allowed(use)


# =========================================================================== the policies themselves


@FUZZ
@given(text=st.text(max_size=60) | st.lists(st.sampled_from(list(sanitize.BIDI_CONTROLS) + ["a", "\x1b", " "]),
                                             max_size=30).map("".join))
def test_clean_text_leaves_no_controls_and_balanced_bidi(text: str) -> None:
    cleaned = sanitize.clean_text(text)
    assert not CONTROL.search(cleaned)
    assert sanitize.clean_text(cleaned) == cleaned  # idempotent
    assert sanitize.balance_bidi(cleaned) == cleaned
    isolated = sanitize.isolate_bidi(cleaned)
    if sanitize.has_bidi_controls(cleaned):
        assert isolated.startswith("\u2068") and isolated.endswith("\u2069")
    else:
        assert isolated == cleaned


@FUZZ
@given(url=st.text(max_size=40).map(lambda s: "https://x.org/" + s) | st.text(max_size=40)
       | st.sampled_from(["javascript:alert(1)", "https://x.org/\"><script>", "HTTPS://X.ORG", "mailto:a@b.org"]))
def test_url_policy_accepts_only_safe_urls(url: str) -> None:
    from urllib.parse import urlsplit

    if urls.url_problem(url) is None:
        parts = urlsplit(url)
        assert parts.scheme.lower() in ("http", "https") and parts.hostname
        assert not any(ch.isspace() or ch in "\"'<>`\\" for ch in url)
    page = urls.page_url_problem(url)
    if page is None and ":" in url.split("/", 1)[0]:
        assert url.split(":", 1)[0].lower() in ("http", "https", "mailto")
