"""The one URL policy for configuration, feeds and pages.

A URL the toolkit publishes (``base_url``, ``link``, a speaker's ``href`` and
``img``, every URL in the feeds and pages) must be:

* absolute, with the scheme ``http`` or ``https`` and a host (``mailto:`` with
  one email address only where an email goes: :func:`url_problem` with
  ``mailto=True``);
* free of whitespace, quotes (``"`` ``'`` `````), angle brackets, backslashes,
  control characters and invisible format characters (bidi controls, zero
  width …) — none of them has a place in a real URL, and each is how markup
  or a spoofed address gets in;
* parseable by :func:`urllib.parse.urlsplit`, with a valid port and no user
  name or password (``https://bank.example@evil.example/``);
* at most :data:`MAX_LENGTH` characters.

``base_url`` additionally has no query or fragment (paths are appended to it).
Config values are checked when ``show.toml`` / ``episode.toml`` is read;
``toolkit check`` checks the same policy on every URL in the published feeds.
Relative references (``../index.html``) are allowed only on pages, through
:func:`page_url_problem`.

    >>> url_problem("https://example.org/a b")
    'contains whitespace'
    >>> url_problem("javascript:alert(1)")
    "scheme 'javascript' is not allowed (only http or https)"
    >>> url_problem("https://example.org/podcast") is None
    True
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

__all__ = ["MAX_LENGTH", "url_problem", "base_url_problem", "page_url_problem", "email_problem"]

MAX_LENGTH = 2048
_FORBIDDEN = {'"': "a quote", "'": "a quote", "`": "a quote", "<": "an angle bracket",
              ">": "an angle bracket", "\\": "a backslash"}
_HOST = re.compile(r"^(?:[^\W_](?:[\w-]*[^\W_])?)(?:\.[^\W_](?:[\w-]*[^\W_])?)*\.?$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
#: Printable ASCII without space and the characters of ``_FORBIDDEN``: every one
#: passes the loop of :func:`_characters`, so a URL made only of them (nearly
#: every URL a site holds) is checked by one match instead of per character.
_PLAIN_ASCII = re.compile(r"[\x21\x23-\x26\x28-\x3b\x3d\x3f-\x5b\x5d-\x5f\x61-\x7e]*")


def _characters(value: str) -> str | None:
    if len(value) > MAX_LENGTH:
        return f"longer than {MAX_LENGTH} characters"
    if _PLAIN_ASCII.fullmatch(value):
        return None
    return _each_character(value)


def _each_character(value: str) -> str | None:
    for ch in value:
        if ch.isspace():
            return "contains whitespace"
        if ch in _FORBIDDEN:
            return f"contains {_FORBIDDEN[ch]} ({ch})"
        category = unicodedata.category(ch)
        if category == "Cc":
            return f"contains the control character U+{ord(ch):04X}"
        if category in ("Cf", "Cs", "Co", "Cn"):
            return f"contains the invisible or unassigned character U+{ord(ch):04X}"
    return None


def email_problem(value: str) -> str | None:
    """Why ``value`` is not a plain email address (None when it is)."""
    problem = _characters(value)
    if problem:
        return problem
    if not _EMAIL.match(value) or any(c in value for c in ",;?&=/:%"):
        return "is not an email address"
    return None


def url_problem(value: object, *, mailto: bool = False) -> str | None:
    """Why ``value`` breaks the URL policy (None when it is acceptable)."""
    if not isinstance(value, str) or not value:
        return "is empty"
    problem = _characters(value)
    if problem:
        return problem
    try:
        parts = urlsplit(value)
        port = parts.port  # ValueError for a port out of range or not a number
    except ValueError as exc:
        return f"cannot be parsed ({exc})"
    scheme = parts.scheme.lower()
    if mailto and scheme == "mailto":
        if parts.query or parts.fragment or email_problem(parts.path):
            return "a mailto: URL must hold one email address and nothing else"
        return None
    allowed = "http, https or mailto" if mailto else "http or https"
    if not scheme:
        return "is not an absolute URL (it must start with https:// or http://" + (
            ", or be mailto:" if mailto else "") + ")"
    if scheme not in ("http", "https"):
        return f"scheme {scheme!r} is not allowed (only {allowed})"
    if not value.lower().startswith(scheme + "://"):
        return f"must start with {scheme}://"
    if "@" in parts.netloc:
        return "must not contain a user name or password (…@ before the host)"
    host = parts.hostname or ""
    if not host:
        return "has no host"
    if not (host.startswith("[") or ":" in host or _HOST.match(host)):
        return f"host {host!r} is not a valid host name"
    if port == 0:
        return "port 0 is not a valid port"
    return None


def base_url_problem(value: str) -> str | None:
    """:func:`url_problem` plus: no query or fragment (paths are appended to it)."""
    problem = url_problem(value)
    if problem:
        return problem
    parts = urlsplit(value)
    if parts.query or parts.fragment or value.endswith(("?", "#")):
        return "must not have a query (?…) or fragment (#…): file paths are appended to it"
    return None


def page_url_problem(value: str) -> str | None:
    """The policy for an ``href``/``src`` on a page: an absolute URL as
    :func:`url_problem` (``mailto:`` allowed), or a relative reference
    (``../index.html``, ``#transcript``) with the same character rules."""
    problem = _characters(value)
    if problem:
        return problem
    head = re.split(r"[/?#]", value, maxsplit=1)[0]
    if ":" in head:  # has a scheme: absolute
        return url_problem(value, mailto=True)
    return None
