"""Plain-text and Markdown transcripts (articles, narrations, interviews).

Two layouts are recognised, because both occur in real transcripts:

* **one paragraph per line** (no blank lines at all; what copy-pasting a web
  article gives) — each line is a paragraph, unless a line stops mid-sentence,
  in which case the next line continues it;
* **blank-line separated blocks** (Markdown, hand-wrapped text) — the lines of
  a block form one paragraph.

In both, a line that starts with a speaker label (``Li:``, ``CGTN- ``) starts
a new paragraph.  Then each paragraph is one of:

* a **chapter heading**: a Markdown ``#``/setext heading, or a standalone line
  that is short (≤ 10 words) with no sentence-final punctuation, or wholly in
  quotes (“Promoting fresh development”) — and is followed by a paragraph (a
  short last line or a run of short lines is speech, not a heading);
* a **speaker turn**: sentences spoken by the labelled speaker, or by the
  previous speaker when unlabelled (an answer runs over several paragraphs);
  before the first label the speaker is unknown (``None``), never guessed.

**Turn stamps** — what transcription services print at each turn —
``[00:01:07] Host: …``, ``(00:01:07) Name: …``, ``Name  00:01:07`` on its own
line (Otter), ``Speaker 1 (00:01:07): …`` (Rev), or a stamp alone on the
line before the turn, give the turn's start and speaker: the first sentence
of a stamped turn is an *anchor* (``start`` = the stamp, ``end`` = None) that
the aligner keeps, and the stamp never reaches the text.  Stamps count only
when a file has at least two of them (three for bare ``01:07`` stamps), in
non-decreasing order; a clock time inside a sentence (``at 02:45``) is text.

**Markdown in any text file**: a ``.txt`` with ATX headings (``# Title``,
``## Part``) or ``**Name:**`` labels is read as Markdown, so its headings are
chapters.  Labels in scripts without case (``主持人：``) count once they occur
twice; Chinese and Japanese paragraphs are split at ``。！？`` with no space
inserted.

Lines that are not speech (a bare link, ``Listen to podcast here- <url>``,
``Leave Comments``, ``Share this:``, ``Related articles``, comment prompts)
are dropped *and reported* in :attr:`~toolkit.model.Transcript.dropped`.
``drop_rules`` (regular expressions searched in each line, compiled with
RE2: :mod:`toolkit.patterns`) replace the built-in rules
(:mod:`toolkit.ingest.boilerplate`).

Everything here is linear in the size of the file: Markdown is recognised
by scans (:mod:`toolkit.ingest.markdown`), not by regular expressions that
could backtrack, and each paragraph is split into sentences in one pass.
"""

from __future__ import annotations

import bisect
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError
from ..formats import timecode
from ..model import Chapter, DroppedLine, Sentence, Transcript, Turn
from . import markdown as md
from .boilerplate import BUILTIN_DROP_RULES, Rule, compile_rules
from .common import Label, ReadOptions, display_name, find_label
from .sentences import is_cjk, normalize_space, sentence_spans, split_sentences

__all__ = ["read_plain", "read_markdown", "BUILTIN_DROP_RULES", "strip_markdown_inline", "is_heading_like",
           "looks_like_markdown"]

log = logging.getLogger(__name__)

_TERMINAL = ".?!…‽。！？"
_CLOSERS = "\"'”’»›)]}"
_QUOTE_PAIRS = {"“": "”", '"': '"', "‘": "’", "«": "»", "„": "“", "「": "」"}
_QUOTE_CHARS = "“”\"«»„「」"
_HEADING_WORDS_MAX = 10
_QUOTED_HEADING_WORDS_MAX = 20


# --------------------------------------------------------------------------- markdown


def strip_markdown_inline(text: str) -> str:
    """Markdown inline markup → the text a reader sees (links → their text);
    see :func:`toolkit.ingest.markdown.strip_inline` (linear, line by line)."""
    return "\n".join(md.strip_inline(line) for line in text.split("\n"))


# --------------------------------------------------------------------------- structure


@dataclass
class _Line:
    number: int
    text: str  # cleaned display text (markup stripped)
    md_heading: bool = False


