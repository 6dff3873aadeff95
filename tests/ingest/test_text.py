"""Plain-text and Markdown transcripts: chapters, speakers, boilerplate, layout."""

from __future__ import annotations

from pathlib import Path

import pytest

from toolkit.errors import ConfigError, InputError
from toolkit.ingest import read_transcript
from toolkit.model import Chapter


def _write(tmp_path: Path, text: str, name: str = "t.txt") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_narrative_fixture(fixtures: Path) -> None:
    t = read_transcript(fixtures / "narrative.txt", language="en", speakers={"ANA": "Ana Ruiz"})
    assert t.language == "en" and t.source == fixtures / "narrative.txt"
    assert t.chapters == (
        Chapter("A bridge for the valley", line=1),
        Chapter("Building with what we have", line=7),
        Chapter("Ending", line=9),
    )
    assert [(d.line, d.rule) for d in t.dropped] == [(2, "link-lead"), (11, "link-only"), (12, "leave-comments")]
    assert t.dropped[0].text == "Listen to the episode here- https://example.org/ep/1"
    assert [(turn.speaker, turn.chapter, turn.sentences[0].line) for turn in t.turns] == [
        ("Ana Ruiz", 0, 3),
        ("Ana Ruiz", 0, 4),
        ("Ana Ruiz", 0, 5),
        ("Ana Ruiz", 0, 6),
        ("Ana Ruiz", 1, 8),
        ("Ana Ruiz", 2, 10),
    ]
    assert t.turns[0].sentences[0].text == "The river was high that spring."  # label removed
    assert not t.timed and all(s.start is None and s.end is None for s in t.sentences)


def test_interview_fixture(fixtures: Path) -> None:
    t = read_transcript(fixtures / "interview.txt", language="en", speakers={"HOST": "Tom Baker"})
    assert t.chapters == () and t.dropped == ()
    assert [(turn.speaker, turn.sentences[0].line) for turn in t.turns] == [
        (None, 1),  # intro before any label: unknown, not guessed
        ("Tom Baker", 2),
        ("Sara Lind", 3),
        ("Sara Lind", 4),  # continuation paragraphs carry the speaker
        ("Sara Lind", 5),
        ("Tom Baker", 6),
        ("Sara Lind", 7),  # "Sara Lind- " hyphen label
    ]
    assert [s.text for s in t.turns[2].sentences] == [
        "The ground.",
        "We drilled 40 test holes.",
        "Half of them hit water at 3.5 meters.",
    ]
    assert t.turns[-1].sentences[0].text == "Barely."


def test_markdown_fixture(fixtures: Path) -> None:
    t = read_transcript(fixtures / "article.md", language="en")
    assert [c.title for c in t.chapters] == ["The old ferry", "Second part"]
    assert t.chapters[0].line == 8
    texts = [[s.text for s in turn.sentences] for turn in t.turns]
    assert texts == [
        ["The ferry crossed the river twelve times a day.", "It carried carts, goats and mail bags, see the map.", "Tickets cost 2*3 coins."],
        ["It stopped in winter."],
        ["We waited for weeks sometimes."],
        ["A list item that is still speech."],
    ]
    assert [turn.speaker for turn in t.turns] == ["ANA", "ANA", "LI", "LI"]
    assert [turn.chapter for turn in t.turns] == [0, 0, 1, 1]
    assert t.turns[0].sentences[1].line == 12  # the sentence starts on the paragraph's first line
    assert t.turns[0].sentences[2].line == 14
    rules = {d.rule for d in t.dropped}
    assert rules == {"link-only", "markdown-code-block"}
    assert not any("title:" in s.text or "editor" in s.text for s in t.sentences)


