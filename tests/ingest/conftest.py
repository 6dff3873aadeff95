"""Shared helpers for the ingest tests."""

from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def fixtures() -> Path:
    """tests/ingest/fixtures (small transcripts written for these tests)."""
    return FIXTURES
