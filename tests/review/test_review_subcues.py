"""A published target-language file with sub-cues (the layout) imports back to its source cues."""

from __future__ import annotations

from pathlib import Path

import pytest
from review_helpers import SLUG

from toolkit.model import Cue
from toolkit.publish.subtitles import to_srt, to_vtt
from toolkit.review.importer import import_file
from toolkit.review.store import load_store, merge_machine, save_store
from toolkit.segment import layout

TEXTS = [
    ("Anna", "Welcome back to the workshop.", "Bienvenidos de nuevo al taller."),
    ("Ben", "I brought the old clock from my grandmother, and it has not run for years.",
     "Traje el viejo reloj de mi abuela, y no ha funcionado desde hace muchos años, "
     "ni una sola vez desde que ella se mudó."),
    ("Ben", "It stopped the day she moved out of the house by the river.",
     "Se paró el día en que se mudó de la casa junto al río, cuando el agua subió por "
     "encima del puente viejo."),
    ("Anna", "Let's open it.", "Abrámoslo."),
]


def _source() -> tuple[Cue, ...]:
    return tuple(Cue(id=f"{SLUG}-{i:04d}", start=i * 8000, end=i * 8000 + 6500, lines=(en,), speaker=who,
                     speaker_change=True) for i, (who, en, _) in enumerate(TEXTS, 1))


@pytest.fixture()
def published(tmp_path: Path) -> tuple[Path, tuple[Cue, ...], tuple[Cue, ...]]:
    source = _source()
    store, _ = merge_machine(None, slug=SLUG, source_lang="en", lang="es", source_cues=source,
                             machine={c.id: es for c, (_, _, es) in zip(source, TEXTS)},
                             engine="apertium", model="eng-spa 0.8.1")
    path = tmp_path / "translations" / SLUG / "es.vtt"
    save_store(store, path)
    laid = layout(store.published_cues(source), lang="es")
    assert len(laid) > len(source)  # the two long translations became sub-cues
    assert [c.id for c in laid if "." in c.id] == [f"{SLUG}-0002.2", f"{SLUG}-0003.2"]
    return path, source, laid


def _corrected(laid: tuple[Cue, ...]) -> tuple[Cue, ...]:
    """The translator corrects a word in the second sub-cue of cue 2."""
    return tuple(Cue(c.id, c.start, c.end, tuple(x.replace("ni una sola vez", "ni siquiera una vez")
                                                 for x in c.lines), speaker=c.speaker,
                     speaker_change=c.speaker_change) for c in laid)


@pytest.mark.parametrize("fmt", ["vtt", "srt"])
def test_published_sub_cues_import_back_to_their_source_cue(
        published: tuple[Path, tuple[Cue, ...], tuple[Cue, ...]], tmp_path: Path, fmt: str) -> None:
    store_file, source, laid = published
    before = load_store(store_file)
    assert before is not None
    out = tmp_path / f"published.{fmt}"
    edited = _corrected(laid)
    out.write_text(to_vtt(edited) if fmt == "vtt" else to_srt(edited, lang="es"), encoding="utf-8")
    report = import_file(out, store_file, source, slug=SLUG, lang="es")
    assert report.rejected == ()
    assert report.changed == (f"{SLUG}-0002",)
    after = load_store(store_file)
    assert after is not None
    assert [e.id for e in after.entries] == [c.id for c in source]  # still keyed by the source cue
    texts = [" ".join(e.lines) for e in after.entries]
    assert texts[1] == TEXTS[1][2].replace("ni una sola vez", "ni siquiera una vez")
    assert texts[0] == TEXTS[0][2] and texts[2] == TEXTS[2][2] and texts[3] == TEXTS[3][2]
    assert after.entries[1].state == "human"
    assert [(e.start, e.end) for e in after.entries] == [(c.start, c.end) for c in source]


def test_unchanged_published_file_changes_nothing(
        published: tuple[Path, tuple[Cue, ...], tuple[Cue, ...]], tmp_path: Path) -> None:
    store_file, source, laid = published
    out = tmp_path / "published.vtt"
    out.write_text(to_vtt(laid), encoding="utf-8")
    data = store_file.read_bytes()
    report = import_file(out, store_file, source, slug=SLUG, lang="es")
    assert report.changed == () and report.rejected == ()
    assert store_file.read_bytes() == data


@pytest.mark.parametrize("fmt", ["po", "xliff"])
def test_sub_cue_entries_of_a_po_or_xliff_file_join_their_source_cue(tmp_path: Path, fmt: str) -> None:
    from review_helpers import build_store, make_cues

    from toolkit.review.export import export_text

    cues = make_cues()
    store_file = tmp_path / "translations" / SLUG / "es.vtt"
    store = build_store(cues, store_file)
    text = export_text(store, fmt, cues)
    cid = f"{SLUG}-0003"
    if fmt == "po":
        entry = text[text.index(f'msgctxt "{cid}"'):]
        entry = entry[:entry.index("\n\n") + 2] if "\n\n" in entry else entry + "\n"
        msgid = entry.split("\n")[1]
        parts = (f'msgctxt "{cid}"\n{msgid}\nmsgstr "Traje el viejo reloj"\n\n'
                 f'msgctxt "{cid}.2"\n{msgid}\nmsgstr "de mi abuela."\n\n')
        text = text.replace(entry, parts)
    else:
        start = text.index(f'<trans-unit xml:space="preserve" id="{cid}">')
        end = text.index("</trans-unit>", start) + len("</trans-unit>")
        unit = text[start:end]
        first = unit.replace(unit[unit.index("<target"):unit.index("</target>")],
                             '<target state="translated">Traje el viejo reloj')
        second = first.replace(f'id="{cid}"', f'id="{cid}.2"').replace("Traje el viejo reloj", "de mi abuela.")
        text = text[:start] + first + "\n      " + second + text[end:]
    out = tmp_path / f"sub.{'po' if fmt == 'po' else 'xlf'}"
    out.write_text(text, encoding="utf-8")
    report = import_file(out, store_file, cues, slug=SLUG, lang="es")
    assert report.rejected == () and report.changed == (cid,)
    after = load_store(store_file)
    assert after is not None and [e.id for e in after.entries] == [c.id for c in cues]
    assert after.by_id[cid].text == "Traje el viejo reloj de mi abuela."
