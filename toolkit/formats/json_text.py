"""JSON text with an indent, as ``json.dumps(value, indent=n, ensure_ascii=…)`` writes it.

Up to Python 3.12 the standard library encodes with an indent in pure Python (its C encoder
only wrote compact JSON), which made an episode's manifest ~4 % of writing the episode's files
in the one process that writes a catalogue.  :func:`dumps` builds the same text from the
stdlib's own (C) spellings of strings, and Python's of numbers; a differential test holds the
two equal.  From 3.13, whose C encoder indents too (CPython gh-118105), it is ``json.dumps``.
For trees of dicts, lists, strings, numbers, booleans and None (no cycle check).
"""

from __future__ import annotations

import json
import sys
from typing import Any

__all__ = ["dumps"]

_STRING = json.encoder.encode_basestring  # ensure_ascii=False
_STRING_ASCII = json.encoder.encode_basestring_ascii
_C_INDENTS = sys.version_info >= (3, 13)  # the C encoder writes indented JSON (CPython gh-118105)


def dumps(value: Any, *, indent: int, ensure_ascii: bool = True) -> str:
    """``json.dumps(value, indent=indent, ensure_ascii=ensure_ascii)`` (default separators,
    keys in their order)."""
    if _C_INDENTS:
        return json.dumps(value, indent=indent, ensure_ascii=ensure_ascii)
    return _spelled(value, indent=indent, ensure_ascii=ensure_ascii)


def _spelled(value: Any, *, indent: int, ensure_ascii: bool) -> str:
    """:func:`dumps` spelled out here (what it is before Python 3.13)."""
    return _text(value, _STRING_ASCII if ensure_ascii else _STRING, " " * indent, "")


def _number(value: float) -> str:
    if value != value:
        return "NaN"
    if value in (float("inf"), float("-inf")):
        return "Infinity" if value > 0 else "-Infinity"
    return float.__repr__(value)


def _key(key: Any, string: Any) -> str:
    if isinstance(key, str):
        return str(string(key))
    if key is True or key is False or key is None:
        return '"' + ("true" if key is True else "false" if key is False else "null") + '"'
    if isinstance(key, int):
        return '"' + int.__repr__(key) + '"'
    if isinstance(key, float):
        return '"' + _number(key) + '"'
    raise TypeError(f"keys must be str, int, float, bool or None, not {key.__class__.__name__}")


def _text(value: Any, string: Any, step: str, pad: str) -> str:
    if isinstance(value, str):
        return str(string(value))
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float):
        return _number(value)
    inner = pad + step
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = [f"{inner}{_key(k, string)}: {_text(v, string, step, inner)}" for k, v in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(value, (list, tuple)):
        if not value:
            return "[]"
        return "[\n" + ",\n".join(inner + _text(v, string, step, inner) for v in value) + "\n" + pad + "]"
    raise TypeError(f"Object of type {value.__class__.__name__} is not JSON serializable")
