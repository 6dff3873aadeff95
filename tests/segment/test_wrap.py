"""Line breaking: wrap_lines and the break rules behind it."""

from __future__ import annotations

import re

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from toolkit import segment
from toolkit.segment import Profile
from toolkit.segment.breaks import FORBID, tokenize

PROTECTED = ["Xi Jinping", "Li Zaiyong", "Sanhe Village", "Belt and Road Initiative", "98.99 million",
             "2,500 meters", "Guizhou Province", "U.S. President"]


def _splits(lines: tuple[str, ...], phrase: str) -> bool:
    """True when ``phrase`` is cut across two consecutive lines."""
    for a, b in zip(lines, lines[1:]):
        joined = f"{a} {b}"
        cut = len(a)
        for m in re.finditer(re.escape(phrase), joined):
            if m.start() < cut < m.end():
                return True
    return False


def test_short_text_stays_on_one_line() -> None:
    assert segment.wrap_lines("How do you picture Guizhou in five years?", lang="en") == (
        "How do you picture Guizhou in five years?",)


def test_two_lines_within_limits_and_text_kept() -> None:
    text = "First, it has lifted the most people out of extreme poverty in the country."
    lines = segment.wrap_lines(text, lang="en")
    assert len(lines) == 2
    assert all(len(line) <= 42 for line in lines)
    assert " ".join(lines) == text


def test_break_after_comma_preferred() -> None:
    lines = segment.wrap_lines("At the same time, we still have more than one million people", lang="en")
    assert lines[0] == "At the same time,"


@pytest.mark.parametrize("phrase", PROTECTED)
@pytest.mark.parametrize("filler", [
    "The plan that was finally announced last year in the capital by {p} includes",
    "Officials said yesterday that the results achieved by {p} were impressive",
    "For many years now the people living near {p} have asked for a new road",
])
def test_protected_phrases_never_split(phrase: str, filler: str) -> None:
    text = filler.format(p=phrase)
    # Try every line width so that the phrase lands on the natural break point.
    for width in range(24, 43):
        lines = segment.wrap_lines(text, lang="en", profile=Profile(max_chars=width, per_language=False))
        assert not _splits(lines, phrase), (width, lines)


def test_no_line_ends_with_an_article() -> None:
    text = "We will maintain the good air quality of the county above the national average"
    for width in range(20, 43):
        lines = segment.wrap_lines(text, lang="en", profile=Profile(max_chars=width, per_language=False))
        for line in lines[:-1]:
            assert line.split()[-1].lower() not in {"a", "an", "the"}, lines


def test_bottom_heavy_when_balanced_choices_tie() -> None:
    # Two plain breaks 4 characters either side of the middle: the longer
    # bottom line wins.
    lines = segment.wrap_lines("aaaa bbbb cccc dddd eeee ffff gggg hhhh iiii jjjj", lang="xx",
                               profile=Profile(max_chars=30, per_language=False))
    assert len(lines) == 2
    assert len(lines[0]) <= len(lines[1])


def test_break_penalties_follow_the_rules() -> None:
    toks = tokenize("He met Xi Jinping, and the minister of trade in Beijing.", lang="en")
    pen = dict(zip(toks.text, toks.penalty))
    assert pen["Jinping,"] == FORBID  # inside a name
    assert pen["and"] < pen["minister"]  # before a conjunction beats a plain break
    assert pen["minister"] == FORBID  # after an article
    assert toks.penalty[toks.text.index("and")] <= toks.penalty[toks.text.index("in")]


def test_cjk_breaks_between_characters_with_kinsoku() -> None:
    text = "贵州省在全国排名第一，原因有二。首先，它使全国最多的人摆脱了极端贫困。"
    lines = segment.wrap_lines(text, lang="zh")
    assert "".join(lines) == text
    assert all(len(line) <= 16 for line in lines)
    assert not any(line[0] in "，。" for line in lines)


