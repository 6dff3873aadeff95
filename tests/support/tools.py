"""Skipping tests whose external tool is missing -- except in CI."""

from __future__ import annotations

import os

import pytest


def skip_or_fail(reason: str) -> None:
    """Skip a test whose external tool is missing -- but in CI (``CI`` set), where
    scripts/setup installs every tool, a missing tool is a failure, not a skip."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI installs it: scripts/setup --test)")
    pytest.skip(reason)
