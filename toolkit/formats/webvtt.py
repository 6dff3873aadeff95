"""WebVTT: the W3C parser, the cue-text parser, and the writer.

Reading follows the W3C WebVTT parsing algorithm ("WebVTT parser",
https://www.w3.org/TR/webvtt1/#file-parsing) step by step, on whole lines:

* the signature: ``WEBVTT`` alone or followed by a space, a tab or a line
  end (a BOM before it is fine); otherwise :class:`SignatureError` — the only
  thing that rejects a file;
* NUL characters become U+FFFD, CR and CRLF become LF; a line holding only
  spaces is *not* a blank line (it belongs to the block);
* each block is a cue when its first line, or its second after an
  identifier, contains ``-->``; the timings are "collected" as the spec says
  (``0:00:01.000`` and ``00:01.000`` are fine, ``00:00:01,000`` is not), and a
  block whose timings cannot be read is skipped *with a warning naming its
  line*; a ``-->`` on a later line starts the next block;
* cue settings are parsed as the spec says (vertical, line, position, size,
  align, region) and a bad setting is ignored;
* overlapping cues, cues in any order and an end before the start are kept
  (the algorithm keeps them; what to do with them is the caller's choice);
* ``NOTE`` blocks are kept as :class:`Note` (the toolkit's translation store
  keeps its metadata in them), ``STYLE`` and ``REGION`` blocks before the
  first cue as style sheets and :class:`Region`.

The result, :class:`Document`, is a sequence of :class:`Cue` (id, start/end in
ms, parsed settings, raw text, line) with :attr:`Document.warnings` beside
them::

    >>> doc = parse("WEBVTT\\n\\n1\\n00:01.000 --> 00:02.500 align:start\\n<v Ana>Hola")
    >>> doc[0].id, doc[0].start, doc[0].end, doc[0].settings.align, doc[0].text
    ('1', 1000, 2500, 'start', '<v Ana>Hola')

Cue text (tags, voices, ``<00:00:01.500>`` timestamps, character references)
is parsed by :func:`parse_cue_text` following the spec's cue-text parsing
rules; :func:`display_text` and :func:`voice_parts` are built on it.

:func:`write` renders blocks back (the published transcripts, the
translations store, translators' exports).  The toolkit keeps its own writer
because webvtt-py's puts a one-line NOTE on the ``NOTE`` line and a longer one
below it, so it cannot write the store's header, whose fields sit on the
``NOTE`` line above two lines of text; webvtt-py reads SBV for the toolkit
(:mod:`toolkit.formats.sbv`).
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import overload

from ..errors import InputError
from . import timecode
from .limits import MAX_CUE_TAG_DEPTH, quoted

__all__ = [
    "SignatureError",
    "CueSettings",
    "Cue",
    "Note",
    "Region",
    "ParseWarning",
    "Document",
    "Node",
    "parse",
    "parse_cue_text",
    "display_text",
    "voice_parts",
    "timed_pieces",
    "plain_text",
    "leading_voice",
    "escape",
    "write",
    "cue_block",
]

_WS = " \t\n\f\r"  # ASCII whitespace
_LINE_WS = " \t\f"  # whitespace that can occur inside a (normalised) line
_DIGITS = "0123456789"


class SignatureError(InputError):
    """The file does not start with the WebVTT signature (the whole file is rejected)."""


# --------------------------------------------------------------------------- model


@dataclass(frozen=True, slots=True)
class CueSettings:
    """The WebVTT cue settings as parsed, with the spec's defaults.

    ``vertical`` is ``""`` (horizontal), ``"rl"`` or ``"lr"``; ``line`` and
    ``position`` are a number or ``"auto"``; ``snap_to_lines`` is false for a
    percentage ``line``; ``region`` is the region identifier or None.
    """

    vertical: str = ""
    line: float | str = "auto"
    snap_to_lines: bool = True
    line_align: str = "start"
    position: float | str = "auto"
    position_align: str = "auto"
    size: float = 100
    align: str = "center"
    region: str | None = None

    def __str__(self) -> str:
        """The settings as a cue timing line writes them (defaults left out)."""
        out: list[str] = []
        if self.vertical:
            out.append(f"vertical:{self.vertical}")
        if self.line != "auto":
            value = _num(self.line) + ("" if self.snap_to_lines else "%")
            out.append(f"line:{value}" + (f",{self.line_align}" if self.line_align != "start" else ""))
        if self.position != "auto":
            pos = f"position:{_num(self.position)}%"
            out.append(pos + (f",{self.position_align}" if self.position_align != "auto" else ""))
        if self.size != 100:
            out.append(f"size:{_num(self.size)}%")
        if self.align != "center":
            out.append(f"align:{self.align}")
        if self.region is not None:
            out.append(f"region:{self.region}")
        return " ".join(out)


def _num(value: float | str) -> str:
    if isinstance(value, str):
        return value
    return str(int(value)) if float(value).is_integer() and abs(value) < 1e15 else repr(float(value))


DEFAULT_SETTINGS = CueSettings()


@dataclass(frozen=True, slots=True)
class Cue:
    """One cue: ``text`` is the raw cue text (tags and character references as
    written); ``line`` is the 1-based line of its timing line."""

    id: str
    start: int
    end: int
    text: str
    settings: CueSettings = DEFAULT_SETTINGS
    line: int = 0


@dataclass(frozen=True, slots=True)
class Note:
    """A ``NOTE`` comment block: ``text`` is everything after ``NOTE`` and its
    separator; ``inline`` is true when the text starts on the ``NOTE`` line."""

    text: str
    inline: bool = True
    line: int = 0


@dataclass(frozen=True, slots=True)
class Region:
    """A ``REGION`` definition (WebVTT region settings, spec defaults)."""

    id: str = ""
    width: float = 100
    lines: int = 3
    region_anchor: tuple[float, float] = (0, 100)
    viewport_anchor: tuple[float, float] = (0, 100)
    scroll: str = ""
    line: int = 0


@dataclass(frozen=True, slots=True)
class ParseWarning:
    """Something the parser skipped: ``line`` is 1-based."""

    line: int
    message: str
    text: str = ""  # the text that was skipped with it (cue text, block lines)

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


Block = Cue | Note


@dataclass(frozen=True)
class Document:
    """A parsed WebVTT file: a sequence of its cues, in file order, plus the rest."""

    cues: tuple[Cue, ...]
    warnings: tuple[ParseWarning, ...] = ()
    title: str = ""  # the rest of the signature line ("WEBVTT - title" → "- title")
    header: tuple[str, ...] = ()  # header lines ("Kind: captions", "Language: en")
    blocks: tuple[Block, ...] = ()  # cues and notes in file order
    styles: tuple[str, ...] = ()
    regions: tuple[Region, ...] = ()

    @property
    def notes(self) -> tuple[Note, ...]:
        return tuple(b for b in self.blocks if isinstance(b, Note))

    @property
    def metadata(self) -> dict[str, str]:
        """``Name: value`` header lines (``Kind``, ``Language``), first one wins."""
        out: dict[str, str] = {}
        for line in self.header:
            name, sep, value = line.partition(":")
            if sep and name.strip() and name.strip() not in out:
                out[name.strip()] = value.strip()
        return out

    def __iter__(self) -> Iterator[Cue]:
        return iter(self.cues)

    def __len__(self) -> int:
        return len(self.cues)

    @overload
    def __getitem__(self, index: int) -> Cue: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[Cue, ...]: ...
    def __getitem__(self, index: int | slice) -> Cue | tuple[Cue, ...]:
        return self.cues[index]


# --------------------------------------------------------------------------- file parsing


def _signature_ok(text: str) -> bool:
    if len(text) < 6 or not text.startswith("WEBVTT"):
        return False
    return len(text) == 6 or text[6] in " \t\n"


class _Parser:
    """The WebVTT parser state over the normalised lines of one file."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.i = 0
        self.seen_cue = False
        self.cues: list[Cue] = []
        self.blocks: list[Block] = []
        self.warnings: list[ParseWarning] = []
        self.styles: list[str] = []
        # by id, in definition order; a redefinition moves to the end (the spec's
        # "remove it, then append"), found in O(1) by the cues that name it
        self.regions: dict[str, Region] = {}
        self.header: tuple[str, ...] = ()

    def skip_blank(self) -> None:
        while self.i < len(self.lines) and self.lines[self.i] == "":
            self.i += 1

    def block(self, *, in_header: bool) -> None:
        """The spec's "collect a WebVTT block", one line at a time."""
        lines, n = self.lines, len(self.lines)
        first = self.i
        line_count = 0
        previous = self.i
        buffer: list[str] = []
        seen_arrow = False
        cue: Cue | None = None
        timing_line = 0
        kind: str | None = None  # "style" | "region"
        kind_line = 0
        failed: tuple[int, str, int] | None = None  # a timing line that could not be read
        while self.i < n:
            line = lines[self.i]
            self.i += 1
            line_count += 1
            if "-->" in line:
                if not in_header and (line_count == 1 or (line_count == 2 and not seen_arrow)):
                    seen_arrow = True
                    previous = self.i
                    timing_line = self.i
                    cue = _cue_timings(line, "\n".join(buffer), self.regions, timing_line)
                    if cue is None:
                        failed = (timing_line, line, len(buffer))  # the cue text comes after the id lines
                    else:
                        failed = None
                        buffer = []
                        self.seen_cue = True
                else:
                    self.i = previous
                    break
            elif line == "":
                break
            else:
                if not in_header and line_count == 2 and not self.seen_cue and len(buffer) == 1:
                    word = buffer[0]
                    for name in ("STYLE", "REGION"):
                        if word.startswith(name) and not word[len(name):].strip(_WS):
                            kind, kind_line, buffer = name.lower(), first + 1, []
                            break
                buffer.append(line)
                previous = self.i
        text = "\n".join(buffer)
        if failed is not None and cue is None:
            why = (f"cue skipped: timestamp out of range in {quoted(failed[1].strip())} (hours above "
                   f"{timecode.MAX_HOURS:,})" if timecode.out_of_range(failed[1]) else
                   f"cue skipped: bad cue timing {quoted(failed[1].strip())} "
                   "(expected [hh:]mm:ss.ttt --> [hh:]mm:ss.ttt)")
            self.warnings.append(ParseWarning(failed[0], why, text="\n".join(buffer[failed[2]:])))
        if cue is not None:
            cue = replace(cue, text=text)
            self.cues.append(cue)
            self.blocks.append(cue)
        elif kind == "style":
            self.styles.append(text)
        elif kind == "region":
            region = _region(text, kind_line)
            self.regions.pop(region.id, None)
            self.regions[region.id] = region
        elif in_header:
            self.header = tuple(buffer)
        elif buffer:
            self._other(buffer, first + 1, seen_arrow)

    def _other(self, buffer: list[str], line: int, seen_arrow: bool) -> None:
        """A block that is not a cue: a comment, or text the algorithm drops."""
        head = buffer[0]
        if head.startswith("NOTE") and (len(head) == 4 or head[4] in " \t"):
            rest = head[5:] if len(head) > 4 else ""
            inline = bool(rest) or len(buffer) == 1
            text = "\n".join(([rest] if inline else []) + buffer[1:])
            self.blocks.append(Note(text, inline=inline, line=line))
            return
        if seen_arrow:
            return  # the bad timing line was reported; its text goes with it
        what = "STYLE/REGION block after the first cue" if head.startswith(("STYLE", "REGION")) else \
            "text outside a cue (no timing line)"
        self.warnings.append(ParseWarning(line, f"{what} ignored", text="\n".join(buffer)))


