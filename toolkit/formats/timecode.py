"""Every timestamp the toolkit reads or writes, in one place.

Times are integer milliseconds everywhere else; this module turns them into
the spellings of each format and back:

============================  ===================  ==============================
function                      example              used by
============================  ===================  ==============================
:func:`vtt`                   ``01:02:03.004``     WebVTT cue timings, PO comments
:func:`srt`                   ``01:02:03,004``     SubRip
:func:`sbv`                   ``1:02:03.004``      YouTube SBV
:func:`clock`                 ``01:02:03``         report lines (alignment, errors)
:func:`short_clock`           ``1:02:03``/``2:03`` transcript pages
:func:`iso_duration`          ``PT1H2M3.004S``     ``<time datetime>`` on pages
:func:`seconds`               ``3723.004``         JSON (Podcast Index, chapters)
============================  ===================  ==============================

Readers: :func:`collect_vtt` implements the W3C "collect a WebVTT timestamp"
steps (a one-digit hour is fine, minutes and seconds are exactly two digits
and at most 59, exactly three fraction digits); :func:`parse_srt` the tolerant
SubRip form (``,`` or ``.`` before exactly three digits); :func:`parse_clock`
the loose clock times of turn-stamped transcripts (``1:07``, ``00:01:07``,
``01:07.5``).  All are linear scans, no regular expressions that could
backtrack.
"""

from __future__ import annotations

import math

__all__ = [
    "vtt",
    "srt",
    "sbv",
    "clock",
    "short_clock",
    "iso_duration",
    "seconds",
    "from_seconds",
    "collect_vtt",
    "parse_vtt",
    "parse_srt",
    "parse_clock",
    "MAX_HOURS",
    "MAX_MS",
    "out_of_range",
]

_H = 3_600_000
_M = 60_000

#: The largest hour any reader accepts (webvtt-py draws the same line): a
#: longer hour field is out of range, never converted (a 5000-digit number
#: would take Python's integer conversion past its limit).
MAX_HOURS = 9_999_999_999
#: The largest time in ms any reader accepts.
MAX_MS = (MAX_HOURS + 1) * _H - 1
_HOUR_DIGITS = len(str(MAX_HOURS))


def _split(ms: int) -> tuple[int, int, int, int]:
    ms = max(0, int(ms))
    h, rest = divmod(ms, _H)
    m, rest = divmod(rest, _M)
    s, milli = divmod(rest, 1000)
    return h, m, s, milli


def vtt(ms: int) -> str:
    """``HH:MM:SS.mmm`` (always with hours; more than two digits past 99 h)."""
    return "%02d:%02d:%02d.%03d" % _split(ms)  # one C call; f-string fields cost twice as much


def srt(ms: int) -> str:
    """``HH:MM:SS,mmm``."""
    return "%02d:%02d:%02d,%03d" % _split(ms)


def sbv(ms: int) -> str:
    """``H:MM:SS.mmm`` (YouTube's SBV spelling: unpadded hours)."""
    h, m, s, milli = _split(ms)
    return f"{h}:{m:02d}:{s:02d}.{milli:03d}"


def clock(ms: int) -> str:
    """``HH:MM:SS`` (whole seconds, rounded down) for report lines."""
    h, m, s, _ = _split(ms)
    return f"{h:02d}:{m:02d}:{s:02d}"


def short_clock(ms: int | None) -> str:
    """``65000`` → ``1:05``; ``3723000`` → ``1:02:03`` (what a player shows)."""
    h, m, s, _ = _split(ms or 0)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def iso_duration(ms: int | None) -> str:
    """A valid HTML ``<time datetime>`` duration: ``PT1H2M3.500S``, ``PT1M0S``."""
    total = max(int(ms or 0), 0)
    secs, millis = divmod(total, 1000)
    h, rest = divmod(secs, 3600)
    m, s = divmod(rest, 60)
    out = "PT"
    if h:
        out += f"{h}H"
    if m:
        out += f"{m}M"
    out += f"{s}.{millis:03d}S".replace(".000S", "S")
    return out


def seconds(ms: int) -> float:
    """Milliseconds → seconds with millisecond precision (for JSON)."""
    return round(ms / 1000.0, 3)


