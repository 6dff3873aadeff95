"""The published-cues cache of translate_episode: an unchanged republish looks
nothing up in the translation memory; anything the published cues depend on
recomputes them."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import replace

import pytest

from toolkit.cache.published import published_path
from toolkit.translate import memory as memmod
from toolkit.translate import translate_episode
from support.engines import CountingEngine
from toolkit.translate.registry import get_engine

from translate_helpers import SENTENCES, make_show, make_source


@pytest.fixture()
def lookups(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count TranslationMemory.lookup calls through a pass-through wrapper (the real lookup runs)."""
    calls: list[int] = []
    real = memmod.TranslationMemory.lookup

    def counting(self, engine, model, src, tgt, sources):  # type: ignore[no-untyped-def]
        calls.append(len(sources))
        return real(self, engine, model, src, tgt, sources)

    monkeypatch.setattr(memmod.TranslationMemory, "lookup", counting)
    return calls


def _texts(build):  # type: ignore[no-untyped-def]
    return [" ".join(c.lines) for c in build.cues]


@pytest.mark.parametrize("engine_name", ["pseudo", "argos"])
def test_unchanged_republish_does_no_memory_lookup(tmp_path, lookups, engine_name, request):
    if engine_name == "argos":
        request.getfixturevalue("argos_package")
    show = make_show(tmp_path / "show", engines={"es": engine_name})
    eng = CountingEngine(get_engine(engine_name))
    first = translate_episode(show, make_source(show), "es", engine=eng)
    assert lookups, "the cold translation goes through the memory"
    lookups.clear()
    again = translate_episode(show, make_source(show), "es", engine=eng)
    assert lookups == []
    assert eng.calls == 1
    assert again == first  # cues, chapters, title, description, warnings, labels


def test_changed_sentence_recomputes(tmp_path, lookups, argos_package):
    show = make_show(tmp_path / "show")
    translate_episode(show, make_source(show), "es")
    lookups.clear()
    changed = list(SENTENCES)
    changed[3] = "Questions & answers <there>."
    build = translate_episode(show, make_source(show, changed), "es")
    assert lookups, "a changed source sentence must go through the memory again"
    assert _texts(build)[3] == "Questions & answers <there>."


def test_changed_cue_structure_recomputes(tmp_path, lookups):
    """Same sentences, but a cue boundary moved: the redistribution differs."""
    show = make_show(tmp_path / "show", engines={"es": "pseudo"})
    source = make_source(show)
    first = translate_episode(show, source, "es")
    lookups.clear()
    cues = list(source.cues)
    # c1/c2 share sentence 2: give c2 a different length, which changes how the text is split
    cues[1] = replace(cues[1], lines=(cues[1].text + " " + cues[2].text.split()[0],))
    cues[2] = replace(cues[2], lines=(" ".join(cues[2].text.split()[1:]),))
    again = translate_episode(show, replace(source, cues=tuple(cues)), "es")
    assert lookups
    assert _texts(again)[1:3] != _texts(first)[1:3]


def test_changed_title_recomputes(tmp_path, lookups):
    show = make_show(tmp_path / "show", engines={"es": "pseudo"})
    source = make_source(show)
    translate_episode(show, source, "es")
    lookups.clear()
    episode = replace(source.episode, title="The New Bridge")
    build = translate_episode(show, replace(source, episode=episode), "es")
    assert lookups
    assert build.title == get_engine("pseudo").translate_batch(["The New Bridge"], "en", "es")[0]


def test_store_edit_recomputes(tmp_path, lookups, argos_package):
    show = make_show(tmp_path / "show")
    translate_episode(show, make_source(show), "es")
    path = show.root / "translations" / "ep1" / "es.vtt"
    path.write_text(path.read_text("utf-8").replace("Thank you!", "¡Gracias!"), "utf-8")
    lookups.clear()
    build = translate_episode(show, make_source(show), "es")
    assert lookups
    assert "¡Gracias!" in _texts(build)[4]
    # and the corrected result is what the next unchanged republish returns from the cache
    lookups.clear()
    again = translate_episode(show, make_source(show), "es")
    assert lookups == []
    assert again == build


def test_store_deleted_recomputes(tmp_path, lookups, argos_package):
    show = make_show(tmp_path / "show")
    translate_episode(show, make_source(show), "es")
    path = show.root / "translations" / "ep1" / "es.vtt"
    path.unlink()
    lookups.clear()
    translate_episode(show, make_source(show), "es")
    assert lookups
    assert path.is_file()  # the store is written again


def test_engine_change_recomputes(tmp_path, lookups, argos_package):
    show = make_show(tmp_path / "show")
    first = translate_episode(show, make_source(show), "es")
    lookups.clear()
    pseudo = translate_episode(show, make_source(show), "es", engine=get_engine("pseudo"))
    assert pseudo.pseudo and not first.pseudo
    assert _texts(pseudo) != _texts(first)


def test_damaged_cache_file_is_recomputed(tmp_path, lookups):
    show = make_show(tmp_path / "show", engines={"es": "pseudo"})
    first = translate_episode(show, make_source(show), "es")
    path = published_path(show.root, first_slug(show), "es")
    data = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps({**data, "parts": [[[0, 1, ["x"]]]]}), encoding="utf-8")  # right key, wrong shape
    lookups.clear()
    again = translate_episode(show, make_source(show), "es")
    assert lookups
    assert again == first
    path.write_text('{"key": ', encoding="utf-8")  # truncated
    assert translate_episode(show, make_source(show), "es") == first


def test_memory_holds_translations_only(tmp_path):
    """The published cues live in the cache folder, not in memory.sqlite; an old
    memory file with the former ``published`` table still opens, its
    translations are kept and the old table is dropped."""
    show = make_show(tmp_path / "show", engines={"es": "pseudo"})
    build = translate_episode(show, make_source(show), "es")
    assert published_path(show.root, first_slug(show), "es").is_file()
    db = sqlite3.connect(memmod.memory_path(show.root))
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert tables == {"tm"}
    db.execute("CREATE TABLE published (slug TEXT NOT NULL, lang TEXT NOT NULL, digest TEXT NOT NULL, "
               "data TEXT NOT NULL, PRIMARY KEY (slug, lang)) WITHOUT ROWID")
    db.execute("INSERT INTO published VALUES ('ep', 'es', 'd', '{}')")
    db.commit()
    db.close()
    with memmod.TranslationMemory(memmod.memory_path(show.root)) as tm:
        assert tm.count() > 0
        tables = {r[0] for r in tm._db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert tables == {"tm"}
    assert translate_episode(show, make_source(show), "es") == build


def first_slug(show):  # type: ignore[no-untyped-def]
    return make_source(show).episode.slug