@dataclass
class _Para:
    lines: list[_Line] = field(default_factory=list)
    label: str | None = None
    md_heading: bool = False
    stamp: int | None = None  # a turn stamp (ms): the first sentence's start

    @property
    def text(self) -> str:
        return _join_lines([line.text for line in self.lines])[0]


# --------------------------------------------------------------------------- turn stamps


def _bracketed(text: str) -> tuple[int, str] | None:
    """``[00:01:07] rest`` / ``(01:07) rest`` → (ms, rest)."""
    if not text or text[0] not in "[(":
        return None
    close = text.find("]" if text[0] == "[" else ")")
    if close < 0:
        return None
    ms = timecode.parse_clock(text[1:close].strip())
    if ms is None:
        return None
    return ms, _after_stamp(text[close + 1 :])


def _after_stamp(rest: str) -> str:
    rest = rest.lstrip(" \t")
    if rest[:1] in "-–—|" and rest[1:2] in (" ", "\t", ""):
        rest = rest[1:].lstrip(" \t")
    return rest


def _bare(text: str) -> tuple[int, str] | None:
    """``00:01:07 rest`` / ``1:07 - rest`` → (ms, rest)."""
    token = text.split(None, 1)[0] if text.strip() else ""
    ms = timecode.parse_clock(token)
    if ms is None:
        return None
    return ms, _after_stamp(text[len(token) :])


def _trailing(text: str) -> tuple[int, str] | None:
    """``Speaker 1  0:00`` / ``Ana Ruiz 00:01:07`` (Otter: a name, then the time) → (ms, name)."""
    head, _, token = text.rstrip().rpartition(" ")
    ms = timecode.parse_clock(token.strip("[]()"))
    head = head.rstrip(" \t-–|")
    if ms is None or not head:
        return None
    label = find_label(head + ":")
    return (ms, label.name) if label is not None and not label.rest else None


@dataclass
class _Stamped:
    """A line after its stamp was taken off: ``kind`` says which form it had."""

    ms: int
    text: str  # the line without the stamp ("Name:" for the Otter form)
    kind: str  # "bracket" | "bare" | "label" | "trailing"


def _stamp_of(text: str) -> _Stamped | None:
    stripped = text.strip()
    got = _bracketed(stripped)
    if got is not None:
        return _Stamped(got[0], got[1], "bracket")
    label = find_label(stripped)
    if label is not None:
        if label.stamp is not None:
            return _Stamped(label.stamp, f"{label.name}: {label.rest}".rstrip(), "label")
        inner = _bracketed(label.rest)
        if inner is not None:
            return _Stamped(inner[0], f"{label.name}: {inner[1]}".rstrip(), "label")
        return None
    got = _trailing(stripped)
    if got is not None:
        return _Stamped(got[0], f"{got[1]}:", "trailing")
    got = _bare(stripped)
    if got is not None:
        return _Stamped(got[0], got[1], "bare")
    return None


def _turn_stamps(lines: list[tuple[str, bool]]) -> dict[int, _Stamped]:
    """The stamps of ``lines`` that are turn stamps (``{line index: stamp}``), or none."""
    found = {i: st for i, (text, heading) in enumerate(lines) if not heading and (st := _stamp_of(text))}
    # a time alone on its line is as clear as a bracketed one; bare times before text need company
    marked = [st for st in found.values() if st.kind != "bare" or not st.text.strip()]
    bare = [st for st in found.values() if st.kind == "bare" and st.text.strip()]
    use = {i: st for i, st in found.items() if st.kind != "bare" or not st.text.strip() or len(bare) >= 3}
    if len(marked) + (len(bare) if len(bare) >= 3 else 0) < 2:
        return {}
    times = [st.ms for _, st in sorted(use.items())]
    if sum(1 for a, b in zip(times, times[1:]) if b < a) > len(times) // 10:
        return {}  # not turn stamps: times that go back and forth
    return use