@pytest.mark.seeds
def test_seed_narrative_structure(seeds_dir: Path) -> None:
    path = next(seeds_dir.glob("000_*.txt"))
    t = read_transcript(path, language="en", speakers={"CGTN": "CGTN Narrator"})
    assert len(t.chapters) == 4
    assert t.chapters[-1].title == "Ending"
    assert t.chapters[0].line == 1 and not t.chapters[0].title.startswith("“")
    assert all(not c.title.startswith("“") and not c.title.endswith("”") for c in t.chapters)
    assert [d.rule for d in t.dropped] == ["link-lead", "leave-comments"]
    assert t.dropped[0].line == 2 and t.dropped[0].text.startswith("Listen to podcast here-")
    assert t.dropped[-1].text == "Leave Comments"
    assert {turn.speaker for turn in t.turns} == {"CGTN Narrator"}
    assert t.turns[0].sentences[0].text.startswith("It was getting close")  # "CGTN- " label removed
    assert [turn.chapter for turn in t.turns] == sorted(turn.chapter for turn in t.turns)  # type: ignore[type-var]
    assert {turn.chapter for turn in t.turns} == {0, 1, 2, 3}
    # no heading became speech, no speech became a heading
    assert not any(s.text in ("Ending", "Leave Comments") for s in t.sentences)


@pytest.mark.seeds
def test_seed_interview_structure(seeds_dir: Path) -> None:
    path = next(seeds_dir.glob("002_*.txt"))
    t = read_transcript(path, language="en", speakers={"Li": "Li Zaiyong", "CGTN": "Ma Ke"})
    assert t.chapters == () and t.dropped == ()
    speakers = [turn.speaker for turn in t.turns]
    assert speakers[0] is None
    assert speakers[1:3] == ["Ma Ke", "Li Zaiyong"]
    assert set(speakers[1:]) == {"Ma Ke", "Li Zaiyong"}
    # answers run over several unlabelled paragraphs: they stay with Li
    assert speakers.count("Li Zaiyong") > speakers.count("Ma Ke")
    assert all(turn.chapter is None for turn in t.turns)


def test_short_speech_is_not_a_heading(tmp_path: Path) -> None:
    path = _write(tmp_path, "ANA: Are you ready?\nLI: Yes\nANA: Then we begin. The road is long.\nLI: Thank you\n")
    t = read_transcript(path, language="en")
    assert t.chapters == ()
    assert [turn.sentences[0].text for turn in t.turns][1] == "Yes"


def test_run_of_short_lines_is_dialogue(tmp_path: Path) -> None:
    path = _write(tmp_path, "It was late.\nNo way\nNot again\nWe left at once and did not look back.\n")
    t = read_transcript(path, language="en")
    assert t.chapters[0].title == "Not again"  # directly followed by a paragraph
    assert [turn.sentences[0].text for turn in t.turns] == ["It was late.", "No way", "We left at once and did not look back."]


def test_last_short_line_is_speech(tmp_path: Path) -> None:
    t = read_transcript(_write(tmp_path, "We talked for an hour.\nThanks everyone\n"), language="en")
    assert t.chapters == () and t.sentences[-1].text == "Thanks everyone"


def test_quoted_heading_vs_quoted_speech(tmp_path: Path) -> None:
    path = _write(tmp_path, "“Opening the valley”\n“We’ll be fine.”\nShe smiled.\n")
    t = read_transcript(path, language="en")
    assert t.chapters == (Chapter("Opening the valley", line=1),)
    assert [s.text for s in t.sentences] == ["“We’ll be fine.”", "She smiled."]


def test_blank_line_layout_joins_wrapped_lines(tmp_path: Path) -> None:
    text = (
        "Part one\n\n"
        "ANA: The river was high that\nspring and the ferry was late.\nWe waited.\n\n"
        "It came at noon.\n\n"
        "LI: Good.\n"
    )
    t = read_transcript(_write(tmp_path, text), language="en")
    assert t.chapters == (Chapter("Part one", line=1),)
    assert [[s.text for s in turn.sentences] for turn in t.turns] == [
        ["The river was high that spring and the ferry was late.", "We waited."],
        ["It came at noon."],
        ["Good."],
    ]
    assert [turn.speaker for turn in t.turns] == ["ANA", "ANA", "LI"]
    assert [s.line for s in t.turns[0].sentences] == [3, 5]


def test_wrapped_line_without_blank_lines(tmp_path: Path) -> None:
    text = "ANA: The river was high that spring and the ferry was late again and again\nso we waited. Then it came.\n"
    t = read_transcript(_write(tmp_path, text), language="en")
    assert [s.text for s in t.sentences] == [
        "The river was high that spring and the ferry was late again and again so we waited.",
        "Then it came.",
    ]


