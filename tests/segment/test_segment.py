"""segment(): transcripts built directly from model objects → cues."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from segment_helpers import transcript, with_words

from toolkit import segment
from toolkit.errors import InputError
from toolkit.model import Sentence, Transcript, Turn

LONG = ("Our first goal is to take economic development to a new level, which is to organize the "
        "overall situation with a high-quality development concept, and under the premise of ensuring "
        "quality we will maintain the rapid growth of the last two five-year plans.")


def _errors(cues: tuple, lang: str = "en") -> list:
    return [i for i in segment.check(cues, lang=lang) if i.severity == "error"]


def test_long_sentence_splits_into_clean_cues() -> None:
    tr = transcript([("Li", [LONG])])
    cues = segment.segment(tr, slug="ep1")
    assert len(cues) >= 3
    assert " ".join(c.text for c in cues) == LONG
    for c in cues:
        assert len(c.lines) <= 2 and all(len(line) <= 42 for line in c.lines)
        assert 833 <= c.duration <= 7000
        assert c.sentences == (0,)
    assert _errors(cues) == []
    # Clause boundaries are used: some cue ends on the commas of the sentence.
    assert any(c.text.endswith(",") for c in cues[:-1])


def test_cue_never_spans_a_speaker_change_or_chapter() -> None:
    tr = transcript([("Ana", ["Hello there."]), ("Li", ["Hi."]), ("Li", ["New chapter starts."])],
                    chapters=[0, 0, 1])
    cues = segment.segment(tr, slug="ep1")
    assert [(c.speaker, c.chapter, c.sentences) for c in cues] == [
        ("Ana", 0, (0,)), ("Li", 0, (1,)), ("Li", 1, (2,))]
    assert [c.speaker_change for c in cues] == [True, True, False]


def test_unknown_first_speaker_is_no_change() -> None:
    tr = transcript([(None, ["An intro nobody speaks."]), ("Li", ["Welcome."])])
    cues = segment.segment(tr, slug="ep1")
    assert [c.speaker_change for c in cues] == [False, True]


def test_short_sentences_of_a_turn_share_a_cue() -> None:
    tr = transcript([("Ana", ["Yes.", "Right.", "Go on."])], cps=12, pause=150)
    cues = segment.segment(tr, slug="ep1")
    assert len(cues) == 1
    assert cues[0].text == "Yes. Right. Go on."
    assert cues[0].sentences == (0, 1, 2)


def test_word_timings_place_cue_boundaries() -> None:
    text = ("We travelled for three long days across the mountains, and then, after a long rest "
            "in the valley, we finally reached the village at the end of the road.")
    # A 1.5 s pause before "and" (word 9): the cue boundary must sit there.
    s = with_words(text, 10_000, 300, pauses={9: 1500})
    tr = Transcript("en", (Turn("Ana", (s,)),))
    cues = segment.segment(tr, slug="ep1")
    assert len(cues) >= 2
    first = cues[0]
    assert first.start == 10_000
    assert first.text.endswith("mountains,")
    assert first.end <= s.words[9].start - 80
    assert cues[1].start >= s.words[8].end


def test_interpolated_times_are_proportional_to_characters() -> None:
    text = "a" * 30 + ", " + " ".join(["word"] * 12) + "."
    tr = Transcript("en", (Turn(None, (Sentence(text, 0, 7000),)),))
    cues = segment.segment(tr, slug="ep1")
    assert len(cues) == 2
    boundary = (len(cues[0].text) + 1) / len(text) * 7000
    assert abs(cues[1].start - boundary) <= 20


def test_times_chain_small_gaps_keep_real_pauses_and_never_overlap() -> None:
    sents = [Sentence("The first sentence is here.", 0, 2000),
             Sentence("The second one follows closely.", 2200, 4200),
             Sentence("A third after a long pause.", 8000, 10000)]
    tr = Transcript("en", tuple(Turn(name, (s,)) for name, s in zip(["Ana", "Li", "Ana"], sents)))
    cues = segment.segment(tr, slug="ep1")
    assert len(cues) == 3
    assert cues[1].start - cues[0].end == 80  # chained to exactly 2 frames
    assert cues[2].start - cues[1].end >= 500  # a real pause stays
    assert cues[1].end <= 4200 + 500  # lingers at most 0.5 s


def test_very_short_cue_is_extended_to_the_minimum() -> None:
    sents = [Sentence("Yes.", 1000, 1250), Sentence("Then a much later answer comes.", 6000, 8000)]
    tr = Transcript("en", (Turn("Ana", (sents[0],)), Turn("Li", (sents[1],))))
    cues = segment.segment(tr, slug="ep1")
    assert cues[0].start == 1000 and cues[0].duration >= 1000


def test_overlapping_input_speech_never_overlaps_in_cues() -> None:
    a = Sentence("I was saying that this matters a lot.", 0, 3000)
    b = Sentence("Sorry to interrupt you there.", 2500, 4500)  # starts before a ends
    tr = Transcript("en", (Turn("Ana", (a,)), Turn("Li", (b,))))
    cues = segment.segment(tr, slug="ep1")
    assert cues[1].start - cues[0].end >= 80
    assert not [i for i in segment.check(cues, lang="en") if i.rule in ("overlap", "gap-too-small")]


def test_confidence_is_the_minimum_of_its_sentences() -> None:
    s1 = Sentence("Yes.", 0, 300, confidence=0.9)
    s2 = Sentence("Sure.", 400, 700, confidence=0.4)
    cues = segment.segment(Transcript("en", (Turn(None, (s1, s2)),)), slug="ep1")
    assert len(cues) == 1 and cues[0].confidence == 0.4


def test_ids_are_stable_across_retiming_and_edits_elsewhere() -> None:
    texts = ["The first sentence is long enough to fill a cue of its own here.",
             "The second sentence follows it and is just as long as the first.",
             "And the third one ends it, with a little more text than the others."]
    a = segment.segment(transcript([("Ana", texts)], cps=15), slug="ep7")
    b = segment.segment(transcript([("Ana", texts)], cps=13, pause=700), slug="ep7")
    assert [c.id for c in a] == [c.id for c in b]
    assert [c.start for c in a] != [c.start for c in b]
    edited = segment.segment(
        transcript([("Ana", ["Something else entirely opens the show.", *texts[1:]])], cps=15, pause=2000),
        slug="ep7")
    assert [c.id for c in a][1:] == [c.id for c in edited][1:]
    assert a[0].id != edited[0].id
    for c in a:
        assert re.fullmatch(r"ep7-[0-9a-f]{8}(-\d+)?", c.id)


def test_repeated_identical_text_gets_numbered_ids() -> None:
    tr = transcript([("Ana", ["Thank you."]), ("Li", ["Sure."]), ("Ana", ["Thank you."]),
                     ("Li", ["Sure."]), ("Ana", ["Thank you."])], pause=2000)
    ids = [c.id for c in segment.segment(tr, slug="ep1")]
    assert ids[2] == ids[0] + "-2" and ids[4] == ids[0] + "-3"
    assert len(set(ids)) == len(ids)


def test_same_text_different_speaker_different_id() -> None:
    tr = transcript([("Ana", ["Thank you."]), ("Li", ["Thank you."])], pause=2000)
    cues = segment.segment(tr, slug="ep1")
    assert cues[0].id != cues[1].id and "-2" not in cues[1].id


def test_untimed_sentence_is_an_input_error_with_line() -> None:
    tr = Transcript("en", (Turn(None, (Sentence("No timing.", line=12),)),), source=None)
    with pytest.raises(InputError, match="line 12"):
        segment.segment(tr, slug="ep1")


def test_sentence_ending_before_start_is_an_input_error() -> None:
    from pathlib import Path

    tr = Transcript("en", (Turn(None, (Sentence("Backwards.", 5000, 4000, line=3),)),),
                    source=Path("t.txt"))
    with pytest.raises(InputError, match=r"t\.txt:3"):
        segment.segment(tr, slug="ep1")


def test_bad_slug_rejected() -> None:
    with pytest.raises(InputError):
        segment.segment(transcript([(None, ["Hi."])]), slug="a-->b")


def test_chinese_transcript_uses_chinese_limits() -> None:
    texts = ["贵州省在全国排名第一，原因有二。", "首先，它使全国最多的人摆脱了极端贫困，这是非常了不起的成就。"]
    tr = transcript([("李", texts)], lang="zh", cps=4)
    cues = segment.segment(tr, slug="zh1")
    assert all(len(line) <= 16 for c in cues for line in c.lines)
    assert "".join("".join(c.lines) for c in cues) == "".join(texts)


def test_empty_sentences_are_skipped_but_keep_their_index() -> None:
    sents = (Sentence("  ", 0, 100), Sentence("Real text here.", 200, 1500))
    cues = segment.segment(Transcript("en", (Turn(None, sents),)), slug="ep1")
    assert len(cues) == 1 and cues[0].sentences == (1,)


# ---------------------------------------------------------------- property test
_words = st.lists(st.sampled_from(
    "the a of and to in we it province development Guizhou Xi Jinping million 2,500 people said, "
    "growth. quality, economy! years? U.S. village road".split()), min_size=1, max_size=45)


@st.composite
def _transcripts(draw: st.DrawFn) -> Transcript:
    turns = []
    t = draw(st.integers(0, 5000))
    for _ in range(draw(st.integers(1, 5))):
        sents = []
        for _ in range(draw(st.integers(1, 4))):
            words = draw(_words)
            text = " ".join(words)
            dur = draw(st.integers(len(text) * 40, len(text) * 90 + 300))
            sents.append(Sentence(text, t, t + dur))
            t += dur + draw(st.sampled_from([0, 50, 200, 600, 2000]))
        turns.append(Turn(draw(st.sampled_from([None, "Ana", "Li"])), tuple(sents),
                          chapter=draw(st.sampled_from([None, 0, 1]))))
    return Transcript("en", tuple(turns))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_transcripts())
def test_segment_invariants(tr: Transcript) -> None:
    cues = segment.segment(tr, slug="p")
    sentences = tr.sentences
    # Every sentence is shown, in order, and cue text is exactly the sentence text.
    covered = [k for c in cues for k in c.sentences]
    assert sorted(set(covered)) == list(range(len(sentences)))
    turn_of = [n for n, turn in enumerate(tr.turns) for _ in turn.sentences]
    for c in cues:
        assert len({turn_of[k] for k in c.sentences}) == 1  # never spans turns
        turn = tr.turns[turn_of[c.sentences[0]]]
        assert c.speaker == turn.speaker and c.chapter == turn.chapter
        assert len(c.lines) <= 2
        assert all(len(line) <= 42 for line in c.lines)  # every word fits a line
        assert c.end > c.start
    for turn_no, turn in enumerate(tr.turns):
        shown = " ".join(c.text for c in cues if turn_of[c.sentences[0]] == turn_no)
        assert shown == " ".join(" ".join(s.text.split()) for s in turn.sentences)
    for a, b in zip(cues, cues[1:]):
        assert b.start - a.end >= 80
    assert len({c.id for c in cues}) == len(cues)
    assert not [i for i in segment.check(cues, lang="en")
                if i.rule in ("overlap", "gap-too-small", "line-too-long", "too-many-lines", "too-long")]
