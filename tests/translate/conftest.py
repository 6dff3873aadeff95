"""Fixtures for the translation tests.

``argos_package``: the tiny REAL argos package (copy model) built by
tests/fixtures/argos/build.py into the git-ignored tests/.cache/argos/ and
installed with argostranslate's own ``install_from_path`` into the isolated
``ARGOS_PACKAGES_DIR`` that tests/conftest.py set up before any import.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import pytest


REPO = Path(__file__).resolve().parents[2]
BUILDER = REPO / "tests" / "fixtures" / "argos" / "build.py"
CACHE = REPO / "tests" / ".cache" / "argos"


def load_builder():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("tiny_argos_builder", BUILDER)
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="session")
def argos_archive() -> Path:
    """The fixture .argosmodel (en → es), built once per builder/corpus version."""
    return load_builder().build_cached(CACHE, to_code="es")


@pytest.fixture(scope="session")
def argos_package(argos_archive: Path) -> Path:
    """Install the fixture package through argostranslate itself; yield ARGOS_PACKAGES_DIR."""
    import argostranslate.package

    argostranslate.package.install_from_path(argos_archive)
    packages = Path(os.environ["ARGOS_PACKAGES_DIR"])
    assert any((p / "metadata.json").is_file() for p in packages.iterdir())
    return packages
