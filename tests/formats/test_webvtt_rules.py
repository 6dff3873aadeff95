"""The W3C WebVTT parsing algorithm, rule by rule (toolkit.formats.webvtt.parse).

Each case states one rule of https://www.w3.org/TR/webvtt1/#file-parsing with
the smallest file that shows it.  The W3C file-parsing suite itself is run by
bench/bench_webvtt_wpt.py from a fetched copy (30/30, bench/RESULTS.md); the
differential test against the reference parser is test_webvtt_differential.py.
"""

from __future__ import annotations

import pytest

from toolkit.formats import webvtt
from toolkit.formats.webvtt import CueSettings, Note, parse

CUE = "00:00:00.000 --> 00:00:01.000"


def _cues(text: str) -> list[tuple[str, int, int, str]]:
    return [(c.id, c.start, c.end, c.text) for c in parse(text)]


# --------------------------------------------------------------------------- signature


@pytest.mark.parametrize("text", ["WEBVTT", "WEBVTT\n", "WEBVTT \n", "WEBVTT\t- title\n", "\ufeffWEBVTT\n",
                                  "WEBVTT\r\n", "WEBVTT\r"])
def test_signature_accepted(text: str) -> None:
    assert len(parse(text)) == 0 and parse(text).warnings == ()


@pytest.mark.parametrize("text", ["", "WEBVT", "WEBVTTX\n", "webvtt\n", " WEBVTT\n", "WEBVTT-\n", "\ufeff\ufeffWEBVTT",
                                  "1\n00:00:00,000 --> 00:00:01,000\nSRT\n"])
def test_signature_rejected(text: str) -> None:
    with pytest.raises(webvtt.SignatureError) as info:
        parse(text)
    assert info.value.line == 1


def test_title_and_header_lines() -> None:
    doc = parse("WEBVTT - Field notes\nKind: captions\nLanguage: en\n\n" + CUE + "\nHi\n")
    assert doc.title == "- Field notes" and doc.header == ("Kind: captions", "Language: en")
    assert doc.metadata == {"Kind": "captions", "Language": "en"}


def test_a_timing_line_in_the_header_starts_the_first_cue() -> None:
    assert _cues("WEBVTT\nKind: captions\n" + CUE + "\ntext") == [("", 0, 1000, "text")]
    assert _cues("WEBVTT " + CUE + "\ntext\n") == []  # on the signature line it is the title


# --------------------------------------------------------------------------- lines and blocks


def test_line_ends_and_nuls() -> None:
    assert _cues("WEBVTT\r\rcr\r" + CUE + "\rtext0\r\n\r\ncrlf\r\n" + CUE + "\r\ntext1\n") == [
        ("cr", 0, 1000, "text0"), ("crlf", 0, 1000, "text1")]
    assert _cues("WEBVTT\n\nid\x00\n" + CUE + "\nte\x00xt\n") == [("id\ufffd", 0, 1000, "te\ufffdxt")]


def test_a_line_of_spaces_is_not_a_blank_line() -> None:
    """YouTube's auto-captions hold lines of one space: they are cue text."""
    assert _cues("WEBVTT\n\n" + CUE + "\n \nhey\n") == [("", 0, 1000, " \nhey")]
    assert _cues("WEBVTT\n\n \n" + CUE + "\ntext\n") == [(" ", 0, 1000, "text")]  # a one-space id


def test_ids_are_kept_as_written() -> None:
    assert [c.id for c in parse("WEBVTT\n\n leading\n" + CUE + "\na\n\n-- >\n" + CUE + "\nb\n")] == [" leading", "-- >"]


