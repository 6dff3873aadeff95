"""Language codes: ISO 639-1 with an optional script and/or region.

One spelling is used everywhere (feed ``<language>``, ``podcast:transcript
language=``, ``<html lang>``, file and folder names): the BCP 47 form
``pt-BR``, ``zh-Hant``, ``sr-Latn-RS``.  Validation uses Babel's CLDR data, so
``english`` or ``xx`` is rejected with a clear error.

    >>> normalize("pt_br")
    'pt-BR'
    >>> normalize("ZH-hant")
    'zh-Hant'
    >>> native_name("es")
    'español'

Pseudo-localization has a code of its own, never a real language's:
``qps-ploc`` (Microsoft's pseudo-locale; ``en-XA``, Android's, is accepted as an
alias and written ``qps-ploc``).  It is a layout test, not a language a
listener reads: :func:`is_pseudo` tells the writers to keep it out of language
switchers and feeds unless the show asks for it (``[translation] offer_pseudo``).

    >>> normalize("en-XA")
    'qps-ploc'
    >>> is_pseudo("qps-ploc"), is_pseudo("fr")
    (True, False)
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from .errors import ConfigError

if TYPE_CHECKING:  # pragma: no cover - babel is imported on first use (import time of the CLI)
    from babel import Locale

#: The pseudo-localization code (a BCP 47 private-use language subtag + variant).
PSEUDO = "qps-ploc"
#: Spellings accepted for it (lower case) → the one written everywhere.
PSEUDO_ALIASES = {"qps-ploc": PSEUDO, "qps_ploc": PSEUDO, "en-xa": PSEUDO, "en_xa": PSEUDO}
#: The region of the ``lang`` attribute of pseudo text in HTML (``en-XA``): ``qps`` is a
#: private-use subtag that accessibility checkers and screen readers do not know.
PSEUDO_REGION = "XA"
#: How it is named wherever it appears (a switcher when offered, a feed title, notes).
PSEUDO_NAME = "pseudo-localization (layout test)"

_SHAPE = re.compile(r"^([A-Za-z]{2})(?:[-_]([A-Za-z]{4}))?(?:[-_]([A-Za-z]{2}|[0-9]{3}))?$")


@lru_cache(maxsize=256)
def _locale(code: str) -> Locale | None:
    """Babel's locale for ``code`` (``pt-BR`` or ``pt_BR``), parsed once per process;
    None when CLDR does not know it.  Babel is imported here, on first use, not when
    this module is (``import toolkit.cli`` stays free of it)."""
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(code.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        return None


def _babel_ok(lang: str) -> bool:
    return _locale(lang) is not None


def is_pseudo(code: str | None) -> bool:
    """True for the pseudo-localization code (or one of its aliases)."""
    return isinstance(code, str) and code.strip().lower() in PSEUDO_ALIASES


def html_lang(code: str, source: str = "en") -> str:
    """The HTML ``lang`` attribute for text in ``code``: the code itself, except for
    pseudo-localized text, which is the source language's letters (``en-XA`` for
    pseudo-English: what Android calls it, and a language screen readers know).

        >>> html_lang("qps-ploc", "de"), html_lang("pt-BR")
        ('de-XA', 'pt-BR')
    """
    return f"{base(source)}-{PSEUDO_REGION}" if is_pseudo(code) else code


def is_pseudo_html_lang(value: str | None) -> bool:
    """True for a ``lang`` attribute :func:`html_lang` gives pseudo text (``en-XA``)."""
    return bool(value) and re.fullmatch(r"[A-Za-z]{2}-" + PSEUDO_REGION, value or "", re.IGNORECASE) is not None


def normalize(code: str, *, path: str | None = None, key: str | None = None) -> str:
    """Return the canonical BCP 47 spelling of ``code`` or raise :class:`ConfigError`
    (``qps-ploc`` for the pseudo-localization code and its aliases)."""
    if is_pseudo(code):
        return PSEUDO
    m = _SHAPE.match(code.strip()) if isinstance(code, str) else None
    where = f" for {key}" if key else ""
    if not m:
        raise ConfigError(
            f"invalid language code {code!r}{where}",
            path=path,
            hint="use ISO 639-1 with optional script/region, e.g. en, es, pt-BR, zh-Hant",
        )
    lang, script, region = m.group(1).lower(), m.group(2), m.group(3)
    if not _babel_ok(lang):
        raise ConfigError(f"unknown language code {code!r}{where}", path=path,
                          hint="use ISO 639-1, e.g. en, es, fr, de")
    parts = [lang]
    if script:
        parts.append(script.title())
    if region:
        parts.append(region.upper())
    return "-".join(parts)


def base(code: str) -> str:
    """The language part: ``pt-BR`` → ``pt``."""
    return code.split("-", 1)[0].lower()


@lru_cache(maxsize=256)
def native_name(code: str) -> str:
    """The language's own name for itself (for language switchers), from Babel's CLDR data."""
    if is_pseudo(code):
        return PSEUDO_NAME
    try:
        loc = _locale(code)
        return (loc.get_display_name(loc) if loc is not None else None) or code
    except Exception:  # noqa: BLE001 - any CLDR gap falls back to the code
        return code


@lru_cache(maxsize=256)
def english_name(code: str) -> str:
    """The language's name in English (for disclosure notes), from Babel's CLDR data."""
    if is_pseudo(code):
        return PSEUDO_NAME
    try:
        loc = _locale(code)
        return (loc.get_display_name("en") if loc is not None else None) or code
    except Exception:  # noqa: BLE001
        return code
