"""translate_episode end to end through the real argos package, the translation
memory and the translations store."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from support.tools import skip_or_fail

from toolkit.errors import ConfigError, EngineError
from toolkit.segment.layout import MAX_SHIFT
from toolkit.translate import translate_episode, translate_show_texts
from support.engines import CountingEngine
from toolkit.translate.registry import get_engine
from toolkit.translate.memory import TranslationMemory, memory_path

from translate_helpers import SENTENCES, make_show, make_source

REPO = Path(__file__).resolve().parents[2]


def _texts(build):  # type: ignore[no-untyped-def]
    return [" ".join(c.lines) for c in build.cues]


def _near(cues, source_cues) -> bool:  # type: ignore[no-untyped-def]
    """Same ids, each cue starting within the layout's re-timing of its source cue
    (reading speed), in order, 80 ms apart."""
    return [c.id for c in cues] == [c.id for c in source_cues] and all(
        abs(c.start - s.start) <= MAX_SHIFT for c, s in zip(cues, source_cues)) and all(
        b.start - a.end >= 80 for a, b in zip(cues, cues[1:]))


def test_argos_copy_model_episode_is_exact(tmp_path, argos_package):
    show = make_show(tmp_path / "show")
    source = make_source(show)
    eng = CountingEngine(get_engine("argos"))
    build = translate_episode(show, source, "es", engine=eng)
    assert [(c.id, c.speaker, c.chapter) for c in build.cues] == [(c.id, c.speaker, c.chapter) for c in source.cues]
    # es reads slower than en (17 cps, not 20): the layout re-times, within MAX_SHIFT
    assert _near(build.cues, source.cues)
    assert _texts(build) == [c.text for c in source.cues]  # the copy model: exact text back
    assert build.title == "The Bridge"
    assert build.description == "How a village got its bridge.\nSecond paragraph."
    assert [c.title for c in build.chapters] == ["Introduction", "Credits"]
    assert [c.start for c in build.chapters] == [0, 12000]
    assert build.machine and not build.pseudo and build.engine == "argos en-es 1.0"
    assert build.lang == "es"
    assert eng.calls == 1
    # the store holds machine text keyed by source cue ids
    store = (show.root / "translations" / "ep1" / "es.vtt").read_text("utf-8")
    assert "c3" in store and "Questions &amp; answers &lt;here&gt;." in store


def test_republish_makes_zero_engine_calls_and_one_changed_sentence_one_call(tmp_path, argos_package):
    show = make_show(tmp_path / "show")
    eng = CountingEngine(get_engine("argos"))
    first = translate_episode(show, make_source(show), "es", engine=eng)
    assert (eng.calls, eng.sentences) == (1, len(SENTENCES) + 5)  # + 2 chapters, title, 2 description lines
    again = translate_episode(show, make_source(show), "es", engine=eng)
    assert eng.calls == 1  # nothing new: no engine call
    assert again == first
    changed = list(SENTENCES)
    changed[3] = "Questions & answers <there>."
    source = make_source(show, changed)
    build = translate_episode(show, source, "es", engine=eng)
    assert (eng.calls, eng.sentences) == (2, len(SENTENCES) + 5 + 1)
    assert _texts(build)[3] == "Questions & answers <there>."
    with TranslationMemory(memory_path(show.root)) as tm:
        assert tm.count() == len(SENTENCES) + 5 + 1


def test_human_correction_survives_retranslation(tmp_path, argos_package):
    show = make_show(tmp_path / "show")
    translate_episode(show, make_source(show), "es")
    path = show.root / "translations" / "ep1" / "es.vtt"
    text = path.read_text("utf-8").replace("Thank you!", "¡Gracias!")
    path.write_text(text, "utf-8")
    build = translate_episode(show, make_source(show), "es")
    assert "¡Gracias!" in _texts(build)[4]


def test_republish_loads_no_model(tmp_path, argos_package):
    """A translation-memory hit path must not import argostranslate or ctranslate2."""
    show = make_show(tmp_path / "show")
    translate_episode(show, make_source(show), "es")
    code = textwrap.dedent(f"""
        import sys, json
        sys.path.insert(0, {str(REPO / 'tests' / 'translate')!r})
        from pathlib import Path
        from translate_helpers import make_show, make_source
        from toolkit.translate import translate_episode, translate_show_texts
        show = make_show(Path({str(show.root)!r}))
        b = translate_episode(show, make_source(show), "es")
        print(json.dumps([[" ".join(c.lines) for c in b.cues],
                          sorted(m for m in sys.modules if m.split(".")[0] in ("argostranslate", "ctranslate2"))]))
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300,
                         env=os.environ.copy(), cwd=REPO, check=True)
    texts, heavy = json.loads(out.stdout.strip().splitlines()[-1])
    assert texts == [c.text for c in make_source(show).cues]
    assert heavy == []


