"""The argos engine through the real argostranslate package + CTranslate2 (copy model)."""

from __future__ import annotations

import pytest

from toolkit.errors import EngineError
from toolkit.translate import argos
from support.engines import CountingEngine
from toolkit.translate.registry import get_engine


def test_copy_model_round_trips_exactly(argos_package):
    eng = get_engine("argos")
    src = ["Hello world.", "Questions & answers <on older phones>.", "notes_2024.txt and snake_case stay.",
           "Zürich, Kraków, 日本語 and 🙂 pass through.", "", "Line one\nline two"]
    assert eng.translate_batch(src, "en", "es") == src


def test_matches_argostranslate_translate(argos_package):
    """Same package, same text: the batched path agrees with argos' own translate()
    (except '_', which argos turns into a space and we keep)."""
    import argostranslate.translate

    text = "The bridge is old, but it still carries two thousand cars every day."
    assert argostranslate.translate.translate(text, "en", "es") == get_engine("argos").translate_batch(
        [text], "en", "es")[0]


def test_sentence_longer_than_model_limit_is_split_not_truncated(argos_package):
    long = " ".join(f"word{i}," for i in range(700)) + " end."
    pkg = argos.find_package("en", "es")
    assert pkg is not None
    out = get_engine("argos").translate_batch([long, "short."], "en", "es")
    assert out[0].split() == long.split()  # every word, in order
    assert out[1] == "short."


def test_cjk_without_spaces_over_limit_is_split_between_characters(argos_package):
    text = "日本語の文章です。" * 60
    out = get_engine("argos").translate_batch([text], "en", "es")
    assert out[0] == text


def test_one_output_per_input_and_counted(argos_package):
    eng = CountingEngine(get_engine("argos"))
    src = [f"Sentence number {i}." for i in range(150)]
    assert eng.translate_batch(src, "en", "es") == src
    assert (eng.calls, eng.sentences) == (1, 150)


@pytest.mark.parametrize("beam", [4, 1])
def test_token_sub_batches_change_no_output(argos_package, beam):
    """One call of many sentences of mixed lengths (several ~1024-token sub-batches,
    CTranslate2 sorts them by length) gives, per sentence and in input order, what
    one call per sentence and the old 64-example batches give."""
    eng = argos.ArgosEngine(beam_size=beam)
    src = [" ".join(f"w{i}x{k}" for k in range(1 + (i * 37) % 60)) + "." for i in range(120)]
    pkg = argos.find_package("en", "es")
    assert pkg is not None
    out = eng.translate_batch(src, "en", "es")
    assert out == src
    assert [out[i] for i in range(0, 120, 7)] == [eng.translate_batch([s], "en", "es")[0] for s in src[::7]]
    m = eng._load(pkg)
    tokens = [m.encode(s) for s in src]
    new = [list(r.hypotheses[0]) for r in m.translator.translate_batch(tokens, **argos.decoding_options(beam))]
    old_options = dict(argos.decoding_options(beam), max_batch_size=64, batch_type="examples")
    old = [list(r.hypotheses[0]) for r in m.translator.translate_batch(tokens, **old_options)]
    assert new == old
    assert sum(len(t) for t in tokens) > 2 * argos.BATCH_TOKENS  # really several sub-batches


def test_missing_pair_names_the_install_command(argos_package):
    eng = get_engine("argos")
    assert not eng.available("en", "fr")
    with pytest.raises(EngineError, match=r"toolkit models install en fr"):
        eng.translate_batch(["Hello."], "en", "fr")


def test_unknown_engine():
    with pytest.raises(EngineError, match="unknown translation engine 'deepl'"):
        get_engine("deepl")


def test_model_version_and_label(argos_package):
    eng = get_engine("argos")
    assert eng.label("en", "es") == "argos en-es 1.0"
    assert eng.model_version("en", "es").startswith("1.0+")


def test_split_long_keeps_everything():
    enc = lambda t: t.split()  # noqa: E731 - one token per word
    text = "a b c, d e f; g h i j k l m n o p"
    chunks = argos.split_long(text, enc, 4)
    assert all(len(c.split()) <= 4 for c, _ in chunks)
    assert "".join(j + c for c, j in chunks) == text