def test_an_arrow_line_is_a_timing_line_never_an_id() -> None:
    """A line with ``-->`` is the timing line (first or second line of a block);
    on any later line it starts the next block, so no blank line is needed."""
    text = "WEBVTT\n\n" + CUE + "\none\n" + "00:00:02.000 --> 00:00:03.000\ntwo\n"
    assert _cues(text) == [("", 0, 1000, "one"), ("", 2000, 3000, "two")]
    doc = parse("WEBVTT\n\n-->\n" + CUE + "\ntext\n")  # "-->" alone: a cue whose timings fail
    assert _cues("WEBVTT\n\n-->\n" + CUE + "\ntext\n") == [("", 0, 1000, "text")]
    assert [w.line for w in doc.warnings] == [3]


def test_text_outside_a_cue_is_reported() -> None:
    doc = parse("WEBVTT\n\nid\nno timing here\n\n" + CUE + "\nok\n")
    assert _cues("WEBVTT\n\nid\nno timing here\n\n" + CUE + "\nok\n") == [("", 0, 1000, "ok")]
    assert [(w.line, w.text) for w in doc.warnings] == [(3, "id\nno timing here")]


def test_notes_are_kept_in_order_and_not_reported() -> None:
    doc = parse("WEBVTT\n\nNOTE one line\n\nNOTE\nfirst\nsecond\n\n" + CUE + "\nhi\n\nNOTE after\n")
    assert [b for b in doc.blocks if isinstance(b, Note)] == [
        Note("one line", True, 3), Note("first\nsecond", False, 5), Note("after", True, 12)]
    assert isinstance(doc.blocks[2], webvtt.Cue) and doc.warnings == ()


def test_note_followed_by_a_timing_line_is_a_cue() -> None:
    """The algorithm has no comments: a block whose second line has ``-->`` is a
    cue, its first line the identifier (here "NOTE x")."""
    assert _cues("WEBVTT\n\nNOTE x\n" + CUE + "\ntext\n") == [("NOTE x", 0, 1000, "text")]


def test_style_and_region_blocks_only_before_the_first_cue() -> None:
    doc = parse("WEBVTT\n\nSTYLE\n::cue { color: red }\n\nREGION\nid:r1 lines:2\n\n" + CUE + " region:r1\nx\n\n"
                "STYLE\n::cue { color: blue }\n")
    assert doc.styles == ("::cue { color: red }",) and [r.id for r in doc.regions] == ["r1"]
    assert doc[0].settings.region == "r1"
    assert [w.line for w in doc.warnings] == [12]  # the late STYLE block is ignored (and said so)


# --------------------------------------------------------------------------- timings


@pytest.mark.parametrize(("timing", "start", "end"), [
    ("00:00:01.000 --> 00:00:02.500", 1000, 2500),
    ("0:00:01.000 --> 0:00:02.500", 1000, 2500),  # a one-digit hour
    ("00:01.000 --> 00:02.500", 1000, 2500),  # hours left out
    ("123:00:00.000 --> 123:00:01.000", 442_800_000, 442_801_000),
    ("60:00:00.000 --> 60:00:01.000", 216_000_000, 216_001_000),  # a first field over 59 is hours
    ("   00:01.000 \t-->\f00:02.000 ", 1000, 2000),  # spaces, tabs, form feeds
    ("00:02.000 --> 00:01.000", 2000, 1000),  # end before start: the algorithm keeps it
    ("00:01.000-->00:02.000x", 1000, 2000),  # "x" is a (bad, ignored) setting
])
def test_timings_read(timing: str, start: int, end: int) -> None:
    assert [(c.start, c.end) for c in parse(f"WEBVTT\n\n{timing}\nx\n")] == [(start, end)]


