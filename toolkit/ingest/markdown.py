"""Markdown syntax in transcripts, recognised by linear scans.

What the text reader needs of Markdown: the block syntax of one line
(headings, setext underlines, thematic breaks, fences, block quotes, list
markers, link reference definitions), HTML comments, and the inline markup
to strip (links → their text, images dropped, code spans, emphasis,
strikethrough, autolinks, inline HTML tags, backslash escapes, character
references).

No regular expression: each construct is found by scanning forward with
``str.find``, and every search for a closing delimiter is remembered
(:class:`_Finder`), so a line full of openers that never close (``[a](b[a](b…``,
``**a **a …``) costs one pass, not one pass per opener.  Each function is
linear in its input; the rules match those of the regular expressions the
reader used before (``tests/ingest/test_linear_rules.py`` checks them
against each other on generated lines).
"""

from __future__ import annotations

import html
from collections.abc import Callable

__all__ = [
    "strip_inline",
    "heading",
    "is_setext_underline",
    "is_thematic_break",
    "fence",
    "strip_quote",
    "strip_quotes",
    "strip_list_marker",
    "is_reference_definition",
    "blank_comments",
    "has_url",
    "URL_STARTS",
]

#: What starts a URL in running text (``www.`` too, as people type them).
URL_STARTS = ("https://", "http://", "www.")

#: A flanking test: may the delimiter at index ``i`` of ``text`` open (or close)?
_Flank = Callable[[str, int], bool]

_ESCAPABLE = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_PRIVATE = 0xE000  # escaped punctuation is parked in the private-use area


def _is_word(ch: str) -> bool:
    """Python's ``\\w``: a letter, digit or underscore (Unicode)."""
    return ch.isalnum() or ch == "_"


