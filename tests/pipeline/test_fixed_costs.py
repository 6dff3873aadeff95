"""The shortcuts that keep an unchanged republish cheap give exactly what the
slow paths they skip would give."""

from __future__ import annotations

import pytest
from babel import Locale

from toolkit import langs


@pytest.mark.parametrize("code", sorted(langs._NAMES))
def test_builtin_language_names_are_babels(code):
    loc = Locale.parse(code)
    english, native = langs._NAMES[code]
    assert english == loc.get_display_name("en")
    assert native == loc.get_display_name(loc)
    assert langs.english_name(code) == english and langs.native_name(code) == native
    assert langs.normalize(code.upper()) == code


def test_codes_outside_the_table_still_use_babel():
    assert "pt-BR" not in langs._NAMES and "zh-Hant" not in langs._NAMES
    assert langs.native_name("pt-BR") == Locale.parse("pt_BR").get_display_name(Locale.parse("pt_BR"))
    assert langs.english_name("zh-Hant") == Locale.parse("zh_Hant").get_display_name("en")
    assert langs.native_name("yo") == Locale.parse("yo").get_display_name(Locale.parse("yo"))
    assert langs.normalize("pt_br") == "pt-BR"
    with pytest.raises(Exception, match="unknown language code"):
        langs.normalize("xx")
