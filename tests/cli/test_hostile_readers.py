"""Issue 10, the transcript readers and formats: every finding through the REAL command line.

On a fresh copy of the tiny published show of ``test_bad_input`` (one demo
episode with a timed SRT and its audio; ``show_es`` adds a real Spanish store
and exports), each hostile input is given to ``python -m toolkit`` and must
give the contract: one error line naming the file and the line (or JSON
path) and nothing changed — or, where the input is legitimate but was slow,
a normal publish.

* hangs: an unclosed Markdown link (minutes of backtracking before), a long
  line of URL-like tokens (11 s, quadratic), a 10 MB untimed transcript (4 min
  at 1.1 GB before), a backtracking drop rule from ``show.toml``, bidi
  controls by the ten thousand (quadratic), deeply nested cue-text tags;
* crashes: Whisper JSON with ``1e308``, deep nesting or a 5000-digit number;
  a 5000-digit timestamp in VTT / SRT / SBV transcripts and in translator
  imports (VTT / SRT / PO);
* the limits: a file over 16 MiB, a line over 200 000 characters;
* a PO "file" whose text is a path is not read from that path (polib would).

The subprocess timeout of ``test_bad_input`` (600 s) guards against a hang;
nothing here times anything (the speed is measured by ``bench/bench_sizes.py``;
the fuzz suite bounds each input to a second).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from test_bad_input import EP, PUBLISH, SLUG, assert_fails, snapshot, temp_files, toolkit

DIGITS = "1" * 5000


def _use(root: Path, name: str, data: str | bytes) -> Path:
    """Replace the episode's transcript by ``name`` holding ``data``."""
    for old in (root / EP).glob("transcript.*"):
        old.unlink()
    path = root / EP / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def _speech(root: Path) -> list[str]:
    """The episode's own words as untimed lines (``Name: text`` at each speaker), from its SRT."""
    lines, turn = [], []
    for block in (root / EP / "transcript.srt").read_text(encoding="utf-8").strip().split("\n\n"):
        text = " ".join(block.split("\n")[2:])
        if ": " in text.split(" ", 2)[0] + " " and turn:
            lines.append(" ".join(turn))
            turn = []
        turn.append(text)
    lines.append(" ".join(turn))
    return lines


def _publishes(root: Path, *extra: str) -> str:
    run = toolkit(root, *PUBLISH)
    assert run.rc == 0, run.err
    assert "Traceback" not in run.err, run.err
    assert not temp_files(root)
    vtt = (root / "feeds" / "episodes" / SLUG / "en" / "transcript.vtt").read_text(encoding="utf-8")
    for text in extra:
        assert text in vtt, text
    return run.err


# =========================================================================== hangs


def test_unclosed_markdown_link_publishes(show: Path) -> None:
    """Issue 10: one unclosed Markdown link line of ~30 characters made the reader
    backtrack for minutes (×1.6 per character); now a linear scan."""
    hostile = "See [the map](" + "b" * 30 + " for more."
    lines = _speech(show)
    _use(show, "transcript.md", "# Darning\n\n" + "\n\n".join(lines[:2] + [hostile] + lines[2:]) + "\n")
    _publishes(show, "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbb")  # no link: the text is kept as it is written


def test_long_line_of_url_tokens_is_dropped_and_reported(show: Path) -> None:
    """Issue 10: a 40 KB line of URL-like tokens took 11 s in the boilerplate rules."""
    lines = _speech(show)
    _use(show, "transcript.txt", "\n".join(lines[:1] + ["www.x" * 8000] + lines[1:]) + "\n")
    _publishes(show, "It belonged to my uncle")


def test_backtracking_drop_rule_from_show_toml_is_linear(show: Path) -> None:
    """``(a+)+$`` backtracks exponentially in Python's engine on a line of ``a``s:
    drop rules are compiled with RE2."""
    toml = show / "show.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + '\n[ingest]\ndrop = ["(a+)+$", "^Sponsored"]\n',
                    encoding="utf-8")
    lines = _speech(show)
    _use(show, "transcript.txt", "\n".join(["a" * 40 + "!", "Sponsored by Acme"] + lines) + "\n")
    err = _publishes(show)
    vtt = (show / "feeds" / "episodes" / SLUG / "en" / "transcript.vtt").read_text(encoding="utf-8")
    assert "Sponsored" not in vtt and "aaaa" in vtt  # one rule dropped its line; "!" stops the other
    assert "Traceback" not in err


