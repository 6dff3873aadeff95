"""The Debian ``apertium`` engine (rule-based, fully offline).

One ``apertium -u <mode>`` process per batch (a process start costs ~0.3 s), one
sentence per input line.  Apertium keeps line breaks in its plain-text format,
but it is a shallow-transfer pipeline and we do not trust it blindly: the
output line count is verified and a batch whose lines do not line up is
retried in halves, down to one sentence per process.
"""

from __future__ import annotations

import functools
import logging
import re
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

from ..errors import EngineError
from .engine import Engine
from .registry import register

log = logging.getLogger(__name__)

# ISO 639-1 → the ISO 639-3 codes apertium's mode names mostly use.
CODES: dict[str, str] = {
    "en": "eng", "es": "spa", "ca": "cat", "gl": "glg", "eo": "epo", "pt": "por", "fr": "fra",
    "it": "ita", "oc": "oci", "eu": "eus", "is": "isl", "mk": "mkd", "sh": "hbs", "sr": "hbs",
    "hr": "hbs", "bs": "hbs", "ro": "ron", "de": "deu", "nl": "nld", "af": "afr", "da": "dan",
    "sv": "swe", "nb": "nob", "nn": "nno", "cy": "cym", "br": "bre", "ga": "gle", "sq": "sqi",
    "ar": "ara", "mt": "mlt", "kk": "kaz", "tt": "tat", "ru": "rus", "uk": "ukr", "be": "bel",
}
MODES_DIR = Path("/usr/share/apertium/modes")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
TIMEOUT_S = 600


def _apertium() -> str | None:
    return shutil.which("apertium")


