"""The engine registry: engines register themselves, the translate stage asks by name.

An engine module declares its class with the :func:`register` decorator (one
line)::

    @register
    class BergamotEngine(Engine):
        name = "bergamot"

and is listed in :data:`ENGINE_MODULES`, which :func:`load_engines` imports
(by name, on the first look-up: an engine module imports its heavy library
only when it translates, but the registry need not import every engine to
import :mod:`toolkit.translate`).  Engines are chosen per show or per language
from ``show.engines`` (``{"default": "argos", "es": "apertium"}``); the
built-in default is ``argos``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from .. import langs
from ..errors import EngineError
from ..model import Show
from .engine import Engine

__all__ = ["register", "names", "get_engine", "engine_name_for", "load_engines", "DEFAULT_ENGINE",
           "ENGINE_MODULES"]

DEFAULT_ENGINE = "argos"
#: The modules of :mod:`toolkit.translate` that define engines (each registers its own).
ENGINE_MODULES = ["argos", "apertium", "bergamot", "pseudo"]

_FACTORIES: dict[str, Callable[[], Engine]] = {}
#: One instance per name and process, so loaded models are reused (tests may put wrappers here).
_ENGINES: dict[str, Engine] = {}

E = type[Engine]


def register(cls: E) -> E:
    """Class decorator: make ``cls`` (an :class:`Engine` with a ``name``) available by its name."""
    if not cls.name:
        raise TypeError(f"{cls.__name__}: an engine needs a name")
    _FACTORIES[cls.name] = cls
    return cls


def load_engines() -> None:
    """Import every module in :data:`ENGINE_MODULES` (each registers its engine)."""
    for module in ENGINE_MODULES:
        importlib.import_module(f"{__package__}.{module}")


def names() -> tuple[str, ...]:
    """Registered engine names, in the order their modules are listed."""
    load_engines()
    return tuple(_FACTORIES)


def get_engine(name: str) -> Engine:
    """The engine registered as ``name`` (one instance per process);
    :class:`EngineError` for an unknown name."""
    if name in _ENGINES:
        return _ENGINES[name]
    load_engines()
    factory = _FACTORIES.get(name)
    if factory is None:
        raise EngineError(f"unknown translation engine {name!r}", hint="use one of: " + ", ".join(names()))
    engine = _ENGINES[name] = factory()
    return engine


def engine_name_for(show: Show, lang: str) -> str:
    """The engine configured for ``lang``: ``pseudo`` for the pseudo-localization
    code (:data:`toolkit.langs.PSEUDO`), else ``engines[lang]``, then
    ``engines[base language]``, then ``engines["default"]``, then argos."""
    if langs.is_pseudo(lang):
        return "pseudo"
    engines = show.engines or {}
    base = lang.split("-", 1)[0]
    return engines.get(lang) or engines.get(base) or engines.get("default") or DEFAULT_ENGINE
