"""The interaction log: SQLite, written by one background thread so replies never wait on disk."""

from __future__ import annotations

import logging
import queue
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path

from handlers.messages import Incoming, Reply
from handlers.privacy import hash_user_id, mask_personal_data

log = logging.getLogger(__name__)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS interactions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at REAL NOT NULL,
    channel TEXT NOT NULL,
    user_hash TEXT NOT NULL,
    question TEXT NOT NULL,
    kind TEXT NOT NULL,
    entry_id TEXT,
    score REAL NOT NULL DEFAULT 0,
    facet TEXT
);
CREATE INDEX IF NOT EXISTS interactions_at ON interactions (at);
"""
_MAX_QUESTION_CHARS = 500
_STOP = object()
LINGER_SECONDS = 0.5
"""How long the writer gathers rows after the first of a burst before writing them in one transaction."""


@dataclass(frozen=True, slots=True)
class Interaction:
    """One logged exchange; the question is already masked and the user id hashed."""

    at: float
    channel: str
    user_hash: str
    question: str
    kind: str
    entry_id: str | None = None
    score: float = 0.0
    facet: str | None = None


class InteractionLog:
    """Append-only log of exchanges with retention; safe to call from any thread or task."""

    def __init__(
        self,
        path: str | Path,
        *,
        salt: str,
        retention_days: int = 90,
        clock: Callable[[], float] = time.time,
        linger: float = LINGER_SECONDS,
    ) -> None:
        self.path = Path(path).resolve()
        self._salt = salt
        self._retention = retention_days * 86400.0
        self._clock = clock
        self._linger = linger
        self._queue: queue.Queue[object] = queue.Queue()
        self._urgent = threading.Event()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with closing(self._connect()) as db:
            db.executescript(_SCHEMA)
        self._writer = threading.Thread(target=self._write_loop, name="interaction-log", daemon=True)
        self._writer.start()

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        return db

    def record(self, msg: Incoming, reply: Reply) -> None:
        """Queue one exchange for writing (masking and hashing happen here, before anything leaves)."""
        outcome = reply.outcome
        if outcome is None:
            return
        question = mask_personal_data(outcome.question or msg.text)[:_MAX_QUESTION_CHARS]
        self.add(
            Interaction(
                at=self._clock(),
                channel=msg.channel,
                user_hash=hash_user_id(msg.channel, msg.user_id, self._salt),
                question=question,
                kind=outcome.kind,
                entry_id=outcome.entry_id,
                score=round(outcome.score, 1),
                facet=outcome.facet,
            )
        )

    async def observe(self, msg: Incoming, reply: Reply) -> None:
        """Exchange observer for the channels: never blocks the event loop."""
        self.record(msg, reply)

    def add(self, row: Interaction) -> None:
        """Queue a prepared row (its question must already be masked)."""
        self._queue.put(row)

    def flush(self, timeout: float = 10.0) -> bool:
        """Wait until every queued row is on disk; False if that took longer than timeout."""
        done = threading.Event()
        self._queue.put(done)
        self._urgent.set()
        return done.wait(timeout)

    def close(self) -> None:
        """Write what is queued and stop the writer thread."""
        if self._writer.is_alive():
            self._queue.put(_STOP)
            self._urgent.set()
            self._writer.join(timeout=30)

    def purge(self, now: float | None = None) -> int:
        """Delete rows older than the retention period; returns how many went."""
        cutoff = (self._clock() if now is None else now) - self._retention
        with closing(self._connect()) as db:
            return db.execute("DELETE FROM interactions WHERE at < ?", (cutoff,)).rowcount

    def rows(self, since: float = 0.0) -> list[Interaction]:
        """Every row at or after `since` (epoch seconds), oldest first, including rows still queued."""
        self.flush()
        with self._reader() as db:
            cur = db.execute(
                "SELECT at, channel, user_hash, question, kind, entry_id, score, facet"
                " FROM interactions WHERE at >= ? ORDER BY at, id",
                (since,),
            )
            return [Interaction(*r) for r in cur.fetchall()]

    @contextmanager
    def _reader(self) -> Iterator[sqlite3.Connection]:
        db = self._connect()
        try:
            yield db
        finally:
            db.close()

    def _write_loop(self) -> None:
        db = self._connect()
        try:
            while True:
                item = self._queue.get()
                if isinstance(item, Interaction):
                    # Under load, one transaction per burst instead of a wake-up and a commit per row.
                    self._urgent.wait(self._linger)
                self._urgent.clear()
                batch: list[Interaction] = []
                waiters: list[threading.Event] = []
                stop = False
                while True:
                    if item is _STOP:
                        stop = True
                    elif isinstance(item, threading.Event):
                        waiters.append(item)
                    elif isinstance(item, Interaction):
                        batch.append(item)
                    try:
                        item = self._queue.get_nowait()
                    except queue.Empty:
                        break
                if batch:
                    self._insert(db, batch)
                for waiter in waiters:
                    waiter.set()
                if stop:
                    return
        finally:
            db.close()

    def _insert(self, db: sqlite3.Connection, batch: list[Interaction]) -> None:
        try:
            with db:
                db.execute("BEGIN")
                db.executemany(
                    "INSERT INTO interactions"
                    " (at, channel, user_hash, question, kind, entry_id, score, facet)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        (r.at, r.channel, r.user_hash, r.question, r.kind, r.entry_id, r.score, r.facet)
                        for r in batch
                    ],
                )
        except sqlite3.Error:
            # Losing log rows must never stop the bot; the count says how much was lost.
            log.exception("interaction log write failed, %d rows dropped", len(batch))