@functools.lru_cache(maxsize=1)
def installed_modes() -> tuple[str, ...]:
    """Modes ``apertium -l`` lists (e.g. ``eng-spa``); empty when not installed."""
    exe = _apertium()
    if exe is None:
        return ()
    try:
        out = subprocess.run([exe, "-l"], capture_output=True, text=True, timeout=60, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return ()
    return tuple(sorted({line.strip() for line in out.splitlines() if line.strip()}))


def mode_for(src: str, tgt: str) -> str | None:
    """The installed mode translating ``src`` → ``tgt`` (ISO 639-1 in, e.g. ``eng-spa`` out)."""
    modes = installed_modes()
    s, t = src.split("-")[0], tgt.split("-")[0]
    for a in (CODES.get(s, s), s):
        for b in (CODES.get(t, t), t):
            if f"{a}-{b}" in modes:
                return f"{a}-{b}"
    return None


@functools.lru_cache(maxsize=32)
def _mode_version(mode: str) -> str:
    """The Debian package version owning the mode file (or the mode file's size
    and mtime when dpkg does not know it, e.g. a pair built from source).

    Read from dpkg's own database files (:func:`_dpkg_version`, ≈ 1 ms) rather
    than two ``dpkg-query`` processes (≈ 0.1 s on every publish, since the
    version is part of the memory key and the disclosure label); ``dpkg-query``
    remains the fallback when the database is not laid out as expected.
    """
    path = MODES_DIR / f"{mode}.mode"
    ver = _dpkg_version(mode, path) or _dpkg_query_version(path)
    if ver:
        return ver
    try:
        st = path.stat()
        return f"mode-{st.st_size}-{int(st.st_mtime)}"
    except OSError:
        return "unknown"


DPKG_DIR = Path("/var/lib/dpkg")


def _owner_candidates(mode: str) -> list[str]:
    """Packages that normally ship ``<mode>.mode``: ``apertium-eng-spa`` ships
    eng-spa, spa-eng and variants such as spa-eng_US."""
    pair = mode.split("_", 1)[0]
    a, _, b = pair.partition("-")
    names = [f"apertium-{pair}"] + ([f"apertium-{b}-{a}"] if a and b else [])
    return list(dict.fromkeys(names))


def _dpkg_version(mode: str, path: Path) -> str | None:
    """The installed version of the package whose file list names ``path``,
    from ``/var/lib/dpkg/info/<pkg>.list`` and ``/var/lib/dpkg/status``; None
    when no candidate package owns it (the caller then asks ``dpkg-query``)."""
    info = DPKG_DIR / "info"
    want = str(path)
    for pkg in _owner_candidates(mode):
        lists = [info / f"{pkg}.list", *sorted(info.glob(f"{pkg}:*.list"))]
        for lst in lists:
            try:
                with lst.open(encoding="utf-8", errors="replace") as fh:
                    owned = any(line.rstrip("\n") == want for line in fh)
            except OSError:
                continue
            if owned:
                return _status_version(pkg)
    return None


def _status_version(pkg: str) -> str | None:
    """``Version:`` of ``pkg``'s installed block in dpkg's status file, read as a
    stream and stopped at that block (the file is ~1 MB with every package)."""
    header = f"Package: {pkg}"
    try:
        with (DPKG_DIR / "status").open(encoding="utf-8", errors="replace") as fh:
            inside = False
            fields: dict[str, str] = {}
            for line in fh:
                line = line.rstrip("\n")
                if not inside:
                    inside = line == header
                    continue
                if not line:  # end of the block: another architecture's block may follow
                    if fields.get("Status", "").endswith(" installed") and fields.get("Version"):
                        return fields["Version"]
                    inside, fields = False, {}
                    continue
                if not line[0].isspace() and ":" in line:
                    name, _, value = line.partition(":")
                    fields[name] = value.strip()
            if inside and fields.get("Status", "").endswith(" installed") and fields.get("Version"):
                return fields["Version"]  # the last block of a file without a final blank line
    except OSError:
        return None
    return None


def _dpkg_query_version(path: Path) -> str | None:
    try:
        owner = subprocess.run(["dpkg-query", "-S", str(path)], capture_output=True, text=True,
                               timeout=30, check=False).stdout.split(":", 1)[0].strip()
        if owner:
            ver = subprocess.run(["dpkg-query", "-W", "-f", "${Version}", owner], capture_output=True,
                                 text=True, timeout=30, check=False).stdout.strip()
            if ver:
                return ver
    except (OSError, subprocess.SubprocessError):
        pass
    return None


@register
class ApertiumEngine(Engine):
    """Debian apertium with its installed language pairs."""

    name = "apertium"

    def available(self, src: str, tgt: str) -> bool:
        return mode_for(src, tgt) is not None

    def install_hint(self, src: str, tgt: str) -> str:
        s = CODES.get(src.split("-")[0], src)
        t = CODES.get(tgt.split("-")[0], tgt)
        if _apertium() is None:
            return f"install it: apt-get install apertium apertium-{s}-{t}"
        return f"install the pair: apt-get install apertium-{s}-{t} (or apertium-{t}-{s})"

    def model_version(self, src: str, tgt: str) -> str:
        mode = mode_for(src, tgt)
        if mode is None:
            self.require(src, tgt)
        return _mode_version(mode or "")

    def label(self, src: str, tgt: str) -> str:
        mode = mode_for(src, tgt) or f"{src}-{tgt}"
        return f"apertium {mode} {self.model_version(src, tgt)}"

    def repair_placeholders(self, protected: str, output: str) -> str:
        """Apertium gives a sentence's capital to its first *known* word, so after an
        opening placeholder ("ZQX1 is a show" → "ZQX1 Es un espectáculo", "ZQX1 mends
        a hole" → "ZQX1 mends Un agujero") that word is capitalized: it is lower
        case again (words copied from the source as unknown are skipped)."""
        if not protected.startswith(self.placeholder(1) + " "):
            return output
        source_words = set(protected.split())
        lower_words = {w.lower() for w in source_words}
        words = output.split(" ")
        for i, word in enumerate(words[1:], 1):
            if not word or word in source_words or word.startswith("ZQX"):
                continue  # a blank, an unknown word copied through, another placeholder
            if word[:1].isupper() and word[1:] == word[1:].lower() and word.lower() not in lower_words:
                words[i] = word[:1].lower() + word[1:]
            break
        return " ".join(words)

    def translate_batch(self, sentences: Sequence[str], src: str, tgt: str) -> list[str]:
        self.require(src, tgt)
        mode = mode_for(src, tgt)
        assert mode is not None
        # One sentence per line: a newline inside a sentence would shift every
        # following line, so it becomes a space (cue text is re-wrapped anyway).
        lines = [" ".join(s.split()) for s in sentences]
        out: list[str] = [""] * len(lines)
        todo = [i for i, line in enumerate(lines) if line]
        self._run_aligned(mode, lines, todo, out)
        return out

    def _run_aligned(self, mode: str, lines: list[str], idx: list[int], out: list[str]) -> None:
        if not idx:
            return
        result = self._run(mode, [lines[i] for i in idx])
        if len(result) == len(idx):
            for i, text in zip(idx, result):
                out[i] = text.strip()
            return
        if len(idx) == 1:
            # One sentence that apertium split over several lines: join them back.
            out[idx[0]] = " ".join(r.strip() for r in result if r.strip())
            return
        log.warning("apertium %s: %d lines in, %d out; retrying in halves", mode, len(idx), len(result))
        half = len(idx) // 2
        self._run_aligned(mode, lines, idx[:half], out)
        self._run_aligned(mode, lines, idx[half:], out)

    def _run(self, mode: str, lines: list[str]) -> list[str]:
        exe = _apertium()
        if exe is None:
            raise EngineError("apertium is not installed", hint=self.install_hint(*mode.split("-", 1)))
        # Segments are separated by a BLANK line, not a newline: apertium treats a
        # single newline as ordinary whitespace, so its transfer rules reorder
        # words across it ("The Clock Doctor\nClock repairer…" came out as
        # "El Reloj de\nDoctor del Reloj repairer…" — same line count, words
        # moved).  A blank line is a paragraph boundary that transfer never crosses.
        data = "\n\n".join(lines) + "\n"
        try:
            proc = subprocess.run([exe, "-u", mode], input=data, capture_output=True, text=True,
                                  timeout=TIMEOUT_S, check=False)
        except (OSError, subprocess.SubprocessError) as exc:
            raise EngineError(f"apertium {mode} failed: {exc}") from None
        if proc.returncode != 0:
            raise EngineError(f"apertium {mode} failed (exit {proc.returncode}): "
                              + (proc.stderr.strip().splitlines() or ["no message"])[-1])
        return [part.replace("\n", " ") for part in _BLANK_LINE.split(proc.stdout.strip("\n"))]