class _Finder:
    """``text.find(needle, start)`` with the last answer per needle remembered.

    Scans move left to right: when a search starts between the previous
    start and the previous answer, the answer is the same (nothing matched
    in between), so each stretch of text is searched at most once per needle.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.memo: dict[str, tuple[int, int]] = {}

    def find(self, needle: str, start: int) -> int:
        got = self.memo.get(needle)
        if got is not None:
            since, answer = got
            if since <= start and (answer < 0 or start <= answer):
                return answer
        answer = self.text.find(needle, start)
        self.memo[needle] = (start, answer)
        return answer


def has_url(text: str) -> bool:
    """Does ``text`` contain a URL start followed by a non-space character?"""
    for start in URL_STARTS:
        at = text.find(start)
        while at >= 0:
            after = at + len(start)
            if after < len(text) and not text[after].isspace():
                return True
            at = text.find(start, after)
    return False


# --------------------------------------------------------------------------- inline


def _escapes(text: str) -> str:
    r"""``\*`` → a private-use stand-in for ``*`` (restored by :func:`_restore`)."""
    if "\\" not in text:
        return text
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        j = text.find("\\", i)
        if j < 0 or j + 1 >= n:
            out.append(text[i:])
            break
        out.append(text[i:j])
        if text[j + 1] in _ESCAPABLE:
            out.append(chr(_PRIVATE + ord(text[j + 1])))
            i = j + 2
        else:
            out.append("\\")
            i = j + 1
    return "".join(out)


def _restore(text: str) -> str:
    if not any(_PRIVATE <= ord(c) <= _PRIVATE + 0x7F for c in text):
        return text
    return "".join(chr(ord(c) - _PRIVATE) if _PRIVATE <= ord(c) <= _PRIVATE + 0x7F else c for c in text)


def _destination_end(text: str, pos: int, f: _Finder, memo: dict[int, int]) -> int:
    """After ``](`` at ``pos``: the index just past the ``)`` that closes a
    link destination (``url``, ``url(with)parens``, ``url "title"``), or -1.

    The destination is a run of non-space characters other than parentheses
    and one-level ``(…)`` groups; then optional whitespace and a quoted title.
    What follows a position decides alone whether a destination ends, so the
    answer is remembered for the start and for every point after a ``(…)``
    group: a later walk that reaches one stops there.
    """
    n = len(text)
    i = pos
    entered = [pos]
    result = -1
    while i < n:
        if i in memo:
            result = memo[i]
            break
        ch = text[i]
        if ch == ")":
            result = i + 1
            break
        if ch == "(":
            close = f.find(")", i + 1)
            if close < 0:
                break
            i = close + 1
            entered.append(i)
            continue
        if ch.isspace():
            j = i
            while j < n and text[j].isspace():
                j += 1
            if j < n and text[j] in "\"'":
                close = f.find(text[j], j + 1)
                if close >= 0 and close + 1 < n and text[close + 1] == ")":
                    result = close + 2
            break
        i += 1
    for at in entered:
        memo[at] = result
    return result


def _links(text: str) -> str:
    """``![alt](src)`` → nothing, ``[text](dest)`` and ``[text][ref]`` → ``text``,
    in that order of precedence (as three passes of the old rules did)."""
    if "[" not in text:
        return text
    text = _images(text)
    text = _inline_links(text)
    return _reference_links(text)


def _images(text: str) -> str:
    f = _Finder(text)
    out: list[str] = []
    i, n = 0, len(text)
    while True:
        at = text.find("![", i)
        if at < 0:
            break
        close = f.find("]", at + 2)
        if close >= 0 and close + 1 < n and text[close + 1] == "(":
            end = f.find(")", close + 2)
            if end >= 0:
                out.append(text[i:at])
                i = end + 1
                continue
        out.append(text[i:at + 1])
        i = at + 1
    out.append(text[i:])
    return "".join(out)


def _inline_links(text: str) -> str:
    f = _Finder(text)
    memo: dict[int, int] = {}
    out: list[str] = []
    i, n = 0, len(text)
    while True:
        at = text.find("[", i)
        if at < 0:
            break
        close = f.find("]", at + 1)
        if close > at + 1 and close + 1 < n and text[close + 1] == "(":
            end = _destination_end(text, close + 2, f, memo)
            if end >= 0:
                out.append(text[i:at])
                out.append(text[at + 1:close])
                i = end
                continue
        out.append(text[i:at + 1])
        i = at + 1
    out.append(text[i:])
    return "".join(out)


def _reference_links(text: str) -> str:
    f = _Finder(text)
    out: list[str] = []
    i, n = 0, len(text)
    while True:
        at = text.find("[", i)
        if at < 0:
            break
        close = f.find("]", at + 1)
        if close > at + 1 and close + 1 < n and text[close + 1] == "[":
            end = f.find("]", close + 2)
            if end >= 0:
                out.append(text[i:at])
                out.append(text[at + 1:close])
                i = end + 1
                continue
        out.append(text[i:at + 1])
        i = at + 1
    out.append(text[i:])
    return "".join(out)


def _autolinks(text: str) -> str:
    """``<https://…>`` / ``<www.…>`` → the URL."""
    if "<" not in text:
        return text
    out: list[str] = []
    i, n = 0, len(text)
    scanned = (0, -1)  # the last stretch scanned: (from, where it stopped)
    while True:
        at = text.find("<", i)
        if at < 0:
            break
        start = next((s for s in URL_STARTS if text.startswith(s, at + 1)), None)
        if start is not None:
            j = at + 1 + len(start)
            if scanned[0] <= j <= scanned[1]:
                k = scanned[1]  # the same stop: nothing in between stops a scan
            else:
                k = j
                while k < n and text[k] != ">" and not text[k].isspace():
                    k += 1
                scanned = (j, k)
            if k > j and k < n and text[k] == ">":
                out.append(text[i:at])
                out.append(text[at + 1:k])
                i = k + 1
                continue
        out.append(text[i:at + 1])
        i = at + 1
    out.append(text[i:])
    return "".join(out)


def _code_spans(text: str) -> str:
    """`` `code` `` → ``code``: a run of backticks closed by a run of the same length.

    Runs of each length are listed once, so finding the closer of an
    opener is a pointer move, never a rescan.
    """
    if "`" not in text:
        return text
    runs: list[tuple[int, int]] = []  # (start, length)
    i, n = 0, len(text)
    while True:
        at = text.find("`", i)
        if at < 0:
            break
        j = at
        while j < n and text[j] == "`":
            j += 1
        runs.append((at, j - at))
        i = j
    by_length: dict[int, list[int]] = {}
    for k, (_, length) in enumerate(runs):
        by_length.setdefault(length, []).append(k)
    cursor = {length: 0 for length in by_length}
    out: list[str] = []
    pos = 0
    k = 0
    while k < len(runs):
        start, length = runs[k]
        if start < pos:
            k += 1
            continue
        same = by_length[length]
        c = cursor[length]
        while c < len(same) and same[c] <= k:
            c += 1
        cursor[length] = c
        if c < len(same):
            close = runs[same[c]][0]
            if close > start + length:  # code spans are not empty
                out.append(text[pos:start])
                out.append(text[start + length:close])
                pos = close + length
                k = same[c] + 1
                continue
        k += 1
    if not out:
        return text
    out.append(text[pos:])
    return "".join(out)


