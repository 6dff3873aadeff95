"""XLIFF (``.xlf``/``.xliff``, 1.2 written, 1.2 and 2.0 read) and TMX 1.4, through translate-toolkit.

The toolkit's translator exports use one ``trans-unit`` per cue (``id`` = cue
id, ``<source>`` = source text, ``<target>`` = translation, a ``<note>`` with
the time range, speaker and state, ``translate="no"`` for a locked cue); the
``<file>`` names the episode in ``original`` and the languages in
``source-language``/``target-language``.  This module only turns units into
XLIFF text and back: translate-toolkit (its ``xliff``, ``xliff2`` and ``tmx``
stores, on lxml) does the format.

Hostile XML: translate-toolkit parses with lxml's ``resolve_entities=False``
and ``no_network=True``, so neither an external entity (XXE) nor an internal
one (the "billion laughs") is ever expanded.  On top of that, a document type
declaration is refused before parsing: no XLIFF or TMX needs one, and a file
that declares entities is not a translator's file.  Inline markup a CAT tool
adds (``<g>``, ``<x/>``, ``<mrk>``) is flattened to its text.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import InputError
from . import limits
from .limits import check_count, clip

__all__ = ["XliffUnit", "XliffDocument", "write", "parse", "looks_like_xliff", "write_tmx", "NS12", "NS20"]

NS12 = "urn:oasis:names:tc:xliff:document:1.2"
NS20 = "urn:oasis:names:tc:xliff:document:2.0"

_SKELETON_12 = (f'<?xml version="1.0" encoding="UTF-8"?>\n<xliff version="1.2" xmlns="{NS12}">'
                '<file original="NoName" source-language="en" datatype="plaintext"><body/></file></xliff>')

#: Tool identity written in TMX headers (not translate-toolkit's version: exports stay byte-identical).
TOOL = "podcast-toolkit"


@dataclass(frozen=True, slots=True)
class XliffUnit:
    id: str
    source: str
    target: str | None  # None: the unit has no <target>
    note: str = ""
    state: str | None = None  # the target's XLIFF state (1.2 ``state``, 2.0 segment ``state``)
    fuzzy: bool = False  # needs review (translate-toolkit's reading of state / approved)
    translate: bool = True  # False: translate="no" (a locked unit)
    approved: bool | None = None  # 1.2 ``approved`` (written; None: no attribute)
    line: int = 0


@dataclass(frozen=True)
class XliffDocument:
    version: str  # "1.2" or "2.0" (1.1 and 1.0 read as 1.2)
    original: str | None  # the <file> original (1.2) or id (2.0)
    source_lang: str | None
    target_lang: str | None
    units: tuple[XliffUnit, ...]


def looks_like_xliff(text: str) -> bool:
    """Does ``text`` have an ``<xliff`` root element near its start?"""
    head = text[:4000]
    return "<xliff" in head and ("urn:oasis:names:tc:xliff" in head or "version=" in head)


def write(units: Sequence[XliffUnit], *, original: str, source_lang: str, target_lang: str) -> str:
    """XLIFF 1.2 text (UTF-8, indented, a final newline): one ``trans-unit`` per unit."""
    store = _file12().parsestring(_SKELETON_12.encode("utf-8"))
    node = store.getfilenode("NoName")
    store.setfilename(node, original)
    store.setsourcelanguage(source_lang)
    store.settargetlanguage(target_lang)
    for u in units:
        unit = store.addsourceunit(u.source, filename=original)
        unit.setid(u.id)
        if u.target is not None:
            unit.settarget(u.target, lang=target_lang)
            target_node = unit.getlanguageNode(lang=None, index=1)
            if u.state and target_node is not None:
                target_node.set("state", u.state)
        if u.approved is None:
            unit.xmlelement.attrib.pop("approved", None)  # settarget() approves
        else:
            unit.xmlelement.set("approved", "yes" if u.approved else "no")
        if u.note:
            unit.addnote(u.note, origin="developer")
        if not u.translate:
            unit.marktranslatable(False)
    return bytes(store).decode("utf-8").rstrip("\n") + "\n"


@functools.cache
def _file12() -> Any:
    """translate-toolkit's XLIFF store, writing the 1.2 namespace (its default is 1.1)."""
    from translate.storage import xliff  # translate-toolkit (lxml) only when XLIFF is read or written

    class Unit12(xliff.xliffunit):
        namespace = NS12

    class File12(xliff.xlifffile[Unit12]):
        UnitClass = Unit12
        namespace = NS12

    return File12


def _refuse_doctype(text: str, path: str | Path | None) -> None:
    found = [(i, word) for word in ("<!DOCTYPE", "<!ENTITY") if (i := text.find(word)) >= 0]
    if found:
        at, word = min(found)
        raise InputError(f"the file declares a document type ({word}); XLIFF and TMX files never need "
                         "one, and entities in it are not read", path=path, line=text.count("\n", 0, at) + 1)


