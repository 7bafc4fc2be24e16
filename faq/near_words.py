"""The words of a vocabulary a typed word may be a misspelling of: one typo (one edit) away, or
the same word in another dialect's spelling (tr/ch, s/x, d/gi/r, l/n, -n/-ng, -t/-c), each with
partial credit. Pure; accents-off words only.
"""

from __future__ import annotations

from collections.abc import Iterable

from rapidfuzz.distance import OSA

TYPO_CREDIT = 0.7
"""Credit for a vocabulary word one edit away from the typed one."""
PHONETIC_CREDIT = 0.75
"""Credit for a vocabulary word that sounds the same in another dialect."""

_PHONETIC_INITIALS = (("tr", "ch"), ("gi", "d"), ("r", "d"), ("s", "x"), ("l", "n"))
_PHONETIC_FINALS = (("ng", "n"), ("nh", "n"), ("ch", "t"), ("c", "t"), ("y", "i"))


def phonetic_key(folded: str) -> str:
    """A key merging common dialect spellings (tr/ch, s/x, d/gi/r, l/n, -n/-ng, -t/-c)."""
    for old, new in _PHONETIC_INITIALS:
        if folded.startswith(old):
            folded = new + folded[len(old) :]
            break
    for old, new in _PHONETIC_FINALS:
        if folded.endswith(old):
            folded = folded[: -len(old)] + new
            break
    return folded


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


class NearWords:
    """Finds the words of one vocabulary that a typed word may stand for; indexed once."""

    def __init__(self, vocabulary: Iterable[str]) -> None:
        """`vocabulary`: its words, accents-off."""
        by_delete: dict[str, set[str]] = {}
        by_sound: dict[str, set[str]] = {}
        for fold in vocabulary:
            if len(fold) >= 3 and fold.isalpha():
                for key in (fold, *_deletes(fold)):
                    by_delete.setdefault(key, set()).add(fold)
            if len(fold) >= 2 and fold.isalpha():
                by_sound.setdefault(phonetic_key(fold), set()).add(fold)
        self._by_delete = {key: tuple(sorted(words)) for key, words in by_delete.items()}
        self._by_sound = {key: tuple(sorted(words)) for key, words in by_sound.items()}

    def near(self, fold: str) -> dict[str, float]:
        """Vocabulary words one typo or one dialect spelling away from a word, with their credit."""
        found: dict[str, float] = {}
        if len(fold) >= 3 and fold.isalpha():
            near: set[str] = set(self._by_delete.get(fold, ()))
            for key in _deletes(fold):
                near.update(self._by_delete.get(key, ()))
            for word in sorted(near):
                if OSA.distance(fold, word, score_cutoff=1) <= 1:
                    found[word] = TYPO_CREDIT
        if len(fold) >= 2 and fold.isalpha():
            for word in self._by_sound.get(phonetic_key(fold), ()):
                found[word] = max(found.get(word, 0.0), PHONETIC_CREDIT)
        return found