def _delimited(text: str, delim: str, *, opens: _Flank, closes: _Flank) -> str:
    """``<delim>x<delim>`` → ``x``: the nearest closer after at least one
    character, as a lazy ``delim(.+?)delim`` would find it.

    ``opens(text, i)`` / ``closes(text, i)`` say whether ``delim`` at ``i`` may
    open / close (flanking rules).  Both depend on the neighbourhood only, so
    the closers are listed once and a pointer walks them.
    """
    if delim not in text:
        return text
    size = len(delim)
    spots: list[int] = []
    at = text.find(delim)
    while at >= 0:
        spots.append(at)
        at = text.find(delim, at + 1)
    closers = [p for p in spots if closes(text, p)]
    out: list[str] = []
    pos, c = 0, 0
    for p in spots:
        if p < pos or not opens(text, p):
            continue
        while c < len(closers) and closers[c] < p + size + 1:
            c += 1
        if c == len(closers):
            break
        close = closers[c]
        out.append(text[pos:p])
        out.append(text[p + size:close])
        pos = close + size
    if not out:
        return text
    out.append(text[pos:])
    return "".join(out)


def _at(text: str, i: int) -> str:
    return text[i] if 0 <= i < len(text) else ""


def _strong_open(text: str, i: int) -> bool:  # ** / ~~ : (?!\s)
    nxt = _at(text, i + 2)
    return bool(nxt) and not nxt.isspace()


def _strong_close(text: str, i: int) -> bool:  # (?<!\s) before the closer
    prev = _at(text, i - 1)
    return not (prev and prev.isspace())


def _under2_open(text: str, i: int) -> bool:  # (?<!\w)__(?!\s)
    prev = _at(text, i - 1)
    return not (prev and _is_word(prev)) and _strong_open(text, i)


def _under2_close(text: str, i: int) -> bool:  # (?<!\s)__(?!\w)
    nxt = _at(text, i + 2)
    return _strong_close(text, i) and not (nxt and _is_word(nxt))


def _single(mark: str) -> tuple[_Flank, _Flank]:
    """Flanking rules of ``*x*`` / ``_x_``: ``(?<![\\w*])\\*(?![\\s*])`` to open,
    ``(?<![\\s*])\\*(?![\\w*])`` to close."""

    def opens(text: str, i: int) -> bool:
        prev, nxt = _at(text, i - 1), _at(text, i + 1)
        return not (prev and (_is_word(prev) or prev == mark)) and bool(nxt) and not (nxt.isspace() or nxt == mark)

    def closes(text: str, i: int) -> bool:
        prev, nxt = _at(text, i - 1), _at(text, i + 1)
        return not (prev and (prev.isspace() or prev == mark)) and not (nxt and (_is_word(nxt) or nxt == mark))

    return opens, closes


_STAR = _single("*")
_UNDERSCORE = _single("_")


def _html_tags(text: str) -> str:
    """Inline HTML tags (``<span class="x">``, ``</b>``, ``<br/>``) → nothing."""
    if "<" not in text:
        return text
    f = _Finder(text)
    out: list[str] = []
    i, n = 0, len(text)
    while True:
        at = text.find("<", i)
        if at < 0:
            break
        j = at + 1
        if j < n and text[j] == "/":
            j += 1
        end = -1
        if j < n and text[j].isascii() and text[j].isalpha():
            j += 1
            while j < n and text[j].isascii() and (text[j].isalnum() or text[j] == "-"):
                j += 1
            if j < n and text[j] == ">":
                end = j + 1
            elif j + 1 < n and text[j] == "/" and text[j + 1] == ">":
                end = j + 2
            elif j < n and text[j].isspace():
                close = f.find(">", j)
                opener = f.find("<", j)
                if close >= 0 and (opener < 0 or opener > close):
                    end = close + 1
        if end >= 0:
            out.append(text[i:at])
            i = end
            continue
        out.append(text[i:at + 1])
        i = at + 1
    out.append(text[i:])
    return "".join(out)


def strip_inline(text: str) -> str:
    """Markdown inline markup of one line → the text a reader sees (links →
    their text).  Linear in the length of ``text``."""
    text = _escapes(text)
    text = _links(text)
    text = _autolinks(text)
    text = _code_spans(text)
    text = _delimited(text, "**", opens=_strong_open, closes=_strong_close)
    text = _delimited(text, "__", opens=_under2_open, closes=_under2_close)
    text = _delimited(text, "*", opens=_STAR[0], closes=_STAR[1])
    text = _delimited(text, "_", opens=_UNDERSCORE[0], closes=_UNDERSCORE[1])
    text = _delimited(text, "~~", opens=_strong_open, closes=_strong_close)
    text = _html_tags(text)
    return _restore(html.unescape(text))


# --------------------------------------------------------------------------- blocks (one line)


