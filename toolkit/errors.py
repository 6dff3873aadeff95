"""One exception hierarchy.  The CLI turns any :class:`ToolkitError` into one
line on stderr and a non-zero exit; anything else keeps its traceback.

Every error says *what* went wrong and *where*: the file, and the line or cue
when there is one.  Build messages through the constructor so they are uniform:

    >>> str(InputError("end before start", path="a.srt", line=12))
    'a.srt:12: end before start'
    >>> str(InputError("bad cue", path="a.vtt", cue="c1a2b3c4"))
    'a.vtt: cue c1a2b3c4: bad cue'
"""

from __future__ import annotations

from os import PathLike


class ToolkitError(Exception):
    """Base of every error the toolkit raises on purpose."""

    exit_code = 1

    def __init__(
        self,
        message: str,
        *,
        path: str | PathLike[str] | None = None,
        line: int | None = None,
        cue: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line
        self.cue = cue
        self.hint = hint
        super().__init__(self._render())

    def _render(self) -> str:
        where = ""
        if self.path:
            where = self.path + (f":{self.line}" if self.line is not None else "") + ": "
        elif self.line is not None:
            where = f"line {self.line}: "
        if self.cue:
            where += f"cue {self.cue}: "
        text = where + self.message
        if self.hint:
            text += f" ({self.hint})"
        return text


class ConfigError(ToolkitError):
    """show.toml / episode.toml is missing, malformed or has a bad value."""


class InputError(ToolkitError):
    """A transcript or subtitle file cannot be read or is malformed."""


class AudioError(ToolkitError):
    """Audio missing, unreadable, or inconsistent with the transcript."""


class ToolMissingError(ToolkitError):
    """An external program or optional package is not installed."""


class EngineError(ToolkitError):
    """A translation engine is unavailable or failed."""


class ImportRejected(ToolkitError):
    """A translator's file was rejected; nothing from it was applied."""


class CacheError(ToolkitError):
    """A cache under ``.toolkit/`` cannot be used (deleting ``.toolkit/`` is always safe)."""


class LockError(ToolkitError):
    """Another toolkit run holds the show's lock."""


class LintError(ToolkitError):
    """``toolkit check`` found problems (the details are printed before)."""
