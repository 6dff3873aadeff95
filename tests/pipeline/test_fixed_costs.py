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


def test_finding_the_vad_model_does_not_import_torch():
    """The Silero VAD model is an ONNX file inside the silero-vad wheel; finding it (for the
    timing stage and for every source cache key) must not run the package's __init__, which
    imports torch (seconds and hundreds of MB in every publish process and worker).  The path
    found is the one importlib.resources gives once the package is imported."""
    import subprocess
    import sys

    code = ("import sys\n"
            "from toolkit.cache import keys\n"
            "from toolkit.timing import vad\n"
            "path, ident = vad.model_path(), keys.vad_identity()\n"
            "assert ident and len(ident) == 16, ident\n"
            "assert [m for m in ('torch', 'silero_vad') if m in sys.modules] == [], 'imported'\n"
            "from importlib import resources\n"
            "assert str(resources.files('silero_vad') / 'data' / 'silero_vad.onnx') == str(path)\n"
            "print('ok')\n")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0 and run.stdout.strip() == "ok", run.stderr[-2000:]


def test_package_file_of_what_is_not_installed_is_none():
    from toolkit.digest import package_file

    assert package_file("no_such_package_here", "data", "x.onnx") is None
    assert package_file("json", "__init__.py") is not None and package_file("json", "__init__.py").is_file()
    assert package_file("os", "x") is None  # a plain module, not a package: no data folder