def parse(text: str) -> Document:
    """Parse WebVTT text with the W3C algorithm (see the module doc).

    Raises :class:`SignatureError` (an :class:`~toolkit.errors.InputError`,
    line 1) when the file does not start with the WebVTT signature; nothing
    else is fatal.
    """
    text = text.removeprefix("\ufeff").replace("\x00", "\ufffd")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not _signature_ok(text):
        raise SignatureError("missing WEBVTT signature (the first line must be 'WEBVTT', "
                             "alone or followed by a space or tab and a title)", line=1)
    lines = text.split("\n")
    if text.endswith("\n"):
        lines.pop()  # the last line's LF ends it; there is no empty line after it
    p = _Parser(lines)
    title = lines[0][7:] if len(lines[0]) > 6 else ""
    p.i = 1
    if p.i < len(lines) and lines[p.i] != "":
        p.block(in_header=True)
    p.skip_blank()
    while p.i < len(lines):
        p.block(in_header=False)
        p.skip_blank()
    return Document(cues=tuple(p.cues), warnings=tuple(p.warnings), title=title, header=p.header,
                    blocks=tuple(p.blocks), styles=tuple(p.styles), regions=tuple(p.regions.values()))


def _skip_ws(line: str, pos: int) -> int:
    n = len(line)
    while pos < n and line[pos] in _WS:
        pos += 1
    return pos