@pytest.mark.parametrize("timing", [
    "00:00:01,000 --> 00:00:02,000",  # SRT commas
    "00:01.00 --> 00:02.000", "00:01.0000 --> 00:02.000",  # exactly three fraction digits
    "00:1.000 --> 00:02.000", "000:01.000 --> 00:02.000",  # two-digit minutes/seconds
    "00:60.000 --> 01:02.000", "00:00:60.000 --> 00:01:00.000",  # seconds ≤ 59
    "00:01.000x --> 00:02.000", "x00:01.000 --> 00:02.000", "00:01.000 -->x00:02.000",
    "\v00:01.000 --> 00:02.000",  # a vertical tab is not whitespace
    "00:01.000 -->",
])
def test_timings_refused_skip_the_cue(timing: str) -> None:
    doc = parse(f"WEBVTT\n\n{timing}\nlost\n\n{CUE}\nkept\n")
    assert [c.text for c in doc] == ["kept"]
    assert [(w.line, w.text) for w in doc.warnings] == [(3, "lost")]
    assert "bad cue timing" in doc.warnings[0].message


@pytest.mark.parametrize("timing", ["00:01.000 -> 00:02.000", "00:01.000 --x 00:02.000", "00:01.000 - > 00:02.000"])
def test_without_an_arrow_there_is_no_cue(timing: str) -> None:
    """No ``-->``: not a timing line at all, so the block is text outside any cue."""
    doc = parse(f"WEBVTT\n\n{timing}\nlost\n\n{CUE}\nkept\n")
    assert [c.text for c in doc] == ["kept"]
    assert [(w.line, w.text) for w in doc.warnings] == [(3, f"{timing}\nlost")]


def test_overlapping_and_unordered_cues_are_kept() -> None:
    text = "WEBVTT\n\n00:05.000 --> 00:09.000\na\n\n00:01.000 --> 00:06.000\nb\n"
    assert [(c.start, c.text) for c in parse(text)] == [(5000, "a"), (1000, "b")]


# --------------------------------------------------------------------------- settings


def _settings(settings: str) -> CueSettings:
    return parse(f"WEBVTT\n\n{CUE} {settings}\nx\n")[0].settings


def test_default_settings() -> None:
    assert _settings("") == CueSettings(vertical="", line="auto", snap_to_lines=True, line_align="start",
                                        position="auto", position_align="auto", size=100, align="center")


@pytest.mark.parametrize(("text", "field", "value"), [
    ("vertical:rl", "vertical", "rl"), ("vertical:lr", "vertical", "lr"), ("vertical:RL", "vertical", ""),
    ("vertical:rl vertical:lr", "vertical", "lr"),  # the last one wins
    ("line:0", "line", 0), ("line:-1", "line", -1), ("line:1.5", "line", 1.5), ("line:-0", "line", 0),
    ("line:50%", "line", 50), ("line:101%", "line", "auto"), ("line:1e2", "line", "auto"),
    ("line:.5", "line", "auto"), ("line:5.", "line", "auto"), ("line:1-", "line", "auto"),
    ("line:100%,end", "line_align", "end"), ("line:100%,middle", "line", "auto"),
    ("position:25%", "position", 25), ("position:1.5%", "position", 1.5), ("position:1", "position", "auto"),
    ("position:-1%", "position", "auto"), ("position:10%,line-left", "position_align", "line-left"),
    ("position:10%, center", "position", "auto"),
    ("size:50%", "size", 50), ("size:0%", "size", 0), ("size:101%", "size", 100), ("size:50% size:101%", "size", 50),
    ("align:start", "align", "start"), ("align:left", "align", "left"), ("align:middle", "align", "center"),
    ("align:end align:CENTER", "align", "end"), ("align: center", "align", "center"), ("unknown:1", "align", "center"),
])
def test_cue_settings(text: str, field: str, value: object) -> None:
    assert getattr(_settings(text), field) == value


def test_line_percentage_does_not_snap() -> None:
    assert not _settings("line:10%").snap_to_lines and _settings("line:3").snap_to_lines


def test_region_setting_needs_a_defined_region() -> None:
    text = "WEBVTT\n\nREGION\nid:foo\n\n" + CUE + " region:foo\na\n\n" + CUE + " region:bar\nb\n\n" + \
        CUE + " region:foo vertical:rl\nc\n"
    assert [c.settings.region for c in parse(text)] == ["foo", None, None]  # no vertical regions