def test_label_on_its_own_line(tmp_path: Path) -> None:
    t = read_transcript(_write(tmp_path, "ANA:\nWe begin now.\n\nLI:\nGood.\n"), language="en")
    assert [turn.speaker for turn in t.turns] == ["ANA", "LI"]


def test_prose_colons_are_not_labels(tmp_path: Path) -> None:
    text = "The reason is simple: we had no boat.\nNote: the ferry was free.\n"
    t = read_transcript(_write(tmp_path, text), language="en")
    assert [turn.speaker for turn in t.turns] == [None, None]
    assert t.sentences[0].text.startswith("The reason is simple:")


def test_speaker_lookup_is_case_insensitive(tmp_path: Path) -> None:
    t = read_transcript(_write(tmp_path, "LI: Hello.\nAna: Hi.\n"), language="en", speakers={"Li": "Li Wei"})
    assert [turn.speaker for turn in t.turns] == ["Li Wei", "Ana"]


def test_separator_lines_are_dropped(tmp_path: Path) -> None:
    t = read_transcript(_write(tmp_path, "We began.\n* * *\n———\nWe ended.\n"), language="en")
    assert [(d.line, d.rule) for d in t.dropped] == [(2, "no-words"), (3, "no-words")]
    assert [s.text for s in t.sentences] == ["We began.", "We ended."]


def test_custom_drop_rules_replace_builtins(tmp_path: Path) -> None:
    text = "Sponsored by Acme\nListen here- https://example.org\nANA: Hello there.\nLeave Comments\n"
    path = _write(tmp_path, text)
    t = read_transcript(path, language="en", drop_rules=[r"^Sponsored by", r"^Leave Comments$"])
    assert [(d.line, d.rule) for d in t.dropped] == [(1, r"^Sponsored by"), (4, r"^Leave Comments$")]
    # the built-in link rule no longer applies: the line is kept as speech
    assert t.sentences[0].text == "Listen here- https://example.org"
    t2 = read_transcript(path, language="en", drop_rules=[])
    assert t2.dropped == ()


def test_bad_drop_rule(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="bad drop rule"):
        read_transcript(_write(tmp_path, "Hello.\n"), language="en", drop_rules=["("])


def test_nothing_left_after_dropping(tmp_path: Path) -> None:
    path = _write(tmp_path, "https://example.org/a\nLeave Comments\n")
    with pytest.raises(InputError, match="no speech left.*2 non-speech"):
        read_transcript(path, language="en")


def test_only_headings_is_no_speech(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no speech"):
        read_transcript(_write(tmp_path, "# Title\n\n## Other\n", "t.md"), language="en")


def test_markdown_front_matter_only_is_empty(tmp_path: Path) -> None:
    with pytest.raises(InputError):
        read_transcript(_write(tmp_path, "---\ntitle: x\n---\n<!-- nothing -->\n", "t.md"), language="en")


def test_markdown_setext_and_breaks(tmp_path: Path) -> None:
    text = "Intro line here.\n\nPart two\n---\n\nMore text here.\n\n---\n\nLast words.\n====\n"
    t = read_transcript(_write(tmp_path, text, "t.md"), language="en")
    # an explicit Markdown heading stays a heading even at the end
    assert [(c.title, c.line) for c in t.chapters] == [("Part two", 3), ("Last words.", 10)]
    assert [s.text for s in t.sentences] == ["Intro line here.", "More text here."]
    assert t.dropped == ()


def test_markdown_inline_markup() -> None:
    from toolkit.ingest.text import strip_markdown_inline as strip

    assert strip("**Bold** and *em* and _em_ and __strong__ and ~~gone~~") == "Bold and em and em and strong and gone"
    assert strip("see [the map](https://x.org/a_(b) \"T\") and ![img](a.png) `code`") == "see the map and  code"
    assert strip("snake_case_name and 2*3*4 stay; \\*literal\\* &amp; <span>tag</span>") == (
        "snake_case_name and 2*3*4 stay; *literal* & tag"
    )
    assert strip("<https://example.org>") == "https://example.org"