def _cue_timings(line: str, ident: str, regions: Mapping[str, Region], number: int) -> Cue | None:
    """The spec's "collect WebVTT cue timings and settings"; None when it fails."""
    pos = _skip_ws(line, 0)
    got = timecode.collect_vtt(line, pos)
    if got is None:
        return None
    start, pos = got
    pos = _skip_ws(line, pos)
    if line[pos : pos + 3] != "-->":
        return None
    pos = _skip_ws(line, pos + 3)
    got = timecode.collect_vtt(line, pos)
    if got is None:
        return None
    end, pos = got
    settings = _settings(line[pos:], regions)
    return Cue(id=ident, start=start, end=end, text="", settings=settings, line=number)


def _split_ws(text: str) -> list[str]:
    out: list[str] = []
    word: list[str] = []
    for ch in text:
        if ch in _WS:
            if word:
                out.append("".join(word))
                word = []
        else:
            word.append(ch)
    if word:
        out.append("".join(word))
    return out


def _percentage(text: str) -> float | None:
    """The spec's "parse a percentage string": ``^\\d+(\\.\\d+)?%$`` in [0, 100]."""
    if len(text) < 2 or text[-1] != "%":
        return None
    body = text[:-1]
    whole, dot, frac = body.partition(".")
    if not whole or not all(c in _DIGITS for c in whole):
        return None
    if dot and (not frac or not all(c in _DIGITS for c in frac)):
        return None
    value = float(body)
    return value if 0 <= value <= 100 else None


