"""Suite-wide set-up.

* argostranslate reads its settings from the environment once, at import:
  point every argos directory at a private temporary folder *before* anything
  imports it, so tests never touch the user's packages or the network.
* Pin time zone, locale and SOURCE_DATE_EPOCH so outputs are reproducible.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from support.tools import skip_or_fail

_ARGOS_HOME = Path(tempfile.mkdtemp(prefix="toolkit-tests-argos-"))
for _var, _sub in (("XDG_DATA_HOME", "data"), ("XDG_CONFIG_HOME", "config"), ("XDG_CACHE_HOME", "cache")):
    os.environ[_var] = str(_ARGOS_HOME / _sub)
os.environ["ARGOS_PACKAGES_DIR"] = str(_ARGOS_HOME / "data" / "argos-translate" / "packages")
os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")
os.environ.setdefault("ARGOS_INTRA_THREADS", "1")
os.environ["TZ"] = "UTC"
os.environ.setdefault("LC_ALL", "C.UTF-8")
os.environ.setdefault("SOURCE_DATE_EPOCH", "1767225600")

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEEDS_DIR = SHARED / "seeds"
JS_DIR = REPO / "tests" / "js"


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    shutil.rmtree(_ARGOS_HOME, ignore_errors=True)


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    """``../shared/seeds`` (the commissioned transcripts); skip when absent."""
    if not SEEDS_DIR.is_dir() or not any(SEEDS_DIR.glob("*.txt")):
        pytest.skip("../shared/seeds not present")
    return SEEDS_DIR


def seed_files() -> list[Path]:
    return sorted(SEEDS_DIR.glob("*.txt")) if SEEDS_DIR.is_dir() else []


@pytest.fixture(scope="session")
def node_modules() -> Path:
    """tests/js/node_modules with the npm clients; skip when npm set-up was not run."""
    nm = JS_DIR / "node_modules"
    if not nm.is_dir() or shutil.which("node") is None:
        skip_or_fail("npm test clients not installed (run scripts/setup --test)")
    return nm
