"""Putting accents back on words typed without them, from the words of the FAQ itself.

A sentence model reads "dang ky tam tru cho con" far worse than "đăng ký tạm trú cho con": it never
sees our normalisation. The FAQ's own texts say how its words are written, so a bare word takes the
accented form the FAQ uses most for it, preferring the form of the two-word phrase it stands in
("cho con" stays "cho con", "con dau" becomes "con dấu" only if the FAQ writes it so). Words the FAQ
never writes, and words typed with accents, are left as they are. Texts the FAQ itself writes without
accents (staff add "dk ket hon co mat tien ko" as a phrasing, so that it matches as citizens type it)
teach nothing: their bare "mat" would outvote "mất" and leave the word bare for the model.
"""

from __future__ import annotations

import itertools
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence

from faq.normalize import clean, fold_word, has_accents

ACCENTED_SHARE = 0.3
"""A text with fewer of its words accented than this was typed without accents: it is not learnt from.
(Written Vietnamese carries accents on most words; the shipped FAQ's accent-less phrasings have none.)
On the development chat sets (bench/eval_all.py) dev3 answered 0.832 → 0.841 and dev2 0.891 → 0.896;
FAQs written wholly with accents are unchanged."""


def _accented(tokens: Sequence[str]) -> bool:
    """Whether a text was written with accents (enough of its words carry them)."""
    words = [t for t in tokens if t.isalpha()]
    return not words or sum(has_accents(w) for w in words) >= ACCENTED_SHARE * len(words)


class AccentRestorer:
    """Most common accented forms of the FAQ's words and word pairs, by their accents-off form."""

    def __init__(self, texts: Iterable[Sequence[str]]) -> None:
        words: dict[str, Counter[str]] = {}
        pairs: dict[tuple[str, str], Counter[tuple[str, str]]] = {}
        for tokens in texts:
            if not _accented(tokens):
                continue
            for token in tokens:
                words.setdefault(fold_word(token), Counter())[token] += 1
            for a, b in itertools.pairwise(tokens):
                pairs.setdefault((fold_word(a), fold_word(b)), Counter())[(a, b)] += 1
        self._words = {fold: forms.most_common(1)[0][0] for fold, forms in words.items()}
        self._written = frozenset(form for forms in words.values() for form in forms)
        """Every form the FAQ writes a word in."""
        self._pairs = {key: forms.most_common(1)[0] for key, forms in pairs.items()}
        """(accents-off pair) -> (its commonest accented form, how often the FAQ writes it)."""

    @classmethod
    def of_texts(cls, texts: Iterable[str]) -> AccentRestorer:
        """A restorer learnt from the FAQ's texts as written (no synonyms applied: an expanded
        abbreviation already carries its accents, and expansions make chance pairs like "cước căn")."""
        return cls(clean(text).split() for text in texts)

    def restore(self, tokens: Sequence[str]) -> list[str]:
        """The tokens with accents put back where typed without and the FAQ knows the word."""
        out = list(tokens)
        # Hỏi and ngã are often swapped ("khai tữ"): a word the FAQ never writes so, but writes with the
        # other of the two, is put right like a bare one, from the pair it stands in only.
        swapped = [t not in self._written and _swap_hoi_nga(t) in self._written for t in tokens]
        bare = [not has_accents(t) for t in tokens]
        done = [False] * len(tokens)
        # The pairs the FAQ writes most often claim their words first: "can gi" (cần gì, common)
        # wins over "cuoc can" (cước căn, a chance meeting of two terms) for the word "can".
        found = []
        for i in range(len(tokens) - 1):
            if bare[i] or bare[i + 1] or swapped[i] or swapped[i + 1]:
                hit = self._pairs.get((fold_word(tokens[i]), fold_word(tokens[i + 1])))
                if hit is not None:
                    found.append((-hit[1], i, hit[0]))
        for _, i, form in sorted(found):
            for j, word in ((i, form[0]), (i + 1, form[1])):
                if (bare[j] or (swapped[j] and word == _swap_hoi_nga(tokens[j]))) and not done[j]:
                    out[j], done[j] = word, True
        for i, token in enumerate(tokens):
            if bare[i] and not done[i]:
                out[i] = self._words.get(token, token)
        return out


_HOI, _NGA = "\u0309", "\u0303"


def _swap_hoi_nga(word: str) -> str:
    """The word with its hỏi tone made ngã, or its ngã made hỏi (unchanged without either)."""
    decomposed = unicodedata.normalize("NFD", word)
    swapped = decomposed.translate({ord(_HOI): _NGA, ord(_NGA): _HOI})
    return unicodedata.normalize("NFC", swapped) if swapped != decomposed else word