def _float(text: str) -> float | None:
    """HTML's "rules for parsing floating-point number values" for the
    already-checked ``-?digits[.digits]`` shape: None for ±2^1024."""
    value = float(text)
    if math.isinf(value):
        return None
    return value + 0.0  # -0 → 0 (the set S has no −0)


def _line_setting(value: str, cue: CueSettings) -> CueSettings:
    linepos, comma, linealign = value.partition(",")
    if not any(c in _DIGITS for c in linepos):
        return cue
    if linepos.endswith("%"):
        number = _percentage(linepos)
        if number is None:
            return cue
    else:
        if any(c not in "-." + _DIGITS for c in linepos) or "-" in linepos[1:] or linepos.count(".") > 1:
            return cue
        dot = linepos.find(".")
        if dot >= 0 and (dot == 0 or dot == len(linepos) - 1 or linepos[dot - 1] not in _DIGITS
                         or linepos[dot + 1] not in _DIGITS):
            return cue
        number = _float(linepos)
        if number is None:
            return cue
    align = cue.line_align
    if comma:
        if linealign not in ("start", "center", "end"):
            return cue
        align = linealign
    return replace(cue, line=number, line_align=align, snap_to_lines=not linepos.endswith("%"))


def _settings(text: str, regions: Mapping[str, Region]) -> CueSettings:
    """The spec's "parse the WebVTT cue settings"."""
    cue = DEFAULT_SETTINGS
    for setting in _split_ws(text):
        colon = setting.find(":")
        if colon <= 0 or colon == len(setting) - 1:
            continue
        name, value = setting[:colon], setting[colon + 1 :]
        if name == "region":
            cue = replace(cue, region=value if value in regions else None)
        elif name == "vertical":
            if value in ("rl", "lr"):
                cue = replace(cue, vertical=value, region=None)
        elif name == "line":
            cue = _line_setting(value, cue)
        elif name == "position":
            colpos, comma, colalign = value.partition(",")
            number = _percentage(colpos)
            if number is None:
                continue
            if comma:
                if colalign not in ("line-left", "center", "line-right"):
                    continue
                cue = replace(cue, position=number, position_align=colalign)
            else:
                cue = replace(cue, position=number)
        elif name == "size":
            number = _percentage(value)
            if number is not None:
                cue = replace(cue, size=number)
        elif name == "align":
            if value in ("start", "center", "end", "left", "right"):
                cue = replace(cue, align=value)
    return cue


