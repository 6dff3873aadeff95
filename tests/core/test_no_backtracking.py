"""No backtracking regular expression on what users write (issue 10).

* ``toolkit/formats/`` and ``toolkit/ingest/`` — every reader of a transcript
  or a translator's file — import no regular-expression module at all: their
  rules are scans (``toolkit.ingest.markdown``, ``toolkit.ingest.boilerplate``,
  ``toolkit.formats.timecode``), and a show's own drop rules go through RE2
  (``toolkit.patterns``);
* elsewhere, no module-level pattern nests a repeat inside a repeat (the
  shape of catastrophic backtracking, ``(a+)+``), except the ones listed here
  with the bound that keeps them cheap.

A static check: that the readers are also fast on hostile input is what the
fuzz suite (1 s per input) and ``bench/bench_sizes.py`` show.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
import re
from pathlib import Path

import toolkit

ROOT = Path(toolkit.__file__).resolve().parent
_REGEX_MODULES = {"re", "regex", "sre_compile", "sre_parse"}

#: Nested repeats that are allowed, and why they stay cheap.
ALLOWED = {
    # host names of URLs in show.toml: labels separated by dots cannot be split two ways,
    # and a URL is at most urls.MAX_LENGTH (2048) characters
    ("toolkit.urls", "_HOST"),
}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


def test_readers_use_no_regular_expressions() -> None:
    offenders = []
    for folder in ("formats", "ingest"):
        for path in sorted((ROOT / folder).glob("*.py")):
            used = _imports(path) & _REGEX_MODULES
            if used:
                offenders.append(f"{path.relative_to(ROOT.parent)} imports {sorted(used)}")
    assert not offenders, offenders


def _nested_repeat(pattern: str) -> bool:
    """Does ``pattern`` hold a repeat (``*``, ``+``, ``{m,n}``) inside another one?"""
    from re import _parser  # type: ignore[attr-defined]

    repeats = {_parser.MAX_REPEAT, _parser.MIN_REPEAT, getattr(_parser, "POSSESSIVE_REPEAT", None)}

    def walk(items, inside: bool) -> bool:  # type: ignore[no-untyped-def]
        for op, arg in items:
            if op in repeats:
                low, high, sub = arg
                if inside and high != 1:
                    return True
                if walk(sub, inside or high > 1):
                    return True
            elif op in (_parser.SUBPATTERN,):
                if walk(arg[-1], inside):
                    return True
            elif op is _parser.BRANCH:
                if any(walk(branch, inside) for branch in arg[1]):
                    return True
            elif op in (_parser.ASSERT, _parser.ASSERT_NOT):
                if walk(arg[1], inside):
                    return True
        return False

    return walk(_parser.parse(pattern), False)


def test_the_detector_finds_catastrophic_shapes() -> None:
    assert _nested_repeat(r"(a+)+$") and _nested_repeat(r"(?:\S+\s+){0,7}x") and _nested_repeat(r"(x|y*)*")
    assert not _nested_repeat(r"^[a-z0-9][a-z0-9._-]*$") and not _nested_repeat(r"(?:ab)?c+")


def test_no_module_level_pattern_nests_repeats() -> None:
    offenders = []
    for info in pkgutil.walk_packages(toolkit.__path__, "toolkit."):
        if info.name.startswith("toolkit.timing"):
            continue  # audio and ffmpeg output, no user text (and the aligner is being rewritten elsewhere)
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if isinstance(value, re.Pattern) and isinstance(value.pattern, str) \
                    and (info.name, name) not in ALLOWED and _nested_repeat(value.pattern):
                offenders.append(f"{info.name}.{name}: {value.pattern}")
    assert not offenders, offenders
