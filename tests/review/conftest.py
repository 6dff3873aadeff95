"""Fixtures for the review tests: real source cues and a saved store."""

from __future__ import annotations

from pathlib import Path

import pytest
from review_helpers import SLUG, build_store, make_cues

from toolkit.model import Cue


@pytest.fixture()
def source_cues() -> tuple[Cue, ...]:
    return make_cues()


@pytest.fixture()
def store_file(tmp_path: Path, source_cues: tuple[Cue, ...]) -> Path:
    path = tmp_path / "translations" / SLUG / "es.vtt"
    build_store(source_cues, path)
    return path