def _anchor(value: str) -> tuple[float, float] | None:
    x, comma, y = value.partition(",")
    if not comma:
        return None
    px, py = _percentage(x), _percentage(y)
    return None if px is None or py is None else (px, py)


def _region(text: str, line: int) -> Region:
    """The spec's "collect WebVTT region settings"."""
    region = Region(line=line)
    for setting in _split_ws(text):
        colon = setting.find(":")
        if colon <= 0 or colon == len(setting) - 1:
            continue
        name, value = setting[:colon], setting[colon + 1 :]
        if name == "id":
            region = replace(region, id=value)
        elif name == "width":
            number = _percentage(value)
            if number is not None:
                region = replace(region, width=number)
        elif name == "lines":
            # (a number too long to be a line count is ignored, never converted)
            if all(c in _DIGITS for c in value) and len(value.lstrip("0")) <= 9:
                region = replace(region, lines=int(value))
        elif name in ("regionanchor", "viewportanchor"):
            anchor = _anchor(value)
            if anchor is not None:
                if name == "regionanchor":
                    region = replace(region, region_anchor=anchor)
                else:
                    region = replace(region, viewport_anchor=anchor)
        elif name == "scroll" and value == "up":
            region = replace(region, scroll="up")
    return region


# --------------------------------------------------------------------------- cue text


@dataclass(frozen=True, slots=True)
class Node:
    """A node of the cue-text tree: ``kind`` is ``text``, ``timestamp`` (``time``
    in ms), or an internal object ``c``/``i``/``b``/``u``/``ruby``/``rt``/``v``/
    ``lang`` with ``classes``, ``annotation`` (the voice or language) and
    ``children``."""

    kind: str
    text: str = ""
    time: int | None = None
    classes: tuple[str, ...] = ()
    annotation: str = ""
    children: tuple[Node, ...] = field(default=())


_OBJECTS = frozenset({"c", "i", "b", "u", "ruby", "rt", "v", "lang"})


def _tokens(raw: str) -> Iterator[tuple[str, str, tuple[str, ...], str]]:
    """The spec's cue-text tokenizer: ``(type, name or text, classes, annotation)``
    with type ``text``, ``start``, ``end`` or ``timestamp``."""
    pos, n = 0, len(raw)
    while pos < n:
        if raw[pos] != "<":
            end = raw.find("<", pos)
            end = n if end < 0 else end
            yield "text", html.unescape(raw[pos:end]), (), ""
            pos = end
            continue
        pos += 1
        c = raw[pos] if pos < n else ""
        if c == "/":
            end = raw.find(">", pos)
            end = n if end < 0 else end
            yield "end", raw[pos + 1 : end], (), ""
            pos = end + 1
            continue
        if c and c in _DIGITS:
            end = raw.find(">", pos)
            end = n if end < 0 else end
            yield "timestamp", raw[pos:end], (), ""
            pos = end + 1
            continue
        # start tag: name, then .classes, then an annotation after whitespace
        name_end = pos
        while name_end < n and raw[name_end] not in ". \t\n\f>":
            name_end += 1
        name = raw[pos:name_end]
        pos = name_end
        classes: list[str] = []
        while pos < n and raw[pos] == ".":
            end = pos + 1
            while end < n and raw[end] not in ". \t\n\f>":
                end += 1
            classes.append(raw[pos + 1 : end])
            pos = end
        annotation = ""
        if pos < n and raw[pos] in " \t\n\f":
            end = raw.find(">", pos)
            end = n if end < 0 else end
            annotation = " ".join(_split_ws(html.unescape(raw[pos:end])))
            pos = end
        pos += 1  # the ">" (or past the end)
        yield "start", name, tuple(c for c in classes if c), annotation


