"""The linear scans of the text reader against the regular expressions they replace.

Issue 10: the Markdown link rule backtracked for minutes on a 30-character
unclosed link, the ``link-lead`` boilerplate rule took quadratic time on a
long line of URL-like tokens.  Both, and every other regular expression of
the text reader, became scans (``toolkit.ingest.markdown``,
``toolkit.ingest.boilerplate``).  This module keeps the old expressions as
the oracle and checks, on generated *short* lines (where backtracking is
still cheap), that each scan decides exactly as its expression did.  The one
intended difference: a code span closes only on a run of backticks of its
own length (CommonMark), where the old ``(`+)(.+?)\\1`` also closed on part of
a longer run; generated lines with backticks are compared with that in mind.

No timing here: that the scans stay fast on long hostile lines is what
``tests/fuzz/test_fuzz_readers.py`` checks (1 s deadline per input) and
``bench/bench_sizes.py`` measures.
"""

from __future__ import annotations

import html
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from toolkit.ingest import boilerplate, markdown
from toolkit.ingest.sentences import _upper_initialism, normalize_space

# --------------------------------------------------------------------------- the old expressions (oracle)

_URL = r"(?:https?://|www\.)\S+"
OLD_DROP_RULES: tuple[tuple[str, str], ...] = (
    ("link-only", rf"^(?:<?{_URL}>?|\[[^\]]*\]\(\S+\))$"),
    ("link-lead", rf"^(?:\S+\s+){{0,7}}\S*?[-–—:]?\s*<?{_URL}>?$"),
    ("leave-comments", r"(?i)^(?:leave|post|add|write)\s+(?:a\s+)?comments?\.?$"),
    ("comment-prompt", r"(?i)^(?:leave a reply|cancel reply|comments? \(\d+\)|\d+ comments?|no comments yet\.?"
                       r"|comments are closed\.?|join the (?:discussion|conversation)\.?"
                       r"|(?:let us know|tell us)[^.!?]{0,60} in the comments[.!]?"
                       r"|what do you think\?[^.!?]{0,60}comments[.!]?)$"),
    ("share-this", r"(?i)^(?:share this(?: (?:article|story|post|episode|page))?|share on \w+"
                   r"(?: \(opens in new window\))?"
                   r"|click to share on \w+(?: \(opens in new window\))?|like this|share)\s*:?$"),
    ("related", r"(?i)^(?:related(?: (?:articles?|posts?|stories|episodes|content|reading))?"
                r"|more (?:from|on) [^.!?]{1,40}"
                r"|you (?:may|might) also like|recommended(?: for you)?|read more|see also|further reading"
                r"|more stories|popular (?:posts|stories))\s*:?$"),
    ("no-words", r"^[\W_]+$"),
)

_ESCAPABLE = re.compile(r"\\([!-/:-@\[-`{-~])")
_PRIVATE = 0xE000
_INLINE_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"!\[[^\]]*\]\([^)]*\)"), ""),
    (re.compile(r"\[([^\]]+)\]\((?:[^()\s]+|\([^)]*\))*(?:\s+(?:\"[^\"]*\"|'[^']*'))?\)"), r"\1"),
    (re.compile(r"\[([^\]]+)\]\[[^\]]*\]"), r"\1"),
    (re.compile(rf"<({_URL[:-3]}[^>\s]+)>"), r"\1"),
    (re.compile(r"(`+)(.+?)\1"), r"\2"),
    (re.compile(r"\*\*(?!\s)(.+?)(?<!\s)\*\*"), r"\1"),
    (re.compile(r"(?<!\w)__(?!\s)(.+?)(?<!\s)__(?!\w)"), r"\1"),
    (re.compile(r"(?<![\w*])\*(?![\s*])(.+?)(?<![\s*])\*(?![\w*])"), r"\1"),
    (re.compile(r"(?<![\w_])_(?![\s_])(.+?)(?<![\s_])_(?![\w_])"), r"\1"),
    (re.compile(r"~~(?!\s)(.+?)(?<!\s)~~"), r"\1"),
    (re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>"), ""),
)


