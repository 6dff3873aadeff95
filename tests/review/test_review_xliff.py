"""XLIFF round trip (export → edit as a CAT tool saves it → import), its bad files, and TMX.

The files are edited with translate-toolkit and lxml (what Weblate and many
converters use), never by string replacement of the toolkit's own output only.
"""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from lxml import etree
from review_helpers import SLUG
from translate.storage import tmx, xliff

from toolkit.errors import ImportRejected, InputError
from toolkit.formats import xliff as xlf
from toolkit.model import Cue
from toolkit.review.export import export_bytes, write_manifest
from toolkit.review.importer import import_file, read_file
from toolkit.review.store import backups, load_store, save_store

NS = {"x": xlf.NS12}


def _export(store_file: Path, cues: tuple[Cue, ...], tmp_path: Path, *, lock: bool = False) -> Path:
    store = load_store(store_file)
    assert store is not None
    out = tmp_path / f"{SLUG}.es.xlf"
    out.write_bytes(export_bytes(store, "xliff", cues, lock_reviewed=lock))
    write_manifest(store, store_file, cues)
    return out


def _set_target(path: Path, unit_id: str, text: str, **attrs: str) -> None:
    tree = etree.parse(str(path))
    unit = tree.find(f".//x:trans-unit[@id='{unit_id}']", NS)
    assert unit is not None
    target = unit.find("x:target", NS)
    assert target is not None
    target.text = text
    for k, v in attrs.items():
        (unit if k in ("approved", "translate") else target).set(k, v)
    tree.write(str(path), xml_declaration=True, encoding="UTF-8")


def _rejected(path: Path, store_file: Path, cues: tuple[Cue, ...], match: str) -> ImportRejected:
    before = store_file.read_bytes()
    with pytest.raises(ImportRejected, match=match) as info:
        import_file(path, store_file, cues)
    assert store_file.read_bytes() == before  # nothing applied
    assert backups(store_file) == []
    return info.value


def test_export_is_xliff_12_that_translate_toolkit_reads(store_file: Path, source_cues: tuple[Cue, ...],
                                                         tmp_path: Path) -> None:
    out = _export(store_file, source_cues, tmp_path)
    data = out.read_bytes()
    assert data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<xliff xmlns="urn:oasis:names:tc:xliff:'
                           b'document:1.2" version="1.2">')
    assert b"document:1.1" not in data
    store = xliff.xlifffile.parsestring(data)
    assert store.getsourcelanguage() == "en" and store.gettargetlanguage() == "es"
    assert store.getfilenames() == [SLUG]
    units = store.units
    assert [u.getid().split("\x04")[-1] for u in units] == [c.id for c in source_cues]
    assert units[1].source == source_cues[1].text  # "R&D costs < 5%", escaped by the library
    assert "00:00:04.000 --> 00:00:05.800 Anna" in units[1].getnotes()
    assert "state: machine (apertium eng-spa 0.8.1)" in units[1].getnotes()
    # reproducible: the same store exports the same bytes
    assert export_bytes(load_store(store_file), "xliff", source_cues) == data  # type: ignore[arg-type]


def test_round_trip_as_a_cat_tool_saves_it(store_file: Path, source_cues: tuple[Cue, ...], tmp_path: Path) -> None:
    out = _export(store_file, source_cues, tmp_path)
    # translate-toolkit (Weblate's library) loads, edits and saves the file
    store = xliff.xlifffile.parsestring(out.read_bytes())
    store.units[2].settarget("Traje el viejo reloj de mi abuela & <nada> más.")
    store.units[2].markfuzzy(False)
    out.write_bytes(bytes(store))
    before = store_file.read_bytes()
    report = import_file(out, store_file, source_cues)
    assert report.format == "xliff" and report.changed == (f"{SLUG}-0003",)
    assert len(report.unchanged) == 5 and report.rejected == ()
    new = load_store(store_file)
    assert new is not None
    assert new.entries[2].text == "Traje el viejo reloj de mi abuela & <nada> más."
    assert new.entries[2].state == "human" and new.entries[2].speaker == "Ben"
    assert new.entries[0].state == "machine"
    assert report.backup is not None and report.backup.read_bytes() == before
    # again: nothing changes, nothing written
    again = import_file(out, store_file, source_cues)
    assert again.changed == () and not again.saved


def test_inline_markup_and_untranslated_units(store_file: Path, source_cues: tuple[Cue, ...],
                                              tmp_path: Path) -> None:
    out = _export(store_file, source_cues, tmp_path)
    tree = etree.parse(str(out))
    units = tree.findall(".//x:trans-unit", NS)
    # a CAT tool's inline tags (<g>, <x/>) around the text: the text is kept, the tags go
    target = units[0].find("x:target", NS)
    assert target is not None
    target.text = "Bienvenidos "
    g = etree.SubElement(target, f"{{{xlf.NS12}}}g", id="1")
    g.text = "otra vez"
    g.tail = " al taller."
    units[1].remove(units[1].find("x:target", NS))  # untranslated in this file: left as it is
    tree.write(str(out), xml_declaration=True, encoding="UTF-8")
    report = import_file(out, store_file, source_cues)
    assert report.changed == (f"{SLUG}-0001",) and f"{SLUG}-0002" in report.unmatched
    assert load_store(store_file).entries[0].text == "Bienvenidos otra vez al taller."  # type: ignore[union-attr]