def from_seconds(value: float) -> int:
    """Seconds (a JSON number) → milliseconds, rounded; ValueError when not
    finite, negative or past :data:`MAX_MS` (``1e308``)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ValueError(f"not a time in seconds: {value!r}")
    if value < 0:
        raise ValueError(f"negative time {value}")
    if value > MAX_MS / 1000:
        raise ValueError(f"time {value:g} s is out of range (at most {MAX_HOURS:,} hours)")
    return min(round(value * 1000), MAX_MS)


# --------------------------------------------------------------------------- readers


def _digits(text: str, pos: int) -> int:
    """Index just past the run of ASCII digits starting at ``pos``."""
    n = len(text)
    while pos < n and "0" <= text[pos] <= "9":
        pos += 1
    return pos


def collect_vtt(text: str, pos: int = 0) -> tuple[int, int] | None:
    """W3C "collect a WebVTT timestamp" at ``pos``: ``(ms, position after it)`` or None.

    ``[h…h:]mm:ss.ttt`` — hours are any number of digits (and required when
    the first field is not exactly two digits or exceeds 59), minutes and
    seconds exactly two digits ≤ 59, exactly three fraction digits.  An hour
    past :data:`MAX_HOURS` is out of range: None, as for any timestamp that
    cannot be collected (see :func:`out_of_range`).
    """
    n = len(text)
    if pos >= n or not ("0" <= text[pos] <= "9"):
        return None
    end = _digits(text, pos)
    first = text[pos:end]
    if len(first.lstrip("0")) > _HOUR_DIGITS:
        return None  # never converted: past MAX_HOURS whatever follows
    hours_given = len(first) != 2 or int(first) > 59
    pos = end
    if pos >= n or text[pos] != ":":
        return None
    end = _digits(text, pos + 1)
    second = text[pos + 1 : end]
    if len(second) != 2:
        return None
    pos = end
    if hours_given or (pos < n and text[pos] == ":"):
        if pos >= n or text[pos] != ":":
            return None
        end = _digits(text, pos + 1)
        third = text[pos + 1 : end]
        if len(third) != 2:
            return None
        pos = end
        h, m, s = int(first), int(second), int(third)
    else:
        h, m, s = 0, int(first), int(second)
    if pos >= n or text[pos] != ".":
        return None
    end = _digits(text, pos + 1)
    frac = text[pos + 1 : end]
    if len(frac) != 3:
        return None
    if m > 59 or s > 59 or h > MAX_HOURS:
        return None
    return ((h * 60 + m) * 60 + s) * 1000 + int(frac), end


def out_of_range(text: str) -> bool:
    """Does ``text`` hold a run of digits too long for any time field (a
    timestamp past :data:`MAX_HOURS`)?  For messages: "out of range" says more
    than "malformed"."""
    run = 0
    for ch in text:
        if "0" <= ch <= "9":
            run += 1
            if run > _HOUR_DIGITS:
                return True
        else:
            run = 0
    return False


def parse_vtt(text: str) -> int | None:
    """A whole string that is one WebVTT timestamp → ms, else None."""
    got = collect_vtt(text, 0)
    if got is None or got[1] != len(text):
        return None
    return got[0]


def parse_srt(text: str) -> int | None:
    """``HH:MM:SS,mmm`` (or ``.mmm``; 1–3 hour digits) → ms, else None."""
    parts = text.split(":")
    if len(parts) != 3:
        return None
    h, m, rest = parts
    sep = "," if "," in rest else "."
    s, dot, frac = rest.partition(sep)
    if not dot:
        return None
    if not (1 <= len(h) <= 3 and h.isascii() and h.isdigit()):
        return None
    if not all(len(x) == 2 and x.isascii() and x.isdigit() for x in (m, s)):
        return None
    if not (len(frac) == 3 and frac.isascii() and frac.isdigit()):
        return None
    if int(m) > 59 or int(s) > 59:
        return None
    return ((int(h) * 60 + int(m)) * 60 + int(s)) * 1000 + int(frac)


def parse_clock(text: str) -> int | None:
    """A loose clock time ``[h:]m:ss[.f]`` → ms, else None.

    What transcription services print at turns: ``0:07``, ``1:07``,
    ``00:01:07``, ``1:02:03``, ``01:07.5``, ``00:01:07.250``.  Minutes and
    seconds after the first field must be two digits ≤ 59; hours and a
    leading minutes field take 1–3 digits.
    """
    body, dot, frac = text.partition(".")
    if dot and not (1 <= len(frac) <= 3 and frac.isascii() and frac.isdigit()):
        return None
    fields = body.split(":")
    if not 2 <= len(fields) <= 3:
        return None
    if not (1 <= len(fields[0]) <= 3 and fields[0].isascii() and fields[0].isdigit()):
        return None
    if not all(len(f) == 2 and f.isascii() and f.isdigit() and int(f) <= 59 for f in fields[1:]):
        return None
    values = [int(f) for f in fields]
    if len(values) == 2:
        values.insert(0, 0)
    h, m, s = values
    milli = int(frac.ljust(3, "0")) if dot else 0
    return ((h * 60 + m) * 60 + s) * 1000 + milli
