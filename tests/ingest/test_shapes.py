"""Rule by rule: turn stamps, labels, Markdown in .txt, CJK, boilerplate tails,
caption shapes and the speakability check (the CLI tests in
test_realworld_cli.py run whole files of each tool)."""

from __future__ import annotations

from pathlib import Path

import pytest

from toolkit.errors import InputError
from toolkit.ingest import check_speakable, read_transcript
from toolkit.ingest.common import find_label, is_generic_label
from toolkit.ingest.sentences import join_sentences, split_sentences


def _read(tmp_path: Path, text: str, name: str = "t.txt", **kw: object):  # type: ignore[no-untyped-def]
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return read_transcript(path, language=str(kw.pop("language", "en")), **kw)  # type: ignore[arg-type]


def _turns(t):  # type: ignore[no-untyped-def]
    return [(turn.speaker, turn.sentences[0].start, [s.text for s in turn.sentences]) for turn in t.turns]


# --------------------------------------------------------------------------- turn stamps


@pytest.mark.parametrize("text", [
    "[00:00:05] Host: Hello there. Welcome.\n[00:01:07] Guest: Thanks.\n",
    "(00:00:05) Host: Hello there. Welcome.\n(00:01:07) Guest: Thanks.\n",
    "[00:00:05.00] - Host: Hello there. Welcome.\n[00:01:07.00] - Guest: Thanks.\n",
    "Host  0:05\nHello there. Welcome.\n\nGuest  1:07\nThanks.\n",  # Otter .txt
    "Host (00:05):\nHello there. Welcome.\n\nGuest (01:07):\nThanks.\n",  # Rev
    "Host (00:00:05): Hello there. Welcome.\nGuest (00:01:07): Thanks.\n",
    "00:00:05\nHost: Hello there. Welcome.\n\n00:01:07\nGuest: Thanks.\n",  # stamp on its own line
    "Host: [00:00:05] Hello there. Welcome.\nGuest: [00:01:07] Thanks.\n",
], ids=["brackets", "parens", "brackets-dash", "otter", "rev", "rev-inline", "own-line", "after-label"])
def test_turn_stamps_are_anchors(tmp_path: Path, text: str) -> None:
    """The first sentence of a stamped turn starts at the stamp (end unknown:
    the aligner times it), the speaker is set, and the stamp is gone."""
    t = _read(tmp_path, text)
    assert _turns(t) == [("Host", 5000, ["Hello there.", "Welcome."]), ("Guest", 67000, ["Thanks."])]
    assert [s.end for s in t.sentences] == [None, None, None]
    assert t.turns[0].sentences[1].start is None


def test_bare_stamps_need_three(tmp_path: Path) -> None:
    """Bare times at the start of lines count as stamps only when there are at
    least three; a clock time inside a sentence is always text."""
    one = _read(tmp_path, "10:30 was the time we met. It rained.\nWe left at 11:45 sharp.\n")
    assert one.sentences[0].text.startswith("10:30 was") and one.sentences[0].start is None
    three = _read(tmp_path, "0:00 Hello.\n0:05 The ferry left at 02:45.\n0:12 Bye.\n")
    assert [(s.start, s.text) for s in three.sentences] == [(0, "Hello."), (5000, "The ferry left at 02:45."),
                                                            (12000, "Bye.")]


def test_times_going_back_and_forth_are_not_stamps(tmp_path: Path) -> None:
    text = "[10:00] We met.\n[02:00] Then rain.\n[09:00] Then sun.\n[01:00] Then snow.\n"
    t = _read(tmp_path, text)
    assert t.sentences[0].text == "[10:00] We met." and t.sentences[0].start is None


# --------------------------------------------------------------------------- labels


@pytest.mark.parametrize(("line", "name", "rest"), [
    ("Speaker 1: Hello", "Speaker 1", "Hello"),
    ("SPEAKER_00: Hello", "SPEAKER_00", "Hello"),
    ("Speaker A: Hello", "Speaker A", "Hello"),
    ("Unknown Speaker: Hello", "Unknown Speaker", "Hello"),
    ("Jane Doe (Moderator): Welcome", "Jane Doe (Moderator)", "Welcome"),
    ("主持人：欢迎", "主持人", "欢迎"),
    ("Иван Петров: Привет", "Иван Петров", "Привет"),
    ("CGTN- It was late", "CGTN", "It was late"),
])
def test_labels(line: str, name: str, rest: str) -> None:
    found = find_label(line)
    assert found is not None and (found.name, found.rest) == (name, rest)