def _take_stamps(lines: list[tuple[str, bool]]) -> tuple[list[tuple[str, bool]], dict[int, int]]:
    """Find the turn stamps of a file; return the lines without them and
    ``{line index: ms}`` for the lines (paragraph starts) they time."""
    use = _turn_stamps(lines)
    if not use:
        return lines, {}
    out = list(lines)
    stamps: dict[int, int] = {}
    pending: int | None = None
    for i, (text, heading) in enumerate(lines):
        st = use.get(i)
        if st is not None:
            out[i] = (st.text, False)
            label = find_label(st.text.strip())
            if st.text.strip() and not (label is not None and not label.rest.strip()):
                stamps[i] = st.ms
                pending = None
            else:
                pending = st.ms  # the stamp (or "Name 0:00" header) times the next paragraph
            continue
        if pending is not None and text.strip() and not heading:
            stamps[i] = pending
            pending = None
    return out, stamps



def _join_lines(texts: Sequence[str]) -> tuple[str, list[int]]:
    """Lines of a paragraph as one text, and where each (non-blank) line starts:
    a space between lines, none between two characters of a script written
    without spaces (a hard-wrapped Chinese paragraph gains no space)."""
    out = ""
    offsets: list[int] = []
    for text in texts:
        norm = normalize_space(text)
        if not norm:
            continue
        if out and not (is_cjk(out[-1]) and is_cjk(norm[0])):
            out += " "
        offsets.append(len(out))
        out += norm
    return out, offsets


def _bare_end(text: str) -> str:
    """``text`` without trailing spaces and closing quotes/brackets ("detail. ”" → "detail.")."""
    return text.rstrip(_CLOSERS + " \t")


def _wholly_quoted(text: str) -> str | None:
    """The inner text when ``text`` is one quotation (“...”), else None."""
    if len(text) < 2 or text[0] not in _QUOTE_PAIRS:
        return None
    if text[-1] != _QUOTE_PAIRS[text[0]] and text[-1] not in "”\"’»":
        return None
    inner = text[1:-1].strip()
    if not inner or any(ch in _QUOTE_CHARS for ch in inner):
        return None
    return inner


def is_heading_like(text: str) -> tuple[bool, str]:
    """Whether a standalone line looks like a chapter heading, and its title.

    Short (≤ 10 words) with no sentence-final punctuation and starting with a
    capital or digit (``Ending``), or wholly quoted with no final punctuation
    inside the quotes (“Promoting fresh development with new growth drivers”;
    quoted headings may be longer, up to 20 words).
    """
    text = normalize_space(text)
    if not text:
        return False, ""
    inner = _wholly_quoted(text)
    if inner is not None:
        ok = len(inner.split()) <= _QUOTED_HEADING_WORDS_MAX and inner[-1] not in _TERMINAL + ",;:"
        return ok, inner
    if len(text.split()) > _HEADING_WORDS_MAX:
        return False, text
    if _bare_end(text)[-1:] in tuple(_TERMINAL + ",;:-–—"):
        return False, text
    if not (text[0].isupper() or text[0].isdigit()) or md.has_url(text):
        return False, text
    if len(split_sentences(text)) != 1:
        return False, text
    return True, text


def _markdown_lines(lines: list[str], dropped: list[DroppedLine]) -> list[tuple[str, bool]]:
    """Resolve Markdown block syntax line by line.

    Returns, per source line, ``(cleaned text, is_md_heading)``; lines that are
    not content (front matter, comments, fences, rules) become ``""``.  Code
    blocks are not speech: they are reported as dropped.
    """
    out: list[tuple[str, bool]] = [(line, False) for line in lines]
    # Front matter (YAML --- or TOML +++) at the very top is metadata.
    if lines and lines[0].strip() in ("---", "+++"):
        front = lines[0].strip()
        for i in range(1, len(lines)):
            if lines[i].strip() in (front, "...") :
                for j in range(i + 1):
                    out[j] = ("", False)
                break
    # HTML comments, possibly over several lines: blank them, keep the lines.
    joined = "\n".join(text for text, _ in out)
    raw = md.blank_comments(joined).split("\n")
    in_fence: str | None = None
    for i, line in enumerate(raw):
        fence = md.fence(line)
        if in_fence is not None:
            if fence and fence[0] == in_fence[0] and len(fence) >= len(in_fence):
                in_fence = None
            elif line.strip():
                dropped.append(DroppedLine(i + 1, line.strip(), "markdown-code-block"))
            out[i] = ("", False)
            continue
        if fence:
            in_fence = fence
            out[i] = ("", False)
            continue
        if md.is_setext_underline(line):
            continue  # "===" / "---": a setext underline or a break, decided with the paragraphs
        if md.is_thematic_break(line) or md.is_reference_definition(line):
            out[i] = ("", False)
            continue
        line = md.strip_quotes(line)
        heading = md.heading(line)
        if heading:
            out[i] = (md.strip_inline(heading[1] or ""), True)
            continue
        out[i] = (md.strip_inline(md.strip_list_marker(line)), False)
    return out


