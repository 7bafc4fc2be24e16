"""A tiny deterministic embedder for the `semantic.backend: "module:Class"` extension point.

Not a sentence model: each accents-off word is hashed into one of 64 dimensions. It tests that a
backend named in the config is loaded, used for the passages and the messages, and keys the cache
by its own model id; it says nothing about matching quality (the real model's tests do).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np

from faq.normalize import fold_accents

DIMENSIONS = 64


class BagOfWords:
    """Hashed accents-off words, L2-normalised; counts what it was asked to embed."""

    model_id = "bag-of-words-test-1"

    def __init__(self) -> None:
        self.queries: list[str] = []
        self.passages: list[str] = []

    @staticmethod
    def vector(text: str) -> np.ndarray:
        row = np.zeros(DIMENSIONS, dtype=np.float32)
        for word in fold_accents(text.lower()).split():
            row[hashlib.blake2b(word.encode(), digest_size=2).digest()[0] % DIMENSIONS] += 1.0
        norm = float(np.linalg.norm(row))
        return row / norm if norm else row

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        self.queries.extend(texts)
        return np.stack([self.vector(t) for t in texts]) if texts else np.zeros((0, DIMENSIONS), np.float32)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        self.passages.extend(texts)
        return np.stack([self.vector(t) for t in texts]) if texts else np.zeros((0, DIMENSIONS), np.float32)

    def token_count(self, text: str) -> int:
        return len(text.split())


class Broken:
    """A backend whose model cannot load here (its constructor fails)."""

    model_id = "broken-test"

    def __init__(self) -> None:
        raise RuntimeError("model file missing")