def test_confirming_a_stale_cue_makes_it_human(store_file: Path, source_cues: tuple[Cue, ...],
                                               tmp_path: Path) -> None:
    store = load_store(store_file)
    assert store is not None
    entries = list(store.entries)
    entries[1] = replace(entries[1], text="Hoy: corregido.", state="stale", source="00000000")
    save_store(replace(store, entries=tuple(entries)), store_file)
    out = _export(store_file, source_cues, tmp_path)
    unit = xlf.parse(out.read_text(encoding="utf-8")).units[1]
    assert unit.fuzzy and unit.state == "needs-review-translation"
    _set_target(out, f"{SLUG}-0002", "Hoy: corregido.", state="translated", approved="yes")
    report = import_file(out, store_file, source_cues)
    assert report.changed == (f"{SLUG}-0002",)
    assert load_store(store_file).entries[1].state == "human"  # type: ignore[union-attr]


def test_xliff_20_from_a_cat_tool(store_file: Path, source_cues: tuple[Cue, ...], tmp_path: Path) -> None:
    stored = load_store(store_file)
    assert stored is not None
    units = "".join(
        f'<unit id="{c.id}"><segment state="translated"><source>{escape(c.text)}</source>'
        f'<target>{"Corregido dos." if i == 3 else escape(stored.entries[i].text)}</target></segment></unit>'
        for i, c in enumerate(source_cues))
    path = tmp_path / "ep.xlf"
    path.write_text(f'<?xml version="1.0" encoding="UTF-8"?>\n<xliff version="2.0" xmlns="{xlf.NS20}" '
                    f'srcLang="en" trgLang="es-ES"><file id="{SLUG}">{units}</file></xliff>\n', encoding="utf-8")
    report = import_file(path, store_file, source_cues)
    assert report.changed == (f"{SLUG}-0004",)
    assert load_store(store_file).entries[3].text == "Corregido dos."  # type: ignore[union-attr]


def test_utf16_with_its_declaration(store_file: Path, source_cues: tuple[Cue, ...], tmp_path: Path) -> None:
    out = _export(store_file, source_cues, tmp_path)
    _set_target(out, f"{SLUG}-0005", "Abrámoslo.")
    text = out.read_text(encoding="utf-8").replace('encoding="UTF-8"', 'encoding="UTF-16"', 1)
    text = text.replace("encoding='UTF-8'", "encoding='UTF-16'", 1)
    out.write_bytes(b"\xff\xfe" + text.encode("utf-16-le"))
    report = import_file(out, store_file, source_cues)
    assert report.changed == (f"{SLUG}-0005",)


# --------------------------------------------------------------------------- bad files: nothing applied


def test_locked_cue_changed_is_rejected(store_file: Path, source_cues: tuple[Cue, ...], tmp_path: Path) -> None:
    store = load_store(store_file)
    assert store is not None
    entries = list(store.entries)
    entries[0] = replace(entries[0], text="Bienvenidos de nuevo al taller.", state="human")
    save_store(replace(store, entries=tuple(entries)), store_file)
    for p in backups(store_file):
        p.unlink()
    out = _export(store_file, source_cues, tmp_path, lock=True)
    assert out.read_text(encoding="utf-8").count('translate="no"') == 1
    _set_target(out, f"{SLUG}-0001", "Otra cosa.")
    _set_target(out, f"{SLUG}-0002", "Hoy: bien.")
    exc = _rejected(out, store_file, source_cues, r"unit 'ep-test-0001' \(line \d+\): the target of a locked")
    assert "1 problem(s)" in exc.message


def test_unknown_unit_id(store_file: Path, source_cues: tuple[Cue, ...], tmp_path: Path) -> None:
    out = _export(store_file, source_cues, tmp_path)
    tree = etree.parse(str(out))
    unit = tree.findall(".//x:trans-unit", NS)[3]
    unit.set("id", "ep-test-9999")
    unit.find("x:target", NS).text = "Cambiado."  # type: ignore[union-attr]
    tree.write(str(out), xml_declaration=True, encoding="UTF-8")
    exc = _rejected(out, store_file, source_cues, r"unit 'ep-test-9999' \(line \d+\): unknown unit id")
    assert exc.path == str(out)


@pytest.mark.parametrize(("change", "match"), [
    (("target-language", "fr"), "wrong language: the file is 'fr'"),
    (("source-language", "de"), "wrong source language"),
    (("original", "other-episode"), "wrong episode"),
])
def test_wrong_identity(store_file: Path, source_cues: tuple[Cue, ...], tmp_path: Path,
                        change: tuple[str, str], match: str) -> None:
    out = _export(store_file, source_cues, tmp_path)
    tree = etree.parse(str(out))
    tree.find(".//x:file", NS).set(*change)  # type: ignore[union-attr]
    tree.write(str(out), xml_declaration=True, encoding="UTF-8")
    _rejected(out, store_file, source_cues, match)