@pytest.mark.parametrize("line", ["[Music]", "(laughs) Okay", "♪ la la ♪", "The reason is simple: x", "Note: x",
                                  "10:30 we met", "http://example.org", "Well - I think", "Ana:text"])
def test_not_labels(line: str) -> None:
    assert find_label(line) is None


def test_generic_labels() -> None:
    assert all(is_generic_label(x) for x in ("Speaker 1", "SPEAKER_01", "Spk 3", "Speaker B", "Unknown Speaker"))
    assert not any(is_generic_label(x) for x in ("Speaker", "Speakers Corner", "Ana"))


def test_uncased_labels_must_recur(tmp_path: Path) -> None:
    """``他说：`` once in a paragraph is prose; ``主持人：`` on several lines is a speaker."""
    once = _read(tmp_path, "他说：我们明天去。\n大家都同意了。\n", language="zh")
    assert [turn.speaker for turn in once.turns] == [None, None]
    assert once.sentences[0].text == "他说：我们明天去。"
    twice = _read(tmp_path, "主持人：你好。\n嘉宾：你好！\n主持人：开始吧。\n嘉宾：好。\n", language="zh")
    assert [turn.speaker for turn in twice.turns] == ["主持人", "嘉宾", "主持人", "嘉宾"]


# --------------------------------------------------------------------------- CJK


def test_cjk_sentences_split_without_spaces() -> None:
    text = "你好吗？我很好。谢谢！他说「对。」然后走了。"
    assert split_sentences(text) == ["你好吗？", "我很好。", "谢谢！", "他说「对。」", "然后走了。"]
    assert join_sentences(split_sentences(text)) == text
    assert split_sentences("それは本当ですか？はい、本当です。") == ["それは本当ですか？", "はい、本当です。"]


def test_wrapped_chinese_lines_gain_no_space(tmp_path: Path) -> None:
    t = _read(tmp_path, "主持人：今天我们请到了\n一位修自行车的师傅。\n\n主持人：欢迎。\n", language="zh")
    assert t.sentences[0].text == "今天我们请到了一位修自行车的师傅。"


# --------------------------------------------------------------------------- Markdown in .txt


def test_markdown_headings_in_a_txt_are_chapters(tmp_path: Path) -> None:
    text = ("# Panel night\n\n## Opening\n\n**Moderator:** Welcome. Our guests are here.\n\n"
            "**Ana Ruiz:** Thank you.\n\n## Questions\n\n**Moderator:** First question?\n")
    t = _read(tmp_path, text)
    assert [c.title for c in t.chapters] == ["Panel night", "Opening", "Questions"]
    assert [(turn.speaker, turn.chapter) for turn in t.turns] == [("Moderator", 1), ("Ana Ruiz", 1),
                                                                 ("Moderator", 2)]
    assert "**" not in " ".join(s.text for s in t.sentences)


def test_a_hash_in_prose_is_not_a_heading(tmp_path: Path) -> None:
    t = _read(tmp_path, "We were #1 in the league that year. Nobody expected it.\n")
    assert t.chapters == () and t.sentences[0].text.startswith("We were #1")


# --------------------------------------------------------------------------- boilerplate


@pytest.mark.parametrize(("tail", "rule"), [
    ("Share this:", "share-this"), ("Share this article", "share-this"),
    ("Click to share on Twitter (Opens in new window)", "share-this"), ("Like this:", "share-this"),
    ("Related articles", "related"), ("Related", "related"), ("You may also like", "related"),
    ("More from Field Notes", "related"), ("Leave a Reply", "comment-prompt"), ("3 comments", "comment-prompt"),
    ("Comments are closed.", "comment-prompt"), ("Let us know what you think in the comments!", "comment-prompt"),
    ("Leave Comments", "leave-comments"),
])
def test_web_tails_are_dropped_and_reported(tmp_path: Path, tail: str, rule: str) -> None:
    t = _read(tmp_path, f"The café opened at nine. It was full by ten.\n{tail}\n")
    assert [(d.line, d.text, d.rule) for d in t.dropped] == [(2, tail, rule)]
    assert [s.text for s in t.sentences] == ["The café opened at nine.", "It was full by ten."]


