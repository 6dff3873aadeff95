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
"""

from __future__ import annotations

import re
from functools import lru_cache

from .errors import ConfigError

_SHAPE = re.compile(r"^([A-Za-z]{2})(?:[-_]([A-Za-z]{4}))?(?:[-_]([A-Za-z]{2}|[0-9]{3}))?$")


#: English and native names of common languages, exactly as Babel's CLDR data
#: gives them (tests/pipeline/test_fixed_costs.py checks every entry against
#: the installed Babel): loading one locale's data costs ~15 ms, and every
#: publish names each of its languages in switchers and disclosure notes.
#: Codes not listed here (regions, scripts, rarer languages) go to Babel.
_NAMES: dict[str, tuple[str, str]] = {
    "af": ("Afrikaans", "Afrikaans"),
    "ar": ("Arabic", "العربية"),
    "be": ("Belarusian", "беларуская"),
    "bg": ("Bulgarian", "български"),
    "bn": ("Bangla", "বাংলা"),
    "br": ("Breton", "brezhoneg"),
    "bs": ("Bosnian", "bosanski"),
    "ca": ("Catalan", "català"),
    "cs": ("Czech", "čeština"),
    "cy": ("Welsh", "Cymraeg"),
    "da": ("Danish", "dansk"),
    "de": ("German", "Deutsch"),
    "el": ("Greek", "Ελληνικά"),
    "en": ("English", "English"),
    "eo": ("Esperanto", "Esperanto"),
    "es": ("Spanish", "español"),
    "et": ("Estonian", "eesti"),
    "eu": ("Basque", "euskara"),
    "fa": ("Persian", "فارسی"),
    "fi": ("Finnish", "suomi"),
    "fr": ("French", "français"),
    "ga": ("Irish", "Gaeilge"),
    "gl": ("Galician", "galego"),
    "he": ("Hebrew", "עברית"),
    "hi": ("Hindi", "हिन्दी"),
    "hr": ("Croatian", "hrvatski"),
    "hu": ("Hungarian", "magyar"),
    "id": ("Indonesian", "Indonesia"),
    "is": ("Icelandic", "íslenska"),
    "it": ("Italian", "italiano"),
    "ja": ("Japanese", "日本語"),
    "kk": ("Kazakh", "қазақ тілі"),
    "ko": ("Korean", "한국어"),
    "lt": ("Lithuanian", "lietuvių"),
    "lv": ("Latvian", "latviešu"),
    "mk": ("Macedonian", "македонски"),
    "ms": ("Malay", "Melayu"),
    "mt": ("Maltese", "Malti"),
    "nb": ("Norwegian Bokmål", "norsk bokmål"),
    "nl": ("Dutch", "Nederlands"),
    "nn": ("Norwegian Nynorsk", "norsk nynorsk"),
    "oc": ("Occitan", "occitan"),
    "pl": ("Polish", "polski"),
    "pt": ("Portuguese", "português"),
    "ro": ("Romanian", "română"),
    "ru": ("Russian", "русский"),
    "sk": ("Slovak", "slovenčina"),
    "sl": ("Slovenian", "slovenščina"),
    "sq": ("Albanian", "shqip"),
    "sr": ("Serbian", "српски"),
    "sv": ("Swedish", "svenska"),
    "sw": ("Swahili", "Kiswahili"),
    "ta": ("Tamil", "தமிழ்"),
    "te": ("Telugu", "తెలుగు"),
    "th": ("Thai", "ไทย"),
    "tr": ("Turkish", "Türkçe"),
    "uk": ("Ukrainian", "українська"),
    "ur": ("Urdu", "اردو"),
    "vi": ("Vietnamese", "Tiếng Việt"),
    "zh": ("Chinese", "中文"),
}


@lru_cache(maxsize=256)
def _babel_ok(lang: str) -> bool:
    if lang in _NAMES:  # known to CLDR (checked by the tests): no need to load Babel
        return True
    from babel import Locale, UnknownLocaleError

    try:
        Locale.parse(lang)
    except (UnknownLocaleError, ValueError):
        return False
    return True


def normalize(code: str, *, path: str | None = None, key: str | None = None) -> str:
    """Return the canonical BCP 47 spelling of ``code`` or raise :class:`ConfigError`."""
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
    """The language's own name for itself (for language switchers)."""
    if code in _NAMES:
        return _NAMES[code][1]
    from babel import Locale

    try:
        loc = Locale.parse(code.replace("-", "_"))
        return loc.get_display_name(loc) or code
    except Exception:  # noqa: BLE001 - any CLDR gap falls back to the code
        return code


@lru_cache(maxsize=256)
def english_name(code: str) -> str:
    """The language's name in English (for disclosure notes)."""
    if code in _NAMES:
        return _NAMES[code][0]
    from babel import Locale

    try:
        return Locale.parse(code.replace("-", "_")).get_display_name("en") or code
    except Exception:  # noqa: BLE001
        return code
