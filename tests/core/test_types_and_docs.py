"""The library's types and its docstring examples are checked by the suite.

* mypy, strict, over ``toolkit/`` (configuration in ``pyproject.toml``:
  ``[tool.mypy]``; untyped libraries are named there, one by one);
* every ``>>>`` example in the library's docstrings, run with :mod:`doctest`.
"""

from __future__ import annotations

import doctest
import importlib
import pkgutil
import subprocess
import sys
from pathlib import Path

import toolkit
from support.tools import skip_or_fail


def test_mypy_strict_finds_nothing(repo_root: Path) -> None:
    try:
        import mypy  # noqa: F401
    except ImportError:
        skip_or_fail("mypy is not installed (scripts/setup --test installs it)")
    run = subprocess.run([sys.executable, "-m", "mypy"], cwd=repo_root, capture_output=True, text=True,
                         timeout=900)
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-2000:]
    assert "Success: no issues found" in run.stdout, run.stdout


def _library_modules() -> list[str]:
    names = [toolkit.__name__]
    for info in pkgutil.walk_packages(toolkit.__path__, prefix="toolkit."):
        if info.name != "toolkit.__main__":  # running it would start the CLI
            names.append(info.name)
    return sorted(names)


def test_doctests_pass() -> None:
    finder = doctest.DocTestFinder(exclude_empty=True)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    examples = 0
    failed: list[str] = []
    for name in _library_modules():
        module = importlib.import_module(name)
        for test in finder.find(module, name):
            result = runner.run(test, out=lambda _text: None)
            examples += result.attempted
            if result.failed:
                failed.append(f"{test.name} ({result.failed} of {result.attempted} failed)")
    assert not failed, "doctests failed: " + "; ".join(failed)
    # the examples exist (a finder that found nothing would pass vacuously)
    assert examples >= 15, examples