# --------------------------------------------------------------------------- cue text


def test_cue_text_is_kept_raw() -> None:
    raw = "<v.loud Ana>R&amp;D <i>costs</i> &lt; 5%</v>\n<00:00:00.500><c.yellow>more</c>"
    assert parse(f"WEBVTT\n\n{CUE}\n{raw}\n")[0].text == raw


@pytest.mark.parametrize(("raw", "shown"), [
    ("<v Ana>Hi</v>", "Hi"),
    ("<i>a</i> <b>b</b> <u>c</u> <c.red.big>d</c> <ruby>e<rt>f</rt></ruby> <lang en-GB>g</lang>", "a b c d ef g"),
    ("&amp; &lt; &gt; &nbsp; &lrm; &rlm; &#65; &#x42; &unknown;", "& < > \u00a0 \u200e \u200f A B &unknown;"),
    ("R&D costs < 5% of GDP", "R&D costs "),  # an unescaped '<' opens a tag: the rest is hidden
    ("one <00:00:01.500>two <9>three", "one two three"),
    ("<b>unclosed <i>tags</b> end", "unclosed tags end"),
    ("<foo>unknown tags</foo> are dropped", "unknown tags are dropped"),
])
def test_display_text(raw: str, shown: str) -> None:
    assert webvtt.display_text(raw) == shown


def test_voices_and_timestamps() -> None:
    assert webvtt.voice_parts("<v Ana>Hi.</v> <v.loud Li Wei>Yo.</v> after") == [
        ("Ana", "Hi."), ("Li Wei", "Yo."), (None, " after")]
    assert webvtt.timed_pieces("hey<00:00:00.359><c> everyone</c><00:00:00.719><c> welcome</c>", 0) == [
        (0, "hey"), (359, " everyone"), (719, " welcome")]


def test_plain_text_keeps_what_starts_no_tag() -> None:
    """For people's files (the translations store, imports): a stray '<' or '&' is text."""
    assert webvtt.plain_text("a < b &amp; <i>c</i> {\\an8}d") == "a < b & c d"


# --------------------------------------------------------------------------- writer


def test_write_and_read_back() -> None:
    blocks = [Note("toolkit-translations format=1\nsecond line"), Note("Machine translation\nof two lines",
                                                                       inline=False),
              webvtt.Cue("c1", 0, 1500, webvtt.escape("R&D < 5% --> x")),
              webvtt.Cue("", 3_600_000, 3_601_000, "<v Ana>Hi\nthere", CueSettings(align="start", line=0))]
    text = webvtt.write(blocks, title="- t", header=["Language: en"])
    assert text.startswith("WEBVTT - t\nLanguage: en\n\nNOTE toolkit-translations format=1\nsecond line\n\n"
                           "NOTE\nMachine translation\nof two lines\n\nc1\n00:00:00.000 --> 00:00:01.500\n")
    doc = parse(text)
    assert [(b.id, b.start, b.end, b.text) for b in doc] == [(b.id, b.start, b.end, b.text) for b in blocks[2:]]
    assert doc[1].settings == CueSettings(align="start", line=0)
    assert [n.text for n in doc.notes] == [blocks[0].text, blocks[1].text] and doc.warnings == ()
    assert webvtt.display_text(doc[0].text) == "R&D < 5% --> x"


@pytest.mark.parametrize("block", [
    webvtt.Cue("a-->b", 0, 1, "x"), webvtt.Cue("a\nb", 0, 1, "x"), webvtt.Cue("", 0, 1, "x\n\ny"),
    webvtt.Cue("", 0, 1, "a --> b"), Note("a --> b"), Note("a\n\nb"),
])
def test_writer_refuses_what_would_not_read_back(block: object) -> None:
    with pytest.raises(ValueError):
        webvtt.write([block])  # type: ignore[list-item]