def test_empty_target_and_duplicate_ids(store_file: Path, source_cues: tuple[Cue, ...], tmp_path: Path) -> None:
    out = _export(store_file, source_cues, tmp_path)
    _set_target(out, f"{SLUG}-0002", "")
    tree = etree.parse(str(out))
    units = tree.findall(".//x:trans-unit", NS)
    units[4].set("id", f"{SLUG}-0004")
    tree.write(str(out), xml_declaration=True, encoding="UTF-8")
    exc = _rejected(out, store_file, source_cues, "2 problem")
    assert "empty text" in exc.message and "duplicate cue id" in exc.message


def test_malformed_xml_names_file_and_line(store_file: Path, source_cues: tuple[Cue, ...], tmp_path: Path) -> None:
    out = _export(store_file, source_cues, tmp_path)
    lines = out.read_text(encoding="utf-8").split("\n")
    at = next(i for i, line in enumerate(lines) if "</source>" in line and "Today" in line)
    lines[at] = lines[at].replace("</source>", "</sorce>")
    out.write_text("\n".join(lines), encoding="utf-8")
    exc = _rejected(out, store_file, source_cues, "malformed XML")
    assert exc.line == at + 1 and str(out) in str(exc)


_LAUGHS = ('<?xml version="1.0"?>\n<!DOCTYPE xliff [\n<!ENTITY a "aaaaaaaaaa">\n'
           + "".join(f'<!ENTITY {n} "{("&" + p + ";") * 10}">\n' for p, n in zip("abcdefgh", "bcdefghi"))
           + f']>\n<xliff version="1.2" xmlns="{xlf.NS12}"><file original="ep-test" source-language="en" '
             'target-language="es" datatype="plaintext"><body><trans-unit id="ep-test-0001"><source>a</source>'
             "<target>&i;</target></trans-unit></body></file></xliff>\n")
_XXE = ('<?xml version="1.0"?>\n<!DOCTYPE xliff [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
        f'<xliff version="1.2" xmlns="{xlf.NS12}"><file original="ep-test" source-language="en" '
        'target-language="es" datatype="plaintext"><body><trans-unit id="ep-test-0001"><source>a</source>'
        "<target>&x;</target></trans-unit></body></file></xliff>\n")


@pytest.mark.parametrize("text", [_LAUGHS, _XXE], ids=["billion-laughs", "xxe"])
def test_hostile_xml_is_refused(store_file: Path, source_cues: tuple[Cue, ...], tmp_path: Path, text: str) -> None:
    path = tmp_path / "hostile.xlf"
    path.write_text(text, encoding="utf-8")
    exc = _rejected(path, store_file, source_cues, "declares a document type")
    assert exc.line == 2


@pytest.mark.parametrize("text", [_LAUGHS, _XXE], ids=["billion-laughs", "xxe"])
def test_translate_toolkit_alone_expands_no_entity(text: str) -> None:
    """Under the DOCTYPE guard: the library's own parser (lxml, resolve_entities=False) fetches
    nothing, and libxml2 refuses the billion laughs itself (its amplification limit)."""
    started = time.process_time()
    try:
        store = xliff.xlifffile.parsestring(text.encode("utf-8"))
    except etree.XMLSyntaxError as exc:
        assert "amplification" in str(exc)
    else:
        target = store.units[0].target or ""
        assert "root:" not in target and len(target) < 100
    assert time.process_time() - started < 5  # (a bound far above the ms it takes, not a timing test)


def test_not_xliff_at_all(tmp_path: Path) -> None:
    path = tmp_path / "x.xlf"
    for body in ("<html><body/></html>", "", "<xliff"):
        path.write_text(body, encoding="utf-8")
        with pytest.raises(ImportRejected):
            read_file(path)
    with pytest.raises(InputError, match="no <file> element"):
        xlf.parse(f'<xliff version="1.2" xmlns="{xlf.NS12}"/>', "x.xlf")


# --------------------------------------------------------------------------- TMX


def test_tmx_is_read_back_by_translate_toolkit() -> None:
    rows = [("Hello & bye.", "Hola y adiós.", "apertium eng-spa 0.8.1"), ("Vice Governor", "vicegobernador", "")]
    text = xlf.write_tmx(rows, source_lang="en", target_lang="pt-BR")
    assert text == xlf.write_tmx(rows, source_lang="en", target_lang="pt-BR")  # reproducible
    assert "Translate Toolkit" not in text and "creationdate" not in text
    store = tmx.tmxfile.parsestring(text.encode("utf-8"))
    assert [(u.source, u.target) for u in store.units] == [(s, t) for s, t, _ in rows]
    assert store.units[0].getnotes() == "apertium eng-spa 0.8.1"
    assert 'xml:lang="pt-BR"' in text