def test_pseudo_language_is_labelled_and_not_stored(tmp_path):
    show = make_show(tmp_path / "show", engines={})  # qps-ploc is always the pseudo engine
    build = translate_episode(show, make_source(show), "qps-ploc")
    assert build.pseudo and not build.machine
    texts = _texts(build)
    assert texts[0].startswith("[Ŵéļçöɱé ţö ţĥé šĥöŵ.")
    # sentence 2 spans cues c1 and c2: its pseudo text is shared between them
    from toolkit.translate.pseudo import pseudo_localize
    assert texts[1] + " " + texts[2] == pseudo_localize(SENTENCES[2])
    assert _near(build.cues, make_source(show).cues)
    assert not (show.root / "translations" / "ep1" / "qps-ploc.vtt").exists()
    texts = translate_show_texts(show, "en-XA")
    assert texts.pseudo and texts.title.startswith("[")


def test_show_texts_argos(tmp_path, argos_package):
    show = make_show(tmp_path / "show")
    texts = translate_show_texts(show, "es")
    assert (texts.title, texts.description) == (show.title, show.description)
    assert texts.machine and texts.engine == "argos en-es 1.0"


def test_unknown_language_code(tmp_path):
    show = make_show(tmp_path / "show")
    with pytest.raises(ConfigError, match="unknown language code 'qq'"):
        translate_episode(show, make_source(show), "qq")


def test_pair_not_installed_names_install_command(tmp_path, argos_package):
    show = make_show(tmp_path / "show")
    with pytest.raises(EngineError, match="toolkit models install en de"):
        translate_episode(show, make_source(show), "de")
    assert not (show.root / "translations" / "ep1" / "de.vtt").exists()


def test_empty_cues_and_sentences(tmp_path, argos_package):
    show = make_show(tmp_path / "show")
    from toolkit.model import Cue
    from toolkit.model import replace as rep

    source = make_source(show, ["", "Hello.", "x y", "", "Fine.", "Ok."])
    cues = list(source.cues)
    cues[3] = rep(cues[3], lines=())  # an empty cue whose sentence is empty
    source = rep(source, cues=tuple(cues)) if hasattr(source, "__slots__") else source.__class__(
        source.episode, source.transcript, source.audio, source.alignment, tuple(cues), source.qc)
    build = translate_episode(show, source, "es")
    assert [c.id for c in build.cues] == [c.id for c in source.cues]
    assert " ".join(build.cues[3].lines) == ""
    del Cue


def test_apertium_episode(tmp_path):
    from toolkit.translate.apertium import mode_for

    if mode_for("en", "es") is None:
        skip_or_fail("apertium eng-spa not installed")
    show = make_show(tmp_path / "show", engines={"es": "apertium"})
    build = translate_episode(show, make_source(show), "es")
    assert build.engine.startswith("apertium eng-spa ")
    assert "Bienvenido" in _texts(build)[0] or "bienvenido" in _texts(build)[0].lower()
    assert [c.id for c in build.cues] == [c.id for c in make_source(show).cues]

