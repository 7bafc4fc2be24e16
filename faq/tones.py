"""Where the tone mark of a Vietnamese syllable goes (hoà → hòa, qúy → quý): one rule, shared by the
normaliser and the reader of text typed with the input method off."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Combining marks (after NFD) that carry the tone; the others (circumflex, breve, horn) are
# part of the vowel itself.
_TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
_VOWELS = frozenset("aăâeêioôơuưy")
_QUALITY_VOWELS = frozenset("ăâêôơư")


_HORNLESS = re.compile(r"(?<!q)uơ(?=(?:c|t|n|ng|m|p|i|u)$)")
""""uơ" before a final consonant or glide: always "ươ" with the horn on the u left off ("cuớc", "đuợc",
"nguời"); no syllable is written so ("thuở", "huơ" end in the ơ; "quơ" is qu + ơ)."""


@lru_cache(maxsize=65536)
def place_tone(word: str) -> str:
    """One lower-case syllable with its tone mark on the traditional vowel (hoà→hòa, qúy→quý), and
    the horn an "ươ" lost put back (cuớc→cước, nguời→người)."""
    decomposed = unicodedata.normalize("NFD", word)
    tones = [ch for ch in decomposed if ch in _TONE_MARKS]
    if len(tones) > 1:
        return word
    bare = unicodedata.normalize("NFC", "".join(ch for ch in decomposed if ch not in _TONE_MARKS))
    horned = _HORNLESS.sub("ươ", bare)
    if not tones:
        return horned if horned != bare else word
    bare = horned
    target = _tone_position(bare)
    if target < 0:
        return word
    placed = bare[: target + 1] + tones[0] + bare[target + 1 :]
    return unicodedata.normalize("NFC", placed)


def _tone_position(bare: str) -> int:
    """Index of the vowel that carries the tone in a toneless syllable, or -1."""
    start = 0
    if bare.startswith(("qu", "gi")) and len(bare) > 2 and bare[2] in _VOWELS:
        start = 2
    while start < len(bare) and bare[start] not in _VOWELS:
        start += 1
    end = start
    while end < len(bare) and bare[end] in _VOWELS:
        end += 1
    if start >= len(bare):
        return -1
    nucleus = range(start, end)
    marked = [i for i in nucleus if bare[i] in _QUALITY_VOWELS]
    if marked:
        return marked[-1]
    if len(nucleus) >= 3:
        return start + 1
    if len(nucleus) == 2:
        return start + 1 if end < len(bare) else start
    return start
