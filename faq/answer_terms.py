"""Which entries' answers use the message's words: BM25 over the words and word pairs of each answer.

The lexical stage matches a message against an entry's phrasings; a first FAQ has one phrasing per
entry, so most of the words a citizen uses ("giấy chứng sinh", "sạt lở", "hợp đồng thuê nhà") are
only in the answer: its summary, steps, documents and where to go. This module scores that evidence,
accents off (a bare "sat lo" finds "sạt lở"), with an inverted index so the cost does not grow with
the FAQ. faq.fusion adds it to the semantic nearness (see ANSWER_TERMS_WEIGHT there).
"""

from __future__ import annotations

import itertools
import math
from collections import Counter, defaultdict
from collections.abc import Iterable

import numpy as np

from faq.normalize import clean, fold_word
from faq.schema import Entry, FaqBook

K1 = 1.2
B = 0.75
_COMMON = (
    "và của cho các có được là thì hoặc với theo tại trong không người một này đã khi nếu "
    "phải để từ về ở những trên đến làm bản giấy"
)
_STOP = frozenset(fold_word(w) for w in _COMMON.split(" "))
"""Words too common in answers to say which one is meant (accents off)."""


def terms(text: str) -> list[str]:
    """The folded content words of a text and its adjacent word pairs ("giay_chung", "chung_sinh")."""
    words = [f for w in clean(text).split() if len(w) > 1 and (f := fold_word(w)) not in _STOP]
    return words + [f"{a}_{b}" for a, b in itertools.pairwise(words)]


def answer_texts(entry: Entry) -> Iterable[str]:
    """What an entry's answer says: summary, steps, documents, where."""
    yield entry.summary
    yield from entry.steps
    yield from entry.documents
    yield entry.where


class AnswerTerms:
    """BM25 of a message against every entry's answer text, one FaqBook, built once."""

    def __init__(self, book: FaqBook) -> None:
        counts = [Counter(t for text in answer_texts(e) for t in terms(text)) for e in book.entries]
        self._count = len(counts)
        lengths = np.array([sum(c.values()) for c in counts], dtype=np.float64)
        average = float(lengths.mean()) if len(lengths) and lengths.mean() > 0 else 1.0
        postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for index, counter in enumerate(counts):
            norm = K1 * (1 - B + B * lengths[index] / average)
            for term, tf in counter.items():
                postings[term].append((index, tf * (K1 + 1) / (tf + norm)))
        self._index: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        for term, rows in postings.items():
            idf = math.log(1 + (self._count - len(rows) + 0.5) / (len(rows) + 0.5))
            self._index[term] = (
                np.array([i for i, _ in rows], dtype=np.int64),
                np.array([idf * w for _, w in rows], dtype=np.float32),
            )

    def scores(self, text: str) -> np.ndarray:
        """Per entry (book order), its BM25 for the text divided by the best entry's (0 when none)."""
        out = np.zeros(self._count, dtype=np.float32)
        for term in set(terms(text)):
            found = self._index.get(term)
            if found is not None:
                out[found[0]] += found[1]
        best = float(out.max()) if self._count else 0.0
        return out / best if best > 0 else out