def test_sentences_about_sharing_are_speech(tmp_path: Path) -> None:
    t = _read(tmp_path, "Share this story with a friend who repairs things.\nRelated work followed in May.\n")
    assert t.dropped == () and len(t.sentences) == 2


# --------------------------------------------------------------------------- captions


def _srt(*cues: str) -> str:
    return "\n\n".join(f"{k}\n00:00:{2 * k:02d},000 --> 00:00:{2 * k + 1:02d},900\n{c}" for k, c in enumerate(cues, 1))


def test_repeated_single_lines_are_not_rolling_captions(tmp_path: Path) -> None:
    """Three cues saying "No." are three times "No." (a chorus is not an auto-caption)."""
    t = _read(tmp_path, _srt("No.", "No.", "No."), "t.srt")
    assert [s.text for s in t.sentences] == ["No.", "No.", "No."]


def test_broadcast_speaker_markers(tmp_path: Path) -> None:
    t = _read(tmp_path, _srt(">> ALICE: Hi, I'm Alice.", ">> And I'm John.", "We bake bread."), "t.srt")
    assert [(turn.speaker, [s.text for s in turn.sentences]) for turn in t.turns] == [
        ("ALICE", ["Hi, I'm Alice."]), (None, ["And I'm John.", "We bake bread."])]


def test_dash_lines_with_labels(tmp_path: Path) -> None:
    t = _read(tmp_path, _srt("- ANA: Ready?\n- LI: Yes."), "t.srt")
    assert [(turn.speaker, turn.sentences[0].text) for turn in t.turns] == [("ANA", "Ready?"), ("LI", "Yes.")]


def test_sound_tags_are_never_speakers(tmp_path: Path) -> None:
    t = _read(tmp_path, _srt("ANA: Let's go.", "[MUSIC PLAYING]", "(applause)", "♪ Happy days ♪"), "t.srt")
    assert {turn.speaker for turn in t.turns} == {"ANA"}
    assert " ".join(s.text for s in t.sentences) == "Let's go. [MUSIC PLAYING] (applause) ♪ Happy days ♪"


def test_sbv_from_youtube_studio(tmp_path: Path) -> None:
    text = ("0:00:00.599,0:00:04.160\n>> ALICE: Hi, my name is Alice Miller\nand this is John Brown\n\n"
            "0:00:04.160,0:00:06.770\n>> JOHN: and we're the owners of Miller Bakery.\n\n"
            "0:00:0x.000,0:00:07.000\nlost line\n")
    t = _read(tmp_path, text, "captions.sbv")
    assert [(turn.speaker, turn.sentences[0].start) for turn in t.turns] == [("ALICE", 599), ("JOHN", 4160)]
    assert [(d.line, d.text) for d in t.dropped] == [(8, "lost line")]  # the caption's timing line


# --------------------------------------------------------------------------- speakable in the audio


def test_text_that_cannot_be_spoken_in_the_audio(tmp_path: Path) -> None:
    t = _read(tmp_path, "The ferry crossed the river twelve times a day, every day of the year. " * 40)
    with pytest.raises(InputError, match=r"cannot be spoken in the 00:00:10 of audio\.mp3") as info:
        check_speakable(t, tmp_path / "audio.mp3", 10_000)
    assert info.value.path == str(tmp_path / "t.txt")  # both files named
    check_speakable(t, tmp_path / "audio.mp3", 20 * 60_000)  # twenty minutes: fine


def test_a_stamp_after_the_end_of_the_audio(tmp_path: Path) -> None:
    t = _read(tmp_path, "[00:00:01] Ana: Hello.\n[00:10:00] Li: Bye.\n")
    with pytest.raises(InputError, match=r"turn stamp 00:10:00 is after the end of audio\.mp3") as info:
        check_speakable(t, tmp_path / "audio.mp3", 60_000)
    assert info.value.line == 2
