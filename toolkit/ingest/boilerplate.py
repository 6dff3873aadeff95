"""Lines of a web page that are not speech: the built-in drop rules.

Each rule is a predicate on one stripped line, a linear scan (the rules were
regular expressions once; one of them took quadratic time on a long line of
URL-like tokens).  ``tests/ingest/test_linear_rules.py`` checks each against
the regular expression it replaces on generated lines.

===================  =========================================================
rule                 drops
===================  =========================================================
``link-only``        a bare link: ``https://…``, ``<https://…>``, ``[text](url)``
``link-lead``        up to 8 words, then a link: ``Listen to podcast here- https://…``
``leave-comments``   ``Leave a comment``, ``Post comments``
``comment-prompt``   ``Leave a Reply``, ``12 comments``, ``Comments are closed``,
                     ``Let us know what you think in the comments``
``share-this``       ``Share this:``, ``Share on Facebook (Opens in new window)``
``related``          ``Related articles``, ``More from Field Notes``, ``Read more``
``no-words``         separators with no letter or digit (``* * *``, ``———``)
===================  =========================================================

A show's own rules (``[ingest] drop`` in ``show.toml``) replace these; they
are compiled with RE2 (:mod:`toolkit.patterns`), so they are linear too.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ..errors import ConfigError
from ..patterns import Pattern, compile_user
from .markdown import URL_STARTS

__all__ = ["BUILTIN_DROP_RULES", "Rule", "compile_rules"]

#: A rule: its name (what a dropped line is reported under) and its test.
Rule = tuple[str, Callable[[str], bool]]


def _is_word(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def _url_token(token: str, *, anywhere: bool) -> bool:
    """A URL start (``https://``, ``http://``, ``www.``) followed by at least one
    character, at the start of ``token`` (after an optional ``<``) or, with
    ``anywhere``, at any place in it."""
    if not anywhere:
        body = token[1:] if token.startswith("<") else token
        return any(body.startswith(s) and len(body) > len(s) for s in URL_STARTS)
    for start in URL_STARTS:
        at = token.find(start)
        while at >= 0:
            if at + len(start) < len(token):
                return True
            at = token.find(start, at + 1)
    return False


def _spaceless(text: str) -> bool:
    return not any(ch.isspace() for ch in text)


def link_only(line: str) -> bool:
    """``https://…``, ``<www.…>`` or ``[text](url)`` and nothing else."""
    if line.startswith("["):
        close = line.find("]")
        rest = line[close + 1:] if close >= 0 else ""
        return len(rest) >= 3 and rest[0] == "(" and rest[-1] == ")" and _spaceless(rest)
    return _spaceless(line) and _url_token(line, anywhere=False)


def link_lead(line: str) -> bool:
    """A short lead-in (at most 8 words), then a link as the last word."""
    words = line.split()
    if not words or len(words) > 9:
        return False
    return _url_token(words[-1], anywhere=len(words) <= 8)


_VERBS = ("leave", "post", "add", "write")


def leave_comments(line: str) -> bool:
    """``Leave a comment``, ``Post comments.``, ``Write a comment``."""
    words = line.lower().split()
    if len(words) == 3 and words[1] == "a":
        words = [words[0], words[2]]
    return len(words) == 2 and words[0] in _VERBS and words[1] in ("comment", "comments", "comment.", "comments.")


def _digits(text: str) -> bool:
    return bool(text) and text.isdecimal()


def _no_stop(text: str, most: int) -> bool:
    return len(text) <= most and not any(ch in ".!?" for ch in text)


def comment_prompt(line: str) -> bool:
    """What comment sections say (see the module doc)."""
    s = line.lower()
    plain = s[:-1] if s.endswith(".") else s
    if s in ("leave a reply", "cancel reply") or plain in (
            "no comments yet", "comments are closed", "join the discussion", "join the conversation"):
        return True
    for noun in ("comment (", "comments ("):
        if s.startswith(noun) and s.endswith(")") and _digits(s[len(noun):-1]):
            return True
    count, space, noun = s.partition(" ")
    if space and _digits(count) and noun in ("comment", "comments"):
        return True
    body = s[:-1] if s and s[-1] in ".!" else s
    for lead in ("let us know", "tell us"):
        tail = " in the comments"
        if body.startswith(lead) and body.endswith(tail) and len(body) >= len(lead) + len(tail):
            if _no_stop(body[len(lead):len(body) - len(tail)], 60):
                return True
    lead = "what do you think?"
    if body.startswith(lead) and body.endswith("comments") and len(body) >= len(lead) + len("comments"):
        return _no_stop(body[len(lead):len(body) - len("comments")], 60)
    return False


def _strip_colon(s: str) -> str:
    """``share this :`` → ``share this`` (an optional final colon, spaces before it)."""
    if s.endswith(":"):
        s = s[:-1]
    return s.rstrip()


def _share_on(s: str, lead: str) -> bool:
    """``share on <word>`` with an optional `` (opens in new window)``."""
    if not s.startswith(lead):
        return False
    rest = s[len(lead):]
    rest = rest.removesuffix(" (opens in new window)")
    return bool(rest) and all(_is_word(ch) for ch in rest)


_SHARE = frozenset({"share this", "like this", "share"} | {
    f"share this {what}" for what in ("article", "story", "post", "episode", "page")})


def share_this(line: str) -> bool:
    """Share buttons: ``Share this:``, ``Share on X``, ``Click to share on X (Opens in new window)``."""
    s = _strip_colon(line.lower())
    return s in _SHARE or _share_on(s, "share on ") or _share_on(s, "click to share on ")


_RELATED = frozenset({"related", "you may also like", "you might also like", "recommended", "recommended for you",
                      "read more", "see also", "further reading", "more stories", "popular posts",
                      "popular stories"} | {f"related {what}" for what in (
                          "article", "articles", "post", "posts", "stories", "episodes", "content", "reading")})


def related(line: str) -> bool:
    """"Related" boxes: ``Related articles``, ``More from <site>``, ``Read more``."""
    s = line.lower()
    if _strip_colon(s) in _RELATED:
        return True
    for lead in ("more from ", "more on "):
        # "more from <1–40 characters>", then the optional spaces and colon
        # (which the 1–40 characters may take too)
        rest = s[len(lead):]
        if s.startswith(lead) and rest and len(_strip_colon(rest)) <= 40 and _no_stop(rest, len(rest)):
            return True
    return False


def no_words(line: str) -> bool:
    """A separator: no letter and no digit at all (``***``, ``* * *``, ``———``)."""
    return bool(line) and not any(ch.isalnum() for ch in line)


#: The built-in rules, in the order they are tried (the first that matches names the drop).
BUILTIN_DROP_RULES: tuple[Rule, ...] = (
    ("link-only", link_only),
    ("link-lead", link_lead),
    ("leave-comments", leave_comments),
    ("comment-prompt", comment_prompt),
    ("share-this", share_this),
    ("related", related),
    ("no-words", no_words),
)


def _matcher(pattern: Pattern) -> Callable[[str], bool]:
    """A rule's predicate: ``pattern`` occurs in the line."""

    def matches(line: str) -> bool:
        return pattern.search(line) is not None

    return matches


def compile_rules(drop_rules: Sequence[str] | None) -> list[Rule]:
    """The built-in rules (``None``), or a show's own regular expressions
    compiled with RE2 (each named by its pattern); a bad one is a ConfigError."""
    if drop_rules is None:
        return list(BUILTIN_DROP_RULES)
    rules: list[Rule] = []
    for rx in drop_rules:
        try:
            pattern = compile_user(rx)
        except ValueError as exc:
            raise ConfigError(f"bad drop rule {rx[:80]!r}: {exc}") from None
        rules.append((rx, _matcher(pattern)))
    return rules
