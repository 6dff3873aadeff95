"""The sentence splitter: each trap on its own, the seeds' tricky spots, and the
no-text-lost property."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.ingest.sentences import normalize_space, split_sentences

TRAPS = [
    # curly quotes, and a quote glued to the comma before it
    ("The ferryman said,“Not one more winter.” Costs rose.", ["The ferryman said,“Not one more winter.”", "Costs rose."]),
    # space before a closing quote: the quote stays with its sentence
    ("Done right, down to the last bolt. ” Nobody came.", ["Done right, down to the last bolt. ”", "Nobody came."]),
    ("It ended there. ”", ["It ended there. ”"]),
    # an opening quote never closed
    ("Then came the “Plan for the valley. It failed.", ["Then came the “Plan for the valley.", "It failed."]),
    # abbreviations
    ("She wrote to the U.S. embassy. It replied.", ["She wrote to the U.S. embassy.", "It replied."]),
    ("He paid 3,200 U.S. dollars. Plus a fee.", ["He paid 3,200 U.S. dollars.", "Plus a fee."]),
    ("Dr. Ruiz met Mr. Okafor and Mrs. Lee at St. Mary’s.", ["Dr. Ruiz met Mr. Okafor and Mrs. Lee at St. Mary’s."]),
    ("The “Plan No. 2” worked. Really.", ["The “Plan No. 2” worked.", "Really."]),
    ("Bring tools, e.g. saws, i.e. the sharp ones, etc. and rope.", ["Bring tools, e.g. saws, i.e. the sharp ones, etc. and rope."]),
    ("We used stone, wood, etc. The rest came later.", ["We used stone, wood, etc.", "The rest came later."]),
    ("John F. Kennedy spoke.", ["John F. Kennedy spoke."]),
    # numbers
    ("Trade reached 3.7 trillion yuan. It grew.", ["Trade reached 3.7 trillion yuan.", "It grew."]),
    ("About 98.99 million people. Then 2,500 more.", ["About 98.99 million people.", "Then 2,500 more."]),
    ("Output rose 650%. Costs fell 30%.", ["Output rose 650%.", "Costs fell 30%."]),
    ("It was 2020. 84 families moved.", ["It was 2020.", "84 families moved."]),
    # ellipses, questions, exclamations
    ("Wait... Then it opened… and closed. Why? Because! “Really?” he asked.",
     ["Wait...", "Then it opened… and closed.", "Why?", "Because!", "“Really?” he asked."]),
    # a quoted sentence followed by a new one
    ("“We’ll start in May,” the mayor said. “It will hold.” It did.",
     ["“We’ll start in May,” the mayor said.", "“It will hold.”", "It did."]),
    # brackets
    ("The plan (FYP) was set. (It was late.) Then work began.",
     ["The plan (FYP) was set.", "(It was late.)", "Then work began."]),
    # lower-case after a full stop is not a new sentence
    ("The bridge opened at 9 a.m. and closed at noon.", ["The bridge opened at 9 a.m. and closed at noon."]),
]


@pytest.mark.parametrize(("paragraph", "expected"), TRAPS, ids=[t[0][:30] for t in TRAPS])
def test_traps(paragraph: str, expected: list[str]) -> None:
    assert split_sentences(paragraph) == expected


def test_no_sentence_is_only_punctuation() -> None:
    out = split_sentences("He said it was done. ” Then “ Nothing more . ” ” Fine.")
    assert all(any(ch.isalnum() for ch in s) for s in out), out


def test_whitespace_is_normalised() -> None:
    assert split_sentences("  One.\n\tTwo\u00a0words.  ") == ["One.", "Two words."]
    assert split_sentences(" \n ") == []


def test_own_fixture_traps(fixtures: Path) -> None:
    from toolkit.ingest import read_transcript

    t = read_transcript(fixtures / "narrative.txt", language="en")
    by_line: dict[int, list[str]] = {}
    for s in t.sentences:
        by_line.setdefault(s.line or 0, []).append(s.text)
    assert by_line[3] == [
        "The river was high that spring.",
        "Dr. Ruiz counted 1,250 people on the old ferry in one week.",
        "She wrote to the U.S. embassy and to St. Mary’s school for help.",
    ]
    assert by_line[4] == ["The ferryman said,“Not one more winter like this.”", "Costs rose by 340% in a year, to 4.5 million pesos."]
    assert by_line[5] == ["Everyone agreed on one thing: the work had to be done right, down to the last bolt. ”"]
    assert by_line[6][-1] == "Then came the “Plan No. 2 for the valley."
    assert by_line[8] == [
        "“We’ll start in May,” the mayor said.",
        "The crew used local stone, timber, etc. and very little steel.",
        "Was it enough?",
        "It was!",
        "The bridge opened on 3 June...",
        "Nobody missed the ferry.",
    ]


# --------------------------------------------------------------------------- seeds


def _seed_sentences(seeds_dir: Path, prefix: str) -> list[str]:
    from toolkit.ingest import read_transcript

    path = next(seeds_dir.glob(f"{prefix}_*.txt"))
    return [s.text for s in read_transcript(path, language="en").sentences]


@pytest.mark.seeds
def test_seed_narrative_tricky_spots(seeds_dir: Path) -> None:
    sentences = _seed_sentences(seeds_dir, "000")
    # no sentence made of a lone closing quote, none starts with one
    assert not any(s.lstrip().startswith("”") for s in sentences)
    # "detail. ”": the spaced closing quote ends its own sentence
    assert any(s.endswith("down to the last detail. ”") for s in sentences)
    # U.S. does not end a sentence
    assert not any(s.endswith("U.S.") for s in sentences)
    assert sum("U.S. dollars" in s for s in sentences) == 2
    # He said,“Not ... : the glued quote stays inside one sentence
    glued = [s for s in sentences if "said,“Not" in s]
    assert len(glued) == 1 and glued[0].startswith("He said,“Not") and glued[0].endswith("better life.”")
    # the never-closed “One Road. ends a sentence and does not swallow the next paragraph
    road = [s for s in sentences if s.endswith("“One Road.")]
    assert len(road) == 1
    # numbers survive intact
    joined = " ".join(sentences)
    for number in ("2,500 meters", "98.99 million", "3.7 trillion", "650%", "“Baiye No. 1” tea"):
        assert number in joined
    assert not any(s in ("”", "“") for s in sentences)


@pytest.mark.seeds
def test_seed_interview_tricky_spots(seeds_dir: Path) -> None:
    sentences = _seed_sentences(seeds_dir, "002")
    assert any(s.startswith("The 14th Five-Year Plan (FYP) will set out") for s in sentences)
    assert "How do you picture Guizhou Province in five years?" in sentences
    assert any("9.23 million impoverished people." in s for s in sentences)
    assert any("92.5 percent" in s for s in sentences)
    assert any("(FAST) system is settled in Guizhou." in s for s in sentences)


@pytest.mark.seeds
def test_seed_paragraphs_lose_no_text(seeds_dir: Path) -> None:
    for path in sorted(seeds_dir.glob("*.txt")):
        for paragraph in path.read_text(encoding="utf-8").splitlines():
            assert " ".join(split_sentences(paragraph)) == normalize_space(paragraph)


# --------------------------------------------------------------------------- property

_PIECES = st.sampled_from(
    ["U.S.", "Dr.", "No.", "1", "3.7", "2,500", "650%", "e.g.", "etc.", "...", "…", ".", "?", "!", "”", "“",
     "\"", "'", "(", ")", ",", "Mr.", "St.", "A.", "I.", "said,“Not", "detail. ”", "The", "end.", "word",
     "Word", "x.", "Y", "\u00a0", "\n", "\t", "  "]
)  # fmt: skip
_TEXT = st.lists(st.one_of(_PIECES, st.text(max_size=6)), max_size=30).map(
    lambda parts: "".join(p + (" " if i % 2 else "") for i, p in enumerate(parts))
)


@settings(max_examples=300, deadline=None)
@given(_TEXT)
def test_split_never_loses_or_duplicates_text(paragraph: str) -> None:
    sentences = split_sentences(paragraph)
    assert " ".join(sentences) == normalize_space(paragraph)
    assert all(s and s == s.strip() for s in sentences)


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_split_arbitrary_unicode(paragraph: str) -> None:
    assert " ".join(split_sentences(paragraph)) == normalize_space(paragraph)