def parse_cue_text(raw: str) -> Node:
    """The cue's text as a tree, by the spec's cue-text parsing rules (unknown
    tags and unmatched end tags are ignored, unclosed ones close at the end).

    Tags nested deeper than :data:`~toolkit.formats.limits.MAX_CUE_TAG_DEPTH`
    are ignored (their text is kept), so the tree stays shallow whatever the
    file holds: everything that walks it may recurse.
    """
    root: list[Node] = []
    stack: list[tuple[str, tuple[str, ...], str, list[Node]]] = []
    ignored: list[str] = []  # names of start tags past the depth limit, innermost last

    def current() -> list[Node]:
        return stack[-1][3] if stack else root

    def close() -> None:
        name, classes, annotation, children = stack.pop()
        current().append(Node(name, classes=classes, annotation=annotation, children=tuple(children)))

    for kind, value, classes, annotation in _tokens(raw):
        if kind == "text":
            if value:
                current().append(Node("text", text=value))
        elif kind == "timestamp":
            ms = timecode.parse_vtt(value)
            if ms is not None:
                current().append(Node("timestamp", time=ms))
        elif kind == "start":
            if value not in _OBJECTS or (value == "rt" and (not stack or stack[-1][0] != "ruby")):
                continue
            if len(stack) >= MAX_CUE_TAG_DEPTH:
                ignored.append(value)
                continue
            keep = annotation if value in ("v", "lang") else ""
            stack.append((value, classes, keep, []))
        elif kind == "end":
            if ignored:
                if ignored[-1] == value:
                    ignored.pop()
                continue
            if stack and stack[-1][0] == value:
                close()
            elif value == "ruby" and len(stack) >= 2 and stack[-1][0] == "rt":
                close()
                close()
    while stack:
        close()
    return Node("root", children=tuple(root))


def _walk_text(node: Node) -> Iterator[str]:
    if node.kind == "text":
        yield node.text
    for child in node.children:
        yield from _walk_text(child)


def display_text(raw: str) -> str:
    """What a browser shows of raw cue text: the text nodes, tags dropped,
    character references decoded (line breaks kept)."""
    return "".join(_walk_text(parse_cue_text(raw)))


def voice_parts(raw: str) -> list[tuple[str | None, str]]:
    """Raw cue text → ``[(voice or None, display text), …]``.

    A new part starts at each ``<v Name>``; text outside any voice (before the
    first, or after a ``</v>``) is a ``None`` part, which a reader takes as
    the previous speaker going on.  Blank parts are dropped unless they name
    a voice.
    """
    parts: list[tuple[str | None, list[str]]] = [(None, [])]

    def visit(node: Node) -> None:
        if node.kind == "v":
            parts.append((node.annotation or None, []))
            for child in node.children:
                visit(child)
            parts.append((None, []))
            return
        if node.kind == "text":
            parts[-1][1].append(node.text)
        for child in node.children:
            visit(child)

    visit(parse_cue_text(raw))
    out: list[tuple[str | None, str]] = []
    for voice, chunks in parts:
        text = "".join(chunks)
        if text.strip() or voice is not None:
            out.append((voice, text))
    return out


def timed_pieces(raw: str, start: int) -> list[tuple[int, str]]:
    """Raw cue text → ``[(time, display text), …]`` cut at ``<hh:mm:ss.ttt>``
    timestamp tags (the time a piece starts; the first starts at ``start``)."""
    out: list[tuple[int, list[str]]] = [(start, [])]

    def visit(node: Node) -> None:
        if node.kind == "timestamp" and node.time is not None:
            out.append((node.time, []))
        elif node.kind == "text":
            out[-1][1].append(node.text)
        for child in node.children:
            visit(child)

    visit(parse_cue_text(raw))
    return [(t, "".join(chunks)) for t, chunks in out if "".join(chunks)]


# --------------------------------------------------------------------------- writing