def _indent(line: str) -> int | None:
    """Leading spaces (0–3), or None for four or more (indented code)."""
    n = len(line) - len(line.lstrip(" "))
    return n if n <= 3 else None


def heading(line: str) -> tuple[int, str | None] | None:
    """An ATX heading: ``(level, text)`` (text None for a bare ``#``), else None.

    ``## Title ##`` → ``(2, "Title")``; up to three leading spaces; ``#Title``
    (no space) and seven ``#`` are not headings.
    """
    lead = _indent(line)
    if lead is None:
        return None
    body = line[lead:]
    level = len(body) - len(body.lstrip("#"))
    if not 1 <= level <= 6:
        return None
    rest = body[level:]
    if not rest.strip(" \t"):
        return level, (None if not rest else "")
    if rest[0] not in " \t":
        return None
    content = rest.strip(" \t")
    hashes = len(content) - len(content.rstrip("#"))
    if 0 < hashes < len(content) and content[-hashes - 1] in " \t":
        content = content[:-hashes].rstrip(" \t")
    return level, content


def is_setext_underline(line: str) -> bool:
    """``===`` or ``---`` (a setext underline, or a thematic break)."""
    lead = _indent(line)
    if lead is None:
        return False
    body = line[lead:].rstrip(" \t")
    return bool(body) and (body == "=" * len(body) or body == "-" * len(body))


def is_thematic_break(line: str) -> bool:
    """``***``, ``- - -``, ``___``: three or more of one of ``-*_``, spaces between."""
    lead = _indent(line)
    if lead is None:
        return False
    body = line[lead:]
    if not body or body[0] not in "-*_":
        return False
    mark = body[0]
    count = 0
    for ch in body:
        if ch == mark:
            count += 1
        elif ch not in " \t":
            return False
    return count >= 3


def fence(line: str) -> str | None:
    """The opening run of a code fence (````` ``` ````` or ``~~~``, three or more), else None."""
    lead = _indent(line)
    if lead is None:
        return None
    body = line[lead:]
    if not body or body[0] not in "`~":
        return None
    run = len(body) - len(body.lstrip(body[0]))
    return body[:run] if run >= 3 else None


def strip_quote(line: str) -> str | None:
    """The line without one block-quote marker (``> ``), or None when it has none."""
    lead = _indent(line)
    if lead is None or line[lead:lead + 1] != ">":
        return None
    rest = line[lead + 1:]
    return rest[1:] if rest[:1] in (" ", "\t") else rest


def strip_quotes(line: str) -> str:
    """The line without all its block-quote markers (``> > text`` → ``text``), in
    one pass (what :func:`strip_quote` repeated gives, without copying the line
    once per marker)."""
    pos, n = 0, len(line)
    while True:
        j = pos
        while j < n and j - pos < 4 and line[j] == " ":
            j += 1
        if j - pos > 3 or j >= n or line[j] != ">":
            return line[pos:]
        pos = j + 1
        if pos < n and line[pos] in " \t":
            pos += 1


def strip_list_marker(line: str) -> str:
    """The line without a list marker (``- ``, ``* ``, ``+ ``, ``12. ``, ``3) ``)."""
    lead = _indent(line)
    if lead is None:
        return line
    body = line[lead:]
    if body[:1] in ("-", "*", "+"):
        size = 1
    else:
        digits = 0
        while digits < len(body) and body[digits].isdecimal():  # \d: any decimal digit
            digits += 1
        if not 1 <= digits <= 9 or body[digits:digits + 1] not in (".", ")"):
            return line
        size = digits + 1
    rest = body[size:]
    kept = rest.lstrip(" \t")
    return kept if len(kept) < len(rest) else line


def is_reference_definition(line: str) -> bool:
    """``[label]: https://…`` (a link reference definition)."""
    lead = _indent(line)
    if lead is None or line[lead:lead + 1] != "[":
        return False
    close = line.find("]", lead + 1)
    if close <= lead + 1 or line[close + 1:close + 2] != ":":
        return False
    return bool(line[close + 2:].lstrip(" \t")[:1].strip())


def blank_comments(text: str) -> str:
    """HTML comments (``<!-- … -->``, possibly over several lines; an unclosed
    one runs to the end) replaced by their line breaks, so lines keep their numbers."""
    if "<!--" not in text:
        return text
    out: list[str] = []
    i = 0
    while True:
        at = text.find("<!--", i)
        if at < 0:
            break
        end = text.find("-->", at + 4)
        stop = len(text) if end < 0 else end + 3
        out.append(text[i:at])
        out.append("\n" * text.count("\n", at, stop))
        i = stop
    out.append(text[i:])
    return "".join(out)
