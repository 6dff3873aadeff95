"""Incremental feeds: build_feed(items=…) reuses the <item> bytes it rendered
before and gives exactly the bytes of a full build; write_show keeps the item
keys of every feed it wrote and reuses the published items only when the
published feed is the one it wrote."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from support.sitekit import HOSTILE, make_result, make_show, write_episode_files, write_show_files
from toolkit.publish import feed, site
from toolkit.publish.feed import ChannelTexts, EpisodeEntry, FeedSpec, LanguageEntry

UTC = dt.timezone.utc


def _entry(k: int, title: str = "") -> EpisodeEntry:
    return EpisodeEntry(
        slug=f"ep-{k:03d}", guid=None, date=dt.datetime(2026, 1, 1, tzinfo=UTC) + dt.timedelta(days=k),
        language="en",
        languages=(LanguageEntry("en", title or f"Episode {k}", f"About {k}.", has_chapters=k % 2 == 0),
                   LanguageEntry("es", f"Episodio {k}", f"Sobre {k}.", machine=True, engine="apertium")),
        audio_file="audio.mp3", audio_size=1000 + k, audio_mime="audio/mpeg", duration_ms=60_000 + k,
        number=k, has_transcript=True)


def _build(show, entries, spec, items=None, texts=None):  # type: ignore[no-untyped-def]
    specs = [FeedSpec(None, "feed.xml", "en"), FeedSpec("es", "es/feed.xml", "es")]
    return feed.build_feed(show, entries, spec=spec, all_specs=specs, texts=texts, items=items)


def test_every_change_gives_the_bytes_of_a_full_build(tmp_path: Path) -> None:
    show = make_show(tmp_path / "show")
    spec = FeedSpec("es", "es/feed.xml", "es")
    entries = [_entry(k) for k in range(12)]
    items: dict[str, bytes] = {}
    steps = [
        entries,
        entries[:5] + [replace(entries[5], number=99)] + entries[6:],  # one entry changed
        entries[:3] + entries[4:],  # one removed
        entries + [_entry(40, title=HOSTILE + "\n    <item>\n")],  # one added, with markup in its title
        [],
    ]
    for step in steps:
        assert _build(show, step, spec, items) == _build(show, step, spec)
    texts = ChannelTexts("Otro título", "Otra descripción", machine=True)
    assert _build(show, entries, spec, items, texts) == _build(show, entries, spec, None, texts)


def test_reused_items_are_not_rendered_again(tmp_path: Path) -> None:
    show = make_show(tmp_path / "show")
    spec = FeedSpec(None, "feed.xml", "en")
    entries = [_entry(k) for k in range(6)]
    items: dict[str, bytes] = {}
    _build(show, entries, spec, items)
    key = feed.item_keys(show, entries, spec)[2]
    items[key] = items[key].replace(b"<title>", b"<title>(from the cache) ")
    assert b"(from the cache) " in _build(show, entries, spec, items)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.text(min_size=1, max_size=30), min_size=0, max_size=6))
def test_split_items_gives_the_document_back(tmp_path_factory, titles: list[str]) -> None:  # type: ignore[no-untyped-def]
    show = make_show(tmp_path_factory.mktemp("show"))
    entries = [_entry(k, title=t) for k, t in enumerate(titles)]
    data = _build(show, entries, FeedSpec(None, "feed.xml", "en"))
    head, chunks, tail = feed.split_items(data)
    assert head + b"".join(chunks) + tail == data
    assert len(chunks) == len(entries)


def test_write_show_reuses_only_the_feed_it_wrote(tmp_path: Path) -> None:
    show = make_show(tmp_path / "show")
    results = [make_result(show, f"ep-{k}", langs={"es": "machine"},
                           date=dt.datetime(2026, 3, 1 + k, 9, tzinfo=UTC)) for k in range(4)]
    for result in results:
        write_episode_files(show, result)
    write_show_files(show, results)
    index = show.root / ".toolkit" / "cache" / "site" / "feed-items.index"
    assert index.is_file()

    published = show.feeds_dir / "es" / "feed.xml"
    # a hand edit of the published feed (another length, so the show's stamp is not current)
    published.write_bytes(published.read_bytes().replace(b"<title>", b"<title>EDITED ", 1))
    changed = make_result(show, "ep-1", langs={"es": "machine"}, title="A new title",
                          date=dt.datetime(2026, 3, 2, 9, tzinfo=UTC))
    write_episode_files(show, changed)
    write_show_files(show, [changed])

    fresh = make_show(tmp_path / "fresh")
    again = [make_result(fresh, f"ep-{k}", langs={"es": "machine"},
                         date=dt.datetime(2026, 3, 1 + k, 9, tzinfo=UTC)) for k in range(4)]
    again[1] = make_result(fresh, "ep-1", langs={"es": "machine"}, title="A new title",
                           date=dt.datetime(2026, 3, 2, 9, tzinfo=UTC))
    for result in again:
        write_episode_files(fresh, result)
    write_show_files(fresh, again)
    for name in ("feed.xml", "es/feed.xml"):
        mine = (show.feeds_dir / name).read_bytes()
        assert b"EDITED" not in mine
        assert mine == (fresh.feeds_dir / name).read_bytes().replace(b"/fresh/", b"/show/")


def test_write_show_takes_unchanged_items_from_the_published_feed(tmp_path: Path) -> None:
    import hashlib
    import json

    show = make_show(tmp_path / "show")
    results = [make_result(show, f"ep-{k}", langs={"es": "machine"},
                           date=dt.datetime(2026, 3, 1 + k, 9, tzinfo=UTC)) for k in range(3)]
    for result in results:
        write_episode_files(show, result)
    write_show_files(show, results)
    # mark the items of the published main feed, and record the marked bytes as what was written
    published = show.feeds_dir / "feed.xml"
    marked = published.read_bytes().replace(b"<title>Episode", b"<title>MARK Episode")
    published.write_bytes(marked)
    index_path = show.root / ".toolkit" / "cache" / "site" / "feed-items.index"
    index = json.loads(index_path.read_text(encoding="utf-8"))
    index["feed.xml"]["sha256"] = hashlib.sha256(marked).hexdigest()
    index_path.write_text(json.dumps(index), encoding="utf-8")

    changed = make_result(show, "ep-2", langs={"es": "machine"}, title="Changed",
                          date=dt.datetime(2026, 3, 3, 9, tzinfo=UTC))
    write_episode_files(show, changed)
    write_show_files(show, [changed])
    text = published.read_text(encoding="utf-8")
    assert text.count("<title>MARK Episode") == 2  # ep-0 and ep-1 reused as published
    assert "<title>Changed</title>" in text  # ep-2 rendered again


def _three(show):  # type: ignore[no-untyped-def]
    return [make_result(show, f"ep-{k}", langs={"es": "machine"}, date=dt.datetime(2026, 3, 1 + k, 9, tzinfo=UTC))
            for k in range(3)]


def test_show_page_rows_are_reused_from_the_published_page(tmp_path: Path) -> None:
    import hashlib
    import json

    show = make_show(tmp_path / "show")
    results = _three(show)
    for result in results:
        write_episode_files(show, result)
    write_show_files(show, results)
    page = show.feeds_dir / "es" / "index.html"
    index_path = show.root / ".toolkit" / "cache" / "site" / "feed-items.index"
    index = json.loads(index_path.read_text(encoding="utf-8"))
    spans = index["es/index.html"]["rows"]
    assert len(spans) == 3
    # mark the row of ep-0 (the oldest) in place, and record the marked page as the one written
    data = page.read_bytes()
    key, start, end = spans[2]
    row = data[start:end]
    assert row.startswith(b'<li id="episode-ep-0"')
    marked_row = row.replace(b"</li>", b"<!--MARK--></li>")
    data = data[:start] + marked_row + data[end:]
    page.write_bytes(data)
    index["es/index.html"] = {"sha256": hashlib.sha256(data).hexdigest(),
                              "rows": spans[:2] + [[key, start, start + len(marked_row)]]}
    index_path.write_text(json.dumps(index), encoding="utf-8")

    changed = make_result(show, "ep-2", langs={"es": "machine"}, title="Changed",
                          date=dt.datetime(2026, 3, 3, 9, tzinfo=UTC))
    write_episode_files(show, changed)
    write_show_files(show, [changed])
    text = page.read_text(encoding="utf-8")
    assert text.count("<!--MARK-->") == 1  # ep-0's row taken from the published page
    assert "Changed" in text  # the changed (latest) row rendered again


def test_incremental_show_pages_equal_a_fresh_build(tmp_path: Path) -> None:
    show, fresh = make_show(tmp_path / "show"), make_show(tmp_path / "fresh")
    results = _three(show)
    for result in results:
        write_episode_files(show, result)
    write_show_files(show, results)
    newest = make_result(show, "ep-9", langs={"es": "machine"}, date=dt.datetime(2026, 3, 9, 9, tzinfo=UTC))
    write_episode_files(show, newest)  # a new latest episode: the old latest loses its badge
    write_show_files(show, [newest])

    again = _three(fresh) + [make_result(fresh, "ep-9", langs={"es": "machine"},
                                         date=dt.datetime(2026, 3, 9, 9, tzinfo=UTC))]
    for result in again:
        write_episode_files(fresh, result)
    write_show_files(fresh, again)
    for name in ("index.html", "es/index.html", "feed.xml", "es/feed.xml"):
        assert (show.feeds_dir / name).read_bytes() == (fresh.feeds_dir / name).read_bytes(), name


def test_feeds_and_show_pages_rendered_on_a_worker_pool_are_the_same(tmp_path: Path) -> None:
    from concurrent.futures import ProcessPoolExecutor

    from toolkit import catalogue

    here, there = make_show(tmp_path / "here"), make_show(tmp_path / "there")
    for show in (here, there):
        results = _three(show)
        for result in results:
            write_episode_files(show, result)
        if show is here:
            write_show_files(show, results)
        else:
            with ProcessPoolExecutor(max_workers=2, mp_context=catalogue._context()) as pool:
                write_show_files(show, results, parallel=catalogue._on(pool))
    for name in ("index.html", "es/index.html", "feed.xml", "es/feed.xml"):
        assert (here.feeds_dir / name).read_bytes() == (there.feeds_dir / name).read_bytes(), name
    import json

    index = ".toolkit/cache/site/feed-items.index"
    mine, theirs = (json.loads((s.root / index).read_text(encoding="utf-8")) for s in (here, there))
    assert mine.keys() == theirs.keys()
    for name in mine:  # the keys name each show (its root), the spans and counts are the same
        assert len(mine[name].get("keys", mine[name].get("rows"))) == 3
        assert [r[1:] for r in mine[name].get("rows", [])] == [r[1:] for r in theirs[name].get("rows", [])]


def test_show_rows_are_keyed_by_their_entry_not_their_slug(tmp_path: Path) -> None:
    """Two manifests may carry one slug (an episode folder copied beside the original): each row
    is keyed by its own entry, so reusing the rows of the published page gives the same page."""
    from toolkit.cache import keys  # noqa: PLC0415  # reason: the row recipe, for this test only
    from toolkit.publish import pages, site  # noqa: PLC0415  # reason: the page job itself

    show = make_show(tmp_path / "show")
    day = dt.datetime(2026, 1, 1, tzinfo=UTC)
    rows = (pages.ShowPageEpisode(slug="ep-1", title="The original", date=day),
            pages.ShowPageEpisode(slug="ep-1", title="The copy, retitled", date=day + dt.timedelta(days=1)),
            pages.ShowPageEpisode(slug="ep-2", title="The latest", date=day + dt.timedelta(days=2)))
    digests = ("digest-original", "digest-copy", "digest-latest")
    ctx = pages.ShowPageContext(show=show, lang="en", title="Show", description="", episodes=rows)
    row_key = keys.SHOW_ROW.keyer(show="s", templates=None, lang="en", prefix="", with_pseudo=False)
    data, index = site._page_job(ctx, {}, row_key, digests)
    assert b"The original" in data and b"The copy, retitled" in data
    cached = {key: data[start:end].decode("utf-8") for key, start, end in index["rows"]}
    assert len(cached) == 3
    again, _ = site._page_job(ctx, cached, row_key, digests)
    assert again == data


def test_the_published_feed_is_recognised_by_its_file_version_before_its_hash(tmp_path: Path) -> None:
    """The index records each output's file version (device, inode, size, mtime, ctime) as well
    as its sha256: the same version is trusted without hashing megabytes again; any other
    version -- here an edit in place of the same length -- must match the sha256."""
    import json

    show = make_show(tmp_path / "show")
    results = _three(show)
    for result in results:
        write_episode_files(show, result)
    write_show_files(show, results)
    index_path = show.root / ".toolkit" / "cache" / "site" / "feed-items.index"
    index = json.loads(index_path.read_text(encoding="utf-8"))
    assert len(index["feed.xml"]["identity"]) == 5
    index["feed.xml"]["sha256"] = "0" * 64  # only the file version can vouch for it now
    index_path.write_text(json.dumps(index), encoding="utf-8")
    published = show.feeds_dir / "feed.xml"
    items = site._published_items(published, index["feed.xml"])
    assert len(items) == 3 and all(chunk.lstrip().startswith(b"<item>") for chunk in items.values())

    data = published.read_bytes()
    with open(published, "r+b") as fh:  # the same length, edited in place: a new ctime
        fh.write(data[:10].upper())
    assert site._published_items(published, index["feed.xml"]) == {}
