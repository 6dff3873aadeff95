"""layout(): translations too long for their source cue become guideline-clean published cues."""

from __future__ import annotations

from toolkit import segment
from toolkit.model import Cue, Word
from toolkit.segment import Profile, layout, source_of, sub_id
from toolkit.segment.layout import MAX_SHIFT, layout_text

ES = Profile().for_language("es")  # 42 characters, 17 cps


def _cue(n: int, start: int, end: int, text: str, **kw: object) -> Cue:
    return Cue(f"ep-{n:08x}", start, end, (text,), **kw)  # type: ignore[arg-type]


def _errors(cues: tuple[Cue, ...], lang: str) -> list[tuple[str, str]]:
    return [(f.cue or "", f.rule) for f in segment.check(cues, lang=lang) if f.severity == "error"]


LONG_ES = ("La mayoría de sus clientes traen relojes de la familia, "
           "y algunos no han funcionado desde que su abuelo murió hace años.")


def test_a_cue_that_fits_is_published_as_it_is() -> None:
    cues = (_cue(1, 0, 3000, "Hola a todos."), _cue(2, 3080, 6000, "Hoy hablamos de puentes."))
    assert layout(cues, lang="es") == cues


def test_too_long_translation_is_split_into_sub_cues_at_a_phrase_boundary() -> None:
    cue = _cue(1, 1000, 9000, LONG_ES, speaker="Ana", speaker_change=True, chapter=0, sentences=(3,),
               words=(Word("x", 1000, 1200),))
    out = layout((cue,), lang="es")
    assert len(out) == 2
    assert [c.id for c in out] == ["ep-00000001", "ep-00000001.2"]  # the first keeps the source id
    assert all(len(c.lines) <= 2 and all(len(x) <= 42 for x in c.lines) for c in out)
    # the split is at the comma (a clause boundary), not in the middle of a phrase
    assert out[0].text.endswith("familia,")
    assert " ".join(c.text for c in out) == LONG_ES  # nothing lost, nothing repeated
    assert out[0].start == 1000 and out[1].end >= 9000
    assert out[1].start - out[0].end == 80  # consecutive, the minimum gap apart
    # time in proportion to text length
    d0, d1 = out[0].end - out[0].start, out[1].end - out[1].start
    assert abs(d0 / d1 - len(out[0].text) / len(out[1].text)) < 0.05
    assert [(c.speaker, c.chapter, c.sentences) for c in out] == [("Ana", 0, (3,))] * 2
    assert [c.speaker_change for c in out] == [True, False]
    assert all(not c.words for c in out)  # source word timings spell no translation
    assert _errors(out, "es") == []


def test_split_prefers_a_conjunction_to_a_plain_word_boundary() -> None:
    text = ("Los relojes antiguos necesitan mucho cuidado y paciencia cada semana "
            "porque sus piezas pequeñas se desgastan con los años")
    parts = layout_text(0, 10000, text, next_start=None, lang="es")
    assert len(parts) == 2
    assert parts[1].lines[0].split()[0] in {"porque", "y", "con"}


def test_extension_into_the_following_gap_keeps_the_minimum_gap() -> None:
    text = "Esta frase corta se lee despacio."  # 33 characters: 1942 ms at 17 cps
    cues = (_cue(1, 0, 1200, text), _cue(2, 3000, 5000, "Siguiente."))
    out = layout(cues, lang="es")
    assert [c.id for c in out] == [cues[0].id, cues[1].id]
    assert out[0].start == 0 and out[0].end == 1942
    assert out[1] == cues[1]
    assert _errors(out, "es") == []
    # no gap after it: it may not run into the next cue, the 80 ms gap stays
    tight = (_cue(1, 0, 1200, text), _cue(2, 1280, 9000, "Siguiente."))
    got = layout(tight, lang="es")
    assert got[1].start - got[0].end >= 80


def test_time_is_borrowed_from_a_neighbour_that_does_not_need_it() -> None:
    dense = "Esta frase es bastante más larga que su tiempo."  # 47 characters: 2765 ms
    cues = (_cue(1, 0, 2000, dense), _cue(2, 2080, 6000, "Sí."))
    out = layout(cues, lang="es")
    assert _errors(out, "es") == []
    assert out[0].end - out[0].start >= 2765
    assert out[1].start - out[0].end == 80
    assert out[1].start - cues[1].start <= MAX_SHIFT
    assert out[1].end == cues[1].end


def test_no_sub_cue_is_shorter_than_the_minimum_duration() -> None:
    text = "Sí. " + "Esto sigue y sigue con muchas más palabras que ocupan casi todo el espacio disponible ahora."
    out = layout((_cue(1, 0, 8000, text),), lang="es")
    assert len(out) >= 2
    assert all(c.end - c.start >= ES.min_duration for c in out)
    assert _errors(out, "es") == []


def test_what_cannot_be_met_is_left_for_qc_to_report() -> None:
    # 3 cues chained 80 ms apart, each far too dense: there is no time to give
    text = "Una frase que es muchísimo más larga de lo que cabe."
    cues = tuple(_cue(n, n * 1080, n * 1080 + 1000, text) for n in range(3))
    out = layout(cues, lang="es")
    assert {rule for _, rule in _errors(out, "es")} == {"cps-hard"}
    assert all(len(c.lines) <= 2 for c in out)
    assert all(b.start - a.end >= 80 for a, b in zip(out, out[1:]))


def test_cjk_lines_hold_16_characters() -> None:
    text = "今日は私たちの村の古い橋について話します。その橋は百年前に村人たちが自分の手で作りました。"
    out = layout((_cue(1, 0, 12000, text),), lang="zh")
    assert len(out) >= 2
    assert all(len(line) <= 16 for c in out for line in c.lines)
    assert all(len(c.lines) <= 2 for c in out)
    assert "".join(c.text.replace(" ", "") for c in out) == text
    assert not any(line[0] in "。、，" for c in out for line in c.lines)  # no line starts with closing punctuation


def test_sub_cue_ids_map_back_to_their_source_cue() -> None:
    ids = {"ep-0a1b2c3d", "ep-0a1b2c3d-2"}  # the segmenter names a repeated text "-2"
    assert sub_id("ep-0a1b2c3d", 1) == "ep-0a1b2c3d"
    assert sub_id("ep-0a1b2c3d", 2) == "ep-0a1b2c3d.2"
    assert source_of("ep-0a1b2c3d.2", ids) == ("ep-0a1b2c3d", 2)
    assert source_of("ep-0a1b2c3d-2", ids) == ("ep-0a1b2c3d-2", 1)  # a source cue, not a sub-cue
    assert source_of("ep-0a1b2c3d-2.3", ids) == ("ep-0a1b2c3d-2", 3)
    assert source_of("ep-0a1b2c3d.02", ids) is None
    assert source_of("ep-ffffffff.2", ids) is None


def test_layout_is_deterministic_and_ids_unique() -> None:
    cues = tuple(_cue(n, n * 8000, n * 8000 + 7000, LONG_ES) for n in range(4))
    a, b = layout(cues, lang="es"), layout(cues, lang="es")
    assert a == b
    assert len({c.id for c in a}) == len(a)
    assert _errors(a, "es") == []