def test_cjk_two_lines_when_it_fits() -> None:
    lines = segment.wrap_lines("贵州省在全国排名第一，原因有二。", lang="zh")
    assert lines == ("贵州省在全国排名第一，原因有二。",)
    lines = segment.wrap_lines("贵州省在全国排名第一，原因有二。首先是这样", lang="zh")
    # Balanced lines broken after punctuation (the comma), never mid-phrase.
    assert len(lines) == 2 and lines[0][-1] in "，。" and "".join(lines).endswith("这样")


def test_too_long_text_gets_more_lines_not_longer_ones() -> None:
    text = " ".join(["word"] * 40)
    lines = segment.wrap_lines(text, lang="en")
    assert len(lines) > 2
    assert all(len(line) <= 42 for line in lines)


def test_per_language_width() -> None:
    ko = segment.wrap_lines("이것은 한국어 문장입니다 그리고 조금 더 깁니다", lang="ko")
    assert all(len(line) <= 16 for line in ko)


_word = st.text(alphabet=st.sampled_from("abcdefghijklmnopqrstuvwxyzABCDEFG,.0123456789"),
                min_size=1, max_size=12)


@settings(max_examples=150, deadline=None)
@given(st.lists(_word, min_size=1, max_size=30), st.integers(min_value=12, max_value=60))
def test_wrap_property_keeps_text_and_width(words: list[str], width: int) -> None:
    text = " ".join(words)
    lines = segment.wrap_lines(text, lang="en", profile=Profile(max_chars=width, per_language=False))
    assert " ".join(lines) == text
    assert all(line == line.strip() and line for line in lines)
    assert all(len(line) <= width for line in lines)  # every word fits (≤ 12 chars)
    if len(text) <= width:
        assert lines == (text,)


# The short cuts of breaks.wrap_text (one line: no scoring; two lines: only the
# possible breaks scored) against the full path they stand for: tokenize every
# token, score every break, wrap_tokens.  Texts mix the rule triggers (names,
# connectors, numbers, abbreviations, articles, dashes, quotes, clause and
# sentence ends), spacing, decomposed accents and CJK.
_rule_word = st.sampled_from(
    ["the", "a", "of", "and", "Belt", "Road", "Xi", "Jinping", "98.99", "million", "$5", "U.S.", "Dr.", "not",
     "—", "-", "--", "«quoted»", "(aside)", "end.", "clause,", "why?", "well;", "e\u0301te\u0301", "Zoë",
     "because", "they", "2,500", "meters", "über", "perché", "que", "le", "der", "中文", "。", "I", "n't"])
_mixed_text = st.lists(st.one_of(_rule_word, _word), min_size=0, max_size=24).flatmap(
    lambda ws: st.lists(st.sampled_from([" ", "  ", "\t", " \n"]), min_size=len(ws), max_size=len(ws)).map(
        lambda seps: "".join(w + s for w, s in zip(ws, seps))))


@settings(max_examples=400, deadline=None)
@given(_mixed_text, st.integers(min_value=1, max_value=70), st.integers(min_value=1, max_value=4),
       st.sampled_from(["en", "es", "fr", "de", "it", "pt", "ja", "und", None]))
@example("ab cd", 5, 2, "en")  # the bounds: one line exactly full, and one character over
@example("ab cde", 5, 2, "en")
@example("中文中文 中文", 4, 2, "ja")
def test_wrap_text_short_cuts_equal_the_full_path(text: str, width: int, lines: int, lang: str | None) -> None:
    from toolkit.segment import breaks  # noqa: PLC0415  # reason: the private full path the short cut stands for

    toks = breaks.tokenize(text, lang=lang)
    assert breaks.wrap_text(text, lang=lang, max_chars=width, max_lines=lines) == \
        tuple(toks.join(a, b) for a, b in breaks.wrap_tokens(toks, 0, len(toks), width, lines))
