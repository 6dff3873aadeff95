"""The shortcuts that keep an unchanged republish cheap give exactly what the
slow paths they skip would give."""

from __future__ import annotations

import pytest
from babel import Locale

from toolkit import langs


def test_language_names_come_from_babel():
    for code in ("en", "es", "pt-BR", "zh-Hant", "yo"):
        loc = Locale.parse(code.replace("-", "_"))
        assert langs.native_name(code) == loc.get_display_name(loc)
        assert langs.english_name(code) == loc.get_display_name("en")
    assert (langs.native_name("es"), langs.english_name("de")) == ("español", "German")
    assert langs.normalize("pt_br") == "pt-BR" and langs.normalize("ES") == "es"
    with pytest.raises(Exception, match="unknown language code"):
        langs.normalize("xx")


def test_cli_serve_default_port_is_the_servers():
    from toolkit import serve
    from toolkit.cli import serve as cli_serve

    assert cli_serve.DEFAULT_PORT == serve.DEFAULT_PORT


def test_loading_the_cli_imports_no_stage_or_heavy_library():
    """`import toolkit.cli` (every command, even --help) must not pay for numpy,
    the pipeline, jinja2, lxml, babel or the preview server: the commands import
    what they use when they run."""
    import subprocess
    import sys

    code = ("import sys, toolkit.cli; heavy = ['numpy', 'toolkit.pipeline', 'jinja2', 'lxml', 'babel', "
            "'toolkit.serve', 'rich.progress', 'feedgen']; print(','.join(m for m in heavy if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == ""


def test_numpy_version_read_once_is_the_installed_one():
    from importlib import metadata

    from toolkit.cache import keys

    assert keys.numpy_version() == metadata.version("numpy") == keys.numpy_version()
