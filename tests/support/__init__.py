"""Helpers shared by tests (not tests themselves).

``tests/`` is on ``sys.path`` while pytest runs (it holds the root
``conftest.py``), so tests import these as ``from support.seeds import ...``.
"""
