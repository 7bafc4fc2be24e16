"""Vietnamese typed with the input method off: Telex "ddawng kys tamj trus" and VNI "d9a8ng ky1 ta5m
tru1" read as "đăng ký tạm trú".

A phone or PC whose input method is switched off sends the keys themselves. Telex: "dd" for đ, "aa"
for â, "aw" for ă, "ow" for ơ, "uw" for ư, and a tone key (s, f, r, x, j) after the vowels; no
Vietnamese syllable ends in s, f, r, x or j, so such a word is recognisable. VNI: digits after the
letters (1–5 the tones, 6 the circumflex, 7 the horn, 8 the breve, 9 đ). A message is decoded only when
several of its words are such words, so that an English "bus" or "yes", or "t7" and "14t", stay as
they are.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

from faq.tones import place_tone

_TONES = {"s": "\u0301", "f": "\u0300", "r": "\u0309", "x": "\u0303", "j": "\u0323"}
_MARKS = (("uow", "ươ"), ("uwow", "ươ"), ("uwo", "ươ"), ("aa", "â"), ("aw", "ă"), ("ee", "ê"),
          ("oo", "ô"), ("ow", "ơ"), ("uw", "ư"))  # fmt: skip
_SYLLABLE = re.compile(
    r"(?:ngh|ng|gh|gi|kh|nh|ph|th|tr|ch|qu|[bcdđghklmnpqrstvx])?"
    r"(?:[aăâeêioôơuưy]{1,3})"
    r"(?:ch|ng|nh|[cmnpt])?"
)
_LATE_VOWEL = re.compile(r"(.*?[^aeo]|)([aeo])(ch|ng|nh|[cmnpt])\2")
_LETTERS = re.compile(r"[a-z]+")
_VNI_OR_LETTERS = re.compile(r"[a-z][a-z1-9]*")
SHARE = 0.5
"""Telex (or VNI) words among a message's words (and at least two) for it to be read as such."""


@lru_cache(maxsize=8192)
def from_telex(word: str) -> str | None:
    """The syllable a Telex-typed word stands for, or None when it is not one (or has no Telex key)."""
    if not _LETTERS.fullmatch(word) or len(word) > 9:
        return None
    tone = ""
    body = word
    first_vowel = next((i for i, ch in enumerate(body) if ch in "aeiouy"), -1)
    if first_vowel < 0:
        return None
    # The tone key is typed after the vowels: at the end ("tamj") or before the final ("tajm").
    for i in range(len(body) - 1, first_vowel, -1):
        if body[i] in _TONES:
            tone = _TONES[body[i]]
            body = body[:i] + body[i + 1 :]
            break
    marked = bool(tone)
    if body.startswith("dd"):
        body = "đ" + body[2:]
        marked = True
    # The second key of aa, ee, oo may come after the final consonant: "ketes" is "keets" (kết).
    late = _LATE_VOWEL.fullmatch(body) if tone else None  # "photo" is no "phôt"
    if late is not None:
        body = late.group(1) + late.group(2) * 2 + late.group(3)
    for keys, letter in _MARKS:
        if keys in body:
            body = body.replace(keys, letter, 1)
            marked = True
            break
    if "w" in body:
        # "w" typed after the final consonant ("duocwj") marks the vowel before it.
        bare = body.replace("w", "")
        for keys, letter in (("uo", "ươ"), ("u", "ư"), ("o", "ơ"), ("a", "ă")):
            if keys in bare:
                body = bare.replace(keys, letter, 1)
                marked = True
                break
        else:
            return None
    if not marked or not _SYLLABLE.fullmatch(body):
        return None
    return place_tone(unicodedata.normalize("NFC", body + tone)) if tone else body


_VNI_WORD = re.compile(r"[a-z][a-z1-9]*[1-9][a-z1-9]*")
_VNI_TONES = {"1": "\u0301", "2": "\u0300", "3": "\u0309", "4": "\u0303", "5": "\u0323"}
_VNI_SHAPES = {
    "6": {"a": "â", "e": "ê", "o": "ô"},
    "7": {"o": "ơ", "u": "ư"},
    "8": {"a": "ă"},
    "9": {"d": "đ"},
}


@lru_cache(maxsize=8192)
def from_vni(word: str) -> str | None:
    """The syllable a VNI-typed word stands for ("ca8n" căn, "cu7o7c1" cước, "d9a6u" đâu), or None."""
    if not _VNI_WORD.fullmatch(word) or len(word) > 12:
        return None
    letters: list[str] = []
    tone = ""
    for ch in word:
        if ch in _VNI_TONES:
            if tone:
                return None
            tone = _VNI_TONES[ch]
        elif ch in _VNI_SHAPES:
            # The shape key follows its letter, or comes after the final ("ca8n" and "can8" alike).
            shapes = _VNI_SHAPES[ch]
            at = next((i for i in range(len(letters) - 1, -1, -1) if letters[i] in shapes), -1)
            if at < 0:
                return None
            letters[at] = shapes[letters[at]]
            if ch == "7" and letters[at] == "ơ" and at > 0 and letters[at - 1] == "u":
                letters[at - 1] = "ư"  # "u7o7" and "uo7" are both ươ
        else:
            letters.append(ch)
    body = "".join(letters)
    if not _SYLLABLE.fullmatch(body):
        return None
    return place_tone(unicodedata.normalize("NFC", body + tone)) if tone else body


def decode_keys(words: Sequence[str]) -> list[str]:
    """The words read as Telex or as VNI, whichever enough of them are (see SHARE); else unchanged."""
    # The share is of all the words: in "mang bản photo đi chứng thực hay photo ở đó" the two
    # "photo" are most of the words without accents, not most of the message.
    for decode, shape in ((from_telex, _LETTERS), (from_vni, _VNI_OR_LETTERS)):
        decoded = {w: s for w in words if shape.fullmatch(w) and (s := decode(w)) is not None}
        count = sum(1 for w in words if w in decoded)
        if count >= 2 and count >= SHARE * len(words):
            return [decoded.get(w, w) for w in words]
    return list(words)