def _version(text: str) -> str:
    start = text.find("<xliff")
    root = text[start:text.find(">", start)] if start >= 0 else ""
    if NS20 in root or "version=\"2." in root or "version='2." in root:
        return "2.0"
    return "1.2"


def _unit_id(raw: Any) -> str:
    uid = str(raw or "")
    return uid.rsplit("\x04", 1)[-1]  # translate-toolkit prefixes 1.2 ids with the file name and \x04


def parse(text: str, path: str | Path | None = None) -> XliffDocument:
    """XLIFF 1.x or 2.0 text → the file's identity and its units (at most
    :data:`~toolkit.formats.limits.MAX_CUES`)."""
    from lxml import etree  # with translate-toolkit, only when XLIFF is read
    from translate.storage import xliff, xliff2  # translate-toolkit only when XLIFF is read

    _refuse_doctype(text, path)
    version = _version(text)
    cls: Any = xliff2.Xliff2File if version == "2.0" else xliff.xlifffile
    try:
        store = cls.parsestring(text.encode("utf-8", errors="surrogatepass"))
    except etree.XMLSyntaxError as exc:
        line = exc.lineno if isinstance(exc.lineno, int) and exc.lineno > 0 else None
        raise InputError(f"malformed XML: {clip(str(exc.msg or exc), 120)}", path=path, line=line) from None
    except StopIteration:
        raise InputError("not an XLIFF file (no <file> element)", path=path, line=1) from None
    except AssertionError:
        raise InputError("not an XLIFF file (the root element is not <xliff>)", path=path, line=1) from None
    except (ValueError, AttributeError, TypeError, UnicodeError) as exc:
        raise InputError(f"not a readable XLIFF {version} file ({clip(str(exc) or type(exc).__name__, 120)})",
                         path=path, line=1) from None
    units = list(store.units)
    if len(units) > limits.MAX_CUES:
        check_count(len(units), "units", path, line=units[limits.MAX_CUES].xmlelement.sourceline)
    out: list[XliffUnit] = []
    for u in units:
        line = int(u.xmlelement.sourceline or 0)
        try:
            target = u.target
            target_node = u.getlanguageNode(lang=None, index=1) if version == "1.2" else None
            if version == "1.2" and target_node is None:
                target = None
            state = target_node.get("state") if target_node is not None else None
            if version == "2.0":
                seg = u.xmlelement.find(f"{{{NS20}}}segment")
                state = seg.get("state") if seg is not None else None
                if seg is not None and seg.find(f"{{{NS20}}}target") is None:
                    target = None
            out.append(XliffUnit(
                id=_unit_id(u.getid()), source=str(u.source or ""),
                target=None if target is None else str(target),
                note=str(u.getnotes() or ""), state=state,
                fuzzy=_needs_review(state, u.xmlelement.get("approved")) if version == "1.2" else bool(u.isfuzzy()),
                translate=bool(u.istranslatable()), line=line))
        except (ValueError, AttributeError, TypeError, IndexError) as exc:
            raise InputError(f"unreadable unit ({clip(str(exc) or type(exc).__name__, 120)})", path=path,
                             line=line or None) from None
    return XliffDocument(version, _original(store, version), _lang(store.getsourcelanguage()),
                         _lang(store.gettargetlanguage()), tuple(out))


def _needs_review(state: str | None, approved: str | None) -> bool:
    """A 1.2 target still to be reviewed: a ``needs-…`` or ``new`` state, or no state and ``approved="no"``."""
    if state:
        return state.startswith("needs-") or state == "new"
    return approved == "no"


def _lang(value: object) -> str | None:
    return str(value) if value else None


def _original(store: Any, version: str) -> str | None:
    root = store.document.getroot()
    for child in root:
        if isinstance(child.tag, str) and child.tag.endswith("}file") or child.tag == "file":
            value = child.get("id" if version == "2.0" else "original")
            return str(value) if value and value != "NoName" else None
    return None


def write_tmx(pairs: Iterable[tuple[str, str, str]], *, source_lang: str, target_lang: str) -> str:
    """TMX 1.4 text of ``(source, target, note)`` triples, in the order given (a final newline;
    no creation date, so the same memory writes the same file)."""
    from translate.storage import tmx  # translate-toolkit only when a TMX is written

    store = tmx.tmxfile(sourcelanguage=source_lang, targetlanguage=target_lang)
    for source, target, note in pairs:
        store.addtranslation(source, source_lang, target, target_lang, comment=note or None)
    header = store.document.getroot().find("header")
    if header is not None:
        header.set("creationtool", TOOL)
        header.set("creationtoolversion", "1")
    return bytes(store).decode("utf-8").rstrip("\n") + "\n"
