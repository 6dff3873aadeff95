"""Text as spoken (alignment only), pronunciations for words the dictionary lacks, the DTW
path, and confidence / re-timing of aligned words."""

from __future__ import annotations

import numpy as np
import pytest

from toolkit.timing.dtw import dtw_path
from toolkit.timing.lexicon import PHONES, fallback_pronunciation, ipa_to_arpabet
from toolkit.timing.normalize import spoken_weight, spoken_words
from toolkit.timing.windows import WordHit
from toolkit.timing.words import RETIMED_CONFIDENCE, assemble, word_confidence


def forms(text: str, lang: str = "en") -> list[tuple[tuple[str, ...], ...]]:
    return [w.forms for w in spoken_words(text, lang)]


@pytest.mark.parametrize(("text", "expected"), [
    ("$4,500", (("four", "thousand", "five", "hundred", "dollars"),)),
    ("12%", (("twelve", "percent"),)),
    ("3rd", (("third",),)),
    ("6:30", (("six", "thirty"),)),
    ("Dr.", (("doctor",), ("drive",))),
    ("U.S.", (("u", "s"),)),
    ("well-known,", (("well", "known"),)),
    ("1990s", (("nineteen", "nineties"),)),
    ("—", ()),
    ("“Okonkwo’s”", (("okonkwo's",),)),
])
def test_english_spoken_forms(text: str, expected: tuple[tuple[str, ...], ...]) -> None:
    assert forms(text) == [expected]


def test_years_have_both_readings() -> None:
    (alts,) = forms("2017.")
    assert ("twenty", "seventeen") in alts and ("two", "thousand", "seventeen") in alts


def test_other_languages_spell_numbers_in_their_own_words() -> None:
    assert forms("4500", "it") == [(("quattromilacinquecento",),)]
    assert forms("2017", "de")[0][0] == ("zweitausendsiebzehn",)


def test_published_text_is_untouched() -> None:
    words = spoken_words("It cost $4,500, e.g. on 3 June.", "en")
    assert [w.text for w in words] == ["It", "cost", "$4,500,", "e.g.", "on", "3", "June."]


def test_spoken_weight_counts_what_is_said() -> None:
    assert spoken_weight("4,500", "en") == len("fourthousandfivehundred")
    assert spoken_weight("…", "en") == 1.0
    assert spoken_weight("中文", "zh") == 6.0


def test_ipa_to_arpabet() -> None:
    assert ipa_to_arpabet("ɑːkˈɔŋkwoʊ") == ("AA", "K", "AO", "NG", "K", "W", "OW")
    assert ipa_to_arpabet("tʃˈɜːtʃ") == ("CH", "ER", "CH")
    assert ipa_to_arpabet("bˈʌʔn̩") == ("B", "AH", "T", "AH", "N")
    assert set(ipa_to_arpabet("ʒɪvˈɑːɡoʊ ðɪs θɪŋ")) <= PHONES
    assert fallback_pronunciation("XK") == ("EH", "K", "S", "K", "EY")
    assert fallback_pronunciation("") == ("AH",)


def test_oov_names_get_espeak_pronunciations() -> None:
    from toolkit.timing import espeak
    from toolkit.timing.sphinx import SphinxAligner

    if not espeak.available():
        pytest.skip("libespeak-ng missing")
    aligner = SphinxAligner()
    assert aligner.decoder.lookup_word("okonkwo") is None
    phones = aligner.pronunciation("okonkwo")
    assert phones[:2] == ("AA", "K") and set(phones) <= PHONES
    assert aligner.decoder.lookup_word("okonkwo") == " ".join(phones)


def test_dtw_recovers_a_known_warp() -> None:
    rng = np.random.default_rng(3)
    ref = rng.normal(size=(120, 4))
    # the query says the same thing, slower here and faster there
    take = np.concatenate([np.repeat(np.arange(40), 2), np.arange(40, 80), np.arange(80, 120, 2)])
    query = ref[take] + rng.normal(scale=0.05, size=(len(take), 4))
    match = dtw_path(query, ref, open_end=False)
    assert len(match) == len(query)
    assert np.all(np.diff(match) >= 0)
    assert np.abs(match - take).max() <= 2
    # open end: a query that stops half-way through the reference
    half = dtw_path(query[:80], ref, open_end=True)
    assert abs(int(half[-1]) - 39) <= 3


def test_confidence_and_retiming() -> None:
    words = spoken_words("One two three. Four five six seven. Eight nine.", "en")
    sentence_of = [0, 0, 0, 1, 1, 1, 1, 2, 2]
    good, bad = -1.0, -9.0
    hits = [WordHit(k, 100 + 40 * k, 130 + 40 * k, good) for k in range(9)]
    # the middle sentence fits badly (the audio says something else there)
    hits[3:7] = [WordHit(k, 100 + 40 * k + 7, 120 + 40 * k, bad) for k in range(3, 7)]
    out = assemble(words, hits, sentence_of, (0, 5000), "forced", "en")
    assert [w.text for w in out] == [w.text for w in words]
    assert all(w.confidence == 1.0 and not w.retimed for w in out[:3] + out[7:])
    middle = out[3:7]
    assert all(w.retimed and w.confidence == RETIMED_CONFIDENCE for w in middle)
    # spread by spoken length between the confident words around them
    assert middle[0].start == out[2].end and middle[-1].end == out[7].start
    lengths = [w.end - w.start for w in middle]
    assert lengths[3] > lengths[0]  # "seven" is longer than "four"
    assert word_confidence(-2.0, "forced") == 1.0 and word_confidence(-7.0, "forced") == 0.0


def test_a_single_bad_word_is_kept() -> None:
    words = spoken_words("One two three four five.", "en")
    hits = [WordHit(k, 40 * k, 40 * k + 30, -1.0) for k in range(5)]
    hits[2] = WordHit(2, 80, 110, -8.0)
    out = assemble(words, hits, [0] * 5, (0, 1000), "forced", "en")
    assert not any(w.retimed for w in out) and out[2].confidence == 0.0