def escape(text: str) -> str:
    """Escape text for a cue payload: ``&``, ``<`` and ``>`` become character
    references (which also defuses a ``-->`` in the text)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def cue_block(cue: Cue) -> list[str]:
    """One cue as lines: identifier (when set), timing line (+ settings), payload.

    ValueError when the cue cannot be written so that it reads back the same
    (a line break or ``-->`` in the id, a blank line or ``-->`` in the text).
    """
    if "\n" in cue.id or "-->" in cue.id:
        raise ValueError(f"cue identifier cannot contain a line break or '-->': {cue.id!r}")
    payload = cue.text.split("\n") if cue.text else []
    if any(line == "" for line in payload) or "-->" in cue.text:
        raise ValueError(f"cue text cannot contain a blank line or '-->': {cue.text!r}")
    timing = f"{timecode.vtt(cue.start)} --> {timecode.vtt(cue.end)}"
    settings = str(cue.settings)
    if settings:
        timing += " " + settings
    return ([cue.id] if cue.id else []) + [timing] + payload


def _note_lines(note: Note) -> list[str]:
    lines = note.text.split("\n") if note.text else []
    if "-->" in note.text or any(line == "" for line in lines):
        raise ValueError(f"a NOTE cannot contain '-->' or a blank line: {note.text!r}")
    if note.inline and lines:
        return [f"NOTE {lines[0]}", *lines[1:]]
    return ["NOTE", *lines]


def write(blocks: Iterable[Cue | Note], *, title: str = "", header: Sequence[str] = ()) -> str:
    """WebVTT text: the signature (``WEBVTT`` + title), header lines, then each
    block after a blank line; ``\\n`` line ends and a final newline.

    Cue text is written as given (raw): escape plain text with :func:`escape`.
    """
    if "\n" in title or "-->" in title or any("\n" in h or "-->" in h or not h for h in header):
        raise ValueError("the WebVTT header cannot contain a blank line or '-->'")
    out = ["\n".join(["WEBVTT" + (f" {title}" if title else ""), *header])]
    for block in blocks:
        lines = _note_lines(block) if isinstance(block, Note) else cue_block(block)
        out.append("\n".join(lines))
    return "\n\n".join(out) + "\n"


# --------------------------------------------------------------------------- lenient text (people's files)

_KNOWN_TAGS = frozenset({"c", "i", "b", "u", "s", "v", "lang", "ruby", "rt", "font", "span"})


def _is_tag(inner: str) -> bool:
    """Is ``<inner>`` a cue-text tag (or one a subtitle editor adds), not literal text?"""
    body = inner[1:] if inner.startswith("/") else inner
    if not body:
        return inner == "/"
    if body[0] in _DIGITS:
        return timecode.parse_vtt(body) is not None
    end = 0
    while end < len(body) and body[end] not in ". \t":
        end += 1
    return body[:end].lower() in _KNOWN_TAGS


def plain_text(raw: str) -> str:
    """Cue text as people's tools write it → plain text: known tags
    (``<i>``, ``<c.x>``, ``<v Name>``, ``<00:00:01.000>``, ``<font …>``) and
    ASS overrides (``{\\an8}``, which Subtitle Edit keeps) dropped, character
    references decoded.  Unlike :func:`display_text` (what a browser shows) a
    ``<`` or ``&`` that starts no tag or reference is kept as text, so an
    unescaped ``a < b`` typed by a translator is not lost."""
    out: list[str] = []
    i, n = 0, len(raw)
    while i < n:
        ch = raw[i]
        if ch == "<":
            end = raw.find(">", i + 1)
            if end > 0 and "<" not in raw[i + 1 : end] and _is_tag(raw[i + 1 : end]):
                i = end + 1
                continue
        elif ch == "{" and raw.startswith("{\\", i):
            end = raw.find("}", i + 2)
            if end > 0:
                i = end + 1
                continue
        out.append(ch)
        i += 1
    return html.unescape("".join(out))


def leading_voice(line: str) -> tuple[str | None, str]:
    """``<v Name>text`` / ``<v.loud Name>text`` → (``Name``, ``text`` without
    ``</v>``); a line not starting with a voice → (None, line)."""
    if not line.startswith("<v") or len(line) < 3 or line[2] not in " \t.>":
        return None, line
    end = line.find(">")
    if end < 0:
        return None, line
    tag = line[2:end]
    if tag.startswith("."):
        cut = min((tag.find(c) for c in " \t" if c in tag), default=len(tag))
        tag = tag[cut:]
    name = html.unescape(" ".join(_split_ws(tag))) or None
    return name, line[end + 1 :].replace("</v>", "")
