"""espeak-ng through its C library (ctypes): speech with word timings, and phonemes.

The command line cannot say *when* each word is spoken; the library can: in
synchronous mode the synth callback receives the samples together with
``espeakEVENT_WORD`` events carrying the word's character position in the text
and its audio position.  That is what the TTS + DTW aligner needs (the word
boundaries of its synthetic reference), and what the benchmark uses as the truth
for espeak-ng speech.  :func:`phonemes` returns espeak-ng's IPA for a text (the
pronunciation source for words missing from PocketSphinx's dictionary).

``libespeak-ng.so.1`` comes with Debian's ``espeak-ng`` package (and
``libespeak-ng1``).  The library keeps global state and is not thread-safe:
every call here holds one process-wide lock.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import threading
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from ..errors import ToolMissingError

log = logging.getLogger(__name__)

__all__ = ["SpokenWord", "available", "synthesize_words", "phonemes", "has_voice", "voice_for"]

_LOCK = threading.Lock()
_AUDIO_OUTPUT_SYNCHRONOUS = 2
_CHARS_UTF8 = 1
_POS_CHARACTER = 1
_EVENT_LIST_TERMINATED = 0
_EVENT_WORD = 1
_RATE = 1
_PHONEMES_IPA = 0x02
HINT = "apt-get install espeak-ng (it brings libespeak-ng1)"


class _EventId(ctypes.Union):
    _fields_ = [("number", ctypes.c_int), ("name", ctypes.c_char_p), ("string", ctypes.c_char * 8)]


class _Event(ctypes.Structure):
    _fields_ = [
        ("type", ctypes.c_int),
        ("unique_identifier", ctypes.c_uint),
        ("text_position", ctypes.c_int),
        ("length", ctypes.c_int),
        ("audio_position", ctypes.c_int),
        ("sample", ctypes.c_int),
        ("user_data", ctypes.c_void_p),
        ("id", _EventId),
    ]


_CALLBACK = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.POINTER(_Event))


@dataclass(frozen=True)
class SpokenWord:
    """A word espeak-ng spoke: its character span in the text and its start (ms)."""

    char_start: int  # 0-based offset in the text (code points)
    length: int  # in code points
    start_ms: int


class _Lib:
    def __init__(self) -> None:
        name = ctypes.util.find_library("espeak-ng") or "libespeak-ng.so.1"
        try:
            self.lib = ctypes.CDLL(name)
        except OSError as exc:
            raise ToolMissingError(f"espeak-ng library not found ({name})", hint=HINT) from exc
        lib = self.lib
        lib.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
        lib.espeak_Initialize.restype = ctypes.c_int
        lib.espeak_SetSynthCallback.argtypes = [_CALLBACK]
        lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
        lib.espeak_SetVoiceByName.restype = ctypes.c_int
        lib.espeak_SetParameter.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
        lib.espeak_Synth.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_uint, ctypes.c_int,
                                     ctypes.c_uint, ctypes.c_uint, ctypes.POINTER(ctypes.c_uint), ctypes.c_void_p]
        lib.espeak_Synth.restype = ctypes.c_int
        lib.espeak_Synchronize.restype = ctypes.c_int
        lib.espeak_TextToPhonemes.argtypes = [ctypes.POINTER(ctypes.c_void_p), ctypes.c_int, ctypes.c_int]
        lib.espeak_TextToPhonemes.restype = ctypes.c_char_p
        self.rate = lib.espeak_Initialize(_AUDIO_OUTPUT_SYNCHRONOUS, 200, None, 0)
        if self.rate <= 0:
            raise ToolMissingError("espeak-ng library failed to initialise (no voice data?)", hint=HINT)
        self._chunks: list[np.ndarray] = []
        self._events: list[tuple[int, int, int, int]] = []
        self._cb = _CALLBACK(self._on_synth)  # keep a reference: ctypes callbacks must outlive their use
        lib.espeak_SetSynthCallback(self._cb)
        self.voice: str | None = None

    def _on_synth(self, wav: ctypes._Pointer, n: int, events: ctypes._Pointer) -> int:  # type: ignore[type-arg]
        if n > 0 and wav:
            self._chunks.append(np.ctypeslib.as_array(wav, shape=(n,)).copy())
        k = 0
        while True:
            ev = events[k]
            if ev.type == _EVENT_LIST_TERMINATED:
                break
            if ev.type == _EVENT_WORD:
                self._events.append((ev.text_position, ev.length, ev.audio_position, ev.sample))
            k += 1
        return 0

    def set_voice(self, voice: str) -> None:
        if voice != self.voice:
            if self.lib.espeak_SetVoiceByName(voice.encode()) != 0:
                raise ToolMissingError(f"espeak-ng has no voice {voice!r}", hint=HINT)
            self.voice = voice


@lru_cache(maxsize=1)
def _lib() -> _Lib:
    return _Lib()


def available() -> bool:
    """True when the espeak-ng library loads."""
    try:
        _lib()
    except ToolMissingError:
        return False
    return True


@lru_cache(maxsize=256)
def has_voice(voice: str) -> bool:
    """True when espeak-ng can speak ``voice`` (a language code or voice name)."""
    try:
        lib = _lib()
    except ToolMissingError:
        return False
    with _LOCK:
        ok: bool = lib.lib.espeak_SetVoiceByName(voice.encode()) == 0
        lib.voice = voice if ok else None
    return ok


def voice_for(language: str) -> str | None:
    """The espeak-ng voice for a BCP 47 language code (``pt-BR`` → ``pt-br``, ``zh`` → ``cmn``), or None."""
    code = language.lower().replace("_", "-")
    aliases = {"zh": "cmn", "zh-cn": "cmn", "zh-hans": "cmn", "zh-tw": "yue", "nb": "nb", "no": "nb"}
    for cand in (code, aliases.get(code), code.split("-")[0], aliases.get(code.split("-")[0])):
        if cand and has_voice(cand):
            return cand
    return None


def synthesize_words(text: str, *, voice: str = "en", wpm: int = 175) -> tuple[np.ndarray, int, list[SpokenWord]]:
    """Speak ``text``; return (int16 samples, sample rate, words with start times).

    Word character offsets are 0-based code-point offsets into ``text``.
    """
    lib = _lib()
    data = text.encode("utf-8") + b"\0"
    with _LOCK:
        lib.set_voice(voice)
        lib.lib.espeak_SetParameter(_RATE, int(wpm), 0)
        lib._chunks, lib._events = [], []
        uid = ctypes.c_uint(0)
        buf = ctypes.create_string_buffer(data)
        rc = lib.lib.espeak_Synth(buf, len(data), 0, _POS_CHARACTER, 0, _CHARS_UTF8, ctypes.byref(uid), None)
        lib.lib.espeak_Synchronize()
        chunks, events = lib._chunks, lib._events
        lib._chunks, lib._events = [], []
    if rc != 0:
        raise ToolMissingError(f"espeak-ng could not synthesize (error {rc})", hint=HINT)
    samples = np.concatenate(chunks).astype(np.int16) if chunks else np.zeros(0, dtype=np.int16)
    # (a word event at position 0 belongs to no character of the text: skipped)
    words = [SpokenWord(pos - 1, length, round(sample * 1000 / lib.rate)) for pos, length, _, sample in events if pos > 0]
    return samples, lib.rate, words


def phonemes(text: str, *, voice: str = "en-us") -> str:
    """espeak-ng's IPA for ``text`` (clauses joined by spaces)."""
    lib = _lib()
    out: list[str] = []
    with _LOCK:
        lib.set_voice(voice)
        buf = ctypes.create_string_buffer(text.encode("utf-8") + b"\0")
        ptr = ctypes.c_void_p(ctypes.addressof(buf))
        while ptr.value:
            res = lib.lib.espeak_TextToPhonemes(ctypes.byref(ptr), _CHARS_UTF8, _PHONEMES_IPA)
            if res:
                out.append(res.decode("utf-8", "replace"))
    return " ".join(p.strip() for p in out if p.strip())