def old_strip(text: str, *, code: bool = True) -> str:
    text = _ESCAPABLE.sub(lambda m: chr(_PRIVATE + ord(m.group(1))), text)
    for pattern, repl in _INLINE_RULES:
        if code or pattern.pattern != r"(`+)(.+?)\1":
            text = pattern.sub(repl, text)
    text = html.unescape(text)
    return re.sub("[\ue000-\ue07f]", lambda m: chr(ord(m.group(0)) - _PRIVATE), text)


_MD_HEADING = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_MD_SETEXT = re.compile(r"^ {0,3}(?:=+|-+)[ \t]*$")
_MD_BREAK = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_MD_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_MD_QUOTE = re.compile(r"^ {0,3}>[ \t]?")
_MD_LIST = re.compile(r"^ {0,3}(?:[-*+]|\d{1,9}[.)])[ \t]+")
_MD_REFDEF = re.compile(r"^ {0,3}\[[^\]]+\]:[ \t]*\S+")

# --------------------------------------------------------------------------- generated lines

SETTINGS = settings(max_examples=1500, deadline=None, database=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow])

_BOILER_TOKENS = ["https://", "http://", "www.", "x.org", "<", ">", "[", "]", "(", ")", " ", "  ", "\t", "-", "—",
                  ":", ".", "!", "?", "a", "Listen", "here", "leave", "Leave", "post", "add", "write", "a ",
                  "comment", "comments", "reply", "cancel", "(12)", "12", "no", "yet", "are closed", "join the",
                  "discussion", "conversation", "let us know", "tell us", " in the comments", "what do you think?",
                  "share", "Share this", "this", "article", "story", "on", "facebook", "click to",
                  "(opens in new window)", "like", "related", "Related", "articles", "posts", "more", "from",
                  "More from", "you may also like", "you might", "recommended", "for you", "read more",
                  "see also", "further reading", "stories", "popular", "*", "_", "é", "١", "\u00a0"]
boiler_lines = st.lists(st.sampled_from(_BOILER_TOKENS), max_size=12).map("".join).map(str.strip)

_MD_TOKENS = ["[", "]", "(", ")", "![", "](", "][", "<", ">", "</", "/>", "`", "``", "*", "**", "_", "__", "~~",
              "\\", "\\*", "\\[", "&amp;", "&lt;", "&#42;", "\"", "'", " ", "\t", "a", "b", "word", "x_y", "2*3",
              "https://", "www.", "x.org", "span", "b class=\"c\"", "br", "#", "é", "\u00a0"]
md_lines = st.lists(st.sampled_from(_MD_TOKENS), max_size=14).map("".join)

_BLOCK_TOKENS = [" ", "  ", "   ", "    ", "\t", "#", "##", "######", "#######", "=", "==", "-", "--", "*", "_",
                 "`", "```", "~~~", ">", "> ", "1.", "12)", "1234567890.", "١.", "+", "[", "]", ":", "x",
                 "Title", "http://x"]
block_lines = st.lists(st.sampled_from(_BLOCK_TOKENS), max_size=10).map("".join)


@SETTINGS
@given(line=boiler_lines)
def test_each_boilerplate_rule_decides_as_its_regex_did(line: str) -> None:
    for (name, test), (old_name, rx) in zip(boilerplate.BUILTIN_DROP_RULES, OLD_DROP_RULES, strict=True):
        assert name == old_name
        assert test(line) == bool(re.search(rx, line)), (name, line)


@SETTINGS
@given(line=md_lines)
def test_inline_markup_is_stripped_as_before(line: str) -> None:
    if "`" in line:
        # code spans: CommonMark runs (see the module doc); the rest is the same
        assert markdown.strip_inline(line.replace("`", "")) == old_strip(line.replace("`", ""))
    else:
        assert markdown.strip_inline(line) == old_strip(line), line


def test_code_spans_close_on_a_run_of_the_same_length() -> None:
    assert markdown.strip_inline("say `x` and ``a`b``") == "say x and a`b"
    assert markdown.strip_inline("``a`") == "``a`"  # the old rule made it "`a"
    assert markdown.strip_inline("`a` `b`") == "a b"


