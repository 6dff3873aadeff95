"""Differential test: toolkit.formats.webvtt.parse against the W3C reference
parser (npm ``webvtt-parser``, w3c/webvtt.js) on generated and mutated files.

Hypothesis builds WebVTT files from the grammar — signatures (good and bad),
header lines, identifiers, timestamps in every spelling (one-digit hours,
omitted hours, too few or too many digits, commas, fields over 59), cue
settings, cue text with tags, entities, single-space lines and stray
``-->``, NOTE and STYLE blocks, missing and extra blank lines, CR/LF/CRLF
line ends, NULs — and then mutates some of them character by character.
Both parsers must agree on whether the file is accepted and on which cues
exist, with what start, end and raw text; on unmutated files also on the
display text (tags dropped, character references decoded).

Known, documented divergence left out: the reference skips from a line
that starts with ``NOTE`` or ``STYLE`` (the block's first line or a later
one) up to the next blank line even when a line after it holds ``-->``,
where the algorithm reads that line as a cue timing line (a NOTE directly
followed by a cue).  Identifiers are not compared: the reference
takes the *second* of two non-timing lines before a cue as its identifier,
the algorithm none.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from toolkit.formats import webvtt

JS = Path(__file__).resolve().parents[1] / "js"

# --------------------------------------------------------------------------- the grammar

_good_ts = st.builds(
    lambda h, m, s, ms, hours: (f"{h:02d}:" if hours == 2 else f"{h}:" if hours == 1 else "") + f"{m:02d}:{s:02d}.{ms:03d}",
    st.integers(0, 12), st.integers(0, 59), st.integers(0, 59), st.integers(0, 999), st.integers(0, 2))
_bad_ts = st.sampled_from(["00:00:01,000", "0:01.000", "00:1.000", "00:01.00", "00:01.0000", "00:60.000",
                           "00:00:60.000", "000:01.000", "00:01", "x00:01.000", "00:01.000x", "", "60:00.000",
                           "00::01.000", "00:01..000", "1:2:3.456"])
_timestamp = st.one_of(_good_ts, _good_ts, _good_ts, _bad_ts)
_arrow = st.sampled_from([" --> ", " --> ", "-->", "\t-->\t", "  -->  ", " -> ", " --x ", " - -> ", "\f-->\f"])
_setting = st.sampled_from(["align:start", "align:middle", "line:0", "line:-1", "line:50%", "line:101%",
                            "line:1.5,end", "position:10%", "position:10%,line-left", "position:x", "size:50%",
                            "size:150%", "vertical:rl", "vertical:RL", "region:r1", "foo:bar", ":x", "x:", "align:"])
_atom = st.sampled_from(["hello", "Hola", "R&amp;D", "a &lt; b", "&nbsp;x", "&#65;&#x42;", "<i>it</i>", "<b>b</b>",
                         "<v Ana>voice</v>", "<v.loud Li Wei>two</v>", "<c.yellow>c</c>", "<00:00:01.500>t",
                         "<ruby>漢<rt>kan</rt></ruby>", "<lang fr>oui</lang>", "café", "你好。", " ", "  ",
                         "text -> arrow", "NOTE inside", "WEBVTT", "&amp;amp;"])
_text_line = st.lists(_atom, min_size=1, max_size=4).map(" ".join)


@st.composite
def _cue(draw: st.DrawFn, *, clean: bool) -> list[str]:
    lines = []
    if draw(st.booleans()):
        lines.append(draw(st.sampled_from(["1", "c1", "intro", " leading", "id with spaces", "-- >", "ep-0001"])))
    start = draw(_good_ts if clean else _timestamp)
    end = draw(_good_ts if clean else _timestamp)
    arrow = " --> " if clean else draw(_arrow)
    settings_ = " ".join(draw(st.lists(_setting, max_size=3)))
    lines.append(f"{start}{arrow}{end}" + (f" {settings_}" if settings_ else ""))
    lines += draw(st.lists(_text_line, min_size=0 if not clean else 1, max_size=3))
    return lines


@st.composite
def vtt_files(draw: st.DrawFn, *, clean: bool = False) -> str:
    if clean:
        signature = draw(st.sampled_from(["WEBVTT", "WEBVTT - title", "WEBVTT\tKind"]))
    else:
        signature = draw(st.sampled_from(["WEBVTT", "WEBVTT", "WEBVTT - title", "WEBVTT\tx", "\ufeffWEBVTT",
                                          "WEBVTTX", "webvtt", " WEBVTT", "WEBVTT-", "WEBVT"]))
    out = [signature]
    if draw(st.booleans()):
        out += draw(st.lists(st.sampled_from(["Kind: captions", "Language: en", "X-TIMESTAMP-MAP=LOCAL:00:00.000"]),
                             min_size=1, max_size=2))
    out.append("")
    seen_cue = False
    for _ in range(draw(st.integers(0, 6))):
        kind = draw(st.sampled_from(["cue", "cue", "cue", "note", "style"] if not clean else ["cue", "cue", "note"]))
        if kind == "cue":
            out += draw(_cue(clean=clean))
            seen_cue = True
        elif kind == "note":
            out += ["NOTE " + draw(st.sampled_from(["a comment", "", "two\nlines"]))]
        elif not seen_cue:
            out += ["STYLE", "::cue { color: red }"]
        blanks = draw(st.integers(1, 2)) if clean else draw(st.integers(0, 3))
        out += [""] * blanks
    newline = "\n" if clean else draw(st.sampled_from(["\n", "\n", "\r\n", "\r"]))
    return newline.join(out)


@st.composite
def mutated(draw: st.DrawFn) -> str:
    text = draw(vtt_files())
    for _ in range(draw(st.integers(0, 4))):
        if not text:
            break
        at = draw(st.integers(0, len(text) - 1))
        op = draw(st.sampled_from(["delete", "insert", "duplicate-line", "delete-line"]))
        if op == "delete":
            text = text[:at] + text[at + 1:]
        elif op == "insert":
            text = text[:at] + draw(st.sampled_from(list("-->:.  \n\tx0\x00\r&<"))) + text[at:]
        else:
            lines = text.split("\n")
            k = at % len(lines)
            lines[k:k + 1] = [lines[k]] * (2 if op == "duplicate-line" else 0)
            text = "\n".join(lines)
    return text


# --------------------------------------------------------------------------- comparing


def _divergent(text: str) -> bool:
    """A block with a NOTE/STYLE line and a ``-->`` line after it (see the module doc)."""
    lines = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    block: list[str] = []
    for line in lines + [""]:
        if line == "":
            starts = [k for k, x in enumerate(block) if x.startswith(("NOTE", "STYLE"))]
            if starts and any("-->" in x for x in block[starts[0] + 1:]):
                return True
            block = []
        else:
            block.append(line)
    return False


def _ours(text: str) -> tuple[bool, list[tuple[int, int, str, str]]]:
    try:
        doc = webvtt.parse(text)
    except webvtt.SignatureError:
        return False, []
    cues = sorted(doc.cues, key=lambda c: (c.start, -c.end))
    return True, [(c.start, c.end, c.text, webvtt.display_text(c.text)) for c in cues]


def _reference(texts: list[str]) -> list[tuple[bool, list[tuple[int, int, str, str]]]]:
    proc = subprocess.run(["node", str(JS / "parse_vtt.js")], input=json.dumps({"texts": texts}),
                          capture_output=True, text=True, cwd=JS, timeout=120, check=True)
    out = []
    for f in json.loads(proc.stdout)["files"]:
        out.append((f["signature"], [(round(c["startTime"] * 1000), round(c["endTime"] * 1000), c["text"],
                                      c["display"]) for c in f["cues"]]))
    return out


def _compare(texts: list[str], *, display: bool) -> None:
    texts = [t for t in texts if not _divergent(t)]
    for text, (ok_ref, cues_ref) in zip(texts, _reference(texts)):
        ok, cues = _ours(text)
        assert ok == ok_ref, f"signature decision differs for {text!r}"
        if not ok:
            continue
        keep = 4 if display else 3
        assert [c[:keep] for c in cues] == [c[:keep] for c in cues_ref], f"cues differ for {text!r}"


@pytest.fixture(scope="module")
def reference_parser(node_modules: Path) -> Path:
    return node_modules / "webvtt-parser"


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(st.lists(vtt_files(clean=True), min_size=20, max_size=20))
def test_agrees_on_generated_files(reference_parser: Path, texts: list[str]) -> None:
    _compare(texts, display=True)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(st.lists(st.one_of(vtt_files(), mutated()), min_size=25, max_size=25))
def test_agrees_on_broken_and_mutated_files(reference_parser: Path, texts: list[str]) -> None:
    _compare(texts, display=False)


def test_the_known_divergence_is_real(reference_parser: Path) -> None:
    """The one case left out above, checked so the exclusion stays honest:
    a NOTE directly followed by a timing line."""
    text = "WEBVTT\n\nNOTE about the next cue\n00:00:01.000 --> 00:00:02.000\nhello\n"
    assert _ours(text)[1] == [(1000, 2000, "hello", "hello")]  # the algorithm: a cue with id "NOTE …"
    assert _reference([text]) == [(True, [])]  # webvtt-parser: a comment
    # the same after a line that is not a timing line (found by the test above)
    text = "WEBVTT\n\n00:00.000 -> 00:00:01,000\nNOTE inside\n00:00.000 --> 00:00.000\n"
    assert _ours(text)[1] == [(0, 0, "", "")]  # the block ends at its third line; that line is a cue
    assert _reference([text]) == [(True, [])]
