"""The pseudo engine and the real Debian apertium engine."""

from __future__ import annotations

import shutil

import pytest

from support.tools import skip_or_fail
from hypothesis import given
from hypothesis import strategies as st

from toolkit.errors import EngineError
from toolkit.translate.apertium import ApertiumEngine, mode_for
from toolkit.translate.pseudo import pseudo_localize


def test_pseudo_example():
    out = pseudo_localize("Hello world")
    assert out == "[Ĥéļļö ŵöŕļð ····]"


def test_pseudo_padding_wraps_like_words():
    """Long padding comes in word-sized groups, so subtitle lines can wrap it."""
    from toolkit.translate.pseudo import pseudo_localize

    out = pseudo_localize("A spoked wheel is a strange object, and every one of them is pulling hard.")
    assert max(len(w) for w in out.split()) <= 12
    assert out.count("·") >= 0.35 * 74


def test_pseudo_keeps_placeholders_numbers_and_markup_chars():
    out = pseudo_localize("Pay {amount} for 3 items at 10% & <b> see https://example.org/a_b")
    for kept in ("{amount}", "3", "10%", "&", "<", ">", "https://example.org/a_b"):
        assert kept in out


@given(st.text(min_size=1).filter(lambda t: t.strip()))
def test_pseudo_deterministic_and_longer(text):
    a, b = pseudo_localize(text), pseudo_localize(text)
    assert a == b
    assert len(a) >= 1.3 * len(text)
    assert a.startswith("[") and a.endswith("]")


def _need_apertium() -> None:
    if shutil.which("apertium") is None or mode_for("en", "es") is None:
        skip_or_fail("apertium eng-spa not installed (apt-get install apertium-eng-spa)")


@pytest.mark.apertium
def test_apertium_real_spanish():
    _need_apertium()
    eng = ApertiumEngine()
    src = ["The house is big.", "", "Questions & answers <here>.", "The dog is\nsmall."]
    out = eng.translate_batch(src, "en", "es")
    assert len(out) == 4
    assert "casa" in out[0].lower()
    assert out[1] == ""
    assert "&" in out[2] and "<" in out[2]
    assert "perro" in out[3].lower() and "\n" not in out[3]
    assert eng.label("en", "es").startswith("apertium eng-spa ")


@pytest.mark.apertium
def test_apertium_many_lines_one_process_stay_aligned():
    _need_apertium()
    src = [f"The house number {i} is big." for i in range(60)]
    out = ApertiumEngine().translate_batch(src, "en", "es")
    assert len(out) == 60
    assert all(f"{i}" in o and "casa" in o for i, o in enumerate(out))


@pytest.mark.apertium
def test_apertium_batch_equals_one_by_one_across_unpunctuated_segments():
    """Titles have no final full stop; apertium's transfer rules used to move
    words across the newline into the next segment ("The Clock Doctor" became
    "El Reloj de" and the next line began with "Doctor").  A batch must give
    exactly what translating each segment alone gives."""
    _need_apertium()
    src = ["The Clock Doctor", "Clock repairer Joseph Adeyemi shares a workshop.", "Spokes and Patience",
           "Wheel builder Rosa Hale explains", "Why?", "Darning a Sweater"]
    eng = ApertiumEngine()
    batch = eng.translate_batch(src, "en", "es")
    alone = [eng.translate_batch([s], "en", "es")[0] for s in src]
    assert batch == alone
    assert "Doctor" in batch[0] and not batch[1].startswith("Doctor")


def test_apertium_missing_pair_hint():
    eng = ApertiumEngine()
    assert not eng.available("en", "ja")
    with pytest.raises(EngineError, match=r"apt-get install apertium"):
        eng.translate_batch(["Hello."], "en", "ja")
