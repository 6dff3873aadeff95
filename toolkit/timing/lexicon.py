"""Pronunciations for the forced aligner: CMU dictionary first, espeak-ng for the rest.

PocketSphinx ships the CMU pronouncing dictionary (≈ 134 000 words, ARPAbet).
Names and coinages are missing from it ("Okonkwo", "Tomasz"); for those,
espeak-ng's letter-to-sound rules (US English voice) give IPA, which
:func:`ipa_to_arpabet` maps onto the acoustic model's 39 phones (greedy,
longest symbol first; stress, length and syllable marks dropped; the American
flap ``ɾ`` becomes ``D``, the glottal stop ``ʔ`` a ``T``, syllabic ``n̩ l̩``
``AH N`` / ``AH L``).
"""

from __future__ import annotations

import logging
import unicodedata

log = logging.getLogger(__name__)

__all__ = ["ipa_to_arpabet", "PHONES", "fallback_pronunciation"]

#: The phone set of PocketSphinx's US-English acoustic model.
PHONES = frozenset(
    "AA AE AH AO AW AY B CH D DH EH ER EY F G HH IH IY JH K L M N NG OW OY P R S SH T TH UH UW V W Y Z ZH".split()
)

_IPA: dict[str, tuple[str, ...]] = {
    # vowels and diphthongs (longest first when matching)
    "aɪɚ": ("AY", "ER"), "aʊɚ": ("AW", "ER"),
    "aɪ": ("AY",), "aʊ": ("AW",), "eɪ": ("EY",), "oʊ": ("OW",), "ɔɪ": ("OY",), "əʊ": ("OW",),
    "ɪə": ("IH", "AH"), "eə": ("EH", "AH"), "ʊə": ("UH", "AH"),
    "ɑ": ("AA",), "ɒ": ("AA",), "æ": ("AE",), "ʌ": ("AH",), "ə": ("AH",), "ɐ": ("AH",), "ɚ": ("ER",),
    "ɜ": ("ER",), "ɝ": ("ER",), "ɔ": ("AO",), "ɛ": ("EH",), "e": ("EH",), "ɪ": ("IH",), "ᵻ": ("IH",),
    "i": ("IY",), "o": ("OW",), "ʊ": ("UH",), "u": ("UW",), "a": ("AA",), "y": ("UW",), "ø": ("ER",),
    "œ": ("ER",), "ɨ": ("IH",), "ɯ": ("UW",), "ɤ": ("AH",),
    # consonants
    "tʃ": ("CH",), "dʒ": ("JH",), "ts": ("T", "S"), "dz": ("D", "Z"),
    "n̩": ("AH", "N"), "l̩": ("AH", "L"), "m̩": ("AH", "M"),
    "b": ("B",), "d": ("D",), "ð": ("DH",), "f": ("F",), "ɡ": ("G",), "g": ("G",), "h": ("HH",),
    "k": ("K",), "l": ("L",), "ɫ": ("L",), "m": ("M",), "n": ("N",), "ŋ": ("NG",), "p": ("P",),
    "ɹ": ("R",), "r": ("R",), "ɾ": ("D",), "ʁ": ("R",), "s": ("S",), "ʃ": ("SH",), "t": ("T",),
    "θ": ("TH",), "v": ("V",), "w": ("W",), "j": ("Y",), "z": ("Z",), "ʒ": ("ZH",), "ʔ": ("T",),
    "x": ("K",), "ç": ("HH",), "ɬ": ("L",), "ɲ": ("N", "Y"), "ʎ": ("L", "Y"), "β": ("B",), "ɣ": ("G",),
}
_KEYS = sorted(_IPA, key=len, reverse=True)
_DROP = set("ˈˌː.ˑ͡‿|-_ ") | {"\u0303", "\u0361"}


def ipa_to_arpabet(ipa: str) -> tuple[str, ...]:
    """ARPAbet phones for an IPA string (unknown symbols are skipped)."""
    s = unicodedata.normalize("NFC", ipa)
    out: list[str] = []
    i = 0
    while i < len(s):
        ch = s[i]
        if ch in _DROP or unicodedata.category(ch) == "Mn" and ch not in "\u0329":
            i += 1
            continue
        for key in _KEYS:
            if s.startswith(key, i):
                out.extend(_IPA[key])
                i += len(key)
                break
        else:
            log.debug("no ARPAbet for IPA %r in %r", ch, ipa)
            i += 1
    return tuple(out)


_LETTERS = {
    "a": "EY", "b": "B IY", "c": "S IY", "d": "D IY", "e": "IY", "f": "EH F", "g": "JH IY", "h": "EY CH",
    "i": "AY", "j": "JH EY", "k": "K EY", "l": "EH L", "m": "EH M", "n": "EH N", "o": "OW", "p": "P IY",
    "q": "K Y UW", "r": "AA R", "s": "EH S", "t": "T IY", "u": "Y UW", "v": "V IY", "w": "D AH B AH L Y UW",
    "x": "EH K S", "y": "W AY", "z": "Z IY",
}


def fallback_pronunciation(word: str) -> tuple[str, ...]:
    """A pronunciation when espeak-ng is unavailable: the letters spelled out (never empty)."""
    phones: list[str] = []
    for ch in unicodedata.normalize("NFKD", word.lower()):
        phones.extend(_LETTERS.get(ch, "").split())
    return tuple(phones) or ("AH",)