@pytest.mark.parametrize(("rule", "words"), [
    ("(?<=a)b", "invalid perl operator"), ("(a)\\\\1", "invalid escape sequence"), ("(", "missing )")])
def test_drop_rule_re2_cannot_run_is_a_config_error(show: Path, rule: str, words: str) -> None:
    toml = show / "show.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + f'\n[ingest]\ndrop = ["{rule}"]\n', encoding="utf-8")
    line = assert_fails(show, PUBLISH, "show.toml:", "ingest.drop", "bad regular expression", words)
    if rule != "(":
        assert "RE2" in line and "look-around" in line  # says why and what to write instead


def test_ten_megabyte_untimed_transcript_is_refused_in_one_line(show: Path) -> None:
    """Issue 10: a 10 MB untimed transcript ran for 4 minutes at 1.1 GB before it was
    killed.  The worst layout: one hard-wrapped paragraph (finding each
    sentence's line rescanned the paragraph's lines: quadratic).  Now it is read
    in linear time (about 2 s per MB) and refused as unspeakable in the
    episode's audio, naming both files."""
    words = [w for w in " ".join(_speech(show)).split() if not w.endswith(":")]  # no labels: one paragraph
    wrapped = "\n".join(" ".join(words[i:i + 12]) for i in range(0, len(words), 12)) + "\n"
    _use(show, "transcript.txt", "Darning\n\n" + wrapped * (10_000_000 // len(wrapped)))
    assert_fails(show, PUBLISH, "transcript.txt:", "cannot be spoken", "audio.mp3")


def test_file_over_the_size_limit_is_refused_before_it_is_read(show: Path) -> None:
    _use(show, "transcript.txt", b"Hello there. " * 1_400_000)  # 18 MB
    assert_fails(show, PUBLISH, "transcript.txt:", "larger than 16 MiB")


def test_line_over_the_length_limit_names_its_line(show: Path) -> None:
    _use(show, "transcript.txt", "Hello there.\nStill here.\n" + "word " * 50_000 + "\n")
    assert_fails(show, PUBLISH, "transcript.txt:3:", "250,000 characters long", "at most 200,000")


def test_many_bidi_controls_publish(show: Path) -> None:
    """Balancing bidi controls searched its stack per PDI: 40 000 of them took 12 s."""
    srt = show / EP / "transcript.srt"
    text = srt.read_text(encoding="utf-8")
    srt.write_text(text.replace("with a hole in the elbow.", "with a hole " + "\u202a" * 20000 + "\u2069" * 20000
                                + "in the elbow.", 1), encoding="utf-8")
    # kept and balanced (each embedding closed: the 20 000 PDIs closed nothing and went)
    _publishes(show, "\u202a" * 20000 + "in", "elbow." + "\u202c" * 20000)


def test_deeply_nested_cue_tags_publish(show: Path) -> None:
    """20 000 nested ``<c>`` tags in a cue: RecursionError in the cue-text walkers before."""
    vtt = "WEBVTT\n\n00:00:00.800 --> 00:00:03.865\n" + "<c>" * 20000 + "Ana: Priya, you brought a sweater.\n\n" \
          "00:00:04.401 --> 00:00:06.763\nIt looks like it has had a long life.\n"
    _use(show, "transcript.vtt", vtt)
    _publishes(show, "you brought a sweater", "a long life")


# =========================================================================== crashes


@pytest.mark.parametrize(("doc", "words"), [
    ('{"segments":[{"start":1e308,"end":1e308,"text":"Hello."}]}', "segments[0].start: time 1e+308 s is out of range"),
    ('{"segments":' + "[" * 100_000 + "]" * 100_000 + "}", "JSON nested deeper than 32 levels"),
    ('{"segments":[{"start":0,"end":1,"text":"Hi.","x":' + '{"a":' * 40 + "1" + "}" * 40 + "}]}",
     "segments[0].x.a.a.a"),
    ('{"segments":[{"start":' + DIGITS + ',"end":2,"text":"Hello."}]}', ":1: a number with 5,000 characters"),
    ('{"segments":[{"start":1e400,"end":2,"text":"Hello."}]}', "the number 1e400 is out of range"),
    ('{"version":"1.0.0","segments":[{"startTime":1e308,"endTime":1e308,"body":"Hello."}]}',
     "segments[0].startTime: time 1e+308 s is out of range"),
], ids=["1e308", "deep", "deep-path", "5000-digits", "1e400", "podcast-1e308"])
def test_hostile_json_is_one_error_line(show: Path, doc: str, words: str) -> None:
    _use(show, "transcript.json", doc)
    assert_fails(show, PUBLISH, "transcript.json", words)


@pytest.mark.parametrize(("name", "data", "where", "words"), [
    ("transcript.vtt", f"WEBVTT\n\n{DIGITS}:00:00.000 --> {DIGITS}:00:01.000\nHello.\n", ":3:",
     "timestamp out of range"),
    ("transcript.vtt", f"WEBVTT\n\n00:00.000 --> 00:01.000\nHi <{DIGITS}:00:00.000>there\n\n"
                       f"REGION\nid:r lines:{DIGITS}\n", None, None),
    ("transcript.srt", f"1\n{DIGITS}:00:00,000 --> 00:00:01,000\nHello.\n", ":2:", "timestamp out of range"),
    ("transcript.sbv", f"{DIGITS}:00:00.000,0:00:01.000\nHello.\n", ":1:", "timestamp out of range"),
], ids=["vtt-timing", "vtt-tag-and-region", "srt", "sbv"])
def test_five_thousand_digit_timestamps_in_transcripts(show: Path, name: str, data: str, where: str | None,
                                                       words: str | None) -> None:
    """Issue 10: a 5000-digit timestamp crashed the VTT reader (ValueError from int())."""
    _use(show, name, data)
    if where is None:
        _publishes(show, "Hi there")  # a bad timestamp tag or region setting is ignored, as the spec says
        return
    line = assert_fails(show, PUBLISH, f"{name}{where}", words)
    assert len(line) < 400  # the 5000 digits are not repeated back


def _export(root: Path, fmt: str) -> str:
    return (root / f"export.es.{fmt}").read_text(encoding="utf-8")


@pytest.mark.parametrize("fmt", ["vtt", "srt", "po"])
def test_five_thousand_digit_timestamps_in_translator_imports(show_es: Path, fmt: str) -> None:
    """Issue 10: a 5000-digit timestamp in a translator's file crashed the import."""
    text = _export(show_es, fmt)
    first = "00:00:00.800" if fmt != "srt" else "00:00:00,800"
    assert first in text
    path = show_es / f"export.es.{fmt}"
    path.write_text(text.replace(first, DIGITS + first[2:], 1), encoding="utf-8")
    before = snapshot(show_es)
    run = toolkit(show_es, "translations", "import", path.name, *(("--slug", SLUG, "--lang", "es")
                                                                  if fmt == "srt" else ()))
    assert "Traceback" not in run.err, run.err
    if fmt == "po":
        # the time range of a PO entry is a comment; the entry is matched by its id
        assert run.rc == 0, run.err
        return
    assert run.rc == 1 and len(run.err_lines) == 1, run.err
    assert run.err_lines[0].startswith(f"error: export.es.{fmt}:") and "timestamp out of range" in run.err
    assert len(run.err_lines[0]) < 400
    assert snapshot(show_es) == before  # nothing applied


def test_po_text_naming_a_file_is_not_read_from_it(show_es: Path) -> None:
    """polib.pofile() opens the file a string names; a translator's ``x.po``
    holding a path must not import the translations of that other file."""
    (show_es / "x.po").write_text(str(show_es / "export.es.po"), encoding="utf-8")  # (no newline: a file name)
    before = snapshot(show_es)
    line = assert_fails(show_es, ("translations", "import", "x.po"), "x.po")
    assert "not a readable PO file" in line or "cannot tell the format" in line
    assert snapshot(show_es) == before


def test_translator_file_over_the_limit(show_es: Path) -> None:
    path = show_es / "big.po"
    path.write_bytes(_export(show_es, "po").encode("utf-8") + b"#\n" * 9_000_000)  # 18 MB of comments
    assert_fails(show_es, ("translations", "import", "big.po"), "big.po", "larger than 16 MiB")


def test_json_report_of_the_fixture_is_sane(show: Path) -> None:
    """(the fixture itself: the episode reads as Whisper JSON when given one)"""
    segments = [{"start": 0.8, "end": 3.9, "text": " Priya, you brought a sweater.", "speaker": "SPEAKER_00"}]
    _use(show, "transcript.json", json.dumps({"segments": segments, "language": "en"}))
    _publishes(show, "you brought a sweater")
