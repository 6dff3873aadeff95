"""Static checks of the code itself (ruff, configured in pyproject.toml)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from support.tools import skip_or_fail


def test_ruff_finds_nothing(repo_root: Path) -> None:
    ruff = shutil.which("ruff") or str(Path(sys.executable).parent / "ruff")
    if not Path(ruff).exists():
        skip_or_fail("ruff is not installed (scripts/setup --test installs it)")
    run = subprocess.run([ruff, "check", "--no-cache", "toolkit", "tests", "bench", "scripts"],
                         cwd=repo_root, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout + run.stderr
