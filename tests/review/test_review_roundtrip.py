"""Export → edit the way the real tools save → import, for SRT, VTT and PO."""

from __future__ import annotations

from pathlib import Path

import polib
from review_helpers import SLUG

from toolkit.model import Cue
from toolkit.review.export import export_bytes, write_manifest
from toolkit.review.importer import import_file
from toolkit.review.store import backups, load_store


def _export(store_file: Path, cues: tuple[Cue, ...], fmt: str, tmp_path: Path) -> Path:
    store = load_store(store_file)
    assert store is not None
    out = tmp_path / f"{SLUG}.es.{fmt}"
    out.write_bytes(export_bytes(store, fmt, cues))
    write_manifest(store, store_file, cues)
    return out


def test_srt_as_subtitle_edit_saves_it(store_file: Path, source_cues: tuple[Cue, ...], tmp_path: Path) -> None:
    out = _export(store_file, source_cues, "srt", tmp_path)
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf1\r\n00:00:02,000 --> 00:00:03,800\r\nAnna: ")
    assert b"\n" not in data.replace(b"\r\n", b"")
    # Subtitle Edit: UTF-8 with BOM, CRLF, renumbered cues, <i> tags, speaker prefix kept,
    # an extra line break inside cue 3, and R&D written raw
    text = data.decode("utf-8-sig").replace("\r\n", "\n")
    blocks = text.strip("\n").split("\n\n")
    blocks[1] = "2\n00:00:04,000 --> 00:00:05,800\nHoy: I+D & costes < 5 % del <i>presupuesto</i>."
    blocks[2] = "3\n00:00:06,000 --> 00:00:07,800\nBen: Traje el viejo reloj\nde mi abuela."
    edited = "\r\n".join("\n\n".join(blocks).split("\n")) + "\r\n\r\n"
    out.write_bytes(b"\xef\xbb\xbf" + edited.encode("utf-8"))
    before = store_file.read_bytes()
    report = import_file(out, store_file, source_cues, slug=SLUG, lang="es")
    assert sorted(report.changed) == [f"{SLUG}-0002", f"{SLUG}-0003"]
    assert len(report.unchanged) == 4 and report.unmatched == () and report.rejected == ()
    store = load_store(store_file)
    assert store.get(f"{SLUG}-0002").text == "Hoy: I+D & costes < 5 % del presupuesto."
    assert store.get(f"{SLUG}-0002").state == "human"
    assert store.get(f"{SLUG}-0003").lines == ("Traje el viejo reloj", "de mi abuela.")
    assert store.get(f"{SLUG}-0003").speaker == "Ben"
    assert store.get(f"{SLUG}-0001").state == "machine"
    assert report.backup is not None and report.backup.read_bytes() == before
    assert "&lt; 5 %" in store_file.read_text(encoding="utf-8")


def test_vtt_round_trip_keeps_ids_and_voices(store_file: Path, source_cues: tuple[Cue, ...],
                                             tmp_path: Path) -> None:
    out = _export(store_file, source_cues, "vtt", tmp_path)
    text = out.read_text(encoding="utf-8")
    assert "\nep-test-0004\n00:00:08.000 --> 00:00:09.800\n<v Ben>" in text
    assert "en: Today: R&D costs < 5% of the budget > none." in text  # bilingual NOTE
    store = load_store(store_file)
    old = store.entries[3].text
    out.write_text(text.replace(f"<v Ben>{old}", "<v Ben>Se paró el día que se mudó &amp; más."),
                   encoding="utf-8")
    report = import_file(out, store_file, source_cues)
    assert report.changed == (f"{SLUG}-0004",)
    new = load_store(store_file)
    assert new.entries[3].text == "Se paró el día que se mudó & más."
    assert new.entries[3].state == "human" and new.entries[3].speaker == "Ben"
    assert len(backups(store_file)) == 1
    # importing the same file again changes nothing and writes nothing
    report = import_file(out, store_file, source_cues)
    assert report.changed == () and not report.saved and len(backups(store_file)) == 1


def test_po_as_poedit_saves_it(store_file: Path, source_cues: tuple[Cue, ...], tmp_path: Path) -> None:
    out = _export(store_file, source_cues, "po", tmp_path)
    po = polib.pofile(str(out))
    assert po.metadata["Language"] == "es" and po.metadata["X-Toolkit-Episode"] == SLUG
    entry = po.find(source_cues[4].text, msgctxt=f"{SLUG}-0005")
    assert entry is not None and "00:00:10.000 --> 00:00:11.800 Anna" in entry.comment
    # Poedit: region in Language, its own headers, wraps long msgstr lines at 79
    po.metadata["Language"] = "es_ES"
    po.metadata["X-Generator"] = "Poedit 3.4.2"
    po.metadata["Last-Translator"] = "Lucía <lucia@example.org>"
    po.wrapwidth = 79
    entry.msgstr = ("Abrámoslo y veamos qué hay dentro, con calma, pieza por pieza, sin perder "
                    "ningún tornillo por el camino.")
    po.save(str(out))
    assert '"Abrámoslo' in out.read_text(encoding="utf-8").split('msgctxt "ep-test-0005"')[1]
    report = import_file(out, store_file, source_cues)
    assert report.changed == (f"{SLUG}-0005",) and report.format == "po"
    new = load_store(store_file)
    assert new.entries[4].text == entry.msgstr and new.entries[4].state == "human"


def test_po_confirming_a_stale_cue_makes_it_human(store_file: Path, source_cues: tuple[Cue, ...],
                                                  tmp_path: Path) -> None:
    from dataclasses import replace

    from toolkit.review.store import save_store

    store = load_store(store_file)
    entries = list(store.entries)
    entries[1] = replace(entries[1], text="Hoy: corregido.", state="stale", source="00000000")
    save_store(replace(store, entries=tuple(entries)), store_file)
    out = _export(store_file, source_cues, "po", tmp_path)
    po = polib.pofile(str(out))
    entry = po.find(source_cues[1].text, msgctxt=f"{SLUG}-0002")
    assert "fuzzy" in entry.flags
    entry.flags.remove("fuzzy")  # the translator checked it and kept the text
    po.save(str(out))
    report = import_file(out, store_file, source_cues)
    assert report.changed == (f"{SLUG}-0002",)
    assert load_store(store_file).entries[1].state == "human"
