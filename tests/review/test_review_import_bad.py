"""Import of each bad file the issue lists: nothing applied from a rejected file."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import polib
import pytest
from review_helpers import SLUG, build_store, make_cues

from toolkit.errors import ImportRejected
from toolkit.model import Cue
from toolkit.review.export import export_bytes, write_manifest
from toolkit.review.importer import distribute, import_file
from toolkit.review.store import backups, load_store


def _srt(cues: list[tuple[int, int, str]]) -> bytes:
    def t(ms: int) -> str:
        return f"{ms // 3600000:02d}:{ms // 60000 % 60:02d}:{ms // 1000 % 60:02d},{ms % 1000:03d}"

    body = "".join(f"{n}\r\n{t(a)} --> {t(b)}\r\n{text}\r\n\r\n" for n, (a, b, text) in enumerate(cues, 1))
    return b"\xef\xbb\xbf" + body.encode("utf-8")


def _rows(store_file: Path) -> list[tuple[int, int, str]]:
    return [(e.start, e.end, e.text) for e in load_store(store_file).entries]


def _rejected(path: Path, store_file: Path, cues: tuple[Cue, ...], match: str, **kw: str) -> ImportRejected:
    before = store_file.read_bytes()
    with pytest.raises(ImportRejected, match=match) as info:
        import_file(path, store_file, cues, **kw)
    assert store_file.read_bytes() == before  # nothing applied
    assert backups(store_file) == []
    return info.value


def test_wrong_language_po(store_file: Path, source_cues: tuple[Cue, ...], tmp_path: Path) -> None:
    out = tmp_path / "x.po"
    out.write_bytes(export_bytes(load_store(store_file), "po", source_cues))
    po = polib.pofile(str(out))
    po.metadata["Language"] = "fr"
    po[0].msgstr = "Bienvenue"
    po.save(str(out))
    _rejected(out, store_file, source_cues, "wrong language")


def test_wrong_episode_vtt_header(store_file: Path, source_cues: tuple[Cue, ...], tmp_path: Path) -> None:
    out = tmp_path / "x.vtt"
    text = export_bytes(load_store(store_file), "vtt", source_cues).decode()
    out.write_text(text.replace(f"slug={SLUG}", "slug=another-episode"), encoding="utf-8")
    _rejected(out, store_file, source_cues, "wrong episode")


def test_wrong_episode_srt_by_timings(store_file: Path, source_cues: tuple[Cue, ...], tmp_path: Path) -> None:
    out = tmp_path / "x.srt"
    out.write_bytes(_srt([(100_000 + i * 3000, 101_000 + i * 3000, f"texto {i}") for i in range(5)]))
    _rejected(out, store_file, source_cues, "wrong episode", slug=SLUG, lang="es")


def test_merged_cues_are_spread_over_the_source_cues(store_file: Path, source_cues: tuple[Cue, ...],
                                                     tmp_path: Path) -> None:
    rows = _rows(store_file)
    merged = [rows[0], (rows[1][0], rows[2][1], "Hoy, I+D por debajo del cinco por ciento. "
                                               "Traje el reloj de mi abuela."), *rows[3:]]
    out = tmp_path / "x.srt"
    out.write_bytes(_srt(merged))
    report = import_file(out, store_file, source_cues, slug=SLUG, lang="es")
    assert report.merged == ((f"{SLUG}-0002", f"{SLUG}-0003"),)
    store = load_store(store_file)
    a, b = store.entries[1].text, store.entries[2].text
    assert f"{a} {b}" == merged[1][2]  # nothing lost or duplicated
    assert a and b and store.entries[1].state == store.entries[2].state == "human"
    assert report.backup is not None and report.backup.is_file()


def test_split_cue_is_joined(store_file: Path, source_cues: tuple[Cue, ...], tmp_path: Path) -> None:
    rows = _rows(store_file)
    s, e, _ = rows[3]
    split = [*rows[:3], (s, s + 900, "Se paró"), (s + 900, e, "el día que se mudó."), *rows[4:]]
    out = tmp_path / "x.srt"
    out.write_bytes(_srt(split))
    report = import_file(out, store_file, source_cues, slug=SLUG, lang="es")
    assert report.split == (f"{SLUG}-0004",)
    assert load_store(store_file).entries[3].text == "Se paró el día que se mudó."


def test_cue_that_lines_up_with_nothing_rejects_the_file(store_file: Path, source_cues: tuple[Cue, ...],
                                                         tmp_path: Path) -> None:
    rows = _rows(store_file)
    # straddles cues 2 and 3, covering less than half of either and lying in neither
    bad = (rows[1][0] + 1100, rows[2][0] + 700, "Frase a caballo")
    out = tmp_path / "x.srt"
    out.write_bytes(_srt([rows[0], bad, *rows[3:]]))
    exc = _rejected(out, store_file, source_cues, "does not line up", slug=SLUG, lang="es")
    assert "00:00:05.100 --> 00:00:06.700" in str(exc)


def test_changed_timings_keep_source_timings(store_file: Path, source_cues: tuple[Cue, ...],
                                             tmp_path: Path) -> None:
    out = tmp_path / "x.vtt"
    text = export_bytes(load_store(store_file), "vtt", source_cues).decode()
    old = load_store(store_file).entries[0].text
    text = text.replace("00:00:02.000 --> 00:00:03.800", "00:00:02.300 --> 00:00:03.900")
    out.write_text(text.replace(old, "Bienvenidos otra vez al taller."), encoding="utf-8")
    report = import_file(out, store_file, source_cues)
    assert any("timings changed" in w for w in report.warnings)
    e = load_store(store_file).entries[0]
    assert (e.start, e.end, e.text, e.state) == (2000, 3800, "Bienvenidos otra vez al taller.", "human")


@pytest.mark.parametrize(
    ("edit", "match"),
    [
        (lambda rows: [rows[0], (rows[1][0] - 500, rows[1][1], "Hoy"), *rows[2:]], "overlaps"),
        (lambda rows: [rows[0], (rows[1][0], rows[1][1], "   "), *rows[2:]], "empty text"),
        (lambda rows: [rows[0], (rows[1][1], rows[1][0], "Hoy"), *rows[2:]], "ends before it starts"),
    ],
    ids=["overlapping", "empty", "end-before-start"],
)
def test_bad_cues_reject_the_whole_file(store_file: Path, source_cues: tuple[Cue, ...], tmp_path: Path,
                                        edit: Callable[[list[tuple[int, int, str]]], list[tuple[int, int, str]]],
                                        match: str) -> None:
    rows = _rows(store_file)
    rows[4] = (rows[4][0], rows[4][1], "Un cambio válido que no debe aplicarse.")
    out = tmp_path / "x.srt"
    out.write_bytes(_srt(edit(rows)))
    exc = _rejected(out, store_file, source_cues, match, slug=SLUG, lang="es")
    assert "nothing applied" in str(exc)


def test_broken_encoding(store_file: Path, source_cues: tuple[Cue, ...], tmp_path: Path) -> None:
    rows = _rows(store_file)
    out = tmp_path / "x.srt"
    good = _srt(rows).decode("utf-8-sig")
    out.write_bytes(good.replace(rows[2][2], "Traje el reloj de mi abuela, señor.").encode("latin-1",
                                                                                           "replace"))
    exc = _rejected(out, store_file, source_cues, "not UTF-8", slug=SLUG, lang="es")
    assert exc.line == 3  # the first non-UTF-8 byte: "máquina" on cue 1's text line


def test_utf16_from_subtitle_edit_is_accepted(store_file: Path, source_cues: tuple[Cue, ...],
                                              tmp_path: Path) -> None:
    rows = _rows(store_file)
    rows[0] = (rows[0][0], rows[0][1], "Bienvenidos, señoras.")
    out = tmp_path / "x.srt"
    out.write_bytes(_srt(rows).decode("utf-8-sig").encode("utf-16"))
    report = import_file(out, store_file, source_cues, slug=SLUG, lang="es")
    assert report.changed == (f"{SLUG}-0001",)


@pytest.mark.parametrize("fmt", ["po", "srt", "vtt"])
def test_file_from_an_older_source_reports_stale(tmp_path: Path, fmt: str) -> None:
    cues = make_cues()
    store_file = tmp_path / "translations" / SLUG / "es.vtt"
    store = build_store(cues, store_file)
    out = tmp_path / f"x.{fmt}"
    out.write_bytes(export_bytes(store, fmt, cues))
    write_manifest(store, store_file, cues)
    # the producer edits the source text of cue 3 and republishes (same cue ids)
    new_cues = list(cues)
    new_cues[2] = replace(cues[2], lines=("I brought my grandmother's old clock along.",))
    build_store(tuple(new_cues), store_file, load_store(store_file))
    # meanwhile the translator corrected cues 3 and 5 in the old export
    data = out.read_bytes().decode("utf-8-sig")
    for i, new in ((2, "Traje el reloj viejo de mi abuela."), (4, "Abrámoslo a ver qué tiene.")):
        data = data.replace(store.entries[i].text, new)
    out.write_bytes(data.encode("utf-8"))
    report = import_file(out, store_file, tuple(new_cues), slug=SLUG, lang="es")
    assert report.stale == (f"{SLUG}-0003",)
    assert report.outdated == (f"{SLUG}-0003",)
    new = load_store(store_file)
    assert new.entries[2].state == "stale" and new.entries[2].text == "Traje el reloj viejo de mi abuela."
    assert new.entries[4].state == "human"


def test_distribute_keeps_every_word_once() -> None:
    assert distribute("uno dos tres cuatro", [10, 10]) == ["uno dos", "tres cuatro"]
    assert distribute("一二三四五六", [1, 2]) == ["一二", "三四五六"]
    parts = distribute("a b c", [1, 1, 1])
    assert parts == ["a", "b", "c"]