def _paragraphs(
    lines: list[tuple[str, bool]],
    raw: list[str],
    rules: list[Rule],
    dropped: list[DroppedLine],
    *,
    markdown: bool,
    stamps: dict[int, int] | None = None,
    trusted: frozenset[str] = frozenset(),
) -> list[_Para]:
    """Group content lines into paragraphs (see the module doc for the layouts)."""
    nonblank = [i for i, (text, _) in enumerate(lines) if text.strip()]
    blocks_layout = markdown or any(
        not lines[i][0].strip() for i in range(nonblank[0], nonblank[-1] + 1)
    ) if nonblank else False
    stamps = stamps or {}
    paras: list[_Para] = []
    current: _Para | None = None
    pending_label: str | None = None  # "Li:" alone on its line labels the next paragraph

    def start(line: _Line | None, label: str | None) -> _Para:
        para = _Para([line] if line else [], label, stamp=stamps.get(line.number - 1) if line else None)
        paras.append(para)
        return para

    def label_of(text: str) -> Label | None:
        found = find_label(text)
        if found is None or (found.uncased and found.name not in trusted):
            return None
        return found

    for i, (text, md_heading) in enumerate(lines):
        number = i + 1
        stripped = text.strip()
        if not stripped:
            current = None
            continue
        if markdown and md.is_setext_underline(raw[i]):
            if current is not None and len(current.lines) == 1 and current.label is None:
                current.md_heading = True  # setext heading: "Title" underlined with === or ---
            current = None  # otherwise a thematic break: it ends the paragraph
            continue
        rule = next((name for name, test in rules if test(raw[i].strip())), None)
        if rule is not None:
            # Removed entirely: a dropped line neither separates nor joins paragraphs.
            dropped.append(DroppedLine(number, raw[i].strip(), rule))
            continue
        if md_heading:
            para = start(_Line(number, stripped), None)
            para.md_heading = True
            current = None
            continue
        labelled = label_of(stripped)
        if labelled is not None:
            label, rest = labelled.name, labelled.rest
            if not rest.strip():
                pending_label, current = label, None
                continue
            current = start(_Line(number, rest), label)
            continue
        if current is not None and i not in stamps and (
            blocks_layout or _continues(current)
        ):
            current.lines.append(_Line(number, stripped))
            continue
        current = start(_Line(number, stripped), pending_label)
        pending_label = None
    return paras


def _continues(para: _Para) -> bool:
    """One-paragraph-per-line layout: does the next line continue ``para``?

    Only when the line stopped mid-sentence (a wrapped line) and is not itself a
    heading candidate.
    """
    if _bare_end(para.lines[-1].text)[-1:] in tuple(_TERMINAL):
        return False
    return not (len(para.lines) == 1 and is_heading_like(para.text)[0])


def _is_unquoted_candidate(para: _Para) -> bool:
    if para.label is not None or para.md_heading or len(para.lines) != 1:
        return False
    ok, _ = is_heading_like(para.text)
    return ok and _wholly_quoted(para.text) is None


