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


def interruptible() -> None:
    """``preexec_fn`` for a child a test stops with SIGINT (Ctrl-C): SIGINT back to its default
    action.  A shell without job control starts background commands with SIGINT ignored, and
    Python then keeps it ignored -- the child of a test run started that way would not stop."""
    import signal  # noqa: PLC0415  # reason: only the children of the SIGINT tests need it

    signal.signal(signal.SIGINT, signal.SIG_DFL)
