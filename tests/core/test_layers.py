"""The layering is enforced: no upward import, no import cycle.

The layers are declared once, as import-linter contracts in pyproject.toml
([tool.importlinter]); this test runs them through import-linter's own
command, then refuses any cycle between modules (import-linter's layer
contracts only see imports between layers) — imports inside function bodies
included, since grimp reads every import statement.
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "toolkit"


def _lint_imports() -> str:
    exe = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or shutil.which("lint-imports")
    if exe is None:
        pytest.fail("lint-imports is not installed (pip install -e '.[test]')")
    return exe


def test_import_contracts_are_kept() -> None:
    run = subprocess.run([_lint_imports(), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    assert "broken" in run.stdout and " 0 broken" in run.stdout


def _cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[list[str]] = []
    counter = 0
    for root in sorted(graph.modules):
        if root in index:
            continue
        work = [(root, iter(sorted(graph.find_modules_directly_imported_by(root))))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            advanced = False
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.find_modules_directly_imported_by(child)))))
                    advanced = True
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_no_import_cycle() -> None:
    graph = grimp.build_graph("toolkit", include_external_packages=False)
    assert _cycles(graph) == []


def test_cycle_finder_finds_a_cycle() -> None:
    """The check above can fail: a graph with a cycle is reported."""
    graph = grimp.ImportGraph()
    for name in ("pkg", "pkg.a", "pkg.b", "pkg.c"):
        graph.add_module(name)
    graph.add_import(importer="pkg.a", imported="pkg.b")
    graph.add_import(importer="pkg.b", imported="pkg.a")
    graph.add_import(importer="pkg.c", imported="pkg.a")
    assert _cycles(graph) == [["pkg.a", "pkg.b"]]


def _hidden_imports() -> list[str]:
    """``if TYPE_CHECKING:`` imports of toolkit modules (they hide a dependency from the import graph)."""
    hidden = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                for sub in node.body:
                    if isinstance(sub, ast.ImportFrom) and (sub.level or (sub.module or "").startswith("toolkit")):
                        hidden.append(f"{path.relative_to(ROOT)}:{sub.lineno}")
    return hidden


def test_no_type_checking_imports_of_the_toolkit() -> None:
    assert _hidden_imports() == []


#: Libraries imported inside functions, and why (the import time or the platform they cost).
LAZY_LIBRARIES = {
    "babel": "locale data, ~0.1 s: only when a language name is shown",
    "polib": "only when a PO file is read or written",
    "webvtt": "webvtt-py, only for SBV files",
    "charset_normalizer": "only for a file that is not UTF-8",
    "re2": "google-re2, only when a show has drop rules",
    "PIL": "Pillow, only when an image is checked or icons are made",
    "imageio_ffmpeg": "only when no system ffmpeg is found",
    "pydub": "only where audio is decoded through it",
    "num2words": "only when a number is spoken out",
    "pocketsphinx": "only when English is force-aligned",
    "onnxruntime": "only when the VAD runs",
    "ctranslate2": "only when argos translates a sentence",
    "argostranslate": "only when argos translates a sentence",
    "rich": "rich.progress / rich.table / rich.markup: only the commands that draw them",
    "msvcrt": "platform: Windows only",
    "fcntl": "platform: POSIX only",
    "numpy": "only when audio arrays are stored or loaded (the cache package is imported by every publish)",
}
#: Where imports of the toolkit's own modules inside functions are the rule, and why.
LAZY_TOOLKIT = {
    "toolkit/cli/": "`import toolkit.cli` (every command, even --help) loads no stage: each command "
                    "imports what it runs (tests/pipeline/test_fixed_costs.py)",
}


def _function_imports_without_reason() -> list[str]:
    """Imports inside a function body that neither name a library of
    :data:`LAZY_LIBRARIES` nor carry a comment saying why, and imports of the
    toolkit's own modules inside functions outside :data:`LAZY_TOOLKIT` without
    a comment (they would hide an upward import or a cycle)."""
    bad = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        lines = path.read_text(encoding="utf-8").splitlines()
        tree = ast.parse("\n".join(lines))
        seen: set[int] = set()
        for fn in ast.walk(tree):
            if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for sub in ast.walk(fn):
                if not isinstance(sub, (ast.Import, ast.ImportFrom)) or sub.lineno in seen:
                    continue
                seen.add(sub.lineno)
                commented = "#" in lines[sub.lineno - 1]
                if isinstance(sub, ast.ImportFrom) and (sub.level or (sub.module or "").startswith("toolkit")):
                    if not commented and not any(rel.startswith(folder) for folder in LAZY_TOOLKIT):
                        bad.append(f"{rel}:{sub.lineno}: {lines[sub.lineno - 1].strip()}")
                    continue
                names = [sub.module or ""] if isinstance(sub, ast.ImportFrom) else [a.name for a in sub.names]
                if not commented and not all(n.split(".")[0] in LAZY_LIBRARIES for n in names):
                    bad.append(f"{rel}:{sub.lineno}: {lines[sub.lineno - 1].strip()}")
    return bad


def test_imports_inside_functions_say_why() -> None:
    assert _function_imports_without_reason() == []