def _sentences(para: _Para) -> tuple[Sentence, ...]:
    joined, offsets = _join_lines([line.text for line in para.lines])
    numbers = [line.number for line in para.lines if normalize_space(line.text)]
    text, spans = sentence_spans(joined)
    assert text == joined
    out = []
    for k, (a, b) in enumerate(spans):
        line = numbers[max(bisect.bisect_right(offsets, a) - 1, 0)]  # the last line starting at or before a
        anchor = para.stamp if k == 0 else None  # a turn stamp: start known, end for the aligner
        out.append(Sentence(text=text[a:b], start=anchor, end=None, line=line))
    return tuple(out)


def looks_like_markdown(raw: list[str]) -> bool:
    """Does a text file use Markdown structure: an ATX heading (``# Title``) or
    bold speaker labels (``**Ana:**``, ``**Ana**:``) on two lines?"""
    headings = bold = 0
    for line in raw:
        found = md.heading(line)
        if found and found[1] and not line.lstrip().startswith("#!"):
            headings += 1
        stripped = line.lstrip()
        if stripped.startswith("**"):
            close = stripped.find("**", 2)
            if close > 2 and (stripped[close - 1] in ":：" or stripped[close + 2 : close + 3] in (":", "：")):
                bold += 1
    return headings >= 1 or bold >= 2


def _trusted_labels(lines: list[tuple[str, bool]]) -> frozenset[str]:
    """Labels in scripts without case that occur at least twice."""
    counts: dict[str, int] = {}
    for text, _ in lines:
        label = find_label(text.strip())
        if label is not None and label.uncased:
            counts[label.name] = counts.get(label.name, 0) + 1
    return frozenset(name for name, n in counts.items() if n >= 2)


def _read(source: str, path: Path, options: ReadOptions, *, markdown: bool) -> Transcript:
    raw = source.split("\n")
    if not source.strip():
        raise InputError("transcript is empty", path=path, line=1)
    markdown = markdown or looks_like_markdown(raw)
    dropped: list[DroppedLine] = []
    lines = _markdown_lines(raw, dropped) if markdown else [(line, False) for line in raw]
    lines, stamps = _take_stamps(lines)
    rules = compile_rules(options.drop_rules)
    paras = _paragraphs(lines, raw, rules, dropped, markdown=markdown, stamps=stamps,
                        trusted=_trusted_labels(lines))

    chapters: list[Chapter] = []
    turns: list[Turn] = []
    label: str | None = None
    for k, para in enumerate(paras):
        nxt = paras[k + 1] if k + 1 < len(paras) else None
        if para.md_heading:
            if para.text:
                chapters.append(Chapter(title=para.text, line=para.lines[0].number))
            continue
        if para.label is None and len(para.lines) == 1 and nxt is not None:
            ok, title = is_heading_like(para.text)
            quoted = _wholly_quoted(para.text) is not None
            # An unquoted short line followed by another short line is more
            # likely dialogue ("Yes" / "Thank you") than a heading.
            if ok and (quoted or not _is_unquoted_candidate(nxt)):
                chapters.append(Chapter(title=title, line=para.lines[0].number))
                continue
        if para.label is not None:
            label = para.label
        sentences = _sentences(para)
        if sentences:
            turns.append(
                Turn(
                    speaker=display_name(label, options.speakers),
                    sentences=sentences,
                    chapter=len(chapters) - 1 if chapters else None,
                )
            )
    dropped.sort(key=lambda d: d.line)
    if not turns:
        what = f" after dropping {len(dropped)} non-speech line(s)" if dropped else ""
        raise InputError(f"no speech left in the transcript{what}", path=path)
    log.debug("%s: %d turns, %d chapters, %d dropped", path, len(turns), len(chapters), len(dropped))
    return Transcript(
        language=options.language,
        turns=tuple(turns),
        chapters=tuple(chapters),
        source=Path(path),
        dropped=tuple(dropped),
    )


def read_plain(text: str, path: Path, options: ReadOptions) -> Transcript:
    """Read a plain-text transcript (Markdown structure is honoured when present)."""
    return _read(text, path, options, markdown=False)


def read_markdown(text: str, path: Path, options: ReadOptions) -> Transcript:
    """Read a Markdown transcript (front matter, comments and markup ignored)."""
    return _read(text, path, options, markdown=True)
