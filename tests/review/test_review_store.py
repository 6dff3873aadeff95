"""The store file: format, escaping, merge rules, backups."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.errors import InputError
from toolkit.model import Cue
from toolkit.sanitize import balance_bidi
from toolkit.review.store import (
    Entry,
    Store,
    backups,
    load_store,
    merge_machine,
    parse_store,
    render_store,
    save_store,
    text_hash,
)

from review_helpers import SLUG, build_store, machine_for, make_cues


def test_store_is_valid_webvtt_with_ids_states_and_escaping(store_file: Path, node_modules: Path) -> None:
    import json
    import subprocess

    text = store_file.read_text(encoding="utf-8")
    assert text.startswith("WEBVTT\n\nNOTE toolkit-translations format=1 slug=ep-test source=en lang=es")
    assert "NOTE toolkit state=machine engine=apertium model=\"eng-spa 0.8.1\" source=" in text
    assert "\nep-test-0002\n00:00:04.000 --> 00:00:05.800\n<v Anna>" in text
    script = (
        "const {WebVTTParser}=require('webvtt-parser');const fs=require('fs');"
        "const r=new WebVTTParser().parse(fs.readFileSync(process.argv[1],'utf8'),'metadata');"
        "console.log(JSON.stringify({errors:r.errors.length,ids:r.cues.map(c=>c.id)}));"
    )
    out = subprocess.run(["node", "-e", script, str(store_file)], capture_output=True, text=True, check=True,
                         cwd=node_modules.parent)
    result = json.loads(out.stdout)
    assert result["errors"] == 0
    assert result["ids"] == [f"{SLUG}-{i:04d}" for i in range(1, 7)]


def test_special_characters_round_trip(tmp_path: Path) -> None:
    cues = make_cues([("A & B <x>", "R&D < 5% > 3 &amp; --> done")])
    store, _ = merge_machine(None, slug=SLUG, source_lang="en", lang="es", source_cues=cues,
                             machine={cues[0].id: "I+D < 5 % & <b>no</b> --> fin"}, engine="e", model="m")
    text = render_store(store)
    assert "I+D &lt; 5 % &amp; &lt;b&gt;no&lt;/b&gt; --&gt; fin" in text
    assert "<v A &amp; B &lt;x&gt;>" in text
    back = parse_store(text)
    assert back == store
    assert back.entries[0].speaker == "A & B <x>"


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=40),
                min_size=1, max_size=5))
def test_any_text_round_trips(texts: list[str]) -> None:
    cues = make_cues([(None, f"source {i}") for i in range(len(texts))])
    machine = {c.id: t for c, t in zip(cues, texts, strict=True)}
    store, _ = merge_machine(None, slug=SLUG, source_lang="en", lang="es", source_cues=cues,
                             machine=machine, engine="e", model="m")
    back = parse_store(render_store(store))
    for entry, original in zip(back.entries, texts, strict=True):
        # (bidi controls are balanced on the way in: an unclosed embedding is closed)
        want = balance_bidi(" ".join(original.split()).replace("\u00a0", " ").strip())
        assert " ".join(entry.text.split()) == " ".join(want.split()) or not original.strip()
        assert entry.state == "machine" and not entry.edited


def test_human_cue_survives_publish_and_goes_stale(tmp_path: Path) -> None:
    cues = make_cues()
    path = tmp_path / "es.vtt"
    store = build_store(cues, path)
    human = Entry(**{**_fields(store.entries[2]), "text": "Traje el reloj de mi abuela.", "state": "human"})
    store = Store(store.slug, "en", "es", store.entries[:2] + (human,) + store.entries[3:])
    save_store(store, path)
    # republish with new machine text: human text kept
    again, report = merge_machine(load_store(path), slug=SLUG, source_lang="en", lang="es", source_cues=cues,
                                  machine=machine_for(cues, "nuevo"), engine="e", model="m2")
    assert again.entries[2].text == "Traje el reloj de mi abuela." and again.entries[2].state == "human"
    assert again.entries[0].text.startswith("nuevo")
    assert report.human == 1 and report.stale == 0 and report.stale_ids == ()
    # the source text of that cue changes: stale, text kept, reported
    edited = list(cues)
    edited[2] = Cue(**{**_cue_fields(cues[2]), "lines": ("I brought my grandmother's old clock.",)})
    stale, report = merge_machine(again, slug=SLUG, source_lang="en", lang="es", source_cues=edited,
                                  machine=machine_for(tuple(edited)), engine="e", model="m2")
    assert stale.entries[2].text == "Traje el reloj de mi abuela." and stale.entries[2].state == "stale"
    assert report.stale_ids == (cues[2].id,) and report.newly_stale == (cues[2].id,)
    assert any("stale" in w for w in report.warnings())
    published = stale.published_cues(edited)
    assert published[2].text == "Traje el reloj de mi abuela."
    assert [c.id for c in published] == [c.id for c in edited]
    assert [(c.start, c.end, c.speaker) for c in published] == [(c.start, c.end, c.speaker) for c in edited]
    # the source goes back: human again
    back, _ = merge_machine(stale, slug=SLUG, source_lang="en", lang="es", source_cues=cues,
                            machine=machine_for(cues), engine="e", model="m2")
    assert back.entries[2].state == "human"


def test_human_cue_whose_id_changed_is_carried_over_as_stale(tmp_path: Path) -> None:
    cues = make_cues()
    store, _ = merge_machine(None, slug=SLUG, source_lang="en", lang="es", source_cues=cues,
                             machine=machine_for(cues), engine="e", model="m")
    entries = list(store.entries)
    entries[3] = Entry(**{**_fields(entries[3]), "text": "Se paró.", "state": "human"})
    entries[4] = Entry(**{**_fields(entries[4]), "text": "Abrámoslo.", "state": "human"})
    store = Store(SLUG, "en", "es", tuple(entries))
    new = list(cues)
    new[3] = Cue(**{**_cue_fields(cues[3]), "id": "ep-test-9999", "lines": ("It stopped.",)})
    new = new[:4] + new[5:]  # cue 5 is gone altogether
    merged, report = merge_machine(store, slug=SLUG, source_lang="en", lang="es", source_cues=new,
                                   machine=machine_for(tuple(new)), engine="e", model="m")
    assert merged.get("ep-test-9999").text == "Se paró." and merged.get("ep-test-9999").state == "stale"
    assert report.moved == ((cues[3].id, "ep-test-9999"),)
    assert report.dropped_human == (cues[4].id,)


def test_direct_edit_of_the_store_counts_as_human(store_file: Path, source_cues: tuple[Cue, ...]) -> None:
    text = store_file.read_text(encoding="utf-8")
    old = load_store(store_file).entries[0].text
    store_file.write_text(text.replace(old, "¡Bienvenidos de nuevo al taller!"), encoding="utf-8")
    store = load_store(store_file)
    assert store.entries[0].state == "human" and store.entries[0].edited
    merged, _ = merge_machine(store, slug=SLUG, source_lang="en", lang="es", source_cues=source_cues,
                              machine=machine_for(source_cues, "otra"), engine="e", model="m")
    assert merged.entries[0].text == "¡Bienvenidos de nuevo al taller!"
    assert merged.entries[0].state == "human"


def test_save_is_atomic_idempotent_and_keeps_history(tmp_path: Path) -> None:
    cues = make_cues()
    path = tmp_path / "t" / "es.vtt"
    store = build_store(cues, path)
    first = path.read_bytes()
    assert save_store(store, path) is False and backups(path) == []
    changed, _ = merge_machine(store, slug=SLUG, source_lang="en", lang="es", source_cues=cues,
                               machine=machine_for(cues, "otra"), engine="e", model="m")
    assert save_store(changed, path) is True
    assert [p.name for p in backups(path)] == ["es.1.vtt"]
    assert backups(path)[0].read_bytes() == first
    assert text_hash("a  b\n") == text_hash("a b")


@pytest.mark.parametrize(
    ("mutation", "message"),
    [
        (lambda t: t.replace("WEBVTT", "WEBVTX", 1), "no WEBVTT header"),
        (lambda t: t.replace("state=machine", "state=robot", 1), "unknown state"),
        (lambda t: t.replace("format=1", "format=9", 1), "unsupported store format"),
        (lambda t: t.replace("ep-test-0003\n", "ep-test-0002\n", 1), "duplicate cue id"),
        (lambda t: t.replace("00:00:06.000 --> 00:00:07.800", "00:00:06.000 -> 00:00:07.800"), "timing"),
    ],
)
def test_corrupt_store_is_a_clear_error(store_file: Path, mutation, message: str) -> None:  # type: ignore[no-untyped-def]
    store_file.write_text(mutation(store_file.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(InputError, match=message) as info:
        load_store(store_file)
    assert str(store_file) in str(info.value)


def test_missing_store_is_none(tmp_path: Path) -> None:
    assert load_store(tmp_path / "nope.vtt") is None


def _fields(e: Entry) -> dict:  # type: ignore[type-arg]
    return {f: getattr(e, f) for f in Entry.__slots__}  # type: ignore[attr-defined]


def _cue_fields(c: Cue) -> dict:  # type: ignore[type-arg]
    return {f: getattr(c, f) for f in Cue.__slots__}  # type: ignore[attr-defined]