@SETTINGS
@given(line=block_lines)
def test_block_syntax_is_recognised_as_before(line: str) -> None:
    m = _MD_HEADING.match(line)
    assert markdown.heading(line) == ((len(m.group(1)), m.group(2)) if m else None), line
    assert markdown.is_setext_underline(line) == bool(_MD_SETEXT.match(line))
    assert markdown.is_thematic_break(line) == bool(_MD_BREAK.match(line))
    m = _MD_FENCE.match(line)
    assert markdown.fence(line) == (m.group(1) if m else None)
    expected = _MD_QUOTE.sub("", line, count=1) if _MD_QUOTE.match(line) else None
    assert markdown.strip_quote(line) == expected
    unquoted = line
    while _MD_QUOTE.match(unquoted):
        unquoted = _MD_QUOTE.sub("", unquoted, count=1)
    assert markdown.strip_quotes(line) == unquoted
    assert markdown.strip_list_marker(line) == _MD_LIST.sub("", line)
    assert markdown.is_reference_definition(line) == bool(_MD_REFDEF.match(line))


@SETTINGS
@given(text=st.lists(st.sampled_from(["<!--", "-->", "<!-", "--", ">", "\n", "a", " ", "<"]), max_size=16)
       .map("".join))
def test_comments_are_blanked_as_before(text: str) -> None:
    expected = re.sub(r"<!--.*?(?:-->|\Z)", lambda m: "\n" * m.group(0).count("\n"), text, flags=re.S)
    assert markdown.blank_comments(text) == expected


@SETTINGS
@given(text=st.lists(st.sampled_from(["http://", "https://", "www.", " ", "\t", "x", ".", "\u00a0"]), max_size=8)
       .map("".join))
def test_url_test_as_before(text: str) -> None:
    assert markdown.has_url(text) == bool(re.search(_URL, text))


@SETTINGS
@given(text=st.text(alphabet=" \t\n\u00a0\u2003\x1c\x85ab", max_size=12))
def test_space_normalising_as_before(text: str) -> None:
    assert normalize_space(text) == re.sub(r"\s+", " ", text).strip()


@SETTINGS
@given(word=st.text(alphabet="ABZa.É", max_size=9))
def test_initialisms_as_before(word: str) -> None:
    assert _upper_initialism(word) == bool(re.fullmatch(r"(?:[A-Z]\.)+[A-Z]", word))


_KNOWN = [
    "Leave Comments", "leave a comment", "Post comments.", "Write  a   comment", "add comment .", "leave a reply",
    "Leave a Reply", "Cancel reply", "Comments (12)", "comment (١٢)", "12 comments", "1 comment", "12 comments.",
    "No comments yet.", "no comments yet", "Comments are closed.", "Join the discussion", "join the conversation.",
    "Let us know what you think in the comments!", "Tell us in the comments", "tell us. in the comments",
    "Let us know " + "x" * 60 + " in the comments", "Let us know " + "x" * 61 + " in the comments",
    "What do you think? Share in the comments.", "what do you think?comments", "Share this:", "share this :",
    "Share this article", "Share on Facebook (Opens in new window)", "Click to share on Twitter", "Like this:",
    "Share", "share on", "Related", "Related articles:", "More from Field Notes", "more on :", "more from " + "y" * 40,
    "more from " + "y" * 41, "more from " + "y" * 40 + " :", "You may also like", "Recommended for you", "Read more",
    "See also:", "Further reading", "More stories", "Popular posts", "* * *", "———", "_", "https://x.org",
    "<https://x.org>", "[a link](https://x.org)", "[a](b c)", "Listen to podcast here- https://youtu.be/x",
    "one two three four five six seven eight https://x", "one two three four five six seven eight nine https://x",
    "1 2 3 4 5 6 7 8 <https://x", "1 2 3 4 5 6 7 8 x<https://x", "www.", "www.x", "a www.x",
]


def test_each_boilerplate_rule_on_known_lines() -> None:
    hits = set()
    for line in _KNOWN:
        for (name, test), (_, rx) in zip(boilerplate.BUILTIN_DROP_RULES, OLD_DROP_RULES, strict=True):
            assert test(line) == bool(re.search(rx, line)), (name, line)
            if test(line):
                hits.add(name)
    assert hits == {name for name, _ in OLD_DROP_RULES}  # every rule fires on some line
