"""Text as it is spoken, for alignment only (the published text never changes).

A forced aligner must know what is *said*: ``$4,500`` is five words, ``2017``
is "twenty seventeen" (or "two thousand seventeen"), ``Dr.`` is "doctor",
``12%`` is "twelve percent".  :func:`spoken_words` turns each whitespace word
of a sentence into a :class:`TextWord` with one or more **alternative** spoken
forms; the forced aligner's grammar offers them all and the audio decides.
Numbers are spelled with ``num2words`` (many languages); the abbreviation and
currency rules here are English (the language of the forced aligner).

:func:`spoken_weight` is the expected relative speaking time of a text (letters
of its spoken form), used by the pause aligner and by proportional re-timing:
``4,500`` weighs like "four thousand five hundred", not like four characters.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

log = logging.getLogger(__name__)

__all__ = ["TextWord", "spoken_words", "spoken_weight", "split_words"]

Form = tuple[str, ...]

_EDGE = "\"'“”‘’«»„‚‹›()[]{}<>.,;:!?…¡¿—–-*_~/\\|"
_CURRENCY = {"$": ("dollar", "dollars"), "£": ("pound", "pounds"), "€": ("euro", "euros"),
             "¥": ("yen", "yen"), "₹": ("rupee", "rupees")}
_CENTS = {"$": ("cent", "cents"), "£": ("penny", "pence"), "€": ("cent", "cents")}
_SCALE = {"k": "thousand", "m": "million", "bn": "billion", "b": "billion", "million": "million",
          "billion": "billion", "thousand": "thousand", "trillion": "trillion"}
_ABBREV: dict[str, tuple[Form, ...]] = {
    "dr.": (("doctor",), ("drive",)), "mr.": (("mister",),), "mrs.": (("missus",),), "ms.": (("miz",),),
    "st.": (("saint",), ("street",)), "prof.": (("professor",),), "jr.": (("junior",),), "sr.": (("senior",),),
    "mt.": (("mount",),), "ft.": (("feet",), ("fort",)), "no.": (("number",),), "vs.": (("versus",),),
    "vs": (("versus",),), "etc.": (("et", "cetera"),), "e.g.": (("for", "example"), ("e", "g")),
    "e.g": (("for", "example"), ("e", "g")), "i.e.": (("that", "is"), ("i", "e")), "i.e": (("that", "is"), ("i", "e")),
    "approx.": (("approximately",),), "dept.": (("department",),), "gen.": (("general",),),
    "lt.": (("lieutenant",),), "capt.": (("captain",),), "sgt.": (("sergeant",),), "ave.": (("avenue",),),
    "rd.": (("road",),), "jan.": (("january",),), "feb.": (("february",),), "mar.": (("march",),),
    "apr.": (("april",),), "aug.": (("august",),), "sept.": (("september",),), "sep.": (("september",),),
    "oct.": (("october",),), "nov.": (("november",),), "dec.": (("december",),), "inc.": (("incorporated",),),
    "ltd.": (("limited",),), "co.": (("company",),), "&": (("and",),), "+": (("plus",),), "=": (("equals",),),
    "@": (("at",),), "km": (("kilometres",),), "kg": (("kilograms",),), "cm": (("centimetres",),),
    "mm": (("millimetres",),), "mph": (("miles", "per", "hour"),), "km/h": (("kilometres", "per", "hour"),),
}
_ORDINAL = re.compile(r"^(\d+)(st|nd|rd|th)$", re.I)
_TIME = re.compile(r"^(\d{1,2}):(\d{2})(am|pm|a\.m\.|p\.m\.)?$", re.I)
_MONEY = re.compile(r"^([$£€¥₹])(\d[\d,]*)(\.\d+)?(k|m|bn|b)?$", re.I)
_PERCENT = re.compile(r"^(\d[\d,]*)(\.\d+)?%$")
_DECADE = re.compile(r"^(1[0-9]|20)(\d0)'?s$")
_NUMBER = re.compile(r"^\d{1,3}(,\d{3})+(\.\d+)?$|^\d+(\.\d+)?$")
_DOTTED = re.compile(r"^([A-Za-z]\.){2,}$")
_PIECES = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+(?:'[^\W\d_]+)*|[^\w\s]", re.UNICODE)


@dataclass(frozen=True)
class TextWord:
    """One whitespace word of a sentence and what may be said for it.

    ``forms`` are alternatives, each a sequence of lower-case spoken words; an
    empty tuple means nothing is spoken for it (a lone dash, an emoji).
    """

    text: str
    forms: tuple[Form, ...]

    @property
    def silent(self) -> bool:
        return not self.forms


def split_words(text: str) -> list[str]:
    """The word units of a sentence: NFC whitespace words (what the cue segmenter cuts at)."""
    return unicodedata.normalize("NFC", text).split()


def _base(lang: str) -> str:
    return lang.lower().replace("_", "-").split("-")[0]


@lru_cache(maxsize=4096)
def _num(value: str, lang: str, to: str = "cardinal") -> Form | None:
    """num2words as a tuple of plain words (hyphens and commas removed), None if unsupported."""
    try:
        from num2words import num2words  # only when a number is spoken out (import time)
    except ImportError:  # pragma: no cover - a declared dependency
        return None
    try:
        number: int | float = float(value) if "." in value else int(value)
        words = num2words(number, lang=lang, to=to)
    except (NotImplementedError, OverflowError, ValueError, TypeError, KeyError, AttributeError):
        return None
    return tuple(w for w in re.split(r"[\s,\-]+", words.lower()) if w)


def _cardinal_forms(digits: str, lang: str) -> tuple[Form, ...]:
    """A plain number, with and without the British "and" ("one hundred and one")."""
    clean = digits.replace(",", "")
    main = _num(clean, lang)
    if main is None:
        return (tuple(digits),)
    forms = [main]
    if "and" in main:
        forms.append(tuple(w for w in main if w != "and"))
    elif lang == "en" and len(main) > 2 and "hundred" in main[:-1]:
        k = main.index("hundred")
        forms.append(main[: k + 1] + ("and",) + main[k + 1:])
    return tuple(dict.fromkeys(forms))


def _year_forms(digits: str, lang: str) -> tuple[Form, ...]:
    forms: list[Form] = []
    year = _num(digits, lang, "year")
    if year:
        forms.append(year)
        if "and" in year:
            forms.append(tuple(w for w in year if w != "and"))
        if lang == "en" and digits[2] == "0" and digits[3] != "0":  # 1905: "nineteen oh five"
            head = _num(digits[:2], lang) or ()
            forms.append(head + ("oh",) + (_num(digits[3], lang) or ()))
    forms.extend(_cardinal_forms(digits, lang))
    return tuple(dict.fromkeys(forms))


def _plural(word: str) -> str:
    if word.endswith("y"):
        return word[:-1] + "ies"
    return word + "s"


def _money_forms(m: re.Match[str]) -> tuple[Form, ...]:
    """``$4.50``, ``€2 million``: the amount, the unit, and the cents said each way."""
    sym, whole, frac, scale = m.groups()
    unit_one, unit_many = _CURRENCY[sym]
    amount = _cardinal_forms(whole, "en")
    if scale:
        return tuple(a + (_SCALE[scale.lower()], unit_many) for a in amount)
    unit = unit_one if whole.replace(",", "") == "1" else unit_many
    forms: list[Form] = []
    for a in amount:
        if frac and len(frac) == 3 and sym in _CENTS:
            cents = _num(frac[1:].lstrip("0") or "0", "en") or ()
            cent_word = _CENTS[sym][0] if frac[1:] == "01" else _CENTS[sym][1]
            forms.append(a + (unit,) + cents)  # "four dollars fifty"
            forms.append(a + (unit, "and") + cents + (cent_word,))
            forms.append(a + ("point",) + tuple(_num(d, "en")[0] for d in frac[1:]) + (unit_many,))  # type: ignore[index]
        elif frac:
            forms.append(a + ("point",) + tuple(_num(d, "en")[0] for d in frac[1:]) + (unit_many,))  # type: ignore[index]
        else:
            forms.append(a + (unit,))
    return tuple(forms)


def _time_forms(m: re.Match[str]) -> tuple[Form, ...]:
    """``9:05am``: "nine oh five a m"; ``10:00``: "ten", "ten o'clock", "ten hundred"."""
    h, mins, ampm = m.groups()
    hour = _num(str(int(h)), "en") or ()
    tail = tuple(ch for ch in (ampm or "").lower() if ch.isalpha())
    if mins == "00":
        return (hour + tail, hour + ("o'clock",) + tail, hour + ("hundred",) + tail)
    if mins[0] == "0":
        return (hour + ("oh",) + (_num(mins[1], "en") or ()) + tail,)
    return (hour + (_num(mins, "en") or ()) + tail,)


def _english_rules(core: str, raw: str) -> tuple[Form, ...] | None:
    low = raw.lower().strip("\"'“”‘’()[]")
    if low in _ABBREV:
        return _ABBREV[low]
    if core.lower() in _ABBREV and raw.rstrip("\"'”’)").endswith("."):
        return _ABBREV[core.lower()]
    if m := _MONEY.match(core):
        return _money_forms(m)
    if m := _PERCENT.match(core):
        whole, frac = m.groups()
        base = _cardinal_forms(whole + (frac or ""), "en")
        return tuple(b + ("percent",) for b in base)
    if m := _ORDINAL.match(core):
        return (_num(m.group(1), "en", "ordinal") or (core.lower(),),)
    if m := _TIME.match(core):
        return _time_forms(m)
    m = _DECADE.match(core)
    if m:
        year = _num(m.group(1) + m.group(2), "en", "year") or ()
        if year:
            return (year[:-1] + (_plural(year[-1]),),)
    if _DOTTED.match(raw.strip("\"'“”‘’()[],;:!?")):
        return (tuple(ch.lower() for ch in raw if ch.isalpha()),)
    return None


def _digits_forms(core: str, lang: str) -> tuple[Form, ...]:
    if re.fullmatch(r"\d{4}", core) and 1100 <= int(core) <= 2099:
        return _year_forms(core, lang)
    if _NUMBER.match(core):
        return _cardinal_forms(core, lang)
    return (tuple(core),)


def _pieces_forms(core: str, lang: str) -> tuple[Form, ...]:
    """Words with digits or symbols inside ("MP3", "24/7", "well-known"): each piece on its own."""
    seq: list[tuple[Form, ...]] = []
    for piece in _PIECES.findall(core):
        if piece[0].isdigit():
            seq.append(_digits_forms(piece, lang))
        elif piece[0].isalpha():
            if piece.isupper() and 1 < len(piece) <= 4 and lang == "en" and any(c.isdigit() for c in core):
                seq.append((tuple(piece.lower()),))
            else:
                seq.append(((piece.lower(),),))
        elif lang == "en" and piece in _ABBREV:
            seq.append(_ABBREV[piece])
    forms: list[Form] = [()]
    for alts in seq:
        forms = [f + a for f in forms for a in alts][:8]
    return tuple(f for f in dict.fromkeys(forms) if f) or ()


def _word(raw: str, lang: str) -> TextWord:
    text = raw
    raw = raw.replace("’", "'").replace("‘", "'")
    core = raw.strip(_EDGE)
    if raw in ("&", "+", "=", "@") or raw.rstrip(".") in ("&",):
        core = raw
    if lang == "en":
        hit = _english_rules(core, raw)
        if hit is not None:
            return TextWord(text, hit)
    if not core:
        return TextWord(text, ())
    if core[0].isdigit() and _NUMBER.match(core):
        return TextWord(text, _digits_forms(core, lang))
    if all(ch.isalpha() or ch == "'" for ch in core):
        return TextWord(text, ((core.lower(),),))
    return TextWord(text, _pieces_forms(core, lang))


def spoken_words(text: str, lang: str) -> list[TextWord]:
    """Every whitespace word of ``text`` with its spoken alternatives (lower-case)."""
    base = _base(lang)
    return [_word(w, base) for w in split_words(text)]


def spoken_weight(text: str, lang: str) -> float:
    """Expected relative speaking time: letters of the first spoken form of every word.

    CJK ideographs count three (a syllable each); never below 1.
    """
    total = 0.0
    for w in spoken_words(text, lang):
        if not w.forms:
            continue
        for word in w.forms[0]:
            for ch in word:
                if unicodedata.category(ch)[0] in "LN":
                    total += 3.0 if unicodedata.east_asian_width(ch) == "W" else 1.0
    return max(total, 1.0)
