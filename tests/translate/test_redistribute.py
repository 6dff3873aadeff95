"""Redistribution of translated sentences over cues (property tests)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.model import Cue
from toolkit.translate import machine_cue_texts
from toolkit.translate.pseudo import pseudo_localize
from toolkit.translate.redistribute import split_text, squash, units

WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyzáé&<>_.,!?'", min_size=1, max_size=9)


@st.composite
def structures(draw):  # type: ignore[no-untyped-def]
    """Random cue ↔ sentence structures: runs of cues over runs of sentences,
    where a sentence may span cues and a cue may hold several sentences."""
    n_sent = draw(st.integers(1, 12))
    sentences = [" ".join(draw(st.lists(WORD, min_size=1, max_size=12))) for _ in range(n_sent)]
    cues: list[Cue] = []
    s = 0
    t = 0
    while s < n_sent:
        take = draw(st.integers(1, min(3, n_sent - s)))  # sentences in this group
        span = draw(st.integers(1, 4))  # cues over them
        idx = tuple(range(s, s + take))
        for k in range(span):
            cues.append(Cue(f"id{len(cues)}", t, t + 1000, (f"source text {k} " * draw(st.integers(1, 4)),),
                            sentences=idx))
            t += 1000
        s += take
    if draw(st.booleans()):  # a cue that names no sentence
        cues.append(Cue(f"id{len(cues)}", t, t + 500, ("♪ music ♪",)))
    return sentences, cues


@settings(max_examples=150, deadline=None)
@given(structures(), st.sampled_from(["es", "ja"]))
def test_no_text_lost_or_duplicated_ids_timings_kept(data, lang):
    sentences, cues = data
    translated = {}

    def translate(segs):
        return [pseudo_localize(s) for s in segs]

    texts, _ = machine_cue_texts(cues, sentences, translate, lang)
    assert list(texts) == [c.id for c in cues]
    for u in units(cues):
        got = "".join(texts[cues[i].id] for i in u.cues)
        if u.sentences:
            want = "".join(pseudo_localize(sentences[s]) for s in u.sentences)
        else:
            want = pseudo_localize(cues[u.cues[0]].text)
        assert squash(got) == squash(want)
    del translated


@settings(max_examples=200, deadline=None)
@given(st.lists(WORD, min_size=0, max_size=30), st.lists(st.integers(1, 80), min_size=1, max_size=6),
       st.sampled_from(["es", "zh", "th"]))
def test_split_text_parts(words, weights, lang):
    text = (" " if lang == "es" else "").join(words)
    parts = split_text(text, weights, lang)
    assert len(parts) == len(weights)
    assert squash("".join(parts)) == squash(text)
    n_tokens = len(text.split()) if lang == "es" else len(squash(text))
    if n_tokens >= len(weights) and lang == "es":
        assert all(parts)  # every cue gets text when there is enough


def test_split_proportional_at_word_boundaries():
    parts = split_text("uno dos tres cuatro cinco seis siete ocho", [10, 30], "es")
    assert parts == ["uno dos tres", "cuatro cinco seis siete ocho"]  # 12 chars of 41 ≈ 1/4


def test_cjk_split_never_starts_with_closing_punctuation():
    parts = split_text("我们今天谈论桥梁。它很古老，但是很结实。", [1, 1, 1], "zh")
    assert "".join(parts) == "我们今天谈论桥梁。它很古老，但是很结实。"
    assert all(p and p[0] not in "。，" for p in parts)


def test_units_are_connected_components():
    cues = [Cue("a", 0, 1, ("x",), sentences=(0, 1)), Cue("b", 1, 2, ("y",), sentences=(1,)),
            Cue("c", 2, 3, ("z",), sentences=(2,)), Cue("d", 3, 4, ("w",))]
    us = units(cues)
    assert [(u.cues, u.sentences) for u in us] == [((0, 1), (0, 1)), ((2,), (2,)), ((3,), ())]
